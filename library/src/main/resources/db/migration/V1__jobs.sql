-- One row per build request: the queue and its history.
-- Every time is from the database clock (NOW(6)), never from a host.
CREATE TABLE jobs (
    id               BIGINT       NOT NULL AUTO_INCREMENT,
    status           ENUM('QUEUED','RUNNING','FAILED','COMPLETED','CANCELLED') NOT NULL DEFAULT 'QUEUED',
    repo_url         VARCHAR(2048) NOT NULL,
    sha              CHAR(40)     NOT NULL,
    requested_by     VARCHAR(255) NOT NULL,
    created_at       DATETIME(6)  NOT NULL DEFAULT NOW(6),
    started_at       DATETIME(6)  NULL,
    finished_at      DATETIME(6)  NULL,
    last_heartbeat   DATETIME(6)  NULL,
    -- bumped at each claim: the fencing token every later write of a worker must match
    attempt          INT          NOT NULL DEFAULT 0,
    max_attempts     INT          NOT NULL DEFAULT 3,
    worker_id        VARCHAR(255) NULL,
    cancel_requested BOOLEAN      NOT NULL DEFAULT FALSE,
    -- what the worker is doing now (fetching, building, uploading...), written with each heartbeat
    stage            VARCHAR(32)  NULL,
    cancelled_by     VARCHAR(255) NULL,
    error            TEXT         NULL,
    artifact_key     VARCHAR(1024) NULL,
    artifact_size    BIGINT       NULL,
    artifact_sha256  CHAR(64)     NULL,
    torrent_key      VARCHAR(1024) NULL,
    manifest_key     VARCHAR(1024) NULL,
    log_key          VARCHAR(1024) NULL,
    PRIMARY KEY (id),
    -- the claim: WHERE status='QUEUED' ORDER BY created_at, id, with no filesort
    KEY idx_jobs_claim (status, created_at, id),
    KEY idx_jobs_sha (sha, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
