"""Opinion and biased wording on BABE: sentence macro-F1 of newsprism's labels beside baselines.

Data: ../shared/eval/opinion/babe/final_labels_SG2.csv (BABE, Spinde et al. 2021; the expert
"SG2" final labels; our development split), read in place and never copied into the repository.
`;`-separated columns: text, news_link, outlet, topic, type, label_bias, label_opinion,
biased_words (a Python list literal of the words the annotators marked as biased).

Label mapping (binary)
* bias: "Biased" → 1, "Non-biased" → 0; "No agreement" is dropped (1 row).
* opinion: "Entirely factual" → 0 (reporting); "Expresses writer's opinion" and "Somewhat factual
  but also opinionated" → 1 (opinion/analysis: the sentence carries the writer's evaluation,
  which is what a source's opinion share counts); "No agreement" is dropped (216 rows), for the
  opinion task only.

Systems (all in the same run; macro-F1 = mean of the F1 of class 1 and of class 0)
* majority: every sentence gets the majority class of the training folds.
* lexicon baseline: positive when the sentence contains at least one word of GENERIC_SUBJECTIVE
  (below: 39 common subjective words), lower-cased word match, no quotes or negation handling.
* newsprism lexicon rules (no training): biased when `framing.loaded_terms` finds a term outside
  quotation marks; opinion when it does or `framing.stance_rule` fires.
* newsprism, k-fold cross-validated (the figure): the sentences are split into k folds (a fixed
  permutation, --seed), by article by default (--split article: every sentence of one
  news_link in the same fold, since sentences of one article share topic and style; sentences
  without a link are their own group; --split sentence splits freely). For each fold, `framing.fit_framing_model` fits everything that is
  learned (the biased-word stem table and both logistic regressions) on the other k-1 folds, and
  the held-out fold is labelled with that model: `framing.is_biased` for bias and
  `framing.sentence_role` (the model or the stance rule) for opinion; "opinion model only" is
  the opinion regression alone. Hyperparameters (--l2, --min-count, --prior) default to values chosen on
  this same cross-validation, so the figure is mildly optimistic.
* The shipped default is the lexicon rules (`framing.rules_model`, no training data): BABE is
  AGPL-3.0, so weights derived from it are not shipped in the Apache-2.0 package.
  `--write-model` fits on all of this split and writes build/framing_model.json for local use
  (`framing.FramingModel.from_json`); it is then scored on its own training data: not an estimate.

Output: the figures, sentences/s of the shipped model (`sentence_role` + `is_biased` per
sentence), `--errors N` false positives and negatives of the cross-validated model, `--json`
appends a line to bench/results/opinion.jsonl, `--write-model` refits on all rows and writes
build/framing_model.json (not shipped). Data absent: a message and exit status 2.
"""

from __future__ import annotations

import argparse
import ast
import csv
import datetime as dt
import json
import platform
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from timeit import default_timer as perf_counter  # bench/time.py shadows `time` for mypy
from typing import Any

import numpy as np

import newsprism
from newsprism import framing
from newsprism.provenance import append_jsonl, git_commit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_DATA = PROJECT_DIR.parent / "shared" / "eval" / "opinion" / "babe"
DATA_FILE = "final_labels_SG2.csv"
RESULTS_FILE = BENCH_DIR / "results" / "opinion.jsonl"
MODEL_FILE = PROJECT_DIR / "build" / "framing_model.json"  # local only: derived from AGPL data

BIAS_MAP = {"Biased": 1, "Non-biased": 0}
OPINION_MAP = {
    "Entirely factual": 0,
    "Expresses writer's opinion": 1,
    "Somewhat factual but also opinionated": 1,
}
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
GENERIC_SUBJECTIVE = frozenset(
    """good bad great terrible awful horrible best worst amazing wonderful disgusting ridiculous
    absurd outrageous shameful stupid crazy radical extreme dangerous evil corrupt fake lie lies
    liar should must clearly obviously really very totally absolutely unfortunately sadly believe
    think feel""".split()
)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    bias: int
    opinion: int | None
    marked: tuple[str, ...]
    link: str  # the article the sentence comes from ('' when unknown)


