"""The cited brief of a story: data first (`build_brief`), rendering after (`render.py`).

Extractive: every brief sentence is a whole source sentence (or a quote with its speaker's name
beside it), and carries `Citation`s to the exact spans it rests on. A sentence the parser split
off its start (it opens inside a quotation, with a connective, or in lower case) is joined to
the sentence before it in the same paragraph, or left out. `check_support` verifies that every
content word and number of a brief sentence is a word of its cited spans (the article's text at
those spans); a sentence that fails is dropped, never shown uncited.

One alignment (`compare.claims`, built on `align`): a sentence is in at most one claim, the
brief's corroboration ("What happened" with several sources, "Where sources agree") comes from
those claims, and "Reported by only one source" takes only sentences in no multi-source claim.
Outside the Summary, no source sentence is cited in two places of the brief (`_Exclusive`): each
section takes the sentences no earlier section has cited. The two label sections ("Where they
differ", "How each source frames it") are exempt: their lines are the brief's own labels
citing the values they compare or count, not restatements of a claim.

Neutral: the sources' sentences stay verbatim, but
- commentary is not reported as fact: a sentence that is opinion/analysis by a stance rule or
  an analysis section (`framing.source_framing`) ranks after every reporting sentence for the
  Summary and What happened (`COMMENTARY_PENALTY`), and "Reported by only one source" takes
  reporting sentences only;
- a claim carried by one source says so: "According to <outlet>, …" in the Summary, What
  happened and "Reported by only one source";
- the sources' loaded words are flagged, not adopted: each brief sentence lists the writer's
  loaded or evaluative words framing finds in it (`BriefSentence.flagged`; obligation words
  aside, which are mostly reported demands), and the renderers mark them;
- omissions are shown: with three or more sources, a claim most of them carry is listed under
  each source that leaves it out ("Not reported by every source", `Brief.omissions`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsprism import align
from newsprism.compare import compare
from newsprism.framing import SentenceFraming, SourceFraming, quoted_ranges, source_framing
from newsprism.models import (
    ArticleAnalysis,
    Brief,
    BriefSection,
    BriefSentence,
    Citation,
    Claim,
    Difference,
    FlaggedWord,
    Mention,
    Omission,
    QuoteGroup,
    Sentence,
    SourceInfo,
    Span,
    Story,
)
from newsprism.quote_groups import group_quotes

GENERATOR = "brief.extractive.v3"
SINGLE_PER_SOURCE = 3  # "Reported by only one source": at most this many facts per source
OMISSIONS_LIMIT = 6  # "Not reported by every source": at most this many lines

_WORD = re.compile(r"[^\W_][\w'’-]*", re.UNICODE)
_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}(?:-\d{2})?$"
)  # a normalised DATE value: 2026-02 or 2026-02-10
_ISO_IN_TEXT = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")
_SOURCE_LINE = re.compile(r"^(?:sources?|reporting by|editing by|additional reporting)\b", re.I)
# A sentence the parser split off its start: it opens with a connective that needs the clause
# before it, or in lower case. (Pronoun openers are whole sentences: they only rank lower.)
_CONNECTIVE = re.compile(
    r"^[\"“‘'(]?(?:and|but|or|nor|so|yet|because|which|whereas|however|meanwhile|instead|"
    r"also|still|then|though|although)\b",
    re.I,
)
STATEMENT_WORDS = 4  # a citation of fewer words is a name, venue or loaded word, not a statement

# Sentence selection for Summary / What happened, tuned on NeuS train (bench/brief.py).
POSITION_WEIGHT = 0.3  # per sentence index: a news lead carries the story
TITLE_WEIGHT = 1.0  # times the share of the sentence's terms found in the articles' headlines
DANGLING_PENALTY = 1.0  # opens on a pronoun, a connective or mid-quotation: needs the one before
NO_ACTOR_PENALTY = 1.0  # names no actor: commentary ("it's quiet agreements that matter")
COMMENTARY_PENALTY = 4.0  # the writer's commentary by a framing rule: reporting comes first
REDUNDANT_SHARE = 0.9  # above this share of its terms in a chosen sentence, it is a repeat
_DANGLING = re.compile(
    r"^[\"“‘']?(?:(?:he|she|they|it|its|this|that|these|those|but|and|so|yet|still|however|"
    r"also|meanwhile|instead|then)\b|(?:first|second|third|finally),)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Unit:
    analysis: ArticleAnalysis
    index: int
    sentence: Sentence  # the whole sentence: joined to the one before when split off its start
    terms: frozenset[str]
    actors: frozenset[str]
    frame: SentenceFraming
    keys: frozenset[int]  # the article's sentences it covers
    whole: bool = True  # False: a fragment that could not be joined

    @property
    def article_id(self) -> str:
        return self.analysis.article.id

    def citation(self) -> Citation:
        return Citation(
            article_id=self.article_id, span=self.sentence.span, text=self.sentence.text
        )


def _terms(text: str) -> frozenset[str]:
    return align.content_stems(text)


def is_fragment(text: str) -> bool:
    """The sentence was split off its start: it opens inside a quotation, with a connective
    ("But …", "However, …") or with a lower-case word."""
    first = next((ch for ch in text if ch.isalnum()), "")
    return _opens_inside_quote(text) or bool(_CONNECTIVE.match(text)) or first.islower()


def whole_sentence(analysis: ArticleAnalysis, index: int) -> tuple[Sentence, frozenset[int]] | None:
    """The sentence at `index` as a whole sentence, with the indices it covers: itself; or,
    when it is split off its start ("But …", lower case), joined to the sentence before it in
    the same paragraph; or, when a quotation of its paragraph runs across sentences (`He said:
    “We will not back down.` `Our members deserve better.` `We will fight on,” …`), joined
    from the sentence that opens the quotation to the one that closes it (at most
    `_QUOTE_JOIN` sentences in all). None when it cannot be made whole."""
    sentences = analysis.sentences
    s = sentences[index]
    first = last = index
    if is_fragment(s.text) and not _opens_inside_quote(s.text):
        if index == 0:
            return None
        prev = sentences[index - 1]
        if prev.paragraph != s.paragraph or prev.is_heading or is_fragment(prev.text):
            return None
        first = index - 1
    if 0 <= s.paragraph < len(analysis.article.paragraphs):
        para = analysis.article.paragraphs[s.paragraph].span
        text = analysis.article.text
        body = text[para.start : para.end].rstrip()
        for q in _quotations(body):
            q_start, q_end = q.start + para.start, q.end + para.start
            if q_start < sentences[last].span.end and sentences[first].span.start < q_end:
                if q.end == len(body) and body[-1:] not in _CLOSERS:
                    return None  # the quotation runs on past its paragraph
                while first > 0 and sentences[first].span.start > q_start:
                    first -= 1
                while last + 1 < len(sentences) and sentences[last].span.end < q_end:
                    last += 1
    if first == index and _opens_inside_quote(s.text):
        return None  # it starts inside a quotation whose opening was not found
    if last - first + 1 > _QUOTE_JOIN or any(
        sentences[k].paragraph != s.paragraph or sentences[k].is_heading
        for k in range(first, last + 1)
    ):
        return None
    if first == last:
        return s, frozenset({index})
    span = Span(sentences[first].span.start, sentences[last].span.end)
    return (
        Sentence(
            span=span, text=analysis.article.text[span.start : span.end], paragraph=s.paragraph
        ),
        frozenset(range(first, last + 1)),
    )


_QUOTE_JOIN = 4  # sentences one brief sentence may join to hold a quotation whole


@lru_cache(maxsize=4096)
def _quotations(paragraph: str) -> tuple[Span, ...]:
    """The quotations of a paragraph (`framing.quoted_ranges`), cached by its text: every
    sentence of the paragraph asks."""
    return quoted_ranges(paragraph)


_CLOSERS = "\"”»’'"


def _units(analysis: ArticleAnalysis, frames: Sequence[SentenceFraming]) -> list[_Unit]:
    out = []
    for i, raw in enumerate(analysis.sentences):
        whole = whole_sentence(analysis, i)
        s, keys = whole if whole is not None else (raw, frozenset({i}))
        actors = frozenset(m.actor_id for m in analysis.mentions if s.span.contains(m.span))
        out.append(
            _Unit(analysis, i, s, _terms(s.text), actors, frames[i], keys, whole is not None)
        )
    return out


def _commentary(frame: SentenceFraming) -> bool:
    """The writer's own evaluation by a stance rule or an analysis section, not a lexicon score
    (a loaded word alone is flagged, not a reason to pass the sentence over)."""
    return frame.role == "opinion" and frame.rule is not None


def _opens_inside_quote(text: str) -> bool:
    """The sentence starts in the middle of a quotation (`It’s not working,” Macron said …`):
    like a dangling opener, it needs the sentence before it."""
    ranges = quoted_ranges(text)
    return bool(ranges) and ranges[0].start == 0 and text[:1] not in "\"“”‘’'«»„"


def _quote_share(analysis: ArticleAnalysis, sentence: Sentence) -> float:
    inside = sum(
        len(Span(max(q.span.start, sentence.span.start), min(q.span.end, sentence.span.end)))
        for q in analysis.quotes
        if q.kind != "indirect" and q.span.overlaps(sentence.span)
    )
    return inside / max(1, len(sentence.span))


def _reportable(u: _Unit) -> bool:
    s = u.sentence
    words = len(s.text.split())
    return (
        u.whole
        and not s.is_heading
        and not _SOURCE_LINE.match(s.text)
        and 6 <= words <= 60
        and not s.text.rstrip().endswith("?")
        and _quote_share(u.analysis, s) < 0.5
        and u.analysis.article.paragraphs[s.paragraph].kind == "body"
    )


def check_support(
    sentence: BriefSentence,
    *,
    metadata: frozenset[str] = frozenset(),
    texts: Mapping[str, str] | None = None,
) -> bool:
    """Every content word and number of the sentence is a word of its cited spans.

    Words are matched whole (`align.words`), never as parts of longer words. With `texts`
    (article id -> article text), each citation's text must also be the article's text at
    its span: the span itself must say it. `metadata` words (source labels), ISO dates
    (normalised from a cited time expression) and the labels of differences (`FRAMING_WORDS`)
    are the brief's own framing, not claims, and are exempt.
    """
    if not sentence.citations:
        return False
    if texts is not None:
        for c in sentence.citations:
            text = texts.get(c.article_id)
            if text is None or text[c.span.start : c.span.end] != c.text:
                return False
    cited = {w for c in sentence.citations for w in align.words(c.text)}
    exempt = FRAMING_WORDS | {w for m in metadata for w in (m, *align.words(m))}
    for w in align.words(_ISO_IN_TEXT.sub(" ", sentence.text)):
        if not align.is_content(w) or w in exempt or w in cited:
            continue
        if w[:1].isdigit() and all(p in exempt for p in re.split(r"[.,]", w)):
            continue  # a figure the brief computed ("+0.06"), exempt digit group by group
        return False
    return True


def cited_sentences(
    sentence: BriefSentence, analyses: Mapping[str, ArticleAnalysis]
) -> frozenset[tuple[str, int]]:
    """The source sentences (article id, index) a brief sentence cites as statements: those
    its citations of `STATEMENT_WORDS` words or more overlap (a name, venue or loaded word cited
    as evidence for a label is not a statement)."""
    out = set()
    for c in sentence.citations:
        if len(c.text.split()) < STATEMENT_WORDS or c.article_id not in analyses:
            continue
        for i, s in enumerate(analyses[c.article_id].sentences):
            if s.span.overlaps(c.span):
                out.add((c.article_id, i))
    return frozenset(out)


class _Exclusive:
    """The brief's sections in order: each keeps its supported sentences that cite no source
    sentence an earlier section (Summary aside) has cited, up to its limit."""

    def __init__(self, analyses: Sequence[ArticleAnalysis], metadata: frozenset[str]) -> None:
        self.by_id = {a.article.id: a for a in analyses}
        self.texts = {a.article.id: a.article.text for a in analyses}
        self.metadata = metadata
        self.seen: set[tuple[str, int]] = set()

    def section(
        self,
        title: str,
        sentences: Sequence[BriefSentence],
        *,
        limit: int | None = None,
        exclusive: bool = True,
        metadata: frozenset[str] = frozenset(),
        per_source: int | None = None,
    ) -> BriefSection:
        kept: list[BriefSentence] = []
        count: Counter[str] = Counter()
        for s in sentences:
            if limit is not None and len(kept) >= limit:
                break
            source = s.citations[0].article_id if s.citations else ""
            if per_source is not None and count[source] >= per_source:
                continue
            if not check_support(s, metadata=self.metadata | metadata, texts=self.texts):
                continue
            if exclusive:
                keys = cited_sentences(s, self.by_id)
                if keys & self.seen:
                    continue
                self.seen |= keys
            count[source] += 1
            kept.append(s)
        return BriefSection(title=title, sentences=tuple(kept))


def build_brief(
    story: Story, analyses: Sequence[ArticleAnalysis], *, max_articles: int = 12
) -> Brief:
    """A cited, extractive brief of a story from its analysed articles (in story order).

    A syndicated copy of another article in the story is listed among the sources but does
    not count as corroboration: only independent articles are aligned and cited.
    """
    everything = list(analyses)
    members = {a.article.id for a in everything}
    independent = [a for a in everything if a.article.duplicate_of not in members]
    copies = [a for a in everything if a.article.duplicate_of in members]
    analyses = independent[:max_articles]
    framings = {a.article.id: source_framing(a) for a in analyses}
    frames = {i: f.sentences for i, f in framings.items()}
    common = _common_words(analyses)
    units = {a.article.id: _units(a, frames[a.article.id]) for a in analyses}
    all_units = [u for us in units.values() for u in us]
    idf = align.idf(u.terms for u in all_units)

    # The one alignment: compare's claims. A unit's matches are the other sources' sentences
    # in the claims of the sentences it covers.
    groups = group_quotes(analyses)
    comparison = compare(analyses, groups)
    index_at = {
        (a.article.id, s.span.start): i for a in analyses for i, s in enumerate(a.sentences)
    }
    claim_at: dict[tuple[str, int], Claim] = {}
    for claim in comparison.claims:
        for c in claim.citations:
            claim_at[(c.article_id, index_at[(c.article_id, c.span.start)])] = claim
    multi = {key for key, claim in claim_at.items() if len(claim.article_ids) > 1}

    def _matches(u: _Unit) -> list[_Unit]:
        out: dict[tuple[str, int], _Unit] = {}
        for k in sorted(u.keys):
            claim = claim_at.get((u.article_id, k))
            for c in claim.citations if claim else ():
                if c.article_id != u.article_id:
                    j = index_at[(c.article_id, c.span.start)]
                    out.setdefault((c.article_id, j), units[c.article_id][j])
        return list(out.values())

    matches = {(u.article_id, u.index): _matches(u) for u in all_units}

    # Centrality: similarity to the whole story's vocabulary, plus corroboration, position
    # (leads first), the headlines' words; a dangling opener or a sentence naming no actor
    # loses ground.
    story_terms: Counter[str] = Counter(t for u in all_units for t in u.terms)
    title_terms = frozenset(t for a in analyses for t in _terms(a.article.title or ""))

    def centrality(u: _Unit) -> float:
        if not u.terms:
            return 0.0
        score = sum(idf.get(t, 1.0) * math.log1p(story_terms[t] - 1) for t in u.terms) / math.sqrt(
            len(u.terms)
        )
        in_titles = len(u.terms & title_terms) / len(u.terms)
        return (
            score
            + 0.5 * len(matches.get((u.article_id, u.index), ()))
            - POSITION_WEIGHT * u.index
            + TITLE_WEIGHT * in_titles
            - (DANGLING_PENALTY if _dangling(u.sentence.text) else 0.0)
            - (NO_ACTOR_PENALTY if not u.actors else 0.0)
            - (COMMENTARY_PENALTY if _commentary(u.frame) else 0.0)
        )

    reportable = sorted(
        (u for u in all_units if _reportable(u)),
        key=lambda u: (-centrality(u), u.article_id, u.index),
    )

    def cited(u: _Unit, *, with_matches: bool = False, attributed: bool = False) -> BriefSentence:
        cites = [u.citation()]
        if with_matches:
            cites += [m.citation() for m in matches.get((u.article_id, u.index), ())]
        text, at = u.sentence.text, 0
        if attributed:
            text, at = according_to(u.analysis.article.label, text, common=common)
        return BriefSentence(
            text=text, citations=tuple(cites), flagged=_flagged(frames, cites[0], at)
        )

    used: set[tuple[str, int]] = set()
    chosen: list[_Unit] = []

    def take(u: _Unit) -> None:
        chosen.append(u)
        for v in (u, *matches.get((u.article_id, u.index), ())):
            used.update((v.article_id, k) for k in v.keys)

    def fresh(u: _Unit) -> bool:
        """Not taken, and not a near-repeat of a chosen sentence (a lead repeated in the body)."""
        return not any((u.article_id, k) in used for k in u.keys) and not any(
            len(u.terms & c.terms) > REDUNDANT_SHARE * min(len(u.terms), len(c.terms))
            for c in chosen
        )

    def corroborated(u: _Unit) -> bool:
        return any((u.article_id, k) in multi for k in u.keys)

    summary: list[BriefSentence] = []
    for u in reportable:
        if len(summary) >= 2:
            break
        if not fresh(u):
            continue
        # a claim no other source carries says whose it is, in the summary too
        alone = len(analyses) > 1 and not corroborated(u)
        summary.append(cited(u, with_matches=True, attributed=alone))
        take(u)

    happened: list[BriefSentence] = []
    for u in (u for u in reportable if corroborated(u)):
        if len(happened) >= 4:
            break
        if fresh(u):
            happened.append(cited(u, with_matches=True))
            take(u)
    for u in reportable:
        if len(happened) >= 4:
            break
        if fresh(u) and not corroborated(u):
            happened.append(cited(u, attributed=len(analyses) > 1))  # one source's claim
            take(u)

    single: list[BriefSentence] = []
    if len(analyses) > 1:
        for a in analyses:
            own = [
                u
                for u in reportable
                if u.article_id == a.article.id
                and not corroborated(u)
                and u.frame.role == "reporting"  # facts, not commentary or loaded wording
            ]
            # a fact listed on its own must read on its own: sentences that open on a pronoun
            # ("He said …") come last
            own.sort(key=lambda u: _dangling(u.sentence.text))
            single += [cited(u, attributed=True) for u in own]

    def lead_unit(claim: Claim) -> _Unit | None:
        """The claim's first member that reads as a whole sentence."""
        for c in claim.citations:
            u = units[c.article_id][index_at[(c.article_id, c.span.start)]]
            if u.whole:
                return u
        return None

    metadata = frozenset(w.lower() for a in analyses for w in _WORD.findall(a.article.label))
    book = _Exclusive(analyses, metadata)
    sections = [
        book.section("Summary", summary, exclusive=False),
        book.section("What happened", happened),
        book.section("Key quotes", _key_quotes(analyses), limit=6),
        book.section("Timeline", _timeline(analyses, frames, units), limit=12),
    ]
    agree = _agreements(comparison.claims, analyses, frames, lead_unit)
    if agree:
        sections.append(book.section("Where sources agree", agree, limit=5))
    carried = _carried_quotes(groups, analyses)
    if carried:
        sections.append(book.section("Same statement, several outlets", carried, limit=6))
    if single:
        sections.append(
            book.section("Reported by only one source", single, per_source=SINGLE_PER_SOURCE)
        )
    differ = _differences(comparison.differences, analyses)
    if differ:
        # a label section: each line names a field and cites the values it compares
        sections.append(book.section("Where they differ", differ, limit=8, exclusive=False))
    omissions = tuple(
        Omission(article_id=a.article.id, claim=claim)
        for a in analyses
        for claim in comparison.omissions.get(a.article.id, ())
    )
    left_out = _omissions(omissions, analyses, frames, lead_unit)
    if left_out:
        sections.append(
            book.section("Not reported by every source", left_out, limit=OMISSIONS_LIMIT)
        )
    framing, numbers = _framings(analyses, framings)
    if framing:
        # the framing line's citations are evidence for its counts and words, not statements
        sections.append(
            book.section("How each source frames it", framing, exclusive=False, metadata=numbers)
        )
    sections = [x for x in sections if x.sentences or x.title in _ALWAYS_SHOWN]
    sources = tuple(
        SourceInfo(
            article_id=a.article.id,
            label=a.article.label,
            title=a.article.title,
            url=a.article.url,
            published=a.article.published,
            copy_of=a.article.duplicate_of if a in copies else None,
        )
        for a in [*analyses, *copies]
    )
    title = analyses[0].article.title if analyses and analyses[0].article.title else story.label
    return Brief(
        story_id=story.id,
        title=title or story.label,
        sections=tuple(sections),
        sources=sources,
        generator=GENERATOR,
        quote_groups=groups,
        claims=comparison.claims,
        differences=comparison.differences,
        omissions=omissions,
    )


