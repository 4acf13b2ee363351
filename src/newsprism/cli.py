"""The command line: thin over the pipeline and the store; errors become one-line messages.

Exit codes: 0 all inputs accepted, 1 some rejected, 2 usage or configuration error,
3 nearly everything failed (no input accepted, or at least 90% of ten or more rejected).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Column, Table

from newsprism import __version__, pipeline
from newsprism.errors import NewsprismError
from newsprism.models import Article, Event, Feed, Result, StoryReport, language_name
from newsprism.pipeline import Input, run, story_report
from newsprism.render import brief_json, brief_markdown, report_html
from newsprism.serde import to_data
from newsprism.settings import Settings
from newsprism.store import Store, is_store_url, open_store
from newsprism.stories import StoryIndex

app = typer.Typer(
    name="newsprism",
    help="Turn many outlets' coverage of a story into one sourced picture.\n\n"
    "Example: newsprism analyze examples/ --format md",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        help="The store: a SQLite file, or a PostgreSQL URL (postgresql://user@host/db).",
        envvar="NEWSPRISM_DB",
    ),
]
DEFAULT_DB = "newsprism.db"


class Format(StrEnum):
    md = "md"
    json = "json"
    html = "html"


def _table(*columns: str) -> Table:
    """A table whose first column (an id) is never wrapped or cut: people copy it."""
    table = Table(*columns[1:])
    table.columns.insert(0, Column(columns[0], no_wrap=True, min_width=16, overflow="ignore"))
    return table


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


def _open(db: str, *, must_exist: bool = False) -> Store:
    if must_exist and not is_store_url(db) and not Path(db).exists():
        raise _fail(f"no database at {db} (run `newsprism ingest PATH --db {db}` first)")
    try:
        return open_store(db)
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc


def _exit_code(result: Result) -> int:
    return _code(result.accepted, result.rejected)


def _code(accepted: int, rejected: int) -> int:
    """0 all accepted, 1 some rejected, 3 nearly everything failed (see the README)."""
    total = accepted + rejected
    if rejected == 0:
        return 0
    if accepted == 0 or (total >= 10 and rejected / total >= 0.9):
        return 3
    return 1


def _run_with_progress(
    inputs: Sequence[Input],
    store: Store,
    command: str,
    *,
    settings: Settings = Settings(),
    outlet: str | None = None,
    collect: bool = True,
    workers: int = 1,
) -> Result:
    stages = {
        "extract": "Reading and cleaning",
        "annotate": "Analysing",
        "stories": "Grouping",
        "brief": "Writing briefs",
    }
    with _bars(stages) as report:
        if not err.is_terminal:
            err.print(f"Analysing {len(inputs)} input(s)…")
        return run(
            inputs,
            store,
            settings=settings,
            progress=report,
            command=command,
            outlet=outlet,
            collect=collect,
            workers=workers,
        )


@contextmanager
def _bars(stages: dict[str, str]) -> Iterator[Callable[[str, int, int], None]]:
    """One progress bar per pipeline stage on stderr (silent when it is not a terminal);
    yields the `progress(stage, done, total)` callback the pipeline calls."""
    with Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stages.get(stage, stage), total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield report


def _print_rejections(result: Result) -> None:
    for r in result.rejections:
        err.print(
            f"[yellow]rejected[/] {escape(r.locator or '#' + str(r.index))}: {escape(r.reason)} "
            f"[dim]({escape(r.code)})[/]"
        )


def _summary(result: Result) -> None:
    err.print(
        f"[green]{result.accepted} article(s) accepted[/], "
        f"{result.rejected} rejected, {result.touched} story(ies)."
    )
    basic = Counter(
        language_name(a.language) for a in result.articles if a.analysis_level == "basic"
    )
    if basic:
        langs = ", ".join(f"{name} {n}" for name, n in sorted(basic.items()))
        err.print(
            f"[yellow]{sum(basic.values())} article(s) got basic analysis[/] ({langs}): "
            "sentences, quotes and dates only; no entities or events in those languages."
        )


def _level(a: Article) -> str:
    """ "full" or "basic (German)": how deeply the article's language is analysed."""
    return "full" if a.analysis_level == "full" else f"basic ({language_name(a.language)})"


