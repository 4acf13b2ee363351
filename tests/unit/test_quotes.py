"""Quote rules: quote-mark pairing, titles, given-name gender, and reported speech end to end."""

from __future__ import annotations

import pytest

import newsprism
from newsprism.models import Paragraph, Span
from newsprism.nlp.actors import name_gender
from newsprism.nlp.quotes import _looks_like_title, find_quote_marks


def _marks(text: str) -> list[str]:
    pairs, _ = find_quote_marks(text, [Paragraph(span=Span(0, len(text)))])
    return [text[m.open + m.open_len : m.close] for m in pairs]


def test_double_apostrophes_pair_as_quote_marks() -> None:
    text = "''We have to be tougher,'' he said, calling it ''a disaster.'' The students' bus left."
    assert _marks(text) == ["We have to be tougher,", "a disaster."]


def test_curly_and_straight_marks_still_pair() -> None:
    assert _marks('“One,” she said. "Two."') == ["One,", "Two."]


@pytest.mark.parametrize(
    ("quoted", "title"),
    [
        ("Meet the Press", True),
        ("The Art of the Deal", True),
        ("Seinfeld.", True),
        ("Get him the hell out of here!", False),
        ("a disaster", False),
        ("We will win.", False),
    ],
)
def test_titles_are_not_quotes(quoted: str, title: bool) -> None:
    assert _looks_like_title(quoted) is title


def test_given_names() -> None:
    assert name_gender("Bill Clinton") == "m"
    assert name_gender("Hillary Clinton") == "f"
    assert name_gender("Clinton") is None
    assert name_gender("Lena Corvo") is None


@pytest.mark.model
def test_reported_speech_before_and_after_the_verb() -> None:
    text = (
        "Port talks resume\n\n"
        "The port authority will reopen the northern quay next week, spokeswoman Anna Berg "
        "said on Monday.\n\n"
        "Union leader Piotr Lanz criticized the authority for the new shift plan. He said "
        "that the night crews would be cut by a third.\n"
    )
    analysis = newsprism.analyze_text(text, title="Port talks resume")
    quotes = {q.text: q for q in analysis.quotes if q.kind == "indirect"}
    before = quotes["The port authority will reopen the northern quay next week"]
    assert before.speaker is not None and before.speaker.name == "Anna Berg"
    assert before.cue == "said"
    after = quotes["the night crews would be cut by a third"]
    assert after.speaker is not None and after.speaker.resolution == "pronoun"
    assert after.speaker.name == "Piotr Lanz"
    criticized = quotes["the authority for the new shift plan"]
    assert criticized.speaker is not None and criticized.speaker.name == "Piotr Lanz"
    for q in analysis.quotes:
        assert analysis.article.text[q.span.start : q.span.end] == q.text
