-- campusdesk SQLite schema, first version.
-- All instants are INTEGER microseconds since the Unix epoch (UTC).

CREATE TABLE tickets (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    title               TEXT    NOT NULL,
    description         TEXT    NOT NULL,
    category            TEXT    NOT NULL CHECK (category IN ('facility', 'it', 'services')),
    category_source     TEXT    NOT NULL CHECK (category_source IN ('auto', 'staff', 'import')),
    category_confidence REAL    NOT NULL CHECK (category_confidence BETWEEN 0.0 AND 1.0),
    status              TEXT    NOT NULL CHECK (status IN ('open', 'active', 'closed')),
    opened_at           INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    closed_at           INTEGER,
    version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    message_count       INTEGER NOT NULL DEFAULT 0 CHECK (message_count >= 0),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);

-- The ticket list: newest first, keyset paging on (opened_at, id).
CREATE INDEX tickets_by_opened ON tickets (opened_at DESC, id DESC);
-- The list filtered by status (the most common filter).
CREATE INDEX tickets_by_status ON tickets (status, opened_at DESC, id DESC);

CREATE TABLE messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_role TEXT    NOT NULL CHECK (author_role IN ('user', 'staff')),
    author_name TEXT,
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE INDEX messages_by_ticket ON messages (ticket_id, created_at, id);

-- The append-only event log: who did what, when.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('created', 'edited', 'status_changed', 'category_changed', 'message_posted')),
    actor_role TEXT    NOT NULL CHECK (actor_role IN ('user', 'staff')),
    actor_name TEXT,
    from_value TEXT,
    to_value   TEXT,
    at         INTEGER NOT NULL
);

CREATE INDEX events_by_ticket ON events (ticket_id, id);

-- The compacted change feed: one row per ticket, at the seq of its latest committed change.
-- Every write to a ticket deletes its row and inserts a new one in the same transaction;
-- AUTOINCREMENT guarantees a seq is never reused, so seqs only grow.
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE
);
