"""Who said what: direct, partial, block and indirect quotes with speaker, cue, venue and time.

Rules over the plain `Parse` (no spaCy objects): quote marks are paired per paragraph (an
unbalanced mark skips that span only, never the article); the cue is the nearest speech verb
outside the quote in the quote's sentence; its subject is the speaker, resolved through the
article's mentions, or through the most recent salient person for a pronoun ("he stated" ->
Dmitry Peskov). A quote with no cue continues the previous speaker's quote in the same or the
previous paragraph (adjacency); a block quote takes its speaker from the dash line under it.
Short quoted words with no cue anywhere ("ordering" the conflict) are scare quotes, not quotes.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

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
from newsprism.nlp.parse import Parse, Token

EXTRACTOR = "quotes.rules.v1"

SPEECH_LEMMAS = frozenset(
    "say tell add state declare stress insist argue explain note warn claim confirm deny "
    "announce acknowledge admit assert reiterate report write reply respond answer ask "
    "suggest offer stipulate reason remark observe comment tweet post predict promise "
    "pledge vow threaten urge call concede emphasise emphasize maintain recall agree "
    "complain accuse describe estimate testify hint signal caution".split()
)
_PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "group"}
_OPENERS = {"“": "”", '"': '"', "«": "»", "„": "“"}
_CLOSERS = {"”", '"', "»", "“"}
_VENUE_NOUNS = frozenset(
    "interview comments remarks statement briefing conference speech post address op-ed "
    "article letter podcast broadcast show programme program meeting summit session "
    "newspaper reporters journalists".split()
)


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


def find_quote_marks(text: str, paragraphs: Sequence[Paragraph]) -> tuple[list[_Marked], int]:
    """Pair quote marks inside each paragraph. Returns (pairs, number of unbalanced marks skipped)."""
    pairs: list[_Marked] = []
    skipped = 0
    for p_index, para in enumerate(paragraphs):
        open_at: int | None = None
        for pos in range(para.span.start, para.span.end):
            ch = text[pos]
            if open_at is None:
                if ch in _OPENERS and (
                    ch != "“" or pos == para.span.start or not text[pos - 1].isalnum()
                ):
                    # a straight quote right after a letter is a closing or an inch mark: not an opener
                    if ch == '"' and pos > para.span.start and text[pos - 1].isalnum():
                        skipped += 1
                        continue
                    open_at = pos
            elif ch in _CLOSERS and pos > open_at + 1:
                pairs.append(_Marked(open_at, pos, p_index))
                open_at = None
        if open_at is not None:
            if open_at == para.span.start:
                # multi-paragraph convention: the quote runs to the end of the paragraph
                pairs.append(_Marked(open_at, para.span.end, p_index))
            else:
                skipped += 1
    return pairs, skipped


def _content_span(text: str, mark: _Marked) -> Span | None:
    start, end = mark.open + 1, mark.close
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
    scanned: int = 0  # tokens before this index have been considered for `salient`

    def inside_quote(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self.quote_ranges)

    def mention_at(self, start: int, end: int) -> Mention | None:
        i = bisect.bisect_right(self.mention_starts, end) - 1
        while i >= 0:
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
    """Character extent of token i's subtree, optionally without some dependents."""
    toks = [i]
    stack = [c for c in kids[i] if parse.tokens[c].dep not in skip_deps]
    while stack:
        j = stack.pop()
        toks.append(j)
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
        for offset, speaker, kind in reversed(ctx.salient):
            if offset < before and (kind == "person") == (want == "person"):
                return replace(speaker, resolution="pronoun")
        return None
    if subj.pos == "PRON":
        return None
    mention = ctx.mention_at(subj.start, subj.end)
    if mention is None:
        # "Judge Novak's ruling said": the possessor speaks through the thing
        for c in ctx.kids[subj.i]:
            if parse.tokens[c].dep == "poss":
                owner = ctx.mention_at(parse.tokens[c].start, parse.tokens[c].end)
                if owner is not None and owner.kind == "person":
                    mention = owner
    if mention is not None:
        return _from_mention(mention, "explicit")
    start, end = _phrase(
        parse, ctx.kids, subj.i, skip_deps=("relcl", "acl", "appos", "prep", "punct", "cc", "conj")
    )
    text = parse.text[start:end]
    name = text[4:] if text.lower().startswith("the ") else text
    return Speaker(name=name, actor_id=None, span=Span(start, end), text=text, resolution="title")


