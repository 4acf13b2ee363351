"""Find and normalise time expressions (TIMEX3 style) with rules; no model needed.

`find_timexes(text, anchor)` returns every expression with its span, type and value, resolving
relative ones ("on Tuesday", "last month") against `anchor` (the article's date). The rules are
ours and tested with tables; `dateparser` is used only to read a date-like span our patterns do
not cover, never over whole text (it reads "we" and "in a Tuesday" as dates).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from newsprism.models import TimexType

EXTRACTOR = "timex.rules.v1"

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "fifty": 50, "hundred": 100,
}  # fmt: skip
_VAGUE = {"several", "few", "a few", "many", "some", "couple of", "a couple of"}
_UNIT = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE", "century": "CE"}

_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ORD = r"(?:st|nd|rd|th)?"
_NUM_RE = r"(?:\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"
_VAGUE_RE = r"(?:several|a few|few|many|some|a couple of|couple of)"
_UNIT_RE = r"(?:day|week|month|year|decade|century)s?"


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    type: TimexType
    value: str
    anchor: str | None


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _closest_year(month: int, day: int, anchor: dt.date) -> int:
    """Year for a month/day given without one: the occurrence nearest to the anchor."""
    best = anchor.year
    best_gap: int | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        candidate = _safe_date(year, month, min(day, 28))
        if candidate is None:
            continue
        gap = abs((candidate - anchor).days)
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _weekday_value(weekday: int, modifier: str, anchor: dt.date) -> dt.date:
    modifier = modifier.lower()
    if modifier == "next":
        days_ahead = (weekday - anchor.weekday()) % 7 or 7
        return anchor + dt.timedelta(days=days_ahead)
    if modifier == "this":
        return anchor + dt.timedelta(days=weekday - anchor.weekday())
    back = (anchor.weekday() - weekday) % 7
    if modifier == "last" and back == 0:
        back = 7
    # News reports mostly look back: a bare weekday is the latest one on or before the anchor.
    return anchor - dt.timedelta(days=back)


def _iso_week(date: dt.date) -> str:
    year, week, _ = date.isocalendar()
    return f"{year}-W{week:02d}"


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _duration(amount: str, unit: str) -> str:
    unit_code = _UNIT[unit.lower().rstrip("s")]
    n = _number(amount)
    count = "X" if n is None else str(n)
    if unit_code == "DE":
        return f"P{count}0Y" if n is not None else "PXDE"
    if unit_code == "CE":
        return f"P{n * 100}Y" if n is not None else "PXCE"
    return f"P{count}{unit_code}"


# (compiled pattern, handler name); earlier entries win on equal spans.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{_MONTH_RE}),?\s+(?P<y>\d{{4}})\b", re.I), "dmy"),
    (re.compile(rf"\b(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b", re.I), "dmy"),
    (re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<mm>\d{2})-(?P<d>\d{2})\b"), "iso"),
    (re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{_MONTH_RE})\b(?!\s+\d)", re.I), "dm"),
    (re.compile(rf"\b(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}}){_ORD}\b(?!,?\s*\d{{4}})(?!\d)", re.I), "dm"),
    (re.compile(rf"\b(?P<m>{_MONTH_RE})(?:\s+of)?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I), "my"),
    (re.compile(rf"\b(?:(?P<mod>last|next|this|early|late)\s+)?(?P<w>{_WEEKDAY_RE})\b(?:\s+(?P<part>morning|afternoon|evening|night))?", re.I), "weekday"),
    (re.compile(r"\b(?P<w>today|tonight|yesterday|tomorrow)\b", re.I), "deictic"),
    (re.compile(r"\b(?P<mod>last|next|this|past|coming)\s+(?P<u>week|month|year|weekend)\b", re.I), "rel_unit"),
    (re.compile(rf"\b(?:the\s+)?(?P<dir>coming|next|past|last|recent|previous)\s+(?:(?:few|several|couple\s+of)\s+)?(?P<u>{_UNIT_RE})\b", re.I), "vague_rel"),
    (re.compile(rf"\b(?P<n>{_NUM_RE}|{_VAGUE_RE})[\s-]+(?P<u>{_UNIT_RE})(?:\s+ago)?\b", re.I), "duration"),
    (re.compile(r"\b(?P<w>now|currently|right now|at present|nowadays|at the moment)\b", re.I), "present"),
    (re.compile(r"\b(?P<w>recently|in the past|formerly|previously)\b", re.I), "past"),
    (re.compile(r"\b(?P<w>in the future|soon|eventually)\b", re.I), "future"),
    (re.compile(rf"(?:(?<=\bin )|(?<=\bsince )|(?<=\bby )|(?<=\buntil )|(?<=\bduring )|(?<=\bfrom )|(?<=\bearly )|(?<=\blate )|(?<=\bmid-))(?P<m>{_MONTH_RE})\b(?!\s+\d)", re.I), "month"),
    (re.compile(r"(?:(?<=\bin )|(?<=\bsince )|(?<=\bby )|(?<=\buntil )|(?<=\bduring )|(?<=\bfrom )|(?<=\bof )|(?<=\bbefore )|(?<=\bafter )|(?<=\bthrough ))(?P<y>(?:19|20)\d{2})\b(?!-\d)"), "year"),
]  # fmt: skip

# Words that look like months but are usually something else when not next to a number.
_AMBIGUOUS_MONTHS = {"may", "mar", "jan", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "apr"}


def _value(
    kind: str, m: re.Match[str], anchor: dt.date | None
) -> tuple[TimexType, str, bool] | None:
    """(type, value, used_anchor) for one match, or None to drop it."""
    g = m.groupdict()
    if kind == "dmy":
        date = _safe_date(int(g["y"]), _month(g["m"]), int(g["d"]))
        return None if date is None else ("DATE", date.isoformat(), False)
    if kind == "iso":
        date = _safe_date(int(g["y"]), int(g["mm"]), int(g["d"]))
        return None if date is None else ("DATE", date.isoformat(), False)
    if kind == "dm":
        month, day = _month(g["m"]), int(g["d"])
        if day > 31:
            return None
        if anchor is None:
            return ("DATE", f"XXXX-{month:02d}-{day:02d}", False)
        date = _safe_date(_closest_year(month, day, anchor), month, day)
        return None if date is None else ("DATE", date.isoformat(), True)
    if kind == "my":
        return ("DATE", f"{int(g['y']):04d}-{_month(g['m']):02d}", False)
    if kind == "month":
        if g["m"].lower().rstrip(".") in _AMBIGUOUS_MONTHS and not g["m"][0].isupper():
            return None
        month = _month(g["m"])
        if anchor is None:
            return ("DATE", f"XXXX-{month:02d}", False)
        year = _closest_year(month, 15, anchor)
        return ("DATE", f"{year:04d}-{month:02d}", True)
    if kind == "year":
        return ("DATE", g["y"], False)
    if kind == "weekday":
        if anchor is None:
            return ("DATE", "XXXX-XX-XX", False)
        date = _weekday_value(_WEEKDAYS[g["w"].lower()], g.get("mod") or "", anchor)
        return ("DATE", date.isoformat(), True)
    if kind == "deictic":
        word = g["w"].lower()
        if anchor is None:
            return ("DATE", "PRESENT_REF" if word in ("today", "tonight") else "XXXX-XX-XX", False)
        delta = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
        return ("DATE", (anchor + dt.timedelta(days=delta)).isoformat(), True)
    if kind == "rel_unit":
        mod, unit = g["mod"].lower(), g["u"].lower()
        step = {"last": -1, "past": -1, "next": 1, "coming": 1, "this": 0}[mod]
        if anchor is None:
            return (
                "DATE",
                "PAST_REF" if step < 0 else "FUTURE_REF" if step > 0 else "PRESENT_REF",
                False,
            )
        if unit in ("week", "weekend"):
            value = _iso_week(anchor + dt.timedelta(weeks=step))
            return ("DATE", value + ("-WE" if unit == "weekend" else ""), True)
        if unit == "month":
            year, month = _shift_month(anchor.year, anchor.month, step)
            return ("DATE", f"{year:04d}-{month:02d}", True)
        return ("DATE", f"{anchor.year + step:04d}", True)
    if kind == "vague_rel":
        direction = g["dir"].lower()
        return ("DATE", "FUTURE_REF" if direction in ("coming", "next") else "PAST_REF", False)
    if kind == "duration":
        if m.group(0).lower().endswith("ago"):
            return ("DATE", "PAST_REF", False)
        return ("DURATION", _duration(g["n"], g["u"]), False)
    if kind == "present":
        return ("DATE", "PRESENT_REF", False)
    if kind == "past":
        return ("DATE", "PAST_REF", False)
    if kind == "future":
        return ("DATE", "FUTURE_REF", False)
    return None


def find_timexes(text: str, anchor: dt.date | None = None) -> list[Timex]:
    """Every time expression in `text`, non-overlapping, in text order.

    Args:
        text: the text to scan.
        anchor: the date relative expressions are resolved against (the article's date).
    """
    candidates: list[tuple[int, int, int, str, re.Match[str]]] = []
    for priority, (pattern, kind) in enumerate(_PATTERNS):
        for m in pattern.finditer(text):
            if m.end() > m.start():
                candidates.append((m.start(), -(m.end() - m.start()), priority, kind, m))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    found: list[Timex] = []
    taken_until = -1
    for start, _neg_len, _priority, kind, m in candidates:
        if start < taken_until:
            continue
        result = _value(kind, m, anchor)
        if result is None:
            continue
        typ, value, used_anchor = result
        found.append(
            Timex(
                start=start,
                end=m.end(),
                text=m.group(0),
                type=typ,
                value=value,
                anchor=anchor.isoformat() if used_anchor and anchor else None,
            )
        )
        taken_until = m.end()
    return found


def explicit_dates(text: str) -> list[tuple[int, dt.date]]:
    """Fully specified calendar dates (day, month and year written out) with their offsets."""
    return [
        (t.start, dt.date.fromisoformat(t.value))
        for t in find_timexes(text, None)
        if t.type == "DATE" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.value)
    ]


def parse_date(text: str) -> dt.date | None:
    """Read one date-like string (a metadata value, a dateline, a post signature)."""
    text = text.strip()
    if not text:
        return None
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        return _safe_date(int(iso[1]), int(iso[2]), int(iso[3]))
    dates = explicit_dates(text)
    if dates:
        return dates[0][1]
    import dateparser  # slow import; only for formats our rules do not read

    parsed = dateparser.parse(
        text, settings={"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False}
    )
    return parsed.date() if parsed else None


_DEICTIC_DATE = re.compile(
    rf"\b(?P<rel>today|tomorrow|yesterday)\b[,(\s]+(?:on\s+)?(?:(?P<w>{_WEEKDAY_RE}),?\s+)?"
    rf"(?:(?P<d1>\d{{1,2}}){_ORD}\s+(?P<m1>{_MONTH_RE})|(?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}}){_ORD})"
    r"(?:,?\s+(?P<y>\d{4}))?",
    re.I,
)


def date_from_deictic(text: str, *, latest_year: int) -> dt.date | None:
    """The writing date implied by "tomorrow, Thursday 12 March": 11 March of the year in
    which 12 March is a Thursday (the latest such year up to `latest_year`)."""
    m = _DEICTIC_DATE.search(text)
    if not m:
        return None
    month = _month(m["m1"] or m["m2"])
    day = int(m["d1"] or m["d2"])
    delta = {"today": 0, "tomorrow": 1, "yesterday": -1}[m["rel"].lower()]
    if m["y"]:
        target = _safe_date(int(m["y"]), month, day)
    elif m["w"]:
        weekday = _WEEKDAYS[m["w"].lower()]
        target = next(
            (
                d
                for year in range(latest_year, latest_year - 12, -1)
                if (d := _safe_date(year, month, day)) is not None and d.weekday() == weekday
            ),
            None,
        )
    else:
        return None
    return None if target is None else target - dt.timedelta(days=delta)
