"""The command line: thin over the pipeline and the store; errors become one-line messages.

Exit codes: 0 all inputs accepted, 1 some rejected, 2 usage or configuration error,
3 nearly everything failed (no input accepted, or at least 90% of ten or more rejected).
"""

from __future__ import annotations

import csv
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
from typing import Annotated, Any

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
from rich.text import Text

from newsprism import __version__, pipeline
from newsprism.errors import NewsprismError
from newsprism.models import Article, Event, Feed, Result, StoryReport, language_name
from newsprism.pipeline import Input, run, story_report
from newsprism.render import brief_json, brief_markdown, report_html
from newsprism.serde import to_data
from newsprism.settings import HELP, Settings, load_settings
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
# Piped output is never cut to the terminal's 80 columns: tables take the width they need.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 100_000)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line

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


CreateOption = Annotated[
    bool,
    typer.Option(
        "--create", help="Create the database (and its directory) when it does not exist yet."
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="A setting for this run, key=value (repeatable; see `newsprism config`). Wins "
        "over newsprism.toml, [tool.newsprism] in pyproject.toml and NEWSPRISM_<KEY>.",
        metavar="KEY=VALUE",
    ),
]


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


ListFormatOption = Annotated[
    ListFormat,
    typer.Option(
        "--format", "-f", help="table, or json / csv: every field, nothing cut (for scripts)."
    ),
]


@contextmanager
def _store(db: str) -> Iterator[Store]:
    """The existing store at `db`, closed afterwards; a NewsprismError raised inside becomes a
    one-line error (exit 2)."""
    store = _open(db, must_exist=True)
    try:
        yield store
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


def _open(db: str, *, must_exist: bool = False, create: bool = True) -> Store:
    """Open the store; a file store must exist (`must_exist`), or its directory must
    (unless `create`): a mistyped --db never makes folders or an empty store silently."""
    if not is_store_url(db) and db != ":memory:":
        path = Path(db)
        if must_exist and not path.exists():
            hint = "" if create else " (give --create to start a new one)"
            raise _fail(f"no database at {db}{hint} (run `newsprism ingest PATH --db {db}` first)")
        if not create and not path.parent.exists():
            raise _fail(
                f"the directory {path.parent} of --db {db} does not exist "
                "(check the path, or give --create to make it)"
            )
        if path.exists() and path.is_dir():
            raise _fail(f"--db {db} is a directory, not a database file")
        if path.is_file() and not _looks_like_sqlite(path):
            raise _fail(f"--db {db} is not a SQLite database (nothing was written to it)")
    try:
        return open_store(db)
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc


