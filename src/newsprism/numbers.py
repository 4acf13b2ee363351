"""Numbers as news text writes them: digits, number words, ordinals, ranges, percentages,
money and the date tokens that look like counts ("Sept. 11", "9/11", "2016").

`quantities(text)` finds every number expression with its character span, its kind and the
interval its wording allows ("more than forty" is [40, inf), "between 40 and 50" is [40, 50]).
Number words are read by `text2num` (a maintained parser: "Twenty-six" is 26, "one hundred
and five" is 105); the rest is rules. Pure and model-free.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from text_to_num import text2num

Kind = Literal["count", "percent", "money", "ordinal", "date", "year"]

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion"
).split()
_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
    "thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth hundredth thousandth"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "m": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "k": 1e3,
}
_MONTHS = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_WORD = r"(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
# "twenty-six", "one hundred and five", "two million": number words joined by spaces,
# hyphens or "and" (only between two number words)
_WORDS_RUN = _WORD + r"(?:(?:[\s-]+|\s+and\s+)" + _WORD + r")*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ORD_RUN = (
    r"(?:(?:"
    + "|".join(_TENS)
    + r")[\s-])?(?:"
    + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
    + r")|\d+(?:st|nd|rd|th)"
)
_QUAL = (
    r"(?P<q>more than|over|at least|as many as|up to|fewer than|less than|under|nearly|almost|"
    r"about|around|roughly|approximately|some|close to|just over|just under|upwards of|"
    r"an estimated|no fewer than|no more than|as few as)\s+"
)
_NUM = r"(?:" + _DIGITS + r"|" + _WORDS_RUN + r")"
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion)\b|(?:m|mn|bn|k)\b)"
_PCT = r"(?:\s*%|\s+percent(?:age points?)?\b|\s+per cent\b|\s+percentage points?\b)"

_PATTERN = re.compile(
    # dates first, so their numbers are never read as counts
    r"(?P<date>\b" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4}\b)?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"\b(?:,?\s+\d{4}\b)?"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b)"
    r"|(?P<ord>\b(?:" + _ORD_RUN + r")\b)"
    r"|(?:(?<![\w.,$£€-])" + "(?:" + _QUAL + r")?"
    r"(?:(?P<between>between|from)\s+)?"
    r"(?P<cur>[$£€])?\s?(?P<v>" + _NUM + r")(?P<scale>" + _SCALE + r")?(?P<pct>" + _PCT + r")?"
    r"(?:(?P<sep>\s*(?:-|–|to|and)\s*)(?P<cur2>[$£€])?(?P<v2>"
    + _NUM
    + r")(?P<scale2>"
    + _SCALE
    + r")?(?P<pct2>"
    + _PCT
    + r")?)?"
    r"(?![\w,]*\d)(?!\.\d)(?!\w)(?P<dollars>\s+dollars\b)?)"
    r"|(?P<vague>\b(?:dozens|scores|hundreds|thousands|millions|billions)\s+of\b)"
    r"|(?P<dozen>\b(?:a|one)\s+dozen\b)",
    re.I,
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number expression: its text and span in the sentence, what kind of number it is,
    its value and the interval [low, high] its wording allows."""

    text: str
    start: int
    end: int
    kind: Kind
    value: float
    low: float
    high: float
    exact: bool  # written without a qualifier, a range or a vague plural
    unit: str = ""  # "%" or "points" for a percent, the currency for money


def number_value(words: str) -> float | None:
    """The value of digits or number words: "26", "2,400", "Twenty-six", "one hundred and
    five", "a dozen". None when it is not a number."""
    w = words.strip().lower().replace("\u2013", "-")
    if not w:
        return None
    if re.fullmatch(_DIGITS, w):
        return float(w.replace(",", ""))
    if w in ("a dozen", "one dozen", "dozen"):
        return 12.0
    w = re.sub(r"\s+", " ", w.replace("-", " "))
    if w in _UNITS:
        return float(_UNITS.index(w)) if _UNITS.index(w) < 20 else _single(w)
    try:
        return float(text2num(w, "en"))
    except ValueError:
        return None


def _single(word: str) -> float:
    if word in _TENS:
        return float(20 + 10 * _TENS.index(word))
    return 100.0 if word == "hundred" else _SCALES[word]


def ordinal_value(text: str) -> int | None:
    """ "21st" -> 21, "twenty-first" -> 21, "third" -> 3."""
    t = text.lower().replace("-", " ").strip()
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", t)
    if m:
        return int(m.group(1))
    parts = t.split()
    if not parts or parts[-1] not in _ORDINAL_WORDS:
        return None
    last = _ORDINAL_WORDS.index(parts[-1])
    units = last + 1 if last < 20 else (30 + 10 * (last - 20) if last < 28 else 0)
    if last == 28:
        units = 100
    if last == 29:
        units = 1000
    if len(parts) == 2 and parts[0] in _TENS:
        return 20 + 10 * _TENS.index(parts[0]) + units
    return units if len(parts) == 1 else None


