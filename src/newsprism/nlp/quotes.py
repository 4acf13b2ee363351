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
import unicodedata
from collections import Counter
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
from newsprism.nlp.actors import TITLE_WORDS, name_gender
from newsprism.nlp.parse import Parse, Token

EXTRACTOR = "quotes.rules.v12"

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
# Who can speak when no mention names them: heads of descriptions of people, organisations and
# the documents they issue ("the official", "a unit", "the statement"). An entity, a proper noun
# or a noun ending like an agent noun ("-er", "-ist", "-man", …) speaks too; other nouns
# ("temperatures continue", "the fumes flooded") do not.
_AGENT_NOUNS = frozenset(
    "official source aide adviser advisor analyst expert lawyer attorney police authority "
    "company government administration campaign committee department agency group party "
    "ministry court judge prosecutor witness resident people person man woman voter critic "
    "supporter opponent leader member executive president chairman chair secretary economist "
    "scientist researcher doctor student staff union board council panel commission "
    "organization organisation firm bank concern unit team office delegate delegation side "
    "country nation state city family parent child kid friend colleague official spokesman "
    "spokeswoman spokesperson representative candidate nominee senator governor mayor "
    "minister clergy cleric pastor priest insider observer aide crowd audience public majority "
    "minority poll survey study report statement letter document memo filing ruling release "
    "ad advertisement website site post tweet email article book newspaper paper magazine "
    "journal tabloid broadcaster newswire database "
    "network channel outlet media press estimate data figure record analysis review audit "
    "lawsuit complaint indictment petition message note video account transcript testimony "
    "opinion editorial column order decision verdict law bill rule guideline proposal plan "
    "platform manifesto invitation agreement deal document sign placard banner headline "
    "caption slogan chart map census count tally projection forecast model research "
    "evidence investigation inquiry probe finding result number military army navy force "
    "troop regime junta coalition alliance bloc movement church school university college "
    "hospital clinic institute foundation association federation league club body "
    "establishment industry market business employer employee worker hospital "
    "everyone everybody someone somebody anyone nobody no-one host anchor pundit guest ally "
    "rival hopeful veteran chief head boss founder owner heir widow "
    # people by the side they take or the group they belong to
    "advocate associate millennial conservative liberal moderate progressive independent "
    "evangelical citizen youth fan victim survivor hostage teen "
    "son wife husband spouse relative cousin uncle aunt niece nephew".split()
)
_AGENT_SUFFIXES = (
    "er", "or", "ist", "ian", "ant", "dent", "nent", "gent", "ient", "arent", "man", "men", "woman", "women", "person", "ee", "ive",
    "crat", "ary", "ic", "ess",
)  # fmt: skip
_OF_CHARS = 60  # an "of" phrase longer than this is not part of a speaker's name


# A share of the people asked: "Thirty percent said", "six in 10 said", "a majority say".
_SHARE_NOUNS = frozenset("percent % majority plurality minority share proportion".split())


def _agentive(subj: Token) -> bool:
    """Whether a subject with no mention can be a speaker: see `_AGENT_NOUNS` and
    `_SHARE_NOUNS` (a bare number is a count of people: "two in three said")."""
    if subj.ent in ("PERSON", "ORG", "NORP", "GPE", "FAC") or subj.pos in ("PROPN", "PRON"):
        return True
    lemma = subj.lemma.lower()
    if lemma in _AGENT_NOUNS or lemma in _SHARE_NOUNS or subj.pos == "NUM":
        return True
    return lemma.endswith(_AGENT_SUFFIXES) and not lemma.endswith("ment")


_PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "group"}
# possessives, for the owner of a nominal cue ("his claim that")
_PRONOUNS |= {"his": "person", "her": "person", "their": "group", "its": "group"}
# pronouns that name a share of people: "some said", "most believe", "others argue"
_QUANTIFIERS = frozenset(
    "some most many others several few all both half none another one each either neither "
    "those".split()
)
_OPENERS = {"“": "”", '"': '"', "«": "»", "„": "“"}
_CLOSERS = {"”", '"', "»", "“"}
# "``" opens a quote in wire and treebank text (``like this''), "''" closes it
_MARK = re.compile("``|''|[" + "".join(sorted(set(_OPENERS) | _CLOSERS)) + "]")
# Caps on the work one quote or one sentence can cause (far above what news text needs).
_NEAREST_CUES = 32  # cues tried on each side of a quote (PolNeAR: at most 9 in a sentence)
_SALIENT_LOOKBACK = 256  # earlier salient speakers a pronoun is checked against
_MAX_SENT_TOKENS = 300  # longer sentences are not searched for reported speech
_PHRASE_MAX = 400  # tokens in a speaker or venue phrase; a larger subtree is a mis-parse
_COLON_VERBS = 32  # verbs looked at before an introducing colon
_TIMES_PER_QUOTE = 64  # time expressions looked at for one quote's date
_SCARE_WORDS = 3  # a quoted phrase this short needs a reporting verb to be a partial quote
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


# Photo captions: words that describe a picture ("pictured", "(left)", "in this file photo").
_CAPTION = re.compile(
    r"\b(?:pictured|photographed|seen here|poses? for|file (?:photo|image|picture)|"
    r"in this (?:undated |handout |file )?(?:photo|image|picture|video|still)|"
    r"from left|left to right|(?:second |far )?(?:left|right|center|centre)\))",
    re.I,
)
_CAPTION_WORDS = 50  # a longer paragraph is body text, not a caption
_HEADLINE_WORDS = (4, 25)  # a headline-like paragraph has this many words


def looks_like_headline(line: str) -> bool:
    """A line in headline case: most of its words capitalised, minor words aside ("Vessel
    Intercepted By Federal Agents, CBP Says"). Body sentences capitalise a few names only."""
    words = [w for w in line.split() if w[:1].isalpha()]
    if not _HEADLINE_WORDS[0] <= len(words) <= _HEADLINE_WORDS[1]:
        return False
    major = [w for w in words if w.lower() not in _MINOR_WORDS]
    upper = sum(1 for w in major if w[0].isupper())
    return len(major) >= 3 and upper >= 0.8 * len(major)


def looks_like_caption(line: str) -> bool:
    """A short paragraph that describes a picture: a photo caption, not reported speech."""
    return len(line.split()) <= _CAPTION_WORDS and _CAPTION.search(line) is not None