_ALWAYS_SHOWN = frozenset({"Summary", "What happened", "Key quotes", "Timeline"})

# The brief's own labels for a difference ("Venue, compatible: …"), an attribution ("According
# to <outlet>, …") or an omission ("Not in <outlet>: … (reported by …)"): framing, not a claim.
FRAMING_WORDS = frozenset(
    "date number venue attribution wording compatible conflicting "
    "sentences opinion analysis loaded words voices quoted according reports reported "
    "tone toward positive negative neutral".split()
)

# Capitalised only because they open the sentence: lower-cased after "According to X, ".
# Function words always; other words only when the story also writes them in lower case and
# never inside a name (`_common_words`), so "New York" or "Will Smith" keep their capitals.
_FUNCTION_OPENERS = frozenset(
    """a an the on in at by for from of to as after before since while when during under over
    with without about amid despite following it its it's this that these those there their his
    her he she they we our some many most several both all each however meanwhile yet but and
    so then also still earlier later last next if once""".split()
)


def _dangling(text: str) -> bool:
    return bool(_DANGLING.match(text)) or _opens_inside_quote(text)


def _common_words(analyses: Sequence[ArticleAnalysis]) -> frozenset[str]:
    """Words the story writes in lower case and never inside a mention's name."""
    named = {w.lower() for a in analyses for m in a.mentions for w in _WORD.findall(m.text)}
    lower = {w.replace("’", "'") for a in analyses for w in _WORD.findall(a.article.text)}
    return frozenset(w for w in lower if w.islower() and w not in named) | _FUNCTION_OPENERS


