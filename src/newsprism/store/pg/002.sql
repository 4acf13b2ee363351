-- PostgreSQL migration 2: flat views over the JSONB records, so datasette-style tools, DuckDB
-- and pandas read the store without JSON operators. The same columns and rows as SQLite's
-- migration 6 (schema_006.sql; a contract test compares them).
CREATE VIEW articles_v AS
SELECT a.id AS id, sa.story_id AS story_id, a.outlet AS outlet, a.title AS title,
       a.record->>'url' AS url, a.published AS published,
       a.record->>'published_source' AS published_source,
       a.language AS language, a.record->>'locator' AS locator,
       a.record->'duplicate'->>'original_id' AS duplicate_of,
       a.extractor AS extractor, a.record->>'text' AS text
FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id;
CREATE VIEW quotes_v AS
SELECT n.article_id AS article_id, sa.story_id AS story_id, a.outlet AS outlet,
       a.published AS published, (q.ord - 1)::integer AS quote_index,
       q.value->>'kind' AS kind, q.value->>'text' AS text,
       q.value->'speaker'->>'name' AS speaker,
       q.value->'speaker'->>'actor_id' AS speaker_actor_id,
       q.value->'speaker'->>'resolution' AS speaker_resolution,
       q.value->>'cue' AS cue, q.value->>'venue' AS venue,
       q.value->>'time' AS time, (q.value->>'sentence')::integer AS sentence,
       (q.value->'span'->>'start')::integer AS span_start,
       (q.value->'span'->>'end')::integer AS span_end
FROM analyses n JOIN articles a ON a.id = n.article_id
CROSS JOIN LATERAL jsonb_array_elements(n.record->'quotes') WITH ORDINALITY AS q(value, ord)
LEFT JOIN story_articles sa ON sa.article_id = n.article_id;
CREATE VIEW events_v AS
SELECT n.article_id AS article_id, sa.story_id AS story_id, a.outlet AS outlet,
       a.published AS published, (e.ord - 1)::integer AS event_index,
       e.value->>'actor' AS actor, e.value->>'action' AS action,
       e.value->>'target' AS target, e.value->>'level' AS level,
       e.value->>'modality' AS modality, e.value->>'date' AS date,
       e.value->>'text' AS text, (e.value->>'sentence')::integer AS sentence,
       (e.value->'span'->>'start')::integer AS span_start,
       (e.value->'span'->>'end')::integer AS span_end
FROM analyses n JOIN articles a ON a.id = n.article_id
CROSS JOIN LATERAL jsonb_array_elements(n.record->'events') WITH ORDINALITY AS e(value, ord)
LEFT JOIN story_articles sa ON sa.article_id = n.article_id;
CREATE VIEW mentions_v AS
SELECT n.article_id AS article_id, sa.story_id AS story_id, a.outlet AS outlet,
       a.published AS published, (m.ord - 1)::integer AS mention_index,
       m.value->>'text' AS text, m.value->>'actor_id' AS actor_id,
       m.value->>'actor_name' AS actor_name, m.value->>'kind' AS kind,
       m.value->>'role' AS role,
       (m.value->'span'->>'start')::integer AS span_start,
       (m.value->'span'->>'end')::integer AS span_end
FROM analyses n JOIN articles a ON a.id = n.article_id
CROSS JOIN LATERAL jsonb_array_elements(n.record->'mentions') WITH ORDINALITY AS m(value, ord)
LEFT JOIN story_articles sa ON sa.article_id = n.article_id;
CREATE VIEW stories_v AS
SELECT s.id AS id, s.label AS label, s.first_date AS first_date, s.last_date AS last_date,
       s.method AS method,
       (SELECT COUNT(*) FROM story_articles x WHERE x.story_id = s.id)::integer AS article_count
FROM stories s;
