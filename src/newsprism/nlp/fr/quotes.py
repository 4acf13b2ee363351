"""French quotes: « guillemets », “ ”, dialogue dashes and indirect speech, with speakers.

Rules over the plain `Parse` of `fr_core_news_sm` (labels mapped to ours by `_spacy`). The
small French parser often misreads inverted clauses ("a déclaré Emmanuel Macron" parses
Macron as an object), so cues are found on the token sequence first and the parse is used
for subjects and complements:

* Direct quotes: marks are paired by `marks.pair_marks` (French inner spaces, « … », are
  stripped from the span). The cue is, in order: an inverted cue right after the closing mark
  (« … », a déclaré X / a-t-il dit / a-t-elle ajouté / dit-il / selon X), a speech verb
  before the opening mark in its sentence ("X a déclaré : « … »", "X affirme que « … »"),
  a name before an introducing colon ("Macron : « … »"), or "selon X" / "d'après X" in the
  sentence. A quote with no cue continues the previous quote's speaker in the same or the
  previous paragraph (adjacency); a quote of fewer than `_SCARE_WORDS` words with no cue is a
  term, not a quote.
* Dialogue: a paragraph opening with a dash (— or –) is a quote when it carries an inverted
  cue ("— Nous partirons, dit-il.") or follows another dialogue line or a colon.
* Indirect speech: a speech verb with a "que" clause ("X a affirmé que …"), outside quote
  marks, and a sentence opening or closing with "selon X" / "d'après X" (X a name).
* Speakers: the mention the subject is (or contains), a description ("le porte-parole du
  Kremlin"), or a pronoun (il, elle, -t-il, -t-elle) resolved to the latest person named or
  quoted before it whose gender fits (M./Mme, given names; `actors.name_gender`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from newsprism.budget import Budget
from newsprism.intervals import Cover
from newsprism.models import (
    Mention,
    Paragraph,
    Quote,
    QuoteKind,
    Sentence,
    Span,
    Speaker,
    TimeExpression,
)
from newsprism.nlp.actors import name_gender
from newsprism.nlp.marks import pair_marks
from newsprism.nlp.parse import Parse, Token
from newsprism.nlp.quotes import _content_span, _from_mention, looks_like_caption

EXTRACTOR = "quotes.fr.rules.v1"

SPEECH_LEMMAS = frozenset(
    "dire déclarer affirmer ajouter estimer souligner expliquer indiquer annoncer assurer "
    "confier préciser rappeler répondre répliquer insister avertir prévenir promettre "
    "reconnaître admettre nier démentir confirmer réagir lancer marteler poursuivre conclure "
    "raconter noter observer juger considérer écrire tweeter commenter ironiser répéter "
    "plaider déplorer regretter dénoncer avouer martèle interroger demander accuser "
    "prévenir résumer relever constater souffler glisser insister réclamer exhorter "
    "certifier garantir jurer conseiller soupirer asséner assener détailler lâcher "
    "développer tonner s'exclamer s'étonner s'inquiéter".split()
)
_IRREGULAR = {
    "dire": "dit disent disait dira", "écrire": "écrit écrivent écrivait",
    "reconnaître": "reconnaît reconnait reconnu", "admettre": "admet admis",
    "promettre": "promet promis", "poursuivre": "poursuit poursuivi", "conclure": "conclut conclu",
    "répondre": "répond répondu", "prévenir": "prévient prévenu", "avertir": "avertit averti",
    "rappeler": "rappelle rappellent", "asséner": "assène", "assener": "assène",
}  # fmt: skip


def _forms() -> frozenset[str]:
    """Present, imperfect, simple past and participle forms of the speech verbs: the small
    parser often tags an inverted cue ("», rappelle ainsi X") as a noun or an adjective."""
    out: set[str] = set()
    for lemma in SPEECH_LEMMAS:
        verb = lemma.split("'")[-1]
        if verb.endswith("er"):
            stem = verb[:-2]
            out |= {stem + e for e in ("e", "ent", "é", "ée", "ait", "a", "aient")}
        elif verb.endswith("ir"):
            stem = verb[:-2]
            out |= {stem + e for e in ("it", "issent", "i")}
        out |= set(_IRREGULAR.get(verb, "").split())
    return frozenset(out)


_FORMS = _forms()
# verbs whose "que" clause is reported speech (opinion verbs like penser are not)
_INDIRECT = SPEECH_LEMMAS - {"demander", "interroger", "commenter", "réagir", "lancer"}
_PRONOUN_GENDER = {"il": "m", "elle": "f", "-il": "m", "-elle": "f", "-t-il": "m", "-t-elle": "f"}
_HONORIFICS = {"m.": "m", "mme": "f", "mlle": "f", "monsieur": "m", "madame": "f"}
_SELON = re.compile(r"\b(?:[Ss]elon|[Dd]['’]après)\s+", re.U)
_DASH = re.compile(r"\A\s*[—–]\s+")
_SCARE_WORDS = 3
_OF = frozenset({"de", "du", "des", "d'", "d’"})
_AFTER_TOKENS = 8  # tokens after a closing mark searched for an inverted cue
_NAME_AFTER = 90  # characters after an inverted cue searched for the speaker's name
_LOOKBACK = 2000  # characters a pronoun looks back for its person
_DESCRIPTION_TOKENS = 8


_Found = tuple[Span, QuoteKind, "Speaker | None", "Token | None"]
_Add = Callable[[Span, QuoteKind, "Speaker | None", "Token | None"], None]


# Who can speak when no mention names them: heads of descriptions of people and institutions
# ("le porte-parole", "la ministre", "l'agence"), or a noun with an agent suffix.
_AGENT_NOUNS = frozenset(
    "ministre président présidente porte-parole gouvernement ministère agence police "
    "parquet juge avocat avocate procureur procureure source responsable expert experte "
    "médecin docteur chef cheffe député députée sénateur sénatrice maire élu élue diplomate "
    "ambassadeur ambassadrice officiel membre entourage cabinet conseil commission "
    "syndicat parti association entreprise société groupe direction patron patronne "
    "témoin habitant habitante victime secrétaire général générale état-major armée "
    "kremlin élysée matignon communiqué rapport étude professeur professeure".split()
)
_AGENT_SUFFIXES = ("eur", "euse", "rice", "iste", "ien", "ienne", "logue", "aire", "ant", "ante")


def _agentive(tok: Token) -> bool:
    lemma = tok.lemma.lower()
    return tok.pos == "NOUN" and (lemma in _AGENT_NOUNS or lemma.endswith(_AGENT_SUFFIXES))


def _cue_lemma(tok: Token) -> bool:
    return tok.pos in ("VERB", "AUX") and tok.lemma.lower() in SPEECH_LEMMAS


def _cue_form(tok: Token) -> bool:
    """A speech verb by its parse, or by its form where the parse is unreliable (a cue right
    after a quote or inside it)."""
    return _cue_lemma(tok) or tok.lower in _FORMS


class _Ctx:
    def __init__(
        self,
        parse: Parse,
        mentions: Sequence[Mention],
        genders: dict[str, str],
        budget: Budget | None,
    ) -> None:
        self.parse = parse
        self.mentions = sorted(mentions, key=lambda m: m.span.start)
        self.starts = [m.span.start for m in self.mentions]
        self.genders = genders
        self.budget = budget
        self.kids = parse.children()
        self.quoted = Cover(())
        # people named or quoted, in text order: (offset, speaker, gender)
        self.salient: list[tuple[int, Speaker, str | None]] = []

    def spend(self, n: int = 1) -> None:
        if self.budget is not None:
            self.budget.spend(n)

    def mention_in(self, lo: int, hi: int) -> Mention | None:
        """The first mention starting in [lo, hi)."""
        i = bisect.bisect_left(self.starts, lo)
        return self.mentions[i] if i < len(self.mentions) and self.starts[i] < hi else None

    def mention_over(self, lo: int, hi: int) -> Mention | None:
        """A mention overlapping [lo, hi), the first one."""
        i = max(0, bisect.bisect_right(self.starts, lo) - 1)
        while i < len(self.mentions) and self.starts[i] < hi:
            m = self.mentions[i]
            if m.span.end > lo:
                return m
            i += 1
        return None

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """Token range [first, end) of the parser sentence holding a character offset."""
        at = self.parse.token_at(offset)
        if at is None:
            at = min(self.parse.first_token_from(offset), len(self.parse.tokens) - 1)
        n = self.parse.tokens[at].sent
        return self.parse.sents[n]


def _genders(parse: Parse, mentions: Sequence[Mention]) -> dict[str, str]:
    """Gender of the people of one article: M./Mme before a name, else a known given name."""
    out: dict[str, str] = {}
    for m in mentions:
        if m.kind != "person":
            continue
        before = parse.text[max(0, m.span.start - 10) : m.span.start].split()
        honorific = _HONORIFICS.get(before[-1].lower()) if before else None
        gender = honorific or name_gender(m.actor_name) or name_gender(m.text)
        if gender is not None:
            out.setdefault(m.actor_id, gender)
    return out


def _article_gender(phrase: str | None) -> str | None:
    """ "le porte-parole" -> m, "la ministre" -> f: the gender a description's article gives."""
    first = (phrase or "").split(maxsplit=1)[:1]
    return {"le": "m", "la": "f", "un": "m", "une": "f"}.get(first[0].lower()) if first else None


