"""Actors: gazetteer metonymy, nationality nouns and adjectives, state bodies, roles, leader
titles and unknown names. Pure functions on hand-built input first, then tables through the
spaCy model (`newsprism.analyze_text`)."""

from __future__ import annotations

import pytest

import newsprism
from newsprism.models import Actor, Mention, Span
from newsprism.nlp.actors import _ALIAS_RE, _leader_titles, _state_bodies, find_actors, slug
from newsprism.nlp.gazetteer import (
    ENTRIES,
    OFFICES_AS_OF,
    adjective_index,
    alias_index,
    demonym_index,
    leader_index,
    office_index,
)
from newsprism.nlp.parse import Entity, Parse, Token

# (text, lemma, pos, tag, dep, head, entity label, space after)
Spec = tuple[str, str, str, str, str, int, str, bool]


def build_parse(specs: list[Spec]) -> Parse:
    """A one-sentence `Parse` from hand-written tokens; entities from runs of one label."""
    tokens, text, pos = [], "", 0
    for i, (word, lemma, upos, tag, dep, head, ent, space) in enumerate(specs):
        tokens.append(Token(i, pos, pos + len(word), word, lemma, upos, tag, dep, head, ent, 0))
        text += word + (" " if space else "")
        pos = len(text)
    ents, i = [], 0
    while i < len(tokens):
        label = tokens[i].ent
        j = i + 1
        while label and j < len(tokens) and tokens[j].ent == label:
            j += 1
        if label:
            ents.append(
                Entity(
                    tokens[i].start,
                    tokens[j - 1].end,
                    label,
                    text[tokens[i].start : tokens[j - 1].end],
                    i,
                    j,
                )
            )
        i = j
    return Parse(
        text=text.rstrip(), tokens=tuple(tokens), sents=((0, len(tokens)),), ents=tuple(ents)
    )


def _names(mentions: tuple[Mention, ...] | list[Mention]) -> dict[str, tuple[str, str | None]]:
    return {m.text: (m.actor_name, m.role) for m in mentions}


# --- pure: gazetteer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("the kremlin", "Russia"),
        ("moscow", "Russia"),
        ("washington", "United States"),
        ("the white house", "United States"),
        ("the trump administration", "United States"),
        ("brussels", "European Union"),
        ("kyiv", "Ukraine"),
        ("downing street", "United Kingdom"),
        ("president macron", "Emmanuel Macron"),
    ],
)
def test_metonymy_aliases(alias: str, name: str) -> None:
    assert alias_index()[alias].name == name


def test_every_iso_country_with_names_in_five_languages() -> None:
    countries = [e for e in ENTRIES if e.kind == "country"]
    assert len(countries) >= 249
    index = alias_index()
    for name, country in [
        ("Allemagne", "Germany"),
        ("Deutschland", "Germany"),
        ("Германия", "Germany"),
        ("Німеччина", "Germany"),
        ("Russie", "Russia"),
        ("Россия", "Russia"),
        ("États-Unis", "United States"),
        ("Côte d'Ivoire", "Côte d'Ivoire"),
        ("Jordanie", "Jordan"),
        ("Moscou", "Russia"),
        ("Kiew", "Ukraine"),
    ]:
        assert index[name.lower()].name == country, name
    assert index["макрон"].name == "Emmanuel Macron"
    assert index["poutine"].name == "Vladimir Putin"


def test_iso_only_english_names_are_not_matched_in_text() -> None:
    # "Jordan", "Chad" are people too: looked up when the model tags a place, never matched
    assert _ALIAS_RE.search("Jordan said Chad would play") is None
    assert _ALIAS_RE.search("Le Kremlin et Макрон") is not None


def test_office_holders_carry_an_as_of_date() -> None:
    assert OFFICES_AS_OF[:2] == "20"
    offices = office_index()
    assert offices[("France", "head of state")] == "Emmanuel Macron"
    assert offices[("Russia", "foreign minister")] == "Sergey Lavrov"
    assert leader_index()["Vladimir Putin"] == "Russia"
    assert "Sergey Lavrov" not in leader_index()  # heads of state only