def _interval(q: str, value: float) -> tuple[float, float]:
    if q in ("about", "around", "roughly", "approximately", "some", "close to", "an estimated"):
        return value * 0.9, value * 1.1
    if q in ("nearly", "almost", "just under"):
        return value * 0.85, value
    if q in ("more than", "over", "at least", "upwards of", "no fewer than", "just over"):
        return value, math.inf
    if q in ("fewer than", "less than", "under", "up to", "no more than", "as many as"):
        return 0.0, value
    if q == "as few as":
        return value, value
    return value, value


def _scaled(raw: str, scale: str | None) -> float | None:
    value = number_value(raw)
    if value is None:
        return None
    if scale:
        value *= _SCALES[scale.strip().lower()]
    return value


def quantities(text: str) -> list[Quantity]:
    """Every number expression in `text`, in order.

    Kinds: "date" ("Sept. 11", "11 September 2001", "9/11"), "year" (a bare 1800-2099 without
    a unit), "ordinal" ("21st", "twenty-first"), "percent", "money" ($, £, €, "dollars") and
    "count" (the rest). "one" alone is left out: it is a pronoun or an article far more often
    than a count ("one of the", "no one").
    """
    out: list[Quantity] = []
    pos = 0
    while (m := _PATTERN.search(text, pos)) is not None:
        s, e = m.start(), m.end()
        pos = max(e, s + 1)
        if m.group("date"):
            out.append(Quantity(m.group(0), s, e, "date", math.nan, math.nan, math.nan, True))
            continue
        if m.group("ord"):
            v = ordinal_value(m.group("ord"))
            if v is not None:
                fv = float(v)
                out.append(Quantity(m.group(0), s, e, "ordinal", fv, fv, fv, True))
            continue
        if m.group("vague"):
            word = m.group("vague").split()[0].lower()
            base = {"dozens": 24.0, "scores": 40.0}.get(word) or 2 * _SCALES.get(word[:-1], 100.0)
            out.append(Quantity(m.group(0), s, e, "count", base, base, math.inf, False))
            continue
        if m.group("dozen"):
            out.append(Quantity(m.group(0), s, e, "count", 12.0, 12.0, 12.0, True))
            continue
        raw = m.group("v")
        value = _scaled(raw, m.group("scale"))
        if value is None or raw.lower() in _SCALES or raw.lower() == "hundred":
            continue  # "half a billion", "quarter-million": a fraction we do not read
        if m.group("v2") is not None and not m.group("between"):
            v2_ = number_value(m.group("v2"))
            sep_ = m.group("sep").strip().lower()
            if v2_ is not None and v2_ < value and sep_ in ("-", "–", "to"):
                continue  # "52-47", "257 to 150": a tally or score, not a figure
        second = m.group("v2")
        pct = bool(m.group("pct") or m.group("pct2"))
        money = bool(m.group("cur") or m.group("cur2") or m.group("dollars"))
        kind: Kind = "percent" if pct else "money" if money else "count"
        q = (m.group("q") or "").lower()
        low, high = _interval(q, value)
        exact = not q
        if second is not None:
            sep = m.group("sep").strip().lower()
            scale2 = m.group("scale2") or m.group("scale")
            v2 = _scaled(second, scale2)
            if m.group("scale2") and not m.group("scale") and value < 1000 and v2 is not None:
                value *= _SCALES[m.group("scale2").strip().lower()]  # "2 to 3 million"
            if v2 is None or (sep == "and" and not m.group("between")):
                # "40 and 50" without "between" is two figures: keep the first only
                e = pos = m.start("sep")
            elif v2 > value:
                low, high, exact = value, v2, False
            else:
                e = pos = m.start("sep")  # "304 to 227" is a score: two figures
        if kind == "count" and not m.group("scale") and _YEAR.match(raw) and second is None:
            kind = "year"
        if kind == "count" and raw.lower() == "one" and second is None:
            continue
        if kind == "percent":
            unit = "points" if re.search(r"points?\b", m.group(0), re.I) else "%"
        elif kind == "money":
            unit = (m.group("cur") or m.group("cur2") or "$").replace("dollars", "$")
        else:
            unit = ""
        span = text[s:e].rstrip()
        out.append(Quantity(span, s, s + len(span), kind, value, low, high, exact, unit))
    return out
