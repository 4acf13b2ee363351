"""Mentions -> canonical actors: spaCy entities corrected by the gazetteer, metonymy resolved
(the Kremlin -> Russia), people clustered by surname within an article (Macron -> Emmanuel Macron)
and across a story's articles (`story_people`: Obama -> Barack Obama).

Capitals and seats of government (`Entry.seats`: "Washington", "the Kremlin", "Moscou") name
the government when they act ("Washington warned", "the Kremlin said", "Moscow's decision") or
are acted on ("attacked Kyiv", "a visit to Warsaw": what the events need), never when they are
named as a location ("a meeting in Helsinki", "in Moscow" -> the place, not the country), and
inside a longer name ("George Washington Bridge", "Washington Post") they are nothing of their
own.

Nationality words:
* a nationality noun names the country's side: "the Americans", "the French" -> the country;
* a nationality adjective names the country only before a body of the state: "the French
  government", "the Russian Foreign Ministry", "the Ukrainian side", "Russian forces" -> the
  country, with that body as the mention's role; likewise a leader's name before "government"
  or "administration" ("the Macron government" -> France);
* before a person's title the adjective is part of that person's role ("French President
  Emmanuel Macron": a mention of Emmanuel Macron, role "French President", not of France);
* anywhere else ("a French diplomat", "Ukrainian input", "European leaders") it is not a
  mention; the event rules read it off the noun it modifies (`events.py`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.budget import Budget
from newsprism.intervals import Cover, Overlaps
from newsprism.literals import alternation
from newsprism.models import Actor, ActorKind, ArticleAnalysis, Mention, Span
from newsprism.nlp.gazetteer import (
    ENTRIES,
    Entry,
    adjective_index,
    alias_index,
    demonym_index,
    office_index,
    seat_index,
)
from newsprism.nlp.parse import Parse

EXTRACTOR = "actors.rules.v6"

_LABEL_KIND: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "country",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
_ALIASES = alias_index()
_ADJECTIVES = adjective_index()
# Nationality adjectives that are not themselves names ("French" is, "U.S." is an alias).
_BARE_ADJECTIVES = {a for a in _ADJECTIVES if a.lower() not in _ALIASES}
# Bodies of a state that stand for it after a nationality adjective or its leader's name.
_BODY = (
    r"(?:[Ff]oreign|[Dd]efen[cs]e|[Ii]nterior|[Ff]inance|[Ee]conomy|[Tt]rade|[Jj]ustice|[Ee]nergy)"
    r" [Mm]inistry|[Mm]inistry of (?:[Ff]oreign [Aa]ffairs|[A-Z][a-z]+|[a-z]+)|[Mm]inistry|"
    r"[Gg]overnment|[Aa]dministration|[Aa]uthorities|[Ll]eadership|[Cc]abinet|[Pp]residency|"
    r"[Ss]tate [Dd]epartment|[Pp]arliament|[Ee]mbassy|[Dd]elegation|[Mm]ilitary|[Aa]rmy|[Nn]avy|"
    r"[Aa]ir [Ff]orce|[Aa]rmed [Ff]orces|[Ff]orces|troops|side"
)
_BODY_RE = re.compile(
    r"(?<![\w-])(?P<adj>" + alternation(_ADJECTIVES) + rf") (?P<body>{_BODY})(?![\w-])"
)
_LEADER_NAMES = {
    alias: e for e in ENTRIES if e.leads for alias in (e.name, *e.aliases) if alias[:1].isupper()
}
_COUNTRIES = {e.name: e for e in ENTRIES if e.kind == "country"}
_LEADER_BODY_RE = re.compile(
    r"(?<![\w-])(?P<adj>"
    + alternation(_LEADER_NAMES)
    + r") (?P<body>[Gg]overnment|[Aa]dministration|[Cc]abinet|[Rr]egime)(?![\w-])"
)
_MEDIA = re.compile(
    r"\b(?:Zeitung|Times|Post|Journal|Monde|News|Herald|Gazette|Tribune|Guardian|Telegraph|"
    r"Review|Daily|Ledger|Wire|Voice|Today|Press|Agency|Radio|TV|Television)\b"
)
_DEMONYMS = demonym_index()
# Gazetteer aliases found in text even when the NER model misses them (case-sensitive).
# (ISO-only English names such as "Jordan" are looked up when the model tags them, never matched)
_MATCHED = {a for e in ENTRIES for a in ((e.name,) if e.name_matched else ()) + e.aliases + e.seats}
_ALIAS_RE = re.compile(r"(?<![\w@#])(?:" + alternation(_MATCHED) + r")(?![\w-])")
_SEATS = seat_index()

_TITLE_WORDS = {
    "president", "prime", "minister", "spokesman", "spokeswoman", "spokesperson", "chancellor",
    "secretary", "foreign", "defence", "defense", "general", "leader", "king", "queen", "senator",
    "governor", "mayor", "ambassador", "envoy", "chief", "head", "director", "commissioner",
    "premier", "adviser", "advisor", "chairman", "chairwoman", "ceo", "judge", "pope", "sheikh",
    "negotiator", "official", "representative", "candidate", "nominee", "lawmaker", "economist",
    "analyst", "professor", "executive", "founder", "activist", "lawyer", "attorney",
}  # fmt: skip
TITLE_WORDS = frozenset(_TITLE_WORDS)  # for the quote rules: words of a title before a name


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    label: str
    entry: Entry | None
    role: str | None = None  # the state body a country mention names ("foreign ministry")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "actor"


_LEADS = frozenset({"Pd", "Pi", "Pf", "Zs"})  # dashes, opening and closing quotes, spaces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    # a name never opens with a dash, a quote mark or a space: "― Jacklyn Ashley" (a signature
    # line the entity model took whole) is Jacklyn Ashley
    while start < end and (text[start] in "\"'" or unicodedata.category(text[start]) in _LEADS):
        start += 1
    segment = text[start:end]
    for prefix in ("the ", "The "):
        if segment.startswith(prefix) and segment.lower() not in _ALIASES:
            start += len(prefix)
            segment = segment[len(prefix) :]
    for suffix in ("'s", "’s", "'", "’"):
        if segment.endswith(suffix):
            end -= len(suffix)
            segment = segment[: -len(suffix)]
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ".)":
        end -= 1
    return start, end


def _candidates(parse: Parse) -> list[_Candidate]:
    text = parse.text
    found: list[_Candidate] = []
    speaking = _speaking_names(parse)
    for m in _ALIAS_RE.finditer(text):
        entry = _ALIASES.get(m.group(0).lower())
        if entry is not None and entry.kind == "person" and " " not in m.group(0):
            other = _other_given_name(parse, m.start(), entry)
            if other is not None:  # "Ivanka Trump", "Brigitte Macron": another person
                found.append(_Candidate(other, m.end(), "PERSON", None))
                continue
        if m.group(0) in _SEATS:
            acting = _seat_acts(parse, m.start(), m.end())
            if acting is None:
                continue  # part of a longer name: "George Washington Bridge"
            if not acting:
                found.append(_Candidate(m.start(), m.end(), "SEAT", None))
                continue
            entry = _SEATS[m.group(0)]
        found.append(_Candidate(m.start(), m.end(), "GAZ", entry))
    found += _state_bodies(text)
    for ent in parse.ents:
        if ent.label != "PERSON" and ent.label in _MISLABELLED:
            person = _person_span(parse, ent.tok_start, ent.tok_end, speaking)
            if person is not None:
                found.append(_Candidate(person[0], person[1], "PERSON", None))
                continue
        if ent.label not in _LABEL_KIND:
            continue
        start, end = _trim(text, ent.start, ent.end)
        if end <= start:
            continue
        surface = text[start:end]
        entry = _ALIASES.get(surface.lower())
        if entry is None and ent.label != "NORP" and surface in _BARE_ADJECTIVES:
            continue  # "Ukrainian" tagged as a place: a country only before a state body
        tokens = parse.tokens[ent.tok_start : ent.tok_end]
        if entry is None and not any(t.pos == "PROPN" for t in tokens):
            continue  # the model tagged a common noun ("Confirmation") as a name
        label = "ORG" if _MEDIA.search(surface) else ent.label
        found.append(_Candidate(start, end, label, entry))
    # "Piotr Lanz, who ..., said" with no entity at all: a two-word name whose surname speaks
    for tok in parse.tokens:
        if tok.text in speaking and tok.i > 0 and not tok.ent:
            given = parse.tokens[tok.i - 1]
            if (
                given.pos == "PROPN"
                and given.head == tok.i
                and not given.ent
                and given.text[:1].isupper()
                and given.text[1:].islower()
            ):
                found.append(_Candidate(given.start, tok.end, "PERSON", None))
    # Longest first at each start; gazetteer hits win ties; drop overlaps.
    found.sort(key=lambda c: (c.start, -(c.end - c.start), c.label != "GAZ"))
    kept: list[_Candidate] = []
    for c in found:
        # an entity containing a gazetteer alias ("President Donald Trump") keeps the longer span
        if kept and c.start < kept[-1].end:
            continue
        kept.append(c)
    return kept


def _given_prefixes(entry: Entry) -> frozenset[str]:
    """The first three letters of every word before the surname in the entry's names."""
    return frozenset(
        _fold(word)[:3] for name in (entry.name, *entry.aliases) for word in name.split()[:-1]
    )


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def _other_given_name(parse: Parse, start: int, entry: Entry) -> int | None:
    """Where another person's given name starts when the surname alias at `start` follows
    one ("Ivanka Trump", "Brigitte Macron": the entity model often misses them, and the
    surname alone would name the gazetteer's person). Not a title ("President Trump",
    "spokesman Peskov"), a nationality or place ("Turkish Fidan"), or a spelling of the
    person's own given name ("Sergei Lavrov", "Dmitri Peskov": the first three letters of a
    given name in the entry's names)."""
    at = parse.token_at(start)
    if at is None or at == 0:
        return None
    prev = parse.tokens[at - 1]
    word = prev.text
    if (
        prev.end != start - 1
        or parse.text[prev.end] != " "
        or prev.pos != "PROPN"
        or prev.ent not in _GIVEN_NAME_ENTS
        or len(word) < 2
        or not (word[0].isupper() and word[1:].isalpha() and word[1:].islower())
        or word.lower() in TITLE_WORDS
        or word.lower() in _HONORIFICS
        or word.lower() in _ROLE_WORDS
        or word in _MATCHED
        or word in _COUNTRY_ADJECTIVES
        or _fold(word)[:3] in _given_prefixes(entry)
    ):
        return None
    return prev.start