# A quoted title right after the noun of a work: "the book “Fire and Fury”", "an op-ed titled …"
_WORK_BEFORE = re.compile(
    r"\b(?:book|novel|memoir|film|movie|documentary|song|album|single|show|series|sitcom|"
    r"episode|play|musical|poem|essay|op-ed|column|headline|podcast|programme|program|"
    r"exhibition|painting|titled|entitled)\s*[,:]?\s*$",
    re.I,
)


def after_work_noun(text: str, open_at: int) -> bool:
    """The quote mark at `open_at` follows the noun of a work or "titled": a title."""
    return _WORK_BEFORE.search(text, max(0, open_at - 40), open_at) is not None


_GENDERED = {"he": "m", "she": "f", "his": "m", "her": "f"}
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
            if mark == "``":
                if open_at is None:
                    open_at, open_len = pos, width
                continue  # never a closing mark
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
    # paragraphs that hold no speech: headings, headline-case lines, photo captions
    not_speech: frozenset[int] = frozenset()

    def paragraph_of(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def in_not_speech(self, offset: int) -> bool:
        return bool(self.not_speech) and self.paragraph_of(offset) in self.not_speech

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

    def in_dateline(self, offset: int) -> bool:
        """Whether `offset` lies in a wire dateline opening its paragraph ("ORLANDO, Fla. —",
        "MACAU (Reuters) -"): a place and an agency, never a speaker."""
        i = self.paragraph_of(offset)
        if i < 0:
            return False
        start = self.paragraph_starts[i]
        m = _DATELINE.match(self.parse.text, start, self.paragraph_ends[i])
        if m is None or offset >= m.end():
            return False
        if m.group("region") or m.group("agency"):
            return True
        # a bare word in capitals before a dash is a dateline only as a place ("NATO — ...")
        first = self.parse.token_at(start)
        return first is not None and self.parse.tokens[first].ent in ("GPE", "LOC")

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
        best: tuple[int, Speaker] | None = None  # (clause depth, speaker)
        sentence = -1
        for k in range(last - 1, max(-1, last - 1 - _SALIENT_LOOKBACK), -1):
            ctx.spend()
            offset, speaker, kind = ctx.salient[k]
            if kind != want:
                continue
            if gender and ctx.genders.get(speaker.actor_id or "", gender) != gender:
                continue  # "she" is not the man mentioned last
            # Within the sentence of the nearest fit, the subject of the main clause wins over
            # one inside a reported clause ("Republicans say Democrats are …. They say" is
            # the Republicans): the centre of a sentence is its main subject.
            at = parse.token_at(offset)
            sent = parse.tokens[at].sent if at is not None else -2
            if best is not None and sent != sentence:
                break
            depth = _clause_depth(ctx, at)
            if best is None or depth < best[0]:
                best, sentence = (depth, speaker), sent
        if best is not None:
            return replace(best[1], resolution="pronoun")
        if gender:
            # no subject fits: the last person of that gender named anywhere before
            m = _gendered_mention(ctx, gender, before - 1500, before)
            if m is not None:
                return _from_mention(m, "pronoun")
        return None
    if subj.pos == "PRON" and subj.lower not in _QUANTIFIERS:
        return None
    if ctx.inside_quote(subj.start):
        return None  # a word of the quote itself ("“The first I heard …,” said King")
    mention = ctx.mention_at(subj.start, subj.end)
    if mention is None:
        # "Its chief executive, Oren Castell, said": the name in apposition
        for c in ctx.kids_with(subj.i, ("appos",)):
            if parse.tokens[c].dep == "appos":
                named = ctx.mention_at(parse.tokens[c].start, parse.tokens[c].end)
                if named is not None and named.kind == "person":
                    mention = named
                    break
    if mention is None and subj.dep == "appos" and subj.head != subj.i:
        # "Mitch Dunn, now the Senate majority leader, who said": the relative clause hangs on
        # the apposition, and the name it describes speaks
        head = parse.tokens[subj.head]
        named = ctx.mention_at(head.start, head.end)
        if named is not None and named.kind == "person":
            mention = named
    if mention is None and (subj.lemma.lower() in _POSSESSED_WORKS or not _agentive(subj)):
        # "Judge Novak's ruling said": the possessor speaks through the thing (or through a
        # noun the lexicon does not know as a speaker); a person or body of the possessor
        # speaks for itself ("Bloomberg's campaign countered", "Trump's son said")
        for c in ctx.kids_with(subj.i, ("poss",)):
            if parse.tokens[c].dep == "poss":
                owner = ctx.mention_at(parse.tokens[c].start, parse.tokens[c].end)
                if owner is not None and owner.kind == "person":
                    mention = owner
    if mention is not None:
        return _from_mention(mention, "explicit")
    if subj.lemma.lower() in _DOCUMENT_NOUNS:
        issuer = _issuer(ctx, subj)
        if issuer is not None:
            found = _speaker_from_subject(ctx, issuer, before)
            if found is not None:
                return found
    if subj.lemma.lower() in _NON_AGENTS or not (_agentive(subj) or _bare_name(ctx, subj)):
        return None  # "there is a risk that talks …", "temperatures continue": nobody speaks
    # "those" is named by its clause: "those surveyed", "those who attended"
    clauses = () if subj.lower == "those" else ("relcl", "acl")
    start, end = _phrase(
        parse, ctx.kids, subj.i, skip_deps=(*clauses, "appos", "prep", "punct", "cc", "conj")
    )
    for c in ctx.kids_with(subj.i, ("prep",)):
        if parse.tokens[c].lower == "of" and c > subj.i:
            # "a unit of DPC Acquisition Partners": the organisation belongs to the speaker
            _, of_end = _phrase(parse, ctx.kids, c, skip_deps=("relcl", "acl", "appos"))
            if of_end - end <= _OF_CHARS:
                end = max(end, of_end)
            break
    clipped = ctx.clip_to_paragraph(Span(start, end), subj.start)
    if clipped is not None:
        start, end = clipped.start, clipped.end
    text = parse.text[start:end]
    name = text[4:] if text.lower().startswith("the ") else text
    return Speaker(name=name, actor_id=None, span=Span(start, end), text=text, resolution="title")


def _bare_name(ctx: _Context, subj: Token) -> bool:
    """A capitalised singular noun with no determiner is a name the entity model missed
    ("“…?” Hannity pressed."): a common singular noun needs a determiner in English."""
    if subj.tag != "NN" or not subj.text[:1].isupper() or not subj.text[1:].islower():
        return False
    return not ctx.kids_with(subj.i, ("det", "poss"))


def _gendered_mention(ctx: _Context, gender: str, lo: int, hi: int) -> Mention | None:
    """The last person mention of a known `gender` starting in lo..hi."""
    i = bisect.bisect_left(ctx.mention_starts, hi) - 1
    while i >= 0 and ctx.mentions[i].span.start > lo:
        ctx.spend()
        m = ctx.mentions[i]
        if m.kind == "person" and ctx.genders.get(m.actor_id) == gender:
            return m
        i -= 1
    return None


_CLAUSE_DEPS = frozenset("ccomp advcl relcl acl xcomp parataxis csubj".split())


def _clause_depth(ctx: _Context, at: int | None) -> int:
    """How many clauses down a subject token sits (0: the main clause, or not a subject)."""
    if at is None or ctx.parse.tokens[at].dep not in ("nsubj", "nsubjpass"):
        return 0
    depth = 0
    i = ctx.parse.tokens[at].head
    for _ in range(50):
        ctx.spend()
        tok = ctx.parse.tokens[i]
        if tok.head == i:
            break
        depth += tok.dep in _CLAUSE_DEPS
        i = tok.head
    return depth


# The one cue whose passive subject speaks ("Smith was quoted as saying"); any other cue's
# passive subject is who was spoken to or about ("were told", "as it was called").
_PASSIVE_SPEAKER_CUES = frozenset({"quote"})


# A wire dateline: a place in capitals, perhaps its state or country, perhaps the agency in
# brackets, then a dash ("MYRTLE BEACH, S.C. — ", "KYIV, Ukraine (AP) - ", "MACAU (Reuters) - ").
_DATELINE = re.compile(
    r"[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+){0,3}"
    r"(?P<region>, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,2})?"
    r"(?P<agency> \([A-Za-z .\-]{2,30}\))? ?[-—–]+ "
)


def _past_dateline(ctx: _Context, subj: Token) -> Token | None:
    """A subject in a dateline stands for the name the parser hung on it as an apposition
    ("ORLANDO, Fla. — President Barack Obama said": "ORLANDO" the subject, "Obama" its
    appositive) or gave the same verb as a second subject ("PHILADELPHIA — The Democratic
    National Committee released"); with neither, there is no subject."""
    if not ctx.in_dateline(subj.start):
        return subj
    siblings = ctx.kids_with(subj.head, ("nsubj",)) if subj.head != subj.i else []
    for c in [*ctx.kids_with(subj.i, ("appos",)), *siblings]:
        tok = ctx.parse.tokens[c]
        if not ctx.in_dateline(tok.start):
            return tok
    return None


def _subject_of(ctx: _Context, cue: Token) -> Token | None:
    """The cue's subject; one inside a quotation is a word of the quote, not its speaker (the
    parser gave `''… Michigan, Ohio,'' Mr. Trump said` two subjects, Michigan first)."""
    parse = ctx.parse
    quoted_cue = ctx.inside_quote(cue.start)
    for _ in range(50):
        subjects = ctx.kids_with(cue.i, ("nsubj", "nsubjpass"))
        if cue.lemma.lower() not in _PASSIVE_SPEAKER_CUES:
            subjects = [c for c in subjects if parse.tokens[c].dep == "nsubj"]
        for c in subjects:
            if quoted_cue or not ctx.inside_quote(parse.tokens[c].start):
                return _past_dateline(ctx, parse.tokens[c])
        if subjects:
            return None
        # "X said and added": a conjoined cue shares its head's subject; not a verb of the
        # quote's own (`“We were wrong,” Ramos told AFP`: the parser made "told" its conjunct)
        if cue.dep != "conj" or cue.head == cue.i:
            return None
        cue = parse.tokens[cue.head]
        if not quoted_cue and ctx.inside_quote(cue.start):
            return None
    return None


def _inverted_subject(ctx: _Context, cue: Token, content: Span) -> Token | None:
    """The name right after a cue that has no subject: `“…,” said David Brock, a confidant who
    heads Correct the Record` (the parser hung "Brock" on "Correct"). The last token of a
    person or organisation mention starting within the next three tokens, behind title words
    only ("said Sen. Ted Cruz", "said WHO chief Tedros"), in the cue's paragraph. Before the quote, a name that is the subject of the
    cue's complement is what was said about: `said Mr. Trump was a candidate: “…”`."""
    parse = ctx.parse
    for k in (cue.i + 1, cue.i + 2, cue.i + 3):
        if k >= len(parse.tokens) or parse.tokens[k].sent != cue.sent:
            return None
        tok = parse.tokens[k]
        mention = ctx.mention_at(tok.start, tok.end)
        if mention is not None and mention.span.start >= tok.start:
            if mention.kind not in ("person", "organisation") or not ctx.same_paragraph(
                tok.start, cue.start
            ):
                return None
            last = parse.token_at(mention.span.end - 1)
            if last is None or (
                content.start > cue.start and _subject_of_complement(ctx, parse.tokens[last], cue)
            ):
                return None
            if parse.tokens[last].dep in ("dobj", "dative") and parse.tokens[last].head == cue.i:
                return None  # "told AFP": who was told
            return parse.tokens[last]
        if not _title_word(tok):
            return None  # only a title may stand between the cue and the name
    return None


def _title_word(tok: Token) -> bool:
    """A word of a title before a name: a noun ("Sen.", "spokesman"), a title word whatever the
    tagger made of it ("chief" as a verb), or an acronym ("WHO" read as a pronoun)."""
    if tok.lower in TITLE_WORDS or (len(tok.text) > 1 and tok.text.isupper()):
        return True
    return tok.pos in ("PROPN", "NOUN") and not tok.ent


_BEFORE_CUE_CHARS = 60  # "”, Jorge Ramos, 58, a reporter, told": a name and its apposition


def _name_before_cue(ctx: _Context, cue: Token, mark: _Marked) -> Token | None:
    """The name between a closing quote mark and a cue with no subject: in `“…,” Ramos, 58,
    told AFP` the parser hung "Ramos" on the quote's verb. The last token of the first person
    or organisation mention after the mark, when only that name, its apposition and commas
    stand between (no verb), within `_BEFORE_CUE_CHARS`."""
    parse = ctx.parse
    close = mark.close + mark.close_len
    if not close <= cue.start <= close + _BEFORE_CUE_CHARS or ctx.inside_quote(cue.start):
        return None
    between = parse.tokens_between(close, cue.start)
    # a capitalised word there is part of a name even when tagged a verb ("Tulsa police Chief
    # Chuck Jordan said": the tagger read "Tulsa" as a verb)
    if not between or any(t.pos in ("VERB", "AUX") and not t.text[:1].isupper() for t in between):
        return None
    for tok in between:
        mention = ctx.mention_at(tok.start, tok.end)
        if mention is None:
            continue
        if mention.kind not in ("person", "organisation") or mention.span.end > cue.start:
            return None
        last = parse.token_at(mention.span.end - 1)
        return parse.tokens[last] if last is not None else None
    return None


def _subject_of_complement(ctx: _Context, tok: Token, cue: Token) -> bool:
    """Whether `tok` is the subject of a clause the cue reports: in "said Mr. Trump was a
    candidate" the name after the cue is what was said about, not who said it."""
    if tok.dep not in ("nsubj", "nsubjpass") or tok.head == tok.i:
        return False
    clause = ctx.parse.tokens[tok.head]
    return clause.head == cue.i and clause.dep in ("ccomp", "xcomp", "advcl", "parataxis")


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
    verbs.extend(_colon_verbs(ctx, mark))
    return _first_speaking(ctx, verbs)


def _colon_verbs(ctx: _Context, mark: _Marked) -> list[Token]:
    """The verbs of the sentence part before a colon that introduces the quote, nearest first
    ("Rubio fired back forcefully: “…”"); none when no colon stands right before it."""
    parse = ctx.parse
    colon = mark.open - 1
    while colon >= 0 and parse.text[colon].isspace():
        colon -= 1
    verbs: list[Token] = []
    if colon >= 0 and parse.text[colon] == ":":
        lo, _ = _sentence_bounds(parse, colon)
        k = bisect.bisect_left(ctx.verb_starts, colon) - 1
        while k >= 0 and ctx.verb_starts[k] >= lo and len(verbs) < _COLON_VERBS:
            verbs.append(parse.tokens[ctx.verb_index[k]])
            k -= 1
    return verbs


def _first_speaking(ctx: _Context, verbs: Sequence[Token]) -> tuple[Speaker, Token] | None:
    """The first of `verbs` that is not an intention and has a subject who can speak."""
    for verb in verbs:
        ctx.spend()
        if verb.lemma.lower() in _NOT_SPEECH:
            continue  # "wants “a clean deal”": an intention, not a speech act
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
            # "Other Republicans echoed ...": a group that "they" can take up; "The post
            # showed ... It says": a document that "it" can
            if tok.tag in ("NNS", "NNPS") or tok.lemma.lower() in _THING_NOUNS:
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
    ctx.not_speech = _not_speech_paragraphs(text, paragraphs, budget)
    _index(ctx, times)
    labels = _transcript_labels(ctx, paragraphs)

    def sentence_of(offset: int) -> int:
        return max(0, bisect.bisect_right(sentence_starts, offset) - 1)

    quotes: list[Quote] = []
    last_speaker: tuple[int, Speaker] | None = None  # (paragraph, speaker)
    for mark in marks:
        ctx.spend()
        content = _content_span(text, mark)
        if content is None or mark.paragraph in ctx.not_speech:
            continue
        para = paragraphs[mark.paragraph]
        _note_salient(ctx, parse, mark.open)
        quoted = text[content.start : content.end]
        words = len(quoted.split())
        speaker: Speaker | None = None
        cue_tok: Token | None = None
        venue: str | None = None
        time: str | None = None
        label = labels.get(mark.paragraph)
        kind: QuoteKind
        if label is not None and label[0].start == content.start:
            # "“PENCE: Well, look, …": a transcript's turn, its speaker the label
            content = Span(label[1], content.end)
            quoted = text[content.start : content.end]
            speaker, kind = label[2], "direct"
            lo, hi = _sentence_bounds(parse, content.start)
            time = _time_for(times, lo, hi, ctx)
        elif para.kind == "blockquote" and mark.paragraph + 1 < len(paragraphs):
            speaker, venue = _dash_line_speaker(ctx, paragraphs[mark.paragraph + 1].span)
            kind = "block"
        else:
            if _looks_like_title(quoted) or (words <= 12 and after_work_noun(text, mark.open)):
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
            # "“…” ― Pamela Padilla": a quote its own line signs needs no cue
            speaker = None if embedded else _signed_line(ctx, mark, para.span.end)
            cues = [] if speaker else _cues_in(ctx, lo, hi, lemmas, around=mark.open)
            # nearest cue to the quote, with a subject
            cues.sort(key=lambda t: min(abs(t.start - mark.close), abs(t.end - mark.open)))
            if embedded:
                # a phrase quoted inside reported speech is the reporter's: "MacNab says the
                # movement was looking for a way to take a “hard stand”" (not the movement's)
                cues = _dominating(ctx, lo, hi, lemmas, content.start) + cues
            for cue in cues:
                ctx.spend()
                subj = (
                    _reporter(ctx, cue)
                    or _subject_of(ctx, cue)
                    or _inverted_subject(ctx, cue, content)
                    or _name_before_cue(ctx, cue, mark)
                )
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
            governed = False
            if speaker is None:
                # "Hillary shot back, “...”", "Jared Potts echoed: “...”": whatever verb the
                # quote hangs on, or the verb before an introducing colon
                found = _governing_verb(ctx, content, mark)
                if found is not None:
                    speaker, cue_tok = found
                    venue = _venue(ctx, cue_tok)
                    governed = cue_tok.lemma.lower() not in _ALL_CUES
            if (
                speaker is None
                and last_speaker is not None
                and last_speaker[0] >= mark.paragraph - 1
                and not embedded
            ):
                prev = last_speaker[1]
                speaker = replace(prev, resolution="adjacency")
            if embedded:
                if speaker is None or words > 25 or (governed and words <= _SCARE_WORDS):
                    # a scare quote or a title, not someone's words: a few quoted words that
                    # only a verb of doing carries ("“flooded” the house")
                    continue
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
    quotes.extend(_unmarked_blocks(ctx, paragraphs, quotes, sentence_of))
    quotes.extend(_unmarked_turns(ctx, paragraphs, labels, quotes, sentence_of))
    # a partial quote inside a reported clause stays: it gives the speaker's exact words
    quotes.extend(_indirect(ctx, quotes, times, sentence_of))
    quotes.sort(key=lambda q: q.span.start)
    return tuple(_inherit_speakers(ctx, paragraphs, quotes)), skipped


def _inherit_speakers(
    ctx: _Context, paragraphs: Sequence[Paragraph], quotes: Sequence[Quote]
) -> list[Quote]:
    """Speakers for direct quotes that open their paragraph and found none (`quotes` in text
    order): a dash line under a paragraph that is all quote names its speaker ("- Hillary
    Clinton."); else the speaker of the last quote in the paragraph before, an indirect one
    too ("Carter said that … would not happen." then “That's because …”)."""
    text = ctx.parse.text
    out: list[Quote] = []
    last: tuple[int, Speaker] | None = None  # (paragraph, speaker)
    for q in quotes:
        ctx.spend()
        p = ctx.paragraph_of(q.span.start)
        para = paragraphs[p] if p >= 0 else None
        if q.speaker is None and q.kind == "direct" and para is not None:
            head = text[para.span.start : q.span.start].strip()
            tail = text[q.span.end : para.span.end].strip()
            if head and all(ch in _OPENERS or ch in _CLOSERS or ch == "'" for ch in head):
                speaker: Speaker | None = None
                if p + 1 < len(paragraphs) and all(ch in _CLOSERS or ch in ".'," for ch in tail):
                    speaker = _signature(ctx, paragraphs[p + 1].span)
                if speaker is None and last is not None and last[0] == p - 1:
                    speaker = replace(last[1], resolution="adjacency")
                if speaker is not None:
                    q = replace(q, speaker=speaker)
        if q.speaker is not None:
            last = (p, q.speaker)
        out.append(q)
    return out


# "PENCE:", "JAKE TAPPER:", "MS. O'NEIL:": a speaker's label opening a transcript's turn
_LABEL = re.compile(r"((?:[A-Z][A-Z'’.\-]*[A-Z]\.? ){0,2}[A-Z][A-Z'’\-]*[A-Z]):[ \t\u00a0]+(?=\S)")
_LABEL_PREFIX = "“\"«„'‘ \t\u00a0"  # what may stand before a label in its paragraph


def _transcript_labels(
    ctx: _Context, paragraphs: Sequence[Paragraph]
) -> dict[int, tuple[Span, int, Speaker]]:
    """Paragraphs that open with a speaker's label in capitals ("PENCE: Well, …", the turns of
    a transcript), by index: (the label's span, where the words start, the speaker). A label
    names a speaker when it is the surname (or the whole name) of a person the article
    mentions, or when it opens at least two paragraphs of an article whose labels name at
    least one such person ("WALLACE:" beside "PENCE:" in a transcript that names Mike Pence).
    A heading in capitals ("UPDATE:", "VIDEO:", "BYLINE:") names nobody and is left alone."""
    text = ctx.parse.text
    found: dict[int, tuple[Span, int, str]] = {}
    for i, para in enumerate(paragraphs):
        at = para.span.start
        while at < para.span.end and text[at] in _LABEL_PREFIX:
            at += 1
        m = _LABEL.match(text, at, para.span.end)  # two letters at least: "Q:" is no label
        if m is None:
            continue
        named = ctx.mention_at(m.start(1), m.end(1))
        if named is not None and named.kind in ("country", "place"):
            continue  # "NEW DELHI: The minister said …": a dateline
        found[i] = (Span(m.start(1), m.end(1)), m.end(), m.group(1))
    if not found:
        return {}
    people: dict[str, Mention] = {}
    in_label = Overlaps(sorted((span.start, span.end) for span, _, _ in found.values()))
    for mention in ctx.mentions:
        if (
            mention.kind == "person"
            and next(in_label.overlapping(mention.span.start, mention.span.end), None) is None
        ):
            words = _fold(mention.actor_name).split()
            if words:
                people.setdefault(words[-1], mention)
                people.setdefault(" ".join(words), mention)

    def person_of(label: str) -> Mention | None:
        # the whole label ("JAKE TAPPER"), else its last word ("MR. TAPPER", "TAPPER")
        words = _fold(label).replace(".", " ").split()
        return people.get(" ".join(words)) or people.get(words[-1])

    if all(person_of(label) is None for _, _, label in found.values()):
        return {}
    counts = Counter(label for _, _, label in found.values())
    out: dict[int, tuple[Span, int, Speaker]] = {}
    for i, (span, start, label) in found.items():
        person = person_of(label)
        if person is None and counts[label] < 2:
            continue
        out[i] = (
            span,
            start,
            Speaker(
                name=person.actor_name if person is not None else label.title(),
                actor_id=person.actor_id if person is not None else None,
                span=span,
                text=label,
                resolution="label",
            ),
        )
    return out


def _fold(name: str) -> str:
    """`name` without accents, case-folded: "GONZÀLEZ" and "González" are one word."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    ).casefold()


def _unmarked_turns(
    ctx: _Context,
    paragraphs: Sequence[Paragraph],
    labels: dict[int, tuple[Span, int, Speaker]],
    found: Sequence[Quote],
    sentence_of: Callable[[int], int],
) -> list[Quote]:
    """A labelled transcript turn without quote marks ("TAPPER: Do you think …") is its
    speaker's words, as one block quote."""
    text = ctx.parse.text
    quoted = Overlaps(sorted((q.span.start, q.span.end) for q in found))
    out: list[Quote] = []
    for i, (_, start, speaker) in sorted(labels.items()):
        ctx.spend()
        end = paragraphs[i].span.end
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start or next(quoted.overlapping(start, end), None) is not None:
            continue
        out.append(_block(text, Span(start, end), speaker, None, sentence_of))
    return out


def _block(
    text: str,
    span: Span,
    speaker: Speaker,
    venue: str | None,
    sentence_of: Callable[[int], int],
) -> Quote:
    """A block quote of `span` (a paragraph's words) with no cue."""
    return Quote(
        span=span,
        text=text[span.start : span.end],
        kind="block",
        speaker=speaker,
        cue=None,
        cue_span=None,
        venue=venue,
        time=None,
        sentence=sentence_of(span.start),
        extractor=EXTRACTOR,
    )


def _signature(ctx: _Context, line_span: Span) -> Speaker | None:
    """The person a short dash line names ("- Sanders.", "— Hillary Clinton"), else None."""
    line = ctx.parse.text[line_span.start : line_span.end].strip()
    if (
        not line.startswith(("-", "—", "–", "―"))
        or len(line.split()) > _DASH_LINE_WORDS
        or _CREDIT_LINE.match(line)
    ):
        return None
    m = ctx.mention_at(line_span.start, line_span.end)
    if m is not None and m.kind == "person":
        return _from_mention(m, "dash_line")
    # a name the entity model missed: one to four capitalised words before any comma
    name = _signed_name(line)
    return None if name is None else _named_in_line(ctx, name, line_span)


def _signed_name(line: str) -> str | None:
    """The name a dash line gives, when it is one to four capitalised words before any comma
    ("— Dana Ortiz, teacher"); None when the line goes on as a sentence."""
    name = _DASH_LEAD.sub("", line).split(",")[0].rstrip(" .\u00a0")
    words = name.split()
    if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return None
    return name


def _signed_line(ctx: _Context, mark: _Marked, para_end: int) -> Speaker | None:
    """The person a dash and a short name right after a quote's closing mark name, when they
    end the line ("“…” ― Pamela Padilla", "“…” — Dana Ortiz, teacher"): a collection of
    readers' or voters' words signs each one so, whoever the text before it names."""
    text = ctx.parse.text
    start = mark.close + mark.close_len
    stop = text.find("\n", start, para_end)
    end = para_end if stop < 0 else stop
    line = text[start:end]
    body = line.lstrip(" \u00a0\t")
    if not body.startswith(("—", "–", "―")) or len(body.split()) > _SIGNED_WORDS:
        return None
    if _signed_name(body) is None:
        return None  # "“…” — a claim the minister denied": the sentence goes on
    at = start + len(line) - len(body)
    return _signature(ctx, Span(at, end))


_SIGNED_WORDS = 8  # "— Name, role": a longer tail after the closing mark is a sentence


def _named_in_line(ctx: _Context, name: str, line_span: Span) -> Speaker:
    """A dash line's speaker with no mention: `name`, cut from the line, where it stands."""
    start = ctx.parse.text.find(name, line_span.start, line_span.end)
    return Speaker(
        name=name,
        actor_id=None,
        span=Span(start, start + len(name)),
        text=name,
        resolution="dash_line",
    )


_DASH_LEAD = re.compile(r"^[\s\-—–―]+")  # the dash and spaces (no-break ones too) before a name
_DASH_LINE_WORDS = 16  # "— Name, Role (Venue)"; a longer dash line is text, not a signature
_CREDIT_LINE = re.compile(
    r"[—–―-]*\s*(?:(?:additional )?reporting|editing|written|writing|by)\b", re.I
)


def _dash_line_speaker(ctx: _Context, attribution: Span) -> tuple[Speaker, str | None]:
    """The speaker (and venue) a dash line under a block quote names: "— Name, Role (Venue)"."""
    text = ctx.parse.text
    m = ctx.mention_at(attribution.start, attribution.end)
    line = text[attribution.start : attribution.end]
    venue = None
    if "(" in line and line.rstrip().endswith(")"):
        venue = line[line.rfind("(") + 1 : line.rstrip().rfind(")")]
    if m is not None and m.kind == "person":
        return _from_mention(m, "dash_line"), venue
    name = _DASH_LEAD.sub("", line).split(",")[0].split("(")[0].strip()
    return _named_in_line(ctx, name, attribution), venue


def _unmarked_blocks(
    ctx: _Context,
    paragraphs: Sequence[Paragraph],
    found: Sequence[Quote],
    sentence_of: Callable[[int], int],
) -> list[Quote]:
    """A paragraph right above a dash line ("— Name, Role") is that person's block quote, with
    or without quote marks: a pull quote or epigraph, never the outlet's own words."""
    text = ctx.parse.text
    quoted = Overlaps(sorted((q.span.start, q.span.end) for q in found))
    out: list[Quote] = []
    for i in range(len(paragraphs) - 1):
        ctx.spend()
        para, below = paragraphs[i], paragraphs[i + 1]
        if below.kind != "attribution" or para.kind not in ("body", "blockquote"):
            continue
        line = text[below.span.start : below.span.end]
        if (
            not line.startswith(("—", "–", "―"))
            or len(line.split()) > _DASH_LINE_WORDS
            or _CREDIT_LINE.match(line)
            or len(text[para.span.start : para.span.end].split()) < 6
        ):
            continue  # "- item": a list; "— Reporting by …": a credit line, not a speaker
        if i + 2 < len(paragraphs) and paragraphs[i + 2].kind == "attribution":
            continue  # a run of dash lines is a list
        if i > 0 and paragraphs[i - 1].kind == "attribution":
            continue
        start, end = para.span.start, para.span.end
        while start < end and (text[start].isspace() or text[start] in "“\"«„'"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in "”\"»“'"):
            end -= 1
        if end <= start or next(quoted.overlapping(start, end), None) is not None:
            continue  # its quote marks made it a quote already
        speaker, venue = _dash_line_speaker(ctx, below.span)
        if not speaker.name:
            continue
        out.append(_block(text, Span(start, end), speaker, venue, sentence_of))
    return out


def _not_speech_paragraphs(
    text: str, paragraphs: Sequence[Paragraph], budget: Budget | None
) -> frozenset[int]:
    """Headings, headline-case lines and photo captions: quote marks there are not speech."""
    out = set()
    for i, para in enumerate(paragraphs):
        if para.kind == "heading":
            out.add(i)
            continue
        if para.kind != "body" or para.span.end - para.span.start > 20 * _CAPTION_WORDS:
            continue  # a longer paragraph is body text, whatever its words
        line = text[para.span.start : para.span.end]
        if budget is not None:
            budget.spend(len(line) // 20 + 1)
        if looks_like_headline(line) or looks_like_caption(line):
            out.add(i)
    return frozenset(out)


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
#
# Issue 14: a quote is something said or written, so verbs of belief, intention and feeling
# ("thinks that", "hopes to", "wants to", "fears", "sees him as") are not cues, although PolNeAR
# annotates them as attribution (its recall counts them).
_CCOMP_CUES = SPEECH_LEMMAS | frozenset(
    "show suggest find insist conclude indicate reveal imply read concede allege assure "
    "emphasise emphasize point continue acknowledge respond recall question explain agree "
    "joke contend remind demonstrate charge boast propose".split()
)
_XCOMP_CUES = frozenset(
    "vow decline refuse urge call ask promise pledge propose agree threaten encourage order "
    "tell claim".split()
)
# Verbs of belief, intention and feeling: never a cue (also when the parser tags a noun or
# adjective use of them as a verb).
_NOT_SPEECH = frozenset(
    "think believe hope hop want wish plan intend aim seek expect decide look like love hate "
    "fear worry wonder feel assume consider mean learn know see view regard imagine suspect "
    "doubt trust prefer favor favour focus try".split()
)
_DOBJ_CUES = frozenset(
    "call cite accuse reject blame question denounce mention attack criticize criticise describe "
    "announce endorse express discuss defend oppose praise propose dismiss recall urge highlight "
    "tout blast slam mock echo note explain acknowledge reference list repeat portray emphasize "
    "emphasise condemn promise reveal voice decry applaud demand thank support show deny "
    "predict recommend welcome lament fault chide rebuke ridicule disparage tweet say "
    "report order declare identify reiterate detail stress deem email "
    "suggest argue outline recount congratulate disavow credit".split()
)
_PREP_CUES: dict[str, frozenset[str]] = {
    lemma: frozenset(preps.split())
    for lemma, preps in {
        "talk": "about", "speak": "about of", "ask": "about for", "call": "for on",
        "refer": "to", "point": "to", "comment": "on", "rail": "against", "push": "for",
        "complain": "about", "warn": "about of against", "argue": "for against",
        "joke": "about", "brag": "about", "boast": "about", "advocate": "for",
        "testify": "about", "write": "about",
        "campaign": "for against", "lash": "at", "weigh": "in", "hint": "at",
    }.items()
}  # fmt: skip
# after the object: "criticized Nabisco for the move", "described him as a liar"
_OBJECT_PREPS = frozenset("as of for over with".split())
# verbs whose object is reported only with an "as" phrase: "sees him as a threat"
# verbs that say what something is by naming it: "called the plan a disaster", "branded him a
# traitor"; the object predicate is part of what was said
_NAMING_CUES = frozenset("call brand label dub".split())
_AS_CUES = frozenset(
    "portray cast paint characterize characterise label brand dismiss cite refer depict "
    "frame".split()
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
# What a possessor speaks through: a work or a document of theirs ("Judge Novak's ruling said",
# "Trump's tweet said"), not a person or body of theirs ("his spokeswoman", "her campaign").
_POSSESSED_WORKS = frozenset(
    "ruling statement letter report tweet post ad advertisement memo book article column "
    "editorial op-ed speech remark comment filing lawsuit complaint order decision opinion "
    "verdict email message video website page site account note testimony proposal plan "
    "platform bill budget".split()
)
_RELATIVE = frozenset({"who", "that", "which"})
# nouns of speech acts whose "that" clause is reported: "his claim that", "her warning that"
_NOUN_CUES = frozenset(
    "claim assertion argument statement warning promise pledge allegation accusation "
    "suggestion insistence denial admission contention charge vow threat announcement remark "
    "comment assurance prediction declaration acknowledgment acknowledgement complaint "
    "message testimony explanation boast insinuation".split()
)


def _span_of(ctx: _Context, heads: Sequence[int]) -> tuple[int, int]:
    """Character extent of the subtrees of `heads`, without a leading "that"/"whether"."""
    toks: set[int] = set()
    for h in heads:
        toks.update(ctx.parse.subtree(h, ctx.kids))
    return _extent(ctx.parse, sorted(toks), complementiser=True)


_MODALS = frozenset("would will could can might may should must".split())


def _reported_conjuncts(ctx: _Context, cue: Token, after: int) -> list[int]:
    """Clauses the parser hung on the cue that go on with what was said: "said the process was
    fair, but required candidates to work", "says Gingrich is a friend and it's his business",
    "said she hoped to return, and then would continue". A conjunct after the reported clause
    with a subject of its own or a modal is reported; one with neither ("said X and left") is
    the speaker's own act, and a speech verb ("and added that") is a cue of its own."""
    parse = ctx.parse
    out: list[int] = []
    for c in ctx.kids_with(cue.i, ("conj",)):
        conj = parse.tokens[c]
        if c <= after or conj.sent != cue.sent or conj.pos not in ("VERB", "AUX"):
            continue
        if conj.lemma.lower() in _ALL_CUES:
            break
        own = ctx.kids_with(c, ("nsubj", "nsubjpass", "aux"))
        if not any(parse.tokens[k].dep != "aux" or parse.tokens[k].lower in _MODALS for k in own):
            break
        out.append(c)
    return out


# Verbs whose subject (or passive agent) is the author of the document they take as object.
_ISSUING_VERBS = frozenset("issue release put send post publish sign file write draft".split())


def _issuer(ctx: _Context, document: Token) -> Token | None:
    """Who put out a document that speaks: "McConnell issued a statement saying" and "an email
    sent out by Sanders warned" are theirs. The subject of an issuing verb whose object is the
    document, or the agent of an issuing participle on it; else None."""
    parse = ctx.parse
    found: list[int] = []
    if document.dep == "dobj" and document.head != document.i:
        verb = parse.tokens[document.head]
        if verb.lemma.lower() in _ISSUING_VERBS:
            found = ctx.kids_with(verb.i, ("nsubj",))
    for c in ctx.kids_with(document.i, ("acl",)):
        if not found and parse.tokens[c].lemma.lower() in _ISSUING_VERBS:
            for a in ctx.kids_with(c, ("agent",)):
                found = ctx.kids_with(a, ("pobj",))
    for c in found:
        who = parse.tokens[c]
        if ctx.same_paragraph(who.start, document.start) and not ctx.inside_quote(who.start):
            return _past_dateline(ctx, who)
    return None


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
            if ctx.inside_quote(child.start) and not ctx.inside_quote(cue.start):
                continue  # a word of the quote (see `_subject_of`)
            if child.dep == "nsubj":
                if child.lower in _RELATIVE and tok.dep == "relcl":
                    return parse.tokens[tok.head]
                return _past_dateline(ctx, child)
            if child.dep == "agent":
                for g in ctx.kids_with(c, ("pobj",)):
                    if parse.tokens[g].dep == "pobj":
                        return parse.tokens[g]
        if tok.i != cue.i and tok.lemma.lower() in _PASSIVE_SPEAKER_CUES:
            for c in ctx.kids_with(tok.i, ("nsubjpass",)):
                return parse.tokens[c]  # "Braynard is quoted as saying"
        if tok.dep == "acl" and tok.head != tok.i:
            noun = parse.tokens[tok.head]  # "a statement saying that"
            if noun.lemma.lower() in _DOCUMENT_NOUNS or ctx.mention_at(noun.start, noun.end):
                return _issuer(ctx, noun) or noun
            return None
        if tok.dep in ("xcomp", "conj", "advcl", "acomp", "pcomp", "prep") and tok.head != tok.i:
            tok = parse.tokens[tok.head]  # "were likely to say", "apologised for saying"
            continue
        return None
    return None


_APPOSITION_CHARS = 90  # the longest apposition between a name and its cue
_APPOSITION_TO_CUE = re.compile(r"(?:\s*,[^,;:.!?\"“”]{1,80})?\s*,?\s*")


def _name_closing_content(ctx: _Context, cue: Token, content: Span) -> tuple[Token, Span] | None:
    """For a cue with no subject after its reported clause, the person or organisation named
    between a comma ending the clause and the cue, perhaps with an apposition ("…, Geert
    Wilders, founder of the Freedom Party, said"): the parser made the name part of the clause.
    Returns the name's last token and the clause without it; None when no name stands there."""
    parse = ctx.parse
    i = bisect.bisect_left(ctx.mention_starts, cue.start) - 1
    while i >= 0 and ctx.mentions[i].span.start > content.start:
        ctx.spend()
        m = ctx.mentions[i]
        i -= 1
        if cue.start - m.span.end > _APPOSITION_CHARS:
            return None
        if m.kind not in ("person", "organisation") or m.span.end > cue.start:
            continue
        gap = _APPOSITION_TO_CUE.fullmatch(parse.text, m.span.end, cue.start)
        before = parse.text[content.start : m.span.start].rstrip()
        if gap is None or not before.endswith(","):
            continue  # a name inside the apposition ("founder of the Freedom Party")
        last = parse.token_at(m.span.end - 1)
        clause_end = content.start + len(before) - 1
        if last is None or clause_end - content.start < 8:
            return None
        return parse.tokens[last], Span(content.start, clause_end)
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
        if ctx.in_not_speech(tok.start):
            continue  # a headline or a photo caption reports nobody's words
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
            elif dep == "oprd" and lemma in _NAMING_CUES:
                pieces.append(c)  # "called her vote a mistake": what she called it is said too
            elif dep == "advcl" and any(
                parse.tokens[g].dep == "mark" and parse.tokens[g].lower in _PREP_CUES.get(lemma, ())
                for g in kids[c]
            ):
                pieces.append(c)  # "called for the president to resign": a for-to clause
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
        if pieces and any(parse.tokens[c].dep == "ccomp" for c in pieces):
            pieces.extend(_reported_conjuncts(ctx, tok, max(pieces)))
        as_remark = tok.dep == "advcl" and any(
            parse.tokens[c].dep == "mark" and parse.tokens[c].lower == "as" for c in own_kids
        )
        if (tok.dep == "parataxis" or as_remark) and lemma in _CCOMP_CUES and not before:
            # "The plan is dead, he said", "This plan, he said, is dead", "As the paper noted,
            # the plan is dead": the clause the remark hangs on is the content
            own = set(parse.subtree(tok.i, kids))
            clause = parse.subtree(tok.head, kids)
            side = [i for i in clause if i not in own and i < min(own)]
            # "The argument would be aided, Devine said, by the calendar": the content goes on
            # after the interrupting remark
            rest = [i for i in clause if i not in own and i > max(own)]
            ctx.spend(len(own) + len(clause))
            reporter = _reporter(ctx, tok)
            for part in (side, rest):
                clipped = ctx.clip_to_paragraph(Span(*_extent(parse, part)), tok.start)
                if part and clipped is not None and clipped.end - clipped.start >= 8:
                    candidates.append((clipped, tok, reporter, None))
        for group in (pieces, before):
            if not group:
                continue
            extent = _span_of(ctx, sorted(set(group)))
            clipped = ctx.clip_to_paragraph(Span(*extent), tok.start)
            if clipped is None:
                continue
            reporter = _reporter(ctx, tok)
            if reporter is None and group is before:
                # "X, Geert Wilders, founder of Y, said": the parser hung the name in X
                named = _name_closing_content(ctx, tok, clipped)
                if named is not None:
                    reporter, clipped = named
            start, end = clipped.start, clipped.end
            if end - start < 8 or " " not in parse.text[start:end]:
                continue
            candidates.append((clipped, tok, reporter, None))
    # nominal cues: "his claim that X", "Trump's warning that X"
    for tok in parse.tokens:
        ctx.spend()
        if tok.pos != "NOUN" or tok.lemma.lower() not in _NOUN_CUES or too_long(tok):
            continue
        if ctx.inside_quote(tok.start) or ctx.in_not_speech(tok.start):
            continue
        owner = ctx.kids_with(tok.i, ("poss",))
        clauses = [
            c
            for c in ctx.kids_with(tok.i, ("acl", "ccomp"))
            if c > tok.i and any(parse.tokens[g].lower == "that" for g in kids[c][:2] if g < c)
        ]
        if not owner or not clauses:
            continue
        extent = _span_of(ctx, clauses[:1])
        clipped = ctx.clip_to_paragraph(Span(*extent), tok.start)
        if clipped is not None and clipped.end - clipped.start >= 8:
            candidates.append((clipped, tok, parse.tokens[owner[0]], None))
    # "according to X, Y" / "Y, according to X"
    for _, tok, source in ctx.according:
        ctx.spend()
        if tok.head == tok.i or too_long(tok) or ctx.in_not_speech(tok.start):
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
        # "A and B, according to X." / "According to X, A and B.": a phrase at the edge of its
        # sentence attributes the whole sentence, whatever clause the parser hung it on
        first, end = parse.sents[tok.sent]
        words = [i for i in range(first, end) if parse.tokens[i].pos not in ("PUNCT", "SPACE")]
        ctx.spend(end - first)
        if words and (hi_i >= words[-1] or lo_i <= words[0] or words[0] == lo_i - 1):
            left = [i for i in words if i < lo_i and parse.tokens[i].pos != "CCONJ"]
            right = [i for i in words if i > hi_i]
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

    # Only whole quotes count: a reported clause with a quoted phrase inside ("said that she
    # has “clearly differentiated herself” on fuel") is still reported speech.
    whole = Cover((q.span.start, q.span.end) for q in direct if q.kind != "partial")

    def mostly_quoted(span: Span) -> bool:
        inside = whole.covered(span.start, span.end)
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
    (and of a leading complementiser: "said that X" -> "X", "called for X to go" -> "X to go")."""
    ordered = sorted(toks)
    while ordered and (
        parse.tokens[ordered[0]].pos in ("PUNCT", "CCONJ")
        or (
            complementiser
            and (
                parse.tokens[ordered[0]].lower in _COMPLEMENTISERS
                or (
                    parse.tokens[ordered[0]].dep == "mark"
                    and parse.tokens[ordered[0]].lower == "for"
                )
            )
        )
    ):
        ordered.pop(0)
    while ordered and parse.tokens[ordered[-1]].pos in ("PUNCT", "CCONJ"):
        ordered.pop()
    if not ordered:
        return 0, 0
    return parse.tokens[ordered[0]].start, parse.tokens[ordered[-1]].end
