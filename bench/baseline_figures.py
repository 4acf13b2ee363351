"""The figure comparison as it was before issue 14 (commit 8461353, `compare.figures` and
`compare._number_differences`), frozen here as the baseline of bench/differences.py.

Copied with its stemmer and stop list so that later changes to the project's text helpers do
not move the baseline; the only change is that a figure records where it starts and ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s")
_YEARS = re.compile(r"^(1[89]|20)\d\d$")
_WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)?|\d+", re.UNICODE)
_STOP = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves also said says say told tell us one""".split()
)


def cut_suffix(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    w = w.split("'")[0] if w.endswith(("'s", "'re", "'ve", "'ll", "'d")) else w
    return cut_suffix(w)


def content_stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP)


_WORD_NUMBERS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
     "ninety": 90, "hundred": 100, "dozen": 12}  # fmt: skip
_QUALIFIER = r"(?P<q>about|around|roughly|approximately|nearly|almost|some|more than|over|fewer than|less than|under|up to|at least)?\s*"
_FIGURE = re.compile(
    r"(?<![\w.,])"
    + _QUALIFIER
    + r"(?:a\s+)?(?P<v>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + r")\b(?P<scale>\s+(?:thousand|million|billion))?(?:\s*(?P<pct>%|percent|per cent))?"
    r"(?:\s+(?P<noun>[a-z][a-z-]+))?",
    re.I,
)
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_WINDOW = 6  # words each side of a figure that say what it is about
_TIME_WORDS = frozenset(
    "second seconds minute minutes hour hours day days week weeks month months year years "
    "january february march april may june july august september october november december".split()
)
_NOT_COUNTED = frozenset(
    "of and or to a the in on at by for from per than each who were was are is had have".split()
)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number in a sentence: value, what it counts, the range its wording allows, and the
    content stems of the few words around it (what the figure is about)."""

    text: str
    start: int
    end: int
    value: float
    thing: str
    low: float
    high: float
    context: frozenset[str] = frozenset()


def figures(text: str) -> list[Figure]:
    """Counted figures in a sentence ("about 2,400 strikers", "4% pay rise", "five fires").
    Years and figures with nothing counted after them are left out."""
    out = []
    for m in _FIGURE.finditer(text):
        raw = m.group("v").lower()
        value = float(_WORD_NUMBERS[raw]) if raw in _WORD_NUMBERS else float(raw.replace(",", ""))
        if m.group("scale"):
            value *= _SCALES[m.group("scale").strip().lower()]
        noun = (m.group("noun") or "").lower()
        if m.group("pct"):
            thing = "%" + (f" {noun}" if noun and noun not in _NOT_COUNTED else "")
        elif noun and noun not in _NOT_COUNTED and noun not in _TIME_WORDS:
            thing = noun[:-1] if noun.endswith("s") and len(noun) > 3 else noun
        else:
            continue
        if _YEARS.match(raw) and not m.group("pct"):
            continue
        q = (m.group("q") or "").lower()
        low, high = value, value
        if q in ("about", "around", "roughly", "approximately", "some"):
            low, high = value * 0.9, value * 1.1
        elif q in ("nearly", "almost"):
            low, high = value * 0.9, value
        elif q in ("more than", "over", "at least"):
            low, high = value, float("inf")
        elif q in ("fewer than", "less than", "under", "up to"):
            low, high = 0.0, value
        # the words around the figure within its clause; names are left out (a story's names
        # are everywhere in it and say nothing about which figure this is)
        left = re.split(r"[;:.!?]\s", text[: m.start()])[-1]
        right = re.split(r"[;:.!?](?:\s|$)", text[m.end() :])[0]
        before = [w for w in left.split() if not w[:1].isupper()][-_WINDOW:]
        after = [w for w in right.split() if not w[:1].isupper()][:_WINDOW]
        thing_words = " ".join(after[:2])  # "pay rise": what is counted, not what it is about
        context = content_stems(" ".join(before + after[2:])) - content_stems(thing_words)
        out.append(
            Figure(
                m.group(0).strip(),
                m.start(),
                m.start() + len(m.group(0).strip()),
                value,
                thing,
                low,
                high,
                context,
            )
        )
    return out


def compare_pair(a: str, b: str) -> list[tuple[Figure, Figure, str]]:
    """What the old `_number_differences` said about two sentences of different articles:
    (figure in a, figure in b, "compatible" | "conflicting") for each pair it reported."""
    st, su = content_stems(a), content_stems(b)
    out = []
    seen: set[tuple[str, frozenset[str]]] = set()
    for f in figures(a):
        for g in figures(b):
            if f.thing != g.thing or f.value == g.value:
                continue
            about = content_stems(f.thing.lstrip("% "))
            near = bool(f.context & g.context)
            if not near and (f.thing.startswith("%") or len((st & su) - about) < 3):
                continue
            key = (f.thing, frozenset({f.text, g.text}))
            if key in seen:
                continue
            seen.add(key)
            overlap = max(f.low, g.low) <= min(f.high, g.high)
            out.append((f, g, "compatible" if overlap else "conflicting"))
    return out
