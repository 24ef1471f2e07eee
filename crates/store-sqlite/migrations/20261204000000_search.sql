-- Full-text search over each ticket's title, description and messages, and indexes for every
-- list filter.

-- One row per ticket (rowid = ticket id) holding `store::search::document`: the words of the
-- ticket's texts, as campusdesk splits them, so SQLite and PostgreSQL index the same words.
-- Contentless (the text lives in `tickets` and `messages`), with deletes allowed (SQLite
-- 3.43+), and rewritten in the same transaction as every change of those texts. The tokenizer
-- keeps letters, digits and combining marks in words, as campusdesk does.
CREATE VIRTUAL TABLE ticket_search USING fts5(
    document,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0 categories ''L* N* Co M*'''
);

-- Which version of `store::search::document` the index was built with; the store rebuilds the
-- index at open when it differs (0: never built, as for tickets from before this migration).
CREATE TABLE search_index (
    version INTEGER NOT NULL
);
INSERT INTO search_index (version) VALUES (0);

-- The list filters, each with the list's order, so a filter that matches little does not scan
-- the table: category; status and category together.
CREATE INDEX tickets_by_category ON tickets (category, opened_at DESC, id DESC);
CREATE INDEX tickets_by_status_category ON tickets (status, category, opened_at DESC, id DESC);
