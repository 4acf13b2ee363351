"""SQLite migration 10: a database made before it keeps finding its articles, now with snippets."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import Article
from newsprism.serde import to_data
from newsprism.store import HIT_END, HIT_START, SQLiteStore
from newsprism.store.sqlite import MIGRATIONS

TEXT = b"Ministers from Valdoria and Kestria met in Tarn on Tuesday to reopen border talks after years."


def test_a_version_6_database_keeps_its_index_and_gains_snippets(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT 'x')"
    )
    files = resources.files("newsprism.store")
    for version, name in MIGRATIONS:
        if version > 6:
            break
        db.executescript(files.joinpath(name).read_text("utf-8"))
        db.execute("INSERT INTO schema_migrations(version, name) VALUES (?, ?)", (version, name))
    # an article indexed the way migrations 1-6 did: a contentless FTS5 row
    raw = raw_from_bytes(TEXT, source_kind="file", locator="a.txt", content_type="text/plain")
    article = extract_article(raw)
    assert isinstance(article, Article)
    db.execute(
        "INSERT INTO raw_documents(id, source_kind, locator, fetched_at, content_type, hints, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (raw.id, raw.source_kind, raw.locator, raw.fetched_at.isoformat(), raw.content_type,
         json.dumps(to_data(raw.hints)), raw.data),
    )  # fmt: skip
    cur = db.execute(
        "INSERT INTO articles(id, raw_id, outlet, title, published, language, extractor, record)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (article.id, raw.id, article.outlet, article.title, None, article.language,
         article.extractor, json.dumps(to_data(article))),
    )  # fmt: skip
    db.execute(
        "INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
        (cur.lastrowid, article.title or "", article.text),
    )
    db.commit()
    db.close()

    store = SQLiteStore(path)
    try:
        assert store.schema_version() == MIGRATIONS[-1][0]
        assert store.search("kestria border") == [article.id]
        (hit,) = store.search_hits("kestria")
        assert hit.article_id == article.id and f"{HIT_START}Kestria{HIT_END}" in hit.snippet
    finally:
        store.close()
