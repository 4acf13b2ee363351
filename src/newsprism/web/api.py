"""JSON endpoints under /api (OpenAPI at /api/openapi.json, docs at /api/docs)."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from pydantic import BaseModel, Field, field_validator, model_validator

from newsprism.errors import NotFoundError
from newsprism.export import (
    FORMATS,
    MEDIA_TYPES,
    Filters,
    check_format,
    check_kind,
    encode,
    write,
)
from newsprism.export import rows as export_rows
from newsprism.models import Brief, Document, Rejection, Span, Story
from newsprism.outlets import coverage
from newsprism.pipeline import Input, run, story_report
from newsprism.queries import actor_activity, canonical_actor, pair_events
from newsprism.render import brief_markdown, report_html
from newsprism.serde import to_data
from newsprism.store import ArticleFilter, Store, StoryFilter, open_store
from newsprism.web.common import (
    SettingsDep,
    StoreDep,
    analyses_of,
    article_summary,
    summarise,
)
from newsprism.web.schemas import (
    ActorActivity,
    ActorPage,
    ActorPair,
    ArticleDetail,
    ComparisonResponse,
    QuotesResponse,
    TimelineResponse,
    split_snippet,
    timeline_item,
)


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error, from any endpoint: {"error": {"status", "code", "message"}}."""

    error: ErrorDetail


_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such story, article or actor."},
    413: {"model": ErrorBody, "description": "The request body is above the size limit."},
    422: {"model": ErrorBody, "description": "A parameter or the body is invalid."},
}
router = APIRouter(prefix="/api", tags=["api"], responses=_ERRORS)

