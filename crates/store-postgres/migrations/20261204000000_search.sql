-- Full-text search over each ticket's title, description and messages, and indexes for every
-- list filter.

-- One row per ticket holding `store::search::document` (the words of the ticket's texts, as
-- campusdesk splits them, so SQLite and PostgreSQL index the same words) as a `tsvector` of the
-- `simple` configuration (no stemming, no stop words), with a GIN index. Rewritten in the same
-- transaction as every change of those texts.
CREATE TABLE ticket_search (
    ticket_id BIGINT   PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    document  tsvector NOT NULL
);
CREATE INDEX ticket_search_by_word ON ticket_search USING GIN (document);

-- Which version of `store::search::document` the index was built with; the store rebuilds the
-- index at open when it differs (0: never built, as for tickets from before this migration).
CREATE TABLE search_index (
    version BIGINT NOT NULL
);
INSERT INTO search_index (version) VALUES (0);

-- The list filters, each with the list's order, so a filter that matches little does not scan
-- the table: category; status and category together.
CREATE INDEX tickets_by_category ON tickets (category, opened_at DESC, id DESC);
CREATE INDEX tickets_by_status_category ON tickets (status, category, opened_at DESC, id DESC);
