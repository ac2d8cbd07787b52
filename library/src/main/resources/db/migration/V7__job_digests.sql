-- What a completed build stored, so that nothing changed in the master blob store afterwards can be published:
-- the sha256 of its manifest.json as uploaded, and the digest of the deploy spec (hooks, health check) in it.
ALTER TABLE jobs
    ADD COLUMN manifest_sha256 CHAR(64) NULL AFTER log_key,
    ADD COLUMN deploy_digest   CHAR(64) NULL AFTER manifest_sha256;
