-- Reminders: what has been fired, so that a restart never repeats a notification, and the
-- user's reminder settings.

-- One row per episode fired: an item's episode is the moment it last became due (its due time,
-- or the end of a snooze if later), so a new touch or an expired snooze starts a new one.
CREATE TABLE fired (
    kind     TEXT NOT NULL CHECK (kind IN ('relationship', 'follow_up')),
    ref_id   INTEGER NOT NULL,
    episode  INTEGER NOT NULL,
    fired_at INTEGER NOT NULL,
    PRIMARY KEY (kind, ref_id, episode)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER fired_forget_client AFTER DELETE ON client BEGIN
    DELETE FROM fired WHERE kind = 'relationship' AND ref_id = old.id;
END;
CREATE TRIGGER fired_forget_follow_up AFTER DELETE ON follow_up BEGIN
    DELETE FROM fired WHERE kind = 'follow_up' AND ref_id = old.id;
END;

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The reminder loop asks when the next snooze ends.
CREATE INDEX client_snoozed ON client (snoozed_until)
    WHERE snoozed_until IS NOT NULL AND archived_at IS NULL;
