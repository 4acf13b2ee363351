"""Exact resume: SIGKILL the ingest at every store write in turn, resume, compare the store.

Each trial forks a child of the test process (the model is loaded once, before the forks), the
child sets `NEWSPRISM_FAULT_KILL_AT=N` and runs the pipeline, and the store proxy kills it with
a real SIGKILL just before its N-th write. The run is then resumed and the final store must
equal an uninterrupted run's: the same article ids, duplicate links, story membership and briefs.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest

from newsprism.api import _annotator
from newsprism.models import Document
from newsprism.pipeline import Input, run
from newsprism.serde import to_data
from newsprism.settings import Settings
from newsprism.store import faults, open_store
from tests.conftest import EXAMPLES, seeds_dir

pytestmark = pytest.mark.model


def _inputs() -> list[Input]:
    seeds = sorted(seeds_dir().glob("*.txt"))
    example = sorted((EXAMPLES / "border-talks").glob("*"))[0]
    copy = Document(seeds[0].read_text("utf-8"), outlet="A wire copy")  # an exact duplicate
    return [str(seeds[0]), str(example), copy, str(seeds[1])]


def _snapshot(db: Path) -> dict[str, Any]:
    store = open_store(db)
    try:
        ids = sorted(store.article_ids())
        stories = {}
        for story in store.stories(limit=None):
            report_brief = store.get_brief(story.id, story.article_ids)
            brief = to_data(report_brief) if report_brief else None
            if brief is not None:
                brief.pop("created_at", None)
            stories[story.id] = (sorted(story.article_ids), brief)
        return {
            "articles": ids,
            "duplicates": {i: store.article(i).duplicate_of for i in ids},
            "analysed": sorted(store.analysed_ids()),
            "features": sorted(store.get_features(ids)),
            "stories": stories,
            "memberships": {i: store.story_of(i) for i in ids},
        }
    finally:
        store.close()


def _run(db: Path) -> None:
    store = open_store(db)
    try:
        run(_inputs(), store, settings=Settings(), annotator=_annotator())
    finally:
        store.close()


def _killed_run(db: Path, at: int) -> int:
    """Fork, run with a kill at the `at`-th write; the child's wait status."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.environ[faults.ENV] = str(at)
            faults._calls = 0
            _run(db)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return status


def test_kill_at_every_store_write_resumes_exactly(tmp_path: Path) -> None:
    _annotator()  # load the model before forking
    reference = tmp_path / "reference.db"
    os.environ[faults.ENV] = str(10**9)  # count writes without killing
    faults._calls = 0
    try:
        _run(reference)
        total = faults.writes_so_far()
    finally:
        del os.environ[faults.ENV]
    expected = _snapshot(reference)
    assert expected["duplicates"] and any(expected["duplicates"].values())
    assert len(expected["stories"]) >= 2 and total >= 20
    for at in range(1, total + 1):
        db = tmp_path / f"killed-{at}.db"
        status = _killed_run(db, at)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (at, status)
        _run(db)  # resume
        assert _snapshot(db) == expected, f"resume after a kill at write {at} of {total}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    # a kill past the last write is no kill: the run finishes
    assert os.WIFEXITED(_killed_run(tmp_path / "whole.db", total + 1))
