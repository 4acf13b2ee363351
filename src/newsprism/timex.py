"""Find and normalise time expressions (TIMEX3 style) with rules; no model needed.

`find_timexes(text, anchor)` returns every expression with its span, type and value, resolving
relative ones ("on Tuesday", "last month", "a year ago") against `anchor` (the article's date).
The rules are ours and tested with tables; `dateparser` is used only to read a date-like span our
patterns do not cover, never over whole text (it reads "we" and "in a Tuesday" as dates).

Conventions follow TimeML (TIMEX3), as annotated in TimeBank:

* Extents leave out leading prepositions ("in [the past two months]") and keep determiners and
  modifiers: "[the first nine months]", "[early next year]", "[nearly four years ago]",
  "[the end of 1990]", "[Friday, Oct. 23]", "[10 p.m. Wednesday]". Ages ("a 6-year-old") are
  not time expressions.
* Values: calendar dates at their granularity (2026-02-10, 2026-02, 2026, 2026-W07,
  2026-W07-WE, 1989-Q3, 1989-H2, 1998-SU, decades 199, centuries 19), times of day
  (2026-02-10T22:00, 2026-02-10TNI), durations (P3Y, PT2H, PXM for "several months"), sets
  (P1D for "daily", XXXX-WXX-4 for "each Thursday") and the references PRESENT_REF, PAST_REF and
  FUTURE_REF.
* Resolution: a bare weekday is the latest one on or before the anchor, unless the words just
  before it in its sentence look ahead ("will", "is scheduled to", ...), then it is the next
  one. A month or a day of a month without a year is the next one when it is at most about two
  months ahead (news announces what is scheduled) or the sentence looks ahead, else the latest
  one. "A year ago" and "the year-earlier quarter" take the granularity of the
  quarter the text is about, if it has named one ("third-quarter profit ... a year ago" is
  the third quarter of the previous year); "a year earlier", "that year" and "the following
  day" count from the last date named.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from newsprism.budget import Budget
from newsprism.literals import gated
from newsprism.models import TimexType

EXTRACTOR = "timex.rules.v2"

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
_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "1st": 1, "2nd": 2, "3rd": 3,
    "4th": 4,
}  # fmt: skip
# TimeML unit codes; second, minute and hour durations are written PT..
_UNITS = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
    "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE",
}  # fmt: skip
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_SET_WORDS = {"hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W"}
_SET_WORDS |= {"monthly": "P1M", "yearly": "P1Y"}


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first."""
    return "|".join(sorted(words, key=len, reverse=True))


_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ORD = r"(?:st|nd|rd|th)?"
_DIGIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_NUMWORD_RE = rf"(?:(?:{_alt(_TENS)})(?:[\s-]{_DIGIT_WORD})?|{_alt(_SMALL)})"
_NUM_RE = (
    rf"(?:\d+(?:\.\d+)?(?:\s+1/2)?|(?:a\s+|one\s+)?hundred|a\s+dozen|dozen"
    rf"|{_NUMWORD_RE}(?:\s+hundred)?|an?)"
)
_VAGUE_RE = r"(?:several|a\s+few|few|many|some|a\s+couple\s+of|couple\s+of|a\s+couple)"
_UNIT_RE = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|quarters?|years?|decades?"
    r"|century|centuries)"
)
_PLURAL_UNIT_RE = r"(?:seconds|minutes|hours|days|weeks|months|quarters|years|decades|centuries)"
_YEAR_RE = r"(?:1[7-9]\d\d|20\d\d)"
_SPELLED_YEAR_RE = (
    rf"(?:nineteen[\s-]+(?:(?:{_alt(_TENS)})(?:[\s-]+{_DIGIT_WORD})?|ten|eleven|twelve"
    rf"|(?:thir|four|fif|six|seven|eigh|nine)teen|hundred|oh[\s-]+{_DIGIT_WORD})"
    rf"|two\s+thousand(?:\s+and\s+(?:{_alt(_SMALL)}))?)"
)
_TZ_RE = r"(?:[ECMP][SD]T|GMT|UTC|BST|CET)"
_QUARTER_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_HOLIDAYS_RE = (
    r"(?:Christmas(?:\s+(?:Day|Eve))?|New\s+Year's(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?"
    r"|Easter(?:\s+Sunday)?|Election\s+Day|Labor\s+Day|Memorial\s+Day|Independence\s+Day"
    r"|Veterans\s+Day|Halloween|Valentine's\s+Day)"
)

# Words before an expression that make a bare weekday, month or date look ahead.
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won't|going\s+to|scheduled|schedule|plans?|planned|planning|expects?"
    r"|expected|slated|set\s+to|due|is\s+to|are\s+to|would|until|upcoming|starting|begins?"
    r"|resumes?|opens?|could|might|hopes?|aims?|intends?)\b|'ll\b",
    re.I,
)
_AHEAD_DAYS = 61  # a date this close after the anchor is an announcement of what comes
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“(]?[A-Z])|\n")


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    type: TimexType
    value: str
    anchor: str | None


# --------------------------------------------------------------------------- calendar helpers


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _iso_week(date: dt.date) -> str:
    year, week, _ = date.isocalendar()
    return f"{year}-W{week:02d}"


