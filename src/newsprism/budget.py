"""A cooperative work budget for annotating one article: an operation count and a deadline.

The rule loops (nlp/, timex.py) call `Budget.spend()`; once the budget is used up it raises `BudgetExceeded`,
which the annotator turns into an `annotate.timeout` rejection. No signals or threads: the
stage stays a plain function that runs the same in a Dask worker. The operation count is also
what the adversarial tests measure (work per input size), so it is exposed as `ops`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["Budget", "BudgetExceeded"]

# How many operations pass between two looks at the clock (a clock read costs ~50 ns; one
# operation is one step of a rule loop, well under a microsecond).
_CHECK_EVERY = 512


class BudgetExceeded(Exception):
    """The article used up its work budget (see `Budget`)."""

    def __init__(self, message: str, *, ops: int, seconds: float) -> None:
        super().__init__(message)
        self.ops = ops
        self.seconds = seconds


class Budget:
    """Work allowed for one article: `seconds` of wall clock and/or `max_ops` rule steps.

    Either limit may be None (unlimited); `Budget()` only counts. `spend(n)` adds n steps and
    raises `BudgetExceeded` when a limit is passed; `check()` looks at the clock now (between
    parse chunks, say).
    """

    __slots__ = ("_clock", "_deadline", "_next_check", "_started", "max_ops", "ops", "seconds")

    def __init__(
        self,
        *,
        seconds: float | None = None,
        max_ops: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.max_ops = max_ops
        self.ops = 0
        self._clock = clock
        self._started = clock()
        self._deadline = None if seconds is None else self._started + seconds
        self._next_check = _CHECK_EVERY

    def spend(self, n: int = 1) -> None:
        """Count `n` steps of work; raise `BudgetExceeded` if a limit has been passed."""
        self.ops += n
        if self.ops >= self._next_check:
            self._next_check = self.ops + _CHECK_EVERY
            self.check()

    def check(self) -> None:
        """Raise `BudgetExceeded` if the operation limit or the deadline has been passed."""
        if self.max_ops is not None and self.ops > self.max_ops:
            raise BudgetExceeded(
                f"more than {self.max_ops:,} rule steps",
                ops=self.ops,
                seconds=self.elapsed(),
            )
        if self._deadline is not None and self._clock() > self._deadline:
            raise BudgetExceeded(
                f"more than {self.seconds:g} s of work",
                ops=self.ops,
                seconds=self.elapsed(),
            )

    def elapsed(self) -> float:
        return self._clock() - self._started
