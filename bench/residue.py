"""Residue removal quality: line-level precision and recall of `newsprism.clean.clean_text`.

The data set (tests/data/residue/cases.jsonl, one JSON object a line) holds short plain-text
article snippets written from patterns seen in scraped news (wire services, Guardian, BBC,
Reuters, AP, Al Jazeera, Euronews, RT, TASS layouts). Each case is
`{"id", "kind", "text", "residue": [lines], "keep": [lines]}`; every non-empty line of `text`
is listed in exactly one of `residue` (boilerplate that must go) or `keep` (article text that
must stay). About a quarter of the cases are hard negatives (`kind` "real_sentence"): real
sentences that look like residue ("Share prices fell 3% on Tuesday.", "Getty Images said it
would appeal the ruling.", "He declined to comment.", a wire dateline "KYIV, March 3
(Reuters) - ..." whose sentence stays whole).

What is measured, per line:

* a line counts as removed when no kept paragraph (`Cleaned.paragraphs`) overlaps it. An
  embedded post lifted into `Cleaned.posts` is removed from the analysed text, so it counts;
* a `keep` line counts as kept only when kept paragraphs cover all of it. Anything else is a
  false removal, and every one is listed by case;
* precision = removed residue / all removed lines; recall = removed residue / residue lines;
* every removed line must also be recorded (a `Removal` or an `EmbeddedPost` span covering
  it); unrecorded removals are counted.

A naive baseline is scored in the same run: drop every line shorter than 5 words. Per-kind
recall groups residue lines by the kind of their case. `--json` appends one JSON line to
bench/results/residue.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism.clean import CLEANER, clean_text
from newsprism.provenance import append_jsonl, git_commit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_DATA = PROJECT_DIR / "tests" / "data" / "residue" / "cases.jsonl"
RESULTS_FILE = BENCH_DIR / "results" / "residue.jsonl"
KINDS = (
    "share",
    "counter",
    "caption",
    "credit",
    "section_label",
    "embedded_post",
    "emoji",
    "dateline",
    "byline",
    "newsletter/promo",
    "related-links",
    "real_sentence",
)
BASELINE_MIN_WORDS = 5
MISSED_SHOWN = 10  # missed residue lines are listed when there are at most this many


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    kind: str
    text: str
    residue: tuple[str, ...]
    keep: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a cleaner did to one case: which labelled lines it removed, which it left."""

    removed: frozenset[str]  # labelled lines judged removed
    unrecorded: tuple[str, ...] = ()  # removed lines with no Removal/EmbeddedPost record


@dataclass(slots=True)
class Score:
    name: str
    tp: int = 0  # residue removed
    fn: int = 0  # residue left in
    fp: int = 0  # keep lines removed
    keep_total: int = 0
    unrecorded: int = 0
    false_removals: list[tuple[str, str]] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)
    kind_residue: dict[str, list[int]] = field(default_factory=dict)  # kind -> [removed, total]
    kind_keep: dict[str, list[int]] = field(default_factory=dict)  # kind -> [removed, total]

    @property
    def precision(self) -> float:
        removed = self.tp + self.fp
        return self.tp / removed if removed else 1.0

    @property
    def recall(self) -> float:
        total = self.tp + self.fn
        return self.tp / total if total else 1.0


def load_cases(path: Path = DEFAULT_DATA) -> list[Case]:
    """Read and validate the cases: every non-empty line is labelled once, labels are lines."""
    cases: list[Case] = []
    seen: set[str] = set()
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        row = json.loads(raw)
        case = Case(
            id=str(row["id"]),
            kind=str(row["kind"]),
            text=str(row["text"]),
            residue=tuple(str(x) for x in row["residue"]),
            keep=tuple(str(x) for x in row["keep"]),
        )
        where = f"{path.name}:{n} ({case.id})"
        if case.id in seen:
            raise ValueError(f"{where}: duplicate id")
        seen.add(case.id)
        if case.kind not in KINDS:
            raise ValueError(f"{where}: unknown kind {case.kind!r}")
        lines = [ln.strip() for ln in case.text.split("\n") if ln.strip()]
        if len(set(lines)) != len(lines):
            raise ValueError(f"{where}: repeated line in text")
        labelled = [*case.residue, *case.keep]
        if sorted(labelled) != sorted(lines):
            missing = set(lines) - set(labelled)
            extra = set(labelled) - set(lines)
            raise ValueError(f"{where}: unlabelled lines {missing}, labels not in text {extra}")
        cases.append(case)
    return cases


def _line_spans(text: str) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped)
            spans[stripped] = (start, start + len(stripped))
        pos += len(raw) + 1
    return spans


def _covered(span: tuple[int, int], by: Iterable[tuple[int, int]]) -> int:
    """How many characters of `span` fall inside the spans `by`."""
    start, end = span
    return sum(max(0, min(end, e) - max(start, s)) for s, e in by)


def run_newsprism(case: Case) -> Outcome:
    cleaned = clean_text(case.text)
    kept = [(p.span.start, p.span.end) for p in cleaned.paragraphs]
    records = [(r.span.start, r.span.end) for r in cleaned.removed]
    records += [(p.span.start, p.span.end) for p in cleaned.posts]
    removed: set[str] = set()
    unrecorded: list[str] = []
    for line, span in _line_spans(case.text).items():
        size = span[1] - span[0]
        kept_chars = _covered(span, kept)
        # a keep line is lost if any of it is gone; a residue line is removed if none of it stays
        lost = kept_chars < size if line in case.keep else kept_chars == 0
        if lost:
            removed.add(line)
        if kept_chars < size and _covered(span, records) < size - kept_chars:
            unrecorded.append(line)
    return Outcome(frozenset(removed), tuple(unrecorded))


