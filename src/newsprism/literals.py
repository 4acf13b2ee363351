"""Regular expressions for long lists of literal words, fast on long texts.

`"|".join(sorted(words, key=len, reverse=True))` is the obvious alternation of a word list,
but Python's `re` tries every alternative at every offset of the text: a gazetteer of two
thousand names made one pattern cost ~5 ms per article. `alternation` builds the same
language as a prefix tree (`Fr(?:ance|ench)`), so a failing offset costs one test per
distinct first character.

The match chosen at an offset is the same as the longest-first flat alternation's: the
words that match at one offset are prefixes of one another, and the tree tries the longer
continuation of a prefix (a greedy `(?:...)?`) before stopping at the shorter word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

__all__ = ["alternation", "gated"]

_Trie = dict[str, "_Trie"]
_END = ""  # the key marking "a word ends here" (no character is empty)


def alternation(words: Iterable[str]) -> str:
    """A non-capturing regex matching exactly `words` (escaped literals), longest first at
    each offset; empty words are left out. Wrap it: `rf"\\b(?:{alternation(w)})\\b"`."""
    trie: _Trie = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return _pattern(trie)


def _pattern(node: _Trie) -> str:
    branches = [re.escape(ch) + _pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _END in node else body


def gated(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` behind a look-ahead for the characters a match can start with: the same
    matches, found sooner (`re` then skips most offsets with one class test instead of
    trying every optional prefix there; a case-insensitive pattern gains most). `pattern`
    itself when that set is unbounded, when it can match the empty string, or when it holds
    what the analysis does not read (inline flags, back-references)."""
    first, nullable = _first(_parser.parse(pattern.pattern, pattern.flags))
    if first is None or nullable or not first:
        return pattern
    try:
        return re.compile(f"(?=[{''.join(sorted(first))}])(?:{pattern.pattern})", pattern.flags)
    except re.error:  # a global inline flag that must stay first
        return pattern


_CATEGORIES = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


def _class_item(ch: int) -> str:
    return re.escape(chr(ch))


def _first(seq: Any) -> tuple[set[str] | None, bool]:
    """(class items a match of the parsed sequence `seq` can start with, or None when any
    character can; whether it can match the empty string)."""
    items: set[str] = set()
    for op, av in seq:
        got, nullable = _first_of(op, av)
        if got is None:
            return None, False
        items |= got
        if not nullable:
            return items, False
    return items, True


def _first_of(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    if op == _c.LITERAL:
        return {_class_item(av)}, False
    if op == _c.IN:
        items: set[str] = set()
        for kind, value in av:
            if kind == _c.LITERAL:
                items.add(_class_item(value))
            elif kind == _c.RANGE:
                items.add(f"{_class_item(value[0])}-{_class_item(value[1])}")
            elif kind == _c.CATEGORY and value in _CATEGORIES:
                items.add(_CATEGORIES[value])
            else:  # a negated class, or a category not listed
                return None, False
        return items, False
    if op == _c.BRANCH:
        union: set[str] = set()
        nullable = False
        for branch in av[1]:
            got, empty = _first(branch)
            if got is None:
                return None, False
            union |= got
            nullable = nullable or empty
        return union, nullable
    if op == _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return (None, False) if add_flags or del_flags else _first(sub)
    if op in _REPEATS:
        low, _high, sub = av
        got, empty = _first(sub)
        return got, empty or low == 0
    if op in _ZERO_WIDTH:
        return set(), True  # consumes nothing: what follows decides (a superset stays exact)
    return None, False  # any character, back-references, conditionals
