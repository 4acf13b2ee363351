"""The embedded store: one SQLite file (WAL), migrations recorded in the database, FTS5 search.

Only this package writes the database. Every insert is idempotent (content-hash ids), and each
record is written in its own transaction, so a crash mid-run loses at most the record in flight
and a re-run resumes without duplicates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from newsprism.errors import NotFoundError, StoreError
from newsprism.models import (
    Article,
    ArticleAnalysis,
    Brief,
    FeedState,
    RawDocument,
    Rejection,
    SourceHints,
    Story,
    StoryDigest,
)
from newsprism.serde import load, to_data

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, "schema.sql"),
    (2, "schema_002.sql"),
    (3, "schema_003.sql"),
    (4, "schema_004.sql"),
    (5, "schema_005.sql"),
)


def _json(obj: Any) -> str:
    return json.dumps(to_data(obj), ensure_ascii=False, separators=(",", ":"))


class SQLiteStore:
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
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc

    # -- plumbing ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL "
            "DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        done = {row[0] for row in self._db.execute("SELECT version FROM schema_migrations")}
        for version, name in MIGRATIONS:
            if version in done:
                continue
            sql = resources.files("newsprism.store").joinpath(name).read_text("utf-8")
            with self.transaction():
                for statement in sql.split(";\n"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(
                    "INSERT INTO schema_migrations(version, name) VALUES (?, ?)", (version, name)
                )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all; nests (inner ones are savepoints).

        The outermost takes SQLite's write lock at once (BEGIN IMMEDIATE), so what a caller
        reads inside it cannot change under it before it commits.
        """
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

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        row = self._db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- raw documents ---------------------------------------------------------------------
    def put_raw(self, raw: RawDocument) -> bool:
        """Store raw bytes; True if they were new."""
        with self.transaction():
            cur = self._db.execute(
                "INSERT OR IGNORE INTO raw_documents(id, source_kind, locator, fetched_at, content_type, hints, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    raw.id,
                    raw.source_kind,
                    raw.locator,
                    raw.fetched_at.isoformat(),
                    raw.content_type,
                    _json(raw.hints),
                    raw.data,
                ),
            )
        return cur.rowcount > 0

    def get_raw(self, raw_id: str) -> RawDocument | None:
        row = self._db.execute("SELECT * FROM raw_documents WHERE id = ?", (raw_id,)).fetchone()
        if row is None:
            return None
        return RawDocument(
            id=row["id"],
            source_kind=row["source_kind"],
            locator=row["locator"],
            fetched_at=dt.datetime.fromisoformat(row["fetched_at"]),
            content_type=row["content_type"],
            data=bytes(row["data"]),
            hints=load(SourceHints, json.loads(row["hints"])),
        )

    def count(self, table: str) -> int:
        if table not in {
            "raw_documents",
            "articles",
            "analyses",
            "rejections",
            "stories",
            "briefs",
            "runs",
        }:
            raise ValueError(table)
        return int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    # -- articles ------------------------------------------------------------------------------
    def put_article(self, article: Article) -> bool:
        with self.transaction():
            cur = self._db.execute(
                "INSERT OR IGNORE INTO articles(id, raw_id, outlet, title, published, language, extractor, record)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
            if cur.rowcount > 0:
                self._db.execute(
                    "INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
                    (cur.lastrowid, article.title or "", article.text),
                )
        return cur.rowcount > 0

    def get_article(self, article_id: str) -> Article | None:
        row = self._db.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else load(Article, json.loads(row[0]))

    def article(self, article_id: str) -> Article:
        found = self.get_article(article_id)
        if found is None:
            raise NotFoundError(f"no article with id '{article_id}'")
        return found

    def article_ids(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT id FROM articles ORDER BY rowid")]

    def resolve_id(self, prefix: str) -> tuple[str, str]:
        """('story' | 'article', full id) for an id or unique id prefix."""
        like = prefix.replace("%", "").replace("_", "") + "%"
        hits = [
            ("story", r[0])
            for r in self._db.execute("SELECT id FROM stories WHERE id LIKE ?", (like,))
        ]
        hits += [
            ("article", r[0])
            for r in self._db.execute("SELECT id FROM articles WHERE id LIKE ?", (like,))
        ]
        if not hits:
            raise NotFoundError(f"no story or article with id '{prefix}'")
        if len(hits) > 1:
            raise NotFoundError(f"'{prefix}' matches {len(hits)} ids; give more characters")
        return hits[0]

    def search(self, query: str, *, limit: int = 20) -> list[str]:
        """Article ids matching a full-text query, best first."""
        # Words only, each quoted: FTS5 syntax, quotes and control characters in user input
        # must not reach MATCH (found by the schema property test).
        phrase = " ".join(f'"{word}"' for word in re.findall(r"\w+", query))
        if not phrase:
            return []
        try:
            rows = self._db.execute(
                "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
                "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (phrase, limit),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search failed: {exc}") from exc
        return [r[0] for r in rows]

    # -- analyses and features --------------------------------------------------------------
    def put_analysis(self, analysis: ArticleAnalysis) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO analyses(article_id, annotator, record) VALUES (?, ?, ?)",
                (analysis.article.id, analysis.annotator, _json(analysis)),
            )

    def get_analysis(self, article_id: str) -> ArticleAnalysis | None:
        row = self._db.execute(
            "SELECT record FROM analyses WHERE article_id = ?", (article_id,)
        ).fetchone()
        return None if row is None else load(ArticleAnalysis, json.loads(row[0]))

    def analysed_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT article_id FROM analyses")}

    def put_features(
        self, article_id: str, published: str | None, features: dict[str, Any]
    ) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO article_features(article_id, published, record) VALUES (?, ?, ?)",
                (article_id, published, json.dumps(features, ensure_ascii=False)),
            )

    def get_features(self, article_ids: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for chunk_start in range(0, len(article_ids), 500):
            chunk = article_ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT article_id, record FROM article_features WHERE article_id IN ({marks})",
                chunk,
            ):
                out[row[0]] = json.loads(row[1])
        return out

    # -- rejections ------------------------------------------------------------------------------
    def put_rejection(self, rejection: Rejection, *, run_id: int | None = None) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO rejections(run_id, raw_id, locator, stage, code, reason)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    rejection.raw_id or "",
                    rejection.locator,
                    rejection.stage,
                    rejection.code,
                    rejection.reason,
                ),
            )

    def rejections(self, *, limit: int = 1000) -> list[Rejection]:
        rows = self._db.execute(
            "SELECT raw_id, locator, stage, code, reason FROM rejections ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            Rejection(
                stage=r["stage"],
                code=r["code"],
                reason=r["reason"],
                locator=r["locator"],
                raw_id=r["raw_id"] or None,
            )
            for r in rows
        ]

    # -- stories and briefs -------------------------------------------------------------------
    def put_story(self, story: Story) -> None:
        self._write_story(story, list(enumerate(story.article_ids)))

    def add_to_story(self, story: Story, article_id: str) -> None:
        """Record one more member of `story` (its row updated, earlier members not rewritten)."""
        self._write_story(story, [(story.article_ids.index(article_id), article_id)])

    def _write_story(self, story: Story, members: list[tuple[int, str]]) -> None:
        """Upsert the story row (an empty label or method keeps the stored one) and `members`."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO stories(id, label, first_date, last_date, method) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET "
                "label=CASE WHEN excluded.label = '' THEN label ELSE excluded.label END, "
                "method=CASE WHEN excluded.method = '' THEN method ELSE excluded.method END, "
                "first_date=excluded.first_date, last_date=excluded.last_date, "
                "updated_at=strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                (
                    story.id,
                    story.label,
                    story.first_date.isoformat() if story.first_date else None,
                    story.last_date.isoformat() if story.last_date else None,
                    story.method,
                ),
            )
            self._db.executemany(
                "INSERT INTO story_articles(story_id, article_id, position) VALUES (?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET story_id=excluded.story_id, position=excluded.position",
                [(story.id, article_id, position) for position, article_id in members],
            )

    def delete_story(self, story_id: str) -> None:
        """Remove a story that has lost all its articles (and its cached brief)."""
        with self.transaction():
            self._db.execute("DELETE FROM briefs WHERE story_id = ?", (story_id,))
            self._db.execute("DELETE FROM story_digests WHERE story_id = ?", (story_id,))
            self._db.execute("DELETE FROM story_articles WHERE story_id = ?", (story_id,))
            self._db.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def clear_stories(self) -> None:
        """Forget every story (before a regroup); articles, analyses and overrides stay."""
        with self.transaction():
            self._db.execute("DELETE FROM briefs")
            self._db.execute("DELETE FROM story_digests")
            self._db.execute("DELETE FROM story_articles")
            self._db.execute("DELETE FROM stories")

    def put_override(self, kind: str, a: str, b: str) -> None:
        """Record a manual correction between two articles ('together' or 'apart')."""
        first, second = sorted((a, b))
        with self.transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO story_overrides(kind, a, b) VALUES (?, ?, ?)",
                (kind, first, second),
            )
            other = "apart" if kind == "together" else "together"
            self._db.execute(
                "DELETE FROM story_overrides WHERE kind = ? AND a = ? AND b = ?",
                (other, first, second),
            )

    def overrides(self) -> list[tuple[str, str, str]]:
        rows = self._db.execute("SELECT kind, a, b FROM story_overrides ORDER BY created_at, a, b")
        return [(r[0], r[1], r[2]) for r in rows]

    def _story_from_row(self, row: sqlite3.Row) -> Story:
        members = tuple(
            r[0]
            for r in self._db.execute(
                "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY position",
                (row["id"],),
            )
        )
        return Story(
            id=row["id"],
            article_ids=members,
            label=row["label"],
            first_date=dt.date.fromisoformat(row["first_date"]) if row["first_date"] else None,
            last_date=dt.date.fromisoformat(row["last_date"]) if row["last_date"] else None,
            method=row["method"],
        )

    def get_story(self, story_id: str) -> Story | None:
        row = self._db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None else self._story_from_row(row)

    def story(self, story_id: str) -> Story:
        found = self.get_story(story_id)
        if found is None:
            raise NotFoundError(f"no story with id '{story_id}'")
        return found

    def stories(
        self, *, since: str | None = None, limit: int | None = 1000, offset: int = 0
    ) -> list[Story]:
        """Stories newest first (by last date, then id); `offset` skips that many."""
        cap = -1 if limit is None else limit  # SQLite: a negative LIMIT means no limit
        if since:
            rows = self._db.execute(
                "SELECT * FROM stories WHERE last_date >= ? OR last_date IS NULL "
                "ORDER BY last_date DESC, id LIMIT ? OFFSET ?",
                (since, cap, offset),
            ).fetchall()
        else:
            rows = self._db.execute(
                "SELECT * FROM stories ORDER BY last_date DESC, id LIMIT ? OFFSET ?",
                (cap, offset),
            ).fetchall()
        return [self._story_from_row(r) for r in rows]

    def get_digest(self, story_id: str, members: str) -> StoryDigest | None:
        """The stored digest of a story if it was made from exactly these members."""
        row = self._db.execute(
            "SELECT record FROM story_digests WHERE story_id = ? AND members = ?",
            (story_id, members),
        ).fetchone()
        return None if row is None else load(StoryDigest, json.loads(row[0]))

    def put_digest(self, digest: StoryDigest) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO story_digests(story_id, members, record) VALUES (?, ?, ?)",
                (digest.story_id, digest.members, _json(digest)),
            )

    def story_sizes(self, *, since: str | None = None) -> dict[str, int]:
        """Story id -> member count, for the stories last dated on or after `since` (all)."""
        query = (
            "SELECT s.id, COUNT(a.article_id) FROM stories s "
            "LEFT JOIN story_articles a ON a.story_id = s.id "
        )
        if since:
            query += "WHERE s.last_date >= ? OR s.last_date IS NULL GROUP BY s.id"
            rows = self._db.execute(query, (since,)).fetchall()
        else:
            rows = self._db.execute(query + "GROUP BY s.id").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def story_of(self, article_id: str) -> str | None:
        row = self._db.execute(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def put_brief(self, brief: Brief, members: tuple[str, ...]) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO briefs(story_id, members, generator, record) VALUES (?, ?, ?, ?)",
                (brief.story_id, ",".join(members), brief.generator, _json(brief)),
            )

    def get_brief(self, story_id: str, members: tuple[str, ...] | None = None) -> Brief | None:
        row = self._db.execute(
            "SELECT members, record FROM briefs WHERE story_id = ?", (story_id,)
        ).fetchone()
        if row is None or (members is not None and row[0] != ",".join(members)):
            return None
        return load(Brief, json.loads(row[1]))

    # -- runs ----------------------------------------------------------------------------------------
    # -- near-duplicates --------------------------------------------------------------------
    def put_signature(self, article_id: str, signature: bytes, bands: list[str]) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO article_signatures(article_id, signature) VALUES (?, ?)",
                (article_id, signature),
            )
            self._db.executemany(
                "INSERT OR IGNORE INTO article_bands(band_key, article_id) VALUES (?, ?)",
                [(band, article_id) for band in bands],
            )

    def signatures_sharing(self, bands: list[str], *, exclude: str = "") -> dict[str, bytes]:
        """Signatures of the articles that share at least one band key (LSH candidates)."""
        if not bands:
            return {}
        marks = ",".join("?" * len(bands))
        rows = self._db.execute(
            "SELECT s.article_id, s.signature FROM article_signatures s WHERE s.article_id IN "
            f"(SELECT article_id FROM article_bands WHERE band_key IN ({marks})) "
            "AND s.article_id != ? ORDER BY s.rowid",
            (*bands, exclude),
        )
        return {row[0]: bytes(row[1]) for row in rows}

    # -- feeds ----------------------------------------------------------------------------
    def feed_state(self, url: str) -> FeedState | None:
        row = self._db.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            return None
        return FeedState(
            url=row["url"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            last_polled=dt.datetime.fromisoformat(row["last_polled"])
            if row["last_polled"]
            else None,
            last_error=row["last_error"],
            polls=row["polls"],
        )

    def put_feed_state(self, state: FeedState) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO feeds(url, etag, last_modified, last_polled, last_error, polls)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, last_polled = excluded.last_polled,"
                " last_error = excluded.last_error, polls = excluded.polls",
                (
                    state.url,
                    state.etag,
                    state.last_modified,
                    state.last_polled.isoformat() if state.last_polled else None,
                    state.last_error,
                    state.polls,
                ),
            )

    def seen_entries(self, feed_url: str) -> set[str]:
        rows = self._db.execute("SELECT entry_id FROM feed_entries WHERE feed_url = ?", (feed_url,))
        return {row[0] for row in rows}

    def mark_entry_seen(self, feed_url: str, entry_id: str) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO feed_entries(feed_url, entry_id) VALUES (?, ?)",
                (feed_url, entry_id),
            )

    def begin_run(self, command: str) -> int:
        with self.transaction():
            cur = self._db.execute("INSERT INTO runs(command) VALUES (?)", (command,))
        return int(cur.lastrowid or 0)

    def end_run(self, run_id: int, *, accepted: int, rejected: int) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), accepted = ?, rejected = ? "
                "WHERE id = ?",
                (accepted, rejected, run_id),
            )
