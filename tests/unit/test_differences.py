"""Figure differences: number parsing (newsprism.numbers) and the comparability rules."""

from __future__ import annotations

import math

import pytest

from newsprism.differences import compare_figures, figures
from newsprism.numbers import ordinal_value, quantities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Twenty-six people died", [("Twenty-six", "count", 26, 26)]),
        ("one hundred and five votes", [("one hundred and five", "count", 105, 105)]),
        ("more than forty ships", [("more than forty", "count", 40, math.inf)]),
        ("between 40 and 50 people", [("between 40 and 50", "count", 40, 50)]),
        ("40 and 50 people", [("40", "count", 40, 40), ("50", "count", 50, 50)]),
        ("fewer than 6,200 people", [("fewer than 6,200", "count", 0, 6200)]),
        ("a dozen companies", [("a dozen", "count", 12, 12)]),
        ("rose to 3.5% in March", [("3.5%", "percent", 3.5, 3.5)]),
        ("52 percent of voters", [("52 percent", "percent", 52, 52)]),
        ("$1.9 trillion package", [("$1.9 trillion", "money", 1.9e12, 1.9e12)]),
        ("$60bn of goods", [("$60bn", "money", 6e10, 6e10)]),
        ("on Sept. 11, 2001", [("Sept. 11, 2001", "date", math.nan, math.nan)]),
        ("the 9/11 attacks", [("9/11", "date", math.nan, math.nan)]),
        ("the 21st century", [("21st", "ordinal", 21, 21)]),
        ("In 2019 it grew", [("2019", "year", 2019, 2019)]),
        ("the COVID-19 pandemic", []),  # part of a name
        ("passed 52-47", []),  # a tally
        ("no one knows", []),  # "one" alone is not read
        ("half a billion doses", []),  # a fraction we do not read: say nothing
    ],
)
def test_quantities(text: str, expected: list[tuple[str, str, float, float]]) -> None:
    got = [(q.text, q.kind, q.low, q.high) for q in quantities(text)]
    assert len(got) == len(expected)
    for (t, k, lo, hi), (et, ek, elo, ehi) in zip(got, expected, strict=True):
        assert (t, k) == (et, ek)
        assert (lo == elo or (math.isnan(lo) and math.isnan(elo))) and (
            hi == ehi or (math.isnan(hi) and math.isnan(ehi))
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("21st", 21), ("twenty-first", 21), ("third", 3), ("116th", 116), ("sixty", None)],
)
def test_ordinal_value(text: str, expected: int | None) -> None:
    assert ordinal_value(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # the same toll, two figures: a conflict
        (
            "The gunman killed 50 people at two mosques in the city.",
            "The gunman at the two mosques in the city killed 49 people.",
            "conflicting",
        ),
        # a bound that allows the other figure
        (
            "At least 150 people were killed in shootings over the weekend.",
            "Shootings over the weekend killed 189 people, the archive said.",
            "compatible",
        ),
        # number words and digits are the same figure
        (
            "Ten Republican senators asked for a meeting on the relief plan.",
            "The president will meet 10 Republican senators on the relief plan.",
            "compatible",
        ),
        # different counted things
        (
            "The attack killed 26 people at the school.",
            "The attack at the school injured 30 children.",
            None,
        ),
        # an earlier value, another time
        (
            "The jobless rate fell to 5.2% from 5.4% last month.",
            "The jobless rate fell to 5.2% from 5.4%.",
            None,
        ),
        # a forecast beside the actual figure
        (
            "Economists expected employers to add 700,000 jobs in June.",
            "Employers added 850,000 jobs in June, the report said.",
            None,
        ),
        # different actors
        (
            "Trump raised 3.1 million dollars for his campaign in May.",
            "Clinton raised 26.4 million dollars for her campaign in May.",
            None,
        ),
        # different times
        (
            "In 2019 the company cut 500 jobs at its plants.",
            "In 2020 the company cut 800 jobs at its plants.",
            None,
        ),
        # an increment, not the total
        (
            "More than 22 million Americans filed for unemployment aid in a month.",
            "Another 5.2 million Americans filed for unemployment aid last week.",
            None,
        ),
        # parts beside their total: 300 + 200 tonnes is the 500 tonnes of the other source
        (
            "The agency will ship 300 tonnes of grain to Kenya and 200 to Somalia this month.",
            "The agency will ship 500 tonnes of grain to Kenya and Somalia this month.",
            None,
        ),
        # the same listing whose parts do not add up to the other figure: still a conflict
        (
            "The agency will ship 300 tonnes of grain to Kenya and 200 to Somalia this month.",
            "The agency will ship 900 tonnes of grain to Kenya and Somalia this month.",
            "conflicting",
        ),
        # different subsets of one kind of thing: "other" states vs "western" states
        (
            "The drug is legal in 14 other states under the new federal law on the drug.",
            "The drug is legal in nine western states under the new federal law on the drug.",
            None,
        ),
        # the same noun in clauses about different acts: the dead vs the letter's signers
        (
            "Leaders of the town hit by the flood that left 12 people dead wrote an open letter.",
            "More than 4,000 people have signed an open letter from the leaders of the town.",
            None,
        ),
        # a date token is not a count
        (
            "On Sept. 11 the hijackers struck two towers.",
            "On Sept. 12 the hijackers struck two towers.",
            None,
        ),
    ],
)
def test_compare_figures(a: str, b: str, expected: str | None) -> None:
    labels = {
        p.label for p in compare_figures(a, b) if p.a.value != p.b.value or expected == "compatible"
    }
    assert labels == ({expected} if expected else set())


def test_figure_needs_a_counted_noun() -> None:
    assert [f.thing for f in figures("about 2,400 workers walked out")] == ["worker"]
    assert figures("the talks lasted two days") == []
