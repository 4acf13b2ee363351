"""Concurrent readers and writers on one served SQLite store: no 500s, no resets, no split story."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from newsprism.web import create_app
from tests.web.conftest import live_server

pytestmark = pytest.mark.model

ARTICLE = (
    "Harbour strike ends in Tarn\n\nDock workers in the port of Tarn ended their strike on "
    "Monday after the port authority agreed to a new wage deal, union officials said. The "
    "authority said the dredging contract would be signed next week."
)


def test_sixteen_clients_read_while_others_ingest(web_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(web_db, db)
    with live_server(create_app(db)) as url, httpx.Client(base_url=url, timeout=120) as client:
        story = client.get("/api/stories").json()["items"][0]["id"]
        paths = ["/api/stories", "/", f"/api/stories/{story}", f"/stories/{story}", "/api/actors"]

        def reader(n: int) -> list[int]:
            with httpx.Client(base_url=url, timeout=120) as own:
                return [own.get(paths[(n + i) % len(paths)]).status_code for i in range(8)]

        def writer(n: int) -> tuple[int, list[str | None]]:
            with httpx.Client(base_url=url, timeout=120) as own:
                body = {"text": ARTICLE, "outlet": f"Outlet {n % 2}"}  # the same text twice each
                response = own.post("/api/ingest", json=body)
                stories = [a["story_id"] for a in response.json().get("articles", [])]
                return response.status_code, stories

        with ThreadPoolExecutor(max_workers=20) as pool:
            writes = [pool.submit(writer, n) for n in range(4)]
            reads = [pool.submit(reader, n) for n in range(16)]
            read_codes = [code for f in reads for code in f.result()]
            written = [f.result() for f in writes]
        assert read_codes == [200] * len(read_codes)
        assert [code for code, _ in written] == [200] * 4
        stories = {sid for _, sids in written for sid in sids}
        assert len(stories) == 1 and None not in stories  # the copies share one story
