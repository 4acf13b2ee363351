"""Framing per source: opinion vs. reporting sentences, loaded words, tone toward actors, voices.

Everything here is a pure function of text (or of an `ArticleAnalysis`): no network, no model
download, no spaCy, no mutable module state. Two shipped files under `newsprism/data/` drive it:

* `framing_lexicon.json`: categories of evaluative and stance language written by hand from
  general knowledge, not derived from any data set: stance adverbs ("ironically", "clearly"),
  stance phrases ("in reality", "some more", "of course"), analysis labels ("why it matters",
  "analysis"), writer hedges ("perhaps", "it seems"), other hedges, intensifiers, obligation
  ("should", "must", "it is time"), first person, evaluative words (negative and positive),
  loaded verbs ("slammed", "boasted", "mock"), partisan labels, dismissive words ("so-called"),
  negators, speech verbs, and two polarity lists for tone.
* The shipped `MODEL` is the lexicon as rules (`rules_model`): no training data inside.
* A trained model (two logistic regressions, `bias` and `opinion`, over `features(text)`, and
  a table of word stems with how often BABE's annotators marked each as biased) is fitted by
  `bench/opinion.py --write-model` on the BABE development split (../shared/eval/opinion/babe,
  3,673 expert-labelled news sentences) into build/framing_model.json. BABE is AGPL-3.0, so
  that file is not shipped in this Apache-2.0 package; pass it as `model=` for local use. Its
  figures in `bench/opinion.py` are k-fold cross-validated: every fold is scored by a model
  fitted on the other folds only.

Features (`features`): lexicon categories counted apart outside (`c:`) and inside (`q:`)
quotation marks, structural signals (`s:`: a question mark outside quotes, an exclamation mark,
quotes present, scare quotes, -ly adverbs), three loadedness figures from the stem table
(`s:lw_max`, `s:lw_top2`, `s:lw_n30`: the largest rate, the sum of the two largest, the number
of stems at ≥ 0.3, where a stem's rate is marked / (occurrences + prior)), and word unigrams
(`u:`) and bigrams (`b:`) of the writer's own words: quoted words and capitalised words inside a
sentence (proper names, so that "Trump" or "Republicans" carry no weight of their own) are left
out of those. Counts are capped at 3; words are binary.

Roles (`sentence_role`): "opinion" (opinion or analysis: the writer's own evaluation) when the
opinion model's probability reaches its threshold, or when the writer's own words carry a stance
marker (`stance_rule`): a stance adverb or phrase or a dismissive word anywhere outside quotation
marks; a writer hedge, obligation, first person or a question mark outside quotes in a sentence
with no speech verb (with one, they are most often reported speech), and, on the same condition,
the writer weighing what matters (`evaluative_frame`: "what (really) matters", "all that
matters", a contrastive cleft "it's not loud statements but quiet agreements that matter"); an
analysis label in a short heading-like line (≤ 8 words). Otherwise "reporting". A quotation
(at least half of its words inside quotation marks) is reporting unless `stance_rule` fires on
the words outside the quotes: quoted words belong to the speaker. `source_framing` adds what the
article's structure says: sentences inside the extractor's direct and block quotes count as
quoted, an attribution line ("— Emmanuel Macron, President of France") is reporting, a heading
with an analysis label ("Why it matters (analysis)") is analysis, and so is the body under it,
up to the next heading.

Loaded terms (`loaded_terms`) come from the hand-written lexicon only (not from the trained stem
table), each with its category, its span and whether it stands inside quotation marks, plus
scare quotes: 1-3 quoted words in a sentence with no speech verb (“ordering” the conflict).

Tone (`tone_toward`): for each actor, the sentences that mention it. Every polarity word (the
polarity lists plus the evaluative words) counts +1 or -1, flipped when a negator ("not", "never",
"n't", "without", ...) stands within the three words before it with no clause break between;
quoted words are left out unless asked for (they are the speaker's tone, not the outlet's). A
sentence's sum s becomes s / sqrt(s² + 15) (VADER's normalisation) and an actor's tone is the
mean over its sentences, in [-1, 1]; 0 is neutral or no evaluative word. This is sentence-level:
in "Russia attacked Ukraine" both get the negative word. It reads framing, not stance.

Voices (`voices`): who is quoted and how much: quotes and quoted words per speaker, and each
speaker's share of all quoted words.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from newsprism import align
from newsprism.intervals import Cover, Overlaps
from newsprism.models import Article, ArticleAnalysis, Quote, Span

EXTRACTOR = "framing.v1"
Role = Literal["reporting", "opinion"]

#: Stance categories that make a sentence opinion/analysis wherever they stand outside quotes.
STRONG_STANCE = frozenset({"stance_adverb", "stance_phrase", "dismissive"})
#: Stance categories that count only in a sentence without a speech verb (else reported speech).
UNATTRIBUTED_STANCE = frozenset({"writer_hedge", "first_person", "obligation"})
#: Categories reported as loaded or evaluative terms, in order of precedence for one span.
LOADED_CATEGORIES = (
    "analysis_label",
    "stance_phrase",
    "stance_adverb",
    "writer_hedge",
    "dismissive",
    "partisan_label",
    "loaded_verb",
    "evaluative_negative",
    "evaluative_positive",
    "intensifier",
    "obligation",
)
#: Intensifiers too common to be reported as loaded terms on their own.
_WEAK_INTENSIFIERS = frozenset({"so", "such", "too", "even", "ever", "most", "least", "very"})
#: Words ending in -ly that are not manner or stance adverbs.
_NOT_LY_ADVERBS = frozenset(
    """only early family july italy apply reply supply likely daily weekly monthly yearly
    quarterly elderly rally ally fly belly holy ugly silly lonely lovely friendly deadly costly
    unlikely curly jelly bully assembly anomaly monopoly emily kelly sally molly reilly
    nearly recently currently previously reportedly allegedly initially finally formerly
    respectively approximately roughly partly mostly largely fully publicly officially
    separately jointly directly immediately shortly lately subsequently later""".split()
)
_HEADING_WORDS = 8
_QUOTATION_SHARE = 0.5
_QUOTE_KINDS = frozenset({"direct", "block"})
_TONE_ALPHA = 15.0
_NEGATION_WINDOW = 3
_LOADED_RATE = 0.3

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*(?:n[’']t)?|\d+(?:[.,]\d+)*|[?!]", re.UNICODE)
_CLAUSE_BREAK = re.compile(r"[,;:.()\u2014\u2013]")
_QUOTE_PAIRS = MappingProxyType({"“": "”", "«": "»", '"': '"', "„": "“"})
_SINGLE_CLOSE = re.compile(r"’(?![^\W\d_])")
_TITLE_CASE_SHARE = 0.6


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedTerm:
    """A loaded, evaluative or stance expression: `span` is into the text it was found in."""

    span: Span
    text: str
    category: str  # a lexicon category, or "scare_quote"
    quoted: bool  # inside quotation marks: the speaker's words, not the writer's

    def shifted(self, offset: int) -> LoadedTerm:
        """The same term with its span moved by `offset` (sentence → article offsets)."""
        span = Span(self.span.start + offset, self.span.end + offset)
        return LoadedTerm(span=span, text=self.text, category=self.category, quoted=self.quoted)


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceFraming:
    """The framing of one sentence of an article (spans into `Article.text`)."""

    sentence: int
    span: Span
    role: Role
    opinion: float  # probability of opinion/analysis from the opinion model
    bias: float  # probability of biased wording from the bias model
    loaded_terms: tuple[LoadedTerm, ...]
    quotation: bool = False  # mostly someone else's quoted words: reporting unless a rule fires
    rule: str | None = None  # the stance rule or structure that made it opinion, if any


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorTone:
    actor_id: str
    name: str
    tone: float  # mean sentence tone over the sentences that mention the actor, in [-1, 1]
    sentences: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Voice:
    """Someone quoted in an article and how much room they get."""

    name: str  # "(unattributed)" for quotes without a speaker
    actor_id: str | None
    quotes: int
    words: int
    share: float  # this voice's share of all quoted words in the article


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFraming:
    """How one article frames its story."""

    article_id: str
    label: str
    sentences: tuple[SentenceFraming, ...]
    opinion_share: float  # opinion/analysis sentences / body (non-heading) sentences
    biased_share: float  # body sentences the bias model calls biased / body sentences
    loaded_terms: tuple[tuple[str, int], ...]  # the writer's loaded terms (lower case), by count
    tone: tuple[ActorTone, ...]
    voices: tuple[Voice, ...]
    extractor: str = EXTRACTOR


@dataclass(frozen=True, slots=True, kw_only=True)
class LinearModel:
    """A logistic regression over sparse named features."""

    intercept: float
    weights: Mapping[str, float]
    threshold: float = 0.5

    def score(self, feats: Mapping[str, float]) -> float:
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return _sigmoid(z)

    def to_json(self) -> dict[str, Any]:
        return {
            "intercept": self.intercept,
            "threshold": self.threshold,
            "weights": dict(sorted(self.weights.items())),
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (LinearModel.from_json, (self.to_json(),))

    @staticmethod
    def from_json(obj: Mapping[str, Any]) -> LinearModel:
        weights = {str(k): float(v) for k, v in obj["weights"].items()}
        return LinearModel(
            intercept=float(obj["intercept"]),
            weights=MappingProxyType(weights),
            threshold=float(obj.get("threshold", 0.5)),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class FramingModel:
    """The two sentence classifiers and the stem table their loadedness features read."""

    bias: LinearModel
    opinion: LinearModel
    loaded: Mapping[str, tuple[int, int]]  # stem → (times marked biased, rows containing it)
    prior: float = 2.0
    about: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "about": self.about,
            "prior": self.prior,
            "loaded": {k: list(v) for k, v in sorted(self.loaded.items())},
            "bias": self.bias.to_json(),
            "opinion": self.opinion.to_json(),
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (FramingModel.from_json, (self.to_json(),))

    @staticmethod
    def from_json(obj: Mapping[str, Any]) -> FramingModel:
        loaded = {str(k): (int(v[0]), int(v[1])) for k, v in obj.get("loaded", {}).items()}
        return FramingModel(
            bias=LinearModel.from_json(obj["bias"]),
            opinion=LinearModel.from_json(obj["opinion"]),
            loaded=MappingProxyType(loaded),
            prior=float(obj.get("prior", 2.0)),
            about=str(obj.get("about", "")),
        )


# --------------------------------------------------------------------------- shipped data


def _load_json(name: str) -> dict[str, Any]:
    text = resources.files("newsprism").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _norm(word: str) -> str:
    """Lower case with ’ as '; "US" (the country) is kept apart from the pronoun "us"."""
    return "u.s." if word == "US" else word.lower().replace("’", "'")


