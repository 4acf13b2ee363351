"""What the annotator finds in articles that are not English: before (the English model and
rules on every language, as up to annotate.v1) and after (a pipeline per language).

Data: the trafilatura-eval pages (../shared/eval/extraction/trafilatura-eval, read in place and
never copied), extracted by newsprism; those whose detected language is not English are kept.
Per language: articles, the analysis level, and the sentences, quotes, quotes with a speaker,
time expressions, mentions (entities) and events found, before and after.

French precision audit: every French quote of the after run is looked up in
tests/data/multilingual/fr_quote_audit.jsonl, judgements made by reading each quote in its
page (by the author of the French rules: a development audit, not an independent one). A
line names its quote by page file, span (offsets into `Article.text`) and a hash of the quote
text, and holds `speech` (is it something someone said or wrote?), `speaker` ("right",
"wrong", or "none" when the rules gave none) with a hash of the judged speaker's name (a
quote whose speaker changed since is counted as `speaker_unjudged`), and a generic reason. Quotes with no judgement are counted as such;
`--unjudged` prints them (page, span, hash, text, speaker) for judging.

    python bench/multilingual.py            # the table and the audit
    python bench/multilingual.py --json     # also append a line to bench/results/multilingual.jsonl
    python bench/multilingual.py --unjudged # print French quotes that have no judgement yet
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsprism.extract import extract_article
from newsprism.ingest.raw import raw_from_bytes
from newsprism.models import Article, ArticleAnalysis, SourceHints, language_name
from newsprism.nlp import ANNOTATOR, Annotator
from newsprism.provenance import append_jsonl, git_commit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DATA = PROJECT_DIR.parent / "shared" / "eval" / "extraction" / "trafilatura-eval"
AUDIT = PROJECT_DIR / "tests" / "data" / "multilingual" / "fr_quote_audit.jsonl"
RESULTS = BENCH_DIR / "results" / "multilingual.jsonl"
FIELDS = ("sentences", "quotes", "speakers", "times", "mentions", "events")


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def pages(data: Path = DATA) -> list[tuple[str, Article]]:
    """(page file, article) for every trafilatura-eval page newsprism reads as non-English."""
    meta_path = data / "evaldata.json"
    if not meta_path.is_file():
        raise FileNotFoundError(
            f"trafilatura-eval not found at {data} (it lives outside the repository, in "
            "../shared/eval/extraction/trafilatura-eval)"
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    out = []
    for url, item in sorted(meta.items(), key=lambda kv: str(kv[1]["file"])):
        path = data / "html" / str(item["file"])
        if not path.is_file():
            continue
        raw = raw_from_bytes(
            path.read_bytes(),
            source_kind="file",
            locator=f"trafilatura:{item['file']}",
            content_type="text/html",
            hints=SourceHints(url=url),
        )
        got = extract_article(raw)
        if isinstance(got, Article) and got.language not in (None, "en"):
            out.append((str(item["file"]), got))
    return out


def counts(analysis: ArticleAnalysis) -> dict[str, int]:
    return {
        "sentences": len(analysis.sentences),
        "quotes": len(analysis.quotes),
        "speakers": sum(1 for q in analysis.quotes if q.speaker is not None),
        "times": len(analysis.time_expressions),
        "mentions": len(analysis.mentions),
        "events": len(analysis.events),
    }


def audit(
    french: list[tuple[str, ArticleAnalysis]], judgements: dict[tuple[str, int, int, str], Any]
) -> tuple[dict[str, int], list[dict[str, Any]]]:
    tally: Counter[str] = Counter()
    unjudged = []
    for page, analysis in french:
        for q in analysis.quotes:
            key = (page, q.span.start, q.span.end, digest(q.text))
            verdict = judgements.get(key)
            tally["quotes"] += 1
            if verdict is None:
                tally["unjudged"] += 1
                unjudged.append(
                    {
                        "page": page,
                        "start": q.span.start,
                        "end": q.span.end,
                        "text_sha1": digest(q.text),
                        "kind": q.kind,
                        "text": q.text,
                        "speaker": q.speaker.name if q.speaker else None,
                        "resolution": q.speaker.resolution if q.speaker else None,
                    }
                )
                continue
            tally["judged"] += 1
            tally["speech"] += bool(verdict["speech"])
            if verdict["speech"] and q.speaker is not None:
                if verdict.get("speaker_sha1") != digest(q.speaker.name):
                    tally["speaker_unjudged"] += 1  # the rules now name someone else
                    continue
                tally["with_speaker"] += 1
                tally["speaker_right"] += verdict["speaker"] == "right"
    return dict(tally), unjudged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", action="store_true", help=f"append a line to {RESULTS.name}")
    parser.add_argument("--unjudged", action="store_true", help="print unjudged French quotes")
    args = parser.parse_args(argv)
    try:
        found = pages(args.data)
    except FileNotFoundError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    annotator = Annotator(timeout=None)
    before_rows: dict[str, Counter[str]] = defaultdict(Counter)
    after_rows: dict[str, Counter[str]] = defaultdict(Counter)
    levels: dict[str, Counter[str]] = defaultdict(Counter)
    french: list[tuple[str, ArticleAnalysis]] = []
    for page, article in found:
        lang = str(article.language)
        # before: the English model and rules, as every article was read up to annotate.v1
        before = next(iter(annotator.annotate([replace(article, language="en")])))
        after = next(iter(annotator.annotate([article])))
        before_rows[lang].update(counts(before))
        after_rows[lang].update(counts(after))
        before_rows[lang]["articles"] += 1
        levels[lang][after.analysis_level] += 1
        if lang == "fr":
            french.append((page, after))
    judgements = {}
    if AUDIT.is_file():
        for line in AUDIT.read_text(encoding="utf-8").splitlines():
            if line.strip():
                j = json.loads(line)
                judgements[(j["page"], j["start"], j["end"], j["text_sha1"])] = j
    tally, unjudged = audit(french, judgements)

    head = f"{'language':<12} {'n':>3} {'level':<9} " + " ".join(f"{f:>15}" for f in FIELDS)
    print("Non-English trafilatura-eval pages: before (English model on all) -> after")
    print(head)
    for lang in sorted(before_rows, key=lambda k: -before_rows[k]["articles"]):
        cells = " ".join(f"{before_rows[lang][f]:>7}->{after_rows[lang][f]:<7}" for f in FIELDS)
        level = "/".join(sorted(levels[lang]))
        print(f"{language_name(lang):<12} {before_rows[lang]['articles']:>3} {level:<9} {cells}")
    judged = tally.get("judged", 0)
    speech = tally.get("speech", 0)
    with_speaker = tally.get("with_speaker", 0)
    print(
        f"\nFrench quote audit: {tally.get('quotes', 0)} quotes, {judged} judged, "
        f"{tally.get('unjudged', 0)} unjudged"
    )
    if judged:
        print(f"  speech precision {speech}/{judged} = {speech / judged:.2f}")
    if with_speaker:
        right = tally.get("speaker_right", 0)
        print(
            f"  speaker right {right}/{with_speaker} = {right / with_speaker:.2f} (speech with a speaker)"
        )
    if args.unjudged:
        for u in unjudged:
            print(json.dumps(u, ensure_ascii=False))
    if args.json:
        append_jsonl(
            RESULTS,
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "commit": git_commit(PROJECT_DIR),
                "annotator": ANNOTATOR,
                "data": "shared/eval/extraction/trafilatura-eval (non-English pages)",
                "languages": {
                    lang: {
                        "articles": before_rows[lang]["articles"],
                        "levels": dict(levels[lang]),
                        "before": {f: before_rows[lang][f] for f in FIELDS},
                        "after": {f: after_rows[lang][f] for f in FIELDS},
                    }
                    for lang in sorted(before_rows)
                },
                "french_audit": tally,
            },
        )
        print(f"\nrecorded in {RESULTS.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
