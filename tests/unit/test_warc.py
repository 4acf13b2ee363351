"""WARC archives built in the test: pages in, everything else counted, truncation and bombs caught."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism import errors
from newsprism.ingest.files import read_path
from newsprism.ingest.warc import read_warc
from newsprism.models import RawDocument, Rejection
from newsprism.settings import Settings
from tests.support.warcs import write_warc

PAGE = b"<html><body><article><p>Page %d: the harbour council met on Monday.</p></article></body></html>"


def records() -> list[tuple[str, str, bytes]]:
    return [
        ("https://news.example/1", "text/html; charset=utf-8", PAGE % 1),
        ("https://news.example/1", "", b"GET /1 HTTP/1.1\r\nHost: news.example\r\n\r\n"),
        ("https://news.example/logo.png", "image/png", b"\x89PNG\r\n"),
        ("https://news.example/old", "redirect", b""),
        ("https://news.example/2", "application/xhtml+xml", PAGE % 2),
    ]


@pytest.mark.parametrize("gzip", [True, False])
def test_html_responses_become_raw_documents(tmp_path: Path, gzip: bool) -> None:
    path = write_warc(tmp_path / ("a.warc.gz" if gzip else "a.warc"), records(), gzip=gzip)
    got = list(read_path(str(path)))
    raws = [g for g in got if isinstance(g, RawDocument)]
    assert [r.hints.url for r in raws] == ["https://news.example/1", "https://news.example/2"]
    assert all(r.source_kind == "warc" and r.content_type == "text/html" for r in raws)
    assert raws[0].data == PAGE % 1
    assert raws[0].locator.startswith(str(path) + "@")
    (skipped,) = [g for g in got if isinstance(g, Rejection)]
    assert skipped.code == errors.R_WARC_SKIPPED
    assert "skipped 3 records" in skipped.reason
    assert (
        "image/png" in skipped.reason
        and "request" in skipped.reason
        and "HTTP 301" in skipped.reason
    )


@pytest.mark.parametrize(("gzip", "cut"), [(True, 40), (False, 40), (False, 400)])
def test_truncated_archive_keeps_what_came_before(tmp_path: Path, gzip: bool, cut: int) -> None:
    whole = write_warc(tmp_path / "w.warc", records(), gzip=gzip).read_bytes()
    path = tmp_path / ("t.warc.gz" if gzip else "t.warc")
    path.write_bytes(whole[:-cut])
    got = list(read_warc(str(path)))
    assert any(isinstance(g, RawDocument) and g.hints.url == "https://news.example/1" for g in got)
    truncated = [g for g in got if isinstance(g, Rejection) and g.code == errors.R_WARC_TRUNCATED]
    assert len(truncated) == 1
    assert "truncated or corrupt" in truncated[0].reason


def test_oversized_record_is_rejected_alone(tmp_path: Path) -> None:
    big = b"<html><body><p>" + b"x" * 5000 + b"</p></body></html>"
    path = write_warc(
        tmp_path / "b.warc.gz",
        [
            ("https://a.example/big", "text/html", big),
            ("https://a.example/ok", "text/html", PAGE % 3),
        ],
    )
    got = list(read_warc(str(path), settings=Settings(max_input_bytes=1000)))
    assert isinstance(got[0], Rejection) and got[0].code == errors.R_TOO_LARGE
    assert isinstance(got[1], RawDocument) and got[1].hints.url == "https://a.example/ok"


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "x.warc.gz"
    path.write_bytes(b"this is not an archive at all")
    got = list(read_warc(str(path)))
    assert len(got) == 1 and isinstance(got[0], Rejection)
    assert got[0].code == errors.R_WARC_TRUNCATED


# (record type, target URI, WARC Content-Type, block, WARC-Date or None for the writer's own)
Block = tuple[str, str, str, bytes, str | None]


def write_blocks(path: Path, blocks: list[Block], *, gzip: bool = True) -> Path:
    """An archive of resource/conversion records (their block is the document itself)."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        for kind, uri, content_type, block, date in blocks:
            record = writer.create_warc_record(
                uri, kind, payload=io.BytesIO(block), warc_content_type=content_type
            )
            if date is not None:
                record.rec_headers.replace_header("WARC-Date", date)
            writer.write_record(record)
    return path


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        buffer[:n] = bytes(n)
        self.left -= n
        return n


def write_bomb(path: Path, *, size: int = 200_000_000) -> Path:
    """A good page, then a response whose `size` zero bytes gzip to ~1/1000 of that."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for uri, payload, length in [
            ("https://bomb.example/ok", io.BytesIO(PAGE % 7), None),
            ("https://bomb.example/bomb", io.BufferedReader(_Zeros(size)), size),
        ]:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=payload, length=length, http_headers=headers
                )
            )
    return path


@pytest.mark.parametrize("gzip", [True, False])
def test_resource_and_conversion_records_with_html_or_text_are_read(
    tmp_path: Path, gzip: bool
) -> None:
    path = write_blocks(
        tmp_path / ("r.warc.gz" if gzip else "r.warc"),
        [
            ("resource", "https://news.example/r", "text/html; charset=utf-8", PAGE % 4, None),
            ("conversion", "https://news.example/c", "text/plain", b"Plain text of page 5.", None),
            ("resource", "https://news.example/x.png", "image/png", b"\x89PNG", None),
            ("metadata", "https://news.example/r", "application/warc-fields", b"a: b\r\n", None),
        ],
        gzip=gzip,
    )
    got = list(read_path(str(path)))
    raws = [g for g in got if isinstance(g, RawDocument)]
    assert [(r.hints.url, r.content_type, r.data) for r in raws] == [
        ("https://news.example/r", "text/html", PAGE % 4),
        ("https://news.example/c", "text/plain", b"Plain text of page 5."),
    ]
    (skipped,) = [g for g in got if isinstance(g, Rejection)]
    assert "image/png resource" in skipped.reason and "metadata record" in skipped.reason


@pytest.mark.parametrize(
    ("uri", "date", "why"),
    [
        ("http://[::1", None, "WARC-Target-URI"),  # urlsplit raises ValueError on it
        ("https://news.example/a", "0001-01-01T00:00:00Z", "WARC-Date"),
        ("https://news.example/a", "9999-12-31T23:59:59Z", "WARC-Date"),
        ("https://news.example/a", "last tuesday", "WARC-Date"),
    ],
)
def test_a_record_with_an_unusable_uri_or_date_is_rejected_alone(
    tmp_path: Path, uri: str, date: str | None, why: str
) -> None:
    path = write_blocks(
        tmp_path / "d.warc.gz",
        [
            ("resource", uri, "text/html", PAGE % 1, date),
            ("resource", "https://news.example/2", "text/html", PAGE % 2, None),
        ],
    )
    first, second = list(read_warc(str(path)))
    assert isinstance(first, Rejection) and first.code == errors.R_BAD_RECORD
    assert why in first.reason and first.locator.startswith(f"{path}@")
    assert isinstance(second, RawDocument) and second.hints.url == "https://news.example/2"


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    path = write_bomb(tmp_path / "bomb.warc.gz")
    assert path.stat().st_size < 2_000_000
    started = time.monotonic()
    got = list(read_warc(str(path)))
    assert time.monotonic() - started < 10  # stopped early, not inflated to 200 MB
    assert isinstance(got[0], RawDocument) and got[0].hints.url == "https://bomb.example/ok"
    assert isinstance(got[-1], Rejection) and got[-1].code == errors.R_TOO_LARGE
    assert "gzip bomb" in got[-1].reason
