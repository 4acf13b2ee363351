"""The shipped gazetteer: every country (ISO 3166-1, with its names in English, French, German,
Russian and Ukrainian), capitals and seats of government, international organisations, and the
heads of state and government and foreign ministers of the major countries.

Each entry: canonical (English) name, kind, Wikidata id (only where we are sure of it), and the
names that denote the same actor in news text. The canonical name is the actor's id in every
language (`actors.slug`): "Emmanuel Macron", "Macron" and "Макрон" are one actor, and the id
of an actor is the same in every article, which is what grouping across languages and the
story-level merge of people (`actors.story_people`) rely on.

Sources, and what each is worth:
* countries: `data/countries.json`, built from pycountry 26.2.16 (ISO 3166-1 and the iso-codes
  translations) by tools/build_gazetteer.py; pycountry has no capitals, demonyms or Wikidata
  ids. Its English names are looked up only when the model tags them as a place (`names`):
  "Jordan", "Georgia" and "Chad" are also people and states; a hand-written entry's names
  and non-English names are matched in any text (`aliases`).
* capitals and seats (`seats`), demonyms, nationality adjectives, the short names pycountry
  lacks (Russie, Russland, Россия) and Wikidata ids: written by hand for the countries listed
  below, from general knowledge; the other countries have their ISO names only.
* office holders (`_OFFICES`): written by hand, as of `OFFICES_AS_OF`, from the knowledge of
  the model that wrote them, which may be stale: offices change and nothing here is fetched
  at run time. `leader_index` and the leader titles ("the French president") use them only
  when the article names the person itself.

A capital or seat stands for the government only when it acts ("Washington warned", "the
Kremlin said"): `actors.py` decides from the parse; "a meeting in Helsinki" is a place.
Nationality nouns ("Americans": the country's side) and adjectives ("French": the country only
before a body of the state, "the French government") are as in `actors.py`. Unknown names
still become actors (see `actors.py`); this table only canonicalises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsprism.models import ActorKind

OFFICES_AS_OF = "2025-10"  # the office holders below, as known then (may be stale: check)


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    kind: ActorKind
    wikidata: str | None
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...] = ()  # nouns for its people: "the Americans", "the French"
    leads: str | None = None  # the country this person heads ("the French leader")
    adjectives: tuple[str, ...] = ()  # "French": a country only before a state body (actors.py)
    seats: tuple[str, ...] = ()  # capitals and seats: the government only when they act
    names: tuple[str, ...] = ()  # looked up when the model tags them, never matched on their own
    office: str | None = None  # "head of state", "head of government", "foreign minister"
    of: str | None = None  # the country (or organisation) of that office
    # False: the canonical name too is only looked up (ISO names such as "Jordan", "Chad")
    name_matched: bool = True


def _split(words: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in words.split("|") if w.strip())


def _country(
    name: str,
    qid: str | None,
    aliases: str,
    demonyms: str = "",
    adjectives: str = "",
    seats: str = "",
) -> Entry:
    return Entry(
        name,
        "country",
        qid,
        _split(aliases),
        _split(demonyms),
        adjectives=_split(adjectives),
        seats=_split(seats),
    )


def _org(name: str, qid: str | None, aliases: str, seats: str = "") -> Entry:
    return Entry(name, "organisation", qid, _split(aliases), seats=_split(seats))


def _person(name: str, qid: str | None, aliases: str, leads: str | None = None) -> Entry:
    return Entry(name, "person", qid, _split(aliases), (), leads)


# Hand-written: short names in fr/de/ru/uk (pycountry has official names), seats, demonyms,
# adjectives, Wikidata ids. Capitals are seats (`seats`), not aliases.
_HAND: tuple[Entry, ...] = (
    _country("Russia", "Q159", "Russian Federation|the Russian Federation|Russie|la Russie|Russland|Россия|Росія", "Russians", "Russian", "Moscow|Moscou|Moskau|Москва|the Kremlin|Kremlin|le Kremlin|Kreml|Кремль"),
    _country("France", "Q142", "French Republic|Frankreich|Франция|Франція", "French|Frenchmen", "French", "Paris|Париж|the Elysee|the Élysée|Elysee Palace|Élysée Palace|l'Élysée|Élysée-Palast"),
    _country("United States", "Q30", "US|U.S.|USA|U.S.A.|United States of America|America|États-Unis|les États-Unis|Vereinigte Staaten|USA|США|the Trump administration|Trump administration|the Biden administration", "Americans", "American|US|U.S.", "Washington|Вашингтон|the White House|White House|la Maison Blanche|la Maison-Blanche|Weißes Haus|Weiße Haus|Белый дом|Білий дім"),
    _country("Ukraine", "Q212", "Украина|Україна", "Ukrainians", "Ukrainian", "Kyiv|Kiev|Kiew|Київ|Киев"),
    _country("Germany", "Q183", "Federal Republic of Germany|Allemagne|l'Allemagne|Deutschland|Германия|Німеччина", "Germans", "German", "Berlin|Берлин|Берлін"),
    _country("United Kingdom", "Q145", "UK|U.K.|Britain|Great Britain|Royaume-Uni|le Royaume-Uni|Großbritannien|Vereinigtes Königreich|Великобритания|Велика Британія", "Britons|British", "British|UK|U.K.", "London|Londres|Лондон|Downing Street|Number 10"),
    _country("China", "Q148", "People's Republic of China|PRC|Chine|la Chine|Китай", "Chinese", "Chinese", "Beijing|Pékin|Peking|Пекин|Пекін"),
    _country("Poland", "Q36", "Pologne|la Pologne|Polen|Польша|Польща", "Poles", "Polish", "Warsaw|Varsovie|Warschau|Варшава"),
    _country("Italy", "Q38", "Italie|l'Italie|Italien|Италия|Італія", "Italians", "Italian", "Rome|Rom|Рим"),
    _country("Spain", "Q29", "Espagne|l'Espagne|Spanien|Испания|Іспанія", "Spaniards", "Spanish", "Madrid|Мадрид"),
    _country("Japan", "Q17", "Japon|le Japon|Япония|Японія", "Japanese", "Japanese", "Tokyo|Tokio|Токио|Токіо"),
    _country("India", "Q668", "Inde|l'Inde|Indien|Индия|Індія", "Indians", "Indian", "New Delhi|Neu-Delhi|Нью-Дели|Нью-Делі"),
    _country("Israel", "Q801", "Israël|Израиль|Ізраїль", "Israelis", "Israeli", "Jerusalem|Jérusalem|Иерусалим|Єрусалим"),
    _country("Iran", "Q794", "Islamic Republic of Iran|Иран|Іран", "Iranians", "Iranian", "Tehran|Téhéran|Teheran|Тегеран"),
    _country("Turkey", "Q43", "Türkiye|Turquie|la Turquie|Türkei|Турция|Туреччина", "Turks", "Turkish", "Ankara|Анкара"),
    _country("Belarus", "Q184", "Biélorussie|Bélarus|Weißrussland|Belarus|Беларусь|Білорусь", "Belarusians", "Belarusian", "Minsk|Минск|Мінськ"),
    _country("Canada", "Q16", "Kanada|Канада", "Canadians", "Canadian", "Ottawa|Оттава"),
    _country("Brazil", "Q155", "Brésil|le Brésil|Brasilien|Бразилия|Бразилія", "Brazilians", "Brazilian", "Brasilia|Brasília"),
    _country("Denmark", "Q35", "Danemark|le Danemark|Dänemark|Дания|Данія", "Danes", "Danish", "Copenhagen|Copenhague|Kopenhagen|Копенгаген"),
    _country("Greenland", "Q223", "Groenland|Grönland|Гренландия|Гренландія", "Greenlanders", "Greenlandic", "Nuuk"),
    _country("Hungary", "Q28", "Hongrie|la Hongrie|Ungarn|Венгрия|Угорщина", "Hungarians", "Hungarian", "Budapest|Будапешт"),
    _country("Netherlands", "Q55", "the Netherlands|Pays-Bas|les Pays-Bas|Niederlande|Нидерланды|Нідерланди", "Dutch", "Dutch", "The Hague|La Haye|Den Haag|Amsterdam"),
    _country("Belgium", "Q31", "Belgique|la Belgique|Belgien|Бельгия|Бельгія", "Belgians", "Belgian"),
    _country("Sweden", "Q34", "Suède|la Suède|Schweden|Швеция|Швеція", "Swedes", "Swedish", "Stockholm|Стокгольм"),
    _country("Finland", "Q33", "Finlande|la Finlande|Finnland|Финляндия|Фінляндія", "Finns", "Finnish", "Helsinki|Хельсинки|Гельсінкі"),
    _country("Norway", "Q20", "Norvège|la Norvège|Norwegen|Норвегия|Норвегія", "Norwegians", "Norwegian", "Oslo|Осло"),
    _country("Austria", None, "Autriche|l'Autriche|Österreich|Австрия|Австрія", "Austrians", "Austrian", "Vienna|Vienne|Wien|Вена|Відень"),
    _country("Switzerland", None, "Suisse|la Suisse|Schweiz|die Schweiz|Швейцария|Швейцарія", "Swiss", "Swiss", "Bern|Berne"),
    _country("Czech Republic", None, "Czechia|République tchèque|Tschechien|Чехия|Чехія", "Czechs", "Czech", "Prague|Prag|Прага"),
    _country("Romania", None, "Roumanie|la Roumanie|Rumänien|Румыния|Румунія", "Romanians", "Romanian", "Bucharest|Bucarest|Bukarest|Бухарест"),
    _country("Greece", None, "Grèce|la Grèce|Griechenland|Греция|Греція", "Greeks", "Greek", "Athens|Athènes|Athen|Афины|Афіни"),
    _country("Portugal", None, "Португалия|Португалія", "Portuguese", "Portuguese", "Lisbon|Lisbonne|Lissabon|Лиссабон|Лісабон"),
    _country("Moldova", None, "Moldavie|la Moldavie|Moldau|Moldawien|Молдова|Молдавия", "Moldovans", "Moldovan", "Chisinau|Chișinău|Кишинёв|Кишинів"),
    _country("Lithuania", None, "Lituanie|la Lituanie|Litauen|Литва", "Lithuanians", "Lithuanian", "Vilnius|Вильнюс|Вільнюс"),
    _country("Latvia", None, "Lettonie|la Lettonie|Lettland|Латвия|Латвія", "Latvians", "Latvian", "Riga|Рига"),
    _country("Estonia", None, "Estonie|l'Estonie|Estland|Эстония|Естонія", "Estonians", "Estonian", "Tallinn|Таллин|Таллінн"),
    _country("Serbia", None, "Serbie|la Serbie|Serbien|Сербия|Сербія", "Serbs", "Serbian", "Belgrade|Belgrad|Белград"),
    _country("Egypt", None, "Égypte|l'Égypte|Ägypten|Египет|Єгипет", "Egyptians", "Egyptian", "Cairo|Le Caire|Kairo|Каир|Каїр"),
    _country("Saudi Arabia", None, "Arabie saoudite|l'Arabie saoudite|Saudi-Arabien|Саудовская Аравия|Саудівська Аравія", "Saudis", "Saudi", "Riyadh|Riyad|Riad|Эр-Рияд|Ер-Ріяд"),
    _country("Syria", None, "Syrie|la Syrie|Syrien|Сирия|Сирія", "Syrians", "Syrian", "Damascus|Damas|Damaskus|Дамаск"),
    _country("South Korea", None, "Corée du Sud|la Corée du Sud|Südkorea|Южная Корея|Південна Корея", "South Koreans", "South Korean", "Seoul|Séoul|Сеул"),
    _country("North Korea", None, "Corée du Nord|la Corée du Nord|Nordkorea|Северная Корея|Північна Корея", "North Koreans", "North Korean", "Pyongyang|Pjöngjang|Пхеньян|Пхеньян"),
    _country("Venezuela", None, "Венесуэла|Венесуела", "Venezuelans", "Venezuelan", "Caracas|Каракас"),
    _country("Iraq", None, "Irak|l'Irak|Ирак|Ірак", "Iraqis", "Iraqi", "Baghdad|Bagdad|Багдад"),
    _country("Lebanon", None, "Liban|le Liban|Libanon|Ливан|Ліван", "Lebanese", "Lebanese", "Beirut|Beyrouth|Бейрут"),
    _country("Armenia", None, "Arménie|l'Arménie|Armenien|Армения|Вірменія", "Armenians", "Armenian", "Yerevan|Erevan|Eriwan|Ереван|Єреван"),
    _country("Azerbaijan", None, "Azerbaïdjan|l'Azerbaïdjan|Aserbaidschan|Азербайджан", "Azerbaijanis", "Azerbaijani", "Baku|Bakou|Баку"),
    _country("Kazakhstan", None, "Kasachstan|Казахстан", "Kazakhs", "Kazakh", "Astana|Астана"),
    _country("Mexico", None, "Mexique|le Mexique|Mexiko|Мексика|Мексика", "Mexicans", "Mexican", "Mexico City"),
    _country("Australia", None, "Australie|l'Australie|Australien|Австралия|Австралія", "Australians", "Australian", "Canberra|Канберра"),
    _country("Qatar", None, "Katar|Катар", "Qataris", "Qatari", "Doha|Доха"),
    _country("Pakistan", None, "Пакистан", "Pakistanis", "Pakistani", "Islamabad|Исламабад|Ісламабад"),
    _org("European Union", "Q458", "EU|E.U.|the EU|the E.U.|Union européenne|l'Union européenne|l'UE|Europäische Union|die EU|Евросоюз|Європейський Союз|ЄС|the European Commission|European Commission|la Commission européenne|EU-Kommission", "Brussels|Bruxelles|Brüssel|Брюссель"),
    _org("NATO", "Q7184", "North Atlantic Treaty Organization|the Alliance|Nato|OTAN|l'OTAN|НАТО"),
    _org("United Nations", "Q1065", "UN|U.N.|the UN|the U.N.|ONU|l'ONU|Vereinte Nationen|ООН"),
    _person("Emmanuel Macron", "Q3052772", "Macron|President Macron|Emmanuel Macron|E. Macron|Макрон|Эммануэль Макрон|Еммануель Макрон", "France"),
    _person("Vladimir Putin", "Q7747", "Putin|Vladimir Putin|President Putin|Poutine|Vladimir Poutine|Wladimir Putin|Путин|Владимир Путин|Путін|Володимир Путін", "Russia"),
    _person("Donald Trump", "Q22686", "Trump|Donald Trump|President Trump|President Donald Trump|Трамп|Дональд Трамп", "United States"),
    _person("Volodymyr Zelensky", "Q3874799", "Zelensky|Zelenskyy|Zelenskiy|Volodymyr Zelensky|Volodymyr Zelenskyy|President Zelensky|Zelenski|Volodymyr Zelenski|Selenskyj|Wolodymyr Selenskyj|Зеленский|Владимир Зеленский|Зеленський|Володимир Зеленський", "Ukraine"),
    _person("Dmitry Peskov", None, "Peskov|Dmitry Peskov|Dmitri Peskov|Dmitri Peskow|Peskow|Песков|Дмитрий Песков"),
)  # fmt: skip

# Office holders as of OFFICES_AS_OF (see the module docstring: possibly stale). Heads of state
# are the `leads` of their country; the others carry `office`/`of`. Wikidata ids only where
# sure; an id of None is the canonical name's slug, the same in every language all the same.
_OFFICES: tuple[tuple[str, str | None, str, str, str], ...] = (
    # (name, Wikidata id, aliases, office, country)
    ("Mikhail Mishustin", None, "Mishustin|Michail Mischustin|Мишустин|Михаил Мишустин", "head of government", "Russia"),
    ("Sergey Lavrov", None, "Lavrov|Sergei Lavrov|Sergueï Lavrov|Sergej Lawrow|Lawrow|Лавров|Сергей Лавров", "foreign minister", "Russia"),
    ("Andrii Sybiha", None, "Sybiha|Andriy Sybiha|Andrij Sybiha|Сибига|Андрій Сибіга|Сибіга", "foreign minister", "Ukraine"),
    ("Yulia Svyrydenko", None, "Svyrydenko|Julija Swyrydenko|Свириденко|Юлія Свириденко", "head of government", "Ukraine"),
    ("Jean-Noël Barrot", None, "Barrot|Jean-Noel Barrot", "foreign minister", "France"),
    ("Marco Rubio", None, "Rubio|Рубио|Рубіо", "foreign minister", "United States"),
    ("Frank-Walter Steinmeier", None, "Steinmeier|Штайнмайер", "head of state", "Germany"),
    ("Friedrich Merz", None, "Merz|Chancellor Merz|Мерц|Фридрих Мерц|Фрідріх Мерц", "head of government", "Germany"),
    ("Johann Wadephul", None, "Wadephul|Вадефуль", "foreign minister", "Germany"),
    ("Charles III", "Q43274", "King Charles|King Charles III|Charles III|Карл III", "head of state", "United Kingdom"),
    ("Keir Starmer", None, "Starmer|Sir Keir Starmer|Стармер|Кир Стармер", "head of government", "United Kingdom"),
    ("Yvette Cooper", None, "", "foreign minister", "United Kingdom"),
    ("Xi Jinping", "Q15031", "Xi|President Xi|Си Цзиньпин|Сі Цзіньпін", "head of state", "China"),
    ("Li Qiang", None, "Li Qiang|Ли Цян|Лі Цян", "head of government", "China"),
    ("Wang Yi", None, "Wang Yi|Ван И|Ван І", "foreign minister", "China"),
    ("Karol Nawrocki", None, "Nawrocki|Навроцкий|Навроцький", "head of state", "Poland"),
    ("Donald Tusk", "Q946", "Tusk|Туск|Дональд Туск", "head of government", "Poland"),
    ("Radosław Sikorski", None, "Sikorski|Radoslaw Sikorski|Сикорский|Сікорський", "foreign minister", "Poland"),
    ("Sergio Mattarella", None, "Mattarella", "head of state", "Italy"),
    ("Giorgia Meloni", None, "Meloni|Мелони|Мелоні", "head of government", "Italy"),
    ("Antonio Tajani", None, "Tajani", "foreign minister", "Italy"),
    ("Pedro Sánchez", None, "Pedro Sanchez", "head of government", "Spain"),
    ("Narendra Modi", "Q1058", "Modi|Моди|Моді", "head of government", "India"),
    ("Subrahmanyam Jaishankar", None, "Jaishankar|S. Jaishankar", "foreign minister", "India"),
    ("Benjamin Netanyahu", "Q43723", "Netanyahu|Netanjahu|Nétanyahou|Нетаньяху|Нетаньягу", "head of government", "Israel"),
    ("Isaac Herzog", None, "", "head of state", "Israel"),
    ("Masoud Pezeshkian", None, "Pezeshkian|Пезешкиан", "head of state", "Iran"),
    ("Abbas Araghchi", None, "Araghchi|Arakchi|Аракчи", "foreign minister", "Iran"),
    ("Recep Tayyip Erdoğan", "Q39259", "Erdogan|Erdoğan|Recep Tayyip Erdogan|Erdoğan|Эрдоган|Ердоган", "head of state", "Turkey"),
    ("Hakan Fidan", None, "Fidan|Фидан", "foreign minister", "Turkey"),
    ("Alexander Lukashenko", None, "Lukashenko|Loukachenko|Lukaschenko|Лукашенко|Александр Лукашенко", "head of state", "Belarus"),
    ("Viktor Orbán", "Q57641", "Orbán|Orban|Viktor Orban|Орбан", "head of government", "Hungary"),
    ("Péter Szijjártó", None, "Szijjártó|Szijjarto|Сийярто", "foreign minister", "Hungary"),
    ("Mark Carney", None, "Карни", "head of government", "Canada"),
    ("Luiz Inácio Lula da Silva", "Q37181", "Lula|Lula da Silva|Луиз Инасиу Лула да Силва|Лула", "head of state", "Brazil"),
    ("Ursula von der Leyen", None, "von der Leyen|фон дер Ляйен", "head of government", "European Union"),
    ("Kaja Kallas", None, "Kallas|Каллас", "foreign minister", "European Union"),
    ("Mark Rutte", None, "Rutte|Рютте", "head of government", "NATO"),
    ("António Guterres", None, "Guterres|Antonio Guterres|Гутерриш|Гутерреш", "head of government", "United Nations"),
)  # fmt: skip

_DATA = Path(__file__).resolve().parent / "data" / "countries.json"


def _latin_word(name: str) -> bool:
    """One word in Latin script ("Island", "Maurice", "Tchad"), or any word of four letters or
    fewer (Russian "Того" is Togo and "of that")."""
    if " " not in name and len(name) <= 4:
        return True
    return " " not in name and all(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in name)


def _offices() -> list[Entry]:
    out = []
    for name, qid, aliases, office, of in _OFFICES:
        leads = of if office == "head of state" else None
        out.append(
            Entry(name, "person", qid, (name, *_split(aliases)), (), leads, office=office, of=of)
        )
    return out


@lru_cache(maxsize=1)
def _entries() -> tuple[Entry, ...]:
    """The hand-written entries, with every ISO country added or completed from the data file:
    a hand entry gains the ISO names it lacks; a country without one gets its names (English
    ones looked up only when the model tags them, the others matched)."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    hand = {e.name: e for e in _HAND}
    extra: list[Entry] = []
    for country in data["countries"]:
        names = country["names"]
        english = tuple(n for n in names.get("en", ()) if n != country["name"])
        foreign = tuple(n for lang in ("fr", "de", "ru", "uk") for n in names.get(lang, ()))
        if country["name"] in hand:
            e = hand[country["name"]]
            known = {a.lower() for a in (e.name, *e.aliases, *e.seats)}
            new = tuple(dict.fromkeys(n for n in (*english, *foreign) if n.lower() not in known))
            hand[e.name] = Entry(
                e.name, e.kind, e.wikidata, e.aliases + new, e.demonyms, e.leads, e.adjectives,
                e.seats, e.names, e.office, e.of,
            )  # fmt: skip
        else:
            # a one-word name in Latin script may be a common word or a given name in another
            # language (German "Island" is Iceland, French "Maurice" Mauritius): looked up only
            matched = tuple(dict.fromkeys(n for n in foreign if not _latin_word(n)))
            looked = tuple(dict.fromkeys((*english, *(n for n in foreign if _latin_word(n)))))
            extra.append(
                Entry(
                    country["name"],
                    "country",
                    None,
                    matched,
                    names=looked,
                    name_matched=False,
                )
            )
    return (*hand.values(), *_offices(), *extra)