def _subject_of(ctx: _Context, cue: Token) -> Token | None:
    parse = ctx.parse
    for c in ctx.kids[cue.i]:
        if parse.tokens[c].dep in ("nsubj", "nsubjpass"):
            return parse.tokens[c]
    # "X said and added": a conjoined cue shares its head's subject
    if cue.dep == "conj" and cue.head != cue.i:
        return _subject_of(ctx, parse.tokens[cue.head])
    return None


def _venue(ctx: _Context, cue: Token) -> str | None:
    parse = ctx.parse
    for c in ctx.kids[cue.i]:
        tok = parse.tokens[c]
        if ctx.inside_quote(tok.start):
            continue
        if tok.dep in ("dobj", "dative") and cue.lemma == "tell":
            start, end = _phrase(parse, ctx.kids, c, skip_deps=("prep", "relcl", "acl"))
            return parse.text[start:end]
        if tok.dep == "prep" and tok.lower in ("in", "to", "during", "at", "on"):
            for g in ctx.kids[c]:
                obj = parse.tokens[g]
                if obj.dep == "pobj" and (
                    obj.lemma.lower() in _VENUE_NOUNS or obj.ent in ("ORG", "WORK_OF_ART")
                ):
                    start, end = _phrase(parse, ctx.kids, c, skip_deps=("relcl", "acl"))
                    return parse.text[start:end]
    return None


def _cues_in(ctx: _Context, lo: int, hi: int) -> list[Token]:
    """Speech verbs with a subject between char offsets lo..hi, outside quotes."""
    out = []
    for tok in ctx.parse.tokens_between(lo, hi):
        if tok.end > hi:
            continue
        if (
            tok.lemma.lower() in SPEECH_LEMMAS
            and tok.pos in ("VERB", "AUX")
            and not ctx.inside_quote(tok.start)
        ):
            if tok.dep in ("amod", "acl", "relcl") and tok.tag == "VBN":
                continue  # "comments published on Tuesday": a participle, not a cue
            out.append(tok)
    return out


def _according_to(ctx: _Context, lo: int, hi: int) -> tuple[Token, Token] | None:
    parse = ctx.parse
    for tok in parse.tokens_between(lo, hi):
        if tok.lower == "according" and not ctx.inside_quote(tok.start):
            for c in ctx.kids[tok.i]:
                if parse.tokens[c].lower == "to":
                    for g in ctx.kids[c]:
                        if parse.tokens[g].dep == "pobj":
                            return tok, parse.tokens[g]
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
    for t in times:
        if lo <= t.span.start < hi and not ctx.inside_quote(t.span.start) and t.type == "DATE":
            return t.value
    return None


def _note_salient(ctx: _Context, parse: Parse, upto: int) -> None:
    """Add person/org subjects of sentences that start before `upto` to the salience list.

    Calls resume where the last one stopped, so the whole article is scanned once.
    """
    new = parse.tokens[ctx.scanned : max(ctx.scanned, parse.first_token_from(upto))]
    ctx.scanned += len(new)
    for tok in new:
        if tok.dep not in ("nsubj", "nsubjpass") or ctx.inside_quote(tok.start):
            continue
        mention = ctx.mention_at(tok.start, tok.end)
        if mention is None:
            continue
        kind = "person" if mention.kind == "person" else "group"
        speaker = _from_mention(mention, "explicit")
        ctx.salient.append((tok.start, speaker, kind))
    ctx.salient.sort(key=lambda item: item[0])


