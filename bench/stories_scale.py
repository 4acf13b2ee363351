"""Story grouping at scale: seconds per 1,000 assignments and peak memory on synthetic streams.

Goal (the issue): per-article assignment time flat (within 2x) from 10k to 1M articles, under
50 ms p95 per article at 1M, peak memory under 4 GB. This bench measures the grouping stage
only (`pipeline.group_stories`), not extraction or annotation: features are built directly,
without spaCy (≈ 8 articles/s would make a 1M stream impossible).

Method
* One size at a time (--sizes, default 10000,100000,1000000; --quick: 2000,10000), each in its
  own subprocess (this script with a hidden --child N), so that the peak resident memory
  (`resource.getrusage(RUSAGE_SELF).ru_maxrss`, read in the child right after the stream) is
  that size's alone. The parent prints the table and the goal checks.
* The child writes a REAL SQLite file store (`open_store(path)` in a temporary directory,
  --tmp-dir, deleted afterwards) and feeds the stream in batches of --batch articles (default
  1000), the way repeated `newsprism ingest` runs would. Before each batch, every article of the
  batch is stored as the pipeline stores it: `put_raw`, `put_article`, `put_features` (dated by
  its published date). Near-duplicate detection is skipped (no `mark_copy`, no MinHash
  signatures: the synthetic articles are not copies, and that stage is not grouping). Storing is
  not timed; then ONE call of the real `group_stories(batch, store, settings=...)` is.
* Per-article time: `group_stories` calls `progress("stories", k, n)` once per article just
  before assigning it. The time of article k is the next call's `perf_counter()` minus this
  one's; the last article of a batch ends when `group_stories` returns; the first one also
  carries the batch set-up (finding the batch's articles, loading their features and the active
  stories of the window from the store). That set-up is kept in the figures, as the honest
  per-batch overhead, and its share is shown (column "set-up %").
* Reported per size: articles; stories made; seconds per 1,000 assignments, as the mean over
  the whole stream and over its last 10% ("at 1M" means the cost once a million articles are
  stored); p50/p95/p99 ms per article over the last 10%; peak RSS; wall seconds of the child
  (generation and storing included); BCubed F1 of the stories made against the generator's gold
  stories (a sanity check: scaling must not ruin grouping; BCubed as in bench/stories.py);
  the distinct words the stream used (numbers not counted); s/1k in each tenth of the stream.
* Baseline, in the same run: the smallest size again with `Settings(story_candidates=0)`, i.e.
  no candidate retrieval, every active story of the window scored (the old exhaustive scan).
  It is about ten times slower per article, so a run of large sizes only (--sizes 100000)
  should pass --no-baseline.
* Goal checks: s/1k over the last 10% at the largest size / at the smallest (goal <= 2.0),
  p95 at the largest size (goal < 50 ms), the largest peak RSS (goal < 4096 MB).

The synthetic stream (deterministic for a --seed, default 0; no copied text)
* Vocabulary: the terms (`stories._terms`: lower-cased, stop words out, stemmed) of the
  bundled fictional examples (examples/*/, tags stripped crudely) and of the framing lexicon
  (src/newsprism/data/framing_lexicon.json) head a background list, filled up to 50,000 terms
  with pseudo-words (three consonant-vowel syllables). Background words are drawn Zipf-like
  (p ∝ 1/rank^1.07). Stories draw their rare signature words from a separate pool of 1,000,000
  pseudo-words (four syllables), so the vocabulary keeps growing with the stream, as real news
  vocabulary does (tens of thousands of distinct words at 10k articles, hundreds of thousands at
  1M). Named entities: the gazetteer's names (newsprism.nlp.gazetteer) and pseudo-names (first
  and last name from pseudo-word pools).
* Time: articles arrive in order at a constant --per-day (default 2000), so a 1M stream spans
  ~500 days and the window (`story_window_days`, 7 days either side) holds a steady number of
  stories once it is full, which is what makes "flat" testable. Note that at 2000/day it fills
  after about (7 + a story's lifetime) days, 16k-24k articles: the 10k stream never sees a full
  window, so the 10k-to-1M ratio is a strict test. An article's published date lies in its
  story's lifetime; it arrives the same day (85%), a day late (10%) or two days late (5%); the
  stream is in arrival order, shuffled within a day.
* Stories: start dates follow the stream (each day's new stories hold about --per-day articles),
  lifetime 1-5 days, size drawn from a Zipf law (exponent 2.1, at most 400: most stories have
  1-3 articles, a few 50 or more). Each story has 8-15 rare signature words, 2-3 named entities
  (one from the gazetteer half of the time) and one or two numbers ("#263000", "#3.6%").
* Articles: each signature word with probability 0.7 (at least three), 1-3 times; each entity's
  name words 1-4 times; the numbers; 150-300 background tokens; a title of 4-8 signature and
  entity words counted `TITLE_WEIGHT` times. `Features.terms` = 1 + ln(count), as
  `article_features` computes them; `Features.actors` = the entities' slugs. Text stored: the
  title and twenty background words (short, to save disk).

--json appends one line to bench/results/stories_scale.jsonl. A 1M stream takes hours (the
store alone writes ~4 transactions per article) and several GB of disk in --tmp-dir.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import html
import itertools
import json
import math
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from timeit import default_timer as perf_counter  # time.perf_counter (see below)
from typing import Any

import numpy as np

import newsprism
from newsprism.ids import hash_id
from newsprism.models import Article, Paragraph, RawDocument, SourceHints, Span
from newsprism.nlp.actors import slug
from newsprism.nlp.gazetteer import ENTRIES
from newsprism.pipeline import group_stories
from newsprism.provenance import append_jsonl, git_commit
from newsprism.settings import Settings
from newsprism.store import Store, open_store
from newsprism.stories import GROUPER, TITLE_WEIGHT, Features, StoryIndex, _terms

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
EXAMPLES_DIR = PROJECT_DIR / "examples"
LEXICON_FILE = PROJECT_DIR / "src" / "newsprism" / "data" / "framing_lexicon.json"
RESULTS_FILE = BENCH_DIR / "results" / "stories_scale.jsonl"
START = dt.date(2024, 1, 1)
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (2_000, 10_000)
GOAL_RATIO = 2.0
GOAL_P95_MS = 50.0
GOAL_RSS_MB = 4096.0

BACKGROUND_TERMS = 50_000
RARE_TERMS = 1_000_000
ZIPF_EXPONENT = 1.07  # background word frequencies
STORY_EXPONENT = 2.1  # story sizes
MAX_STORY = 400
LATE = (0.85, 0.10, 0.05)  # share of articles arriving 0, 1 and 2 days after publication
FIRST_NAMES = 3_000
LAST_NAMES = 30_000
OUTLETS = 60

_CONSONANTS = "bcdfghjklmnprstvz"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]  # 85, each two letters
_TAG = re.compile(r"<[^>]*>")
# `timeit.default_timer` is `time.perf_counter`; it is imported from timeit because bench/time.py
# (the TempEval bench) shadows the `time` module when mypy checks a file of this folder.
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)


# -- vocabulary ------------------------------------------------------------------------------
def pseudo_word(k: int, syllables: int, salt: int) -> str:
    """The k-th pseudo-word of a given length: distinct k give distinct words.

    k is scrambled by an affine map modulo 85^syllables (a bijection: the multiplier is prime
    to 85), so neighbouring ranks do not look alike; each syllable is a consonant and a vowel.
    """
    space = len(_SYLLABLES) ** syllables
    x = (k * 7_919 * 1_000_003 + salt) % space
    out = []
    for _ in range(syllables):
        x, digit = divmod(x, len(_SYLLABLES))
        out.append(_SYLLABLES[digit])
    return "".join(out)


def source_terms() -> list[str]:
    """Terms of the bundled examples and the framing lexicon, most frequent first."""
    counts: Counter[str] = Counter()
    for path in sorted(EXAMPLES_DIR.glob("*/*")):
        if path.suffix not in {".txt", ".html"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            text = html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", text)))
        counts.update(t for t in _terms(text) if not t.startswith("#"))
    if LEXICON_FILE.is_file():
        lexicon = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
        for key, words in lexicon.items():
            if not key.startswith("_") and isinstance(words, list):
                counts.update(t for w in words for t in _terms(str(w)))
    return [t for t, _ in sorted(counts.items(), key=lambda tc: (-tc[1], tc[0]))]


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity of a story: its name, actor id (slug) and terms."""

    name: str
    actor: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    background: tuple[str, ...]  # by rank: real terms first, then pseudo-words
    cdf: np.ndarray  # cumulative Zipf probabilities over `background`
    gazetteer: tuple[Entity, ...]
    outlets: tuple[str, ...]
    n_source: int  # how many of `background` come from the examples and the lexicon

    @staticmethod
    def rare(k: int) -> str:
        return pseudo_word(k, 4, salt=17)

    @staticmethod
    def person(first: int, last: int) -> Entity:
        name = f"{pseudo_word(first, 2, salt=3).title()} {pseudo_word(last, 3, salt=5).title()}"
        return Entity(name, slug(name), tuple(_terms(name)))