def _pronoun(ctx: _Ctx, word: str, before: int) -> Speaker | None:
    """The latest person before `before` a pronoun of this gender can be."""
    gender = _PRONOUN_GENDER.get(word.lower())
    if gender is None:
        return None
    k = bisect.bisect_left(ctx.salient, before, key=lambda item: item[0])
    while k > 0:
        k -= 1
        ctx.spend()
        offset, speaker, known = ctx.salient[k]
        if offset < before - _LOOKBACK:
            break
        if known is not None and known != gender:
            continue
        return replace(speaker, resolution="pronoun")
    return None


def _description(ctx: _Ctx, first: int, end: int) -> Speaker | None:
    """A speaker phrase from token `first`: a mention inside it, else its noun phrase."""
    toks = ctx.parse.tokens
    stop = first
    while stop < min(end, first + _DESCRIPTION_TOKENS):
        t = toks[stop]
        if t.pos in ("PUNCT", "VERB", "AUX", "SCONJ", "CCONJ") or ctx.parse.text[t.start] in "«»“”":
            break
        if (t.pos == "ADP" and t.lower not in _OF) or t.lower == "lors":
            break  # "le ministre lors d'une conférence": the phrase ends before the adjunct
        stop += 1
    if stop == first:
        return None
    lo, hi = toks[first].start, toks[stop - 1].end
    mention = ctx.mention_over(lo, hi)
    if mention is not None and mention.kind in ("person", "organisation", "country"):
        return _from_mention(mention, "explicit")
    if not any(
        t.pos == "PROPN"
        or _agentive(t)
        or (t.text[:1].isupper() and t.i > first)
        or (t.text[:1].isupper() and t.i == first and t.pos != "DET")
        for t in toks[first:stop]
    ):
        return None  # "le livre", "l'étude" is not someone speaking
    text = ctx.parse.text[lo:hi]
    name = re.sub(r"\A(?:(?:le|la|les|un|une)\s+|l['’])", "", text, flags=re.I)
    return Speaker(name=name, actor_id=None, span=Span(lo, hi), text=text, resolution="title")


