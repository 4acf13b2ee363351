"""Briefs rendered for people and programs: Markdown, JSON and a self-contained HTML report.

Article text is untrusted: everything in HTML output is escaped, the report carries a strict
Content-Security-Policy and uses no JavaScript; citation links jump to the cited sentence,
which CSS `:target` highlights.

A source's loaded word inside a brief sentence (`BriefSentence.flagged`) is marked where it
stands, the sentence otherwise verbatim: “ironically”[loaded] in Markdown, an underlined word
with a "loaded" tag (its category in the tooltip) in HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence

from newsprism.models import Article, Brief, BriefSentence, Citation, FlaggedWord, StoryReport
from newsprism.serde import to_data


def _ref_numbers(brief: Brief) -> dict[str, int]:
    return {s.article_id: n for n, s in enumerate(brief.sources, start=1)}


def flag_segments(sentence: BriefSentence) -> list[tuple[str, FlaggedWord | None]]:
    """The sentence's text cut at its flagged words: (text, the flag or None), in order.

    A flag whose `at` does not hold its word (a record from elsewhere) is left unmarked.
    """
    text = sentence.text
    out: list[tuple[str, FlaggedWord | None]] = []
    pos = 0
    for f in sorted(sentence.flagged, key=lambda f: (f.at.start, -len(f.at))):
        if f.at.start < pos or text[f.at.start : f.at.end].lower() != f.text.lower():
            continue
        if f.at.start > pos:
            out.append((text[pos : f.at.start], None))
        out.append((text[f.at.start : f.at.end], f))
        pos = f.at.end
    if pos < len(text) or not out:
        out.append((text[pos:], None))
    return out


def _markdown_text(sentence: BriefSentence) -> str:
    parts = []
    for text, flag in flag_segments(sentence):
        if flag is None:
            parts.append(text)
        elif text[:1] in "\"“‘'«":  # a scare quote already wears its quotation marks
            parts.append(f"{text}[loaded]")
        else:
            parts.append(f"“{text}”[loaded]")
    return "".join(parts)


def _html_text(sentence: BriefSentence) -> str:
    parts = []
    for text, flag in flag_segments(sentence):
        if flag is None:
            parts.append(html.escape(text))
        else:
            hint = f"the source's wording ({flag.category.replace('_', ' ')}), not the brief's"
            parts.append(
                f'<span class=loaded title="{html.escape(hint)}">{html.escape(text)}</span>'
                "<sup class=flag>loaded</sup>"
            )
    return "".join(parts)


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown; citations as [n:start-end] against the numbered sources."""
    refs = _ref_numbers(brief)
    lines = [f"# {brief.title}", ""]
    for section in brief.sections:
        if not section.sentences:
            continue
        lines += [f"## {section.title}", ""]
        for sentence in section.sentences:
            cites = " ".join(
                f"[{refs.get(c.article_id, '?')}:{c.span.start}-{c.span.end}]"
                for c in dedupe_citations(sentence.citations)
            )
            lines.append(f"- {_markdown_text(sentence)} {cites}")
        lines.append("")
    lines += ["## Sources", ""]
    for n, s in enumerate(brief.sources, start=1):
        date = s.published.isoformat() if s.published else "undated"
        title = f" — {s.title}" if s.title else ""
        url = link_url(s.url)
        link = f" <{url}>" if url else ""
        copy = f" — copy of [{refs[s.copy_of]}], not counted" if s.copy_of in refs else ""
        lines.append(f"{n}. {s.label}{title} ({date}) `{s.article_id}`{link}{copy}")
    return "\n".join(lines) + "\n"


def link_url(url: str | None) -> str | None:
    """The URL if it is safe to render as a link (absolute http/https), else None.

    Article URLs come from inputs (JSONL records, page metadata): a `javascript:` or `data:`
    URL must never become a clickable link, whatever the page's CSP.
    """
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    scheme, _, rest = url.partition(":")
    if scheme.lower() not in ("http", "https") or not rest.startswith("//"):
        return None
    return url


