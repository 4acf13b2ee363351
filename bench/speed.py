"""End-to-end speed on real full-length articles, beside bare spaCy on the same texts.

Data: real news articles read in place from ../shared/eval: PolNeAR's article texts
(quotes/polnear/train/text/*.txt, ~740 words each) first, then TempEval-3's TimeBank and
AQUAINT documents (time/tempeval3, TimeML tags stripped): --limit distinct articles per round
(default 300). Nothing is repeated.

Figures, measured in one process, alternating A/B/A/B for --rounds rounds (default 3) so
that machine noise hits both sides alike; model loading is excluded (a warm-up first):

* A, newsprism: `newsprism.pipeline.run(documents)` on a fresh in-memory store: ingest,
  cleaning, the spaCy parse, the rules (actors, quotes, times, events), story grouping, the
  briefs of every story.
* B, bare spaCy: `list(nlp.pipe(texts))` with the same model and its full default pipeline,
  on the cleaned article texts that A analysed (same texts, same length). B loads its own
  copy of the packaged model, untouched: newsprism's copy has its attribute ruler replaced
  by `FastAttributeRuler` (same output), which B must not get for free.
* Each round reads --limit articles that no round read before (dealt round-robin from the
  corpus, so each round has the same mix; 900 of the ~1,080 texts for 3 rounds of 300), and
  the models are loaded on 20 articles set aside. Before 2026-12-08 every round read the same
  300, so rounds 2 and 3 were served by caches keyed by sentence text that round 1 filled
  (newsprism's stems, figures and quote ranges; spaCy's lemmatizer): real traffic does not
  repeat itself. With too few texts for that, every round reads the same ones (printed).
* ratio = (A articles/s) / (B articles/s) per round; the median and the spread are printed.
  1.0 means newsprism costs no more than the bare parser.
* --workers N (default 2): C, A again with the annotation on N processes (`AnnotatorPool`,
  started and warmed before timing), run in the same round right after A and B (A/B/C,
  A/B/C, ...); speed-up = (C articles/s) / (A articles/s) of the same round, and the median
  and the spread are printed. A shared machine's speed drifts by tens of percent over
  minutes, so a C measured minutes away from A (as before 2026-12-08) is not comparable.
* Peak resident memory of this process and of each worker process.

The machine has 2 cores shared with other work: the load average is printed beside the
figures. --json appends one line to bench/results/speed.jsonl.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import psutil

from newsprism import Document
from newsprism.api import _annotator
from newsprism.nlp.pool import AnnotatorPool
from newsprism.pipeline import run
from newsprism.provenance import append_jsonl, git_commit, package_version
from newsprism.settings import Settings
from newsprism.store import open_store

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
POLNEAR = EVAL / "quotes" / "polnear" / "train" / "text"
TEMPEVAL = EVAL / "time" / "tempeval3"
RESULTS = ROOT / "bench" / "results" / "speed.jsonl"
WARM_UP = 20  # articles set aside to load the models and start the workers, never timed
_TAG = re.compile(r"<[^>]+>")


def corpus(limit: int) -> list[Document]:
    texts: list[tuple[str, str]] = []
    for path in sorted(POLNEAR.glob("*.txt")):
        texts.append((path.stem, path.read_text("utf-8", errors="replace")))
    for path in sorted(TEMPEVAL.rglob("*.tml")):
        raw = path.read_text("utf-8", errors="replace")
        body = raw.split("<TEXT>", 1)[-1].split("</TEXT>", 1)[0]
        texts.append((path.stem, _TAG.sub("", body)))
    docs = [
        Document(text.strip(), outlet=name.split("_", 1)[0], title=None)
        for name, text in texts
        if len(text.split()) >= 50
    ]
    return docs[:limit]


def time_newsprism(docs: list[Document], annotator: Any) -> tuple[float, list[str]]:
    store = open_store(None)
    try:
        start = time.perf_counter()
        result = run(docs, store, settings=Settings(), annotator=annotator)
        seconds = time.perf_counter() - start
    finally:
        store.close()
    return seconds, [a.text for a in result.articles]


def time_spacy(nlp: Any, texts: list[str]) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not POLNEAR.is_dir():
        print(f"the real-article corpus is not at {POLNEAR}: see ../shared/eval/README.md")
        return 2
    everything = corpus(10**9)
    warm, pool_docs = everything[:WARM_UP], everything[WARM_UP:]
    # Each round reads articles no round read before (dealt round-robin, so every round has
    # the same mix of sources): newsprism's caches by sentence text, and spaCy's lemmatizer
    # cache, would otherwise serve rounds 2 and 3 from what round 1 read.
    fresh = len(pool_docs) >= args.limit * args.rounds
    per_round = [
        pool_docs[r :: args.rounds][: args.limit] if fresh else pool_docs[: args.limit]
        for r in range(args.rounds)
    ]
    docs = [d for batch in per_round for d in batch] if fresh else per_round[0]
    words = sum(len(str(d.text).split()) for d in docs)
    annotator = _annotator()
    nlp = importlib.import_module(annotator.pipeline.package).load()  # pristine (see above)
    time_newsprism(warm[:10], annotator)  # warm-up: model loaded
    time_spacy(nlp, [str(d.text) for d in warm[:10]])
    print(
        f"{len(docs)} distinct real articles, {words / len(docs):.0f} words on average; "
        + (
            f"{args.limit} new ones each round"
            if fresh
            else f"too few for new ones each round: the same {args.limit} every round"
        )
    )
    rounds: list[dict[str, float]] = []
    parallel: list[float] = []
    speedups: list[float] = []
    worker_rss: list[int] = []
    with contextlib.ExitStack() as stack:
        pool = None
        if args.workers > 1:
            pool = stack.enter_context(AnnotatorPool(args.workers, min_batch=1))
            time_newsprism(warm[10 : 10 + 4 * args.workers], pool)  # start the workers
        for r in range(args.rounds):
            load = os.getloadavg()[0]
            batch = per_round[r]
            a_seconds, texts = time_newsprism(batch, annotator)
            b_seconds = time_spacy(nlp, texts)
            a_rate, b_rate = len(texts) / a_seconds, len(texts) / b_seconds
            rounds.append({"newsprism": a_rate, "spacy": b_rate, "ratio": a_rate / b_rate})
            line = (
                f"round {r + 1}: newsprism {a_rate:6.2f} articles/s, bare spaCy {b_rate:6.2f} "
                f"articles/s, ratio {a_rate / b_rate:.3f}"
            )
            if pool is not None:
                seconds, got = time_newsprism(batch, pool)
                parallel.append(len(got) / seconds)
                speedups.append(parallel[-1] / a_rate)
                line += (
                    f"; workers={args.workers} {parallel[-1]:6.2f} articles/s, {speedups[-1]:.2f}x"
                )
            print(line + f"  (load {load:.1f})")
        if pool is not None:
            for proc in psutil.Process().children(recursive=True):
                worker_rss.append(proc.memory_info().rss)
    ratios = [x["ratio"] for x in rounds]
    print(
        f"median ratio {statistics.median(ratios):.3f} (spread {min(ratios):.3f}-"
        f"{max(ratios):.3f}); goal >= 1.0"
    )
    if speedups:
        print(
            f"--workers {args.workers}: median {statistics.median(speedups):.2f}x the single "
            f"process of the same round (spread {min(speedups):.2f}-{max(speedups):.2f}); "
            "goal >= 1.7"
        )
    own = psutil.Process().memory_info().rss
    print(
        f"peak RSS: driver {own / 2**20:.0f} MB, workers "
        + ", ".join(f"{x / 2**20:.0f} MB" for x in worker_rss)
    )
    if args.json:
        append_jsonl(
            RESULTS,
            {
                "bench": "speed",
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "commit": git_commit(ROOT),
                "data": "PolNeAR train texts then TempEval-3 (distinct, real)",
                "articles": len(docs),
                "articles_per_round": args.limit,
                "new_articles_each_round": fresh,
                "words_per_article": round(words / len(docs)),
                "rounds": rounds,
                "median_ratio": round(statistics.median(ratios), 3),
                "ratio_spread": [round(min(ratios), 3), round(max(ratios), 3)],
                "workers": args.workers,
                "parallel_rates": [round(x, 2) for x in parallel],
                "parallel_speedup": round(statistics.median(speedups), 3) if speedups else None,
                "parallel_speedup_spread": [round(min(speedups), 3), round(max(speedups), 3)]
                if speedups
                else None,
                "rss_mb_driver": round(own / 2**20),
                "rss_mb_workers": [round(x / 2**20) for x in worker_rss],
                "spacy": package_version("spacy"),
                "cores": os.cpu_count(),
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
