-- Migration 5: what a list of stories shows of each (title, outlets, actors), kept per member
-- list, so the home page and /api/stories read one row a story instead of every analysis.
CREATE TABLE story_digests (
    story_id TEXT PRIMARY KEY,
    members TEXT NOT NULL,
    record TEXT NOT NULL
);
