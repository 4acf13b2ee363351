"""`literals.alternation` and `literals.gated` match exactly what the plain patterns match."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism import timex
from newsprism.literals import alternation, gated


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


_ATOMS = [
    "a",
    "b",
    "A",
    "ab",
    r"\d",
    r"\s",
    r"\w",
    "[ab]",
    "[a-c]",
    "[B1]",
    r"\.",
    " ",
    "[^a]",
    ".",
]
_ZERO = [r"\b", r"(?<!\w)", r"(?<![a.])", r"(?=a)", r"(?!b)", "^", "$"]


def _regex() -> st.SearchStrategy[str]:
    atom = st.sampled_from(_ATOMS)
    return st.recursive(
        atom,
        lambda inner: st.one_of(
            st.tuples(inner, inner).map("".join),
            st.tuples(inner, inner).map("|".join),
            st.tuples(inner, st.sampled_from(["?", "*", "+", "{0,2}", "{1,2}", "??"])).map(
                lambda p: f"(?:{p[0]}){p[1]}"
            ),
            st.tuples(inner).map(lambda p: f"({p[0]})"),
            st.tuples(st.sampled_from(_ZERO), inner).map("".join),
        ),
        max_leaves=6,
    )


@settings(max_examples=400, deadline=None)
@given(_regex(), st.text(alphabet="abcAB .1\n", max_size=40), st.sampled_from([0, re.I]))
def test_a_gated_pattern_matches_what_the_pattern_matches(
    pattern: str, text: str, flags: int
) -> None:
    plain = re.compile(pattern, flags)
    fast = gated(plain)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.groups() for m in fast.finditer(text)] == [m.groups() for m in plain.finditer(text)]


def test_gated_reads_first_characters_through_optional_prefixes() -> None:
    pattern = gated(re.compile(r"\b(?:(?:the|its)\s+)?(?P<n>\d+|one)\s+days?\b", re.I))
    assert pattern.pattern.startswith("(?=[")
    assert pattern.pattern[: pattern.pattern.index("]")] == "(?=[\\diot"
    assert pattern.search("in THE 3 days").group("n") == "3"
    for unbounded in (r"(?:a|.)b", r"[^x]y", r"a?", r"(?i:a)b", r"(a)?\1"):
        assert gated(re.compile(unbounded)).pattern == unbounded


def test_every_time_pattern_is_gated() -> None:
    assert all(p.pattern.startswith("(?=[") for p, _handler in timex._PATTERNS)
