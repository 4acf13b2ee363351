"""RSS/Atom feeds -> their entries -> the entries' articles.

`parse_feed` is pure (bytes in, entries or a Rejection out). Feeds are parsed only after a
hostile-XML check: any entity declaration is refused outright (billion laughs, external
entities); a feed never needs one. feedparser then reads RSS 0.9x/1.0/2.0 and Atom, leniently:
a feed with a syntax error still yields the entries before the error, and one with none is a
`feed.malformed` rejection.

Each entry's article is the page its link points to, fetched through the guarded `Fetcher`;
when the link cannot be fetched (or there is none) an entry carrying its full text
(`content:encoded`, Atom `content`) is used instead, so a full-text feed works offline. A
teaser shorter than `Settings.min_article_chars` is not full text: then the fetch's own
rejection (`fetch.*`, with its reason) is what the entry reports.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import os
import re
import stat
from dataclasses import dataclass, replace

from newsprism import errors
from newsprism.ingest.fetch import Fetcher
from newsprism.ingest.files import os_rejection
from newsprism.ingest.raw import date_problem, printable, raw_from_bytes, url_problem
from newsprism.models import RawDocument, Rejection, SourceHints
from newsprism.settings import Settings

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed: a stable id, where its article lives, what the feed says of it."""

    id: str
    link: str | None
    title: str | None
    published: dt.date | None
    content: str | None  # full text when the feed carries it (HTML)


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None = None  # feedparser's complaint about a partly malformed feed


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """The result of reading a feed once: new validators, entries, or why not."""

    location: str
    feed: ParsedFeed | None
    rejection: Rejection | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def parse_feed(data: bytes, locator: str) -> ParsedFeed | Rejection:
    """Parse feed bytes into entries; hostile or unusable XML becomes a Rejection."""
    if not data.strip():
        return _reject(errors.R_EMPTY, "the feed is empty", locator)
    # Without NUL bytes, UTF-16 and UTF-32 (with or without a byte order mark) read as ASCII.
    if _ENTITY_DECL.search(data) or _ENTITY_DECL.search(data.replace(b"\x00", b"")):
        return _reject(
            errors.R_FEED_HOSTILE,
            "the feed declares XML entities (an entity-expansion or external-entity attack); refused",
            locator,
        )
    import feedparser

    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser is lenient, but hostile bytes must not stop a run
        reason = f"the feed could not be parsed: {type(exc).__name__}: {exc}"[:300]
        return _reject(errors.R_FEED_BAD, reason, locator)
    if parsed.get("bozo") and not parsed.entries:
        why = parsed.get("bozo_exception")
        return _reject(errors.R_FEED_BAD, f"not a readable RSS or Atom feed: {why}", locator)
    if not parsed.get("version") and not parsed.entries:
        return _reject(errors.R_FEED_BAD, "not an RSS or Atom feed", locator)
    entries = []
    for n, entry in enumerate(parsed.entries):
        link = entry.get("link") or None
        content = None
        for part in entry.get("content") or []:
            value = part.get("value")
            if value and (content is None or len(value) > len(content)):
                content = value
        summary = entry.get("summary")
        if content is None and summary and len(summary) > 400:
            content = summary  # some feeds put the whole article in <description>
        entries.append(
            FeedEntry(
                id=str(entry.get("id") or link or f"{locator}#{n}"),
                link=link,
                title=entry.get("title") or None,
                published=_entry_date(entry),
                content=content,
            )
        )
    warning = str(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    return ParsedFeed(
        title=parsed.feed.get("title") or None, entries=tuple(entries), warning=warning
    )


def poll_feed(
    location: str,
    fetcher: Fetcher,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    settings: Settings = Settings(),
) -> FeedPoll:
    """Read a feed from a URL (conditional GET with the validators given) or a file."""
    if is_url(location):
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        got = fetcher.get(location, headers=headers)
        if isinstance(got, Rejection):
            return FeedPoll(location, None, replace(got, stage="feed"))
        if got.status == 304:
            return FeedPoll(
                location, None, not_modified=True, etag=etag, last_modified=last_modified
            )
        data, new_etag, new_lm = got.data, got.etag, got.last_modified
    else:
        got_data = _read_feed_file(location, settings.max_input_bytes)
        if isinstance(got_data, Rejection):
            return FeedPoll(location, None, got_data)
        data, new_etag, new_lm = got_data, None, None
    parsed = parse_feed(data, location)
    if isinstance(parsed, Rejection):
        return FeedPoll(location, None, parsed)
    return FeedPoll(location, parsed, etag=new_etag, last_modified=new_lm)


def _read_feed_file(location: str, limit: int) -> bytes | Rejection:
    try:
        info = os.stat(location)
    except OSError as exc:
        return replace(os_rejection(exc, location), stage="feed")
    except ValueError:  # an embedded NUL byte
        return _reject(errors.R_BAD_NAME, "the feed's file name holds a NUL byte", location)
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        return _reject(errors.R_UNREADABLE, "the feed is not a regular file", location)
    if info.st_size > limit:
        return _reject(errors.R_TOO_LARGE, "the feed file is above the size limit", location)
    try:
        with open(location, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        return replace(os_rejection(exc, location), stage="feed")
    if len(data) > limit:
        return _reject(errors.R_TOO_LARGE, "the feed file is above the size limit", location)
    return data


def entry_article(
    entry: FeedEntry, feed: ParsedFeed, fetcher: Fetcher, *, locator: str
) -> RawDocument | Rejection:
    """The entry's article: its linked page, else the full text the feed carries.

    When the page cannot be fetched and the feed carries no more than a teaser, the fetch's
    rejection is returned as it is (its `fetch.*` code and reason), so a page that is down is
    reported as down, and retried on the next poll, rather than as a page without text.
    """
    link = entry.link if entry.link and not url_problem(entry.link) else None
    hints = SourceHints(url=link, outlet=None, title=entry.title, published=entry.published)
    failure: Rejection | None = None
    if entry.link and is_url(entry.link):
        got = fetcher.fetch(entry.link, hints=hints)
        if isinstance(got, RawDocument):
            return replace(got, source_kind="feed")
        failure = got
        if not _is_full_text(entry.content, fetcher.settings.min_article_chars):
            return failure
    if entry.content:
        return raw_from_bytes(
            entry.content.encode("utf-8"),
            source_kind="feed",
            locator=entry.link or f"{locator}#{entry.id}",
            content_type="text/html",
            hints=hints,
        )
    if failure is not None:
        return failure
    return _reject(
        errors.R_FEED_ENTRY,
        f"entry '{entry.title or entry.id}' has neither a fetchable link nor full text",
        locator,
    )


def _is_full_text(content: str | None, min_chars: int) -> bool:
    """Whether an entry's content is an article rather than a teaser."""
    if not content:
        return False
    return len(html.unescape(_TAG.sub(" ", content)).strip()) >= min_chars


def _entry_date(entry: dict[str, object]) -> dt.date | None:
    """The entry's date; an impossible one (year 1, 9999, garbage) is no date at all."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                stamp = calendar.timegm(value)  # type: ignore[arg-type]
                date = dt.datetime.fromtimestamp(stamp, dt.UTC).date()
            except (TypeError, ValueError, OverflowError, OSError):
                continue
            if date_problem(date) is None:
                return date
    return None


def _reject(code: str, reason: str, locator: str) -> Rejection:
    return Rejection(stage="feed", code=code, reason=printable(reason), locator=printable(locator))
