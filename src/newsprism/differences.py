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
from functools import lru_cache
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
from newsprism.numbers import quantities
from newsprism.quote_groups import content_stems


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


_MONTH_NAMES = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_TIME_WORDS = (
    frozenset(
        "second seconds minute minutes hour hours day days week weeks month months year years "
        "decade decades century centuries night nights".split()
    )
    | _MONTH_NAMES
)
# words that end the noun phrase after a number: what is counted comes before them
_NP_END = frozenset(
    """of and or but to a an the in on at by for from per than each who whom whose which that
    were was are is be been being had have has will would could should may might can did do
    does not as with into over under after before since during while when where if so said
    says say according including""".split()
)
# a clause's "when": words that pin the time a figure refers to
_WHEN = re.compile(
    r"\b(?:(?:1[89]|20)\d\d|(?:last|this|next|previous|past) (?:year|month|week|quarter)|"
    r"yesterday|today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"(?:" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\b\.?)",
    re.I,
)
_SYNONYMS = {
    "persons": "people",
    "person": "people",
    "individuals": "people",
    "individual": "people",
    "kids": "children",
    "child": "children",
    "soldiers": "troops",
    "soldier": "troops",
    "men": "people",
}
_EXPECTED = re.compile(
    r"\b(?:expect\w*|forecast\w*|predict\w*|estimat\w*|anticipat\w*|project(?:ed|ion)s?|"
    r"survey\w*|consensus|need(?:s|ed)?|requir\w*|goal|target\w*)\b",
    re.I,
)
_WINDOW = 6  # content words each side of a figure that say what it is about
_NEAR = 3  # of those, the nearest: a conflict needs one in common (its predicate)
_HEAD_WORDS = 3  # at most this many words between a number and what it counts
_SENTENCE_START = re.compile(r"^\W*$")


@dataclass(frozen=True, slots=True)
class Figure:
    """A counted figure in a sentence: its quantity (value and the interval its wording allows),
    what it counts (`thing`: the head noun after it, or "%"/a currency when nothing follows),
    the content stems of the words around it in its clause, the names in that clause and the
    time words that pin when it holds."""

    text: str
    start: int
    end: int
    value: float
    low: float
    high: float
    kind: str  # "count", "percent" or "money"
    unit: str
    exact: bool
    thing: str
    context: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    when: frozenset[str] = frozenset()
    expected: bool = False  # forecast, goal, requirement or estimate rather than a report
    # the words between the number and `thing` ("24 other states": {"other"})
    modifiers: frozenset[str] = frozenset()
    # content stems of the nearest words each side (`_NEAR`): the figure's own predicate
    near: frozenset[str] = frozenset()


def _norm_noun(word: str) -> str:
    w = word.lower().strip("'’\"“”")
    w = _SYNONYMS.get(w, w)
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    return w


def _modifier(word: str) -> bool:
    """A word that usually stands before the noun it describes ("26 young people", "304
    electoral votes", "3,000 American troops"): the counted thing comes after it."""
    w = word.lower()
    if word[:1].isupper() and w.endswith(("an", "ese", "ish", "i")):
        return True  # "American", "Chinese", "British", "Israeli"
    return w in _MODIFIERS or "-" in w or w.endswith(_ADJ_ENDINGS)


_MODIFIERS = frozenset(
    """more other new additional young old small large big major total top senior former
    registered confirmed known likely possible full current last first further extra
    undocumented unaccompanied innocent""".split()
)
_ADJ_ENDINGS = ("al", "ic", "ive", "ous", "ern", "ary", "ish", "ese", "ian", "ful", "less")


def _head(after: str) -> tuple[str, int]:
    """The counted noun right after a number and how many words its phrase takes: the first
    word that is not a modifier ("26 young people were" -> "people"); "" when a function word
    or punctuation comes first."""
    words = re.findall(r"[A-Za-z][\w'’-]*|[^\w\s]", after)
    for n, w in enumerate(words[:_HEAD_WORDS], start=1):
        if not w[0].isalpha() or w.lower() in _NP_END:
            return "", 0
        if not _modifier(w) or n == len(words) or not words[n][0].isalpha():
            return w, n
        if words[n].lower() in _NP_END:
            return w, n  # "26 injured" / "41 more."
    return "", 0


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    left = re.split(r"[;:.!?]\s|,\s(?:but|while|and|whereas)\s", text[:start])[-1]
    right = re.split(r"[;:.!?](?:\s|$)|,\s(?:but|while|and|whereas)\s", text[end:])[0]
    return left, right


_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday fourth today".split())
_COMMON = _NP_END | frozenset(
    """it its he she they we i this these those there here his her their our some many most
    all both more about nearly almost over only just also now then still yet even however""".split()
)


def _names(words: list[str], first_word_at_start: bool) -> frozenset[str]:
    out = set()
    for k, w in enumerate(words):
        bare = w.strip("'’\"“”(),")
        low = bare.lower().rstrip(".")
        if not bare[:1].isupper() or (k == 0 and first_word_at_start and low in _COMMON):
            continue
        if low in _MONTH_NAMES or low in _NP_END or low in _DAYS or len(low) < 2:
            continue
        out.add(low.removesuffix("'s").removesuffix("’s"))
    return frozenset(out)


def figures(text: str) -> list[Figure]:
    """Counted figures in a sentence ("about 2,400 strikers", "4% pay rise", "Twenty-six
    people", "more than forty ships"). Dates ("Sept. 11"), years, ordinals, durations and
    numbers with nothing counted after them (a count needs a noun; a percentage or a sum of
    money may stand alone) are left out."""
    return list(_figures(text))


@lru_cache(maxsize=1 << 14)
def _figures(text: str) -> tuple[Figure, ...]:
    """`figures`, cached by sentence text: a story's figure sentences are compared pairwise
    (`_number_differences`), so each is read once rather than once per pair."""
    out = []
    for q in quantities(text):
        if q.kind not in ("count", "percent", "money"):
            continue
        after = text[q.end :]
        head, n = _head(after)
        if q.kind == "percent" and not head:
            m = re.match(r"\s+of\s+(?:the\s+|all\s+|its\s+|their\s+)?(.*)", after)
            head, n = _head(m.group(1)) if m else ("", 0)
            head = head if head[:1].islower() else ""
        if head.lower() in _TIME_WORDS:
            continue  # "two days": a duration, not a counted thing
        if q.kind == "count" and not head:
            continue
        if re.search(r"\b(?:from|than|since)\s*$", text[: q.start]) and q.low == q.high:
            continue  # "fell to 5.2% from 5.4%": the earlier value, another time
        thing = _norm_noun(head) if head else ""
        left, right = _clause(text, q.start, q.end)
        lw, rw = left.split(), right.split()
        before = [w for w in lw if not w[:1].isupper()][-_WINDOW:]
        after_words = [w for w in rw[n:] if not w[:1].isupper()][:_WINDOW]
        context = frozenset(
            w for w in content_stems(" ".join(before + after_words)) if not w[:1].isdigit()
        ) - content_stems(head)
        near = frozenset(
            w
            for w in content_stems(" ".join(before[-_NEAR:] + after_words[:_NEAR]))
            if not w[:1].isdigit()
        ) - content_stems(head)
        modifiers = frozenset(
            w.lower() for w in re.findall(r"[A-Za-z][\w'’-]*", after)[: max(0, n - 1)]
        )
        starts_sentence = _SENTENCE_START.match(text[: q.start - len(left)] or "") is not None
        near_left = lw[-_WINDOW:]
        names = _names(near_left, starts_sentence and len(lw) <= _WINDOW) | _names(
            rw[:_WINDOW], False
        )
        when = frozenset(m.group(0).lower().rstrip(".") for m in _WHEN.finditer(left + " " + right))
        expected = _EXPECTED.search(left + " " + right) is not None
        out.append(
            Figure(
                text=q.text,
                start=q.start,
                end=q.end,
                value=q.value,
                low=q.low,
                high=q.high,
                kind=q.kind,
                unit=q.unit,
                exact=q.exact,
                thing=thing,
                context=context,
                names=names,
                when=when,
                expected=expected,
                modifiers=modifiers,
                near=near,
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class FigurePair:
    """Two figures, one in each sentence, judged to be the same quantity of the same thing."""

    a: Figure
    b: Figure
    label: Literal["compatible", "conflicting"]
    reason: str


def comparable(f: Figure, g: Figure, shared: int) -> str | None:
    """Why two figures are not the same quantity of the same thing, or None when they are.

    `shared` is how many content stems their sentences share beyond what is counted.
    """
    if f.kind != g.kind or f.unit != g.unit:
        return "different units"
    if f.thing != g.thing and (f.kind == "count" or (f.thing and g.thing)):
        return "different counted things"
    if not f.context & g.context or (not f.thing and len(f.context & g.context) < 2):
        return "too little in common around the figures"
    if f.expected != g.expected:
        return "a forecast, goal or condition beside a reported figure"
    if f.names and g.names and not f.names & g.names:
        return "different actors"
    if f.when != g.when and f.when and g.when:
        return "different times"
    if not f.thing and shared < 3:
        return "a bare percentage or sum needs more context in common"
    if shared < 3:
        return "the sentences say little in common"
    return None


def compare_figures(a: str, b: str) -> list[FigurePair]:
    """Figures in sentence `a` and sentence `b` (of different articles) that are the same
    quantity of the same thing, each labelled: "compatible" when their values or intervals
    agree, "conflicting" when they cannot both be true. Pairs in doubt are left out."""
    fa, fb = _figures(a), _figures(b)
    if not fa or not fb:
        return []
    common = content_stems(a) & content_stems(b)
    out = []
    for f in fa:
        for g in fb:
            about = content_stems(f.thing)
            if comparable(f, g, len(common - about)) is not None:
                continue
            what = f.thing or ("the percentage" if f.kind == "percent" else "the sum")
            if max(f.low, g.low) <= min(f.high, g.high):
                label: Literal["compatible", "conflicting"] = "compatible"
                reason = (
                    f"the same figure for {what}"
                    if f.value == g.value and f.exact and g.exact
                    else f"different figures for {what}, but their wording allows both"
                )
            elif _agrees_with_any(f, fb) or _agrees_with_any(g, fa):
                continue  # the other source states this figure too: these are two quantities
            elif (
                not f.thing
                or len(f.context & g.context) < 2
                or _increment(a, f)
                or _increment(b, g)
                or _parts_of(a, f, g)
                or _parts_of(b, g, f)
                or f.modifiers != g.modifiers
                or not f.near & g.near
            ):
                continue  # a conflict needs more evidence than a compatible pair
            else:
                label, reason = "conflicting", f"different figures for {what}"
            out.append(FigurePair(a=f, b=g, label=label, reason=reason))
    return out


def _increment(text: str, f: Figure) -> bool:
    """ "another 5.2 million", "an additional 500": a figure added to a total."""
    return (
        re.search(r"\b(?:another|additional|an extra|a further)\s*$", text[: f.start], re.I)
        is not None
    )


def _parts_of(text: str, f: Figure, total: Figure) -> bool:
    """Whether `f` is one of several figures of one thing listed in its sentence whose sum is
    the other source's single figure: "2.5 million doses to Mexico and 1.5 million to Canada"
    beside "4 million doses to Mexico and Canada" are parts and their total, not a conflict. A
    listed figure with no noun after it counts what the one before it counts (elided). Counts
    and sums only: shares do not add up."""
    if f.kind not in ("count", "money"):
        return False
    parts = []
    for q in quantities(text):
        if q.kind != f.kind or q.unit != f.unit:
            continue
        head, _ = _head(text[q.end :])
        if q.start == f.start or not head or _norm_noun(head) == f.thing:
            parts.append(q)
    if len(parts) < 2:
        return False
    low, high = sum(q.low for q in parts), sum(q.high for q in parts)
    return max(low, total.low) <= min(high, total.high)


def _agrees_with_any(f: Figure, others: Sequence[Figure]) -> bool:
    return any(
        g.kind == f.kind and g.unit == f.unit and max(f.low, g.low) <= min(f.high, g.high)
        for g in others
    )


def _number_differences(analyses: Sequence[ArticleAnalysis]) -> list[Difference]:
    """The same quantity of the same thing given different figures by different sources
    (`compare_figures`); the same figure written differently ("Twenty-six"/"26") is no
    difference."""
    found: list[tuple[Citation, str]] = []
    for a in analyses:
        for s in a.sentences:
            if s.is_heading or not _figures(s.text):
                continue
            found.append((Citation(article_id=a.article.id, span=s.span, text=s.text), s.text))
    out: list[Difference] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    for i, (c, ta) in enumerate(found):
        for d, tb in found[i + 1 :]:
            if c.article_id == d.article_id:
                continue
            for pair in compare_figures(ta, tb):
                f, g = pair.a, pair.b
                if f.value == g.value and f.low == g.low and f.high == g.high:
                    continue
                key = (f.thing, frozenset({f.text, g.text}))
                if key in seen:
                    continue
                seen.add(key)
                out.append(
                    Difference(
                        field="number",
                        label=pair.label,
                        reason=pair.reason,
                        values=(f.text + _suffix(ta, f), g.text + _suffix(tb, g)),
                        citations=(c, d),
                    )
                )
    return out


def _suffix(text: str, f: Figure) -> str:
    """The counted noun phrase after a figure, for its label ("41" -> "41 ships")."""
    head, n = _head(text[f.end :])
    if not head:
        return ""
    words = re.findall(r"\S+", text[f.end :])[:n]
    return " " + " ".join(w.strip(",;:.") for w in words)


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
