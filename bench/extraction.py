"""HTML main-text extraction: newsprism beside plain trafilatura on trafilatura's evaluation pages.

Data: ../shared/eval/extraction/trafilatura-eval (a 250-page random sample of trafilatura's
990-page evaluation set, many pages German; Apache-2.0, pages are the publishers' content). It is
read in place and never copied into this repository. `evaldata.json` maps each URL to
{file, with[], without[]}; the page is `html/<file>`.

Scoring, as in trafilatura's own tests/eval_common.py: after collapsing white space in both,
each `with` snippet found in the extracted text is a true positive (TP), each one missing a false
negative (FN), and each `without` snippet found a false positive (FP). Precision, recall and F1
are computed from the counts pooled over the whole corpus, not averaged per page. A page with no
output (a newsprism `Rejection`, a trafilatura `None` or exception) counts as empty text.

Rows, all from one run over the same bytes:

* newsprism (title + text): `newsprism.extract(html_bytes, url=url, content_type="text/html")`,
  scored on `Article.title + "\\n\\n" + Article.text`. This is the headline figure: newsprism
  moves the headline out of the body into `Article.title` on purpose (the first paragraph is
  dropped when it equals the page's title), so it is kept, not lost; trafilatura's text keeps
  the headline whenever it sits inside the main container.
* newsprism (text only): the same run scored on `Article.text` alone (what the NLP reads).
* trafilatura defaults: `trafilatura.extract(html_bytes)`, every option at its default (this
  includes reader comments and tables).
* trafilatura eval settings: `trafilatura.extract(html_bytes, include_comments=False,
  include_tables=True, include_formatting=False)`, the call behind trafilatura's published
  figures (tests/eval_common.py: bytes in, no URL, fast=False). Published on all 990 pages:
  trafilatura 2.2, F1 0.924; on this sample the row above is the real baseline.

pages/s is wall time spent inside the extraction call only (scoring excluded), after one
untimed warm-up call per system; newsprism's time also covers its decoding, cleaning, date,
outlet and language steps, and one-time loads the warm-up page did not trigger (dateparser's
data for a language, for example) stay in the figure. `--misses N` lists the N pages where newsprism loses most against
trafilatura (and the N where it gains most), saying for each lost snippet whether the page was
rejected, the line was removed by the residue cleaner (newsprism/clean.py, with its reason), or
trafilatura never extracted it with our options. `--json` appends one JSON line to
bench/results/extraction.jsonl.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import json
import platform
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trafilatura

import newsprism
from newsprism.models import Article, Rejection
from newsprism.provenance import append_jsonl, git_commit, package_version

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_DATA = PROJECT_DIR.parent / "shared" / "eval" / "extraction" / "trafilatura-eval"
RESULTS_FILE = BENCH_DIR / "results" / "extraction.jsonl"
PUBLISHED = "trafilatura 2.2 on all 990 pages: F1 0.924 (this set is a 250-page sample)"
_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """Collapse white space, as trafilatura's scorer does, so line breaks never cost a match."""
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Page:
    """One evaluation page: its URL, file name, raw bytes and the snippets to find or avoid."""

    url: str
    file: str
    html: bytes
    with_: tuple[str, ...]
    without: tuple[str, ...]


@dataclass(slots=True)
class Counts:
    """Pooled TP/FN/FP counts with the derived scores."""

    tp: int = 0
    fn: int = 0
    fp: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else 0.0


def score(page: Page, text: str | None) -> Counts:
    """Counts for one page; None or empty text finds nothing."""
    found = norm(text) if text else ""
    tp = sum(1 for s in page.with_ if found and norm(s) in found)
    fp = sum(1 for s in page.without if found and norm(s) in found)
    return Counts(tp=tp, fn=len(page.with_) - tp, fp=fp)


