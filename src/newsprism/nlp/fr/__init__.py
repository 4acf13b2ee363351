"""French full analysis: the French parse, our actors, and French rules for quotes, times and
events (`quotes.py`, `time.py`, `events.py` here). The language-independent parts are shared
with English: actors (`nlp.actors` over the relabelled French entities), quote-mark pairing
(`nlp.marks`), speaker records and calendar arithmetic (`timex`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from newsprism.budget import Budget
from newsprism.models import Actor, Event, Mention, Paragraph, Quote, Sentence, TimeExpression
from newsprism.nlp.actors import find_actors
from newsprism.nlp.fr.events import EXTRACTOR as EVENTS
from newsprism.nlp.fr.events import extract_events_fr
from newsprism.nlp.fr.quotes import EXTRACTOR as QUOTES
from newsprism.nlp.fr.quotes import extract_quotes_fr
from newsprism.nlp.fr.time import EXTRACTOR as TIMES
from newsprism.nlp.fr.time import find_times_fr
from newsprism.nlp.parse import Parse

EXTRACTOR = "+".join((QUOTES, TIMES, EVENTS))

__all__ = ["EXTRACTOR", "annotate_french"]


def annotate_french(
    parse: Parse,
    paragraphs: Sequence[Paragraph],
    anchor: dt.date | None,
    sentences: Sequence[Sentence],
    *,
    budget: Budget | None = None,
) -> tuple[
    tuple[Actor, ...],
    tuple[Mention, ...],
    tuple[Quote, ...],
    tuple[TimeExpression, ...],
    tuple[Event, ...],
]:
    """Actors, mentions, quotes, times and events of a French article's parse."""
    starts = [s.span.start for s in sentences]
    actors, mentions = find_actors(parse, budget=budget)
    times = find_times_fr(parse.text, anchor, starts, budget=budget)
    quotes = extract_quotes_fr(parse, paragraphs, mentions, times, sentences, budget=budget)
    events = extract_events_fr(parse, sentences, mentions, times, budget=budget)
    return actors, mentions, quotes, times, events
