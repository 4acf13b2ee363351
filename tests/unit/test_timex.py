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
        # TimeML extents: determiners and modifiers in, leading prepositions out
        (
            "The talks on Friday, 13 February 2026 were short.",
            "Friday, 13 February 2026",
            "DATE",
            "2026-02-13",
        ),
        ("The recount started on Monday, 16 March.", "Monday, 16 March", "DATE", "2026-03-16"),
        # a day of a month without a year: the past, unless close ahead or the sentence looks ahead
        ("The army entered the town on 20 November.", "20 November", "DATE", "2025-11-20"),
        ("The court will rule on 20 November.", "20 November", "DATE", "2026-11-20"),
        (
            "He left in January nineteen ninety-seven.",
            "January nineteen ninety-seven",
            "DATE",
            "1997-01",
        ),
        ("They met in July last year.", "July last year", "DATE", "2025-07"),
        ("The treaty was signed last November.", "last November", "DATE", "2025-11"),
        ("The summit is due next March.", "next March", "DATE", "2026-03"),
        ("Prices rose in December.", "December", "DATE", "2025-12"),
        ("The vote is expected in March.", "March", "DATE", "2026-03"),
        ("The 2014 agreement still holds.", "2014", "DATE", "2014"),
        ("It was nineteen ninety-six.", "nineteen ninety-six", "DATE", "1996"),
        ("By the year two thousand the town had grown.", "the year two thousand", "DATE", "2000"),
        ("Profit in fiscal 1989 fell.", "fiscal 1989", "DATE", "1989"),
        ("It was built in the 1990s.", "the 1990s", "DATE", "199"),
        ("Prices peaked in the late 1970s.", "the late 1970s", "DATE", "197"),
        ("It was a hit in the nineties.", "the nineties", "DATE", "199"),
        ("It shaped the 20th century.", "the 20th century", "DATE", "19"),
        ("Nothing like it this century.", "this century", "DATE", "20"),
        ("The crossing has been shut since last autumn.", "last autumn", "DATE", "2025-FA"),
        ("He left in the summer of 1994.", "the summer of 1994", "DATE", "1994-SU"),
        # quarters and halves (business reports)
        ("Third-quarter profit rose.", "Third-quarter", "DATE", "2025-Q3"),
        ("Sales fell in the fourth quarter.", "the fourth quarter", "DATE", "2025-Q4"),
        ("Sales should rise in the second quarter.", "the second quarter", "DATE", "2026-Q2"),
        (
            "Sales rose in the third quarter of 1990.",
            "the third quarter of 1990",
            "DATE",
            "1990-Q3",
        ),
        (
            "Sales should rise in next year's first quarter.",
            "next year's first quarter",
            "DATE",
            "2027-Q1",
        ),
        ("Sales were weak in the latest quarter.", "the latest quarter", "DATE", "2025-Q4"),
        ("Sales are weak in the current quarter.", "the current quarter", "DATE", "2026-Q1"),
        ("Profit fell last quarter.", "last quarter", "DATE", "2025-Q4"),
        ("Profit rose from year-earlier levels.", "year-earlier", "DATE", "2025"),
        ("Costs fell in the second half of 2025.", "the second half of 2025", "DATE", "2025-H2"),
        (
            "Costs fell in the first half of this year.",
            "the first half of this year",
            "DATE",
            "2026-H1",
        ),
        ("For the year, profit rose.", "the year", "DATE", "2026"),
        ("Sales rose in the current fiscal year.", "the current fiscal year", "DATE", "2026"),
        ("Profit rose at year-end.", "year-end", "DATE", "2026"),
        # weekdays, parts of days, times of day
        ("The leaders will meet Thursday.", "Thursday", "DATE", "2026-02-12"),
        ("The vote was last Tuesday.", "last Tuesday", "DATE", "2026-02-03"),
        ("The vote is this coming Sunday.", "this coming Sunday", "DATE", "2026-02-15"),
        ("Talks broke down the previous Friday.", "the previous Friday", "DATE", "2026-02-06"),
        ("The update was sent on Monday night.", "Monday night", "TIME", "2026-02-09TNI"),
        ("He visits on Tuesday nights.", "Tuesday nights", "SET", "XXXX-WXX-2TNI"),
        ("Shops close on Sundays.", "Sundays", "SET", "XXXX-WXX-7"),
        ("Both delegations met this morning.", "this morning", "TIME", "2026-02-10TMO"),
        ("Shots were heard last night.", "last night", "TIME", "2026-02-09TNI"),
        ("He arrived yesterday afternoon.", "yesterday afternoon", "TIME", "2026-02-09TAF"),
        ("The deadline is 10 p.m. Wednesday.", "10 p.m. Wednesday", "TIME", "2026-02-04T22:00"),
        ("The meeting began at 9:30 a.m. in Kyiv.", "9:30 a.m.", "TIME", "2026-02-10T09:30"),
        ("They ate at noon.", "noon", "TIME", "2026-02-10T12:00"),
        ("He left at 6 a.m. Police said nothing.", "6 a.m", "TIME", "2026-02-10T06:00"),
        (
            "He called around 7:15 p.m. on Monday.",
            "around 7:15 p.m. on Monday",
            "TIME",
            "2026-02-09T19:15",
        ),
        # weeks, weekends, decades relative to the anchor
        ("They meet next week.", "next week", "DATE", "2026-W08"),
        ("Shops open this weekend.", "this weekend", "DATE", "2026-W07-WE"),
        ("The talks stalled over the weekend.", "the weekend", "DATE", "2026-W06-WE"),
        ("It could come next decade.", "next decade", "DATE", "203"),
        # durations
        ("Investment grew over the past decade.", "the past decade", "DURATION", "P10Y"),
        ("Prices rose in the past year.", "the past year", "DURATION", "P1Y"),
        ("Trading rose in the past two months.", "the past two months", "DURATION", "P2M"),
        ("Sales rose in the first nine months.", "the first nine months", "DURATION", "P9M"),
        ("It lasted a couple of years.", "a couple of years", "DURATION", "P2Y"),
        ("It takes two to three weeks.", "two to three weeks", "DURATION", "PXW"),
        ("The flight took 5 1/2 hours.", "5 1/2 hours", "DURATION", "PT5.5H"),
        ("He signed a two-year contract.", "two-year", "DURATION", "P2Y"),
        ("It happened over a three-year period.", "a three-year period", "DURATION", "P3Y"),
        ("After a 16-hour shift he slept.", "16-hour", "DURATION", "PT16H"),
        ("They held a day-long strike.", "day-long", "DURATION", "P1D"),
        ("He wants 20 more years.", "20 more years", "DURATION", "P20Y"),
        ("It took eight trading days.", "eight trading days", "DURATION", "P8D"),
        (
            "Prices fell in the last twenty four hours.",
            "the last twenty four hours",
            "DURATION",
            "PT24H",
        ),
        ("He has worked for nineteen years.", "nineteen years", "DURATION", "P19Y"),
        ("The storm lasted more than four hours.", "more than four hours", "DURATION", "PT4H"),
        ("He waited at least 30 days.", "at least 30 days", "DURATION", "P30D"),
        ("The smallest gain in a year.", "a year", "DURATION", "P1Y"),
        ("They have tried that for years.", "years", "DURATION", "PXY"),
        ("Troops could arrive within weeks.", "weeks", "DURATION", "PXW"),
        # "ago" and "from now": the anchor moved, at the unit's granularity
        ("He left two years ago.", "two years ago", "DATE", "2024"),
        ("He left six weeks ago.", "six weeks ago", "DATE", "2026-W01"),
        ("He left five months ago.", "five months ago", "DATE", "2025-09"),
        ("He left 10 days ago.", "10 days ago", "DATE", "2026-01-31"),
        ("He left nearly four years ago.", "nearly four years ago", "DATE", "2022"),
        ("He left several years ago.", "several years ago", "DATE", "PAST_REF"),
        ("It ends two years from now.", "two years from now", "DATE", "2028"),
        # position modifiers stay in the extent; the value is that of what they modify
        ("It opens early next year.", "early next year", "DATE", "2027"),
        ("It was rescued in late November.", "late November", "DATE", "2025-11"),
        ("It reports in mid-November.", "mid-November", "DATE", "2025-11"),
        ("It runs until the end of 1990.", "the end of 1990", "DATE", "1990"),
        ("Prices rose earlier this month.", "earlier this month", "DATE", "2026-02"),
        ("Late last week the talks stalled.", "Late last week", "DATE", "2026-W06"),
        ("It opens sometime next year.", "sometime next year", "DATE", "2027"),
        # sets
        ("Flights run daily.", "daily", "SET", "P1D"),
        ("They pay every month.", "every month", "SET", "P1M"),
        ("He visits each Thursday.", "each Thursday", "SET", "XXXX-WXX-4"),
        ("Fishermen sail each July.", "each July", "SET", "XXXX-07"),
        # present, past and future references
        ("The firm is currently in talks.", "currently", "DATE", "PRESENT_REF"),
        ("The current system works.", "current", "DATE", "PRESENT_REF"),
        ("Prices recently fell.", "recently", "DATE", "PAST_REF"),
        ("Recent talks failed.", "Recent", "DATE", "PAST_REF"),
        ("In the past, Russia objected.", "the past", "DATE", "PAST_REF"),
        ("It matters for the future.", "the future", "DATE", "FUTURE_REF"),
        ("Shares may fall in the near term.", "the near term", "DATE", "FUTURE_REF"),
        # holidays
        ("Turkeys are eaten on Thanksgiving Day.", "Thanksgiving Day", "DATE", "2025-11-27"),
        ("We meet next Christmas.", "next Christmas", "DATE", "2026-12-25"),
        ("It happened at Easter 2024.", "Easter 2024", "DATE", "2024-03-31"),
        ("They will vote on Election Day.", "Election Day", "DATE", "2026-11-03"),
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