def _weekday_value(weekday: int, modifier: str, anchor: dt.date, ahead: bool = False) -> dt.date:
    """The date of a weekday named with an optional modifier ("last", "next", "this")."""
    modifier = " ".join(modifier.lower().split())
    if modifier in ("next", "this coming", "the following", "coming") or (not modifier and ahead):
        days_ahead = (weekday - anchor.weekday()) % 7
        if modifier in ("next", "the following") and days_ahead == 0:
            days_ahead = 7
        return anchor + dt.timedelta(days=days_ahead)
    if modifier == "this":
        return anchor + dt.timedelta(days=weekday - anchor.weekday())
    back = (anchor.weekday() - weekday) % 7
    if modifier in ("last", "this past", "the previous") and back == 0:
        back = 7
    # News reports mostly look back: a bare weekday is the latest one on or before the anchor.
    return anchor - dt.timedelta(days=back)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 for the last) given weekday of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    ny, nm = _shift_month(year, month, 1)
    last = dt.date(ny, nm, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    line = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * line) // 451
    month, day = divmod(h + line - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _holiday(name: str, year: int) -> dt.date:
    key = " ".join(name.lower().replace("'s", "").split())
    if key.startswith("christmas"):
        return dt.date(year, 12, 24 if key.endswith("eve") else 25)
    if key.startswith("new year"):
        return dt.date(year, 12, 31) if key.endswith("eve") else dt.date(year, 1, 1)
    if key.startswith("thanksgiving"):
        return _nth_weekday(year, 11, 3, 4)
    if key.startswith("easter"):
        return _easter(year)
    if key.startswith("election"):
        return _nth_weekday(year, 11, 0, 1) + dt.timedelta(days=1)
    if key.startswith("labor"):
        return _nth_weekday(year, 9, 0, 1)
    if key.startswith("memorial"):
        return _nth_weekday(year, 5, 0, -1)
    if key.startswith("independence"):
        return dt.date(year, 7, 4)
    if key.startswith("veterans"):
        return dt.date(year, 11, 11)
    if key.startswith("halloween"):
        return dt.date(year, 10, 31)
    return dt.date(year, 2, 14)  # Valentine's Day


def _number(word: str) -> float | None:
    """The value of a count ("two", "twenty four", "5 1/2", "a"); None for a vague one."""
    word = " ".join(word.lower().replace("-", " ").split())
    half = word.endswith(" 1/2")
    if half:
        word = word[:-4]
    try:
        value = float(word)
    except ValueError:
        value = -1.0
    if value < 0:
        if word in ("a", "an"):
            value = 1
        elif word in ("a couple of", "couple of", "a couple"):
            value = 2
        elif word in ("dozen", "a dozen"):
            value = 12
        else:
            total = 0
            for part in word.split():
                if part in ("a", "one") and total == 0:
                    total = 1
                elif part == "hundred":
                    total = max(total, 1) * 100
                elif part in _SMALL:
                    total += _SMALL[part]
                elif part in _TENS:
                    total += _TENS[part]
                else:
                    return None
            value = total
    if not math.isfinite(value) or value > 1_000_000:
        return None  # not a count of anything we can date
    return value + 0.5 if half else value


def _fmt_count(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _unit(word: str) -> str:
    word = word.lower()
    if word == "centuries":
        return "century"
    return word[:-1] if word.endswith("s") else word


def _duration(amount: float | None, unit: str) -> str:
    code = _UNITS[unit]
    if code == "DE":
        return "PXDE" if amount is None else f"P{_fmt_count(amount * 10)}Y"
    if code == "CE":
        return "PXCE" if amount is None else f"P{_fmt_count(amount * 100)}Y"
    count = "X" if amount is None else _fmt_count(amount)
    return f"PT{count}{code}" if unit in ("second", "minute", "hour") else f"P{count}{code}"


# --------------------------------------------------------------------------- points in time


@dataclass(frozen=True, slots=True)
class _Point:
    """A calendar period: its granularity (D, W, M, Q, Y) and its first day."""

    gran: str
    date: dt.date

    def value(self) -> str:
        d = self.date
        if self.gran == "D":
            return d.isoformat()
        if self.gran == "W":
            return _iso_week(d)
        if self.gran == "M":
            return f"{d.year:04d}-{d.month:02d}"
        if self.gran == "Q":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if self.gran == "DE":
            return f"{d.year // 10:03d}"
        if self.gran == "CE":
            return f"{d.year // 100:02d}"
        return f"{d.year:04d}"

    def shift(self, unit: str, n: int, gran: str | None = None) -> _Point:
        """This point moved by n units, at `gran` (default: its own granularity)."""
        d = self.date
        if unit in ("day", "night", "week"):
            try:
                d = d + dt.timedelta(days=n * (7 if unit == "week" else 1))
            except OverflowError:
                return _Point(gran or self.gran, d)  # "99999999 days ago": out of the calendar
        else:
            months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}[unit]
            y, m = _shift_month(d.year, d.month, months * n)
            d = _safe_date(y, m, d.day) or _safe_date(y, m, 28) or d
        return _Point(gran or self.gran, d)


_POINT_RES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "D"),
    (re.compile(r"(\d{4})-W(\d{2})"), "W"),
    (re.compile(r"(\d{4})-Q([1-4])"), "Q"),
    (re.compile(r"(\d{4})-(\d{2})"), "M"),
    (re.compile(r"(\d{4})"), "Y"),
]


def _point(value: str) -> _Point | None:
    for pattern, gran in _POINT_RES:
        m = pattern.match(value)
        if not m:
            continue
        year = int(m[1])
        if gran == "D":
            date = _safe_date(year, int(m[2]), int(m[3]))
        elif gran == "W":
            try:
                date = dt.date.fromisocalendar(year, int(m[2]), 1)
            except ValueError:
                date = None
        elif gran == "Q":
            date = dt.date(year, 3 * int(m[2]) - 2, 1)
        elif gran == "M":
            date = _safe_date(year, int(m[2]), 1)
        else:
            date = dt.date(year, 1, 1) if year >= 1 else None
        return None if date is None else _Point(gran, date)
    return None


def _quarter(year: int, q: int) -> _Point:
    return _Point("Q", dt.date(year, 3 * q - 2, 1))


# --------------------------------------------------------------------------- context


