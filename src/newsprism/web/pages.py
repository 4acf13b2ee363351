"""The reader's pages: home, story, article, actor, search, ingest. Server-rendered, no JS needed."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from newsprism.errors import NotFoundError
from newsprism.framing import source_framing
from newsprism.models import Article, ArticleAnalysis, Citation, language_name
from newsprism.outlets import coverage
from newsprism.pipeline import story_report
from newsprism.queries import actor_activity
from newsprism.render import dedupe_citations, flag_segments
from newsprism.store import HIT_END, HIT_START, DayCount, StoryFilter
from newsprism.web.api import IngestRequest, ingest_one
from newsprism.web.common import SettingsDep, StoreDep, analyses_of, summarise, templates
from newsprism.web.security import CSRF_COOKIE, TOKEN_COOKIE, cookies, new_csrf, same
from newsprism.web.svg import (
    TimelinePoint,
    agreement_matrix,
    coverage_bar,
    coverage_over_time,
    share_bars,
    timeline,
)

router = APIRouter(include_in_schema=False)
_HL = re.compile(r"^\d{1,9}-\d{1,9}(?:,\d{1,9}-\d{1,9}){0,15}$")
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def page(template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(templates.get_template(template).render(**context))


def cite_href(*cs: Citation) -> str:
    """The link to an article with these spans (all of one article) highlighted."""
    spans = ",".join(f"{c.span.start}-{c.span.end}" for c in cs)
    return f"/articles/{cs[0].article_id}?hl={spans}#cite"


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=500)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    until: Annotated[str | None, Query(max_length=10)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(alias="n", ge=1, le=100)] = 20,
) -> HTMLResponse:
    """Stories newest first, narrowed by the filter form, `n` a page (paged in SQL)."""
    problems: list[str] = []
    start, end = _form_date(since, "from", problems), _form_date(until, "to", problems)
    where = StoryFilter(
        since=start,
        until=end,
        outlet=(outlet or "").strip() or None,
        actor=(actor or "").strip() or None,
        language=(language or "").strip() or None,
        text=(q or "").strip() or None,
    )
    found = store.find_stories(where, limit=per_page, offset=(page_no - 1) * per_page)
    items = []
    for story in found.stories:
        s = summarise(store, story)
        items.append({"s": s, "bar": Markup(coverage_bar(s.outlets))})
    pages = max(1, -(-found.total // per_page))
    form = {
        "q": q or "",
        "since": since or "",
        "until": until or "",
        "outlet": outlet or "",
        "actor": actor or "",
        "language": language or "",
    }
    filtered = any(v for k, v in form.items())
    newest = store.find_articles(limit=1).articles
    recent: list[DayCount] = []
    if newest and newest[0].published:
        last = _as_date(newest[0].published)
        recent = store.coverage_by_day(
            since=start or last - dt.timedelta(days=COVERAGE_DAYS - 1), until=end or last
        )
    return page(
        "home.html",
        items=items,
        q=q or "",
        form=form,
        filtered=filtered,
        problems=problems,
        total=found.total,
        page_no=page_no,
        pages=pages,
        per_page=per_page,
        prev_url=_page_url(request, page_no - 1) if page_no > 1 else None,
        next_url=_page_url(request, page_no + 1) if page_no < pages else None,
        over_time=Markup(
            coverage_over_time([(c.day, c.outlet or "unknown outlet", c.articles) for c in recent])
        ),
    )


COVERAGE_DAYS = 60  # the home picture's days, ending at the newest article


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _form_date(value: str | None, name: str, problems: list[str]) -> dt.date | None:
    """A YYYY-MM-DD form field as a date; an unreadable one is reported and ignored."""
    if not value or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        problems.append(f"The “{name}” date must look like 2026-02-10; it was ignored.")
        return None


def _page_url(request: Request, number: int) -> str:
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    params["page"] = str(number)
    return "/?" + urlencode(params)


def _slug(title: str) -> str:
    return "sec-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section")


SHOWN = 3  # sentences of a brief section shown before the rest fold into <details>


def _cites(citations: Sequence[Citation], refs: dict[str, int]) -> list[dict[str, Any]]:
    """One marker per source: the source's cited spans of the sentence, highlighted together."""
    by_source: dict[str, list[Citation]] = {}
    for c in dedupe_citations(citations):
        by_source.setdefault(c.article_id, []).append(c)
    for cs in by_source.values():
        cs.sort(key=lambda c: c.span.start)
    return [
        {
            "n": refs.get(aid, "?"),
            "href": cite_href(*cs),
            "text": " … ".join(c.text for c in cs),
            "spans": len(cs),
        }
        for aid, cs in by_source.items()
    ]


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(story_id: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    kind, full = store.resolve_id(story_id)
    if kind != "story":
        raise NotFoundError(f"{story_id} is an article, not a story")
    report = story_report(store, full, settings=settings)
    analyses = analyses_of(store, report.story)
    articles = {a.article.id: a.article for a in analyses}
    refs = {s.article_id: n for n, s in enumerate(report.brief.sources, start=1)}
    sections = []
    for section in report.brief.sections:
        if not section.sentences or section.title == "Reported by only one source":
            continue
        sentences = [
            {
                "text": s.text,
                "parts": [
                    {"text": text, "flag": flag.category.replace("_", " ") if flag else None}
                    for text, flag in flag_segments(s)
                ],
                "cites": _cites(s.citations, refs),
            }
            for s in section.sentences
        ]
        sections.append(
            {
                "title": section.title,
                "id": _slug(section.title),
                "shown": sentences[:SHOWN],
                "more": sentences[SHOWN:],
            }
        )
    single = next(
        (s for s in report.brief.sections if s.title == "Reported by only one source"), None
    )
    only: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in single.sentences if single else ():
        c = s.citations[0]
        only[c.article_id].append({"text": c.text, "href": cite_href(c)})
    framings = {a.article.id: source_framing(a) for a in analyses}
    basic = {
        a.article.id: language_name(a.article.language)
        for a in analyses
        if a.analysis_level == "basic"
    }
    columns = []
    for src in report.brief.sources:
        f = framings.get(src.article_id)
        bars = [("opinion/analysis", f.opinion_share)] if f else []
        bars += [(v.name, v.share) for v in (f.voices[:4] if f else ())]
        tone = [t for t in (f.tone if f else ()) if abs(t.tone) >= 0.05][:4]
        columns.append(
            {
                "n": refs.get(src.article_id, "?"),
                "source": src,
                "only": only.get(src.article_id, []),
                "quotes": sum(len(a.quotes) for a in analyses if a.article.id == src.article_id),
                "basic": basic.get(src.article_id),
                "framing": Markup(share_bars(bars, notes=_framing_notes(f))),
                "loaded": [w for w, _n in (f.loaded_terms[:6] if f else ())],
                "tone": [(t.name, "positive" if t.tone > 0 else "negative") for t in tone],
            }
        )
    independent = [s for s in report.brief.sources if s.copy_of is None]
    shared_first = sorted(report.brief.claims, key=lambda c: -len(c.article_ids))
    matrix = agreement_matrix(
        [
            (
                c.citations[0].text,
                cite_href(c.citations[0]),
                [src.article_id in c.article_ids for src in independent],
            )
            for c in shared_first
        ],
        [f"[{refs.get(src.article_id, '?')}] {src.label}" for src in independent],
    )
    per_day: Counter[tuple[dt.date, str]] = Counter(
        (_as_date(a.published), a.label) for a in articles.values() if a.published
    )
    speakers = _quotes_by_speaker(analyses, report.brief.quote_groups, refs)
    toc = [
        ("sec-headlines", "Headlines"),
        *((x["id"], x["title"]) for x in sections),
        ("sec-over-time", "Coverage over time"),
        ("sec-timeline-picture", "Timeline at a glance"),
        ("sec-matrix", "Who reports what"),
        ("sec-sources", "Sources side by side"),
        ("sec-quotes", "Who said what"),
    ]
    return page(
        "story.html",
        matrix=Markup(matrix),
        report=report,
        summary=summarise(store, report.story),
        sections=sections,
        columns=columns,
        toc=toc,
        speakers=speakers,
        quote_count=sum(len(sp["quotes"]) for sp in speakers),
        over_time=Markup(coverage_over_time([(d, o, n) for (d, o), n in sorted(per_day.items())])),
        timeline=Markup(timeline(_timeline_points(report.brief.sections, articles, analyses))),
        outlet_coverage=coverage(store.outlets(), (a.label for a in articles.values())),
    )


def _framing_notes(f: Any) -> list[str]:
    """The framing bars' legend: what each bar's share is of."""
    notes = ["opinion/analysis: share of sentences"]
    if f is not None and f.voices:
        notes.append("a voice: share of quoted words")
    return notes


def _timeline_points(
    sections: Any, articles: dict[str, Article], analyses: list[ArticleAnalysis]
) -> list[TimelinePoint]:
    """The picture's dated items: the Timeline section's, then any other brief sentence whose
    cited span holds a day-precise date (a brief cites each source sentence in one section
    only, so a dated fact told under What happened is not in the Timeline section)."""
    points: list[TimelinePoint] = []
    seen: set[tuple[str, int]] = set()

    def point(date: dt.date, label: str, s: Any) -> None:
        c = s.citations[0]
        sources = ", ".join(
            dict.fromkeys(
                articles[x.article_id].label for x in s.citations if x.article_id in articles
            )
        )
        seen.add((c.article_id, c.span.start))
        points.append(TimelinePoint(date=date, label=label, href=cite_href(c), sources=sources))

    for section in sections:
        if section.title != "Timeline":
            continue
        for s in section.sentences:
            match = _ISO.match(s.text)
            if match and s.citations:
                label = s.text.split(": ", 1)[1] if ": " in s.text else s.text
                point(dt.date.fromisoformat(match.group(1)), label, s)
    times = {a.article.id: a.time_expressions for a in analyses}
    for section in sections:
        if section.title in ("Timeline", "Summary", "How each source frames it"):
            continue
        for s in section.sentences:
            c = s.citations[0] if s.citations else None
            if c is None or (c.article_id, c.span.start) in seen:
                continue
            for t in times.get(c.article_id, ()):
                day = _day(t.value) if t.type == "DATE" else None
                if day is not None and c.span.start <= t.span.start < c.span.end:
                    point(day, s.text, s)
                    break
    return sorted(points, key=lambda p: p.date)


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if _DAY.match(value) else None
    except ValueError:  # a TIMEX value like 2026-02-30
        return None


def _quotes_by_speaker(
    analyses: list[ArticleAnalysis], groups: Any, refs: dict[str, int]
) -> list[dict[str, Any]]:
    """Direct and block quotes grouped by speaker; each lists the outlets carrying it."""
    carried: dict[tuple[str, int], list[str]] = {}
    labels = {a.article.id: a.article.label for a in analyses}
    for g in groups:
        outlets = [labels.get(aid, aid) for aid in g.article_ids]
        for m in g.members:
            carried[(m.article_id, m.index)] = outlets
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in analyses:
        for i, q in enumerate(a.quotes):
            if q.speaker is None or q.kind not in ("direct", "block", "indirect"):
                continue
            by[q.speaker.name].append(
                {
                    "q": q,
                    "outlet": a.article.label,
                    "n": refs.get(a.article.id, "?"),
                    "href": cite_href(Citation(article_id=a.article.id, span=q.span, text=q.text)),
                    "carried": carried.get((a.article.id, i), []),
                }
            )
    return sorted(
        ({"speaker": k, "quotes": v} for k, v in by.items()), key=lambda x: -len(x["quotes"])
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    article_id: str,
    store: StoreDep,
    hl: Annotated[
        str | None, Query(max_length=400, description="Spans to highlight: 10-52,80-120")
    ] = None,
) -> HTMLResponse:
    kind, full = store.resolve_id(article_id)
    if kind != "article":
        raise NotFoundError(f"{article_id} is a story, not an article")
    article = store.article(full)
    analysis = store.get_analysis(full)
    spans: list[tuple[int, int]] = []
    if hl and _HL.match(hl):
        for part in hl.split(","):
            start, end = (int(x) for x in part.split("-"))
            if 0 <= start < end <= len(article.text):
                spans.append((start, end))
    spans.sort()
    return page(
        "article.html",
        article=article,
        analysis=analysis,
        story_id=store.story_of(full),
        body=Markup(annotated_html(article, analysis, spans)),
        highlight=" … ".join(article.text[a:b] for a, b in spans) if spans else None,
        level=analysis.analysis_level if analysis else article.analysis_level,
        language_label=language_name(article.language),
    )


def annotated_html(
    article: Article,
    analysis: ArticleAnalysis | None,
    highlight: Sequence[tuple[int, int]] = (),
) -> str:
    """The article's text, paragraph by paragraph, escaped, with quotes, speakers, dates and
    actors marked by class, an anchor at each sentence, and the cited spans (if any) wrapped in
    <mark class="cite"> pieces, the first one carrying id="cite"."""
    text = article.text
    lit = list(highlight)
    marks: list[tuple[int, int, str, str]] = []
    if analysis is not None:
        for q in analysis.quotes:
            who = q.speaker.name if q.speaker else "unknown speaker"
            marks.append((q.span.start, q.span.end, "quote", f"{q.kind} quote, {who}"))
            if q.speaker and q.speaker.span:
                marks.append(
                    (q.speaker.span.start, q.speaker.span.end, "speaker", f"speaker: {who}")
                )
        for t in analysis.time_expressions:
            marks.append((t.span.start, t.span.end, "timex", f"{t.type} {t.value}"))
        for m in analysis.mentions:
            marks.append((m.span.start, m.span.end, "actor", f"{m.kind}: {m.actor_name}"))
    sentence_starts = {s.span.start for s in analysis.sentences} if analysis else set()
    out: list[str] = []
    first_cite = True
    for p in article.paragraphs:
        tag = {"heading": "h3", "blockquote": "blockquote"}.get(p.kind, "p")
        out.append(f"<{tag}>")
        inside = [m for m in marks if m[0] < p.span.end and p.span.start < m[1]]
        cuts = {p.span.start, p.span.end}
        cuts |= {x for m in inside for x in m[:2] if p.span.start < x < p.span.end}
        cuts |= {x for x in sentence_starts if p.span.start <= x < p.span.end}
        cuts |= {x for span in lit for x in span if p.span.start < x < p.span.end}
        bounds = sorted(cuts)
        for a, b in itertools.pairwise(bounds):
            if a in sentence_starts:
                out.append(f'<a class="anchor" id="s{a}"></a>')
            chunk = html.escape(text[a:b])
            active = [(cls, title) for s, e, cls, title in inside if s <= a and b <= e]
            if active:
                classes = " ".join(sorted({c for c, _ in active}))
                title = html.escape(" · ".join(dict.fromkeys(t for _, t in active)))
                chunk = f'<span class="{classes}" title="{title}">{chunk}</span>'
            if any(s <= a and b <= e for s, e in lit):
                ident = ' id="cite"' if first_cite else ""
                first_cite = False
                chunk = f'<mark class="cite"{ident}>{chunk}</mark>'
            out.append(chunk)
        out.append(f"</{tag}>")
    return "".join(out)


@router.get("/actors/{name}", response_class=HTMLResponse)
def actor_page(name: str, store: StoreDep) -> HTMLResponse:
    activity = actor_activity(store, name)
    return page("actor.html", name=name, quotes=activity["quotes"], events=activity["events"])


SEARCH_PAGE = 20  # hits a search page lists


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=500)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    hits = []
    found = (
        store.search_hits(q, limit=SEARCH_PAGE + 1, offset=(page_no - 1) * SEARCH_PAGE)
        if q.strip()
        else []
    )
    for hit in found[:SEARCH_PAGE]:
        article = store.article(hit.article_id)
        hits.append(
            {
                "article": article,
                "story_id": store.story_of(hit.article_id),
                "snippet": Markup(snippet_html(hit.snippet)),
            }
        )
    params = {"q": q}
    return page(
        "search.html",
        q=q,
        hits=hits,
        page_no=page_no,
        prev_url=f"/search?{urlencode({**params, 'page': page_no - 1})}" if page_no > 1 else None,
        next_url=(
            f"/search?{urlencode({**params, 'page': page_no + 1})}"
            if len(found) > SEARCH_PAGE
            else None
        ),
    )


