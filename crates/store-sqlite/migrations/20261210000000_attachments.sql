-- Attachments: photos and files on tickets and messages, stored in the database itself so that
-- backups and `migrate-data` carry them with no extra step.
--
-- `blobs` holds each distinct content once, keyed by its SHA-256 (lower-case hex); an
-- attachment and its thumbnail name their blobs. Two reporters sending the same photo share
-- one blob.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    bytes  BLOB NOT NULL
);

CREATE TABLE attachments (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id        INTEGER NOT NULL REFERENCES tickets (id),
    -- NULL: attached to the ticket itself (at its report); else to this message of its thread.
    message_id       INTEGER REFERENCES messages (id),
    file_name        TEXT    NOT NULL,
    -- The type detected from the content (never the client's claim): image/png, ...
    content_type     TEXT    NOT NULL,
    size             INTEGER NOT NULL CHECK (size > 0),
    sha256           TEXT    NOT NULL REFERENCES blobs (sha256),
    -- The thumbnail's blob (a JPEG), for images; NULL for other files.
    thumbnail_sha256 TEXT    REFERENCES blobs (sha256),
    -- Instants are INTEGER microseconds since the Unix epoch (UTC), as everywhere.
    created_at       INTEGER NOT NULL
);

CREATE INDEX attachments_by_ticket ON attachments (ticket_id, id);