def _inputs(paths: list[str], feeds: list[str] | None = None) -> list[Input]:
    return [*paths, *(Feed(f) for f in feeds or ())]


AllowPrivate = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Fetch URLs on loopback, private, link-local and metadata addresses "
        "(refused by default).",
    ),
]
AllowHost = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-host",
        help="An address or CIDR network fetched although private (repeatable).",
        metavar="ADDR",
    ),
]
WorkersOption = Annotated[
    int,
    typer.Option(
        "--workers",
        min=1,
        help="Processes that annotate (default: the number of cores); the result is the same "
        "for any number. Small runs stay in one process.",
    ),
]
DEFAULT_WORKERS = max(1, os.cpu_count() or 1)
OutletOption = Annotated[
    str | None,
    typer.Option("--outlet", help="The outlet of inputs that do not name their own."),
]


def _settings(allow_private: bool = False, allow_host: list[str] | None = None) -> Settings:
    return Settings(allow_private=allow_private, allow_hosts=tuple(allow_host or ()))


@app.command()
def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, directories, URLs, .warc[.gz] archives or '-' for stdin."),
    ],
    db: DbOption = DEFAULT_DB,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format of the briefs.")
    ] = Format.md,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write an HTML report here.")
    ] = None,
    outlet: OutletOption = None,
    allow_private: AllowPrivate = False,
    allow_host: AllowHost = None,
    workers: WorkersOption = DEFAULT_WORKERS,
) -> None:
    """Ingest, analyse, group and brief in one go; print each story's brief.

    Example: newsprism analyze ../shared/seeds/*.txt --format md
    """
    store = _open(db)
    try:
        settings = _settings(allow_private, allow_host)
        result = _run_with_progress(
            _inputs(paths), store, "analyze", settings=settings, outlet=outlet, workers=workers
        )
        articles = {a.id: a for a in result.articles}
        if format is Format.md:
            for story in result.stories:
                out.print(brief_markdown(story.brief), markup=False)
        elif format is Format.json:
            out.print(
                json.dumps(
                    [to_data(s.brief) for s in result.stories], ensure_ascii=False, indent=2
                ),
                markup=False,
            )
        else:
            out.print(report_html(result.stories, articles), markup=False)
        if report is not None:
            report.parent.mkdir(parents=True, exist_ok=True)
            report.write_text(report_html(result.stories, articles), encoding="utf-8")
        _print_rejections(result)
        _summary(result)
        if report is not None:
            err.print(f"HTML report: {report.resolve()}  (open it in a browser)")
        err.print(f"Database: {db}  — try `newsprism stories --db {db}`")
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    raise typer.Exit(_exit_code(result))


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, directories, URLs, .warc[.gz] archives or '-' for stdin."),
    ] = None,
    feed: Annotated[
        list[str] | None,
        typer.Option("--feed", help="An RSS/Atom feed (URL or file); repeatable.", metavar="FEED"),
    ] = None,
    db: DbOption = DEFAULT_DB,
    outlet: OutletOption = None,
    allow_private: AllowPrivate = False,
    allow_host: AllowHost = None,
    workers: WorkersOption = DEFAULT_WORKERS,
) -> None:
    """Add articles to the database: clean, analyse and group them into stories.

    Example: newsprism ingest examples/ https://example.org/news/story.html --db news.db

    Example: newsprism ingest --feed https://example.org/rss.xml --db news.db
    """
    if not paths and not feed:
        raise _fail("give at least one path, URL or --feed (see `newsprism ingest --help`)")
    store = _open(db)
    try:
        settings = _settings(allow_private, allow_host)
        result = _run_with_progress(
            _inputs(paths or [], feed),
            store,
            "ingest",
            settings=settings,
            outlet=outlet,
            collect=False,  # a backfill's articles are not all held in memory
            workers=workers,
        )
        table = _table("article", "outlet", "published", "analysis", "title", "story")
        for a in result.articles:
            table.add_row(
                a.id, a.label, _date(a), _level(a), (a.title or "")[:60], store.story_of(a.id) or ""
            )
        if result.articles:
            out.print(table)
        _print_rejections(result)
        _summary(result)
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    raise typer.Exit(_exit_code(result))


