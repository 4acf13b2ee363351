-- Migration 6: flat views over the JSON records, so datasette, DuckDB and pandas read the store
-- without JSON functions. One row per article, quote, event, mention and story; the same
-- columns and rows as PostgreSQL's views (pg/002.sql; a contract test compares them).
CREATE VIEW articles_v AS
SELECT a.id AS id, sa.story_id AS story_id, a.outlet AS outlet, a.title AS title,
       json_extract(a.record, '$.url') AS url, a.published AS published,
       json_extract(a.record, '$.published_source') AS published_source,
       a.language AS language, json_extract(a.record, '$.locator') AS locator,
       json_extract(a.record, '$.duplicate.original_id') AS duplicate_of,
       a.extractor AS extractor, json_extract(a.record, '$.text') AS text
FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id;
CREATE VIEW quotes_v AS
SELECT n.article_id AS article_id, sa.story_id AS story_id, a.outlet AS outlet,
       a.published AS published, q.key AS quote_index,
       json_extract(q.value, '$.kind') AS kind, json_extract(q.value, '$.text') AS text,
       json_extract(q.value, '$.speaker.name') AS speaker,
       json_extract(q.value, '$.speaker.actor_id') AS speaker_actor_id,
       json_extract(q.value, '$.speaker.resolution') AS speaker_resolution,
       json_extract(q.value, '$.cue') AS cue, json_extract(q.value, '$.venue') AS venue,
       json_extract(q.value, '$.time') AS time, json_extract(q.value, '$.sentence') AS sentence,
       json_extract(q.value, '$.span.start') AS span_start,
       json_extract(q.value, '$.span.end') AS span_end
FROM analyses n JOIN articles a ON a.id = n.article_id
JOIN json_each(n.record, '$.quotes') q
LEFT JOIN story_articles sa ON sa.article_id = n.article_id;
CREATE VIEW events_v AS
SELECT n.article_id AS article_id, sa.story_id AS story_id, a.outlet AS outlet,
       a.published AS published, e.key AS event_index,
       json_extract(e.value, '$.actor') AS actor, json_extract(e.value, '$.action') AS action,
       json_extract(e.value, '$.target') AS target, json_extract(e.value, '$.level') AS level,
       json_extract(e.value, '$.modality') AS modality, json_extract(e.value, '$.date') AS date,
       json_extract(e.value, '$.text') AS text, json_extract(e.value, '$.sentence') AS sentence,
       json_extract(e.value, '$.span.start') AS span_start,
       json_extract(e.value, '$.span.end') AS span_end
FROM analyses n JOIN articles a ON a.id = n.article_id
JOIN json_each(n.record, '$.events') e
LEFT JOIN story_articles sa ON sa.article_id = n.article_id;
CREATE VIEW mentions_v AS
SELECT n.article_id AS article_id, sa.story_id AS story_id, a.outlet AS outlet,
       a.published AS published, m.key AS mention_index,
       json_extract(m.value, '$.text') AS text,
       json_extract(m.value, '$.actor_id') AS actor_id,
       json_extract(m.value, '$.actor_name') AS actor_name,
       json_extract(m.value, '$.kind') AS kind, json_extract(m.value, '$.role') AS role,
       json_extract(m.value, '$.span.start') AS span_start,
       json_extract(m.value, '$.span.end') AS span_end
FROM analyses n JOIN articles a ON a.id = n.article_id
JOIN json_each(n.record, '$.mentions') m
LEFT JOIN story_articles sa ON sa.article_id = n.article_id;
CREATE VIEW stories_v AS
SELECT s.id AS id, s.label AS label, s.first_date AS first_date, s.last_date AS last_date,
       s.method AS method,
       (SELECT COUNT(*) FROM story_articles x WHERE x.story_id = s.id) AS article_count
FROM stories s
