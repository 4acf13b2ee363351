"""The one constructor of RawDocuments: ids hash the bytes and the caller's hints."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from newsprism.ids import hash_id
from newsprism.models import RawDocument, SourceHints, SourceKind

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` as one printable line, safe to store and show: the undecodable bytes of a file
    name, lone surrogates and control characters (a newline, NUL) are written as escapes."""
    return _UNPRINTABLE.sub(_escape, text)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def raw_from_bytes(
    data: bytes,
    *,
    source_kind: SourceKind,
    locator: str,
    content_type: str | None,
    hints: SourceHints = SourceHints(),
    fetched_at: dt.datetime | None = None,
) -> RawDocument:
    """A RawDocument whose id hashes the bytes and the caller's hints (not the locator)."""
    raw_id = hash_id(
        "raw",
        data,
        hints.url or "",
        hints.outlet or "",
        hints.title or "",
        hints.published.isoformat() if hints.published else "",
    )
    return RawDocument(
        id=raw_id,
        source_kind=source_kind,
        locator=locator,
        fetched_at=fetched_at or _now(),
        content_type=content_type,
        data=data,
        hints=hints,
    )


def with_outlet(raw: RawDocument, outlet: str | None) -> RawDocument:
    """The same bytes with an outlet hint added (the id changes: hints are part of it)."""
    if not outlet or raw.hints.outlet:
        return raw
    hints = SourceHints(
        url=raw.hints.url, outlet=outlet, title=raw.hints.title, published=raw.hints.published
    )
    return raw_from_bytes(
        raw.data,
        source_kind=raw.source_kind,
        locator=raw.locator,
        content_type=raw.content_type,
        hints=hints,
        fetched_at=raw.fetched_at,
    )


EARLIEST = dt.date(1800, 1, 1)
_FUTURE_SLACK = dt.timedelta(days=366)


def date_problem(date: dt.date) -> str | None:
    """Why a date cannot be an article's publication date, or None when it can.

    Year 1 or 9999 is a placeholder, not a date, and arithmetic on it overflows later (a story
    window around 9999-12-31); so is anything more than a year ahead of today.
    """
    if date < EARLIEST:
        return f"{date.isoformat()} is before {EARLIEST.year}"
    if date > dt.date.today() + _FUTURE_SLACK:
        return f"{date.isoformat()} is more than a year in the future"
    return None


def url_problem(url: str, *, schemes: tuple[str, ...] = ()) -> str | None:
    """Why `url` is not a usable URL, or None. `schemes`: the schemes allowed (any if empty).

    urlsplit raises ValueError on a bracketed host left open ("http://[::1"), and `.port` on a
    port out of range; both are bad data, never a crash.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError as exc:
        return f"not a valid URL: {exc}"
    if schemes and parts.scheme not in schemes:
        return f"only http and https URLs are fetched, not '{parts.scheme or url}'"
    if schemes and not parts.hostname:
        return "the URL has no host"
    return None
