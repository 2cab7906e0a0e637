-- A client's facts and tags are copied into the client row (facts_text, tags_text, which the
-- client search index reads) by the code that writes them, once per write, instead of by a
-- trigger on every fact and tag row.
--
-- With the triggers, each fact or tag written re-indexed the client: a LinkedIn connection with
-- its two facts (URL, Connected On) was indexed three times on import, and editing a profile of
-- ten facts deleted and re-added the index entry twenty times. Importing 30,000 connections took
-- 4.0 s, most of it there. Every write of facts and tags goes through `update_client_tx`,
-- `insert_client_tx` or the JSON import, which now set both copies in the same statement as the
-- client row; a client's deletion takes their facts and tags with it, and nothing else is left
-- to keep in step. (IF EXISTS: a journal turned back into an older version from a current one, as
-- the upgrade test makes, never had them.)
DROP TRIGGER IF EXISTS client_fact_text_insert;
DROP TRIGGER IF EXISTS client_fact_text_delete;
DROP TRIGGER IF EXISTS client_tag_text_insert;
DROP TRIGGER IF EXISTS client_tag_text_delete;
