"""The generator and the statistics of bench/stories_scale.py (no timings asserted)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from types import ModuleType

import pytest

from tests.support.benches import load_bench


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("stories_scale")


def _key(a: object) -> tuple[object, ...]:
    return (
        a.index,  # type: ignore[attr-defined]
        a.story,  # type: ignore[attr-defined]
        a.published,  # type: ignore[attr-defined]
        a.arrived,  # type: ignore[attr-defined]
        a.title,  # type: ignore[attr-defined]
        tuple(sorted(a.terms.items())),  # type: ignore[attr-defined]
    )


def test_stream_is_deterministic_per_seed(bench: ModuleType) -> None:
    first = [_key(a) for a in bench.Stream(800, seed=3).articles()]
    again = [_key(a) for a in bench.Stream(800, seed=3).articles()]
    other = [_key(a) for a in bench.Stream(800, seed=4).articles()]
    assert first == again
    assert first != other


def test_stream_size_order_and_dates(bench: ModuleType) -> None:
    n, per_day = 3000, 500
    stream = bench.Stream(n, seed=0, per_day=per_day)
    items = list(stream.articles())
    assert [a.index for a in items] == list(range(n))
    arrived = [a.arrived for a in items]
    assert arrived == sorted(arrived)  # the stream is in arrival order
    for a in items:  # published at most two days before arrival, never after
        assert dt.timedelta(0) <= a.arrived - a.published <= dt.timedelta(days=2)
    newest = items[0].published
    for a in items:  # published dates never go back more than the jitter allows
        assert a.published >= newest - dt.timedelta(days=2)
        newest = max(newest, a.published)
    assert any(a.arrived > a.published for a in items)  # some do arrive late
    span = (items[-1].arrived - items[0].arrived).days
    assert n // per_day - 1 <= span <= n // per_day + 8  # a constant rate, plus lifetimes


def test_gold_stories(bench: ModuleType) -> None:
    stream = bench.Stream(10_000, seed=1)
    items = list(stream.articles())
    sizes = Counter(a.story for a in items)
    assert len(sizes) == stream.stories
    assert sum(sizes.values()) == 10_000
    assert max(sizes.values()) <= bench.MAX_STORY
    small = sum(1 for s in sizes.values() if s <= 3)
    assert small / len(sizes) > 0.7  # most stories have 1-3 articles
    assert any(s >= 50 for s in sizes.values())  # and a few are big
    by_story: dict[int, list[dt.date]] = {}
    for a in items:
        by_story.setdefault(a.story, []).append(a.published)
    for dates in by_story.values():  # a story lives 1-5 days
        assert (max(dates) - min(dates)).days <= 4
    assert stream.distinct_words() > 20_000


def test_articles_share_their_story_words(bench: ModuleType) -> None:
    items = list(bench.Stream(3000, seed=0).articles())
    members: dict[int, list[dict[str, float]]] = {}
    for a in items:
        members.setdefault(a.story, []).append(a.terms)
        assert all(w >= 1.0 for w in a.terms.values())
        assert a.title and len(a.text) < 400
        assert 100 <= len(a.terms) <= 320
    big = [m for m in members.values() if len(m) >= 5]
    assert big
    for m in big:
        common = set(m[0]).intersection(*map(set, m[1:]))
        assert common  # entity and title words, at least


def test_records_have_unique_ids(bench: ModuleType) -> None:
    items = list(bench.Stream(500, seed=0).articles())
    recs = [bench.records(a, 0) for a in items]
    assert len({r[1].id for r in recs}) == 500
    assert len({r[0].id for r in recs}) == 500
    for raw, article, features in recs[:20]:
        assert article.raw_id == raw.id
        assert features.article_id == article.id
        assert features.date == article.published
        assert features.to_data()["terms"]


def test_article_times_add_up(bench: ModuleType) -> None:
    times = bench.article_times(10.0, [10.5, 11.0, 13.0], 14.0)
    assert times == pytest.approx([1.0, 2.0, 1.0])  # the first carries the set-up
    assert math.fsum(times) == pytest.approx(4.0)
    assert bench.article_times(0.0, [], 1.0) == []


def test_percentiles_and_rate(bench: ModuleType) -> None:
    seconds = [0.001 * k for k in range(1, 101)]
    p50, p95, p99 = bench.percentiles_ms(seconds, (50, 95, 99))
    assert p50 == pytest.approx(50.5)
    assert p95 == pytest.approx(95.05)
    assert p99 == pytest.approx(99.01)
    assert bench.per_thousand([0.002, 0.004]) == pytest.approx(3.0)
    assert math.isnan(bench.per_thousand([]))
    assert all(math.isnan(x) for x in bench.percentiles_ms([], (50, 95)))


def test_bcubed(bench: ModuleType) -> None:
    assert bench.bcubed([0, 0, 1, 1], [5, 5, 7, 7]) == pytest.approx((1.0, 1.0, 1.0))
    p, r, f1 = bench.bcubed([0, 0, 0, 0], [1, 1, 2, 3])
    assert p == pytest.approx(1.0)
    assert r == pytest.approx((2 / 4 * 2 + 1 / 4 * 2) / 4)
    assert f1 == pytest.approx(2 * p * r / (p + r))
    p, r, _ = bench.bcubed([0, 1, 2], [9, 9, 9])
    assert (p, r) == pytest.approx((1 / 3, 1.0))
    with pytest.raises(ValueError):
        bench.bcubed([0], [0, 1])


def test_parse_size(bench: ModuleType) -> None:
    assert bench.parse_size("10000") == 10_000
    assert bench.parse_size("10k") == 10_000
    assert bench.parse_size("1M") == 1_000_000
    assert bench.parse_size("2.5k") == 2_500
