"""WARC archives built in the test: HTML responses in, everything else counted, truncation caught."""

from __future__ import annotations

from pathlib import Path

import pytest

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
