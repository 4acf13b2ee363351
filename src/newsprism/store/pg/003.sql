-- PostgreSQL migration 3: the outlet registry, every story id ever issued, labels set by hand
-- (the same tables as SQLite's migration 7, schema_007.sql).
CREATE TABLE outlets (
    name TEXT PRIMARY KEY,
    country TEXT,
    language TEXT,
    leaning TEXT,
    owner TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE outlet_domains (
    domain TEXT PRIMARY KEY,
    outlet TEXT NOT NULL REFERENCES outlets(name) ON DELETE CASCADE
);
CREATE INDEX outlet_domains_outlet ON outlet_domains(outlet);
CREATE TABLE story_ids (
    id TEXT PRIMARY KEY
);
INSERT INTO story_ids(id) SELECT id FROM stories;
CREATE TABLE story_labels (
    story_id TEXT PRIMARY KEY,
    label TEXT NOT NULL
);
