"""WARC / WARC.gz archives (CC-NEWS style) -> one RawDocument per HTML response record.

Streaming: records are read one at a time from the file and each payload is read at most up
to `Settings.max_input_bytes` + 1 bytes, so memory stays flat however large the archive is.
Records that are not HTML pages (requests, metadata, images, redirects, error pages) are
skipped and counted in one `warc.skipped_records` rejection per archive, whose reason lists
the counts. A truncated or corrupt archive ends with a `warc.truncated` rejection naming the
offset; every record before it has already been yielded.
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
from newsprism.ingest.raw import raw_from_bytes
from newsprism.models import RawDocument, Rejection, SourceHints
from newsprism.settings import Settings

WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def read_warc(path: str, *, settings: Settings = Settings()) -> Iterator[RawDocument | Rejection]:
    """Yield a RawDocument per HTML response record, then any skip summary or truncation."""
    skipped: Counter[str] = Counter()
    offset = 0
    try:
        with open(path, "rb") as stream:
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
            f"skipped {sum(skipped.values())} records that are not HTML pages: {counts}",
            path,
        )


class _CheckedIterator(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator, remembering whether the last gzip member ended properly.

    warcio stops quietly at a gzip member cut short; zlib knows (`eof` stays False).
    """

    incomplete_gzip = False

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader else None
        self.incomplete_gzip = decompressor is not None and not decompressor.eof
        super().close()


def _record(record: Any, path: str, settings: Settings) -> RawDocument | Rejection | str:
    """A RawDocument, a Rejection for a page we cannot take, or why the record is skipped."""
    if record.rec_type != "response":
        return f"{record.rec_type} record"
    if record.http_headers is None:
        return "response without HTTP headers"
    status = record.http_headers.get_statuscode()
    if not status or not status.startswith("2"):
        return f"HTTP {status or '?'} response"
    content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip()
    if content_type.lower() not in _HTML_TYPES:
        return f"{content_type or 'untyped'} response"
    url = record.rec_headers.get_header("WARC-Target-URI")
    locator = path  # the caller adds the record's offset
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
        content_type="text/html",
        hints=SourceHints(url=url),
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
    )


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


def _warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def _reject(code: str, reason: str, locator: str) -> Rejection:
    return Rejection(stage="ingest", code=code, reason=reason, locator=locator)