def _subject(ctx: _Ctx, cue: Token, before: int) -> Speaker | None:
    """The speaker the subject of `cue` names (a pronoun resolved)."""
    for c in ctx.kids[cue.i]:
        tok = ctx.parse.tokens[c]
        if not tok.dep.startswith("nsubj") or tok.start in ctx.quoted:
            continue
        if tok.lower in _PRONOUN_GENDER:
            return _pronoun(ctx, tok.lower, before)
        if tok.pos == "PRON":
            return None
        sub = ctx.parse.subtree(c, ctx.kids)
        lo, hi = ctx.parse.tokens[sub[0]].start, ctx.parse.tokens[sub[-1]].end
        mention = ctx.mention_over(tok.start, tok.end) or ctx.mention_over(lo, hi)
        if mention is not None:
            return _from_mention(mention, "explicit")
        return _description(ctx, sub[0], sub[-1] + 1)
    return None


def _inverted(ctx: _Ctx, after: int, sent_end: int) -> tuple[Speaker | None, Token] | None:
    """An inverted cue right after a closing mark: ", a déclaré X", ", a-t-il dit", ", dit-il"."""
    toks = ctx.parse.tokens
    i = ctx.parse.first_token_from(after)
    seen = 0
    pronoun: str | None = None  # "a-t-il dit" is tokenised "a" "-t" "-il" "dit"
    while i < sent_end and seen < _AFTER_TOKENS:
        t = toks[i]
        if t.text == "," or t.pos == "AUX" or t.lower in ("-t", "t", "-t-"):
            i += 1
            seen += 1
            continue
        if t.lower in ("-il", "-elle", "-t-il", "-t-elle"):
            pronoun = t.lower
            i += 1
            seen += 1
            continue
        break
    if i >= sent_end:
        return None
    cue = toks[i]
    if cue.lower in ("selon",) or (
        cue.lower in ("d'", "d’") and i + 1 < sent_end and toks[i + 1].lower == "après"
    ):
        name = ctx.mention_in(cue.end, cue.end + _NAME_AFTER)
        if name is None:
            return None
        return _from_mention(name, "according_to"), cue
    if not _cue_form(cue):
        return None
    if pronoun is not None:
        return _pronoun(ctx, pronoun, cue.start), cue
    j = i + 1
    # "rappelle ainsi X", "résume quant à elle X", "a déclaré à cette occasion le ministre"
    while (
        j < sent_end
        and j - i <= 5
        and (
            toks[j].pos == "ADV"
            or toks[j].lower in ("quant", "à", "cette", "occasion", "lui", "elle")
        )
    ):
        if toks[j].lower in ("elle", "lui") and toks[j - 1].lower != "à":
            break
        j += 1
    while j < sent_end and toks[j].lower in ("-t", "t", "-t-"):
        j += 1
    if j < sent_end and toks[j].lower in _PRONOUN_GENDER:
        return _pronoun(ctx, toks[j].lower, cue.start), cue
    m = re.match(r"-t-(il|elle)\b|-(il|elle)\b", ctx.parse.text[cue.end : cue.end + 8])
    if m is not None:
        return _pronoun(ctx, m.group(1) or m.group(2), cue.start), cue
    if j < sent_end:
        return _description(ctx, j, sent_end), cue
    return None, cue


