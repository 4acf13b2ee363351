"""Load on `newsprism serve` (issue 13): concurrent reads and ingests against a real server.

What it does
* Store: `--db PATH` (an existing store, served from a scratch copy so ingests do not change
  it) or `--build N` (bench/load_store.py: up to 1,000 real NeuS train articles analysed by the
  whole pipeline, then replicated through the Store API with new ids and shifted dates until
  about N articles; cached under build/load/ keyed by N). The report and the JSON line say how
  the store was made.
* Server: `.venv/bin/newsprism serve --db DB --port PORT --ingest-per-minute 0` as a real
  subprocess on 127.0.0.1 (a free port; nothing else is ever contacted), waited for until it
  answers, terminated at the end (also on errors and Ctrl-C).
* Warm-up (not counted): one request of each kind, including one ingest (it loads spaCy).
* Load: `--clients` threads, each with its own httpx connection, share a fixed, seeded plan of
  `--requests` reads over the kinds below (uniformly random stories and articles of the
  store); `--ingest-clients` threads meanwhile POST /api/ingest with real NeuS val articles
  (not in the store), dated on the store's newest date. Bounded twice: the reads stop when the
  plan is done or after `--duration-cap` seconds; the ingests stop when the reads stop, when
  their texts run out, or at `--requests // 30` ingests.
* Figures per kind: requests, requests/s (over the whole load phase), p50/p95/p99 latency of
  every answered request, errors (non-2xx answers) and resets (connection resets, timeouts and
  other client exceptions: no answer at all).
* Goal (issue 13): 0 errors and 0 resets at 16 concurrent clients; p95 under 1 s for the list
  kinds (home, /api/stories) and the story kinds (story page, story API).

Kinds: home `/`, stories_list `/api/stories?limit=50&offset=...` (half first page, half a
random page), story_page `/stories/{id}`, story_api `/api/stories/{id}`, article_page
`/articles/{id}`, search (`/search?q=` page and `/api/search?q=` alternately; a word from the
store's titles), ingest `POST /api/ingest`.

The clients run on the same machine as the server (2 cores here, shared with other work), so
the figures are a lower bound of what the server does on its own; the load average is printed.

Usage: .venv/bin/python bench/load.py --quick
       .venv/bin/python bench/load.py --build 2000 --clients 16 --requests 3000 --json
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_FILE = BENCH_DIR / "results" / "load.jsonl"
SERVE = PROJECT_DIR / ".venv" / "bin" / "newsprism"
HOST = "127.0.0.1"  # the only address this bench ever talks to

READ_KINDS = ("home", "stories_list", "story_page", "story_api", "article_page", "search")
KINDS = (*READ_KINDS, "ingest")
WEIGHTS: Mapping[str, float] = {
    "home": 0.15,
    "stories_list": 0.20,
    "story_page": 0.20,
    "story_api": 0.15,
    "article_page": 0.15,
    "search": 0.15,
}
GOAL_CLIENTS = 16
GOAL_P95_S = 1.0
GOAL_P95_KINDS = ("home", "stories_list", "story_page", "story_api")
_WORD = re.compile(r"[A-Za-z][a-z]{4,}")


# -- pure parts (tested in tests/unit/test_load_bench.py) -------------------------------------
def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation between order statistics (as
    numpy's default); NaN for no values."""
    if not 0 <= q <= 100:
        raise ValueError(q)
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass(frozen=True, slots=True)
class Req:
    kind: str
    method: str
    path: str
    body: Mapping[str, Any] | None = None


