"""Precision audit of quotes on real articles outside PolNeAR dev: is it speech, is the speaker right?

PolNeAR (bench/quotes.py) measures recall and precision against its own idea of attribution,
which includes beliefs and intentions ("he thinks", "she hopes to"). This audit asks the
question a reader of a brief asks instead: is each quote something someone said or wrote, and
is the speaker the one who said it?

Articles (read in place from ../shared/eval, never copied into the repository):
* trafilatura-eval pages (extraction/trafilatura-eval) that newsprism reads as English,
* a fixed sample of NeuS train articles (stories/neus/train.source),
* a fixed sample of TempEval-3 texts (time/tempeval3, TimeBank and AQUAINT; the TEXT element).
None of them is PolNeAR dev, and none was used to write the rules.

Both rule sets run in one process on the same parse and the same mentions: the old rules are
src/newsprism/nlp/quotes.py as of the commit `--old` names (quotes.rules.v3 by default, v2 on
request; read with `git show`), the new ones are the working tree's (`--json` appends the counts
to bench/results/quote_audit.jsonl). From each rule set's quotes over the pool, `SAMPLE` quotes
are drawn with a fixed seed, and each drawn quote is looked up in the judgements
(tests/data/quote_audit/judgements.jsonl). A judgement line names its quote by source, span
(offsets into `Article.text`), a hash of the quote text and a hash of the speaker's name
(the text itself stays in ../shared/eval, as its terms ask); it holds a label (speech /
not-speech), a speaker label (right / wrong / none, only for speech) and a one-line reason.
The judgements were made by reading each quote in its article, by the person who wrote the
rules: this is a development audit, not an independent one.

    python bench/quote_audit.py                 # the counts, old and new rules
    python bench/quote_audit.py --unjudged OUT  # write drawn quotes that have no judgement yet
    python bench/quote_audit.py --show          # also print every drawn quote with its verdict
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import importlib.util
import json
import random
import re
import subprocess
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import newsprism.nlp.quotes as new_rules
from newsprism.api import extract
from newsprism.models import Article, Quote, Rejection
from newsprism.nlp import split_sentences
from newsprism.nlp._spacy import Pipeline
from newsprism.nlp.actors import find_actors
from newsprism.nlp.parse import Parse
from newsprism.nlp.time import extract_times
from newsprism.provenance import append_jsonl, git_commit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
EVAL = PROJECT_DIR.parent / "shared" / "eval"
JUDGEMENTS = PROJECT_DIR / "tests" / "data" / "quote_audit" / "judgements.jsonl"
# the rules compared against (`--old`): quotes.rules.v3 by default; v2 was the rules before
# issue 14 (the first audit compared v2 with v3)
OLD_COMMITS = {
    "v3": "0d7238ffc5f05246388b2693540246e6efb2e771",
    "v2": "69a6fc7d1d38b373b71ebe1d3af5a70216377dc1",
}
OLD_RULES_COMMIT = OLD_COMMITS["v3"]
RESULTS_FILE = BENCH_DIR / "results" / "quote_audit.jsonl"
SEED = 14
SAMPLE = 100
N_NEUS = 150
N_TEMPEVAL = 60

Extractor = Callable[..., tuple[tuple[Quote, ...], int]]


@dataclass(frozen=True, slots=True)
class Source:
    name: str  # "trafilatura:<file>", "neus-train:<line>:<k>", "tempeval:<dir>/<file>"
    data: bytes | str
    url: str | None = None
    title: str | None = None
    content_type: str | None = None


def _digest(text: str | None) -> str | None:
    return None if text is None else hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _trafilatura() -> Iterator[Source]:
    folder = EVAL / "extraction" / "trafilatura-eval"
    meta = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    for url, item in sorted(meta.items(), key=lambda kv: str(kv[1]["file"])):
        path = folder / "html" / str(item["file"])
        if path.is_file():
            yield Source(
                f"trafilatura:{item['file']}", path.read_bytes(), url=url, content_type="text/html"
            )


def _neus(rng: random.Random) -> list[Source]:
    lines = (EVAL / "stories" / "neus" / "train.source").read_text(encoding="utf-8").splitlines()
    out = []
    for n in sorted(rng.sample(range(len(lines)), N_NEUS)):
        articles = lines[n].split("[SEP]")
        k = rng.randrange(len(articles))
        title, _, body = articles[k].partition("ARTICLE=>")
        title = title.replace("TITLE=>", "").strip().rstrip(".")
        out.append(Source(f"neus-train:{n}:{k}", body.strip(), title=title or None))
    return out


def _tempeval(rng: random.Random) -> list[Source]:
    folder = EVAL / "time" / "tempeval3"
    paths = sorted(folder.glob("*/*.tml"))
    out = []
    for path in sorted(rng.sample(paths, min(N_TEMPEVAL, len(paths)))):
        raw = path.read_text(encoding="utf-8")
        m = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
        if m is None:
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
        out.append(Source(f"tempeval:{path.parent.name}/{path.name}", text))
    return out


def sources() -> list[Source]:
    rng = random.Random(SEED)
    return [*_trafilatura(), *_neus(rng), *_tempeval(rng)]


def old_rules(commit: str = OLD_RULES_COMMIT) -> types.ModuleType:
    """quotes.py as of `commit`, loaded as a module of its own."""
    code = subprocess.run(
        ["git", "show", f"{commit}:src/newsprism/nlp/quotes.py"],
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader("newsprism.nlp._quotes_old", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    exec(compile(code, f"{commit[:7]}:quotes.py", "exec"), module.__dict__)
    return module


@dataclass(frozen=True, slots=True)
class Drawn:
    source: str
    article: Article
    quote: Quote

    def key(self) -> tuple[str, int, int, str | None]:
        return (self.source, self.quote.span.start, self.quote.span.end, _digest(self.quote.text))

    @property
    def speaker(self) -> str | None:
        return self.quote.speaker.name if self.quote.speaker else None


def run_rules(
    parsed: Sequence[tuple[Source, Article, Parse]], extractors: dict[str, Extractor]
) -> dict[str, list[Drawn]]:
    out: dict[str, list[Drawn]] = {name: [] for name in extractors}
    for src, article, parse in parsed:
        sentences = split_sentences(article, parse)
        starts = [s.span.start for s in sentences]
        _actors, mentions = find_actors(parse)
        times = extract_times(article.text, article.published, starts)
        for name, fn in extractors.items():
            quotes, _ = fn(parse, article.paragraphs, mentions, times, starts)
            out[name].extend(Drawn(src.name, article, q) for q in quotes)
    return out


def parse_pool(pool: Sequence[Source]) -> list[tuple[Source, Article, Parse]]:
    articles: list[tuple[Source, Article]] = []
    for src in pool:
        got = extract(src.data, url=src.url, title=src.title, content_type=src.content_type)
        if isinstance(got, Rejection) or got.language != "en":
            continue
        articles.append((src, got))
    pipeline = Pipeline()
    parses = pipeline.parse((a.text for _, a in articles), batch_size=16)
    return [(src, a, p) for (src, a), p in zip(articles, parses, strict=True)]


def load_judgements() -> dict[tuple[str, int, int, str | None], dict[str, Any]]:
    out: dict[tuple[str, int, int, str | None], dict[str, Any]] = {}
    if not JUDGEMENTS.is_file():
        return out
    for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            j = json.loads(line)
            out[(j["source"], j["start"], j["end"], j["text_sha1"])] = j
    return out


def verdict(
    d: Drawn, judged: dict[tuple[str, int, int, str | None], dict[str, Any]]
) -> tuple[str | None, str | None]:
    """(speech label, speaker label) for a drawn quote; None where not judged yet."""
    j = judged.get(d.key())
    if j is None:
        return None, None
    if j["label"] != "speech":
        return j["label"], None
    speakers: dict[str, str] = j.get("speakers", {})
    if d.speaker is None:
        return "speech", "none"
    return "speech", speakers.get(_digest(d.speaker) or "")


def context(d: Drawn) -> str:
    text = d.article.text
    a = text.rfind("\n", 0, d.quote.span.start) + 1
    b = text.find("\n", d.quote.span.end)
    b = len(text) if b < 0 else b
    para = text[max(a, d.quote.span.start - 300) : min(b, d.quote.span.end + 200)]
    return " ".join(para.split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--unjudged", type=Path, help="write drawn quotes without a judgement")
    parser.add_argument("--show", action="store_true", help="print each drawn quote")
    parser.add_argument(
        "--old", choices=sorted(OLD_COMMITS), default="v3", help="the rules to compare against"
    )
    parser.add_argument(
        "--json", action="store_true", help=f"append a JSON line to {RESULTS_FILE.name}"
    )
    args = parser.parse_args(argv)
    old_commit = OLD_COMMITS[args.old]
    if not (EVAL / "stories" / "neus" / "train.source").is_file():
        print(f"ERROR: evaluation data not found under {EVAL}", file=sys.stderr)
        return 2
    pool = sources()
    parsed = parse_pool(pool)
    old = old_rules(old_commit)
    drawn_by = run_rules(parsed, {"old": old.extract_quotes, "new": new_rules.extract_quotes})
    judged = load_judgements()
    counts = {src.name.split(":")[0]: 0 for src, _, _ in parsed}
    for src, _, _ in parsed:
        counts[src.name.split(":")[0]] += 1
    print("Quote precision audit (bench/quote_audit.py)")
    print(
        "articles read as English: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; {SAMPLE} quotes drawn per rule set (seed {SEED})"
    )
    print(
        "JUDGED BY THE RULE AUTHOR: the labels were written by the person who wrote the rules, "
        "by reading each quote in its article; treat the counts as a development audit."
    )
    unjudged: dict[tuple[str, int, int, str | None, str | None], Drawn] = {}
    record: dict[str, Any] = {}
    rule_names = (("old", f"old rules ({args.old}, {old_commit[:7]})"), ("new", "new rules"))
    for label, rules in rule_names:
        all_quotes = sorted(drawn_by[label], key=lambda d: (d.source, d.quote.span.start))
        drawn = random.Random(SEED).sample(all_quotes, min(SAMPLE, len(all_quotes)))
        tally = {"speech": 0, "not-speech": 0, "right": 0, "wrong": 0, "none": 0, "unjudged": 0}
        for d in drawn:
            speech, speaker = verdict(d, judged)
            if speech is None or (speech == "speech" and speaker is None):
                tally["unjudged"] += 1
                unjudged[(*d.key(), _digest(d.speaker))] = d
            else:
                tally[speech] += 1
                if speaker is not None:
                    tally[speaker] += 1
            if args.show:
                print(
                    f"  [{label}] {speech}/{speaker} {d.source} {d.quote.kind} "
                    f"speaker={d.speaker!r}: {context(d)[:200]}"
                )
        kinds: dict[str, int] = {}
        for d in all_quotes:
            kinds[d.quote.kind] = kinds.get(d.quote.kind, 0) + 1
        print(
            f"\n{rules}: {len(all_quotes)} quotes in the pool ("
            + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
            + f"); of {len(drawn)} drawn:"
        )
        print(f"  not speech:     {tally['not-speech']:3d}   speech: {tally['speech']}")
        print(
            f"  wrong speaker:  {tally['wrong']:3d}   (right {tally['right']}, "
            f"no speaker {tally['none']}; speech quotes only)"
        )
        if tally["unjudged"]:
            print(f"  NOT JUDGED YET: {tally['unjudged']} (run with --unjudged FILE)")
        record[label] = {"pool": len(all_quotes), "drawn": len(drawn), **tally}
    if args.unjudged:
        with args.unjudged.open("w", encoding="utf-8") as fh:
            for (source, start, end, sha, sp_sha), d in unjudged.items():
                row = {
                    "source": source,
                    "start": start,
                    "end": end,
                    "text_sha1": sha,
                    "kind": d.quote.kind,
                    "cue": d.quote.cue,
                    "speaker": d.speaker,
                    "speaker_sha1": sp_sha,
                    "text": d.quote.text,
                    "context": context(d),
                }
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"\n{len(unjudged)} unjudged quotes written to {args.unjudged}")
    if args.json:
        append_jsonl(
            RESULTS_FILE,
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "commit": git_commit(PROJECT_DIR),
                "old_rules": {"name": args.old, "commit": old_commit[:7]},
                "new_rules": new_rules.EXTRACTOR,
                "seed": SEED,
                "sample": SAMPLE,
                "judged_by": "the rule author",
                **record,
            },
        )
        print(f"recorded in {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