def test_french_and_german_leader_titles_name_the_office_holder() -> None:
    text = "Emmanuel Macron est arrivé. Le président français a parlé. Der französische Präsident auch."
    macron = _person(text, "Emmanuel Macron")
    actors = {macron.actor_id: Actor(id=macron.actor_id, name=macron.actor_name, kind="person")}
    titles = _leader_titles(text, actors, [macron])
    assert [(m.text, m.actor_name) for m in titles] == [
        ("Le président français", "Emmanuel Macron"),
        ("Der französische Präsident", "Emmanuel Macron"),
    ]
    lavrov_text = "Sergey Lavrov spoke; the Russian foreign minister said the talks would go on."
    lavrov = _person(lavrov_text, "Sergey Lavrov")
    actors = {lavrov.actor_id: Actor(id=lavrov.actor_id, name=lavrov.actor_name, kind="person")}
    got = _leader_titles(lavrov_text, actors, [lavrov])
    assert [(m.text, m.actor_name) for m in got] == [
        ("the Russian foreign minister", "Sergey Lavrov")
    ]


def test_nationality_words() -> None:
    assert demonym_index()["americans"].name == "United States"
    assert demonym_index()["french"].name == "France"
    assert adjective_index()["Russian"].name == "Russia"
    assert adjective_index()["British"].name == "United Kingdom"
    assert leader_index()["Emmanuel Macron"] == "France"


# --- pure: rules on text and on a hand-built parse --------------------------------------------


def test_state_bodies_stand_for_their_country() -> None:
    text = (
        "The French government, the Russian Foreign Ministry, the Ukrainian side and "
        "the Macron government spoke; a French diplomat and French President Macron did not."
    )
    found = [
        (text[c.start : c.end], c.entry.name if c.entry else None, c.role)
        for c in _state_bodies(text)
    ]
    assert found == [
        ("French government", "France", "government"),
        ("Russian Foreign Ministry", "Russia", "foreign ministry"),
        ("Ukrainian side", "Ukraine", "side"),
        ("Macron government", "France", "government"),
    ]


def _person(text: str, name: str) -> Mention:
    start = text.index(name)
    return Mention(
        span=Span(start, start + len(name)),
        text=name,
        actor_id=slug(name),
        actor_name=name,
        kind="person",
    )


def test_leader_titles_need_the_article_to_name_the_leader() -> None:
    text = "Emmanuel Macron arrived. The French leader said the Russian president was absent."
    macron = _person(text, "Emmanuel Macron")
    actors = {macron.actor_id: Actor(id=macron.actor_id, name=macron.actor_name, kind="person")}
    titles = _leader_titles(text, actors, [macron])
    # Putin is not named in this text, so "the Russian president" stays unresolved
    assert [(m.text, m.actor_name, m.role) for m in titles] == [
        ("The French leader", "Emmanuel Macron", "leader")
    ]
    assert _leader_titles(text, {}, []) == []


def test_leader_titles_by_possessive_and_of_phrase_replace_the_country() -> None:
    text = "Vladimir Putin spoke. Russia's leader met the president of France."
    putin = _person(text, "Vladimir Putin")
    start = text.index("Russia")
    russia = Mention(
        span=Span(start, start + 6),
        text="Russia",
        actor_id="russia",
        actor_name="Russia",
        kind="country",
    )
    actors = {putin.actor_id: Actor(id=putin.actor_id, name=putin.actor_name, kind="person")}
    titles = _leader_titles(text, actors, [putin, russia])
    assert [(m.text, m.actor_name) for m in titles] == [("Russia's leader", "Vladimir Putin")]


def test_nationality_noun_and_state_body_on_a_hand_built_parse() -> None:
    parse = build_parse(
        [
            ("The", "the", "DET", "DT", "det", 1, "", True),
            ("Americans", "American", "PROPN", "NNPS", "nsubj", 2, "NORP", True),
            ("met", "meet", "VERB", "VBD", "ROOT", 2, "", True),
            ("the", "the", "DET", "DT", "det", 5, "", True),
            ("French", "french", "ADJ", "JJ", "amod", 5, "NORP", True),
            ("government", "government", "NOUN", "NN", "dobj", 2, "", True),
            ("in", "in", "ADP", "IN", "prep", 2, "", True),
            ("Moscow", "Moscow", "PROPN", "NNP", "pobj", 6, "GPE", False),
            (".", ".", "PUNCT", ".", "punct", 2, "", False),
        ]
    )
    actors, mentions = find_actors(parse)
    assert _names(mentions) == {
        "Americans": ("United States", None),
        "French government": ("France", "government"),
        "Moscow": ("Moscow", None),  # "in Moscow": a place, not the government
    }
    assert {a.name for a in actors} == {"United States", "France", "Moscow"}


