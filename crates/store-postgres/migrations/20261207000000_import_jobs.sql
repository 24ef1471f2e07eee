-- Import jobs: one row per CSV import, so that its progress and outcome outlive the request
-- and the replica that ran it; any replica answers for it. `done` is written in the same
-- transaction as the tickets.
CREATE TABLE import_jobs (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- `key:<Idempotency-Key>` or `sha256:<digest>`: a retry carrying it finds this job.
    -- NULL once released (a job interrupted by a restart lets a retry start anew).
    dedupe_key      TEXT        UNIQUE,
    idempotency_key TEXT,
    sha256          TEXT        NOT NULL,
    bytes           BIGINT      NOT NULL CHECK (bytes >= 0),
    actor_name      TEXT,
    state           TEXT        NOT NULL CHECK (state IN ('queued', 'validating', 'writing', 'done', 'failed')),
    total           BIGINT      CHECK (total >= 0),
    checked         BIGINT      NOT NULL DEFAULT 0 CHECK (checked >= 0),
    written         BIGINT      NOT NULL DEFAULT 0 CHECK (written >= 0),
    -- The new tickets' ids in file order, comma-separated, once done.
    ids             TEXT        NOT NULL DEFAULT '',
    error_row       BIGINT,
    error           TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- The sweep for jobs whose worker stopped reporting.
CREATE INDEX import_jobs_unfinished ON import_jobs (updated_at) WHERE state NOT IN ('done', 'failed');

-- A file sent again without a key finds the job of the same file.
CREATE INDEX import_jobs_by_sha256 ON import_jobs (sha256);
