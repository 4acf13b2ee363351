"""The one alignment: tokens, stems, the same-claim test and a grouping that does not chain."""

from __future__ import annotations

import pytest

from newsprism import align


def test_one_stemmer_meets_across_inflections() -> None:
    assert align.stem("negotiations") == align.stem("negotiation")
    assert align.content_stems("channels restored") == align.content_stems("channel restore")
    assert align.content_stems("Russia's claims") == align.content_stems("Russia claimed")
    assert "the" not in align.content_stems("the channels")


def test_words() -> None:
    assert align.words("Russia’s 2,400 strikers, anti-European") == [
        "russia",
        "2,400",
        "strikers",
        "anti",
        "european",
    ]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (
            "Dock workers walked off the job in Lorvik",
            "Lorvik dock workers walked off the job",
            True,
        ),
        ("The talks will resume next week", "The strike will end next week", False),
        ("openly anti-European", "the administration was being openly anti-European", True),
        ("at this point", "at that point in time", False),
    ],
)
def test_same(a: str, b: str, same: bool) -> None:
    sa, sb = align.content_stems(a), align.content_stems(b)
    assert align.same(sa, sb) is same
    assert align.same(sb, sa) is same


def test_cliques_do_not_chain() -> None:
    # 0~1 and 1~2 pass, 0~2 does not: single link would make one group of three
    linked = {(0, 1): 0.9, (1, 2): 0.8, (3, 4): 0.5}
    groups = align.cliques(5, lambda i, j: linked.get((i, j)))
    assert groups == [[0, 1], [2], [3, 4]]
    # every item is in exactly one group
    assert sorted(i for g in groups for i in g) == list(range(5))
    assert align.cliques(0, lambda i, j: 1.0) == []


def test_cliques_take_the_best_links_first() -> None:
    linked = {(0, 1): 0.5, (0, 2): 0.9, (1, 2): 0.4}
    # 0-2 joins first; 1 joins too, since it links to both
    assert align.cliques(3, lambda i, j: linked.get((i, j))) == [[0, 1, 2]]
    linked = {(0, 1): 0.5, (0, 2): 0.9}
    assert align.cliques(3, lambda i, j: linked.get((i, j))) == [[0, 2], [1]]


def test_cliques_do_not_ask_about_pairs_inside_a_block() -> None:
    asked: list[tuple[int, int]] = []

    def score(i: int, j: int) -> float:
        asked.append((i, j))
        return 1.0

    # items 0-1 are one article, 2-4 another, 5 a third; a key that recurs after its run (6)
    # is asked about as usual
    blocks = ["a", "a", "b", "b", "b", "c", "a"]
    align.cliques(len(blocks), score, blocks=blocks)
    inside = {(0, 1), (2, 3), (2, 4), (3, 4)}
    assert not inside & set(asked)
    every = {(i, j) for i in range(7) for j in range(i + 1, 7)}
    assert set(asked) == every - inside

    # the same groups as without blocks when the score refuses those pairs itself
    def refusing(i: int, j: int) -> float | None:
        return None if blocks[i] == blocks[j] else 1.0 / (1 + i + j)

    assert align.cliques(7, refusing, blocks=blocks) == align.cliques(7, refusing)
    # one block: nothing is asked
    asked.clear()
    assert align.cliques(3, score, blocks=["x", "x", "x"]) == [[0], [1], [2]]
    assert asked == []
