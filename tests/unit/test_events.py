"""Events: actor -> action -> target with level, modality and date.

The two real seed articles (../shared/seeds) through `newsprism.analyze`, one small sentence per
ontology class and per rule through `newsprism.analyze_text`, and one hand-built parse through
the pure `extract_events`.
"""

from __future__ import annotations

import datetime as dt

import pytest

import newsprism
from newsprism.models import ArticleAnalysis, Event, Result, Sentence, Span
from newsprism.nlp.actors import find_actors
from newsprism.nlp.events import ACTIONS, NOUNS, extract_events
from newsprism.nlp.parse import Entity, Parse, Token

Row = tuple[str, str, str | None, str | None, str, str | None]

FILLER = " Further details were not given to the press."


def _row(e: Event) -> Row:
    return (e.actor, e.action, e.target, e.level, e.modality, e.date)


def _seed(result: Result, prefix: str) -> ArticleAnalysis:
    return next(
        a for a in result.analyses if a.article.locator.rsplit("/", 1)[-1].startswith(prefix)
    )


# --- pure: a hand-built parse -------------------------------------------------------------------


def _parse(specs: list[tuple[str, str, str, str, str, int, str, bool]]) -> Parse:
    tokens, text = [], ""
    for i, (word, lemma, pos, tag, dep, head, ent, space) in enumerate(specs):
        start = len(text)
        tokens.append(Token(i, start, start + len(word), word, lemma, pos, tag, dep, head, ent, 0))
        text += word + (" " if space else "")
    ents = [
        Entity(t.start, t.end, t.ent, t.text, t.i, t.i + 1) for t in tokens if t.ent
    ]  # one-token entities are enough here
    return Parse(
        text=text.rstrip(), tokens=tuple(tokens), sents=((0, len(tokens)),), ents=tuple(ents)
    )


def test_negated_rubber_stamp_with_a_condition_is_a_conditional_rejection() -> None:
    # "The French government will not rubber-stamp any deal without European leaders."
    parse = _parse(
        [
            ("The", "the", "DET", "DT", "det", 2, "", True),
            ("French", "french", "ADJ", "JJ", "amod", 2, "NORP", True),
            ("government", "government", "NOUN", "NN", "nsubj", 7, "", True),
            ("will", "will", "AUX", "MD", "aux", 7, "", True),
            ("not", "not", "PART", "RB", "neg", 7, "", True),
            ("rubber", "rubber", "NOUN", "NN", "dep", 7, "", False),
            ("-", "-", "PUNCT", "HYPH", "punct", 7, "", False),
            ("stamp", "stamp", "NOUN", "NN", "ROOT", 7, "", True),  # the parser's noun
            ("any", "any", "DET", "DT", "det", 9, "", True),
            ("deal", "deal", "NOUN", "NN", "dobj", 7, "", True),
            ("without", "without", "ADP", "IN", "prep", 7, "", True),
            ("European", "european", "ADJ", "JJ", "amod", 12, "NORP", True),
            ("leaders", "leader", "NOUN", "NNS", "pobj", 10, "", False),
            (".", ".", "PUNCT", ".", "punct", 7, "", False),
        ]
    )
    _, mentions = find_actors(parse)
    sentence = Sentence(span=Span(0, len(parse.text)), text=parse.text, paragraph=0)
    (event,) = extract_events(parse, [sentence], mentions, [])
    assert _row(event) == ("France", "reject", None, None, "hypothetical", None)
    assert event.extractor == "events.rules.v2"
    assert parse.text[event.span.start : event.span.end] == event.text


def test_the_lexicon_has_every_ontology_class() -> None:
    classes = {
        "consult", "statement", "appeal", "agree", "cooperate", "aid", "reject", "accuse",
        "threaten", "sanction", "protest", "assault",
    }  # fmt: skip
    assert set(ACTIONS.values()) == classes
    assert set(NOUNS.values()) <= classes


# --- the seeds ----------------------------------------------------------------------------------