@pytest.mark.parametrize(
    "text",
    [
        "We may go",
        "the Mayor said",
        "we will march on",
        "Jan Kavan signed the treaty.",
        "May I ask a question?",
        "He paid $1999 for it.",
        "Two thousand people marched.",
        "The fall of the Berlin Wall changed Europe.",
        "He lives in the Christian quarter.",
        "A 6-year-old boy was rescued.",
        "He was 37 years old.",
        "He spoke on 60 Minutes.",
        "Iraq imports three-quarters of its food.",
        "A second group arrived.",
        "They meet twice a week.",
        "It saves $500 million a year.",
        "They watched High Noon.",
        "The Daily Telegraph said so.",
        "The current account deficit grew.",
        "In the years that followed, they fought.",
        "Help will come soon.",  # too often not a time reference in TimeBank
        "He previously worked there.",
        'He spoke on ABC\'s "This Week" show.',  # a capitalised title inside a sentence
        "This is VOA Today.",
        "He was arrested at this march.",
    ],
)
def test_does_not_read_ordinary_words_as_dates(text: str) -> None:
    assert find_timexes(text, ANCHOR) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the quarter ended ...": a fiscal period even when no quarter was named before
        (
            "Results for the quarter ended in December were weak.",
            [("the quarter", "2025-Q4"), ("December", "2025-12")],
        ),
        ("Profit fell in the year ended in June.", [("the year", "P1Y"), ("June", "2025-06")]),
        # "a year ago" in a report about a quarter is that quarter a year before
        (
            "Third-quarter profit rose to $5 from $3 a year ago. In the quarter, sales fell.",
            [("Third-quarter", "2025-Q3"), ("a year ago", "2024-Q3"), ("the quarter", "2025-Q3")],
        ),
        (
            "Profit rose in the third quarter. The year-earlier quarter was weak.",
            [("the third quarter", "2025-Q3"), ("The year-earlier quarter", "2024-Q3")],
        ),
        # "a year earlier", "that year", "the following day": from the last date named
        (
            "On 30 September 2025 the plant closed. A year earlier it had 500 workers.",
            [("30 September 2025", "2025-09-30"), ("A year earlier", "2024-09-30")],
        ),
        (
            "In 1998 he left; later that year he returned.",
            [("1998", "1998"), ("later that year", "1998")],
        ),
        (
            "The talks began on 3 March. The following day they stalled.",
            [("3 March", "2026-03-03"), ("The following day", "2026-03-04")],
        ),
        (
            "He was arrested on 3 March and freed the next morning.",
            [("3 March", "2026-03-03"), ("the next morning", "2026-03-04TMO")],
        ),
    ],
)
def test_resolves_in_context(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.text, t.value) for t in find_timexes(text, ANCHOR)] == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("He left two years ago.", "PAST_REF"),
        ("Sales fell in the fourth quarter.", "XXXX-Q4"),
        ("Prices rose in December.", "XXXX-12"),
        ("They meet next week.", "FUTURE_REF"),
    ],
)
def test_without_anchor_relative_values_stay_unresolved(text: str, value: str) -> None:
    (t,) = find_timexes(text, None)
    assert t.value == value
    assert t.anchor is None


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


@pytest.mark.parametrize("anchor", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_never_raises_at_the_ends_of_the_calendar(anchor: dt.date) -> None:
    text = (
        "On Friday, and 99999999 days ago, last week and next year, a year earlier, "
        "tomorrow at 10 p.m., next Christmas and the following day."
    )
    for t in find_timexes(text, anchor):
        assert text[t.start : t.end] == t.text