def according_to(
    label: str, text: str, *, common: frozenset[str] = _FUNCTION_OPENERS
) -> tuple[str, int]:
    """One source's sentence attributed to it: ("According to <label>, <sentence>", the offset
    of the sentence in it). The sentence stays verbatim, except that an opening word found in
    `common` (by default function words only) is lower-cased; a sentence that already opens
    with "According to" becomes "<label> reports: <sentence>"."""
    if re.match(r"according to\b", text, re.I):
        prefix = f"{label} reports: "
        return prefix + text, len(prefix)
    prefix = f"According to {label}, "
    first = _WORD.match(text)
    word = first.group() if first else ""
    capitalised = word[:1].isupper() and word[1:] == word[1:].lower()  # "The", not "US"
    if capitalised and word.lower().replace("’", "'") in common:
        text = text[:1].lower() + text[1:]
    return prefix + text, len(prefix)


def _flagged(
    frames: dict[str, tuple[SentenceFraming, ...]], citation: Citation, at: int
) -> tuple[FlaggedWord, ...]:
    """The writer's loaded words inside a cited span (outside quotation marks: quoted words
    are the speaker's), with `at` the offset of the cited text in the brief sentence."""
    out = []
    for frame in frames.get(citation.article_id, ()):
        if not frame.span.overlaps(citation.span):
            continue
        for t in frame.loaded_terms:
            if t.quoted or t.category == "obligation" or not citation.span.contains(t.span):
                continue
            start = at + t.span.start - citation.span.start
            out.append(
                FlaggedWord(
                    article_id=citation.article_id,
                    span=t.span,
                    at=Span(start, start + len(t.span)),
                    text=t.text,
                    category=t.category,
                )
            )
    return tuple(out)


