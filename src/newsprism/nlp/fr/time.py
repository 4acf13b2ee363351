"""French time expressions, TIMEX3-style, resolved against the article's date.

Dates ("le 3 mars 2024", "1er janvier", "mars 2024", "en 2023"), weekdays ("mardi",
"mardi dernier", "jeudi prochain"), deictic days ("hier", "aujourd'hui", "demain",
"avant-hier", "après-demain", "ce matin", "ce soir"), relative periods ("la semaine
dernière", "le mois prochain", "l'an dernier", "l'année prochaine", "cette année") and
offsets ("il y a deux jours", "il y a trois semaines", "dans deux mois"), and durations
("pendant deux ans", "depuis trois mois").

Resolution follows the English rules (`timex`): a bare weekday is the latest one on or
before the article's date, a day and month without a year is the latest such day not more
than `_AHEAD_DAYS` after the article's date, and every relative value records its anchor.
Without an article date, relative expressions are left out (an absolute date stays).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence

from newsprism.budget import Budget
from newsprism.literals import gated
from newsprism.models import Span, TimeExpression, TimexType
from newsprism.timex import _duration, _iso_week, _safe_date, _shift_month, _weekday_value

EXTRACTOR = "timex.fr.rules.v1"

_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    "janv.": 1, "févr.": 2, "avr.": 4, "juil.": 7, "sept.": 9, "oct.": 10, "nov.": 11,
    "déc.": 12,
}  # fmt: skip
_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6
}  # fmt: skip
_NUMBERS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
    "trente": 30, "quelques": None, "plusieurs": None,
}  # fmt: skip
# French unit -> the English unit name `timex._duration` knows
_UNITS = {
    "jour": "day", "jours": "day", "semaine": "week", "semaines": "week", "mois": "month",
    "an": "year", "ans": "year", "année": "year", "années": "year", "heure": "hour",
    "heures": "hour", "minute": "minute", "minutes": "minute", "décennie": "decade",
    "décennies": "decade", "siècle": "century", "siècles": "century",
}  # fmt: skip
_AHEAD_DAYS = 61  # as in timex: a date this close after the anchor is announced, not past

_A = "['’]"
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_WEEKDAY_RE = "|".join(_WEEKDAYS)
_NUM_RE = r"\d+|" + "|".join(_NUMBERS)
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_YEAR_RE = r"(?:1[89]|20)\d\d"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "date",
        re.compile(
            rf"\b(?:(?P<wd>{_WEEKDAY_RE})\s+)?(?P<d>1er|[12]?\d|3[01])\s+(?P<m>{_MONTH_RE})"
            rf"(?:\s+(?P<y>{_YEAR_RE}))?(?![\w])",
            re.I,
        ),
    ),
    ("numeric", re.compile(rf"(?<![\d/.])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>{_YEAR_RE})\b")),
    ("month_year", re.compile(rf"\b(?P<m>{_MONTH_RE})\s+(?P<y>{_YEAR_RE})\b", re.I)),
    (
        "month",
        re.compile(
            rf"\b(?P<pre>en|depuis|dès|fin|début|mi-)\s*(?P<m>{_MONTH_RE})(?![\w])"
            rf"(?!\s+{_YEAR_RE})",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?P<wd>{_WEEKDAY_RE})(?:\s+(?P<mod>dernier|prochain|passé))?"
            r"(?:\s+(?P<part>matin|après-midi|soir))?\b",
            re.I,
        ),
    ),
    (
        "deictic",
        re.compile(
            rf"\b(?P<w>avant-hier|après-demain|hier|demain|aujourd{_A}hui)"
            r"(?:\s+(?P<part>matin|après-midi|soir))?\b"
            r"|\b(?P<this>ce\s+(?:matin|soir)|cette\s+nuit)\b",
            re.I,
        ),
    ),
    (
        "period",
        re.compile(
            rf"\b(?:(?P<det>la|le|l{_A})\s*(?P<u>semaine|mois|an|année)\s+(?P<mod>dernière|"
            r"dernier|passée|passé|prochaine|prochain|précédente|précédent|suivante|suivant)"
            r"|(?P<this>cette\s+(?:semaine|année)|ce\s+mois(?:-ci)?|cet\s+été|cet\s+hiver))\b",
            re.I,
        ),
    ),
    (
        "offset",
        re.compile(rf"\b(?P<dir>il\s+y\s+a|dans)\s+(?P<n>{_NUM_RE})\s+(?P<u>{_UNIT_RE})\b", re.I),
    ),
    (
        "duration",
        re.compile(
            rf"\b(?P<pre>pendant|depuis|durant)\s+(?P<n>{_NUM_RE})\s+(?P<u>{_UNIT_RE})\b", re.I
        ),
    ),
    (
        "year",
        re.compile(rf"\b(?P<pre>en|depuis|dès|d{_A}ici|avant|après)\s+(?P<y>{_YEAR_RE})\b", re.I),
    ),
]
_PATTERNS = [(kind, gated(p)) for kind, p in _PATTERNS]  # same matches, found sooner
_PARTS = {"matin": "MO", "après-midi": "AF", "soir": "EV", "nuit": "NI"}
_Result = tuple[TimexType, str, bool]  # type, value, whether the anchor was used


def _number(word: str) -> int | None:
    w = word.lower()
    return int(w) if w.isdigit() else _NUMBERS.get(w)


def _year_for(month: int, day: int, anchor: dt.date) -> int:
    """The latest year in which day/month is at most `_AHEAD_DAYS` after the anchor."""
    for year in (anchor.year + 1, anchor.year, anchor.year - 1):
        date = _safe_date(year, month, day)
        if date is not None and (date - anchor).days <= _AHEAD_DAYS:
            return year
    return anchor.year


def _resolve(kind: str, m: re.Match[str], anchor: dt.date | None) -> _Result | None:
    g = {k: (v or "") for k, v in m.groupdict().items()}
    if kind in ("date", "numeric"):
        day = 1 if g["d"].lower() == "1er" else int(g["d"])
        month = _MONTHS[g["m"].lower()] if kind == "date" else int(g["m"])
        if g["y"]:
            date = _safe_date(int(g["y"]), month, day)
            return None if date is None else ("DATE", date.isoformat(), False)
        if anchor is None:
            return None
        date = _safe_date(_year_for(month, day, anchor), month, day)
        return None if date is None else ("DATE", date.isoformat(), True)
    if kind == "month_year":
        return ("DATE", f"{int(g['y']):04d}-{_MONTHS[g['m'].lower()]:02d}", False)
    if kind == "month":
        if anchor is None:
            return None
        month = _MONTHS[g["m"].lower()]
        year = anchor.year if month <= anchor.month + 2 else anchor.year - 1
        return ("DATE", f"{year:04d}-{month:02d}", True)
    if kind == "year":
        return ("DATE", g["y"], False)
    if anchor is None:
        return None
    if kind == "weekday":
        mod = {"dernier": "last", "passé": "last", "prochain": "next"}.get(g["mod"].lower(), "")
        date = _weekday_value(_WEEKDAYS[g["wd"].lower()], mod, anchor)
        part = _PARTS.get(g["part"].lower())
        return (
            ("TIME", f"{date.isoformat()}T{part}", True)
            if part
            else ("DATE", date.isoformat(), True)
        )
    if kind == "deictic":
        if g["this"]:
            word = g["this"].lower().split()[-1]
            return ("TIME", f"{anchor.isoformat()}T{_PARTS[word]}", True)
        shift = {"avant-hier": -2, "hier": -1, "demain": 1, "après-demain": 2}
        date = anchor + dt.timedelta(days=shift.get(g["w"].lower(), 0))
        part = _PARTS.get(g["part"].lower())
        return (
            ("TIME", f"{date.isoformat()}T{part}", True)
            if part
            else ("DATE", date.isoformat(), True)
        )
    if kind == "period":
        if g["this"]:
            word = g["this"].lower()
            if "semaine" in word:
                return ("DATE", _iso_week(anchor), True)
            if "mois" in word:
                return ("DATE", f"{anchor.year:04d}-{anchor.month:02d}", True)
            if "année" in word:
                return ("DATE", f"{anchor.year:04d}", True)
            season = "SU" if "été" in word else "WI"
            return ("DATE", f"{anchor.year:04d}-{season}", True)
        step = -1 if g["mod"].lower().startswith(("dern", "pass", "préc")) else 1
        unit = g["u"].lower()
        if unit == "semaine":
            return ("DATE", _iso_week(anchor + dt.timedelta(weeks=step)), True)
        if unit == "mois":
            y, mo = _shift_month(anchor.year, anchor.month, step)
            return ("DATE", f"{y:04d}-{mo:02d}", True)
        return ("DATE", f"{anchor.year + step:04d}", True)
    n = _number(g["n"])
    unit = _UNITS[g["u"].lower()]
    if kind == "duration":
        return ("DURATION", _duration(None if n is None else float(n), unit), False)
    # offset: "il y a deux jours" (back), "dans deux mois" (ahead)
    if n is None or unit not in ("day", "week", "month", "year"):
        return None
    step = -n if g["dir"].lower().startswith("il") else n
    if unit == "day":
        return ("DATE", (anchor + dt.timedelta(days=step)).isoformat(), True)
    if unit == "week":
        return ("DATE", _iso_week(anchor + dt.timedelta(weeks=step)), True)
    if unit == "month":
        y, mo = _shift_month(anchor.year, anchor.month, step)
        return ("DATE", f"{y:04d}-{mo:02d}", True)
    return ("DATE", f"{anchor.year + step:04d}", True)


def find_times_fr(
    text: str,
    anchor: dt.date | None,
    sentence_starts: Sequence[int],
    *,
    budget: Budget | None = None,
) -> tuple[TimeExpression, ...]:
    """French time expressions of `text`, longest first where they overlap, in text order."""
    candidates: list[tuple[int, int, int, str, re.Match[str]]] = []
    for priority, (kind, pattern) in enumerate(_PATTERNS):
        for m in pattern.finditer(text):
            if budget is not None:
                budget.spend()
            candidates.append((m.start(), -(m.end() - m.start()), priority, kind, m))
    candidates.sort(key=lambda c: c[:3])
    out: list[TimeExpression] = []
    taken = 0
    for start, _neg, _priority, kind, m in candidates:
        if start < taken:
            continue
        try:
            got = _resolve(kind, m, anchor)
        except (OverflowError, ValueError):
            got = None
        if got is None:
            continue
        typ, value, used = got
        end = m.end()
        out.append(
            TimeExpression(
                span=Span(start, end),
                text=text[start:end],
                type=typ,
                value=value,
                anchor=anchor.isoformat() if used and anchor else None,
                sentence=max(0, bisect.bisect_right(sentence_starts, start) - 1),
                extractor=EXTRACTOR,
            )
        )
        taken = end
    return tuple(out)
