"""Flat tables out of the store: articles, quotes, events, actors, stories, claims, differences.

`rows(store, kind, ...)` yields one flat dict per row (text, integers, dates or None) with the
columns `COLUMNS[kind]` names, reading the store a page at a time (`Store.article_page`,
`Store.analysis_page`, `Store.stories(limit=, offset=)`), so an export never holds the whole
store. `write(rows, kind, format, out)` streams them as CSV or JSON lines, or writes Parquet
(pyarrow) in row groups of `PARQUET_ROWS`. Claims and differences come from each story's brief
(`pipeline.story_report`), one row per citation (long format: what each source says).

The column names match the flat SQL views where both exist (`quotes_v`, `events_v`, ...).
`newsprism.export` (the package attribute) is the Python API's function (`api.export`), not
this module: import from here by name (`from newsprism.export import rows`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal, get_args

from newsprism.errors import ConfigError, InputError
from newsprism.models import ArticleAnalysis, Brief, Story
from newsprism.settings import Settings
from newsprism.store import Store

ExportKind = Literal["articles", "quotes", "events", "actors", "stories", "claims", "differences"]
ExportFormat = Literal["csv", "jsonl", "parquet"]
KINDS: tuple[ExportKind, ...] = get_args(ExportKind)
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
MEDIA_TYPES: dict[ExportFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
PAGE = 200  # articles or stories read per query
PARQUET_ROWS = 5000  # rows per Parquet row group (what is held in memory at once)

Cell = str | int | float | dt.date | None
Row = dict[str, Cell]
ColumnType = Literal["str", "int", "date"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType = "str"


def _cols(spec: str) -> tuple[Column, ...]:
    """'id story_id published:date n:int' -> columns."""
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        out.append(Column(name, "int" if kind == "int" else "date" if kind == "date" else "str"))
    return tuple(out)


COLUMNS: dict[ExportKind, tuple[Column, ...]] = {
    "articles": _cols(
        "id story_id outlet title url published:date published_source language duplicate_of "
        "locator characters:int text"
    ),
    "quotes": _cols(
        "article_id story_id outlet published:date quote_index:int kind text speaker "
        "speaker_actor_id speaker_resolution cue venue time sentence:int span_start:int "
        "span_end:int"
    ),
    "events": _cols(
        "article_id story_id outlet published:date event_index:int actor action target level "
        "modality date text sentence:int span_start:int span_end:int"
    ),
    "actors": _cols(
        "actor_id name kind wikidata mentions:int articles:int quotes:int "
        "first_published:date last_published:date"
    ),
    "stories": _cols(
        "id label title first_date:date last_date:date article_count:int outlets actors"
    ),
    "claims": _cols(
        "story_id claim_index:int sources:int article_id outlet text span_start:int span_end:int"
    ),
    "differences": _cols(
        "story_id difference_index:int field label reason value article_id outlet text "
        "span_start:int span_end:int"
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    """Which rows: one story's (`story_id`), and/or a date range (inclusive). Articles and what
    they carry are kept by published date (undated ones drop out of a range); stories, claims
    and differences by the story's dates overlapping the range."""

    story_id: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def check_kind(kind: str) -> ExportKind:
    for known in KINDS:
        if kind == known:
            return known
    raise InputError(f"cannot export {kind!r}: choose one of {', '.join(KINDS)}")


def check_format(fmt: str) -> ExportFormat:
    for known in FORMATS:
        if fmt == known:
            return known
    raise InputError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")


def rows(
    store: Store,
    kind: ExportKind,
    *,
    filters: Filters = Filters(),
    settings: Settings | None = None,
) -> Iterator[Row]:
    """The rows of one export kind, streamed from the store (see the module docstring)."""
    check_kind(kind)
    settings = settings or Settings()
    if kind == "articles":
        return _articles(store, filters)
    if kind == "quotes":
        return _quotes(store, filters)
    if kind == "events":
        return _events(store, filters)
    if kind == "actors":
        return _actors(store, filters)
    if kind == "stories":
        return _stories(store, filters)
    if kind == "claims":
        return _claims(store, filters, settings)
    return _differences(store, filters, settings)


# -- rows per kind ---------------------------------------------------------------------------
def _analyses(store: Store, f: Filters) -> Iterator[ArticleAnalysis]:
    after = ""
    while True:
        page = store.analysis_page(
            after=after, limit=PAGE, since=f.since, until=f.until, story_id=f.story_id
        )
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1].article.id


