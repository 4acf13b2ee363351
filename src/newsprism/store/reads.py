"""Records the list pages read from a store: a filtered page of stories or articles, a search
hit with its snippet, articles per outlet per day. Typed, so the `Store` protocol passes no dicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from newsprism.models import Article, Story

# A snippet marks each matched word between these two private-use characters; the web escapes
# the snippet first and then turns them into <mark>, so article text never becomes markup.
HIT_START = "\ue000"
HIT_END = "\ue001"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryFilter:
    """What narrows a list of stories; every given field must hold (None: no constraint).

    `since`/`until`: the story's date range overlaps (undated stories match no date filter);
    `outlet`, `actor`: named in the story's stored digest (case-insensitive on ASCII letters);
    `language`: one member article is in that language; `text`: one member matches every word.
    """

    since: dt.date | None = None
    until: dt.date | None = None
    outlet: str | None = None
    actor: str | None = None
    language: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleFilter:
    """What narrows a list of articles (None: no constraint); `since`/`until` inclusive on the
    published date (undated articles match no date filter); `outlet` is the stored outlet name
    (case-insensitive on ASCII letters)."""

    since: dt.date | None = None
    until: dt.date | None = None
    outlet: str | None = None
    language: str | None = None
    story_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryPage:
    stories: tuple[Story, ...]
    total: int  # how many match in all


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticlePage:
    articles: tuple[Article, ...]
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """One article matching a full-text query; `snippet` is a passage of its text with each
    matched word between HIT_START and HIT_END (plain text otherwise, not escaped)."""

    article_id: str
    snippet: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DayCount:
    """How many articles an outlet published on one day (`outlet` None: no outlet stored)."""

    day: dt.date
    outlet: str | None
    articles: int