@dataclass(slots=True)
class Row:
    """One line of the table: a system's texts per page, its counts and its extraction time."""

    label: str
    texts: list[str | None]
    seconds: float
    errors: int = 0
    counts: Counts = field(default_factory=Counts)
    per_page: list[Counts] = field(default_factory=list)

    def tally(self, pages: Sequence[Page]) -> None:
        self.per_page = [score(p, t) for p, t in zip(pages, self.texts, strict=True)]
        self.counts = Counts()
        for c in self.per_page:
            self.counts.add(c)


class DataMissing(Exception):
    """The evaluation data is not where it was looked for."""


def load_pages(data_dir: Path, limit: int | None) -> tuple[list[Page], list[str]]:
    """The pages in evaldata.json order (first `limit` of them), and the files that are missing."""
    index = data_dir / "evaldata.json"
    if not index.is_file():
        raise DataMissing(f"{index} not found")
    entries: dict[str, dict[str, Any]] = json.loads(index.read_text(encoding="utf-8"))
    pages: list[Page] = []
    missing: list[str] = []
    for url, item in entries.items():
        if limit is not None and len(pages) >= limit:
            break
        path = data_dir / "html" / item["file"]
        if not path.is_file():
            missing.append(item["file"])
            continue
        pages.append(
            Page(
                url=url,
                file=item["file"],
                html=path.read_bytes(),
                with_=tuple(item["with"]),
                without=tuple(item["without"]),
            )
        )
    return pages, missing


def run_newsprism(pages: Sequence[Page]) -> tuple[list[Article | Rejection], float]:
    """newsprism.extract on every page; the results and the seconds spent in the calls."""
    newsprism.extract(pages[0].html, url=pages[0].url, content_type="text/html")  # warm-up
    results: list[Article | Rejection] = []
    seconds = 0.0
    for page in pages:
        t0 = time.perf_counter()
        results.append(newsprism.extract(page.html, url=page.url, content_type="text/html"))
        seconds += time.perf_counter() - t0
    return results, seconds


def run_trafilatura(
    pages: Sequence[Page], call: Callable[[Page], str | None]
) -> tuple[list[str | None], float, int]:
    """One trafilatura call per page: texts, seconds in the calls, and the number that raised."""
    with contextlib.suppress(Exception):  # a failure is counted below, where it is timed
        call(pages[0])  # warm-up
    texts: list[str | None] = []
    seconds = 0.0
    errors = 0
    for page in pages:
        t0 = time.perf_counter()
        try:
            text = call(page)
        except Exception:  # a crash is a full miss, as in trafilatura's own evaluation
            text, errors = None, errors + 1
        seconds += time.perf_counter() - t0
        texts.append(text)
    return texts, seconds, errors


def trafilatura_defaults(page: Page) -> str | None:
    """Plain trafilatura: bytes in, every option at its default."""
    text: str | None = trafilatura.extract(page.html)
    return text


def trafilatura_eval_settings(page: Page) -> str | None:
    """The call behind trafilatura's published figures (tests/eval_common.py, EXTRACT_OPTS)."""
    text: str | None = trafilatura.extract(
        page.html, include_comments=False, include_tables=True, include_formatting=False
    )
    return text


def with_title(result: Article | Rejection) -> str | None:
    if isinstance(result, Rejection):
        return None
    return f"{result.title}\n\n{result.text}" if result.title else result.text


def text_only(result: Article | Rejection) -> str | None:
    return None if isinstance(result, Rejection) else result.text


def _not_extracted(wanted: str, page: Page) -> str:
    """Why trafilatura's output inside newsprism lacks a snippet: comments, decoding, or else."""
    try:
        page.html.decode("utf-8")
    except UnicodeDecodeError:
        return "not extracted; the page is not valid UTF-8, so check newsprism's decoding"
    doc = trafilatura.bare_extraction(page.html, include_comments=True)
    comments = str(getattr(doc, "comments", None) or "")
    if wanted in norm(comments):
        return "not extracted; it is in the reader comments (we pass include_comments=False)"
    return "not in trafilatura's output with our options"