def _articles(store: Store, f: Filters) -> Iterator[Row]:
    after = ""
    while True:
        page = store.article_page(
            after=after, limit=PAGE, since=f.since, until=f.until, story_id=f.story_id
        )
        for a in page:
            yield {
                "id": a.id,
                "story_id": store.story_of(a.id),
                "outlet": a.label,
                "title": a.title,
                "url": a.url,
                "published": a.published,
                "published_source": a.published_source,
                "language": a.language,
                "duplicate_of": a.duplicate_of,
                "locator": a.locator,
                "characters": len(a.text),
                "text": a.text,
            }
        if len(page) < PAGE:
            return
        after = page[-1].id


def _about(store: Store, analysis: ArticleAnalysis) -> Row:
    a = analysis.article
    return {
        "article_id": a.id,
        "story_id": store.story_of(a.id),
        "outlet": a.label,
        "published": a.published,
    }


def _quotes(store: Store, f: Filters) -> Iterator[Row]:
    for analysis in _analyses(store, f):
        about = _about(store, analysis)
        for i, q in enumerate(analysis.quotes):
            yield {
                **about,
                "quote_index": i,
                "kind": q.kind,
                "text": q.text,
                "speaker": q.speaker.name if q.speaker else None,
                "speaker_actor_id": q.speaker.actor_id if q.speaker else None,
                "speaker_resolution": q.speaker.resolution if q.speaker else None,
                "cue": q.cue,
                "venue": q.venue,
                "time": q.time,
                "sentence": q.sentence,
                "span_start": q.span.start,
                "span_end": q.span.end,
            }


def _events(store: Store, f: Filters) -> Iterator[Row]:
    for analysis in _analyses(store, f):
        about = _about(store, analysis)
        for i, e in enumerate(analysis.events):
            yield {
                **about,
                "event_index": i,
                "actor": e.actor,
                "action": e.action,
                "target": e.target,
                "level": e.level,
                "modality": e.modality,
                "date": e.date,
                "text": e.text,
                "sentence": e.sentence,
                "span_start": e.span.start,
                "span_end": e.span.end,
            }


def _actors(store: Store, f: Filters) -> Iterator[Row]:
    # One entry per actor (not per article): memory grows with the actors named, not the store.
    table: dict[str, dict[str, Any]] = {}
    for analysis in _analyses(store, f):
        day = analysis.article.published
        names = {a.id: a for a in analysis.actors}
        seen: set[str] = set()
        for m in analysis.mentions:
            entry = table.get(m.actor_id)
            if entry is None:
                known = names.get(m.actor_id)
                entry = table[m.actor_id] = {
                    "actor_id": m.actor_id,
                    "name": m.actor_name,
                    "kind": m.kind,
                    "wikidata": known.wikidata if known else None,
                    "mentions": 0,
                    "articles": 0,
                    "quotes": 0,
                    "first_published": None,
                    "last_published": None,
                }
            entry["mentions"] += 1
            if m.actor_id not in seen:
                seen.add(m.actor_id)
                entry["articles"] += 1
                if day is not None:
                    first, last = entry["first_published"], entry["last_published"]
                    entry["first_published"] = day if first is None else min(first, day)
                    entry["last_published"] = day if last is None else max(last, day)
        for q in analysis.quotes:
            if q.speaker and q.speaker.actor_id in table:
                table[q.speaker.actor_id]["quotes"] += 1
    for entry in sorted(table.values(), key=lambda e: (-e["mentions"], e["name"], e["actor_id"])):
        yield dict(entry)


def _in_range(story: Story, f: Filters) -> bool:
    if f.since is not None and (story.last_date is None or story.last_date < f.since):
        return False
    return not (f.until is not None and (story.first_date is None or story.first_date > f.until))


def _story_list(store: Store, f: Filters) -> Iterator[Story]:
    if f.story_id is not None:
        story = store.story(f.story_id)
        if _in_range(story, f):
            yield story
        return
    offset = 0
    while True:
        page = store.stories(since=f.since, limit=PAGE, offset=offset)
        yield from (s for s in page if _in_range(s, f))
        if len(page) < PAGE:
            return
        offset += len(page)


def _stories(store: Store, f: Filters) -> Iterator[Row]:
    from newsprism.pipeline import story_digest

    for story in _story_list(store, f):
        digest = story_digest(store, story)
        yield {
            "id": story.id,
            "label": story.label,
            "title": digest.title or story.label,
            "first_date": story.first_date,
            "last_date": story.last_date,
            "article_count": len(story.article_ids),
            "outlets": "; ".join(name for name, _ in digest.outlets),
            "actors": "; ".join(name for name, _ in digest.actors[:10]),
        }


