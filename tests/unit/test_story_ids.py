"""Stable stories: ids and labels survive `regroup` when membership mostly survives; ids are
never given to another story; merges and splits check their input."""

from __future__ import annotations

import datetime as dt

import pytest

from newsprism import errors
from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import Article, ArticleAnalysis
from newsprism.pipeline import group_stories, merge_stories, regroup, split_story, story_report
from newsprism.settings import Settings
from newsprism.store import SQLiteStore
from newsprism.stories import Features
from newsprism.story_ids import fresh_story_id, match_stories, story_id_for

DAY = dt.date(2026, 3, 3)
TOPICS = {
    "a": "harbour strike dockers union wages lorvik pickets",
    "b": "meter recall fire smart electricity supplier quillon",
    "c": "glacier survey melt ice core drilling expedition",
}


def _features(article: Article, topic: str) -> Features:
    return Features(article.id, {w: 1.0 for w in TOPICS[topic].split()}, {}, DAY, "en")


def _article(store: SQLiteStore, name: str, topic: str | None = None) -> Article:
    text = f"Article {name} reports on the events of the week in some detail for its many readers."
    raw = raw_from_bytes(
        text.encode(), source_kind="file", locator=f"{name}.txt", content_type="text/plain"
    )
    store.put_raw(raw)
    article = extract_article(raw)
    assert isinstance(article, Article)
    store.put_article(article)
    analysis = ArticleAnalysis(
        article=article,
        sentences=(),
        actors=(),
        mentions=(),
        quotes=(),
        time_expressions=(),
        events=(),
    )
    store.put_analyses([(analysis, _features(article, topic or name[0]))])
    return article


def _by_members(store: SQLiteStore) -> dict[frozenset[str], tuple[str, str]]:
    return {frozenset(s.article_ids): (s.id, s.label) for s in store.stories(limit=None)}


def _grouped(store: SQLiteStore, *names: str) -> dict[str, Article]:
    arts = {n: _article(store, n) for n in names}
    group_stories(list(arts.values()), store, settings=Settings())
    return arts


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"A": "xyz"}, {"N": "xyz"}, {"N": "A"}),  # unchanged
        ({"A": "xy"}, {"N": "xyzuvw"}, {"N": "A"}),  # grew a lot: Jaccard 1/3, all old kept
        ({"A": "wxyz"}, {"N": "wxy", "M": "z"}, {"N": "A"}),  # a split: the larger half
        ({"A": "wxyz"}, {"N": "w", "M": "xyzuv"}, {"M": "A"}),  # most of it moved on
        ({"A": "wxyz"}, {"N": "wa", "M": "xb", "O": "yc"}, {}),  # scattered: nobody keeps it
        ({"A": "xy", "B": "uv"}, {"N": "xyuv"}, {"N": "A"}),  # a merge: one keeps its id
    ],
)
def test_match_stories(old: dict[str, str], new: dict[str, str], expected: dict[str, str]) -> None:
    got = match_stories({k: list(v) for k, v in old.items()}, {k: list(v) for k, v in new.items()})
    assert got == expected


def test_fresh_story_id_skips_issued_ids() -> None:
    first = story_id_for("a1")
    taken = {first, story_id_for("a1", 1)}
    fresh = fresh_story_id("a1", taken.__contains__)
    assert fresh not in taken and fresh == story_id_for("a1", 2)
    assert fresh_story_id("a1", lambda _: False) == first


def test_regroup_of_an_unchanged_store_keeps_every_id_and_label() -> None:
    store = SQLiteStore(":memory:")
    _grouped(store, "a1", "b1", "c1", "a2", "b2", "c2")
    some = store.stories(limit=None)[0]
    store.put_story_label(some.id, "Set by hand")
    for s in store.stories(limit=None):
        story_report(store, s.id, settings=Settings())  # labels made as the CLI shows them
    before = _by_members(store)
    assert len(before) == 3
    assert all(label for _id, label in before.values())
    regroup(store, settings=Settings())
    assert _by_members(store) == before
    issued = store._x("SELECT COUNT(*) FROM story_ids").fetchone()[0]
    regroup(store, settings=Settings())
    assert _by_members(store) == before
    assert store.story(some.id).label == "Set by hand"
    assert store._x("SELECT COUNT(*) FROM story_ids").fetchone()[0] == issued == 3