def _agreements(
    claims: Sequence[Claim],
    analyses: Sequence[ArticleAnalysis],
    frames: dict[str, tuple[SentenceFraming, ...]],
    lead_unit: Callable[[Claim], _Unit | None],
) -> list[BriefSentence]:
    """Claims carried by two or more sources (every pair of their sentences passes the
    alignment): the first whole sentence, every source cited."""
    labels = {a.article.id: a.article.label for a in analyses}
    out = []
    for claim in claims:
        lead = lead_unit(claim)
        if len(claim.article_ids) < 2 or lead is None:
            continue
        first = lead.citation()
        others = [labels.get(aid, aid) for aid in claim.article_ids if aid != lead.article_id]
        text = f"{first.text} (also in {', '.join(others)})"
        cites = (first, *(c for c in claim.citations if c.article_id != lead.article_id))
        out.append(BriefSentence(text=text, citations=cites, flagged=_flagged(frames, first, 0)))
    return out


def _omissions(
    omissions: Sequence[Omission],
    analyses: Sequence[ArticleAnalysis],
    frames: dict[str, tuple[SentenceFraming, ...]],
    lead_unit: Callable[[Claim], _Unit | None],
) -> list[BriefSentence]:
    """One line per source leaving out a claim most sources carry: the claim's first whole
    sentence, the sources that carry it named and cited."""
    labels = {a.article.id: a.article.label for a in analyses}
    out = []
    for o in omissions:
        lead = lead_unit(o.claim)
        if lead is None:
            continue
        first = lead.citation()
        carried = [labels.get(aid, aid) for aid in o.claim.article_ids]
        prefix = f"Not in {labels.get(o.article_id, o.article_id)}: "
        out.append(
            BriefSentence(
                text=f"{prefix}{first.text} (reported by {', '.join(carried)})",
                citations=(first, *(c for c in o.claim.citations if c != lead.citation())),
                flagged=_flagged(frames, first, len(prefix)),
            )
        )
    return out


