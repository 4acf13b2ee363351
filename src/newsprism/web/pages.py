"""The reader's pages: home, story, article, actor, search, ingest. Server-rendered, no JS needed."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from newsprism.errors import NotFoundError
from newsprism.framing import source_framing
from newsprism.models import Article, ArticleAnalysis, Citation, language_name
from newsprism.pipeline import story_report
from newsprism.queries import actor_activity
from newsprism.render import dedupe_citations, flag_segments
from newsprism.web.api import (
    IngestRequest,
    filter_stories,
    ingest_one,
)
from newsprism.web.common import SettingsDep, StoreDep, analyses_of, summarise, templates
from newsprism.web.security import CSRF_COOKIE, TOKEN_COOKIE, cookies, new_csrf, same
from newsprism.web.svg import (
    TimelinePoint,
    agreement_matrix,
    coverage_bar,
    share_bars,
    timeline,
)

router = APIRouter(include_in_schema=False)
_HL = re.compile(r"^(\d{1,9})-(\d{1,9})$")
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def page(template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(templates.get_template(template).render(**context))


def cite_href(c: Citation) -> str:
    return f"/articles/{c.article_id}?hl={c.span.start}-{c.span.end}#cite"


@router.get("/", response_class=HTMLResponse)
def home(store: StoreDep, q: str | None = None) -> HTMLResponse:
    stories, total = filter_stories(store, q=q, limit=50)
    items = []
    for story in stories:
        s = summarise(store, story)
        items.append({"s": s, "bar": Markup(coverage_bar(s.outlets))})
    return page("home.html", items=items, q=q or "", total=total)


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
                "cites": [
                    {"n": refs.get(c.article_id, "?"), "href": cite_href(c), "text": c.text}
                    for c in dedupe_citations(s.citations)
                ],
            }
            for s in section.sentences
        ]
        sections.append({"title": section.title, "sentences": sentences})
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
                "framing": Markup(share_bars(bars)),
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
    return page(
        "story.html",
        matrix=Markup(matrix),
        report=report,
        summary=summarise(store, report.story),
        sections=sections,
        columns=columns,
        speakers=_quotes_by_speaker(analyses, report.brief.quote_groups, refs),
        timeline=Markup(timeline(_timeline_points(report.brief.sections, articles, analyses))),
    )


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
    hl: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    kind, full = store.resolve_id(article_id)
    if kind != "article":
        raise NotFoundError(f"{article_id} is a story, not an article")
    article = store.article(full)
    analysis = store.get_analysis(full)
    highlight = None
    if hl and (m := _HL.match(hl)):
        start, end = int(m.group(1)), int(m.group(2))
        if 0 <= start < end <= len(article.text):
            highlight = (start, end)
    return page(
        "article.html",
        article=article,
        analysis=analysis,
        story_id=store.story_of(full),
        body=Markup(annotated_html(article, analysis, highlight)),
        highlight=article.text[highlight[0] : highlight[1]] if highlight else None,
        level=analysis.analysis_level if analysis else article.analysis_level,
        language_label=language_name(article.language),
    )


def annotated_html(
    article: Article, analysis: ArticleAnalysis | None, highlight: tuple[int, int] | None
) -> str:
    """The article's text, paragraph by paragraph, escaped, with quotes, speakers, dates and
    actors marked by class, an anchor at each sentence, and the cited span (if any) wrapped in
    <mark class="cite"> pieces, the first one carrying id="cite"."""
    text = article.text
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
        if highlight:
            cuts |= {x for x in highlight if p.span.start < x < p.span.end}
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
            if highlight and highlight[0] <= a and b <= highlight[1]:
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


@router.get("/search", response_class=HTMLResponse)
def search_page(store: StoreDep, q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    hits = []
    for aid in store.search(q, limit=50) if q.strip() else []:
        article = store.article(aid)
        hits.append({"article": article, "story_id": store.story_of(aid)})
    return page("search.html", q=q, hits=hits)


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
