"""Quote extraction on PolNeAR: content-span P/R/F1, direct/indirect breakdowns, speaker accuracy.

Data: ../shared/eval/quotes/polnear (PolNeAR v1.0.0, Newell et al., LREC 2018), read in place and
never copied into the repository. Each split has `text/<name>.txt` and
`attributions/<name>_<annotator>.ann` (brat standoff). The dev split is for reporting, the train
split for tuning.

Gold
* Every `Content` T line (and `Content2`, the second content of one attribution) is one gold
  content; discontinuous parts (`a b;c d`) are kept as parts. Each part is trimmed of white
  space and quote marks at its ends. Its speaker is the `Source` T of the E line that links it
  (none for `Attribution-no-source`).
* Several annotators for one text (a few agreement articles): the annotation file whose
  annotator id sorts first is used, so the choice is deterministic.
* The first line of each text is the headline. It is passed to `analyze_text` as `title=`, so
  newsprism scores the body only; gold contents inside the headline are left out (counted).
* Direct gold: at least half of the content's characters lie inside paired double quote marks
  (“…”, "…", «…», „…“ or ''…'' on one line; the New York Times texts use '' for both marks; an
  opening mark at the start of a line with no closing mark runs to the end of the line), or
  the content starts with an opening quote mark. Indirect gold: the rest (reported speech,
  paraphrase, mixed content with a short quoted phrase).

Predictions
* newsprism: `newsprism.analyze_text(text, title=headline)`. Quote spans are offsets into
  `Article.text`; they are mapped back to the file through the paragraphs: each paragraph of
  `Article.text` is a verbatim line of `Article.source_text`, found in order, and
  `source_text` is aligned to the file (it differs only where NFC normalisation or control
  characters changed it). Every mapped span is checked: the file text at the mapped span must
  equal the quote text (after that same normalisation). A quote that fails is looked up by its
  text in the file; one that still fails is unmapped and counted as a false positive.
* `--limit N` takes the first N texts in a fixed order mixed by a hash of the file name, so a
  small run samples every publisher and month.
* Quote kinds direct, partial and block form the "direct" class; indirect the "indirect"
  class.
* Baseline: a quote-mark regex over the body, text between a pair of double quote marks
  (“…”, "…" or ''…'') on one line, at least 10 characters. It has no speaker, so its speaker
  accuracy is n/a.

Scoring (coverage, symmetrical)
* Recall: a gold content is found when at least 50% of its characters are covered by the
  union of the system's predicted spans.
* Precision: a prediction is a true positive when at least 50% of its characters lie inside
  gold content (any gold content). This is the mirror image of the recall rule: a gold
  content the system splits into two quotes (“A,” he said, “B.”) gives two true positives.
* Breakdowns: direct-only recall is over direct gold, direct-only precision over the system's
  direct-class predictions (matched against all gold); likewise for indirect.
* Speaker accuracy, on true-positive predictions whose best-overlapping gold content has a
  Source: correct when the predicted speaker's span overlaps the gold Source span, or the
  names agree (the surname, i.e. last word, of one appears among the words of the other). A
  gold Source that is a personal pronoun ("he", "she", ...) is compared by name with the
  nearest preceding named gold Source of the same article, and a relative pronoun ("who",
  "which") with the six words before it. These are stand-ins for coreference, which the data
  lacks (a hand check of 25 train cases found the personal-pronoun rule right in 17 of the 23
  that could be decided), so the accuracy is also printed separately for gold Sources that are
  names or descriptions (objective) and for pronouns (heuristic). A prediction without a
  speaker is wrong.
* Judged antecedents: for a split with tests/data/polnear_pronouns/<split>.jsonl (dev has
  one: each pronoun Source's antecedent judged by reading the article up to it, blind to
  newsprism's output), a second speaker accuracy compares a pronoun Source's prediction by
  name with its judged antecedent instead; pronouns the reader could not resolve are left out
  of it. Both figures are printed, the heuristic one first, as before.

Where recall goes (newsprism only, counts, no text): each gold content's cue lemma (the first
verb of PolNeAR's Cue span as the English model reads it alone, else its first noun; see
`cue_heads`), its cue class (a speech act from `SPEECH_ACTS`, a belief/intention/feeling from
`BELIEF_INTENTION`, both fixed a priori from Levin's communication verbs, not from the data; other;
no cue) and its shapes (`shapes`: nominal cue, "according to", passive cue, cue after the content,
cue in another sentence or paragraph, content of several sentences, speaker far from the cue, no
source), with gold / found / missed for each. The "speech" row scores the speech-act subset:
recall over gold with a speech-act cue; precision over predictions, where one lying in other gold
(a belief, an intention, no cue) is left out rather than counted right or wrong.

Output: the figures for newsprism and the baseline in one run, the split, docs/s; `--json`
appends one line to bench/results/quotes.jsonl; `--errors N` prints samples of misses, false
positives and speaker errors. Data absent: a message and exit status 2.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import difflib
import hashlib
import json
import platform
import random
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import newsprism
from newsprism.models import ArticleAnalysis
from newsprism.provenance import append_jsonl, git_commit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_DATA = PROJECT_DIR.parent / "shared" / "eval" / "quotes" / "polnear"
RESULTS_FILE = BENCH_DIR / "results" / "quotes.jsonl"
# the antecedent of each pronoun Source of a split, judged by reading (see the docstring)
PRONOUN_REFS = PROJECT_DIR / "tests" / "data" / "polnear_pronouns"
COVER = 0.5
BASELINE_MIN_CHARS = 10

_QUOTE_CHARS = '“”"«»„‟'
# Paired double quote marks on one line. The New York Times texts of PolNeAR write '' for both
# the opening and the closing mark.
_PAIR_RE = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»|„[^“\n]*“|''(?:(?!'')[^\n])*''")
_OPEN_LINE_RE = re.compile(r"^[ \t]*(?:[“\"«„]|'')[^\n]*$", re.M)
_N = BASELINE_MIN_CHARS
_BASELINE_RE = re.compile(
    rf"“([^”\n]{{{_N},}}?)”|\"([^\"\n]{{{_N},}}?)\"|''((?:(?!'')[^\n]){{{_N},}}?)''"
)
_PRONOUNS = frozenset(
    "he she they it we i you him her them us me his its their our who this that".split()
)
_RELATIVES = frozenset({"who", "which", "that", "whom"})
_NAME_STOP = frozenset("the a an mr mrs ms dr sen rep gov president 's".split())
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*")

# The speech-act subset of gold, fixed before looking at the dev set: verbs (and their nouns) of
# saying, telling, asking, announcing, arguing, promising and complaining, i.e. the
# communication verbs of Levin (1993, classes 37.1-37.9) and Quirk et al.'s reporting verbs,
# plus "according" (a statement attributed to a named source). Beliefs, intentions and feelings
# (`BELIEF_INTENTION`) are what the issue says are not quotes; PolNeAR counts them.
SPEECH_ACTS = frozenset(
    "say tell add announce claim argue note explain insist warn state declare assert report "
    "write reply respond answer ask acknowledge admit allege confirm deny reveal disclose "
    "suggest stress emphasize emphasise reiterate repeat remark comment observe mention testify "
    "tweet post predict promise pledge vow threaten urge call demand propose recommend advise "
    "caution complain accuse criticize criticise praise concede contend maintain recall "
    "describe inform remind speak talk quote cite counter retort joke quip boast brag shout "
    "yell whisper mutter scream exclaim proclaim assure guarantee swear certify affirm "
    "announcement statement claim remark comment report testimony interview speech tweet "
    "letter memo warning promise pledge allegation accusation assertion argument "
    "according".split()
)
BELIEF_INTENTION = frozenset(
    "think believe hope want wish expect fear feel know see consider plan intend seek aim try "
    "worry doubt suspect assume imagine like love hate prefer decide view regard understand "
    "remember forget learn realize realise recognize recognise suppose guess trust "
    "belief hope fear view opinion concern desire intention".split()
)
_BE = re.compile(
    r"\b(?:is|was|were|are|been|being|be)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|ld|id)\b", re.I
)
_SENT_BREAK = re.compile(r"[.!?][”\"'’]*\s+[“\"‘']*[A-Z]")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Gold:
    parts: tuple[tuple[int, int], ...]
    text: str
    direct: bool
    source: tuple[tuple[int, int], ...]  # empty when the attribution has no source
    source_text: str
    ref_name: str  # the source text, or for a pronoun the nearest preceding named source
    by_pronoun: bool
    cue: tuple[tuple[int, int], ...] = ()  # the Cue span of the attribution (may be empty)
    cue_text: str = ""
    cue_lemma: str = ""  # lemma of the cue's head word ("" without a cue), see `cue_heads`
    cue_pos: str = ""
    # for a pronoun Source: its antecedent as judged by reading (`PRONOUN_REFS`), "" when the
    # reader found none; None without a judgement (then only the heuristic `ref_name` exists)
    judged_ref: str | None = None

    @property
    def cue_class(self) -> str:
        if not self.cue:
            return "no cue"
        if self.cue_lemma in SPEECH_ACTS:
            return "speech act"
        if self.cue_lemma in BELIEF_INTENTION:
            return "belief/intention/feeling"
        return "other"

    @property
    def length(self) -> int:
        return sum(b - a for a, b in self.parts)


@dataclass(frozen=True, slots=True)
class Doc:
    name: str
    text: str
    title: str
    body_start: int
    annotator: str
    gold: tuple[Gold, ...]
    gold_in_title: int


@dataclass(frozen=True, slots=True)
class Pred:
    start: int
    end: int
    cls: str  # "direct" | "indirect"
    kind: str
    text: str
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None
    resolution: str | None = None
    cue: str | None = None


def _parse_offsets(field_: str) -> tuple[tuple[int, int], ...]:
    parts = []
    for piece in field_.split(";"):
        a, b = piece.split()
        parts.append((int(a), int(b)))
    return tuple(parts)


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    strip = " \t\n'" + _QUOTE_CHARS
    while a < b and text[a] in strip:
        a += 1
    while b > a and text[b - 1] in strip:
        b -= 1
    return a, b


def _quoted_mask(text: str) -> bytearray:
    mask = bytearray(len(text))
    for m in _PAIR_RE.finditer(text):
        mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    for m in _OPEN_LINE_RE.finditer(text):
        line = m.group(0)
        if (sum(line.count(c) for c in _QUOTE_CHARS) + line.count("''")) % 2 == 1:
            mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return mask


def _is_pronoun(source: str) -> bool:
    words = _WORD_RE.findall(source.lower())
    return bool(words) and all(w in _PRONOUNS for w in words)


def _is_named(source: str) -> bool:
    return any(w[0].isupper() and w.lower() not in _NAME_STOP for w in _WORD_RE.findall(source))


def load_doc(text_path: Path, ann_path: Path) -> Doc:
    text = text_path.read_text(encoding="utf-8")
    first_nl = text.find("\n")
    title = text[:first_nl].strip() if first_nl >= 0 else ""
    body_start = first_nl + 1 if first_nl >= 0 else 0
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    links: list[dict[str, str]] = []
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            kind, _, offsets = cols[1].partition(" ")
            try:
                spans[cols[0]] = (kind, _parse_offsets(offsets))
            except ValueError:
                continue
        elif line.startswith("E") and len(cols) >= 2:
            roles = {}
            for item in cols[1].split():
                role, _, tid = item.partition(":")
                roles[role] = tid
            links.append(roles)
    source_of: dict[str, tuple[tuple[int, int], ...]] = {}
    cue_of: dict[str, tuple[tuple[int, int], ...]] = {}
    for roles in links:
        src = spans.get(roles.get("Source", ""), ("", ()))[1]
        cue = spans.get(roles.get("Cue", ""), ("", ()))[1]
        for role, tid in roles.items():
            if role.startswith("Content"):
                source_of[tid] = src
                cue_of[tid] = cue
    mask = _quoted_mask(text)
    raw: list[tuple[int, Gold]] = []
    in_title = 0
    # named sources in text order, for the pronoun heuristic
    named = sorted(
        (parts[0][0], text[parts[0][0] : parts[-1][1]])
        for kind, parts in spans.values()
        if kind == "Source"
        and not _is_pronoun(text[parts[0][0] : parts[-1][1]])
        and _is_named(text[parts[0][0] : parts[-1][1]])
    )
    for tid, (kind, parts) in sorted(spans.items(), key=lambda kv: kv[1][1][0]):
        if kind != "Content":
            continue
        if parts[0][0] < body_start:
            in_title += 1
            continue
        trimmed = tuple(p for p in (_trim(text, a, b) for a, b in parts) if p[1] > p[0])
        if not trimmed:
            continue
        content = " … ".join(text[a:b] for a, b in parts).strip()
        total = sum(b - a for a, b in trimmed)
        inside = sum(sum(mask[a:b]) for a, b in trimmed)
        starts_open = (
            text[parts[0][0] : parts[0][1]].lstrip().startswith(("“", '"', "«", "„", "''"))
        )
        direct = inside >= COVER * total or starts_open
        src = source_of.get(tid, ())
        src_text = " ".join(text[a:b] for a, b in src)
        cue = cue_of.get(tid, ())
        ref, by_pronoun = src_text, False
        if src and src_text.strip().lower() in _RELATIVES:
            # "Trump, who said ...": the antecedent is the noun phrase right before
            ref = " ".join(text[max(body_start, src[0][0] - 80) : src[0][0]].split()[-6:])
            by_pronoun = True
        elif src and _is_pronoun(src_text):
            before = [name for start, name in named if start < src[0][0]]
            ref, by_pronoun = (before[-1] if before else ""), True
        raw.append(
            (
                trimmed[0][0],
                Gold(
                    parts=trimmed,
                    text=content,
                    direct=direct,
                    source=src,
                    source_text=src_text,
                    ref_name=ref,
                    by_pronoun=by_pronoun,
                    cue=cue,
                    cue_text=" ".join(text[a:b] for a, b in cue),
                ),
            )
        )
    return Doc(
        name=text_path.stem,
        text=text,
        title=title,
        body_start=body_start,
        annotator=ann_path.stem[len(text_path.stem) :].lstrip("_"),
        gold=tuple(g for _, g in sorted(raw, key=lambda x: x[0])),
        gold_in_title=in_title,
    )


def load_split(data: Path, split: str, limit: int | None) -> list[Doc]:
    """The split's documents in a fixed mixed order (by hash of the name), first `limit` of them.

    Sorting by a hash of the file name mixes publishers and months, so `--limit 100` is a fair
    sample rather than the first publisher alphabetically.
    """
    text_dir, ann_dir = data / split / "text", data / split / "attributions"
    names = sorted(
        (p.stem for p in text_dir.glob("*.txt")),
        key=lambda n: hashlib.sha1(n.encode()).hexdigest(),
    )
    docs = []
    for name in names:
        anns = sorted(ann_dir.glob(f"{name}*.ann"))
        anns = [a for a in anns if a.stem == name or a.stem[len(name)] == "_"]
        if not anns:
            continue
        docs.append(load_doc(text_dir / f"{name}.txt", anns[0]))
        if limit is not None and len(docs) >= limit:
            break
    return with_judged_refs(docs, PRONOUN_REFS / f"{split}.jsonl")


def with_judged_refs(docs: list[Doc], path: Path) -> list[Doc]:
    """`docs` with the judged antecedent of each pronoun Source that `path` holds (a JSONL of
    {doc, source_start, antecedent}); unchanged when `path` does not exist."""
    if not path.is_file():
        return docs
    refs: dict[tuple[str, int], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            refs[(row["doc"], int(row["source_start"]))] = str(row["antecedent"])
    return [
        replace(
            d,
            gold=tuple(
                replace(g, judged_ref=refs.get((d.name, g.source[0][0])))
                if g.by_pronoun and g.source
                else g
                for g in d.gold
            ),
        )
        for d in docs
    ]


def cue_heads(docs: list[Doc]) -> list[Doc]:
    """The docs with each gold's cue lemma and part of speech filled in: the first verb of the
    cue's words as the English model reads them on their own (else its first noun, else its
    first word), so "has learned" is *learn*, "told reporters" *tell*, "the statement" *statement*."""
    from newsprism.api import _annotator

    nlp = _annotator().pipeline.nlp
    cues = sorted({" ".join(g.cue_text.split()) for d in docs for g in d.gold if g.cue})
    heads: dict[str, tuple[str, str]] = {}
    for cue, parsed in zip(cues, nlp.pipe(cues, batch_size=256), strict=True):
        words = [t for t in parsed if t.is_alpha]
        if any(t.lower_ == "according" for t in words):
            heads[cue] = ("according", "VERB")
            continue
        pick = next(
            (
                t
                for t in words
                if t.pos_ in ("VERB", "AUX")
                and t.lemma_
                not in ("be", "have", "do", "will", "would", "can", "could", "may", "might")
            ),
            None,
        )
        pick = pick or next((t for t in words if t.pos_ == "NOUN"), None)
        pick = pick or (words[0] if words else None)
        heads[cue] = (pick.lemma_.lower(), pick.pos_) if pick is not None else ("", "")
    out = []
    for d in docs:
        gold = tuple(
            replace(
                g,
                cue_lemma=(h := heads.get(" ".join(g.cue_text.split()), ("", "")))[0],
                cue_pos=h[1],
            )
            for g in d.gold
        )
        out.append(replace(d, gold=gold))
    return out


SHAPES = (
    "no cue",
    "no source",
    "nominal cue",
    "according to",
    "passive cue",
    "cue after content",
    "cue in another sentence",
    "cue in another paragraph",
    "content of several sentences",
    "speaker far from cue",
)


def shapes(doc: Doc, g: Gold) -> list[str]:
    """The shapes of one gold attribution (several may hold), from its spans alone."""
    out = []
    text = doc.text
    start, end = g.parts[0][0], g.parts[-1][1]
    if not g.cue:
        out.append("no cue")
    if not g.source:
        out.append("no source")
    if g.cue:
        c0, c1 = g.cue[0][0], g.cue[-1][1]
        if g.cue_lemma == "according":
            out.append("according to")
        elif g.cue_pos == "NOUN":
            out.append("nominal cue")
        if _BE.search(g.cue_text):
            out.append("passive cue")
        if c0 >= end:
            out.append("cue after content")
        between = text[end:c0] if c0 >= end else text[c1:start] if c1 <= start else ""
        if "\n" in between:
            out.append("cue in another paragraph")
        elif _SENT_BREAK.search(between):
            out.append("cue in another sentence")
        if g.source:
            s0, s1 = g.source[0][0], g.source[-1][1]
            gap = max(s0 - c1, c0 - s1, 0)
            if gap > 60 or "\n" in text[min(s1, c1) : max(s0, c0)]:
                out.append("speaker far from cue")
    if any(_SENT_BREAK.search(text[a:b]) for a, b in g.parts):
        out.append("content of several sentences")
    return out


# --------------------------------------------------------------------------- predictions


@dataclass
class MapStats:
    quotes: int = 0
    via_paragraphs: int = 0
    via_search: int = 0
    unmapped: int = 0
    speakers_unmapped: int = 0
    rejected_docs: int = 0


def _source_to_file(source: str, text: str) -> list[int]:
    """Offset map from `Article.source_text` to the file text (identity when they are equal)."""
    if source == text:
        return list(range(len(source) + 1))
    out = [0] * (len(source) + 1)
    matcher = difflib.SequenceMatcher(None, source, text, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2):
            out[i] = j1 + (i - i1) if tag == "equal" else j1 + min(i - i1, max(0, j2 - j1 - 1))
    out[len(source)] = len(text)
    return out


def _same_text(raw: str, cleaned: str) -> bool:
    """Equal once the file text gets newsprism's normalisation (NFC, no control characters)."""
    if raw == cleaned:
        return True
    raw = "".join(ch for ch in raw if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", raw) == cleaned


class OffsetMap:
    """Offsets into `Article.text` -> offsets into the original file."""

    def __init__(self, analysis: ArticleAnalysis, text: str) -> None:
        article = analysis.article
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.src_starts: list[int | None] = []
        cursor = 0
        for p in article.paragraphs:
            chunk = article.text[p.span.start : p.span.end]
            at = article.source_text.find(chunk, cursor)
            self.starts.append(p.span.start)
            self.ends.append(p.span.end)
            self.src_starts.append(at if at >= 0 else None)
            if at >= 0:
                cursor = at + len(chunk)
        self.to_file = _source_to_file(article.source_text, text)

    def __call__(self, offset: int, *, end: bool = False) -> int | None:
        i = bisect.bisect_right(self.starts, offset - 1 if end else offset) - 1
        if i < 0 or offset > self.ends[i]:
            return None
        src = self.src_starts[i]
        if src is None:
            return None
        pos = src + offset - self.starts[i]
        return self.to_file[pos - 1] + 1 if end else self.to_file[pos]

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        a, b = self(start), self(end, end=True)
        return (a, b) if a is not None and b is not None and b > a else None


def newsprism_predictions(doc: Doc, stats: MapStats) -> list[Pred]:
    try:
        analysis = newsprism.analyze_text(doc.text, title=doc.title or None)
    except ValueError:
        stats.rejected_docs += 1
        return []
    return predictions_from_analysis(doc, analysis, stats)


def predictions_from_analysis(doc: Doc, analysis: ArticleAnalysis, stats: MapStats) -> list[Pred]:
    omap = OffsetMap(analysis, doc.text)
    out: list[Pred] = []
    for q in analysis.quotes:
        stats.quotes += 1
        span = omap.span(q.span.start, q.span.end)
        if span is not None and _same_text(doc.text[span[0] : span[1]], q.text):
            stats.via_paragraphs += 1
        else:
            at = doc.text.find(q.text, doc.body_start)
            if at >= 0:
                span = (at, at + len(q.text))
                stats.via_search += 1
            else:
                stats.unmapped += 1
                span = None
        speaker_span: tuple[int, int] | None = None
        if q.speaker is not None and q.speaker.span is not None:
            speaker_span = omap.span(q.speaker.span.start, q.speaker.span.end)
            if speaker_span is None:
                stats.speakers_unmapped += 1
        out.append(
            Pred(
                start=span[0] if span else -1,
                end=span[1] if span else -1,
                cls="indirect" if q.kind == "indirect" else "direct",
                kind=q.kind,
                text=q.text,
                speaker=q.speaker.name if q.speaker else None,
                speaker_span=speaker_span,
                resolution=q.speaker.resolution if q.speaker else None,
                cue=q.cue,
            )
        )
    return out


def baseline_predictions(doc: Doc) -> list[Pred]:
    out = []
    for m in _BASELINE_RE.finditer(doc.text, doc.body_start):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        out.append(Pred(m.start(g), m.end(g), "direct", "regex", m.group(g)))
    return out


# --------------------------------------------------------------------------- scoring


def _words(name: str) -> list[str]:
    return [
        w.lower().removesuffix("'s").removesuffix("’s")
        for w in _WORD_RE.findall(name)
        if w.lower() not in _NAME_STOP
    ]


def names_agree(predicted: str, gold: str) -> bool:
    p, g = _words(predicted), _words(gold)
    if not p or not g:
        return False
    return p[-1] in g or g[-1] in p


@dataclass
class Counts:
    gold: int = 0
    found: int = 0
    pred: int = 0
    tp: int = 0

    def prf(self) -> tuple[float | None, float | None, float | None]:
        p = self.tp / self.pred if self.pred else None
        r = self.found / self.gold if self.gold else None
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else None
        if p is not None and r is not None and p + r == 0:
            f = 0.0
        return p, r, f


@dataclass
class Score:
    by_class: dict[str, Counts] = field(
        default_factory=lambda: {k: Counts() for k in ("all", "direct", "indirect")}
    )
    speaker_total: int = 0
    speaker_correct: int = 0
    speaker_by_span: int = 0
    speaker_by_name: int = 0
    speaker_by_pronoun_name: int = 0
    speaker_none: int = 0
    speaker_no_gold_source: int = 0
    speaker_pronoun_total: int = 0  # matched quotes whose gold Source is a pronoun
    speaker_pronoun_correct: int = 0
    # the same with a pronoun Source's judged antecedent in place of the heuristic one, where a
    # judgement exists; a pronoun the reader could not resolve is left out of these
    judged_total: int = 0
    judged_correct: int = 0
    judged_pronoun_total: int = 0
    judged_pronoun_correct: int = 0
    judged_unresolvable: int = 0
    seconds: float = 0.0
    misses: list[tuple[str, Gold]] = field(default_factory=list)
    false_positives: list[tuple[str, Pred]] = field(default_factory=list)
    speaker_errors: list[tuple[str, Pred, Gold]] = field(default_factory=list)
    # the speech-act subset: gold whose cue is a speech act; a prediction lying in other gold
    # (a belief, an intention, no cue) is left out of its precision, neither right nor wrong
    speech: Counts = field(default_factory=Counts)
    # gold and found counts per cue class, per shape and per cue lemma: where recall goes
    by_cue_class: dict[str, list[int]] = field(default_factory=dict)
    by_shape: dict[str, list[int]] = field(default_factory=dict)
    by_lemma: dict[str, list[int]] = field(default_factory=dict)

    def add(self, doc: Doc, preds: Sequence[Pred], *, speakers: bool) -> None:
        n = len(doc.text)
        gold_mask = bytearray(n)
        speech_mask = bytearray(n)
        for g in doc.gold:
            for a, b in g.parts:
                gold_mask[a:b] = b"\x01" * (b - a)
                if g.cue_class == "speech act":
                    speech_mask[a:b] = b"\x01" * (b - a)
        pred_mask = bytearray(n)
        for p in preds:
            if p.start >= 0:
                pred_mask[p.start : p.end] = b"\x01" * (p.end - p.start)
        for g in doc.gold:
            covered = sum(sum(pred_mask[a:b]) for a, b in g.parts)
            found = covered >= COVER * g.length
            for cls in ("all", "direct" if g.direct else "indirect"):
                self.by_class[cls].gold += 1
                self.by_class[cls].found += found
            if not found:
                self.misses.append((doc.name, g))
            keys = (
                (self.by_cue_class, [g.cue_class]),
                (self.by_shape, shapes(doc, g)),
                (self.by_lemma, [g.cue_lemma or "(no cue)"]),
            )
            for table, names in keys:
                for name in names:
                    row = table.setdefault(name, [0, 0])
                    row[0] += 1
                    row[1] += found
            if g.cue_class == "speech act":
                self.speech.gold += 1
                self.speech.found += found
        for p in preds:
            tp = p.start >= 0 and sum(gold_mask[p.start : p.end]) >= COVER * (p.end - p.start)
            for cls in ("all", p.cls):
                self.by_class[cls].pred += 1
                self.by_class[cls].tp += tp
            in_speech = p.start >= 0 and sum(speech_mask[p.start : p.end]) >= COVER * (
                p.end - p.start
            )
            if in_speech or not tp:
                self.speech.pred += 1
                self.speech.tp += in_speech
            if not tp:
                self.false_positives.append((doc.name, p))
                continue
            if not speakers:
                continue
            best = max(
                doc.gold,
                key=lambda g: sum(max(0, min(b, p.end) - max(a, p.start)) for a, b in g.parts),
            )
            if not best.source:
                self.speaker_no_gold_source += 1
                continue
            self.speaker_total += 1
            ok = False
            if p.speaker is None:
                self.speaker_none += 1
            elif p.speaker_span is not None and any(
                a < p.speaker_span[1] and p.speaker_span[0] < b for a, b in best.source
            ):
                ok = True
                self.speaker_by_span += 1
            elif best.ref_name and names_agree(p.speaker, best.ref_name):
                ok = True
                if best.by_pronoun:
                    self.speaker_by_pronoun_name += 1
                else:
                    self.speaker_by_name += 1
            self.speaker_correct += ok
            if best.by_pronoun:
                self.speaker_pronoun_total += 1
                self.speaker_pronoun_correct += ok
            if best.judged_ref is not None:
                if not best.judged_ref:
                    self.judged_unresolvable += 1
                    judged_ok = None
                else:
                    judged_ok = p.speaker is not None and names_agree(p.speaker, best.judged_ref)
            else:
                judged_ok = ok
            if judged_ok is not None:
                self.judged_total += 1
                self.judged_correct += judged_ok
                if best.by_pronoun:
                    self.judged_pronoun_total += 1
                    self.judged_pronoun_correct += judged_ok
            if not (ok if judged_ok is None else judged_ok):
                self.speaker_errors.append((doc.name, p, best))


def _fmt(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:5.3f}"


def _row(label: str, c: Counts) -> str:
    p, r, f = c.prf()
    return (
        f"  {label:<9} P {_fmt(p)}  R {_fmt(r)}  F1 {_fmt(f)}"
        f"   (found {c.found}/{c.gold} gold; {c.tp}/{c.pred} predictions true)"
    )


def _clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def print_breakdown(score: Score, top: int = 25) -> dict[str, Any]:
    """Where recall goes: gold, found and missed per cue class, shape and cue lemma (counts
    only). Returns the same tables for the JSON record."""

    def table(title: str, rows: dict[str, list[int]], limit: int | None = None) -> None:
        print(f"  {title}: gold / found / missed (recall)")
        ordered = sorted(rows.items(), key=lambda kv: (-(kv[1][0] - kv[1][1]), kv[0]))
        for name, (n, found) in ordered[:limit]:
            print(f"    {name:<30} {n:5d} {found:5d} {n - found:5d}  ({found / n:.3f})")

    print("\n  where recall goes (a gold attribution may have several shapes)")
    table("by cue class", score.by_cue_class)
    table("by shape", score.by_shape)
    table(f"by cue lemma, {top} with most misses", score.by_lemma, top)
    return {
        "cue_class": {k: v for k, v in sorted(score.by_cue_class.items())},
        "shape": {k: v for k, v in sorted(score.by_shape.items())},
        "lemma_top_missed": dict(
            sorted(score.by_lemma.items(), key=lambda kv: -(kv[1][0] - kv[1][1]))[:top]
        ),
    }


def print_errors(score: Score, n: int, label: str) -> None:
    rng = random.Random(0)

    def sample(items: list[Any]) -> Iterable[Any]:
        return rng.sample(items, min(n, len(items)))

    print(f"\n--- {label}: sample misses (gold not found) ---")
    for name, g in sample(score.misses):
        kind = "direct" if g.direct else "indirect"
        print(f"  [{name[:40]}] {kind} src={g.source_text!r}: {_clip(g.text)}")
    print(f"\n--- {label}: sample false positives ---")
    for name, p in sample(score.false_positives):
        print(f"  [{name[:40]}] {p.kind} cue={p.cue!r} speaker={p.speaker!r}: {_clip(p.text)}")
    if score.speaker_errors:
        print(f"\n--- {label}: sample speaker errors ---")
        for name, p, g in sample(score.speaker_errors):
            print(
                f"  [{name[:40]}] {p.kind} predicted {p.speaker!r} ({p.resolution}, cue "
                f"{p.cue!r}), gold {g.source_text!r} (ref {g.ref_name!r}): {_clip(p.text, 100)}"
            )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Quote extraction benchmark on PolNeAR (brat standoff). Scores newsprism's quotes "
            "(content spans, direct/indirect, speakers) and a quote-mark regex baseline in the "
            "same run. See the module docstring for the exact rules."
        )
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"PolNeAR folder (default: {DEFAULT_DATA})"
    )
    parser.add_argument(
        "--split",
        choices=("dev", "train"),
        default="dev",
        help="dev for reporting, train for tuning (default: dev)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help="score only the first N texts (in a fixed order mixed by a hash of the name)",
    )
    parser.add_argument(
        "--json", action="store_true", help=f"append a JSON line to {RESULTS_FILE.name}"
    )
    parser.add_argument(
        "--errors", type=int, default=0, metavar="N", help="print N sample errors of each type"
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data: Path = args.data
    if (
        not (data / args.split / "text").is_dir()
        or not (data / args.split / "attributions").is_dir()
    ):
        print(
            f"ERROR: PolNeAR data not found at {data} (expected {args.split}/text and "
            f"{args.split}/attributions). It lives outside the repository, in "
            "../shared/eval/quotes/polnear; pass --data DIR.",
            file=sys.stderr,
        )
        return 2
    docs = load_split(data, args.split, args.limit)
    if not docs:
        print(f"ERROR: no annotated texts in {data / args.split}", file=sys.stderr)
        return 2

    newsprism.analyze_text(docs[0].text, title=docs[0].title or None)  # load the model untimed
    docs = cue_heads(docs)
    ours, base, stats = Score(), Score(), MapStats()
    for doc in docs:
        t0 = time.perf_counter()
        preds = newsprism_predictions(doc, stats)
        ours.seconds += time.perf_counter() - t0
        ours.add(doc, preds, speakers=True)
        t0 = time.perf_counter()
        bpreds = baseline_predictions(doc)
        base.seconds += time.perf_counter() - t0
        base.add(doc, bpreds, speakers=False)

    n_gold = sum(len(d.gold) for d in docs)
    n_direct = sum(g.direct for d in docs for g in d.gold)
    multi = sum(
        1
        for d in docs
        if len(list((data / args.split / "attributions").glob(f"{d.name}_*.ann"))) > 1
    )
    print(f"PolNeAR quotes benchmark, split {args.split} ({data})")
    print(
        f"texts: {len(docs)}{' (limit)' if args.limit else ''}; gold contents {n_gold} "
        f"({n_direct} direct, {n_gold - n_direct} indirect); "
        f"{sum(d.gold_in_title for d in docs)} in headlines left out; "
        f"{multi} texts with several annotators (first annotator id used)"
    )
    print(
        f"offset mapping: {stats.quotes} newsprism quotes, {stats.via_paragraphs} through "
        f"paragraph offsets, {stats.via_search} by text search, {stats.unmapped} unmapped "
        f"(scored as false positives); {stats.speakers_unmapped} speaker spans unmapped; "
        f"{stats.rejected_docs} texts rejected by newsprism"
    )
    print(
        f"rules: found = >= {COVER:.0%} of a gold content's characters covered; "
        f"true positive = >= {COVER:.0%} of a prediction's characters inside gold content"
    )
    record: dict[str, Any] = {}
    for label, score in (("newsprism", ours), ("regex baseline", base)):
        docs_s = len(docs) / score.seconds if score.seconds else float("inf")
        print(f"\n{label}  ({docs_s:,.1f} docs/s)")
        for cls in ("all", "direct", "indirect"):
            print(_row(cls, score.by_class[cls]))
        print(_row("speech", score.speech) + "  <- gold with a speech-act cue only")
        key = "newsprism" if label == "newsprism" else "baseline"
        rec: dict[str, Any] = {"docs_per_s": round(docs_s, 2)}
        for cls in ("all", "direct", "indirect"):
            c = score.by_class[cls]
            p, r, f = c.prf()
            rec[cls] = {
                "p": None if p is None else round(p, 4),
                "r": None if r is None else round(r, 4),
                "f1": None if f is None else round(f, 4),
                "gold": c.gold,
                "found": c.found,
                "pred": c.pred,
                "tp": c.tp,
            }
        sp, sr, sf = score.speech.prf()
        rec["speech_acts"] = {
            "p": None if sp is None else round(sp, 4),
            "r": None if sr is None else round(sr, 4),
            "f1": None if sf is None else round(sf, 4),
            "gold": score.speech.gold,
            "found": score.speech.found,
            "pred": score.speech.pred,
            "tp": score.speech.tp,
        }
        if label == "newsprism":
            rec["recall_by"] = print_breakdown(score)
            acc = score.speaker_correct / score.speaker_total if score.speaker_total else None
            print(
                f"  speaker accuracy on matched: {_fmt(acc)}  ({score.speaker_correct}/"
                f"{score.speaker_total}: {score.speaker_by_span} by span, {score.speaker_by_name}"
                f" by name, {score.speaker_by_pronoun_name} by name through a gold pronoun; "
                f"{score.speaker_none} without a speaker; {score.speaker_no_gold_source} matched "
                "quotes whose gold has no source not counted)"
            )
            named_total = score.speaker_total - score.speaker_pronoun_total
            named_ok = score.speaker_correct - score.speaker_pronoun_correct
            named = named_ok / named_total if named_total else None
            pron = (
                score.speaker_pronoun_correct / score.speaker_pronoun_total
                if score.speaker_pronoun_total
                else None
            )
            print(
                f"    gold Source a name or description: {_fmt(named)} ({named_ok}/{named_total}); "
                f"gold Source a pronoun (heuristic antecedent): {_fmt(pron)} "
                f"({score.speaker_pronoun_correct}/{score.speaker_pronoun_total})"
            )
            judged = score.judged_correct / score.judged_total if score.judged_total else None
            jpron = (
                score.judged_pronoun_correct / score.judged_pronoun_total
                if score.judged_pronoun_total
                else None
            )
            if score.judged_unresolvable or score.judged_total != score.speaker_total:
                print(
                    f"  speaker accuracy, pronoun Sources by their judged antecedent: "
                    f"{_fmt(judged)} ({score.judged_correct}/{score.judged_total}; pronouns "
                    f"{_fmt(jpron)}, {score.judged_pronoun_correct}/"
                    f"{score.judged_pronoun_total}; {score.judged_unresolvable} unresolvable "
                    "by reading, not counted)  <- beside the heuristic figure above"
                )
            rec["speaker_accuracy_judged"] = None if judged is None else round(judged, 4)
            rec["speaker_judged"] = {
                "total": score.judged_total,
                "correct": score.judged_correct,
                "pronoun_total": score.judged_pronoun_total,
                "pronoun_correct": score.judged_pronoun_correct,
                "unresolvable": score.judged_unresolvable,
            }
            rec["speaker_accuracy"] = None if acc is None else round(acc, 4)
            rec["speaker_accuracy_named_gold"] = None if named is None else round(named, 4)
            rec["speaker_accuracy_pronoun_gold"] = None if pron is None else round(pron, 4)
            rec["speaker"] = {
                "total": score.speaker_total,
                "correct": score.speaker_correct,
                "by_span": score.speaker_by_span,
                "by_name": score.speaker_by_name,
                "by_pronoun_name": score.speaker_by_pronoun_name,
                "none": score.speaker_none,
            }
        else:
            print("  speaker accuracy on matched: n/a (the regex finds no speakers)")
            rec["speaker_accuracy"] = None
        record[key] = rec

    if args.errors:
        print_errors(ours, args.errors, "newsprism")

    if args.json:
        record = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": git_commit(PROJECT_DIR),
            "python": platform.python_version(),
            "newsprism_version": newsprism.__version__,
            "split": args.split,
            "limit": args.limit,
            "n_texts": len(docs),
            "n_gold": n_gold,
            "n_gold_direct": n_direct,
            "mapping": {
                "quotes": stats.quotes,
                "via_paragraphs": stats.via_paragraphs,
                "via_search": stats.via_search,
                "unmapped": stats.unmapped,
                "rejected_docs": stats.rejected_docs,
            },
            **record,
        }
        append_jsonl(RESULTS_FILE, record)
        print(f"\nrecorded in {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
