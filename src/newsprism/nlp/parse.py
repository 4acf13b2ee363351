"""A plain, picklable copy of a spaCy parse: what the rule modules read instead of a Doc.

Keeping spaCy objects inside `_spacy.py` means every rule module can be unit-tested on a
hand-built `Parse` with no model, and a `Parse` can cross process boundaries.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Token:
    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    ent: str
    sent: int

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    label: str
    text: str
    tok_start: int
    tok_end: int


@dataclass(frozen=True, slots=True)
class Parse:
    text: str
    tokens: tuple[Token, ...]
    sents: tuple[tuple[int, int], ...]  # (first token, end token) per sentence
    ents: tuple[Entity, ...]

    def children(self) -> list[list[int]]:
        kids: list[list[int]] = [[] for _ in self.tokens]
        for tok in self.tokens:
            if tok.head != tok.i:
                kids[tok.head].append(tok.i)
        return kids

    def subtree(self, i: int, kids: list[list[int]]) -> list[int]:
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(kids[j])
        return sorted(out)

    def first_token_from(self, offset: int) -> int:
        """Index of the first token starting at or after `offset` (len(tokens) if none)."""
        return bisect.bisect_left(self.tokens, offset, key=lambda t: t.start)

    def tokens_between(self, lo: int, hi: int) -> tuple[Token, ...]:
        """Tokens that start within the character range [lo, hi)."""
        return self.tokens[self.first_token_from(lo) : self.first_token_from(hi)]

    def token_at(self, offset: int) -> int | None:
        """Index of the token covering a character offset, if any (binary search)."""
        lo, hi = 0, len(self.tokens) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            tok = self.tokens[mid]
            if offset < tok.start:
                hi = mid - 1
            elif offset >= tok.end:
                lo = mid + 1
            else:
                return mid
        return None
