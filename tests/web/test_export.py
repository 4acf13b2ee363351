"""Export endpoints on the real app over a real SQLite file: CSV and JSON lines streamed,
Parquet typed, filters, and the one error shape."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from newsprism.export import COLUMNS
from newsprism.store import open_store
from newsprism.web import create_app

pytestmark = pytest.mark.model
LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:
    return TestClient(create_app(web_db), base_url=LOCAL)


def _seed_story(client: TestClient) -> str:
    (item,) = client.get("/api/stories", params={"q": "Peskov"}).json()["items"]
    return str(item["id"])


def test_quotes_csv_has_every_stored_quote(client: TestClient, web_db: Path) -> None:
    response = client.get("/api/export/quotes.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="quotes.csv"' in response.headers["content-disposition"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    store = open_store(web_db)
    try:
        expected = sum(len(a.quotes) for a in store.analysis_page(limit=10_000))
        assert len(rows) == expected == len(store.view_rows("quotes_v", limit=None))
    finally:
        store.close()
    assert list(rows[0]) == [c.name for c in COLUMNS["quotes"]]
    assert any(r["speaker"] == "Dmitry Peskov" for r in rows)


def test_jsonl_filters_by_story_and_date(client: TestClient) -> None:
    sid = _seed_story(client)
    response = client.get("/api/export/quotes.jsonl", params={"story": sid[:6]})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(x) for x in response.text.splitlines()]
    assert lines and {x["story_id"] for x in lines} == {sid}
    later = client.get("/api/export/articles.jsonl", params={"since": "2030-01-01"})
    assert later.status_code == 200 and later.text == ""


def test_claims_and_differences_of_the_seed_story(client: TestClient) -> None:
    sid = _seed_story(client)
    claims = client.get("/api/export/claims.jsonl", params={"story": sid}).text.splitlines()
    assert claims and all(json.loads(c)["story_id"] == sid for c in claims)
    diffs = [
        json.loads(x)
        for x in client.get(
            "/api/export/differences.jsonl", params={"story": sid}
        ).text.splitlines()
    ]
    assert any(d["field"] == "venue" and d["label"] == "compatible" for d in diffs)
    outlets = {d["outlet"] for d in diffs}
    assert all(o.startswith("unknown outlet (") for o in outlets), outlets


def test_parquet_download(client: TestClient, tmp_path: Path) -> None:
    response = client.get("/api/export/stories.parquet")
    assert response.status_code == 200
    path = tmp_path / "s.parquet"
    path.write_bytes(response.content)
    table = pq.read_table(path)
    assert table.num_rows >= 4 and table.column_names == [c.name for c in COLUMNS["stories"]]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/export/quote.csv", 422),
        ("/api/export/quotes.xlsx", 422),
        ("/api/export/quotes.csv?since=yesterday", 422),
        ("/api/export/quotes.csv?story=nope", 404),
    ],
)
def test_bad_requests_get_the_error_shape(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert set(response.json()["error"]) == {"status", "code", "message"}