_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def parse_interval(text: str) -> float:
    """'90s', '15m', '2h', '1d' or plain seconds -> seconds."""
    match = _INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise typer.BadParameter(f"'{text}' is not an interval like 30s, 15m, 2h or 1d")
    scale = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    return float(match.group(1)) * scale


def _read_feed_list(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read the feed list {path}: {exc}") from exc
    feeds = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not feeds:
        raise _fail(f"{path} lists no feeds (one URL or file per line, # for comments)")
    return feeds


@app.command()
def watch(
    feeds_file: Annotated[
        Path, typer.Argument(help="A text file: one feed URL or file per line, # comments.")
    ],
    every: Annotated[
        str, typer.Option("--every", help="Time between polls: 30s, 15m, 2h, 1d.")
    ] = "15m",
    polls: Annotated[
        int, typer.Option("--polls", help="Stop after this many polls (0: run until Ctrl-C).")
    ] = 0,
    db: DbOption = DEFAULT_DB,
    allow_private: AllowPrivate = False,
    allow_host: AllowHost = None,
) -> None:
    """Poll feeds and ingest only what is new (ETag/Last-Modified and seen entry ids).

    A feed that is down or malformed is reported and retried at the next poll; the others go on.

    Example: newsprism watch feeds.txt --every 15m --db news.db
    """
    interval = parse_interval(every)
    feeds = _read_feed_list(feeds_file)
    settings = _settings(allow_private, allow_host)
    store = _open(db)
    index = StoryIndex(settings)  # the active stories, kept between polls (synced each time)
    done = 0
    try:
        while True:
            done += 1
            result = run(
                [Feed(f) for f in feeds], store, settings=settings, command="watch", index=index
            )
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            err.print(
                f"[bold]poll {done}[/] {stamp}: {len(result.articles)} new article(s), "
                f"{len(result.rejections)} rejected, {len(result.stories)} story(ies) updated"
            )
            _print_rejections(result)
            if polls and done >= polls:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        err.print("stopped")
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


def _date(a: Article) -> str:
    if a.published is None:
        return "undated"
    return f"{a.published.isoformat()} ({a.published_source})"


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="Show at most this many stories.")] = 50,
) -> None:
    """List stories, newest first, with their outlets and dates.

    Example: newsprism stories --db news.db
    """
    store = _open(db, must_exist=True)
    try:
        table = _table("story", "dates", "articles", "label")
        for s in store.stories(limit=limit):
            dates = f"{s.first_date or '?'} – {s.last_date or '?'}"
            table.add_row(s.id, dates, str(len(s.article_ids)), s.label)
        out.print(table)
    finally:
        store.close()


@app.command()
def show(
    item: Annotated[str, typer.Argument(help="A story or article id (or a unique prefix).")],
    db: DbOption = DEFAULT_DB,
    removed: Annotated[
        bool, typer.Option("--removed", help="Articles: show removed boilerplate.")
    ] = False,
    quotes: Annotated[bool, typer.Option("--quotes", help="Show quotes with speakers.")] = False,
    timeline: Annotated[
        bool, typer.Option("--timeline", help="Stories: show the dated timeline.")
    ] = False,
) -> None:
    """Show a story (its articles) or an article (clean text, quotes, removed lines).

    Example: newsprism show s36973180c14 --timeline
    """
    store = _open(db, must_exist=True)
    try:
        kind, full_id = store.resolve_id(item)
        if kind == "story":
            _show_story(store, full_id, quotes=quotes, timeline=timeline)
        else:
            _show_article(store, full_id, removed=removed, quotes=quotes)
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


