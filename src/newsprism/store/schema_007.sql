-- Migration 7: the outlet registry (names, the domains that belong to them, what the user says
-- of them: country, language, and an optional leaning and owner we never ship ourselves), every
-- story id ever issued (an id is never given to another story), and labels set by hand.
CREATE TABLE outlets (
    name TEXT PRIMARY KEY,
    country TEXT,
    language TEXT,
    leaning TEXT,
    owner TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
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
