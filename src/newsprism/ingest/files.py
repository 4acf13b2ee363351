"""Files, directories, JSON/JSONL records, stdin and in-memory Documents -> RawDocuments."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsprism import errors
from newsprism.ingest.raw import raw_from_bytes
from newsprism.ingest.warc import is_warc, read_warc
from newsprism.models import Document, RawDocument, Rejection, SourceHints
from newsprism.settings import Settings
from newsprism.timex import parse_date

TEXT_SUFFIXES = {".txt": "text/plain", ".text": "text/plain"}
HTML_SUFFIXES = {".html": "text/html", ".htm": "text/html", ".xhtml": "text/html"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED = set(TEXT_SUFFIXES) | set(HTML_SUFFIXES) | JSON_SUFFIXES


def supported(name: str) -> bool:
    lower = name.lower()
    return Path(lower).suffix in SUPPORTED or is_warc(lower)


_OUTLET_KEYS = ("outlet", "source", "site_name", "sitename", "publisher")
_DATE_KEYS = ("published", "date", "published_at", "publish_date", "pubdate")


def document_to_raw(document: Document, *, locator: str = "<document>") -> RawDocument:
    data = document.text.encode("utf-8") if isinstance(document.text, str) else document.text
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
    """(input index, file path) for each path; directories expand to their supported files, sorted."""
    for index, path in enumerate(paths):
        if path == "-":
            yield index, path
            continue
        p = Path(path)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if supported(name) and not name.startswith("."):
                        yield index, str(Path(root) / name)
        else:
            yield index, path


def _reject(code: str, reason: str, locator: str) -> Rejection:
    return Rejection(stage="ingest", code=code, reason=reason, locator=locator)


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
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
    date_text = _first(record, _DATE_KEYS)
    hints = SourceHints(
        url=_first(record, ("url", "link")),
        outlet=_first(record, _OUTLET_KEYS),
        title=_first(record, ("title", "headline")),
        published=parse_date(date_text) if date_text else None,
    )
    return raw_from_bytes(
        payload.encode("utf-8"),
        source_kind="file",
        locator=locator,
        content_type=content_type,
        hints=hints,
    )


def _read_json(data: bytes, path: str, suffix: str) -> Iterator[RawDocument | Rejection]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield _reject(errors.R_BAD_JSON, "JSON input must be UTF-8", path)
        return
    if suffix == ".json":
        try:
            parsed = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield _reject(errors.R_BAD_JSON, f"invalid JSON: {exc}", path)
            return
        records = parsed if isinstance(parsed, list) else [parsed]
        for n, record in enumerate(records):
            yield _from_record(record, path if len(records) == 1 else f"{path}#{n}")
        return
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield _reject(errors.R_BAD_JSON, f"invalid JSON on line {n}: {exc}", f"{path}#L{n}")
            continue
        yield _from_record(record, f"{path}#L{n}")


def read_path(path: str, *, settings: Settings = Settings()) -> Iterator[RawDocument | Rejection]:
    """Read one file (or '-' for stdin) into raw documents; problems become Rejections."""
    if path == "-":
        yield from read_stdin(settings=settings)
        return
    p = Path(path)
    if not p.exists():
        yield _reject(errors.R_NOT_FOUND, "no such file or directory", path)
        return
    if not p.is_file():
        yield _reject(errors.R_UNREADABLE, "not a regular file", path)
        return
    suffix = p.suffix.lower()
    if is_warc(path):
        yield from read_warc(path, settings=settings)  # streams: no overall size limit
        return
    try:
        size = p.stat().st_size
        if size > settings.max_input_bytes:
            yield _reject(
                errors.R_TOO_LARGE,
                f"the file is {size:,} bytes, above the limit of {settings.max_input_bytes:,}",
                path,
            )
            return
        data = p.read_bytes()
    except OSError as exc:
        yield _reject(errors.R_UNREADABLE, f"cannot read the file: {exc.strerror or exc}", path)
        return
    if suffix in JSON_SUFFIXES:
        yield from _read_json(data, path, suffix)
        return
    content_type = TEXT_SUFFIXES.get(suffix) or HTML_SUFFIXES.get(suffix)
    if content_type is None and suffix:
        yield _reject(
            errors.R_UNSUPPORTED,
            f"unsupported file type '{suffix}' (use .txt, .html, .json, .jsonl or .warc[.gz])",
            path,
        )
        return
    yield raw_from_bytes(data, source_kind="file", locator=path, content_type=content_type)


def read_stdin(*, settings: Settings = Settings()) -> Iterator[RawDocument | Rejection]:
    data = sys.stdin.buffer.read(settings.max_input_bytes + 1)
    if len(data) > settings.max_input_bytes:
        yield _reject(
            errors.R_TOO_LARGE,
            f"standard input is above the limit of {settings.max_input_bytes:,} bytes",
            "-",
        )
        return
    yield raw_from_bytes(data, source_kind="stdin", locator="<stdin>", content_type=None)