def stem(word: str) -> str:
    """The alignment's stem (`align.stem`, Snowball) of the normalised word: claims/claimed →
    claim; "US" stays "u.s."."""
    return align.stem(_norm(word))


def _build_phrases(
    lexicon: Mapping[str, Iterable[str]],
) -> Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """First word → (phrase words, category), longest phrases first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for category, entries in lexicon.items():
        for entry in entries:
            words = tuple(_norm(w) for w in _TOKEN.findall(entry))
            if words:
                table.setdefault(words[0], []).append((words, category))
    return MappingProxyType(
        {k: tuple(sorted(v, key=lambda p: (-len(p[0]), p[1]))) for k, v in table.items()}
    )


LEXICON: Mapping[str, frozenset[str]] = MappingProxyType(
    {k: frozenset(v) for k, v in _load_json("framing_lexicon.json").items() if k[0] != "_"}
)
_PHRASES = _build_phrases(LEXICON)
_POSITIVE = LEXICON["polarity_positive"] | LEXICON["evaluative_positive"]
_NEGATIVE = (LEXICON["polarity_negative"] | LEXICON["evaluative_negative"]) - _POSITIVE
_NEGATORS = LEXICON["negator"]


def rules_model() -> FramingModel:
    """The shipped default: the hand-written lexicon as a model, no training data in it.

    Biased when a loaded term (`LOADED_CATEGORIES`, obligation words aside) appears outside
    quotation marks; opinion when it does or a stance rule fires (`_role`). A model trained on BABE scores higher (see
    bench/opinion.py) but BABE is AGPL-3.0, and weights derived from it are not shipped in
    this Apache-2.0 package: `bench/opinion.py --write-model PATH` builds one for local use,
    and every function here takes it as `model=`.
    """
    # "must"/"should" is mostly someone's reported demand, not the writer's voice
    weights = MappingProxyType(
        {f"c:{category}": 10.0 for category in LOADED_CATEGORIES if category != "obligation"}
    )
    rule = LinearModel(intercept=-5.0, weights=weights)
    return FramingModel(
        bias=rule,
        opinion=rule,
        loaded=MappingProxyType({}),
        about="lexicon rules (no training data)",
    )


#: The shipped model: the lexicon rules (see `rules_model`).
MODEL = rules_model()


# --------------------------------------------------------------------------- text analysis


@dataclass(frozen=True, slots=True)
class _Token:
    word: str  # normalised: lower case, ’ → '
    start: int
    end: int
    quoted: bool
    name: bool  # capitalised inside a sentence (not title case): most likely a proper name


@dataclass(frozen=True, slots=True)
class _Match:
    category: str
    start: int  # token index
    end: int  # token index, exclusive
    quoted: bool


@dataclass(frozen=True, slots=True)
class _Analysed:
    text: str
    tokens: tuple[_Token, ...]
    matches: tuple[_Match, ...]
    quotes: tuple[Span, ...]

    def outside(self, category: str) -> list[_Match]:
        return [m for m in self.matches if m.category == category and not m.quoted]

    def words(self, m: _Match) -> str:
        return " ".join(t.word for t in self.tokens[m.start : m.end])


def quoted_ranges(text: str) -> tuple[Span, ...]:
    """Character ranges inside quotation marks (the marks included).

    Straight double quotes pair in order; “…” and «…» pair with their closer. An opener with no
    closer runs to the end of the text, and a closer with no opener before it runs from the
    start (a sentence inside a quotation that spans sentences); a lone straight quote is a
    closer when it follows a word or punctuation and is followed by a space or the end. Single
    ‘…’ count when ‘ opens a word and a ’ not followed by a letter closes it (’ inside a word is
    an apostrophe).
    """
    spans: list[Span] = []
    i, n = 0, len(text)
    no_single_close = n  # no closing ’ at or after this offset (a failed search is not redone)
    while i < n:
        ch = text[i]
        if ch == "‘" and (i == 0 or not text[i - 1].isalnum()) and i + 1 < no_single_close:
            close = _SINGLE_CLOSE.search(text, i + 1)
            if close is None:
                no_single_close = i + 1
            if close:
                spans.append(Span(i, close.end()))
                i = close.end()
                continue
        if ch in _QUOTE_PAIRS:
            j = text.find(_QUOTE_PAIRS[ch], i + 1)
            if j < 0 and ch == "„":
                j = text.find("”", i + 1)
            if j < 0 and ch == '"' and not spans and _closes(text, i):
                spans.append(Span(0, i + 1))  # a lone closing straight quote
                i += 1
                continue
            end = n if j < 0 else j + 1
            spans.append(Span(i, end))
            i = end
            continue
        if ch in "”»" and not spans:
            spans.append(Span(0, i + 1))
        i += 1
    return tuple(spans)


def _closes(text: str, i: int) -> bool:
    return i > 0 and not text[i - 1].isspace() and (i + 1 == len(text) or text[i + 1].isspace())


def _analyse(text: str, extra_quotes: Sequence[Span] = ()) -> _Analysed:
    """Tokens, lexicon matches and quotes; `extra_quotes` are known quote spans (into `text`)."""
    quotes = tuple(sorted({*quoted_ranges(text), *extra_quotes}))
    found = list(_TOKEN.finditer(text))
    caps = [_capitalised(m.group()) and not _opens_sentence(text, m.start()) for m in found]
    words = [m.group() for m in found if m.group()[0].isalpha()]
    title_case = len(words) >= 4 and sum(w[0].isupper() for w in words) >= _TITLE_CASE_SHARE * len(
        words
    )
    quoted = Cover((q.start, q.end) for q in quotes)
    tokens: list[_Token] = []
    for i, m in enumerate(found):
        inside = m.start() in quoted
        name = caps[i] and not title_case
        tokens.append(_Token(_norm(m.group()), m.start(), m.end(), inside, name))
    matches: list[_Match] = []
    for i, tok in enumerate(tokens):
        for phrase, category in _PHRASES.get(tok.word, ()):
            k = len(phrase)
            run = tokens[i : i + k]
            if tuple(t.word for t in run) == phrase and not all(t.name for t in run):
                matches.append(_Match(category, i, i + k, tok.quoted))
        if tok.word.endswith("n't") and tok.word not in _NEGATORS:
            matches.append(_Match("negator", i, i + 1, tok.quoted))
    return _Analysed(text, tuple(tokens), tuple(matches), quotes)


def _capitalised(word: str) -> bool:
    return word[0].isupper() and word != "I" and word != "US"


def _opens_sentence(text: str, start: int) -> bool:
    """Whether a word at `start` is the first of the text, a sentence, a quote or a bracket."""
    i = start - 1
    while i >= 0 and text[i].isspace():  # the last character before it, white space skipped
        i -= 1
    return i < 0 or text[i] in ".!?:;“\"‘'«(—–-[…"


def _scare_quotes(a: _Analysed) -> list[Span]:
    """Short quoted phrases (1-3 words) inside a sentence with no speech verb: the writer's."""
    if a.outside("speech_verb"):
        return []
    out = []
    starts = [t.start for t in a.tokens]
    for q in a.quotes:
        lo, hi = bisect.bisect_left(starts, q.start), bisect.bisect_left(starts, q.end)
        # at most 4 are needed to tell 1-3 words from more
        inner = []
        for t in a.tokens[lo:hi]:
            if t.word not in ("?", "!"):
                inner.append(t)
                if len(inner) > 3:
                    break
        if 1 <= len(inner) <= 3 and q.start > 0 and q.end < len(a.text):
            out.append(q)
    return out


