-- How many tickets each status and category holds, kept by triggers in the same transaction as
-- every insert, status or category change and delete of a ticket, whichever code path writes
-- it: the ticket list's total is read from here instead of counting a million rows.
CREATE TABLE ticket_counts (
    status   TEXT    NOT NULL,
    category TEXT    NOT NULL,
    tickets  INTEGER NOT NULL,
    PRIMARY KEY (status, category)
) WITHOUT ROWID;

INSERT INTO ticket_counts (status, category, tickets)
SELECT status, category, COUNT(*) FROM tickets GROUP BY status, category;

CREATE TRIGGER ticket_counts_after_insert AFTER INSERT ON tickets
BEGIN
    INSERT INTO ticket_counts (status, category, tickets) VALUES (NEW.status, NEW.category, 1)
    ON CONFLICT (status, category) DO UPDATE SET tickets = tickets + 1;
END;

CREATE TRIGGER ticket_counts_after_update AFTER UPDATE OF status, category ON tickets
WHEN OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category
BEGIN
    UPDATE ticket_counts SET tickets = tickets - 1 WHERE status = OLD.status AND category = OLD.category;
    INSERT INTO ticket_counts (status, category, tickets) VALUES (NEW.status, NEW.category, 1)
    ON CONFLICT (status, category) DO UPDATE SET tickets = tickets + 1;
END;

CREATE TRIGGER ticket_counts_after_delete AFTER DELETE ON tickets
BEGIN
    UPDATE ticket_counts SET tickets = tickets - 1 WHERE status = OLD.status AND category = OLD.category;
END;
