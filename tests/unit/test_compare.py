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
        ("nearly 190,000 meters", [(190000, "meter", 161500, 190000)]),
        ("the port authority has offered 3.5%.", [(3.5, "", 3.5, 3.5)]),  # a bare percentage
        ("Twenty-six people died", [(26, "people", 26, 26)]),  # not "six people"
        ("on Sept. 11 the hijackers", []),  # a date, not 11 of something
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
def test_example_number_differences_favour_precision() -> None:
    # Issue 14: a conflict needs a counted noun and two shared context words, so the
    # examples' bare "offered 3.5%" vs "a 4% pay rise" is no longer reported (said nothing),
    # and no number conflict is reported on them at all.
    found = _differences([str(EXAMPLES / "lorvik-strike")]) + _differences(
        [str(EXAMPLES / "meter-recall")]
    )
    numbers = [d for d in found if d.field == "number"]
    assert not [d for d in numbers if d.label == "conflicting"]
    for d in numbers:
        assert d.reason and len(d.values) == 2


@pytest.mark.model
def test_seed_interview_venues_differ_compatibly() -> None:
    seeds = _differences(sorted(str(p) for p in seeds_dir().glob("*.txt")))
    (venue,) = [d for d in seeds if d.field == "venue"]
    assert venue.label == "compatible"
    assert any("Le Monde" in v for v in venue.values)
    assert "Süddeutsche Zeitung" in venue.values
    for c in venue.citations:
        assert c.text in venue.values
