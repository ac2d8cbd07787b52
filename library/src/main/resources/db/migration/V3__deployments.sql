-- Audit history: every publish, wave change, pause, resume, rollback, lock and override, and who asked.
CREATE TABLE deployments (
    id           BIGINT       NOT NULL AUTO_INCREMENT,
    environment  VARCHAR(64)  NOT NULL,
    job_id       BIGINT       NULL,
    action       VARCHAR(32)  NOT NULL,
    detail       TEXT         NULL,
    actor        VARCHAR(255) NOT NULL,
    created_at   DATETIME(6)  NOT NULL DEFAULT NOW(6),
    PRIMARY KEY (id),
    KEY idx_deployments_env (environment, id),
    KEY idx_deployments_job (job_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
