"""A small shipped gazetteer: countries with their capitals and seats of government (metonymy),
international organisations, and people who appear often in international news.

Each entry: canonical name, kind, Wikidata id (only where we are sure of it), and aliases that
denote the same actor in news text. Capitals and government seats stand for the government
("the Kremlin said" -> Russia), as news metonymy does; a capital named as a place ("in Moscow")
is still mapped to the country, which is what an actor-level picture needs.
Countries also list nationality nouns ("Americans": the country's side) and adjectives
("French": the country only before a body of the state, "the French government"; see
`actors.py`). Unknown names still become actors (see `actors.py`); this table only
canonicalises.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsprism.models import ActorKind


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    kind: ActorKind
    wikidata: str | None
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...] = ()  # nouns for its people: "the Americans", "the French"
    leads: str | None = None  # the country this person heads ("the French leader")
    adjectives: tuple[str, ...] = ()  # "French": a country only before a state body (actors.py)


def _split(words: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in words.split("|") if w.strip())


def _country(
    name: str, qid: str | None, aliases: str, demonyms: str = "", adjectives: str = ""
) -> Entry:
    return Entry(
        name, "country", qid, _split(aliases), _split(demonyms), adjectives=_split(adjectives)
    )


def _org(name: str, qid: str | None, aliases: str) -> Entry:
    return Entry(name, "organisation", qid, _split(aliases))


def _person(name: str, qid: str | None, aliases: str, leads: str | None = None) -> Entry:
    return Entry(name, "person", qid, _split(aliases), (), leads)


ENTRIES: tuple[Entry, ...] = (
    _country("Russia", "Q159", "Russian Federation|the Russian Federation|Moscow|the Kremlin|Kremlin", "Russians", "Russian"),
    _country("France", "Q142", "Paris|the Elysee|the Élysée|Elysee Palace|Élysée Palace|French Republic", "French|Frenchmen", "French"),
    _country("United States", "Q30", "US|U.S.|USA|U.S.A.|United States of America|America|Washington|the White House|White House|the Trump administration|Trump administration|the Biden administration", "Americans", "American|US|U.S."),
    _country("Ukraine", "Q212", "Kyiv|Kiev", "Ukrainians", "Ukrainian"),
    _country("Germany", "Q183", "Berlin|Federal Republic of Germany", "Germans", "German"),
    _country("United Kingdom", "Q145", "UK|U.K.|Britain|Great Britain|London|Downing Street|Number 10", "Britons|British", "British|UK|U.K."),
    _country("China", "Q148", "People's Republic of China|PRC|Beijing", "Chinese", "Chinese"),
    _country("Poland", "Q36", "Warsaw", "Poles", "Polish"),
    _country("Italy", "Q38", "Rome", "Italians", "Italian"),
    _country("Spain", "Q29", "Madrid", "Spaniards", "Spanish"),
    _country("Japan", "Q17", "Tokyo", "Japanese", "Japanese"),
    _country("India", "Q668", "New Delhi", "Indians", "Indian"),
    _country("Israel", "Q801", "Jerusalem", "Israelis", "Israeli"),
    _country("Iran", "Q794", "Tehran", "Iranians", "Iranian"),
    _country("Turkey", "Q43", "Türkiye|Ankara", "Turks", "Turkish"),
    _country("Belarus", "Q184", "Minsk", "Belarusians", "Belarusian"),
    _country("Canada", "Q16", "Ottawa", "Canadians", "Canadian"),
    _country("Brazil", "Q155", "Brasilia|Brasília", "Brazilians", "Brazilian"),
    _country("Denmark", "Q35", "Copenhagen", "Danes", "Danish"),
    _country("Greenland", "Q223", "Nuuk", "Greenlanders", "Greenlandic"),
    _country("Hungary", "Q28", "Budapest", "Hungarians", "Hungarian"),
    _country("Netherlands", "Q55", "the Netherlands|The Hague|Amsterdam", "Dutch", "Dutch"),
    _country("Belgium", "Q31", "", "Belgians", "Belgian"),
    _country("Sweden", "Q34", "Stockholm", "Swedes", "Swedish"),
    _country("Finland", "Q33", "Helsinki", "Finns", "Finnish"),
    _country("Norway", "Q20", "Oslo", "Norwegians", "Norwegian"),
    _org("European Union", "Q458", "EU|E.U.|the EU|the E.U.|Brussels|the European Commission|European Commission"),
    _org("NATO", "Q7184", "North Atlantic Treaty Organization|the Alliance|Nato"),
    _org("United Nations", "Q1065", "UN|U.N.|the UN|the U.N."),
    _person("Emmanuel Macron", "Q3052772", "Macron|President Macron|Emmanuel Macron|E. Macron", "France"),
    _person("Vladimir Putin", "Q7747", "Putin|Vladimir Putin|President Putin", "Russia"),
    _person("Donald Trump", "Q22686", "Trump|Donald Trump|President Trump|President Donald Trump", "United States"),
    _person("Volodymyr Zelensky", "Q3874799", "Zelensky|Zelenskyy|Zelenskiy|Volodymyr Zelensky|Volodymyr Zelenskyy|President Zelensky", "Ukraine"),
    _person("Dmitry Peskov", None, "Peskov|Dmitry Peskov|Dmitri Peskov"),
)  # fmt: skip


def alias_index() -> dict[str, Entry]:
    """Lower-cased alias (and canonical name) -> entry."""
    index: dict[str, Entry] = {}
    for entry in ENTRIES:
        for alias in (entry.name, *entry.aliases):
            index.setdefault(alias.lower(), entry)
    return index


def demonym_index() -> dict[str, Entry]:
    """Lower-cased nationality noun ("americans", "french") -> country entry."""
    return {d.lower(): e for e in ENTRIES for d in e.demonyms}


def adjective_index() -> dict[str, Entry]:
    """Nationality adjective as written ("French", "U.S.") -> country entry."""
    return {a: e for e in ENTRIES for a in e.adjectives}


def leader_index() -> dict[str, str]:
    """Canonical name of a person who heads a country -> that country's canonical name."""
    return {e.name: e.leads for e in ENTRIES if e.leads}