def _show_story(store: Store, story_id: str, *, quotes: bool, timeline: bool) -> None:
    report: StoryReport = story_report(store, story_id, settings=Settings())
    out.print(f"[bold]{report.brief.title}[/]\nstory {report.id} · {report.label}")
    table = _table("article", "outlet", "published", "analysis", "title")
    for aid in report.article_ids:
        a = store.article(aid)
        table.add_row(a.id, a.label, _date(a), _level(a), (a.title or "")[:70])
    out.print(table)
    if timeline:
        section = next((s for s in report.brief.sections if s.title == "Timeline"), None)
        out.print("[bold]Timeline[/]")
        for s in section.sentences if section else ():
            sources = ", ".join(sorted({store.article(c.article_id).label for c in s.citations}))
            out.print(f"  {escape(s.text)}  [dim]— {escape(sources)}[/]")
        events = [
            (store.article(aid).label, e)
            for aid in report.article_ids
            if (analysis := store.get_analysis(aid)) is not None
            for e in analysis.events
        ]
        dated = sorted(((e.date, label, e) for label, e in events if e.date), key=lambda x: x[:2])
        if dated:
            out.print("[bold]Dated events[/]")
        for date, label, e in dated:
            out.print(f"  {date}: {escape(_event_line(e))} [dim]— {escape(label)}[/]")
        undated = [(label, e) for label, e in events if not e.date]
        if undated:
            out.print("[bold]Undated events[/] [dim](never given a made-up date)[/]")
        for label, e in undated:
            out.print(f"  {escape(_event_line(e))} [dim]— {escape(label)}[/]")
    if quotes:
        labels = {aid: store.article(aid).label for aid in report.article_ids}
        if report.brief.quote_groups:
            out.print("[bold]Same statement in several outlets[/]")
        for group in report.brief.quote_groups:
            out.print(f"  {escape(group.speaker or 'unknown speaker')}:")
            for ref in group.members:
                out.print(
                    f"    \\[{ref.kind}] “{escape(ref.text)}” [dim]— {escape(labels[ref.article_id])}[/]"
                )
            for d in group.differences:
                out.print(
                    f"    [dim]{escape(labels[d.article_id])} has[/] “{escape(d.other) or '—'}” "
                    f"[dim]where the first has[/] “{escape(d.first) or '—'}”"
                )
        for aid in report.article_ids:
            _print_quotes(store, aid)


def _event_line(e: Event) -> str:
    target = f" → {e.target}" if e.target else ""
    details = ", ".join(x for x in (e.level, e.modality) if x)
    return f"{e.actor} {e.action}{target} ({details})"


def _print_quotes(store: Store, article_id: str) -> None:
    analysis = store.get_analysis(article_id)
    if analysis is None:
        return
    out.print(f"[bold]Quotes in {analysis.article.label}[/]")
    for q in analysis.quotes:
        who = f"{q.speaker.name} ({q.speaker.resolution})" if q.speaker else "unknown speaker"
        extra = " · ".join(x for x in (q.cue, q.venue, q.time) if x)
        out.print(
            f"  {escape(f'[{q.kind}]')} {escape(who)}: “{escape(q.text)}”"
            + (f" [dim]{escape(extra)}[/]" if extra else "")
        )


def _show_article(store: Store, article_id: str, *, removed: bool, quotes: bool) -> None:
    a = store.article(article_id)
    out.print(f"[bold]{a.title or '(no title)'}[/]")
    out.print(f"{a.label} · {_date(a)} · language {a.language} · article {a.id}", markup=False)
    if a.analysis_level == "basic":
        out.print(
            f"[yellow]basic analysis: {language_name(a.language)}[/] (sentences, quotes by "
            "punctuation, dates; no entities, events or speakers beyond a name next to a quote)"
        )
    if a.url:
        out.print(a.url, markup=False)
    if a.duplicate is not None:
        out.print(
            f"[yellow]{a.duplicate.kind} copy[/] of article {a.duplicate.original_id} "
            f"(similarity {a.duplicate.similarity:.2f}): not counted as a separate source"
        )
    for line in a.foreign_lines:
        out.print(
            f"[dim]{line.span.start}-{line.span.end} is in language {line.language}[/]: "
            + escape(a.text[line.span.start : line.span.end][:80])
        )
    out.print(a.text, markup=False)
    if removed:
        out.print("[bold]Removed before analysis[/]")
        for r in a.removed:
            out.print(
                f"  {r.span.start}-{r.span.end} [yellow]{escape(r.reason)}[/]: {escape(r.text[:100])}",
                markup=True,
            )
        for p in a.embedded_posts:
            out.print(
                f"  embedded post by {p.author} (@{p.handle}) {p.date}: {p.text[:100]}",
                markup=False,
            )
    if quotes:
        _print_quotes(store, a.id)


