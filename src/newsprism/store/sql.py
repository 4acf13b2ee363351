"""The SQL both stores share: one body of queries, with a few hooks per dialect.

SQLite and PostgreSQL agree on upserts (`INSERT … ON CONFLICT`), `RETURNING`, `NULLS LAST`
and `LIKE`, so the queries are written once with `?` placeholders; a backend supplies how to
run a statement (`_x`, `_many`), transactions, full-text indexing and search, the name of its
insertion-order column (`ROWID`), what "no limit" is (`NO_LIMIT`), and how a JSON column
comes back (`_json_in`). Records are serialised by `serde` in both.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from importlib import resources
from typing import Any, Literal, Self

from newsprism.errors import NotFoundError, StoreSchemaError
from newsprism.models import (
    ActorSummary,
    Article,
    ArticleAnalysis,
    Brief,
    Features,
    FeedState,
    IdKind,
    Outlet,
    Override,
    OverrideKind,
    RawDocument,
    Rejection,
    SourceHints,
    StoreCounts,
    Story,
    StoryDigest,
)
from newsprism.outlets import domain_candidates, host_of
from newsprism.serde import load, to_data
from newsprism.store.reads import (
    ArticleFilter,
    ArticlePage,
    DayCount,
    SearchHit,
    StoryFilter,
    StoryPage,
)

FlatView = Literal["articles_v", "quotes_v", "events_v", "mentions_v", "stories_v"]
# Each flat view (migration 6 on SQLite, 2 on PostgreSQL) and the columns its rows are ordered by.
VIEWS: dict[str, str] = {
    "articles_v": "id",
    "quotes_v": "article_id, quote_index",
    "events_v": "article_id, event_index",
    "mentions_v": "article_id, mention_index",
    "stories_v": "id",
}
# The migrations that create the actor table (SQLite, PostgreSQL): rows for the analyses stored
# before them are written right after them.
ACTOR_TABLE_MIGRATIONS = frozenset({"schema_008.sql", "pg/004.sql"})
COUNTED = ("raw_documents", "articles", "analyses", "rejections", "stories", "briefs", "runs")


def actor_rows(analysis: ArticleAnalysis) -> list[tuple[Any, ...]]:
    """The actor table's rows for one analysis: (key, article id, name, kind, published,
    mentions, quotes, events), one per actor the article names, quotes or shows acting."""
    counts: dict[str, list[Any]] = {}  # by name as written; looked up by its casefolded key

    def row(name: str) -> list[Any]:
        return counts.setdefault(name, [None, 0, 0, 0])

    for m in analysis.mentions:
        entry = row(m.actor_name)
        entry[0] = entry[0] or m.kind
        entry[1] += 1
    for q in analysis.quotes:
        if q.speaker is not None:
            row(q.speaker.name)[2] += 1
    for e in analysis.events:
        for name in {e.actor, e.target or ""} - {""}:
            row(name)[3] += 1
    article = analysis.article
    published = article.published.isoformat() if article.published else None
    return [
        (name.casefold(), article.id, name, kind, published, mentions, quotes, events)
        for name, (kind, mentions, quotes, events) in sorted(counts.items())
    ]


def _json(obj: Any) -> str:
    return json.dumps(to_data(obj), ensure_ascii=False, separators=(",", ":"))


def pending_migrations(
    done: set[int], migrations: Sequence[tuple[int, str]], where: str
) -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of the migrations not yet applied, oldest first.

    A store whose schema is newer than this code knows is refused, never written.
    """
    newest = max(v for v, _ in migrations)
    if done and max(done) > newest:
        raise StoreSchemaError(
            f"{where} has schema version {max(done)}, newer than this newsprism knows "
            f"({newest}); upgrade newsprism"
        )
    files = resources.files("newsprism.store")
    return [
        (version, name, files.joinpath(name).read_text("utf-8"))
        for version, name in migrations
        if version not in done
    ]


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SQLStore:
    """The `Store` queries over a dialect's hooks (see the module docstring)."""

    ROWID = "rowid"
    NO_LIMIT: int | None = -1

    # -- hooks ----------------------------------------------------------------------------
    def _x(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _insert_article(self, article: Article) -> bool:
        """Insert the article row and index its text (inside a transaction); True if new."""
        raise NotImplementedError

    def _search(self, words: list[str], limit: int) -> list[str]:
        raise NotImplementedError

    def _json_in(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str | bytes) else value

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        row = self._x("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def counts(self) -> StoreCounts:
        """How many of each record the store holds."""
        query = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in COUNTED)
        values = [int(v) for v in self._x(query).fetchone()]
        return StoreCounts(**dict(zip(COUNTED, values, strict=True)))

    # -- raw documents ---------------------------------------------------------------------
    def put_raw(self, raw: RawDocument) -> bool:
        """Store raw bytes; True if they were new."""
        with self.transaction():
            cur = self._x(
                "INSERT INTO raw_documents(id, source_kind, locator, fetched_at, content_type, hints, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
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
        return bool(cur.rowcount > 0)

    def get_raw(self, raw_id: str) -> RawDocument | None:
        row = self._x("SELECT * FROM raw_documents WHERE id = ?", (raw_id,)).fetchone()
        if row is None:
            return None
        return RawDocument(
            id=row["id"],
            source_kind=row["source_kind"],
            locator=row["locator"],
            fetched_at=dt.datetime.fromisoformat(row["fetched_at"]),
            content_type=row["content_type"],
            data=bytes(row["data"]),
            hints=load(SourceHints, self._json_in(row["hints"])),
        )

    # -- articles ------------------------------------------------------------------------------
    def put_article(self, article: Article) -> bool:
        with self.transaction():
            return self._insert_article(article)

    def put_articles(self, articles: Sequence[Article]) -> int:
        """Store many articles in one transaction; how many were new."""
        with self.transaction():
            return sum(self.put_article(a) for a in articles)

    def get_article(self, article_id: str) -> Article | None:
        row = self._x("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else load(Article, self._json_in(row[0]))

    def article(self, article_id: str) -> Article:
        found = self.get_article(article_id)
        if found is None:
            raise NotFoundError(f"no article with id '{article_id}'")
        return found

    def article_ids(self) -> list[str]:
        return [r[0] for r in self._x(f"SELECT id FROM articles ORDER BY {self.ROWID}")]

    def resolve_id(self, prefix: str) -> tuple[IdKind, str]:
        """('story' | 'article', full id) for an id or unique id prefix."""
        like = prefix.replace("%", "").replace("_", "") + "%"
        hits: list[tuple[IdKind, str]] = [
            ("story", r[0]) for r in self._x("SELECT id FROM stories WHERE id LIKE ?", (like,))
        ]
        hits += [
            ("article", r[0]) for r in self._x("SELECT id FROM articles WHERE id LIKE ?", (like,))
        ]
        if not hits:
            raise NotFoundError(f"no story or article with id '{prefix}'")
        if len(hits) > 1:
            raise NotFoundError(f"'{prefix}' matches {len(hits)} ids; give more characters")
        return hits[0]

    def search(self, query: str, *, limit: int = 20) -> list[str]:
        """Article ids matching every word of a full-text query, best first."""
        # Words only: search syntax, quotes and control characters in user input must not
        # reach the engine (found by the schema property test).
        words = re.findall(r"\w+", query)
        return self._search(words, limit) if words else []

    def _page(
        self,
        select: str,
        *,
        after: str,
        limit: int,
        since: dt.date | None,
        until: dt.date | None,
        story_id: str | None,
    ) -> list[Any]:
        """Rows of `select` (over articles `a`) with an id after `after`, in id order: a
        keyset page, so a caller walks the whole store holding one page at a time."""
        query, params = select, list[Any]()
        if story_id is not None:
            query += " JOIN story_articles sa ON sa.article_id = a.id AND sa.story_id = ?"
            params.append(story_id)
        query += " WHERE a.id > ?"
        params.append(after)
        if since is not None:
            query += " AND a.published >= ?"
            params.append(since.isoformat())
        if until is not None:  # the day after: a published value with a time still counts
            query += " AND a.published < ?"
            params.append((until + dt.timedelta(days=1)).isoformat())
        query += " ORDER BY a.id LIMIT ?"
        params.append(limit)
        return list(self._x(query, params).fetchall())

    def article_page(
        self,
        *,
        after: str = "",
        limit: int = 200,
        since: dt.date | None = None,
        until: dt.date | None = None,
        story_id: str | None = None,
    ) -> list[Article]:
        """Up to `limit` articles whose id sorts after `after`, in id order; `since`/`until`
        keep those published in that range (inclusive; undated ones drop out), `story_id`
        the members of one story. Pass the last id back as `after` for the next page."""
        rows = self._page(
            "SELECT a.record FROM articles a",
            after=after, limit=limit, since=since, until=until, story_id=story_id,
        )  # fmt: skip
        return [load(Article, self._json_in(r[0])) for r in rows]

    def analysis_page(
        self,
        *,
        after: str = "",
        limit: int = 200,
        since: dt.date | None = None,
        until: dt.date | None = None,
        story_id: str | None = None,
    ) -> list[ArticleAnalysis]:
        """As `article_page`, for the stored analyses (articles without one are skipped)."""
        rows = self._page(
            "SELECT n.record FROM articles a JOIN analyses n ON n.article_id = a.id",
            after=after, limit=limit, since=since, until=until, story_id=story_id,
        )  # fmt: skip
        return [load(ArticleAnalysis, self._json_in(r[0])) for r in rows]

    def view_rows(
        self, view: FlatView, *, limit: int | None = 1000, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Rows of one flat SQL view (column name -> text, integer or None), in key order."""
        if view not in VIEWS:
            raise ValueError(f"no view named {view!r}; one of {', '.join(VIEWS)}")
        cap = self.NO_LIMIT if limit is None else limit
        cur = self._x(
            f"SELECT * FROM {view} ORDER BY {VIEWS[view]} LIMIT ? OFFSET ?", (cap, offset)
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    # -- analyses and features --------------------------------------------------------------
    def put_analysis(self, analysis: ArticleAnalysis) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO analyses(article_id, annotator, record) VALUES (?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET annotator = excluded.annotator, "
                "record = excluded.record",
                (analysis.article.id, analysis.annotator, _json(analysis)),
            )
            self._put_actor_rows(analysis)

    # -- the actor table (migration 8 / PostgreSQL 4) ---------------------------------------
    def _put_actor_rows(self, analysis: ArticleAnalysis) -> None:
        """Replace the article's rows in the actor table (inside the analysis's transaction)."""
        self._x("DELETE FROM actor_articles WHERE article_id = ?", (analysis.article.id,))
        self._many(
            "INSERT INTO actor_articles(actor_key, article_id, name, kind, published, mentions, "
            "quotes, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            actor_rows(analysis),
        )

    def _after_migration(self, name: str) -> None:
        """Work a migration needs done in Python, in its transaction."""
        if name in ACTOR_TABLE_MIGRATIONS:
            after = ""
            while True:
                rows = self._x(
                    "SELECT article_id, record FROM analyses WHERE article_id > ? "
                    "ORDER BY article_id LIMIT 500",
                    (after,),
                ).fetchall()
                if not rows:
                    return
                for _, record in rows:
                    self._put_actor_rows(load(ArticleAnalysis, self._json_in(record)))
                after = rows[-1][0]

    def actors(
        self, *, query: str | None = None, limit: int | None = 50, offset: int = 0
    ) -> tuple[list[ActorSummary], int]:
        """Actors named in the store, most mentioned first (ties by name), with the total;
        `query` keeps those whose name contains it (case-insensitive)."""
        where, params = "", []
        if query:
            where = "WHERE actor_key LIKE ? ESCAPE '\\'"
            escaped = query.casefold().replace("\\", "\\\\").replace("%", "\\%")
            params.append("%" + escaped.replace("_", "\\_") + "%")
        grouped = (  # by name as written ("NEW YORK" and "New York" are listed apart)
            "SELECT name, MIN(kind) AS kind, SUM(mentions) AS mentions, "
            "SUM(CASE WHEN mentions > 0 THEN 1 ELSE 0 END) AS articles FROM actor_articles "
            f"{where} GROUP BY name HAVING SUM(mentions) > 0"
        )
        total = int(self._x(f"SELECT COUNT(*) FROM ({grouped}) g", params).fetchone()[0])
        rows = self._x(
            f"{grouped} ORDER BY mentions DESC, name LIMIT ? OFFSET ?",
            [*params, self.NO_LIMIT if limit is None else limit, offset],
        ).fetchall()
        items = [
            ActorSummary(name=r[0], kind=r[1], mentions=int(r[2]), articles=int(r[3])) for r in rows
        ]
        return items, total

    def actor_article_ids(self, name: str) -> list[str]:
        """The articles that name, quote or show acting the actor called `name` (compared
        case-insensitively), oldest first (undated last, ties by id)."""
        rows = self._x(
            "SELECT article_id, published FROM actor_articles WHERE actor_key = ? "
            "GROUP BY article_id, published ORDER BY published IS NULL, published, article_id",
            (name.casefold(),),
        ).fetchall()
        return [r[0] for r in rows]

    def get_analysis(self, article_id: str) -> ArticleAnalysis | None:
        row = self._x("SELECT record FROM analyses WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else load(ArticleAnalysis, self._json_in(row[0]))

    def unfinished_ids(self) -> list[str]:
        """Articles a crashed run left half done: stored but not analysed (and not rejected
        at annotate), or analysed but in no story; oldest first."""
        rows = self._x(
            "SELECT a.id FROM articles a WHERE "
            "(NOT EXISTS (SELECT 1 FROM analyses n WHERE n.article_id = a.id) AND NOT EXISTS "
            "(SELECT 1 FROM rejections r WHERE r.raw_id = a.raw_id AND r.stage = 'annotate')) "
            "OR (EXISTS (SELECT 1 FROM analyses n WHERE n.article_id = a.id) AND NOT EXISTS "
            "(SELECT 1 FROM story_articles s WHERE s.article_id = a.id)) "
            f"ORDER BY a.{self.ROWID}"
        ).fetchall()
        return [r[0] for r in rows]

    def analysed_ids(self) -> set[str]:
        return {r[0] for r in self._x("SELECT article_id FROM analyses")}

    def put_features(self, features: Features) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO article_features(article_id, published, record) VALUES (?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET published = excluded.published, "
                "record = excluded.record",
                (
                    features.article_id,
                    features.date.isoformat() if features.date else None,
                    json.dumps(features.to_data(), ensure_ascii=False),
                ),
            )

    def put_analyses(self, items: Sequence[tuple[ArticleAnalysis, Features]]) -> None:
        """Store analyses with their grouping features, all in one transaction."""
        with self.transaction():
            for analysis, features in items:
                self.put_analysis(analysis)
                self.put_features(features)

    def get_features(self, article_ids: Sequence[str]) -> dict[str, Features]:
        out: dict[str, Features] = {}
        ids = list(article_ids)
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._x(
                f"SELECT article_id, record FROM article_features WHERE article_id IN ({marks})",
                chunk,
            ):
                out[row[0]] = Features.from_data(self._json_in(row[1]))
        return out

    # -- rejections ------------------------------------------------------------------------------
    def put_rejection(self, rejection: Rejection, *, run_id: int | None = None) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO rejections(run_id, raw_id, locator, stage, code, reason)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
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
        rows = self._x(
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
            self._x(
                "INSERT INTO stories(id, label, first_date, last_date, method, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "label=CASE WHEN excluded.label = '' THEN stories.label ELSE excluded.label END, "
                "method=CASE WHEN excluded.method = '' THEN stories.method ELSE excluded.method END, "
                "first_date=excluded.first_date, last_date=excluded.last_date, "
                "updated_at=excluded.updated_at",
                (
                    story.id,
                    story.label,
                    story.first_date.isoformat() if story.first_date else None,
                    story.last_date.isoformat() if story.last_date else None,
                    story.method,
                    _now(),
                ),
            )
            self._x("INSERT INTO story_ids(id) VALUES (?) ON CONFLICT DO NOTHING", (story.id,))
            self._many(
                "INSERT INTO story_articles(story_id, article_id, position) VALUES (?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET story_id=excluded.story_id, position=excluded.position",
                [(story.id, article_id, position) for position, article_id in members],
            )

    def delete_story(self, story_id: str) -> None:
        """Remove a story that has lost all its articles (and its cached brief)."""
        with self.transaction():
            self._x("DELETE FROM briefs WHERE story_id = ?", (story_id,))
            self._x("DELETE FROM story_digests WHERE story_id = ?", (story_id,))
            self._x("DELETE FROM story_articles WHERE story_id = ?", (story_id,))
            self._x("DELETE FROM stories WHERE id = ?", (story_id,))

    def clear_stories(self) -> None:
        """Forget every story (before a regroup); articles, analyses and overrides stay."""
        with self.transaction():
            self._x("DELETE FROM briefs")
            self._x("DELETE FROM story_digests")
            self._x("DELETE FROM story_articles")
            self._x("DELETE FROM stories")

    def put_override(self, kind: OverrideKind, a: str, b: str) -> None:
        """Record a manual correction between two articles ('together' or 'apart')."""
        first, second = sorted((a, b))
        with self.transaction():
            self._x(
                "INSERT INTO story_overrides(kind, a, b, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (kind, first, second, _now()),
            )
            other = "apart" if kind == "together" else "together"
            self._x(
                "DELETE FROM story_overrides WHERE kind = ? AND a = ? AND b = ?",
                (other, first, second),
            )

    def overrides(self) -> list[Override]:
        rows = self._x("SELECT kind, a, b FROM story_overrides ORDER BY created_at, a, b")
        return [Override(kind=r[0], a=r[1], b=r[2]) for r in rows]

    def _story_from_row(self, row: Any) -> Story:
        members = tuple(
            r[0]
            for r in self._x(
                "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY position",
                (row["id"],),
            )
        )
        manual = self._x(
            "SELECT label FROM story_labels WHERE story_id = ?", (row["id"],)
        ).fetchone()
        return Story(
            id=row["id"],
            article_ids=members,
            label=row["label"] if manual is None else manual[0],
            first_date=dt.date.fromisoformat(row["first_date"]) if row["first_date"] else None,
            last_date=dt.date.fromisoformat(row["last_date"]) if row["last_date"] else None,
            method=row["method"],
        )

    def get_story(self, story_id: str) -> Story | None:
        row = self._x("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None else self._story_from_row(row)

    def story(self, story_id: str) -> Story:
        found = self.get_story(story_id)
        if found is None:
            raise NotFoundError(f"no story with id '{story_id}'")
        return found

    def stories(
        self, *, since: dt.date | None = None, limit: int | None = 1000, offset: int = 0
    ) -> list[Story]:
        """Stories newest first (by last date, then id); `offset` skips that many."""
        cap = self.NO_LIMIT if limit is None else limit
        if since:
            rows = self._x(
                "SELECT * FROM stories WHERE last_date >= ? OR last_date IS NULL "
                "ORDER BY last_date DESC NULLS LAST, id LIMIT ? OFFSET ?",
                (since.isoformat(), cap, offset),
            ).fetchall()
        else:
            rows = self._x(
                "SELECT * FROM stories ORDER BY last_date DESC NULLS LAST, id LIMIT ? OFFSET ?",
                (cap, offset),
            ).fetchall()
        return [self._story_from_row(r) for r in rows]

    def get_digest(self, story_id: str, members: str) -> StoryDigest | None:
        """The stored digest of a story if it was made from exactly these members."""
        row = self._x(
            "SELECT record FROM story_digests WHERE story_id = ? AND members = ?",
            (story_id, members),
        ).fetchone()
        return None if row is None else load(StoryDigest, self._json_in(row[0]))

    def put_digest(self, digest: StoryDigest) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO story_digests(story_id, members, record) VALUES (?, ?, ?) "
                "ON CONFLICT(story_id) DO UPDATE SET members = excluded.members, "
                "record = excluded.record",
                (digest.story_id, digest.members, _json(digest)),
            )

    def story_sizes(self, *, since: dt.date | None = None) -> dict[str, int]:
        """Story id -> member count, for the stories last dated on or after `since` (all)."""
        query = (
            "SELECT s.id, COUNT(a.article_id) FROM stories s "
            "LEFT JOIN story_articles a ON a.story_id = s.id "
        )
        if since:
            query += "WHERE s.last_date >= ? OR s.last_date IS NULL GROUP BY s.id"
            rows = self._x(query, (since.isoformat(),)).fetchall()
        else:
            rows = self._x(query + "GROUP BY s.id").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def story_of(self, article_id: str) -> str | None:
        row = self._x(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def put_brief(self, brief: Brief, members: tuple[str, ...]) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO briefs(story_id, members, generator, record) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(story_id) DO UPDATE SET members = excluded.members, "
                "generator = excluded.generator, record = excluded.record",
                (brief.story_id, ",".join(members), brief.generator, _json(brief)),
            )

    def get_brief(self, story_id: str, members: tuple[str, ...] | None = None) -> Brief | None:
        row = self._x(
            "SELECT members, record FROM briefs WHERE story_id = ?", (story_id,)
        ).fetchone()
        if row is None or (members is not None and row[0] != ",".join(members)):
            return None
        return load(Brief, self._json_in(row[1]))

    # -- runs ----------------------------------------------------------------------------------------
    # -- near-duplicates --------------------------------------------------------------------
    def put_signature(self, article_id: str, signature: bytes, bands: list[str]) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO article_signatures(article_id, signature) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                (article_id, signature),
            )
            self._many(
                "INSERT INTO article_bands(band_key, article_id) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                [(band, article_id) for band in bands],
            )

    def signatures_sharing(self, bands: list[str], *, exclude: str = "") -> dict[str, bytes]:
        """Signatures of the articles that share at least one band key (LSH candidates)."""
        if not bands:
            return {}
        marks = ",".join("?" * len(bands))
        rows = self._x(
            "SELECT s.article_id, s.signature FROM article_signatures s WHERE s.article_id IN "
            f"(SELECT article_id FROM article_bands WHERE band_key IN ({marks})) "
            f"AND s.article_id != ? ORDER BY s.{self.ROWID}",
            (*bands, exclude),
        )
        return {row[0]: bytes(row[1]) for row in rows}

    # -- feeds ----------------------------------------------------------------------------
    def feed_state(self, url: str) -> FeedState | None:
        row = self._x("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()
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
            self._x(
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
        rows = self._x("SELECT entry_id FROM feed_entries WHERE feed_url = ?", (feed_url,))
        return {row[0] for row in rows}

    def mark_entry_seen(self, feed_url: str, entry_id: str) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO feed_entries(feed_url, entry_id, seen_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (feed_url, entry_id, _now()),
            )

    def begin_run(self, command: str) -> int:
        with self.transaction():
            row = self._x(
                "INSERT INTO runs(command, started_at) VALUES (?, ?) RETURNING id",
                (command, _now()),
            ).fetchone()
        return int(row[0])

    def end_run(self, run_id: int, *, accepted: int, rejected: int) -> None:
        with self.transaction():
            self._x(
                "UPDATE runs SET finished_at = ?, accepted = ?, rejected = ? WHERE id = ?",
                (_now(), accepted, rejected, run_id),
            )

    # -- list pages: filtered stories and articles, search snippets, coverage by day ----------
    # Dialect hooks for these (a condition on articles `a` matching every word; a condition
    # that a story's digest names a value under `key`; ranked hits with snippets).
    def _text_match(self, words: list[str]) -> tuple[str, str]:
        raise NotImplementedError

    def _digest_names(self, key: Literal["outlets", "actors"]) -> str:
        raise NotImplementedError

    def _snippets(self, words: list[str], limit: int, offset: int) -> list[SearchHit]:
        raise NotImplementedError

    def find_stories(
        self, where: StoryFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> StoryPage:
        """One page of the stories matching `where`, newest first (by last date, then id, as
        `stories`), and how many match in all. One query for the page, one for the count."""
        f = where or StoryFilter()
        conds, params = list[str](), list[Any]()
        if f.since is not None:
            conds.append("COALESCE(s.last_date, s.first_date) >= ?")
            params.append(f.since.isoformat())
        if f.until is not None:
            conds.append("COALESCE(s.first_date, s.last_date) <= ?")
            params.append(f.until.isoformat())
        for key, value in (("outlets", f.outlet), ("actors", f.actor)):
            if value:
                conds.append(self._digest_names(key))  # type: ignore[arg-type]
                params.append(value)
        member = (
            "EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id = s.id AND {})"
        )
        if f.language:
            conds.append(member.format("a.language = ?"))
            params.append(f.language)
        if f.text is not None:
            words = re.findall(r"\w+", f.text)
            if not words:
                return StoryPage(stories=(), total=0)
            cond, param = self._text_match(words)
            conds.append(member.format(cond))
            params.append(param)
        where_sql = (" WHERE " + " AND ".join(conds)) if conds else ""
        total = int(self._x(f"SELECT COUNT(*) FROM stories s{where_sql}", params).fetchone()[0])
        rows = self._x(
            f"SELECT s.* FROM stories s{where_sql} "
            "ORDER BY s.last_date DESC NULLS LAST, s.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return StoryPage(stories=tuple(self._story_from_row(r) for r in rows), total=total)

    def find_articles(
        self, where: ArticleFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> ArticlePage:
        """One page of the articles matching `where`, newest published first (undated last,
        then by id), and how many match in all."""
        f = where or ArticleFilter()
        query, conds, params = "FROM articles a", list[str](), list[Any]()
        if f.story_id is not None:
            query += " JOIN story_articles sa ON sa.article_id = a.id AND sa.story_id = ?"
            params.append(f.story_id)
        if f.since is not None:
            conds.append("a.published >= ?")
            params.append(f.since.isoformat())
        if f.until is not None:  # the day after: a published value with a time still counts
            conds.append("a.published < ?")
            params.append((f.until + dt.timedelta(days=1)).isoformat())
        if f.outlet:
            conds.append("lower(a.outlet) = lower(?)")
            params.append(f.outlet)
        if f.language:
            conds.append("a.language = ?")
            params.append(f.language)
        query += (" WHERE " + " AND ".join(conds)) if conds else ""
        total = int(self._x(f"SELECT COUNT(*) {query}", params).fetchone()[0])
        rows = self._x(
            f"SELECT a.record {query} ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return ArticlePage(
            articles=tuple(load(Article, self._json_in(r[0])) for r in rows), total=total
        )

    def search_hits(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """As `search`, best first, each with a snippet of its text marking the matched words
        (see `SearchHit`); any input is safe (words only reach the engine)."""
        words = re.findall(r"\w+", query)
        return self._snippets(words, limit, offset) if words else []

    def coverage_by_day(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        story_id: str | None = None,
    ) -> list[DayCount]:
        """Articles per outlet per publication day (undated articles are left out), by day."""
        query = "SELECT substr(a.published, 1, 10) AS day, a.outlet, COUNT(*) FROM articles a"
        params = list[Any]()
        if story_id is not None:
            query += " JOIN story_articles sa ON sa.article_id = a.id AND sa.story_id = ?"
            params.append(story_id)
        query += " WHERE a.published IS NOT NULL"
        if since is not None:
            query += " AND a.published >= ?"
            params.append(since.isoformat())
        if until is not None:
            query += " AND a.published < ?"
            params.append((until + dt.timedelta(days=1)).isoformat())
        query += " GROUP BY substr(a.published, 1, 10), a.outlet ORDER BY 1, 2"
        out = []
        for day, outlet, n in self._x(query, params).fetchall():
            try:
                out.append(DayCount(day=dt.date.fromisoformat(day), outlet=outlet, articles=n))
            except ValueError:  # a stored value that is not a calendar date
                continue
        return out

    # -- story ids and labels set by hand ----------------------------------------------------
    def issued_story_ids(self, candidates: Sequence[str]) -> set[str]:
        """Which of these ids were ever given to a story (ids are never given to another)."""
        found: set[str] = set()
        items = list(dict.fromkeys(candidates))
        for start in range(0, len(items), 500):
            part = items[start : start + 500]
            marks = ", ".join("?" for _ in part)
            rows = self._x(f"SELECT id FROM story_ids WHERE id IN ({marks})", part)
            found.update(str(r[0]) for r in rows)
        return found

    def forget_story_ids(self, ids: Sequence[str]) -> None:
        """Un-issue ids that never reached a reader: a regroup's intermediate ids, made and
        replaced in its own transaction (never an id a committed story had)."""
        with self.transaction():
            self._many("DELETE FROM story_ids WHERE id = ?", [(i,) for i in ids])

    def put_story_label(self, story_id: str, label: str | None) -> None:
        """Set a story's label by hand; kept across regroups. None: back to the automatic
        label, which is blank until the story is next reported (`story_report` makes it)."""
        with self.transaction():
            if label is None:
                self._x("DELETE FROM story_labels WHERE story_id = ?", (story_id,))
                self._x("UPDATE stories SET label = '' WHERE id = ?", (story_id,))
            else:
                self._x(
                    "INSERT INTO story_labels(story_id, label) VALUES (?, ?) "
                    "ON CONFLICT(story_id) DO UPDATE SET label = excluded.label",
                    (story_id, label),
                )

    def story_labels(self) -> dict[str, str]:
        """Story id -> label set by hand."""
        return {str(r[0]): str(r[1]) for r in self._x("SELECT story_id, label FROM story_labels")}

    # -- the outlet registry -----------------------------------------------------------------
    def put_outlet(self, outlet: Outlet) -> None:
        """Add or replace an outlet and its domains (a domain moves to it from another)."""
        with self.transaction():
            self._x(
                "INSERT INTO outlets(name, country, language, leaning, owner) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "country = excluded.country, language = excluded.language, "
                "leaning = excluded.leaning, owner = excluded.owner",
                (outlet.name, outlet.country, outlet.language, outlet.leaning, outlet.owner),
            )
            self._x("DELETE FROM outlet_domains WHERE outlet = ?", (outlet.name,))
            self._many(
                "INSERT INTO outlet_domains(domain, outlet) VALUES (?, ?) "
                "ON CONFLICT(domain) DO UPDATE SET outlet = excluded.outlet",
                [(d, outlet.name) for d in outlet.domains],
            )

    def delete_outlet(self, name: str) -> bool:
        """Remove an outlet from the registry (articles keep the outlet they were given)."""
        with self.transaction():
            self._x("DELETE FROM outlet_domains WHERE outlet = ?", (name,))
            cur = self._x("DELETE FROM outlets WHERE name = ?", (name,))
        return bool(cur.rowcount and cur.rowcount > 0)

    def outlets(self) -> list[Outlet]:
        """Every registered outlet, by name."""
        domains: dict[str, list[str]] = {}
        for r in self._x("SELECT outlet, domain FROM outlet_domains ORDER BY domain"):
            domains.setdefault(str(r[0]), []).append(str(r[1]))
        rows = self._x(
            "SELECT name, country, language, leaning, owner FROM outlets ORDER BY name"
        ).fetchall()
        return [
            Outlet(
                name=r[0],
                domains=tuple(domains.get(r[0], ())),
                country=r[1],
                language=r[2],
                leaning=r[3],
                owner=r[4],
            )
            for r in rows
        ]

    def get_outlet(self, name: str) -> Outlet | None:
        return next((o for o in self.outlets() if o.name == name), None)

    def outlet_domains(self) -> dict[str, str]:
        """Registered domain -> outlet name."""
        return {str(r[0]): str(r[1]) for r in self._x("SELECT domain, outlet FROM outlet_domains")}

    def outlet_for_url(self, url: str | None) -> str | None:
        """The registered outlet whose domain the URL's host is, or is under (longest wins)."""
        host = host_of(url)
        if host is None:
            return None
        candidates = domain_candidates(host)
        if not candidates:
            return None
        marks = ", ".join("?" for _ in candidates)
        rows = self._x(
            f"SELECT domain, outlet FROM outlet_domains WHERE domain IN ({marks})", candidates
        ).fetchall()
        found = {str(r[0]): str(r[1]) for r in rows}
        return next((found[d] for d in candidates if d in found), None)

    def article_urls(self) -> dict[str, str]:
        """Article id -> URL, for the stored articles that have one."""
        rows = self._x("SELECT id, url FROM articles_v WHERE url IS NOT NULL")
        return {str(r[0]): str(r[1]) for r in rows}

    def set_outlet(self, article_ids: Sequence[str], outlet: str | None) -> int:
        """Give stored articles another outlet: the article, its analysis, and its story's
        cached brief and digest (made again on the next read). Returns how many changed."""
        changed = 0
        with self.transaction():
            for article_id in article_ids:
                article = self.get_article(article_id)
                if article is None or article.outlet == outlet:
                    continue
                moved = replace(article, outlet=outlet)
                self._x(
                    "UPDATE articles SET outlet = ?, record = ? WHERE id = ?",
                    (outlet, _json(moved), article_id),
                )
                analysis = self.get_analysis(article_id)
                if analysis is not None:
                    self._x(
                        "UPDATE analyses SET record = ? WHERE article_id = ?",
                        (_json(replace(analysis, article=moved)), article_id),
                    )
                story_id = self.story_of(article_id)
                if story_id is not None:
                    self._x("DELETE FROM briefs WHERE story_id = ?", (story_id,))
                    self._x("DELETE FROM story_digests WHERE story_id = ?", (story_id,))
                changed += 1
        return changed
