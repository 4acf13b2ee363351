"""Time expressions on TempEval-3 (TBAQ-cleaned): TIMEX3 extent P/R/F1, value and type accuracy.

Data: ../shared/eval/time/tempeval3 (TimeBank 183 + AQUAINT 73 TimeML `.tml` files, the
TempEval-3 training data, used here as the development split), read in place and never copied
into the repository. The `testpipeline` folder (one duplicated file, no README) is not read.

Input and gold
* Input: the content of the `<TEXT>` element with every tag (`EVENT`, `SIGNAL`, `TIMEX3`, ...)
  removed and the XML entities (`&amp;` ...) decoded. Gold TIMEX3 spans are computed while
  stripping, so `text[start:end]` is the TIMEX3's text.
* Anchor: the date of the `<DCT><TIMEX3 ...>` (document creation time; its first 10 characters
  when it carries a time). The DCT TIMEX itself is outside `<TEXT>` and is not gold.

Systems (both in the same run, both timed; docs/s excludes file reading)
* newsprism: `newsprism.timex.find_timexes(text, anchor)`: the rule TIMEX finder the pipeline
  uses; spans, TIMEX3 type and value as returned.
* Baseline: dateparser's `search_dates(text, languages=["en"], settings={"RELATIVE_BASE":
  DCT at midnight, "RETURN_AS_TIMEZONE_AWARE": False})` alone. Each returned substring is mapped
  to a span by searching forward in the text from the end of the previous one (a substring not
  found would count as a false positive; on this data every one is found). Type DATE, value
  the date in ISO form (YYYY-MM-DD): dateparser has no durations, sets, vague references or
  coarser granularities, and it is scored as it is.

Scoring (TempEval-3 style, micro-averaged over all documents)
* Strict extent: a prediction whose span is identical to a gold span (each gold once).
* Relaxed extent: a prediction overlapping a gold span, one-to-one: identical spans are paired
  first, then each remaining prediction (in text order) takes the unpaired overlapping gold with
  the largest overlap.
* Value accuracy and type accuracy: over the relaxed pairs, the predicted value (type) equal to
  the gold one. Value F1 = relaxed F1 x value accuracy (the TempEval-3 attribute F1); likewise
  type F1.

Output: both systems' figures, docs/s, the gold count by type with newsprism's relaxed recall
for each; `--json` appends one line to bench/results/time.jsonl; `--errors N` prints N samples
each of misses, false positives, boundary errors (relaxed but not strict) and wrong values.
`--no-baseline` skips dateparser (quicker iterations). Data absent: a message and exit status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import platform
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from timeit import default_timer as perf_counter  # this file is time.py: no `import time`
from typing import Any

import newsprism
from newsprism.provenance import append_jsonl, git_commit
from newsprism.timex import find_timexes

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_DATA = PROJECT_DIR.parent / "shared" / "eval" / "time" / "tempeval3"
RESULTS_FILE = BENCH_DIR / "results" / "time.jsonl"
SUBSETS = ("TimeBank", "AQUAINT")

_TAG_RE = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR_RE = re.compile(r'([A-Za-z_]+)="([^"]*)"')
_DCT_RE = re.compile(r"<DCT>\s*<TIMEX3([^>]*)>", re.S)
_TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Mention:
    """One time expression: gold or predicted."""

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class Doc:
    name: str
    text: str
    anchor: dt.date
    gold: tuple[Mention, ...]


def strip_tags(body: str) -> tuple[str, list[Mention]]:
    """The plain text of a TimeML `<TEXT>` body and its TIMEX3s as spans into that text."""
    out: list[str] = []
    length = 0
    gold: list[Mention] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for m in _TAG_RE.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if name != "TIMEX3" or empty:
            continue
        if not closing:
            open_timex = (length, dict(_ATTR_RE.findall(attrs)))
        elif open_timex is not None:
            start, attr = open_timex
            open_timex = None
            text = "".join(out)[start:length]
            # TimeML extents are trimmed in the corpus; trim defensively anyway.
            lead = len(text) - len(text.lstrip())
            trail = len(text) - len(text.rstrip())
            gold.append(
                Mention(
                    start + lead,
                    length - trail,
                    text.strip(),
                    attr.get("type", "?"),
                    attr.get("value", "?"),
                )
            )
    out.append(html.unescape(body[pos:]))
    return "".join(out), gold


def load_doc(path: Path) -> Doc | None:
    raw = path.read_text(encoding="utf-8")
    dct = _DCT_RE.search(raw)
    body = _TEXT_RE.search(raw)
    if dct is None or body is None:
        return None
    value = dict(_ATTR_RE.findall(dct.group(1))).get("value", "")
    try:
        anchor = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    text, gold = strip_tags(body.group(1))
    for g in gold:
        assert text[g.start : g.end] == g.text, (path.name, g)
    return Doc(f"{path.parent.name}/{path.stem}", text, anchor, tuple(gold))


def load_docs(data: Path, limit: int | None) -> tuple[list[Doc], int]:
    """The documents (TimeBank then AQUAINT, each sorted by name) and how many were skipped."""
    docs: list[Doc] = []
    skipped = 0
    for subset in SUBSETS:
        for path in sorted((data / subset).glob("*.tml")):
            doc = load_doc(path)
            if doc is None:
                skipped += 1
            else:
                docs.append(doc)
    return (docs[:limit] if limit else docs), skipped


# --------------------------------------------------------------------------- systems


def newsprism_predict(doc: Doc) -> list[Mention]:
    return [
        Mention(t.start, t.end, t.text, t.type, t.value) for t in find_timexes(doc.text, doc.anchor)
    ]


def baseline_predict(doc: Doc) -> list[Mention]:
    from dateparser.search import search_dates

    base = dt.datetime(doc.anchor.year, doc.anchor.month, doc.anchor.day)
    found = search_dates(
        doc.text,
        languages=["en"],
        settings={"RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False},
    )
    preds: list[Mention] = []
    pos = 0
    for substring, when in found or []:
        at = doc.text.find(substring, pos)
        if at < 0:
            at = doc.text.find(substring)
        if at < 0:
            preds.append(Mention(-1, -1, substring, "DATE", when.date().isoformat()))
            continue
        preds.append(Mention(at, at + len(substring), substring, "DATE", when.date().isoformat()))
        pos = at + len(substring)
    return preds


# --------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class Score:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    relaxed: int = 0
    value_ok: int = 0
    type_ok: int = 0
    seconds: float = 0.0
    gold_by_type: Counter[str] = field(default_factory=Counter)
    found_by_type: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[Doc, Mention]] = field(default_factory=list)
    false_pos: list[tuple[Doc, Mention]] = field(default_factory=list)
    boundary: list[tuple[Doc, Mention, Mention]] = field(default_factory=list)
    wrong_value: list[tuple[Doc, Mention, Mention]] = field(default_factory=list)

    def add(self, doc: Doc, preds: Sequence[Mention]) -> None:
        gold = doc.gold
        self.gold += len(gold)
        self.pred += len(preds)
        for g in gold:
            self.gold_by_type[g.type] += 1
        pair: dict[int, int] = {}  # pred index -> gold index
        used: set[int] = set()
        exact = {(g.start, g.end): i for i, g in enumerate(gold)}
        for j, p in enumerate(preds):
            i = exact.get((p.start, p.end))
            if i is not None and i not in used:
                pair[j] = i
                used.add(i)
        self.strict += len(pair)
        for j, p in enumerate(preds):
            if j in pair or p.start < 0:
                continue
            best, best_overlap = -1, 0
            for i, g in enumerate(gold):
                overlap = min(p.end, g.end) - max(p.start, g.start)
                if i not in used and overlap > best_overlap:
                    best, best_overlap = i, overlap
            if best >= 0:
                pair[j] = best
                used.add(best)
        self.relaxed += len(pair)
        for j, i in pair.items():
            p, g = preds[j], gold[i]
            self.found_by_type[g.type] += 1
            self.value_ok += p.value == g.value
            self.type_ok += p.type == g.type
            if (p.start, p.end) != (g.start, g.end):
                self.boundary.append((doc, p, g))
            if p.value != g.value:
                self.wrong_value.append((doc, p, g))
        self.misses.extend((doc, g) for i, g in enumerate(gold) if i not in used)
        self.false_pos.extend((doc, p) for j, p in enumerate(preds) if j not in pair)

    @staticmethod
    def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def figures(self) -> dict[str, float]:
        sp, sr, sf = self.prf(self.strict, self.pred, self.gold)
        rp, rr, rf = self.prf(self.relaxed, self.pred, self.gold)
        vacc = self.value_ok / self.relaxed if self.relaxed else 0.0
        tacc = self.type_ok / self.relaxed if self.relaxed else 0.0
        return {
            "strict_p": sp,
            "strict_r": sr,
            "strict_f1": sf,
            "relaxed_p": rp,
            "relaxed_r": rr,
            "relaxed_f1": rf,
            "value_accuracy": vacc,
            "value_f1": rf * vacc,
            "type_accuracy": tacc,
            "type_f1": rf * tacc,
        }


def run(docs: Sequence[Doc], predict: Callable[[Doc], list[Mention]]) -> Score:
    score = Score()
    for doc in docs:
        t0 = perf_counter()
        preds = predict(doc)
        score.seconds += perf_counter() - t0
        score.add(doc, preds)
    return score


# --------------------------------------------------------------------------- output


def _context(doc: Doc, start: int, end: int, width: int = 40) -> str:
    left = doc.text[max(0, start - width) : start].replace("\n", " ")
    right = doc.text[end : end + width].replace("\n", " ")
    return f"…{left}[{doc.text[start:end]}]{right}…"


def print_errors(score: Score, n: int, label: str) -> None:
    rng = random.Random(0)

    def sample(items: list[Any]) -> list[Any]:
        return rng.sample(items, min(n, len(items)))

    print(f"\n--- {label}: sample misses ({len(score.misses)}) ---")
    for doc, g in sample(score.misses):
        print(f"  [{doc.name}] {g.type} {g.value}: {_context(doc, g.start, g.end)}")
    print(f"\n--- {label}: sample false positives ({len(score.false_pos)}) ---")
    for doc, p in sample(score.false_pos):
        where = _context(doc, p.start, p.end) if p.start >= 0 else repr(p.text)
        print(f"  [{doc.name}] {p.type} {p.value}: {where}")
    print(f"\n--- {label}: sample boundary errors ({len(score.boundary)}) ---")
    for doc, p, g in sample(score.boundary):
        print(
            f"  [{doc.name}] predicted {p.text!r}, gold {g.text!r}: {_context(doc, g.start, g.end)}"
        )
    print(f"\n--- {label}: sample wrong values ({len(score.wrong_value)}) ---")
    for doc, p, g in sample(score.wrong_value):
        print(
            f"  [{doc.name}] DCT {doc.anchor} {p.text!r}: predicted {p.type} {p.value}, "
            f"gold {g.type} {g.value} ({g.text!r})"
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "TIMEX benchmark on TempEval-3 (TBAQ-cleaned TimeML): newsprism's rule TIMEX finder "
            "and dateparser's search_dates baseline in the same run. Prints strict and relaxed "
            "extent P/R/F1, value and type accuracy on relaxed matches, value F1 and docs/s. "
            "See the module docstring for the exact rules."
        )
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"TempEval-3 folder (default: {DEFAULT_DATA})",
    )
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    parser.add_argument(
        "--json",
        action="store_true",
        help=f"append a JSON line to bench/results/{RESULTS_FILE.name}",
    )
    parser.add_argument(
        "--errors", type=int, default=0, metavar="N", help="print N sample errors of each kind"
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip dateparser (faster iterations)"
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be positive")
    return args


def _row(label: str, f: dict[str, float], docs_s: float) -> list[str]:
    return [
        f"{label}  ({docs_s:,.1f} docs/s)",
        f"  strict   P {f['strict_p']:.3f}  R {f['strict_r']:.3f}  F1 {f['strict_f1']:.3f}",
        f"  relaxed  P {f['relaxed_p']:.3f}  R {f['relaxed_r']:.3f}  F1 {f['relaxed_f1']:.3f}",
        f"  value accuracy {f['value_accuracy']:.3f}  value F1 {f['value_f1']:.3f}   "
        f"type accuracy {f['type_accuracy']:.3f}  type F1 {f['type_f1']:.3f}",
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data: Path = args.data
    if not all((data / subset).is_dir() for subset in SUBSETS):
        print(
            f"ERROR: TempEval-3 data not found at {data} (expected TimeBank/ and AQUAINT/ with "
            ".tml files). It lives outside the repository, in ../shared/eval/time/tempeval3; "
            "pass --data DIR.",
            file=sys.stderr,
        )
        return 2
    docs, skipped = load_docs(data, args.limit)
    if not docs:
        print(f"ERROR: no TimeML documents with a DCT and a TEXT in {data}", file=sys.stderr)
        return 2

    find_timexes("warm-up on 3 March 2020", dt.date(2020, 3, 4))
    systems: list[tuple[str, Score]] = [("newsprism", run(docs, newsprism_predict))]
    if not args.no_baseline:
        baseline_predict(docs[0])  # dateparser's import and language data, untimed
        systems.append(("dateparser search_dates", run(docs, baseline_predict)))

    n_gold = sum(len(d.gold) for d in docs)
    by_type = Counter(g.type for d in docs for g in d.gold)
    print(f"TempEval-3 TIMEX benchmark ({data})")
    print(
        f"documents: {len(docs)}{' (limit)' if args.limit else ''}, {skipped} skipped; "
        f"gold TIMEX3 {n_gold} ("
        + ", ".join(f"{k} {v}" for k, v in sorted(by_type.items()))
        + "); anchor = DCT"
    )
    ours = systems[0][1]
    print(
        "newsprism relaxed recall by gold type: "
        + ", ".join(
            f"{k} {ours.found_by_type[k] / v:.2f}" for k, v in sorted(ours.gold_by_type.items())
        )
    )
    record: dict[str, Any] = {}
    for label, score in systems:
        docs_s = len(docs) / score.seconds if score.seconds else float("inf")
        figs = score.figures()
        print()
        print("\n".join(_row(label, figs, docs_s)))
        print(
            f"  counts: gold {score.gold}, predicted {score.pred}, strict {score.strict}, "
            f"relaxed {score.relaxed}, value correct {score.value_ok}, type correct "
            f"{score.type_ok}"
        )
        rec: dict[str, Any] = {k: round(v, 4) for k, v in figs.items()}
        rec |= {
            "docs_per_s": round(docs_s, 2),
            "pred": score.pred,
            "strict": score.strict,
            "relaxed": score.relaxed,
            "value_ok": score.value_ok,
            "type_ok": score.type_ok,
        }
        record["newsprism" if label == "newsprism" else "baseline"] = rec

    if args.errors:
        for label, score in systems:
            print_errors(score, args.errors, label)

    if args.json:
        record = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": git_commit(PROJECT_DIR),
            "python": platform.python_version(),
            "newsprism_version": newsprism.__version__,
            "limit": args.limit,
            "n_docs": len(docs),
            "n_gold": n_gold,
            **record,
        }
        append_jsonl(RESULTS_FILE, record)
        print(f"\nrecorded in {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