@app.command()
def brief(
    story: Annotated[str, typer.Argument(help="A story id (or a unique prefix).")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.md,
) -> None:
    """Print a story's cited brief as Markdown, JSON or HTML.

    Example: newsprism brief s36973180c14 --format html > brief.html
    """
    store = _open(db, must_exist=True)
    try:
        kind, full_id = store.resolve_id(story)
        if kind != "story":
            raise _fail(f"{story} is an article, not a story (see `newsprism stories`)")
        report = story_report(store, full_id, settings=Settings())
        if format is Format.md:
            out.print(brief_markdown(report.brief), markup=False)
        elif format is Format.json:
            out.print(brief_json(report.brief), markup=False)
        else:
            articles = {aid: store.article(aid) for aid in report.article_ids}
            out.print(report_html([report], articles, title=report.brief.title), markup=False)
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


@app.command()
def rejections(db: DbOption = DEFAULT_DB) -> None:
    """List inputs that were rejected, with the stage and reason.

    Example: newsprism rejections --db news.db
    """
    store = _open(db, must_exist=True)
    try:
        table = Table("input", "stage", "code", "reason")
        for r in store.rejections():
            table.add_row(r.locator, r.stage, r.code, r.reason)
        out.print(table)
    finally:
        store.close()


class OutputKind(StrEnum):
    parquet = "parquet"


@app.command()
def batch(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, directories, JSONL or .warc[.gz] archives (e.g. CC-NEWS)."),
    ],
    db: DbOption = DEFAULT_DB,
    scheduler: Annotated[
        str,
        typer.Option(
            help="'local' starts a Dask cluster on this machine; or a scheduler address "
            "(tcp://host:8786) whose workers have newsprism installed."
        ),
    ] = "local",
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes for --scheduler local (default: cores).")
    ] = max(1, os.cpu_count() or 1),
    output: Annotated[
        tuple[OutputKind, Path] | None,
        typer.Option(
            "--output",
            help="Also write flat Parquet tables (articles, mentions, quotes, events): "
            "--output parquet DIR.",
        ),
    ] = None,
    partition_size: Annotated[
        int, typer.Option(min=1, help="Raw documents per task sent to a worker.")
    ] = 32,
    outlet: OutletOption = None,
) -> None:
    """Backfill many inputs on Dask workers; stories are grouped in date order at the end.

    The same corpus in any input order or partitioning gives the same stories. A worker that
    dies has its partition retried; ids are content hashes, so nothing doubles.

    Example: newsprism batch cc-news-2026-02-*.warc.gz --db postgresql://news@db/news --workers 8

    Example: newsprism batch articles.jsonl --db news.db --output parquet out/
    """
    import dask
    from distributed import Client, LocalCluster

    from newsprism.batch import run_batch

    store = _open(db)
    cluster = None
    try:
        # Dask workers trim malloc aggressively by default, which costs ~30% CPU on this work.
        dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            )
            client = Client(cluster)
        else:
            client = Client(scheduler)
        stages = {
            "annotate": "Partitions analysed",
            "store": "Stored",
            "stories": "Grouping",
            "brief": "Writing briefs",
        }
        with _bars(stages) as report:
            settings = _settings(False)
            result = run_batch(
                [*paths],
                store,
                client=client,
                settings=settings,
                partition_size=partition_size,
                parquet_dir=output[1] if output else None,
                progress=report,
                outlet=outlet,
            )
        client.close()
        for r in result.rejections[:50]:
            err.print(
                f"[yellow]rejected[/] {escape(r.locator)}: {escape(r.reason)} [dim]({escape(r.code)})[/]"
            )
        err.print(
            f"[green]{result.accepted} article(s) accepted[/], {result.rejected} rejected, "
            f"{len(result.stories)} story(ies), {result.partitions} partition(s)."
        )
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        if cluster is not None:
            cluster.close()
        store.close()
    raise typer.Exit(_code(result.accepted, result.rejected))


@app.command()
def regroup(db: DbOption = DEFAULT_DB) -> None:
    """Group every article into stories again, from scratch (manual merges and splits kept).

    Example: newsprism regroup --db news.db
    """
    store = _open(db, must_exist=True)
    try:
        before = len(store.stories(limit=1_000_000))
        story_ids = pipeline.regroup(store, settings=Settings())
        err.print(f"{before} stories before, {len(story_ids)} after")
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


