"""How the sources of a story compare: claims across sources, and where they differ.

Pure functions of the story's analyses (and its quote groups), so they run anywhere.

Claims: every body sentence of 5 to 80 words with at least `MIN_STEMS` content stems is a
unit; two units from different articles carry the same claim when `align.same` says so (the
IDF-weighted cosine of their stems, with a bonus for actors both name). Claims are
`align.cliques`: every pair of a claim's sentences passes, and a sentence is in exactly one
claim, with at most one sentence per source. So the claim x source matrix says which source
carries which claim; a claim carried by one source only is single-source, and a source missing a
claim that most others carry has an omission.

Differences (figures, dates, venues, attributions, wordings) live in `newsprism.differences`;
this module passes them its aligned sentence pairs and re-exports `Figure` and `figures`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsprism import align
from newsprism.differences import Figure, figures, find_differences
from newsprism.models import (
    ArticleAnalysis,
    Citation,
    Claim,
    Difference,
    QuoteGroup,
    Sentence,
)

MIN_STEMS = 3
__all__ = [
    "Comparison",
    "Figure",
    "aligned_pairs",
    "claims",
    "compare",
    "differences",
    "figures",
    "omissions",
    "pair_passes",
]


@dataclass(frozen=True, slots=True)
class _Unit:
    analysis: ArticleAnalysis
    index: int
    sentence: Sentence
    stems: frozenset[str]
    actors: frozenset[str]

    @property
    def article_id(self) -> str:
        return self.analysis.article.id

    def citation(self) -> Citation:
        return Citation(
            article_id=self.article_id, span=self.sentence.span, text=self.sentence.text
        )


def _units(analysis: ArticleAnalysis) -> list[_Unit]:
    out = []
    for i, s in enumerate(analysis.sentences):
        if s.is_heading or not 5 <= len(s.text.split()) <= 80:
            continue
        stems = align.content_stems(s.text)
        if len(stems) >= MIN_STEMS:
            actors = frozenset(m.actor_id for m in analysis.mentions if s.span.contains(m.span))
            out.append(_Unit(analysis, i, s, stems, actors))
    return out


def _claim_groups(analyses: Sequence[ArticleAnalysis]) -> list[list[_Unit]]:
    units = [u for a in analyses for u in _units(a)]
    weights = align.idf(u.stems for u in units)

    def score(i: int, j: int) -> float | None:
        a, b = units[i], units[j]
        if a.article_id == b.article_id:
            return None
        actors = len(a.actors & b.actors)
        if not align.same(a.stems, b.stems, weights, shared_actors=actors):
            return None
        return align.similarity(a.stems, b.stems, weights, shared_actors=actors)

    blocks = [u.article_id for u in units]
    return [
        [units[i] for i in members] for members in align.cliques(len(units), score, blocks=blocks)
    ]


def pair_passes(analyses: Sequence[ArticleAnalysis], a: Citation, b: Citation) -> bool:
    """Whether two cited sentences of different articles pass the claim test on their own
    (what every pair of a claim's members does): for checking claims after the fact."""
    units = [u for x in analyses for u in _units(x)]
    weights = align.idf(u.stems for u in units)
    by_key = {(u.article_id, u.sentence.span): u for u in units}
    ua, ub = by_key.get((a.article_id, a.span)), by_key.get((b.article_id, b.span))
    if ua is None or ub is None or ua.article_id == ub.article_id:
        return False
    return align.same(ua.stems, ub.stems, weights, shared_actors=len(ua.actors & ub.actors))


def claims(analyses: Sequence[ArticleAnalysis]) -> tuple[Claim, ...]:
    """Every claim carried by at least one source, those carried by most sources first; each
    claim's citations in story order."""
    return _claims(_claim_groups(analyses))


def _claims(groups: Sequence[Sequence[_Unit]]) -> tuple[Claim, ...]:
    out = [Claim(citations=tuple(u.citation() for u in g)) for g in groups]
    out.sort(
        key=lambda c: (-len(c.article_ids), c.citations[0].article_id, c.citations[0].span.start)
    )
    return tuple(out)


def omissions(claims_: Sequence[Claim], article_ids: Sequence[str]) -> dict[str, list[Claim]]:
    """Per source, the claims most other sources carry (more than half) but it does not."""
    out: dict[str, list[Claim]] = {aid: [] for aid in article_ids}
    if len(article_ids) < 3:
        return out  # with two sources "most others" is one: that is single-source, not omission
    for claim in claims_:
        carried = set(claim.article_ids)
        if len(carried) * 2 > len(article_ids):
            for aid in article_ids:
                if aid not in carried:
                    out[aid].append(claim)
    return out


def aligned_pairs(analyses: Sequence[ArticleAnalysis]) -> list[tuple[Citation, Citation]]:
    """Sentence pairs from different articles that carry the same claim (every pair of a
    claim's sentences passes `align.same`, so no pair comes from a chain)."""
    return _pairs(_claim_groups(analyses))


def _pairs(groups: Sequence[Sequence[_Unit]]) -> list[tuple[Citation, Citation]]:
    pairs = []
    for group in groups:
        for i, u in enumerate(group):
            pairs += [(u.citation(), v.citation()) for v in group[i + 1 :]]
    return pairs


def differences(
    analyses: Sequence[ArticleAnalysis],
    groups: Sequence[QuoteGroup],
) -> tuple[Difference, ...]:
    """Dates, numbers, venues, attributions and quote wordings on which sources differ
    (`newsprism.differences`); dates are compared on the aligned sentence pairs only."""
    return find_differences(analyses, groups, aligned=aligned_pairs(analyses))


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything `compare` finds for one story."""

    claims: tuple[Claim, ...]
    differences: tuple[Difference, ...]
    omissions: dict[str, list[Claim]]


def compare(analyses: Sequence[ArticleAnalysis], groups: Sequence[QuoteGroup]) -> Comparison:
    claim_groups = _claim_groups(analyses)  # once: claims and the aligned pairs both read it
    found = _claims(claim_groups)
    return Comparison(
        claims=found,
        differences=find_differences(analyses, groups, aligned=_pairs(claim_groups)),
        omissions=omissions(found, [a.article.id for a in analyses]),
    )
