"""What the API and the pages share: the store per request, templates, story summaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from jinja2 import Environment, FileSystemLoader, select_autoescape

from newsprism.models import Article, ArticleAnalysis, Story
from newsprism.pipeline import story_digest
from newsprism.render import link_url
from newsprism.settings import Settings
from newsprism.store import Store, open_store

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["link_url"] = link_url


def get_store(request: Request) -> Iterator[Store]:
    """A store connection for one request.

    FastAPI opens it in one worker thread and may run the handler in another, so the
    connection is made to allow that; it is still used by one request at a time.
    """
    store = open_store(request.app.state.db, any_thread=True)
    try:
        yield store
    finally:
        store.close()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


@dataclass(frozen=True, slots=True)
class StorySummary:
    """What a list of stories shows: dates, outlets with their article counts, key actors."""

    story: Story
    outlets: tuple[tuple[str, int], ...]
    actors: tuple[str, ...]
    title: str


def summarise(store: Store, story: Story, *, actors: int = 5) -> StorySummary:
    d = story_digest(store, story)
    return StorySummary(
        story=story,
        outlets=d.outlets,
        actors=tuple(n for n, _ in d.actors[:actors]),
        title=d.title or story.label,
    )


def analyses_of(store: Store, story: Story) -> list[ArticleAnalysis]:
    return [a for a in (store.get_analysis(i) for i in story.article_ids) if a is not None]


def article_summary(article: Article, story_id: str | None = None) -> dict[str, object]:
    return {
        "id": article.id,
        "outlet": article.label,
        "title": article.title,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "published_source": article.published_source,
        "language": article.language,
        "analysis_level": article.analysis_level,
        "duplicate_of": article.duplicate_of,
        "story_id": story_id,
    }
