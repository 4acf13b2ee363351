"""`literals.alternation` matches what the flat longest-first alternation matches, faster."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.literals import alternation


def _flat(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


def _spans(pattern: str, text: str, flags: int = 0) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text, flags)]


def test_prefix_words_prefer_the_longer_one_that_fits() -> None:
    words = ["New", "New York", "New York City", "York"]
    wrapped = r"(?<!\w)(?:{})(?![\w-])"
    text = "New York-based, New York City, New Yorker, York."
    assert _spans(wrapped.format(alternation(words)), text) == _spans(
        wrapped.format(_flat(words)), text
    )
    assert re.findall(wrapped.format(alternation(words)), text) == [
        "New",
        "New York City",
        "New",
        "York",
    ]


def test_special_characters_are_literal() -> None:
    pattern = re.compile(alternation(["U.S.", "a+b", "(x)", "S$"]))
    assert pattern.findall("the U.S. and USAS, a+b, aab, (x), S$") == ["U.S.", "a+b", "(x)", "S$"]


def test_empty_words_match_nothing() -> None:
    assert alternation([]) == ""
    assert alternation(["", "a"]) == "a"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="ab .-", min_size=1, max_size=5), min_size=1, max_size=12),
    st.text(alphabet="ab .-xA", max_size=60),
    st.sampled_from([("", ""), (r"(?<![\w.])", r"(?![\w-])"), (r"\b", r"\b")]),
    st.sampled_from([0, re.IGNORECASE]),
)
def test_same_matches_as_the_flat_alternation(
    words: list[str], text: str, wrap: tuple[str, str], flags: int
) -> None:
    before, after = wrap
    tree = f"{before}(?:{alternation(words)}){after}"
    flat = f"{before}(?:{_flat(words)}){after}"
    assert _spans(tree, text, flags) == _spans(flat, text, flags)