SEED_000: list[Row] = [
    # the Kremlin confirms: France restored technical-level contact with Russia
    ("France", "consult", "Russia", "technical", "reported", None),
    # the government "will not rubber-stamp" a peace agreement without European leaders
    ("France", "reject", None, "advisers", "hypothetical", None),
    # "The U.S. will ... attack us over digital regulation", potential U.S. import tariffs
    ("United States", "threaten", None, None, "planned", None),
    # "perhaps an opportunity for Trump to mock Macron": the author's speculation
    ("Donald Trump", "accuse", "Emmanuel Macron", "leaders", "hypothetical", None),
]
SEED_004: list[Row] = [
    # "France has announced the restoration of technical channels with Russia"
    ("France", "consult", "Russia", "technical", "reported", None),
    # "Macron said that channels of discussion with Russia have been restored at a technical level"
    ("Emmanuel Macron", "consult", "Russia", "technical", "reported", None),
    ("Emmanuel Macron", "appeal", "Russia", None, "reported", "2025-12-19"),
    # Zelensky confirmed that Macron had discussed with him ...
    ("Emmanuel Macron", "consult", "Volodymyr Zelensky", "leaders", "reported", "2025-12-21"),
    # reports about a French diplomat's trip to Russia for technical-level talks
    ("France", "consult", "Russia", "technical", "reported", "2026-02-04"),
]


@pytest.mark.model
@pytest.mark.parametrize(("prefix", "expected"), [("000", SEED_000), ("004", SEED_004)])
def test_seed_events(seeds_result: Result, prefix: str, expected: list[Row]) -> None:
    events = _seed(seeds_result, prefix).events
    rows = [_row(e) for e in events]
    for row in expected:
        assert row in rows, (row, rows)


@pytest.mark.model
def test_seed_mistakes_are_gone(seeds_result: Result) -> None:
    old = _seed(seeds_result, "000").events
    assert not any(e.actor == "Donald Trump" and e.modality == "planned" for e in old)
    assert not any(e.action == "assault" for e in old)  # a future "attack" is a threat
    new = _seed(seeds_result, "004").events
    assert not any(e.actor == "Russia" and e.action == "consult" for e in new)
    assert not any(e.target == "United States" for e in new)
    assert all(e.target is not None for e in new if e.action in ("consult", "appeal"))


@pytest.mark.model
def test_seed_event_dates_come_from_their_sentence(seeds_result: Result) -> None:
    for analysis in seeds_result.analyses:
        text = analysis.article.text
        for e in analysis.events:
            assert text[e.span.start : e.span.end] == e.text
            assert e.extractor == "events.rules.v2"
            if e.date is not None:
                values = {t.value for t in analysis.time_expressions if e.span.contains(t.span)}
                assert e.date in values, (e.date, e.text)
    dated = [e for a in seeds_result.analyses for e in a.events if e.date]
    assert {e.date for e in dated} == {"2025-12-19", "2025-12-21", "2026-02-04"}


# --- one sentence per class ------------------------------------------------------------------

# text, (actor, action, target, modality)
CLASSES: list[tuple[str, tuple[str, str, str | None, str]]] = [
    (
        "Emmanuel Macron met Vladimir Putin in Moscow last week, the Kremlin said.",
        ("Emmanuel Macron", "consult", "Vladimir Putin", "reported"),
    ),
    (
        "Volodymyr Zelensky praised Germany for its support during a visit to Berlin.",
        ("Volodymyr Zelensky", "statement", "Germany", "reported"),
    ),
    (
        "Ukraine urged NATO to send more air defence systems, the foreign minister said.",
        ("Ukraine", "appeal", "NATO", "reported"),
    ),
    (
        "Russia and Ukraine signed an agreement on prisoner exchanges in Istanbul.",
        ("Russia", "agree", "Ukraine", "reported"),
    ),
    (
        "Poland has agreed to coordinate its border policy with Ukraine, officials said.",
        ("Poland", "cooperate", "Ukraine", "planned"),
    ),
    (
        "Germany will supply Ukraine with tanks, the government announced.",
        ("Germany", "aid", "Ukraine", "planned"),
    ),
    (
        "Hungary rejected the European Union's proposal to open accession talks.",
        ("Hungary", "reject", "European Union", "reported"),
    ),
    (
        "China accused the United States of provoking tensions in the region.",
        ("China", "accuse", "United States", "reported"),
    ),
    (
        "Iran threatened Israel with retaliation after the strike on its consulate.",
        ("Iran", "threaten", "Israel", "reported"),
    ),
    (
        "The European Union imposed new sanctions on Russia over the war.",
        ("European Union", "sanction", "Russia", "reported"),
    ),
    (
        "Poland lodged a protest with Belarus over the border incident, the ministry said.",
        ("Poland", "protest", "Belarus", "reported"),
    ),
    (
        "Russian forces attacked Kyiv with drones overnight, Ukrainian officials said.",
        ("Russia", "assault", "Ukraine", "reported"),
    ),
]

