-- newsprism SQLite schema, migration 1. Records are stored as JSON beside the columns we
-- query on; ids are content hashes, so every insert is idempotent.
CREATE TABLE raw_documents (
    id TEXT PRIMARY KEY,
    source_kind TEXT NOT NULL,
    locator TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    content_type TEXT,
    hints TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    raw_id TEXT NOT NULL REFERENCES raw_documents(id),
    outlet TEXT,
    title TEXT,
    published TEXT,
    language TEXT,
    extractor TEXT NOT NULL,
    record TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX articles_published ON articles(published);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='', tokenize='unicode61');
CREATE TABLE analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    annotator TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE TABLE article_features (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    published TEXT,
    record TEXT NOT NULL
);
CREATE TABLE rejections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER,
    raw_id TEXT NOT NULL DEFAULT '',  -- '' when the input never became a raw document
    locator TEXT NOT NULL,
    stage TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (raw_id, stage, code, locator)
);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    method TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
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
    record TEXT NOT NULL
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    finished_at TEXT,
    command TEXT NOT NULL,
    accepted INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
);
