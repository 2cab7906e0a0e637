-- The journal: clients, their touches and notes, follow-ups, stage history and introductions.
--
-- Times are INTEGER seconds since the Unix epoch, UTC: compact, and compared and indexed as numbers.
-- A touch and a note share the `entry` table (a note is kind 'note') so that a client's timeline
-- and full-text search each run off one index instead of merging two.

PRAGMA application_id = 1380012116; -- 'RAPT': lets Rapport tell its own files from other SQLite files

CREATE TABLE stage_cadence (
    stage TEXT PRIMARY KEY CHECK (stage IN ('me_too', 'foothold', 'me_first', 'only_me')),
    days  INTEGER NOT NULL CHECK (days BETWEEN 1 AND 3650)
) STRICT;

-- Foothold is the shortest: first business won is when after-sales care decides the next stage.
INSERT INTO stage_cadence (stage, days) VALUES
    ('me_too', 30), ('foothold', 14), ('me_first', 21), ('only_me', 30);

CREATE TABLE client (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    sort_name     TEXT NOT NULL,                 -- name folded for case- and accent-blind sorting
    organisation  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    profile       TEXT NOT NULL DEFAULT '',      -- free text: what they care about
    cadence_days  INTEGER CHECK (cadence_days BETWEEN 1 AND 3650), -- NULL: the stage's default
    stage         TEXT NOT NULL DEFAULT 'me_too' REFERENCES stage_cadence (stage),
    compatibility INTEGER CHECK (compatibility BETWEEN 1 AND 5),
    knowledge     INTEGER CHECK (knowledge BETWEEN 1 AND 5),
    trust         INTEGER CHECK (trust BETWEEN 1 AND 5),
    sample        INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    archived_at   INTEGER,
    snoozed_until INTEGER,
    -- Kept by the store on every write that moves them, so that "who needs me" and the client
    -- list read an index instead of aggregating a million touches.
    last_touch_at INTEGER,
    due_at        INTEGER NOT NULL
) STRICT;

CREATE INDEX client_sort_name ON client (sort_name, id);
CREATE INDEX client_last_touch ON client (last_touch_at, id);
CREATE INDEX client_organisation ON client (organisation COLLATE NOCASE);
CREATE INDEX client_due ON client (due_at) WHERE archived_at IS NULL;

CREATE TABLE client_fact (
    id        INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    label     TEXT NOT NULL,
    value     TEXT NOT NULL
) STRICT;
CREATE INDEX client_fact_client ON client_fact (client_id, position);

CREATE TABLE client_tag (
    client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (client_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX client_tag_tag ON client_tag (tag, client_id);

CREATE TABLE entry (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'email', 'message', 'event',
                                             'value_add', 'introduction', 'note')),
    at         INTEGER NOT NULL,
    summary    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    gave_value INTEGER NOT NULL DEFAULT 0 CHECK (gave_value IN (0, 1)),
    asked      INTEGER NOT NULL DEFAULT 0 CHECK (asked IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
-- The timeline pages backwards through this index by (at, id).
CREATE INDEX entry_timeline ON entry (client_id, at, id);
-- The relationship clock: the newest touch, notes left out.
CREATE INDEX entry_clock ON entry (client_id, at) WHERE kind <> 'note';

CREATE TABLE follow_up (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    touch_id      INTEGER REFERENCES entry (id) ON DELETE SET NULL,
    what          TEXT NOT NULL,
    due_at        INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    done_at       INTEGER,
    snoozed_until INTEGER
) STRICT;
CREATE INDEX follow_up_timeline ON follow_up (client_id, created_at, id);
CREATE INDEX follow_up_touch ON follow_up (touch_id) WHERE touch_id IS NOT NULL;
-- Open follow-ups by the moment they next need attention (a snooze moves it later).
CREATE INDEX follow_up_open ON follow_up (max(due_at, coalesce(snoozed_until, 0)))
    WHERE done_at IS NULL;

CREATE TABLE stage_change (
    id        INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    stage     TEXT NOT NULL REFERENCES stage_cadence (stage),
    at        INTEGER NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX stage_change_timeline ON stage_change (client_id, at, id);

CREATE TABLE introduction (
    id            INTEGER PRIMARY KEY,
    introducer_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    introduced_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    CHECK (introducer_id <> introduced_id)
) STRICT;
CREATE INDEX introduction_introducer ON introduction (introducer_id, at);
CREATE INDEX introduction_introduced ON introduction (introduced_id, at);
