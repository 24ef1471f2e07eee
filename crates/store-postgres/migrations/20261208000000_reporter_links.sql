-- The reporter's private link: one random, unguessable token per ticket (issue 11). Whoever
-- holds it sees the ticket, its thread and its outcome (closed too) and may reply, without a
-- login. A separate table, so no ticket read (list, page, change feed) can carry the token by
-- accident. Tickets reported before this migration have none.
CREATE TABLE reporter_links (
    ticket_id BIGINT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    -- 128 bits from the operating system's random source, base64url without padding (22 characters).
    token     TEXT   NOT NULL UNIQUE
);
