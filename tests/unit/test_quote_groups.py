"""Matching one statement across outlets: the pure text test and the grouping over analyses."""

from __future__ import annotations

import pytest

from newsprism import encoder
from newsprism.models import Actor, Article, ArticleAnalysis, Quote, Span, Speaker
from newsprism.nlp.actors import slug, story_people
from newsprism.quote_groups import content_stems, group_quotes, same_statement


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # direct in one outlet, indirect in the other (the seeds' technical-channels statement)
        (
            "But above all, we have rebuilt those channels of discussion at a technical level.",
            "channels of discussion with Russia have been restored at a technical level",
            True,
        ),
        (
            "The U.S. will attack us over digital regulation",
            "the U.S. would attack Europe over its digital regulation",
            True,
        ),
        ("openly anti-European", "the administration was being openly anti-European", True),
        (
            "Russia has always supported maintaining dialogue",
            "We have tried that strategy for months. It is not working",
            False,
        ),
        ("at this point", "at that point in time", False),  # only stop words in common
        ("The talks will resume next week", "The strike will end next week", False),
    ],
)
def test_same_statement(a: str, b: str, same: bool) -> None:
    assert same_statement(a, b) is same
    assert same_statement(b, a) is same


def test_stems_meet_across_inflections() -> None:
    assert content_stems("channels restored") == content_stems("channel restore")
    assert "the" not in content_stems("the channels")


# --- across languages and across a story's articles ------------------------------------------
def _analysis(aid: str, language: str, quotes: list[tuple[str, str | None]]) -> ArticleAnalysis:
    text = " ".join(q for q, _ in quotes)
    found, actors, at = [], {}, 0
    for q, speaker in quotes:
        start = text.index(q, at)
        at = start + len(q)
        sp = None
        if speaker is not None:
            sp = Speaker(
                name=speaker, actor_id=slug(speaker), span=None, text=None, resolution="explicit"
            )
            actors[speaker] = Actor(id=slug(speaker), name=speaker, kind="person")
        found.append(
            Quote(
                span=Span(start, at), text=q, kind="direct", speaker=sp, cue=None,
                cue_span=None, venue=None, time=None, sentence=0,
            )
        )  # fmt: skip
    article = Article(
        id=aid, raw_id="r" + aid, url=None, outlet=aid, title=None, text=text, paragraphs=(),
        published=None, published_source=None, published_granularity=None, language=language,
    )  # fmt: skip
    return ArticleAnalysis(
        article=article, sentences=(), actors=tuple(actors.values()), mentions=(),
        quotes=tuple(found), time_expressions=(), events=(),
    )  # fmt: skip


FR = "Nous ne céderons pas à la pression, et nous continuerons à soutenir l'Ukraine."
EN = "We will not give in to pressure, and we will keep supporting Ukraine."
OTHER_FR = "Les discussions avec Moscou doivent reprendre au niveau technique dès que possible."


@pytest.mark.skipif(not encoder.available(), reason="encoder not installed")
def test_one_statement_in_french_and_english_is_one_group_with_both_wordings() -> None:
    fr = _analysis("fr1", "fr", [(FR, "Emmanuel Macron"), (OTHER_FR, "Emmanuel Macron")])
    en = _analysis("en1", "en", [(EN, "Emmanuel Macron")])
    groups = group_quotes([fr, en])
    assert len(groups) == 1
    assert {m.text for m in groups[0].members} == {FR, EN}
    assert groups[0].speaker == "Emmanuel Macron"
    assert groups[0].differences == ()  # no word diff across languages


@pytest.mark.skipif(not encoder.available(), reason="encoder not installed")
def test_across_languages_a_statement_needs_an_agreeing_known_speaker() -> None:
    assert (
        group_quotes([_analysis("fr1", "fr", [(FR, None)]), _analysis("en1", "en", [(EN, None)])])
        == ()
    )
    assert (
        group_quotes(
            [
                _analysis("fr1", "fr", [(FR, "Emmanuel Macron")]),
                _analysis("en1", "en", [(EN, "Vladimir Putin")]),
            ]
        )
        == ()
    )


def test_a_surname_and_the_full_name_in_another_article_are_one_speaker() -> None:
    quote = "we will never accept a deal that ignores the workers"
    a = _analysis("a", "en", [(quote, "Barack Obama")])
    b = _analysis("b", "en", [(quote, "Obama")])
    assert story_people([a, b]) == {"Obama": "Barack Obama"}
    groups = group_quotes([a, b])
    assert len(groups) == 1 and groups[0].speaker == "Barack Obama"
    # two full names with that surname: not merged, the speakers disagree
    c = _analysis("c", "en", [(quote, "Michelle Obama")])
    assert story_people([a, b, c]) == {}
    assert all(len(g.members) < 3 for g in group_quotes([a, b, c]))
