"""Interval look-ups in logarithmic time, for rules that ask "is this offset quoted?" or "which
spans overlap this one?" once per token (a linear scan there makes an article quadratic)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

__all__ = ["Cover", "Overlaps"]


class Cover:
    """The union of half-open ranges `[a, b)`: membership and covered length in O(log n)."""

    __slots__ = ("_ends", "_prefix", "_starts")

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        for a, b in sorted(r for r in ranges if r[1] > r[0]):
            if ends and a <= ends[-1]:
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        self._starts = starts
        self._ends = ends
        prefix = [0]
        for a, b in zip(starts, ends, strict=True):
            prefix.append(prefix[-1] + b - a)
        self._prefix = prefix

    def __len__(self) -> int:
        return len(self._starts)

    def __contains__(self, offset: object) -> bool:
        if not isinstance(offset, int):
            return False
        i = bisect.bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]

    def covered(self, start: int, end: int) -> int:
        """How many offsets of `[start, end)` lie inside the union."""
        if end <= start or not self._starts:
            return 0
        return self._upto(end) - self._upto(start)

    def _upto(self, x: int) -> int:
        # covered length of (-inf, x)
        i = bisect.bisect_right(self._starts, x) - 1
        if i < 0:
            return 0
        return self._prefix[i] + min(x, self._ends[i]) - self._starts[i]


class Overlaps:
    """Half-open spans sorted by start (they may overlap each other); `overlapping(a, b)` yields
    the indices of those that overlap `[a, b)`, walking back only while an earlier span can
    still reach `a` (a running maximum of the ends)."""

    __slots__ = ("_ends", "_reach", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        pairs = list(spans)
        self._starts = [a for a, _ in pairs]
        self._ends = [b for _, b in pairs]
        if any(x > y for x, y in zip(self._starts, self._starts[1:], strict=False)):
            raise ValueError("spans must be sorted by start")
        reach: list[int] = []
        for b in self._ends:
            reach.append(max(b, reach[-1]) if reach else b)
        self._reach = reach

    def overlapping(self, start: int, end: int) -> Iterator[int]:
        i = bisect.bisect_left(self._starts, end) - 1
        while i >= 0 and self._reach[i] > start:
            if self._ends[i] > start and self._starts[i] < end:
                yield i
            i -= 1

    def containing(self, start: int, end: int) -> bool:
        """Whether some span holds all of `[start, end)`."""
        return any(
            self._starts[i] <= start and end <= self._ends[i] for i in self.overlapping(start, end)
        )
