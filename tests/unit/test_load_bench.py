"""The pure parts of bench/load.py: percentiles, figures, the goal check, the request plan,
and the id/date remapping of bench/load_store.py (no server, no timings asserted)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _module("load")


@pytest.fixture(scope="module")
def store_bench() -> ModuleType:
    return _module("load_store")


def test_percentile_interpolates_like_numpy(bench: ModuleType) -> None:
    values = [4.0, 1.0, 3.0, 2.0]  # unsorted on purpose
    assert bench.percentile(values, 0) == 1.0
    assert bench.percentile(values, 100) == 4.0
    assert bench.percentile(values, 50) == pytest.approx(2.5)
    assert bench.percentile(values, 95) == pytest.approx(3.85)
    assert bench.percentile([7.0], 99) == 7.0
    assert math.isnan(bench.percentile([], 50))
    with pytest.raises(ValueError):
        bench.percentile(values, 101)


def test_percentile_of_a_hundred(bench: ModuleType) -> None:
    values = [float(i) for i in range(1, 101)]
    assert bench.percentile(values, 95) == pytest.approx(95.05)
    assert bench.percentile(values, 99) == pytest.approx(99.01)


def test_summarise_counts_errors_and_resets_apart(bench: ModuleType) -> None:
    o = bench.Outcome
    outcomes = [
        o("home", 0.0, 0.1, 200),
        o("home", 0.1, 0.3, 200),
        o("home", 0.2, 0.2, 500),
        o("home", 0.3, 5.0, None, "ReadTimeout"),
        o("ingest", 0.0, 1.0, 201),
        o("search", 0.0, 0.05, 404),
    ]
    figures = bench.summarise(outcomes, wall=2.0)
    assert list(figures) == ["home", "search", "ingest"]  # KINDS order
    home = figures["home"]
    assert home.requests == 4 and home.rps == 2.0
    assert home.errors == 1 and home.resets == 1
    assert home.p50 == pytest.approx(0.2)  # answered only: the timeout is not a latency
    assert home.statuses == {"200": 2, "500": 1} and home.exceptions == {"ReadTimeout": 1}
    assert figures["ingest"].errors == 0  # 201 is a success
    assert figures["search"].errors == 1
    assert home.as_json()["p50_s"] == pytest.approx(0.2)


def _figures(bench: ModuleType, p95: float, errors: int = 0, resets: int = 0) -> dict:
    return {
        kind: bench.KindFigures(requests=10, p50=p95 / 2, p95=p95, p99=p95, errors=0)
        for kind in bench.READ_KINDS
    } | {"ingest": bench.KindFigures(requests=2, errors=errors, resets=resets)}


def test_goal_met_and_missed(bench: ModuleType) -> None:
    ok = bench.goal_checks(_figures(bench, 0.5), clients=16)
    assert all(c.ok for c in ok)
    assert "MET" in bench.format_report(_figures(bench, 0.5), ok, ["h"])
    assert "NOT MET" not in bench.format_report(_figures(bench, 0.5), ok, ["h"])

    slow = bench.goal_checks(_figures(bench, 1.2), clients=16)
    failed = {c.name for c in slow if not c.ok}
    assert failed == {f"p95 {k} < 1 s" for k in bench.GOAL_P95_KINDS}
    assert "NOT MET" in bench.format_report(_figures(bench, 1.2), slow, ["h"])

    broken = bench.goal_checks(_figures(bench, 0.5, errors=1, resets=2), clients=8)
    assert {c.name for c in broken if not c.ok} == {
        "clients >= 16",
        "0 errors (non-2xx)",
        "0 resets/exceptions",
    }
    missing = bench.goal_checks({}, clients=16)
    assert not all(c.ok for c in missing)  # nothing measured is not a pass


def test_allocate_sums_and_follows_weights(bench: ModuleType) -> None:
    counts = bench.allocate(101, bench.WEIGHTS)
    assert sum(counts.values()) == 101
    assert counts["stories_list"] >= counts["home"]
    assert bench.allocate(0, bench.WEIGHTS) == {k: 0 for k in bench.WEIGHTS}


def test_plan_is_seeded_and_well_formed(bench: ModuleType) -> None:
    kwargs = {
        "story_ids": ["s1", "s2"],
        "article_ids": ["a1", "a2", "a3"],
        "words": ["election", "senate"],
        "total_stories": 120,
    }
    plan = bench.plan_requests(200, seed=1, **kwargs)
    assert len(plan) == 200
    assert plan == bench.plan_requests(200, seed=1, **kwargs)
    assert plan != bench.plan_requests(200, seed=2, **kwargs)
    kinds = Counter(r.kind for r in plan)
    assert kinds == Counter(bench.allocate(200, bench.WEIGHTS))
    for r in plan:
        assert r.method == "GET" and r.path.startswith("/")
        if r.kind == "story_page":
            assert r.path in {"/stories/s1", "/stories/s2"}
        if r.kind == "story_api":
            assert r.path in {"/api/stories/s1", "/api/stories/s2"}
        if r.kind == "article_page":
            assert r.path.removeprefix("/articles/") in kwargs["article_ids"]
        if r.kind == "search":
            assert r.path.split("q=")[1] in kwargs["words"]
        if r.kind == "stories_list":
            assert 0 <= int(r.path.split("offset=")[1]) < 120
    with pytest.raises(ValueError):
        bench.plan_requests(5, story_ids=[], article_ids=["a"], words=["w"], total_stories=0)


def test_ingest_plan(bench: ModuleType) -> None:
    reqs = bench.ingest_plan([("T", "Body text.", "neus-val-pos0")], dt.date(2020, 3, 1))
    assert len(reqs) == 1
    r = reqs[0]
    assert (r.kind, r.method, r.path) == ("ingest", "POST", "/api/ingest")
    assert r.body == {
        "text": "Body text.",
        "title": "T",
        "outlet": "neus-val-pos0",
        "published": "2020-03-01",
    }
    assert "published" not in bench.ingest_plan([("T", "B", "o")], None)[0].body


def test_remap_replaces_ids_and_shifts_dates_but_not_text(store_bench: ModuleType) -> None:
    record = {
        "id": "a1",
        "published": "2020-01-30",
        "text": "2020-01-30",  # text must keep matching its spans
        "refs": ["a1", "b2", "other"],
        "nested": {"date": "2020-02-28", "value": "2020-W05", "n": 3},
    }
    out = store_bench.remap(record, {"a1": "x1", "b2": "y2"}, 2)
    assert out == {
        "id": "x1",
        "published": "2020-02-01",
        "text": "2020-01-30",
        "refs": ["x1", "y2", "other"],
        "nested": {"date": "2020-03-01", "value": "2020-W05", "n": 3},
    }
    assert record["id"] == "a1"  # the input is not changed
