-- The unsent notifications of one ticket: an undo of a closing drops the ticket's pending
-- "closed" e-mail, and unsubscribing drops all of the ticket's unsent e-mails. Both look rows
-- up by ticket among the unsent ones, which this index makes an index walk.
CREATE INDEX outbox_unsent_by_ticket ON outbox (ticket_id, kind) WHERE sent_at IS NULL;
