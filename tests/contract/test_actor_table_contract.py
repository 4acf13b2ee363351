"""The actor table every backend keeps with its analyses (SQLite migration 8, PostgreSQL 4)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from newsprism.models import (
    ActorSummary,
    Article,
    Event,
    Mention,
    Quote,
    Span,
    Speaker,
)
from newsprism.queries import actor_activity
from newsprism.store import Store, open_store
from tests.contract.test_store_contract import _analysis, _article


def _mention(name: str, kind: str = "country") -> Mention:
    return Mention(span=Span(0, 4), text=name, actor_id=name.casefold(), actor_name=name, kind=kind)  # type: ignore[arg-type]


def _speech(speaker: str) -> Quote:
    return Quote(
        span=Span(0, 4),
        text="we will talk",
        kind="direct",
        speaker=Speaker(
            name=speaker, actor_id=None, span=None, text=speaker, resolution="explicit"
        ),
        cue="said",
        cue_span=None,
        venue=None,
        time=None,
        sentence=0,
    )


def _event(actor: str, target: str | None) -> Event:
    return Event(
        actor=actor,
        action="meet",
        target=target,
        level=None,
        modality="reported",
        date=None,
        span=Span(0, 4),
        text="met",
        sentence=0,
    )


def _stored(
    store: Store,
    text: bytes,
    published: dt.date | None,
    *,
    mentions: tuple[Mention, ...] = (),
    quotes: tuple[Quote, ...] = (),
    events: tuple[Event, ...] = (),
) -> Article:
    article = _article(store, text, locator=f"{len(text)}.txt")
    analysis, features = _analysis(article)
    analysis = dataclasses.replace(
        analysis,
        article=dataclasses.replace(article, published=published),
        mentions=mentions,
        quotes=quotes,
        events=events,
    )
    store.put_analyses([(analysis, features)])
    return article


def _three(store: Store) -> tuple[Article, Article, Article]:
    a = _stored(
        store,
        b"Valdoria and Kestria met in Tarn to reopen talks on the border after years of calm.",
        dt.date(2026, 3, 4),
        mentions=(_mention("Valdoria"), _mention("Valdoria"), _mention("Kestria")),
        events=(_event("Valdoria", "Kestria"),),
    )
    b = _stored(
        store,
        b"Kestria's minister Ana Brel said the talks in Tarn would go on through the spring.",
        dt.date(2026, 3, 2),
        mentions=(_mention("Kestria"), _mention("Ana Brel", "person")),
        quotes=(_speech("Ana Brel"),),
    )
    c = _stored(
        store,
        b"An undated note: 100% of Valdoria's border posts reopened, officials of Tarn said.",
        None,
        mentions=(_mention("Valdoria"), _mention("100% Group", "organisation")),
    )
    return a, b, c


def test_actors_are_counted_ranked_filtered_and_paged(store: Store) -> None:
    _three(store)
    items, total = store.actors()
    assert total == 4
    assert items == [
        ActorSummary(name="Valdoria", kind="country", mentions=3, articles=2),
        ActorSummary(name="Kestria", kind="country", mentions=2, articles=2),
        ActorSummary(name="100% Group", kind="organisation", mentions=1, articles=1),
        ActorSummary(name="Ana Brel", kind="person", mentions=1, articles=1),
    ]
    page, total = store.actors(limit=2, offset=1)
    assert [a.name for a in page] == ["Kestria", "100% Group"] and total == 4
    # the filter is a case-insensitive substring; LIKE's wildcards in it are literal
    assert [a.name for a in store.actors(query="VALD")[0]] == ["Valdoria"]
    assert [a.name for a in store.actors(query="%")[0]] == ["100% Group"]
    assert [a.name for a in store.actors(query="_")[0]] == []


def test_actor_articles_oldest_first_and_include_speakers_and_event_targets(store: Store) -> None:
    a, b, c = _three(store)
    assert store.actor_article_ids("valdoria") == [a.id, c.id]
    assert store.actor_article_ids("Kestria") == [b.id, a.id]
    assert store.actor_article_ids("Nobody") == []
    activity = actor_activity(store, "Ana Brel")
    assert [q["article_id"] for q in activity["quotes"]] == [b.id]
    assert [e["article_id"] for e in actor_activity(store, "Kestria")["events"]] == [a.id]


def test_a_new_analysis_of_an_article_replaces_its_rows(store: Store) -> None:
    a, _, c = _three(store)
    analysis = store.get_analysis(a.id)
    assert analysis is not None
    store.put_analysis(dataclasses.replace(analysis, mentions=(_mention("Kestria"),), events=()))
    counts = {s.name: s.mentions for s in store.actors()[0]}
    assert counts["Valdoria"] == 1 and counts["Kestria"] == 2
    assert store.actor_article_ids("Valdoria") == [c.id]


def test_the_migration_fills_the_table_from_analyses_stored_before_it(
    shared_store_url: str,
) -> None:
    with open_store(shared_store_url) as store:
        _three(store)
        before = store.actors()
        version = 4 if shared_store_url.startswith("postgresql") else 8
        with store.transaction():  # back to the schema before the actor table
            store._x("DROP TABLE actor_articles")  # type: ignore[attr-defined]
            store._x("DELETE FROM schema_migrations WHERE version = ?", (version,))  # type: ignore[attr-defined]
    with open_store(shared_store_url) as store:
        assert store.actors() == before
        assert len(store.actor_article_ids("Valdoria")) == 2


def test_names_differing_in_case_are_listed_apart_and_found_together(store: Store) -> None:
    a = _stored(
        store,
        b"The New York office of Kestria opened on Monday after a long dispute with the city of Tarn.",
        dt.date(2026, 3, 4),
        mentions=(_mention("NEW YORK", "place"), _mention("New York", "place")),
    )
    listed = {(s.name, s.mentions, s.articles) for s in store.actors()[0]}
    assert listed == {("NEW YORK", 1, 1), ("New York", 1, 1)}
    assert store.actor_article_ids("new york") == [a.id]
