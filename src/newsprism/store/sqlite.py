"""The embedded store: one SQLite file (WAL), migrations recorded in the database, FTS5 search.

The queries live in `sql.SQLStore`; this module connects, migrates, runs transactions
(BEGIN IMMEDIATE, savepoints when nested) and indexes text with FTS5. Every insert is
idempotent (content-hash ids).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsprism.errors import (
    StoreBusyError,
    StoreError,
    StoreIntegrityError,
    StoreUnavailableError,
)
from newsprism.models import Article
from newsprism.store.reads import HIT_END, HIT_START, SearchHit
from newsprism.store.sql import SQLStore, _json, pending_migrations
from newsprism.store.translate import translate_errors

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, "schema.sql"),
    (2, "schema_002.sql"),
    (3, "schema_003.sql"),
    (4, "schema_004.sql"),
    (5, "schema_005.sql"),
    (6, "schema_006.sql"),
    (7, "schema_007.sql"),
    (8, "schema_008.sql"),
    (10, "schema_010.sql"),
)


def sqlite_error(exc: Exception) -> StoreError | None:
    """The coded StoreError for a sqlite3 error (None: not the driver's)."""
    if not isinstance(exc, sqlite3.Error):
        return None
    text = f"SQLite: {exc}"
    if isinstance(exc, sqlite3.IntegrityError):
        return StoreIntegrityError(text)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
        return StoreBusyError(f"{text} (another process holds the write lock; try again)")
    if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc):
        return StoreUnavailableError(text)
    return StoreError(text)


@translate_errors(sqlite_error, skip=frozenset({"transaction"}))
class SQLiteStore(SQLStore):
    """`Store` on SQLite. `SQLiteStore(":memory:")` for tests and one-shot `analyze` calls."""

    def __init__(self, path: str | Path = "newsprism.db", *, any_thread: bool = False) -> None:
        """`any_thread`: the connection may be used from another thread than the one that made
        it (one user at a time), as a web request's dependency and its handler do."""
        self.path = str(path)
        self._depth = 0
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, isolation_level=None, timeout=30, check_same_thread=not any_thread
            )
            self._db.row_factory = sqlite3.Row
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailableError(f"cannot open the database {self.path}: {exc}") from exc

    # -- plumbing ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL "
            "DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        done = {row[0] for row in self._db.execute("SELECT version FROM schema_migrations")}
        for version, name, sql in pending_migrations(done, MIGRATIONS, self.path):
            with self.transaction():
                for statement in sql.split(";\n"):
                    if statement.strip():
                        self._db.execute(statement)
                self._after_migration(name)
                self._db.execute(
                    "INSERT INTO schema_migrations(version, name) VALUES (?, ?)", (version, name)
                )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all; nests (inner ones are savepoints).

        The outermost takes SQLite's write lock at once (BEGIN IMMEDIATE), so what a caller
        reads inside it cannot change under it before it commits.
        """
        try:
            with self._transaction():
                yield
        except sqlite3.Error as exc:
            raise (sqlite_error(exc) or StoreError(str(exc))) from exc

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._depth:
            name = f"sp{self._depth}"
            self._db.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._db.execute(f"ROLLBACK TO {name}")
                self._db.execute(f"RELEASE {name}")
                raise
            else:
                self._db.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self) -> None:
        self._db.close()

    # -- dialect hooks -----------------------------------------------------------------------
    def _x(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._db.execute(sql, params)

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._db.executemany(sql, rows)

    def _insert_article(self, article: Article) -> bool:
        cur = self._db.execute(
            "INSERT INTO articles(id, raw_id, outlet, title, published, language, extractor, record)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                article.id,
                article.raw_id,
                article.outlet,
                article.title,
                article.published.isoformat() if article.published else None,
                article.language,
                article.extractor,
                _json(article),
            ),
        )
        if cur.rowcount <= 0:
            return False
        self._db.execute(
            "INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
            (cur.lastrowid, article.title or "", article.text),
        )
        return True

    def _search(self, words: list[str], limit: int) -> list[str]:
        phrase = " ".join(f'"{word}"' for word in words)  # each word quoted: no FTS5 syntax
        rows = self._db.execute(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (phrase, limit),
        ).fetchall()
        return [r[0] for r in rows]

    # -- list-page hooks (see SQLStore.find_stories / search_hits) ----------------------------
    def _text_match(self, words: list[str]) -> tuple[str, str]:
        phrase = " ".join(f'"{word}"' for word in words)  # each word quoted: no FTS5 syntax
        return "a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", phrase

    def _digest_names(self, key: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM story_digests d, json_each(d.record, '$.{key}') j "
            "WHERE d.story_id = s.id AND lower(json_extract(j.value, '$[0]')) = lower(?))"
        )

    def _snippets(self, words: list[str], limit: int, offset: int) -> list[SearchHit]:
        phrase = " ".join(f'"{word}"' for word in words)
        rows = self._db.execute(
            "SELECT a.id, snippet(articles_fts, 1, ?, ?, '…', 24) FROM articles_fts f "
            "JOIN articles a ON a.rowid = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
            (HIT_START, HIT_END, phrase, limit, offset),
        ).fetchall()
        return [SearchHit(article_id=r[0], snippet=r[1] or "") for r in rows]