def _interrupting(ctx: _Ctx, span: Span) -> tuple[Speaker | None, Token] | None:
    """A cue inside the quote, after a comma or a dash: « …, affirme-t-elle. … », « …,
    explique Antony Fastier, toxicologue. … » (the speaker of the whole quote)."""
    toks = ctx.parse.tokens
    for i in range(ctx.parse.first_token_from(span.start), ctx.parse.first_token_from(span.end)):
        ctx.spend()
        t = toks[i]
        if i == 0 or not _cue_form(t):
            continue
        prev = toks[i - 1]
        if prev.text not in (",", "–", "—") and not (prev.pos == "AUX" and toks[i - 2].text == ","):
            continue
        tail = ctx.parse.text[t.end : t.end + 8]
        m = re.match(r"-t-(il|elle)\b|-(il|elle)\b", tail)
        if m is not None:
            return _pronoun(ctx, m.group(1) or m.group(2), t.start), t
        j = i + 1
        while j < len(toks) and toks[j].lower in ("-t", "t", "-t-"):
            j += 1
        if j < len(toks) and toks[j].lower in _PRONOUN_GENDER:
            return _pronoun(ctx, toks[j].lower, t.start), t
        name = ctx.mention_in(t.end, t.end + 3)
        if name is not None and name.kind in ("person", "organisation", "country"):
            return _from_mention(name, "explicit"), t
        if j < len(toks) and toks[j].pos == "PROPN" and toks[j].start - t.end <= 2:
            return _description(ctx, j, len(toks)), t  # a name the recogniser missed
    return None