def _differences(
    differences: Sequence[Difference], analyses: Sequence[ArticleAnalysis], limit: int = 8
) -> list[BriefSentence]:
    """One line per difference: the field, compatible or conflicting, each source's value."""
    labels = {a.article.id: a.article.label for a in analyses}
    out = []
    for d in differences[:limit]:
        parts = [
            f"“{value}” ({labels.get(c.article_id, c.article_id)})"
            for value, c in zip(d.values, d.citations, strict=False)
        ]
        text = f"{d.field.capitalize()}, {d.label}: " + " · ".join(parts)
        out.append(BriefSentence(text=text, citations=d.citations))
    return out


TONE_ACTORS = 3  # "tone toward": the actors the source mentions in the most sentences
TONE_NEUTRAL = 0.05  # |tone| below this reads "neutral" (VADER's cut for its compound score)


def tone_word(tone: float) -> str:
    if tone >= TONE_NEUTRAL:
        return "positive"
    if tone <= -TONE_NEUTRAL:
        return "negative"
    return "neutral"


def _naming(a: ArticleAnalysis, name: str) -> Mention | None:
    """The canonical name if the article writes it, else its fullest proper naming."""
    named = [m for m in a.mentions if m.actor_name == name]
    if not named:
        return None
    return max(
        named,
        key=lambda m: (m.text == name, m.text[:1].isupper(), len(m.text), -m.span.start),
    )