def _outside_question(a: _Analysed) -> bool:
    return any(t.word == "?" and not t.quoted for t in a.tokens)


def _loaded_terms(a: _Analysed) -> tuple[LoadedTerm, ...]:
    rank = {c: i for i, c in enumerate(LOADED_CATEGORIES)}
    candidates = sorted(
        (m for m in a.matches if m.category in rank),
        key=lambda m: (m.start, -(m.end - m.start), rank[m.category]),
    )
    terms: list[LoadedTerm] = []
    covered_until = -1
    for m in candidates:
        if m.start < covered_until:
            continue
        if m.category == "intensifier" and a.words(m) in _WEAK_INTENSIFIERS:
            continue
        start, end = a.tokens[m.start].start, a.tokens[m.end - 1].end
        terms.append(
            LoadedTerm(
                span=Span(start, end), text=a.text[start:end], category=m.category, quoted=m.quoted
            )
        )
        covered_until = m.end
    for q in _scare_quotes(a):
        terms.append(
            LoadedTerm(span=q, text=a.text[q.start : q.end], category="scare_quote", quoted=False)
        )
    return tuple(sorted(terms, key=lambda t: (t.span, t.category)))


def loaded_terms(text: str) -> tuple[LoadedTerm, ...]:
    """Loaded, evaluative and stance expressions in `text` (lexicon only), with spans into it."""
    return _loaded_terms(_analyse(text))


