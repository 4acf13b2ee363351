"""WARC / WARC.gz archives (CC-NEWS style) -> one RawDocument per page record.

A page is an HTML `response` record (HTTP 2xx), or a `resource` or `conversion` record holding
HTML or plain text (an archived file, a crawler's text extraction).

Streaming: records are read one at a time from the file and each payload is read at most up
to `Settings.max_input_bytes` + 1 bytes, so memory stays flat however large the archive is.
A gzipped archive may inflate to at most `_MAX_RATIO` times the compressed bytes read (plus
`_INFLATE_SLACK`): a gzip bomb stops there with an `ingest.too_large` rejection. Records that
are not pages (requests, metadata, images, redirects, error pages) are skipped and counted in
one `warc.skipped_records` rejection per archive, whose reason lists the counts; a page record
with an unusable target URI or date is an `ingest.bad_record` of its own. A truncated or
corrupt archive ends with a `warc.truncated` rejection naming the offset; every record before
it has already been yielded.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsprism import errors
from newsprism.ingest import remote
from newsprism.ingest.raw import date_problem, printable, raw_from_bytes, url_problem
from newsprism.models import RawDocument, Rejection, SourceHints
from newsprism.settings import Settings

WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BLOCK_TYPES = {  # a resource or conversion record's own Content-Type -> ours
    "text/html": "text/html",
    "application/xhtml+xml": "text/html",
    "text/plain": "text/plain",
}
_PAGE_BLOCKS = ("resource", "conversion")  # records whose block is the document itself
# HTML inflates 5-10x, already-compressed media about 1x; a gzip bomb 1000x.
_MAX_RATIO = 100
_INFLATE_SLACK = 64 * 1024 * 1024


class InflationError(Exception):
    """The archive inflates far more than any real archive does (a gzip bomb)."""


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def read_warc(path: str, *, settings: Settings = Settings()) -> Iterator[RawDocument | Rejection]:
    """Yield a RawDocument per HTML response record, then any skip summary or truncation."""
    skipped: Counter[str] = Counter()
    offset = 0
    try:
        with remote.open_binary(path) as stream:
            records = _CheckedIterator(stream)
            for record in records:
                broken = _malformed(record)
                if broken:
                    raise ValueError(broken)
                got = _record(record, path, settings)
                if _truncated(record):
                    raise EOFError("a record ends before its Content-Length")
                # warcio knows a record's offset only once the record has been read to the end
                offset = records.get_record_offset()
                if isinstance(got, str):
                    skipped[got] += 1
                else:
                    yield replace(got, locator=f"{path}@{offset}")
            if records.incomplete_gzip:
                raise EOFError("the last gzip member is cut short")
    except FileNotFoundError:
        yield _reject(errors.R_NOT_FOUND, "no such file", path)
        return
    except remote.RemoteError as exc:
        yield remote.rejection(exc, path)
        return
    except InflationError as exc:
        yield _reject(
            errors.R_TOO_LARGE,
            f"{exc} after offset {offset} (a gzip bomb?); records before it were read",
            f"{path}@{offset}",
        )
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        yield _reject(
            errors.R_WARC_TRUNCATED,
            f"the archive is truncated or corrupt after offset {offset}: {detail}; "
            "records before it were read",
            f"{path}@{offset}",
        )
    if skipped:
        counts = ", ".join(f"{n} {why}" for why, n in skipped.most_common())
        yield _reject(
            errors.R_WARC_SKIPPED,
            f"skipped {sum(skipped.values())} records that are not pages: {counts}",
            path,
        )


class _CheckedIterator(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator, remembering whether the last gzip member ended properly, and
    counting what the archive inflates to.

    warcio stops quietly at a gzip member cut short; zlib knows (`eof` stays False). Its
    reader inflates each block it reads without a limit, and reads a header line until it
    finds a newline, so a bomb is stopped where the reader inflates: `_decompress`.
    """

    incomplete_gzip = False

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.inflated = 0
        inflate = self.reader._decompress

        def counted(data: bytes) -> bytes:
            out: bytes = inflate(data)
            self.inflated += len(out)
            if self.inflated > _INFLATE_SLACK + _MAX_RATIO * stream.tell():
                raise InflationError(
                    f"the archive inflates to more than {_MAX_RATIO} times its compressed size"
                )
            return out

        self.reader._decompress = counted

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader else None
        self.incomplete_gzip = decompressor is not None and not decompressor.eof
        super().close()


