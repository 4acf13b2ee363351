"""The same statement across outlets: group quotes of one story by speaker and wording.

Two quotes are the same utterance when their speakers agree (the same canonical name, or one
of them unresolved) and `align.same` says their content stems carry the same statement: they
share two stems or more and one lies wholly inside the other (a partial quote of a longer one),
or they share at least three at the alignment's similarity threshold. The stems are
`align`'s (Snowball), so "channels"/"channel" and "restored"/"restore" meet. Direct and
indirect renderings of one statement group too ("we have rebuilt those channels of discussion
at a technical level" / "channels of discussion with Russia have been restored at a technical
level": channel, discuss, technic, level).

Across languages (two articles whose known languages differ) stems cannot meet, so the
multilingual encoder (`encoder.py`) judges instead: two quotes are the same statement when
both speakers are known and agree and their embeddings score at least `CROSS_THRESHOLD`
("nous ne céderons pas" / "we will not give in", said by one speaker in one story). Without
the encoder installed, quotes group within a language only. The group shows every wording
(the brief cites each outlet's); wording differences are listed within a language only.

Speakers agree through `actors.story_people` too: "Obama" in one article and "Barack Obama"
in another are one speaker of the story.

Groups are `align.cliques` over matching pairs from different articles: every pair of a group
matches, so two different statements never join through a third. Each group lists where the
other outlets' wording departs from the first member's.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

from newsprism import align, encoder
from newsprism.align import content_stems
from newsprism.models import ArticleAnalysis, Quote, QuoteGroup, QuoteRef, WordingDifference
from newsprism.nlp.actors import story_people

__all__ = ["content_stems", "group_quotes", "same_statement"]

CROSS_THRESHOLD = 0.6  # embedding cosine of one statement quoted in two languages

# the words shown in a wording difference (not the alignment's tokens: the quote's own words)
_WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)?|\d+", re.UNICODE)


def same_statement(a: str, b: str, weights: Mapping[str, float] | None = None) -> bool:
    """Two quoted texts carry the same statement (`align.same` on their content stems)."""
    return align.same(content_stems(a), content_stems(b), weights)


def _speakers_agree(a: Quote, b: Quote, people: Mapping[str, str] | None = None) -> bool:
    """The same speaker, or one unresolved; `people` merges a story's surnames onto full names
    (`actors.story_people`: "Obama" and "Barack Obama" agree)."""
    if a.speaker is None or b.speaker is None:
        return True
    merged = people or {}
    return merged.get(a.speaker.name, a.speaker.name) == merged.get(b.speaker.name, b.speaker.name)


def group_quotes(analyses: Sequence[ArticleAnalysis]) -> tuple[QuoteGroup, ...]:
    """Statements carried by at least two articles, in order of first appearance."""
    items = [(a.article.id, i, q) for a in analyses for i, q in enumerate(a.quotes)]
    stems = [content_stems(q.text) for _, _, q in items]
    weights = align.idf(stems)
    people = story_people(analyses)
    language = {a.article.id: a.article.language for a in analyses}
    vectors: list[tuple[float, ...]] | None = None
    if len({lang for lang in language.values() if lang}) > 1 and encoder.available():
        vectors = encoder.encode([q.text for _, _, q in items])

    def score(x: int, y: int) -> float | None:
        (aid, _i, q), (bid, _j, r) = items[x], items[y]
        if aid == bid or not _speakers_agree(q, r, people):
            return None
        la, lb = language[aid], language[bid]
        if la and lb and la != lb:
            if vectors is None or q.speaker is None or r.speaker is None:
                return None
            cos = encoder.cosine(vectors[x], vectors[y])
            return cos if cos >= CROSS_THRESHOLD else None
        if not align.same(stems[x], stems[y], weights):
            return None
        return align.similarity(stems[x], stems[y], weights)

    groups = []
    for members in align.cliques(len(items), score, blocks=[aid for aid, _, _ in items]):
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
        names = [
            people.get(sp.name, sp.name) for m in members if (sp := items[m][2].speaker) is not None
        ]
        speaker = max(set(names), key=names.count) if names else None
        same_language = [r for r in refs if language[r.article_id] == language[refs[0].article_id]]
        groups.append(
            QuoteGroup(speaker=speaker, members=refs, differences=_differences(same_language))
        )
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
