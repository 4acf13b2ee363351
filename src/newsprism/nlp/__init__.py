"""The annotate stage: Article -> ArticleAnalysis (sentences, actors, quotes, times, events).

`annotate_parsed(article, parse)` is pure (no model, no I/O) and picklable; `Annotator` adds the
spaCy parse in batches. spaCy objects never leave `_spacy.py`.

Each article is read in its own language (`Article.language`, `_spacy.package_for`): English
(or an unknown language) with the English model and rules, French with the French model and
the rules of `nlp/fr/`, any other language at the `basic` level (`nlp/basic.py`: sentences,
quotes by punctuation, dates; no entities or events). `ArticleAnalysis.analysis_level` says
which; nothing is read with another language's model. A model is loaded once per process, on
the first article that needs it.

No input stalls the stage: the rules are linear in the article's length (capped work per
sentence), each article gets a cooperative work budget (`Settings.annotate_timeout`, checked
by the rule loops and between parse chunks), and a text longer than spaCy's `max_length` is
rejected before any work. `Annotator.annotate_or_reject` yields a `Rejection` for such an
article (`extract.too_long`, `annotate.timeout`); `Annotator.annotate` raises
`AnnotationRejected` (a `ValueError` carrying the rejection) instead.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from newsprism import errors
from newsprism.budget import Budget, BudgetExceeded
from newsprism.models import Article, ArticleAnalysis, Features, Rejection, Sentence, Span
from newsprism.nlp._spacy import (
    CHUNK_CHARS,
    MODEL_PACKAGE,
    Pipeline,
    package_for,
    shared_pipeline,
)
from newsprism.nlp.actors import EXTRACTOR as ACTORS
from newsprism.nlp.actors import find_actors
from newsprism.nlp.basic import EXTRACTOR as BASIC
from newsprism.nlp.basic import annotate_basic
from newsprism.nlp.events import EXTRACTOR as EVENTS
from newsprism.nlp.events import extract_events
from newsprism.nlp.fr import EXTRACTOR as FRENCH
from newsprism.nlp.fr import annotate_french
from newsprism.nlp.parse import Parse
from newsprism.nlp.quotes import EXTRACTOR as QUOTES
from newsprism.nlp.quotes import extract_quotes
from newsprism.nlp.time import extract_times
from newsprism.settings import Settings
from newsprism.timex import EXTRACTOR as TIMES

# v2: per-language pipelines (v1 read every language with the English model); v3: the English
# model reads straight apostrophes inside words (`_spacy.straighten`)
ANNOTATOR = "+".join(("annotate.v3", ACTORS, QUOTES, TIMES, EVENTS, FRENCH, BASIC))


class Annotates(Protocol):
    """What the pipeline needs of an annotator: `Annotator`, or `pool.AnnotatorPool`."""

    def annotate_or_reject(
        self, articles: Iterable[Article]
    ) -> Iterator[ArticleAnalysis | Rejection]: ...


@runtime_checkable
class ProvidesFeatures(Protocol):
    """An annotator that also computes the grouping features (`stories.article_features`) of
    the analyses it yields, elsewhere (`pool.AnnotatorPool`: on its workers): `None` for an
    analysis it has none for, which the pipeline then computes itself."""

    def pop_features(self, article_id: str) -> Features | None: ...


__all__ = [
    "ANNOTATOR",
    "Annotates",
    "AnnotationRejected",
    "Annotator",
    "Budget",
    "BudgetExceeded",
    "ProvidesFeatures",
    "annotate_parsed",
    "split_sentences",
]


def split_sentences(
    article: Article, parse: Parse, *, budget: Budget | None = None
) -> tuple[Sentence, ...]:
    """Sentences from the parse, never crossing a paragraph, trimmed of white space."""
    text = article.text
    para_starts = [p.span.start for p in article.paragraphs]
    out: list[Sentence] = []
    for first, end in parse.sents:
        if budget is not None:
            budget.spend()
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


def annotate_parsed(
    article: Article, parse: Parse, *, budget: Budget | None = None
) -> ArticleAnalysis:
    """Everything the rules find in one parsed article. Pure: same input, same output.

    Raises:
        BudgetExceeded: only with a `budget`, when the article uses it up.
    """
    sentences = split_sentences(article, parse, budget=budget)
    if article.analysis_level == "basic":
        quotes, times = annotate_basic(
            article.text,
            article.paragraphs,
            article.language,
            article.published,
            sentences,
            budget=budget,
        )
        return ArticleAnalysis(
            article=article,
            sentences=sentences,
            actors=(),
            mentions=(),
            quotes=quotes,
            time_expressions=times,
            events=(),
            annotator=ANNOTATOR,
            analysis_level="basic",
        )
    if package_for(article.language) != MODEL_PACKAGE:  # French
        actors, mentions, quotes, times, events = annotate_french(
            parse, article.paragraphs, article.published, sentences, budget=budget
        )
    else:
        starts = [s.span.start for s in sentences]
        actors, mentions = find_actors(parse, budget=budget)
        times = extract_times(article.text, article.published, starts, budget=budget)
        quotes, _skipped = extract_quotes(
            parse, article.paragraphs, mentions, times, starts, budget=budget
        )
        events = extract_events(parse, sentences, mentions, times, budget=budget)
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


class AnnotationRejected(ValueError):
    """The annotator refused an article or gave up on it; `rejection` says why."""

    def __init__(self, rejection: Rejection) -> None:
        super().__init__(f"{rejection.code}: {rejection.reason}")
        self.rejection = rejection


# Rejected article ids remembered, so that a caller retrying a failed batch one article at a
# time (the pipeline does) is not made to wait for the same budget twice.
_REMEMBERED = 256


class Annotator:
    """Parses articles with the packaged spaCy model and applies the rules. Picklable.

    `timeout` is the per-article work budget in seconds (None: unlimited); see the module
    docstring.
    """

    def __init__(
        self,
        pipeline: Pipeline | None = None,
        *,
        batch_size: int = 16,
        timeout: float | None = Settings().annotate_timeout,
    ) -> None:
        self.pipeline = pipeline or Pipeline()
        self.batch_size = batch_size
        self.timeout = timeout
        self._rejected: OrderedDict[str, Rejection] = OrderedDict()

    def annotate(self, articles: Iterable[Article]) -> Iterator[ArticleAnalysis]:
        """Analyses in input order.

        Raises:
            AnnotationRejected: at the first article that is too long or runs out of budget
                (`annotate_or_reject` yields the rejection and goes on instead).
        """
        for got in self.annotate_or_reject(articles):
            if isinstance(got, Rejection):
                raise AnnotationRejected(got)
            yield got

    def annotate_or_reject(
        self, articles: Iterable[Article]
    ) -> Iterator[ArticleAnalysis | Rejection]:
        """An analysis or a `Rejection` (stage "annotate") per article, in input order."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _reject(self, article: Article, code: str, reason: str) -> Rejection:
        rejection = Rejection(
            stage="annotate",
            code=code,
            reason=reason,
            locator=article.locator,
            raw_id=article.raw_id,
        )
        self._rejected[article.id] = rejection
        while len(self._rejected) > _REMEMBERED:
            self._rejected.popitem(last=False)
        return rejection

    def pipeline_for(self, article: Article) -> Pipeline:
        """The pipeline that reads this article's language (loaded on first use)."""
        package = package_for(article.language)
        return self.pipeline if package == self.pipeline.package else shared_pipeline(package)

    def _run(self, batch: list[Article]) -> Iterator[ArticleAnalysis | Rejection]:
        pipelines = [self.pipeline_for(a) for a in batch]
        limits: dict[str, int] = {}

        def limit_of(pipeline: Pipeline) -> int:
            if pipeline.package not in limits:
                limits[pipeline.package] = pipeline.max_length
            return limits[pipeline.package]

        # Ordinary articles are parsed together (spaCy batches them, one pipeline at a time)
        # and their budget starts once the parse is there (bounded: at most CHUNK_CHARS
        # characters, defused); a long one is parsed alone, chunk by chunk, inside its budget.
        batched = [
            a.id not in self._rejected and len(a.text) <= min(limit_of(p), CHUNK_CHARS)
            for a, p in zip(batch, pipelines, strict=True)
        ]
        parsed: dict[int, Parse] = {}
        for package in dict.fromkeys(p.package for p in pipelines):
            group = [
                n
                for n, (p, b) in enumerate(zip(pipelines, batched, strict=True))
                if b and p.package == package
            ]
            if not group:
                continue
            parses = pipelines[group[0]].parse(
                (batch[n].text for n in group), batch_size=self.batch_size
            )
            parsed.update(zip(group, parses, strict=True))
        for n, article in enumerate(batch):
            parse = parsed.get(n)
            known = self._rejected.get(article.id)
            if known is not None:
                yield known
                continue
            pipeline = pipelines[n]
            n_chars = len(article.text)
            limit = limit_of(pipeline)
            if n_chars > limit:
                yield self._reject(
                    article,
                    errors.R_TOO_LONG,
                    f"the text has {n_chars:,} characters; the annotator reads at most {limit:,}",
                )
                continue
            budget = Budget(seconds=self.timeout)
            try:
                if parse is None:
                    parse = pipeline.parse_long(article.text, check=budget.check)
                result: ArticleAnalysis | Rejection = annotate_parsed(article, parse, budget=budget)
            except BudgetExceeded as exc:
                result = self._reject(
                    article,
                    errors.R_ANNOTATE_TIMEOUT,
                    f"annotation stopped after {exc.seconds:.1f} s and {exc.ops:,} rule steps "
                    f"({exc}; see Settings.annotate_timeout)",
                )
            yield result
