"""The stable Python API (see README "Python API"): `analyze`, `analyze_text`, `extract`;
`open` a stored database to read it back (stories, briefs, articles, exports) and correct it
(merge, split, regroup); `export` and `export_rows` for flat tables; `to_dict` for any record.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Literal

from newsprism import pipeline
from newsprism.errors import InputError, NotFoundError
from newsprism.export import (
    PAGE,
    ExportFormat,
    ExportKind,
    Filters,
    Row,
    check_format,
    check_kind,
    format_of,
)
from newsprism.export import rows as table_rows
from newsprism.export import write as write_rows
from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.ingest.files import read_path
from newsprism.models import (
    Article,
    ArticleAnalysis,
    Brief,
    Document,
    Feed,
    RawDocument,
    Rejection,
    Result,
    SourceHints,
    Story,
    StoryReport,
)
from newsprism.nlp import Annotator
from newsprism.pipeline import Input, run
from newsprism.render import brief_json, brief_markdown, report_html
from newsprism.serde import to_data
from newsprism.settings import Settings
from newsprism.store import Store, is_store_url, open_store

DateLike = dt.date | str

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


def as_date(value: object, name: str = "published") -> dt.date | None:
    """A `date`, `datetime` (its day) or ISO string ("2026-02-10", "2026-02-10T09:30") as a
    date; None stays None. Anything else is a TypeError naming the argument."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) > 10:  # a date and time: its day
                return dt.datetime.fromisoformat(text).date()
            return dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)") from None
    raise TypeError(
        f"{name} must be a date, a datetime or an ISO date string, not {type(value).__name__}"
    )


def extract(
    data: bytes | str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: DateLike | None = None,
) -> Article | Rejection:
    """Clean one input (HTML or plain text, bytes or str) into an Article, or say why not.

    `published` is a `date`, `datetime` or ISO string ("2026-02-10").
    """
    if not isinstance(data, str | bytes):
        raise TypeError(f"data must be str or bytes, not {type(data).__name__}")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    hints = SourceHints(url=url, outlet=outlet, title=title, published=as_date(published))
    raw = raw_from_bytes(
        payload,
        source_kind="document",
        locator=url or "<data>",
        content_type=content_type,
        hints=hints,
    )
    return extract_article(raw)


def _raw_from_file(path: Path, hints: SourceHints) -> RawDocument:
    """The one document in a file (.txt, .html, a one-record .json/.jsonl), the caller's
    hints over the file's own; a rejection or several records raise."""
    got = list(read_path(os.fspath(path)))
    if len(got) != 1:
        raise InputError(
            f"{path} holds {len(got)} documents; analyze_text reads one "
            "(use newsprism.analyze for several)"
        )
    (raw,) = got
    if isinstance(raw, Rejection):
        raise ValueError(f"{raw.code}: {raw.reason}")
    own = raw.hints
    merged = SourceHints(
        url=hints.url or own.url,
        outlet=hints.outlet or own.outlet,
        title=hints.title or own.title,
        published=hints.published or own.published,
    )
    return raw_from_bytes(
        raw.data,
        source_kind=raw.source_kind,
        locator=raw.locator,
        content_type=raw.content_type,
        hints=merged,
    )


def analyze_text(
    text: str | bytes | os.PathLike[str],
    *,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: DateLike | None = None,
) -> ArticleAnalysis:
    """Analyse one article in memory: sentences, mentions, quotes, time expressions, events.

    Args:
        text: the article as str or bytes (HTML or plain text), or a `Path` to a file
            (.txt, .html, .htm, a one-record .json/.jsonl, or those gzipped), which is read;
            a file without an outlet is labelled "unknown outlet (<file name>)".
        published: a `date`, `datetime` or ISO string ("2026-02-10").

    Raises:
        ValueError: the text was rejected (the message gives the rejection code and reason).
        TypeError: `text` or `published` is of another type.
    """
    hints = SourceHints(url=url, outlet=outlet, title=title, published=as_date(published))
    if isinstance(text, os.PathLike):
        raw = _raw_from_file(Path(text), hints)
        result: Article | Rejection = extract_article(raw)
    elif isinstance(text, str | bytes):
        result = extract(text, url=url, outlet=outlet, title=title, published=hints.published)
    else:
        raise TypeError(f"text must be str, bytes or a pathlib.Path, not {type(text).__name__}")
    if isinstance(result, Rejection):
        raise ValueError(f"{result.code}: {result.reason}")
    return next(iter(_annotator().annotate([result])))


def to_dict(record: object) -> Any:
    """Any record (Article, ArticleAnalysis, Brief, Story, Quote, ... or a tuple/list of them)
    as plain JSON-ready values: dicts, lists, text, numbers, ISO dates. `json.dumps` takes it."""
    return to_data(record)


BriefFormat = Literal["md", "json", "html"]


