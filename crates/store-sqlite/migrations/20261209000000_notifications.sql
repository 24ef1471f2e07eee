-- E-mail updates to a ticket's reporter (issue 11). `subscriptions`: at most one reporter address
-- per ticket, with the random token of its unsubscribe link. `outbox`: one row per e-mail to
-- send, written in the same transaction as the change it tells of; the ticket service's sender
-- claims due rows with a lease, sends them and marks them sent.
CREATE TABLE subscriptions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id       INTEGER NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE,
    address         TEXT    NOT NULL,
    token           TEXT    NOT NULL UNIQUE,
    -- Instants are INTEGER microseconds since the Unix epoch (UTC), as everywhere.
    created_at      INTEGER NOT NULL,
    -- Set once the reporter unsubscribed: no more e-mails for the ticket.
    unsubscribed_at INTEGER
);

CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id         INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    address           TEXT    NOT NULL,
    unsubscribe_token TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('message', 'status')),
    -- The staff message's text, or the new status.
    detail            TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at   INTEGER NOT NULL,
    -- A sender holds the row until then; after it, another may claim it again.
    lease_until       INTEGER,
    sent_at           INTEGER,
    last_error        TEXT
);

-- The sender's scan: unsent rows by due time.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;
