"""One bad record never stops a run; dates at the calendar's ends; regroup is all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import newsprism
from newsprism import errors, pipeline
from newsprism.models import Document
from newsprism.settings import Settings
from newsprism.store import open_store
from newsprism.stories import StoryIndex

pytestmark = pytest.mark.model

HARBOUR = (
    "The council of Tarn approved the harbour budget on {when} after a long debate about the "
    "dredging contract and the new container terminal, officials said. The port authority "
    "said work would begin within a month."
)
MINES = (
    "Miners in Lorvik walked out on {when} over pay and safety at the northern pits, the union "
    "said, and the company said talks with the union would resume within days."
)


def _docs() -> list[Document]:
    return [
        Document(HARBOUR.format(when="2 January 0001"), outlet="A"),
        Document(HARBOUR.format(when="Monday"), outlet="B", published=dt.date(1, 1, 2)),
        Document(MINES.format(when="31 December 9999"), outlet="C"),
        Document(MINES.format(when="Tuesday"), outlet="D", published=dt.date(9999, 12, 31)),
    ]


def test_dates_at_the_ends_of_the_calendar_neither_crash_nor_wipe_stories(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    result = newsprism.analyze(_docs(), db=db)
    assert len(result.articles) == 4 and not result.rejections
    store = open_store(db)
    try:
        assert all(store.story_of(a.id) for a in result.articles)
        pipeline.regroup(store, settings=Settings())  # used to leave 0 stories
        assert all(store.story_of(a.id) for a in result.articles)
        assert sum(len(s.article_ids) for s in store.stories(limit=None)) == 4
    finally:
        store.close()


def test_a_failing_record_becomes_a_rejection_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.extract_article

    def fragile(raw: Any, **kwargs: Any) -> Any:
        if b"Lorvik" in raw.data:
            raise ValueError("an input shape nobody foresaw")
        return real(raw, **kwargs)

    monkeypatch.setattr(pipeline, "extract_article", fragile)
    result = newsprism.analyze(
        [
            Document(HARBOUR.format(when="Monday"), outlet="A"),
            Document(MINES.format(when="Monday"), outlet="B"),
            Document(HARBOUR.format(when="Tuesday"), outlet="C"),
        ],
        db=tmp_path / "r.db",
    )
    assert [a.outlet for a in result.articles] == ["A", "C"]
    (rejection,) = result.rejections
    assert rejection.code == "pipeline.internal_error" and rejection.index == 1
    assert "ValueError: an input shape nobody foresaw" in rejection.reason
    assert "\n" not in rejection.reason


def test_regroup_that_fails_leaves_the_old_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "g.db"
    newsprism.analyze(
        [
            Document(HARBOUR.format(when="Monday"), outlet="A"),
            Document(MINES.format(when="Monday"), outlet="B"),
        ],
        db=db,
    )
    store = open_store(db)
    try:
        before = {s.id: s.article_ids for s in store.stories(limit=None)}
        calls = 0
        real = StoryIndex.assign

        def failing(self: StoryIndex, *args: Any, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise RuntimeError("died half-way through the regroup")
            return real(self, *args, **kwargs)

        monkeypatch.setattr(StoryIndex, "assign", failing)
        with pytest.raises(RuntimeError):
            pipeline.regroup(store, settings=Settings())
        assert calls == 2
        assert {s.id: s.article_ids for s in store.stories(limit=None)} == before
    finally:
        store.close()


def test_an_article_over_its_time_budget_is_an_annotate_timeout(tmp_path: Path) -> None:
    result = newsprism.analyze(
        [Document("\n\n".join([HARBOUR.format(when="Monday")] * 300), outlet="A")],
        db=tmp_path / "t.db",
        settings=Settings(annotate_timeout=0.0),  # checked every few hundred rule steps
    )
    assert not result.articles
    assert [r.code for r in result.rejections] == ["annotate.timeout"]
    store = open_store(tmp_path / "t.db")
    try:
        assert store.unfinished_ids() == []  # rejected at annotate: not retried as half done
    finally:
        store.close()


def test_merge_is_all_or_nothing_and_never_with_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "m.db"
    newsprism.analyze(
        [
            Document(HARBOUR.format(when="Monday"), outlet="A"),
            Document(MINES.format(when="Monday"), outlet="B"),
        ],
        db=db,
    )
    store = open_store(db)
    try:
        first, second = (s.id for s in store.stories(limit=None))
        with pytest.raises(errors.ConfigError, match="itself"):
            pipeline.merge_stories(store, first, first)
        before = {s.id: s.article_ids for s in store.stories(limit=None)}

        def dies(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("the store went away mid-merge")

        monkeypatch.setattr(type(store), "delete_story", dies)
        with pytest.raises(RuntimeError):
            pipeline.merge_stories(store, first, second)
        assert {s.id: s.article_ids for s in store.stories(limit=None)} == before
        assert store.overrides() == []  # the overrides written before the failure are gone
    finally:
        store.close()