# forms of address before a surname in the languages the gazetteer names people in
_HONORIFICS = frozenset(
    "mr mrs ms miss sir dame lady lord monsieur madame mademoiselle herr frau señor señora "
    "signor signora sr sra".split()
)
# entity labels the model gives a given name it did not join to the surname ("Ivanka": PRODUCT)
_GIVEN_NAME_ENTS = frozenset({"", "PERSON", "PRODUCT", "ORG", "WORK_OF_ART"})


def _seat_acts(parse: Parse, start: int, end: int) -> bool | None:
    """Whether a capital or seat at [start, end) stands for its government: False when it is
    named as a location (the object of "in", "at", "near" ...: "a meeting in Helsinki"), None
    inside a longer proper name ("George Washington Bridge": its head is a proper noun outside
    the span), True otherwise: it acts ("Washington warned", "Moscow's decision") or is acted
    on ("attacked Kyiv", "a visit to Warsaw")."""
    inside = [t for t in parse.tokens if start <= t.start and t.end <= end]
    if not inside:
        return True
    ids = {t.i for t in inside}
    heads = [t for t in inside if t.head not in ids or t.head == t.i]
    if not heads:
        return True
    head = heads[-1]
    parent = parse.tokens[head.head]
    if (
        parent.i != head.i
        and head.dep in (*_NAME_PARTS, "nmod", "amod")
        and (parent.pos == "PROPN" or parent.text[:1].isupper())
    ):
        return None
    for _ in range(4):  # "in Moscow and Kyiv": follow the list to its first member
        if head.dep != "conj" or head.head == head.i:
            break
        head = parse.tokens[head.head]
    if head.dep in ("pobj", "obl", "nmod", "obl:arg") and head.head != head.i:
        preposition = parse.tokens[head.head]
        if preposition.lower in _LOCATIVE:
            return False
        # UD attaches the preposition to the noun ("in" is a case child of "Helsinki")
    return not any(
        t.head == head.i and t.dep == "case" and t.lower in _LOCATIVE for t in parse.tokens
    )


