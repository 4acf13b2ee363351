-- Migration 3: manual story corrections, kept across `newsprism regroup`.
-- kind 'together': the two articles belong to one story (a merge);
-- kind 'apart': they must not share a story (a split).
CREATE TABLE story_overrides (
    kind TEXT NOT NULL CHECK (kind IN ('together', 'apart')),
    a TEXT NOT NULL REFERENCES articles(id),
    b TEXT NOT NULL REFERENCES articles(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (kind, a, b)
) WITHOUT ROWID;
