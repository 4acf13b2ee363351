"""Files, directories, JSON/JSONL records, stdin and in-memory Documents -> RawDocuments.

Nothing here raises on bad data: a path that cannot be used (missing, a symlink loop, a name
that is not UTF-8, a directory that cannot be listed), a file too large or a truncated gzip,
and a JSON record with an unusable field each become one `Rejection`, and the files and
records beside it are still read. Gzipped inputs (`.html.gz`, `.txt.gz`, `.jsonl.gz`, ...) are
decompressed with the same size cap as plain files, so a gzip bomb stops at the limit.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from newsprism import errors
from newsprism.ingest import remote
from newsprism.ingest.raw import date_problem, printable, raw_from_bytes, url_problem
from newsprism.ingest.warc import is_warc, read_warc
from newsprism.models import Document, RawDocument, Rejection, SourceHints
from newsprism.settings import Settings
from newsprism.timex import parse_date

TEXT_SUFFIXES = {".txt": "text/plain", ".text": "text/plain"}
HTML_SUFFIXES = {".html": "text/html", ".htm": "text/html", ".xhtml": "text/html"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED = set(TEXT_SUFFIXES) | set(HTML_SUFFIXES) | JSON_SUFFIXES
GZIP_SUFFIX = ".gz"  # any supported suffix plus .gz: page.html.gz, records.jsonl.gz

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_MAX_DATE_CHARS = 100  # a longer "date" is not one, and dateparser is slow on long strings


def _content_suffix(name: str) -> str:
    """The suffix that says what a file holds: 'a.HTML.gz' -> '.html'."""
    lower = name.lower()
    if lower.endswith(GZIP_SUFFIX):
        lower = lower[: -len(GZIP_SUFFIX)]
    return Path(lower).suffix


def supported(name: str) -> bool:
    return _content_suffix(name) in SUPPORTED or is_warc(name.lower())


_OUTLET_KEYS = ("outlet", "source", "site_name", "sitename", "publisher")
_DATE_KEYS = ("published", "date", "published_at", "publish_date", "pubdate")


def _storable(text: str) -> str:
    """Text without lone surrogates (JSON can escape them; UTF-8 cannot hold them)."""
    return _SURROGATE.sub("\ufffd", text)


def document_to_raw(document: Document, *, locator: str = "<document>") -> RawDocument:
    text = document.text
    data = _storable(text).encode("utf-8") if isinstance(text, str) else text
    hints = SourceHints(
        url=document.url, outlet=document.outlet, title=document.title, published=document.published
    )
    return raw_from_bytes(
        data,
        source_kind="document",
        locator=locator,
        content_type=document.content_type,
        hints=hints,
    )


def expand_paths(paths: list[str]) -> Iterator[tuple[int, str]]:
    """(input index, file path) for each path; directories expand to their supported files.

    A directory is walked depth first in name order, without following links to directories
    and without hidden entries. A subdirectory that cannot be listed and a symbolic link loop
    are yielded too (whatever their names), so that `read_path` reports them.
    """
    for index, path in enumerate(paths):
        if remote.is_remote(path):
            for file in remote.expand(path, supported):
                yield index, file
        elif path != "-" and _is_dir(path):
            for file in _walk(path):
                yield index, file
        else:
            yield index, path


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):  # read_path says what is wrong with it
        return False


def _walk(top: str, skipped: list[str] | None = None) -> Iterator[str]:
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            yield directory  # read_path: "cannot list the directory"
            continue
        subdirectories = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    subdirectories.append(entry.path)
                    continue
                looped = entry.is_symlink() and _loops(entry.path)
            except OSError:
                looped = False
            if looped or supported(entry.name):
                yield entry.path
            elif skipped is not None:
                skipped.append(entry.path)
        stack.extend(reversed(subdirectories))


def skipped_files(paths: Sequence[str]) -> list[str]:
    """The files inside the given directories that a run skips as not of a supported type
    (hidden entries are never read, nor listed here); walked as `expand_paths` walks them."""
    skipped: list[str] = []
    for top in paths:
        if top != "-" and _is_dir(top):
            for _ in _walk(top, skipped):
                pass
    return skipped


def _loops(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _reject(code: str, reason: str, locator: str) -> Rejection:
    return Rejection(
        stage="ingest", code=code, reason=printable(reason), locator=printable(locator)
    )


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return _storable(value.strip())
    return None


def _published(record: dict[str, Any]) -> tuple[str, Any] | None:
    """The first date field the record fills in, as (key, value)."""
    for key in _DATE_KEYS:
        value = record.get(key)
        if value is not None and value != "":
            return key, value
    return None


def _from_record(record: Any, locator: str) -> RawDocument | Rejection:
    if not isinstance(record, dict):
        return _reject(
            errors.R_BAD_JSON, "a JSON record must be an object with 'text' or 'html'", locator
        )
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        payload, content_type = html, "text/html"
    elif isinstance(text, str) and text.strip():
        payload, content_type = text, "text/plain"
    else:
        return _reject(
            errors.R_BAD_JSON, "the JSON record has no non-empty 'text' or 'html' field", locator
        )
    url = _first(record, ("url", "link"))
    if url is not None and (problem := url_problem(url)):
        return _reject(errors.R_BAD_RECORD, f"the record's url {url[:200]!r}: {problem}", locator)
    published = None
    if (field := _published(record)) is not None:
        key, value = field
        got = _record_date(value)
        if isinstance(got, str):
            return _reject(errors.R_BAD_RECORD, f"the record's {key!r} {got}", locator)
        published = got
    hints = SourceHints(
        url=url,
        outlet=_first(record, _OUTLET_KEYS),
        title=_first(record, ("title", "headline")),
        published=published,
    )
    return raw_from_bytes(
        _storable(payload).encode("utf-8"),
        source_kind="file",
        locator=locator,
        content_type=content_type,
        hints=hints,
    )


def _record_date(value: Any) -> Any:
    """A record's date field as a date, or (a str) what is wrong with it."""
    shown = repr(value)[:80]
    if not isinstance(value, str):
        return f"{shown} is not a date string (write it like 2024-03-01)"
    if len(value) > _MAX_DATE_CHARS:
        return f"{shown}... is not a date (over {_MAX_DATE_CHARS} characters)"
    try:
        date = parse_date(_storable(value))
    except (ValueError, OverflowError, RecursionError) as exc:
        return f"{shown} is not a date ({type(exc).__name__})"
    if date is None:
        return f"{shown} is not a date"
    problem = date_problem(date)
    return f"{shown} is not a plausible publication date: {problem}" if problem else date