def _framings(
    analyses: Sequence[ArticleAnalysis], framings: dict[str, SourceFraming]
) -> tuple[list[BriefSentence], frozenset[str]]:
    """Per source: its share of opinion/analysis sentences, its loaded words, who gets quoted,
    and its tone toward the actors it mentions most (framing's lexicon tone, in [-1, 1]).

    The counts are the brief's own measurement (exempt from the support check); every word
    taken from the article is cited where it occurs.
    """
    out: list[BriefSentence] = []
    numbers: set[str] = set()
    for a in analyses:
        f = framings[a.article.id]
        body = list(f.sentences)
        opinion = [x for x in body if x.role == "opinion"]
        cites: list[Citation] = [
            Citation(
                article_id=a.article.id, span=x.span, text=a.article.text[x.span.start : x.span.end]
            )
            for x in opinion[:2]
        ]
        parts = [f"{len(opinion)} of {len(body)} sentences opinion or analysis"]
        numbers |= {str(len(opinion)), str(len(body))}
        words: list[str] = []
        for x in body:
            for t in x.loaded_terms:
                if (
                    not t.quoted
                    and t.text.lower() not in {w.lower() for w in words}
                    and len(words) < 4
                ):
                    words.append(t.text)
                    cites.append(Citation(article_id=a.article.id, span=t.span, text=t.text))
        if words:
            parts.append("loaded words " + ", ".join(f"“{w}”" for w in words))
        voices = []
        for v in f.voices[:3]:
            mention = _naming(a, v.name)
            if mention is None:
                continue
            share = round(100 * v.share)
            numbers.add(str(share))
            voices.append(f"{mention.text} {share}%")
            cites.append(Citation(article_id=a.article.id, span=mention.span, text=mention.text))
        if voices:
            parts.append("voices quoted " + ", ".join(voices))
        tones = []
        for toward in sorted(f.tone, key=lambda x: (-x.sentences, x.name))[:TONE_ACTORS]:
            mention = _naming(a, toward.name)
            if mention is None or toward.sentences < 2:
                continue
            value = f"{toward.tone:+.2f}"
            numbers.update(align.words(value))
            tones.append(f"{mention.text} {tone_word(toward.tone)} ({value})")
            cites.append(Citation(article_id=a.article.id, span=mention.span, text=mention.text))
        if tones:
            parts.append("tone toward " + ", ".join(tones))
        if cites:
            out.append(
                BriefSentence(
                    text=f"{a.article.label}: " + "; ".join(parts), citations=tuple(cites)
                )
            )
    return out, frozenset(numbers)


