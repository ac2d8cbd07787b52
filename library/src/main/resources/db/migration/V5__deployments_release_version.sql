-- The version of the release record an audit row wrote, so that a rollout's wave changes, completion and
-- rollback can be matched to the publish that started it.
ALTER TABLE deployments ADD COLUMN release_version BIGINT NULL AFTER job_id;