def run_baseline(case: Case) -> Outcome:
    """The naive rule: drop every line shorter than BASELINE_MIN_WORDS words."""
    lines = _line_spans(case.text)
    return Outcome(frozenset(ln for ln in lines if len(ln.split()) < BASELINE_MIN_WORDS))


def score(name: str, cases: list[Case], run: Callable[[Case], Outcome]) -> Score:
    result = Score(name)
    for case in cases:
        outcome = run(case)
        kr = result.kind_residue.setdefault(case.kind, [0, 0])
        kk = result.kind_keep.setdefault(case.kind, [0, 0])
        for line in case.residue:
            kr[1] += 1
            if line in outcome.removed:
                result.tp += 1
                kr[0] += 1
            else:
                result.fn += 1
                result.missed.append((case.id, line))
        for line in case.keep:
            kk[1] += 1
            result.keep_total += 1
            if line in outcome.removed:
                result.fp += 1
                kk[0] += 1
                result.false_removals.append((case.id, line))
        result.unrecorded += len(outcome.unrecorded)
    return result


def _display_path(path: Path) -> str:
    resolved = path.resolve()
    if resolved.is_relative_to(PROJECT_DIR):
        return str(resolved.relative_to(PROJECT_DIR))
    return str(path)


def _pct(part: int, total: int) -> str:
    return f"{part / total:.3f}" if total else "  -  "


def report(ours: Score, base: Score, cases: list[Case], *, show_missed: bool) -> None:
    n_res = ours.tp + ours.fn
    print(
        f"residue test set: {len(cases)} cases, {n_res} residue lines, "
        f"{ours.keep_total} keep lines "
        f"({sum(c.kind == 'real_sentence' for c in cases)} hard-negative cases)"
    )
    print()
    header = f"{'':<34}{'precision':>10}{'recall':>8}{'removed':>9}{'missed':>8}{'false rem.':>12}"
    print(header)
    print("-" * len(header))
    for label, s in (
        (f"newsprism ({CLEANER})", ours),
        (f"baseline (< {BASELINE_MIN_WORDS} words dropped)", base),
    ):
        print(
            f"{label:<34}{s.precision:>10.3f}{s.recall:>8.3f}{s.tp:>9}{s.fn:>8}"
            f"{f'{s.fp}/{s.keep_total}':>12}"
        )
    print()
    print("per kind (residue recall, false removals of keep lines): newsprism | baseline")
    for kind in KINDS:
        if kind not in ours.kind_residue:
            continue
        o_r, o_k, b_r, b_k = (
            ours.kind_residue[kind],
            ours.kind_keep[kind],
            base.kind_residue[kind],
            base.kind_keep[kind],
        )
        print(
            f"  {kind:<18} residue {o_r[1]:>3}  recall {_pct(*o_r):>5}  false {o_k[0]:>2}/{o_k[1]:<3}"
            f"| recall {_pct(*b_r):>5}  false {b_k[0]:>2}/{b_k[1]}"
        )
    print()
    print(f"newsprism false removals: {ours.fp}")
    for cid, line in ours.false_removals:
        print(f"  [{cid}] {line}")
    print(f"newsprism removals without a record: {ours.unrecorded}")
    print(f"newsprism missed residue: {ours.fn}")
    if show_missed or ours.fn <= MISSED_SHOWN:
        for cid, line in ours.missed:
            print(f"  [{cid}] {line}")
    print(f"baseline false removals: {base.fp} (use --baseline-detail to list)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Residue removal quality. Runs newsprism.clean.clean_text on each case of the "
            "plain-text residue set and prints line-level precision and recall of removal, "
            "false removals of lines that must stay (listed), per-kind recall, and the same "
            f"figures for a naive baseline (drop every line under {BASELINE_MIN_WORDS} words)."
        )
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="cases file, JSON lines (default: tests/data/residue/cases.jsonl)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="append a JSON line with the figures to bench/results/residue.jsonl",
    )
    parser.add_argument(
        "--missed",
        action="store_true",
        help=f"list every residue line newsprism left in (listed anyway up to {MISSED_SHOWN})",
    )
    parser.add_argument(
        "--baseline-detail", action="store_true", help="list the baseline's false removals"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        cases = load_cases(args.data)
    except (OSError, ValueError, KeyError) as exc:
        print(f"ERROR: cannot read {args.data}: {exc}", file=sys.stderr)
        return 1
    ours = score("newsprism", cases, run_newsprism)
    base = score("baseline", cases, run_baseline)
    report(ours, base, cases, show_missed=args.missed)
    if args.baseline_detail:
        for cid, line in base.false_removals:
            print(f"  [{cid}] {line}")
    if args.json:
        record: dict[str, Any] = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": git_commit(PROJECT_DIR),
            "cleaner": CLEANER,
            "data": _display_path(args.data),
            "cases": len(cases),
            "residue_lines": ours.tp + ours.fn,
            "keep_lines": ours.keep_total,
            "precision": round(ours.precision, 4),
            "recall": round(ours.recall, 4),
            "false_removals": ours.fp,
            "unrecorded": ours.unrecorded,
            "per_kind_recall": {
                k: round(v[0] / v[1], 4) for k, v in ours.kind_residue.items() if v[1]
            },
            "baseline": {
                "rule": f"drop lines under {BASELINE_MIN_WORDS} words",
                "precision": round(base.precision, 4),
                "recall": round(base.recall, 4),
                "false_removals": base.fp,
            },
        }
        append_jsonl(RESULTS_FILE, record)
        print(f"recorded in {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
