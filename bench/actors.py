"""Actor pages: the store's actor table against a scan of every analysis, on one real store.

An actor page (`newsprism actors NAME`, `/actors/{name}`, `/api/actors/{name}`) lists the
actor's quotes and events. Before the actor table (SQLite migration 8) it loaded every stored
analysis; now it loads the analyses of the articles that name the actor. Both are timed here on
the same store, for the same actors, with the same output (checked equal):

* table: `newsprism.queries.actor_activity(store, name)`;
* scan (the baseline, the code before the table): every `store.get_analysis(id)` for
  `store.article_ids()`, keeping the same quotes and events.

And the actor list (`/api/actors`, first page of 50): `Store.actors` in SQL against counting
mentions over every analysis.

The store: `--db PATH` (any store made by newsprism from real articles; bench/memory.py leaves
its stores under /tmp/newsprism-memory-*/), else the first --articles NeuS train articles
analysed into build/load/real-N.db (bench/load_store.py, cached). Actors: the --actors most
mentioned, and as many picked from the tail. --json appends one line to
bench/results/actors.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_store import build_real
from newsprism.provenance import append_jsonl, git_commit
from newsprism.queries import actor_activity, canonical_actor
from newsprism.serde import to_data
from newsprism.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "actors.jsonl"


def scan_activity(store: Store, name: str) -> dict[str, Any]:
    """The actor page as it was computed before the actor table: a scan of every analysis."""
    name = canonical_actor(name)
    wanted = name.casefold()
    quotes, events = [], []
    for aid in store.article_ids():
        analysis = store.get_analysis(aid)
        if analysis is None:
            continue
        article = analysis.article
        base = {
            "article_id": aid,
            "outlet": article.label,
            "published": article.published.isoformat() if article.published else None,
        }
        quotes += [
            {**base, **to_data(q)}
            for q in analysis.quotes
            if q.speaker is not None and q.speaker.name.casefold() == wanted
        ]
        events += [
            {**base, **to_data(e)}
            for e in analysis.events
            if wanted in (e.actor.casefold(), (e.target or "").casefold())
        ]
    key = lambda item: (item.get("date") or item["published"] or "", item["article_id"])  # noqa: E731
    return {"name": name, "quotes": sorted(quotes, key=key), "events": sorted(events, key=key)}


def scan_list(store: Store) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for aid in store.article_ids():
        analysis = store.get_analysis(aid)
        if analysis is not None:
            counts.update(m.actor_name for m in analysis.mentions)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:50]


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a store made from real articles")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--actors", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="append a line to bench/results")
    args = parser.parse_args()
    db = args.db or str(build_real(args.articles)[0])
    store = open_store(db)
    try:
        n = store.counts().analyses
        ranked, _ = store.actors(limit=None)
        tail = ranked[args.actors :]
        picked = ranked[: args.actors] + random.Random(7).sample(tail, min(args.actors, len(tail)))
        rows = []
        for actor in picked:
            t_table, new = timed(actor_activity, store, actor.name)
            t_scan, old = timed(scan_activity, store, actor.name)
            assert new == old, f"different pages for {actor.name}"
            rows.append((actor.name, actor.articles, t_table, t_scan))
            print(
                f"{actor.name[:30]:30} {actor.articles:6,} articles  table {t_table * 1000:8.1f} ms"
                f"  scan {t_scan * 1000:8.1f} ms  ({t_scan / max(t_table, 1e-9):6.1f}x)"
            )
        t_list, listed = timed(lambda: store.actors(limit=50)[0])
        t_list_scan, counted = timed(scan_list, store)
        assert [(a.name, a.mentions) for a in listed] == counted, "different actor lists"
    finally:
        store.close()
    speedups = [s / max(t, 1e-9) for _, _, t, s in rows]
    load = os.getloadavg()[0]
    print(
        f"{n:,} analyses; actor page median {statistics.median(r[2] for r in rows) * 1000:.1f} ms "
        f"(scan {statistics.median(r[3] for r in rows) * 1000:.1f} ms, median speed-up "
        f"{statistics.median(speedups):.1f}x); actor list {t_list * 1000:.1f} ms "
        f"(scan {t_list_scan * 1000:.1f} ms); load average {load:.1f}"
    )
    if args.json:
        append_jsonl(
            RESULTS,
            {
                "bench": "actors",
                "commit": git_commit(ROOT),
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "store": Path(db).name,
                "analyses": n,
                "pages": [
                    {
                        "actor": a,
                        "articles": k,
                        "table_ms": round(t * 1000, 1),
                        "scan_ms": round(s * 1000, 1),
                    }
                    for a, k, t, s in rows
                ],
                "median_page_ms": round(statistics.median(r[2] for r in rows) * 1000, 1),
                "median_scan_ms": round(statistics.median(r[3] for r in rows) * 1000, 1),
                "list_ms": round(t_list * 1000, 1),
                "list_scan_ms": round(t_list_scan * 1000, 1),
                "load_average": round(load, 2),
            },
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
