"""Small pure helpers several stages share: a crude English suffix stemmer and connected
components over linked items."""

from __future__ import annotations

from collections.abc import Callable

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s")


def cut_suffix(word: str) -> str:
    """One common English suffix cut, then a final -e: "claims"/"claimed" -> "claim",
    "restored"/"restore" -> "restor". `word` is expected in lower case."""
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def components(count: int, linked: Callable[[int, int], bool]) -> list[list[int]]:
    """Connected components of items 0..count-1 under `linked(i, j)` (asked for i < j only),
    each in ascending order, ordered by their first item."""
    parent = list(range(count))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in range(count):
        for j in range(i + 1, count):
            if linked(i, j):
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for x in range(count):
        groups.setdefault(find(x), []).append(x)
    return list(groups.values())
