"""Who said what: direct, partial, block and indirect quotes with speaker, cue, venue and time.

Rules over the plain `Parse` (no spaCy objects).

Direct quotes: quote marks are paired per paragraph (“…”, "…", «…», „…“, and '' … '' as the
New York Times archive writes them; an unbalanced mark skips that span only, never the
article). The cue is the nearest speech verb outside the quote in the quote's sentence (any
reporting verb for a quoted phrase inside a sentence); its subject is the speaker, resolved
through the article's mentions (a name in apposition, "its chief executive, Oren Castell"), or
for a pronoun through the most recent salient subject or speaker of the right kind and gender
("he stated" -> Dmitry Peskov; gender from given names, honorifics and "He"/"She" openers).
With no speech verb, the verb the quote depends on or the verb before an introducing colon
speaks ("Potts echoed: “…”"). A quote with no cue continues the previous speaker's quote in the
same or the previous paragraph (adjacency); a block quote takes its speaker from the dash line
under it. Short quoted words with no cue anywhere ("ordering" the conflict) are scare quotes,
and short capitalised runs (“Meet the Press”) are titles, not quotes.

Indirect quotes: the complement of a reporting verb (a clause, an infinitive, an object or a
prepositional object, before or after the verb: "said that …", "…, she said", "vowed to …",
"criticized Nabisco for the move", "talked about …") or the clause an "according to" phrase
attaches to. The verb lists were chosen on PolNeAR's train split (bench/quotes.py). Spans stay
in one paragraph; a span mostly inside quote marks is left to the direct quote, a span inside
another reported span is dropped, and reported speech with no one reporting it is not kept.

Work is linear in the article's length, whatever its shape: quote marks are paired in one
pass, "is this offset quoted?" is a binary search, each quote tries at most `_NEAREST_CUES`
cues on either side, a pronoun looks back over at most `_SALIENT_LOOKBACK` salient speakers,
and a sentence of more than `_MAX_SENT_TOKENS` tokens (none in news text: PolNeAR's longest
has 223) is not searched for reported speech. Every loop spends from the article's `Budget`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from newsprism.budget import Budget
from newsprism.intervals import Cover, Overlaps
from newsprism.models import (
    Mention,
    Paragraph,
    Quote,
    QuoteKind,
    Span,
    Speaker,
    SpeakerResolution,
    TimeExpression,
)
from newsprism.nlp.actors import name_gender
from newsprism.nlp.parse import Parse, Token

EXTRACTOR = "quotes.rules.v2"

SPEECH_LEMMAS = frozenset(
    "say tell add state declare stress insist argue explain note warn claim confirm deny "
    "announce acknowledge admit assert reiterate report write reply respond answer ask "
    "suggest offer stipulate reason remark observe comment tweet post predict promise "
    "pledge vow threaten urge call concede emphasise emphasize maintain recall agree "
    "complain accuse describe estimate testify hint signal caution press quip joke exclaim "
    "retort counter interject muse recount reveal boast scoff shout yell chant read echo sing "
    "laugh plead rail gush marvel vent fume lament grumble chime continue conclude".split()
)
# Abstract nouns that cannot be the source of a statement when they come out as a subject.
_NON_AGENTS = frozenset(
    "risk chance possibility danger need fact idea question problem issue hope fear threat "
    "prospect likelihood matter point reason way time".split()
)
_PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "group"}
# pronouns that name a share of people: "some said", "most believe", "others argue"
_QUANTIFIERS = frozenset(
    "some most many others several few all both half none another one each either neither".split()
)
_OPENERS = {"“": "”", '"': '"', "«": "»", "„": "“"}
_CLOSERS = {"”", '"', "»", "“"}
_MARK = re.compile("''|[" + "".join(sorted(set(_OPENERS) | _CLOSERS)) + "]")
# Caps on the work one quote or one sentence can cause (far above what news text needs).
_NEAREST_CUES = 32  # cues tried on each side of a quote (PolNeAR: at most 9 in a sentence)
_SALIENT_LOOKBACK = 256  # earlier salient speakers a pronoun is checked against
_MAX_SENT_TOKENS = 300  # longer sentences are not searched for reported speech
_PHRASE_MAX = 400  # tokens in a speaker or venue phrase; a larger subtree is a mis-parse
_COLON_VERBS = 32  # verbs looked at before an introducing colon
_TIMES_PER_QUOTE = 64  # time expressions looked at for one quote's date
_VENUE_NOUNS = frozenset(
    "interview comments remarks statement briefing conference speech post address op-ed "
    "article letter podcast broadcast show programme program meeting summit session "
    "newspaper reporters journalists".split()
)


_MINOR_WORDS = frozenset("a an the of and or in on at to for with from by as vs".split())


def _looks_like_title(quoted: str) -> bool:
    """A short run of capitalised words without sentence punctuation: a title or a name."""
    words = quoted.rstrip(".").split()
    if not words or len(words) > 6 or quoted.rstrip().endswith(("!", "?", ",")):
        return False
    return all(w[0].isupper() or w.lower() in _MINOR_WORDS or not w[0].isalpha() for w in words)


_GENDERED = {"he": "m", "she": "f"}
_HONORIFICS = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f"}


def _genders(parse: Parse, mentions: Sequence[Mention]) -> dict[str, str]:
    """Grammatical gender of the people in one article: a common given name ("Bill Clinton"),
    an honorific right before a name ("Mrs. Clinton"), and a sentence that opens with "He" or
    "She" right after a sentence whose only person is its subject. Unknown people are left out."""
    votes: dict[str, list[int]] = {}
    people = [m for m in mentions if m.kind == "person"]
    starts = [m.span.start for m in people]
    for m in people:
        given = name_gender(m.actor_name)
        if given is not None and m.actor_id not in votes:
            votes[m.actor_id] = [2, 0] if given == "m" else [0, 2]
        i = parse.token_at(m.span.start)
        if i is not None and i > 0 and parse.tokens[i - 1].lower in _HONORIFICS:
            g = _HONORIFICS[parse.tokens[i - 1].lower]
            votes.setdefault(m.actor_id, [0, 0])[0 if g == "m" else 1] += 3
    previous: str | None = None  # the one person subject of the sentence before
    for first, end in parse.sents:
        if first >= end:
            continue
        opener = parse.tokens[first]
        said = _GENDERED.get(opener.lower)
        if previous is not None and said is not None and opener.dep == "nsubj":
            votes.setdefault(previous, [0, 0])[0 if said == "m" else 1] += 1
        lo, hi = opener.start, parse.tokens[end - 1].end
        inside = people[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]
        previous = None
        if len({m.actor_id for m in inside}) == 1:
            i = parse.token_at(inside[0].span.start)
            while i is not None and parse.tokens[i].dep in ("compound", "flat"):
                i = parse.tokens[i].head if parse.tokens[i].head != i else None
            if i is not None and parse.tokens[i].dep == "nsubj":
                previous = inside[0].actor_id
    return {a: "m" if m > f else "f" for a, (m, f) in votes.items() if m != f}


def _from_mention(mention: Mention, resolution: SpeakerResolution) -> Speaker:
    return Speaker(
        name=mention.actor_name,
        actor_id=mention.actor_id,
        span=mention.span,
        text=mention.text,
        resolution=resolution,
    )


@dataclass(frozen=True, slots=True)
class _Marked:
    open: int  # offset of the opening mark
    close: int  # offset of the closing mark (or paragraph end for an open-ended quote)
    paragraph: int
    open_len: int = 1  # width of the opening mark ('' is two characters)
    close_len: int = 1


def _mark_at(text: str, pos: int) -> str | None:
    if text.startswith("''", pos):
        return "''"  # two apostrophes: the New York Times archive writes them for both marks
    ch = text[pos]
    return ch if ch in _OPENERS or ch in _CLOSERS else None


def find_quote_marks(text: str, paragraphs: Sequence[Paragraph]) -> tuple[list[_Marked], int]:
    """Pair quote marks inside each paragraph. Returns (pairs, number of unbalanced marks skipped)."""
    pairs: list[_Marked] = []
    skipped = 0
    for p_index, para in enumerate(paragraphs):
        open_at: int | None = None
        open_len = 1
        # one regex pass per paragraph; "''" is tried before "'" as `_mark_at` does, and may
        # take the character after the paragraph's end, as a scan by `_mark_at` would
        for found in _MARK.finditer(text, para.span.start, para.span.end + 1):
            pos = found.start()
            if pos >= para.span.end:
                break
            mark = found.group()
            width = len(mark)
            prev = text[pos - 1] if pos > para.span.start else " "
            if open_at is None:
                if mark == "''":
                    if prev.isalnum() or prev in ".,;:!?":
                        skipped += 1  # a closing mark with no opening one
                    else:
                        open_at, open_len = pos, width
                elif mark in _OPENERS and (mark != "“" or not prev.isalnum()):
                    # a straight quote right after a letter is a closing or an inch mark: not an opener
                    if mark == '"' and prev.isalnum():
                        skipped += 1
                    else:
                        open_at, open_len = pos, width
            elif (mark in _CLOSERS or mark == "''") and pos > open_at + open_len:
                pairs.append(_Marked(open_at, pos, p_index, open_len, width))
                open_at = None
        if open_at is not None:
            if open_at == para.span.start:
                # multi-paragraph convention: the quote runs to the end of the paragraph
                pairs.append(_Marked(open_at, para.span.end, p_index, open_len, 0))
            else:
                skipped += 1
    return pairs, skipped


def _content_span(text: str, mark: _Marked) -> Span | None:
    start, end = mark.open + mark.open_len, mark.close
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return Span(start, end) if end > start else None


@dataclass
class _Context:
    parse: Parse
    kids: list[list[int]]
    mentions: Sequence[Mention]
    mention_starts: list[int]
    quote_ranges: list[tuple[int, int]]
    salient: list[tuple[int, Speaker, str]]  # (offset, speaker, kind) in text order
    genders: dict[str, str] = field(default_factory=dict)  # actor id -> "m" | "f"
    paragraph_starts: list[int] = field(default_factory=list)
    paragraph_ends: list[int] = field(default_factory=list)
    scanned: int = 0  # tokens before this index have been considered for `salient`
    budget: Budget | None = None
    cover: Cover = field(default_factory=lambda: Cover(()))  # the union of `quote_ranges`
    # candidate cue tokens (any reporting lemma, outside quotes, not a participle), in order
    cue_index: list[int] = field(default_factory=list)
    cue_starts: list[int] = field(default_factory=list)
    # "according to X" outside quotes: (offset, "according", X)
    according: list[tuple[int, Token, Token]] = field(default_factory=list)
    according_starts: list[int] = field(default_factory=list)
    verb_starts: list[int] = field(default_factory=list)  # VERB tokens outside quotes
    verb_index: list[int] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)  # sorted by start
    time_starts: list[int] = field(default_factory=list)
    kid_cache: dict[tuple[int, tuple[str, ...]], list[int]] = field(default_factory=dict)

    def spend(self, n: int = 1) -> None:
        if self.budget is not None:
            self.budget.spend(n)

    def kids_with(self, i: int, deps: tuple[str, ...]) -> list[int]:
        """The children of token i with one of `deps`, in order (computed once per token)."""
        key = (i, deps)
        got = self.kid_cache.get(key)
        if got is None:
            self.spend(len(self.kids[i]))
            got = [c for c in self.kids[i] if self.parse.tokens[c].dep in deps]
            self.kid_cache[key] = got
        return got

    def clip_to_paragraph(self, span: Span, anchor: int) -> Span | None:
        """The part of `span` inside the paragraph holding `anchor` (None if nothing is left)."""
        i = bisect.bisect_right(self.paragraph_starts, anchor) - 1
        if i < 0:
            return span
        start = max(span.start, self.paragraph_starts[i])
        end = min(span.end, self.paragraph_ends[i])
        return Span(start, end) if end > start else None

    def same_paragraph(self, a: int, b: int) -> bool:
        return bisect.bisect_right(self.paragraph_starts, a) == bisect.bisect_right(
            self.paragraph_starts, b
        )

    def inside_quote(self, offset: int) -> bool:
        return offset in self.cover

    def mention_at(self, start: int, end: int) -> Mention | None:
        i = bisect.bisect_right(self.mention_starts, end) - 1
        while i >= 0:
            self.spend()
            m = self.mentions[i]
            if m.span.start < end and start < m.span.end:
                return m
            if m.span.end < start - 200:
                break
            i -= 1
        return None


def _phrase(
    parse: Parse, kids: list[list[int]], i: int, *, skip_deps: tuple[str, ...] = ()
) -> tuple[int, int]:
    """Character extent of token i's subtree, optionally without some dependents (token i
    alone when the subtree has more than `_PHRASE_MAX` tokens: a mis-parse, not a name)."""
    toks = [i]
    stack = [c for c in kids[i] if parse.tokens[c].dep not in skip_deps]
    while stack:
        j = stack.pop()
        toks.append(j)
        if len(toks) > _PHRASE_MAX:
            toks = [i]
            break
        stack.extend(kids[j])
    toks = [t for t in toks if parse.tokens[t].pos != "PUNCT" or min(toks) < t < max(toks)]
    if not toks:
        toks = [i]
    first, last = min(toks), max(toks)
    return parse.tokens[first].start, parse.tokens[last].end


def _speaker_from_subject(ctx: _Context, subj: Token, before: int) -> Speaker | None:
    parse = ctx.parse
    if subj.lower in _PRONOUNS:
        want = _PRONOUNS[subj.lower]
        gender = _GENDERED.get(subj.lower)
        # salient is sorted by offset: skip the ones at or after `before`, look back a while
        last = bisect.bisect_left(ctx.salient, before, key=lambda item: item[0])
        for k in range(last - 1, max(-1, last - 1 - _SALIENT_LOOKBACK), -1):
            ctx.spend()
            _offset, speaker, kind = ctx.salient[k]
            if kind != want:
                continue
            if gender and ctx.genders.get(speaker.actor_id or "", gender) != gender:
                continue  # "she" is not the man mentioned last
            return replace(speaker, resolution="pronoun")
        if gender:
            # no subject fits: the last person of that gender named anywhere before
            i = bisect.bisect_left(ctx.mention_starts, before) - 1
            while i >= 0 and ctx.mentions[i].span.start > before - 1500:
                ctx.spend()
                m = ctx.mentions[i]
                if m.kind == "person" and ctx.genders.get(m.actor_id) == gender:
                    return _from_mention(m, "pronoun")
                i -= 1
        return None
    if subj.pos == "PRON" and subj.lower not in _QUANTIFIERS:
        return None
    mention = ctx.mention_at(subj.start, subj.end)
    if mention is None:
        # "Its chief executive, Oren Castell, said": the name in apposition
        for c in ctx.kids_with(subj.i, ("appos",)):
            if parse.tokens[c].dep == "appos":
                named = ctx.mention_at(parse.tokens[c].start, parse.tokens[c].end)
                if named is not None and named.kind == "person":
                    mention = named
                    break
    if mention is None:
        # "Judge Novak's ruling said": the possessor speaks through the thing
        for c in ctx.kids_with(subj.i, ("poss",)):
            if parse.tokens[c].dep == "poss":
                owner = ctx.mention_at(parse.tokens[c].start, parse.tokens[c].end)
                if owner is not None and owner.kind == "person":
                    mention = owner
    if mention is not None:
        return _from_mention(mention, "explicit")
    if subj.lemma.lower() in _NON_AGENTS:
        return None  # "there is a risk that talks …": a mis-parse, nobody speaks
    start, end = _phrase(
        parse, ctx.kids, subj.i, skip_deps=("relcl", "acl", "appos", "prep", "punct", "cc", "conj")
    )
    clipped = ctx.clip_to_paragraph(Span(start, end), subj.start)
    if clipped is not None:
        start, end = clipped.start, clipped.end
    text = parse.text[start:end]
    name = text[4:] if text.lower().startswith("the ") else text
    return Speaker(name=name, actor_id=None, span=Span(start, end), text=text, resolution="title")


def _subject_of(ctx: _Context, cue: Token) -> Token | None:
    parse = ctx.parse
    for _ in range(50):
        for c in ctx.kids_with(cue.i, ("nsubj", "nsubjpass")):
            return parse.tokens[c]
        # "X said and added": a conjoined cue shares its head's subject
        if cue.dep != "conj" or cue.head == cue.i:
            return None
        cue = parse.tokens[cue.head]
    return None


def _venue(ctx: _Context, cue: Token) -> str | None:
    parse = ctx.parse
    for c in ctx.kids_with(cue.i, ("dobj", "dative", "prep")):
        tok = parse.tokens[c]
        if ctx.inside_quote(tok.start):
            continue
        if tok.dep in ("dobj", "dative") and cue.lemma == "tell":
            start, end = _phrase(parse, ctx.kids, c, skip_deps=("prep", "relcl", "acl"))
            return parse.text[start:end]
        if tok.dep == "prep" and tok.lower in ("in", "to", "during", "at", "on"):
            for g in ctx.kids_with(c, ("pobj",)):
                obj = parse.tokens[g]
                if obj.dep == "pobj" and (
                    obj.lemma.lower() in _VENUE_NOUNS or obj.ent in ("ORG", "WORK_OF_ART")
                ):
                    start, end = _phrase(parse, ctx.kids, c, skip_deps=("relcl", "acl"))
                    return parse.text[start:end]
    return None


def _is_cue(ctx: _Context, tok: Token, lo: int, hi: int, lemmas: frozenset[str]) -> bool:
    """A speech verb starting in lo..hi and ending by hi, outside quotes, not a participle."""
    return (
        lo <= tok.start < hi
        and tok.end <= hi
        and tok.lemma.lower() in lemmas
        and tok.pos in ("VERB", "AUX")
        and not ctx.inside_quote(tok.start)
        # "comments published on Tuesday": a participle, not a cue
        and not (tok.dep in ("amod", "acl", "relcl") and tok.tag == "VBN")
    )


def _cues_in(
    ctx: _Context,
    lo: int,
    hi: int,
    lemmas: frozenset[str] = SPEECH_LEMMAS,
    *,
    around: int | None = None,
) -> list[Token]:
    """Speech verbs between char offsets lo..hi, outside quotes, in text order. With `around`
    (a quote's opening mark), only the `_NEAREST_CUES` nearest on each side of it."""
    tokens = ctx.parse.tokens
    first = bisect.bisect_left(ctx.cue_starts, lo)
    stop = bisect.bisect_left(ctx.cue_starts, hi)
    if around is None:
        ctx.spend(stop - first)
        picked = [tokens[i] for i in ctx.cue_index[first:stop]]
        return [t for t in picked if _is_cue(ctx, t, lo, hi, lemmas)]
    mid = min(max(bisect.bisect_left(ctx.cue_starts, around), first), stop)
    left: list[Token] = []
    for k in range(mid - 1, first - 1, -1):
        ctx.spend()
        tok = tokens[ctx.cue_index[k]]
        if _is_cue(ctx, tok, lo, hi, lemmas):
            left.append(tok)
            if len(left) >= _NEAREST_CUES:
                break
    right: list[Token] = []
    for k in range(mid, stop):
        ctx.spend()
        tok = tokens[ctx.cue_index[k]]
        if _is_cue(ctx, tok, lo, hi, lemmas):
            right.append(tok)
            if len(right) >= _NEAREST_CUES:
                break
    return left[::-1] + right


def _dominating(
    ctx: _Context, lo: int, hi: int, lemmas: frozenset[str], offset: int
) -> list[Token]:
    """The speech verbs in lo..hi (cues as `_cues_in` finds them) whose clause holds the token
    at `offset`, outermost first."""
    i = ctx.parse.token_at(offset)
    if i is None:
        return []
    heads: list[int] = []
    for _ in range(50):
        tok = ctx.parse.tokens[i]
        if tok.head == i:
            break
        i = tok.head
        heads.append(i)
    ctx.spend(len(heads))
    found = [
        ctx.parse.tokens[h]
        for h in heads
        if _is_cue(ctx, ctx.parse.tokens[h], lo, hi, lemmas)
        and ctx.parse.tokens[h].lemma.lower() in SPEECH_LEMMAS
    ]
    return found[::-1]


def _governing_verb(ctx: _Context, content: Span, mark: _Marked) -> tuple[Speaker, Token] | None:
    """The speaker of a quote with no speech verb: the subject of the verb outside the quote
    that the quote depends on, or of the verb that ends in a colon right before it."""
    parse = ctx.parse
    verbs: list[Token] = []
    for tok in parse.tokens_between(content.start, content.end):
        ctx.spend()
        head = parse.tokens[tok.head]
        if (
            not mark.open <= head.start < mark.close + mark.close_len
            and head.pos == "VERB"
            and tok.dep in ("ccomp", "dobj", "xcomp", "parataxis", "conj", "advcl")
        ):
            verbs.append(head)
    colon = mark.open - 1
    while colon >= 0 and parse.text[colon].isspace():
        colon -= 1
    if colon >= 0 and parse.text[colon] == ":":
        lo, _ = _sentence_bounds(parse, colon)
        k = bisect.bisect_left(ctx.verb_starts, colon) - 1
        n = 0
        while k >= 0 and ctx.verb_starts[k] >= lo and n < _COLON_VERBS:
            verbs.append(parse.tokens[ctx.verb_index[k]])
            k -= 1
            n += 1
    for verb in verbs:
        ctx.spend()
        subj = _reporter(ctx, verb)
        if subj is None:
            continue
        speaker = _speaker_from_subject(ctx, subj, verb.start)
        if speaker is not None:
            return speaker, verb
    return None


def _according_source(ctx: _Context, tok: Token) -> Token | None:
    """X of "according to X" for the token "according"."""
    parse = ctx.parse
    for c in ctx.kids[tok.i]:
        if parse.tokens[c].lower == "to":
            for g in ctx.kids[c]:
                if parse.tokens[g].dep == "pobj":
                    return parse.tokens[g]
    return None


def _according_to(ctx: _Context, lo: int, hi: int) -> tuple[Token, Token] | None:
    """The first "according to X" outside quotes starting in lo..hi (looked up, not scanned)."""
    k = bisect.bisect_left(ctx.according_starts, lo)
    if k < len(ctx.according) and ctx.according_starts[k] < hi:
        _, tok, source = ctx.according[k]
        return tok, source
    return None


def _sentence_bounds(parse: Parse, offset: int) -> tuple[int, int]:
    i = parse.token_at(offset)
    if i is None:
        # offset on white space: use the next token
        i = parse.first_token_from(offset)
        if i == len(parse.tokens):
            return offset, offset
    first, last = parse.sents[parse.tokens[i].sent]
    return parse.tokens[first].start, parse.tokens[last - 1].end


def _time_for(times: Sequence[TimeExpression], lo: int, hi: int, ctx: _Context) -> str | None:
    """The value of the first DATE outside quotes starting in lo..hi (`ctx.times`, which holds
    `times` sorted by start; at most `_TIMES_PER_QUOTE` looked at)."""
    k = bisect.bisect_left(ctx.time_starts, lo)
    for t in ctx.times[k : k + _TIMES_PER_QUOTE]:
        ctx.spend()
        if t.span.start >= hi:
            break
        if not ctx.inside_quote(t.span.start) and t.type == "DATE":
            return t.value
    return None


def _salience_kind(ctx: _Context, span: Span, mention: Mention | None) -> str:
    """Which pronoun can take a speaker up later: "he"/"she" a person mention; "they"/"it" an
    organisation, a plural description or a document ("the report"); a singular description
    of a person ("the spokesman") neither, as news text names the person it goes on about."""
    if mention is not None:
        return "person" if mention.kind == "person" else "group"
    toks = ctx.parse.tokens_between(span.start, span.end)
    if any(t.tag in ("NNS", "NNPS") for t in toks):
        return "group"
    if any(t.lemma.lower() in _THING_NOUNS for t in toks):
        return "group"
    return "other"


def _note_salient(ctx: _Context, parse: Parse, upto: int) -> None:
    """Add person/org subjects of sentences that start before `upto` to the salience list.

    Calls resume where the last one stopped, so the whole article is scanned once.
    """
    new = parse.tokens[ctx.scanned : max(ctx.scanned, parse.first_token_from(upto))]
    ctx.scanned += len(new)
    for tok in new:
        ctx.spend()
        if tok.dep not in ("nsubj", "nsubjpass") or ctx.inside_quote(tok.start):
            continue
        mention = ctx.mention_at(tok.start, tok.end)
        if mention is None:
            # "Mr. Trump's campaign chairman, Paul Manafort, dismissed ..."
            for c in ctx.kids_with(tok.i, ("appos",)):
                if parse.tokens[c].dep == "appos":
                    mention = ctx.mention_at(parse.tokens[c].start, parse.tokens[c].end)
                    if mention is not None:
                        break
        if mention is None:
            if tok.tag in ("NNS", "NNPS"):
                # "Other Republicans echoed ...": a group that "they" can take up
                speaker = _speaker_from_subject(ctx, tok, tok.start)
                if speaker is not None:
                    _add_salient(ctx, (tok.start, speaker, "group"))
            continue
        kind = "person" if mention.kind == "person" else "group"
        speaker = _from_mention(mention, "explicit")
        _add_salient(ctx, (tok.start, speaker, kind))


def _add_salient(ctx: _Context, item: tuple[int, Speaker, str]) -> None:
    """Insert keeping `salient` sorted by offset, after equal offsets (as a stable sort would)."""
    bisect.insort_right(ctx.salient, item, key=lambda it: it[0])


def extract_quotes(
    parse: Parse,
    paragraphs: Sequence[Paragraph],
    mentions: Sequence[Mention],
    times: Sequence[TimeExpression],
    sentence_starts: Sequence[int],
    *,
    budget: Budget | None = None,
) -> tuple[tuple[Quote, ...], int]:
    """All quotes in an article, in text order, and the count of unbalanced marks skipped."""
    text = parse.text
    marks, skipped = find_quote_marks(text, paragraphs)
    if budget is not None:
        budget.spend(len(parse.tokens) + len(marks))
    kids = parse.children()
    ctx = _Context(
        parse=parse,
        kids=kids,
        mentions=mentions,
        mention_starts=[m.span.start for m in mentions],
        quote_ranges=[(m.open, m.close + m.close_len) for m in marks],
        salient=[],
        genders=_genders(parse, mentions),
        paragraph_starts=[p.span.start for p in paragraphs],
        paragraph_ends=[p.span.end for p in paragraphs],
        budget=budget,
    )
    _index(ctx, times)

    def sentence_of(offset: int) -> int:
        return max(0, bisect.bisect_right(sentence_starts, offset) - 1)

    quotes: list[Quote] = []
    last_speaker: tuple[int, Speaker] | None = None  # (paragraph, speaker)
    for mark in marks:
        ctx.spend()
        content = _content_span(text, mark)
        if content is None:
            continue
        para = paragraphs[mark.paragraph]
        _note_salient(ctx, parse, mark.open)
        quoted = text[content.start : content.end]
        words = len(quoted.split())
        speaker: Speaker | None = None
        cue_tok: Token | None = None
        venue: str | None = None
        time: str | None = None
        if para.kind == "blockquote" and mark.paragraph + 1 < len(paragraphs):
            attribution = paragraphs[mark.paragraph + 1].span
            m = ctx.mention_at(attribution.start, attribution.end)
            line = text[attribution.start : attribution.end]
            if m is not None and m.kind == "person":
                speaker = _from_mention(m, "dash_line")
            else:
                name = line.lstrip("—–―- ").split(",")[0].strip()
                start = attribution.start + line.find(name)
                speaker = Speaker(
                    name=name,
                    actor_id=None,
                    span=Span(start, start + len(name)),
                    text=name,
                    resolution="dash_line",
                )
            if "(" in line and line.rstrip().endswith(")"):
                venue = line[line.rfind("(") + 1 : line.rstrip().rfind(")")]
            kind: QuoteKind = "block"
        else:
            if _looks_like_title(quoted):
                continue  # "Meet the Press", “The Art of the Deal”: a title, not words spoken
            lo, _ = _sentence_bounds(parse, mark.open)
            _, hi = _sentence_bounds(parse, max(mark.open, mark.close - 1))
            # the attribution may follow the closing mark in a short next sentence
            after = text[mark.close + mark.close_len : para.span.end].lstrip()
            if hi <= mark.close + mark.close_len and mark.close + 2 < para.span.end:
                _, hi2 = _sentence_bounds(parse, mark.close + 2)
                # "..." said David Brock, a Clinton confidant who heads ...
                if hi2 - hi < 80 or after[:1].islower():
                    hi = hi2
            lo, hi = max(lo, para.span.start), min(hi, para.span.end)
            embedded = (
                mark.open > lo
                and text[mark.open - 1] not in ":"
                and not text[content.start].isupper()
            )
            # a quoted phrase inside a sentence is carried by any reporting verb ("described
            # him as “a great woman”"); a whole quoted sentence by a speech verb
            lemmas = _ALL_CUES if embedded else SPEECH_LEMMAS
            cues = _cues_in(ctx, lo, hi, lemmas, around=mark.open)
            # nearest cue to the quote, with a subject
            cues.sort(key=lambda t: min(abs(t.start - mark.close), abs(t.end - mark.open)))
            if embedded:
                # a phrase quoted inside reported speech is the reporter's: "MacNab says the
                # movement was looking for a way to take a “hard stand”" (not the movement's)
                cues = _dominating(ctx, lo, hi, lemmas, content.start) + cues
            for cue in cues:
                ctx.spend()
                subj = _reporter(ctx, cue) or _subject_of(ctx, cue)
                if subj is None:
                    continue
                speaker = _speaker_from_subject(ctx, subj, cue.start)
                if speaker is not None:
                    cue_tok = cue
                    venue = _venue(ctx, cue)
                    break
            if speaker is None:
                according = _according_to(ctx, lo, hi)
                if according is not None:
                    sp = _speaker_from_subject(ctx, according[1], according[0].start)
                    if sp is not None:
                        speaker = replace(sp, resolution="according_to")
            if speaker is None:
                # "Hillary shot back, “...”", "Jared Potts echoed: “...”": whatever verb the
                # quote hangs on, or the verb before an introducing colon
                found = _governing_verb(ctx, content, mark)
                if found is not None:
                    speaker, cue_tok = found
                    venue = _venue(ctx, cue_tok)
            if (
                speaker is None
                and last_speaker is not None
                and last_speaker[0] >= mark.paragraph - 1
                and not embedded
            ):
                prev = last_speaker[1]
                speaker = replace(prev, resolution="adjacency")
            if embedded:
                if speaker is None or words > 25:
                    continue  # a scare quote or a title, not someone's words
                kind = "partial"
            else:
                if speaker is None and words < 4:
                    continue
                kind = "direct"
            time = _time_for(times, lo, hi, ctx)
        quotes.append(
            Quote(
                span=content,
                text=quoted,
                kind=kind,
                speaker=speaker,
                cue=cue_tok.text
                if cue_tok
                else ("according to" if speaker and speaker.resolution == "according_to" else None),
                cue_span=Span(cue_tok.start, cue_tok.end) if cue_tok else None,
                venue=venue,
                time=time,
                sentence=sentence_of(content.start),
                extractor=EXTRACTOR,
            )
        )
        if speaker is not None:
            last_speaker = (mark.paragraph, speaker)
            if speaker.span is not None:
                # only a person mention can be "he" or "she" later; a description ("his
                # parents", "the campaign") is not taken as a person
                m = ctx.mention_at(speaker.span.start, speaker.span.end)
                kind_of = _salience_kind(ctx, speaker.span, m)
                _add_salient(ctx, (mark.close, speaker, kind_of))
    quotes.extend(_indirect(ctx, quotes, times, sentence_of))
    quotes.sort(key=lambda q: q.span.start)
    return tuple(quotes), skipped


def _index(ctx: _Context, times: Sequence[TimeExpression]) -> None:
    """The look-up tables that keep per-quote work independent of the article's length."""
    parse = ctx.parse
    ctx.cover = Cover(ctx.quote_ranges)
    for tok in parse.tokens:
        if ctx.inside_quote(tok.start):
            continue
        participle = tok.dep in ("amod", "acl", "relcl") and tok.tag == "VBN"
        if tok.pos in ("VERB", "AUX") and tok.lemma.lower() in _ALL_CUES and not participle:
            ctx.cue_index.append(tok.i)
            ctx.cue_starts.append(tok.start)
        if tok.pos == "VERB":
            ctx.verb_index.append(tok.i)
            ctx.verb_starts.append(tok.start)
        if tok.lower == "according":
            source = _according_source(ctx, tok)
            if source is not None:
                ctx.according.append((tok.start, tok, source))
                ctx.according_starts.append(tok.start)
    ctx.times = sorted(times, key=lambda t: t.span.start)
    ctx.time_starts = [t.span.start for t in ctx.times]


class _Widest:
    """Spans kept so far, asking "does one of them hold [start, end)?" in O(log n): a Fenwick
    tree over the candidates' starts holding the largest end among kept spans per prefix."""

    def __init__(self, starts: Sequence[int]) -> None:
        self._keys = sorted(set(starts))
        self._tree = [-1] * (len(self._keys) + 1)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self._keys, start) + 1
        while i < len(self._tree):
            self._tree[i] = max(self._tree[i], end)
            i += i & -i

    def holds(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._keys, start)  # kept spans starting at or before `start`
        best = -1
        while i > 0:
            best = max(best, self._tree[i])
            i -= i & -i
        return best >= end


