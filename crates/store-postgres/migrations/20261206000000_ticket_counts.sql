-- How many tickets each status and category holds, kept by triggers in the same transaction as
-- every insert, status or category change and delete of a ticket, whichever code path writes
-- it: the ticket list's total is read from here instead of counting a million rows.
CREATE TABLE ticket_counts (
    status   TEXT   NOT NULL,
    category TEXT   NOT NULL,
    tickets  BIGINT NOT NULL,
    PRIMARY KEY (status, category)
);

INSERT INTO ticket_counts (status, category, tickets)
SELECT status, category, COUNT(*) FROM tickets GROUP BY status, category;

-- Statement-level, over the statement's transition tables: one upsert per statement (an import
-- of 20,000 rows touches at most nine counters once), and the counter rows are locked in
-- (status, category) order, so two writers never wait for each other in a cycle.
CREATE FUNCTION campusdesk_count_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ticket_counts (status, category, tickets)
        SELECT status, category, COUNT(*) FROM new_rows GROUP BY status, category ORDER BY status, category
        ON CONFLICT (status, category) DO UPDATE SET tickets = ticket_counts.tickets + EXCLUDED.tickets;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO ticket_counts (status, category, tickets)
        SELECT status, category, -COUNT(*) FROM old_rows GROUP BY status, category ORDER BY status, category
        ON CONFLICT (status, category) DO UPDATE SET tickets = ticket_counts.tickets + EXCLUDED.tickets;
    ELSE
        INSERT INTO ticket_counts (status, category, tickets)
        SELECT status, category, SUM(delta) FROM (
            SELECT n.status, n.category, 1 AS delta FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (o.status, o.category) IS DISTINCT FROM (n.status, n.category)
            UNION ALL
            SELECT o.status, o.category, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (o.status, o.category) IS DISTINCT FROM (n.status, n.category)
        ) AS moved
        GROUP BY status, category HAVING SUM(delta) <> 0 ORDER BY status, category
        ON CONFLICT (status, category) DO UPDATE SET tickets = ticket_counts.tickets + EXCLUDED.tickets;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER ticket_counts_after_insert AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION campusdesk_count_tickets();
CREATE TRIGGER ticket_counts_after_update AFTER UPDATE ON tickets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION campusdesk_count_tickets();
CREATE TRIGGER ticket_counts_after_delete AFTER DELETE ON tickets
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION campusdesk_count_tickets();