def dedupe_citations(citations: Sequence[Citation]) -> list[Citation]:
    """The citations in order, each span once."""
    seen, out = set(), []
    for c in citations:
        key = (c.article_id, c.span.start, c.span.end)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def brief_json(brief: Brief) -> str:
    return json.dumps(to_data(brief), ensure_ascii=False, indent=2)


_CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:1.6rem;border-bottom:1px solid #dde}
.story{margin-bottom:3rem}.cite{font-size:.75rem;text-decoration:none;background:#eef;border-radius:3px;
padding:0 .25rem;margin-left:.2rem}.meta{color:#667;font-size:.9rem}
article.source{border-left:3px solid #ccd;padding-left:1rem;margin:1rem 0}
article.source p{white-space:pre-wrap}mark{background:transparent}mark:target{background:#ffe066}
details summary{cursor:pointer;color:#335}
.loaded{text-decoration:underline wavy #c0633a}.flag{font-size:.65rem;color:#a5512c;margin-left:.1rem}
"""


def _anchor(article_id: str, start: int, end: int) -> str:
    return f"c-{article_id}-{start}-{end}"


def _choose(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans to mark, longest first at each start."""
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end))
    return chosen


def _target(chosen: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The marked span that holds a cited span (a quote inside a cited sentence)."""
    for a, b in chosen:
        if a <= start < b:
            return a, b
    return start, end


def _article_html(article: Article, chosen: list[tuple[int, int]]) -> str:
    """Article text with every chosen span wrapped in an addressable <mark>."""
    text = article.text
    out, pos = [], 0
    for start, end in chosen:
        out.append(html.escape(text[pos:start]))
        out.append(
            f'<mark id="{_anchor(article.id, start, end)}">{html.escape(text[start:end])}</mark>'
        )
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def report_html(
    reports: Sequence[StoryReport],
    articles: Mapping[str, Article],
    *,
    title: str = "newsprism report",
) -> str:
    """A self-contained HTML page: every story's brief, citations linked to the source text."""
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p class=meta>{len(reports)} stories from {len(articles)} articles. "
        "Every sentence links to the source sentences it rests on.</p>",
    ]
    for report in reports:
        brief = report.brief
        refs = _ref_numbers(brief)
        cited: dict[str, set[tuple[int, int]]] = {}
        for section in brief.sections:
            for sentence in section.sentences:
                for c in sentence.citations:
                    cited.setdefault(c.article_id, set()).add((c.span.start, c.span.end))
        chosen = {article_id: _choose(spans) for article_id, spans in cited.items()}
        parts.append(f'<section class=story id="{html.escape(report.id)}">')
        parts.append(f"<h1>{html.escape(brief.title)}</h1>")
        parts.append(
            f"<p class=meta>{html.escape(report.label)} · story {html.escape(report.id)}</p>"
        )
        for section in brief.sections:
            if not section.sentences:
                continue
            parts.append(f"<h2>{html.escape(section.title)}</h2><ul>")
            for sentence in section.sentences:
                links = []
                for c in dedupe_citations(sentence.citations):
                    start, end = _target(chosen.get(c.article_id, []), c.span.start, c.span.end)
                    links.append(
                        f'<a class=cite href="#{_anchor(c.article_id, start, end)}">'
                        f"{refs.get(c.article_id, '?')}</a>"
                    )
                parts.append(f"<li>{_html_text(sentence)}{''.join(links)}</li>")
            parts.append("</ul>")
        parts.append("<h2>Sources</h2>")
        for n, source in enumerate(brief.sources, start=1):
            article = articles.get(source.article_id)
            date = source.published.isoformat() if source.published else "undated"
            copy = (
                f" · copy of [{refs[source.copy_of]}], not counted"
                if source.copy_of in refs
                else ""
            )
            parts.append(
                f"<details open><summary>[{n}] {html.escape(source.label)}"
                f"{' — ' + html.escape(source.title) if source.title else ''} ({date}){copy}</summary>"
            )
            if article is not None:
                parts.append(
                    f"<article class=source><p>{_article_html(article, chosen.get(article.id, []))}</p></article>"
                )
            parts.append("</details>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
