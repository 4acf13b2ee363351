import datetime as dt

import pytest

from newsprism.timex import find_timexes, parse_date

ANCHOR = dt.date(2026, 2, 10)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected_text", "type_", "value"),
    [
        ("On 19 December 2025 Macron spoke.", "19 December 2025", "DATE", "2025-12-19"),
        ("He spoke on February 10, 2026.", "February 10, 2026", "DATE", "2026-02-10"),
        ("Published 2026-02-04 in Kyiv.", "2026-02-04", "DATE", "2026-02-04"),
        ("in a Tuesday interview", "Tuesday", "DATE", "2026-02-10"),
        ("comments published on Monday", "Monday", "DATE", "2026-02-09"),
        ("they meet next Friday", "next Friday", "DATE", "2026-02-13"),
        ("contacts last month", "last month", "DATE", "2026-01"),
        ("reports in February 2026", "February 2026", "DATE", "2026-02"),
        ("will attack us in the coming months", "the coming months", "DATE", "FUTURE_REF"),
        ("swept away in five years", "five years", "DURATION", "P5Y"),
        ("For several months we have", "several months", "DURATION", "PXM"),
        ("peace right now", "right now", "DATE", "PRESENT_REF"),
        ("yesterday the minister said", "yesterday", "DATE", "2026-02-09"),
        ("on 3 March the talks", "3 March", "DATE", "2026-03-03"),
        ("since 2014 the war", "2014", "DATE", "2014"),
    ],
)
def test_finds_and_normalises(text: str, expected_text: str, type_: str, value: str) -> None:
    found = find_timexes(text, ANCHOR)
    assert [(t.text, t.type, t.value) for t in found] == [(expected_text, type_, value)]
    t = found[0]
    assert text[t.start : t.end] == t.text


def test_relative_dates_record_their_anchor() -> None:
    (t,) = find_timexes("on Tuesday", ANCHOR)
    assert t.anchor == "2026-02-10"
    (absolute,) = find_timexes("on 19 December 2025", ANCHOR)
    assert absolute.anchor is None


def test_without_anchor_relative_dates_stay_underspecified() -> None:
    (t,) = find_timexes("on Tuesday", None)
    assert t.value == "XXXX-XX-XX"


@pytest.mark.parametrize("text", ["We may go", "the Mayor said", "we will march on"])
def test_does_not_read_ordinary_words_as_dates(text: str) -> None:
    assert find_timexes(text, ANCHOR) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("February 10, 2026", dt.date(2026, 2, 10)),
        ("2026-03-12T09:30:00Z", dt.date(2026, 3, 12)),
        ("", None),
    ],
)
def test_parse_date(text: str, value: dt.date | None) -> None:
    assert parse_date(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The hearing is set for tomorrow, Thursday 12 March.", dt.date(2026, 3, 11)),
        ("It happened yesterday, March 2, 2026, in Tarn.", dt.date(2026, 3, 3)),
        ("The vote is tomorrow and nobody knows the date.", None),
    ],
)
def test_writing_date_from_deictic_reference(text: str, value: dt.date | None) -> None:
    from newsprism.timex import date_from_deictic

    assert date_from_deictic(text, latest_year=2027) == value
