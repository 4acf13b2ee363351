"""Plain-text residue: the boilerplate scraped text carries, removed with a recorded reason.

`clean_text(source)` splits text into lines and drops share widgets and counters, photo
credits and captions, section labels and breadcrumbs, date and reading-time lines, bylines
and wire credit lines, newsletter and app promotions, related-link blocks, emoji-only lines
and embed placeholders. It lifts embedded social posts out as separate records, and returns
the kept paragraphs with their offsets into `source`. Every removal is a whole line, recorded
as a `Removal(span, text, reason)`.

Each rule is conservative: a line is removed only when it cannot be a sentence of the
article. Words that are also real subheadings ("Russia", "Analysis"), bare dates (timeline
headings) and bare numbers (fact boxes) are removed only outside the body: before the first
sentence paragraph or after the last one. Wire datelines ("KYIV, March 3 (Reuters) - ...")
are part of the lead sentence and stay whole. Measured on tests/data/residue/cases.jsonl
(bench/residue.py), which holds real-looking residue and real sentences that resemble it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from newsprism.models import EmbeddedPost, ParagraphKind, Removal, Span
from newsprism.timex import parse_date

CLEANER = "clean.rules.v2"

# ---------------------------------------------------------------- share widgets and counters
_SHARE_WIDGET = re.compile(
    r"^(?:share|share this(?: article| story| post| page)?|share on \w+|shares?|tweet|email|e-mail|"
    r"print|copy link|comments?|\d+\s+comments?|reply|like|follow us(?: on \w+)?|save|bookmark)"
    r"\s*:?\s*$",
    re.I,
)
# A line made only of these words (and counts) is a share bar: "Share: Facebook Twitter Email".
_WIDGET_WORDS = frozenset(
    "share shares sharing tweet email e-mail mail print copy copied link comments comment reply "
    "like likes follow save saved bookmark facebook twitter x whatsapp linkedin telegram reddit "
    "pinterest flipboard messenger vk bluesky threads send sms tumblr mastodon gift this article "
    "story post page on via to us full views view reactions url".split()
)
_WIDGET_STRONG = frozenset(
    "share shares tweet email e-mail print copy copied link comments facebook twitter x whatsapp "
    "linkedin telegram reddit pinterest flipboard messenger vk bluesky threads tumblr mastodon".split()
)
_WIDGET_TOKEN = re.compile(r"[^\s:|·•,/()\[\]]+")
_NUMBER_TOKEN = re.compile(r"^\d{1,3}(?:[,.]\d{1,3})*[km]?$")
_COUNTER = re.compile(r"^\s*\d{1,3}(?:[ ,.]\d{3})*(?:[.,]\d)?\s*[KkMm]?\s*$")
_COUNTER_LABELLED = re.compile(
    r"^(?:\d{1,3}(?:[ ,.]\d{3})*(?:[.,]\d)?\s*[KkMm]?\s+(?:shares?|comments?|views?|likes?|reads?|"
    r"reactions?)|(?:shares?|comments?|views?|likes?|reactions?)\s*[:(]?\s*\d[\d,. ]*[KkMm]?\s*\)?|"
    r"(?:view|show|hide|load|read|jump to)\s+(?:all\s+)?(?:\d+\s+)?comments?)$",
    re.I,
)
_LINK_WIDGET = re.compile(r",?\s*opens (?:in )?(?:a )?new (?:tab|window)$", re.I)

# ---------------------------------------------------------------- credits and captions
_AGENCIES = (
    r"getty images|afp|reuters|ap|epa(?:-efe)?|shutterstock|alamy|pa|pa media|bloomberg|dpa|tass|"
    r"sputnik|anadolu|xinhua|ria novosti|efe|ansa|imago|pool"
)
_CREDIT_ONLY = re.compile(
    r"^(?:getty images?|afp|reuters|ap|ap photo|associated press|epa(?:-efe)?|shutterstock|alamy|"
    r"pa media|pa images|bloomberg|anadolu agency|xinhua|tass|sipa|dpa|picture alliance|"
    r"[\w .-]{1,40} via getty images|getty images for [\w .-]{1,40}|reuters/[\w .-]+|imago|"
    r"zuma wire|sopa images|nurphoto|abaca|afp/getty|ap/shutterstock)\s*$",
    re.I,
)
_CREDIT_AGENCY_PART = re.compile(
    r"^(?:getty(?: images)?|afp|reuters|ap|epa(?:-efe)?|shutterstock|alamy|pa(?: media| images)?|"
    r"bloomberg|dpa|tass|sputnik|anadolu|xinhua|imago|zuma(?: wire| press)?|sopa images|nurphoto|"
    r"abaca|sipa|picture alliance|efe|ansa|pool)$",
    re.I,
)
# "REUTERS/Gleb Garanich", "AP Photo/Evgeniy Maloletka", at the end of a caption or alone.
_AGENCY_SLASH = re.compile(
    r"(?:^|\s)(?:REUTERS|Reuters|AFP|EPA(?:-EFE)?|AP(?: Photo)?|ANADOLU|Anadolu|TASS|Sputnik|"
    r"Xinhua|dpa)\s*/\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
    r"(?:\s*/\s*(?:File Photo|Pool|Handout|Illustration|AFP|Getty Images|Reuters))*\s*$"
)
_CREDIT_PREFIX = re.compile(
    r"^(?:photo|photos|photograph|picture|pictures|image|images|credit|photo credit|фото|foto|"
    r"illustration|composite|video|main image|top image|header image|photo illustration)\s*:",
    re.I,
)
_CREDIT_BY = re.compile(r"^(?:photo|photos|photograph|picture|image)\s+(?:by|courtesy of)\s+", re.I)
_CREDIT_PAREN = re.compile(
    r"\((?:(?:photo|photograph|picture|image|credit|фото|foto|source)\s*:\s*[^)]{1,80}|"
    r"(?:AP|AFP|Reuters|EPA|Getty Images|Xinhua|Pool)?\s*Photos?\s*(?:/|by\s)\s*[^)]{1,80})\)\s*$",
    re.I,
)
_CREDIT_BRACKET = re.compile(
    r"\[(?:(?:File|Courtesy|Handout|Screengrab)\s*:?\s*[^\[\]]{0,80}|[^\[\]/]{2,60}/[^\[\]]{2,60})\]\s*$"
)
_CREDIT_TAIL = re.compile(rf"(?:/|\||©|\svia)\s*(?:{_AGENCIES})\s*\)?$", re.I)
# Guardian style: "<caption>. Photograph: Name/Agency" (capitalised label, short credit).
_CREDIT_INLINE = re.compile(
    r"(?:^|[\s.])(?:Photograph|Photo|Photos|Picture|Image|Illustration|Composite|Video)\s*:"
    r"\s*(?P<credit>[^.:\"“”]{2,80})$"
)
# "Dmitry Peskov © Mikhail Metzel/TASS", "... in Brussels - Copyright AP Photo/Name".
_COPYRIGHT_TAIL = re.compile(r"(?:©|(?:^|\s[-–—|]\s*)Copyright\b)\s*(?P<credit>[^©]{0,80})$")
_RIGHTS_RESERVED = re.compile(r"\ball rights reserved\b", re.I)
_BBC_MEDIA = re.compile(r"^(?:image|media|video)\s+(?:source|caption)\s*,", re.I)

# ---------------------------------------------------------------- section labels
# Site chrome: removed wherever it stands.
_LABELS_ANYWHERE = {
    "world news", "uk news", "us news", "advertisement", "advert", "sponsored",
    "sponsored content", "paid content", "paid post", "skip to content", "skip to main content",
    "menu", "read more", "read also", "also read", "related", "related articles",
    "related stories", "related content", "related topics", "more on this story",
    "explore more on these topics", "most read", "most viewed", "most popular", "top stories",
    "latest news", "breaking news", "trending", "newsletter", "subscribe", "sign up",
    "scroll to continue", "scroll to continue with content", "story continues below advertisement",
    "story continues below", "article continues below", "continue reading",
    "continue reading below", "you may also like", "you might also like", "recommended",
    "more stories", "reuse this content", "updated", "listen to this article",
    "gift this article", "accept and continue", "view this post on instagram", "promoted",
    "promoted content", "partner content", "advertising", "sponsored by",
}  # fmt: skip
# Words that are also real subheadings: removed only in the header or footer of the page.
_LABELS_ZONE = {
    "world", "news", "politics", "business", "europe", "opinion", "analysis", "live",
    "ukraine", "war in ukraine", "russia", "tech", "technology", "markets", "economy", "sport",
    "sports", "culture", "science", "health", "environment", "climate", "middle east", "asia",
    "africa", "americas", "local", "local news", "national", "international", "home", "money",
    "hardware", "software", "gadgets", "security", "media", "explainer", "exclusive",
    "interview", "feature", "features", "comment", "editorial", "long read", "the long read",
    "in pictures", "in depth", "fact check", "podcast", "breaking", "video", "watch", "listen",
    "france", "germany", "uk", "us", "asia pacific", "latin america", "defence", "diplomacy",
    "energy", "migration", "elections", "society", "lifestyle", "travel", "finance",
}  # fmt: skip
_WAR_LABEL = re.compile(r"^[\w]+(?:[-–][\w]+)? war$")
_BREADCRUMB_SEP = re.compile(r"\s*(?:\||/|>|›|»|·|•)\s*")
_RELATED_HEADERS = {
    "related topics", "more on this story", "explore more on these topics", "most read",
    "most viewed", "most popular", "related", "related articles", "related stories",
    "related content", "related coverage", "read more", "read next", "you may also like",
    "you might also like", "recommended", "recommended stories", "more stories",
    "more from this section", "suggested topics", "top stories", "trending", "trending now",
    "more news", "further reading", "see also", "read also", "also read", "more on this topic",
    "more on this", "related news", "related reading", "more coverage", "topics", "tags",
    "related tags",
}  # fmt: skip
_RELATED_HEADER = re.compile(r"^(?:also on|more from) [\w .'’-]{1,30}$")
_RELATED_PREFIX = re.compile(
    r"^(?:read more|read also|also read|see also|related|recommended|more|watch|listen|must read|"
    r"don'?t miss|do not miss|read next|more on this|more from [\w ]{1,30}|related articles?|"
    r"related stor(?:y|ies)|related coverage|further reading)\s*[:|]\s*\S",
    re.I,
)
_SEPARATOR = re.compile(r"^[*\-_=~•·#+.\s]{3,}$")

# ---------------------------------------------------------------- date and time lines
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun"
)
_DATE_PREFIXES = frozenset("published updated posted modified edited created".split())
_DATE_WORDS = (
    frozenset(
        f"{_MONTHS} {_WEEKDAYS} last first date time on at am pm a.m. p.m. gmt utc bst cet cest eet "
        "eest msk est edt cst cdt pst pdt et pt ist jst kst local".split()
    )
    | _DATE_PREFIXES
)
_MONTH_WORDS = frozenset(_MONTHS.split())
_DATE_TOKEN = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}[:.]\d{2}(?:[:.]\d{2})?|(?:GMT|UTC)[+-]\d{1,2}(?::?\d{2})?"
    r"|[A-Za-z]+(?:\.[A-Za-z]\.?)?|\d+(?:st|nd|rd|th)?|\S",
    re.I,
)
_DATE_SEPARATORS = frozenset(",-–—|•·:/().")
_ZONE_NAME = re.compile(r"\((?:[\w-]+\s+)?time\)", re.I)  # "(Kyiv time)", "(local time)"
_STAMP_MAX_CHARS = 160  # date stamps and share bars are short; longer lines are never tokenised
_STAMP_SEGMENTS = re.compile(r"\s+[·•|]\s+")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})$")
_RELATIVE_TIME = re.compile(
    r"^(?:(?:updated|published|posted)\s+)?(?:\d{1,3}|an?|one)\s+(?:seconds?|secs?|minutes?|mins?|"
    r"hours?|hrs?|days?|weeks?|months?)\s+ago$",
    re.I,
)
_READ_TIME = re.compile(
    r"^(?:\d{1,3}\s*[-–]?\s*(?:min|mins|minute|minutes)\.?\s+read|reading time\s*:?\s*\d{1,3}\s*"
    r"(?:min|mins|minutes?)\.?)$",
    re.I,
)

# ---------------------------------------------------------------- bylines and wire credits
_NAME_WORD = (
    r"(?:[A-Z][\w'’.-]*|(?:de|da|van|von|der|den|al|el|bin|ibn|le|la|di|du)(?:-[A-Z][\w'’-]*)?)"
)
_BYLINE = re.compile(
    rf"^By\s+(?P<names>{_NAME_WORD}(?:(?:\s*[,|&]\s*|\s+(?:and|with|in|for)\s+|\s+){_NAME_WORD}){{0,15}})\s*$"
)
_NOT_NAMES = frozenset(f"{_MONTHS} {_WEEKDAYS} then contrast now far".split())
_WIRE_CREDITS = re.compile(
    r"^\(?\s*(?:(?:additional|further)\s+)?(?:reporting|writing|editing|compiled|research|graphics|"
    r"production|edited|written|reported|words|text|story|interview|photos|video)\s+by\b",
    re.I,
)
_CONTRIBUTED = re.compile(
    r"\bcontributed(?:\s+reporting)?\s+to\s+this\s+(?:report|story|article)\.?\s*\)?$", re.I
)
_WITH_AGENCIES = re.compile(
    r"^\(?\s*[-–—]?\s*with\s+(?:agencies|wires|news agencies|(?:AFP|AP|Reuters|dpa|Xinhua|TASS)"
    r"(?:\s*(?:,|and)\s*(?:AFP|AP|Reuters|dpa|Xinhua|TASS))*)\s*\)?\.?$",
    re.I,
)
_SOURCE_LINE = re.compile(r"^Sources?\s*:\s*[^.]{1,60}$")
_ROLE_LINE = re.compile(
    r"^(?:[A-Za-z&'’-]+\s+){0,4}(?:editor|correspondent|reporter|writer|journalist|analyst|"
    r"producer|presenter|columnist|contributor)s?$",
    re.I,
)
_AUTHOR_BIO = re.compile(
    r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}\s+is\s+(?:a|an|the|our)\b[^\"“”]{0,120}?\b"
    r"(?:correspondent|reporter|editor|writer|journalist|columnist|analyst|contributor|fellow|"
    r"researcher|author)\b[^\"“”]{0,80}$"
)
_NAME_LINE = re.compile(r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}$")

# ---------------------------------------------------------------- promotions and embeds
_PROMO_VERB = re.compile(
    r"^(?:sign up|subscribe|follow|download|join|get|support|listen to|watch|register|donate|"
    r"install|try|enter your email|sign in|log in|click here|tap here|read more|become a|"
    r"email us|contact us|write to us)\b",
    re.I,
)
_PROMO_NOUN = re.compile(
    r"\b(?:newsletters?|inbox|channel|app|podcasts?|alerts?|updates|whatsapp|telegram|youtube|"
    r"instagram|facebook|twitter|tiktok|google news|subscription|journalism|briefing|digest|"
    r"email address|account|reporting|membership|members?|team|supporter|"
    r"[\w.+-]+@[\w-]+\.[\w.]+)\b",
    re.I,
)
_SENTENCES = re.compile(r"(?<=[.?!])\s+")
_PROMO_SIDE_WORDS = 8
_REPORTED = re.compile(r"\b(?:said|says|told|urged|asked|added|wrote|warned|according)\b", re.I)
_PROMO_ADDRESS = re.compile(r"\b(?:our|your|us|free|today|now|here)\b", re.I)
_PROMO_URL = re.compile(r"^(?:follow|read|see|find|more|watch|listen)\b.{0,150}https?://\S+$", re.I)
_PROMO_PHRASES = {
    "you can share this story on social media", "free weekly newsletter",
    "free daily newsletter", "enter your email address", "download the app",
}  # fmt: skip
_PRIVACY_NOTICE = re.compile(r"^privacy notice\s*:", re.I)
_EMBED_PLACEHOLDER = re.compile(
    r"^(?:allow|show)\s+[\w.]+(?:\s+[\w.]+)?\s+content\?$|"
    r"^this (?:article|page) contains content provided by\b|"
    r"^the bbc is not responsible for the content of external sites\.?$|"
    r"^this content is not available due to your privacy preferences\b",
    re.I,
)
_BLOCKS = (
    (
        re.compile(r"^skip past newsletter promotion$", re.I),
        re.compile(r"^after newsletter promotion$", re.I),
        "promo",
    ),
    (
        re.compile(r"^skip [\w ]{1,20}? (?:post|video|content|feed)(?:,\s*\d+)?$", re.I),
        re.compile(r"^end of [\w ]{1,20}? (?:post|video|content|feed)(?:,\s*\d+)?$", re.I),
        "embed placeholder",
    ),
)
_BLOCK_MAX_LINES = 15
_RELATED_MAX_LINES = 10

# ---------------------------------------------------------------- embedded posts
_MONTH_NAME = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH_DATE = rf"(?:{_MONTH_NAME}\s+\d{{1,2}},\s+\d{{4}}|\d{{1,2}}\s+{_MONTH_NAME}\s+\d{{4}})"
_POST_TIME = r"(?:\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?)?"
_POST_SIGNATURE = re.compile(
    r"(?:(?P<url>pic\.twitter\.com/\w+|https?://t\.co/\w+)\s*)?"
    r"[—–-]\s*(?P<author>[^()\n—–]{1,80}?)\s*\(@(?P<handle>\w[\w.-]{0,60})\)\s*"
    rf"(?P<date>{_MONTH_DATE}){_POST_TIME}\s*$"
)
_FACEBOOK_SIGNATURE = re.compile(
    rf"^Posted by (?P<author>[^\n]{{1,100}}?) on (?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    rf"Saturday|Sunday),\s+)?(?P<date>{_MONTH_DATE})$"
)
_INSTAGRAM_SIGNATURE = re.compile(r"^A post shared by [^\n]{1,80}?\s*\(@[\w.]{1,30}\)$")
_POST_MAX_CHARS = 600

_TERMINAL = (".", "!", "?", "…", '"', "”", "»", "'", "’", ":", ";")
_SENTENCE_END = (".", "!", "…", '"', "”", "»", "'", "’")
_QUOTE_OPEN = ('"', "“", "«", "„")
_DASHES = ("—", "–", "―", "- ")
_HEADER_MAX_LINES = 8
_HEADER_MIN_WORDS = 6


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


@dataclass(frozen=True, slots=True)
class _Verdict:
    reason: str
    zone_only: bool = False  # only before the first or after the last sentence paragraph


def _is_pictograph(ch: str) -> bool:
    """An emoji or pictograph (not ©, ®, °, №, which are symbols of text)."""
    if ch in "©®℗°№™℠":
        return False
    code = ord(ch)
    return (
        unicodedata.category(ch) == "So"
        or 0x1F1E6 <= code <= 0x1F1FF  # regional indicators (flags)
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or ch in "\u200d\ufe0f\ufe0e\u20e3"
    )


def starts_with_emoji(line: str) -> bool:
    stripped = line.lstrip()
    return bool(stripped) and _is_pictograph(stripped[0])


def _strip_emoji(line: str) -> str:
    i = 0
    while i < len(line) and (line[i].isspace() or _is_pictograph(line[i])):
        i += 1
    return line[i:]


def _strip_trailing_emoji(line: str) -> str:
    end = len(line)
    while end > 0 and (line[end - 1].isspace() or _is_pictograph(line[end - 1])):
        end -= 1
    return line[:end]


def _words(line: str) -> int:
    return len(line.split())


def _is_widget_bar(low: str) -> bool:
    if len(low) > _STAMP_MAX_CHARS or low.endswith((".", "!", "?")):
        return False
    tokens = _WIDGET_TOKEN.findall(low)
    if not tokens or len(tokens) > 16:
        return False
    strong = False
    for token in tokens:
        if token in _WIDGET_STRONG:
            strong = True
        elif token not in _WIDGET_WORDS and not _NUMBER_TOKEN.match(token):
            return False
    return strong


def _date_line(line: str) -> tuple[bool, bool] | None:
    """(prefixed, has_date) when the line is only a date/time stamp, else None."""
    if len(line) > _STAMP_MAX_CHARS:
        return None
    tokens = _DATE_TOKEN.findall(_ZONE_NAME.sub(" ", line))
    if not tokens or len(tokens) > 20:
        return None
    anchor = prefixed = has_date = False
    for token in tokens:
        if token in _DATE_SEPARATORS:
            continue
        if token[0].isalpha():
            word = token.lower()
            word = word if word in _DATE_WORDS else word.rstrip(".")
            if word not in _DATE_WORDS and not re.fullmatch(r"(?:gmt|utc)[+-][\d:]+", word):
                return None
            prefixed |= word in _DATE_PREFIXES
            if word in _MONTH_WORDS:
                anchor = has_date = True
        elif _NUMERIC_DATE.match(token):
            anchor = has_date = True
        elif re.fullmatch(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?", token):
            anchor = True
        elif re.fullmatch(r"(?:19|20)\d{2}", token):
            anchor = has_date = True
        elif not re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", token, re.I):
            return None
    return (prefixed, has_date) if anchor else None


def _dateline_date(line: str) -> dt.date | None:
    text = re.sub(
        r"\b(?:published|updated|posted|modified|edited|created|last|first|date|time|on|at)\b:?",
        " ",
        line,
        flags=re.I,
    )
    date = parse_date(text) if text.strip() else None
    if date is not None:
        return date
    for token in _DATE_TOKEN.findall(line):
        m = _NUMERIC_DATE.match(token)
        if not m:
            continue
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        year += 2000 if year < 100 else 0
        day, month = (a, b) if a == b or a > 12 else (b, a) if b > 12 else (0, 0)
        try:
            return dt.date(year, month, day) if day else None
        except ValueError:
            return None
    return None


def _stamp(line: str) -> _Verdict | None:
    """A date, time, "3 hours ago" or "4 min read" line, or several joined by " · "."""
    dated = prefixed = False
    for segment in _STAMP_SEGMENTS.split(line):
        if _RELATIVE_TIME.match(segment) or _READ_TIME.match(segment):
            continue
        date = _date_line(segment)
        if date is None:
            return None
        dated = True
        prefixed |= date[0]
    return _Verdict("date line", zone_only=dated and not prefixed)


def _label(low: str) -> _Verdict | None:
    if low in _LABELS_ANYWHERE:
        return _Verdict("section label")
    if low in _LABELS_ZONE or _WAR_LABEL.match(low):
        return _Verdict("section label", zone_only=True)
    parts = [p for p in _BREADCRUMB_SEP.split(low) if p]
    if len(parts) >= 2 and all(_words(p) <= 4 for p in parts):
        if all(p in _LABELS_ANYWHERE for p in parts):
            return _Verdict("section label")
        if all(p in _LABELS_ANYWHERE or p in _LABELS_ZONE or _WAR_LABEL.match(p) for p in parts):
            return _Verdict("section label", zone_only=True)
        known = parts[0] in _LABELS_ANYWHERE or parts[0] in _LABELS_ZONE
        if known and all(_words(p) <= 3 for p in parts) and not low.endswith(_TERMINAL):
            return _Verdict("section label", zone_only=True)
    return None


def _byline(s: str) -> bool:
    m = _BYLINE.match(s)
    if m:
        names = m["names"].split()
        capitals = [w for w in names if w[0].isupper()]
        if names[0].lower() not in _NOT_NAMES and (
            len(capitals) >= 2 or (capitals and capitals[0].isupper())
        ):
            return True
    if _WIRE_CREDITS.match(s) and _words(s) <= 40:
        wrapped = s.startswith("(") and s.endswith(")")
        if wrapped or ";" in s or not s.endswith(_TERMINAL):
            return True
    if _words(s) <= 30 and _CONTRIBUTED.search(s):
        return True
    if _WITH_AGENCIES.match(s):
        return True
    return bool(_SOURCE_LINE.match(s) and _words(s) <= 7)


def _promo(s: str, low: str) -> bool:
    if _words(s) > 25:
        return False
    if low.rstrip(":.") in _PROMO_PHRASES or _PRIVACY_NOTICE.match(s):
        return True
    if _PROMO_URL.match(s):
        return True
    # A call to action, possibly beside a short sentence: "Want more news like this? Sign up
    # for our free newsletter." Reported speech ("..., he urged supporters") is article text.
    if _REPORTED.search(s) or any(q in s for q in '"“”«»'):
        return False
    sentences = _SENTENCES.split(s)
    for n, sentence in enumerate(sentences):
        if _PROMO_VERB.match(sentence) and _PROMO_NOUN.search(sentence):
            others = sentences[:n] + sentences[n + 1 :]
            if any(_words(x) > _PROMO_SIDE_WORDS for x in others):
                return False
            return not s.endswith(_TERMINAL) or bool(_PROMO_ADDRESS.search(s))
    return False


def _credit(s: str) -> str | None:
    words = _words(s)
    unfinished = not s.endswith((".", "!", "?"))
    bare = s[1:-1].strip() if s.startswith("(") and s.endswith(")") else s
    if _CREDIT_ONLY.match(bare):
        return "photo credit"
    parts = [p for p in re.split(r"\s*/\s*", bare) if p]
    if (
        2 <= len(parts) <= 4
        and unfinished
        and all(_words(p) <= 3 and p[:1].isupper() for p in parts)
        and any(_CREDIT_AGENCY_PART.match(p) for p in parts)
    ):
        return "photo credit"
    if words <= 12 and _AGENCY_SLASH.match(s):
        return "photo credit"
    if _BBC_MEDIA.match(s) and words <= 40:
        return "photo caption/credit"
    if words <= 30 and (_CREDIT_PREFIX.match(s) or _CREDIT_PAREN.search(s)):
        return "photo caption/credit"
    if words <= 12 and unfinished and _CREDIT_BY.match(s):
        return "photo caption/credit"
    if words <= 40 and (_CREDIT_BRACKET.search(s) or _AGENCY_SLASH.search(s)):
        return "photo caption/credit"
    if words <= 25 and _CREDIT_TAIL.search(s) and unfinished:
        return "photo caption/credit"
    inline = _CREDIT_INLINE.search(s)
    if inline and words <= 40 and _words(inline["credit"]) <= 10:
        return "photo caption/credit"
    copyright_ = _COPYRIGHT_TAIL.search(s)
    if copyright_ and words <= 30 and unfinished and _words(copyright_["credit"]) <= 10:
        return "photo caption/credit"
    if words <= 15 and _RIGHTS_RESERVED.search(s):
        return "copyright line"
    return None


def _classify(line: str, *, prev: str = "", next_: str = "") -> _Verdict | None:
    s = line.strip()
    if not s:
        return None
    core = _strip_emoji(s)
    if not core:
        return _Verdict("emoji line")
    low = _strip_trailing_emoji(core).lower().rstrip(":").strip()
    if _SEPARATOR.match(core) and not any(ch.isalnum() for ch in core):
        return _Verdict("separator")
    if _SHARE_WIDGET.match(core) or _is_widget_bar(low):
        if any(ch.isdigit() for ch in core):
            return _Verdict("share counter")
        return _Verdict("share widget")
    if _COUNTER.match(core):
        near_share = any(_SHARE_WIDGET.match(x.strip()) for x in (prev, next_) if x.strip())
        if near_share:
            return _Verdict("share counter")
        return _Verdict("stray number line", zone_only=True)
    if _COUNTER_LABELLED.match(core):
        return _Verdict("share counter")
    if _words(core) <= 12 and _LINK_WIDGET.search(core):
        return _Verdict("link widget")
    credit = _credit(s)
    if credit:
        return _Verdict(credit)
    label = _label(low)
    if label:
        return label
    stamp = _stamp(core)
    if stamp is not None:
        return stamp
    if _byline(core):
        return _Verdict("byline")
    if _promo(core, low):
        return _Verdict("promo")
    if _INSTAGRAM_SIGNATURE.match(core):
        return _Verdict("embedded social post")
    if _EMBED_PLACEHOLDER.match(core):
        return _Verdict("embed placeholder")
    for start_re, end_re, reason in _BLOCKS:
        if start_re.match(core) or end_re.match(core):
            return _Verdict(reason)
    if _RELATED_PREFIX.match(core) and _words(core) <= 25:
        return _Verdict("related link")
    return None


def residue_reason(line: str, *, prev: str = "", next_: str = "") -> str | None:
    """Why a single line is boilerplate, or None if it may be article text.

    Some reasons (subheading-like labels, bare dates, stray numbers) are applied by
    `clean_text` only outside the body of the article; this function reports them anyway.
    """
    verdict = _classify(line, prev=prev, next_=next_)
    return verdict.reason if verdict else None


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
    if text.startswith(_DASHES) and _words(text) <= 30:
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


def _embedded_posts(
    source: str,
    lines: list[tuple[int, int]],
    texts: list[str],
    nonempty: list[int],
    drop: dict[int, str],
) -> list[EmbeddedPost]:
    """Lift out posts: the signature line, the post text before it and emoji-led lines."""
    posts: list[EmbeddedPost] = []
    for pos, i in enumerate(nonempty):
        text = texts[i]
        sig = _POST_SIGNATURE.search(text)
        facebook = None if sig else _FACEBOOK_SIGNATURE.match(text)
        if sig:
            body_end = lines[i][0] + sig.start()
            bare = not text[: sig.start()].strip() and not sig["url"]
            author, handle, date_text, url = sig["author"], sig["handle"], sig["date"], sig["url"]
        elif facebook:
            body_end = lines[i][0]
            bare = True
            author, handle, date_text, url = facebook["author"], None, facebook["date"], None
        else:
            continue
        first = i
        earlier = [k for k in nonempty[:pos] if k not in drop]
        if bare and earlier:
            # The signature stands alone: the post text is the paragraph just before it.
            k = earlier[-1]
            if (
                k == nonempty[pos - 1]
                and not texts[k].endswith(":")
                and len(texts[k]) <= _POST_MAX_CHARS
            ):
                first = k
        for j in reversed([k for k in nonempty[:pos] if k < first]):
            if j in drop or not starts_with_emoji(texts[j]):
                break
            first = j
        start, end = lines[first][0], lines[i][1]
        post_text = source[start:body_end].strip() if body_end > start else ""
        posts.append(
            EmbeddedPost(
                text=post_text,
                author=author.strip() or None,
                handle=handle,
                date=parse_date(date_text),
                url=url,
                span=Span(start, end),
            )
        )
        for k in nonempty:
            if first <= k <= i:
                drop[k] = "embedded social post"
    return posts


def _blocks(texts: list[str], nonempty: list[int], drop: dict[int, str]) -> None:
    """Marked blocks (newsletter promotions, consent placeholders) and related-link lists."""
    for pos, i in enumerate(nonempty):
        if i in drop:
            continue
        text = texts[i]
        for start_re, end_re, reason in _BLOCKS:
            if not start_re.match(text):
                continue
            members = [i]
            for k in nonempty[pos + 1 : pos + 1 + _BLOCK_MAX_LINES]:
                members.append(k)
                if end_re.match(texts[k]):
                    break
            else:
                members = [i]  # no end marker: only the marker line goes
            for k in members:
                drop.setdefault(k, reason)
        if i in drop:
            continue
        low = _strip_emoji(text).lower().rstrip(":").strip()
        if low not in _RELATED_HEADERS and not _RELATED_HEADER.match(low):
            continue
        drop[i] = "related link"
        for k in nonempty[pos + 1 : pos + 1 + _RELATED_MAX_LINES]:
            t = texts[k]
            if (
                k in drop
                or _words(t) > 16
                or t.endswith((".", "!", '"', "”", "’", "'", ":", ";"))
                or t.startswith((*_QUOTE_OPEN, *_DASHES))
            ):
                break
            drop[k] = "related link"


# Links, addresses, numbers, commas and footnote stars are content (a petition URL, an ISBN, a
# signature "XX, Die Redaktion"), never a site's section label (trafilatura-eval pages).
_NOT_A_LABEL = re.compile(r"[\d@,:/*]|www\.", re.I)


def clean_text(source: str) -> Cleaned:
    """Split `source` into kept paragraphs and recorded removals (spans into `source`)."""
    lines = _line_spans(source)
    texts = [source[s:e] for s, e in lines]
    drop: dict[int, str] = {}
    nonempty = [i for i, t in enumerate(texts) if t]

    posts = _embedded_posts(source, lines, texts, nonempty, drop)
    _blocks(texts, nonempty, drop)

    verdicts: dict[int, _Verdict] = {}
    for pos, i in enumerate(nonempty):
        if i in drop:
            continue
        prev = texts[nonempty[pos - 1]] if pos > 0 else ""
        nxt = texts[nonempty[pos + 1]] if pos + 1 < len(nonempty) else ""
        verdict = _classify(texts[i], prev=prev, next_=nxt)
        if verdict:
            verdicts[i] = verdict

    # The body runs from the first sentence paragraph to the last one; labels that are also
    # real subheadings, bare dates and bare numbers go only outside it.
    plain = [i for i in nonempty if i not in drop and i not in verdicts]
    header_end = next(
        (
            i
            for i in plain
            if texts[i].endswith(_SENTENCE_END) and _words(texts[i]) >= _HEADER_MIN_WORDS
        ),
        len(texts),
    )
    if len(nonempty) > _HEADER_MAX_LINES:
        header_end = min(header_end, nonempty[_HEADER_MAX_LINES])
    footer_start = next(
        (i for i in reversed(plain) if texts[i].endswith(_TERMINAL) and _words(texts[i]) >= 3),
        -1,
    )

    def outside_body(i: int) -> bool:
        return i < header_end or i > footer_start

    for pos, i in enumerate(nonempty):
        verdict = verdicts.get(i)
        if verdict is None:
            continue
        if verdict.zone_only and not outside_body(i):
            continue
        if verdict.reason == "stray number line":
            nxt = texts[nonempty[pos + 1]] if pos + 1 < len(nonempty) else ""
            if nxt[:1].islower():  # a fact box: "41" / "ships waiting at anchor"
                continue
        drop[i] = verdict.reason

    # A reporter's name and role under the headline: "Paul Kirby" / "Europe digital editor".
    for pos, i in enumerate(nonempty[1:], 1):
        k = nonempty[pos - 1]
        if (
            i < header_end
            and i not in drop
            and k not in drop
            and _ROLE_LINE.match(texts[i])
            and _words(texts[i]) <= 6
            and _NAME_LINE.match(texts[k])
        ):
            drop[k] = drop[i] = "byline"

    # An author's bio as the very last line: "Anna Kowalski is a Warsaw-based correspondent ..."
    rest = [i for i in nonempty if i not in drop]
    if rest and _AUTHOR_BIO.match(texts[rest[-1]]) and _words(texts[rest[-1]]) <= 30:
        drop[rest[-1]] = "byline"

    dateline: dt.date | None = None
    update_date: dt.date | None = None
    for i in nonempty:
        if drop.get(i) != "date line" or dateline is not None:
            continue
        date = None
        for segment in _STAMP_SEGMENTS.split(_strip_emoji(texts[i])):
            stamp = _date_line(segment)
            if stamp is not None and stamp[1]:
                date = _dateline_date(segment)
                break
        if date is None:
            continue
        if re.search(r"\b(?:updated|modified|edited)\b", texts[i], re.I):
            update_date = update_date or date
        else:
            dateline = date
    dateline = dateline or update_date

    # A short label trailing the last real paragraph is a section label of the site.
    kept = [i for i in nonempty if i not in drop]
    if len(kept) > 2:
        last = kept[-1]
        t = texts[last]
        if (
            _words(t) <= 3
            and not t.endswith(_TERMINAL)
            and not t.startswith((*_QUOTE_OPEN, *_DASHES))
            and not _NOT_A_LABEL.search(t)
        ):
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
