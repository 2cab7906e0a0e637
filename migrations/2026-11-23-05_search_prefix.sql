-- Four-letter prefixes get an index of their own in touch and note search.
--
-- Search matches the word being typed as a prefix. Without an index for its length, FTS5 merges
-- the entries of every word that starts with it before it can return the newest: typing "with"
-- in a journal of a million touches merged "with", "within", "without" ... over a third of all
-- entries, about 20 ms on each key. With a 4-letter prefix index it is one lookup, under a
-- millisecond; longer words are served well by their own terms.
--
-- The index is rebuilt from the entries: about a minute for a million touches, a second or two
-- for a journal of ordinary size, once. The triggers of 2026-11-23-02 name the table and go on
-- working with the new one.
--
-- FTS5 keeps its index as segments and merges them as it goes: by default a save that crosses a
-- threshold does the merging, which on a large journal made about one save in fifty take 50 to
-- 80 ms instead of one. Automatic merging is turned off here; `Journal::tidy` does the
-- same work in small steps, and the app calls it in the background. If it never runs, FTS5's
-- own safety net (a forced merge once a level holds 16 segments) still keeps the index sound.
DROP TABLE entry_fts;

CREATE VIRTUAL TABLE entry_fts USING fts5 (
    summary, body,
    content = 'entry', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4'
);

INSERT INTO entry_fts (entry_fts) VALUES ('rebuild');
INSERT INTO entry_fts (entry_fts, rank) VALUES ('automerge', 0);
