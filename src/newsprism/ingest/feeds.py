"""RSS/Atom feeds -> their entries -> the entries' articles.

`parse_feed` is pure (bytes in, entries or a Rejection out). Feeds are parsed only after a
hostile-XML check: any entity declaration is refused outright (billion laughs, external
entities); a feed never needs one. feedparser then reads RSS 0.9x/1.0/2.0 and Atom, leniently:
a feed with a syntax error still yields the entries before the error, and one with none is a
`feed.malformed` rejection.

Each entry's article is the page its link points to, fetched through the guarded `Fetcher`;
when the link cannot be fetched (or there is none) an entry carrying its full text
(`content:encoded`, Atom `content`) is used instead, so a full-text feed works offline.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from newsprism import errors
from newsprism.ingest.fetch import Fetcher
from newsprism.ingest.raw import raw_from_bytes
from newsprism.models import RawDocument, Rejection, SourceHints
from newsprism.settings import Settings

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


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
    if _ENTITY_DECL.search(data) or _ENTITY_DECL.search(_utf16_view(data)):
        return _reject(
            errors.R_FEED_HOSTILE,
            "the feed declares XML entities (an entity-expansion or external-entity attack); refused",
            locator,
        )
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
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
        path = Path(location)
        try:
            if path.stat().st_size > settings.max_input_bytes:
                return FeedPoll(
                    location,
                    None,
                    _reject(errors.R_TOO_LARGE, "the feed file is above the size limit", location),
                )
            data = path.read_bytes()
        except OSError as exc:
            return FeedPoll(
                location,
                None,
                _reject(
                    errors.R_NOT_FOUND, f"cannot read the feed: {exc.strerror or exc}", location
                ),
            )
        new_etag = new_lm = None
    parsed = parse_feed(data, location)
    if isinstance(parsed, Rejection):
        return FeedPoll(location, None, parsed)
    return FeedPoll(location, parsed, etag=new_etag, last_modified=new_lm)


def entry_article(
    entry: FeedEntry, feed: ParsedFeed, fetcher: Fetcher, *, locator: str
) -> RawDocument | Rejection:
    """The entry's article: its linked page, else the full text the feed carries."""
    hints = SourceHints(url=entry.link, outlet=None, title=entry.title, published=entry.published)
    failure: Rejection | None = None
    if entry.link and is_url(entry.link):
        got = fetcher.fetch(entry.link, hints=hints)
        if isinstance(got, RawDocument):
            return replace(got, source_kind="feed")
        failure = got
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


def _entry_date(entry: dict[str, object]) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                stamp = calendar.timegm(value)  # type: ignore[arg-type]
            except (TypeError, ValueError, OverflowError):
                continue
            return dt.datetime.fromtimestamp(stamp, dt.UTC).date()
    return None


def _utf16_view(data: bytes) -> bytes:
    """A UTF-16 feed hides '<!ENTITY' from a byte search; look at it as UTF-8 too."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return b""
    return b""


def _reject(code: str, reason: str, locator: str) -> Rejection:
    return Rejection(stage="feed", code=code, reason=reason, locator=locator)