def _read_json(data: bytes, path: str, suffix: str) -> Iterator[RawDocument | Rejection]:
    if suffix != ".json":
        yield from _read_json_lines(data, path)
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield _reject(errors.R_BAD_JSON, f"JSON input must be UTF-8 ({exc.reason})", path)
        return
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, over-long integers
        yield _reject(errors.R_BAD_JSON, f"invalid JSON: {exc}", path)
        return
    records = parsed if isinstance(parsed, list) else [parsed]
    if not records:
        yield _reject(errors.R_BAD_JSON, "the file holds no JSON records", path)
    for n, record in enumerate(records):
        yield _from_record(record, path if len(records) == 1 else f"{path}#{n}")


def _read_json_lines(data: bytes, path: str) -> Iterator[RawDocument | Rejection]:
    """One record per line; a bad line (not UTF-8, not JSON) is rejected on its own.

    Lines end at "\\n" only: str.splitlines would also split inside a JSON string holding a
    raw U+2028 or U+0085, which JSON allows.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        yield _reject(errors.R_BAD_JSON, "the file holds no JSON records", path)
    for n, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        locator = f"{path}#L{n}"
        try:
            record = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield _reject(errors.R_BAD_JSON, f"line {n} is not UTF-8 ({exc.reason})", locator)
            continue
        except (ValueError, RecursionError) as exc:
            yield _reject(errors.R_BAD_JSON, f"invalid JSON on line {n}: {exc}", locator)
            continue
        yield _from_record(record, locator)


def os_rejection(exc: OSError, path: str) -> Rejection:
    """A failed stat or open of `path` as a Rejection with our code (stage "ingest")."""
    if exc.errno == errno.ELOOP:
        return _reject(
            errors.R_SYMLINK_LOOP, "a symbolic link loop (the link leads back to itself)", path
        )
    if exc.errno == errno.ENAMETOOLONG:
        return _reject(errors.R_BAD_NAME, "the file name is too long for the file system", path)
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(path):
            return _reject(errors.R_NOT_FOUND, "a symbolic link to a missing file", path)
        return _reject(errors.R_NOT_FOUND, "no such file or directory", path)
    return _reject(errors.R_UNREADABLE, f"cannot read the file: {exc.strerror or exc}", path)


def _name_problem(path: str) -> str | None:
    bad = _UNSAFE_NAME.search(path)
    if bad is None:
        return None
    if "\ud800" <= bad[0] <= "\udfff":
        return "the file name is not valid UTF-8; rename the file"
    return "the file name holds a control character (such as a newline); rename the file"


def read_path(path: str, *, settings: Settings = Settings()) -> Iterator[RawDocument | Rejection]:
    """Read one file (or '-' for stdin) into raw documents; problems become Rejections."""
    if path == "-":
        yield from read_stdin(settings=settings)
        return
    problem = _name_problem(path)
    if problem:
        yield _reject(errors.R_BAD_NAME, problem, path)
        return
    if remote.is_remote(path):
        yield from _read_remote(path, settings)
        return
    try:
        info = os.stat(path)
    except OSError as exc:
        yield os_rejection(exc, path)
        return
    if stat.S_ISDIR(info.st_mode):
        try:
            os.scandir(path).close()
        except OSError as exc:
            reason = f"cannot list the directory: {exc.strerror or exc}"
            yield _reject(errors.R_UNREADABLE, reason, path)
            return
    if not stat.S_ISREG(info.st_mode):
        yield _reject(errors.R_UNREADABLE, "not a regular file", path)
        return
    yield from _read_file(path, info.st_size, settings)


def _read_remote(path: str, settings: Settings) -> Iterator[RawDocument | Rejection]:
    try:
        size = remote.size_of(path)
    except remote.RemoteError as exc:
        yield remote.rejection(exc, path)
        return
    yield from _read_file(path, size, settings)


def _read_file(path: str, size: int, settings: Settings) -> Iterator[RawDocument | Rejection]:
    if is_warc(path):
        yield from read_warc(path, settings=settings)  # streams: no overall size limit
        return
    suffix = _content_suffix(path)
    if suffix and suffix not in SUPPORTED:
        yield _reject(
            errors.R_UNSUPPORTED,
            f"unsupported file type '{suffix}' "
            "(use .txt, .html, .json, .jsonl or .warc[.gz]; the first four may be gzipped)",
            path,
        )
        return
    data = _read_capped(path, size, settings.max_input_bytes)
    if isinstance(data, Rejection):
        yield data
        return
    if path.lower().endswith(GZIP_SUFFIX):
        data = _gunzip(data, path, settings.max_input_bytes)
        if isinstance(data, Rejection):
            yield data
            return
    if suffix in JSON_SUFFIXES:
        yield from _read_json(data, path, suffix)
        return
    content_type = TEXT_SUFFIXES.get(suffix) or HTML_SUFFIXES.get(suffix)
    yield raw_from_bytes(data, source_kind="file", locator=path, content_type=content_type)


def _read_capped(path: str, size: int, limit: int) -> bytes | Rejection:
    too_large = f"the file is {size:,} bytes, above the limit of {limit:,}"
    if size > limit:
        return _reject(errors.R_TOO_LARGE, too_large, path)
    try:
        with remote.open_binary(path) as stream:
            data = stream.read(limit + 1)  # the file may have grown since it was measured
    except remote.RemoteError as exc:
        return remote.rejection(exc, path)
    except OSError as exc:
        return os_rejection(exc, path)
    if len(data) > limit:
        return _reject(errors.R_TOO_LARGE, f"the file is above the limit of {limit:,}", path)
    return data


def _gunzip(data: bytes, path: str, limit: int) -> bytes | Rejection:
    """Decompress every gzip member, stopping at `limit` bytes out (a gzip bomb)."""
    out: list[bytes] = []
    size = 0
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=31)  # gzip framing only
        pending = rest
        try:
            while True:
                piece = inflater.decompress(pending, limit + 1 - size)
                size += len(piece)
                out.append(piece)
                if size > limit:
                    return _reject(
                        errors.R_TOO_LARGE,
                        f"the file decompresses to more than {limit:,} bytes (a gzip bomb?)",
                        path,
                    )
                if inflater.eof:
                    break
                pending = inflater.unconsumed_tail
                if not pending:
                    return _reject(
                        errors.R_UNREADABLE,
                        f"the gzip data is truncated after {size:,} decompressed bytes",
                        path,
                    )
        except zlib.error as exc:
            where = "not gzip data" if size == 0 and rest is data else "corrupt gzip data"
            return _reject(errors.R_UNREADABLE, f"{where}: {exc}", path)
        rest = inflater.unused_data
        if not rest.startswith(b"\x1f\x8b"):
            break  # trailing padding after the last member is ignored, as gzip does
    return b"".join(out)


def read_stdin(*, settings: Settings = Settings()) -> Iterator[RawDocument | Rejection]:
    try:
        data = sys.stdin.buffer.read(settings.max_input_bytes + 1)
    except (OSError, ValueError) as exc:  # a closed or unreadable stdin
        yield _reject(errors.R_UNREADABLE, f"cannot read standard input: {exc}", "-")
        return
    if len(data) > settings.max_input_bytes:
        yield _reject(
            errors.R_TOO_LARGE,
            f"standard input is above the limit of {settings.max_input_bytes:,} bytes",
            "-",
        )
        return
    yield raw_from_bytes(data, source_kind="stdin", locator="<stdin>", content_type=None)