# Reported speech: which verbs report through which complement. Chosen on PolNeAR's train split
# (bench/quotes.py): a verb and complement kind were kept when the complement was annotated
# attribution content in at least about 55-60% of at least six occurrences, plus the speech
# verbs above and a few synonyms. Lemmas as the spaCy model gives them ("hop" for "hoped").
_CCOMP_CUES = SPEECH_LEMMAS | frozenset(
    "show suggest find insist believe think conclude indicate reveal hope hop imply read concede "
    "learn wonder worry fear recognize allege convince assure emphasise emphasize point continue "
    "want mean acknowledge respond recall question explain agree expect consider feel joke contend "
    "remind demonstrate charge assume boast propose".split()
)
_XCOMP_CUES = frozenset(
    "plan vow decline refuse urge call ask promise pledge hope hop seek want propose agree "
    "threaten encourage order vote like tell intend aim expect decide look claim push".split()
)
_DOBJ_CUES = frozenset(
    "call cite accuse reject blame question denounce mention attack criticize criticise describe "
    "announce endorse express discuss defend oppose praise propose dismiss recall urge highlight "
    "tout blast slam mock echo note explain acknowledge reference list repeat portray emphasize "
    "emphasise condemn promise reveal voice decry applaud demand thank support show deny "
    "predict recommend welcome lament fault chide rebuke ridicule disparage tweet say want "
    "report order declare identify reiterate recognize favor detail stress prefer deem email "
    "suggest argue outline fear recount congratulate disavow credit".split()
)
_PREP_CUES: dict[str, frozenset[str]] = {
    lemma: frozenset(preps.split())
    for lemma, preps in {
        "talk": "about", "speak": "about of", "ask": "about for", "call": "for on",
        "refer": "to", "point": "to", "comment": "on", "rail": "against", "push": "for",
        "complain": "about", "warn": "about of against", "argue": "for against",
        "joke": "about", "brag": "about", "boast": "about", "advocate": "for",
        "testify": "about", "write": "about", "focus": "on",
        "campaign": "for against", "lash": "at", "weigh": "in", "hint": "at",
    }.items()
}  # fmt: skip
# after the object: "criticized Nabisco for the move", "described him as a liar"
_OBJECT_PREPS = frozenset("as of for over with".split())
# verbs whose object is reported only with an "as" phrase: "sees him as a threat"
_AS_CUES = frozenset(
    "see view regard consider portray cast paint characterize characterise label brand "
    "dismiss cite refer know depict frame".split()
)
_THING_NOUNS = frozenset(
    "statement report letter ad advertisement poll survey study memo post tweet video email "
    "document release spot message note column editorial article book filing lawsuit "
    "complaint analysis campaign group committee sign banner website page site newspaper "
    "paper magazine network agency government administration department office company firm "
    "party organization organisation union council court ministry".split()
)
_ALL_CUES = _CCOMP_CUES | _XCOMP_CUES | _DOBJ_CUES | frozenset(_PREP_CUES)
_COMPLEMENTISERS = frozenset({"that", "whether", "if"})
# things that can say something: "a statement saying", "an ad accusing"
_DOCUMENT_NOUNS = frozenset(
    "statement report letter ad advertisement poll survey study memo post tweet video email "
    "document release spot message note column editorial article book interview speech filing "
    "lawsuit complaint analysis campaign group committee official officials spokesman "
    "spokeswoman spokesperson aide aides adviser advisers source sources sign banner placard "
    "headline caption slogan website page site".split()
)
_RELATIVE = frozenset({"who", "that", "which"})


