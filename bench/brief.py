"""Neutral brief: ROUGE-1/2/L of the brief's summary against AllSides' neutral roundups (NeuS).

Data: ../shared/eval/stories/neus (NeuS, HLTCHKUST/framing-bias-metric: AllSides roundups;
research use, the text belongs to AllSides and the publishers). It is read in place and never
copied into this repository. `{split}.source` has one story a line: three articles (left,
centre and right outlets in random order) joined by `[SEP]`, each `TITLE=> ... ARTICLE=> ...`
(the articles are leads of at most ~120 words, not whole pages). `{split}.target` is the
neutral roundup written by AllSides' editors, in the same `TITLE=> ... ARTICLE=> ...` form.
The train split is for tuning, val for reporting; `--split both` (the default) scores both in
one run, so a change tuned on one split is seen on the other.

Reference: the roundup's ARTICLE text only. Its TITLE is a headline, and none of the systems
below writes one, so scoring it would only add words no system can match.

Systems, all in the same run on the same stories and held to the same length:

* newsprism: the real pipeline, `newsprism.analyze([Document(text, title=TITLE,
  outlet=f"source {i}"), ...])` on the three articles (in memory, no database), then
  `newsprism.brief.build_brief` called on the three analyses with a Story over all of them.
  (The pipeline's own grouping may split a triplet into two stories; the brief is still built
  over all three, and the share of triplets grouped into one story is printed.) The summary is
  the sentences of the brief's "Summary" section followed by its "What happened" section, in
  the brief's order: together they are what the brief says happened; the other sections
  (quotes, timeline, single-source claims) are not a prose summary. Settings are the defaults
  except `min_article_chars=1`: the 80-character guard is meant for junk pages, and about 5%
  of these leads are shorter (a one-sentence standfirst), which would otherwise be dropped.
* lead: the first article's sentences in order (newsprism's sentence split of that article),
  then the following articles' sentences, so that it fills the same budget as the others (the
  leads are short: the first article alone averaged 48 of 66 words).
* LexRank (Erkan & Radev 2004), implemented here in numpy: the sentences of all three
  articles (newsprism's sentence split), TF-IDF vectors over stemmed non-stopword tokens (IDF
  over the story's sentences), cosine similarity, edges where it exceeds 0.1, a row-normalised
  graph with damping 0.15, power iteration; sentences taken by score and shown in article
  order. (sumy's LexRankSummarizer was not used: it pulls in chardet, which changes
  feedparser's encoding detection for the whole environment.)

Length rule: each system's sentences are taken in its order until the summary reaches the
budget, and the text is then cut to exactly the budget in white-space words. The budget is the
roundup's own length in words (per story) by default, or a fixed `--words N`. A system with
fewer words than the budget (an article shorter than the roundup, a brief with few sentences)
is scored on what it has.

Scoring: `rouge_score.rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"],
use_stemmer=True)`, F-measure per story, averaged over stories (x100). An empty summary scores 0.

Citation coverage (newsprism only): the share of summary sentences (those that appear, even
cut, in the scored text) with at least one citation whose text is the cited article's text at
the cited span and is found verbatim (after NFC and white-space normalisation) in that
article's source text as given in the data file. It must be 100%. The share of sentences that
pass `brief.check_support` is printed beside it.

stories/s is wall time of `analyze` plus `build_brief` per story, after an untimed warm-up that
loads the model; the baselines and scoring are not timed. `--json` appends one JSON line per
split to bench/results/brief.jsonl. Data absent: a message and exit status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from nltk.stem import porter  # type: ignore[import-untyped]
from rouge_score import rouge_scorer, tokenize  # type: ignore[import-untyped]

import newsprism
from newsprism import Document, Settings
from newsprism.brief import _WORD, build_brief, check_support
from newsprism.models import ArticleAnalysis, Brief, BriefSentence, Story
from newsprism.provenance import append_jsonl, git_commit
from newsprism.stories import STOPWORDS

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_DATA = PROJECT_DIR.parent / "shared" / "eval" / "stories" / "neus"
RESULTS_FILE = BENCH_DIR / "results" / "brief.jsonl"
REFERENCE = "design.md reference figures: lead baseline R1 40.9; LexRank 42.2"
SECTIONS = ("Summary", "What happened")
METRICS = ("rouge1", "rouge2", "rougeL")
SYSTEMS = ("newsprism", "lead", "LexRank")
LEXRANK_THRESHOLD = 0.1
LEXRANK_DAMPING = 0.15
_PART = re.compile(r"^\s*TITLE=>(.*?)ARTICLE=>(.*)$", re.S)
_WS = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’]))\s+(?=[\"'“‘(]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class Triplet:
    """One story of the data: three articles (title, text) and the roundup's text."""

    line: int
    titles: tuple[str, ...]
    texts: tuple[str, ...]
    target: str