def where_lost(snippet: str, page: Page, result: Article | Rejection) -> str:
    """Why a `with` snippet is not in newsprism's output for this page."""
    if isinstance(result, Rejection):
        return f"page rejected ({result.code})"
    wanted = norm(snippet)
    if wanted not in norm(result.source_text):
        return _not_extracted(wanted, page)
    reasons = [
        f"{r.reason}: {r.text[:80]!r}"
        for r in result.removed
        if norm(r.text) and (wanted in norm(r.text) or norm(r.text) in wanted)
    ]
    if reasons:
        return "removed by clean.py, " + "; ".join(reasons)
    if result.title and wanted in norm(result.title):
        return "in the title only"
    return "in the extracted text but not kept (spans removed lines or the title paragraph)"


def print_misses(
    pages: Sequence[Page],
    ours: Row,
    theirs: Row,
    results: Sequence[Article | Rejection],
    n: int,
) -> None:
    """The pages where newsprism loses most (and gains most) against one trafilatura row."""
    # Net snippets lost: with-snippets trafilatura found and we missed, plus our extra unwanted.
    deltas = [
        ((t.tp - o.tp) + (o.fp - t.fp), i)
        for i, (o, t) in enumerate(zip(ours.per_page, theirs.per_page, strict=True))
    ]
    worst = sorted((d for d in deltas if d[0] > 0), key=lambda d: (-d[0], d[1]))[:n]
    best = sorted((d for d in deltas if d[0] < 0), key=lambda d: (d[0], d[1]))[:n]
    for title, chosen in (
        (f"pages where {ours.label} loses against {theirs.label}", worst),
        (f"pages where {ours.label} gains against {theirs.label}", best),
    ):
        print()
        print(f"{title}: {len(chosen)} shown")
        for delta, i in chosen:
            page, result = pages[i], results[i]
            mine = norm(ours.texts[i] or "")
            other = norm(theirs.texts[i] or "")
            print(f"  {page.file}  (net {delta:+d})  {page.url}")
            for s in page.with_:
                if norm(s) in other and norm(s) not in mine:
                    print(f"    lost   {s[:70]!r}: {where_lost(s, page, result)}")
                elif norm(s) in mine and norm(s) not in other:
                    print(f"    found  {s[:70]!r} (trafilatura misses it)")
            for s in page.without:
                if norm(s) in mine and norm(s) not in other:
                    print(f"    extra  {s[:70]!r} (unwanted, kept by us only)")
                elif norm(s) in other and norm(s) not in mine:
                    print(f"    avoided {s[:70]!r} (unwanted, kept by trafilatura only)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "HTML main-text extraction benchmark on trafilatura's evaluation pages "
            "(../shared/eval/extraction/trafilatura-eval). Runs newsprism.extract and plain "
            "trafilatura.extract (defaults, and the settings of trafilatura's own evaluation) "
            "on the same bytes and prints pooled TP/FN/FP, precision, recall, F1 and pages/s, "
            "with newsprism's rejections by code. A with-snippet found (white space collapsed) "
            "is a TP, one missing a FN, a without-snippet found a FP."
        )
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"evaluation directory with evaldata.json and html/ (default: {DEFAULT_DATA})",
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument(
        "--misses",
        type=int,
        default=0,
        metavar="N",
        help="list the N pages where newsprism loses most (and gains most) against trafilatura",
    )
    parser.add_argument(
        "--against",
        choices=("defaults", "eval"),
        default="defaults",
        help="the trafilatura row --misses compares with (default: defaults)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help=f"append a result line to {RESULTS_FILE.relative_to(PROJECT_DIR)}",
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be positive")
    if args.misses < 0:
        parser.error("--misses must not be negative")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir: Path = args.data.resolve()
    try:
        pages, missing = load_pages(data_dir, args.limit)
    except DataMissing as exc:
        print(
            f"ERROR: the extraction evaluation data is missing ({exc}).\n"
            "Expected trafilatura's evaluation sample (evaldata.json and html/) at "
            f"{data_dir}; pass --data DIR to point elsewhere.",
            file=sys.stderr,
        )
        return 2
    if missing:
        print(f"NOTE: {len(missing)} page files are missing and skipped.", file=sys.stderr)
    if not pages:
        print(f"ERROR: no pages could be read from {data_dir}.", file=sys.stderr)
        return 2

    results, np_seconds = run_newsprism(pages)
    rows = [
        Row("newsprism (title + text)", [with_title(r) for r in results], np_seconds),
        Row("newsprism (text only)", [text_only(r) for r in results], np_seconds),
    ]
    calls: list[tuple[str, Callable[[Page], str | None]]] = [
        ("trafilatura defaults", trafilatura_defaults),
        ("trafilatura eval settings", trafilatura_eval_settings),
    ]
    for label, call in calls:
        texts, seconds, n_errors = run_trafilatura(pages, call)
        rows.append(Row(label, texts, seconds, n_errors))
    for row in rows:
        row.tally(pages)

    rejections = collections.Counter(r.code for r in results if isinstance(r, Rejection))
    n_with = sum(len(p.with_) for p in pages)
    n_without = sum(len(p.without) for p in pages)
    try:
        shown_dir = str(data_dir.relative_to(PROJECT_DIR.parent))
    except ValueError:
        shown_dir = str(data_dir)
    print(
        f"extraction benchmark: {len(pages)} pages from {shown_dir} "
        f"({n_with} with / {n_without} without snippets)"
    )
    print(
        f"newsprism {newsprism.__version__}, trafilatura {package_version('trafilatura')}; "
        f"published reference: {PUBLISHED}"
    )
    print()
    header = (
        f"{'system':<27}{'TP':>6}{'FN':>6}{'FP':>6}{'precision':>11}{'recall':>8}"
        f"{'F1':>8}{'pages/s':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        c = row.counts
        print(
            f"{row.label:<27}{c.tp:>6}{c.fn:>6}{c.fp:>6}{c.precision:>11.3f}{c.recall:>8.3f}"
            f"{c.f1:>8.4f}{len(pages) / row.seconds:>9.1f}"
        )
    print()
    codes = ", ".join(f"{code} {n}" for code, n in rejections.most_common()) or "none"
    print(f"newsprism rejected {sum(rejections.values())} of {len(pages)} pages ({codes})")
    raised = {row.label: row.errors for row in rows if row.errors}
    if raised:
        print(f"pages where trafilatura raised (counted as empty): {raised}")

    if args.misses:
        theirs = rows[2] if args.against == "defaults" else rows[3]
        print_misses(pages, rows[0], theirs, results, args.misses)

    if args.json:
        record: dict[str, Any] = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": git_commit(PROJECT_DIR),
            "python": platform.python_version(),
            "newsprism": newsprism.__version__,
            "trafilatura": package_version("trafilatura"),
            "lxml": package_version("lxml"),
            "data": shown_dir,
            "limit": args.limit,
            "n_pages": len(pages),
            "n_with": n_with,
            "n_without": n_without,
            "n_rejected": sum(rejections.values()),
            "rejections": dict(rejections),
            "rows": {
                row.label: {
                    "tp": row.counts.tp,
                    "fn": row.counts.fn,
                    "fp": row.counts.fp,
                    "precision": round(row.counts.precision, 4),
                    "recall": round(row.counts.recall, 4),
                    "f1": round(row.counts.f1, 4),
                    "pages_per_s": round(len(pages) / row.seconds, 2),
                    "errors": row.errors,
                }
                for row in rows
            },
        }
        append_jsonl(RESULTS_FILE, record)
        print(f"recorded in {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