def _looks_like_sqlite(path: Path) -> bool:
    """An empty file (a new store) or one that starts with SQLite's header: SQLite itself
    would overwrite a file of a few bytes that is neither."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return True  # let the store say why it cannot open it
    return not head or head == b"SQLite format 3\x00"


def _cut(text: str, width: int) -> str:
    """Text cut to `width` on a terminal; whole when piped (scripts get everything)."""
    return text[:width] if out.is_terminal else text


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _emit(
    records: Sequence[dict[str, Any]],
    fmt: ListFormat,
    *,
    columns: Sequence[str] | None = None,
    table_columns: Sequence[str] | None = None,
    widths: dict[str, int] | None = None,
) -> None:
    """Print records as a table (the `table_columns`; text cut to `widths` on a terminal),
    or every field as JSON (a list of objects) or CSV (a header row, lists joined by '; ')."""
    keys = list(columns or (records[0].keys() if records else ()))
    if fmt is ListFormat.json:
        sys.stdout.write(json.dumps(list(records), ensure_ascii=False, indent=2) + "\n")
    elif fmt is ListFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(keys)
        writer.writerows([_cell(r.get(k)) for k in keys] for r in records)
    else:
        shown = list(table_columns or keys)
        table = _table(*shown)
        cut = widths if out.is_terminal else None
        for r in records:
            cells = [_cell(r.get(k)) for k in shown]
            if cut:
                cells = [c[: cut[k]] if k in cut else c for k, c in zip(shown, cells, strict=True)]
            table.add_row(*(Text(c) for c in cells))
        out.print(table)
    sys.stdout.flush()


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
    new = max(0, result.accepted - result.already_stored)
    err.print(
        f"[green]{result.accepted} article(s) accepted[/] ({new} new, "
        f"{result.already_stored} already stored), "
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


VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="List every skipped file, not the first few.")
]
SKIPPED_SHOWN = 5


def _print_skipped(paths: Sequence[str], *, verbose: bool) -> None:
    """Files a directory input held that are not of a type we read: a count and names."""
    from newsprism.ingest.files import skipped_files

    skipped = skipped_files(paths)
    if not skipped:
        return
    shown = skipped if verbose else skipped[:SKIPPED_SHOWN]
    more = len(skipped) - len(shown)
    tail = f" and {more} more (-v lists them all)" if more else ""
    err.print(
        f"[yellow]skipped[/] {len(skipped)} file(s) of a type newsprism does not read: "
        f"{escape(', '.join(shown))}{tail}"
    )


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


def _settings(
    overrides: Sequence[str] | None = None,
    allow_private: bool = False,
    allow_host: list[str] | None = None,
) -> Settings:
    """The effective settings: defaults < pyproject.toml [tool.newsprism] < newsprism.toml <
    NEWSPRISM_<KEY> < --set < this command's own options (only when given)."""
    options: dict[str, object] = {}
    if allow_private:
        options["allow_private"] = True
    if allow_host:
        options["allow_hosts"] = tuple(allow_host)
    try:
        return load_settings(overrides=overrides or (), options=options)[0]
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc


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
    create: CreateOption = False,
    verbose: VerboseOption = False,
    set_: SetOption = None,
) -> None:
    """Ingest, analyse, group and brief in one go; print each story's brief.

    Example: newsprism analyze ../shared/seeds/*.txt --format md
    """
    settings = _settings(set_, allow_private, allow_host)
    store = _open(db, create=create)
    try:
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
        _print_skipped(paths, verbose=verbose)
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
    create: CreateOption = False,
    verbose: VerboseOption = False,
    set_: SetOption = None,
) -> None:
    """Add articles to the database: clean, analyse and group them into stories.

    Example: newsprism ingest examples/ https://example.org/news/story.html --db news.db

    Example: newsprism ingest --feed https://example.org/rss.xml --db news.db
    """
    if not paths and not feed:
        raise _fail("give at least one path, URL or --feed (see `newsprism ingest --help`)")
    settings = _settings(set_, allow_private, allow_host)
    store = _open(db, create=create)
    try:
        result = _run_with_progress(
            _inputs(paths or [], feed),
            store,
            "ingest",
            settings=settings,
            outlet=outlet,
            collect=False,  # a backfill's articles are not all held in memory
            workers=workers,
        )
        rows = [
            {
                "article": a.id,
                "outlet": a.label,
                "published": _date(a),
                "analysis": _level(a),
                "title": a.title or "",
                "story": store.story_of(a.id) or "",
            }
            for a in result.articles
        ]
        if rows:
            _emit(rows, ListFormat.table, widths={"title": 60})
        _print_rejections(result)
        _print_skipped(paths or [], verbose=verbose)
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
    except UnicodeDecodeError as exc:
        raise _fail(f"the feed list {path} is not UTF-8 text") from exc
    except OSError as exc:
        raise _fail(f"cannot read the feed list {path}: {exc.strerror or exc}") from exc
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
    alert: Annotated[
        list[str] | None,
        typer.Option(
            "--alert",
            help="Alert on a new article matching actor=NAME, outlet=NAME, story=ID or "
            "keyword=WORD (repeatable; any rule matching alerts).",
            metavar="RULE",
        ),
    ] = None,
    exec_: Annotated[
        str | None,
        typer.Option(
            "--exec",
            help="Run this command for each alert, the alert as JSON on its stdin (no shell).",
            metavar="CMD",
        ),
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option(
            "--webhook",
            help="POST each alert as JSON to this URL (loopback/private only with "
            "--allow-private or --allow-host).",
            metavar="URL",
        ),
    ] = None,
    allow_private: AllowPrivate = False,
    allow_host: AllowHost = None,
    create: CreateOption = False,
    set_: SetOption = None,
) -> None:
    """Poll feeds and ingest only what is new (ETag/Last-Modified and seen entry ids).

    A feed that is down or malformed is reported and retried at the next poll; the others go on.
    With --alert, each new article that matches a rule is handed to --exec or --webhook; a
    failed delivery is logged and the watch goes on.

    Example: newsprism watch feeds.txt --every 15m --db news.db

    Example: newsprism watch feeds.txt --alert actor=Russia --alert keyword=ceasefire --exec ./notify.sh
    """
    from newsprism.alerts import parse_rule

    interval = parse_interval(every)
    feeds = _read_feed_list(feeds_file)
    try:
        rules = [parse_rule(r) for r in alert or ()]
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    if rules and not (exec_ or webhook):
        raise _fail("--alert needs --exec CMD or --webhook URL (where to send the alerts)")
    if (exec_ or webhook) and not rules:
        raise _fail("--exec and --webhook need at least one --alert RULE")
    if exec_ and webhook:
        raise _fail("give --exec or --webhook, not both")
    settings = _settings(set_, allow_private, allow_host)
    store = _open(db, create=create)
    index = StoryIndex(settings)  # the active stories, kept between polls (synced each time)
    alerted: set[str] = set()
    done = 0
    try:
        while True:
            done += 1
            result = run(
                [Feed(f) for f in feeds], store, settings=settings, command="watch", index=index
            )
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            err.print(
                f"[bold]poll {done}[/] {stamp}: "
                f"{max(0, result.accepted - result.already_stored)} new article(s), "
                f"{result.already_stored} already stored, "
                f"{len(result.rejections)} rejected, {len(result.stories)} story(ies) updated"
            )
            _print_rejections(result)
            if rules:
                _send_alerts(
                    result, store, rules, settings, exec_=exec_, webhook=webhook, alerted=alerted
                )
            if polls and done >= polls:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        err.print("stopped")
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


