"""Who did what to whom: actor -> action -> target from the parse, with level, modality, date.

Rules over the dependency parse (documented in docs/architecture.md, "Event ontology"):

* Predicates are verbs from a small PLOVER-inspired lexicon (`ACTIONS`, hyphenated verbs like
  "rubber-stamp" included, and verbs the parser took for nouns when they carry a subject or an
  auxiliary), or event nouns (`NOUNS`: "talks", "trip", "tariffs") that have an agent of
  their own: a possessor ("a French diplomat's trip"), a name or nationality adjective before
  them ("U.S. import tariffs"), "by/from X", or the subject of a light or announcing verb
  ("France has announced the restoration of ...").
* The actor is the subject, the passive's "by" agent, the subject inherited through "agreed to
  meet" or a conjoined verb, or a relative or personal pronoun's referent. A noun whose
  nationality adjective names a country stands for it ("a French diplomat" -> France). A
  passive consult/agree/cooperate without an agent, reported by someone ("Macron said channels
  with Russia have been restored"), takes the reporter as actor.
* The target is the nearest actor named in the object, in a with/to/against/on/into/between
  phrase (through "of" chains and, for appeals and threats, the infinitive: "called to
  restore a dialogue with Russia"), or a pronoun's referent ("discussed with him").
  Conditions ("without X") and topics ("a Ukraine peace agreement") are not targets.
* Modality: negation -> denied (a negated agreement is a rejection instead); if/unless,
  "without X" after a negation, may/might/could/would, perhaps/possibly, "an opportunity for
  X to ..." -> hypothetical; will/shall/going to, "plans to", planned/upcoming -> planned;
  allegedly/reportedly -> alleged; else reported. An assault or sanction that is only planned
  or possible is recorded as a threat.
* Level: an explicit "technical-level"/"highest level"/"level of advisers" phrase (the one
  nearest the predicate), else cue words in the predicate's own clause, else both sides being
  heads of state or ministers.
* Consult, cooperate, aid, statement, warn and back need a target ("she did not meet the
  threshold" is no meeting); "call" appeals only with for/on or an infinitive ("called it a
  provocation" does not); phrasal verbs ("sign up", "back down") are other verbs.
* Date: a calendar date of the sentence attached to the predicate's own clause, else to the
  nearest clause above it (the report's date: "On 21 December Zelensky confirmed that Macron
  had discussed ..."); a date in another clause is not the event's, and a sentence without
  one leaves the event undated.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.budget import Budget
from newsprism.models import (
    ActorKind,
    Event,
    Mention,
    Modality,
    Sentence,
    Span,
    TimeExpression,
)
from newsprism.nlp.actors import name_gender
from newsprism.nlp.gazetteer import adjective_index, leader_index
from newsprism.nlp.parse import Parse, Token

EXTRACTOR = "events.rules.v2"

ACTIONS: dict[str, str] = {
    **dict.fromkeys("meet talk discuss negotiate consult contact visit travel restore resume reopen host reestablish re-establish".split(), "consult"),
    **dict.fromkeys("praise welcome commend thank congratulate hail applaud".split(), "statement"),
    **dict.fromkeys("call urge appeal request ask demand".split(), "appeal"),
    **dict.fromkeys("agree sign accept approve endorse ratify rubber-stamp".split(), "agree"),
    **dict.fromkeys("cooperate support back coordinate partner join".split(), "cooperate"),
    **dict.fromkeys("aid help supply send donate fund".split(), "aid"),
    **dict.fromkeys("reject refuse oppose veto block".split(), "reject"),
    **dict.fromkeys("accuse criticise criticize blame condemn mock denounce".split(), "accuse"),
    **dict.fromkeys("threaten warn".split(), "threaten"),
    **dict.fromkeys("sanction impose ban embargo tariff".split(), "sanction"),
    **dict.fromkeys("protest strike demonstrate boycott".split(), "protest"),
    **dict.fromkeys("attack invade bomb shell fight kill".split(), "assault"),
}  # fmt: skip
# Event nouns: an event only with an agent of their own (see the module docstring).
NOUNS: dict[str, str] = {
    **dict.fromkeys("meeting talk talks discussion negotiation consultation contact visit trip dialogue restoration resumption summit".split(), "consult"),
    **dict.fromkeys("appeal request demand plea".split(), "appeal"),
    **dict.fromkeys("agreement deal accord".split(), "agree"),
    **dict.fromkeys("cooperation partnership coordination".split(), "cooperate"),
    **dict.fromkeys("aid assistance donation".split(), "aid"),
    **dict.fromkeys("rejection refusal veto".split(), "reject"),
    **dict.fromkeys("accusation criticism condemnation".split(), "accuse"),
    **dict.fromkeys("threat ultimatum".split(), "threaten"),
    **dict.fromkeys("sanction tariff embargo".split(), "sanction"),
    **dict.fromkeys("protest demonstration boycott".split(), "protest"),
    **dict.fromkeys("attack invasion bombing shelling offensive assault airstrike".split(), "assault"),
}  # fmt: skip
# what says little without a target: "warned of tariffs" is no threat by the warner, "she did
# not meet the threshold" is no meeting, "policies she supported" no cooperation, "sent a
# message" no aid
_NEEDS_TARGET = {"warn", "back", "consult", "cooperate", "aid", "statement"}
# transfer verbs: the object is the thing sent, the target its recipient ("sent tanks to Kyiv")
_TRANSFER = frozenset("send donate".split())
_COERCIVE = {"assault", "sanction"}
_SYMMETRIC = {"consult", "agree", "cooperate"}
# verbs that report an utterance: their subject is the source of what the clause says
_SPEECH = frozenset(
    "say tell add state announce confirm declare report explain note insist claim stress "
    "write tweet acknowledge reveal indicate argue".split()
)
_ANNOUNCE = frozenset("announce confirm declare unveil".split())
_LIGHT = frozenset(
    "hold have conduct make launch begin start resume open pursue stage lodge file issue".split()
)
# "X agreed to meet Y": the infinitive's subject is X, and the meeting is planned
_INTENT = frozenset(
    "plan intend want pledge promise vow prepare decide agree hope seek try aim expect "
    "offer propose schedule".split()
)
_TARGET_PREPS = frozenset("with to against toward towards on upon into between".split())
_HYPOTHETICAL_AUX = frozenset("could would might may should can if unless whether".split())
_PLANNED_AUX = frozenset("will shall 'll ’ll wo going".split())
_HYPOTHETICAL_ADV = frozenset("perhaps maybe possibly potentially conceivably".split())
_HYPOTHETICAL_NOUNS = frozenset("opportunity chance possibility prospect option risk".split())
_HYPOTHETICAL_ADJ = frozenset("potential possible likely hypothetical conditional".split())
_PLANNED_ADJ = frozenset("planned proposed upcoming scheduled future expected".split())
_CONDITION_PREPS = frozenset("without unless".split())
_DENY = frozenset("deny dismiss".split())
_ALLEGED = re.compile(
    r"\b(?:allegedly|reportedly|purportedly|alleged|unconfirmed reports?)\b", re.I
)
_DASHES = frozenset({"—", "–", "--", "(", "-"})
_FIRST_PERSON = frozenset("i me my we us our you your".split())
_RELATIVE = frozenset("who which that whom".split())
_PRONOUNS: dict[str, str] = {
    **dict.fromkeys("he him his himself".split(), "m"),
    **dict.fromkeys("she her hers herself".split(), "f"),
    **dict.fromkeys("it its itself they them their".split(), "thing"),
}

_LEVEL_WORDS = {
    "highest": "leaders", "top": "leaders", "summit": "leaders", "leaders": "leaders",
    "leader": "leaders", "presidential": "leaders", "head-of-state": "leaders",
    "heads of state": "leaders", "ministerial": "ministers", "ministers": "ministers",
    "minister": "ministers", "adviser": "advisers", "advisers": "advisers", "advisor": "advisers",
    "advisors": "advisers", "technical": "technical", "expert": "technical",
    "experts": "technical", "working": "technical",
}  # fmt: skip
_LEVEL_PHRASE = re.compile(
    r"\b(?P<a>highest|top|technical|expert|working|ministerial|leaders'?|summit|presidential)"
    r"[- ]levels?\b|\blevels? of (?:the )?(?P<b>advis[eo]rs?|ministers?|leaders|experts"
    r"|heads of state)\b",
    re.I,
)
_LEVEL_CUES = (
    (re.compile(r"\bsummit|\bheads? of (?:state|government)\b|\bleaders?\b", re.I), "leaders"),
    (re.compile(r"\bministers?\b|\bministerial\b", re.I), "ministers"),
    (re.compile(r"\badvis[eo]rs?\b|\baides?\b|\bsherpas?\b", re.I), "advisers"),
    (re.compile(r"\btechnical\b|\bexperts?\b", re.I), "technical"),
)
_LEADER_ROLE = re.compile(r"\b(?:president|prime minister|chancellor|leader|king|premier)\b", re.I)
_MINISTER_ROLE = re.compile(r"\bminist", re.I)

_ADJECTIVES = {a: e.name for a, e in adjective_index().items()}
_HEADS_OF_STATE = leader_index()


@dataclass(frozen=True, slots=True)
class _Who:
    name: str
    kind: ActorKind
    role: str | None = None


@dataclass(slots=True)
class _Context:
    parse: Parse
    kids: list[list[int]]
    by_token: dict[int, Mention]
    mentions: Sequence[Mention]

    def tok(self, i: int) -> Token:
        return self.parse.tokens[i]

    def deps(self, i: int, *names: str) -> list[int]:
        return [c for c in self.kids[i] if self.parse.tokens[c].dep in names]

    def ancestors(self, i: int) -> list[int]:
        out: list[int] = []
        while self.parse.tokens[i].head != i and len(out) < 40:
            i = self.parse.tokens[i].head
            out.append(i)
        return out


def _lemma(parse: Parse, tok: Token) -> str:
    """The lemma, with a hyphenated first part joined on ("rubber-stamp", "re-establish")."""
    i = tok.i
    if i >= 2:
        hyphen, first = parse.tokens[i - 1], parse.tokens[i - 2]
        if hyphen.text == "-" and first.end == hyphen.start and hyphen.end == tok.start:
            joined = f"{first.lower}-{tok.lemma.lower()}"
            if joined in ACTIONS or joined in NOUNS:
                return joined
    return tok.lemma.lower()


def _is_verbal(ctx: _Context, tok: Token) -> bool:
    if tok.pos == "VERB":
        return True
    # a verb the parser took for a noun: "will not "rubber-stamp" any agreement"
    return tok.pos in ("NOUN", "ADJ", "PROPN") and bool(
        ctx.deps(tok.i, "nsubj", "nsubjpass", "aux", "auxpass")
    )


def _compatible(who: _Who, want: str) -> bool:
    if want == "thing":
        return who.kind != "person"
    if who.kind != "person":
        return False
    return name_gender(who.name) in (want, None)


def _mention_who(m: Mention) -> _Who:
    return _Who(m.actor_name, m.kind, m.role)


def _resolve_pronoun(ctx: _Context, i: int, exclude: str | None) -> _Who | None:
    """He/she/it/they: the nearest subject of a clause above other than the event's own actor
    ("Zelensky confirmed that Macron had discussed with him", "the government made clear that
    it will not ..."); if that subject names no fitting actor, nobody. He/she with no such
    subject: the nearest fitting person named in the same or the previous sentence. First and
    second person are left unresolved."""
    word = ctx.tok(i).lower
    want = _PRONOUNS.get(word)
    if want is None:
        return None
    above = ctx.ancestors(i)
    for a in above:
        for s in ctx.deps(a, "nsubj", "nsubjpass"):
            if s == i or s in above:
                continue
            who = _who_or_pronoun(ctx, s, exclude) if ctx.tok(s).lower != word else None
            if who is not None and who.name == exclude:
                continue
            return who if who is not None and _compatible(who, want) else None
    if want == "thing":
        return None
    start = ctx.tok(i).start
    sent = ctx.tok(i).sent
    for m in reversed(ctx.mentions):
        if m.span.end > start:
            continue
        at = ctx.parse.token_at(m.span.start)
        if at is not None and ctx.tok(at).sent < sent - 1:
            break
        who = _mention_who(m)
        if who.name != exclude and _compatible(who, want):
            return who
    return None


def _who(ctx: _Context, i: int, depth: int = 0) -> _Who | None:
    """The actor a noun phrase headed by token i names: a mention, a name or nationality
    adjective before it ("a French diplomat" -> France), "of/from X" ("the leaders of France")."""
    if i in ctx.by_token:
        return _mention_who(ctx.by_token[i])
    tok = ctx.tok(i)
    if tok.pos == "PRON" or tok.lower in _PRONOUNS:
        return None
    kids = ctx.kids[i]
    for c in kids:
        if ctx.tok(c).dep in ("compound", "poss", "nmod", "appos") and c in ctx.by_token:
            return _mention_who(ctx.by_token[c])
    for c in kids:
        child = ctx.tok(c)
        if child.dep in ("amod", "compound", "nmod") and child.text in _ADJECTIVES:
            return _Who(_ADJECTIVES[child.text], "country")
    if depth < 2 and tok.pos in ("NOUN", "PROPN"):
        for p in ctx.deps(i, "prep"):
            if ctx.tok(p).lower in ("of", "from", "between"):
                for o in ctx.deps(p, "pobj"):
                    who = _who(ctx, o, depth + 1)
                    if who is not None:
                        return who
    return None


def _who_or_pronoun(ctx: _Context, i: int, exclude: str | None) -> _Who | None:
    tok = ctx.tok(i)
    if tok.lower in _PRONOUNS and i not in ctx.by_token:
        return _resolve_pronoun(ctx, i, exclude)
    if tok.lower in _RELATIVE and tok.pos == "PRON":
        head = ctx.tok(tok.head)
        if head.dep == "relcl":
            return _who(ctx, head.head)
        return None
    return _who(ctx, i)


@dataclass(frozen=True, slots=True)
class _Subject:
    who: _Who | None
    passive_target: int | None  # the passive subject, a place to look for the target
    aux: tuple[int, ...] = ()  # auxiliaries a parenthetical took from the verb


def _subject(ctx: _Context, pred: Token, action: str, depth: int = 0) -> _Subject:
    for s in ctx.deps(pred.i, "nsubj"):
        return _Subject(_who_or_pronoun(ctx, s, None), None)
    for s in ctx.deps(pred.i, "nsubjpass"):
        for agent in ctx.deps(pred.i, "agent"):
            for o in ctx.deps(agent, "pobj"):
                return _Subject(_who_or_pronoun(ctx, o, None), s)
        if action in _SYMMETRIC:
            return _Subject(_reporter(ctx, pred.i), s)
        return _Subject(None, s)
    head = ctx.tok(pred.head)
    inherits = (pred.dep in ("xcomp", "ccomp") and head.lemma.lower() in _INTENT | _DENY) or (
        pred.dep == "conj" and _is_verbal(ctx, head)
    )
    if depth < 3 and head.i != pred.i and inherits:
        return _subject(ctx, head, action, depth + 1)
    # "The U.S. will, in the coming months — that's certain — attack us": the parser hangs the
    # subject and auxiliary on the parenthetical; those before its opening dash are the verb's.
    for c in ctx.deps(pred.i, "ccomp", "parataxis"):
        if c > pred.i:
            continue
        for s in ctx.deps(c, "nsubj"):
            dash = next(
                (
                    k
                    for k in range(s + 1, c)
                    if ctx.tok(k).text in _DASHES and ctx.tok(k).dep == "punct"
                ),
                None,
            )
            if dash is not None:
                aux = tuple(a for a in ctx.deps(c, "aux") if a < dash)
                return _Subject(_who_or_pronoun(ctx, s, None), None, aux)
    return _Subject(None, None)


def _reported(ctx: _Context, i: int) -> bool:
    """Whether token i's clause is the content of a speech verb ("X said it would ...")."""
    child = i
    for a in ctx.ancestors(i):
        tok = ctx.tok(a)
        if tok.pos == "VERB" and tok.lemma.lower() in _SPEECH:
            return ctx.tok(child).dep in ("ccomp", "parataxis")
        if ctx.tok(child).dep in ("advcl", "relcl", "acl") or (
            ctx.deps(child, "mark")
            and any(ctx.tok(m).lower in ("if", "unless") for m in ctx.deps(child, "mark"))
        ):
            return False
        child = a
    return False


def _reporter(ctx: _Context, i: int) -> _Who | None:
    """The subject of the speech verb that reports the clause of token i, if any."""
    for a in ctx.ancestors(i):
        tok = ctx.tok(a)
        if tok.pos == "VERB" and tok.lemma.lower() in _SPEECH:
            for s in ctx.deps(a, "nsubj"):
                return _who_or_pronoun(ctx, s, None)
            return None
    return None


def _target_at(ctx: _Context, i: int, exclude: str | None) -> _Who | None:
    tok = ctx.tok(i)
    if tok.lower in _FIRST_PERSON:
        return None
    if i not in ctx.by_token and tok.lower in _PRONOUNS:
        return _resolve_pronoun(ctx, i, exclude)
    if i in ctx.by_token:
        return _mention_who(ctx.by_token[i])
    if tok.pos in ("NOUN", "PROPN"):
        for c in ctx.kids[i]:
            child = ctx.tok(c)
            if child.dep == "poss" and c in ctx.by_token:
                return _mention_who(ctx.by_token[c])
            if child.dep == "amod" and child.text in _ADJECTIVES:  # "Russian banks"
                return _Who(_ADJECTIVES[child.text], "country")
    return None


def _target(
    ctx: _Context, pred: Token, action: str, exclude: str | None, start: int | None = None
) -> _Who | None:
    """Breadth-first from the predicate: the nearest actor in its object or target phrase."""
    clause_deps = ("xcomp",) if action in ("appeal", "threaten", "agree", "reject") else ()
    objects = ("dative",) if pred.lemma.lower() in _TRANSFER else ("dobj", "dative")
    first = [start] if start is not None else []
    if start is None:
        first = [
            c
            for c in ctx.kids[pred.i]
            if ctx.tok(c).dep in (*objects, "prep", "attr", "oprd", *clause_deps)
        ]
    queue = deque((c, 1) for c in first)
    while queue:
        i, depth = queue.popleft()
        tok = ctx.tok(i)
        if tok.dep in ("prep", "agent") and i != start:
            word = tok.lower
            allowed = word in _TARGET_PREPS or (
                word == "of" and ctx.tok(tok.head).pos in ("NOUN", "PROPN")
            )
            if action in ("appeal", "aid"):
                allowed = allowed or word == "for"
            if not allowed:
                continue
        else:
            who = _target_at(ctx, i, exclude)
            if who is not None and who.name != exclude:
                return who
        if depth >= 6:
            continue
        for c in ctx.kids[i]:
            dep = ctx.tok(c).dep
            if dep in ("prep", "pobj", "dobj", "dative", "conj", "appos", "pcomp") or (
                dep in ("xcomp", "nsubj") and ctx.tok(i).pos == "VERB" and depth <= 2
            ):
                queue.append((c, depth + 1))
    return None


def _nominal_agent(ctx: _Context, noun: Token, action: str) -> _Who | None:
    """The agent of an event noun: its possessor, a name or nationality adjective before it,
    "by/from X", or the subject of the light or announcing verb it is the object of."""
    for c in sorted(ctx.kids[noun.i]):
        child = ctx.tok(c)
        if child.dep == "poss":
            who = _who_or_pronoun(ctx, c, None)
            if who is not None:
                return who
        elif child.dep in ("compound", "nmod", "amod"):
            named = [j for j in ctx.parse.subtree(c, ctx.kids) if j in ctx.by_token]
            if named:  # "US-Russia discussions": the first name
                return _mention_who(ctx.by_token[named[0]])
            if child.text in _ADJECTIVES:
                return _Who(_ADJECTIVES[child.text], "country")
    for p in ctx.deps(noun.i, "prep", "agent"):
        if ctx.tok(p).lower in ("by", "from"):
            for o in ctx.deps(p, "pobj"):
                who = _who_or_pronoun(ctx, o, None)
                if who is not None:
                    return who
    if noun.dep == "dobj":
        verb = ctx.tok(noun.head)
        lemma = verb.lemma.lower()
        if lemma in _LIGHT or (lemma in _ANNOUNCE and action in (*_SYMMETRIC, "aid", "sanction")):
            return _subject(ctx, verb, action).who
    return None


def _nominal_pair(ctx: _Context, noun: Token, actor: _Who) -> _Who | None:
    """ "US-Russia discussions": the other name before the noun is the target."""
    for c in ctx.kids[noun.i]:
        if ctx.tok(c).dep in ("compound", "nmod"):
            for j in ctx.parse.subtree(c, ctx.kids):
                if j in ctx.by_token and ctx.by_token[j].actor_name != actor.name:
                    return _mention_who(ctx.by_token[j])
    return None


@dataclass(frozen=True, slots=True)
class _Mood:
    negated: bool = False
    conditional: bool = False
    hypothetical: bool = False
    planned: bool = False


def _mood(ctx: _Context, pred: Token, extra_aux: tuple[int, ...], nominal: bool) -> _Mood:
    negated = conditional = hypothetical = planned = False
    own = [ctx.tok(c) for c in (*ctx.kids[pred.i], *extra_aux)]
    for t in own:
        word = t.lower
        if t.dep == "neg" and not nominal:
            negated = True
        elif t.dep in ("aux", "auxpass", "mark"):
            if word == "would" and _reported(ctx, pred.i):
                planned = True  # "said it would appeal": the future of reported speech
            elif word in _HYPOTHETICAL_AUX:
                hypothetical = True
            elif word in _PLANNED_AUX or (word == "to" and pred.dep == "xcomp"):
                planned = True
        elif t.dep == "advmod" and word in _HYPOTHETICAL_ADV:
            hypothetical = True
        elif t.dep == "amod" and nominal:
            if word in _HYPOTHETICAL_ADJ:
                hypothetical = True
            elif word in _PLANNED_ADJ:
                planned = True
    # a condition on the act: "will not rubber-stamp any agreement without European leaders"
    for holder in (pred.i, *ctx.deps(pred.i, "dobj")):
        for p in ctx.deps(holder, "prep"):
            if ctx.tok(p).lower in _CONDITION_PREPS:
                conditional = True
    if nominal and pred.dep in ("dobj", "nsubjpass"):
        head = ctx.tok(pred.head)
        if ctx.deps(head.i, "neg"):
            negated = True
        for a in ctx.deps(head.i, "aux"):
            word = ctx.tok(a).lower
            hypothetical |= word in _HYPOTHETICAL_AUX
            planned |= word in _PLANNED_AUX
    # the clauses above, up to the verb that reports it
    child = pred.i
    for a in ctx.ancestors(pred.i):
        tok = ctx.tok(a)
        lemma = tok.lemma.lower()
        if tok.pos == "VERB" and lemma in _SPEECH:
            break
        if tok.pos == "NOUN" and lemma in _HYPOTHETICAL_NOUNS:
            hypothetical = True  # "an opportunity for Trump to mock Macron"
        if lemma in _DENY and tok.pos == "VERB":
            negated = True
        if ctx.tok(child).dep in ("advcl", "ccomp", "xcomp", "relcl", "acl"):
            for m in ctx.deps(child, "mark"):
                if ctx.tok(m).lower in ("if", "unless", "whether"):
                    conditional = True
        for c in ctx.kids[a]:
            t = ctx.tok(c)
            if t.dep == "advmod" and t.lower in _HYPOTHETICAL_ADV:
                hypothetical = True
            if t.dep in ("aux", "auxpass") and ctx.tok(child).dep == "xcomp":
                hypothetical |= t.lower in _HYPOTHETICAL_AUX
                planned |= t.lower in _PLANNED_AUX
        if ctx.tok(child).dep == "xcomp" and lemma in _INTENT:
            planned = True
        child = a
    return _Mood(negated, conditional, hypothetical, planned)


def _level(
    ctx: _Context, pred: Token, sentence: Sentence, actor: _Who, target: _Who | None
) -> str | None:
    text, base = sentence.text, sentence.span.start
    explicit = [
        (abs(base + m.start() - pred.start), (m.group("a") or m.group("b")).lower().rstrip("'"))
        for m in _LEVEL_PHRASE.finditer(text)
    ]
    if explicit:
        word = min(explicit)[1]
        return _LEVEL_WORDS.get(word, _LEVEL_WORDS.get(word.rstrip("s")))
    # cue words in the predicate's own clause, not in conditions ("without European leaders")
    toks = _clause_tokens(ctx, pred.i)
    clause = " ".join(ctx.tok(t).text for t in toks)
    for pattern, name in _LEVEL_CUES:
        if pattern.search(clause):
            return name
    sides = [w for w in (actor, target) if w is not None]
    if len(sides) == 2:
        if all(w.name in _HEADS_OF_STATE or _LEADER_ROLE.search(w.role or "") for w in sides):
            return "leaders"
        if any(_MINISTER_ROLE.search(w.role or "") for w in sides):
            return "ministers"
    return None


def _clause_tokens(ctx: _Context, i: int) -> list[int]:
    out, stack = [], [i]
    while stack:
        j = stack.pop()
        out.append(j)
        for c in ctx.kids[j]:
            t = ctx.tok(c)
            if t.dep in ("ccomp", "advcl", "relcl", "parataxis"):
                continue
            if t.dep == "prep" and t.lower in _CONDITION_PREPS:
                continue
            stack.append(c)
    return sorted(out)


def _date(
    ctx: _Context, pred: Token, sentence: Sentence, times: Sequence[TimeExpression]
) -> str | None:
    """A calendar date of the sentence attached to the predicate's own clause, else to the
    nearest clause above it (the report's date: "On 21 December Zelensky confirmed that Macron
    had discussed ..."); a date inside another clause ("who had visited Paris in 2019") is not
    this event's."""
    chain = [pred.i, *ctx.ancestors(pred.i)]
    best: tuple[int, str] | None = None
    for t in times:
        if not (sentence.span.contains(t.span) and t.type == "DATE" and t.value[:1].isdigit()):
            continue
        at = ctx.parse.token_at(t.span.start)
        if at is None:
            continue
        owner = next(
            (
                a
                for a in (at, *ctx.ancestors(at))
                if ctx.tok(a).pos in ("VERB", "AUX") or a in chain
            ),
            None,
        )
        rank = chain.index(owner) if owner in chain else (len(chain) if owner is None else -1)
        if rank >= 0 and (best is None or rank < best[0]):
            best = (rank, t.value)
    return best[1] if best else None


@dataclass(frozen=True, slots=True)
class _Found:
    pred: Token
    action: str
    actor: _Who
    target: _Who | None
    aux: tuple[int, ...]
    nominal: bool


def _verbal_event(ctx: _Context, tok: Token, action: str) -> _Found | None:
    subject = _subject(ctx, tok, action)
    actor = subject.who
    if actor is None:
        return None
    target = None
    if subject.passive_target is not None:
        target = _target(ctx, tok, action, actor.name, start=subject.passive_target)
    if target is None:
        target = _target(ctx, tok, action, actor.name)
    if target is None:
        # "Macron and Zelensky met", "ministers of France and Germany met": the other subject
        for s in ctx.deps(tok.i, "nsubj"):
            for j in _phrase(ctx, s):
                head = _who(ctx, ctx.tok(j).head)
                if ctx.tok(j).dep == "conj" and head is not None and head.name == actor.name:
                    who = _who(ctx, j)
                    if who is not None and who.name != actor.name:
                        target = who
                        break
    return _Found(tok, action, actor, target, subject.aux, nominal=False)


def _phrase(ctx: _Context, i: int) -> list[int]:
    """Token i's noun phrase without clauses or appositions."""
    out, stack = [], [i]
    while stack:
        j = stack.pop()
        out.append(j)
        stack.extend(
            c for c in ctx.kids[j] if ctx.tok(c).dep not in ("relcl", "acl", "ccomp", "advcl")
        )
    return sorted(out)


def _nominal_event(ctx: _Context, tok: Token, action: str, verbs: set[int]) -> _Found | None:
    # the object of an event verb is that event's content ("rejected the peace agreement");
    # its subject is not ("the Russian attack on Kyiv killed three people")
    below = tok.i
    for a in ctx.ancestors(tok.i)[:4]:
        if a in verbs and ctx.tok(below).dep not in ("nsubj", "nsubjpass"):
            return None
        if ctx.tok(a).pos == "VERB":
            break
        below = a
    actor = _nominal_agent(ctx, tok, action)
    if actor is None:
        return None
    target = _nominal_pair(ctx, tok, actor) or _target(ctx, tok, action, actor.name)
    if target is None and action not in (*_COERCIVE, "threaten"):
        return None  # "the EU's trade deal", "Macron's visit": a thing or too little to record
    return _Found(tok, action, actor, target, (), nominal=True)


def _frame_fits(ctx: _Context, tok: Token, lemma: str) -> bool:
    """ "call" appeals only with "for/on" or an infinitive ("called for talks", "called on
    Putin to agree", "called to restore"); "called it a provocation" names, "called the
    strike" organises."""
    if ctx.deps(tok.i, "prt"):
        return False  # a phrasal verb means something else: "sign up", "call off", "back down"
    if lemma in ("ask", "demand", "urge", "request"):  # "he asks.", "Vitter demanded."
        return bool(ctx.deps(tok.i, "dobj", "dative", "xcomp", "ccomp", "prep"))
    if lemma != "call":
        return True
    if any(ctx.tok(p).lower in ("for", "on", "upon") for p in ctx.deps(tok.i, "prep")):
        return True
    return any(ctx.tok(x).tag == "VB" for x in ctx.deps(tok.i, "xcomp", "ccomp"))


def _modality(mood: _Mood, sentence: Sentence) -> Modality:
    if mood.negated:
        return "denied"
    if mood.conditional or mood.hypothetical:
        return "hypothetical"
    if mood.planned:
        return "planned"
    if _ALLEGED.search(sentence.text):
        return "alleged"
    return "reported"


def mention_of_token(parse: Parse, mentions: Sequence[Mention]) -> dict[int, Mention]:
    """Token index -> the mention it is part of (the later mention wins an overlap)."""
    by_token: dict[int, Mention] = {}
    for m in mentions:
        for tok in parse.tokens_between(m.span.start, m.span.end):
            by_token[tok.i] = m
    return by_token


def extract_events(
    parse: Parse,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    times: Sequence[TimeExpression],
    *,
    budget: Budget | None = None,
) -> tuple[Event, ...]:
    kids = parse.children()
    by_token = mention_of_token(parse, mentions)
    ctx = _Context(parse, kids, by_token, sorted(mentions, key=lambda m: m.span.start))
    found: list[_Found] = []
    for tok in parse.tokens:
        if budget is not None:
            budget.spend()
        lemma = _lemma(parse, tok)
        if lemma in ACTIONS and _is_verbal(ctx, tok) and _frame_fits(ctx, tok, lemma):
            event = _verbal_event(ctx, tok, ACTIONS[lemma])
            needs = lemma in _NEEDS_TARGET or ACTIONS[lemma] in _NEEDS_TARGET
            if event is not None and (event.target is not None or not needs):
                found.append(event)
    verbs = {f.pred.i for f in found}
    for tok in parse.tokens:
        if budget is not None:
            budget.spend()
        lemma = _lemma(parse, tok)
        if tok.pos == "NOUN" and lemma in NOUNS and tok.dep != "compound" and tok.i not in verbs:
            event = _nominal_event(ctx, tok, NOUNS[lemma], verbs)
            if event is not None:
                found.append(event)
    found.sort(key=lambda f: f.pred.i)
    events: list[Event] = []
    seen: set[tuple[int, str, str, str | None]] = set()
    for f in found:
        sent_index = next(
            (n for n, s in enumerate(sentences) if s.span.start <= f.pred.start < s.span.end),
            None,
        )
        if sent_index is None:
            continue
        sentence = sentences[sent_index]
        mood = _mood(ctx, f.pred, f.aux, f.nominal)
        action = f.action
        if mood.negated and action == "agree":
            action = "reject"  # "will not accept": a refusal, as firm or conditional as said
            mood = _Mood(False, mood.conditional, mood.hypothetical, mood.planned)
        modality = _modality(mood, sentence)
        if action in _COERCIVE and modality in ("planned", "hypothetical"):
            action = "threaten"  # what has happened is the threat, not the act
        target = f.target.name if f.target and f.target.name != f.actor.name else None
        key = (sent_index, f.actor.name, action, target)
        if key in seen:
            continue
        seen.add(key)
        events.append(
            Event(
                actor=f.actor.name,
                action=action,
                target=target,
                level=_level(ctx, f.pred, sentence, f.actor, f.target),
                modality=modality,
                date=_date(ctx, f.pred, sentence, times),
                span=Span(sentence.span.start, sentence.span.end),
                text=sentence.text,
                sentence=sent_index,
                extractor=EXTRACTOR,
            )
        )
    # "Russia attacked" next to "Russia attacked Kyiv" in one sentence: keep the one with a target
    targeted = {(e.sentence, e.actor, e.action) for e in events if e.target is not None}
    return tuple(
        e for e in events if e.target is not None or (e.sentence, e.actor, e.action) not in targeted
    )
