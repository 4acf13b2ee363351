"""Backfills on Dask distributed: a thin driver over the same stage functions.

`run_batch(inputs, store, client=...)`:
1. The driver reads the inputs lazily (files, directories, JSONL, WARC such as CC-NEWS) into
   partitions of raw documents, storing each raw document first.
2. Workers run `process_partition`: extract, then annotate the partition's articles in one
   batch. Each worker process loads the model once (`newsprism.api`'s per-process annotator).
   A task whose worker dies is retried on another (`retries`); ids are content hashes, so
   nothing doubles. At most `in_flight` partitions are out at a time, so the driver's memory
   stays flat whatever the corpus size.
3. Results are spilled, as they arrive, to a temporary SQLite file keyed by (published, id).
4. The driver then stores the spilled results in (published, id) order: near-duplicate
   marking, then articles and analyses, so "the first copy" is the oldest, whatever order the
   partitions finished in.
5. Story grouping runs once over everything new, sorted by (published, id) (see
   `pipeline.group_stories`): the same corpus in any input order or partitioning gives the
   same stories. Each touched story gets its brief once.
Optionally the analyses also go to Parquet (`parquet_dir`): articles, mentions, quotes and
events as flat tables, one file per table.
"""

from __future__ import annotations

import datetime as dt
import pickle
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newsprism.dedup import band_keys
from newsprism.extract import extract_article
from newsprism.models import Article, ArticleAnalysis, RawDocument, Rejection
from newsprism.pipeline import (
    Input,
    Progress,
    _no_progress,
    _Reader,
    annotate_safely,
    group_stories,
    mark_copy,
    registered_outlet,
    story_reports,
    unexpected,
)
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.stories import StoryIndex, article_features

Outcome = tuple[Article, ArticleAnalysis] | Rejection


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchResult:
    """What a backfill did: counts, the stories it touched, its rejections."""

    accepted: int
    rejected: int
    partitions: int
    stories: tuple[str, ...]
    rejections: tuple[Rejection, ...]


def process_partition(raws: Sequence[RawDocument], settings: Settings) -> list[Outcome]:
    """Extract and annotate one partition (runs on a worker; pure but for the model).

    Returns, per raw document, the article with its analysis, or a rejection.
    """
    from newsprism.api import _annotator

    out: list[Outcome] = []
    articles: list[Article] = []
    for raw in raws:
        try:
            got = extract_article(raw, settings=settings)
        except Exception as exc:  # one bad item never stops the partition
            got = unexpected("extract", exc, locator=raw.locator, raw_id=raw.id)
        if isinstance(got, Rejection):
            out.append(got)
        else:
            articles.append(got)
    rejections: list[Rejection] = []
    annotator = _annotator(settings.nlp_batch_size, settings.annotate_timeout)
    for analysis in annotate_safely(annotator, articles, rejections):
        out.append((analysis.article, analysis))
    out.extend(rejections)
    return out


def run_batch(
    inputs: Sequence[Input],
    store: Store,
    *,
    client: Any,
    settings: Settings = Settings(),
    partition_size: int = 32,
    in_flight: int | None = None,
    retries: int = 3,
    parquet_dir: Path | None = None,
    progress: Progress = _no_progress,
    outlet: str | None = None,
    process: Callable[[Sequence[RawDocument], Settings], list[Outcome]] = process_partition,
) -> BatchResult:
    """Backfill `inputs` into `store` with the Dask `client`'s workers (see the module docstring)."""
    from distributed import as_completed

    run_id = store.begin_run("batch")
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    limit = in_flight or 2 * workers
    rejections: list[Rejection] = []
    partitions = 0
    with tempfile.TemporaryDirectory(prefix="newsprism-batch-") as spill_dir:
        spill = _Spill(Path(spill_dir) / "spill.db")
        pending = as_completed()
        running = 0
        done_partitions = 0
        raws_of = _partitions(inputs, store, settings, partition_size, rejections, run_id, outlet)
        for raws in raws_of:
            pending.add(client.submit(process, raws, settings, retries=retries, pure=False))
            partitions += 1
            running += 1
            while running >= limit:
                spill.add(next(pending).result())
                running -= 1
                done_partitions += 1
                progress("annotate", done_partitions, partitions)
        for future in pending:
            spill.add(future.result())
            done_partitions += 1
            progress("annotate", done_partitions, partitions)
        articles, failed = _store_sorted(spill, store, settings, progress)
        spill.close()
    for rejection in failed:
        store.put_rejection(rejection, run_id=run_id)
    rejections += failed
    index = StoryIndex(settings)
    touched: dict[str, None] = {}
    ordered = sorted(articles, key=lambda a: (a.published or dt.date.max, a.id))
    for start in range(0, len(ordered), settings.chunk_size):
        progress("stories", min(start + settings.chunk_size, len(ordered)), len(ordered))
        chunk = ordered[start : start + settings.chunk_size]
        for sid in group_stories(chunk, store, settings=settings, index=index):
            touched.setdefault(sid)
    for _ in story_reports(list(touched), store, settings=settings, progress=progress):
        pass
    if parquet_dir is not None:
        write_parquet(store, [a.id for a in articles], parquet_dir)
    store.end_run(run_id, accepted=len(articles), rejected=len(rejections))
    return BatchResult(
        accepted=len(articles),
        rejected=len(rejections),
        partitions=partitions,
        stories=tuple(touched),
        rejections=tuple(rejections),
    )


