-- Full-text search over clients (name, organisation, role, email, profile, facts, tags) and over
-- touch and note text, case- and accent-blind, with prefix indexes for search-as-you-type.
--
-- Both FTS tables use external content, so the text is stored once; triggers keep them in step
-- with every insert, edit and delete, including rows removed by ON DELETE CASCADE.

-- Facts and tags live in their own tables; a copy as plain text on the client row lets the client
-- index stay an external-content table over one row.
ALTER TABLE client ADD COLUMN facts_text TEXT NOT NULL DEFAULT '';
ALTER TABLE client ADD COLUMN tags_text TEXT NOT NULL DEFAULT '';

UPDATE client SET
    facts_text = coalesce((SELECT group_concat(label || ': ' || value, char(10))
                           FROM (SELECT label, value FROM client_fact
                                 WHERE client_id = client.id ORDER BY position)), ''),
    tags_text = coalesce((SELECT group_concat(tag, ' ') FROM client_tag
                          WHERE client_id = client.id), '');

CREATE VIRTUAL TABLE client_fts USING fts5 (
    name, organisation, role, email, profile, facts_text, tags_text,
    content = 'client', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);

CREATE VIRTUAL TABLE entry_fts USING fts5 (
    summary, body,
    content = 'entry', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);

INSERT INTO client_fts (client_fts) VALUES ('rebuild');
INSERT INTO entry_fts (entry_fts) VALUES ('rebuild');

CREATE TRIGGER client_fts_insert AFTER INSERT ON client BEGIN
    INSERT INTO client_fts (rowid, name, organisation, role, email, profile, facts_text, tags_text)
    VALUES (new.id, new.name, new.organisation, new.role, new.email, new.profile,
            new.facts_text, new.tags_text);
END;

CREATE TRIGGER client_fts_delete AFTER DELETE ON client BEGIN
    INSERT INTO client_fts (client_fts, rowid, name, organisation, role, email, profile,
                            facts_text, tags_text)
    VALUES ('delete', old.id, old.name, old.organisation, old.role, old.email, old.profile,
            old.facts_text, old.tags_text);
END;

-- Only when an indexed column changes: the clock columns move on every touch.
CREATE TRIGGER client_fts_update AFTER UPDATE OF name, organisation, role, email, profile,
                                                 facts_text, tags_text ON client BEGIN
    INSERT INTO client_fts (client_fts, rowid, name, organisation, role, email, profile,
                            facts_text, tags_text)
    VALUES ('delete', old.id, old.name, old.organisation, old.role, old.email, old.profile,
            old.facts_text, old.tags_text);
    INSERT INTO client_fts (rowid, name, organisation, role, email, profile, facts_text, tags_text)
    VALUES (new.id, new.name, new.organisation, new.role, new.email, new.profile,
            new.facts_text, new.tags_text);
END;

CREATE TRIGGER entry_fts_insert AFTER INSERT ON entry BEGIN
    INSERT INTO entry_fts (rowid, summary, body) VALUES (new.id, new.summary, new.body);
END;

CREATE TRIGGER entry_fts_delete AFTER DELETE ON entry BEGIN
    INSERT INTO entry_fts (entry_fts, rowid, summary, body)
    VALUES ('delete', old.id, old.summary, old.body);
END;

CREATE TRIGGER entry_fts_update AFTER UPDATE OF summary, body ON entry BEGIN
    INSERT INTO entry_fts (entry_fts, rowid, summary, body)
    VALUES ('delete', old.id, old.summary, old.body);
    INSERT INTO entry_fts (rowid, summary, body) VALUES (new.id, new.summary, new.body);
END;

-- Facts and tags refresh the client's text copies, which fires client_fts_update above.
CREATE TRIGGER client_fact_text_insert AFTER INSERT ON client_fact BEGIN
    UPDATE client SET facts_text = coalesce((SELECT group_concat(label || ': ' || value, char(10))
        FROM (SELECT label, value FROM client_fact WHERE client_id = new.client_id
              ORDER BY position)), '') WHERE id = new.client_id;
END;
CREATE TRIGGER client_fact_text_delete AFTER DELETE ON client_fact BEGIN
    UPDATE client SET facts_text = coalesce((SELECT group_concat(label || ': ' || value, char(10))
        FROM (SELECT label, value FROM client_fact WHERE client_id = old.client_id
              ORDER BY position)), '') WHERE id = old.client_id;
END;
CREATE TRIGGER client_tag_text_insert AFTER INSERT ON client_tag BEGIN
    UPDATE client SET tags_text = coalesce((SELECT group_concat(tag, ' ') FROM client_tag
        WHERE client_id = new.client_id), '') WHERE id = new.client_id;
END;
CREATE TRIGGER client_tag_text_delete AFTER DELETE ON client_tag BEGIN
    UPDATE client SET tags_text = coalesce((SELECT group_concat(tag, ' ') FROM client_tag
        WHERE client_id = old.client_id), '') WHERE id = old.client_id;
END;
