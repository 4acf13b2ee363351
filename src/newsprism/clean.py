"""Plain-text residue: the boilerplate scraped text carries, removed with a recorded reason.

`clean_text(source)` splits text into lines, drops share counters, share widgets, photo
credits and captions, section labels and date lines, lifts embedded social posts out as
separate records, and returns the kept paragraphs with their offsets into `source`. Each rule
is conservative: a line is removed only when it cannot be a sentence of the article (measured
in tests/unit/test_clean.py on real-looking residue and on real sentences that resemble it).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from newsprism.models import EmbeddedPost, ParagraphKind, Removal, Span
from newsprism.timex import parse_date

CLEANER = "clean.rules.v1"

_SHARE_WIDGET = re.compile(
    r"^(?:share|share this(?: article| story| post| page)?|share on \w+|shares?|tweet|email|e-mail|"
    r"print|copy link|comments?|\d+\s+comments?|reply|like|follow us(?: on \w+)?|save|bookmark)"
    r"\s*:?\s*$",
    re.I,
)
_COUNTER = re.compile(r"^\s*\d{1,3}(?:[ ,.]\d{3})*(?:[.,]\d)?\s*[KkMm]?\s*$")
_CREDIT_ONLY = re.compile(
    r"^(?:getty images?|afp|reuters|ap|ap photo|associated press|epa(?:-efe)?|shutterstock|alamy|"
    r"pa media|pa images|bloomberg|anadolu agency|xinhua|tass|sipa|dpa|picture alliance|"
    r"afp via getty images|reuters/[\w .-]+)\s*$",
    re.I,
)
_CREDIT_PREFIX = re.compile(
    r"^(?:photo|photograph|picture|image|credit|photo credit|фото|foto|illustration|video)\s*:",
    re.I,
)
_CREDIT_PAREN = re.compile(
    r"\((?:photo|photograph|picture|image|credit|фото|foto|source)\s*:\s*[^)]{1,80}\)\s*$",
    re.I,
)
_CREDIT_TAIL = re.compile(
    r"(?:/|\||©)\s*(?:getty images|afp|reuters|ap|epa|shutterstock|alamy|pa|bloomberg|dpa)\s*\)?$",
    re.I,
)
_SECTION_LABELS = {
    "world news", "world", "news", "politics", "business", "europe", "opinion", "analysis",
    "advertisement", "advert", "sponsored", "sponsored content", "read more", "read also",
    "related", "related articles", "related stories", "more on this story", "most read",
    "most popular", "trending", "subscribe", "sign up", "newsletter", "top stories", "latest",
    "latest news", "breaking news", "live", "video", "watch", "listen", "ukraine", "war in ukraine",
    "russia", "us news", "uk news", "tech", "technology", "markets", "economy", "sport", "sports",
    "culture", "science", "health", "environment", "climate", "middle east", "asia", "africa",
    "americas", "local", "local news", "national", "international", "home", "menu",
    "skip to content", "money", "hardware", "software", "gadgets", "security", "media",
}  # fmt: skip
_POST_SIGNATURE = re.compile(
    r"(?:(?P<url>pic\.twitter\.com/\w+|https?://t\.co/\w+)\s*)?"
    r"[—–-]\s*(?P<author>[^()\n—–]{1,80}?)\s*\(@(?P<handle>\w{1,30})\)\s*"
    r"(?P<date>(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+\d{4})\s*$"
)
_DATELINE = re.compile(
    r"^(?:(?:published|updated|posted|last updated|date)\s*:?\s*)?(?P<date>[A-Za-z0-9 ,.:-]{6,40})$",
    re.I,
)
_TERMINAL = (".", "!", "?", "…", '"', "”", "»", "'", "’", ":", ";")
_QUOTE_OPEN = ('"', "“", "«", "„")


@dataclass(frozen=True, slots=True)
class CleanParagraph:
    span: Span  # into the source text
    kind: ParagraphKind


@dataclass(frozen=True, slots=True)
class Cleaned:
    paragraphs: tuple[CleanParagraph, ...]
    removed: tuple[Removal, ...]
    posts: tuple[EmbeddedPost, ...]
    dateline: dt.date | None


def _is_pictograph(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat == "So" or 0x1F1E6 <= ord(ch) <= 0x1F1FF or ch in "\u200d\ufe0f"


def starts_with_emoji(line: str) -> bool:
    stripped = line.lstrip()
    return bool(stripped) and _is_pictograph(stripped[0])


def _words(line: str) -> int:
    return len(line.split())


def residue_reason(line: str, *, prev: str = "", next_: str = "") -> str | None:
    """Why a single line is boilerplate, or None if it may be article text."""
    s = line.strip()
    if not s:
        return None
    low = s.lower().rstrip(":").strip()
    if _SHARE_WIDGET.match(s):
        return "share widget"
    if _COUNTER.match(s):
        near_share = any(_SHARE_WIDGET.match(x.strip()) for x in (prev, next_) if x.strip())
        return "share counter" if near_share else "stray number line"
    if _CREDIT_ONLY.match(s):
        return "photo credit"
    if _words(s) <= 30 and (_CREDIT_PREFIX.match(s) or _CREDIT_PAREN.search(s)):
        return "photo caption/credit"
    if _words(s) <= 25 and _CREDIT_TAIL.search(s) and not s.endswith((".", "!", "?")):
        return "photo caption/credit"
    if low in _SECTION_LABELS:
        return "section label"
    return None


def _line_spans(source: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for raw in source.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        # trim white space inside the line so spans point at visible text
        while start < end and source[start].isspace():
            start += 1
        while end > start and source[end - 1].isspace():
            end -= 1
        spans.append((start, end))
    return spans


def _paragraph_kind(text: str, next_text: str | None) -> ParagraphKind:
    if text.startswith(("—", "–", "― ", "- ")) and _words(text) <= 30:
        return "attribution"
    if (
        text.startswith(_QUOTE_OPEN)
        and next_text is not None
        and next_text.startswith(("—", "–", "―"))
    ):
        return "blockquote"
    if _words(text) <= 12 and not text.endswith(_TERMINAL) and not text.startswith(_QUOTE_OPEN):
        return "heading"
    return "body"


def _date_only(line: str) -> dt.date | None:
    m = _DATELINE.match(line.strip())
    if not m or _words(line) > 8 or not re.search(r"\d{4}", line):
        return None
    return parse_date(m["date"])


def clean_text(source: str) -> Cleaned:
    """Split `source` into kept paragraphs and recorded removals (spans into `source`)."""
    lines = [(s, e) for s, e in _line_spans(source)]
    texts = [source[s:e] for s, e in lines]
    drop: dict[int, str] = {}
    posts: list[EmbeddedPost] = []
    nonempty = [i for i, t in enumerate(texts) if t]

    # Embedded posts: the signature line plus the emoji-led lines just before it.
    for i in nonempty:
        sig = _POST_SIGNATURE.search(texts[i])
        if not sig:
            continue
        first = i
        for j in reversed([k for k in nonempty if k < i]):
            if j in drop or not starts_with_emoji(texts[j]):
                break
            first = j
        members = [k for k in nonempty if first <= k <= i]
        start, end = lines[first][0], lines[i][1]
        body_end = lines[i][0] + sig.start()
        post_text = source[start:body_end].strip()
        posts.append(
            EmbeddedPost(
                text=post_text,
                author=sig["author"].strip() or None,
                handle=sig["handle"],
                date=parse_date(sig["date"]),
                url=sig["url"],
                span=Span(start, end),
            )
        )
        for k in members:
            drop[k] = "embedded social post"

    dateline: dt.date | None = None
    for pos, i in enumerate(nonempty):
        if i in drop:
            continue
        prev = texts[nonempty[pos - 1]] if pos > 0 else ""
        nxt = texts[nonempty[pos + 1]] if pos + 1 < len(nonempty) else ""
        reason = residue_reason(texts[i], prev=prev, next_=nxt)
        if reason is None and pos < 4 and dateline is None:
            date = _date_only(texts[i])
            if date is not None:
                dateline, reason = date, "date line"
        if reason:
            drop[i] = reason

    # A short label trailing the last real paragraph is a section label of the site.
    kept = [i for i in nonempty if i not in drop]
    if len(kept) > 2:
        last = kept[-1]
        t = texts[last]
        if _words(t) <= 3 and not t.endswith(_TERMINAL) and not t.startswith(_QUOTE_OPEN):
            drop[last] = "trailing section label"

    removed = tuple(
        Removal(span=Span(*lines[i]), text=texts[i], reason=reason)
        for i, reason in sorted(drop.items())
    )
    kept = [i for i in nonempty if i not in drop]
    paragraphs = []
    for n, i in enumerate(kept):
        next_text = texts[kept[n + 1]] if n + 1 < len(kept) else None
        paragraphs.append(CleanParagraph(Span(*lines[i]), _paragraph_kind(texts[i], next_text)))
    return Cleaned(tuple(paragraphs), removed, tuple(posts), dateline)
