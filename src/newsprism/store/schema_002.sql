-- Migration 2: near-duplicate signatures (MinHash bands) and feed polling state.
CREATE TABLE article_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    signature BLOB NOT NULL
);
CREATE TABLE article_bands (
    band_key TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;
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
    seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (feed_url, entry_id)
) WITHOUT ROWID;