@app.command()
def merge(
    story: Annotated[str, typer.Argument(help="The story to keep (id or unique prefix).")],
    other: Annotated[str, typer.Argument(help="The story whose articles move into it.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Merge two stories into one; `regroup` keeps the merge.

    Example: newsprism merge s36973180c14 sa12649b592a --db news.db
    """
    store = _open(db, must_exist=True)
    try:
        merged = pipeline.merge_stories(store, _story_id(store, story), _story_id(store, other))
        err.print(f"story {merged.id} now has {len(merged.article_ids)} articles")
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


@app.command()
def split(
    story: Annotated[str, typer.Argument(help="The story to split (id or unique prefix).")],
    articles: Annotated[list[str], typer.Argument(help="Articles to move into a new story.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Move some articles of a story into a story of their own; `regroup` keeps the split.

    Example: newsprism split s36973180c14 908c1f47 --db news.db
    """
    store = _open(db, must_exist=True)
    try:
        ids = []
        for a in articles:
            kind, full = store.resolve_id(a)
            if kind != "article":
                raise _fail(f"{a} is a story, not an article")
            ids.append(full)
        new = pipeline.split_story(store, _story_id(store, story), ids)
        err.print(f"story {new.id} now holds {len(new.article_ids)} article(s)")
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


def _story_id(store: Store, prefix: str) -> str:
    kind, full = store.resolve_id(prefix)
    if kind != "story":
        raise _fail(f"{prefix} is an article, not a story (see `newsprism stories`)")
    return full


@app.command()
def actors(
    names: Annotated[
        list[str],
        typer.Argument(help="One actor (its quotes and interactions) or two (their interactions)."),
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """What an actor said and did, or how two actors interacted over time, with evidence.

    Names are canonicalised ("Kremlin" -> Russia, "Macron" -> Emmanuel Macron).

    Example: newsprism actors France Russia --db news.db
    """
    from newsprism.queries import actor_activity, canonical_actor, pair_events

    if len(names) > 2:
        raise _fail("give one actor or two")
    store = _open(db, must_exist=True)
    try:
        first = canonical_actor(names[0])
        if len(names) == 2:
            second = canonical_actor(names[1])
            events = pair_events(store, first, second)
            out.print(f"[bold]{escape(first)} ↔ {escape(second)}[/]: {len(events)} interaction(s)")
        else:
            activity = actor_activity(store, first)
            events = activity["events"]
            out.print(
                f"[bold]{escape(first)}[/]: {len(activity['quotes'])} quote(s), {len(events)} interaction(s)"
            )
            for q in activity["quotes"]:
                kind = escape("[" + q["kind"] + "]")
                out.print(
                    f"  {q['published'] or 'undated'}  {kind} “{escape(q['text'][:140])}”"
                    f" [dim]— {escape(q['outlet'])}[/]"
                )
        for e in events:
            target = f" → {e['target']}" if e["target"] else ""
            details = ", ".join(x for x in (e["level"], e["modality"]) if x)
            out.print(
                f"  {e['date'] or 'undated'}  [bold]{escape(e['actor'])}[/] {escape(e['action'])}"
                f"{escape(target)} ({escape(details)}) [dim]— {escape(e['outlet'])}: "
                f"{escape(e['text'][:160])}[/]"
            )
    finally:
        store.close()


class ExportKindChoice(StrEnum):
    articles = "articles"
    quotes = "quotes"
    events = "events"
    actors = "actors"
    stories = "stories"
    claims = "claims"
    differences = "differences"


class ExportFormatChoice(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


@app.command()
def export(
    kind: Annotated[ExportKindChoice, typer.Argument(help="What to export, one row each.")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[
        ExportFormatChoice | None,
        typer.Option("--format", "-f", help="csv, jsonl or parquet (default: from -o, else csv)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    story: Annotated[
        str | None, typer.Option("--story", help="Only this story (id or unique prefix).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Published on or after this date (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Published on or before this date (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Export articles, quotes, events, actors, stories, claims or differences as a flat table.

    Rows are streamed from the store (CSV and JSON lines a row at a time, Parquet a row group
    at a time). Claims and differences come from each story's brief, one row per citation.

    Example: newsprism export quotes --format csv -o quotes.csv --since 2026-02-01
    """
    from newsprism.export import Filters, check_format, check_kind, format_of
    from newsprism.export import rows as table_rows
    from newsprism.export import write as write_rows

    fmt = (
        check_format(format.value)
        if format is not None
        else format_of(str(output) if output else "")
    )
    filters_since, filters_until = _day(since, "--since"), _day(until, "--until")
    store = _open(db, must_exist=True)
    try:
        story_id = _story_id(store, story) if story is not None else None
        filters = Filters(story_id=story_id, since=filters_since, until=filters_until)
        what = check_kind(kind.value)
        items = table_rows(store, what, filters=filters)
        if output is None:
            count = write_rows(items, what, fmt, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            # a half-written file never takes the place of a good one
            partial = output.with_name(output.name + ".partial")
            try:
                with partial.open("wb") as fh:
                    count = write_rows(items, what, fmt, fh)
                partial.replace(output)
            except OSError as exc:
                raise _fail(f"cannot write {output}: {exc.strerror or exc}") from exc
            finally:
                partial.unlink(missing_ok=True)
        where = f" to {output}" if output else ""
        err.print(f"{count} {kind.value} row(s) as {fmt}{where}")
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    allow_private: AllowPrivate = False,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="NEWSPRISM_TOKEN",
            help="Secret that writes (ingest) need: 'Authorization: Bearer TOKEN', or sign in at "
            "/login. Without it, a server listening beyond loopback takes no writes.",
        ),
    ] = None,
    private: Annotated[
        bool, typer.Option("--private", help="Reads need the token too (needs --token).")
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A Host name clients use to reach this server (repeatable; '*' for any). "
            "Default: loopback names, plus the --host address.",
        ),
    ] = None,
    ingest_per_minute: Annotated[
        int, typer.Option(min=0, help="Ingest requests per client a minute (0: unlimited).")
    ] = 30,
) -> None:
    """Serve the reader's web UI and the JSON API (OpenAPI at /api/docs).

    Example: newsprism serve --db build/demo.db   (then open http://127.0.0.1:8000/)
    Shared:  NEWSPRISM_TOKEN=... newsprism serve --host 0.0.0.0 --allowed-host news.example.org
    """
    import uvicorn

    from newsprism.web import create_app
    from newsprism.web.security import LOOPBACK_HOSTS, Access, is_loopback

    if private and not token:
        raise _fail("--private needs --token (or NEWSPRISM_TOKEN)")
    _open(db).close()  # fail early, with a clear message, on a database that cannot be opened
    loopback = is_loopback(host)
    hosts = tuple(allowed_host or ()) or (
        LOOPBACK_HOSTS if loopback else (*LOOPBACK_HOSTS, host.strip("[]"))
    )
    access = Access(
        token=token or None,
        private=private,
        writes_open=loopback,
        allowed_hosts=hosts,
        ingest_per_minute=ingest_per_minute,
    )
    app = create_app(db, settings=_settings(allow_private), access=access)
    err.print(f"newsprism UI at http://{host}:{port}/ · API docs at http://{host}:{port}/api/docs")
    if not loopback and not token:
        err.print("[yellow]listening beyond loopback without --token: writes are refused[/]")
    if "*" not in hosts:
        err.print(
            f"Host names accepted: {', '.join(hosts)} "
            "(add the names clients use with --allowed-host)"
        )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _version(value: bool) -> None:
    if value:
        out.print(f"newsprism {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Turn many outlets' coverage of a story into one sourced picture."""


def main() -> None:
    try:
        app()
    except NewsprismError as exc:  # pragma: no cover - last resort, commands catch their own
        err.print(f"[bold red]error:[/] {exc}")
        sys.exit(2)
    except Exception as exc:  # a bug: one line (what is stored stays stored), exit code 4
        if os.environ.get("NEWSPRISM_DEBUG"):
            raise
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        err.print(
            f"[bold red]internal error:[/] {detail} (set NEWSPRISM_DEBUG=1 for the traceback; "
            "everything stored so far is kept and a re-run resumes)"
        )
        sys.exit(4)