def _carried_quotes(
    groups: Sequence[QuoteGroup], analyses: Sequence[ArticleAnalysis], limit: int = 6
) -> list[BriefSentence]:
    """One line per statement carried by several outlets, each outlet's wording cited."""
    by_id = {a.article.id: a for a in analyses}
    out: list[BriefSentence] = []
    for group in groups[:limit]:
        parts, cites = [], []
        for ref in group.members:
            a = by_id[ref.article_id]
            parts.append(f"“{ref.text}” ({a.article.label})")
            cites.append(Citation(article_id=ref.article_id, span=ref.span, text=ref.text))
        lead = ""
        if group.speaker:
            found = next(
                (
                    (ref.article_id, m)
                    for ref in group.members
                    for m in by_id[ref.article_id].mentions
                    if m.actor_name == group.speaker and m.text == group.speaker
                ),
                None,
            )
            if found is not None:
                article_id, mention = found
                lead = f"{group.speaker}: "
                cites.append(Citation(article_id=article_id, span=mention.span, text=mention.text))
        out.append(BriefSentence(text=lead + " · ".join(parts), citations=tuple(cites)))
    return out


def _key_quotes(analyses: Sequence[ArticleAnalysis], limit: int = 12) -> list[BriefSentence]:
    out: list[BriefSentence] = []
    per_speaker: Counter[str] = Counter()
    candidates = [
        (a, q)
        for a in analyses
        for q in a.quotes
        if q.speaker is not None
        and q.speaker.span is not None
        and q.kind in ("direct", "block")
        and len(q.text.split()) >= 6
    ]
    # Explicitly attributed quotes first; at most two per speaker so several voices are heard.
    order = {
        "explicit": 0,
        "dash_line": 0,
        "label": 0,
        "title": 1,
        "according_to": 1,
        "pronoun": 2,
        "adjacency": 3,
    }
    candidates.sort(
        key=lambda aq: (
            order.get(aq[1].speaker.resolution, 4) if aq[1].speaker else 9,
            aq[1].span.start,
        )
    )
    for a, q in candidates:
        speaker = q.speaker
        assert speaker is not None and speaker.span is not None
        if per_speaker[speaker.name] >= 2 or len(out) >= limit:
            continue
        per_speaker[speaker.name] = per_speaker[speaker.name] + 1
        text = a.article.text
        cites = [
            Citation(article_id=a.article.id, span=q.span, text=q.text),
            Citation(
                article_id=a.article.id,
                span=speaker.span,
                text=text[speaker.span.start : speaker.span.end],
            ),
        ]
        if speaker.name.lower() not in cites[1].text.lower():
            # a pronoun or surname: cite a mention that spells the canonical name, if the article has one
            full = next(
                (m for m in a.mentions if m.actor_name == speaker.name and m.text == speaker.name),
                None,
            )
            if full is not None:
                cites.append(Citation(article_id=a.article.id, span=full.span, text=full.text))
        venue = f" ({q.cue} {q.venue})" if q.cue and q.venue and q.venue in text else ""
        if venue:
            start = text.find(q.venue or "", max(0, q.span.start - 300))
            if start >= 0:
                cites.append(
                    Citation(
                        article_id=a.article.id,
                        span=Span(start, start + len(q.venue or "")),
                        text=q.venue or "",
                    )
                )
        out.append(BriefSentence(text=f"{speaker.name}{venue}: “{q.text}”", citations=tuple(cites)))
    return out


