-- Replication: leases on build_replicas, the regions a replicator has seen, quorum overrides of the deploy gate,
-- and builds removed by retention. Every time is from the database clock.

-- due_at: when a replicator should next look at the row. PENDING and FAILED rows are claimed once it has passed
-- (FAILED rows wait out their backoff); a RUNNING row's owner pushes it forward with each heartbeat, so a RUNNING
-- row whose due_at has passed has lost its owner and is claimed again. attempts is bumped at each claim and fences
-- every later write of the owner. upload_id is the S3 multipart upload of the artifact in progress, so a new owner
-- resumes it instead of copying again. REMOVED: retention deleted the build's objects.
ALTER TABLE build_replicas
    MODIFY status ENUM('PENDING','RUNNING','COMPLETED','FAILED','REMOVED') NOT NULL DEFAULT 'PENDING',
    ADD COLUMN due_at       DATETIME(6)   NOT NULL DEFAULT NOW(6),
    ADD COLUMN owner        VARCHAR(255)  NULL,
    ADD COLUMN heartbeat_at DATETIME(6)   NULL,
    ADD COLUMN upload_id    VARCHAR(1024) NULL,
    ADD COLUMN bytes_copied BIGINT        NOT NULL DEFAULT 0,
    ADD COLUMN verified_at  DATETIME(6)   NULL,
    ADD KEY idx_build_replicas_due (status, due_at),
    ADD KEY idx_build_replicas_verified (status, verified_at);

-- The planner looks for recently COMPLETED builds without replicas.
ALTER TABLE jobs ADD KEY idx_jobs_finished (status, finished_at, id);

-- A region is registered the first time a replicator runs with it. Builds that finished before then are only
-- backfilled when they can still be deployed.
CREATE TABLE replication_regions (
    name     VARCHAR(64) NOT NULL,
    added_at DATETIME(6) NOT NULL DEFAULT NOW(6),
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every use of the quorum override of the deploy gate: who, why, and which regions had the build.
CREATE TABLE gate_overrides (
    id                BIGINT       NOT NULL AUTO_INCREMENT,
    job_id            BIGINT       NOT NULL,
    environment       VARCHAR(64)  NOT NULL,
    actor             VARCHAR(255) NOT NULL,
    reason            TEXT         NOT NULL,
    quorum            INT          NOT NULL,
    regions_completed TEXT         NOT NULL,
    regions_missing   TEXT         NOT NULL,
    created_at        DATETIME(6)  NOT NULL DEFAULT NOW(6),
    PRIMARY KEY (id),
    KEY idx_gate_overrides_job (job_id, environment),
    CONSTRAINT fk_gate_overrides_job FOREIGN KEY (job_id) REFERENCES jobs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Builds whose objects retention deletes (REMOVING) or deleted (REMOVED) from the master and regional stores.
CREATE TABLE build_removals (
    job_id       BIGINT      NOT NULL,
    status       ENUM('REMOVING','REMOVED') NOT NULL DEFAULT 'REMOVING',
    reason       TEXT        NOT NULL,
    error        TEXT        NULL,
    requested_at DATETIME(6) NOT NULL DEFAULT NOW(6),
    removed_at   DATETIME(6) NULL,
    PRIMARY KEY (job_id),
    CONSTRAINT fk_build_removals_job FOREIGN KEY (job_id) REFERENCES jobs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