def _send_alerts(
    result: Result,
    store: Store,
    rules: Sequence[Any],
    settings: Settings,
    *,
    exec_: str | None,
    webhook: str | None,
    alerted: set[str],
) -> None:
    """One alert per new article (the first rule it matches); `alerted` holds the articles
    this watch has considered already. Failures are logged, never raised."""
    from newsprism.alerts import AlertRule, matches, payload, run_command
    from newsprism.ingest import Fetcher
    from newsprism.queries import canonical_actor

    canonical = [
        AlertRule(kind=r.kind, value=canonical_actor(r.value)) if r.kind == "actor" else r
        for r in rules
    ]
    with Fetcher(settings) as fetcher:
        for analysis in result.analyses:
            if analysis.article.id in alerted:
                continue
            story_id = store.story_of(analysis.article.id)
            for rule in canonical:
                if not matches(rule, analysis, story_id):
                    continue
                data = payload(rule, analysis, story_id)
                problem = (
                    run_command(exec_, data) if exec_ else fetcher.post_json(webhook or "", data)
                )
                where = exec_ or webhook
                if problem:
                    err.print(
                        f"[yellow]alert not delivered[/] ({escape(rule.text)}, article "
                        f"{analysis.article.id}) to {escape(str(where))}: {escape(problem)}"
                    )
                else:
                    err.print(
                        f"alert {escape(rule.text)}: article {analysis.article.id} "
                        f"→ {escape(str(where))}"
                    )
                break  # one alert per article, for the first rule it matches
            alerted.add(analysis.article.id)