_LOCATIVE = frozenset(
    "in at near inside outside around across throughout within en à dans près chez im bei am "
    "nahe innerhalb".split()
)


def _state_bodies(text: str) -> list[_Candidate]:
    """ "the French government", "the Russian Foreign Ministry", "the Ukrainian side", "the
    Macron government": the country, with the body as role."""
    found = []
    for m in _BODY_RE.finditer(text):
        entry = _ADJECTIVES[m.group("adj")]
        found.append(_Candidate(m.start(), m.end(), "GAZ", entry, m.group("body").lower()))
    for m in _LEADER_BODY_RE.finditer(text):
        country = _COUNTRIES.get(_LEADER_NAMES[m.group("adj")].leads or "")
        if country is not None:
            found.append(_Candidate(m.start(), m.end(), "GAZ", country, m.group("body").lower()))
    return found


# labels the small model gives to unfamiliar personal names ("ORG 'Lena Corvo'")
_MISLABELLED = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "WORK_OF_ART", "PRODUCT"})


_SPEAKING = frozenset("say tell add insist argue explain note warn claim state".split())


def _speaking_names(parse: Parse) -> set[str]:
    """Lone capitalised words that are the subject of a speech verb ("Lanz said")."""
    out = set()
    for tok in parse.tokens:
        if (
            tok.pos == "PROPN"
            and tok.dep == "nsubj"
            and parse.tokens[tok.head].lemma.lower() in _SPEAKING
            and not any(
                t.head == tok.i and t.dep in ("compound", "flat")
                for t in parse.tokens[max(0, tok.i - 3) : tok.i]
            )
        ):
            out.add(tok.text)
    return out