def snippet_html(snippet: str) -> str:
    """A store snippet as HTML: the text escaped, each marked hit in <mark class="hit">.

    The markers are matched in order (a stray one in the article text opens or closes
    nothing unbalanced), so the markup is always well formed."""
    out, inside = [], False
    for part in re.split(f"([{HIT_START}{HIT_END}])", snippet):
        if part == HIT_START:
            if not inside:
                out.append('<mark class="hit">')
                inside = True
        elif part == HIT_END:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(html.escape(part))
    if inside:
        out.append("</mark>")
    return "".join(out)


def _form_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    """A page with a form, carrying a double-submit CSRF token (cookie + hidden field)."""
    token = cookies(dict(request.headers)).get(CSRF_COOKIE) or new_csrf()
    response = page(
        context.pop("template", "ingest.html"),
        csrf=token,
        needs_token=request.app.state.access.token is not None,
        **context,
    )
    response.status_code = status
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


def _csrf_ok(request: Request, field: str) -> bool:
    return same(cookies(dict(request.headers)).get(CSRF_COOKIE), field)


@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(request: Request) -> HTMLResponse:
    return _form_page(request, rejections=[], form={})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return _form_page(request, template="login.html")


@router.post("/login", response_class=HTMLResponse, response_model=None)
def login(
    request: Request,
    token: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Keeps the server's token in an HttpOnly cookie, so the browser can write (or read)."""
    expected = request.app.state.access.token
    if not _csrf_ok(request, csrf):
        return _form_page(request, 403, template="login.html", problem=_CSRF_PROBLEM)
    if expected is None or not same(token, expected):
        return _form_page(request, 401, template="login.html", problem="That is not the token.")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response


_CSRF_PROBLEM = "The form expired or came from another site; reload the page and send it again."


@router.post("/ingest", response_class=HTMLResponse, response_model=None)
def ingest_submit(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    text: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    outlet: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    form = {"text": text, "url": url, "outlet": outlet, "title": title}
    if not _csrf_ok(request, csrf):
        return _form_page(request, 403, rejections=[], form=form, problem=_CSRF_PROBLEM)
    given = {k: v.strip() for k, v in (("text", text), ("url", url)) if v.strip()}
    if len(given) != 1:
        return _form_page(
            request,
            422,
            rejections=[],
            form=form,
            problem="Paste a text or give a URL (one of them).",
        )
    payload = given.get("text", "")
    is_html = payload.lstrip().startswith("<")
    try:
        body = IngestRequest(
            text=None if is_html or "url" in given else payload,
            html=payload if is_html else None,
            url=given.get("url"),
            outlet=outlet or None,
            title=title or None,
        )
    except ValidationError as exc:
        problem = "; ".join(str(e.get("msg", "invalid")) for e in exc.errors())
        return _form_page(request, 422, rejections=[], form=form, problem=problem)
    result = ingest_one(store, body, settings)
    if result.articles and not result.rejections:
        return RedirectResponse(f"/articles/{result.articles[0].id}", status_code=303)
    return _form_page(request, rejections=result.rejections, form=form, articles=result.articles)
