-- PostgreSQL migration 4 (the same as SQLite migration 8): an indexed actor table, so actor pages
-- and lists read the articles that name an actor instead of scanning every analysis. One row per
-- (actor name as written, article): how often the article names the actor, quotes it and has it
-- act or be acted on. Written with each analysis (in its transaction); rows for analyses stored
-- before this migration are filled in right after it (SQLStore._after_migration).
CREATE TABLE actor_articles (
    actor_key  TEXT NOT NULL,
    article_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT,
    published  TEXT,
    mentions   INTEGER NOT NULL DEFAULT 0,
    quotes     INTEGER NOT NULL DEFAULT 0,
    events     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, name)
);
CREATE INDEX actor_articles_order ON actor_articles(actor_key, published, article_id)