def _briefs(store: Store, f: Filters, settings: Settings) -> Iterator[Brief]:
    from newsprism.pipeline import story_report

    for story in _story_list(store, f):
        if story.article_ids:
            yield story_report(store, story.id, settings=settings).brief


def _claims(store: Store, f: Filters, settings: Settings) -> Iterator[Row]:
    for brief in _briefs(store, f, settings):
        labels = {s.article_id: s.label for s in brief.sources}
        for i, claim in enumerate(brief.claims):
            for c in claim.citations:
                yield {
                    "story_id": brief.story_id,
                    "claim_index": i,
                    "sources": len(claim.article_ids),
                    "article_id": c.article_id,
                    "outlet": labels.get(c.article_id),
                    "text": c.text,
                    "span_start": c.span.start,
                    "span_end": c.span.end,
                }


def _differences(store: Store, f: Filters, settings: Settings) -> Iterator[Row]:
    for brief in _briefs(store, f, settings):
        labels = {s.article_id: s.label for s in brief.sources}
        for i, d in enumerate(brief.differences):
            # values and citations go together by position when there are as many of each
            paired = len(d.values) == len(d.citations)
            for k, c in enumerate(d.citations):
                yield {
                    "story_id": brief.story_id,
                    "difference_index": i,
                    "field": d.field,
                    "label": d.label,
                    "reason": d.reason,
                    "value": d.values[k] if paired else " · ".join(d.values),
                    "article_id": c.article_id,
                    "outlet": labels.get(c.article_id),
                    "text": c.text,
                    "span_start": c.span.start,
                    "span_end": c.span.end,
                }


# -- writers ------------------------------------------------------------------------------------
def _text(value: Cell) -> Cell:
    return value.isoformat() if isinstance(value, dt.date) else value


def encode(items: Iterable[Row], kind: ExportKind, fmt: ExportFormat) -> Iterator[bytes]:
    """CSV (a header, then a line per row) or JSON lines, one chunk of bytes per row."""
    names = [c.name for c in COLUMNS[kind]]
    if fmt == "jsonl":
        for row in items:
            line = json.dumps({n: _text(row.get(n)) for n in names}, ensure_ascii=False)
            yield (line + "\n").encode("utf-8")
        return
    if fmt != "csv":
        raise InputError(f"{fmt} is not a streamed format (csv or jsonl)")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in items:
        writer.writerow(["" if row.get(n) is None else _text(row.get(n)) for n in names])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # the header of an export without rows
        yield buffer.getvalue().encode("utf-8")


def _schema(kind: ExportKind) -> Any:
    try:
        import pyarrow as pa
    except ImportError as exc:
        raise ConfigError(
            "Parquet output needs pyarrow: pip install 'newsprism[batch]' (or pyarrow)"
        ) from exc
    types = {"str": pa.string(), "int": pa.int64(), "date": pa.date32()}
    return pa.schema([(c.name, types[c.type]) for c in COLUMNS[kind]])


def write_parquet(items: Iterable[Row], kind: ExportKind, out: IO[bytes]) -> int:
    """Write the rows as one Parquet file to `out`, a row group at a time; how many rows."""
    schema = _schema(kind)
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = [c.name for c in COLUMNS[kind]]
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[Row] = []

        def flush() -> None:
            columns = {n: [row.get(n) for row in batch] for n in names}
            writer.write_table(pa.table(columns, schema=schema))
            batch.clear()

        for row in items:
            batch.append(row)
            count += 1
            if len(batch) >= PARQUET_ROWS:
                flush()
        if batch or count == 0:
            flush()
    return count


def write(items: Iterable[Row], kind: ExportKind, fmt: ExportFormat, out: IO[bytes]) -> int:
    """Write the rows in `fmt` to the binary stream `out`; how many rows were written."""
    if fmt == "parquet":
        return write_parquet(items, kind, out)
    count = 0

    def counted() -> Iterator[Row]:
        nonlocal count
        for row in items:
            count += 1
            yield row

    for chunk in encode(counted(), kind, fmt):
        out.write(chunk)
    return count


def format_of(name: str, default: ExportFormat = "csv") -> ExportFormat:
    """The format a file name asks for by its suffix (.csv, .jsonl/.ndjson, .parquet)."""
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith((".parquet", ".pq")):
        return "parquet"
    if lower.endswith(".csv"):
        return "csv"
    return default
