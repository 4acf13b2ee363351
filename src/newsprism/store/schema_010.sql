-- Migration 10: search snippets. FTS5's snippet() needs the indexed text, which the contentless
-- index (content='') of migration 1 does not keep; the index now reads it from the articles
-- rows (an external-content table over a view), so the text is stored once, as before.
CREATE VIEW articles_fts_source AS
SELECT rowid AS rid, COALESCE(title, '') AS title, json_extract(record, '$.text') AS text
FROM articles;
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles_fts_source', content_rowid='rid', tokenize='unicode61'
);
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')