def allocate(n: int, weights: Mapping[str, float]) -> dict[str, int]:
    """n split over the kinds in proportion to their weights (largest remainder; sums to n)."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: math.floor(v) for k, v in exact.items()}
    left = n - sum(counts.values())
    for k in sorted(exact, key=lambda k: (counts[k] - exact[k], k))[:left]:
        counts[k] += 1
    return counts


def plan_requests(
    n: int,
    *,
    story_ids: Sequence[str],
    article_ids: Sequence[str],
    words: Sequence[str],
    total_stories: int,
    seed: int = 0,
    weights: Mapping[str, float] = WEIGHTS,
) -> list[Req]:
    """A shuffled, seeded plan of n reads over the kinds (ids drawn uniformly)."""
    if n and (not story_ids or not article_ids or not words):
        raise ValueError("the store has no stories, articles or title words to ask for")
    rng = random.Random(seed)
    plan: list[Req] = []
    for kind, count in allocate(n, weights).items():
        for i in range(count):
            if kind == "home":
                path = "/"
            elif kind == "stories_list":
                offset = 0 if i % 2 == 0 else rng.randrange(0, max(total_stories, 1), 1)
                path = f"/api/stories?limit=50&offset={offset}"
            elif kind == "story_page":
                path = f"/stories/{rng.choice(story_ids)}"
            elif kind == "story_api":
                path = f"/api/stories/{rng.choice(story_ids)}"
            elif kind == "article_page":
                path = f"/articles/{rng.choice(article_ids)}"
            elif kind == "search":
                word = rng.choice(words)
                path = f"/search?q={word}" if i % 2 == 0 else f"/api/search?q={word}"
            else:
                raise ValueError(kind)
            plan.append(Req(kind, "GET", path))
    rng.shuffle(plan)
    return plan


def ingest_plan(texts: Sequence[tuple[str, str, str]], published: dt.date | None) -> list[Req]:
    """POST /api/ingest requests from (title, body, outlet) triples."""
    return [
        Req(
            "ingest",
            "POST",
            "/api/ingest",
            {
                "text": body,
                "title": title,
                "outlet": outlet,
                **({"published": published.isoformat()} if published else {}),
            },
        )
        for title, body, outlet in texts
    ]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One request: when it started (s since the load began), how long, and how it ended."""

    kind: str
    start: float
    latency: float
    status: int | None  # None: no answer (reset, timeout, client exception)
    error: str = ""


@dataclass
class KindFigures:
    requests: int = 0
    rps: float = 0.0
    p50: float = math.nan
    p95: float = math.nan
    p99: float = math.nan
    errors: int = 0
    resets: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    exceptions: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        def r(x: float) -> float | None:
            return None if math.isnan(x) else round(x, 4)

        return {
            "requests": self.requests,
            "rps": round(self.rps, 2),
            "p50_s": r(self.p50),
            "p95_s": r(self.p95),
            "p99_s": r(self.p99),
            "errors": self.errors,
            "resets": self.resets,
            "statuses": self.statuses,
            "exceptions": self.exceptions,
        }


def summarise(outcomes: Sequence[Outcome], wall: float) -> dict[str, KindFigures]:
    """Per-kind figures (kinds in KINDS order, then any other kind seen)."""
    by: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by.setdefault(o.kind, []).append(o)
    out: dict[str, KindFigures] = {}
    for kind in [*[k for k in KINDS if k in by], *sorted(set(by) - set(KINDS))]:
        group = by[kind]
        answered = [o.latency for o in group if o.status is not None]
        out[kind] = KindFigures(
            requests=len(group),
            rps=len(group) / wall if wall > 0 else math.nan,
            p50=percentile(answered, 50),
            p95=percentile(answered, 95),
            p99=percentile(answered, 99),
            errors=sum(1 for o in group if o.status is not None and not 200 <= o.status < 300),
            resets=sum(1 for o in group if o.status is None),
            statuses=dict(Counter(str(o.status) for o in group if o.status is not None)),
            exceptions=dict(Counter(o.error for o in group if o.status is None)),
        )
    return out


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


def goal_checks(figures: Mapping[str, KindFigures], clients: int) -> list[Check]:
    """The issue-13 goal, criterion by criterion."""
    errors = sum(f.errors for f in figures.values())
    resets = sum(f.resets for f in figures.values())
    checks = [
        Check(f"clients >= {GOAL_CLIENTS}", clients >= GOAL_CLIENTS, f"{clients} clients"),
        Check("0 errors (non-2xx)", errors == 0, f"{errors} errors"),
        Check("0 resets/exceptions", resets == 0, f"{resets} resets"),
    ]
    for kind in GOAL_P95_KINDS:
        f = figures.get(kind)
        if f is None or math.isnan(f.p95):
            checks.append(Check(f"p95 {kind} < {GOAL_P95_S:g} s", False, "not measured"))
        else:
            checks.append(
                Check(f"p95 {kind} < {GOAL_P95_S:g} s", f.p95 < GOAL_P95_S, f"{f.p95:.3f} s")
            )
    return checks


def _ms(x: float) -> str:
    return "—" if math.isnan(x) else f"{x * 1000:.0f}"