def _timeline(
    analyses: Sequence[ArticleAnalysis],
    frames: dict[str, tuple[SentenceFraming, ...]],
    units: dict[str, list[_Unit]],
) -> list[BriefSentence]:
    items: list[tuple[str, str, BriefSentence]] = []
    seen: set[tuple[str, int]] = set()
    for a in analyses:
        for t in a.time_expressions:
            if t.type != "DATE" or not _ISO_DATE.match(t.value):
                continue
            key = (a.article.id, t.sentence)
            if key in seen or t.sentence >= len(a.sentences):
                continue
            unit = units[a.article.id][t.sentence]
            sentence = unit.sentence
            if not unit.whole or sentence.is_heading or _SOURCE_LINE.match(sentence.text):
                continue
            seen.add(key)
            cite = Citation(article_id=a.article.id, span=sentence.span, text=sentence.text)
            prefix = f"{t.value}: "
            if t.anchor:
                # a relative date: say what it was resolved against, citing the date's source
                prefix = f"{t.value} ({t.text}): "
            flagged = _flagged(frames, cite, len(prefix))
            brief = BriefSentence(text=prefix + sentence.text, citations=(cite,), flagged=flagged)
            items.append((t.value, a.article.id, brief))
    items.sort(key=lambda x: (x[0], x[1]))
    return [b for _, _, b in items]