def _date(a: Article) -> str:
    if a.published is None:
        return "undated"
    return f"{a.published.isoformat()} ({a.published_source})"


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[
        int, typer.Option(min=0, help="Show at most this many stories (0: all).")
    ] = 50,
    format: ListFormatOption = ListFormat.table,
    set_: SetOption = None,
) -> None:
    """List stories, newest first, with their dates, size and label.

    Example: newsprism stories --db news.db

    Example: newsprism stories --db news.db --format json --limit 0 > stories.json
    """
    _settings(set_)
    with _store(db) as store:
        rows = [
            {
                "story": s.id,
                "dates": f"{s.first_date or '?'} – {s.last_date or '?'}",
                "first_date": s.first_date.isoformat() if s.first_date else None,
                "last_date": s.last_date.isoformat() if s.last_date else None,
                "articles": len(s.article_ids),
                "label": s.label,
                "article_ids": list(s.article_ids),
            }
            for s in store.stories(limit=limit or None)
        ]
        _emit(
            [{k: v for k, v in r.items() if k != "dates"} for r in rows]
            if format is not ListFormat.table
            else rows,
            format,
            columns=("story", "first_date", "last_date", "articles", "label", "article_ids"),
            table_columns=("story", "dates", "articles", "label"),
        )


ALL = 2**62  # "no limit" for a store query that takes one


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
    set_: SetOption = None,
) -> None:
    """Show a story (its articles) or an article (clean text, quotes, removed lines).

    Example: newsprism show s36973180c14 --timeline
    """
    settings = _settings(set_)
    with _store(db) as store:
        kind, full_id = store.resolve_id(item)
        if kind == "story":
            _show_story(store, full_id, quotes=quotes, timeline=timeline, settings=settings)
        else:
            _show_article(store, full_id, removed=removed, quotes=quotes)


def _show_story(
    store: Store, story_id: str, *, quotes: bool, timeline: bool, settings: Settings
) -> None:
    report: StoryReport = story_report(store, story_id, settings=settings)
    out.print(f"[bold]{report.brief.title}[/]\nstory {report.id} · {report.label}")
    table = _table("article", "outlet", "published", "analysis", "title")
    for aid in report.article_ids:
        a = store.article(aid)
        table.add_row(a.id, a.label, _date(a), _level(a), _cut(a.title or "", 70))
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
    set_: SetOption = None,
) -> None:
    """Print a story's cited brief as Markdown, JSON or HTML.

    Example: newsprism brief s36973180c14 --format html > brief.html
    """
    settings = _settings(set_)
    with _store(db) as store:
        kind, full_id = store.resolve_id(story)
        if kind != "story":
            raise _fail(f"{story} is an article, not a story (see `newsprism stories`)")
        report = story_report(store, full_id, settings=settings)
        if format is Format.md:
            out.print(brief_markdown(report.brief), markup=False)
        elif format is Format.json:
            out.print(brief_json(report.brief), markup=False)
        else:
            articles = {aid: store.article(aid) for aid in report.article_ids}
            out.print(report_html([report], articles, title=report.brief.title), markup=False)


@app.command()
def rejections(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[
        int, typer.Option(min=0, help="Show at most this many, newest first (0: all).")
    ] = 1000,
    format: ListFormatOption = ListFormat.table,
    set_: SetOption = None,
) -> None:
    """List inputs that were rejected, with the stage and reason.

    Example: newsprism rejections --db news.db --format csv > rejections.csv
    """
    _settings(set_)
    with _store(db) as store:
        rows = [
            {
                "input": r.locator,
                "stage": r.stage,
                "code": r.code,
                "reason": r.reason,
                "raw_id": r.raw_id,
            }
            for r in store.rejections(limit=limit or ALL)
        ]
        _emit(rows, format, table_columns=("input", "stage", "code", "reason"))


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
    create: CreateOption = False,
    set_: SetOption = None,
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

    settings = _settings(set_)
    store = _open(db, create=create)
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
def regroup(db: DbOption = DEFAULT_DB, set_: SetOption = None) -> None:
    """Group every article into stories again, from scratch (manual merges and splits kept).

    A new story that keeps most of an old story's articles keeps its id and label; any other
    story gets an id never used before.

    Example: newsprism regroup --db news.db
    """
    settings = _settings(set_)
    with _store(db) as store:
        before = {s.id for s in store.stories(limit=None)}
        story_ids = pipeline.regroup(store, settings=settings)
        kept = len(before & set(story_ids))
        err.print(
            f"{len(before)} stories before, {len(story_ids)} after: {kept} kept their id, "
            f"{len(set(story_ids) - before)} new"
        )