def _person_span(parse: Parse, first: int, end: int, speaking: set[str]) -> tuple[int, int] | None:
    """A two- or three-word proper name that the model labelled as something else but that a
    title word introduces ("spokesperson Lena Corvo", "Kestria's chief negotiator, Davor Selm",
    "Foreign ministers Anton Brisk of Valdoria"), that starts with a common given name, or whose
    last word speaks on its own elsewhere ("Ilse Varga" ... "Varga said")."""
    toks = parse.tokens[first:end]
    cut = next((k for k, t in enumerate(toks) if t.lower == "of"), len(toks))
    toks = toks[:cut]
    if not 2 <= len(toks) <= 3 or not all(
        t.pos == "PROPN" and t.text[:1].isupper() and t.text[1:].islower() for t in toks
    ):
        return None
    surface = parse.text[toks[0].start : toks[-1].end]
    if _MEDIA.search(surface) or surface.lower() in _ALIASES:
        return None
    if (
        _introduced(parse, toks[-1].i)
        or name_gender(surface) is not None
        or toks[-1].text in speaking
    ):
        return toks[0].start, toks[-1].end
    return None


_NAME_PARTS = ("compound", "flat")


def _introduced(parse: Parse, head: int) -> bool:
    """Whether a title word introduces the name whose last token is `head`: right before it
    ("spokesperson Lena Corvo"), as the noun it is in apposition to ("chief negotiator, Davor
    Selm"), or before the first of a list of names ("ministers Anton Brisk and Ilse Varga")."""
    for _ in range(4):
        tok = parse.tokens[head]
        if tok.dep == "appos" and parse.tokens[tok.head].lemma.lower() in _TITLE_WORDS:
            return True
        k = head
        while (
            k > 0 and parse.tokens[k - 1].pos == "PROPN" and parse.tokens[k - 1].dep in _NAME_PARTS
        ):
            k -= 1
        k -= 1
        if k >= 0 and parse.tokens[k].text == ",":
            k -= 1
        if k >= 0 and parse.tokens[k].lemma.lower() in _TITLE_WORDS:
            return True
        if tok.dep != "conj" or tok.head == head:
            return False
        head = tok.head
    return False


def _role(parse: Parse, start: int) -> str | None:
    """Title words right before a person's name: "Putin spokesman Dmitry Peskov" -> "Putin spokesman"."""
    i = parse.token_at(start)
    if i is None:
        return None
    j = i
    while j - 1 >= 0 and parse.tokens[j - 1].sent == parse.tokens[i].sent:
        before = parse.tokens[j - 1]
        if before.dep in ("compound", "amod", "nmod") or (
            # "German Chancellor Friedrich Merz", however the adjective is attached
            before.text in _ADJECTIVES and parse.tokens[j].lower in _TITLE_WORDS
        ):
            j -= 1
        else:
            break
    if j == i:
        return None
    words = [t.text for t in parse.tokens[j:i]]
    if not any(w.lower() in _TITLE_WORDS for w in words):
        return None
    return " ".join(words)