_MATTERS = frozenset({"matter", "matters", "mattered", "count", "counts", "counted"})
_DEGREE = frozenset({"really", "truly", "actually", "most", "ultimately"})
_AFTER_MATTERS = frozenset(
    {"but", "most", "more", "here", "now", "today", "in", "to", "is", "are", "was"}
)
_ALL_THAT = frozenset({"all", "thing", "things", "one"})


def _evaluative_frame(a: _Analysed) -> str | None:
    """The writer weighing what matters: "what (really) matters", "all that matters", or a
    contrastive cleft "it's not X (but Y) that matters". "Matters" must end its clause or be
    followed by a word that keeps it a verb ("matters most", "matters is"), so that "it is not
    clear that matters will improve" (the noun) does not count."""
    toks = a.tokens
    first_cleft: int | None = None  # token index where the first cleft opener ends, once known
    for i, tok in enumerate(toks):
        if tok.word not in _MATTERS or tok.quoted or i == 0:
            continue
        after = toks[i + 1] if i + 1 < len(toks) else None
        if not (
            after is None
            or after.word in _AFTER_MATTERS
            or after.word in ("?", "!")
            or _CLAUSE_BREAK.search(a.text, tok.end, after.start)
        ):
            continue
        j = i - 1
        if toks[j].word in _DEGREE and j > 0:
            j -= 1
        if toks[j].quoted:
            continue
        if toks[j].word == "what":
            return f"evaluative_frame: what {tok.word}"
        if toks[j].word not in ("that", "which", "who"):
            continue
        if j > 0 and toks[j - 1].word in _ALL_THAT:
            return f"evaluative_frame: {toks[j - 1].word} that {tok.word}"
        if first_cleft is None:
            first_cleft = _first_cleft_end(toks)
        # "it's not" / "it is not" among the unquoted words before toks[j]
        if first_cleft <= j:
            return f"evaluative_frame: it's not … that {tok.word}"
    return None