@app.command()
def merge(
    story: Annotated[str, typer.Argument(help="The story to keep (id or unique prefix).")],
    other: Annotated[str, typer.Argument(help="The story whose articles move into it.")],
    db: DbOption = DEFAULT_DB,
    set_: SetOption = None,
) -> None:
    """Merge two stories into one; `regroup` keeps the merge.

    Example: newsprism merge s36973180c14 sa12649b592a --db news.db
    """
    _settings(set_)
    with _store(db) as store:
        merged = pipeline.merge_stories(store, _story_id(store, story), _story_id(store, other))
        err.print(f"story {merged.id} now has {len(merged.article_ids)} articles")


@app.command()
def split(
    story: Annotated[str, typer.Argument(help="The story to split (id or unique prefix).")],
    articles: Annotated[list[str], typer.Argument(help="Articles to move into a new story.")],
    db: DbOption = DEFAULT_DB,
    set_: SetOption = None,
) -> None:
    """Move some articles of a story into a story of their own; `regroup` keeps the split.

    Example: newsprism split s36973180c14 908c1f47 --db news.db
    """
    _settings(set_)
    with _store(db) as store:
        ids = []
        for a in articles:
            kind, full = store.resolve_id(a)
            if kind != "article":
                raise _fail(f"{a} is a story, not an article")
            ids.append(full)
        story_id = _story_id(store, story)
        members = store.story(story_id).article_ids
        moved = pipeline.split_story(store, story_id, ids)
        rest = next(a for a in members if a not in moved.article_ids)
        other = store.story(store.story_of(rest) or story_id)
        err.print(
            f"story {moved.id} now holds the {len(moved.article_ids)} given article(s), story "
            f"{other.id} the other {len(other.article_ids)} (the larger part keeps the old id)"
        )


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
    format: ListFormatOption = ListFormat.table,
    set_: SetOption = None,
) -> None:
    """What an actor said and did, or how two actors interacted over time, with evidence.

    Names are canonicalised ("Kremlin" -> Russia, "Macron" -> Emmanuel Macron). With --format
    json or csv: one row per quote and interaction (a `type` column says which), every field.

    Example: newsprism actors France Russia --db news.db

    Example: newsprism actors Russia --db news.db --format csv > russia.csv
    """
    from newsprism.queries import actor_activity, canonical_actor, pair_events

    if len(names) > 2:
        raise _fail("give one actor or two")
    _settings(set_)
    store = _open(db, must_exist=True)
    try:
        first = canonical_actor(names[0])
        if format is not ListFormat.table:
            if len(names) == 2:
                quotes: list[dict[str, Any]] = []
                found = pair_events(store, first, canonical_actor(names[1]))
            else:
                activity = actor_activity(store, first)
                quotes, found = activity["quotes"], activity["events"]
            rows = [{"type": "quote", **q} for q in quotes] + [
                {"type": "interaction", **e} for e in found
            ]
            columns = list(dict.fromkeys(k for r in rows for k in r)) or ["type"]
            _emit([{k: r.get(k) for k in columns} for r in rows], format, columns=columns)
            return
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
                    f"  {q['published'] or 'undated'}  {kind} “{escape(_cut(q['text'], 140))}”"
                    f" [dim]— {escape(q['outlet'])}[/]"
                )
        for e in events:
            target = f" → {e['target']}" if e["target"] else ""
            details = ", ".join(x for x in (e["level"], e["modality"]) if x)
            out.print(
                f"  {e['date'] or 'undated'}  [bold]{escape(e['actor'])}[/] {escape(e['action'])}"
                f"{escape(target)} ({escape(details)}) [dim]— {escape(e['outlet'])}: "
                f"{escape(_cut(e['text'], 160))}[/]"
            )
    finally:
        store.close()