def test_nationality_adjective_before_a_title_is_the_persons_role() -> None:
    parse = build_parse(
        [
            ("French", "french", "ADJ", "JJ", "amod", 1, "NORP", True),
            ("President", "President", "PROPN", "NNP", "compound", 3, "", True),
            ("Emmanuel", "Emmanuel", "PROPN", "NNP", "compound", 3, "PERSON", True),
            ("Macron", "Macron", "PROPN", "NNP", "nsubj", 4, "PERSON", True),
            ("spoke", "speak", "VERB", "VBD", "ROOT", 4, "", False),
            (".", ".", "PUNCT", ".", "punct", 4, "", False),
        ]
    )
    _, mentions = find_actors(parse)
    assert _names(mentions) == {"Emmanuel Macron": ("Emmanuel Macron", "French President")}


def test_unknown_names_still_become_actors() -> None:
    parse = build_parse(
        [
            ("Lena", "Lena", "PROPN", "NNP", "compound", 1, "PERSON", True),
            ("Corvo", "Corvo", "PROPN", "NNP", "nsubj", 2, "PERSON", True),
            ("visited", "visit", "VERB", "VBD", "ROOT", 2, "", True),
            ("Kestria", "Kestria", "PROPN", "NNP", "dobj", 2, "GPE", False),
            (".", ".", "PUNCT", ".", "punct", 2, "", False),
        ]
    )
    actors, _ = find_actors(parse)
    assert {(a.name, a.kind) for a in actors} == {("Lena Corvo", "person"), ("Kestria", "country")}


def _surname_after(word: str, ent: str = "", pos: str = "PROPN", surname: str = "Macron") -> Parse:
    return build_parse(
        [
            (word, word, pos, "NNP", "compound", 1, ent, True),
            (surname, surname, "PROPN", "NNP", "nsubj", 2, "", True),
            ("spoke", "speak", "VERB", "VBD", "ROOT", 2, "", False),
            (".", ".", "PUNCT", ".", "punct", 2, "", False),
        ]
    )


@pytest.mark.parametrize("ent", ["", "PRODUCT"])
def test_a_gazetteer_surname_after_another_given_name_is_another_person(ent: str) -> None:
    # the entity model often misses the pair (or tags the given name as a product)
    actors, mentions = find_actors(_surname_after("Brigitte", ent))
    assert _names(mentions) == {"Brigitte Macron": ("Brigitte Macron", None)}
    assert {a.name for a in actors} == {"Brigitte Macron"}


@pytest.mark.parametrize(
    ("word", "ent", "pos", "surname", "person"),
    [
        ("Sergii", "", "PROPN", "Lavrov", "Sergey Lavrov"),  # a spelling of his given name
        ("Minister", "", "PROPN", "Lavrov", "Sergey Lavrov"),  # a title
        ("President", "", "PROPN", "Macron", "Emmanuel Macron"),
        ("Monsieur", "", "PROPN", "Macron", "Emmanuel Macron"),  # a form of address
        ("Kanzler", "", "PROPN", "Merz", "Friedrich Merz"),  # a title in German
        ("French", "NORP", "ADJ", "Macron", "Emmanuel Macron"),  # a nationality
        ("Paris", "GPE", "PROPN", "Macron", "Emmanuel Macron"),  # a place
        ("Then", "", "ADV", "Macron", "Emmanuel Macron"),
    ],
)
def test_a_gazetteer_surname_after_a_title_or_his_own_given_name_stays_his(
    word: str, ent: str, pos: str, surname: str, person: str
) -> None:
    _, mentions = find_actors(_surname_after(word, ent, pos, surname))
    assert [m.actor_name for m in mentions if m.kind == "person"] == [person]


# --- through the model -------------------------------------------------------------------------

