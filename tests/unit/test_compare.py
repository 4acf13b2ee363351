"""Comparison: figures read from sentences, and differences found on the examples and seeds."""

from __future__ import annotations

import math

import pytest

import newsprism
from newsprism.compare import compare, figures
from newsprism.models import Difference
from newsprism.quote_groups import group_quotes
from tests.conftest import EXAMPLES, seeds_dir


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 2,400 strikers", [(2400, "striker", 2160, 2640)]),
        ("more than 3,000 workers", [(3000, "worker", 3000, math.inf)]),
        ("the team had fifteen members", [(15, "member", 15, 15)]),
        ("nearly 190,000 meters", [(190000, "meter", 171000, 190000)]),
        ("the port authority has offered 3.5%.", [(3.5, "%", 3.5, 3.5)]),
        ("In 2025 the port reopened", []),  # a year is not a figure
        ("talks lasted two days", []),  # a duration is not a counted thing
        ("on 30 March", []),
    ],
)
def test_figures(text: str, expected: list[tuple[float, str, float, float]]) -> None:
    got = [(f.value, f.thing, f.low, f.high) for f in figures(text)]
    assert got == [(float(v), t, float(lo), float(hi)) for v, t, lo, hi in expected]


def _differences(paths: list[str]) -> list[Difference]:
    result = newsprism.analyze(paths)
    return list(compare(result.analyses, group_quotes(result.analyses)).differences)


@pytest.mark.model
def test_planted_number_differences_are_found() -> None:
    lorvik = _differences([str(EXAMPLES / "lorvik-strike")])
    numbers = {(frozenset(d.values), d.label) for d in lorvik if d.field == "number"}
    assert (frozenset({"3.5%", "4%"}), "conflicting") in numbers
    assert (frozenset({"41 ships", "more than forty ships"}), "compatible") in numbers
    meters = _differences([str(EXAMPLES / "meter-recall")])
    assert any(
        d.field == "number" and set(d.values) == {"four fires", "five fires"} for d in meters
    )


@pytest.mark.model
def test_seed_interview_venues_differ_compatibly() -> None:
    seeds = _differences(sorted(str(p) for p in seeds_dir().glob("*.txt")))
    (venue,) = [d for d in seeds if d.field == "venue"]
    assert venue.label == "compatible"
    assert any("Le Monde" in v for v in venue.values)
    assert "Süddeutsche Zeitung" in venue.values
    for c in venue.citations:
        assert c.text in venue.values