def _partitions(
    inputs: Sequence[Input],
    store: Store,
    settings: Settings,
    size: int,
    rejections: list[Rejection],
    run_id: int,
    outlet: str | None,
) -> Iterator[list[RawDocument]]:
    """Raw documents in partitions of `size`, each stored before it is sent out."""
    reader = _Reader(settings, store, outlet)
    batch: list[RawDocument] = []
    try:
        for item in reader.read(inputs):
            if item.rejection is not None:
                store.put_rejection(item.rejection, run_id=run_id)
                rejections.append(item.rejection)
                continue
            assert item.raw is not None
            store.put_raw(item.raw)
            batch.append(item.raw)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch
    finally:
        reader.close()


class _Spill:
    """Partition results on disk, read back in (published, id) order."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE TABLE outcomes (published TEXT, id TEXT, rejected INTEGER, data BLOB, "
            "PRIMARY KEY (published, id))"
        )

    def add(self, outcomes: list[Outcome]) -> None:
        rows = []
        for got in outcomes:
            if isinstance(got, Rejection):
                rows.append(("", f"{got.raw_id}|{got.code}|{got.locator}", 1, pickle.dumps(got)))
            else:
                article = got[0]
                day = article.published.isoformat() if article.published else "9999-99-99"
                rows.append((day, article.id, 0, pickle.dumps(got)))
        self.db.executemany("INSERT OR IGNORE INTO outcomes VALUES (?, ?, ?, ?)", rows)
        self.db.commit()

    def ordered(self) -> Iterator[Outcome]:
        for (data,) in self.db.execute("SELECT data FROM outcomes ORDER BY published, id"):
            got: Outcome = pickle.loads(data)
            yield got

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0])

    def close(self) -> None:
        self.db.close()


def _store_sorted(
    spill: _Spill, store: Store, settings: Settings, progress: Progress
) -> tuple[list[Article], list[Rejection]]:
    """Store the spilled outcomes oldest first: duplicates marked, then articles and analyses."""
    articles: list[Article] = []
    rejections: list[Rejection] = []
    total = spill.count()
    for n, got in enumerate(spill.ordered(), start=1):
        progress("store", n, total)
        if isinstance(got, Rejection):
            rejections.append(got)
            continue
        article, analysis = got
        existing = store.get_article(article.id)
        if existing is None:
            if store.outlet_for_url(article.url) is not None:  # registered: was it named?
                raw = store.get_raw(article.raw_id)
                named = raw.hints.outlet if raw is not None else None
                article = registered_outlet(article, store, named=named)
            article, sig = mark_copy(article, store, settings)
            analysis = replace(analysis, article=article)
            with store.transaction():
                store.put_article(article)
                if sig is not None:
                    store.put_signature(article.id, sig, band_keys(sig))
                store.put_analyses([(analysis, article_features(analysis))])
        else:
            article = existing
            if store.get_analysis(article.id) is None:  # a point lookup, not every id
                analysis = replace(analysis, article=article)
                store.put_analyses([(analysis, article_features(analysis))])
        articles.append(article)
    return articles, rejections


def write_parquet(store: Store, article_ids: Sequence[str], directory: Path) -> dict[str, Path]:
    """Flat tables of the analyses (articles, mentions, quotes, events) as Parquet files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[dict[str, Any]]] = {
        "articles": [],
        "mentions": [],
        "quotes": [],
        "events": [],
    }
    for aid in article_ids:
        analysis = store.get_analysis(aid)
        if analysis is None:
            continue
        a = analysis.article
        tables["articles"].append(
            {
                "article_id": a.id,
                "outlet": a.label,
                "title": a.title,
                "url": a.url,
                "published": a.published,
                "language": a.language,
                "duplicate_of": a.duplicate_of,
                "story_id": store.story_of(a.id),
                "text": a.text,
            }
        )
        for m in analysis.mentions:
            tables["mentions"].append(
                {
                    "article_id": a.id,
                    "actor": m.actor_name,
                    "text": m.text,
                    "start": m.span.start,
                    "end": m.span.end,
                }
            )
        for q in analysis.quotes:
            tables["quotes"].append(
                {
                    "article_id": a.id,
                    "kind": q.kind,
                    "speaker": q.speaker.name if q.speaker else None,
                    "text": q.text,
                    "cue": q.cue,
                    "venue": q.venue,
                    "start": q.span.start,
                    "end": q.span.end,
                }
            )
        for e in analysis.events:
            tables["events"].append(
                {
                    "article_id": a.id,
                    "actor": e.actor,
                    "action": e.action,
                    "target": e.target,
                    "level": e.level,
                    "modality": e.modality,
                    "date": e.date,
                    "start": e.span.start,
                    "end": e.span.end,
                }
            )
    written = {}
    for name, rows in tables.items():
        path = directory / f"{name}.parquet"
        pq.write_table(pa.Table.from_pylist(rows), path)
        written[name] = path
    return written