def _first_cleft_end(toks: Sequence[_Token]) -> int:
    """One past the token index of the last word of the first "it's not" / "it is not" / "it
    was not" among the unquoted tokens (len(toks) + 1 if none): a cleft lies before token j
    exactly when this is at most j."""
    unquoted = [(i, t.word) for i, t in enumerate(toks) if not t.quoted]
    words = [w for _, w in unquoted]
    for k, w in enumerate(words):
        if w == "it's" and words[k + 1 : k + 2] == ["not"]:
            return unquoted[k + 1][0] + 1
        if w == "it" and words[k + 1 : k + 3] in (["is", "not"], ["was", "not"]):
            return unquoted[k + 2][0] + 1
    return len(toks) + 1


def _stance_rule(a: _Analysed) -> str | None:
    for m in a.matches:
        if m.category in STRONG_STANCE and not m.quoted:
            return f"{m.category}: {a.words(m)}"
    n_words = sum(1 for t in a.tokens if t.word not in ("?", "!"))
    if n_words <= _HEADING_WORDS:
        for m in a.outside("analysis_label"):
            return f"analysis_label: {a.words(m)}"
    if a.outside("speech_verb"):
        return None
    for m in a.matches:
        if m.category in UNATTRIBUTED_STANCE and not m.quoted:
            return f"{m.category}: {a.words(m)}"
    if _outside_question(a):
        return "question"
    return _evaluative_frame(a)


def stance_rule(text: str) -> str | None:
    """The writer's first stance marker ("category: words"), or None. See the module docstring."""
    return _stance_rule(_analyse(text))


def _quoted_share(a: _Analysed) -> float:
    words = [t for t in a.tokens if t.word not in ("?", "!")]
    return sum(t.quoted for t in words) / len(words) if words else 0.0


def _role(
    a: _Analysed, p_opinion: float, threshold: float, quotation: bool
) -> tuple[Role, str | None]:
    """The role and the stance rule that fired, if any."""
    if not any(t.word not in ("?", "!") for t in a.tokens):
        return "reporting", None  # nothing to judge (a stray quote mark)
    rule = _stance_rule(a)
    if quotation:
        return ("opinion", rule) if rule else ("reporting", None)
    return ("opinion" if rule or p_opinion >= threshold else "reporting"), rule


def _stems(a: _Analysed) -> frozenset[str]:
    return frozenset(stem(t.word) for t in a.tokens if t.word not in ("?", "!"))