def test_a_story_that_gains_members_keeps_its_id() -> None:
    store = SQLiteStore(":memory:")
    arts = _grouped(store, "a1", "b1")
    story_a = store.story_of(arts["a1"].id)
    story_b = store.story_of(arts["b1"].id)
    # three more on topic a, stored and analysed but not grouped until the regroup
    for name in ("a2", "a3", "a4"):
        _article(store, name)
    regroup(store, settings=Settings())
    assert store.story_of(arts["a1"].id) == story_a
    assert len(store.story(story_a or "").article_ids) == 4  # Jaccard 1/4, all old kept
    assert store.story_of(arts["b1"].id) == story_b


def test_a_story_split_in_two_keeps_its_id_on_the_larger_half() -> None:
    store = SQLiteStore(":memory:")
    arts = _grouped(store, "a1", "a2", "a3", "a4", "a5")
    old = store.story_of(arts["a1"].id)
    assert old and len(store.story(old).article_ids) == 5
    for name in ("a1", "a2"):  # the first article leaves: ids derive from it, yet stay put
        store.put_features(_features(arts[name], "c"))
    issued = store.issued_story_ids([old])
    regroup(store, settings=Settings())
    assert store.story_of(arts["a3"].id) == old
    assert set(store.story(old).article_ids) == {arts[n].id for n in ("a3", "a4", "a5")}
    other = store.story_of(arts["a1"].id)
    assert other is not None and other != old
    assert other != story_id_for(arts["a1"].id)  # that id was the old story's: never reused
    assert store.story_of(arts["a2"].id) == other and issued == {old}


def test_split_gives_the_larger_part_the_id_and_the_other_a_fresh_one() -> None:
    store = SQLiteStore(":memory:")
    arts = _grouped(store, "a1", "a2", "a3")
    story = store.story_of(arts["a1"].id)
    assert story is not None
    store.put_story_label(story, "Harbour strike")
    moved = split_story(store, story, [arts["a1"].id])  # the first article, alone
    assert moved.article_ids == (arts["a1"].id,) and moved.id != story
    assert set(store.story(story).article_ids) == {arts["a2"].id, arts["a3"].id}
    assert store.story(story).label == "Harbour strike"
    regroup(store, settings=Settings())  # the split is kept, and so are both ids
    assert store.story_of(arts["a1"].id) == moved.id
    assert store.story_of(arts["a2"].id) == story


def test_merge_and_split_check_their_input() -> None:
    store = SQLiteStore(":memory:")
    arts = _grouped(store, "a1", "a2", "b1")
    story_a = store.story_of(arts["a1"].id) or ""
    story_b = store.story_of(arts["b1"].id) or ""
    with pytest.raises(errors.NotFoundError, match="no story"):
        merge_stories(store, story_a, "s00000000000")
    with pytest.raises(errors.ConfigError, match="itself"):
        merge_stories(store, story_a, story_a)
    with pytest.raises(errors.NotFoundError, match="no story"):
        split_story(store, "s00000000000", [arts["a1"].id])
    with pytest.raises(errors.ConfigError, match=f"not in story {story_a}"):
        split_story(store, story_a, [arts["b1"].id])
    with pytest.raises(errors.ConfigError, match="all 2 articles"):
        split_story(store, story_a, [arts["a1"].id, arts["a2"].id])
    with pytest.raises(errors.ConfigError, match="at least one article"):
        split_story(store, story_a, [])
    assert len(store.story(story_a).article_ids) == 2 and store.get_story(story_b) is not None
    merged = merge_stories(store, story_a, story_b)
    assert merged.id == story_a and store.get_story(story_b) is None
    # the merged-away id is never given to a new story
    again = _article(store, "c1")
    group_stories([again], store, settings=Settings())
    assert store.story_of(again.id) not in (story_b, None)