def load_rows(path: Path) -> tuple[list[Row], Counter[str]]:
    """The usable rows and a count of what was dropped and why."""
    dropped: Counter[str] = Counter()
    rows: list[Row] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh, delimiter=";"):
            text = (rec.get("text") or "").strip()
            bias = BIAS_MAP.get(rec.get("label_bias") or "")
            if not text or bias is None:
                dropped[f"bias {rec.get('label_bias')!r}"] += 1
                continue
            opinion_label = (rec.get("label_opinion") or "").replace("’", "'")
            opinion = OPINION_MAP.get(opinion_label)
            if opinion is None:
                dropped[f"opinion {opinion_label!r} (opinion task only)"] += 1
            try:
                marked = tuple(str(w) for w in ast.literal_eval(rec.get("biased_words") or "[]"))
            except (ValueError, SyntaxError):
                marked = ()
            rows.append(Row(text, bias, opinion, marked, (rec.get("news_link") or "").strip()))
    return rows, dropped


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class Score:
    macro_f1: float
    f1_pos: float
    f1_neg: float
    precision_pos: float
    recall_pos: float
    accuracy: float
    n: int


def score(gold: Sequence[int], pred: Sequence[int]) -> Score:
    def f1(c: int) -> tuple[float, float, float]:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), prec, rec

    f_pos, p_pos, r_pos = f1(1)
    f_neg, _, _ = f1(0)
    acc = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold)
    return Score((f_pos + f_neg) / 2, f_pos, f_neg, p_pos, r_pos, acc, len(gold))


def folds(rows: Sequence[Row], k: int, seed: int, by_article: bool) -> list[list[int]]:
    """k folds of row indices; by article: all sentences of one news_link in the same fold."""
    n = len(rows)
    if not by_article:
        order = np.random.default_rng(seed).permutation(n)
        return [sorted(int(i) for i in part) for part in np.array_split(order, k)]
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(r.link or f"row:{i}", []).append(i)
    members = list(groups.values())
    order = np.random.default_rng(seed).permutation(len(members))
    parts: list[list[int]] = [[] for _ in range(k)]
    # Biggest groups first, each into the currently smallest fold (ties: the lowest fold).
    for g in sorted((int(j) for j in order), key=lambda j: -len(members[j])):
        smallest = min(range(k), key=lambda f: (len(parts[f]), f))
        parts[smallest].extend(members[g])
    return [sorted(p) for p in parts]


def lexicon_baseline(text: str) -> int:
    words = {w.lower() for w in WORD.findall(text)}
    return int(bool(words & GENERIC_SUBJECTIVE))


def rules_biased(text: str) -> int:
    return int(any(not t.quoted for t in framing.loaded_terms(text)))


def rules_opinion(text: str) -> int:
    return int(bool(rules_biased(text)) or framing.stance_rule(text) is not None)


@dataclass
class CrossValidated:
    bias: list[int]
    bias_p: list[float]
    opinion_role: list[int]
    opinion_model: list[int]
    opinion_p: list[float]
    majority_bias: list[int]
    majority_opinion: list[int]
    seconds: float


def cross_validate(rows: Sequence[Row], args: argparse.Namespace) -> CrossValidated:
    n = len(rows)
    out = CrossValidated([0] * n, [0.0] * n, [0] * n, [0] * n, [0.0] * n, [0] * n, [0] * n, 0.0)
    t0 = perf_counter()
    parts = folds(rows, args.k, args.seed, args.split == "article")
    for f, held_out in enumerate(parts):
        held = set(held_out)
        train = [rows[i] for i in range(n) if i not in held]
        model = framing.fit_framing_model(
            [r.text for r in train],
            [r.bias for r in train],
            [r.opinion for r in train],
            [r.marked for r in train],
            l2=args.l2,
            min_count=args.min_count,
            prior=args.prior,
        )
        maj_b = int(sum(r.bias for r in train) * 2 >= len(train))
        op = [r.opinion for r in train if r.opinion is not None]
        maj_o = int(sum(op) * 2 >= len(op))
        for i in held_out:
            text = rows[i].text
            feats = framing.features(text, model)
            out.bias_p[i] = model.bias.score(feats)
            out.bias[i] = int(framing.is_biased(text, model))
            out.opinion_p[i] = model.opinion.score(feats)
            out.opinion_model[i] = int(out.opinion_p[i] >= model.opinion.threshold)
            out.opinion_role[i] = int(framing.sentence_role(text, model)[0] == "opinion")
            out.majority_bias[i] = maj_b
            out.majority_opinion[i] = maj_o
        if sys.stderr.isatty():
            print(f"  fold {f + 1}/{args.k} done", file=sys.stderr, end="\r")
    if sys.stderr.isatty():
        print(file=sys.stderr)
    out.seconds = perf_counter() - t0
    return out


# --------------------------------------------------------------------------- output


def _fmt(label: str, s: Score) -> str:
    return (
        f"  {label:<54}{s.macro_f1:>9.3f}{s.f1_pos:>8.3f}{s.f1_neg:>8.3f}"
        f"{s.precision_pos:>8.3f}{s.recall_pos:>8.3f}{s.accuracy:>8.3f}"
    )