def _base_features(a: _Analysed) -> dict[str, float]:
    feats: dict[str, float] = {}
    counts: Counter[str] = Counter(("q:" if m.quoted else "c:") + m.category for m in a.matches)
    for key, n in counts.items():
        feats[key] = float(min(n, 3))
    words = ["<name>" if t.name else ("<q>" if t.quoted else t.word) for t in a.tokens]
    for w in words:
        if w not in ("<name>", "<q>"):
            feats["u:" + w] = 1.0
    for w1, w2 in itertools.pairwise(words):
        if not (w1 == w2 == "<q>"):
            feats[f"b:{w1} {w2}"] = 1.0
    ly = sum(
        1
        for t in a.tokens
        if not t.quoted
        and t.word.endswith("ly")
        and len(t.word) > 4
        and t.word not in _NOT_LY_ADVERBS
    )
    if ly:
        feats["s:ly_adverb"] = float(min(ly, 3))
    if _outside_question(a):
        feats["s:question"] = 1.0
    if "!" in a.text:
        feats["s:exclamation"] = 1.0
    if a.quotes:
        feats["s:has_quote"] = 1.0
    if _scare_quotes(a):
        feats["s:scare_quote"] = 1.0
    return feats


def _loaded_features(
    stems: Iterable[str],
    loaded: Mapping[str, tuple[int, int]],
    prior: float,
    own_marks: frozenset[str] | None = None,
) -> dict[str, float]:
    """Loadedness of the stems; `own_marks` (training only) leaves this row's counts out."""
    rates: list[float] = []
    for s in stems:
        counts = loaded.get(s)
        if counts is None:
            continue
        marked, rows = counts
        if own_marks is not None:
            rows -= 1
            marked -= s in own_marks
        if rows > 0 and marked > 0:
            rates.append(marked / (rows + prior))
    if not rates:
        return {}
    rates.sort(reverse=True)
    return {
        "s:lw_max": rates[0],
        "s:lw_top2": sum(rates[:2]),
        "s:lw_n30": float(min(3, sum(r >= _LOADED_RATE for r in rates))),
    }


def features(text: str, model: FramingModel | None = None) -> dict[str, float]:
    """The named features both classifiers read (see the module docstring)."""
    m = MODEL if model is None else model
    a = _analyse(text)
    return _base_features(a) | _loaded_features(_stems(a), m.loaded, m.prior)


def opinion_score(text: str, model: FramingModel | None = None) -> float:
    """Probability that the sentence is opinion or analysis rather than reporting."""
    m = MODEL if model is None else model
    return m.opinion.score(features(text, m))


def bias_score(text: str, model: FramingModel | None = None) -> float:
    """Probability that the sentence's wording is biased (BABE's sense: loaded, one-sided)."""
    m = MODEL if model is None else model
    return m.bias.score(features(text, m))


def is_biased(text: str, model: FramingModel | None = None) -> bool:
    """Whether `bias_score` reaches the bias model's threshold (0.5)."""
    m = MODEL if model is None else model
    return bias_score(text, m) >= m.bias.threshold


def sentence_role(
    text: str, model: FramingModel | None = None
) -> tuple[Role, tuple[LoadedTerm, ...]]:
    """("opinion" | "reporting", loaded terms with spans into `text`).

    Opinion when the opinion model says so or `stance_rule` fires; a sentence that is mostly
    quoted words (≥ half) is a quotation: reporting unless `stance_rule` fires.
    """
    m = MODEL if model is None else model
    a = _analyse(text)
    feats = _base_features(a) | _loaded_features(_stems(a), m.loaded, m.prior)
    quotation = _quoted_share(a) >= _QUOTATION_SHARE
    role, _rule = _role(a, m.opinion.score(feats), m.opinion.threshold, quotation)
    return role, _loaded_terms(a)


# --------------------------------------------------------------------------- tone


def sentence_tone(text: str, *, include_quotes: bool = False) -> float:
    """Negation-aware lexicon tone of one sentence in [-1, 1] (see the module docstring)."""
    tokens = _analyse(text).tokens
    total = 0.0
    for i, tok in enumerate(tokens):
        if tok.quoted and not include_quotes:
            continue
        if tok.word in _POSITIVE:
            value = 1.0
        elif tok.word in _NEGATIVE:
            value = -1.0
        else:
            continue
        for prev in tokens[max(0, i - _NEGATION_WINDOW) : i]:
            negated = prev.word in _NEGATORS or prev.word.endswith("n't")
            if negated and not _CLAUSE_BREAK.search(text, prev.end, tok.start):
                value = -value
                break
        total += value
    return total / math.sqrt(total * total + _TONE_ALPHA)


def tone_toward(
    sentences: Sequence[str],
    actor_mentions: Mapping[str, Iterable[int]],
    *,
    include_quotes: bool = False,
) -> dict[str, float]:
    """Per actor: the mean tone of the sentences (indices into `sentences`) that mention it.

    Actors with no valid sentence index are left out.
    """
    cache: dict[int, float] = {}
    out: dict[str, float] = {}
    for actor, indices in actor_mentions.items():
        idx = sorted({i for i in indices if 0 <= i < len(sentences)})
        if not idx:
            continue
        for i in idx:
            if i not in cache:
                cache[i] = sentence_tone(sentences[i], include_quotes=include_quotes)
        out[actor] = sum(cache[i] for i in idx) / len(idx)
    return out