@functools.cache
def vocabulary() -> Vocabulary:
    real = source_terms()
    seen = set(real)
    background = list(real[:BACKGROUND_TERMS])
    k = 0
    while len(background) < BACKGROUND_TERMS:
        word = pseudo_word(k, 3, salt=11)
        k += 1
        if word not in seen:
            seen.add(word)
            background.append(word)
    weights = 1.0 / np.arange(1, len(background) + 1, dtype=np.float64) ** ZIPF_EXPONENT
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    gazetteer = tuple(
        Entity(e.name, slug(e.name), tuple(_terms(e.name))) for e in ENTRIES if _terms(e.name)
    )
    suffixes = ("Daily", "Wire", "Post", "Times", "Herald", "Voice")
    outlets = tuple(
        f"{pseudo_word(i, 3, salt=23).title()} {suffixes[i % len(suffixes)]}"
        for i in range(OUTLETS)
    )
    return Vocabulary(tuple(background), cdf, gazetteer, outlets, min(len(real), len(background)))


# -- the stream ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StoryPlan:
    """One gold story: when it starts, how long it lives, its size and its shared words."""

    index: int
    start: int  # day offset from START
    life: int  # days
    size: int
    signature: tuple[str, ...]
    entities: tuple[Entity, ...]
    numbers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SynthArticle:
    """One article of the stream, in arrival order, with its gold story."""

    index: int
    story: int
    published: dt.date
    arrived: dt.date
    outlet: str
    title: str
    text: str
    terms: dict[str, float]
    actors: dict[str, float]