def extract_quotes(
    parse: Parse,
    paragraphs: Sequence[Paragraph],
    mentions: Sequence[Mention],
    times: Sequence[TimeExpression],
    sentence_starts: Sequence[int],
) -> tuple[tuple[Quote, ...], int]:
    """All quotes in an article, in text order, and the count of unbalanced marks skipped."""
    text = parse.text
    marks, skipped = find_quote_marks(text, paragraphs)
    ctx = _Context(
        parse=parse,
        kids=parse.children(),
        mentions=mentions,
        mention_starts=[m.span.start for m in mentions],
        quote_ranges=[(m.open, m.close + 1) for m in marks],
        salient=[],
    )

    def sentence_of(offset: int) -> int:
        return max(0, bisect.bisect_right(sentence_starts, offset) - 1)

    quotes: list[Quote] = []
    last_speaker: tuple[int, Speaker] | None = None  # (paragraph, speaker)
    for mark in marks:
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
            lo, _ = _sentence_bounds(parse, mark.open)
            _, hi = _sentence_bounds(parse, max(mark.open, mark.close - 1))
            # the attribution may follow the closing mark in a short next sentence
            if hi <= mark.close + 1 and mark.close + 2 < para.span.end:
                _, hi2 = _sentence_bounds(parse, mark.close + 2)
                if hi2 - hi < 80:
                    hi = hi2
            lo, hi = max(lo, para.span.start), min(hi, para.span.end)
            cues = _cues_in(ctx, lo, hi)
            # nearest cue to the quote, with a subject
            cues.sort(key=lambda t: min(abs(t.start - mark.close), abs(t.end - mark.open)))
            for cue in cues:
                subj = _subject_of(ctx, cue)
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
            embedded = (
                mark.open > lo
                and text[mark.open - 1] not in ":"
                and not text[mark.open + 1].isupper()
            )
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
                kind_of = "person"
                m = ctx.mention_at(speaker.span.start, speaker.span.end)
                if m is not None and m.kind != "person":
                    kind_of = "group"
                ctx.salient.append((mark.close, speaker, kind_of))
                ctx.salient.sort(key=lambda item: item[0])
    quotes.extend(_indirect(ctx, quotes, times, sentence_of))
    quotes.sort(key=lambda q: q.span.start)
    return tuple(quotes), skipped


def _indirect(
    ctx: _Context,
    direct: list[Quote],
    times: Sequence[TimeExpression],
    sentence_of: Callable[[int], int],
) -> list[Quote]:
    """Reported speech: a speech verb whose clausal complement carries no quote marks."""
    parse = ctx.parse
    found: list[Quote] = []
    for tok in parse.tokens:
        if (
            tok.lemma.lower() not in SPEECH_LEMMAS
            or tok.pos not in ("VERB", "AUX")
            or ctx.inside_quote(tok.start)
        ):
            continue
        comp = [c for c in ctx.kids[tok.i] if parse.tokens[c].dep == "ccomp"]
        if not comp:
            continue
        start, end = _phrase(parse, ctx.kids, comp[0])
        # skip the complementiser: "said that X" -> X
        first = parse.token_at(start)
        if first is not None and parse.tokens[first].lower in ("that", "whether", "if"):
            nxt = first + 1
            if nxt < len(parse.tokens):
                start = parse.tokens[nxt].start
        if end <= start or end - start < 15 or start < tok.end:
            continue
        span = Span(start, end)
        if any(a < end and start < b for a, b in ctx.quote_ranges) or any(
            q.span.overlaps(span) for q in direct
        ):
            continue
        subj = _subject_of(ctx, tok)
        if subj is None:
            continue
        _note_salient(ctx, parse, tok.start)
        speaker = _speaker_from_subject(ctx, subj, tok.start)
        lo, hi = _sentence_bounds(parse, tok.start)
        found.append(
            Quote(
                span=span,
                text=parse.text[start:end],
                kind="indirect",
                speaker=speaker,
                cue=tok.text,
                cue_span=Span(tok.start, tok.end),
                venue=_venue(ctx, tok),
                time=_time_for(times, lo, hi, ctx),
                sentence=sentence_of(start),
                extractor=EXTRACTOR,
            )
        )
    return found
