"""`FastAttributeRuler` beside the English model's own attribute ruler, on real articles.

Both run on the same Docs (the 300 real articles of `bench/speed.py`, tagged and parsed by
the packaged model with its attribute ruler, lemmatizer and recogniser off), one after the
other in one process. Prints each one's seconds and how many tokens differ in part of
speech, morphology, lemma, dependency or tag (0 means the same output). --json appends a
line to bench/results/attribute_ruler.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsprism.nlp._spacy import MODEL_PACKAGE, FastAttributeRuler
from newsprism.provenance import append_jsonl, git_commit
from speed import corpus

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    texts = [str(d.text) for d in corpus(args.limit)]
    nlp = importlib.import_module(MODEL_PACKAGE).load()
    ruler = nlp.get_pipe("attribute_ruler")
    fast = FastAttributeRuler(ruler)
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(nlp.pipe(texts, batch_size=16))
    theirs, ours = [d.copy() for d in docs], [d.copy() for d in docs]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    for d in theirs:
        ruler(d)
    spacy_s = time.perf_counter() - start
    start = time.perf_counter()
    for d in ours:
        fast(d)
    fast_s = time.perf_counter() - start
    tokens = differ = 0
    for x, y in zip(theirs, ours, strict=True):
        for a, b in zip(x, y, strict=True):
            tokens += 1
            key_a = (a.pos_, str(a.morph), a.lemma_, a.dep_, a.tag_)
            differ += key_a != (b.pos_, str(b.morph), b.lemma_, b.dep_, b.tag_)
    print(f"{len(texts)} real articles, {tokens:,} tokens (load {load:.1f})")
    print(f"model's attribute ruler (baseline): {spacy_s:.2f} s")
    print(f"FastAttributeRuler:                 {fast_s:.2f} s  ({spacy_s / fast_s:.1f}x)")
    print(f"tokens that differ: {differ}")
    if args.json:
        append_jsonl(
            ROOT / "bench" / "results" / "attribute_ruler.jsonl",
            {
                "bench": "attribute_ruler",
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "commit": git_commit(ROOT),
                "articles": len(texts),
                "tokens": tokens,
                "tokens_differing": differ,
                "spacy_ruler_s": round(spacy_s, 3),
                "fast_ruler_s": round(fast_s, 3),
                "load": round(load, 2),
            },
        )
    return 0 if differ == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