def format_report(
    figures: Mapping[str, KindFigures], checks: Sequence[Check], header: Sequence[str]
) -> str:
    lines = [*header, ""]
    lines.append(
        f"{'kind':<14}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'resets':>8}"
    )
    for kind, f in figures.items():
        lines.append(
            f"{kind:<14}{f.requests:>9}{f.rps:>8.2f}{_ms(f.p50):>9}{_ms(f.p95):>9}"
            f"{_ms(f.p99):>9}{f.errors:>8}{f.resets:>8}"
        )
    lines.append("")
    met = all(c.ok for c in checks)
    lines.append(
        f"goal: 0 errors and 0 resets at {GOAL_CLIENTS} clients, p95 < {GOAL_P95_S:g} s for "
        f"list and story pages — {'MET' if met else 'NOT MET'}"
    )
    for c in checks:
        lines.append(f"  [{'ok' if c.ok else 'no'}] {c.name}: {c.detail}")
    return "\n".join(lines)


# -- the store ---------------------------------------------------------------------------
def store_facts(db: Path) -> dict[str, Any]:
    """Ids, title words and dates of a store, read directly (read-only) before serving it."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        stories = [r[0] for r in con.execute("SELECT id FROM stories ORDER BY id")]
        articles = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id")]
        titles = [r[0] or "" for r in con.execute("SELECT title FROM articles")]
        newest = con.execute("SELECT MAX(last_date) FROM stories").fetchone()[0]
    finally:
        con.close()
    words = Counter(w.lower() for t in titles for w in _WORD.findall(t))
    return {
        "story_ids": stories,
        "article_ids": articles,
        "words": sorted(w for w, _ in words.most_common(60)),
        "newest": dt.date.fromisoformat(newest) if newest else None,
    }


def ingest_texts(limit: int) -> list[tuple[str, str, str]]:
    """Real NeuS val articles (the built stores hold train articles only)."""
    sys.path.insert(0, str(BENCH_DIR))
    import load_store

    out = []
    for a in load_store.neus_articles("val"):
        if len(out) >= limit:
            break
        if len(a.body) >= 200:
            out.append((a.title, a.body, f"neus-val-pos{a.position}"))
    return out


# -- the server --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process from /proc (Linux), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@contextmanager
def server(db: Path, log_file: Path, *, start_timeout: float = 90) -> Iterator[tuple[str, int]]:
    """`newsprism serve` on 127.0.0.1:PORT; yields (base URL, pid); always terminated."""
    import httpx

    port = free_port()
    log_file.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(SERVE), "serve", "--db", str(db), "--port", str(port), "--ingest-per-minute", "0"]
    with log_file.open("wb") as log:
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_DIR, start_new_session=True
        )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if proc.poll() is not None:
                tail = log_file.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"server exited with {proc.returncode}:\n{tail}")
            try:
                if httpx.get(f"{base}/api/stories?limit=1", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not answer within {start_timeout:.0f} s")
            time.sleep(0.3)
        yield base, proc.pid
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


# -- the load ----------------------------------------------------------------------------
def _send(client: Any, req: Req, t0: float) -> Outcome:
    import httpx

    start = time.perf_counter()
    try:
        if req.method == "POST":
            resp = client.post(req.path, json=req.body)
        else:
            resp = client.get(req.path, headers={"accept": "text/html"})
        resp.read()
        return Outcome(req.kind, start - t0, time.perf_counter() - start, resp.status_code)
    except httpx.HTTPError as exc:
        return Outcome(req.kind, start - t0, time.perf_counter() - start, None, type(exc).__name__)
    except OSError as exc:  # a reset surfacing outside httpx's mapping
        return Outcome(req.kind, start - t0, time.perf_counter() - start, None, type(exc).__name__)


def run_load(
    base: str,
    reads: Sequence[Req],
    ingests: Sequence[Req],
    *,
    clients: int,
    ingest_clients: int,
    duration_cap: float,
    timeout: float = 60.0,
) -> tuple[list[Outcome], float, bool]:
    """Run the plan; (outcomes, wall seconds, whether the duration cap cut it short)."""
    import httpx

    outcomes: list[Outcome] = []
    lock = threading.Lock()
    plan = iter(reads)
    ingest_queue = iter(ingests)
    reads_done = threading.Event()
    t0 = time.perf_counter()
    deadline = t0 + duration_cap
    capped = threading.Event()

    def next_of(it: Iterator[Req]) -> Req | None:
        with lock:
            return next(it, None)

    def reader() -> None:
        with httpx.Client(base_url=base, timeout=timeout) as client:
            while (req := next_of(plan)) is not None:
                if time.perf_counter() > deadline:
                    capped.set()
                    return
                outcomes.append(_send(client, req, t0))

    def ingester() -> None:
        with httpx.Client(base_url=base, timeout=timeout * 3) as client:
            while not reads_done.is_set() and time.perf_counter() < deadline:
                req = next_of(ingest_queue)
                if req is None:
                    return
                outcomes.append(_send(client, req, t0))

    readers = [threading.Thread(target=reader, daemon=True) for _ in range(clients)]
    ingesters = [threading.Thread(target=ingester, daemon=True) for _ in range(ingest_clients)]
    for t in [*ingesters, *readers]:
        t.start()
    for t in readers:
        t.join(timeout=max(deadline - time.perf_counter(), 0) + timeout + 5)
    reads_done.set()
    wall = time.perf_counter() - t0
    for t in ingesters:
        t.join(timeout=max(deadline - time.perf_counter(), 0) + 3 * timeout + 5)
    return list(outcomes), wall, capped.is_set()


def warm_up(base: str, reads: Sequence[Req], ingest: Req | None) -> dict[str, float]:
    """One request of each kind, first of its kind in the plan; seconds each (not counted)."""
    import httpx

    seen: dict[str, float] = {}
    with httpx.Client(base_url=base, timeout=180) as client:
        for req in [*reads, *([ingest] if ingest else [])]:
            if req.kind in seen:
                continue
            o = _send(client, req, time.perf_counter())
            seen[req.kind] = round(o.latency, 3)
            if o.status is None or not 200 <= o.status < 300:
                seen[f"{req.kind}_status"] = o.status or -1
    return seen


def server_log_problems(log_file: Path) -> dict[str, int]:
    text = log_file.read_text(errors="replace") if log_file.exists() else ""
    return {
        "tracebacks": text.count("Traceback (most recent call last)"),
        "error_lines": sum(1 for line in text.splitlines() if "ERROR" in line),
        "database_locked": text.count("database is locked"),
    }


def dirty_source() -> list[str]:
    """Uncommitted changes under src/ (others edit the same work tree): the commit alone does
    not name the code that was served when this list is not empty."""
    try:
        out = subprocess.run(
            ["git", "--no-optional-locks", "status", "--porcelain", "--", "src"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ["<git status failed>"]
    return sorted(line[3:] for line in out.splitlines() if line.strip())


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--db", type=Path, help="an existing store (served from a scratch copy)")
    src.add_argument("--build", type=int, metavar="N", help="build (or reuse) a ~N-article store")
    ap.add_argument("--real", type=int, help="real articles to analyse for --build (≤1000)")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=3000, help="reads in all")
    ap.add_argument("--ingest-clients", type=int, default=2)
    ap.add_argument("--max-ingests", type=int, help="default: requests // 30")
    ap.add_argument("--duration-cap", type=float, default=300.0, help="seconds")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="small run: 8 clients, 120 reads")
    ap.add_argument("--json", action="store_true", help=f"append a line to {RESULTS_FILE}")
    ap.add_argument("--results", type=Path, default=RESULTS_FILE)
    ap.add_argument("--keep-copy", action="store_true", help="keep the scratch copy served")
    args = ap.parse_args(argv)
    if args.quick:
        args.clients = min(args.clients, 8)
        args.requests = min(args.requests, 120)
        args.ingest_clients = min(args.ingest_clients, 1)
        args.max_ingests = min(args.max_ingests or 3, 3)
        args.duration_cap = min(args.duration_cap, 120.0)
        if args.db is None and args.build is None:
            args.build = 200
    if args.db is None and args.build is None:
        ap.error("give --db PATH or --build N")
    max_ingests = args.max_ingests if args.max_ingests is not None else args.requests // 30

    sys.path.insert(0, str(BENCH_DIR))
    import load_store

    load_at_start = os.getloadavg()
    if args.build is not None:
        print(f"store: building (or reusing) ~{args.build:,} articles under build/load/ …")
        db, meta = load_store.build_store(args.build, args.real)
        made = meta["made"] + (" (cached build)" if meta.get("cached") else "")
    else:
        db = args.db
        if not db.exists():
            ap.error(f"{db} does not exist")
        meta = {}
        made = f"existing store {db}"
    served = load_store.copy_for_run(db)
    facts = store_facts(served)
    reads = plan_requests(
        args.requests,
        story_ids=facts["story_ids"],
        article_ids=facts["article_ids"],
        words=facts["words"],
        total_stories=len(facts["story_ids"]),
        seed=args.seed,
    )
    texts = ingest_texts(max_ingests + 1)
    ingests = ingest_plan(texts, facts["newest"])
    warm_ingest, ingests = (ingests[0], ingests[1:]) if ingests else (None, [])
    log_file = load_store.CACHE / "runs" / "server.log"
    n_articles, n_stories = len(facts["article_ids"]), len(facts["story_ids"])
    print(f"store: {n_articles:,} articles, {n_stories:,} stories — {made}")
    try:
        with server(served, log_file) as (base, pid):
            print(f"server: pid {pid} at {base} (log {log_file.relative_to(PROJECT_DIR)})")
            warm = warm_up(base, reads, warm_ingest)
            print(f"warm-up (not counted), seconds: {warm}")
            cpu0 = cpu_seconds(pid)
            outcomes, wall, capped = run_load(
                base,
                reads,
                ingests,
                clients=args.clients,
                ingest_clients=args.ingest_clients,
                duration_cap=args.duration_cap,
            )
            cpu1 = cpu_seconds(pid)
            rss = rss_mb(pid)
    except KeyboardInterrupt:
        print("interrupted: server stopped", file=sys.stderr)
        return 130
    finally:
        if not args.keep_copy:
            load_store.cleanup(served)
    load_at_end = os.getloadavg()
    dirty = dirty_source()
    figures = summarise(outcomes, wall)
    checks = goal_checks(figures, args.clients)
    problems = server_log_problems(log_file)
    server_cpu = (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None
    cores = os.cpu_count()
    note = (
        f"{cores} cores shared with other work (load average {load_at_start[0]:.2f} at start, "
        f"{load_at_end[0]:.2f} at end); the {args.clients + args.ingest_clients} client threads "
        f"run on the same machine as the server"
    )
    header = [
        f"load: {args.clients} read clients + {args.ingest_clients} ingest clients, "
        f"{len(reads)} reads planned, {len(outcomes)} requests done in {wall:.1f} s"
        + (" (duration cap reached)" if capped else ""),
        f"store: {n_articles:,} articles, {n_stories:,} stories; {made}",
        f"server: CPU {server_cpu:.1f} s over {wall:.1f} s ({server_cpu / wall:.2f} cores), "
        f"RSS {rss:.0f} MB; log: {problems}"
        if server_cpu is not None and rss is not None
        else f"server log: {problems}",
        f"note: {note}",
        f"source: commit plus {len(dirty)} uncommitted file(s) under src/"
        + (f" ({', '.join(dirty[:8])}{' …' if len(dirty) > 8 else ''})" if dirty else ""),
    ]
    print(format_report(figures, checks, header))
    if args.json:
        from newsprism.provenance import append_jsonl, git_commit, package_version

        load_store_meta = {k: v for k, v in meta.items() if k != "made"}
        append_jsonl(
            args.results,
            {
                "bench": "load",
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "commit": git_commit(PROJECT_DIR),
                "uncommitted_src": dirty,
                "newsprism": package_version("newsprism"),
                "python": platform.python_version(),
                "store": {
                    "articles": n_articles,
                    "stories": n_stories,
                    "made": made,
                    "build": load_store_meta,
                },
                "clients": args.clients,
                "ingest_clients": args.ingest_clients,
                "reads_planned": len(reads),
                "requests_done": len(outcomes),
                "wall_s": round(wall, 2),
                "duration_cap_s": args.duration_cap,
                "capped": capped,
                "quick": args.quick,
                "seed": args.seed,
                "kinds": {k: f.as_json() for k, f in figures.items()},
                "errors": sum(f.errors for f in figures.values()),
                "resets": sum(f.resets for f in figures.values()),
                "goal": {
                    "met": all(c.ok for c in checks),
                    "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
                },
                "warm_up_s": warm,
                "server_cpu_s": None if server_cpu is None else round(server_cpu, 1),
                "server_rss_mb": None if rss is None else round(rss),
                "server_log": problems,
                "note": note,
            },
        )
        print(f"appended to {args.results.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
