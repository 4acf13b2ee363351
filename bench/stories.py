"""Story grouping on NeuS (AllSides left/center/right triplets): pairwise and BCubed P/R/F1.

Data: ../shared/eval/stories/neus/{train,val}.source, read in place and never copied into the
repository. Each line is one story: three articles (left, center and right outlets, in random
order) joined by `[SEP]`, each `TITLE=> ... ARTICLE=> ...`. The three articles of a line are the
gold cluster. Tune on `train`, report on `val`.

Input
* All articles of the split (or of its first --limit stories) are pooled and fed in one order:
  shuffled with `random.Random(seed)` (--seed, default 0), so the three of a story are not
  adjacent.
* Each article is a `Document(body, title=TITLE, published=2020-01-01)`. NeuS carries no dates,
  so every article gets the same date (provenance `user`): the time window then holds every
  story and cannot help, grouping is by content alone, and every earlier story is a candidate
  for every article (the hardest and slowest case for the window logic).
* `min_article_chars` is lowered to 1 (--min-chars): NeuS bodies are lead paragraphs, some one
  short sentence, and the default floor of 80 characters is meant for scraped residue. Articles
  that extraction still rejects (an empty body) stay alone: each is its own predicted cluster.

Systems (both in the same run)
* newsprism: the real stages. `extract_article` and the spaCy `Annotator` on every article
  (cached per split, see below), then, in the shuffled order on a fresh in-memory store:
  `pipeline.mark_copy` (near-duplicates), `stories.article_features`, and one call of
  `pipeline.group_stories`, the incremental assignment the CLI runs. articles/s times that call
  only (features loaded from the store, candidates, `assign_story`, story writes).
* Baseline: TF-IDF over "title + body" of every article (lower-cased words of 2+ characters,
  stop words removed, sublinear tf, smoothed idf over the pooled split, L2-normalised) and
  average-link agglomerative clustering on cosine distance (`scipy.cluster.hierarchy`, already
  installed through datasketch), cut at a distance threshold tuned on train (--tune-baseline
  sweeps it on the split given). It sees the whole split at once; articles/s times
  vectorising plus clustering.

Scoring, over all articles of the run (each predicted cluster is a set of articles)
* Pairwise: precision = same-story pairs among the pairs put together; recall = pairs put
  together among the same-story pairs; F1 their harmonic mean.
* BCubed (Bagga and Baldwin; Amigó et al. 2009): per article, precision = share of its
  predicted cluster in its gold story, recall = share of its gold story in its predicted
  cluster; both averaged over articles; F1 = harmonic mean of the two averages.

Pools (--pool-size N): the stories are cut, in file order, into pools of N; each pool is
shuffled and grouped on its own (a fresh store each), and the figures are the means over pools.
Tuning used `--split train --pool-size 307`: eight train pools the size of val (307 stories),
so the thresholds meet as many neighbouring stories as they will on val. The whole train split
in one pool (2,452 stories, all on one date) is a harder, denser test, reported beside it.

Cache: extraction + annotation (≈ 8 articles/s on two cores) are cached per split in
--cache-dir (default /tmp/newsprism-bench-stories, outside the repository), keyed by a hash of
the title, body, date, minimum length, extractor and annotator versions, so tuning runs only
recompute features and grouping. --json appends one line to bench/results/stories.jsonl.
Data absent: a message and exit status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import os
import pickle
import platform
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import newsprism
from newsprism.dedup import band_keys
from newsprism.extract import EXTRACTOR, extract_article
from newsprism.ingest.files import document_to_raw
from newsprism.models import ArticleAnalysis, Document, RawDocument, Rejection
from newsprism.nlp import ANNOTATOR, Annotator
from newsprism.pipeline import group_stories, mark_copy
from newsprism.provenance import append_jsonl, git_commit
from newsprism.settings import Settings
from newsprism.store import open_store
from newsprism.stories import GROUPER, STOPWORDS, article_features

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_DATA = PROJECT_DIR.parent / "shared" / "eval" / "stories" / "neus"
DEFAULT_CACHE = Path("/tmp/newsprism-bench-stories")
RESULTS_FILE = BENCH_DIR / "results" / "stories.jsonl"
DATE = dt.date(2020, 1, 1)
# Average-link cut (cosine distance): the best BCubed F1 on train, as the mean over its eight
# val-sized pools of 307 stories (0.859); on the whole train pool of 2,452 stories the best cut
# is 0.74 (0.755).
BASELINE_THRESHOLD = 0.79
_PART = re.compile(r"^\s*TITLE=>(.*?)ARTICLE=>(.*)$", re.DOTALL)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True, slots=True)
class Item:
    """One article of the pool: its gold story (line number) and its text."""

    story: int
    title: str
    body: str


def load_split(path: Path, limit: int | None) -> tuple[list[Item], int]:
    """The articles of the first `limit` stories of a split, and how many lines were malformed."""
    items: list[Item] = []
    malformed = 0
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            if limit is not None and number >= limit:
                break
            parts = [_PART.match(p) for p in line.rstrip("\n").split("[SEP]")]
            if not parts or any(m is None for m in parts):
                malformed += 1
                continue
            for m in parts:
                assert m is not None
                items.append(Item(number, m.group(1).strip(), m.group(2).strip()))
    return items, malformed


def shuffled(items: Sequence[Item], seed: int) -> list[Item]:
    order = list(items)
    random.Random(seed).shuffle(order)
    return order


def document(item: Item) -> Document:
    return Document(item.body, title=item.title, published=DATE, content_type="text/plain")


# -- the cache of extracted and annotated articles -------------------------------------------
def cache_key(item: Item, min_chars: int) -> str:
    h = hashlib.sha256()
    for part in (EXTRACTOR, ANNOTATOR, str(min_chars), DATE.isoformat(), item.title, item.body):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


Cached = ArticleAnalysis | Rejection


def _save(path: Path, cache: dict[str, Cached]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(cache, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def annotated(
    items: Sequence[Item], cache_file: Path, settings: Settings, batch_size: int
) -> dict[str, Cached]:
    """Extraction + annotation of every item, from the cache or computed (and then cached)."""
    cache: dict[str, Cached] = {}
    if cache_file.exists():
        with cache_file.open("rb") as fh:
            cache = pickle.load(fh)  # our own file in a local temporary directory
    todo: dict[str, Item] = {}
    for item in items:
        key = cache_key(item, settings.min_article_chars)
        if key not in cache:
            todo[key] = item
    if not todo:
        return cache
    print(f"annotating {len(todo)} articles (cache: {cache_file})", file=sys.stderr)
    annotator = Annotator(batch_size=batch_size)
    keys = list(todo)
    t0 = time.perf_counter()
    for start in range(0, len(keys), 256):
        chunk = keys[start : start + 256]
        articles = []
        for key in chunk:
            got = extract_article(document_to_raw(document(todo[key])), settings=settings)
            if isinstance(got, Rejection):
                cache[key] = got
            else:
                articles.append((key, got))
        for (key, _article), analysis in zip(
            articles, annotator.annotate(a for _, a in articles), strict=True
        ):
            cache[key] = analysis
        _save(cache_file, cache)
        done = start + len(chunk)
        rate = done / (time.perf_counter() - t0)
        print(f"  {done}/{len(keys)} ({rate:.1f} articles/s)", file=sys.stderr)
    return cache


# -- the two systems -----------------------------------------------------------------------
def newsprism_clusters(
    order: Sequence[Item], cache: dict[str, Cached], settings: Settings
) -> tuple[list[int], float, int]:
    """Predicted cluster per item (in `order`), seconds in group_stories, rejected count."""
    store = open_store(None)
    try:
        articles = []
        ids: list[str | None] = []
        rejected = 0
        for item in order:
            got = cache[cache_key(item, settings.min_article_chars)]
            if isinstance(got, Rejection):
                rejected += 1
                ids.append(None)
                continue
            raw: RawDocument = document_to_raw(document(item))
            assert raw.id == got.article.raw_id
            store.put_raw(raw)
            article, sig = mark_copy(got.article, store, settings)
            store.put_article(article)
            if sig is not None:
                store.put_signature(article.id, sig, band_keys(sig))
            features = article_features(got)
            store.put_features(features)
            articles.append(article)
            ids.append(article.id)
        t0 = time.perf_counter()
        group_stories(articles, store, settings=settings)
        seconds = time.perf_counter() - t0
        labels: dict[str, int] = {}
        clusters: list[int] = []
        for n, article_id in enumerate(ids):
            story = store.story_of(article_id) if article_id is not None else None
            key = story if story is not None else f"alone-{n}"
            clusters.append(labels.setdefault(key, len(labels)))
        return clusters, seconds, rejected
    finally:
        store.close()


def tfidf_matrix(order: Sequence[Item]) -> Any:
    """Sparse rows: L2-normalised sublinear tf x smoothed idf vectors of "title + body"."""
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    docs = [
        Counter(t for t in _TOKEN.findall(f"{i.title}\n{i.body}".lower()) if t not in STOPWORDS)
        for i in order
    ]
    vocab: dict[str, int] = {}
    for d in docs:
        for t in d:
            vocab.setdefault(t, len(vocab))
    df = np.zeros(max(1, len(vocab)), dtype=np.float64)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for row, d in enumerate(docs):
        for t, c in d.items():
            rows.append(row)
            cols.append(vocab[t])
            vals.append(1.0 + math.log(c))
            df[vocab[t]] += 1
    idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
    weights = np.asarray(vals) * idf[np.asarray(cols, dtype=np.int64)]
    norms = np.zeros(len(docs))
    np.add.at(norms, np.asarray(rows, dtype=np.int64), weights**2)
    norms = np.sqrt(norms)
    norms[norms == 0] = 1.0
    weights /= norms[np.asarray(rows, dtype=np.int64)]
    return csr_matrix((weights, (rows, cols)), shape=(len(docs), len(df)))


def baseline_linkage(order: Sequence[Item]) -> np.ndarray:
    """Average-link merge tree over cosine distances of the TF-IDF vectors."""
    from scipy.cluster.hierarchy import linkage  # type: ignore[import-untyped]
    from scipy.spatial.distance import squareform  # type: ignore[import-untyped]

    m = tfidf_matrix(order)
    dist = np.clip(1.0 - (m @ m.T).toarray(), 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    condensed = squareform(dist, checks=False)
    del dist
    tree: np.ndarray = linkage(condensed, method="average")
    return tree


def baseline_cut(tree: np.ndarray, threshold: float) -> list[int]:
    from scipy.cluster.hierarchy import fcluster

    return [int(x) for x in fcluster(tree, t=threshold, criterion="distance")]


# -- scoring -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Score:
    pair_p: float
    pair_r: float
    pair_f1: float
    b3_p: float
    b3_r: float
    b3_f1: float
    clusters: int

    def to_data(self) -> dict[str, float | int]:
        return {k: round(getattr(self, k), 4) for k in Score.__slots__}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Sequence[int], pred: Sequence[int]) -> Score:
    cells = Counter(zip(gold, pred, strict=True))
    gold_sizes = Counter(gold)
    pred_sizes = Counter(pred)

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(c) for c in cells.values())
    pred_pairs = sum(pairs(c) for c in pred_sizes.values())
    gold_pairs = sum(pairs(c) for c in gold_sizes.values())
    pp = tp / pred_pairs if pred_pairs else 1.0
    pr = tp / gold_pairs if gold_pairs else 1.0
    n = len(gold)
    bp = sum(c * c / pred_sizes[p] for (g, p), c in cells.items()) / n
    br = sum(c * c / gold_sizes[g] for (g, p), c in cells.items()) / n
    return Score(pp, pr, _f1(pp, pr), bp, br, _f1(bp, br), len(pred_sizes))


def sweep_baseline(
    tree: np.ndarray, gold: Sequence[int], thresholds: Sequence[float]
) -> list[tuple[float, Score]]:
    return [(t, score(gold, baseline_cut(tree, t))) for t in thresholds]


# -- the command -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Story grouping on NeuS triplets: pools every article of a split, shuffles it with a "
            "fixed seed, groups it with newsprism's incremental grouping (real extraction, spaCy "
            "annotation, features and group_stories) and with a TF-IDF + average-link baseline, "
            "and prints pairwise and BCubed P/R/F1 against the triplets, plus articles/s."
        )
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"NeuS folder (default: {DEFAULT_DATA})"
    )
    parser.add_argument(
        "--split", default="val", help="split to read, <split>.source (default: val)"
    )
    parser.add_argument("--limit", type=int, default=None, help="read only the first N stories")
    parser.add_argument(
        "--pool-size",
        type=int,
        default=None,
        help="split the stories (in file order) into pools of N, group each pool on its own and "
        "report the mean (e.g. 307, val's size, on train); default: one pool",
    )
    parser.add_argument("--seed", type=int, default=0, help="shuffle seed (default: 0)")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="newsprism story_threshold (default: the Settings default)",
    )
    parser.add_argument(
        "--candidates",
        type=int,
        default=None,
        help="newsprism story_candidates, stories scored per article through the inverted "
        "index (0: score every active story; default: the Settings default)",
    )
    parser.add_argument(
        "--baseline-threshold",
        type=float,
        default=BASELINE_THRESHOLD,
        help=f"baseline cosine-distance cut (default: {BASELINE_THRESHOLD}, tuned on train)",
    )
    parser.add_argument(
        "--tune-baseline",
        action="store_true",
        help="sweep the baseline cut on this split and print each threshold's scores",
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="run newsprism only (no baseline)"
    )
    parser.add_argument(
        "--min-chars", type=int, default=1, help="Settings.min_article_chars (default: 1)"
    )
    parser.add_argument("--batch-size", type=int, default=16, help="spaCy batch size")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"where annotated articles are cached (default: {DEFAULT_CACHE})",
    )
    parser.add_argument("--json", action="store_true", help=f"append a JSON line to {RESULTS_FILE}")
    args = parser.parse_args(argv)
    if (args.limit is not None and args.limit < 1) or (
        args.pool_size is not None and args.pool_size < 1
    ):
        parser.error("--limit and --pool-size must be positive")
    return args


def _row(label: str, s: Score, n: int, seconds: float) -> str:
    return (
        f"{label:<48}{s.pair_p:>7.3f}{s.pair_r:>7.3f}{s.pair_f1:>7.3f}"
        f"{s.b3_p:>8.3f}{s.b3_r:>7.3f}{s.b3_f1:>7.3f}{s.clusters:>9}{n / seconds:>12.1f}"
    )


@dataclass(frozen=True, slots=True)
class PoolResult:
    n: int
    ours: Score
    ours_s: float
    rejected: int
    baseline: Score | None
    baseline_s: float
    sweep: list[tuple[float, Score]]


SWEEP = [round(0.5 + 0.01 * k, 2) for k in range(50)]


def run_pool(
    items: Sequence[Item], args: argparse.Namespace, settings: Settings, cache: dict[str, Cached]
) -> PoolResult:
    """Both systems on one pool of stories, fed in the seeded shuffled order."""
    order = shuffled(items, args.seed)
    gold = [i.story for i in order]
    ours, ours_s, rejected = newsprism_clusters(order, cache, settings)
    baseline: Score | None = None
    base_s = 0.0
    sweep: list[tuple[float, Score]] = []
    if not args.no_baseline:
        t0 = time.perf_counter()
        tree = baseline_linkage(order)
        theirs = baseline_cut(tree, args.baseline_threshold)
        base_s = time.perf_counter() - t0
        baseline = score(gold, theirs)
        if args.tune_baseline:
            sweep = sweep_baseline(tree, gold, SWEEP)
    return PoolResult(len(order), score(gold, ours), ours_s, rejected, baseline, base_s, sweep)


def mean_score(scores: Sequence[Score]) -> Score:
    """Each figure averaged over pools; clusters added up."""

    def avg(name: str) -> float:
        return math.fsum(getattr(s, name) for s in scores) / len(scores)

    return Score(
        avg("pair_p"),
        avg("pair_r"),
        avg("pair_f1"),
        avg("b3_p"),
        avg("b3_r"),
        avg("b3_f1"),
        sum(s.clusters for s in scores),
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    source = args.data / f"{args.split}.source"
    if not source.is_file():
        print(
            f"ERROR: NeuS data not found at {source}. It lives outside the repository, in "
            "../shared/eval/stories/neus ({train,val}.source); pass --data DIR and --split.",
            file=sys.stderr,
        )
        return 2
    items, malformed = load_split(source, args.limit)
    if not items:
        print(f"ERROR: no stories read from {source}", file=sys.stderr)
        return 2
    base = Settings()
    settings = Settings(
        min_article_chars=args.min_chars,
        story_threshold=base.story_threshold if args.threshold is None else args.threshold,
        story_candidates=base.story_candidates if args.candidates is None else args.candidates,
        nlp_batch_size=args.batch_size,
    )
    cache_file = args.cache_dir / f"neus-{args.split}.pkl"
    cache = annotated(items, cache_file, settings, args.batch_size)

    stories = sorted({i.story for i in items})
    size = args.pool_size or len(stories)
    pools = [set(stories[k : k + size]) for k in range(0, len(stories), size)]
    results = [run_pool([i for i in items if i.story in p], args, settings, cache) for p in pools]

    n = len(items)
    print(f"NeuS story grouping ({source}, split {args.split})")
    print(
        f"stories: {len(stories)}{' (limit)' if args.limit else ''}, articles: {n}, malformed "
        f"lines: {malformed}; "
        + (
            f"{len(pools)} pools of up to {size} stories, each grouped on its own; "
            if len(pools) > 1
            else ""
        )
        + f"order: shuffled, seed {args.seed}; every article dated {DATE.isoformat()} "
        "(NeuS has no dates: the window cannot help)"
    )
    print(
        f"newsprism: {GROUPER}, story_threshold {settings.story_threshold}, "
        f"story_candidates {settings.story_candidates}, "
        f"min_article_chars {settings.min_article_chars}, rejected by extraction "
        f"{sum(r.rejected for r in results)} (each alone)"
    )
    header = (
        f"{'':<48}{'pair P':>7}{'R':>7}{'F1':>7}{'B3 P':>8}{'R':>7}{'F1':>7}"
        f"{'clusters':>9}{'articles/s':>12}"
    )
    print()
    print(header)
    print("-" * len(header))
    if len(results) > 1:
        for k, r in enumerate(results):
            print(_row(f"  pool {k + 1} newsprism", r.ours, r.n, r.ours_s))
            if r.baseline is not None:
                print(_row(f"  pool {k + 1} baseline", r.baseline, r.n, r.baseline_s))
    mean = " (mean over pools)" if len(results) > 1 else ""
    ours = mean_score([r.ours for r in results])
    ours_s = math.fsum(r.ours_s for r in results)
    print(_row(f"newsprism (incremental){mean}", ours, n, ours_s))
    record: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(PROJECT_DIR),
        "python": platform.python_version(),
        "newsprism_version": newsprism.__version__,
        "split": args.split,
        "limit": args.limit,
        "pool_size": args.pool_size,
        "pools": len(pools),
        "seed": args.seed,
        "n_stories": len(stories),
        "n_articles": n,
        "grouper": GROUPER,
        "story_threshold": settings.story_threshold,
        "story_candidates": settings.story_candidates,
        "min_article_chars": settings.min_article_chars,
        "rejected": sum(r.rejected for r in results),
        "newsprism": {**ours.to_data(), "articles_per_s": round(n / ours_s, 1)},
    }
    if not args.no_baseline:
        theirs = mean_score([r.baseline for r in results if r.baseline is not None])
        base_s = math.fsum(r.baseline_s for r in results)
        label = f"TF-IDF avg-link (cut {args.baseline_threshold}){mean}"
        print(_row(label, theirs, n, base_s))
        record["baseline_threshold"] = args.baseline_threshold
        record["baseline"] = {**theirs.to_data(), "articles_per_s": round(n / base_s, 1)}
        if args.tune_baseline:
            by_cut = [
                (t, mean_score([r.sweep[k][1] for r in results])) for k, t in enumerate(SWEEP)
            ]
            _print_sweep(by_cut, mean)
    if args.json:
        append_jsonl(RESULTS_FILE, record)
        print(f"recorded in {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


def _print_sweep(results: Sequence[tuple[float, Score]], mean: str) -> None:
    top = max(results, key=lambda ts: ts[1].b3_f1)
    print()
    print(f"baseline sweep{mean} (cosine-distance cut: pairwise F1, BCubed F1, clusters)")
    for t, s in results:
        mark = "  <- best BCubed F1" if (t, s) == top else ""
        print(f"  {t:.2f}  {s.pair_f1:.4f}  {s.b3_f1:.4f}  {s.clusters}{mark}")


if __name__ == "__main__":
    sys.exit(main())
