-- Browser sessions of the HTTP API (the dashboard's login): one row per session, keyed by the SHA-256 of the secret
-- its cookie carries, so that reading this table lets nobody take a session over. A session acts as the token it
-- was opened with, as long as the server still has that token (token_hash): removing or rotating the token ends it.
-- Rows live until expires_at (database clock); logout deletes its row, a login deletes expired ones.
CREATE TABLE api_sessions (
    id_hash     CHAR(64)    NOT NULL,
    token_name  VARCHAR(64) NOT NULL,
    token_hash  CHAR(71)    NOT NULL,
    created_at  DATETIME(6) NOT NULL DEFAULT NOW(6),
    expires_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (id_hash),
    KEY api_sessions_expires (expires_at)
);