def _header() -> str:
    return (
        f"  {'system':<54}{'macro-F1':>9}{'F1(1)':>8}{'F1(0)':>8}{'P(1)':>8}{'R(1)':>8}{'acc':>8}"
    )


def print_errors(
    rows: Sequence[Row],
    idx: Sequence[int],
    gold: Sequence[int],
    pred: Sequence[int],
    prob: Sequence[float],
    n: int,
    task: str,
) -> None:
    for kind, g_want, p_want in (("false positives", 0, 1), ("false negatives", 1, 0)):
        hits = [j for j in range(len(idx)) if gold[j] == g_want and pred[j] == p_want]
        print(f"\n{task}: {kind} ({len(hits)}), first {min(n, len(hits))}:")
        for j in hits[:n]:
            text = rows[idx[j]].text
            terms = ", ".join(f"{t.text}[{t.category}]" for t in framing.loaded_terms(text))
            rule = framing.stance_rule(text)
            print(f"  p={prob[j]:.2f} {text[:220]!r}")
            extra = f"rule: {rule}; " if rule else ""
            print(f"      {extra}terms: {terms or '-'}; marked: {list(rows[idx[j]].marked)}")


def write_model(
    rows: Sequence[Row], args: argparse.Namespace, data_path: Path
) -> framing.FramingModel:
    about = (
        f"Trained on the BABE development split ({data_path.name}, SG2 expert labels; "
        f"AGPL-3.0 data; {len(rows)} sentences for bias, "
        f"{sum(r.opinion is not None for r in rows)} for opinion) by bench/opinion.py "
        f"--write-model on {dt.date.today().isoformat()} with l2={args.l2}, "
        f"min_count={args.min_count}, prior={args.prior}. Labels: Biased=1, Non-biased=0; "
        "opinion: 'Entirely factual'=0, 'Expresses writer's opinion' and 'Somewhat factual but "
        "also opinionated'=1; 'No agreement' dropped. Holds words, stems, counts and weights "
        "only, no sentence. Cross-validated figures: bench/results/opinion.jsonl."
    )
    model = framing.fit_framing_model(
        [r.text for r in rows],
        [r.bias for r in rows],
        [r.opinion for r in rows],
        [r.marked for r in rows],
        l2=args.l2,
        min_count=args.min_count,
        prior=args.prior,
        about=about,
    )
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    MODEL_FILE.write_text(
        json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(
        f"wrote {MODEL_FILE.relative_to(PROJECT_DIR)}: {len(model.bias.weights)} bias weights, "
        f"{len(model.opinion.weights)} opinion weights, {len(model.loaded)} stems"
    )
    return model


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Opinion / biased-wording benchmark on BABE (SG2 labels): sentence macro-F1 for bias "
            "and for opinion, for newsprism's framing labels (k-fold cross-validated), its "
            "untrained lexicon rules, a majority-class and a generic-lexicon baseline, in one "
            "run. See the module docstring for the label mapping and the exact rules."
        )
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"folder holding {DATA_FILE} (default: ../shared/eval/opinion/babe)",
    )
    parser.add_argument("--k", type=int, default=10, help="cross-validation folds (default: 10)")
    parser.add_argument("--seed", type=int, default=0, help="fold permutation seed (default: 0)")
    parser.add_argument(
        "--split",
        choices=("article", "sentence"),
        default="article",
        help=(
            "fold unit: 'article' keeps all sentences of one news_link in one fold (default; "
            "sentences of one article share topic and style), 'sentence' splits sentences freely"
        ),
    )
    parser.add_argument("--l2", type=float, default=20.0, help="L2 penalty (default: 20)")
    parser.add_argument(
        "--min-count", type=int, default=2, help="minimum rows for a word feature (default: 2)"
    )
    parser.add_argument(
        "--prior", type=float, default=2.0, help="stem-table rate smoothing (default: 2)"
    )
    parser.add_argument(
        "--errors", type=int, default=0, metavar="N", help="print N errors of each kind"
    )
    parser.add_argument("--json", action="store_true", help=f"append a line to {RESULTS_FILE.name}")
    parser.add_argument(
        "--write-model",
        action="store_true",
        help="fit on all rows and write build/framing_model.json (local use; not shipped)",
    )
    args = parser.parse_args(argv)
    if args.k < 2:
        parser.error("--k must be at least 2")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    path: Path = args.data / DATA_FILE
    if not path.is_file():
        print(
            f"ERROR: BABE data not found at {path}. It lives outside the repository, in "
            "../shared/eval/opinion/babe; pass --data DIR.",
            file=sys.stderr,
        )
        return 2
    rows, dropped = load_rows(path)
    if not rows:
        print(f"ERROR: no labelled sentences in {path}", file=sys.stderr)
        return 2

    shipped = write_model(rows, args, path) if args.write_model else framing.MODEL

    cv = cross_validate(rows, args)
    o_idx = [i for i, r in enumerate(rows) if r.opinion is not None]
    gold_b = [r.bias for r in rows]
    gold_o = [int(rows[i].opinion or 0) for i in o_idx]

    def on_o(values: Sequence[int]) -> list[int]:
        return [values[i] for i in o_idx]

    base_lex = [lexicon_baseline(r.text) for r in rows]
    rb = [rules_biased(r.text) for r in rows]
    ro = [rules_opinion(r.text) for r in rows]

    # Speed of the shipped model, as the pipeline will call it.
    t0 = perf_counter()
    shipped_b = [int(framing.is_biased(r.text, shipped)) for r in rows]
    shipped_o = [int(framing.sentence_role(r.text, shipped)[0] == "opinion") for r in rows]
    secs = perf_counter() - t0
    sents_s = len(rows) / secs if secs else float("inf")
    shipped_trained = bool(args.write_model)

    cv_name = f"newsprism, {args.k}-fold CV by {args.split}"
    # (key, label, bias score or None when the row does not apply, opinion score)
    systems: list[tuple[str, str, Score | None, Score]] = [
        ("majority", "majority class", score(gold_b, cv.majority_bias), score(gold_o, on_o(cv.majority_opinion))),
        ("lexicon_baseline", f"lexicon baseline ({len(GENERIC_SUBJECTIVE)} words, >=1)", score(gold_b, base_lex), score(gold_o, on_o(base_lex))),
        ("newsprism_rules", "newsprism lexicon rules (no training)", score(gold_b, rb), score(gold_o, on_o(ro))),
        ("newsprism_cv", cv_name, score(gold_b, cv.bias), score(gold_o, on_o(cv.opinion_role))),
        ("newsprism_cv_model_only", f"{cv_name}, opinion model only", None, score(gold_o, on_o(cv.opinion_model))),
    ]  # fmt: skip
    systems.append(
        (
            "shipped_in_sample" if shipped_trained else "shipped",
            "BABE-trained model (build/, not shipped) on its training data (NOT an estimate)"
            if shipped_trained
            else "newsprism as shipped (framing.MODEL: lexicon rules)",
            score(gold_b, shipped_b),
            score(gold_o, on_o(shipped_o)),
        )
    )

    n_o = len(o_idx)
    print(f"BABE opinion / bias benchmark ({path})")
    print(
        f"sentences: bias {len(rows)} ({sum(gold_b)} biased, {sum(gold_b) / len(rows):.1%}); "
        f"opinion {n_o} ({sum(gold_o)} opinion, {sum(gold_o) / n_o:.1%}); dropped: "
        + (", ".join(f"{k} {v}" for k, v in sorted(dropped.items())) or "none")
    )
    print(
        f"cross-validation: k={args.k} folds by {args.split}, seed {args.seed}, l2={args.l2}, "
        f"min_count={args.min_count}, prior={args.prior}; {cv.seconds:.1f} s for all folds"
    )
    for task, pick in (("bias (label_bias)", 2), ("opinion (label_opinion)", 3)):
        print(f"\n{task}")
        print(_header())
        for sys_row in systems:
            s = sys_row[pick]
            if isinstance(s, Score):
                print(_fmt(sys_row[1], s))
    print(
        f"\nspeed (shipped model, is_biased + sentence_role): {sents_s:,.0f} sentences/s "
        f"({len(rows)} sentences, {secs:.2f} s)"
    )

    if args.errors:
        print_errors(rows, list(range(len(rows))), gold_b, cv.bias, cv.bias_p, args.errors, "bias")
        print_errors(
            rows, o_idx, gold_o, on_o(cv.opinion_role), [cv.opinion_p[i] for i in o_idx],
            args.errors, "opinion",
        )  # fmt: skip

    if args.json:
        record: dict[str, Any] = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": git_commit(PROJECT_DIR),
            "python": platform.python_version(),
            "newsprism_version": newsprism.__version__,
            "data": DATA_FILE,
            "n_bias": len(rows),
            "n_opinion": n_o,
            "k": args.k,
            "split": args.split,
            "seed": args.seed,
            "l2": args.l2,
            "min_count": args.min_count,
            "prior": args.prior,
            "sentences_per_s": round(sents_s, 1),
        }
        for key, _label, sb, so in systems:
            record[key] = {"opinion_macro_f1": round(so.macro_f1, 4)}
            if sb is not None:
                record[key]["bias_macro_f1"] = round(sb.macro_f1, 4)
        append_jsonl(RESULTS_FILE, record)
        print(f"\nrecorded in {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
