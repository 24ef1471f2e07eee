-- campusdesk PostgreSQL schema, first version.
-- Instants are TIMESTAMPTZ (UTC, microsecond resolution, exactly what jiff::Timestamp keeps).
-- Ids are BIGINT identities. Enumerations are TEXT with CHECK constraints, as on SQLite.

CREATE TABLE tickets (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title               TEXT             NOT NULL,
    description         TEXT             NOT NULL,
    category            TEXT             NOT NULL CHECK (category IN ('facility', 'it', 'services')),
    category_source     TEXT             NOT NULL CHECK (category_source IN ('auto', 'staff', 'import')),
    category_confidence DOUBLE PRECISION NOT NULL CHECK (category_confidence BETWEEN 0.0 AND 1.0),
    -- Whether the classifier chose the category when the ticket entered campusdesk (created
    -- through the API, or imported without a category); kept when staff re-categorise it.
    auto_categorised    BOOLEAN          NOT NULL,
    status              TEXT             NOT NULL CHECK (status IN ('open', 'active', 'closed')),
    opened_at           TIMESTAMPTZ      NOT NULL,
    updated_at          TIMESTAMPTZ      NOT NULL,
    closed_at           TIMESTAMPTZ,
    version             BIGINT           NOT NULL DEFAULT 1 CHECK (version >= 1),
    message_count       BIGINT           NOT NULL DEFAULT 0 CHECK (message_count >= 0),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);

-- The ticket list: newest first, keyset paging on (opened_at, id).
CREATE INDEX tickets_by_opened ON tickets (opened_at DESC, id DESC);
-- The list filtered by status (the most common filter).
CREATE INDEX tickets_by_status ON tickets (status, opened_at DESC, id DESC);

CREATE TABLE messages (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   BIGINT      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_role TEXT        NOT NULL CHECK (author_role IN ('user', 'staff')),
    author_name TEXT,
    body        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX messages_by_ticket ON messages (ticket_id, created_at, id);

-- The append-only event log: who did what, when.
CREATE TABLE events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id  BIGINT      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind       TEXT        NOT NULL CHECK (kind IN ('created', 'edited', 'status_changed', 'category_changed', 'message_posted')),
    actor_role TEXT        NOT NULL CHECK (actor_role IN ('user', 'staff')),
    actor_name TEXT,
    from_value TEXT,
    to_value   TEXT,
    at         TIMESTAMPTZ NOT NULL
);

CREATE INDEX events_by_ticket ON events (ticket_id, id);

-- Staff corrections of ticket categories: the classifier's learning material. One row per staff
-- change of a ticket's category (never for an unchanged category), written in the same
-- transaction as the change, while holding the change feed lock (below), so ids are handed out
-- in commit order and a reader tailing `id > cursor` misses none. Append-only.
CREATE TABLE category_corrections (
    id            BIGINT GENERATED ALWAYS AS IDENTITY (CACHE 1) PRIMARY KEY,
    ticket_id     BIGINT      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    -- The ticket's title, a newline and its description, as they were after the correcting edit.
    text          TEXT        NOT NULL,
    from_category TEXT        NOT NULL CHECK (from_category IN ('facility', 'it', 'services')),
    to_category   TEXT        NOT NULL CHECK (to_category IN ('facility', 'it', 'services')),
    from_source   TEXT        NOT NULL CHECK (from_source IN ('auto', 'staff', 'import')),
    actor_name    TEXT,
    corrected_at  TIMESTAMPTZ NOT NULL,
    CHECK (from_category <> to_category)
);

CREATE INDEX category_corrections_by_ticket ON category_corrections (ticket_id, id);

-- The compacted change feed: one row per ticket, at the seq of its latest committed change.
-- Seqs are handed out only under the feed lock (campusdesk_lock_feed), held until commit, so seq
-- order is commit order; see the crate docs of store-postgres for the argument. CACHE 1 (the
-- default, spelled out because it matters): a session-cached block of values would let a later
-- lock holder draw a smaller seq than an earlier one.
CREATE TABLE changes (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY (CACHE 1) PRIMARY KEY,
    ticket_id BIGINT NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE
);

-- Takes the change feed lock: a transaction-scoped advisory lock, released at commit or
-- rollback. The two-key form (20261121, 1) lives in a key space apart from the single-bigint
-- locks sqlx's migrator takes.
CREATE FUNCTION campusdesk_lock_feed() RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(20261121, 1);
$$;

-- Moves the given tickets, in array order, to the end of the change feed and announces the last
-- new seq on the channel campusdesk_changes (delivered when the transaction commits). Must be
-- the last statement of a write transaction before COMMIT: it takes the feed lock, which then
-- serialises every writer's seq-and-commit step. Returns the last seq written (0 for no ids).
CREATE FUNCTION campusdesk_publish(ticket_ids BIGINT[]) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    ticket BIGINT;
    last_seq BIGINT := 0;
BEGIN
    PERFORM campusdesk_lock_feed();
    DELETE FROM changes WHERE ticket_id = ANY (ticket_ids);
    FOREACH ticket IN ARRAY ticket_ids LOOP
        INSERT INTO changes (ticket_id) VALUES (ticket) RETURNING seq INTO last_seq;
    END LOOP;
    IF last_seq > 0 THEN
        PERFORM pg_notify('campusdesk_changes', last_seq::text);
    END IF;
    RETURN last_seq;
END;
$$;
