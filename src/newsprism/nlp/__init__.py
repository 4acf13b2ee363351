"""The annotate stage: Article -> ArticleAnalysis (sentences, actors, quotes, times, events).

`annotate_parsed(article, parse)` is pure (no model, no I/O) and picklable; `Annotator` adds the
spaCy parse in batches. spaCy objects never leave `_spacy.py`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

from newsprism.models import Article, ArticleAnalysis, Sentence, Span
from newsprism.nlp._spacy import Pipeline
from newsprism.nlp.actors import EXTRACTOR as ACTORS
from newsprism.nlp.actors import find_actors
from newsprism.nlp.events import EXTRACTOR as EVENTS
from newsprism.nlp.events import extract_events
from newsprism.nlp.parse import Parse
from newsprism.nlp.quotes import EXTRACTOR as QUOTES
from newsprism.nlp.quotes import extract_quotes
from newsprism.nlp.time import extract_times
from newsprism.timex import EXTRACTOR as TIMES

ANNOTATOR = "+".join(("annotate.v1", ACTORS, QUOTES, TIMES, EVENTS))

__all__ = ["ANNOTATOR", "Annotator", "annotate_parsed", "split_sentences"]


def split_sentences(article: Article, parse: Parse) -> tuple[Sentence, ...]:
    """Sentences from the parse, never crossing a paragraph, trimmed of white space."""
    text = article.text
    para_starts = [p.span.start for p in article.paragraphs]
    out: list[Sentence] = []
    for first, end in parse.sents:
        if first >= end:
            continue
        start, stop = parse.tokens[first].start, parse.tokens[end - 1].end
        # split on paragraph breaks inside a parser sentence
        pieces: list[tuple[int, int]] = []
        cursor = start
        while True:
            brk = text.find("\n", cursor, stop)
            if brk < 0:
                pieces.append((cursor, stop))
                break
            pieces.append((cursor, brk))
            cursor = brk + 1
        for a, b in pieces:
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b <= a:
                continue
            p_index = max(0, bisect.bisect_right(para_starts, a) - 1)
            heading = bool(article.paragraphs) and article.paragraphs[p_index].kind == "heading"
            out.append(
                Sentence(span=Span(a, b), text=text[a:b], paragraph=p_index, is_heading=heading)
            )
    return tuple(out)


def annotate_parsed(article: Article, parse: Parse) -> ArticleAnalysis:
    """Everything the rules find in one parsed article. Pure: same input, same output."""
    sentences = split_sentences(article, parse)
    starts = [s.span.start for s in sentences]
    actors, mentions = find_actors(parse)
    times = extract_times(article.text, article.published, starts)
    quotes, _skipped = extract_quotes(parse, article.paragraphs, mentions, times, starts)
    events = extract_events(parse, sentences, mentions, times)
    return ArticleAnalysis(
        article=article,
        sentences=sentences,
        actors=actors,
        mentions=mentions,
        quotes=quotes,
        time_expressions=times,
        events=events,
        annotator=ANNOTATOR,
    )


class Annotator:
    """Parses articles with the packaged spaCy model and applies the rules. Picklable."""

    def __init__(self, pipeline: Pipeline | None = None, *, batch_size: int = 16) -> None:
        self.pipeline = pipeline or Pipeline()
        self.batch_size = batch_size

    def annotate(self, articles: Iterable[Article]) -> Iterator[ArticleAnalysis]:
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Article]) -> Iterator[ArticleAnalysis]:
        parses = self.pipeline.parse([a.text for a in batch], batch_size=self.batch_size)
        for article, parse in zip(batch, parses, strict=True):
            yield annotate_parsed(article, parse)