def _before(ctx: _Ctx, open_at: int, first: int) -> tuple[Speaker | None, Token] | None:
    """A speech verb before the opening mark in its sentence: "X a déclaré : « … »"."""
    toks = ctx.parse.tokens
    i = ctx.parse.first_token_from(open_at) - 1
    while i >= first:
        ctx.spend()
        t = toks[i]
        if t.start in ctx.quoted:
            break  # an earlier quote of the same sentence
        if _cue_lemma(t) and t.pos == "VERB":
            return _subject(ctx, t, t.start), t
        i -= 1
    return None


def _colon_name(ctx: _Ctx, open_at: int, para_start: int) -> Speaker | None:
    """ "Emmanuel Macron : « … »": a name, alone in its clause, before an introducing colon."""
    head = ctx.parse.text[para_start:open_at].rstrip()
    if not head.endswith(":"):
        return None
    clause_start = max(head.rfind(c, 0, len(head) - 1) for c in ".!?»\n") + 1
    lo, hi = para_start + clause_start, para_start + len(head) - 1
    mention = ctx.mention_in(lo, hi)
    if mention is None or ctx.parse.text[mention.span.end : hi].strip():
        return None
    if ctx.parse.text[lo : mention.span.start].strip(" \u00a0,–—-") not in ("",):
        return None
    return _from_mention(mention, "explicit")


def _selon(ctx: _Ctx, lo: int, hi: int) -> tuple[Speaker, int, int] | None:
    """ "selon X" / "d'après X" in [lo, hi), X a name or a description of someone ("selon le
    porte-parole du Kremlin"): (speaker, phrase start, phrase end)."""
    for m in _SELON.finditer(ctx.parse.text, lo, hi):
        if m.start() in ctx.quoted:
            continue
        name = ctx.mention_in(m.end(), m.end() + 40)
        # the name right after "selon", or after a short title ("selon le ministre X")
        if (
            name is not None
            and name.kind in ("person", "organisation", "country")
            and ctx.parse.text[m.end() : name.span.start].strip(" ,").count(" ") <= 2
        ):
            return _from_mention(name, "according_to"), m.start(), name.span.end
        first = ctx.parse.first_token_from(m.end())
        end = ctx.parse.first_token_from(hi)
        if first < end:
            described = _description(ctx, first, end)
            if described is not None and described.span is not None:
                return replace(described, resolution="according_to"), m.start(), described.span.end
    return None


def _time(times: Sequence[TimeExpression], lo: int, hi: int) -> str | None:
    for t in times:
        if lo <= t.span.start < hi and t.type in ("DATE", "TIME"):
            return t.value
    return None