ENTRIES: tuple[Entry, ...] = _entries()


def alias_index() -> dict[str, Entry]:
    """Lower-cased alias (and canonical name) -> entry."""
    index: dict[str, Entry] = {}
    for entry in ENTRIES:
        for alias in (entry.name, *entry.aliases, *entry.seats, *entry.names):
            index.setdefault(alias.lower(), entry)
    return index


def seat_index() -> dict[str, Entry]:
    """Capital or seat of government as written ("Moscow", "the Kremlin") -> its entry."""
    return {s: e for e in ENTRIES for s in e.seats}


def office_index() -> dict[tuple[str, str], str]:
    """(country, office) -> the canonical name of its holder, as of `OFFICES_AS_OF`."""
    out: dict[tuple[str, str], str] = {}
    for e in ENTRIES:
        if e.kind == "person" and e.office and e.of:
            out.setdefault((e.of, e.office), e.name)
        elif e.kind == "person" and e.leads:
            out.setdefault((e.leads, "head of state"), e.name)
    return out


def demonym_index() -> dict[str, Entry]:
    """Lower-cased nationality noun ("americans", "french") -> country entry."""
    return {d.lower(): e for e in ENTRIES for d in e.demonyms}


def adjective_index() -> dict[str, Entry]:
    """Nationality adjective as written ("French", "U.S.") -> country entry."""
    return {a: e for e in ENTRIES for a in e.adjectives}


def leader_index() -> dict[str, str]:
    """Canonical name of a person who heads a country -> that country's canonical name."""
    return {e.name: e.leads for e in ENTRIES if e.leads}
