"""Matching one statement across outlets: the pure text test and the grouping over analyses."""

from __future__ import annotations

import pytest

from newsprism.quote_groups import content_stems, same_statement


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # direct in one outlet, indirect in the other (the seeds' technical-channels statement)
        (
            "But above all, we have rebuilt those channels of discussion at a technical level.",
            "channels of discussion with Russia have been restored at a technical level",
            True,
        ),
        (
            "The U.S. will attack us over digital regulation",
            "the U.S. would attack Europe over its digital regulation",
            True,
        ),
        ("openly anti-European", "the administration was being openly anti-European", True),
        (
            "Russia has always supported maintaining dialogue",
            "We have tried that strategy for months. It is not working",
            False,
        ),
        ("at this point", "at that point in time", False),  # only stop words in common
        ("The talks will resume next week", "The strike will end next week", False),
    ],
)
def test_same_statement(a: str, b: str, same: bool) -> None:
    assert same_statement(a, b) is same
    assert same_statement(b, a) is same


def test_stems_meet_across_inflections() -> None:
    assert content_stems("channels restored") == content_stems("channel restore")
    assert "the" not in content_stems("the channels")