def extract_quotes_fr(
    parse: Parse,
    paragraphs: Sequence[Paragraph],
    mentions: Sequence[Mention],
    times: Sequence[TimeExpression],
    sentences: Sequence[Sentence],
    *,
    budget: Budget | None = None,
) -> tuple[Quote, ...]:
    """Direct, dialogue and indirect quotes of a French article (see the module docstring)."""
    text = parse.text
    sentence_starts = [s.span.start for s in sentences]
    if not parse.tokens:
        return ()
    ctx = _Ctx(parse, mentions, _genders(parse, mentions), budget)
    pairs, _skipped = pair_marks(text, paragraphs)
    ctx.quoted = Cover((p.open, p.close + p.close_len) for p in pairs)
    skip = {
        n
        for n, p in enumerate(paragraphs)
        if p.kind == "heading" or looks_like_caption(text[p.span.start : p.span.end])
    }
    for m in ctx.mentions:
        if m.kind == "person":
            ctx.salient.append(
                (m.span.start, _from_mention(m, "explicit"), ctx.genders.get(m.actor_id))
            )
    found: list[_Found] = []

    def add(span: Span, kind: QuoteKind, speaker: Speaker | None, cue: Token | None) -> None:
        found.append((span, kind, speaker, cue))
        if speaker is not None:
            # the speaker of a quote is the likeliest "il"/"elle" of the next one
            gender = ctx.genders.get(speaker.actor_id or "") or _article_gender(speaker.text)
            item = (span.start, speaker, gender)
            bisect.insort(ctx.salient, item, key=lambda x: x[0])

    last_speaker: tuple[int, Speaker] | None = None  # (paragraph, speaker) of the last quote
    for mark in pairs:
        ctx.spend()
        if mark.paragraph in skip:
            continue
        span = _content_span(text, mark)
        if span is None:
            continue
        words = len(text[span.start : span.end].split())
        first, sent_end = ctx.sentence_of(mark.open)
        _c_first, c_end = ctx.sentence_of(max(mark.open, mark.close - 1))
        para = paragraphs[mark.paragraph]
        para_first = parse.first_token_from(para.span.start)
        para_end = parse.first_token_from(para.span.end)
        first, c_end = max(first, para_first), min(max(c_end, sent_end), para_end)
        got = _interrupting(ctx, span) or _inverted(ctx, mark.close + mark.close_len, c_end)
        if got is None:
            got = _before(ctx, mark.open, first)
        speaker: Speaker | None = None
        cue: Token | None = None
        if got is not None:
            speaker, cue = got
        if speaker is None and cue is None:
            speaker = _colon_name(ctx, mark.open, para.span.start)
        if speaker is None and cue is None:
            lo = parse.tokens[first].start
            hi = min(parse.tokens[max(first, c_end - 1)].end, para.span.end)
            sel = _selon(ctx, lo, hi)
            if sel is not None:
                speaker = sel[0]
        resolution_speaker = speaker
        if (
            speaker is None
            and cue is None
            and last_speaker is not None
            and mark.paragraph - last_speaker[0] <= 1
            and words > _SCARE_WORDS
        ):
            resolution_speaker = replace(last_speaker[1], resolution="adjacency")
        if cue is None and resolution_speaker is None and words <= _SCARE_WORDS:
            continue  # a quoted term, a title, a name
        # the words of its sentence before the opening mark (the parser may join sentences)
        lead = text[max(para.span.start, parse.tokens[first].start) : mark.open]
        before_open = re.split(r"[.!?…][»”\"]?\s+", lead)[-1].strip()
        ends_sentence = text[span.start : span.end].rstrip()[-1:] in ".!?…"
        kind: QuoteKind = (
            "direct"
            if not before_open or before_open.endswith(":") or ends_sentence or words > 12
            else "partial"
        )
        add(span, kind, resolution_speaker, cue)
        if resolution_speaker is not None:
            last_speaker = (mark.paragraph, resolution_speaker)

    # dialogue lines: "— Nous partirons demain, dit-il."
    prev_dialogue = False
    for n, para in enumerate(paragraphs):
        ctx.spend()
        line = text[para.span.start : para.span.end]
        dash = _DASH.match(line)
        if dash is None or n in skip:
            prev_dialogue = False
            continue
        start = para.span.start + dash.end()
        inverted = None
        stop = para.span.end
        for comma in re.finditer(r",\s*(?=\S)", line[dash.end() :]):
            at = start + comma.end()
            got = _inverted(ctx, at - 1, parse.first_token_from(para.span.end))
            if got is not None and got[1].start - at <= 12:
                inverted, stop = got, start + comma.start()
                break
        intro = n > 0 and text[
            paragraphs[n - 1].span.start : paragraphs[n - 1].span.end
        ].rstrip().endswith(":")
        if inverted is None and not prev_dialogue and not intro:
            prev_dialogue = False
            continue
        prev_dialogue = True
        span = Span(start, stop)
        if any(s.overlaps(span) for s, *_ in found) or len(text[start:stop].split()) < 2:
            continue
        speaker = inverted[0] if inverted else None
        if speaker is None and last_speaker is not None and n - last_speaker[0] <= 1:
            speaker = replace(last_speaker[1], resolution="adjacency")
        add(span, "direct", speaker, inverted[1] if inverted else None)
        if speaker is not None:
            last_speaker = (n, speaker)

    _indirect(ctx, paragraphs, sentences, skip, found, add)
    quotes = []
    for span, kind, speaker, cue in sorted(found, key=lambda f: f[0].start):
        sent = max(0, bisect.bisect_right(sentence_starts, span.start) - 1)
        s_lo = sentence_starts[sent] if sentence_starts else 0
        s_hi = sentence_starts[sent + 1] if sent + 1 < len(sentence_starts) else len(text)
        quotes.append(
            Quote(
                span=span,
                text=text[span.start : span.end],
                kind=kind,
                speaker=speaker,
                cue=cue.text
                if cue is not None
                else ("selon" if speaker and speaker.resolution == "according_to" else None),
                cue_span=Span(cue.start, cue.end) if cue is not None else None,
                venue=None,
                time=_time(times, min(s_lo, span.start), max(s_hi, span.end)),
                sentence=sent,
                extractor=EXTRACTOR,
            )
        )
    return tuple(quotes)