def find_actors(
    parse: Parse, *, budget: Budget | None = None
) -> tuple[tuple[Actor, ...], tuple[Mention, ...]]:
    """Canonical actors and the mentions naming them, in text order."""
    text = parse.text
    candidates = _candidates(parse)
    # Full person names seen in this article, to map bare surnames onto them.
    full_names: dict[str, str] = {}
    for c in candidates:
        if c.entry is None and c.label == "PERSON":
            name = text[c.start : c.end]
            parts = name.split()
            if len(parts) >= 2:
                full_names.setdefault(parts[-1], name)
    # A surname the model missed or mislabelled still names the person it belongs to.
    covered = Cover((c.start, c.end) for c in candidates)
    extra: list[_Candidate] = []
    for tok in parse.tokens:
        if budget is not None:
            budget.spend()
        if tok.pos == "PROPN" and tok.text in full_names and tok.start not in covered:
            extra.append(_Candidate(tok.start, tok.end, "PERSON", None))
    candidates = sorted(
        [
            _Candidate(c.start, c.end, "PERSON", None)
            if c.entry is None and text[c.start : c.end] in full_names
            else c
            for c in candidates
        ]
        + extra,
        key=lambda c: c.start,
    )
    actors: dict[str, Actor] = {}
    mentions: list[Mention] = []
    for c in candidates:
        if budget is not None:
            budget.spend()
        surface = text[c.start : c.end]
        entry = c.entry
        if entry is None and c.label == "NORP":
            at = parse.token_at(c.start)
            if (
                at is not None
                and parse.tokens[at].pos in ("NOUN", "PROPN")
                and parse.tokens[at].dep not in ("amod", "compound", "nmod")
            ):
                entry = _DEMONYMS.get(surface.lower())  # "the Americans", "the French"
            if entry is None:
                continue  # a nationality adjective ("French President") is not an actor
        if entry is not None:
            name, kind, qid = entry.name, entry.kind, entry.wikidata
        elif c.label == "SEAT":
            name, kind, qid = surface, "place", None
        elif c.label == "PERSON":
            parts = surface.split()
            name = full_names.get(parts[-1], surface) if len(parts) == 1 else surface
            kind, qid = "person", None
        else:
            name, kind, qid = surface, _LABEL_KIND.get(c.label, "other"), None
        actor_id = slug(name)
        actors.setdefault(actor_id, Actor(id=actor_id, name=name, kind=kind, wikidata=qid))
        mentions.append(
            Mention(
                span=Span(c.start, c.end),
                text=surface,
                actor_id=actor_id,
                actor_name=name,
                kind=kind,
                role=_role(parse, c.start) if kind == "person" else c.role,
                extractor=EXTRACTOR,
            )
        )
    titles = _leader_titles(text, actors, mentions)
    title_index = Overlaps((t.span.start, t.span.end) for t in titles)
    mentions = [
        m for m in mentions if next(title_index.overlapping(m.span.start, m.span.end), None) is None
    ] + titles
    mentions.sort(key=lambda m: m.span.start)
    named = {m.actor_id for m in mentions}  # a country replaced by its leader's title may go
    return tuple(a for a in actors.values() if a.id in named), tuple(mentions)


