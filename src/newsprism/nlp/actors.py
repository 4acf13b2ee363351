"""Mentions -> canonical actors: spaCy entities corrected by the gazetteer, metonymy resolved
(the Kremlin -> Russia), people clustered by surname within an article (Macron -> Emmanuel Macron).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.models import Actor, ActorKind, Mention, Span
from newsprism.nlp.gazetteer import ENTRIES, Entry, alias_index, demonym_index
from newsprism.nlp.parse import Parse

EXTRACTOR = "actors.rules.v1"

_LABEL_KIND: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "country",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
_ALIASES = alias_index()
# Adjectival demonyms the model sometimes tags as a place ("the Ukrainian side").
_ADJECTIVES = {
    d.lower().removesuffix("s"): e for e in ENTRIES for d in e.demonyms if d.lower().endswith("ans")
}
_MEDIA = re.compile(
    r"\b(?:Zeitung|Times|Post|Journal|Monde|News|Herald|Gazette|Tribune|Guardian|Telegraph|"
    r"Review|Daily|Ledger|Wire|Voice|Today|Press|Agency|Radio|TV|Television)\b"
)
_DEMONYMS = demonym_index()
# Gazetteer aliases found in text even when the NER model misses them (case-sensitive).
_ALIAS_RE = re.compile(
    r"(?<![\w@#])(?:"
    + "|".join(
        re.escape(a)
        for a in sorted({a for e in ENTRIES for a in (e.name, *e.aliases)}, key=len, reverse=True)
    )
    + r")(?![\w-])"
)
_TITLE_WORDS = {
    "president", "prime", "minister", "spokesman", "spokeswoman", "spokesperson", "chancellor",
    "secretary", "foreign", "defence", "defense", "general", "leader", "king", "queen", "senator",
    "governor", "mayor", "ambassador", "envoy", "chief", "head", "director", "commissioner",
    "premier", "adviser", "advisor", "chairman", "chairwoman", "ceo", "judge", "pope", "sheikh",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    label: str
    entry: Entry | None


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "actor"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
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
    for m in _ALIAS_RE.finditer(text):
        found.append(_Candidate(m.start(), m.end(), "GAZ", _ALIASES.get(m.group(0).lower())))
    for ent in parse.ents:
        if ent.label not in _LABEL_KIND:
            continue
        start, end = _trim(text, ent.start, ent.end)
        if end <= start:
            continue
        surface = text[start:end]
        entry = _ALIASES.get(surface.lower())
        if entry is None and ent.label != "NORP":
            entry = _ADJECTIVES.get(surface.lower())
        tokens = parse.tokens[ent.tok_start : ent.tok_end]
        if entry is None and not any(t.pos == "PROPN" for t in tokens):
            continue  # the model tagged a common noun ("Confirmation") as a name
        label = "ORG" if _MEDIA.search(surface) else ent.label
        found.append(_Candidate(start, end, label, entry))
    # Longest first at each start; gazetteer hits win ties; drop overlaps.
    found.sort(key=lambda c: (c.start, -(c.end - c.start), c.label != "GAZ"))
    kept: list[_Candidate] = []
    for c in found:
        # an entity containing a gazetteer alias ("President Donald Trump") keeps the longer span
        if kept and c.start < kept[-1].end:
            continue
        kept.append(c)
    return kept


def _role(parse: Parse, start: int) -> str | None:
    """Title words right before a person's name: "Putin spokesman Dmitry Peskov" -> "Putin spokesman"."""
    i = parse.token_at(start)
    if i is None:
        return None
    j = i
    while (
        j - 1 >= 0
        and parse.tokens[j - 1].dep in ("compound", "amod", "nmod")
        and parse.tokens[j - 1].sent == parse.tokens[i].sent
    ):
        j -= 1
    if j == i:
        return None
    words = [t.text for t in parse.tokens[j:i]]
    if not any(w.lower() in _TITLE_WORDS for w in words):
        return None
    return " ".join(words)


def find_actors(parse: Parse) -> tuple[tuple[Actor, ...], tuple[Mention, ...]]:
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
    covered = [(c.start, c.end) for c in candidates]
    extra: list[_Candidate] = []
    for tok in parse.tokens:
        if (
            tok.pos == "PROPN"
            and tok.text in full_names
            and not any(a <= tok.start < b for a, b in covered)
        ):
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
        surface = text[c.start : c.end]
        entry = c.entry
        if entry is None and c.label == "NORP":
            at = parse.token_at(c.start)
            if at is not None and parse.tokens[at].pos in ("NOUN", "PROPN"):
                entry = _DEMONYMS.get(surface.lower())
            if entry is None:
                continue  # a nationality adjective ("French President") is not an actor
        if entry is not None:
            name, kind, qid = entry.name, entry.kind, entry.wikidata
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
                role=_role(parse, c.start) if kind == "person" else None,
                extractor=EXTRACTOR,
            )
        )
    return tuple(actors.values()), tuple(mentions)