class Database:
    """A stored database read back (and corrected): `newsprism.open("news.db")`.

    Ids may be shortened to any unique prefix. Close it when done (or use `with`).
    """

    def __init__(self, store: Store, *, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def _id(self, prefix: str, kind: Literal["story", "article"]) -> str:
        found, full = self.store.resolve_id(prefix)
        if found != kind:
            raise NotFoundError(
                f"{prefix} is {'a story' if found == 'story' else 'an article'}, not {'a story' if kind == 'story' else 'an article'}"
            )
        return full

    # -- reading ----------------------------------------------------------------------------
    def stories(self, *, since: DateLike | None = None, limit: int | None = None) -> list[Story]:
        """Stories newest first (`since`: last dated on or after it, plus undated ones)."""
        return self.store.stories(since=as_date(since, "since"), limit=limit)

    def story(self, story_id: str) -> Story:
        return self.store.story(self._id(story_id, "story"))

    def report(self, story_id: str) -> StoryReport:
        """The story with its brief (made now if its members changed since it was stored)."""
        return pipeline.story_report(
            self.store, self._id(story_id, "story"), settings=self.settings
        )

    def brief(self, story_id: str) -> Brief:
        return self.report(story_id).brief

    def render(self, story_id: str, format: BriefFormat = "md") -> str:
        """The story's brief as Markdown, JSON or a self-contained HTML report."""
        report = self.report(story_id)
        if format == "md":
            return brief_markdown(report.brief)
        if format == "json":
            return brief_json(report.brief)
        if format == "html":
            articles = {aid: self.store.article(aid) for aid in report.article_ids}
            return report_html([report], articles, title=report.brief.title)
        raise InputError(f"unknown brief format {format!r}: md, json or html")

    def article(self, article_id: str) -> Article:
        return self.store.article(self._id(article_id, "article"))

    def analysis(self, article_id: str) -> ArticleAnalysis | None:
        """The article's quotes, mentions, events ... (None if it was never analysed)."""
        return self.store.get_analysis(self._id(article_id, "article"))

    def _filters(
        self, story: str | None, since: DateLike | None, until: DateLike | None
    ) -> Filters:
        return Filters(
            story_id=self._id(story, "story") if story is not None else None,
            since=as_date(since, "since"),
            until=as_date(until, "until"),
        )

    def articles(
        self,
        *,
        story: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
    ) -> Iterator[Article]:
        """Every stored article (or one story's; or published in a range), read page by page."""
        f = self._filters(story, since, until)
        after = ""
        while True:
            page = self.store.article_page(
                after=after, limit=PAGE, since=f.since, until=f.until, story_id=f.story_id
            )
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1].id

    def rows(
        self,
        kind: ExportKind,
        *,
        story: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
    ) -> Iterator[Row]:
        """Flat rows of one export kind (see `newsprism.export`): `pandas.DataFrame(db.rows("quotes"))`."""
        return table_rows(
            self.store,
            check_kind(kind),
            filters=self._filters(story, since, until),
            settings=self.settings,
        )

    def export(
        self,
        kind: ExportKind,
        out: str | os.PathLike[str] | IO[bytes],
        *,
        format: ExportFormat | None = None,
        story: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
    ) -> int:
        """Write one export kind to a file (path) or binary stream; how many rows."""
        items = self.rows(kind, story=story, since=since, until=until)
        if isinstance(out, str | os.PathLike):
            path = Path(out)
            fmt = check_format(format or format_of(path.name))
            with path.open("wb") as fh:
                return write_rows(items, check_kind(kind), fmt, fh)
        return write_rows(items, check_kind(kind), check_format(format or "csv"), out)

    # -- corrections (kept across regroups) ---------------------------------------------------
    def merge(self, story: str, other: str) -> Story:
        """Move every article of `other` into `story`."""
        return pipeline.merge_stories(
            self.store, self._id(story, "story"), self._id(other, "story")
        )

    def split(self, story: str, article_ids: Sequence[str]) -> Story:
        """Move some (not all) articles of `story` into a story of their own; the new story."""
        ids = [self._id(a, "article") for a in article_ids]
        return pipeline.split_story(self.store, self._id(story, "story"), ids)

    def regroup(self) -> list[str]:
        """Group every article into stories again (merges and splits kept); the story ids."""
        return pipeline.regroup(self.store, settings=self.settings)


def open_database(
    db: str | os.PathLike[str], *, settings: Settings | None = None, create: bool = False
) -> Database:
    """Open a stored database (a SQLite file or a `postgresql://` URL) to read it back.

    A file that does not exist is an error (a mistyped name must not give an empty store)
    unless `create=True`.
    """
    location = os.fspath(db)
    if (
        not create
        and not is_store_url(location)
        and location != ":memory:"
        and not Path(location).exists()
    ):
        raise NotFoundError(f"no database at {location}")
    return Database(open_store(location), settings=settings)


def export(
    kind: ExportKind,
    out: str | os.PathLike[str] | IO[bytes],
    *,
    db: str | os.PathLike[str],
    format: ExportFormat | None = None,
    story: str | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    settings: Settings | None = None,
) -> int:
    """Export articles, quotes, events, actors, stories, claims or differences from a stored
    database as CSV, JSON lines or Parquet (`format`, default from the file name, else csv);
    how many rows were written. `newsprism.export("quotes", "quotes.parquet", db="news.db")`."""
    with open_database(db, settings=settings) as database:
        return database.export(kind, out, format=format, story=story, since=since, until=until)


def export_rows(
    kind: ExportKind,
    *,
    db: str | os.PathLike[str],
    story: str | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    settings: Settings | None = None,
) -> Iterator[Row]:
    """The rows `export` writes, as dicts (streamed; the database closes when they run out)."""
    with open_database(db, settings=settings) as database:
        yield from database.rows(kind, story=story, since=since, until=until)
