"""Memory of a long streaming run: peak RSS of `newsprism ingest` against the number of articles.

Question: does a run's memory stay flat however many inputs it reads (issue 15: a 50k-article
JSONL run keeps peak RSS within a fixed bound)? The bench writes N records into a directory of
JSONL files of 2,000 records each (one file has a size cap), runs `newsprism ingest DIR
--workers 1` on a fresh SQLite file as a subprocess, samples the process's resident memory
every 0.5 s (psutil) and, every few seconds, how many articles the store holds (a read-only
query beside the writer; SQLite's WAL allows it). It prints the RSS
reached at each tenth of the run and the peak, and repeats at N/10 so both sizes are in one run:
a flat run has about the same peak at N/10 and N, and no growth over its last half.

Data: real NeuS articles (../shared/eval/stories/neus/{train,val}.source, 8,255 non-empty
articles of a few sentences each), read in place. NeuS alone has too few articles for 50,000
distinct records, so record i joins two real articles: article i mod M and the one M // 2 + i // M
places after it (a pair never repeats, and the two differ enough that the near-duplicate check
does not take one record for a copy of another); round r = i // M is dated 400 days after
round r - 1, and NeuS line k of a round 2020-01-01 + k // 5 days, so the story index holds a
realistic window. The question is how memory grows with the number of articles, not with their
length (a long article's own parse is bounded by the chunked parse, see docs/architecture.md).
--json appends one line to bench/results/memory.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

from newsprism.provenance import append_jsonl, git_commit, package_version

ROOT = Path(__file__).resolve().parents[1]
NEUS = ROOT.parent / "shared" / "eval" / "stories" / "neus" / "train.source"  # and val
RESULTS = ROOT / "bench" / "results" / "memory.jsonl"
SHARD = 2000


def _articles() -> list[tuple[int, int, str, str]]:
    """(NeuS line, position, title, text) of every NeuS train and val article."""
    out = []
    line_no = 0
    for split in ("train", "val"):
        with (NEUS.parent / f"{split}.source").open(encoding="utf-8") as lines:
            for line in lines:
                for pos, part in enumerate(line.split("[SEP]")):
                    title, _, body = part.partition("ARTICLE=>")
                    if body.strip():
                        out.append(
                            (line_no, pos, title.replace("TITLE=>", "").strip(), body.strip())
                        )
                line_no += 1
    return out


def records(limit: int) -> Iterator[dict[str, Any]]:
    """`limit` JSONL records, each two real NeuS articles (see the module docstring)."""
    articles = _articles()
    m = len(articles)
    for i in range(limit):
        rnd, at = divmod(i, m)
        line, pos, title, text = articles[at]
        _, _, _, other = articles[(at + m // 2 + rnd) % m]
        day = dt.date(2020, 1, 1) + dt.timedelta(days=400 * rnd + line // 5)
        yield {
            "text": f"{text}\n\n{other}",
            "title": title or None,
            "outlet": f"neus-pos{pos}",
            "published": day.isoformat(),
            "url": f"https://neus.invalid/{rnd}/{line}/{pos}",
        }


def _stored(db: Path) -> int | None:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return None


def run(data: Path, db: Path, total: int) -> dict[str, Any]:
    """Ingest `data` into `db`; RSS at each tenth of the run (by stored articles) and the peak."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsprism", "ingest", str(data), "--db", str(db), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    me = psutil.Process(proc.pid)
    peak = 0
    by_tenth: dict[int, int] = {}
    last_count = time.monotonic()
    while proc.poll() is None:
        try:
            rss = me.memory_info().rss
        except psutil.Error:
            break
        peak = max(peak, rss)
        if time.monotonic() - last_count > 3:
            last_count = time.monotonic()
            stored = _stored(db)
            if stored:
                tenth = min(10, stored * 10 // total)
                by_tenth[tenth] = max(by_tenth.get(tenth, 0), rss)
        time.sleep(0.5)
    _, stderr = proc.communicate()
    stored = _stored(db) or 0
    mb = lambda b: round(b / 2**20)  # noqa: E731
    tenths = {str(t): mb(v) for t, v in sorted(by_tenth.items())}
    first_half = max((v for t, v in by_tenth.items() if t < 5), default=0)
    second_half = max((v for t, v in by_tenth.items() if t >= 5), default=0)
    return {
        "records": total,
        "stored": stored,
        "seconds": round(time.monotonic() - start, 1),
        "exit": proc.returncode,
        "peak_rss_mb": mb(peak),
        "rss_mb_by_tenth": tenths,
        "growth_second_half_mb": mb(second_half - first_half) if first_half else None,
        "stderr_tail": stderr[-300:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--json", action="store_true", help="append a line to bench/results")
    args = parser.parse_args()
    if not NEUS.exists():
        print(f"NeuS is not at {NEUS}: see ../shared/eval/README.md", file=sys.stderr)
        return 2
    commit = git_commit(ROOT)  # the code the runs load (read now: the tree may move on)
    work = Path(tempfile.mkdtemp(prefix="newsprism-memory-"))
    results = {}
    for size in (max(1, args.articles // 10), args.articles):
        data = work / f"corpus-{size}"  # files of SHARD records (one file has a size cap)
        data.mkdir()
        n = 0
        for record in records(size):
            with (data / f"{n // SHARD:04d}.jsonl").open("a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")
            n += 1
        print(f"{n:,} records (pairs of real NeuS articles) ...", flush=True)
        got = run(data, work / f"store-{size}.db", n)
        results[str(size)] = got
        print(
            f"  {got['stored']:,} stored in {got['seconds']:,} s, exit {got['exit']}: "
            f"peak RSS {got['peak_rss_mb']} MB; by tenth of the run {got['rss_mb_by_tenth']}; "
            f"second half minus first half {got['growth_second_half_mb']} MB",
            flush=True,
        )
    small, large = (results[k] for k in results)
    ratio = large["peak_rss_mb"] / max(1, small["peak_rss_mb"])
    load = os.getloadavg()
    print(
        f"peak RSS at {large['records']:,} records / at {small['records']:,}: {ratio:.2f} "
        f"(flat: about 1); load average {load[0]:.1f}"
    )
    if args.json:
        append_jsonl(
            RESULTS,
            {
                "bench": "memory",
                "commit": commit,
                "spacy": package_version("spacy"),
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "data": "NeuS train+val, pairs of articles (../shared/eval/stories/neus)",
                "runs": results,
                "peak_ratio_large_small": round(ratio, 3),
                "load_average": round(load[0], 2),
            },
        )
    return 0 if all(r["exit"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