# text, {mention text: (actor, role)}, mention texts that must not exist
ACTOR_TABLE: list[tuple[str, dict[str, tuple[str, str | None]], set[str]]] = [
    (
        "Putin spokesman Dmitry Peskov told reporters on Monday that the talks would continue "
        "next week in Geneva.",
        {"Dmitry Peskov": ("Dmitry Peskov", "Putin spokesman")},
        set(),
    ),
    (
        "Emmanuel Macron spoke in Paris on Monday. President Macron said the French leader "
        "would not back down on trade.",
        {
            "President Macron": ("Emmanuel Macron", None),
            "the French leader": ("Emmanuel Macron", "leader"),
            "Paris": ("Paris", None),  # named as a location: a place
        },
        set(),
    ),
    (
        "The French leader said on Monday that trade talks would resume in Geneva next week, "
        "officials added.",
        {},
        {"The French leader", "French leader", "French"},
    ),
    (
        "The Kremlin said on Monday that Moscow was ready for talks, while Washington and the "
        "White House stayed silent.",
        {
            "Kremlin": ("Russia", None),
            "Moscow": ("Russia", None),
            "Washington": ("United States", None),
            "the White House": ("United States", None),
        },
        set(),
    ),
    (
        "The Trump administration said Brussels must change its rules, and Kyiv said it welcomed "
        "the proposal on Tuesday.",
        {
            "Trump administration": ("United States", None),
            "Brussels": ("European Union", None),
            "Kyiv": ("Ukraine", None),
        },
        set(),
    ),
    (
        "The Americans have shown a desire to end the war, and the French are willing to help, "
        "officials said on Monday.",
        {"Americans": ("United States", None), "French": ("France", None)},
        set(),
    ),
    (
        "French President Emmanuel Macron met German Chancellor Friedrich Merz in Berlin on "
        "Monday to discuss trade.",
        {
            "Emmanuel Macron": ("Emmanuel Macron", "French President"),
            "Friedrich Merz": ("Friedrich Merz", "German Chancellor"),
            "Berlin": ("Berlin", None),  # "in Berlin": a place
        },
        {"French", "German"},
    ),
    (
        "The French government said on Monday that it would not accept the deal, and the Russian "
        "side rejected it too.",
        {
            "French government": ("France", "government"),
            "Russian side": ("Russia", "side"),
        },
        {"French", "Russian"},
    ),
    (
        "The Russian Foreign Ministry said on Monday that a French diplomat had travelled to "
        "Moscow for talks.",
        {"Russian Foreign Ministry": ("Russia", "foreign ministry"), "Moscow": ("Russia", None)},
        {"French", "French diplomat"},
    ),
    (
        "The Macron government said on Monday it would not accept the deal, the newspaper "
        "reported.",
        {"Macron government": ("France", "government")},
        {"Macron"},
    ),
    (
        "Vladimir Putin spoke on Monday. Russia's leader said he would not meet the president of "
        "France this year.",
        {"Russia's leader": ("Vladimir Putin", "leader"), "France": ("France", None)},
        {"Russia"},
    ),
    (
        "Lena Corvo, a spokeswoman for the Valdorian foreign ministry, said Kestria had violated "
        "the agreement on Monday.",
        {"Lena Corvo": ("Lena Corvo", None), "Kestria": ("Kestria", None)},
        {"Valdorian"},
    ),
    # capitals and seats: the government when it acts or is acted on, a place as a location,
    # nothing of its own inside a longer name
    (
        "Washington warned on Tuesday that the sanctions would stay in place for at least a year.",
        {"Washington": ("United States", None)},
        set(),
    ),
    (
        "The two delegations held a meeting in Helsinki on Monday before flying home to their capitals.",
        {"Helsinki": ("Helsinki", None)},
        set(),
    ),
    (
        "Traffic on the George Washington Bridge was heavy on Friday evening, the local police said.",
        {},
        {"Washington"},
    ),
    (
        "The Kremlin said the talks were useful, and Moscow and Kyiv agreed to swap prisoners.",
        {"Kremlin": ("Russia", None), "Moscow": ("Russia", None), "Kyiv": ("Ukraine", None)},
        set(),
    ),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected", "absent"), ACTOR_TABLE)
def test_actor_table(
    text: str, expected: dict[str, tuple[str, str | None]], absent: set[str]
) -> None:
    analysis = newsprism.analyze_text(text)
    names = _names(analysis.mentions)
    for surface, (actor, role) in expected.items():
        assert surface in names, (surface, names)
        assert names[surface] == (actor, role), surface
    assert not absent & set(names), names
    for m in analysis.mentions:
        assert analysis.article.text[m.span.start : m.span.end] == m.text
    assert {m.actor_id for m in analysis.mentions} == {a.id for a in analysis.actors}
