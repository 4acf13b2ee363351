"""Attacks on the web edge: every form of a local-file read is refused, and nothing is stored."""

from __future__ import annotations

import select
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsprism.models import Document
from newsprism.pipeline import run
from newsprism.render import link_url
from newsprism.settings import Settings
from newsprism.store import open_store
from newsprism.web import create_app
from newsprism.web.security import Access, RateLimit
from tests.web.conftest import live_server

LOCAL_FILE_ATTACKS = [
    "/etc/passwd",
    "../../etc/passwd",
    "etc/passwd",
    "/etc",
    "/proc/self/status",
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "%2Fetc%2Fpasswd",
    "file:%2F%2F%2Fetc%2Fpasswd",
    "-",
    "data:text/plain,hello",
    "ftp://127.0.0.1/etc/passwd",
    "http:/etc/passwd",
    "http:///etc/passwd",
    " /etc/passwd",
    "http://[::1",
]


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(tmp_path / "s.db"), base_url="http://127.0.0.1")


def _stored(client: TestClient) -> int:
    store = open_store(client.app.state.db)  # type: ignore[attr-defined]
    try:
        counts = store.counts()
        return counts.raw_documents + counts.articles
    finally:
        store.close()


@pytest.mark.parametrize("url", LOCAL_FILE_ATTACKS)
def test_api_ingest_never_reads_server_files(client: TestClient, url: str) -> None:
    response = client.post("/api/ingest", json={"url": url})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and "url" in error["message"]
    assert "root:" not in response.text
    assert _stored(client) == 0


@pytest.mark.parametrize("url", ["/etc/passwd", "file:///etc/passwd", "../../etc/hostname", "-"])
def test_ingest_form_never_reads_server_files(client: TestClient, url: str) -> None:
    form = client.get("/ingest")
    token = form.cookies.get("newsprism_csrf") or ""
    response = client.post("/ingest", data={"url": url, "csrf": token})
    assert response.status_code == 422
    assert "only http:// and https:// URLs" in response.text
    assert _stored(client) == 0


def test_pipeline_refuses_local_inputs_for_remote_callers(tmp_path: Path) -> None:
    """Defence in depth: even past the API's validation, run(local_paths=False) reads no path."""
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret plan was signed on Monday by the council. " * 5)
    store = open_store(tmp_path / "p.db")
    try:
        result = run(
            [str(secret), secret, "-", str(tmp_path)], store, settings=Settings(), local_paths=False
        )
        assert not result.articles
        assert [r.code for r in result.rejections] == ["fetch.bad_url"] * 4
        assert store.counts().raw_documents == 0
    finally:
        store.close()


def _app(tmp_path: Path, **access: Any) -> TestClient:
    return TestClient(create_app(tmp_path / "a.db", access=Access(**access)), base_url=LOCAL)


LOCAL = "http://127.0.0.1"
ARTICLE = {
    "text": "Harbour deal signed\n\nThe port authority of Tarn signed the dredging contract on "
    "Monday after a year of talks, officials said.",
    "outlet": "Tarn Post",
}


def test_host_header_must_name_an_allowed_host(tmp_path: Path) -> None:
    client = _app(tmp_path)
    assert client.get("/api/stories").status_code == 200
    for host in ("evil.example", "rebind.attacker.test:8000", "127.0.0.1.nip.io"):
        r = client.get("/api/stories", headers={"host": host})
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_host", host
        assert "script-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/api/stories", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/api/stories", headers={"host": "[::1]:8000"}).status_code == 200
    named = _app(tmp_path, allowed_hosts=("news.example.org",))
    assert named.get("/", headers={"host": "news.example.org"}).status_code == 200
    assert named.get("/", headers={"host": "127.0.0.1"}).status_code == 400


