"""Every input through `newsprism ingest`: URLs, feeds, `watch`, WARC archives, bad input.

A real HTTP server on 127.0.0.1 serves the pages and feeds; the CLI runs as a subprocess
against a real SQLite file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsprism import errors
from tests.conftest import EXAMPLES
from tests.e2e.test_cli import cli
from tests.support.warcs import write_warc
from tests.support.web import Site, serve

pytestmark = pytest.mark.model

PAGES = {
    "/border/kestrian.html": EXAMPLES / "border-talks" / "kestrian-voice.html",
    "/border/meridian.html": EXAMPLES / "border-talks" / "meridian-wire.html",
    "/lorvik/ledger.html": EXAMPLES / "lorvik-strike" / "harbor-ledger.html",
}


def rss(site: Site, paths: list[str]) -> str:
    items = "".join(
        f"<item><title>Item {n}</title><link>{site.url(p)}</link><guid>{p}</guid></item>"
        for n, p in enumerate(paths)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title>{items}</channel></rss>'


@pytest.fixture
def site() -> Site:
    with serve() as s:
        s.add("/robots.txt", "User-agent: *\nAllow: /\n", Content_Type="text/plain")
        for path, file in PAGES.items():
            s.add(path, file.read_bytes())
        s.add("/rss.xml", rss(s, list(PAGES)), Content_Type="application/rss+xml", ETag='"1"')
        yield s


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_url_refused_by_default_then_fetched_with_allow_private(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    url = site.url("/border/kestrian.html")
    refused = cli("ingest", url, "--db", str(db))
    assert refused.returncode == 3
    assert "loopback" in refused.stderr and errors.R_BLOCKED in refused.stderr
    assert site.requests == []
    assert rows(db, "SELECT code FROM rejections") == [(errors.R_BLOCKED,)]
    fetched = cli("ingest", url, "--db", str(db), "--allow-private")
    assert fetched.returncode == 0, fetched.stderr
    ((source_kind, locator),) = rows(db, "SELECT source_kind, locator FROM raw_documents")
    assert source_kind == "url" and locator == url


def test_feed_ingests_each_entry_once(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    first = cli("ingest", "--feed", site.url("/rss.xml"), "--db", db, "--allow-private")
    assert first.returncode == 0, first.stderr
    assert "3 article(s) accepted" in first.stderr
    assert {p: site.hits(p) for p in PAGES} == dict.fromkeys(PAGES, 1)
    again = cli("ingest", "--feed", site.url("/rss.xml"), "--db", db, "--allow-private")
    assert again.returncode == 0 and "0 article(s) accepted" in again.stderr
    assert {p: site.hits(p) for p in PAGES} == dict.fromkeys(PAGES, 1)  # nothing refetched
    feed_requests = [h for p, h in site.requests if p == "/rss.xml"]
    assert feed_requests[-1].get("if-none-match") == '"1"'  # conditional GET on the re-poll
    kinds = rows(db, "SELECT DISTINCT source_kind FROM raw_documents")
    assert kinds == [("feed",)]


def test_watch_survives_down_and_malformed_feeds(site: Site, tmp_path: Path) -> None:
    site.add("/broken.xml", "<rss><channel><title>oops", Content_Type="application/rss+xml")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(
        "# test feeds\n"
        f"{site.url('/broken.xml')}\n"
        "http://127.0.0.1:9/down.xml\n"
        f"{site.url('/rss.xml')}\n",
        encoding="utf-8",
    )
    db = tmp_path / "n.db"
    result = cli(
        "watch", str(feeds), "--every", "0.2s", "--polls", "2", "--db", str(db), "--allow-private"
    )
    assert result.returncode == 0, result.stderr
    assert "poll 1" in result.stderr and "poll 2" in result.stderr
    assert "3 new article(s)" in result.stderr and "0 new article(s)" in result.stderr
    assert errors.R_FEED_BAD in result.stderr and errors.R_NETWORK in result.stderr
    polls = dict(rows(db, "SELECT url, polls FROM feeds"))
    assert polls[site.url("/rss.xml")] == 2 and polls["http://127.0.0.1:9/down.xml"] == 2
    assert len(rows(db, "SELECT id FROM articles")) == 3


def test_warc_archive_through_ingest(tmp_path: Path) -> None:
    records = [
        (f"https://example.org{p}", "text/html; charset=utf-8", f.read_bytes())
        for p, f in PAGES.items()
    ]
    records.insert(1, ("https://example.org/logo.png", "image/png", b"\x89PNG"))
    archive = write_warc(tmp_path / "cc-news.warc.gz", records)
    db = tmp_path / "n.db"
    result = cli("ingest", str(archive), "--db", str(db))
    assert result.returncode == 1, result.stderr  # one counted skip
    assert "3 article(s) accepted" in result.stderr
    assert "skipped 1 records" in result.stderr and "image/png" in result.stderr
    urls = {r[0] for r in rows(db, "SELECT json_extract(hints, '$.url') FROM raw_documents")}
    assert urls == {f"https://example.org{p}" for p in PAGES}


def _snapshot(db: Path) -> dict[str, set[tuple[object, ...]]]:
    tables = ["raw_documents", "articles", "analyses", "story_articles"]
    return {table: set(rows(db, f"SELECT * FROM {table}")) for table in tables}


def test_bad_input_is_rejected_and_nothing_stored_changes(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    assert cli("ingest", str(EXAMPLES / "border-talks"), "--db", str(db)).returncode == 0
    before = _snapshot(db)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 64)
    with (bad / "huge.txt").open("wb") as f:  # 100 MB, sparse: the size check comes first
        f.truncate(100 * 1024 * 1024)
    (bad / "nested.html").write_text("<div>" * 100_000 + "deep" + "</div>" * 10, encoding="utf-8")
    (bad / "script.html").write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    (bad / "bomb.rss").write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<rss><channel><title>&b;</title></channel></rss>"
    )
    whole = write_warc(
        tmp_path / "whole.warc.gz",
        [("https://example.org/a", "text/html", PAGES["/lorvik/ledger.html"].read_bytes())] * 2,
    ).read_bytes()
    (bad / "cut.warc.gz").write_bytes(whole[:-60])
    (bad / "notes.pdf").write_bytes(b"%PDF-1.4")
    result = cli(
        "ingest", str(bad), str(bad / "notes.pdf"), "--feed", str(bad / "bomb.rss"), "--db", str(db)
    )
    assert result.returncode in (1, 3), result.stderr
    found = rows(db, "SELECT locator, code, reason FROM rejections")
    codes = {(Path(str(loc).split("@")[0]).name, code) for loc, code, _ in found}
    assert ("empty.txt", errors.R_EMPTY) in codes
    assert ("binary.txt", errors.R_BINARY) in codes
    assert ("huge.txt", errors.R_TOO_LARGE) in codes
    assert ("script.html", errors.R_NO_TEXT) in codes
    assert ("nested.html", errors.R_NO_TEXT) in codes
    assert ("bomb.rss", errors.R_FEED_HOSTILE) in codes
    assert ("cut.warc.gz", errors.R_WARC_TRUNCATED) in codes
    assert ("notes.pdf", errors.R_UNSUPPORTED) in codes
    assert all(reason and "\n" not in str(reason) for _, _, reason in found)
    after = _snapshot(db)
    for table, old_rows in before.items():
        assert old_rows <= after[table], f"a stored row of {table} changed or vanished"
