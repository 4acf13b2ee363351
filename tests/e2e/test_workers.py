"""`workers=2` annotates on two processes and gives exactly what one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.nlp.pool import AnnotatorPool
from newsprism.pipeline import run
from newsprism.serde import to_data
from newsprism.settings import Settings
from newsprism.store import open_store
from tests.conftest import EXAMPLES, seeds_dir

pytestmark = pytest.mark.model


def _everything(db: Path) -> dict[str, object]:
    store = open_store(db)
    try:
        ids = sorted(store.article_ids())
        analyses = {}
        for i in ids:
            analysis = store.get_analysis(i)
            analyses[i] = to_data(analysis) if analysis else None
        stories = sorted(sorted(s.article_ids) for s in store.stories(limit=None))
        briefs = sorted(
            str(to_data(b))
            for s in store.stories(limit=None)
            if (b := store.get_brief(s.id, s.article_ids))
        )
        features = {i: to_data(f) for i, f in store.get_features(ids).items()}
        return {"analyses": analyses, "features": features, "stories": stories, "briefs": briefs}
    finally:
        store.close()


@pytest.mark.parametrize("chunk_size", [256, 4])
def test_two_workers_give_the_same_store_as_one(tmp_path: Path, chunk_size: int) -> None:
    """With chunks of 4, the workers annotate a chunk while the driver cleans the next one."""
    settings = Settings(chunk_size=chunk_size)
    inputs = [str(EXAMPLES), *sorted(str(p) for p in seeds_dir().glob("*.txt"))]
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    store = open_store(one)
    try:
        run(inputs, store, settings=settings)
    finally:
        store.close()
    store = open_store(two)
    try:
        with AnnotatorPool(2, min_batch=2) as pool:  # small batches still go to the workers
            result = run(inputs, store, settings=settings, annotator=pool)
            assert pool._executor is not None  # the workers were used
            # every chunk the workers annotate (one of 1 article stays in the driver) was
            # started before it was asked for
            assert pool.prefetched == 13 // chunk_size + (13 % chunk_size >= 2)
    finally:
        store.close()
    assert result.accepted == 13
    assert _everything(one) == _everything(two)