# the rules: modality, passives, pronouns, event nouns
RULES: list[tuple[str, tuple[str, str, str | None, str]]] = [
    (
        "China did not criticise Russia at the summit, diplomats noted.",
        ("China", "accuse", "Russia", "denied"),
    ),
    (
        "Turkey allegedly supplied drones to Ukraine, according to a newspaper.",
        ("Turkey", "aid", "Ukraine", "alleged"),
    ),
    (
        "If Iran attacks Israel, the United States could impose sanctions on Iran.",
        ("United States", "threaten", "Iran", "hypothetical"),
    ),
    (
        "Macron plans to visit Kyiv next month, his office said on Tuesday.",
        ("Emmanuel Macron", "consult", "Ukraine", "planned"),
    ),
    (
        "Hungary will not accept the new migration pact, its prime minister said.",
        ("Hungary", "reject", None, "planned"),
    ),
    (
        "This is perhaps an opportunity for Trump to mock Macron some more, as has been his "
        "tendency lately.",
        ("Donald Trump", "accuse", "Emmanuel Macron", "hypothetical"),
    ),
    (
        "Ukraine was attacked by Russia overnight, the defence ministry said.",
        ("Russia", "assault", "Ukraine", "reported"),
    ),
    (
        "Zelensky confirmed that Macron had discussed with him the possibility of direct "
        "contact with Russia.",
        ("Emmanuel Macron", "consult", "Volodymyr Zelensky", "reported"),
    ),
    (
        "Macron, who met Zelensky on Friday, will travel to Warsaw next week.",
        ("Emmanuel Macron", "consult", "Poland", "planned"),
    ),
    (
        "Macron, who met Zelensky on Friday, will travel to Warsaw next week.",
        ("Emmanuel Macron", "consult", "Volodymyr Zelensky", "reported"),
    ),
    (
        "Reports emerged about a French diplomat's trip to Russia for technical-level talks.",
        ("France", "consult", "Russia", "reported"),
    ),
    (
        "The talks between Russia and Ukraine resumed in Istanbul on Monday.",
        ("Russia", "consult", "Ukraine", "reported"),
    ),
    (
        "Macron warned of potential U.S. import tariffs from President Donald Trump.",
        ("United States", "threaten", None, "hypothetical"),
    ),
    (
        "Germany condemned Russia's attack on Kyiv and promised to send air defence systems to "
        "Ukraine.",
        ("Germany", "aid", "Ukraine", "planned"),
    ),
    (
        "The Russian attack on Kyiv killed three people, officials said.",
        ("Russia", "assault", "Ukraine", "reported"),
    ),
]


def _events(text: str, published: dt.date | None = None) -> list[Event]:
    return list(newsprism.analyze_text(text + FILLER, published=published).events)


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), CLASSES + RULES)
def test_one_sentence(text: str, expected: tuple[str, str, str | None, str]) -> None:
    got = [(e.actor, e.action, e.target, e.modality) for e in _events(text)]
    assert expected in got, got


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Russia called it a provocation, and Ukraine called it routine maintenance.",
        "She did not meet the polling threshold, the debate commission said on Monday.",
        "Macron warned of a long war in Ukraine in an interview on Monday.",
        "Brisk has said that he will travel once the technical work justifies it.",
    ],
)
def test_no_event(text: str) -> None:
    assert _events(text) == []


@pytest.mark.model
def test_levels() -> None:
    (met,) = _events("Foreign ministers of France and Germany met in Berlin to discuss the crisis.")
    assert (met.actor, met.target, met.level) == ("France", "Germany", "ministers")
    (leaders,) = _events("Emmanuel Macron met Vladimir Putin in Moscow, the Kremlin said.")
    assert leaders.level == "leaders"
    (trip,) = _events(
        "Reports emerged about a French diplomat's trip to Russia for technical-level talks."
    )
    assert trip.level == "technical"


@pytest.mark.model
def test_dates_come_from_the_events_own_clause() -> None:
    day = dt.date(2026, 3, 5)
    (met,) = _events(
        "On Tuesday the Kremlin said that Putin had met Trump in Alaska in August 2025.", day
    )
    assert met.date == "2025-08"  # not the Tuesday of the report
    (reported,) = _events(
        "On 21 December 2025 President Zelensky confirmed that Macron had discussed with him "
        "the possibility of direct contact with Russia.",
        day,
    )
    assert reported.date == "2025-12-21"  # the report dates what it reports
    (undated,) = _events("Germany held talks with Poland on border controls.", day)
    assert undated.date is None  # never the published date
