"""A database built from the seeds, the examples and a hostile article; the app and a live server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

import newsprism
from newsprism.web import create_app
from tests.conftest import EXAMPLES, seeds_dir

HOSTILE = (
    "Harbour council publishes its budget\n\n"
    "The council of Tarn published its harbour budget on Monday, officials said, after a long "
    "debate about the dredging contract and the new container terminal.\n\n"
    "A reader wrote <script>document.title='pwned'</script> and "
    "<img src=x onerror=\"document.title='pwned'\"> in the comments, the council said.\n"
)


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("web") / "web.db"
    seeds = sorted(str(p) for p in seeds_dir().glob("*.txt"))
    newsprism.analyze(
        [*seeds, str(EXAMPLES), newsprism.Document(HOSTILE, outlet="Tarn Post")], db=db
    )
    return db


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """An app on a free loopback port, served by uvicorn in a thread; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_url(web_db: Path) -> Iterator[str]:
    """The real app on a loopback port, served by uvicorn in a thread."""
    with live_server(create_app(web_db)) as url:
        yield url


CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs Debian's chromium (run it as root)"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield pg
    context.close()
