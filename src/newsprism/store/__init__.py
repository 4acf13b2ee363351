"""Storage behind one typed interface, with two backends: SQLite (embedded) and PostgreSQL.

The `Store` protocol takes and returns the project's records, never JSON dicts, table names or
ISO strings. Batch writes (`put_articles`, `put_analyses`) commit in one transaction each, and
`transaction()` groups any writes (nested ones are savepoints). Every failure of the database
surfaces as a `StoreError` subclass with a code (`errors.py`), never as a raw driver error.
`tests/contract/` runs one suite unchanged against every backend.

Only this package writes the database (an invariant in docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from newsprism.errors import ConfigError
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
    StoreCounts,
    Story,
    StoryDigest,
)
from newsprism.store import faults
from newsprism.store.reads import (
    HIT_END,
    HIT_START,
    ArticleFilter,
    ArticlePage,
    DayCount,
    SearchHit,
    StoryFilter,
    StoryPage,
)
from newsprism.store.sql import VIEWS, FlatView
from newsprism.store.sqlite import SQLiteStore


class Store(Protocol):
    """What the pipeline, CLI and web need from storage."""

    # raw documents and articles
    def put_raw(self, raw: RawDocument) -> bool: ...
    def get_raw(self, raw_id: str) -> RawDocument | None: ...
    def put_article(self, article: Article) -> bool: ...
    def put_articles(self, articles: Sequence[Article]) -> int: ...
    def get_article(self, article_id: str) -> Article | None: ...
    def article(self, article_id: str) -> Article: ...
    def article_ids(self) -> list[str]: ...
    def resolve_id(self, prefix: str) -> tuple[IdKind, str]: ...
    def search(self, query: str, *, limit: int = 20) -> list[str]: ...
    def article_page(
        self,
        *,
        after: str = "",
        limit: int = 200,
        since: dt.date | None = None,
        until: dt.date | None = None,
        story_id: str | None = None,
    ) -> list[Article]: ...
    # analyses and grouping features
    def put_analysis(self, analysis: ArticleAnalysis) -> None: ...
    def put_features(self, features: Features) -> None: ...
    def put_analyses(self, items: Sequence[tuple[ArticleAnalysis, Features]]) -> None: ...
    def get_analysis(self, article_id: str) -> ArticleAnalysis | None: ...
    def analysed_ids(self) -> set[str]: ...
    def unfinished_ids(self) -> list[str]: ...
    def get_features(self, article_ids: Sequence[str]) -> dict[str, Features]: ...
    def analysis_page(
        self,
        *,
        after: str = "",
        limit: int = 200,
        since: dt.date | None = None,
        until: dt.date | None = None,
        story_id: str | None = None,
    ) -> list[ArticleAnalysis]: ...
    # the actor table: written with each analysis
    def actors(
        self, *, query: str | None = None, limit: int | None = 50, offset: int = 0
    ) -> tuple[list[ActorSummary], int]: ...
    def actor_article_ids(self, name: str) -> list[str]: ...
    # rejections
    def put_rejection(self, rejection: Rejection, *, run_id: int | None = None) -> None: ...
    def rejections(self, *, limit: int = 1000) -> list[Rejection]: ...
    # stories, corrections, briefs, digests
    def put_story(self, story: Story) -> None: ...
    def get_story(self, story_id: str) -> Story | None: ...
    def story(self, story_id: str) -> Story: ...
    def stories(
        self, *, since: dt.date | None = None, limit: int | None = 1000, offset: int = 0
    ) -> list[Story]: ...
    def story_sizes(self, *, since: dt.date | None = None) -> dict[str, int]: ...
    def story_of(self, article_id: str) -> str | None: ...
    def add_to_story(self, story: Story, article_id: str) -> None: ...
    def delete_story(self, story_id: str) -> None: ...
    def clear_stories(self) -> None: ...
    def put_override(self, kind: OverrideKind, a: str, b: str) -> None: ...
    def overrides(self) -> list[Override]: ...
    def put_brief(self, brief: Brief, members: tuple[str, ...]) -> None: ...
    def get_brief(self, story_id: str, members: tuple[str, ...] | None = None) -> Brief | None: ...
    def get_digest(self, story_id: str, members: str) -> StoryDigest | None: ...
    def put_digest(self, digest: StoryDigest) -> None: ...
    # near-duplicates
    def put_signature(self, article_id: str, signature: bytes, bands: list[str]) -> None: ...
    def signatures_sharing(self, bands: list[str], *, exclude: str = "") -> dict[str, bytes]: ...
    # feeds and runs
    def feed_state(self, url: str) -> FeedState | None: ...
    def put_feed_state(self, state: FeedState) -> None: ...
    def seen_entries(self, feed_url: str) -> set[str]: ...
    def mark_entry_seen(self, feed_url: str, entry_id: str) -> None: ...
    def begin_run(self, command: str) -> int: ...
    def end_run(self, run_id: int, *, accepted: int, rejected: int) -> None: ...
    # story ids ever issued, labels set by hand
    def issued_story_ids(self, candidates: Sequence[str]) -> set[str]: ...
    def forget_story_ids(self, ids: Sequence[str]) -> None: ...
    def put_story_label(self, story_id: str, label: str | None) -> None: ...
    def story_labels(self) -> dict[str, str]: ...
    # the outlet registry
    def put_outlet(self, outlet: Outlet) -> None: ...
    def delete_outlet(self, name: str) -> bool: ...
    def outlets(self) -> list[Outlet]: ...
    def get_outlet(self, name: str) -> Outlet | None: ...
    def outlet_domains(self) -> dict[str, str]: ...
    def outlet_for_url(self, url: str | None) -> str | None: ...
    def article_urls(self) -> dict[str, str]: ...
    def set_outlet(self, article_ids: Sequence[str], outlet: str | None) -> int: ...
    # flat SQL views (for export and outside tools)
    def view_rows(
        self, view: FlatView, *, limit: int | None = 1000, offset: int = 0
    ) -> list[dict[str, Any]]: ...
    # list pages: filtered, paged in SQL; search snippets; articles per outlet per day
    def find_stories(
        self, where: StoryFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> StoryPage: ...
    def find_articles(
        self, where: ArticleFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> ArticlePage: ...
    def search_hits(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]: ...
    def coverage_by_day(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        story_id: str | None = None,
    ) -> list[DayCount]: ...
    # plumbing
    def counts(self) -> StoreCounts: ...
    def schema_version(self) -> int: ...
    def transaction(self) -> AbstractContextManager[None]: ...
    def close(self) -> None: ...


POSTGRES_SCHEMES = ("postgres://", "postgresql://")


def open_store(location: str | Path | None, *, any_thread: bool = False) -> Store:
    """Open a store: a SQLite file path, ':memory:', or a `postgresql://` URL.

    None means a throw-away in-memory SQLite store. `any_thread`: the connection may move
    between threads (one user at a time), as in a web request. Set NEWSPRISM_FAULT_KILL_AT=N
    to kill the process at its N-th store write (the crash-resume tests use it; see
    `newsprism.store.faults`).
    """
    if location is None:
        return SQLiteStore(":memory:")
    text = str(location)
    store: Store
    if text.startswith(POSTGRES_SCHEMES):
        from newsprism.store.postgres import PostgresStore

        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 - parsing the port is the check
        except ValueError as exc:
            raise ConfigError(f"the database URL is not a valid PostgreSQL URL: {exc}") from None
        if not parts.path.strip("/") and not parts.hostname:
            raise ConfigError(
                "the database URL names no server or database (postgresql://user@host/db)"
            )

        store = PostgresStore(text)
    else:
        store = SQLiteStore(text, any_thread=any_thread)
    return faults.wrap(store)


def is_store_url(location: str | Path) -> bool:
    """Does `location` name a server store rather than a file?"""
    return str(location).startswith(POSTGRES_SCHEMES)


__all__ = [
    "HIT_END",
    "HIT_START",
    "VIEWS",
    "ArticleFilter",
    "ArticlePage",
    "DayCount",
    "FlatView",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoryFilter",
    "StoryPage",
    "is_store_url",
    "open_store",
]
