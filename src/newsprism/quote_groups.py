"""The same statement across outlets: group quotes of one story by speaker and wording.

Two quotes are the same utterance when their speakers agree (the same canonical name, or one
of them unresolved) and their content words overlap: at least 3 shared stems covering half of
the shorter quote, or every content word of a short quote (≥ 2). Stems are crude on purpose
(lower case, a few English suffixes cut) so "channels"/"channel" and "restored"/"restore" meet
while the check stays a pure function of the texts. Direct ↔ indirect pairs group too: seed
000's "we have rebuilt those channels of discussion at a technical level" and seed 004's
"channels of discussion with Russia have been restored at a technical level" share
channel, discussion, technical, level.

Groups are connected components over matching pairs from different articles, so a partial
quote that matches a longer direct one joins its group. Each group lists where the other
outlets' wording departs from the first member's.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from newsprism.models import ArticleAnalysis, Quote, QuoteGroup, QuoteRef, WordingDifference
from newsprism.textutil import components, cut_suffix

MIN_SHARED = 3
MIN_COVER = 0.5
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


def stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    w = w.split("'")[0] if w.endswith(("'s", "'re", "'ve", "'ll", "'d")) else w
    return cut_suffix(w)


def content_stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP)


def same_statement(a: str, b: str) -> bool:
    sa, sb = content_stems(a), content_stems(b)
    if not sa or not sb:
        return False
    shared = len(sa & sb)
    smaller = min(len(sa), len(sb))
    if shared >= MIN_SHARED and shared / smaller >= MIN_COVER:
        return True
    return shared >= 2 and shared == smaller


def _speakers_agree(a: Quote, b: Quote) -> bool:
    if a.speaker is None or b.speaker is None:
        return True
    return a.speaker.name == b.speaker.name


def group_quotes(analyses: Sequence[ArticleAnalysis]) -> tuple[QuoteGroup, ...]:
    """Statements carried by at least two articles, in order of first appearance."""
    items = [(a.article.id, i, q) for a in analyses for i, q in enumerate(a.quotes)]

    def linked(x: int, y: int) -> bool:
        (aid, _i, q), (bid, _j, r) = items[x], items[y]
        return aid != bid and _speakers_agree(q, r) and same_statement(q.text, r.text)

    groups = []
    for members in components(len(items), linked):
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