Limit = Annotated[int, Query(ge=1, le=200, description="Items per page (at most 200).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]


class OutletCount(BaseModel):
    outlet: str
    articles: int


class StoryItem(BaseModel):
    id: str
    label: str
    title: str
    first_date: dt.date | None
    last_date: dt.date | None
    article_count: int
    outlets: list[OutletCount]
    actors: list[str]


class StoryPage(BaseModel):
    items: list[StoryItem]
    total: int
    limit: int
    offset: int


class ArticleItem(BaseModel):
    id: str
    outlet: str
    title: str | None
    url: str | None
    published: dt.date | None
    published_source: str | None
    language: str | None
    # "full" (English, French) or "basic" (sentences, quotes by punctuation, dates only)
    analysis_level: Literal["full", "basic"]
    duplicate_of: str | None
    story_id: str | None


class ArticleList(BaseModel):
    items: list[ArticleItem]
    total: int
    limit: int
    offset: int


class SearchItem(ArticleItem):
    snippet: str = Field(description="A passage of the article's text around the matched words.")
    highlights: list[Span] = Field(description="Where the matched words are in `snippet`.")


class SearchResult(BaseModel):
    q: str
    items: list[SearchItem]
    limit: int
    offset: int


class RegisteredOutlet(BaseModel):
    name: str
    domains: list[str]
    country: str | None
    language: str | None
    leaning: str | None  # the user's own note; newsprism ships no ratings
    owner: str | None


class OutletCoverage(BaseModel):
    """The registered outlets (`newsprism outlets`) that did and did not cover the story."""

    covered: list[RegisteredOutlet]
    missing: list[RegisteredOutlet]


class StoryDetail(StoryItem):
    articles: list[ArticleItem]
    outlet_coverage: OutletCoverage = OutletCoverage(covered=[], missing=[])


class RejectionItem(BaseModel):
    stage: str
    code: str
    reason: str
    locator: str


class RejectionPage(BaseModel):
    items: list[RejectionItem]
    limit: int
    offset: int


class IngestRequest(BaseModel):
    """One article: plain text, HTML, or a URL to fetch (exactly one of them)."""

    text: str | None = Field(default=None, description="Plain text of the article.")
    html: str | None = Field(default=None, description="An HTML page.")
    url: str | None = Field(
        default=None,
        max_length=2048,
        description="An http:// or https:// page to fetch (private addresses refused; "
        "paths, file:, data: and other schemes are refused).",
    )
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None

    @field_validator("url")
    @classmethod
    def web_url(cls, value: str | None) -> str | None:
        return None if value is None else checked_url(value)

    @model_validator(mode="after")
    def one_source(self) -> IngestRequest:
        given = [k for k in ("text", "html", "url") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url")
        return self


def checked_url(value: str) -> str:
    """An absolute http(s) URL with a host, or ValueError: the server never reads its own files."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("a URL may not contain spaces or control characters")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError as exc:
        raise ValueError(f"not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise ValueError(
            "only http:// and https:// URLs are accepted; "
            "server paths, file:, data: and other schemes are refused"
        )
    return urlunsplit(parts._replace(scheme=parts.scheme.lower()))


class IngestResult(BaseModel):
    articles: list[ArticleItem]
    rejections: list[RejectionItem]


class BriefFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"


def _story(store: Store, story_id: str) -> Story:
    kind, full = store.resolve_id(story_id)
    if kind != "story":
        raise NotFoundError(f"{story_id} is an article, not a story")
    return store.story(full)


def _item(store: Store, story: Story) -> StoryItem:
    s = summarise(store, story)
    return StoryItem(
        id=story.id,
        label=story.label,
        title=s.title,
        first_date=story.first_date,
        last_date=story.last_date,
        article_count=len(story.article_ids),
        outlets=[OutletCount(outlet=o, articles=n) for o, n in s.outlets],
        actors=list(s.actors),
    )


def _rejection(r: Rejection) -> RejectionItem:
    return RejectionItem(stage=r.stage, code=r.code, reason=r.reason, locator=r.locator)


def filter_stories(
    store: Store,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    actor: str | None = None,
    outlet: str | None = None,
    language: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Story], int]:
    """One page of stories newest first, narrowed by date overlap, actor, outlet, language
    and a full-text query; and how many match in all. Filtered and paged in SQL
    (`Store.find_stories`): a page reads its own rows and digests, whatever the store's size."""
    where = StoryFilter(
        since=since, until=until, actor=actor, outlet=outlet, language=language, text=q
    )
    found = store.find_stories(where, limit=limit, offset=offset)
    return list(found.stories), found.total


@router.get("/stories", response_model=StoryPage, summary="List and filter stories")
def list_stories(
    store: StoreDep,
    since: dt.date | None = None,
    until: dt.date | None = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=20, description="e.g. en")] = None,
    q: Annotated[str | None, Query(max_length=500, description="Full-text search.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> StoryPage:
    page, total = filter_stories(
        store,
        since=since,
        until=until,
        actor=actor,
        outlet=outlet,
        language=language,
        q=q,
        limit=limit,
        offset=offset,
    )
    return StoryPage(items=[_item(store, s) for s in page], total=total, limit=limit, offset=offset)


@router.get("/stories/{story_id}", response_model=StoryDetail, summary="A story and its articles")
def get_story(story_id: str, store: StoreDep) -> StoryDetail:
    story = _story(store, story_id)
    articles = [store.article(aid) for aid in story.article_ids]
    covered, missing = coverage(store.outlets(), (a.label for a in articles))
    return StoryDetail(
        **_item(store, story).model_dump(),
        articles=[ArticleItem(**article_summary(a, story.id)) for a in articles],  # type: ignore[arg-type]
        outlet_coverage=OutletCoverage(
            covered=[RegisteredOutlet(**to_data(o)) for o in covered],
            missing=[RegisteredOutlet(**to_data(o)) for o in missing],
        ),
    )


@router.get(
    "/stories/{story_id}/brief",
    summary="The cited brief (json, md or html)",
    response_model=None,
    responses={
        200: {
            "model": Brief,
            "description": "The brief as JSON (format=json), Markdown or HTML.",
            "content": {"text/markdown": {}, "text/html": {}},
        }
    },
)
def get_brief(
    story_id: str, store: StoreDep, settings: SettingsDep, format: BriefFormat = BriefFormat.json
) -> Response | dict[str, Any]:
    report = story_report(store, _story(store, story_id).id, settings=settings)
    if format is BriefFormat.md:
        return PlainTextResponse(brief_markdown(report.brief), media_type="text/markdown")
    if format is BriefFormat.html:
        articles = {aid: store.article(aid) for aid in report.article_ids}
        return HTMLResponse(report_html([report], articles, title=report.brief.title))
    data: dict[str, Any] = to_data(report.brief)
    return data


@router.get(
    "/stories/{story_id}/quotes",
    response_model=QuotesResponse,
    summary="Quotes by speaker, and statements across outlets",
)
def get_quotes(
    story_id: str,
    store: StoreDep,
    settings: SettingsDep,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    story = _story(store, story_id)
    report = story_report(store, story.id, settings=settings)
    quotes = []
    for analysis in analyses_of(store, story):
        for index, q in enumerate(analysis.quotes):
            name = q.speaker.name if q.speaker else None
            if speaker and (name or "").casefold() != speaker.casefold():
                continue
            quotes.append(
                {
                    "article_id": analysis.article.id,
                    "outlet": analysis.article.label,
                    "index": index,
                    **to_data(q),
                }
            )
    groups = [
        to_data(g)
        for g in report.brief.quote_groups
        if not speaker or (g.speaker or "").casefold() == speaker.casefold()
    ]
    return {"story_id": story.id, "quotes": quotes, "groups": groups}


@router.get(
    "/stories/{story_id}/timeline",
    response_model=TimelineResponse,
    summary="Dated items of the story, with sources",
)
def get_timeline(story_id: str, store: StoreDep, settings: SettingsDep) -> TimelineResponse:
    report = story_report(store, _story(store, story_id).id, settings=settings)
    section = next((s for s in report.brief.sections if s.title == "Timeline"), None)
    items = [
        item
        for s in (section.sentences if section else ())
        if (item := timeline_item(s.text, list(s.citations))) is not None
    ]
    return TimelineResponse(story_id=report.id, items=items)


@router.get(
    "/stories/{story_id}/comparison",
    response_model=ComparisonResponse,
    summary="How the sources compare",
)
def get_comparison(story_id: str, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """Sources, what only one reports, and statements several carry (with wording differences)."""
    report = story_report(store, _story(store, story_id).id, settings=settings)
    single = next(
        (s for s in report.brief.sections if s.title.startswith("Reported by only")), None
    )
    sources = [s.article_id for s in report.brief.sources if s.copy_of is None]
    matrix = [
        {"claim": c.citations[0].text, "carried_by": [aid in c.article_ids for aid in sources]}
        for c in report.brief.claims
    ]
    return {
        "story_id": report.id,
        "sources": to_data(report.brief.sources),
        "matrix_sources": sources,
        "matrix": matrix,
        "claims": to_data(report.brief.claims),
        "differences": to_data(report.brief.differences),
        "single_source": to_data(single.sentences) if single else [],
        "quote_groups": to_data(report.brief.quote_groups),
    }


@router.get("/articles", response_model=ArticleList, summary="List and filter articles")
def list_articles(
    store: StoreDep,
    since: Annotated[dt.date | None, Query(description="Published on or after.")] = None,
    until: Annotated[dt.date | None, Query(description="Published on or before.")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="The outlet's name.")] = None,
    language: Annotated[str | None, Query(max_length=20, description="e.g. en")] = None,
    story: Annotated[str | None, Query(max_length=200, description="Only this story.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ArticleList:
    """Articles newest published first (undated last), filtered and paged in the store."""
    story_id = _story(store, story).id if story is not None else None
    found = store.find_articles(
        ArticleFilter(
            since=since, until=until, outlet=outlet, language=language, story_id=story_id
        ),
        limit=limit,
        offset=offset,
    )
    return ArticleList(
        items=[
            ArticleItem(**article_summary(a, story_id or store.story_of(a.id)))  # type: ignore[arg-type]
            for a in found.articles
        ],
        total=found.total,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/articles/{article_id}", response_model=ArticleDetail, summary="An article with its analysis"
)
def get_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    kind, full = store.resolve_id(article_id)
    if kind != "article":
        raise NotFoundError(f"{article_id} is a story, not an article")
    article = store.article(full)
    analysis = store.get_analysis(full)
    data: dict[str, Any] = {"article": to_data(article), "story_id": store.story_of(full)}
    # what the stored analysis was made at; an article not analysed yet says what it will get
    data["analysis_level"] = analysis.analysis_level if analysis else article.analysis_level
    if analysis is not None:
        for key in ("sentences", "actors", "mentions", "quotes", "time_expressions", "events"):
            data[key] = to_data(getattr(analysis, key))
    return data


@router.get("/actors", response_model=ActorPage, summary="Actors by how often they are named")
def list_actors(
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    found, total = store.actors(query=q, limit=limit, offset=offset)
    items = [
        {"name": a.name, "kind": a.kind, "mentions": a.mentions, "articles": a.articles}
        for a in found
    ]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get(
    "/actors/{name}", response_model=ActorActivity, summary="An actor's quotes and interactions"
)
def get_actor(name: str, store: StoreDep) -> dict[str, Any]:
    activity = actor_activity(store, name)
    if (
        not activity["quotes"]
        and not activity["events"]
        and not store.actor_article_ids(activity["name"])
    ):
        raise NotFoundError(f"no actor named {name!r}")
    return activity


@router.get(
    "/actor-pairs", response_model=ActorPair, summary="Interactions between two actors over time"
)
def get_pair(
    a: Annotated[str, Query(min_length=1, max_length=200)],
    b: Annotated[str, Query(min_length=1, max_length=200)],
    store: StoreDep,
) -> dict[str, Any]:
    return {"a": canonical_actor(a), "b": canonical_actor(b), "events": pair_events(store, a, b)}


@router.get("/search", response_model=SearchResult, summary="Full-text search over articles")
def search(
    q: Annotated[str, Query(min_length=1, max_length=500)],
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
) -> SearchResult:
    """Articles matching every word, best first, each with a snippet of its text and where
    the matched words are in the snippet."""
    items = []
    for hit in store.search_hits(q, limit=limit, offset=offset):
        text, spans = split_snippet(hit.snippet)
        summary = article_summary(store.article(hit.article_id), store.story_of(hit.article_id))
        items.append(SearchItem(**summary, snippet=text, highlights=spans))  # type: ignore[arg-type]
    return SearchResult(q=q, items=items, limit=limit, offset=offset)


@router.get("/rejections", response_model=RejectionPage, summary="Inputs that were rejected")
def list_rejections(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> RejectionPage:
    rows = store.rejections(limit=offset + limit)[offset:]
    return RejectionPage(items=[_rejection(r) for r in rows], limit=limit, offset=offset)


# One ingest at a time per process: the in-process spaCy pipeline is shared and not
# thread-safe, and two concurrent assignments of the same input would split its story.
_INGEST_LOCK = threading.Lock()


def ingest_one(store: Store, body: IngestRequest, settings: Any) -> IngestResult:
    with _INGEST_LOCK:
        return _ingest_one(store, body, settings)


def _ingest_one(store: Store, body: IngestRequest, settings: Any) -> IngestResult:
    from newsprism.api import _annotator

    item: Input
    if body.url:
        item = body.url  # the page names itself; `outlet` still applies below
    else:
        payload = body.html if body.html else body.text
        assert payload is not None
        item = Document(
            payload,
            outlet=body.outlet,
            title=body.title,
            published=body.published,
            content_type="text/html" if body.html else "text/plain",
        )
    result = run(
        [item],
        store,
        settings=settings,
        annotator=_annotator(settings.nlp_batch_size, settings.annotate_timeout),
        command="web ingest",
        outlet=body.outlet if body.url else None,
        local_paths=False,  # a remote caller: never read this machine's files
    )
    return IngestResult(
        articles=[
            ArticleItem(**article_summary(a, store.story_of(a.id)))  # type: ignore[arg-type]
            for a in result.articles
        ],
        rejections=[_rejection(r) for r in result.rejections],
    )


@router.post("/ingest", response_model=IngestResult, summary="Add one article (text, HTML or URL)")
def ingest(body: IngestRequest, store: StoreDep, settings: SettingsDep) -> IngestResult:
    """Runs the whole pipeline on one input; rejections come back with their reasons."""
    return ingest_one(store, body, settings)


# -- export ------------------------------------------------------------------------------------
class ExportKindName(StrEnum):
    articles = "articles"
    quotes = "quotes"
    events = "events"
    actors = "actors"
    stories = "stories"
    claims = "claims"
    differences = "differences"


class ExportFormatName(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


_EXPORT_CONTENT: dict[str, dict[str, Any]] = {
    MEDIA_TYPES[f].split(";")[0]: {"schema": {"type": "string"}} for f in FORMATS
}


@router.get(
    "/export/{kind}.{format}",
    summary="Export a flat table (CSV, JSON lines or Parquet)",
    response_class=Response,
    responses={200: {"description": "The rows, streamed.", "content": _EXPORT_CONTENT}},
)
def export_table(
    kind: ExportKindName,
    format: ExportFormatName,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    story: Annotated[str | None, Query(max_length=200, description="Only this story.")] = None,
    since: Annotated[dt.date | None, Query(description="Published on or after.")] = None,
    until: Annotated[dt.date | None, Query(description="Published on or before.")] = None,
) -> Response:
    """One row per article, quote, event, actor, story, claim citation or difference citation
    (the same columns as `newsprism export`). CSV and JSON lines are streamed as they are read;
    Parquet is written whole, then sent."""
    what, fmt = check_kind(kind.value), check_format(format.value)
    story_id = _story(store, story).id if story is not None else None
    filters = Filters(story_id=story_id, since=since, until=until)
    headers = {"Content-Disposition": f'attachment; filename="{what}.{fmt}"'}
    db = request.app.state.db
    if fmt == "parquet":
        with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as fh:
            write(export_rows(store, what, filters=filters, settings=settings), what, fmt, fh)
            fh.seek(0)
            body = fh.read()
        return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)

    def stream() -> Iterator[bytes]:
        # The request's store closes when the handler returns; the stream reads with its own.
        own = open_store(db, any_thread=True)
        try:
            yield from encode(export_rows(own, what, filters=filters, settings=settings), what, fmt)
        finally:
            own.close()

    return StreamingResponse(stream(), media_type=MEDIA_TYPES[fmt], headers=headers)