# "the French leader", "Russia's president", "the president of France": a role of a country's
# head, named by the country or its adjective.
_COUNTRY_ADJECTIVES = {
    **{d: e.name for e in ENTRIES for d in e.demonyms},
    **{a: e.name for e in ENTRIES for a in e.adjectives},
    **{a: e.name for e in ENTRIES if e.kind == "country" for a in (e.name, *e.aliases)},
}
_COUNTRY_WORDS = alternation(_COUNTRY_ADJECTIVES)
# French and German nationality adjectives of the countries whose office holders are listed
# (masculine and feminine; German after "der"/"die"), for "le président français", "der
# französische Präsident".
_FOREIGN_ADJECTIVES = {
    "France": "français|française|französische",
    "Russia": "russe|russische",
    "Ukraine": "ukrainien|ukrainienne|ukrainische",
    "United States": "américain|américaine|amerikanische",
    "Germany": "allemand|allemande|deutsche",
    "United Kingdom": "britannique|britische",
    "China": "chinois|chinoise|chinesische",
    "Poland": "polonais|polonaise|polnische",
    "Italy": "italien|italienne|italienische",
    "Turkey": "turc|turque|türkische",
    "Israel": "israélien|israélienne|israelische",
    "Iran": "iranien|iranienne|iranische",
    "Hungary": "hongrois|hongroise|ungarische",
    "Belarus": "biélorusse|belarussische",
}
_COUNTRY_ADJECTIVES.update(
    {a: country for country, words in _FOREIGN_ADJECTIVES.items() for a in words.split("|")}
)
_FOREIGN_WORDS = "|".join(
    re.escape(a) for words in _FOREIGN_ADJECTIVES.values() for a in words.split("|")
)
# the office a title names
_OFFICE_OF_ROLE = {
    **dict.fromkeys(
        (
            "leader",
            "president",
            "head of state",
            "président",
            "chef de l'État",
            "chef de l'Etat",
            "Präsident",
            "Staatschef",
            "Staatspräsident",
        ),
        "head of state",
    ),
    **dict.fromkeys(
        (
            "head of government",
            "prime minister",
            "chancellor",
            "Premier ministre",
            "premier ministre",
            "chancelier",
            "Kanzler",
            "Regierungschef",
            "Premierminister",
        ),
        "head of government",
    ),
    **dict.fromkeys(
        (
            "foreign minister",
            "ministre des Affaires étrangères",
            "chef de la diplomatie",
            "Außenminister",
        ),
        "foreign minister",
    ),
}
_HEAD = (
    r"(?P<role>leader|president|head of state|head of government|prime minister|chancellor|"
    r"foreign minister)"
)
_FR_HEAD = (
    r"(?P<role>président|chef de l'[ÉE]tat|[Pp]remier ministre|chancelier|"
    r"ministre des Affaires étrangères|chef de la diplomatie)"
)
_DE_HEAD = r"(?P<role>Präsident|Staatschef|Staatspräsident|Kanzler|Regierungschef|Premierminister|Außenminister)"
_LEADER_TITLES = (
    re.compile(rf"\b[Tt]he (?P<adj>{_COUNTRY_WORDS}) {_HEAD}\b"),
    re.compile(rf"(?<![\w-])(?P<adj>{_COUNTRY_WORDS})(?:'s|’s) {_HEAD}\b"),
    re.compile(rf"\b[Tt]he {_HEAD} of (?P<adj>{_COUNTRY_WORDS})(?![\w-])"),
    re.compile(rf"(?<![\w-])[Ll]e {_FR_HEAD} (?P<adj>{_FOREIGN_WORDS})(?![\w-])"),
    re.compile(rf"(?<![\w-])(?:[Dd]er|[Dd]ie) (?P<adj>{_FOREIGN_WORDS}) {_DE_HEAD}(?![\w-])"),
)
_OFFICES = office_index()
# every word of those titles, for "Präsident Macron", "Kanzler Merz" (not a given name)
_ROLE_WORDS = frozenset(w.lower() for role in _OFFICE_OF_ROLE for w in role.split())


def _leader_titles(text: str, actors: dict[str, Actor], mentions: list[Mention]) -> list[Mention]:
    """Mentions for "the French leader" when the leader of France is named in the same article.

    Only a person the article itself names is used: the gazetteer's office holders change, the
    article's own naming does not.
    """
    named = {a.name for a in actors.values() if a.kind == "person"}
    found: list[Mention] = []
    if not named:
        return found
    matches = [m for pattern in _LEADER_TITLES for m in pattern.finditer(text)]
    mention_index = Overlaps((m.span.start, m.span.end) for m in mentions)  # sorted by start
    for match in sorted(matches, key=lambda m: m.start()):
        country = _COUNTRY_ADJECTIVES.get(match.group("adj"))
        role = match.group("role")
        office = _OFFICE_OF_ROLE.get(role) or _OFFICE_OF_ROLE.get(role.lower(), "head of state")
        person = _OFFICES.get((country or "", office))
        if person is None or person not in named:
            continue
        start, end = match.span()
        # the country named inside the title ("Russia's president") gives way to its leader;
        # `found` holds disjoint titles in order, so only its last ones can overlap
        near = [mentions[k] for k in mention_index.overlapping(start, end)]
        near += [f for f in found[-2:] if f.span.end > start]
        if any(
            m.span.start < end
            and start < m.span.end
            and not (m.kind == "country" and start <= m.span.start and m.span.end <= end)
            for m in near
        ):
            continue
        actor_id = slug(person)
        found.append(
            Mention(
                span=Span(start, end),
                text=text[start:end],
                actor_id=actor_id,
                actor_name=person,
                kind="person",
                role=match.group("role"),
                extractor=EXTRACTOR,
            )
        )
    return found