def _indirect(
    ctx: _Ctx,
    paragraphs: Sequence[Paragraph],
    sentences: Sequence[Sentence],
    skip: set[int],
    found: list[_Found],
    add: _Add,
) -> None:
    """ "X a affirmé que …" and "Selon X, …": reported speech outside quote marks."""
    parse, toks = ctx.parse, ctx.parse.tokens
    para_starts = [p.span.start for p in paragraphs]
    taken = [s for s, *_ in found]

    def para_end(offset: int) -> int:
        i = max(0, bisect.bisect_right(para_starts, offset) - 1)
        return paragraphs[i].span.end if paragraphs else len(parse.text)

    def free(span: Span) -> bool:
        inside = sum(1 for k in range(span.start, span.end, 8) if k in ctx.quoted)
        return inside * 8 < len(span) / 2 and not any(s.overlaps(span) for s in taken)

    for tok in toks:
        ctx.spend()
        if tok.pos != "VERB" or tok.lemma.lower() not in _INDIRECT or tok.start in ctx.quoted:
            continue
        if max(0, bisect.bisect_right(para_starts, tok.start) - 1) in skip:
            continue
        for c in ctx.kids[tok.i]:
            comp = toks[c]
            if comp.dep != "ccomp" or comp.i < tok.i:
                continue
            marks = [
                k
                for k in ctx.kids[c]
                if toks[k].lower in ("que", "qu'", "qu’") and toks[k].dep == "mark"
            ]
            if not marks:
                continue
            sub = parse.subtree(c, ctx.kids)
            lo = toks[marks[0]].end
            hi = min(toks[sub[-1]].end, para_end(tok.start))
            while hi > lo and parse.text[hi - 1] in " .,;:":
                hi -= 1
            while lo < hi and parse.text[lo].isspace():
                lo += 1
            if hi - lo < 8:
                continue
            span = Span(lo, hi)
            if not free(span):
                continue
            speaker = _subject(ctx, tok, tok.start)
            if speaker is None:
                continue  # reported speech with no one reporting it
            add(span, "indirect", speaker, tok)
            taken.append(span)
            break
    # "Selon le Kremlin, …" / "…, selon X."
    for sentence in sentences:
        ctx.spend()
        lo, hi = sentence.span.start, sentence.span.end
        if sentence.paragraph in skip or sentence.is_heading:
            continue
        sel = _selon(ctx, lo, hi)
        if sel is None:
            continue
        speaker, p_lo, p_hi = sel
        if p_lo - lo <= 1:  # opening "Selon X, …"
            rest = parse.text[p_hi:hi]
            skip_chars = len(rest) - len(rest.lstrip(" ,\u00a0"))
            span_lo, span_hi = p_hi + skip_chars, hi
        elif parse.text[p_hi:hi].strip(" .") == "":  # closing "…, selon X."
            span_lo, span_hi = lo, p_lo
        else:
            continue
        while span_hi > span_lo and parse.text[span_hi - 1] in " .,;:\u00a0":
            span_hi -= 1
        if span_hi - span_lo < 8:
            continue
        span = Span(span_lo, span_hi)
        if free(span):
            add(span, "indirect", speaker, None)
            taken.append(span)
