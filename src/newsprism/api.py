"""The stable Python API: `analyze`, `analyze_text`, `extract` (see README "Python API")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import (
    Article,
    ArticleAnalysis,
    Document,
    Feed,
    Rejection,
    Result,
    SourceHints,
)
from newsprism.nlp import Annotator
from newsprism.pipeline import Input, run
from newsprism.settings import Settings
from newsprism.store import open_store

_ANNOTATOR: Annotator | None = None


def _annotator(
    batch_size: int = Settings().nlp_batch_size, timeout: float | None = Settings().annotate_timeout
) -> Annotator:
    # One model per process, loaded on first use: loading takes a second or two and
    # analyze_text is often called in a loop. The Annotator pickles by name, so workers
    # build their own.
    global _ANNOTATOR
    if _ANNOTATOR is None:
        _ANNOTATOR = Annotator(batch_size=batch_size, timeout=timeout)
    if _ANNOTATOR.batch_size != batch_size or _ANNOTATOR.timeout != timeout:
        return Annotator(_ANNOTATOR.pipeline, batch_size=batch_size, timeout=timeout)
    return _ANNOTATOR


def analyze(
    inputs: Sequence[Input] | Input,
    *,
    db: str | Path | None = None,
    settings: Settings | None = None,
) -> Result:
    """Run the whole job on paths (files, directories, '-') and/or `Document`s.

    Args:
        inputs: one input or a sequence of them.
        db: a SQLite file to keep the results in; None keeps them in memory only.
        settings: tunables (see `newsprism.settings`).

    Returns:
        `Result` with `.articles` (one per accepted input, in input order), `.rejections`
        (with `.index`, `.stage`, `.code`, `.reason`) and `.stories` (each with `.id`,
        `.article_ids` and `.brief`).
    """
    if isinstance(inputs, str | Path | Document | Feed):
        inputs = [inputs]
    settings = settings or Settings()
    store = open_store(db)
    try:
        return run(
            list(inputs),
            store,
            settings=settings,
            annotator=_annotator(settings.nlp_batch_size, settings.annotate_timeout),
        )
    finally:
        store.close()


def extract(
    data: bytes | str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: dt.date | None = None,
) -> Article | Rejection:
    """Clean one input (HTML or plain text, bytes or str) into an Article, or say why not."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    hints = SourceHints(url=url, outlet=outlet, title=title, published=published)
    raw = raw_from_bytes(
        payload,
        source_kind="document",
        locator=url or "<data>",
        content_type=content_type,
        hints=hints,
    )
    return extract_article(raw)


def analyze_text(
    text: str | bytes,
    *,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: dt.date | None = None,
) -> ArticleAnalysis:
    """Analyse one article in memory: sentences, mentions, quotes, time expressions, events.

    Raises:
        ValueError: the text was rejected (the message gives the rejection code and reason).
    """
    result = extract(text, url=url, outlet=outlet, title=title, published=published)
    if isinstance(result, Rejection):
        raise ValueError(f"{result.code}: {result.reason}")
    return next(iter(_annotator().annotate([result])))
