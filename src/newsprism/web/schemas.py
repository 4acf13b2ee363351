"""Response models of the JSON API: what /api/openapi.json says each endpoint returns.

Records that cross stages (`Brief`, `Quote`, `Article`, …) are the project's frozen dataclasses,
which pydantic describes and validates as they are (`serde.to_data` writes exactly the shape
pydantic reads: checked in tests/web/test_api_models.py). A list item that adds a few fields to
a record (a quote with its article and outlet) is built by `flat`, so the payload stays flat.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from newsprism.models import (
    Article,
    ArticleAnalysis,
    BriefSentence,
    Citation,
    Claim,
    Difference,
    Event,
    Quote,
    QuoteGroup,
    SourceInfo,
    Span,
)
from newsprism.store import HIT_END, HIT_START


def flat(name: str, record: type, doc: str, **extra: Any) -> type[BaseModel]:
    """A model with `extra`'s fields, then every field of the dataclass `record`."""
    hints = typing.get_type_hints(record)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        if f.default is not dataclasses.MISSING:
            fields[f.name] = (hints[f.name], f.default)
        elif f.default_factory is not dataclasses.MISSING:
            fields[f.name] = (hints[f.name], Field(default_factory=f.default_factory))
        else:
            fields[f.name] = (hints[f.name], ...)
    return create_model(name, __doc__=doc, **extra, **fields)


StoryQuote = flat(
    "StoryQuote",
    Quote,
    "A quote of one of the story's articles; `index` is its place in the article's analysis.",
    article_id=(str, ...),
    outlet=(str, ...),
    index=(int, ...),
)
QuotesResponse = create_model(
    "QuotesResponse",
    __doc__="The story's quotes, and statements several outlets carry (quote groups).",
    story_id=(str, ...),
    quotes=(list[StoryQuote], ...),  # type: ignore[valid-type]
    groups=(list[QuoteGroup], ...),
)
_ACTIVITY = {
    "article_id": (str, ...),
    "outlet": (str, ...),
    "published": (dt.date | None, Field(description="The article's publication date.")),
}
ActorQuote = flat("ActorQuote", Quote, "A quote by the actor, with its article.", **_ACTIVITY)
ActorEvent = flat("ActorEvent", Event, "An event the actor takes part in.", **_ACTIVITY)
ActorActivity = create_model(
    "ActorActivity",
    __doc__="An actor's quotes and the events it takes part in, oldest first.",
    name=(str, ...),
    quotes=(list[ActorQuote], ...),  # type: ignore[valid-type]
    events=(list[ActorEvent], ...),  # type: ignore[valid-type]
)
ActorPair = create_model(
    "ActorPair",
    __doc__="Events between two actors (either direction), oldest first.",
    a=(str, ...),
    b=(str, ...),
    events=(list[ActorEvent], ...),  # type: ignore[valid-type]
)
_ANALYSIS = typing.get_type_hints(ArticleAnalysis)
_DETAIL: dict[str, Any] = {
    "article": (Article, ...),
    "story_id": (str | None, ...),
    # what the stored analysis was made at ("full" or "basic"); not analysed yet: what it will get
    "analysis_level": (typing.Literal["full", "basic"], ...),
    **{
        key: (_ANALYSIS[key] | None, None)
        for key in ("sentences", "actors", "mentions", "quotes", "time_expressions", "events")
    },
}
ArticleDetail = create_model(
    "ArticleDetail",
    __doc__="An article, its story, and its analysis (the analysis fields are null until "
    "it is analysed).",
    **_DETAIL,
)


class TimelineItem(BaseModel):
    """A dated item of the brief's timeline."""

    date: str = Field(
        description="The date as precise as the source gives it: 2026-02-10, 2025-10 or 2025.",
        examples=["2026-02-10", "2025-10"],
    )
    precision: Literal["day", "month", "year"]
    as_written: str | None = Field(
        description="How the source wrote a relative date (“Tuesday”), else null."
    )
    text: str = Field(description="The source sentence.")
    citations: list[Citation]


class TimelineResponse(BaseModel):
    story_id: str
    items: list[TimelineItem]


_TIMELINE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?: \((.*?)\))?: (.*)$", re.S)


def timeline_item(text: str, citations: list[Citation]) -> TimelineItem | None:
    """The item of a brief timeline line "VALUE[ (as written)]: sentence" (None: not one).

    The value is a TIMEX date of any precision, so it is read by its shape, never cut at a
    fixed width (a month's "2025-10 (October): …" once came out as "2025-10 (O")."""
    m = _TIMELINE.match(text)
    if m is None:
        return None
    year, month, day, written, sentence = m.groups()
    date = "-".join(x for x in (year, month, day) if x)
    precision: Literal["day", "month", "year"] = "day" if day else "month" if month else "year"
    return TimelineItem(
        date=date, precision=precision, as_written=written, text=sentence, citations=citations
    )


class MatrixRow(BaseModel):
    claim: str
    carried_by: list[bool] = Field(description="One flag per source of `matrix_sources`.")


class ComparisonResponse(BaseModel):
    """Sources, what only one reports, and statements several carry (with wording differences)."""

    story_id: str
    sources: list[SourceInfo]
    matrix_sources: list[str]
    matrix: list[MatrixRow]
    claims: list[Claim]
    differences: list[Difference]
    single_source: list[BriefSentence]
    quote_groups: list[QuoteGroup]


class ActorItem(BaseModel):
    name: str
    kind: str
    mentions: int
    articles: int


class ActorPage(BaseModel):
    items: list[ActorItem]
    total: int
    limit: int
    offset: int


def split_snippet(snippet: str) -> tuple[str, list[Span]]:
    """A store snippet's plain text and where the matched words are in it."""
    out: list[str] = []
    spans: list[Span] = []
    start, pos = -1, 0
    for part in re.split(f"([{HIT_START}{HIT_END}])", snippet):
        if part == HIT_START:
            start = pos if start < 0 else start
        elif part == HIT_END:
            if start >= 0 and pos > start:
                spans.append(Span(start, pos))
            start = -1
        else:
            out.append(part)
            pos += len(part)
    return "".join(out), spans
