"""The typed API: every operation's 200 response names a schema, the records' schema reads what
`serde` writes, timeline dates keep their full value, search snippets mark the hit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from newsprism.models import Brief, Citation, Span
from newsprism.serde import to_data
from newsprism.store import HIT_END, HIT_START, open_store
from newsprism.web import create_app
from newsprism.web.schemas import split_snippet, timeline_item

LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:
    return TestClient(create_app(web_db), base_url=LOCAL)


def _seed_story(client: TestClient) -> str:
    return str(client.get("/api/stories", params={"q": "Peskov"}).json()["items"][0]["id"])


CITE = Citation(article_id="a1", span=Span(0, 5), text="Macro")


@pytest.mark.parametrize(
    ("text", "date", "precision", "written", "sentence"),
    [
        ("2026-02-10: Macron spoke.", "2026-02-10", "day", None, "Macron spoke."),
        ("2025-10 (October): Talks began.", "2025-10", "month", "October", "Talks began."),
        ("2025: A year of talks.", "2025", "year", None, "A year of talks."),
        ("2026-02-10 (Tuesday): He said: yes.", "2026-02-10", "day", "Tuesday", "He said: yes."),
    ],
)
def test_timeline_items_keep_the_whole_date(
    text: str, date: str, precision: str, written: str | None, sentence: str
) -> None:
    item = timeline_item(text, [CITE])
    assert item is not None
    assert (item.date, item.precision, item.as_written, item.text) == (
        date,
        precision,
        written,
        sentence,
    )


def test_a_line_without_a_date_is_not_a_timeline_item() -> None:
    assert timeline_item("Macron spoke on Tuesday.", [CITE]) is None


def test_snippets_split_into_text_and_hit_offsets() -> None:
    text, spans = split_snippet(f"the {HIT_START}harbour{HIT_END} board {HIT_START}met{HIT_END}")
    assert text == "the harbour board met"
    assert [text[s.start : s.end] for s in spans] == ["harbour", "met"]
    # stray markers from an article's own text never make an empty or inverted span
    text, spans = split_snippet(f"{HIT_END}a{HIT_START}{HIT_END}b{HIT_START}c")
    assert text == "abc" and spans == []


@pytest.mark.model
def test_every_operation_documents_a_typed_200(client: TestClient) -> None:
    doc = client.get("/api/openapi.json").json()
    untyped = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            content = op["responses"]["200"].get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            if "export" in path:  # a file download: documented by media type
                assert set(content) >= {"text/csv", "application/x-ndjson"}, path
                continue
            if (
                not schema
                or schema == {}
                or schema.get("additionalProperties") is True
                or (schema.get("type") == "object" and "properties" not in schema)
            ):
                untyped.append(f"{method.upper()} {path}")
    assert untyped == []
    schemas = doc["components"]["schemas"]
    assert {"Brief", "TimelineItem", "ArticleDetail", "SearchItem", "ArticleList"} <= set(schemas)
    assert schemas["TimelineItem"]["properties"]["date"]["type"] == "string"


@pytest.mark.model
def test_records_serialise_exactly_as_their_schema_reads(web_db: Path) -> None:
    from newsprism.pipeline import story_report
    from newsprism.settings import Settings

    store = open_store(web_db)
    try:
        for story in store.stories(limit=None):
            brief = story_report(store, story.id, settings=Settings()).brief
            data = json.loads(json.dumps(to_data(brief)))
            adapter = TypeAdapter(Brief)
            assert adapter.dump_python(adapter.validate_python(data), mode="json") == data
    finally:
        store.close()


@pytest.mark.model
def test_timeline_endpoint_dates_are_whole_values(client: TestClient) -> None:
    sid = _seed_story(client)
    items = client.get(f"/api/stories/{sid}/timeline").json()["items"]
    assert items
    brief = client.get(f"/api/stories/{sid}/brief").json()
    lines = [
        s["text"]
        for sec in brief["sections"]
        if sec["title"] == "Timeline"
        for s in sec["sentences"]
    ]
    for item, line in zip(items, lines, strict=True):
        assert line.startswith(item["date"]) and item["text"] in line
        assert item["date"].count("-") == {"day": 2, "month": 1, "year": 0}[item["precision"]]
        assert "(" not in item["date"] and item["date"][:4].isdigit()


@pytest.mark.model
def test_article_list_filters_and_pages(client: TestClient) -> None:
    every = client.get("/api/articles", params={"limit": 200}).json()
    assert every["total"] == len(every["items"]) >= 10
    dates = [i["published"] for i in every["items"] if i["published"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    pages = [
        i["id"]
        for o in range(0, every["total"], 3)
        for i in client.get("/api/articles", params={"limit": 3, "offset": o}).json()["items"]
    ]
    assert pages == [i["id"] for i in every["items"]]
    sid = _seed_story(client)
    members = client.get("/api/articles", params={"story": sid}).json()
    assert members["total"] == 2 and {i["story_id"] for i in members["items"]} == {sid}
    day = dates[len(dates) // 2]
    ranged = client.get("/api/articles", params={"since": day, "until": day}).json()
    assert ranged["items"] and all(i["published"] == day for i in ranged["items"])
    assert ranged["total"] == dates.count(day)
    tarn = client.get("/api/articles", params={"outlet": "tarn post"}).json()["items"]
    assert [i["outlet"] for i in tarn] == ["Tarn Post"]
    assert client.get("/api/articles", params={"language": "xx"}).json()["total"] == 0
    bad = client.get("/api/articles", params={"since": "2026-02-30"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    missing = client.get("/api/articles", params={"story": "nope"})
    assert missing.status_code == 404


@pytest.mark.model
def test_search_returns_snippets_with_the_hit(client: TestClient) -> None:
    items = client.get("/api/search", params={"q": "peskov"}).json()["items"]
    assert items
    for item in items:
        hits = [item["snippet"][h["start"] : h["end"]] for h in item["highlights"]]
        assert hits and all(h.casefold() == "peskov" for h in hits)
        assert HIT_START not in item["snippet"] and HIT_END not in item["snippet"]


@pytest.mark.model
def test_stories_filter_by_language_in_the_store(client: TestClient) -> None:
    en = client.get("/api/stories", params={"language": "en"}).json()
    assert en["total"] == client.get("/api/stories").json()["total"]  # the fixtures are English
    assert client.get("/api/stories", params={"language": "uk"}).json()["total"] == 0
