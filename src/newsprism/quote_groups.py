"""The same statement across outlets: group quotes of one story by speaker and wording.

Two quotes are the same utterance when their speakers agree (the same canonical name, or one
of them unresolved) and `align.same` says their content stems carry the same statement: they
share two stems or more and one lies wholly inside the other (a partial quote of a longer one),
or they share at least three at the alignment's similarity threshold. The stems are
`align`'s (Snowball), so "channels"/"channel" and "restored"/"restore" meet. Direct and
indirect renderings of one statement group too ("we have rebuilt those channels of discussion
at a technical level" / "channels of discussion with Russia have been restored at a technical
level": channel, discuss, technic, level).

Groups are `align.cliques` over matching pairs from different articles: every pair of a group
matches, so two different statements never join through a third. Each group lists where the
other outlets' wording departs from the first member's.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

from newsprism import align
from newsprism.align import content_stems
from newsprism.models import ArticleAnalysis, Quote, QuoteGroup, QuoteRef, WordingDifference

__all__ = ["content_stems", "group_quotes", "same_statement"]

# the words shown in a wording difference (not the alignment's tokens: the quote's own words)
_WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)?|\d+", re.UNICODE)


def same_statement(a: str, b: str, weights: Mapping[str, float] | None = None) -> bool:
    """Two quoted texts carry the same statement (`align.same` on their content stems)."""
    return align.same(content_stems(a), content_stems(b), weights)


def _speakers_agree(a: Quote, b: Quote) -> bool:
    if a.speaker is None or b.speaker is None:
        return True
    return a.speaker.name == b.speaker.name


def group_quotes(analyses: Sequence[ArticleAnalysis]) -> tuple[QuoteGroup, ...]:
    """Statements carried by at least two articles, in order of first appearance."""
    items = [(a.article.id, i, q) for a in analyses for i, q in enumerate(a.quotes)]
    stems = [content_stems(q.text) for _, _, q in items]
    weights = align.idf(stems)

    def score(x: int, y: int) -> float | None:
        (aid, _i, q), (bid, _j, r) = items[x], items[y]
        if aid == bid or not _speakers_agree(q, r):
            return None
        if not align.same(stems[x], stems[y], weights):
            return None
        return align.similarity(stems[x], stems[y], weights)

    groups = []
    for members in align.cliques(len(items), score):
        if len({items[m][0] for m in members}) < 2:
            continue
        refs = tuple(
            QuoteRef(
                article_id=items[m][0],
                index=items[m][1],
                span=items[m][2].span,
                text=items[m][2].text,
                kind=items[m][2].kind,
            )
            for m in members
        )
        names = [items[m][2].speaker.name for m in members if items[m][2].speaker is not None]  # type: ignore[union-attr]
        speaker = max(set(names), key=names.count) if names else None
        groups.append(QuoteGroup(speaker=speaker, members=refs, differences=_differences(refs)))
    return tuple(groups)


def _differences(refs: Sequence[QuoteRef]) -> tuple[WordingDifference, ...]:
    """Word-level departures of each other article's wording from the first member's."""
    first = refs[0]
    base = _WORD.findall(first.text)
    out = []
    for ref in refs[1:]:
        if ref.article_id == first.article_id:
            continue
        words = _WORD.findall(ref.text)
        matcher = difflib.SequenceMatcher(
            a=[w.lower() for w in base], b=[w.lower() for w in words], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            out.append(
                WordingDifference(
                    article_id=ref.article_id,
                    first=" ".join(base[i1:i2]),
                    other=" ".join(words[j1:j2]),
                )
            )
    return tuple(out)