@dataclass(slots=True)
class _Ctx:
    """What the resolver knows while it walks through a text in order."""

    text: str
    anchor: dt.date | None
    ref: _Point | None = None  # the last calendar period named ("a year earlier", "that year")
    ref_quarter: _Point | None = None  # the last quarter named (business reports)

    def looks_ahead(self, start: int) -> bool:
        """Whether the words just before `start`, in its sentence, point to the future."""
        lo = max(0, start - 70)
        window = self.text[lo:start]
        ends = list(_SENTENCE_END.finditer(window))
        if ends:
            window = window[ends[-1].end() :]
        return bool(_FUTURE_CUE.search(window))

    def in_title(self, start: int) -> bool:
        """Whether the word at `start` is capitalised inside a sentence, as in a title ("This
        Week", "60 Minutes"), not at the start of one."""
        if not self.text[start : start + 1].isupper():
            return False
        head = self.text[max(0, start - 40) : start]
        words = head.split()
        if not words:
            return False
        # capitalised words in a row before this one, up to the sentence start
        for word in reversed(words):
            if word[-1] in ".!?:\"“”'‘’`(":
                return False
            if not word[0].isupper() and not word[0].isdigit():
                return True
        return False

    def before(self, start: int, chars: int = 30) -> str:
        return self.text[max(0, start - chars) : start]

    def last_quarter(self, *, reported: bool = False) -> _Point | None:
        """The quarter a report is about: the last one named, else (or when `reported`) the
        last full quarter before the anchor."""
        if self.ref_quarter is not None and not reported:
            return self.ref_quarter
        if self.anchor is None:
            return None
        current = _quarter(self.anchor.year, (self.anchor.month - 1) // 3 + 1)
        return current.shift("quarter", -1)


_Result = tuple[TimexType, str, bool]  # (type, value, used the anchor)
_Handler = Callable[[re.Match[str], _Ctx], _Result | None]


def _year_for(month: int, day: int, ctx: _Ctx, start: int) -> int | None:
    """The year of a month (day 0) or a day of a month named without one.

    The next occurrence when it is at most about two months away (news announces what is
    scheduled) or when the sentence looks ahead ("will", "is scheduled to"); otherwise the
    latest occurrence on or before the anchor.
    """
    anchor = ctx.anchor
    if anchor is None:
        return None
    first = anchor.replace(day=1) if day == 0 else anchor
    this_year = _safe_date(anchor.year, month, day or 1) or dt.date(anchor.year, month, 28)
    upcoming = this_year
    if this_year < first:
        upcoming = _safe_date(anchor.year + 1, month, day or 1) or dt.date(
            anchor.year + 1, month, 28
        )
    if (upcoming - anchor).days <= _AHEAD_DAYS or ctx.looks_ahead(start):
        return upcoming.year
    return anchor.year if this_year <= anchor else anchor.year - 1


# --------------------------------------------------------------------------- handlers


def _h_full_date(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    g = m.groupdict()
    date = _safe_date(int(g["y"]), _month(g["m"] or g["m2"]), int(g["d"] or g["d2"]))
    return None if date is None else ("DATE", date.isoformat(), False)


def _h_iso(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    date = _safe_date(int(m["y"]), int(m["mm"]), int(m["d"]))
    return None if date is None else ("DATE", date.isoformat(), False)


def _h_month_day(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    g = m.groupdict()
    month, day = _month(g["m"] or g["m2"]), int(g["d"] or g["d2"])
    if not 1 <= day <= 31:
        return None
    if ctx.anchor is None:
        return ("DATE", f"XXXX-{month:02d}-{day:02d}", False)
    year = ctx.anchor.year
    if g["w"]:
        # "Friday, Oct. 23": the year, near the anchor, in which that day is that weekday
        weekday = _WEEKDAYS[g["w"].lower()]
        for candidate in (year, year - 1, year + 1):
            d = _safe_date(candidate, month, day)
            if d is not None and d.weekday() == weekday:
                return ("DATE", d.isoformat(), True)
    year = _year_for(month, day, ctx, m.start()) or year
    date = _safe_date(year, month, day)
    return None if date is None else ("DATE", date.isoformat(), True)


def _spelled_year(words: str) -> int | None:
    words = " ".join(words.lower().replace("-", " ").split())
    if words.startswith("two thousand"):
        rest = words[len("two thousand") :].replace("and", "").strip()
        return 2000 + (_SMALL.get(rest, 0) if rest else 0)
    rest = words[len("nineteen") :].strip()
    if rest == "hundred":
        return 1900
    rest = rest.removeprefix("oh ")
    n = _number(rest)
    return None if n is None else 1900 + int(n)


def _year_of(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return _spelled_year(text)


def _h_month_year(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    year = _year_of(m["y"])
    if year is None:
        return None
    return ("DATE", f"{year:04d}-{_month(m['m']):02d}", False)


def _h_month_rel_year(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    if ctx.anchor is None:
        return None
    step = {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return ("DATE", f"{ctx.anchor.year + step:04d}-{_month(m['m']):02d}", True)


def _h_rel_month(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    if not m["m"][0].isupper():
        return None  # "this march"
    month = _month(m["m"])
    if ctx.anchor is None:
        return ("DATE", f"XXXX-{month:02d}", False)
    mod = " ".join(m["mod"].lower().split())
    year = ctx.anchor.year
    if mod in ("last", "this past", "the previous"):
        year -= month >= ctx.anchor.month
    elif mod in ("next", "this coming", "the following"):
        year += month <= ctx.anchor.month
    return ("DATE", f"{year:04d}-{month:02d}", True)


_FULL_MONTHS = {name for name in _MONTHS if len(name) > 3 or name == "may"} - {"sept"}
_MONTH_CONTEXT = re.compile(
    r"\b(?:in|since|by|until|till|through|during|from|early|late|mid|of|before|after|to|and|or"
    r"|between|throughout|last|next|this|on|for)[\s-]*\Z",
    re.I,
)


def _h_month(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    name = m["m"]
    if not name[0].isupper():
        return None
    if name.lower() not in _FULL_MONTHS:
        return None  # "Jan Kavan": an abbreviation needs a day after it
    if name in ("May", "March") and not _MONTH_CONTEXT.search(ctx.before(m.start())):
        return None  # "May I", "March on"
    month = _month(name)
    if ctx.anchor is None:
        return ("DATE", f"XXXX-{month:02d}", False)
    year = _year_for(month, 0, ctx, m.start()) or ctx.anchor.year
    return ("DATE", f"{year:04d}-{month:02d}", True)


def _h_year(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    year = _year_of(m["y"])
    return None if year is None else ("DATE", f"{year:04d}", False)


def _h_spelled_year(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    """ "nineteen ninety-six"; "two thousand" only as "the year two thousand" (else a count)."""
    if m["y"].lower().startswith("two") and not m.group(0).lower().startswith("the"):
        return None
    return _h_year(m, ctx)


def _h_fiscal(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    y = m["y"].lstrip("'")
    year = int(y) if len(y) == 4 else (1900 + int(y) if int(y) > 30 else 2000 + int(y))
    return ("DATE", f"{year:04d}", False)


def _h_decade(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    g = m.groupdict()
    if g["c"]:
        return ("DATE", f"{g['c']}{g['d']}", False)
    words = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties"]
    words.append("nineties")
    digit = int(g["d2"]) if g["d2"] else words.index(g["w"].lower()) + 2
    if g["w"] and not m.group(0).lower().startswith("the"):
        return None
    century = 19
    if ctx.anchor is not None:
        century = ctx.anchor.year // 100
        if digit * 10 > ctx.anchor.year % 100:
            century -= 1
    return ("DATE", f"{century}{digit}", ctx.anchor is not None)


def _h_century(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    if m["this"]:
        if ctx.anchor is None:
            return None
        return ("DATE", f"{ctx.anchor.year // 100:02d}", True)
    n = int(m["n"]) if m["n"] else _ORDINALS.get(m["w"].lower())
    return None if not n else ("DATE", f"{n - 1:02d}", False)


def _season_year(code: str, mod: str, ctx: _Ctx, start: int) -> int | None:
    anchor = ctx.anchor
    if anchor is None:
        return None
    order = ["WI", "SP", "SU", "FA"]
    current = order[(anchor.month % 12) // 3]
    before = order.index(code) < order.index(current)
    if mod in ("last", "this past"):
        return anchor.year if before else anchor.year - 1
    if mod in ("next", "this coming"):
        return anchor.year if order.index(code) > order.index(current) else anchor.year + 1
    if mod == "this" or code == current:
        return anchor.year
    if ctx.looks_ahead(start):
        return anchor.year if not before else anchor.year + 1
    return anchor.year if before else anchor.year - 1


def _h_season(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    code = _SEASONS[m["s"].lower()]
    mod = " ".join((m["mod"] or "").lower().split())
    if m["y"]:
        year = _year_of(m["y"])
        return None if year is None else ("DATE", f"{year:04d}-{code}", False)
    if not mod and not m["det"]:
        return None
    year = _season_year(code, mod, ctx, m.start())
    if year is None:
        return ("DATE", f"XXXX-{code}", False)
    return ("DATE", f"{year:04d}-{code}", True)


def _quarter_default(q: int, ctx: _Ctx) -> _Point | None:
    """The quarter q nearest the anchor: this year's unless that is still two or more quarters
    away (then last year's)."""
    anchor = ctx.anchor
    if anchor is None:
        return None
    current = (anchor.month - 1) // 3 + 1
    year = anchor.year - 1 if q - current > 1 else anchor.year
    return _quarter(year, q)


def _h_quarter(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    g = m.groupdict()
    q = _ORDINALS[g["o"].lower()]
    year_text = g.get("y1") or g.get("y2")
    if g.get("pl"):
        return ("SET", f"XXXX-Q{q}", False)
    if year_text:
        point = _quarter(int(year_text), q)
        used = False
    else:
        rel = (g.get("rel") or g.get("rel2") or "").lower()
        base = _quarter_default(q, ctx)
        if base is None or ctx.anchor is None:
            return ("DATE", f"XXXX-Q{q}", False)
        if rel:
            base = _quarter(ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[rel], q)
        if g.get("ago"):
            base = base.shift("year", -1)
        point = base
        used = True
    return ("DATE", point.value(), used)


def _h_quarter_ref(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    """ "the quarter", "the latest period", "the year-earlier quarter", "the 1988 period"."""
    mods = " ".join((m["mods"] or "").lower().split())
    det = m["det"].lower()
    unit = m["u"].lower()
    year_m = re.search(r"\b(?:19|20)\d\d\b", mods)
    if unit == "period" and not mods:
        return None
    ended = re.match(r"\s+end(?:ed|ing)\b", ctx.text[m.end() : m.end() + 8], re.I)
    if not mods and det != "this" and ctx.ref_quarter is None and not ended:
        return None  # "the quarter" of a city, not of a year
    if ctx.anchor is None:
        return ("DATE", "XXXX-QX", False)
    if det == "this" or "current" in mods:
        point = _quarter(ctx.anchor.year, (ctx.anchor.month - 1) // 3 + 1)
    else:
        latest = any(w in mods for w in ("latest", "recent", "just-ended"))
        base = ctx.last_quarter(reported=latest)
        if base is None:
            return None
        point = base
        if "previous" in mods or "prior" in mods:
            point = base.shift("quarter", -1)
    if year_m:
        point = _quarter(int(year_m.group(0)), (point.date.month - 1) // 3 + 1)
    elif "year-earlier" in mods or "year-ago" in mods or m["ago"]:
        point = point.shift("year", -1)
    return ("DATE", point.value(), True)


def _h_year_ago_adj(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    if ctx.anchor is None:
        return ("DATE", "PAST_REF", False)
    if ctx.ref_quarter is not None:
        return ("DATE", ctx.ref_quarter.shift("year", -1).value(), True)
    return ("DATE", f"{ctx.anchor.year - 1:04d}", True)


def _h_half(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    half = 1 if m["o"].lower() == "first" else 2
    if m["y"]:
        year = _year_of(m["y"])
    elif ctx.anchor is not None:
        rel = (m["rel"] or "this").lower()
        year = ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[rel]
    else:
        return None
    return None if year is None else ("DATE", f"{year:04d}-H{half}", not m["y"])


def _day_of(word: str, ctx: _Ctx, start: int) -> dt.date | None:
    """The date of "today", "Tuesday", "Nov. 6" (the day part of a time or part of day)."""
    anchor = ctx.anchor
    if anchor is None:
        return None
    w = word.lower()
    if w in ("today", "tonight"):
        return anchor
    if w == "yesterday":
        return anchor - dt.timedelta(days=1)
    if w == "tomorrow":
        return anchor + dt.timedelta(days=1)
    if w in _WEEKDAYS:
        return _weekday_value(_WEEKDAYS[w], "", anchor, ctx.looks_ahead(start))
    md = re.match(rf"({_MONTH_RE})\s+(\d{{1,2}})", word, re.I)
    if md:
        month, day = _month(md[1]), int(md[2])
        year_m = re.search(r"\d{4}", word[md.end() :])
        year = int(year_m.group(0)) if year_m else _year_for(month, day, ctx, start)
        return _safe_date(year or anchor.year, month, day)
    return None


def _h_weekday(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    weekday = _WEEKDAYS[m["w"].lower()]
    part = (m["part"] or "").lower()
    if m["pl"] or part.endswith("s"):
        code = _PARTS.get(part.rstrip("s"), "")
        return ("SET", f"XXXX-WXX-{weekday + 1}" + (f"T{code}" if code else ""), False)
    if ctx.anchor is None:
        return ("DATE", "XXXX-XX-XX", False)
    mod = m["mod"] or ""
    date = _weekday_value(weekday, mod, ctx.anchor, ctx.looks_ahead(m.start()))
    if part:
        return ("TIME", f"{date.isoformat()}T{_PARTS[part]}", True)
    return ("DATE", date.isoformat(), True)


def _h_time(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    g = m.groupdict()
    if g["named"]:
        if g["named"][0].isupper() or ctx.before(m.start(), 5).lower().endswith("high "):
            return None  # "High Noon"
        hour, minute = (12, 0) if g["named"].lower() == "noon" else (24, 0)
    else:
        hour, minute = int(g["h"]), int(g["mi"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        pm = g["ap"].lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)
    day_word = g["day"] or ""
    date = _day_of(day_word, ctx, m.start()) if day_word else ctx.anchor
    clock = f"T{hour:02d}:{minute:02d}"
    if date is None:
        return ("TIME", "XXXX-XX-XX" + clock, False)
    return ("TIME", date.isoformat() + clock, True)


def _h_rel_unit(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    if ctx.in_title(m.start("u")):
        return None  # "ABC's "This Week""
    mod = " ".join(m["mod"].lower().split())
    unit = m["u"].lower()
    if mod == "past":
        return ("DURATION", _duration(1, "day" if unit == "weekend" else unit), False)
    step = {"last": -1, "this past": -1, "next": 1, "coming": 1, "this coming": 1, "this": 0}[mod]
    anchor = ctx.anchor
    if anchor is None:
        ref = "PAST_REF" if step < 0 else "FUTURE_REF" if step > 0 else "PRESENT_REF"
        return ("DATE", ref, False)
    if unit in ("week", "weekend"):
        value = _iso_week(anchor + dt.timedelta(weeks=step))
        return ("DATE", value + ("-WE" if unit == "weekend" else ""), True)
    gran = {"month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE"}[unit]
    start = {
        "M": dt.date(anchor.year, anchor.month, 1),
        "Q": _quarter(anchor.year, (anchor.month - 1) // 3 + 1).date,
    }.get(gran, dt.date(anchor.year, 1, 1))
    if gran == "DE":
        start = dt.date(anchor.year - anchor.year % 10, 1, 1)
    elif gran == "CE":
        start = dt.date(anchor.year - anchor.year % 100 or 1, 1, 1)
    return ("DATE", _Point(gran, start).shift(unit, step).value(), True)


def _h_rel_singular(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    """ "the past year" (a duration); "the following day", "the next morning", "the same day"
    (counted from the last date named)."""
    adj = m["adj"].lower()
    unit = m["u"].lower()
    part = ""
    if unit in _PARTS:
        part, unit = unit, "day"
    if adj in ("past", "last", "coming") or (adj == "next" and unit not in ("day", "weekend")):
        if part:
            return None
        return ("DURATION", _duration(1, "day" if unit == "weekend" else unit), False)
    ref = ctx.ref
    if ref is None or ctx.anchor is None:
        return None
    gran = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}.get(unit)
    if gran is None:
        return None
    step = {"following": 1, "next": 1, "previous": -1, "prior": -1, "preceding": -1}.get(adj, 0)
    if ref.gran in ("Y", "Q", "M") and gran == "D":
        return None  # "the following day" after "in March": no day to count from
    point = ref.shift(unit, step, gran)
    if part:
        return ("TIME", f"{point.value()}T{_PARTS[part]}", True)
    return ("DATE", point.value(), True)


# "700 seats a week", "$5 million a year", "twice a day": a rate, not a duration.
_RATE_BEFORE = re.compile(
    rf"(?:\d|\b(?:times|once|twice|percent|million|billion|thousand|hundred|dozen|{_alt(_SMALL)}"
    rf"|{_alt(_TENS)}))\b[^.;:,]{{0,25}}\Z",
    re.I,
)
_DURATION_PREP = re.compile(
    r"\b(?:for|in|within|after|over|than|about|nearly|almost|of)\s+\Z", re.I
)


def _h_duration(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    g = m.groupdict()
    if g.get("old"):
        return None  # an age: "a 6-year-old", "37 years old"
    unit = _unit(g["u"])
    count = g["n"]
    rel = (g.get("rel") or "").lower().strip()
    if ctx.in_title(m.start("u")):
        return None  # a title: "60 Minutes"
    after = ctx.text[m.end() : m.end() + 4].lower()
    if unit == "second" and count.lower() in ("a", "an"):
        return None  # "a second group": the ordinal
    if unit == "quarter" and (
        (g["u"].lower() == "quarters" and "-" in m.group(0)) or after == " of "
    ):
        return None  # a fraction: "three-quarters", "a quarter of the market"
    before = ctx.before(m.start(), 30)
    rate = _RATE_BEFORE.search(before) and not _DURATION_PREP.search(before)
    if count.lower() in ("a", "an") and rate and not rel:
        return None  # a rate: "twice a week", "700 seats a week"
    amount = None if g.get("n1") else _number(count)  # a range, "two to three weeks": PXW
    if g.get("half"):
        amount = None if amount is None else amount + 0.5
    if not rel:
        return ("DURATION", _duration(amount, unit), False)
    anchor = ctx.anchor
    if anchor is None or amount is None or amount != int(amount):
        return ("DATE", "FUTURE_REF" if rel.startswith("from") else "PAST_REF", False)
    n = int(amount)
    if unit in ("second", "minute", "hour"):
        return ("DATE", anchor.isoformat(), True)
    gran = {"day": "D", "night": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}
    gran |= {"decade": "Y", "century": "Y"}
    if rel == "earlier":
        step = -n
        base = ctx.ref if ctx.ref is not None else _Point("D", anchor)
        if unit == "year" and ctx.ref_quarter is not None and base.gran != "D":
            base = ctx.ref_quarter
        own = gran[unit]
        finer = base.gran if "DWMQY".index(base.gran) < "DWMQY".index(own) else own
        return ("DATE", base.shift(unit, step, finer).value(), True)
    step = n if rel.startswith("from") else -n
    if unit == "year" and ctx.ref_quarter is not None and not rel.startswith("from"):
        return ("DATE", ctx.ref_quarter.shift(unit, step).value(), True)
    return ("DATE", _Point("D", anchor).shift(unit, step, gran[unit]).value(), True)


def _h_long(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    word = m["u"].lower()
    if word.endswith("s"):
        return ("DURATION", _duration(None, _unit(word)), False)
    return ("DURATION", _duration(1, word), False)


def _h_vague_rel(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    direction = m["dir"].lower()
    future = direction in ("coming", "next", "upcoming")
    return ("DATE", "FUTURE_REF" if future else "PAST_REF", False)


def _h_ref(value: str) -> _Handler:
    def handler(m: re.Match[str], ctx: _Ctx) -> _Result | None:
        return ("DATE", value, False)

    return handler


def _h_current(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    after = ctx.text[m.end() : m.end() + 12].lower()
    if after.startswith((" account", "-account")):
        return None  # the balance of payments
    return ("DATE", "PRESENT_REF", False)


def _h_set(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    word = m.group(0)
    if word.lower() in _SET_WORDS:
        if not word.islower():
            return None  # "the Daily Telegraph"
        return ("SET", _SET_WORDS[word.lower()], False)
    x = m["x"].lower()
    if x in _WEEKDAYS:
        return ("SET", f"XXXX-WXX-{_WEEKDAYS[x] + 1}", False)
    if x.rstrip(".") in _MONTHS:
        return ("SET", f"XXXX-{_month(x):02d}", False)
    if x in ("morning", "afternoon", "evening"):
        return ("SET", f"XXXX-XX-XXT{_PARTS[x]}", False)
    if x == "weekend":
        return ("SET", "XXXX-WXX-WE", False)
    return ("SET", _duration(1, x), False)


def _h_weekend(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    anchor = ctx.anchor
    if anchor is None:
        return ("DATE", "XXXX-WXX-WE", False)
    if anchor.weekday() >= 5:
        saturday = anchor - dt.timedelta(days=anchor.weekday() - 5)
    elif ctx.looks_ahead(m.start()):
        saturday = anchor + dt.timedelta(days=5 - anchor.weekday())
    else:
        saturday = anchor - dt.timedelta(days=anchor.weekday() + 2)
    return ("DATE", _iso_week(saturday) + "-WE", True)


def _h_year_ended(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    return ("DURATION", "P1Y", False)


def _h_the_year(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    """ "for the year", "the full year", "the current fiscal year": the anchor's year."""
    mod = (m["mod"] or "").lower()
    words = m.group(0).lower().split()
    if mod in ("past", "last", "previous", "coming", "next") and "fiscal" not in words:
        return None  # "the past year" is a duration (another rule)
    if not mod and "fiscal" not in words and not ctx.before(m.start(), 5).lower().endswith("for "):
        return None  # "the year" alone is too often not a time expression
    if ctx.anchor is None:
        return None
    step = {"latest": -1, "past": -1, "last": -1, "previous": -1, "coming": 1, "next": 1}.get(
        mod, 0
    )
    return ("DATE", f"{ctx.anchor.year + step:04d}", True)


_BARE_PLURAL_BEFORE = re.compile(r"\b(?:for|in|within)\s+\Z", re.I)


def _h_bare_plural(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    """ "for years", "within weeks": a vague duration."""
    if not _BARE_PLURAL_BEFORE.search(ctx.before(m.start(), 10)):
        return None
    return ("DURATION", _duration(None, _unit(m["u"])), False)


def _h_unit_end(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    """ "year-end", "the end of the month": the anchor's year or month."""
    anchor = ctx.anchor
    unit = (m["u"] or "year").lower()
    if anchor is None:
        return None
    if unit == "month":
        return ("DATE", f"{anchor.year:04d}-{anchor.month:02d}", True)
    if unit == "week":
        return ("DATE", _iso_week(anchor), True)
    if unit == "quarter":
        return ("DATE", _quarter(anchor.year, (anchor.month - 1) // 3 + 1).value(), True)
    return ("DATE", f"{anchor.year:04d}", True)


def _h_that(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    """ "that year", "that quarter": the last named period at that granularity."""
    unit = m["u"].lower()
    ref = ctx.ref_quarter if unit == "quarter" else ctx.ref
    if ref is None:
        return None
    gran = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}[unit]
    if "DWMQY".index(ref.gran) > "DWMQY".index(gran):
        return None
    return ("DATE", _Point(gran, ref.date).value(), True)


def _h_holiday(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    name = m["h"]
    mod = (m["mod"] or "").lower()
    if m["y"]:
        return ("DATE", _holiday(name, int(m["y"])).isoformat(), False)
    anchor = ctx.anchor
    if anchor is None:
        return ("DATE", "XXXX-XX-XX", False)
    this_year = _holiday(name, anchor.year)
    if mod == "last":
        year = anchor.year if this_year < anchor else anchor.year - 1
    elif mod == "next":
        year = anchor.year if this_year > anchor else anchor.year + 1
    elif mod == "this" or this_year == anchor:
        year = anchor.year
    elif ctx.looks_ahead(m.start()):
        year = anchor.year if this_year > anchor else anchor.year + 1
    else:
        year = anchor.year if this_year < anchor else anchor.year - 1
    return ("DATE", _holiday(name, year).isoformat(), True)


def _h_deictic(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    if ctx.in_title(m.start()):
        return None  # "This is VOA Today."
    return _h_deictic_groups(m["w"] or m["pre"], m["part"] or m["part2"] or "", ctx)


def _h_deictic_groups(word: str, part: str, ctx: _Ctx) -> _Result | None:
    word, part = word.lower(), part.lower()
    if word in ("this", "last") and not part:
        return None
    if ctx.anchor is None:
        if part:
            return ("TIME", f"XXXX-XX-XXT{_PARTS[part]}", False)
        return ("DATE", "PRESENT_REF" if word in ("today", "tonight") else "XXXX-XX-XX", False)
    delta = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "last": -1, "tomorrow": 1}
    date = ctx.anchor + dt.timedelta(days=delta[word])
    if part:
        return ("TIME", f"{date.isoformat()}T{_PARTS[part]}", True)
    return ("DATE", date.isoformat(), True)


# --------------------------------------------------------------------------- patterns

_DUR_PREFIX = (
    r"(?:(?P<det>the|its|their|his|her|our|this|that|these|those)\s+)?"
    r"(?:(?P<adj>past|last|next|first|final|previous|following|coming|latest|initial|entire"
    r"|whole|full|same|remaining|ensuing|preceding|early|year-earlier|year-ago)\s+)?"
)
_DUR_FILL = (
    r"(?:(?:more|additional|extra|trading|business|working|calendar|straight|consecutive|long)\s+)?"
)
_I = re.I

# (compiled pattern, handler); earlier entries win on equal spans.
_PATTERNS: list[tuple[re.Pattern[str], _Handler]] = [
    (re.compile(rf"\b(?:(?P<w>{_WEEKDAY_RE}),?\s+)?(?:(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{_MONTH_RE})|(?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}}){_ORD}),?\s+(?P<y>\d{{4}})\b", _I), _h_full_date),
    (re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<mm>\d{2})-(?P<d>\d{2})\b"), _h_iso),
    (re.compile(rf"\b(?:(?P<w>{_WEEKDAY_RE}),?\s+)?(?:(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{_MONTH_RE})(?!\w)|(?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}}){_ORD}\b)(?!\s*,?\s*\d)", _I), _h_month_day),
    (re.compile(rf"\b(?P<m>{_MONTH_RE})(?:\s+of)?,?\s+(?P<y>{_YEAR_RE}|{_SPELLED_YEAR_RE})\b", _I), _h_month_year),
    (re.compile(rf"\b(?P<m>{_MONTH_RE})\s+(?P<rel>last|this|next)\s+year\b", _I), _h_month_rel_year),
    (re.compile(rf"\b(?P<mod>last|next|this\s+past|this\s+coming|this|the\s+previous|the\s+following)\s+(?P<m>{_MONTH_RE})(?!\w)(?!\s+\d)", _I), _h_rel_month),
    (re.compile(rf"\b(?P<m>{_MONTH_RE})(?!\w)(?!\s+\d)", _I), _h_month),
    (re.compile(rf"(?<![\w$#.,/])(?<!\d-)(?P<y>{_YEAR_RE})\b(?!-\d|[.,]\d|\s*%|\s+percent|'s?\b)"), _h_year),
    (re.compile(rf"\b(?:the\s+year\s+)?(?P<y>{_SPELLED_YEAR_RE})\b", _I), _h_spelled_year),
    (re.compile(rf"\bfiscal(?:\s+year)?\s+(?P<y>{_YEAR_RE}|'\d\d)\b", _I), _h_fiscal),
    (re.compile(r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:(?P<c>1[7-9]|20)(?P<d>\d)0'?s|'(?P<d2>\d)0s|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b", _I), _h_decade),
    (re.compile(rf"\b(?:(?:the\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>{_alt(_ORDINALS)}))|(?P<this>this))\s+century\b", _I), _h_century),
    (re.compile(rf"\b(?:(?P<det>the)\s+|(?P<mod>last|next|this\s+past|this\s+coming|this|early|late)\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<s>spring|summer|fall|autumn|winter)\b(?:(?:\s+of)?,?\s+(?P<y>{_YEAR_RE}|{_SPELLED_YEAR_RE})\b)?(?!\s+of\s+(?!{_YEAR_RE}))", _I), _h_season),
    (re.compile(rf"\b(?:fiscal[\s-]+)?(?:(?P<y1>{_YEAR_RE})\s+)?(?P<o>{_QUARTER_ORD})-quarter\b", _I), _h_quarter),
    (re.compile(rf"\b(?:(?:the|its|this|that)\s+)?(?:(?P<y1>{_YEAR_RE})\s+|(?P<rel>this|last|next)\s+year's\s+|(?P<ago>year-earlier|year-ago|comparable\s+year-ago|comparable\s+year-earlier)\s+|(?:latest|current|comparable|fiscal)\s+)?(?:fiscal[\s-]+)?(?P<o>{_QUARTER_ORD})\s+quarter(?P<pl>s)?\b(?:\s+of\s+(?:(?P<y2>{_YEAR_RE})|(?P<rel2>this|last|next)\s+year))?", _I), _h_quarter),
    (re.compile(rf"\b(?P<det>the|its|this|that)\s+(?P<mods>(?:(?:latest|current|previous|prior|same|comparable|corresponding|recent|most\s+recent|just-ended|year-earlier|year-ago|fiscal|{_YEAR_RE})\s+)*)(?P<u>quarter|period)\b(?P<ago>\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year))?(?!\s+of\s+(?!{_YEAR_RE}))", _I), _h_quarter_ref),
    (re.compile(r"\b(?:year-earlier|year-ago)\b", _I), _h_year_ago_adj),
    (re.compile(rf"\bthe\s+(?P<o>first|second|last|latter)\s+half\s+of\s+(?:(?P<y>{_YEAR_RE})|(?P<rel>this|last|next)\s+year)\b", _I), _h_half),
    (re.compile(rf"\b(?:(?P<mod>last|next|this\s+past|this\s+coming|this|the\s+previous|the\s+following)\s+)?(?P<w>{_WEEKDAY_RE})(?P<pl>s)?\b(?:\s+(?P<part>(?:morning|afternoon|evening|night)s?)\b)?", _I), _h_weekday),
    (re.compile(r"\b(?:(?P<w>today|tonight|yesterday|tomorrow)(?:\s+(?P<part>morning|afternoon|evening|night))?|(?P<pre>this|last|tomorrow|yesterday)\s+(?P<part2>morning|afternoon|evening|night))\b", _I), _h_deictic),
    (re.compile(rf"\b(?:(?P<h>\d{{1,2}})(?:[:.](?P<mi>\d{{2}}))?\s*(?P<ap>[ap]\.\s?m\b\.?|[ap]m\b)|(?P<named>noon|midnight))(?:\s+{_TZ_RE}\b)?(?:,?\s+(?:on\s+)?(?P<day>{_WEEKDAY_RE}|today|tonight|yesterday|tomorrow|{_MONTH_RE}\s+\d{{1,2}}\b(?:,\s+\d{{4}})?))?", _I), _h_time),
    (re.compile(r"\b(?P<mod>last|next|this\s+past|this\s+coming|this|past|coming)\s+(?P<u>week|month|year|weekend|quarter|decade|century)\b", _I), _h_rel_unit),
    (re.compile(r"\bthe\s+(?P<adj>past|last|next|coming|previous|following|prior|preceding|same)\s+(?P<u>day|week|weekend|month|quarter|year|decade|century|morning|afternoon|evening|night)\b", _I), _h_rel_singular),
    (re.compile(rf"\b{_DUR_PREFIX}(?:(?P<n1>{_NUM_RE})\s+(?:to|or|-)\s+)?(?P<n>{_NUM_RE}|{_VAGUE_RE})\s+{_DUR_FILL}(?P<u>{_UNIT_RE})\b(?!-)(?P<half>\s+and\s+a\s+half)?(?P<old>\s+old\b)?(?:\s+or\s+so)?(?:\s+(?P<rel>ago|earlier|from\s+now))?", _I), _h_duration),
    (re.compile(rf"\b(?:(?P<det>an?)\s+)?(?P<n>{_NUM_RE})-(?P<u>{_UNIT_RE})(?P<old>-old\b)?(?(det)\s+(?:period|span|stretch|term|stint)\b)", _I), _h_duration),
    (re.compile(r"\b(?P<u>hour|day|week|month|year|decade)s?-long\b", _I), _h_long),
    (re.compile(rf"\b(?:the\s+)?(?P<dir>coming|recent|upcoming|next|past|previous)\s+(?P<u>{_PLURAL_UNIT_RE})\b", _I), _h_vague_rel),
    (re.compile(r"\b(?:right\s+now|now|currently|at\s+present|nowadays|these\s+days)\b", _I), _h_ref("PRESENT_REF")),
    (re.compile(r"\bcurrent\b", _I), _h_current),
    (re.compile(r"\b(?:recently|recent|the\s+past)\b", _I), _h_ref("PAST_REF")),
    (re.compile(r"\bthe\s+(?:(?:near|distant|foreseeable)\s+)?future\b|\bthe\s+(?:near|short|long|longer)\s+term\b", _I), _h_ref("FUTURE_REF")),
    (re.compile(rf"\b(?:hourly|daily|nightly|weekly|monthly|yearly)\b|\b(?:every|each)\s+(?:other\s+)?(?P<x>day|night|morning|afternoon|evening|week|weekend|month|quarter|year|hour|minute|{_WEEKDAY_RE}|{_MONTH_RE})\b", _I), _h_set),
    (re.compile(r"\bthe\s+weekend\b", _I), _h_weekend),
    (re.compile(r"\bthe\s+(?:fiscal\s+)?year(?=\s+(?:ended|ending|to)\b)", _I), _h_year_ended),
    (re.compile(r"\bthe\s+(?:(?P<mod>full|current|latest|past|last|previous|coming|next)\s+)?(?:fiscal\s+|calendar\s+)?year\b(?!\s+(?:ended|ending|to)\b)", _I), _h_the_year),
    (re.compile(rf"\b(?P<u>{_PLURAL_UNIT_RE})\b", _I), _h_bare_plural),
    (re.compile(r"\b(?:year-end|year\s+end|year's\s+end|the\s+(?:end|beginning|start|middle)\s+of\s+the\s+(?P<u>month|week|year|quarter))\b", _I), _h_unit_end),
    (re.compile(r"\bthat\s+(?:same\s+)?(?P<u>day|week|month|quarter|year)\b", _I), _h_that),
    (re.compile(rf"\b(?:(?P<mod>last|next|this)\s+)?(?P<h>{_HOLIDAYS_RE})(?:,?\s+(?P<y>{_YEAR_RE}))?\b"), _h_holiday),
]  # fmt: skip
# the same patterns behind a look-ahead for the characters they can start with (same matches;
# half the time of the scan on real news, see `literals.gated`)
_PATTERNS = [(gated(p), h) for p, h in _PATTERNS]


# The only patterns that give a full calendar date without an anchor (a weekday, a month and
# day, "yesterday" need the article's date): `explicit_dates` scans with these alone, in the
# same priority order (the other 35 patterns cost 10% of an article's analysis, twice).
_FULL_DATE_PATTERNS = [(p, h) for p, h in _PATTERNS if h in (_h_full_date, _h_iso, _h_holiday)]

# Handlers whose value counts from an earlier date: they do not become the reference themselves.
_DERIVED: set[_Handler] = {
    _h_duration,
    _h_quarter_ref,
    _h_year_ago_adj,
    _h_that,
    _h_rel_singular,
}

# Modifiers TimeML keeps inside the extent; the value stays that of the expression they modify.
_POSITION_MOD = re.compile(
    r"(?:\b(?:early|late|mid|earlier|later|sometime|around)(?:\s+|-)"
    r"|\bthe\s+(?:very\s+)?(?:end|beginning|start|middle|close|turn)\s+of\s+)\Z",
    re.I,
)
_APPROX_MOD = re.compile(
    r"\b(?:nearly|around|approximately|roughly|some|more\s+than"
    r"|less\s+than|fewer\s+than|at\s+least|at\s+most|no\s+more\s+than|no\s+less\s+than|up\s+to"
    r"|just\s+over|just\s+under|well\s+over|barely)\s+\Z",
    re.I,
)
_SENTENCE_FINAL_DOT = re.compile(r"\.(?=\s*(?:\n|\Z|\s[A-Z\"“]))")


def _extend(ctx: _Ctx, start: int, end: int, typ: TimexType, value: str, floor: int) -> int:
    """`start` grown leftwards over modifiers TimeML keeps in the extent ("early", "the end
    of", "nearly"), never past `floor` (the end of the previous expression)."""
    text = ctx.text
    for _ in range(3):
        head = text[max(floor, start - 40) : start]
        core = text[start:end].lower()
        if typ in ("DATE", "TIME") and value[:1].isdigit() and not core.startswith("the "):
            m = _POSITION_MOD.search(head)
            if m:
                start -= len(m.group(0))
                continue
        if typ in ("DURATION", "TIME") or (typ == "DATE" and core.endswith(("ago", "earlier"))):
            m = _APPROX_MOD.search(head)
            if m and not core.startswith("the "):
                start -= len(m.group(0))
                continue
        break
    return start


def find_timexes(
    text: str, anchor: dt.date | None = None, *, budget: Budget | None = None
) -> list[Timex]:
    """Every time expression in `text`, non-overlapping, in text order.

    Args:
        text: the text to scan.
        anchor: the date relative expressions are resolved against (the article's date).
        budget: work budget of the article (see `newsprism.budget`); None: unlimited.
    """
    return _scan(text, anchor, _PATTERNS, budget)


def _scan(
    text: str,
    anchor: dt.date | None,
    patterns: Sequence[tuple[re.Pattern[str], _Handler]],
    budget: Budget | None,
) -> list[Timex]:
    candidates: list[tuple[int, int, int, _Handler, re.Match[str]]] = []
    for priority, (pattern, handler) in enumerate(patterns):
        for m in pattern.finditer(text):
            if m.end() > m.start():
                candidates.append((m.start(), -(m.end() - m.start()), priority, handler, m))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    ctx = _Ctx(text=text, anchor=anchor)
    found: list[Timex] = []
    taken_until = 0
    for start, _neg_len, _priority, handler, m in candidates:
        if budget is not None:
            budget.spend()
        if start < taken_until:
            continue
        try:
            result = handler(m, ctx)
        except (OverflowError, ValueError):
            result = None  # resolved off the calendar (an anchor near year 1 or 9999)
        if result is None:
            continue
        typ, value, used_anchor = result
        end = m.end()
        if m.group(0).lower().endswith("m.") and _SENTENCE_FINAL_DOT.match(text, end - 1):
            end -= 1  # "at 10 p.m." ending a sentence: the full stop is not part of it
        start = _extend(ctx, start, end, typ, value, taken_until)
        point = _point(value) if typ in ("DATE", "TIME") and value[:1].isdigit() else None
        if point is not None and handler not in _DERIVED:
            ctx.ref = point
            if point.gran == "Q":
                ctx.ref_quarter = point
        found.append(
            Timex(
                start=start,
                end=end,
                text=text[start:end],
                type=typ,
                value=value,
                anchor=anchor.isoformat() if used_anchor and anchor else None,
            )
        )
        taken_until = end
    return found


def explicit_dates(text: str) -> list[tuple[int, dt.date]]:
    """Fully specified calendar dates (day, month and year written out) with their offsets."""
    return [
        (t.start, dt.date.fromisoformat(t.value))
        for t in _scan(text, None, _FULL_DATE_PATTERNS, None)
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
