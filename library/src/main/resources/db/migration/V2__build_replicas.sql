-- One row per (build, region): where the replicator stands. A build is deployable when every configured
-- region is COMPLETED.
CREATE TABLE build_replicas (
    job_id      BIGINT       NOT NULL,
    region      VARCHAR(64)  NOT NULL,
    status      ENUM('PENDING','RUNNING','COMPLETED','FAILED') NOT NULL DEFAULT 'PENDING',
    attempts    INT          NOT NULL DEFAULT 0,
    error       TEXT         NULL,
    created_at  DATETIME(6)  NOT NULL DEFAULT NOW(6),
    updated_at  DATETIME(6)  NOT NULL DEFAULT NOW(6),
    started_at  DATETIME(6)  NULL,
    finished_at DATETIME(6)  NULL,
    PRIMARY KEY (job_id, region),
    KEY idx_build_replicas_status (status, updated_at),
    CONSTRAINT fk_build_replicas_job FOREIGN KEY (job_id) REFERENCES jobs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