def test_chunked_body_is_capped_like_a_declared_one(tmp_path: Path) -> None:
    """A real server and a raw socket: 10 MB offered in chunks, no Content-Length."""
    app = create_app(tmp_path / "c.db", settings=Settings(max_input_bytes=1000))
    with live_server(app) as url:
        port = int(url.rsplit(":", 1)[1])
        sent = 0
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(
                b"POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            chunk = b"x" * 1024
            reply = ""
            try:
                for _ in range(10_000):
                    conn.sendall(b"400\r\n" + chunk + b"\r\n")
                    sent += len(chunk)
                    if select.select([conn], [], [], 0)[0]:  # the server has answered
                        break
                    time.sleep(0.001)
            except OSError:  # the server answered and closed: stop sending
                pass
            reply = conn.recv(65536).decode("latin-1")
    assert reply.startswith("HTTP/1.1 413"), reply[:200]
    assert '"code":"too_large"' in reply
    assert sent < 1_000_000  # answered once past the cap, long before the body ended


def test_server_error_keeps_the_error_shape_and_headers(tmp_path: Path) -> None:
    app = create_app(tmp_path / "e.db", access=Access())

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    client = TestClient(app, base_url=LOCAL, raise_server_exceptions=False)
    r = client.get("/api/boom")
    assert r.status_code == 500
    assert r.json() == {
        "error": {
            "status": 500,
            "code": "internal_error",
            "message": "the server failed on this request",
        }
    }
    assert (
        "a bug" not in r.text and "frame-ancestors 'none'" in r.headers["content-security-policy"]
    )


def test_writes_need_the_token_when_one_is_set(tmp_path: Path) -> None:
    client = _app(tmp_path, token="s3cret-token")
    assert client.get("/api/stories").status_code == 200  # reads stay open
    refused = client.post("/api/ingest", json=ARTICLE)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    wrong = client.post("/api/ingest", json=ARTICLE, headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401
    ok = client.post("/api/ingest", json=ARTICLE, headers={"authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200 and ok.json()["articles"]
    also = client.post("/api/ingest", json=ARTICLE, headers={"x-newsprism-token": "s3cret-token"})
    assert also.status_code == 200


def test_private_server_needs_the_token_to_read_and_login_sets_it(tmp_path: Path) -> None:
    client = _app(tmp_path, token="s3cret-token", private=True)
    assert client.get("/api/stories").status_code == 401
    assert client.get("/api/stories", headers={"authorization": "Bearer s3cret-token"}).is_success
    form = client.get("/login")
    assert form.status_code == 200
    csrf = form.cookies.get("newsprism_csrf")
    bad = client.post("/login", data={"token": "guess", "csrf": csrf})
    assert bad.status_code == 401
    good = client.post(
        "/login", data={"token": "s3cret-token", "csrf": csrf}, follow_redirects=False
    )
    assert good.status_code == 303
    assert client.get("/api/stories").status_code == 200  # the cookie now carries the token


def test_no_writes_beyond_loopback_without_a_token(tmp_path: Path) -> None:
    client = _app(tmp_path, writes_open=False)
    assert client.get("/api/stories").status_code == 200
    r = client.post("/api/ingest", json=ARTICLE)
    assert r.status_code == 403 and "--token" in r.json()["error"]["message"]


def test_ingest_form_refuses_cross_site_and_tokenless_posts(tmp_path: Path) -> None:
    client = _app(tmp_path)
    no_token = client.post("/ingest", data={"text": ARTICLE["text"]})
    assert no_token.status_code == 403
    csrf = client.get("/ingest").cookies.get("newsprism_csrf")
    cross = client.post(
        "/ingest",
        data={"text": ARTICLE["text"], "csrf": csrf},
        headers={"origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    api_cross = client.post("/api/ingest", json=ARTICLE, headers={"origin": "https://evil.example"})
    assert api_cross.status_code == 403 and api_cross.json()["error"]["code"] == "cross_site"
    ok = client.post(
        "/ingest", data={"text": ARTICLE["text"], "csrf": csrf}, follow_redirects=False
    )
    assert ok.status_code == 303


def test_ingest_is_rate_limited_per_client(tmp_path: Path) -> None:
    client = _app(tmp_path, ingest_per_minute=2)
    codes = [client.post("/api/ingest", json={"text": "  "}).status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]
    r = client.post("/api/ingest", json={"text": "  "})
    assert int(r.headers["retry-after"]) >= 1 and r.json()["error"]["code"] == "rate_limited"
    assert client.get("/api/stories").status_code == 200  # reads are not limited


def test_rate_limit_window_slides() -> None:
    limit = RateLimit(2)
    assert [limit.retry_after("a", now=t) for t in (0.0, 1.0, 2.0)] == [0, 0, 59]
    assert limit.retry_after("b", now=2.0) == 0  # per client
    assert limit.retry_after("a", now=60.5) == 0  # the first hit has left the window


def test_only_http_urls_become_links() -> None:
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        " java\nscript:x",
        "//evil",
        "vbscript:x",
    ):
        assert link_url(bad) is None, bad
    assert link_url("https://example.org/a?b=c") == "https://example.org/a?b=c"


def test_javascript_urls_are_never_rendered_as_links(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    store = open_store(db)
    try:
        result = run(
            [
                Document(
                    ARTICLE["text"] * 3, outlet="Tarn Post", url="javascript:alert(document.domain)"
                )
            ],
            store,
            settings=Settings(),
        )
    finally:
        store.close()
    article = result.articles[0]
    client = TestClient(create_app(db), base_url=LOCAL)
    story = result.stories[0].id
    for path in (
        f"/articles/{article.id}",
        f"/stories/{story}",
        f"/api/stories/{story}/brief?format=md",
        f"/api/stories/{story}/brief?format=html",
    ):
        page = client.get(path, headers={"accept": "text/html"}).text
        assert 'href="javascript' not in page.lower() and "<javascript" not in page.lower(), path
