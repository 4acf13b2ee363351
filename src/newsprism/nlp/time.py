"""Time expressions of an article as records, resolved against its published date."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence

from newsprism.budget import Budget
from newsprism.models import Span, TimeExpression
from newsprism.timex import EXTRACTOR, find_timexes


def extract_times(
    text: str,
    anchor: dt.date | None,
    sentence_starts: Sequence[int],
    *,
    budget: Budget | None = None,
) -> tuple[TimeExpression, ...]:
    """TIMEX3-style expressions of `text`; relative ones use `anchor` and record it."""
    out = []
    for t in find_timexes(text, anchor, budget=budget):
        out.append(
            TimeExpression(
                span=Span(t.start, t.end),
                text=t.text,
                type=t.type,
                value=t.value,
                anchor=t.anchor,
                sentence=max(0, bisect.bisect_right(sentence_starts, t.start) - 1),
                extractor=EXTRACTOR,
            )
        )
    return tuple(out)