outlets_app = typer.Typer(
    help="The outlet registry: names, domains, country, language, and your own leaning or "
    "owner notes (newsprism ships no such ratings).\n\n"
    "Example: newsprism outlets add 'Le Monde' --domain lemonde.fr --country FR --language fr",
    no_args_is_help=True,
)
app.add_typer(outlets_app, name="outlets")


def _outlet_record(o: Any) -> dict[str, Any]:
    return {
        "name": o.name,
        "domains": list(o.domains),
        "country": o.country,
        "language": o.language,
        "leaning": o.leaning,
        "owner": o.owner,
    }


def _register(store: Store, outlets: Sequence[Any]) -> tuple[int, list[str]]:
    """Register outlets (a domain another outlet holds is refused) and relabel stored
    articles under their domains; (articles relabelled, one problem line per refused one)."""
    from newsprism.outlets import relabel_stored

    problems: list[str] = []
    with store.transaction():
        held = store.outlet_domains()
        for outlet in outlets:
            taken = next(
                (d for d in outlet.domains if held.get(d, outlet.name) != outlet.name), None
            )
            if taken is not None:
                problems.append(
                    f"{outlet.name}: domain {taken} already belongs to {held[taken]} "
                    f"(`newsprism outlets remove '{held[taken]}'` first)"
                )
                continue
            store.put_outlet(outlet)
            held.update(dict.fromkeys(outlet.domains, outlet.name))
        moved = relabel_stored(store)
    return moved, problems


@outlets_app.command("add")
def outlets_add(
    name: Annotated[str, typer.Argument(help="The outlet's name as the brief should say it.")],
    domain: Annotated[
        list[str],
        typer.Option("--domain", help="A web domain of the outlet (repeatable; subdomains match)."),
    ],
    country: Annotated[
        str | None, typer.Option(help="Two-letter country code (FR, UA, US).")
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="Two- or three-letter language code (fr, uk).")
    ] = None,
    leaning: Annotated[str | None, typer.Option(help="Your own note on its leaning.")] = None,
    owner: Annotated[str | None, typer.Option(help="Your own note on who owns it.")] = None,
    db: DbOption = DEFAULT_DB,
    create: CreateOption = False,
    set_: SetOption = None,
) -> None:
    """Register an outlet (or replace one of the same name) and relabel the stored articles
    under its domains at once (their stories' briefs are rebuilt on the next read).

    Example: newsprism outlets add "Kyiv Independent" --domain kyivindependent.com --country UA
    """
    from newsprism.outlets import make_outlet

    _settings(set_)
    try:
        outlet = make_outlet(
            name, domain, country=country, language=language, leaning=leaning, owner=owner
        )
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    store = _open(db, create=create)
    try:
        moved, problems = _register(store, [outlet])
        if problems:
            raise _fail(problems[0])
        err.print(
            f"outlet {escape(outlet.name)} ({', '.join(outlet.domains)}) registered; "
            f"{moved} stored article(s) relabelled"
        )
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()


@outlets_app.command("import")
def outlets_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV with a header: name, domains (space- or ;-separated), country, "
            "language, leaning, owner."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    create: CreateOption = False,
    set_: SetOption = None,
) -> None:
    """Register every good row of a CSV; each bad row is reported with its reason.

    Exit code 0 all rows imported, 1 some rejected, 3 none (see the README).

    Example: newsprism outlets import outlets.csv --db news.db
    """
    from newsprism.outlets import read_outlets_csv

    _settings(set_)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(f"{file} is not UTF-8 text (save the CSV as UTF-8)") from exc
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror or exc}") from exc
    try:
        outlets, problems = read_outlets_csv(text)
    except NewsprismError as exc:
        raise _fail(f"{file}: {exc}") from exc
    store = _open(db, create=create)
    try:
        moved, refused = _register(store, outlets)
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    for line in [*problems, *refused]:
        err.print(f"[yellow]rejected[/] {escape(line)}")
    imported = len(outlets) - len(refused)
    err.print(
        f"{imported} outlet(s) imported, {len(problems) + len(refused)} row(s) rejected; "
        f"{moved} stored article(s) relabelled"
    )
    raise typer.Exit(_code(imported, len(problems) + len(refused)))


