"""List pages every backend serves the same way: filtered and paged stories and articles,
search snippets with the hit marked, articles per outlet per day."""

from __future__ import annotations

import dataclasses
import datetime as dt

from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import Article, Story, StoryDigest
from newsprism.store import (
    HIT_END,
    HIT_START,
    ArticleFilter,
    DayCount,
    Store,
    StoryFilter,
)


def _put(
    store: Store, text: str, *, outlet: str | None, day: dt.date | None, language: str = "en"
) -> Article:
    raw = raw_from_bytes(
        text.encode(), source_kind="file", locator=f"{len(text)}.txt", content_type="text/plain"
    )
    store.put_raw(raw)
    article = extract_article(raw)
    assert isinstance(article, Article)
    article = dataclasses.replace(article, outlet=outlet, published=day, language=language)
    assert store.put_article(article) is True
    return article


D1, D2, D3 = dt.date(2026, 3, 1), dt.date(2026, 3, 4), dt.date(2026, 3, 9)
BODY = "The harbour board of Tarn {} its dredging plan on {} after a long public debate."


def _fixture(store: Store) -> dict[str, Article]:
    arts = {
        "a": _put(store, BODY.format("approved", "Monday"), outlet="Tarn Post", day=D1),
        "b": _put(store, BODY.format("delayed", "Tuesday"), outlet="Harbour Daily", day=D2),
        "c": _put(
            store,
            "Ministers of Valdoria met Kestria envoys in Tarn to reopen the border talks after years.",
            outlet="Tarn Post",
            day=D3,
            language="fr",
        ),
        "d": _put(
            store,
            "An undated note about lighthouse repairs on the northern cape, written by the keeper.",
            outlet=None,
            day=None,
        ),
    }
    stories = [
        ("s-harbour", ("a", "b"), D1, D2, (("Tarn Post", 1), ("Harbour Daily", 1)), ("Tarn",)),
        ("s-talks", ("c",), D3, D3, (("Tarn Post", 1),), ("Valdoria", "Kestria")),
        ("s-undated", ("d",), None, None, (("unknown outlet (x.txt)", 1),), ()),
    ]
    for sid, members, first, last, outlets, actors in stories:
        ids = tuple(arts[m].id for m in members)
        store.put_story(Story(id=sid, article_ids=ids, label=sid, first_date=first, last_date=last))
        store.put_digest(
            StoryDigest(
                story_id=sid,
                members="m",
                title=sid,
                outlets=outlets,
                actors=tuple((a, 2) for a in actors),
            )
        )
    return arts


def _ids(page: object) -> list[str]:
    return [s.id for s in page.stories]  # type: ignore[attr-defined]


def test_find_stories_filters_and_pages_in_the_store(store: Store) -> None:
    _fixture(store)
    every = store.find_stories(limit=10)
    assert _ids(every) == ["s-talks", "s-harbour", "s-undated"] and every.total == 3
    assert [i for o in (0, 1, 2) for i in _ids(store.find_stories(limit=1, offset=o))] == _ids(
        every
    )
    assert store.find_stories(limit=1).total == 3  # the count ignores the page
    since = store.find_stories(StoryFilter(since=D2))
    assert _ids(since) == ["s-talks", "s-harbour"] and since.total == 2  # overlap, undated out
    assert _ids(store.find_stories(StoryFilter(until=D1))) == ["s-harbour"]
    assert _ids(store.find_stories(StoryFilter(since=D3, until=D3))) == ["s-talks"]
    assert _ids(store.find_stories(StoryFilter(outlet="harbour daily"))) == ["s-harbour"]
    assert _ids(store.find_stories(StoryFilter(outlet="Tarn Post"))) == ["s-talks", "s-harbour"]
    assert _ids(store.find_stories(StoryFilter(actor="Kestria"))) == ["s-talks"]
    assert _ids(store.find_stories(StoryFilter(actor="Nobody"))) == []
    assert _ids(store.find_stories(StoryFilter(language="fr"))) == ["s-talks"]
    assert _ids(store.find_stories(StoryFilter(text="dredging"))) == ["s-harbour"]
    assert _ids(store.find_stories(StoryFilter(text='"; DROP TABLE stories; --'))) == []
    assert _ids(store.find_stories(StoryFilter(text="?!"))) == []
    both = store.find_stories(StoryFilter(outlet="Tarn Post", language="en", since=D1))
    assert _ids(both) == ["s-harbour"] and both.total == 1
    assert store.counts().stories == 3


def test_find_articles_filters_and_pages(store: Store) -> None:
    arts = _fixture(store)
    every = store.find_articles(limit=10)
    order = [arts[k].id for k in ("c", "b", "a", "d")]  # newest published first, undated last
    assert [a.id for a in every.articles] == order and every.total == 4
    assert [
        a.id for o in range(4) for a in store.find_articles(limit=1, offset=o).articles
    ] == order
    page = store.find_articles(ArticleFilter(since=D2), limit=1)
    assert [a.id for a in page.articles] == [arts["c"].id] and page.total == 2
    assert [a.id for a in store.find_articles(ArticleFilter(until=D1)).articles] == [arts["a"].id]
    tarn = store.find_articles(ArticleFilter(outlet="tarn post"))
    assert {a.id for a in tarn.articles} == {arts["a"].id, arts["c"].id}
    assert store.find_articles(ArticleFilter(language="fr")).total == 1
    harbour = store.find_articles(ArticleFilter(story_id="s-harbour", outlet="Harbour Daily"))
    assert [a.id for a in harbour.articles] == [arts["b"].id]
    assert store.find_articles(ArticleFilter(story_id="nope")).total == 0


def test_search_hits_mark_the_matched_words(store: Store) -> None:
    arts = _fixture(store)
    hits = store.search_hits("dredging")
    assert {h.article_id for h in hits} == {arts["a"].id, arts["b"].id}
    for h in hits:
        assert f"{HIT_START}dredging{HIT_END}" in h.snippet
        plain = h.snippet.replace(HIT_START, "").replace(HIT_END, "")
        assert plain.strip(" …") in store.article(h.article_id).text
    one = store.search_hits("DELAYED dredging")
    assert [h.article_id for h in one] == [arts["b"].id]
    assert f"{HIT_START}delayed{HIT_END}" in one[0].snippet
    assert store.search_hits("dredging", limit=1, offset=1)[0].article_id in {
        arts["a"].id,
        arts["b"].id,
    }
    for hostile in ['"; DROP TABLE articles; --', "NEAR(", "*", "", "a\x00b"]:
        assert store.search_hits(hostile) == []
    assert [h.article_id for h in hits] == store.search("dredging")


def test_coverage_by_day_counts_articles_per_outlet(store: Store) -> None:
    arts = _fixture(store)
    assert store.coverage_by_day() == [
        DayCount(day=D1, outlet="Tarn Post", articles=1),
        DayCount(day=D2, outlet="Harbour Daily", articles=1),
        DayCount(day=D3, outlet="Tarn Post", articles=1),
    ]
    assert store.coverage_by_day(since=D2, until=D2) == [
        DayCount(day=D2, outlet="Harbour Daily", articles=1)
    ]
    assert [c.day for c in store.coverage_by_day(story_id="s-harbour")] == [D1, D2]
    assert arts["d"].published is None