# Common given names with a clear grammatical gender in English-language news (a generic list,
# not tuned to any corpus). Used only to keep "she" from resolving to "Bill Clinton"; a name
# not listed, or used for both, stays unknown.
_MALE_NAMES = frozenset(
    "james john robert michael william david richard joseph thomas charles christopher daniel "
    "matthew anthony mark donald steven stephen paul andrew joshua kenneth kevin brian george "
    "timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan larry justin "
    "scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry "
    "tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy "
    "keith roger gerald harold sean carl arthur lawrence dylan jesse bryan billy joe bruce "
    "gabriel albert willie alan juan wayne randy roy vincent ralph eugene russell bobby philip "
    "louis bill bernie bernard barack jeb ted marco mike mitch chris tom tim jim ben rand newt "
    "rick dick mitt ron rudy chuck harry vladimir emmanuel recep boris nigel dmitry sergei "
    "olaf mohammed muhammad ahmed hassan abdullah steve dave dan matt jeff greg ken ed al bob "
    "rob ray fred hank nick reince jared corey mikhail igor viktor francois jacques nicolas "
    "friedrich helmut wolfgang hans klaus karl heinrich luis carlos miguel pedro jorge antonio "
    "giuseppe giovanni marco luigi ivan oleg alexei yuri volodymyr petro andrzej lech xavier "
    "elon warren lyndon dwight franklin herbert calvin woodrow ulysses abraham".split()
)
_FEMALE_NAMES = frozenset(
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty "
    "margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah "
    "stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda "
    "pamela nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth "
    "maria heather diane virginia julie joyce victoria olivia kelly christina lauren joan "
    "evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria ann anne teresa "
    "kathryn sara janice alice madison doris abigail julia judy grace denise amber marilyn "
    "beverly danielle theresa sophia marie diana brittany natalie isabella charlotte rose "
    "hillary hilary chelsea melania ivanka kellyanne nikki carly condoleezza madeleine huma "
    "debbie dianne kirsten tammy marine ursula jill tulsi kamala valerie loretta jane sally "
    "meghan megyn katy kate katie ellen oprah gennifer paula monica juanita gretchen erin "
    "sonia ruth elena sheryl hope christiane annalena giorgia marine segolene yulia svetlana "
    "natalia olga irina tatiana ana carmen lucia beatriz jacinda theresa nicola".split()
)


def name_gender(name: str) -> str | None:
    """Return "m" or "f" for a full name whose given name is listed above, else None."""
    parts = [p.strip(".,").lower() for p in name.split()]
    if len(parts) < 2:
        return None
    first = parts[0]
    if first in _MALE_NAMES and first not in _FEMALE_NAMES:
        return "m"
    if first in _FEMALE_NAMES and first not in _MALE_NAMES:
        return "f"
    return None


def story_people(analyses: Sequence[ArticleAnalysis]) -> dict[str, str]:
    """People merged across a story's articles: actor name -> the name it stands for.

    A one-word person name ("Obama", an article that never gives the full name) maps onto the
    one full person name of the story that ends with it ("Barack Obama"); a surname that two
    full names of the story share ("Bush": George W. Bush and Jeb Bush) maps to nothing. The
    story is the unit: within an article the surname rule of `find_actors` already applies,
    and across unrelated stories one surname is many people. Used where a story's articles
    meet: its label and its quote groups (a speaker "Obama" and "Barack Obama" agree).
    """
    full: dict[str, set[str]] = {}
    single: set[str] = set()
    for analysis in analyses:
        for actor in analysis.actors:
            if actor.kind != "person":
                continue
            parts = actor.name.split()
            if len(parts) >= 2:
                full.setdefault(parts[-1], set()).add(actor.name)
            elif parts:
                single.add(actor.name)
    return {
        name: next(iter(full[name]))
        for name in sorted(single)
        if name in full and len(full[name]) == 1
    }
