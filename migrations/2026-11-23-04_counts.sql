-- Counting who needs you from indexes alone. The Today view counts every overdue relationship and
-- every due follow-up. With the earlier partial indexes each item counted cost a read of its
-- table row (SQLite reads a column a partial index's WHERE tests from the row), which on a
-- journal of 10,000 clients was most of the view's time. Each index below holds every column its
-- count reads.
--
-- Whole-table indexes led by the column the partial ones tested: `archived_at IS NULL` (or
-- `done_at IS NULL`) is then an equality on the index's first column, so the rows come in due
-- order with the id breaking ties, as the lists ask, and archived clients and done follow-ups
-- sit apart at the other end of the index.
DROP INDEX client_due;
CREATE INDEX client_due ON client (archived_at, due_at);

DROP INDEX follow_up_open;
CREATE INDEX follow_up_open ON follow_up (done_at, max(due_at, coalesce(snoozed_until, 0)));

-- Due follow-ups of archived clients are counted apart and taken away: archived clients are few,
-- and each one's open follow-ups are found by client.
CREATE INDEX follow_up_open_client
    ON follow_up (client_id, max(due_at, coalesce(snoozed_until, 0)), done_at)
    WHERE done_at IS NULL;
