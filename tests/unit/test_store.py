import sqlite3
from importlib import resources

import pytest

from newsprism import errors
from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import (
    Article,
)
from newsprism.store import SQLiteStore, open_store
from newsprism.store.sqlite import MIGRATIONS

TEXT = b"Ministers from Valdoria and Kestria met in Tarn on Tuesday to reopen border talks after years."


def _stored_article(store: SQLiteStore) -> Article:
    raw = raw_from_bytes(TEXT, source_kind="file", locator="a.txt", content_type="text/plain")
    store.put_raw(raw)
    article = extract_article(raw)
    assert isinstance(article, Article)
    store.put_article(article)
    return article


def test_migrations_are_recorded_once(tmp_path: pytest.TempPathFactory) -> None:
    path = f"{tmp_path}/n.db"
    SQLiteStore(path).close()
    again = SQLiteStore(path)
    assert again.schema_version() == MIGRATIONS[-1][0]
    rows = again._db.execute("SELECT version FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == [v for v, _ in MIGRATIONS]
    again.close()


def test_a_version_1_database_is_migrated_in_place(tmp_path: pytest.TempPathFactory) -> None:
    """A database made before migration 2 keeps its data and gains the new tables."""
    path = f"{tmp_path}/old.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT 'x');"
    )
    sql = resources.files("newsprism.store").joinpath("schema.sql").read_text("utf-8")
    db.executescript(sql)
    db.execute("INSERT INTO schema_migrations(version, name) VALUES (1, 'schema.sql')")
    db.execute("INSERT INTO runs(command) VALUES ('old')")
    db.commit()
    db.close()
    store = SQLiteStore(path)
    assert store.schema_version() == MIGRATIONS[-1][0]
    assert store.counts().runs == 1
    assert store.seen_entries("http://feed.example/rss") == set()
    store.close()


def test_a_newer_schema_is_refused_not_written(tmp_path: pytest.TempPathFactory) -> None:
    path = f"{tmp_path}/future.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_migrations(version, name) VALUES (99, 'future.sql')")
    db.commit()
    db.close()
    with pytest.raises(errors.StoreSchemaError, match="NP015"):
        SQLiteStore(path)


def test_a_locked_database_is_a_busy_store_error(tmp_path: pytest.TempPathFactory) -> None:
    path = f"{tmp_path}/locked.db"
    SQLiteStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    store = SQLiteStore(path)
    store._db.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(errors.StoreBusyError, match="NP013"):
            store.begin_run("blocked")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        store.close()


def test_a_postgres_server_that_is_not_there_is_a_clear_error() -> None:
    with pytest.raises(errors.StoreUnavailableError, match="NP012"):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
