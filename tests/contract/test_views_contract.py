"""Flat SQL views and paged reads: the same rows on every backend (see conftest.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import (
    Actor,
    Article,
    ArticleAnalysis,
    Event,
    Features,
    Mention,
    Quote,
    Span,
    Speaker,
    Story,
)
from newsprism.store import VIEWS, FlatView, Store

TEXT = (
    b"Valdoria's foreign minister Ana Brel said talks would resume. "
    b'"We are ready," Brel told Tarn Radio on Tuesday. Kestria rejected the offer.'
)


def _stored(store: Store) -> tuple[Article, Article]:
    """Two articles (one dated 2026-03-03, one 2026-03-05 that is a copy), one analysed."""
    raw = raw_from_bytes(TEXT, source_kind="file", locator="/in/a.txt", content_type="text/plain")
    store.put_raw(raw)
    article = extract_article(raw)
    assert isinstance(article, Article)
    first = dataclasses.replace(
        article,
        id="a1",
        outlet="Tarn Post",
        url="https://tarn.example/a",
        published=dt.date(2026, 3, 3),
    )
    second = dataclasses.replace(
        article,
        id="a2",
        outlet=None,
        published=dt.date(2026, 3, 5),
        duplicate=None,
    )
    store.put_articles([first, second])
    text = first.text
    brel = text.index("Ana Brel")
    quote = text.index("We are ready")
    said = text.index("said")
    analysis = ArticleAnalysis(
        article=first,
        annotator="test.v1",
        sentences=(),
        actors=(Actor(id="p:brel", name="Ana Brel", kind="person"),),
        mentions=(
            Mention(
                span=Span(brel, brel + 8),
                text="Ana Brel",
                actor_id="p:brel",
                actor_name="Ana Brel",
                kind="person",
                role="foreign minister",
            ),
            Mention(
                span=Span(0, 8),
                text="Valdoria",
                actor_id="c:v",
                actor_name="Valdoria",
                kind="country",
            ),
        ),
        quotes=(
            Quote(
                span=Span(quote, quote + 12),
                text="We are ready",
                kind="direct",
                speaker=Speaker(
                    name="Ana Brel",
                    actor_id="p:brel",
                    span=None,
                    text="Brel",
                    resolution="explicit",
                ),
                cue="told",
                cue_span=None,
                venue="Tarn Radio",
                time="2026-03-03",
                sentence=1,
            ),
        ),
        time_expressions=(),
        events=(
            Event(
                actor="Valdoria",
                action="consult",
                target=None,
                level="ministers",
                modality="reported",
                date=None,
                span=Span(said, said + 4),
                text="said",
                sentence=0,
            ),
        ),
    )
    features = Features(article_id="a1", terms={"talks": 1.0}, actors={}, date=first.published)
    store.put_analyses([(analysis, features)])
    day = dt.date(2026, 3, 3)
    store.put_story(
        Story(id="s1", article_ids=("a1",), label="Talks", first_date=day, last_date=day)
    )
    return first, second


def test_views_hold_one_flat_row_per_record(store: Store) -> None:
    first, _ = _stored(store)
    quote_at = first.text.index("We are ready")
    assert store.view_rows("quotes_v") == [
        {
            "article_id": "a1",
            "story_id": "s1",
            "outlet": "Tarn Post",
            "published": "2026-03-03",
            "quote_index": 0,
            "kind": "direct",
            "text": "We are ready",
            "speaker": "Ana Brel",
            "speaker_actor_id": "p:brel",
            "speaker_resolution": "explicit",
            "cue": "told",
            "venue": "Tarn Radio",
            "time": "2026-03-03",
            "sentence": 1,
            "span_start": quote_at,
            "span_end": quote_at + 12,
        }
    ]
    mentions = store.view_rows("mentions_v")
    assert [(m["mention_index"], m["actor_name"], m["role"]) for m in mentions] == [
        (0, "Ana Brel", "foreign minister"),
        (1, "Valdoria", None),
    ]
    assert first.text[mentions[0]["span_start"] : mentions[0]["span_end"]] == "Ana Brel"
    events = store.view_rows("events_v")
    assert [(e["actor"], e["action"], e["target"], e["modality"]) for e in events] == [
        ("Valdoria", "consult", None, "reported")
    ]
    articles = store.view_rows("articles_v")
    assert [(a["id"], a["story_id"], a["outlet"], a["url"], a["published"]) for a in articles] == [
        ("a1", "s1", "Tarn Post", "https://tarn.example/a", "2026-03-03"),
        ("a2", None, None, None, "2026-03-05"),
    ]
    assert articles[0]["text"] == first.text and articles[0]["locator"] == "/in/a.txt"
    assert store.view_rows("stories_v") == [
        {
            "id": "s1",
            "label": "Talks",
            "first_date": "2026-03-03",
            "last_date": "2026-03-03",
            "method": "",
            "article_count": 1,
        }
    ]
    assert store.view_rows("articles_v", limit=1, offset=1)[0]["id"] == "a2"


def test_every_view_has_the_same_columns_on_every_backend(store: Store) -> None:
    _stored(store)
    views: tuple[FlatView, ...] = ("articles_v", "quotes_v", "events_v", "mentions_v", "stories_v")
    assert set(views) == set(VIEWS)
    columns = {view: list(store.view_rows(view)[0]) for view in views}
    assert columns == EXPECTED_COLUMNS


EXPECTED_COLUMNS: dict[str, list[str]] = {
    "articles_v": [
        "id", "story_id", "outlet", "title", "url", "published", "published_source",
        "language", "locator", "duplicate_of", "extractor", "text",
    ],
    "quotes_v": [
        "article_id", "story_id", "outlet", "published", "quote_index", "kind", "text",
        "speaker", "speaker_actor_id", "speaker_resolution", "cue", "venue", "time",
        "sentence", "span_start", "span_end",
    ],
    "events_v": [
        "article_id", "story_id", "outlet", "published", "event_index", "actor", "action",
        "target", "level", "modality", "date", "text", "sentence", "span_start", "span_end",
    ],
    "mentions_v": [
        "article_id", "story_id", "outlet", "published", "mention_index", "text", "actor_id",
        "actor_name", "kind", "role", "span_start", "span_end",
    ],
    "stories_v": ["id", "label", "first_date", "last_date", "method", "article_count"],
}  # fmt: skip


def ids(rows: list[Article]) -> list[str]:
    return [r.id for r in rows]


def test_pages_walk_the_store_in_id_order_with_filters(store: Store) -> None:
    _stored(store)
    assert ids(store.article_page()) == ["a1", "a2"]
    first_page = store.article_page(limit=1)
    assert ids(first_page) == ["a1"]
    assert ids(store.article_page(after=first_page[-1].id, limit=1)) == ["a2"]
    assert store.article_page(after="a2") == []
    assert ids(store.article_page(since=dt.date(2026, 3, 4))) == ["a2"]
    assert ids(store.article_page(until=dt.date(2026, 3, 3))) == ["a1"]
    assert ids(store.article_page(since=dt.date(2026, 3, 3), until=dt.date(2026, 3, 5))) == [
        "a1",
        "a2",
    ]
    assert ids(store.article_page(story_id="s1")) == ["a1"]
    assert store.article_page(story_id="nope") == []
    analyses = store.analysis_page()
    assert [a.article.id for a in analyses] == ["a1"]  # a2 has no analysis
    assert analyses[0].quotes[0].text == "We are ready"
    assert store.analysis_page(since=dt.date(2026, 3, 4)) == []
    assert [a.article.id for a in store.analysis_page(story_id="s1")] == ["a1"]
