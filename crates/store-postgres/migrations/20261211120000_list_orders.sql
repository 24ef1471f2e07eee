-- The ticket list in every order (issue 12): last modified, status and category, each way,
-- alone or with the status and category filters. Each order sorts by its key, then opened_at,
-- then id, all in one direction, and pages by comparing that row value with the cursor's, so
-- an index on (filters..., key, opened_at, id) makes every page an index walk, read forwards
-- or backwards. Newest-opened-first keeps its indexes from the earlier migrations (uniform
-- after their filter columns).
CREATE INDEX tickets_by_updated ON tickets (updated_at, opened_at, id);
CREATE INDEX tickets_by_status_updated ON tickets (status, updated_at, opened_at, id);
CREATE INDEX tickets_by_category_updated ON tickets (category, updated_at, opened_at, id);
CREATE INDEX tickets_by_status_category_updated ON tickets (status, category, updated_at, opened_at, id);
-- By status (and by status with a status filter).
CREATE INDEX tickets_in_status_order ON tickets (status, opened_at, id);
-- By status with a category filter.
CREATE INDEX tickets_by_category_in_status_order ON tickets (category, status, opened_at, id);
-- By category (and by category with a category filter).
CREATE INDEX tickets_in_category_order ON tickets (category, opened_at, id);
-- By category with a status filter, and by status with both filters.
CREATE INDEX tickets_by_status_in_category_order ON tickets (status, category, opened_at, id);
