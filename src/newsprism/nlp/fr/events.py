"""French events: a small lexicon of clear verbs, an actor that is a name, and a target.

Covered (lemma -> action, the ontology of `events.py`): consult (rencontrer, recevoir,
s'entretenir, discuter, négocier, visiter, accueillir, rétablir, reprendre), agree (signer,
conclure, ratifier, approuver, accepter), cooperate (soutenir, coopérer), aid (aider, livrer,
fournir, financer), reject (rejeter, refuser, opposer), accuse (accuser, condamner, critiquer,
dénoncer), threaten (menacer), sanction (sanctionner), assault (attaquer, bombarder, frapper,
envahir), appeal (exhorter, appeler à). The actor is the mention the verb's subject is (a
pronoun is not resolved: precision first); the target is a mention in its object or in an
oblique complement ("avec X", "à X"). Every action needs a target except threats and
assaults. Modality from the verb's morphology (`Token.tag` holds it for French) and its
auxiliaries: "ne … pas/jamais" -> denied (a denied agree is a reject), future tense or
"aller/devoir + infinitive" -> planned, conditional or "pouvoir" -> hypothetical. Level from
cue words in the sentence (sommet -> leaders, ministres -> ministers, conseillers -> advisers,
technique -> technical). Date: the first calendar date of the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.budget import Budget
from newsprism.models import Event, Mention, Modality, Sentence, Span, TimeExpression
from newsprism.nlp.events import mention_of_token
from newsprism.nlp.parse import Parse, Token

EXTRACTOR = "events.fr.rules.v1"

ACTIONS = {
    **dict.fromkeys(
        "rencontrer recevoir entretenir discuter négocier visiter accueillir rétablir "
        "reprendre".split(),
        "consult",
    ),
    **dict.fromkeys("signer conclure ratifier approuver accepter".split(), "agree"),
    **dict.fromkeys("soutenir coopérer".split(), "cooperate"),
    **dict.fromkeys("aider livrer fournir financer".split(), "aid"),
    **dict.fromkeys("rejeter refuser opposer".split(), "reject"),
    **dict.fromkeys("accuser condamner critiquer dénoncer".split(), "accuse"),
    "menacer": "threaten",
    "sanctionner": "sanction",
    **dict.fromkeys("attaquer bombarder frapper envahir".split(), "assault"),
    **dict.fromkeys("exhorter appeler".split(), "appeal"),
}
_NO_TARGET = frozenset({"threaten", "assault"})
_NEGATIONS = frozenset({"pas", "jamais", "plus", "guère"})
_LEVELS = (
    ("sommet", "leaders"),
    ("chefs d'état", "leaders"),
    ("ministres", "ministers"),
    ("ministre des affaires étrangères", "ministers"),
    ("conseillers", "advisers"),
    ("technique", "technical"),
)
_ACTORS = ("person", "organisation", "country", "group")


def _modality(parse: Parse, kids: list[list[int]], pred: Token) -> Modality:
    aux = [parse.tokens[c] for c in kids[pred.i]]
    if any(t.lemma.lower() in _NEGATIONS and t.dep == "advmod" for t in aux):
        return "denied"
    head = parse.tokens[pred.head] if pred.head != pred.i else None
    if "Tense=Fut" in pred.tag or any("Tense=Fut" in t.tag for t in aux if t.pos == "AUX"):
        return "planned"
    if head is not None and pred.dep == "xcomp" and head.lemma in ("aller", "devoir", "prévoir"):
        return "planned"
    if "Mood=Cnd" in pred.tag or any("Mood=Cnd" in t.tag for t in aux if t.pos == "AUX"):
        return "hypothetical"
    if head is not None and pred.dep == "xcomp" and head.lemma == "pouvoir":
        return "hypothetical"
    return "reported"


def extract_events_fr(
    parse: Parse,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    times: Sequence[TimeExpression],
    *,
    budget: Budget | None = None,
) -> tuple[Event, ...]:
    """Events of a French article (see the module docstring)."""
    kids = parse.children()
    by_token = mention_of_token(parse, mentions)

    def named(i: int) -> Mention | None:
        """The mention token i or its subtree names (the head's own mention first)."""
        if i in by_token:
            return by_token[i]
        for j in parse.subtree(i, kids):
            if j in by_token and by_token[j].kind in _ACTORS:
                return by_token[j]
        return None

    out: list[Event] = []
    seen: set[tuple[int, str, str, str | None]] = set()
    for tok in parse.tokens:
        if budget is not None:
            budget.spend()
        action = ACTIONS.get(tok.lemma.lower())
        if action is None or tok.pos != "VERB":
            continue
        subj = next(
            (c for c in kids[tok.i] if parse.tokens[c].dep in ("nsubj", "nsubj:pass")), None
        )
        if subj is None and tok.dep in ("xcomp", "conj") and tok.head != tok.i:
            head = parse.tokens[tok.head]
            subj = next((c for c in kids[head.i] if parse.tokens[c].dep == "nsubj"), None)
        actor = named(subj) if subj is not None else None
        if actor is None or actor.kind not in _ACTORS:
            continue
        target: Mention | None = None
        for c in kids[tok.i]:
            dep = parse.tokens[c].dep
            if dep in ("obj", "iobj") or dep.startswith("obl"):
                got = named(c)
                if (
                    got is not None
                    and got.actor_id != actor.actor_id
                    and got.kind in (*_ACTORS, "place")
                ):
                    target = got
                    break
        if target is None and action not in _NO_TARGET:
            continue
        modality = _modality(parse, kids, tok)
        if modality == "denied" and action == "agree":
            action, modality = "reject", "reported"
        sent_index = next(
            (n for n, s in enumerate(sentences) if s.span.start <= tok.start < s.span.end), None
        )
        if sent_index is None:
            continue
        sentence = sentences[sent_index]
        key = (sent_index, actor.actor_name, action, target.actor_name if target else None)
        if key in seen:
            continue
        seen.add(key)
        lowered = sentence.text.lower()
        level = next((name for cue, name in _LEVELS if cue in lowered), None)
        date = next(
            (
                t.value
                for t in times
                if t.type == "DATE" and sentence.span.start <= t.span.start < sentence.span.end
            ),
            None,
        )
        out.append(
            Event(
                actor=actor.actor_name,
                action=action,
                target=target.actor_name if target else None,
                level=level,
                modality=modality,
                date=date,
                span=Span(sentence.span.start, sentence.span.end),
                text=sentence.text,
                sentence=sent_index,
                extractor=EXTRACTOR,
            )
        )
    return tuple(out)
