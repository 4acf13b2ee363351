"""Raw document -> clean `Article`, or a `Rejection` saying why not.

HTML goes through trafilatura (main text, title, date, author, site name); plain text through
our own first-line title heuristics. Both then go through the residue cleaner
(`newsprism.clean`), so share counters, photo credits, embedded posts and section labels never
reach the analysis. The published date carries its provenance: the caller, page metadata, a
date line, an embedded post, or the latest explicit date in the text — never a silent "today".
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from newsprism import errors
from newsprism.clean import CLEANER, Cleaned, clean_text
from newsprism.ids import hash_id
from newsprism.models import (
    Article,
    DateSource,
    ForeignLine,
    Granularity,
    Paragraph,
    RawDocument,
    Rejection,
    SourceHints,
    Span,
)
from newsprism.settings import Settings
from newsprism.timex import date_from_deictic, explicit_dates, parse_date

EXTRACTOR = f"extract.v1+{CLEANER}"

_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.I)
_TITLE_MAX_WORDS = 25
_FOREIGN_MIN_WORDS = 8
_FOREIGN_MIN_PROB = 0.95
_FUTURE_CUES = re.compile(r"\b(?:will|next|scheduled|planned|plans to|due to|expected to)\b", re.I)


def _reject(raw: RawDocument, code: str, reason: str) -> Rejection:
    return Rejection(stage="extract", code=code, reason=reason, locator=raw.locator, raw_id=raw.id)


def is_html(data: bytes, content_type: str | None) -> bool:
    if content_type:
        return "html" in content_type or "xml" in content_type
    return bool(_HTML_SNIFF.match(data[:1024]))


def decode(data: bytes) -> tuple[str | None, str]:
    """Bytes -> text, or (None, reason). UTF-8 first, then a detected legacy encoding."""
    if not data.strip():
        return None, "the input is empty"
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "the input is binary (it contains NUL bytes)"
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8-sig", errors="replace"), ""
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), ""
            except UnicodeDecodeError:
                return None, f"the input starts with a {codec} byte-order mark but does not decode"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None, "the input is not text in any encoding we can detect"
    return str(best), ""


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few stray bytes (a bad copy-paste), not a legacy encoding.

    A page in Latin-1 or cp1251 has nearly every non-ASCII byte invalid as UTF-8; a UTF-8 page
    with a couple of broken bytes has nearly all of them valid. Decoding the latter with a
    legacy codec would garble every accented letter to save two.
    """
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    good = sum(1 for ch in decoded if ord(ch) > 127 and ch != "\ufffd")
    return good >= 20 and bad <= 0.05 * (good + bad)


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = unicodedata.normalize("NFC", text)
    # drop control characters except newline and tab
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(
        1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t"
    )
    return bad / len(sample)


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


@functools.cache
def _identifier() -> Any:
    """py3langid's model with normalised probabilities (read-only once built)."""
    from py3langid import langid

    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def languages(
    body: str, paragraphs: Sequence[Paragraph]
) -> tuple[str | None, tuple[ForeignLine, ...]]:
    """The article's language and the paragraphs confidently in another one.

    Each paragraph of at least `_FOREIGN_MIN_WORDS` words is identified on its own; the
    article's language is the one most characters are in, so one untranslated quote does not
    relabel an English article. Short texts are identified whole.
    """
    ident = _identifier()
    scored = []
    weight: dict[str, int] = {}
    for p in paragraphs:
        text = body[p.span.start : p.span.end]
        if len(text.split()) < _FOREIGN_MIN_WORDS:
            continue
        lang, prob = ident.classify(text)
        scored.append((p.span, str(lang), float(prob)))
        weight[str(lang)] = weight.get(str(lang), 0) + len(text)
    if not weight:
        lang, _prob = ident.classify(body[:5000])
        return (str(lang) if lang else None), ()
    language = max(weight, key=lambda k: weight[k])
    foreign = tuple(
        ForeignLine(span=span, language=lang)
        for span, lang, prob in scored
        if lang != language and prob >= _FOREIGN_MIN_PROB
    )
    return language, foreign


_HUGE_TAG = re.compile(r"<[A-Za-z][^<>]{4096,}>")
_MAX_ATTRIBUTES = 32
_KEPT_ATTRIBUTES = frozenset(
    "id class href src content name property itemprop itemtype datetime lang rel type alt "
    "title charset http-equiv".split()
)