# --------------------------------------------------------------------------- voices


def voices(quotes: Sequence[Quote]) -> tuple[Voice, ...]:
    """Who is quoted: quotes and quoted words per speaker name, most words first."""
    n_quotes: Counter[str] = Counter()
    n_words: Counter[str] = Counter()
    actor_ids: dict[str, str | None] = {}
    for q in quotes:
        name = q.speaker.name if q.speaker else "(unattributed)"
        if actor_ids.get(name) is None:
            actor_ids[name] = q.speaker.actor_id if q.speaker else None
        n_quotes[name] += 1
        n_words[name] += sum(1 for w in _TOKEN.findall(q.text) if w not in ("?", "!"))
    total = sum(n_words.values())
    result = [
        Voice(
            name=name,
            actor_id=actor_ids[name],
            quotes=n_quotes[name],
            words=n_words[name],
            share=n_words[name] / total if total else 0.0,
        )
        for name in n_quotes
    ]
    return tuple(sorted(result, key=lambda v: (-v.words, -v.quotes, v.name)))


# --------------------------------------------------------------------------- per article


def _paragraph_kind(article: Article, index: int) -> str:
    return article.paragraphs[index].kind if 0 <= index < len(article.paragraphs) else "body"


def source_framing(analysis: ArticleAnalysis, model: FramingModel | None = None) -> SourceFraming:
    """Roles, loaded terms, tone toward each actor and voices for one article."""
    m = MODEL if model is None else model
    article = analysis.article
    quote_spans = sorted(q.span for q in analysis.quotes if q.kind in _QUOTE_KINDS)
    quote_index = Overlaps((q.start, q.end) for q in quote_spans)
    framed: list[SentenceFraming] = []
    analysis_section = False
    for index, sent in enumerate(analysis.sentences):
        start = sent.span.start
        known = [
            Span(max(q.start, start) - start, min(q.end, sent.span.end) - start)
            for q in (quote_spans[k] for k in quote_index.overlapping(start, sent.span.end))
            if q.overlaps(sent.span)
        ]
        a = _analyse(sent.text, known)
        feats = _base_features(a) | _loaded_features(_stems(a), m.loaded, m.prior)
        terms = tuple(t.shifted(sent.span.start) for t in _loaded_terms(a))
        p_opinion = m.opinion.score(feats)
        kind = _paragraph_kind(article, sent.paragraph)
        quotation = kind == "blockquote" or _quoted_share(a) >= _QUOTATION_SHARE
        rule: str | None = None
        if kind == "attribution":
            role: Role = "reporting"
        elif sent.is_heading:
            analysis_section = bool(a.outside("analysis_label"))
            rule = "analysis heading" if analysis_section else None
            role = "opinion" if analysis_section else "reporting"
        else:
            role, rule = _role(a, p_opinion, m.opinion.threshold, quotation)
            if role == "reporting" and analysis_section and not quotation:
                role, rule = "opinion", "analysis section"
        framed.append(
            SentenceFraming(
                sentence=index,
                span=sent.span,
                role=role,
                opinion=round(p_opinion, 4),
                bias=round(m.bias.score(feats), 4),
                loaded_terms=terms,
                quotation=quotation,
                rule=rule,
            )
        )
    body = [f for f, s in zip(framed, analysis.sentences, strict=True) if not s.is_heading]
    n_body = len(body)
    term_counts = Counter(t.text.lower() for f in body for t in f.loaded_terms if not t.quoted)
    mentions: dict[str, set[int]] = {}
    names: dict[str, str] = {}
    sent_starts = [s.span.start for s in analysis.sentences]
    ordered = all(
        a.span.end <= b.span.start
        for a, b in zip(analysis.sentences, analysis.sentences[1:], strict=False)
    )
    for mention in analysis.mentions:
        if ordered:  # disjoint sentences in order: only the last one starting before can hold it
            k = bisect.bisect_right(sent_starts, mention.span.start) - 1
            candidates: Iterable[int] = (k,) if k >= 0 else ()
        else:
            candidates = range(len(analysis.sentences))
        for index in candidates:
            if analysis.sentences[index].span.contains(mention.span):
                mentions.setdefault(mention.actor_id, set()).add(index)
                names.setdefault(mention.actor_id, mention.actor_name)
                break
    tones = tone_toward([s.text for s in analysis.sentences], mentions)
    actor_tones = sorted(
        (
            ActorTone(actor_id=a, name=names[a], tone=round(t, 4), sentences=len(mentions[a]))
            for a, t in tones.items()
        ),
        key=lambda x: (-x.sentences, x.name),
    )
    n_biased = sum(f.bias >= m.bias.threshold for f in body)
    return SourceFraming(
        article_id=article.id,
        label=article.label,
        sentences=tuple(framed),
        opinion_share=sum(f.role == "opinion" for f in body) / n_body if n_body else 0.0,
        biased_share=n_biased / n_body if n_body else 0.0,
        loaded_terms=tuple(sorted(term_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        tone=tuple(actor_tones),
        voices=voices(analysis.quotes),
    )


# --------------------------------------------------------------------------- training


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def fit_linear(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[int],
    *,
    l2: float = 20.0,
    min_count: int = 2,
    iterations: int = 400,
    learning_rate: float = 0.05,
    threshold: float = 0.5,
    prune: float = 0.02,
) -> LinearModel:
    """L2-regularised logistic regression (full-batch Adam, deterministic) in numpy.

    Word and bigram features (`u:`, `b:`) seen in fewer than `min_count` rows are dropped; the
    lexicon and structural features are always kept. Weights below `prune` in absolute value
    are dropped from the result (a smaller shipped file; the cross-validated figures are
    computed with the same pruning).
    """
    if len(rows) != len(labels) or not rows:
        raise ValueError("rows and labels must be non-empty and of equal length")
    df: Counter[str] = Counter()
    for r in rows:
        df.update(r.keys())
    names = sorted(k for k, n in df.items() if n >= min_count or not k.startswith(("u:", "b:")))
    col = {k: j for j, k in enumerate(names)}
    r_idx: list[int] = []
    c_idx: list[int] = []
    vals: list[float] = []
    for i, r in enumerate(rows):
        for k, v in r.items():
            j = col.get(k)
            if j is not None:
                r_idx.append(i)
                c_idx.append(j)
                vals.append(v)
    rr = np.asarray(r_idx, dtype=np.int64)
    cc = np.asarray(c_idx, dtype=np.int64)
    vv = np.asarray(vals, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    n, d = len(rows), len(names)
    w: npt.NDArray[np.float64] = np.zeros(d + 1)  # the last entry is the intercept
    m1: npt.NDArray[np.float64] = np.zeros(d + 1)
    m2: npt.NDArray[np.float64] = np.zeros(d + 1)
    for t in range(1, iterations + 1):
        z = np.bincount(rr, weights=vv * w[cc], minlength=n) + w[d]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
        g = p - y
        grad = np.empty(d + 1)
        grad[:d] = np.bincount(cc, weights=vv * g[rr], minlength=d) / n + l2 * w[:d] / n
        grad[d] = g.mean()
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= learning_rate * (m1 / (1 - 0.9**t)) / (np.sqrt(m2 / (1 - 0.999**t)) + 1e-8)
    weights = {k: round(float(w[j]), 4) for k, j in col.items() if abs(w[j]) >= prune}
    return LinearModel(
        intercept=round(float(w[d]), 4), weights=MappingProxyType(weights), threshold=threshold
    )


def fit_framing_model(
    texts: Sequence[str],
    bias_labels: Sequence[int | None],
    opinion_labels: Sequence[int | None],
    marked_words: Sequence[Iterable[str]],
    *,
    l2: float = 20.0,
    min_count: int = 2,
    prior: float = 2.0,
    about: str = "",
) -> FramingModel:
    """Fit the stem table and both classifiers on labelled sentences (None: no label).

    `marked_words` are, per sentence, the words annotators marked as biased. A training row's
    loadedness features leave that row's own counts out, so they look as they will on new text.
    """
    if not len(texts) == len(bias_labels) == len(opinion_labels) == len(marked_words):
        raise ValueError("texts, labels and marked words must have equal lengths")
    analysed = [_analyse(t) for t in texts]
    stems = [_stems(a) for a in analysed]
    own: list[frozenset[str]] = []
    marked_count: Counter[str] = Counter()
    for row_stems, words in zip(stems, marked_words, strict=True):
        marks = frozenset(stem(w) for phrase in words for w in _TOKEN.findall(phrase)) & row_stems
        own.append(marks)
        marked_count.update(marks)
    row_count: Counter[str] = Counter()
    for row_stems in stems:
        row_count.update(s for s in row_stems if s in marked_count)
    loaded = MappingProxyType({s: (marked_count[s], row_count[s]) for s in marked_count})
    rows = [
        _base_features(a) | _loaded_features(s, loaded, prior, own_marks=o)
        for a, s, o in zip(analysed, stems, own, strict=True)
    ]

    def fit(labels: Sequence[int | None]) -> LinearModel:
        keep = [i for i, y in enumerate(labels) if y is not None]
        return fit_linear(
            [rows[i] for i in keep], [int(labels[i] or 0) for i in keep], l2=l2, min_count=min_count
        )

    return FramingModel(
        bias=fit(bias_labels), opinion=fit(opinion_labels), loaded=loaded, prior=prior, about=about
    )
