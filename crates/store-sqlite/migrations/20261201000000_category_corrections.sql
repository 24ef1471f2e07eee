-- Staff corrections of ticket categories: the classifier's learning material.
-- All instants are INTEGER microseconds since the Unix epoch (UTC).

-- Whether the classifier chose the ticket's category when it entered campusdesk (created
-- through the API, or imported without a category). Kept when staff later re-categorise it, so
-- the accuracy of automatic categories can be measured. Tickets from before this migration:
-- those whose category is still the classifier's (`auto`); for tickets staff had already
-- re-categorised the origin is not known, and they are not counted.
ALTER TABLE tickets ADD COLUMN auto_categorised INTEGER NOT NULL DEFAULT 0 CHECK (auto_categorised IN (0, 1));
UPDATE tickets SET auto_categorised = 1 WHERE category_source = 'auto';

-- One row per staff change of a ticket's category (never for an unchanged category), written
-- in the same transaction as the change. Append-only.
CREATE TABLE category_corrections (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    -- The ticket's title, a newline and its description, as they were after the correcting edit.
    text          TEXT    NOT NULL,
    from_category TEXT    NOT NULL CHECK (from_category IN ('facility', 'it', 'services')),
    to_category   TEXT    NOT NULL CHECK (to_category IN ('facility', 'it', 'services')),
    from_source   TEXT    NOT NULL CHECK (from_source IN ('auto', 'staff', 'import')),
    actor_name    TEXT,
    corrected_at  INTEGER NOT NULL,
    CHECK (from_category <> to_category)
);

CREATE INDEX category_corrections_by_ticket ON category_corrections (ticket_id, id);
