-- A job's requeue history, kept when it later completes (completing clears `error`): how many times it went back to
-- the queue (its worker stopped heartbeating, or gave it back to retry later), why the last time, and when.
ALTER TABLE jobs
    ADD COLUMN requeues            INT         NOT NULL DEFAULT 0 AFTER deploy_digest,
    ADD COLUMN last_requeue_reason TEXT        NULL AFTER requeues,
    ADD COLUMN last_requeued_at    DATETIME(6) NULL AFTER last_requeue_reason;