@dataclass(slots=True)
class Tally:
    """Per-system sums over stories."""

    scores: dict[str, float] = field(default_factory=lambda: dict.fromkeys(METRICS, 0.0))
    words: int = 0
    empty: int = 0
    seconds: float = 0.0


def norm(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def split_part(part: str) -> tuple[str, str]:
    """`TITLE=> t ARTICLE=> a` as (t, a); a part without the markers is all article."""
    m = _PART.match(part)
    if m is None:
        return "", part.strip()
    return m.group(1).strip(), m.group(2).strip()


def load_split(data: Path, split: str, limit: int | None) -> list[Triplet]:
    sources = (data / f"{split}.source").read_text(encoding="utf-8").splitlines()
    targets = (data / f"{split}.target").read_text(encoding="utf-8").splitlines()
    if len(sources) != len(targets):
        raise ValueError(f"{split}: {len(sources)} source lines but {len(targets)} target lines")
    out: list[Triplet] = []
    for n, (src, tgt) in enumerate(zip(sources, targets, strict=True), start=1):
        if not src.strip():
            continue
        parts = [split_part(p) for p in src.split("[SEP]")]
        out.append(
            Triplet(
                line=n,
                titles=tuple(t for t, _ in parts),
                texts=tuple(a for _, a in parts),
                target=split_part(tgt)[1],
            )
        )
        if limit and len(out) >= limit:
            break
    return out


def cut(sentences: Sequence[str], budget: int) -> tuple[str, int]:
    """The sentences in order, cut to `budget` white-space words; also how many were used."""
    words: list[str] = []
    used = 0
    for s in sentences:
        if len(words) >= budget:
            break
        words += s.split()
        used += 1
    return " ".join(words[:budget]), used


# ---------------------------------------------------------------- LexRank (numpy)

_STEMMER = porter.PorterStemmer()


def _lexrank_tokens(text: str) -> list[str]:
    return [
        _STEMMER.stem(t) if len(t) > 3 else t
        for t in tokenize.tokenize(text, None)
        if t not in STOPWORDS
    ]


def lexrank_scores(sentences: Sequence[str]) -> list[float]:
    """LexRank centrality of each sentence (thresholded cosine TF-IDF graph, power iteration)."""
    n = len(sentences)
    if n == 0:
        return []
    docs = [_lexrank_tokens(s) for s in sentences]
    vocab = {t: i for i, t in enumerate(sorted({t for d in docs for t in d}))}
    tf = np.zeros((n, len(vocab)))
    for i, d in enumerate(docs):
        for t in d:
            tf[i, vocab[t]] += 1.0
    df = (tf > 0).sum(axis=0)
    idf = np.log(n / np.maximum(df, 1))
    vec = tf * idf
    lengths = np.linalg.norm(vec, axis=1)
    lengths[lengths == 0] = 1.0
    unit = vec / lengths[:, None]
    adjacency = (unit @ unit.T > LEXRANK_THRESHOLD).astype(float)
    degree = adjacency.sum(axis=1)
    rows = np.where(degree[:, None] > 0, adjacency / np.maximum(degree, 1)[:, None], 1.0 / n)
    markov = LEXRANK_DAMPING / n + (1 - LEXRANK_DAMPING) * rows
    p = np.full(n, 1.0 / n)
    for _ in range(200):
        nxt = markov.T @ p
        if np.abs(nxt - p).sum() < 1e-9:
            p = nxt
            break
        p = nxt
    return [float(x) for x in p]


def lexrank_summary(articles: Sequence[Sequence[str]], budget: int) -> list[str]:
    """Top LexRank sentences up to the budget, shown in article order."""
    flat = [(a, i, s) for a, sents in enumerate(articles) for i, s in enumerate(sents)]
    scores = lexrank_scores([s for _, _, s in flat])
    order = sorted(range(len(flat)), key=lambda k: (-scores[k], k))
    chosen: list[int] = []
    words = 0
    for k in order:
        if words >= budget:
            break
        chosen.append(k)
        words += len(flat[k][2].split())
    return [flat[k][2] for k in sorted(chosen)]


# ---------------------------------------------------------------- newsprism


def regex_sentences(text: str) -> list[str]:
    """A fallback split for an article newsprism rejected (the baselines still read it)."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def brief_of(analyses: Sequence[ArticleAnalysis]) -> Brief:
    story = Story(
        id="bench",
        article_ids=tuple(a.article.id for a in analyses),
        label="",
        first_date=None,
        last_date=None,
    )
    return build_brief(story, analyses, max_articles=Settings().brief_max_articles)


@dataclass(slots=True)
class Citations:
    sentences: int = 0
    covered: int = 0
    supported: int = 0
    failures: list[str] = field(default_factory=list)


def check_citations(
    sentences: Sequence[BriefSentence],
    analyses: Sequence[ArticleAnalysis],
    source_texts: dict[str, str],
    tally: Citations,
) -> None:
    by_id = {a.article.id: a for a in analyses}
    metadata = frozenset(w.lower() for a in analyses for w in _WORD.findall(a.article.label))
    for s in sentences:
        tally.sentences += 1
        ok = False
        for c in s.citations:
            a = by_id.get(c.article_id)
            if a is None:
                continue
            if a.article.text[c.span.start : c.span.end] == c.text and norm(c.text) in norm(
                source_texts[c.article_id]
            ):
                ok = True
        tally.covered += ok
        supported = check_support(s, metadata=metadata)
        tally.supported += supported
        if not (ok and supported) and len(tally.failures) < 5:
            tally.failures.append(s.text)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Neutral-brief benchmark on NeuS (AllSides triplets): the brief's Summary + What "
            "happened sentences against the neutral roundup, beside the lead baseline and "
            "LexRank at the same length, with ROUGE-1/2/L (rouge-score, stemming) and citation "
            "coverage. Tune on train, report on val."
        )
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"NeuS folder (default: {DEFAULT_DATA})"
    )
    parser.add_argument(
        "--split",
        choices=("val", "train", "both"),
        default="both",
        help="val for reporting, train for tuning, both in one run (default: both)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=100,
        help="score the first N stories of each split, in file order; 0 = all (default: 100)",
    )
    parser.add_argument(
        "--words",
        type=int,
        default=0,
        help="a fixed word budget for every summary; 0 = the roundup's own length (default)",
    )
    parser.add_argument(
        "--show", type=int, default=0, metavar="N", help="print the first N stories' summaries"
    )
    parser.add_argument(
        "--json", action="store_true", help=f"append a JSON line to {RESULTS_FILE.name}"
    )
    args = parser.parse_args(argv)
    if args.limit < 0 or args.words < 0 or args.show < 0:
        parser.error("--limit, --words and --show must not be negative")
    return args


@dataclass(slots=True)
class SplitResult:
    """One split's figures: what is printed and what is recorded."""

    split: str
    n: int
    budget_total: int
    rejected: int
    grouped: int
    tallies: dict[str, Tally]
    cites: Citations

    def averages(self, name: str) -> dict[str, float]:
        t = self.tallies[name]
        return {m: 100 * t.scores[m] / self.n for m in METRICS}


def run_split(triplets: Sequence[Triplet], split: str, args: argparse.Namespace) -> SplitResult:
    settings = Settings(min_article_chars=1)
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    tallies = {name: Tally() for name in SYSTEMS}
    cites = Citations()
    grouped = rejected = budget_total = 0
    for k, tri in enumerate(triplets):
        docs = [
            Document(text, title=title or None, outlet=f"source {i}")
            for i, (title, text) in enumerate(zip(tri.titles, tri.texts, strict=True))
        ]
        t0 = time.perf_counter()
        result = newsprism.analyze(docs, settings=settings)
        analyses = list(result.analyses)
        brief = brief_of(analyses) if analyses else None
        tallies["newsprism"].seconds += time.perf_counter() - t0

        rejected += len(result.rejections)
        grouped += len(result.stories) == 1 and len(analyses) == len(docs)
        budget = args.words or len(tri.target.split())
        budget_total += budget

        index_of = {f"source {i}": i for i in range(len(docs))}
        by_index = {index_of[a.article.outlet or ""]: a for a in analyses}
        articles = [
            [s.text for s in by_index[i].sentences if not s.is_heading]
            if i in by_index
            else regex_sentences(text)
            for i, text in enumerate(tri.texts)
        ]
        ours: list[BriefSentence] = []
        if brief is not None:
            ours = [s for sec in brief.sections if sec.title in SECTIONS for s in sec.sentences]
        summaries: dict[str, str] = {}
        text, used = cut([s.text for s in ours], budget)
        summaries["newsprism"] = text
        source_texts = {a.article.id: tri.texts[i] for i, a in by_index.items()}
        check_citations(ours[:used], analyses, source_texts, cites)
        # the lead, then the following articles: the same budget as the other systems
        summaries["lead"], _ = cut([s for sents in articles for s in sents], budget)
        summaries["LexRank"], _ = cut(lexrank_summary(articles, budget), budget)

        for name, summary in summaries.items():
            tally = tallies[name]
            tally.words += len(summary.split())
            if not summary:
                tally.empty += 1
                continue
            scores = scorer.score(tri.target, summary)
            for m in METRICS:
                tally.scores[m] += scores[m].fmeasure
        if k < args.show:
            print(f"--- {split}: story at line {tri.line} (budget {budget} words)")
            print(f"roundup:   {tri.target}")
            for name, summary in summaries.items():
                print(f"{name + ':':<10} {summary}")
    return SplitResult(split, len(triplets), budget_total, rejected, grouped, tallies, cites)


def report(r: SplitResult, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Print one split's table; return its JSON record."""
    n = r.n
    ours_s = r.tallies["newsprism"].seconds
    stories_s = n / ours_s if ours_s else float("inf")
    cites = r.cites
    coverage = cites.covered / cites.sentences if cites.sentences else None
    supported = cites.supported / cites.sentences if cites.sentences else None
    print(f"NeuS neutral-brief benchmark, split {r.split} ({data})")
    print(
        f"stories: {n}{' (limit)' if args.limit and n == args.limit else ''}; "
        f"length: {'the roundup length' if not args.words else f'{args.words} words'} "
        f"(mean budget {r.budget_total / n:.1f} words); reference: roundup ARTICLE text"
    )
    print(
        f"newsprism: {r.rejected} of {3 * n} articles rejected; {r.grouped} of {n} triplets "
        f"grouped into one story by the pipeline; summary = {' + '.join(SECTIONS)}"
    )
    header = f"{'system':<12}{'ROUGE-1':>9}{'ROUGE-2':>9}{'ROUGE-L':>9}{'words':>8}{'empty':>7}"
    print()
    print(header)
    print("-" * len(header))
    record_rows: dict[str, Any] = {}
    for name in SYSTEMS:
        t = r.tallies[name]
        avg = r.averages(name)
        print(
            f"{name:<12}{avg['rouge1']:>9.2f}{avg['rouge2']:>9.2f}{avg['rougeL']:>9.2f}"
            f"{t.words / n:>8.1f}{t.empty:>7}"
        )
        record_rows[name] = {
            "rouge1": round(avg["rouge1"], 2),
            "rouge2": round(avg["rouge2"], 2),
            "rougeL": round(avg["rougeL"], 2),
            "mean_words": round(t.words / n, 1),
            "empty": t.empty,
        }
    print()
    print(
        f"citation coverage (newsprism): "
        f"{'n/a' if coverage is None else f'{coverage:.1%}'} of {cites.sentences} summary "
        f"sentences; check_support passes: {'n/a' if supported is None else f'{supported:.1%}'}"
    )
    for failure in cites.failures:
        print(f"  uncovered: {failure[:100]!r}")
    print(f"speed: {stories_s:.2f} stories/s (newsprism analyze + brief, model load excluded)")
    print()
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(PROJECT_DIR),
        "python": platform.python_version(),
        "newsprism": newsprism.__version__,
        "split": r.split,
        "limit": args.limit or None,
        "n_stories": n,
        "words": args.words or "roundup",
        "mean_budget": round(r.budget_total / n, 1),
        "sections": list(SECTIONS),
        "lead": "first article, then the following ones",
        "n_rejected": r.rejected,
        "n_grouped": r.grouped,
        "rows": record_rows,
        "citation_coverage": None if coverage is None else round(coverage, 4),
        "check_support": None if supported is None else round(supported, 4),
        "n_summary_sentences": cites.sentences,
        "stories_per_s": round(stories_s, 3),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data: Path = args.data
    splits = ("train", "val") if args.split == "both" else (args.split,)
    loaded: dict[str, list[Triplet]] = {}
    for split in splits:
        if not (data / f"{split}.source").is_file() or not (data / f"{split}.target").is_file():
            print(
                f"ERROR: NeuS data not found at {data} (expected {split}.source and "
                f"{split}.target). It lives outside the repository, in "
                "../shared/eval/stories/neus; pass --data DIR.",
                file=sys.stderr,
            )
            return 2
        try:
            loaded[split] = load_split(data, split, args.limit or None)
        except (ValueError, OSError) as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return 2
        if not loaded[split]:
            print(f"ERROR: no stories in {data / split}.source", file=sys.stderr)
            return 2

    first = loaded[splits[0]][0]
    newsprism.analyze(  # warm-up: loads the model, untimed
        [
            Document(t, title=h or None, outlet="warm-up")
            for h, t in zip(first.titles, first.texts, strict=True)
        ],
        settings=Settings(min_article_chars=1),
    )
    results = [run_split(loaded[split], split, args) for split in splits]
    records = [report(r, data, args) for r in results]
    if len(results) > 1:
        print("ROUGE-1 / ROUGE-2 / ROUGE-L, every system at the same length:")
        print(
            f"{'system':<12}" + "".join(f"{r.split + ' (' + str(r.n) + ')':>24}" for r in results)
        )
        for name in SYSTEMS:
            cells = []
            for r in results:
                avg = r.averages(name)
                cells.append(f"{avg['rouge1']:.2f}/{avg['rouge2']:.2f}/{avg['rougeL']:.2f}")
            print(f"{name:<12}" + "".join(f"{c:>24}" for c in cells))
        wins = [
            r.averages("newsprism")["rouge1"] > r.averages("LexRank")["rouge1"] for r in results
        ]
        verdict = "beats" if all(wins) else "does NOT beat"
        print(f"newsprism {verdict} LexRank (ROUGE-1) on {' and '.join(r.split for r in results)}")
    print(REFERENCE)
    if args.json:
        for record in records:
            append_jsonl(RESULTS_FILE, record)
        print(f"recorded in {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
