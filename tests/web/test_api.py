"""The JSON API on the real app (httpx ASGI transport via TestClient) over a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.web import create_app

pytestmark = pytest.mark.model
LOCAL = "http://127.0.0.1"  # the app accepts loopback Host names only, by default


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:
    return TestClient(create_app(web_db), base_url=LOCAL)


def _seed_story(client: TestClient) -> str:
    items = client.get("/api/stories", params={"q": "Peskov"}).json()["items"]
    assert len(items) == 1
    return str(items[0]["id"])


def test_stories_list_filters_and_pages(client: TestClient) -> None:
    everything = client.get("/api/stories").json()
    assert everything["total"] >= 5 and everything["limit"] == 50
    first = client.get("/api/stories", params={"limit": 2, "offset": 0}).json()
    second = client.get("/api/stories", params={"limit": 2, "offset": 2}).json()
    assert len(first["items"]) == 2 and first["total"] == everything["total"]
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})
    by_actor = client.get("/api/stories", params={"actor": "Dmitry Peskov"}).json()["items"]
    assert [i["id"] for i in by_actor] == [_seed_story(client)]
    by_outlet = client.get("/api/stories", params={"outlet": "Tarn Post"}).json()["items"]
    assert len(by_outlet) == 1
    later = client.get("/api/stories", params={"since": "2030-01-01"}).json()
    assert later["total"] == 0


def test_story_brief_quotes_timeline_comparison(client: TestClient) -> None:
    sid = _seed_story(client)
    story = client.get(f"/api/stories/{sid}").json()
    assert story["article_count"] == 2 and len(story["articles"]) == 2
    brief = client.get(f"/api/stories/{sid}/brief").json()
    assert all(s["citations"] for sec in brief["sections"] for s in sec["sentences"])
    md = client.get(f"/api/stories/{sid}/brief", params={"format": "md"})
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("# ")
    quotes = client.get(f"/api/stories/{sid}/quotes", params={"speaker": "Dmitry Peskov"}).json()
    assert quotes["quotes"] and {q["speaker"]["name"] for q in quotes["quotes"]} == {
        "Dmitry Peskov"
    }
    timeline = client.get(f"/api/stories/{sid}/timeline").json()["items"]
    dates = {i["date"] for i in timeline}
    assert {"2025-12-19", "2026-02-10"} <= dates
    comparison = client.get(f"/api/stories/{sid}/comparison").json()
    assert len(comparison["sources"]) == 2 and comparison["quote_groups"]


def test_article_actor_search_rejections(client: TestClient) -> None:
    sid = _seed_story(client)
    aid = client.get(f"/api/stories/{sid}").json()["articles"][0]["id"]
    article = client.get(f"/api/articles/{aid}").json()
    assert article["story_id"] == sid and article["quotes"]
    assert client.get(f"/api/articles/{aid[:8]}").json()["article"]["id"] == aid  # prefix
    actor = client.get("/api/actors/Dmitry Peskov").json()
    assert actor["quotes"] and all(q["speaker"]["name"] == "Dmitry Peskov" for q in actor["quotes"])
    names = [a["name"] for a in client.get("/api/actors", params={"q": "macron"}).json()["items"]]
    assert "Emmanuel Macron" in names
    hits = client.get("/api/search", params={"q": "Peskov"}).json()["items"]
    assert hits and all(h["story_id"] == sid for h in hits)
    assert client.get("/api/rejections").json()["items"] == []


def test_one_error_shape(client: TestClient) -> None:
    for path, status in [
        ("/api/stories/nope", 404),
        ("/api/stories?limit=0", 422),
        ("/api/stories?since=yesterday", 422),
        ("/api/actors/Nobody%20Atall", 404),
    ]:
        r = client.get(path)
        assert r.status_code == status, path
        error = r.json()["error"]
        assert error["status"] == status and error["code"] and error["message"]


def test_ingest_validates_and_reports_rejections(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "i.db"), base_url=LOCAL)
    ok = client.post(
        "/api/ingest",
        json={
            "text": "Harbour deal signed\n\nThe port authority of Tarn signed the dredging "
            "contract on Monday after a year of talks, officials said.",
            "outlet": "Tarn Post",
        },
    )
    assert ok.status_code == 200, ok.text
    assert [a["outlet"] for a in ok.json()["articles"]] == ["Tarn Post"]
    empty = client.post("/api/ingest", json={"text": "   "}).json()
    assert empty["rejections"][0]["code"] == "extract.empty"  # same rejection as the CLI
    nothing = client.post("/api/ingest", json={"outlet": "X"}).json()
    assert nothing["error"]["code"] == "invalid_request"
    short = client.post("/api/ingest", json={"text": "Too short."}).json()
    assert short["articles"] == [] and short["rejections"][0]["code"] == "extract.too_short"
    private = client.post("/api/ingest", json={"url": "http://127.0.0.1:1/x"}).json()
    assert private["rejections"][0]["code"] == "fetch.blocked_address"
    both = client.post("/api/ingest", json={"text": "a", "url": "http://example.org/"})
    assert both.status_code == 422
    assert client.get("/api/rejections").json()["items"]


def test_request_size_cap(tmp_path: Path) -> None:
    from newsprism.settings import Settings

    client = TestClient(
        create_app(tmp_path / "c.db", settings=Settings(max_input_bytes=1000)), base_url=LOCAL
    )
    r = client.post("/api/ingest", json={"text": "x" * 200_000})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_security_headers_everywhere(client: TestClient) -> None:
    for path in ("/", "/api/stories", "/api/openapi.json", "/static/style.css", "/nope"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_pages_escape_untrusted_text(client: TestClient) -> None:
    aid = client.get("/api/search", params={"q": "dredging"}).json()["items"][0]["id"]
    page = client.get(f"/articles/{aid}", headers={"accept": "text/html"}).text
    assert "&lt;script&gt;" in page and "<script>document" not in page
    assert 'onerror="document' not in page and "<img src=x" not in page
