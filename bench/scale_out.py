"""Scale-out: articles/s for `ingest` (one process) and `batch` on Dask with 1 and 2 workers.

Data: real NeuS train articles (../shared/eval/stories/neus/train.source), distinct, read in
place. Each line is one story of three outlets' articles; line k is dated 2020-01-01 + k // 5
days (NeuS carries no dates; five stories a day puts a realistic number of stories in each
7-day window). The first --articles articles are written to one JSONL file in a temp dir (text,
title, outlet "neus-pos{0,1,2}", published), and every configuration reads that same file:

* ingest: `newsprism ingest corpus.jsonl` (one process, the streaming pipeline);
* batch-1 / batch-2: `newsprism batch corpus.jsonl --workers N` (a local Dask cluster);
* batch-2-pg: batch-2 into a PostgreSQL server started for the run (initdb + pg_ctl under a
  temp dir on a loopback port, as the tests do), when --postgres is given.

Each runs as a subprocess on a fresh store; the bench samples the resident memory of the whole
process tree every 0.2 s (psutil) and reports the peak of the largest single process (a
worker, or the driver) and of the tree. Efficiency of N workers = (rate with N) / (N x rate
with 1). Story membership of batch is compared with ingest + `newsprism regroup` on the same
file (it must be equal: both group in (date, id) order).

The machine has 2 cores; other work running at the same time slows every configuration, so
the bench prints the load average beside the figures. --json appends one line to
bench/results/scale_out.jsonl.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from newsprism.provenance import append_jsonl, git_commit, package_version

ROOT = Path(__file__).resolve().parents[1]
NEUS = ROOT.parent / "shared" / "eval" / "stories" / "neus" / "train.source"
RESULTS = ROOT / "bench" / "results" / "scale_out.jsonl"
NEWSPRISM = [sys.executable, "-m", "newsprism"]


def corpus(limit: int) -> list[dict[str, Any]]:
    """The first `limit` NeuS train articles as JSONL records (see the module docstring)."""
    records: list[dict[str, Any]] = []
    with NEUS.open(encoding="utf-8") as lines:
        for k, line in enumerate(lines):
            day = dt.date(2020, 1, 1) + dt.timedelta(days=k // 5)
            for pos, part in enumerate(line.split("[SEP]")):
                title, _, body = part.partition("ARTICLE=>")
                title = title.replace("TITLE=>", "").strip()
                body = body.strip()
                if not body:
                    continue
                records.append(
                    {
                        "text": body,
                        "title": title or None,
                        "outlet": f"neus-pos{pos}",
                        "published": day.isoformat(),
                    }
                )
                if len(records) >= limit:
                    return records
    return records


def measure(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command; its wall time, exit code and peak RSS (largest process, whole tree)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    parent = psutil.Process(proc.pid)
    peak_one = peak_tree = 0
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            sizes = []
            for p in tree:
                with contextlib.suppress(psutil.Error):  # a process that just ended
                    sizes.append(p.memory_info().rss)
            peak_one = max(peak_one, max(sizes, default=0))
            peak_tree = max(peak_tree, sum(sizes))
        except psutil.Error:
            pass
        time.sleep(0.2)
    _, stderr = proc.communicate()
    return {
        "seconds": round(time.monotonic() - start, 2),
        "exit": proc.returncode,
        "peak_rss_mb_largest": round(peak_one / 2**20),
        "peak_rss_mb_tree": round(peak_tree / 2**20),
        "stderr_tail": stderr[-400:],
    }


def membership(db: str) -> set[frozenset[str]]:
    from newsprism.store import open_store

    store = open_store(db)
    try:
        return {frozenset(s.article_ids) for s in store.stories(limit=None) if s.article_ids}
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--postgres", action="store_true", help="also batch-2 into PostgreSQL")
    parser.add_argument("--json", action="store_true", help="append a line to bench/results")
    args = parser.parse_args()
    if not NEUS.exists():
        print(f"NeuS is not at {NEUS}: see ../shared/eval/README.md", file=sys.stderr)
        return 2
    records = corpus(args.articles)
    n = len(records)
    work = Path(tempfile.mkdtemp(prefix="newsprism-scale-"))
    data = work / "corpus.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    print(f"{n:,} distinct real NeuS train articles, {len(records) // 3:,}+ stories' worth")
    runs: dict[str, dict[str, Any]] = {}
    configs: list[tuple[str, list[str], str]] = [
        ("ingest", ["ingest", str(data)], str(work / "ingest.db")),
        ("batch-1", ["batch", str(data), "--workers", "1"], str(work / "batch1.db")),
        ("batch-2", ["batch", str(data), "--workers", "2"], str(work / "batch2.db")),
    ]
    pg = None
    if args.postgres:
        sys.path.insert(0, str(ROOT))
        from tests.support.postgres import cluster, fresh_database

        pg = cluster()
        url = fresh_database(pg.__enter__(), "scale_out")
        configs.append(("batch-2-pg", ["batch", str(data), "--workers", "2"], url))
    try:
        for name, command, db in configs:
            load = os.getloadavg()[0]
            got = measure([*NEWSPRISM, *command, "--db", db])
            got["load_before"] = round(load, 2)
            got["articles_per_s"] = round(n / got["seconds"], 2)
            runs[name] = got
            print(
                f"{name:<11} {got['seconds']:8.1f} s  {got['articles_per_s']:7.2f} articles/s  "
                f"peak RSS {got['peak_rss_mb_largest']:,} MB (largest process), "
                f"{got['peak_rss_mb_tree']:,} MB (tree)  exit {got['exit']}  "
                f"load {load:.1f}"
            )
            if got["exit"] not in (0, 1):
                print(got["stderr_tail"], file=sys.stderr)
        regroup = measure([*NEWSPRISM, "regroup", "--db", str(work / "ingest.db")])
        same = membership(str(work / "ingest.db")) == membership(str(work / "batch2.db"))
        same_1 = membership(str(work / "batch1.db")) == membership(str(work / "batch2.db"))
        if pg is not None:
            same_pg = membership(configs[-1][2]) == membership(str(work / "batch2.db"))
        else:
            same_pg = None
    finally:
        if pg is not None:
            from newsprism.store.postgres import close_pools

            close_pools()
            pg.__exit__(None, None, None)
    one, two = runs["batch-1"]["articles_per_s"], runs["batch-2"]["articles_per_s"]
    efficiency = round(two / (2 * one), 3) if one else None
    print(f"efficiency of the 2nd worker: {efficiency} (goal >= 0.8); batch-2 / ingest = "
          f"{round(two / runs['ingest']['articles_per_s'], 2)}x")  # fmt: skip
    print(f"stories: batch-2 == ingest + regroup: {same}; batch-1 == batch-2: {same_1}"
          + (f"; PostgreSQL == SQLite: {same_pg}" if same_pg is not None else ""))  # fmt: skip
    print(f"(regroup took {regroup['seconds']} s; 2 cores shared with other work: see load)")
    if args.json:
        append_jsonl(
            RESULTS,
            {
                "bench": "scale_out",
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "commit": git_commit(ROOT),
                "articles": n,
                "data": "NeuS train, first articles, distinct, dated 5 stories a day",
                "runs": {
                    k: {kk: vv for kk, vv in v.items() if kk != "stderr_tail"}
                    for k, v in runs.items()
                },
                "efficiency_2_workers": efficiency,
                "batch_equals_ingest_regroup": same,
                "batch1_equals_batch2": same_1,
                "postgres_equals_sqlite": same_pg,
                "cores": os.cpu_count(),
                "dask": package_version("distributed"),
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
