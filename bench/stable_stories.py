"""Stable story ids across `regroup`, on real articles: how many stories keep their id and
label, and how many old ids would name a different story, beside the old id rule.

Data: ../shared/eval/stories/neus/val.source (read in place, never copied), 921 articles of
307 left/center/right triplets, extracted and annotated through bench/stories.py's cache
(the same keys: min_article_chars 1, one date for all, as NeuS has none).

Scenario: the articles arrive in a shuffled order (seed --seed) and are grouped in ingest-sized
chunks (--chunk, default 64) by `pipeline.group_stories`, as `ingest` does; then
`pipeline.regroup` groups them all again at once (oldest first, ties by id), which changes some
memberships. Measured, old stories against new:
* newsprism (story_ids.match_stories + never-reused ids): new stories that kept an old id, kept
  its label, or got a fresh id; old ids that now name a story with little of the old one's
  membership (Jaccard < 0.5 and no majority of the old members): "reused for another story".
* the old rule, in the same run: a regrouped story's id is derived from its first article and
  its label is blanked (what `regroup` did before), scored the same way.
--json appends one line to bench/results/stable_stories.jsonl.
Data absent: a message and exit status 2.
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

import newsprism
from newsprism.dedup import band_keys
from newsprism.ingest.files import document_to_raw
from newsprism.models import Rejection
from newsprism.pipeline import group_stories, mark_copy, regroup, story_report
from newsprism.provenance import append_jsonl, git_commit
from newsprism.settings import Settings
from newsprism.store import open_store
from newsprism.stories import article_features
from newsprism.story_ids import MIN_JACCARD, story_id_for
from stories import (
    DEFAULT_CACHE,
    DEFAULT_DATA,
    annotated,
    cache_key,
    document,
    load_split,
    shuffled,
)

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_FILE = BENCH_DIR / "results" / "stable_stories.jsonl"


def _continues(old: frozenset[str], new: frozenset[str]) -> bool:
    overlap = len(old & new)
    return overlap / len(old | new) >= MIN_JACCARD or 2 * overlap > len(old)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="val")
    parser.add_argument("--limit", type=int, default=None, help="first N stories only")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chunk", type=int, default=64)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    source = args.data / f"{args.split}.source"
    if not source.exists():
        print(f"no data at {source} (see ../shared/eval/README.md)", file=sys.stderr)
        return 2
    settings = Settings(min_article_chars=1)
    items, _malformed = load_split(source, args.limit)
    cache = annotated(items, args.cache_dir / f"neus-{args.split}.pkl", settings, 16)
    store = open_store(None)
    articles = []
    for item in shuffled(items, args.seed):
        got = cache[cache_key(item, settings.min_article_chars)]
        if isinstance(got, Rejection):
            continue
        store.put_raw(document_to_raw(document(item)))
        article, sig = mark_copy(got.article, store, settings)
        store.put_article(article)
        if sig is not None:
            store.put_signature(article.id, sig, band_keys(sig))
        store.put_analyses([(got, article_features(got))])
        articles.append(article)
    for start in range(0, len(articles), args.chunk):
        group_stories(articles[start : start + args.chunk], store, settings=settings)
    for s in store.stories(limit=None):
        story_report(store, s.id, settings=settings)  # labels as the CLI shows them
    before = {s.id: (s.label, frozenset(s.article_ids)) for s in store.stories(limit=None)}
    regroup(store, settings=settings)
    after = store.stories(limit=None)
    changed = sum(
        1 for s in after if frozenset(s.article_ids) not in {m for _, m in before.values()}
    )

    def judge(ids_labels: list[tuple[str, str, frozenset[str]]]) -> dict[str, int]:
        kept = sum(1 for i, _, m in ids_labels if i in before and _continues(before[i][1], m))
        reused = sum(1 for i, _, m in ids_labels if i in before and not _continues(before[i][1], m))
        labels = sum(1 for i, label, _ in ids_labels if i in before and label == before[i][0])
        return {"kept_id": kept, "reused_for_another_story": reused, "kept_label": labels}

    ours = judge([(s.id, s.label, frozenset(s.article_ids)) for s in after])
    ours["fresh_id"] = sum(1 for s in after if s.id not in before)
    old_rule = judge(
        [(story_id_for(s.article_ids[0]), "", frozenset(s.article_ids)) for s in after]
    )
    continued = sum(
        1 for s in after if any(_continues(m, frozenset(s.article_ids)) for _, m in before.values())
    )
    store.close()
    print(
        f"{len(articles)} articles; {len(before)} stories after chunked ingest (chunks of "
        f"{args.chunk}), {len(after)} after regroup, {changed} with changed membership, "
        f"{continued} continuing an old story"
    )
    for name, row in (("newsprism", ours), ("old rule (first-article id, blank label)", old_rule)):
        print(
            f"  {name:<42} kept id {row['kept_id']:>4}  kept label {row['kept_label']:>4}  "
            f"old id reused for another story {row['reused_for_another_story']:>3}"
        )
    if args.json:
        append_jsonl(
            RESULTS_FILE,
            {
                "bench": "stable_stories",
                "commit": git_commit(BENCH_DIR.parent),
                "newsprism": newsprism.__version__,
                "python": platform.python_version(),
                "split": args.split,
                "seed": args.seed,
                "chunk": args.chunk,
                "articles": len(articles),
                "stories_before": len(before),
                "stories_after": len(after),
                "changed_membership": changed,
                "continuing": continued,
                "ours": ours,
                "old_rule": old_rule,
            },
        )
        print(f"recorded in {RESULTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
