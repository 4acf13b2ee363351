"""The one alignment: which sentences carry the same claim, which quotes are the same statement.

Brief, claims (`compare`), quote groups and framing all read text through here: one word
pattern (`words`), one stemmer (Snowball English, `snowballstemmer`), one stop list
(`STOPWORDS`), one similarity (`similarity`: IDF-weighted cosine over content stems, plus a
small bonus for actors both sentences name), one decision (`same`) and one grouping
(`cliques`).

Grouping does not chain: a group only grows when *every* pair across the two groups passes
`same`, so A~B and B~C never put A with C unless A~C too (single link and union-find made
large false "agreement" groups out of loosely related sentences).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import snowballstemmer

ALIGNER = "align.snowball-cliques.v1"
THRESHOLD = 0.4  # weighted cosine at which two texts carry the same claim (NeuS train)
MIN_SHARED = 3  # content stems two texts must share, unless one lies wholly inside the other
ACTOR_BONUS = 0.1  # per actor both name, at most `MAX_ACTOR_BONUS`
MAX_ACTOR_BONUS = 0.2

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_CLITIC = re.compile(r"'(?:s|re|ve|ll|d|m)$")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves also said says say saying told tell tells us one may might must shall can't
    won't don't didn't doesn't isn't aren't wasn't weren't hasn't haven't hadn't mr mrs ms""".split()
)

# A Snowball stemmer keeps its word in the object while it works: one per thread, so the web
# server's worker threads never stem into each other (an IndexError under load otherwise).
_STEMMERS = threading.local()


def _stemmer() -> Any:
    found = getattr(_STEMMERS, "english", None)
    if found is None:
        found = _STEMMERS.english = snowballstemmer.stemmer("english")
    return found


def words(text: str) -> list[str]:
    """The words of a text in lower case, ’ as ', clitics cut ("Russia's" -> "russia")."""
    out = []
    for w in _WORD.findall(text):
        w = w.lower().replace("’", "'")
        if w not in STOPWORDS:
            w = _CLITIC.sub("", w)
        out.append(w)
    return out


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem of a word: negotiations/negotiation -> negoti."""
    w = word.lower().replace("’", "'")
    return str(_stemmer().stemWord(w))


def is_content(word: str) -> bool:
    """A word that can carry a claim: not a stop word, two letters or more, or a number."""
    return word not in STOPWORDS and (len(word) >= 2 or word.isdigit())


@lru_cache(maxsize=1 << 15)
def content_stems(text: str) -> frozenset[str]:
    """The stems of a text's content words (cached by text: a story's sentences are compared
    pairwise, so each is stemmed once rather than once per pair)."""
    return frozenset(stem(w) for w in words(text) if is_content(w))


def idf(term_sets: Iterable[frozenset[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of each stem over a story's texts."""
    sets = list(term_sets)
    df: Counter[str] = Counter(t for s in sets for t in s)
    n = max(1, len(sets))
    return {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}


def similarity(
    a: frozenset[str],
    b: frozenset[str],
    weights: Mapping[str, float] | None = None,
    *,
    shared_actors: int = 0,
) -> float:
    """IDF-weighted cosine of two stem sets (weight 1 for unknown stems), plus
    `ACTOR_BONUS` per actor both texts name, at most `MAX_ACTOR_BONUS`."""
    shared = a & b
    if not shared:
        return 0.0
    w = weights or {}
    num = sum(w.get(t, 1.0) for t in shared)
    den = math.sqrt(sum(w.get(t, 1.0) for t in a) * sum(w.get(t, 1.0) for t in b))
    return num / den + min(ACTOR_BONUS * shared_actors, MAX_ACTOR_BONUS)


def _block_ends(count: int, blocks: Sequence[Hashable] | None) -> list[int]:
    """Per item, the first later item that may be linked to it: the next one, or with
    `blocks` the first item after its run of equal keys."""
    if blocks is None:
        return [i + 1 for i in range(count)]
    if len(blocks) != count:
        raise ValueError(f"{len(blocks)} block keys for {count} items")
    ends = [count] * count
    for i in range(count - 2, -1, -1):
        ends[i] = i + 1 if blocks[i + 1] != blocks[i] else ends[i + 1]
    return ends


def same(
    a: frozenset[str],
    b: frozenset[str],
    weights: Mapping[str, float] | None = None,
    *,
    shared_actors: int = 0,
) -> bool:
    """Two texts carry the same claim (or statement): they share two stems or more, and either
    one lies wholly inside the other (a partial quote, a short paraphrase) or they share
    `MIN_SHARED` stems at `THRESHOLD` similarity."""
    shared = len(a & b)
    if shared < 2:
        return False
    if shared == min(len(a), len(b)):
        return True
    return (
        shared >= MIN_SHARED and similarity(a, b, weights, shared_actors=shared_actors) >= THRESHOLD
    )


def cliques(
    count: int,
    score: Callable[[int, int], float | None],
    *,
    blocks: Sequence[Hashable] | None = None,
) -> list[list[int]]:
    """Groups of items 0..count-1 in which every pair is linked.

    `score(i, j)` (asked for i < j only) is the pair's similarity, or None when the pair is not
    linked. Links are taken best first; two groups join only when every pair across them is
    linked, so nothing chains. Each group is in ascending order; groups are ordered by their
    first item. Every item is in exactly one group.

    `blocks` (one key per item: the article of each sentence) names pairs that are never
    linked: two items in one run of equal keys are not asked about (a story of one article
    asks nothing). `score` must still refuse such pairs: keys that recur after a run are
    asked as usual.
    """
    ends = _block_ends(count, blocks)
    edges: dict[tuple[int, int], float] = {}
    for i in range(count):
        for j in range(ends[i], count):
            s = score(i, j)
            if s is not None:
                edges[(i, j)] = s
    group_of = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    for i, j in sorted(edges, key=lambda e: (-edges[e], e)):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if all((min(x, y), max(x, y)) in edges for x in members[gi] for y in members[gj]):
            for y in members[gj]:
                group_of[y] = gi
            members[gi] += members.pop(gj)
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])
