-- E-mail updates to a ticket's reporter (issue 11). `subscriptions`: at most one reporter address
-- per ticket, with the random token of its unsubscribe link. `outbox`: one row per e-mail to
-- send, written in the same transaction as the change it tells of; the ticket service's senders
-- (one per replica) claim due rows with FOR UPDATE SKIP LOCKED and a lease, send them and mark
-- them sent.
CREATE TABLE subscriptions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id       BIGINT      NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE,
    address         TEXT        NOT NULL,
    token           TEXT        NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL,
    -- Set once the reporter unsubscribed: no more e-mails for the ticket.
    unsubscribed_at TIMESTAMPTZ
);

CREATE TABLE outbox (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id         BIGINT      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    address           TEXT        NOT NULL,
    unsubscribe_token TEXT        NOT NULL,
    kind              TEXT        NOT NULL CHECK (kind IN ('message', 'status')),
    -- The staff message's text, or the new status.
    detail            TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    attempts          BIGINT      NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at   TIMESTAMPTZ NOT NULL,
    -- A sender holds the row until then; after it, another may claim it again.
    lease_until       TIMESTAMPTZ,
    sent_at           TIMESTAMPTZ,
    last_error        TEXT
);

-- The senders' scan: unsent rows by due time.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;
