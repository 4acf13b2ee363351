"""Annotation on several processes of one machine: the same results as one `Annotator`.

`AnnotatorPool(workers=N)` has the `Annotator` interface the pipeline uses
(`annotate_or_reject`). A batch of articles is cut into contiguous slices, each slice is
annotated by a worker process (each loads the English model once, in its initializer, and
another language's model on its first article in that language), and the results come back
in input order. Annotation is a pure function of the article, so the analyses are
identical to a single process's; the pipeline keeps extraction, storage and story assignment
in the driver, in the same order, so a whole run is identical too.

A worker also computes each analysis's grouping features (`stories.article_features`: terms,
actors and the multilingual embedding, which is most of their cost) and sends them back with
it; `pop_features` hands them to the pipeline, which computes them itself for any analysis
that came without (`nlp.ProvidesFeatures`). The encoder runs on one thread, so a worker's
vector is the driver's, bit for bit.

`prefetch` starts a batch on the workers before the pipeline asks for it, so the driver can
clean and store the next chunk meanwhile; the results are the ones a plain call gives (a
prefetched batch is used only when the pipeline then asks for exactly those articles).

Once the workers are up, they build the run's briefs too (`build_briefs`; `build_brief` is
pure, so the briefs are those one process builds); before that, briefs are built in the driver.

Small batches are annotated in the driver process (starting workers and loading their
models costs seconds): the pool starts only for a batch of at least `min_batch` articles.
"""

from __future__ import annotations

import multiprocessing
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from newsprism.brief import build_brief
from newsprism.models import Article, ArticleAnalysis, Brief, Features, Rejection, Story
from newsprism.stories import article_features

_WORKER: Any = None  # the worker process's Annotator
_Result = list[tuple[ArticleAnalysis, Features] | Rejection]
AHEAD = 2  # batches prefetched and not yet asked for, at most (older ones are cancelled)


def _init(batch_size: int, timeout: float | None) -> None:
    global _WORKER
    from newsprism.nlp import Annotator

    _WORKER = Annotator(batch_size=batch_size, timeout=timeout)
    _ = _WORKER.pipeline.nlp  # load the model now, not inside the first task


def _annotate(articles: list[Article]) -> _Result:
    assert _WORKER is not None
    return [
        got if isinstance(got, Rejection) else (got, article_features(got))
        for got in _WORKER.annotate_or_reject(articles)
    ]


def _brief(story: Story, analyses: Sequence[ArticleAnalysis], max_articles: int) -> Brief:
    return build_brief(story, analyses, max_articles=max_articles)


class AnnotatorPool:
    """`annotate_or_reject` on `workers` processes (see the module docstring)."""

    def __init__(
        self,
        workers: int,
        *,
        batch_size: int = 16,
        timeout: float | None = 30.0,
        min_batch: int = 32,
    ) -> None:
        from newsprism.nlp import Annotator

        self.workers = workers
        self.batch_size = batch_size
        self.timeout = timeout
        self.min_batch = min_batch
        self.local = Annotator(batch_size=batch_size, timeout=timeout)
        self._executor: ProcessPoolExecutor | None = None
        # features the workers computed, by article id, until the pipeline takes them; only
        # the current batch's (cleared when the next batch starts)
        self._features: dict[str, Features] = {}
        # batches started by `prefetch`, by their article ids, until asked for
        self._ahead: OrderedDict[tuple[str, ...], list[Future[_Result]]] = OrderedDict()
        self.prefetched = 0  # batches whose prefetched results were used

    def annotate_or_reject(
        self, articles: Iterable[Article]
    ) -> Iterator[ArticleAnalysis | Rejection]:
        batch = list(articles)
        self._features.clear()
        if self._stays_here(batch):
            yield from self.local.annotate_or_reject(batch)
            return
        futures = self._take_ahead(tuple(a.id for a in batch)) or self._submit(batch)
        for future in futures:
            for got in future.result():
                if isinstance(got, Rejection):
                    yield got
                else:
                    analysis, features = got
                    self._features[analysis.article.id] = features
                    yield analysis

    def prefetch(self, articles: Sequence[Article]) -> None:
        """Start annotating `articles` on the workers now (if `annotate_or_reject` would send
        them there); a later `annotate_or_reject` of exactly these articles takes the results."""
        batch = list(articles)
        if self._stays_here(batch):
            return
        key = tuple(a.id for a in batch)
        if key not in self._ahead:
            self._ahead[key] = self._submit(batch)
        while len(self._ahead) > AHEAD:
            for future in self._ahead.popitem(last=False)[1]:
                future.cancel()

    def _stays_here(self, batch: list[Article]) -> bool:
        """Whether a batch is annotated in this process (one worker, or a small batch)."""
        return self.workers <= 1 or len(batch) < self.min_batch

    def _take_ahead(self, key: tuple[str, ...]) -> list[Future[_Result]] | None:
        """The prefetched batch of these articles; batches prefetched before it were passed
        over (never asked for), so they are cancelled."""
        if key not in self._ahead:
            return None
        while True:
            first, futures = self._ahead.popitem(last=False)
            if first == key:
                self.prefetched += 1
                return futures
            for future in futures:
                future.cancel()

    def _submit(self, batch: list[Article]) -> list[Future[_Result]]:
        executor = self._pool()
        # Twice as many slices as workers: a slow slice does not leave a worker idle for long.
        slices = max(1, min(len(batch), 2 * self.workers))
        size = -(-len(batch) // slices)
        return [executor.submit(_annotate, batch[i : i + size]) for i in range(0, len(batch), size)]

    def pop_features(self, article_id: str) -> Features | None:
        """The grouping features a worker computed with this article's analysis, if any."""
        return self._features.pop(article_id, None)

    def build_briefs(
        self, jobs: Sequence[tuple[Story, Sequence[ArticleAnalysis]]], *, max_articles: int
    ) -> Iterator[Brief]:
        """`build_brief` of each (story, analyses), in order: on the workers if they are up
        (a run that annotated only small batches never started them), else here."""
        if self._executor is None:
            for story, analyses in jobs:
                yield build_brief(story, analyses, max_articles=max_articles)
            return
        futures = [
            self._executor.submit(_brief, story, analyses, max_articles) for story, analyses in jobs
        ]
        for future in futures:
            yield future.result()

    def annotate(self, articles: Iterable[Article]) -> Iterator[ArticleAnalysis]:
        from newsprism.nlp import AnnotationRejected

        for got in self.annotate_or_reject(articles):
            if isinstance(got, Rejection):
                raise AnnotationRejected(got)
            yield got

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn, not fork: a forked copy of a process that holds threads or open
            # connections (the store, a web server) is not safe.
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init,
                initargs=(self.batch_size, self.timeout),
            )
        return self._executor

    def close(self) -> None:
        self._ahead.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> AnnotatorPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
