"""The whole system on a real PostgreSQL server: two CLI ingests and a feed `watch` at once
while `serve` is read.

The same inputs into SQLite, one after the other, give the reference: the PostgreSQL store must
end with the same articles and the same story membership, with no error from any writer or
reader.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from newsprism.store import open_store
from newsprism.web import create_app
from tests.conftest import EXAMPLES, seeds_dir
from tests.support.postgres import fresh_database
from tests.web.conftest import live_server

pytestmark = pytest.mark.model
NEWSPRISM = [sys.executable, "-m", "newsprism"]


def _ingest(db: str, *paths: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsprism", "ingest", *map(str, paths), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _feed(tmp_path: Path) -> tuple[Path, Path]:
    """A local RSS file whose entries carry whole articles (the seeds), and a watch list of it."""
    items = "".join(
        f"<item><title>{p.stem}</title><guid>{p.stem}</guid><description><![CDATA["
        + "".join(f"<p>{line}</p>" for line in p.read_text("utf-8").splitlines() if line.strip())
        + "]]></description></item>"
        for p in sorted(seeds_dir().glob("*.txt"))
    )
    feed = tmp_path / "feed.xml"
    feed.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        "utf-8",
    )
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{feed}\n", "utf-8")
    return feed, listing


def _membership(db: str) -> tuple[set[str], set[frozenset[str]]]:
    store = open_store(db)
    try:
        return set(store.article_ids()), {
            frozenset(s.article_ids) for s in store.stories(limit=None) if s.article_ids
        }
    finally:
        store.close()


def test_two_ingests_a_watch_and_readers_share_one_postgres_store(
    pg_server: str, tmp_path: Path
) -> None:
    feed, listing = _feed(tmp_path)
    reference = str(tmp_path / "reference.db")
    for args in ([str(EXAMPLES)], ["--feed", str(feed)]):
        done = subprocess.run(
            [sys.executable, "-m", "newsprism", "ingest", *args, "--db", reference],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
    url = fresh_database(pg_server, "shared")
    open_store(url).close()  # migrated once, before the writers race
    parts = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
    codes: list[int] = []
    with live_server(create_app(url)) as base:
        stop = threading.Event()

        def read() -> None:
            with httpx.Client(base_url=base, timeout=60) as client:
                while not stop.is_set():
                    for path in ("/api/stories", "/", "/api/rejections", "/api/search?q=strike"):
                        codes.append(client.get(path).status_code)

        readers = [threading.Thread(target=read) for _ in range(3)]
        for r in readers:
            r.start()
        first = _ingest(url, *parts)  # everything
        second = _ingest(url, *reversed(parts))  # the same, in another order, at once
        watcher = subprocess.Popen(  # and a feed watcher, polling twice
            [*NEWSPRISM, "watch", str(listing), "--every", "1s", "--polls", "2", "--db", url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        writers = (first, second, watcher)
        outputs = [p.communicate(timeout=600) for p in writers]
        stop.set()
        for r in readers:
            r.join(timeout=60)
    assert "poll 2" in outputs[2][1]
    for process, (_, stderr) in zip(writers, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr and "error" not in stderr.lower()
    assert codes and set(codes) == {200}
    articles, stories = _membership(url)
    expected_articles, expected_stories = _membership(reference)
    assert articles == expected_articles
    assert stories == expected_stories
