"""Who did what to whom: actor -> action -> target from the parse, with level, modality, date.

A first rule pass: a verb from a small PLOVER-inspired lexicon whose subject names an actor;
the target is an actor named in its object or prepositional complement. Documented in
docs/architecture.md (ontology table); deepened by the events issue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsprism.models import Event, Mention, Modality, Sentence, Span, TimeExpression
from newsprism.nlp.parse import Parse, Token

EXTRACTOR = "events.rules.v1"

ACTIONS: dict[str, str] = {
    **dict.fromkeys("meet talk discuss negotiate consult contact visit travel restore resume reopen host".split(), "consult"),
    **dict.fromkeys("call urge appeal request ask demand".split(), "appeal"),
    **dict.fromkeys("agree sign accept approve endorse".split(), "agree"),
    **dict.fromkeys("cooperate support back coordinate partner join".split(), "cooperate"),
    **dict.fromkeys("aid help supply send donate fund".split(), "aid"),
    **dict.fromkeys("reject refuse oppose veto block rubber-stamp".split(), "reject"),
    **dict.fromkeys("accuse criticise criticize blame condemn mock denounce".split(), "accuse"),
    **dict.fromkeys("threaten warn".split(), "threaten"),
    **dict.fromkeys("sanction impose ban embargo tariff".split(), "sanction"),
    **dict.fromkeys("protest strike demonstrate boycott".split(), "protest"),
    **dict.fromkeys("attack invade bomb shell fight kill".split(), "assault"),
}  # fmt: skip
_LEVELS = (
    (re.compile(r"\bhighest level|\bleaders?\b|\bsummit|\bheads? of state", re.I), "leaders"),
    (re.compile(r"\bministers?\b|\bministerial", re.I), "ministers"),
    (re.compile(r"\badvis[eo]rs?\b", re.I), "advisers"),
    (re.compile(r"\btechnical", re.I), "technical"),
)
_HYPOTHETICAL = {"could", "would", "might", "may", "if", "should", "unless"}
_PLANNED = {"will", "plan", "plans", "planned", "intend", "to", "going", "shall"}
_ALLEGED = re.compile(
    r"\b(?:allegedly|reportedly|reports emerged|reports said|according to reports)\b", re.I
)


def _modality(parse: Parse, verb: Token, kids: list[list[int]], sentence_text: str) -> Modality:
    deps = [parse.tokens[c] for c in kids[verb.i]]
    if any(t.dep == "neg" for t in deps):
        return "denied"
    aux = {t.lower for t in deps if t.dep in ("aux", "auxpass", "mark")}
    if aux & _HYPOTHETICAL:
        return "hypothetical"
    if aux & _PLANNED or (verb.tag == "VB" and verb.dep == "xcomp"):
        return "planned"
    if _ALLEGED.search(sentence_text):
        return "alleged"
    return "reported"


def _actor_in(
    parse: Parse, kids: list[list[int]], i: int, by_token: dict[int, Mention]
) -> Mention | None:
    stack = [i]
    while stack:
        j = stack.pop()
        if j in by_token:
            return by_token[j]
        stack.extend(c for c in kids[j] if parse.tokens[c].dep not in ("relcl", "ccomp", "advcl"))
    return None


def extract_events(
    parse: Parse,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    times: Sequence[TimeExpression],
) -> tuple[Event, ...]:
    kids = parse.children()
    by_token: dict[int, Mention] = {}
    for m in mentions:
        for tok in parse.tokens_between(m.span.start, m.span.end):
            by_token[tok.i] = m
    events: list[Event] = []
    for tok in parse.tokens:
        action = ACTIONS.get(tok.lemma.lower())
        if action is None or tok.pos != "VERB":
            continue
        subj = next((c for c in kids[tok.i] if parse.tokens[c].dep in ("nsubj", "nsubjpass")), None)
        if subj is None:
            continue
        actor = _actor_in(parse, kids, subj, by_token)
        if actor is None:
            continue
        target: Mention | None = None
        for c in kids[tok.i]:
            if parse.tokens[c].dep in ("dobj", "prep", "dative", "pobj"):
                target = _actor_in(parse, kids, c, by_token)
                if target is not None and target.actor_id != actor.actor_id:
                    break
                target = None
        sent_index = next(
            (n for n, s in enumerate(sentences) if s.span.start <= tok.start < s.span.end), None
        )
        if sent_index is None:
            continue
        sentence = sentences[sent_index]
        level = next((name for pattern, name in _LEVELS if pattern.search(sentence.text)), None)
        date = next(
            (
                t.value
                for t in times
                if sentence.span.contains(t.span) and t.type == "DATE" and t.value[:1].isdigit()
            ),
            None,
        )
        events.append(
            Event(
                actor=actor.actor_name,
                action=action,
                target=target.actor_name if target else None,
                level=level,
                modality=_modality(parse, tok, kids, sentence.text),
                date=date,
                span=Span(sentence.span.start, sentence.span.end),
                text=sentence.text,
                sentence=sent_index,
                extractor=EXTRACTOR,
            )
        )
    return tuple(events)
