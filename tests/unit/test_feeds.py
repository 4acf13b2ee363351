"""RSS/Atom feeds: parsing, hostile XML, and reading entries' articles from a real local server."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from newsprism import errors
from newsprism.ingest.feeds import entry_article, parse_feed, poll_feed
from newsprism.ingest.fetch import Fetcher
from newsprism.models import RawDocument, Rejection
from newsprism.settings import Settings
from tests.support.web import serve

BODY = (
    "<p>" + "The council approved the harbour budget on Monday after a long debate. " * 4 + "</p>"
)


def rss(*items: tuple[str, str], extra: str = "") -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Tue, 03 Feb 2026 10:00:00 GMT</pubDate>{extra}</item>"
        for title, link in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Harbour News</title>'
        f"{entries}</channel></rss>"
    ).encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><id>tag:wire,2026:1</id><title>First</title><link href="https://wire.example/1"/>
<updated>2026-03-12T08:00:00Z</updated><content type="html">&lt;p&gt;Short.&lt;/p&gt;</content></entry>
</feed>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<rss version="2.0"><channel><title>&d;</title><item><title>&d;</title></item></channel></rss>"""

XXE = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&x;</title></channel></rss>"""


def test_rss_entries() -> None:
    feed = parse_feed(rss(("One", "https://a.example/1"), ("Two", "https://a.example/2")), "f")
    assert not isinstance(feed, Rejection)
    assert feed.title == "Harbour News"
    assert [e.id for e in feed.entries] == ["https://a.example/1", "https://a.example/2"]
    assert feed.entries[0].published == dt.date(2026, 2, 3)
    assert feed.entries[0].title == "One"


def test_atom_entries() -> None:
    feed = parse_feed(ATOM, "f")
    assert not isinstance(feed, Rejection)
    (entry,) = feed.entries
    assert entry.id == "tag:wire,2026:1" and entry.link == "https://wire.example/1"
    assert entry.published == dt.date(2026, 3, 12)
    assert entry.content == "<p>Short.</p>"


@pytest.mark.parametrize("data", [BOMB, XXE, BOMB.decode().encode("utf-16")])
def test_hostile_xml_is_refused(data: bytes) -> None:
    got = parse_feed(data, "bomb.xml")
    assert isinstance(got, Rejection) and got.code == errors.R_FEED_HOSTILE


@pytest.mark.parametrize("data", [b"", b"just some text", b"<html><body>no feed</body></html>"])
def test_not_a_feed(data: bytes) -> None:
    got = parse_feed(data, "x")
    assert isinstance(got, Rejection)
    assert got.code in (errors.R_FEED_BAD, errors.R_EMPTY)


def test_truncated_feed_keeps_the_entries_before_the_break() -> None:
    data = rss(("One", "https://a.example/1"), ("Two", "https://a.example/2"))
    cut = data[: data.index(b"<item>", 200) + 20]
    got = parse_feed(cut, "cut.xml")
    assert not isinstance(got, Rejection)
    assert [e.title for e in got.entries][:1] == ["One"] and got.warning


def test_full_text_feed_works_offline(tmp_path: Path) -> None:
    item = f"<content:encoded><![CDATA[{BODY}]]></content:encoded>"
    path = tmp_path / "feed.xml"
    path.write_bytes(rss(("Budget", "https://unreachable.invalid/a"), extra=item))
    poll = poll_feed(str(path), Fetcher(Settings(fetch_retries=0)))
    assert poll.feed is not None
    got = entry_article(
        poll.feed.entries[0], poll.feed, Fetcher(Settings(fetch_retries=0)), locator="f"
    )
    assert isinstance(got, RawDocument)
    assert got.source_kind == "feed" and b"harbour budget" in got.data
    assert got.hints.title == "Budget" and got.hints.published == dt.date(2026, 2, 3)


def test_conditional_get_sends_the_validators() -> None:
    with serve() as site:
        data = rss(("One", "/1"))

        def reply(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
            if headers.get("if-none-match") == '"v1"':
                return 304, {}, b""
            return 200, {"ETag": '"v1"', "Content-Type": "application/rss+xml"}, data

        site.routes["/rss"] = reply
        site.add("/robots.txt", "", Content_Type="text/plain")
        fetcher = Fetcher(Settings(allow_private=True))
        first = poll_feed(site.url("/rss"), fetcher)
        assert first.feed is not None and first.etag == '"v1"'
        second = poll_feed(site.url("/rss"), fetcher, etag=first.etag)
        assert second.not_modified and second.feed is None


def test_a_feed_that_is_down_is_a_rejection_not_a_crash() -> None:
    poll = poll_feed(
        "http://127.0.0.1:9/rss", Fetcher(Settings(allow_private=True, fetch_retries=0))
    )
    assert poll.feed is None and poll.rejection is not None
    assert poll.rejection.stage == "feed" and poll.rejection.code == errors.R_NETWORK


TEASER = "<content:encoded><![CDATA[<p>Short teaser.</p>]]></content:encoded>"


@pytest.mark.parametrize(
    ("route", "code", "words"),
    [
        ("/gone", errors.R_HTTP_STATUS, "HTTP 404"),
        ("unreachable", errors.R_NETWORK, "failed"),
    ],
)
def test_an_entry_whose_page_fetch_failed_reports_the_fetch(
    tmp_path: Path, route: str, code: str, words: str
) -> None:
    with serve() as site:
        site.add("/robots.txt", "", Content_Type="text/plain")
        link = site.url(route) if route.startswith("/") else "http://127.0.0.1:9/a"
        path = tmp_path / "feed.xml"
        path.write_bytes(rss(("Budget", link), extra=TEASER))
        fetcher = Fetcher(Settings(allow_private=True, fetch_retries=0))
        poll = poll_feed(str(path), fetcher)
        assert poll.feed is not None
        got = entry_article(poll.feed.entries[0], poll.feed, fetcher, locator=str(path))
    # was extract.no_text / too_short from the teaser: the reason the page is missing was lost
    assert isinstance(got, Rejection) and got.code == code and words in got.reason
    assert got.stage == "fetch"


def test_an_entry_with_an_invalid_link_keeps_its_full_text(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(
        rss(
            ("Budget", "http://[::1"),
            extra=f"<content:encoded><![CDATA[{BODY}]]></content:encoded>",
        )
    )
    fetcher = Fetcher(Settings(fetch_retries=0))
    poll = poll_feed(str(path), fetcher)
    assert poll.feed is not None
    got = entry_article(poll.feed.entries[0], poll.feed, fetcher, locator=str(path))
    assert isinstance(got, RawDocument) and got.hints.url is None  # an invalid url hint dropped


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_entities_are_found_in_wide_encodings_with_or_without_a_bom(encoding: str) -> None:
    got = parse_feed(XXE.decode("ascii").encode(encoding), "f")
    assert isinstance(got, Rejection) and got.code == errors.R_FEED_HOSTILE


@pytest.mark.parametrize("date", ["Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_an_impossible_entry_date_is_no_date(date: str) -> None:
    data = rss(("One", "https://a.example/1")).replace(
        b"Tue, 03 Feb 2026 10:00:00 GMT", date.encode()
    )
    got = parse_feed(data, "f")
    assert not isinstance(got, Rejection) and got.entries[0].published is None


def test_feed_files_that_cannot_be_read_are_rejections(tmp_path: Path) -> None:
    loop = tmp_path / "loop.xml"
    loop.symlink_to(tmp_path / "loop.xml")
    fifo = tmp_path / "fifo.xml"
    os.mkfifo(fifo)
    fetcher = Fetcher(Settings())
    codes = []
    for location in (str(loop), str(fifo), str(tmp_path / "missing.xml")):
        poll = poll_feed(location, fetcher)
        assert poll.rejection is not None and poll.rejection.stage == "feed"
        codes.append(poll.rejection.code)
    assert codes == [errors.R_SYMLINK_LOOP, errors.R_UNREADABLE, errors.R_NOT_FOUND]
