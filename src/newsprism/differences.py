"""Where the sources of a story differ: figures, dates, venues, attributions and wordings.

Pure functions of the story's analyses (and its quote groups). Each `Difference` is labelled
compatible or conflicting with its reason:
- date: the same claim dated differently (full dates that differ) -> conflicting;
- number: the same claim with different figures for the same counted thing -> conflicting;
- venue: the same statement said to have been made to different audiences -> compatible
  (people give one statement to several newspapers), unless one says "only";
- attribution: the same words given to different speakers -> conflicting;
- wording: the same statement quoted with different words -> compatible when one is a
  paraphrase (indirect) of the other, conflicting when both claim to be verbatim.

Which sentences carry the same claim is decided elsewhere (`compare`); `find_differences`
takes those aligned pairs as an argument.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from newsprism.models import (
    ArticleAnalysis,
    Citation,
    Claim,
    Difference,
    Quote,
    QuoteGroup,
    Span,
)
from newsprism.quote_groups import content_stems

_YEARS = re.compile(r"^(1[89]|20)\d\d$")


def find_differences(
    analyses: Sequence[ArticleAnalysis],
    groups: Sequence[QuoteGroup],
    *,
    aligned: Sequence[tuple[Citation, Citation]],
) -> tuple[Difference, ...]:
    """Dates, numbers, venues, attributions and quote wordings on which sources differ.

    Args:
        analyses: the story's analysed articles.
        groups: the story's quote groups (`quote_groups.group_quotes`).
        aligned: sentence pairs from different articles that carry the same claim; only
            these are compared for dates.
    """
    by_id = {a.article.id: a for a in analyses}
    found: list[Difference] = []
    for a, b in aligned:
        found += _date_differences(Claim(citations=(a, b)), by_id)
    found += _number_differences(analyses)
    found += _speaker_venue_differences(analyses)
    for group in groups:
        found += _attribution_differences(group, by_id)
        found += _wording_differences(group, by_id)
    return tuple(found)


_AUDIENCE_WORDS = re.compile(
    r"\b(?:reporters|journalists|a press (?:briefing|conference)|lawmakers|supporters|the press)\b",
    re.I,
)


def _speaker_venue_differences(analyses: Sequence[ArticleAnalysis]) -> list[Difference]:
    """One speaker said to have spoken to different outlets in different articles (an interview
    reported as given to Le Monde and the FT by one source, to the Süddeutsche Zeitung by
    another): compatible, since one interview is often given to several newspapers."""
    venues: dict[str, dict[str, tuple[str, Citation]]] = {}
    for a in analyses:
        for q in a.quotes:
            if q.speaker is None or not q.venue or _AUDIENCE_WORDS.search(q.venue):
                continue
            if not re.search(r"[A-Z]", q.venue):
                continue  # "in an interview", not an outlet
            text = a.article.text
            at = text.find(q.venue, max(0, q.span.start - 300), q.span.end + 400)
            if at < 0:
                continue
            cite = Citation(article_id=a.article.id, span=Span(at, at + len(q.venue)), text=q.venue)
            venues.setdefault(q.speaker.name, {}).setdefault(a.article.id, (q.venue, cite))
    out = []
    for speaker, per in venues.items():
        names = {v for v, _ in per.values()}
        if len(per) < 2 or len(names) < 2:
            continue
        exclusive = any(re.search(r"\bonly\b|\bexclusive", v, re.I) for v in names)
        out.append(
            Difference(
                field="venue",
                label="conflicting" if exclusive else "compatible",
                reason=(
                    f"{speaker}: each source names a different, exclusive outlet"
                    if exclusive
                    else f"{speaker}: the sources name different outlets; one interview is often "
                    "given to several newspapers"
                ),
                values=tuple(v for v, _ in per.values()),
                citations=tuple(c for _, c in per.values()),
            )
        )
    return out


def _dates_in(analysis: ArticleAnalysis, citation: Citation) -> set[str]:
    return {
        t.value
        for t in analysis.time_expressions
        if t.type == "DATE"
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.value)
        and citation.span.contains(t.span)
    }


def _date_differences(claim: Claim, by_id: dict[str, ArticleAnalysis]) -> list[Difference]:
    per: dict[str, tuple[set[str], Citation]] = {}
    for c in claim.citations:
        dates = _dates_in(by_id[c.article_id], c)
        if len(dates) == 1 and c.article_id not in per:
            per[c.article_id] = (dates, c)
    if len(per) < 2:
        return []
    sets = [d for d, _ in per.values()]
    if any(a & b for i, a in enumerate(sets) for b in sets[i + 1 :]):
        return []  # they share a date: extra dates are context, not a disagreement
    values = tuple(", ".join(sorted(d)) for d, _ in per.values())
    return [
        Difference(
            field="date",
            label="conflicting",
            reason="the same claim is dated differently",
            values=values,
            citations=tuple(c for _, c in per.values()),
        )
    ]


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
        out.append(Figure(m.group(0).strip(), value, thing, low, high, context))
    return out


def _number_differences(analyses: Sequence[ArticleAnalysis]) -> list[Difference]:
    """The same counted thing given different figures by different sources, where the words
    around the two figures share what they are about ("offered 3.5%" / "offer of a 4% pay
    rise"; not "seeking a 9% rise" / "offer of a 4% rise")."""
    found: list[tuple[Figure, Citation, frozenset[str]]] = []
    for a in analyses:
        for s in a.sentences:
            if s.is_heading:
                continue
            cite = Citation(article_id=a.article.id, span=s.span, text=s.text)
            stems = content_stems(s.text)
            found += [(f, cite, stems) for f in figures(s.text)]
    out: list[Difference] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    for i, (f, c, st) in enumerate(found):
        for g, d, su in found[i + 1 :]:
            if c.article_id == d.article_id or f.thing != g.thing or f.value == g.value:
                continue
            about = content_stems(f.thing.lstrip("% "))
            near = bool(f.context & g.context)
            # a percentage can be of anything: only the words right around it say what of
            if not near and (f.thing.startswith("%") or len((st & su) - about) < 3):
                continue
            key = (f.thing, frozenset({f.text, g.text}))
            if key in seen:
                continue
            seen.add(key)
            overlap = max(f.low, g.low) <= min(f.high, g.high)
            label: Literal["compatible", "conflicting"] = "compatible" if overlap else "conflicting"
            what = "the percentage" if f.thing == "%" else f.thing.lstrip("% ")
            reason = (
                f"different figures for {what}, but their wording allows both"
                if overlap
                else f"different figures for {what}"
            )
            out.append(
                Difference(
                    field="number",
                    label=label,
                    reason=reason,
                    values=(f.text, g.text),
                    citations=(c, d),
                )
            )
    return out


def _member_quotes(
    group: QuoteGroup, by_id: dict[str, ArticleAnalysis]
) -> list[tuple[str, Citation, Quote]]:
    out: list[tuple[str, Citation, Quote]] = []
    for m in group.members:
        analysis = by_id.get(m.article_id)
        if analysis is None or m.index >= len(analysis.quotes):
            continue
        q = analysis.quotes[m.index]
        out.append((m.article_id, Citation(article_id=m.article_id, span=q.span, text=q.text), q))
    return out


def _attribution_differences(
    group: QuoteGroup, by_id: dict[str, ArticleAnalysis]
) -> list[Difference]:
    speakers: dict[str, Citation] = {}
    for _aid, citation, q in _member_quotes(group, by_id):
        speaker = getattr(q, "speaker", None)
        if speaker is not None and speaker.name not in speakers:
            speakers[speaker.name] = citation
    if len(speakers) < 2:
        return []
    return [
        Difference(
            field="attribution",
            label="conflicting",
            reason="the same words are given to different speakers",
            values=tuple(speakers),
            citations=tuple(speakers.values()),
        )
    ]


def _wording_differences(group: QuoteGroup, by_id: dict[str, ArticleAnalysis]) -> list[Difference]:
    quotes = _member_quotes(group, by_id)
    if len({aid for aid, _, _ in quotes}) < 2 or not group.differences:
        return []
    kinds = {getattr(q, "kind", "") for _, _, q in quotes}
    verbatim = kinds <= {"direct", "block"}
    first = {aid: c for aid, c, _ in reversed(quotes)}
    return [
        Difference(
            field="wording",
            label="conflicting" if verbatim else "compatible",
            reason=(
                "both quote it word for word, with different words"
                if verbatim
                else "one source quotes it, another paraphrases it"
            ),
            values=tuple(c.text for c in first.values()),
            citations=tuple(first.values()),
        )
    ]
