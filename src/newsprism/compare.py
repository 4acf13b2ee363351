"""How the sources of a story compare: claims across sources, and where they differ.

Pure functions of the story's analyses (and its quote groups), so they run anywhere.

Claims: every reportable body sentence is a unit; two units from different articles carry the
same claim when they share at least `MIN_SHARED` content stems covering `MIN_COVER` of the
shorter one (the stems of `quote_groups`). Claims are connected components, so the claim x
source matrix says which source carries which claim; a claim carried by one source only is
single-source, and a source missing a claim that most others carry has an omission.

Differences (figures, dates, venues, attributions, wordings) live in `newsprism.differences`;
this module passes them its aligned sentence pairs and re-exports `Figure` and `figures`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.differences import Figure, figures, find_differences
from newsprism.models import (
    ArticleAnalysis,
    Citation,
    Claim,
    Difference,
    QuoteGroup,
    Sentence,
)
from newsprism.quote_groups import content_stems
from newsprism.textutil import components

MIN_SHARED = 4
MIN_COVER = 0.5
STRICT_SHARED = 5
STRICT_COVER = 0.6
__all__ = [
    "Comparison",
    "Figure",
    "aligned_pairs",
    "claims",
    "compare",
    "differences",
    "figures",
    "omissions",
]


@dataclass(frozen=True, slots=True)
class _Unit:
    analysis: ArticleAnalysis
    sentence: Sentence
    stems: frozenset[str]

    @property
    def article_id(self) -> str:
        return self.analysis.article.id

    def citation(self) -> Citation:
        return Citation(
            article_id=self.article_id, span=self.sentence.span, text=self.sentence.text
        )


def _units(analysis: ArticleAnalysis) -> list[_Unit]:
    out = []
    for s in analysis.sentences:
        if s.is_heading or not 5 <= len(s.text.split()) <= 80:
            continue
        stems = content_stems(s.text)
        if len(stems) >= MIN_SHARED:
            out.append(_Unit(analysis, s, stems))
    return out


def _same_claim(a: _Unit, b: _Unit) -> bool:
    shared = len(a.stems & b.stems)
    return shared >= MIN_SHARED and shared / min(len(a.stems), len(b.stems)) >= MIN_COVER


def claims(analyses: Sequence[ArticleAnalysis]) -> tuple[Claim, ...]:
    """Every claim carried by at least one source, those carried by most sources first."""
    units = [u for a in analyses for u in _units(a)]
    groups = components(
        len(units),
        lambda i, j: units[i].article_id != units[j].article_id and _same_claim(units[i], units[j]),
    )
    out = [Claim(citations=tuple(units[i].citation() for i in members)) for members in groups]
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
    """Sentence pairs from different articles that say closely the same thing (stricter than
    claim membership: differences must not come from a chain of loosely related sentences)."""
    units = [u for a in analyses for u in _units(a)]
    pairs = []
    for i, u in enumerate(units):
        for v in units[i + 1 :]:
            if u.article_id == v.article_id:
                continue
            shared = len(u.stems & v.stems)
            if shared >= STRICT_SHARED and shared / min(len(u.stems), len(v.stems)) >= STRICT_COVER:
                pairs.append((u.citation(), v.citation()))
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
    found = claims(analyses)
    return Comparison(
        claims=found,
        differences=differences(analyses, groups),
        omissions=omissions(found, [a.article.id for a in analyses]),
    )
