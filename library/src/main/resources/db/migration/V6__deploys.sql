-- One row per deploy request: what was asked, by whom, where it is and how it went. Every time is from the
-- database clock. A conductor holds a deploy with a lease (conductor, lease_until) and fences each of its writes with
-- attempt, bumped at each claim, as builder workers do with jobs: a conductor whose lease passed writes nothing.
CREATE TABLE deploys (
    id               BIGINT        NOT NULL AUTO_INCREMENT,
    environment      VARCHAR(64)   NOT NULL,
    sha              CHAR(40)      NOT NULL,
    repo_url         VARCHAR(2048) NOT NULL,
    requested_by     VARCHAR(255)  NOT NULL,
    reason           VARCHAR(1000) NULL,
    state            ENUM('REQUESTED','BUILDING','REPLICATING','PUBLISHING','ROLLING_OUT',
                          'SUCCEEDED','FAILED','CANCELLED','SUPERSEDED') NOT NULL DEFAULT 'REQUESTED',
    -- the build job it uses, and whether it queued that job itself (only then may it cancel the job)
    job_id           BIGINT        NULL,
    own_job          BOOLEAN       NOT NULL DEFAULT FALSE,
    -- the release version it published; audit_cursor: the last deployments row of the environment read for its
    -- rollout's outcome (set when it enters PUBLISHING, so nothing written after its publish is missed)
    release_version  BIGINT        NULL,
    audit_cursor     BIGINT        NULL,
    superseded_by    BIGINT        NULL,
    cancel_requested BOOLEAN       NOT NULL DEFAULT FALSE,
    cancelled_by     VARCHAR(255)  NULL,
    timed_out        BOOLEAN       NOT NULL DEFAULT FALSE,
    error            TEXT          NULL,
    -- the newest progress line, and per region its hosts against the build (JSON), for lists and results
    message          VARCHAR(2000) NULL,
    regions          TEXT          NULL,
    created_at       DATETIME(6)   NOT NULL DEFAULT NOW(6),
    updated_at       DATETIME(6)   NOT NULL DEFAULT NOW(6),
    deadline_at      DATETIME(6)   NOT NULL,
    building_at      DATETIME(6)   NULL,
    replicating_at   DATETIME(6)   NULL,
    publishing_at    DATETIME(6)   NULL,
    rolling_out_at   DATETIME(6)   NULL,
    finished_at      DATETIME(6)   NULL,
    attempt          INT           NOT NULL DEFAULT 0,
    conductor        VARCHAR(255)  NULL,
    lease_until      DATETIME(6)   NULL,
    PRIMARY KEY (id),
    -- the claim: unfinished deploys whose lease is free or passed
    KEY idx_deploys_claim (state, lease_until),
    KEY idx_deploys_env (environment, id),
    KEY idx_deploys_job (job_id),
    CONSTRAINT fk_deploys_job FOREIGN KEY (job_id) REFERENCES jobs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each deploy's history, replayed to a follower that attaches late or reconnects (ids increase across deploys: the
-- SSE event id). stage: the timing stage it counts in, null once final.
CREATE TABLE deploy_events (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    deploy_id   BIGINT        NOT NULL,
    created_at  DATETIME(6)   NOT NULL DEFAULT NOW(6),
    state       ENUM('REQUESTED','BUILDING','REPLICATING','PUBLISHING','ROLLING_OUT',
                     'SUCCEEDED','FAILED','CANCELLED','SUPERSEDED') NOT NULL,
    stage       ENUM('QUEUED','BUILDING','REPLICATING','PUBLISHING','ROLLING_OUT') NULL,
    message     VARCHAR(2000) NOT NULL,
    fraction    DOUBLE        NULL,
    PRIMARY KEY (id),
    KEY idx_deploy_events_deploy (deploy_id, id),
    CONSTRAINT fk_deploy_events_deploy FOREIGN KEY (deploy_id) REFERENCES deploys (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The deploy an audit row belongs to (its publish): a conductor that takes a deploy over finds the publish of the one
-- before it here, or in the release record, and never publishes twice.
ALTER TABLE deployments ADD COLUMN deploy_id BIGINT NULL AFTER release_version,
    ADD KEY idx_deployments_deploy (deploy_id, id);
