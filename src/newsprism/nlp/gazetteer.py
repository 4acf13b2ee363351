"""A small shipped gazetteer: countries with their capitals and seats of government (metonymy),
international organisations, and people who appear often in international news.

Each entry: canonical name, kind, Wikidata id (only where we are sure of it), and aliases that
denote the same actor in news text. Capitals and government seats stand for the government
("the Kremlin said" -> Russia), as news metonymy does; a capital named as a place ("in Moscow")
is still mapped to the country, which is what an actor-level picture needs.
Unknown names still become actors (see `actors.py`); this table only canonicalises.
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
    demonyms: tuple[str, ...] = ()
    leads: str | None = None  # the country this person heads ("the French leader")


def _country(name: str, qid: str | None, aliases: str, demonyms: str = "") -> Entry:
    return Entry(
        name,
        "country",
        qid,
        tuple(a.strip() for a in aliases.split("|") if a.strip()),
        tuple(d.strip() for d in demonyms.split("|") if d.strip()),
    )


def _org(name: str, qid: str | None, aliases: str) -> Entry:
    return Entry(
        name, "organisation", qid, tuple(a.strip() for a in aliases.split("|") if a.strip())
    )


def _person(name: str, qid: str | None, aliases: str, leads: str | None = None) -> Entry:
    return Entry(
        name, "person", qid, tuple(a.strip() for a in aliases.split("|") if a.strip()), (), leads
    )


ENTRIES: tuple[Entry, ...] = (
    _country("Russia", "Q159", "Russian Federation|the Russian Federation|Moscow|the Kremlin|Kremlin", "Russians"),
    _country("France", "Q142", "Paris|the Elysee|the Élysée|Elysee Palace|Élysée Palace|French Republic", "French|Frenchmen"),
    _country("United States", "Q30", "US|U.S.|USA|U.S.A.|United States of America|America|Washington|the White House|White House|the Trump administration|Trump administration|the Biden administration", "Americans"),
    _country("Ukraine", "Q212", "Kyiv|Kiev|Ukrainian government", "Ukrainians"),
    _country("Germany", "Q183", "Berlin|Federal Republic of Germany", "Germans"),
    _country("United Kingdom", "Q145", "UK|U.K.|Britain|Great Britain|London|Downing Street|Number 10", "Britons|British"),
    _country("China", "Q148", "People's Republic of China|PRC|Beijing", "Chinese"),
    _country("Poland", "Q36", "Warsaw", "Poles"),
    _country("Italy", "Q38", "Rome", "Italians"),
    _country("Spain", "Q29", "Madrid", "Spaniards"),
    _country("Japan", "Q17", "Tokyo", "Japanese"),
    _country("India", "Q668", "New Delhi", "Indians"),
    _country("Israel", "Q801", "Jerusalem", "Israelis"),
    _country("Iran", "Q794", "Tehran", "Iranians"),
    _country("Turkey", "Q43", "Türkiye|Ankara", "Turks"),
    _country("Belarus", "Q184", "Minsk", "Belarusians"),
    _country("Canada", "Q16", "Ottawa", "Canadians"),
    _country("Brazil", "Q155", "Brasilia|Brasília", "Brazilians"),
    _country("Denmark", "Q35", "Copenhagen", "Danes"),
    _country("Greenland", "Q223", "Nuuk", "Greenlanders"),
    _country("Hungary", "Q28", "Budapest", "Hungarians"),
    _country("Netherlands", "Q55", "the Netherlands|The Hague|Amsterdam", "Dutch"),
    _country("Belgium", "Q31", "", "Belgians"),
    _country("Sweden", "Q34", "Stockholm", "Swedes"),
    _country("Finland", "Q33", "Helsinki", "Finns"),
    _country("Norway", "Q20", "Oslo", "Norwegians"),
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
    return {d.lower(): e for e in ENTRIES for d in e.demonyms}