_ATTRIBUTE = re.compile(r"""\s+([^\s=/>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")


def tame_attributes(html: str) -> str:
    """`html` with each huge tag's attributes cut to the first `_MAX_ATTRIBUTES` (those that
    carry metadata are always kept).

    Parsers are quadratic in a tag's attribute count (libxml2 checks each new attribute
    against the others; trafilatura and htmldate walk them again): one tag of 30,000
    attributes (600 KB) took 51 s to extract. The cut is textual, before any parser; pages
    without a tag over 4 KB come back unchanged after one linear regex scan.
    """

    def cut(tag: re.Match[str]) -> str:
        text = tag.group()
        name_end = re.match(r"<[A-Za-z][^\s/>]*", text)
        assert name_end is not None
        kept: list[str] = []
        for n, attribute in enumerate(_ATTRIBUTE.finditer(text, name_end.end(), len(text) - 1)):
            if n < _MAX_ATTRIBUTES or attribute.group(1).lower() in _KEPT_ATTRIBUTES:
                kept.append(attribute.group())
        return name_end.group() + "".join(kept) + ">"

    return _HUGE_TAG.sub(cut, html)


def _html_to_text(html: str, url: str | None) -> tuple[str, dict[str, str | None]] | None:
    import trafilatura

    html = tame_attributes(html)

    # Options measured by bench/extraction.py on trafilatura's evaluation pages. Tables are kept
    # (trafilatura's default): article text inside <table> (spec boxes, wiki tables, layout
    # tables) is otherwise lost; on the 250 pages this gives +5 found snippets for +2 unwanted.
    # Comments stay out (reader comments are not the article). favor_precision / favor_recall
    # and deduplicate=True each lowered F1 there.
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    if doc is None or not getattr(doc, "text", None):
        return None
    meta = {
        key: (str(getattr(doc, key)) if getattr(doc, key, None) else None)
        for key in ("title", "author", "date", "sitename", "hostname", "url")
    }
    return str(getattr(doc, "text", "")), meta


def _title_from_text(cleaned: Cleaned, source: str) -> tuple[str | None, Cleaned]:
    """First-line heuristic: a short first line without terminal punctuation is the headline."""
    if len(cleaned.paragraphs) < 2:
        return None, cleaned
    first = cleaned.paragraphs[0]
    text = source[first.span.start : first.span.end]
    before = source[: first.span.start]
    if (
        (first.kind == "heading" or len(text.split()) <= _TITLE_MAX_WORDS)
        and not text.rstrip().endswith((".", "!", "?", "…", ":", '"', "”"))
        and before.count("\n\n") <= 3
    ):
        rest = Cleaned(cleaned.paragraphs[1:], cleaned.removed, cleaned.posts, cleaned.dateline)
        return text, rest
    return None, cleaned


_EARLIEST_PUBLISHED = dt.date(1800, 1, 1)


def _infer_published(
    hints: SourceHints,
    meta_date: str | None,
    cleaned: Cleaned,
    body: str,
    raw: RawDocument,
) -> tuple[dt.date | None, DateSource | None, Granularity | None]:
    if hints.published:
        return hints.published, "user", "day"
    # A clue outside the plausible range of a news article's date ("on 2 January 0001",
    # a typo'd meta tag) is no clue: the next one is tried.
    earliest = _EARLIEST_PUBLISHED
    latest = raw.fetched_at.date() + dt.timedelta(days=366)

    def plausible(date: dt.date | None) -> dt.date | None:
        return date if date is not None and earliest <= date <= latest else None

    if meta_date:
        date = plausible(parse_date(meta_date))
        if date:
            return date, "metadata", "day"
    if plausible(cleaned.dateline):
        return cleaned.dateline, "text", "day"
    implied = plausible(date_from_deictic(body, latest_year=raw.fetched_at.year + 1))
    if implied:
        return implied, "text", "day"
    post_dates = [d for p in cleaned.posts if (d := plausible(p.date))]
    if post_dates:
        return max(post_dates), "embedded_post", "day"
    # The latest explicit date in a sentence that does not look ahead is a lower bound.
    candidates = []
    # Sentence bounds and look-ahead cues are found once, then looked up per date (a scan per
    # date was quadratic: 10k dates on one line took 110 s).
    starts = [m.start() for m in re.finditer(r"[.\n]", body)]  # a sentence starts after these
    ends = [m.start() for m in re.finditer(r"\.", body)]  # and runs to the next full stop
    cues = [(m.start(), m.end()) for m in _FUTURE_CUES.finditer(body)]
    cue_starts = [start for start, _ in cues]
    for offset, found in explicit_dates(body):
        if plausible(found) is None:
            continue
        i, j = bisect.bisect_left(starts, offset), bisect.bisect_left(ends, offset)
        first, last = starts[i - 1] + 1 if i else 0, ends[j] if j < len(ends) else len(body)
        k = bisect.bisect_left(cue_starts, first)  # the first cue in the sentence, if any
        if not (k < len(cues) and cues[k][1] <= last):
            candidates.append(found)
    if candidates:
        return max(candidates), "text", "day"
    if raw.source_kind in ("url", "feed", "warc"):
        return raw.fetched_at.date(), "fetch_time", "day"
    return None, None, None


def extract_article(raw: RawDocument, *, settings: Settings = Settings()) -> Article | Rejection:
    """Turn one raw document into a clean Article, or a Rejection with a one-line reason.

    Never raises on bad data: empty, binary, undecodable, script-only or too-short input all
    become a Rejection.
    """
    text, why = decode(raw.data)
    if text is None:
        code = (
            errors.R_EMPTY
            if "empty" in why
            else errors.R_BINARY
            if "binary" in why
            else errors.R_ENCODING
        )
        return _reject(raw, code, why)
    if _control_ratio(text) > 0.05:
        return _reject(raw, errors.R_BINARY, "the input looks binary (too many control characters)")
    hints = raw.hints
    meta: dict[str, str | None] = {}
    if is_html(raw.data, raw.content_type):
        try:
            converted = _html_to_text(text, hints.url)
        except Exception as exc:  # trafilatura/lxml raise many types on hostile markup
            return _reject(
                raw,
                errors.R_BAD_HTML,
                f"the HTML could not be parsed: {type(exc).__name__}: {exc}"[:300],
            )
        if converted is None:
            return _reject(raw, errors.R_NO_TEXT, "no article text found in the HTML page")
        text, meta = converted
    source = _normalise(text)
    cleaned = clean_text(source)
    title: str | None = hints.title or meta.get("title")
    if title and cleaned.paragraphs:
        first = cleaned.paragraphs[0]
        if source[first.span.start : first.span.end].strip() == title.strip():
            cleaned = Cleaned(
                cleaned.paragraphs[1:], cleaned.removed, cleaned.posts, cleaned.dateline
            )
    elif not title:
        title, cleaned = _title_from_text(cleaned, source)
    # Assemble the clean text: kept paragraphs separated by a blank line.
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    pos = 0
    for p in cleaned.paragraphs:
        chunk = source[p.span.start : p.span.end]
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(chunk)
        paragraphs.append(Paragraph(span=Span(pos, pos + len(chunk)), kind=p.kind))
        pos += len(chunk)
    body = "".join(parts)
    if not body.strip():
        return _reject(raw, errors.R_NO_TEXT, "nothing but boilerplate was found in the input")
    if len(body) < settings.min_article_chars:
        return _reject(
            raw,
            errors.R_TOO_SHORT,
            f"the article text is {len(body)} characters, below the minimum of {settings.min_article_chars}",
        )
    language, foreign = languages(body, paragraphs)
    published, published_source, granularity = _infer_published(
        hints, meta.get("date"), cleaned, body, raw
    )
    url = hints.url or meta.get("url")
    outlet = hints.outlet or meta.get("sitename") or _outlet_from_url(url)
    authors = tuple(a.strip() for a in (meta.get("author") or "").split(";") if a.strip())
    return Article(
        id=hash_id("article", raw.id),
        raw_id=raw.id,
        url=url,
        outlet=outlet,
        title=title.strip() if title else None,
        text=body,
        paragraphs=tuple(paragraphs),
        published=published,
        published_source=published_source,
        published_granularity=granularity,
        language=language,
        foreign_lines=foreign,
        authors=authors,
        embedded_posts=cleaned.posts,
        removed=cleaned.removed,
        source_text=source,
        locator=raw.locator,
        extractor=EXTRACTOR,
    )