class Stream:
    """`n` synthetic articles in arrival order (iterate `.articles()`); deterministic per seed.

    Stories are planned day by day, so memory holds only the stories still arriving (a few
    days' worth), never the whole stream. `.distinct_words()` counts the words used so far.
    """

    def __init__(self, n: int, *, seed: int = 0, per_day: int = 2000) -> None:
        if n < 1 or per_day < 1:
            raise ValueError("n and per_day must be positive")
        self.n = n
        self.seed = seed
        self.per_day = per_day
        self.vocab = vocabulary()
        plan_seed, text_seed = np.random.SeedSequence(seed).spawn(2)
        self._plan_rng = np.random.default_rng(plan_seed)
        self._rng = np.random.default_rng(text_seed)
        self._bg_seen = np.zeros(len(self.vocab.background), dtype=bool)
        self._rare_seen = np.zeros(RARE_TERMS, dtype=bool)
        self._entities_seen: set[str] = set()
        self.stories = 0

    def distinct_words(self) -> int:
        """Distinct background, signature and entity words used so far (numbers not counted)."""
        return int(self._bg_seen.sum()) + int(self._rare_seen.sum()) + len(self._entities_seen)

    def _story_size(self) -> int:
        while True:
            size = int(self._plan_rng.zipf(STORY_EXPONENT))
            if size <= MAX_STORY:
                return size

    def _plan(self, index: int, start: int, size: int) -> StoryPlan:
        rng = self._plan_rng
        rare = rng.integers(0, RARE_TERMS, size=int(rng.integers(8, 16)))
        self._rare_seen[rare] = True
        entities: list[Entity] = []
        if rng.random() < 0.5:
            entities.append(self.vocab.gazetteer[int(rng.integers(len(self.vocab.gazetteer)))])
        wanted = int(rng.integers(2, 4))
        while len(entities) < wanted:
            first, last = int(rng.integers(FIRST_NAMES)), int(rng.integers(LAST_NAMES))
            entities.append(Vocabulary.person(first, last))
        for e in entities:
            self._entities_seen.update(e.terms)
        numbers = []
        for _ in range(int(rng.integers(1, 3))):
            if rng.random() < 0.3:
                numbers.append(f"#{rng.integers(1, 100)}.{rng.integers(10)}%")
            else:
                numbers.append(f"#{int(rng.integers(10, 1_000_000))}")
        return StoryPlan(
            index=index,
            start=start,
            life=int(rng.integers(1, 6)),
            size=size,
            signature=tuple(dict.fromkeys(Vocabulary.rare(int(k)) for k in rare)),
            entities=tuple(entities),
            numbers=tuple(numbers),
        )

    def articles(self) -> Iterator[SynthArticle]:
        pending: dict[int, list[tuple[float, StoryPlan, int]]] = defaultdict(list)
        planned = 0
        day = 0
        index = 0
        rng = self._plan_rng
        late_cdf = np.cumsum(LATE)[:-1]
        while True:
            # every story starting on or before `day`; later ones cannot arrive by then
            while planned < self.n and planned // self.per_day <= day:
                size = min(self._story_size(), self.n - planned)
                plan = self._plan(self.stories, planned // self.per_day, size)
                self.stories += 1
                planned += size
                days = plan.start + rng.integers(plan.life, size=size)
                days[0] = plan.start  # a story starts with its first article
                late = np.searchsorted(late_cdf, rng.random(size), side="right")
                ties = rng.random(size)
                for published, delay, tie in zip(
                    days.tolist(), late.tolist(), ties.tolist(), strict=True
                ):
                    pending[published + delay].append((tie, plan, published))
            if planned >= self.n and not pending:
                return
            for _, plan, published in sorted(pending.pop(day, []), key=lambda x: x[0]):
                yield self._article(index, plan, published, day)
                index += 1
            day += 1

    def _article(self, index: int, plan: StoryPlan, published: int, arrived: int) -> SynthArticle:
        rng = self._rng
        vocab = self.vocab
        ranks = np.searchsorted(vocab.cdf, rng.random(int(rng.integers(150, 301))))
        ranks = np.minimum(ranks, len(vocab.background) - 1)
        self._bg_seen[ranks] = True
        distinct, times = np.unique(ranks, return_counts=True)
        words = vocab.background
        counts = dict(zip(map(words.__getitem__, distinct.tolist()), times.tolist(), strict=True))
        keep = rng.random(len(plan.signature)) < 0.7
        if keep.sum() < 3:
            keep[rng.permutation(len(plan.signature))[:3]] = True
        chosen = [w for w, k in zip(plan.signature, keep.tolist(), strict=True) if k]
        entity_words = [t for e in plan.entities for t in e.terms]
        extra = [
            *zip(chosen, rng.integers(1, 4, size=len(chosen)).tolist(), strict=True),
            *zip(entity_words, rng.integers(1, 5, size=len(entity_words)).tolist(), strict=True),
            *((number, 1) for number in plan.numbers),
        ]
        pool = chosen + entity_words
        title_words = [pool[i] for i in rng.permutation(len(pool))[: int(rng.integers(4, 9))]]
        extra += [(w, TITLE_WEIGHT) for w in title_words]
        for w, c in extra:
            counts[w] = counts.get(w, 0) + c
        title = " ".join(title_words).capitalize()
        body = " ".join(words[r] for r in ranks[:20].tolist())
        return SynthArticle(
            index=index,
            story=plan.index,
            published=START + dt.timedelta(days=published),
            arrived=START + dt.timedelta(days=arrived),
            outlet=vocab.outlets[int(rng.integers(len(vocab.outlets)))],
            title=title,
            text=f"{title}.\n\n{body}.",
            terms={t: 1.0 + math.log(c) for t, c in counts.items()},
            actors={e.actor: 1.0 + math.log(int(rng.integers(1, 5))) for e in plan.entities},
        )


def article_ids(seed: int, index: int) -> tuple[str, str]:
    """(raw id, article id) of the index-th article of a stream; unique per seed and index."""
    raw_id = hash_id("raw", "bench-stories-scale", str(seed), str(index))
    return raw_id, hash_id("article", raw_id)


def records(item: SynthArticle, seed: int) -> tuple[RawDocument, Article, Features]:
    """What ingest, extraction and annotation would have stored for this article."""
    raw_id, article_id = article_ids(seed, item.index)
    locator = f"<synthetic {item.index}>"
    raw = RawDocument(
        id=raw_id,
        source_kind="document",
        locator=locator,
        fetched_at=dt.datetime.combine(item.arrived, dt.time(12), dt.UTC),
        content_type="text/plain",
        data=item.text.encode("utf-8"),
        hints=SourceHints(outlet=item.outlet, title=item.title, published=item.published),
    )
    article = Article(
        id=article_id,
        raw_id=raw_id,
        url=None,
        outlet=item.outlet,
        title=item.title,
        text=item.text,
        paragraphs=(Paragraph(span=Span(0, len(item.text))),),
        published=item.published,
        published_source="metadata",
        published_granularity="day",
        language="en",
        locator=locator,
        extractor="bench.stories_scale.v1",
    )
    features = Features(
        article_id=article_id,
        terms=item.terms,
        actors=item.actors,
        date=item.published,
        language=article.language,
    )
    return raw, article, features


# -- statistics ------------------------------------------------------------------------------
def article_times(start: float, stamps: Sequence[float], end: float) -> list[float]:
    """Seconds per article from the progress timestamps of one `group_stories` call.

    Article k runs from its stamp to the next one (the last to `end`); the first article also
    carries the set-up before its stamp, so the times add up to `end - start`.
    """
    if not stamps:
        return []
    bounds = [start, *stamps[1:], end]
    return [b - a for a, b in itertools.pairwise(bounds)]


def percentiles_ms(seconds: Sequence[float], qs: Sequence[float]) -> list[float]:
    """The qs-th percentiles (linear interpolation) of per-article seconds, in milliseconds."""
    if not seconds:
        return [math.nan for _ in qs]
    values = np.percentile(np.asarray(seconds, dtype=np.float64), list(qs))
    return [float(v) * 1000.0 for v in values]


def per_thousand(seconds: Sequence[float]) -> float:
    """Seconds per 1,000 assignments (mean over the given articles)."""
    return math.fsum(seconds) / len(seconds) * 1000.0 if seconds else math.nan


def bcubed(gold: Sequence[int], pred: Sequence[int]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering (each item's label) against gold."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    if not gold:
        return 1.0, 1.0, 1.0
    g = np.asarray(gold, dtype=np.int64)
    p = np.asarray(pred, dtype=np.int64)
    _, g_idx, g_size = np.unique(g, return_inverse=True, return_counts=True)
    _, p_idx, p_size = np.unique(p, return_inverse=True, return_counts=True)
    pairs = g_idx.astype(np.int64) * (int(p_idx.max()) + 1) + p_idx
    _, cell_idx, cell_size = np.unique(pairs, return_inverse=True, return_counts=True)
    shared = cell_size[cell_idx].astype(np.float64)  # per item: its gold-and-pred cell size
    precision = float(np.mean(shared / p_size[p_idx]))
    recall = float(np.mean(shared / g_size[g_idx]))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# -- one size (the child process) --------------------------------------------------------------
def settings_for(exhaustive: bool) -> Settings:
    if exhaustive:
        return dataclasses.replace(Settings(), story_candidates=0)
    return Settings()


def run_size(
    n: int,
    *,
    seed: int,
    per_day: int,
    batch: int,
    exhaustive: bool,
    tmp_dir: Path | None,
    fresh_index: bool = False,
) -> dict[str, Any]:
    """Feed an n-article stream to group_stories on a file store; the figures of the run."""
    t_wall = perf_counter()
    settings = settings_for(exhaustive)
    index = None if fresh_index else StoryIndex(settings)
    label = f"{n:,}{' exhaustive' if exhaustive else ''}"
    stream = Stream(n, seed=seed, per_day=per_day)
    times = array("d")
    gold = array("i")
    setup = 0.0
    storing = 0.0
    mismatched = 0
    next_report = 1
    with tempfile.TemporaryDirectory(prefix="newsprism-scale-", dir=tmp_dir) as tmp:
        store = open_store(Path(tmp) / "scale.db")
        try:
            pending: list[SynthArticle] = []

            def flush() -> None:
                nonlocal setup, storing, mismatched
                t0 = perf_counter()
                articles = []
                for item in pending:
                    raw, article, features = records(item, seed)
                    store.put_raw(raw)
                    store.put_article(article)
                    store.put_features(features)
                    articles.append(article)
                    gold.append(item.story)
                storing += perf_counter() - t0
                got, first = _timed_group(articles, store, settings, index)
                setup += first
                mismatched += abs(len(got) - len(articles))
                times.extend(got)
                pending.clear()

            for item in stream.articles():
                pending.append(item)
                if len(pending) >= batch:
                    flush()
                    done = len(gold)
                    if done * 10 >= next_report * n:
                        _report(label, done, n, times, store, t_wall)
                        next_report = done * 10 // n + 1
            if pending:
                flush()
                _report(label, len(gold), n, times, store, t_wall)
            rss = peak_rss_mb()
            elapsed = perf_counter() - t_wall
            labels: dict[str, int] = {}
            pred = array("i")
            for index in range(n):
                story = store.story_of(article_ids(seed, index)[1])
                pred.append(labels.setdefault(story or f"alone-{index}", len(labels)))
            db_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
        finally:
            store.close()
    last = times[len(times) - max(1, len(times) // 10) :]
    p50, p95, p99 = percentiles_ms(last, (50, 95, 99))
    b3_p, b3_r, b3_f1 = bcubed(gold, pred)
    tenths = [
        per_thousand(times[k * len(times) // 10 : (k + 1) * len(times) // 10]) for k in range(10)
    ]
    total = math.fsum(times)
    return {
        "n": n,
        "exhaustive": exhaustive,
        "gold_stories": stream.stories,
        "stories": len(labels),
        "distinct_words": stream.distinct_words(),
        "s_per_1k_mean": per_thousand(times),
        "s_per_1k_last10": per_thousand(last),
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p99,
        "setup_share": setup / total if total else math.nan,
        "group_s": total,
        "store_s": storing,
        "wall_s": elapsed,
        "peak_rss_mb": rss,
        "db_mb": db_mb,
        "b3_p": b3_p,
        "b3_r": b3_r,
        "b3_f1": b3_f1,
        "s_per_1k_tenths": tenths,
        "unmatched_progress": mismatched,
    }


def _timed_group(
    articles: Sequence[Article], store: Store, settings: Settings, index: StoryIndex | None
) -> tuple[list[float], float]:
    """One timed group_stories call: per-article seconds, and the set-up before the first."""
    stamps: list[float] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "stories":
            stamps.append(perf_counter())

    t0 = perf_counter()
    group_stories(articles, store, settings=settings, progress=progress, index=index)
    t1 = perf_counter()
    return article_times(t0, stamps, t1), (stamps[0] if stamps else t1) - t0


def _report(label: str, done: int, n: int, times: Sequence[float], store: Store, t0: float) -> None:
    recent = times[len(times) - max(1, len(times) // 10) :]
    print(
        f"  [{label}] {done * 100 // n:3d}%  {done:,} articles, {store.counts().stories:,} "
        f"stories, {per_thousand(recent):.2f} s/1k (last tenth so far), "
        f"{peak_rss_mb():.0f} MB peak, {perf_counter() - t0:.0f} s",
        file=sys.stderr,
        flush=True,
    )


# -- the command -------------------------------------------------------------------------------
def parse_size(text: str) -> int:
    """ "10000", "10k", "1M" -> articles."""
    t = text.strip().lower().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    value = int(float(t[:-1] if scale > 1 else t) * scale)
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive size: {text}")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Story grouping at scale: synthetic streams (10k, 100k, 1M articles by default) fed "
            "in batches to the real group_stories on a SQLite file store, one size per "
            "subprocess; prints seconds per 1,000 assignments, p50/p95/p99 ms per article, "
            "peak memory and BCubed F1 per size, an exhaustive-scan baseline at the smallest "
            "size, and the goal checks."
        )
    )
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated stream sizes, e.g. 10k,100k,1M (default: %(default)s)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke run: sizes {','.join(str(s) for s in QUICK_SIZES)}",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    parser.add_argument(
        "--per-day", type=int, default=2000, help="articles per day (default: 2000)"
    )
    parser.add_argument(
        "--batch", type=int, default=1000, help="articles per group_stories call (default: 1000)"
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the exhaustive-scan baseline (story_candidates=0) at the smallest size",
    )
    parser.add_argument(
        "--tmp-dir",
        type=Path,
        default=None,
        help="where the temporary SQLite stores go (default: the system temporary folder)",
    )
    parser.add_argument(
        "--fresh-index",
        action="store_true",
        help="load the window from the store at every batch, as separate `newsprism ingest` "
        "runs do (default: one StoryIndex kept across batches, as a watch loop or a backfill "
        "worker keeps it; group_stories syncs it with the store at each call)",
    )
    parser.add_argument("--json", action="store_true", help=f"append a JSON line to {RESULTS_FILE}")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--exhaustive", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        sizes = QUICK_SIZES if args.quick else tuple(parse_size(s) for s in args.sizes.split(","))
    except (ValueError, argparse.ArgumentTypeError) as exc:
        parser.error(f"--sizes: {exc}")
    args.size_list = sorted(set(sizes))
    if args.per_day < 1 or args.batch < 1:
        parser.error("--per-day and --batch must be positive")
    return args


def _child(args: argparse.Namespace, n: int, exhaustive: bool) -> dict[str, Any] | None:
    """Run one size in a subprocess; its figures, or None (the error is on stderr)."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(n),
        "--seed",
        str(args.seed),
        "--per-day",
        str(args.per_day),
        "--batch",
        str(args.batch),
    ]
    if exhaustive:
        cmd.append("--exhaustive")
    if args.fresh_index:
        cmd.append("--fresh-index")
    if args.tmp_dir is not None:
        cmd += ["--tmp-dir", str(args.tmp_dir)]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        print(f"ERROR: the {n:,}-article run failed (exit {done.returncode})", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(lines[-1])
    return result


HEADER = (
    f"{'':<24}{'articles':>10}{'stories':>9}{'s/1k':>8}{'s/1k':>8}{'p50':>8}{'p95':>8}"
    f"{'p99':>8}{'set-up':>8}{'peak':>8}{'wall':>8}{'B3':>7}"
)
HEADER2 = (
    f"{'':<24}{'':>10}{'':>9}{'mean':>8}{'last10%':>8}{'ms':>8}{'ms':>8}"
    f"{'ms':>8}{'%':>8}{'MB':>8}{'s':>8}{'F1':>7}"
)


def _row(label: str, r: dict[str, Any]) -> str:
    return (
        f"{label:<24}{r['n']:>10,}{r['stories']:>9,}{r['s_per_1k_mean']:>8.2f}"
        f"{r['s_per_1k_last10']:>8.2f}{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}{r['p99_ms']:>8.1f}"
        f"{100 * r['setup_share']:>8.1f}{r['peak_rss_mb']:>8.0f}{r['wall_s']:>8.0f}"
        f"{r['b3_f1']:>7.3f}"
    )


def _check(name: str, value: float, goal: str, met: bool) -> str:
    return f"  {name:<46}{value:>10.2f}  (goal {goal})  {'met' if met else 'not met'}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child is not None:
        result = run_size(
            args.child,
            seed=args.seed,
            per_day=args.per_day,
            batch=args.batch,
            exhaustive=args.exhaustive,
            tmp_dir=args.tmp_dir,
            fresh_index=args.fresh_index,
        )
        print(json.dumps(result))
        return 0

    sizes: list[int] = args.size_list
    settings = Settings()
    results: dict[int, dict[str, Any]] = {}
    failed = False
    baseline: dict[str, Any] | None = None
    for n in sizes:
        print(f"running {n:,} articles ...", file=sys.stderr, flush=True)
        got = _child(args, n, exhaustive=False)
        if got is None:
            failed = True
            continue
        results[n] = got
        if n == sizes[0] and not args.no_baseline:
            print(f"running {n:,} articles, exhaustive baseline ...", file=sys.stderr, flush=True)
            baseline = _child(args, n, exhaustive=True)
            failed = failed or baseline is None

    print(
        f"Story grouping at scale: synthetic streams, {args.per_day:,} articles/day, batches of "
        f"{args.batch:,}, seed {args.seed}"
    )
    print(
        f"newsprism {GROUPER}, story_window_days {settings.story_window_days}, "
        f"story_threshold {settings.story_threshold}, story_candidates "
        f"{settings.story_candidates}; SQLite file store; "
        + (
            "a fresh index per batch (window loaded from the store each time)"
            if args.fresh_index
            else "one index kept across batches (synced with the store at each call)"
        )
        + "; timed: group_stories only (set-up of each batch included)"
    )
    print()
    print(HEADER)
    print(HEADER2)
    print("-" * len(HEADER))
    for r in results.values():
        print(_row("newsprism", r))
    if baseline is not None:
        print(_row("exhaustive (cand.=0)", baseline))
    print()
    for n, r in results.items():
        tenths = " ".join(f"{x:.2f}" for x in r["s_per_1k_tenths"])
        print(
            f"{n:>10,}: gold stories {r['gold_stories']:,}, distinct words "
            f"{r['distinct_words']:,}, B3 P/R {r['b3_p']:.3f}/{r['b3_r']:.3f}, store "
            f"{r['store_s']:.0f} s, db {r['db_mb']:.0f} MB; s/1k by tenth: {tenths}"
        )
        if r["unmatched_progress"]:
            print(
                f"{'':>10}  WARNING: {r['unmatched_progress']} articles without a progress call "
                "(group_stories no longer reports one per article?): per-article times are off"
            )
    checks: dict[str, Any] = {}
    if results:
        small, large = results[min(results)], results[max(results)]
        ratio = large["s_per_1k_last10"] / small["s_per_1k_last10"]
        peak = max(r["peak_rss_mb"] for r in results.values())
        checks = {
            "ratio_last10": ratio,
            "ratio_met": ratio <= GOAL_RATIO,
            "p95_ms_largest": large["p95_ms"],
            "p95_met": large["p95_ms"] < GOAL_P95_MS,
            "peak_rss_mb": peak,
            "rss_met": peak < GOAL_RSS_MB,
        }
        print()
        print("goal checks")
        print(
            _check(
                f"s/1k last 10%: {large['n']:,} / {small['n']:,}",
                ratio,
                f"<= {GOAL_RATIO}",
                checks["ratio_met"],
            )
        )
        print(
            _check(
                f"p95 ms per article at {large['n']:,}",
                large["p95_ms"],
                f"< {GOAL_P95_MS:.0f}",
                checks["p95_met"],
            )
        )
        print(_check("peak RSS MB (largest)", peak, f"< {GOAL_RSS_MB:.0f}", checks["rss_met"]))
    if args.json and results:
        record: dict[str, Any] = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": git_commit(PROJECT_DIR),
            "python": platform.python_version(),
            "newsprism_version": newsprism.__version__,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "grouper": GROUPER,
            "story_window_days": settings.story_window_days,
            "story_threshold": settings.story_threshold,
            "seed": args.seed,
            "per_day": args.per_day,
            "batch": args.batch,
            "fresh_index": args.fresh_index,
            "story_candidates": settings.story_candidates,
            "quick": args.quick,
            "sizes": [_rounded(r) for r in results.values()],
            "baseline": _rounded(baseline) if baseline is not None else None,
            "goals": {k: round(v, 3) if isinstance(v, float) else v for k, v in checks.items()},
        }
        append_jsonl(RESULTS_FILE, record)
        print(f"recorded in {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 1 if failed else 0


def _rounded(r: dict[str, Any]) -> dict[str, Any]:
    def rnd(v: Any) -> Any:
        if isinstance(v, float):
            return round(v, 4)
        if isinstance(v, list):
            return [rnd(x) for x in v]
        return v

    return {k: rnd(v) for k, v in r.items()}


if __name__ == "__main__":
    sys.exit(main())
