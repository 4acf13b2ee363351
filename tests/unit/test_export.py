"""Flat exports from hand-built records (no model): columns, filters, streaming, formats."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import newsprism
from newsprism import api
from newsprism.errors import InputError, NotFoundError
from newsprism.export import (
    COLUMNS,
    KINDS,
    Filters,
    check_format,
    check_kind,
    encode,
    format_of,
    rows,
    write,
)
from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import (
    Actor,
    Article,
    ArticleAnalysis,
    Brief,
    Citation,
    Claim,
    Difference,
    Features,
    Mention,
    Quote,
    SourceInfo,
    Span,
    Speaker,
    Story,
)
from newsprism.store import SQLiteStore, Store

TEXT = (
    "Valdoria's foreign minister Ana Brel said talks would resume. "
    '"We are ready, with commas, and “quotes”," Brel told Tarn Radio. Kestria said no.'
)


def _article(store: Store, article_id: str, day: dt.date | None, outlet: str | None) -> Article:
    raw = raw_from_bytes(
        TEXT.encode(), source_kind="file", locator=f"/in/{article_id}.txt", content_type=None
    )
    store.put_raw(raw)
    base = extract_article(raw)
    assert isinstance(base, Article)
    article = dataclasses.replace(base, id=article_id, outlet=outlet, published=day)
    store.put_article(article)
    return article


def _analyse(store: Store, article: Article) -> None:
    text = article.text
    at = text.index("We are ready")
    quote = text[at : text.index("”,") + 1]
    brel = text.index("Ana Brel")
    analysis = ArticleAnalysis(
        article=article,
        annotator="test.v1",
        sentences=(),
        actors=(Actor(id="p:brel", name="Ana Brel", kind="person", wikidata="Q1"),),
        mentions=(
            Mention(
                span=Span(brel, brel + 8),
                text="Ana Brel",
                actor_id="p:brel",
                actor_name="Ana Brel",
                kind="person",
            ),
        ),
        quotes=(
            Quote(
                span=Span(at, at + len(quote)),
                text=quote,
                kind="direct",
                speaker=Speaker(
                    name="Ana Brel", actor_id="p:brel", span=None, text=None, resolution="explicit"
                ),
                cue="told",
                cue_span=None,
                venue="Tarn Radio",
                time=None,
                sentence=1,
            ),
        ),
        time_expressions=(),
        events=(),
    )
    features = Features(article_id=article.id, terms={}, actors={}, date=article.published)
    store.put_analyses([(analysis, features)])


@pytest.fixture()
def store() -> Store:
    s = SQLiteStore(":memory:")
    first = _article(s, "a1", dt.date(2026, 3, 3), "Tarn Post")
    second = _article(s, "a2", dt.date(2026, 3, 9), None)
    _article(s, "a3", None, "Kestrian Voice")
    _analyse(s, first)
    _analyse(s, second)
    s.put_story(
        Story(
            id="s1",
            article_ids=("a1", "a2"),
            label="Talks",
            first_date=dt.date(2026, 3, 3),
            last_date=dt.date(2026, 3, 9),
        )
    )
    return s


def test_every_kind_yields_its_columns(store: Store) -> None:
    for kind in KINDS:
        names = [c.name for c in COLUMNS[kind]]
        for row in rows(store, kind):
            assert list(row) == names, kind


def test_articles_carry_label_story_and_text(store: Store) -> None:
    got = {r["id"]: r for r in rows(store, "articles")}
    assert list(got) == ["a1", "a2", "a3"]
    assert got["a1"]["outlet"] == "Tarn Post" and got["a1"]["story_id"] == "s1"
    assert got["a2"]["outlet"] == "unknown outlet (a2.txt)"  # never the bare file name
    assert got["a3"]["story_id"] is None and got["a3"]["published"] is None
    assert "Ana Brel" in str(got["a1"]["text"])
    assert got["a1"]["characters"] == len(str(got["a1"]["text"]))


def test_filters_by_story_and_published_date(store: Store) -> None:
    def ids(f: Filters) -> list[object]:
        return [r["id"] for r in rows(store, "articles", filters=f)]

    assert ids(Filters(story_id="s1")) == ["a1", "a2"]
    assert ids(Filters(since=dt.date(2026, 3, 4))) == ["a2"]  # undated a3 drops out
    assert ids(Filters(until=dt.date(2026, 3, 3))) == ["a1"]
    quotes = list(rows(store, "quotes", filters=Filters(since=dt.date(2026, 3, 4))))
    assert [q["article_id"] for q in quotes] == ["a2"]
    assert [
        r["id"] for r in rows(store, "stories", filters=Filters(until=dt.date(2026, 3, 1)))
    ] == []
    assert [
        r["id"] for r in rows(store, "stories", filters=Filters(since=dt.date(2026, 3, 9)))
    ] == ["s1"]
    with pytest.raises(NotFoundError):
        list(rows(store, "stories", filters=Filters(story_id="nope")))


def test_actors_are_aggregated_over_articles(store: Store) -> None:
    (brel,) = list(rows(store, "actors"))
    assert brel == {
        "actor_id": "p:brel",
        "name": "Ana Brel",
        "kind": "person",
        "wikidata": "Q1",
        "mentions": 2,
        "articles": 2,
        "quotes": 2,
        "first_published": dt.date(2026, 3, 3),
        "last_published": dt.date(2026, 3, 9),
    }


def test_claims_and_differences_come_from_the_brief(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    cite = [Citation(article_id=a, span=Span(0, 10), text=TEXT[:10]) for a in ("a1", "a2")]
    brief = Brief(
        story_id="s1",
        title="Talks",
        sections=(),
        sources=tuple(
            SourceInfo(article_id=a, label=label, title=None, url=None, published=None)
            for a, label in (("a1", "Tarn Post"), ("a2", "unknown outlet (a2.txt)"))
        ),
        claims=(Claim(citations=tuple(cite)), Claim(citations=(cite[0],))),
        differences=(
            Difference(
                field="number",
                label="compatible",
                reason="a range and a figure inside it",
                values=("41 ships", "more than forty ships"),
                citations=tuple(cite),
            ),
        ),
    )
    from newsprism import pipeline
    from newsprism.models import StoryReport

    monkeypatch.setattr(
        pipeline,
        "story_report",
        lambda store, story_id, *, settings: StoryReport(story=store.story(story_id), brief=brief),
    )
    claims = list(rows(store, "claims"))
    assert [(c["claim_index"], c["sources"], c["article_id"], c["outlet"]) for c in claims] == [
        (0, 2, "a1", "Tarn Post"),
        (0, 2, "a2", "unknown outlet (a2.txt)"),
        (1, 1, "a1", "Tarn Post"),
    ]
    diffs = list(rows(store, "differences"))
    assert [(d["field"], d["label"], d["value"], d["article_id"]) for d in diffs] == [
        ("number", "compatible", "41 ships", "a1"),
        ("number", "compatible", "more than forty ships", "a2"),
    ]


def test_csv_and_jsonl_round_trip_awkward_text(store: Store) -> None:
    buffer = io.BytesIO()
    assert write(rows(store, "quotes"), "quotes", "csv", buffer) == 2
    parsed = list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8"))))
    assert parsed[0]["text"].startswith("We are ready, with commas, and “quotes”")
    assert parsed[0]["published"] == "2026-03-03" and parsed[0]["time"] == ""
    buffer = io.BytesIO()
    write(rows(store, "quotes"), "quotes", "jsonl", buffer)
    lines = [json.loads(x) for x in buffer.getvalue().decode().splitlines()]
    assert lines[0]["speaker"] == "Ana Brel" and lines[0]["time"] is None
    assert lines[1]["outlet"] == "unknown outlet (a2.txt)"


def test_an_empty_export_still_has_its_header() -> None:
    chunks = b"".join(encode(iter(()), "events", "csv")).decode()
    assert chunks.strip().split(",") == [c.name for c in COLUMNS["events"]]
    assert b"".join(encode(iter(()), "events", "jsonl")) == b""


def test_streams_one_chunk_per_row_without_reading_ahead() -> None:
    pulled = []

    def source():  # type: ignore[no-untyped-def]
        for i in range(3):
            pulled.append(i)
            yield {"id": f"s{i}"}

    stream = encode(source(), "stories", "csv")
    next(stream)
    assert pulled == [0]  # the first row went out before the second was read


def test_parquet_is_typed(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "q.parquet"
    with path.open("wb") as fh:
        assert write(rows(store, "quotes"), "quotes", "parquet", fh) == 2
    table = pq.read_table(path)
    assert table.column_names == [c.name for c in COLUMNS["quotes"]]
    assert str(table.schema.field("published").type) == "date32[day]"
    assert str(table.schema.field("span_start").type) == "int64"
    assert table.column("speaker").to_pylist() == ["Ana Brel", "Ana Brel"]
    empty = tmp_path / "e.parquet"
    with empty.open("wb") as fh:
        assert write(iter(()), "events", "parquet", fh) == 0
    assert pq.read_table(empty).num_rows == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.csv", "csv"),
        ("A.JSONL", "jsonl"),
        ("x.ndjson", "jsonl"),
        ("t.parquet", "parquet"),
        ("-", "csv"),
    ],
)
def test_format_from_the_file_name(name: str, expected: str) -> None:
    assert format_of(name) == expected


def test_unknown_kinds_and_formats_are_clear_errors() -> None:
    with pytest.raises(InputError, match="choose one of articles"):
        check_kind("quote")
    with pytest.raises(InputError, match="csv, jsonl, parquet"):
        check_format("xlsx")


def test_python_api_reads_a_stored_database_back(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    setup = SQLiteStore(db)
    first = _article(setup, "a1", dt.date(2026, 3, 3), "Tarn Post")
    _analyse(setup, first)
    setup.put_story(
        Story(id="s1", article_ids=("a1",), label="Talks", first_date=None, last_date=None)
    )
    setup.close()
    with newsprism.open(db) as database:
        assert [s.id for s in database.stories()] == ["s1"]
        assert database.story("s1").label == "Talks"
        assert [a.id for a in database.articles()] == ["a1"]
        assert [a.id for a in database.articles(since="2026-03-04")] == []
        assert database.article("a1").outlet == "Tarn Post"
        analysis = database.analysis("a1")
        assert analysis is not None and analysis.quotes[0].cue == "told"
        assert [r["speaker"] for r in database.rows("quotes")] == ["Ana Brel"]
    out = tmp_path / "quotes.jsonl"
    assert newsprism.export("quotes", out, db=db, since=dt.date(2026, 3, 1)) == 1
    assert json.loads(out.read_text())["venue"] == "Tarn Radio"
    assert [r["id"] for r in newsprism.export_rows("articles", db=db)] == ["a1"]
    with pytest.raises(NotFoundError, match="no database"):
        newsprism.open(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def test_to_dict_gives_json_ready_values() -> None:
    span = newsprism.to_dict(Span(1, 4))
    assert span == {"start": 1, "end": 4}
    story = Story(
        id="s", article_ids=("a",), label="L", first_date=dt.date(2026, 3, 3), last_date=None
    )
    assert json.loads(json.dumps(newsprism.to_dict(story)))["first_date"] == "2026-03-03"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("2026-02-10", dt.date(2026, 2, 10)),
        (" 2026-02-10 ", dt.date(2026, 2, 10)),
        ("2026-02-10T09:30:00+01:00", dt.date(2026, 2, 10)),
        (dt.date(2026, 2, 10), dt.date(2026, 2, 10)),
        (dt.datetime(2026, 2, 10, 23, 0), dt.date(2026, 2, 10)),
    ],
)
def test_published_takes_dates_datetimes_and_iso_strings(value: object, expected: object) -> None:
    assert api.as_date(value) == expected


def test_published_of_another_kind_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="published must be a date"):
        api.as_date(20260210)
    with pytest.raises(InputError, match="published: '10/02/2026' is not an ISO date"):
        api.as_date("10/02/2026")
    with pytest.raises(InputError, match="2026-02-10garbage"):
        api.as_date("2026-02-10garbage")
    article = newsprism.extract(TEXT, published="2026-02-10")
    assert isinstance(article, Article) and article.published == dt.date(2026, 2, 10)
    assert article.published_source == "user"
    with pytest.raises(TypeError, match="data must be str or bytes"):
        newsprism.extract(Path("x.txt"))  # type: ignore[arg-type]