def _record(record: Any, path: str, settings: Settings) -> RawDocument | Rejection | str:
    """A RawDocument, a Rejection for a page we cannot take, or why the record is skipped."""
    kind = _page_kind(record)
    if kind.startswith("skip:"):
        return kind.removeprefix("skip:")
    locator = path  # the caller adds the record's offset
    url = _target_uri(record)
    if url is not None and (problem := url_problem(url)):
        return _reject(
            errors.R_BAD_RECORD, f"the record's WARC-Target-URI {url[:200]!r}: {problem}", locator
        )
    stamp = _warc_date(record.rec_headers.get_header("WARC-Date"))
    if isinstance(stamp, str):
        return _reject(errors.R_BAD_RECORD, f"the record's WARC-Date {stamp}", locator)
    data = record.content_stream().read(settings.max_input_bytes + 1)
    if len(data) > settings.max_input_bytes:
        return _reject(
            errors.R_TOO_LARGE,
            f"the record for {url} is above the limit of {settings.max_input_bytes:,} bytes",
            locator,
        )
    return raw_from_bytes(
        data,
        source_kind="warc",
        locator=locator,
        content_type=kind,
        hints=SourceHints(url=url),
        fetched_at=stamp,
    )


def _page_kind(record: Any) -> str:
    """The content type of a page record ("text/html", "text/plain"), else "skip:<why>"."""
    if record.rec_type in _PAGE_BLOCKS:
        declared = (record.rec_headers.get_header("Content-Type") or "").split(";")[0]
        content_type = declared.strip().lower()
        if content_type in _BLOCK_TYPES:
            return _BLOCK_TYPES[content_type]
        return f"skip:{content_type or 'untyped'} {record.rec_type}"
    if record.rec_type != "response":
        return f"skip:{record.rec_type} record"
    if record.http_headers is None:
        return "skip:response without HTTP headers"
    status = record.http_headers.get_statuscode()
    if not status or not status.startswith("2"):
        return f"skip:HTTP {status or '?'} response"
    content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip()
    if content_type.lower() not in _HTML_TYPES:
        return f"skip:{content_type or 'untyped'} response"
    return "text/html"


def _target_uri(record: Any) -> str | None:
    """WARC-Target-URI, without the angle brackets some WARC/1.0 writers put around it."""
    value = record.rec_headers.get_header("WARC-Target-URI")
    if not value:
        return None
    value = str(value).strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    return value or None


def _malformed(record: Any) -> str | None:
    """Why a record is not a well-formed WARC record (warcio reads almost anything)."""
    if record.format != "warc":
        return "not a WARC record (ARC files and other formats are not read)"
    headers = record.rec_headers
    for name in ("WARC-Type", "WARC-Record-ID", "Content-Length"):
        if not headers.get_header(name):
            return f"a record has no {name} header"
    return None


def _truncated(record: Any) -> bool:
    """Read what is left of the record's block; True when the file ends before it does."""
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    return int(getattr(stream, "limit", 0)) > 0


def _warc_date(value: str | None) -> dt.datetime | str | None:
    """WARC-Date as an aware datetime (None when absent), or (a str) what is wrong with it.

    It dates a page that carries no date of its own, so year 1 or 9999 must not pass.
    """
    if not value:
        return None
    shown = repr(value)[:80]
    try:
        stamp = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return f"{shown} is not an ISO 8601 date"
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
    try:
        stamp = stamp.astimezone(dt.UTC)
    except OverflowError:
        return f"{shown} is not a plausible date"
    problem = date_problem(stamp.date())
    return f"{shown} is not a plausible date: {problem}" if problem else stamp


def _reject(code: str, reason: str, locator: str) -> Rejection:
    return Rejection(
        stage="ingest", code=code, reason=printable(reason), locator=printable(locator)
    )
