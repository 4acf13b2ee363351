"""The shared store: PostgreSQL through psycopg 3, one connection pool per server URL.

`open_store("postgresql://user@host/db")` gives a `PostgresStore`. The queries are the same as
SQLite's (`sql.SQLStore`); what differs lives here:
- records are JSONB, article text is indexed as a `tsvector` ('simple' configuration: no
  language's stemming, so every language is searched alike) under a GIN index;
- a connection is borrowed from a pool kept per URL for the process (`serve` opens a store per
  request; the pool makes that cheap) and given back on `close()`;
- the outermost transaction takes a transaction-level advisory lock, as SQLite's
  BEGIN IMMEDIATE takes the write lock: writers are serialised, so a story assignment reads
  and writes without another process assigning in between; readers are never blocked;
- nested transactions are psycopg savepoints.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
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
    (1, "pg/schema.sql"),
    (2, "pg/002.sql"),
    (3, "pg/003.sql"),
    (4, "pg/004.sql"),
)
_WRITE_LOCK = 0x6E70_7273  # the advisory lock key every writer takes ("nprs")
_POOLS: dict[str, Any] = {}
_POOLS_LOCK = threading.Lock()


def postgres_error(exc: Exception) -> StoreError | None:
    """The coded StoreError for a psycopg error (None: not the driver's)."""
    import psycopg
    from psycopg import errors as pg

    if not isinstance(exc, psycopg.Error):
        try:
            from psycopg_pool import PoolTimeout
        except ImportError:  # pragma: no cover - psycopg_pool is a dependency
            return None
        if isinstance(exc, PoolTimeout):
            return StoreBusyError(f"PostgreSQL: no free connection in the pool ({exc})")
        return None
    text = f"PostgreSQL: {' '.join(str(exc).split())}"
    if isinstance(exc, pg.LockNotAvailable | pg.SerializationFailure | pg.DeadlockDetected):
        return StoreBusyError(f"{text} (try again)")
    if isinstance(exc, psycopg.IntegrityError):
        return StoreIntegrityError(text)
    if isinstance(exc, psycopg.OperationalError):
        return StoreUnavailableError(text)
    return StoreError(text)


class _Row(tuple[Any, ...]):
    """A result row readable by position and by column name, like sqlite3.Row."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], _Row]:
    description = cursor.description or ()
    names = {column.name: i for i, column in enumerate(description)}

    def make(values: Sequence[Any]) -> _Row:
        row = _Row(values)
        row.names = names
        return row

    return make


def _pool(url: str) -> Any:
    import psycopg
    from psycopg_pool import ConnectionPool

    with _POOLS_LOCK:
        pool = _POOLS.get(url)
        if pool is None:
            # One direct connection first: a server that is not there fails now, with its
            # reason, instead of after the pool's timeout.
            psycopg.connect(url, connect_timeout=10).close()
            pool = ConnectionPool(
                url,
                min_size=1,
                max_size=16,
                timeout=30,
                kwargs={"autocommit": True, "row_factory": _row_factory},
                open=True,
                name="newsprism",
            )
            _POOLS[url] = pool
        return pool


def close_pools() -> None:
    """Close every pool this process opened (tests; a long-lived process need not)."""
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.close()
        _POOLS.clear()


@translate_errors(postgres_error, skip=frozenset({"transaction"}))
class PostgresStore(SQLStore):
    """`Store` on PostgreSQL (see the module docstring)."""

    ROWID = "seq"
    NO_LIMIT = None

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = url  # what messages show, as for SQLite
        try:
            self._pool = _pool(url)
            self._conn = self._pool.getconn()
        except Exception as exc:
            translated = postgres_error(exc)
            if translated is None:
                raise
            raise StoreUnavailableError(
                f"cannot open the PostgreSQL store {_safe(url)}: {translated.message}"
            ) from exc
        try:
            self._migrate()
        except Exception:
            self.close()
            raise

    def _migrate(self) -> None:
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            done = {r[0] for r in self._conn.execute("SELECT version FROM schema_migrations")}
            for version, name, sql in pending_migrations(done, MIGRATIONS, _safe(self.url)):
                self._conn.execute(sql)
                self._after_migration(name)
                self._conn.execute(
                    "INSERT INTO schema_migrations(version, name) VALUES (%s, %s)",
                    (version, name),
                )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all; nests (as savepoints)."""
        try:
            outermost = not self._conn.info.transaction_status  # IDLE == 0
            with self._conn.transaction():
                if outermost:
                    self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                yield
        except StoreError:
            raise
        except Exception as exc:
            translated = postgres_error(exc)
            if translated is None:
                raise
            raise translated from exc

    def close(self) -> None:
        conn, self._conn = getattr(self, "_conn", None), None
        if conn is not None:
            self._pool.putconn(conn)

    # -- dialect hooks -----------------------------------------------------------------------
    def _x(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(sql.replace("?", "%s"), params)

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(sql.replace("?", "%s"), list(rows))

    def _insert_article(self, article: Article) -> bool:
        cur = self._conn.execute(
            "INSERT INTO articles(id, raw_id, outlet, title, published, language, extractor, "
            "record, tsv) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, "
            "to_tsvector('simple', %s)) ON CONFLICT DO NOTHING",
            (
                article.id,
                article.raw_id,
                article.outlet,
                article.title,
                article.published.isoformat() if article.published else None,
                article.language,
                article.extractor,
                _json(article),
                f"{article.title or ''}\n{article.text}",
            ),
        )
        return bool(cur.rowcount > 0)

    def _search(self, words: list[str], limit: int) -> list[str]:
        rows = self._conn.execute(
            "SELECT id FROM articles, plainto_tsquery('simple', %s) AS q WHERE tsv @@ q "
            "ORDER BY ts_rank(tsv, q) DESC, seq LIMIT %s",
            (" ".join(words), limit),
        ).fetchall()
        return [r[0] for r in rows]

    # -- list-page hooks (see SQLStore.find_stories / search_hits) ----------------------------
    def _text_match(self, words: list[str]) -> tuple[str, str]:
        return "a.tsv @@ plainto_tsquery('simple', ?)", " ".join(words)

    def _digest_names(self, key: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM story_digests d, jsonb_array_elements(d.record->'{key}') j "
            "WHERE d.story_id = s.id AND lower(j->>0) = lower(?))"
        )

    def _snippets(self, words: list[str], limit: int, offset: int) -> list[SearchHit]:
        options = (
            f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=28, MinWords=12, "
            'MaxFragments=1, FragmentDelimiter=" … "'
        )
        rows = self._conn.execute(
            "SELECT id, ts_headline('simple', record->>'text', q, %s) FROM articles, "
            "plainto_tsquery('simple', %s) AS q WHERE tsv @@ q "
            "ORDER BY ts_rank(tsv, q) DESC, seq LIMIT %s OFFSET %s",
            (options, " ".join(words), limit, offset),
        ).fetchall()
        return [SearchHit(article_id=r[0], snippet=r[1] or "") for r in rows]


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))
