-- PostgreSQL schema, version 1: the same records as SQLite's migrations 1-5.
-- Records are JSONB (queryable with ->>), texts are indexed with a tsvector and GIN.
CREATE TABLE raw_documents (
    id TEXT PRIMARY KEY,
    source_kind TEXT NOT NULL,
    locator TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    content_type TEXT,
    hints JSONB NOT NULL,
    data BYTEA NOT NULL
);
CREATE TABLE articles (
    seq BIGSERIAL UNIQUE,
    id TEXT PRIMARY KEY,
    raw_id TEXT NOT NULL REFERENCES raw_documents(id),
    outlet TEXT,
    title TEXT,
    published TEXT,
    language TEXT,
    extractor TEXT NOT NULL,
    record JSONB NOT NULL,
    tsv TSVECTOR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_tsv ON articles USING GIN (tsv);
CREATE TABLE analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    annotator TEXT NOT NULL,
    record JSONB NOT NULL
);
CREATE TABLE article_features (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    published TEXT,
    record JSONB NOT NULL
);
CREATE TABLE rejections (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT,
    raw_id TEXT NOT NULL DEFAULT '',
    locator TEXT NOT NULL,
    stage TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (raw_id, stage, code, locator)
);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    method TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX stories_last_date ON stories(last_date);
CREATE TABLE story_articles (
    story_id TEXT NOT NULL REFERENCES stories(id),
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (story_id, article_id)
);
CREATE TABLE briefs (
    story_id TEXT PRIMARY KEY REFERENCES stories(id),
    members TEXT NOT NULL,
    generator TEXT NOT NULL,
    record JSONB NOT NULL
);
CREATE TABLE story_digests (
    story_id TEXT PRIMARY KEY,
    members TEXT NOT NULL,
    record JSONB NOT NULL
);
CREATE TABLE runs (
    id BIGSERIAL PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    command TEXT NOT NULL,
    accepted INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE article_signatures (
    seq BIGSERIAL UNIQUE,
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    signature BYTEA NOT NULL
);
CREATE TABLE article_bands (
    band_key TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (band_key, article_id)
);
CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_polled TEXT,
    last_error TEXT,
    polls INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE feed_entries (
    feed_url TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_url, entry_id)
);
CREATE TABLE story_overrides (
    kind TEXT NOT NULL CHECK (kind IN ('together', 'apart')),
    a TEXT NOT NULL REFERENCES articles(id),
    b TEXT NOT NULL REFERENCES articles(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (kind, a, b)
);
