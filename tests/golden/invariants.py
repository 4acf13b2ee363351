"""The brief's cross-source invariants (issue 14), checked on any brief with its analyses."""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.brief import cited_sentences
from newsprism.compare import pair_passes
from newsprism.models import ArticleAnalysis, Brief

# Label sections: their lines cite the values they compare or count, not a claim.
EXEMPT = frozenset({"Summary", "Where they differ", "How each source frames it"})


def violations(brief: Brief, analyses: Sequence[ArticleAnalysis]) -> list[str]:
    """Every broken invariant, as a readable line (empty: all hold)."""
    by_id = {a.article.id: a for a in analyses}
    out: list[str] = []
    # 1. a sentence is in at most one claim
    members = [(c.article_id, c.span) for claim in brief.claims for c in claim.citations]
    for key in {k for k in members if members.count(k) > 1}:
        out.append(f"sentence in two claims: {key}")
    # 2. a claim carried by two sources or more is never "Reported by only one source"
    multi = {
        key
        for claim in brief.claims
        if len(claim.article_ids) > 1
        for c in claim.citations
        for key in cited_sentences_of(c.article_id, c.span.start, c.span.end, by_id)
    }
    for section in brief.sections:
        if section.title != "Reported by only one source":
            continue
        for s in section.sentences:
            if cited_sentences(s, by_id) & multi:
                out.append(f"multi-source claim listed as single-source: {s.text[:80]}")
    # 3. outside the Summary (and the label sections) no source sentence is cited twice
    seen: dict[tuple[str, int], str] = {}
    for section in brief.sections:
        if section.title in EXEMPT:
            continue
        for s in section.sentences:
            for key in cited_sentences(s, by_id):
                if key in seen:
                    out.append(f"{key} cited in {seen[key]!r} and {section.title!r}")
                seen[key] = section.title
    # 4. "Where sources agree": every pair of a listed claim's sentences passes the claim test
    claim_of = {(c.article_id, c.span): claim for claim in brief.claims for c in claim.citations}
    for section in brief.sections:
        if section.title != "Where sources agree":
            continue
        for s in section.sentences:
            claim = next(
                (claim_of[k] for c in s.citations if (k := (c.article_id, c.span)) in claim_of),
                None,
            )
            if claim is None or len(claim.article_ids) < 2:
                out.append(f"agreement without a multi-source claim: {s.text[:80]}")
                continue
            cites = claim.citations
            for i, a in enumerate(cites):
                for b in cites[i + 1 :]:
                    if not pair_passes(analyses, a, b):
                        out.append(
                            f"agreement pair below the threshold: {a.text[:40]} / {b.text[:40]}"
                        )
    return out


def cited_sentences_of(
    article_id: str, start: int, end: int, by_id: dict[str, ArticleAnalysis]
) -> set[tuple[str, int]]:
    return {
        (article_id, i)
        for i, s in enumerate(by_id[article_id].sentences)
        if s.span.start < end and start < s.span.end
    }
