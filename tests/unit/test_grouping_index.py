"""`group_stories` with an index kept between batches: same stories, and synced with the store
when something else (a merge) changed it in between."""

from __future__ import annotations

import datetime as dt

from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import Article
from newsprism.pipeline import group_stories, merge_stories
from newsprism.settings import Settings
from newsprism.store import SQLiteStore
from newsprism.stories import Features, StoryIndex

DAY = dt.date(2026, 3, 3)
TOPICS = {
    "a": "harbour strike dockers union wages lorvik pickets",
    "b": "meter recall fire smart electricity supplier quillon",
}


def _article(store: SQLiteStore, name: str) -> Article:
    text = f"Article {name} reports on the events of the week in some detail for its many readers."
    raw = raw_from_bytes(
        text.encode(), source_kind="file", locator=f"{name}.txt", content_type="text/plain"
    )
    store.put_raw(raw)
    article = extract_article(raw)
    assert isinstance(article, Article)
    store.put_article(article)
    terms = {w: 1.0 for w in TOPICS[name[0]].split()}
    store.put_features(Features(article.id, terms, {}, DAY, "en"))
    return article


def _stories(store: SQLiteStore) -> list[tuple[str, ...]]:
    return sorted(s.article_ids for s in store.stories(limit=None))


def test_a_kept_index_gives_the_same_stories_as_a_fresh_one_per_batch() -> None:
    results = []
    for keep in (False, True):
        store = SQLiteStore(":memory:")
        arts = {n: _article(store, n) for n in ("a1", "b1", "a2", "b2", "a3")}
        index = StoryIndex(Settings()) if keep else None
        for batch in (["a1", "b1"], ["a2", "b2"], ["a3"]):
            group_stories([arts[n] for n in batch], store, settings=Settings(), index=index)
        results.append(_stories(store))
        assert len(results[-1]) == 2
    assert results[0] == results[1]


def test_a_kept_index_follows_a_merge_made_between_batches() -> None:
    store = SQLiteStore(":memory:")
    arts = {n: _article(store, n) for n in ("a1", "b1", "b2")}
    index = StoryIndex(Settings())
    group_stories([arts["a1"], arts["b1"]], store, settings=Settings(), index=index)
    story_a, story_b = store.story_of(arts["a1"].id), store.story_of(arts["b1"].id)
    assert story_a and story_b and story_a != story_b
    merge_stories(store, story_a, story_b)  # story_b is gone from the store
    group_stories([arts["b2"]], store, settings=Settings(), index=index)
    # b2 joins the merged story; the stale story_b is neither joined nor brought back
    assert store.story_of(arts["b2"].id) == story_a
    assert store.get_story(story_b) is None
    assert len(store.stories(limit=None)) == 1
    assert story_b not in index and len(index.members[story_a]) == 3