def _span_of(ctx: _Context, heads: Sequence[int]) -> tuple[int, int]:
    """Character extent of the subtrees of `heads`, without a leading "that"/"whether"."""
    toks: set[int] = set()
    for h in heads:
        toks.update(ctx.parse.subtree(h, ctx.kids))
    return _extent(ctx.parse, sorted(toks), complementiser=True)


def _reporter(ctx: _Context, cue: Token) -> Token | None:
    """Who speaks through a reporting verb: its subject, a passive agent, or a governing verb's
    subject ("has refused to endorse", "said, adding that"), or the noun a relative clause hangs on.
    """
    parse = ctx.parse
    tok = cue
    for _ in range(5):
        for c in ctx.kids_with(tok.i, ("nsubj", "agent")):
            ctx.spend()
            child = parse.tokens[c]
            if not ctx.same_paragraph(child.start, cue.start):
                continue  # a parse that runs over a line break ("12:15 p.m." above)
            if child.dep == "nsubj":
                if child.lower in _RELATIVE and tok.dep == "relcl":
                    return parse.tokens[tok.head]
                return child
            if child.dep == "agent":
                for g in ctx.kids_with(c, ("pobj",)):
                    if parse.tokens[g].dep == "pobj":
                        return parse.tokens[g]
        if tok.dep == "acl" and tok.head != tok.i:
            noun = parse.tokens[tok.head]  # "a statement saying that"
            if noun.lemma.lower() in _DOCUMENT_NOUNS or ctx.mention_at(noun.start, noun.end):
                return noun
            return None
        if tok.dep in ("xcomp", "conj", "advcl", "acomp", "pcomp", "prep") and tok.head != tok.i:
            tok = parse.tokens[tok.head]  # "were likely to say", "apologised for saying"
            continue
        return None
    return None