@outlets_app.command("list")
def outlets_list(
    db: DbOption = DEFAULT_DB,
    format: ListFormatOption = ListFormat.table,
    set_: SetOption = None,
) -> None:
    """List the registered outlets.

    Example: newsprism outlets list --db news.db --format csv > outlets.csv
    """
    _settings(set_)
    with _store(db) as store:
        rows = [_outlet_record(o) for o in store.outlets()]
        _emit(
            rows,
            format,
            columns=("name", "domains", "country", "language", "leaning", "owner"),
        )


@outlets_app.command("remove")
def outlets_remove(
    name: Annotated[str, typer.Argument(help="The outlet's registered name.")],
    db: DbOption = DEFAULT_DB,
    set_: SetOption = None,
) -> None:
    """Remove an outlet from the registry (stored articles keep the name they were given).

    Example: newsprism outlets remove "Le Monde" --db news.db
    """
    _settings(set_)
    with _store(db) as store:
        if not store.delete_outlet(name):
            known = ", ".join(o.name for o in store.outlets()[:10]) or "none registered"
            raise _fail(f"no outlet named {name!r} (registered: {known})")
        err.print(f"outlet {escape(name)} removed")


@app.command()
def label(
    story: Annotated[str, typer.Argument(help="A story id (or a unique prefix).")],
    text: Annotated[str | None, typer.Argument(help="The label to show for it.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Back to the automatic label.")] = False,
    db: DbOption = DEFAULT_DB,
    set_: SetOption = None,
) -> None:
    """Set a story's label by hand; it stays across `regroup` while the story keeps its id.

    Example: newsprism label s36973180c14 "France reopens channels to Moscow" --db news.db
    """
    if clear == (text is not None and bool(text.strip())):
        raise _fail("give a label, or --clear (not both)")
    with _store(db) as store:
        story_id = _story_id(store, story)
        store.put_story_label(story_id, None if clear else " ".join((text or "").split()))
        shown = story_report(store, story_id, settings=_settings(set_)).story.label
        err.print(f"story {story_id}: {escape(shown)}" + (" (automatic)" if clear else ""))


@app.command()
def config(
    format: ListFormatOption = ListFormat.table,
    set_: SetOption = None,
) -> None:
    """Show the effective settings and where each came from.

    Lowest to highest: the default, [tool.newsprism] in ./pyproject.toml, ./newsprism.toml (or
    the file NEWSPRISM_CONFIG names), NEWSPRISM_<KEY> environment variables, --set KEY=VALUE,
    and a command's own option (--allow-private).

    Example: newsprism config --set story_threshold=0.3
    """
    try:
        settings, sources = load_settings(overrides=set_ or ())
    except NewsprismError as exc:
        raise _fail(str(exc)) from exc
    rows = [
        {
            "setting": name,
            "value": list(v) if isinstance(v := getattr(settings, name), tuple) else v,
            "source": source,
            "help": HELP[name],
        }
        for name, source in sources.items()
    ]
    _emit(rows, format, table_columns=("setting", "value", "source", "help"))


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
    set_: SetOption = None,
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
    _settings(set_)
    with _store(db) as store:
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


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
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
    create: Annotated[
        bool,
        typer.Option("--create", help="Start with a new, empty database when there is none."),
    ] = False,
    set_: SetOption = None,
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
    settings = _settings(set_, allow_private)
    # fail early, with a clear message, on a database that is not there or cannot be opened
    _open(db, must_exist=not create, create=create).close()
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
    app = create_app(db, settings=settings, access=access)
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