def _indirect(
    ctx: _Context,
    direct: list[Quote],
    times: Sequence[TimeExpression],
    sentence_of: Callable[[int], int],
) -> list[Quote]:
    """Reported speech: the complement of a reporting verb (clause, infinitive, object or
    prepositional object, on either side of the verb) or the clause an "according to" phrase
    attaches to. Spans mostly inside quote marks are left to the direct quotes; a span inside
    another reported span is dropped (PolNeAR's attributions do not nest)."""
    parse = ctx.parse
    kids = ctx.kids
    candidates: list[tuple[Span, Token, Token | None, str | None]] = []
    sent_size = [b - a for a, b in parse.sents]

    def too_long(tok: Token) -> bool:
        return tok.sent < len(sent_size) and sent_size[tok.sent] > _MAX_SENT_TOKENS

    for tok in parse.tokens:
        ctx.spend()
        lemma = tok.lemma.lower()
        if tok.pos not in ("VERB", "AUX") or ctx.inside_quote(tok.start) or too_long(tok):
            continue
        if tok.dep in ("amod", "acl") and tok.tag == "VBN":
            continue  # "a group called X", "the plan announced Monday"
        pieces: list[int] = []
        before: list[int] = []
        own_kids = kids[tok.i]
        ctx.spend(len(own_kids))
        # "was asked to", "is expected to": the subject is what is reported, not who reports
        passive = any(parse.tokens[c].dep in ("auxpass", "nsubjpass") for c in own_kids)
        # the last "as" among the children, for "sees him as a threat"
        last_as = max((x for x in own_kids if parse.tokens[x].lower == "as"), default=-1)
        # Only the set of pieces matters (`_span_of` sorts it), so the preps after the first
        # object and the infinitives after the first prepositional cue are added once.
        first_obj: int | None = None
        first_prep: int | None = None
        for c in own_kids:
            child = parse.tokens[c]
            dep = child.dep
            if dep == "ccomp" and lemma in _CCOMP_CUES:
                (pieces if c > tok.i else before).append(c)
            elif c < tok.i or passive:
                continue
            elif dep == "xcomp" and lemma in _XCOMP_CUES:
                pieces.append(c)
            elif dep == "dobj" and (lemma in _DOBJ_CUES or (lemma in _AS_CUES and last_as > c)):
                pieces.append(c)
                if first_obj is None:
                    first_obj = c
            elif dep == "prep" and child.lower in _PREP_CUES.get(lemma, ()):
                objs = [g for g in kids[c] if parse.tokens[g].dep in ("pobj", "pcomp")]
                ctx.spend(len(kids[c]))
                pieces.extend(objs)
                if objs and first_prep is None:
                    first_prep = c
        if first_obj is not None:
            pieces.extend(
                p
                for p in own_kids
                if p > first_obj
                and parse.tokens[p].dep == "prep"
                and parse.tokens[p].lower in _OBJECT_PREPS
            )
        if first_prep is not None:
            # "called on Congress to act"
            pieces.extend(x for x in own_kids if x > first_prep and parse.tokens[x].dep == "xcomp")
        if tok.dep == "parataxis" and lemma in _CCOMP_CUES and tok.head < tok.i and not before:
            # "The plan is dead, he said": the clause the remark hangs on is the content
            own = set(parse.subtree(tok.i, kids))
            side = [i for i in parse.subtree(tok.head, kids) if i not in own and i < tok.i]
            ctx.spend(len(own) + len(side))
            clipped = ctx.clip_to_paragraph(Span(*_extent(parse, side)), tok.start)
            if clipped is not None and clipped.end - clipped.start >= 8:
                candidates.append((clipped, tok, _reporter(ctx, tok), None))
        for group in (pieces, before):
            if not group:
                continue
            extent = _span_of(ctx, sorted(set(group)))
            clipped = ctx.clip_to_paragraph(Span(*extent), tok.start)
            if clipped is None:
                continue
            start, end = clipped.start, clipped.end
            if end - start < 8 or " " not in parse.text[start:end]:
                continue
            candidates.append((clipped, tok, _reporter(ctx, tok), None))
    # "according to X, Y" / "Y, according to X"
    for _, tok, source in ctx.according:
        ctx.spend()
        if tok.head == tok.i or too_long(tok):
            continue
        head = parse.tokens[tok.head]
        for _ in range(50):
            if head.dep not in ("prep", "advmod") or head.head == head.i:
                break
            head = parse.tokens[head.head]
        phrase = parse.subtree(tok.i, kids)
        lo_i, hi_i = min(phrase), max(phrase)
        clause = parse.subtree(head.i, kids)
        ctx.spend(len(phrase) + len(clause))
        left = [i for i in clause if i < lo_i]
        right = [i for i in clause if i > hi_i]
        side = left if len(left) >= len(right) else right
        if len(side) < 4 or not any(parse.tokens[i].pos in ("VERB", "AUX") for i in side):
            continue
        clipped = ctx.clip_to_paragraph(Span(*_extent(parse, side)), tok.start)
        if clipped is None or clipped.end - clipped.start < 8:
            continue
        candidates.append((clipped, tok, source, "according to"))

    direct_ranges = Overlaps(
        sorted((q.span.start, q.span.end) for q in direct if q.kind != "partial")
    )

    def mostly_quoted(span: Span) -> bool:
        # quote ranges never overlap one another, so their union's cover is their summed overlap
        inside = ctx.cover.covered(span.start, span.end)
        return inside >= 0.5 * (span.end - span.start) or direct_ranges.containing(
            span.start, span.end
        )

    # widest first, so a span inside another reported span is dropped
    candidates.sort(key=lambda c: (-(c[0].end - c[0].start), c[0].start))
    kept: list[tuple[Span, Token, Token | None, str | None]] = []
    widest = _Widest([c[0].start for c in candidates])
    for cand in candidates:
        ctx.spend()
        span = cand[0]
        if mostly_quoted(span):
            continue
        if widest.holds(span.start, span.end):
            continue
        kept.append(cand)
        widest.add(span.start, span.end)

    found: list[Quote] = []
    for span, cue, subj, fixed_cue in sorted(kept, key=lambda c: c[0].start):
        ctx.spend()
        speaker: Speaker | None = None
        if subj is not None:
            _note_salient(ctx, parse, cue.start)
            speaker = _speaker_from_subject(ctx, subj, cue.start)
            if speaker is not None and fixed_cue:
                speaker = replace(speaker, resolution="according_to")
        if speaker is None:
            continue  # reported speech with nobody reporting it is not a quote
        lo, hi = _sentence_bounds(parse, cue.start)
        found.append(
            Quote(
                span=span,
                text=parse.text[span.start : span.end],
                kind="indirect",
                speaker=speaker,
                cue=fixed_cue or cue.text,
                cue_span=None if fixed_cue else Span(cue.start, cue.end),
                venue=None if fixed_cue else _venue(ctx, cue),
                time=_time_for(times, lo, hi, ctx),
                sentence=sentence_of(span.start),
                extractor=EXTRACTOR,
            )
        )
    return found


def _extent(parse: Parse, toks: Sequence[int], *, complementiser: bool = False) -> tuple[int, int]:
    """Character extent of some tokens, trimmed of punctuation and conjunctions at the edges
    (and of a leading complementiser: "said that X" -> "X")."""
    ordered = sorted(toks)
    while ordered and (
        parse.tokens[ordered[0]].pos in ("PUNCT", "CCONJ")
        or (complementiser and parse.tokens[ordered[0]].lower in _COMPLEMENTISERS)
    ):
        ordered.pop(0)
    while ordered and parse.tokens[ordered[-1]].pos in ("PUNCT", "CCONJ"):
        ordered.pop()
    if not ordered:
        return 0, 0
    return parse.tokens[ordered[0]].start, parse.tokens[ordered[-1]].end
