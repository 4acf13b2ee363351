"""`newsprism batch` on a real local Dask cluster: order-independent stories, a dying worker."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsprism import pipeline
from newsprism.batch import Outcome, process_partition, run_batch
from newsprism.models import RawDocument
from newsprism.settings import Settings
from newsprism.store import open_store
from tests.conftest import EXAMPLES, seeds_dir

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    dask_client = Client(cluster)
    yield dask_client
    dask_client.close()
    cluster.close()


def _files() -> list[str]:
    files = sorted(str(p) for p in EXAMPLES.rglob("*") if p.suffix in (".txt", ".html"))
    return files + sorted(str(p) for p in seeds_dir().glob("*.txt"))


def _membership(db: Path) -> set[frozenset[str]]:
    store = open_store(db)
    try:
        return {frozenset(s.article_ids) for s in store.stories(limit=None) if s.article_ids}
    finally:
        store.close()


def test_any_order_and_partitioning_give_the_same_stories(client: object, tmp_path: Path) -> None:
    files = _files()
    runs = [(files, 4), (list(reversed(files)), 3), (files[1::2] + files[::2], 16)]
    got = []
    for n, (inputs, size) in enumerate(runs):
        store = open_store(tmp_path / f"b{n}.db")
        try:
            result = run_batch(inputs, store, client=client, partition_size=size)
            assert result.accepted == len(files) and result.rejected == 0
        finally:
            store.close()
        got.append(_membership(tmp_path / f"b{n}.db"))
    assert got[0] == got[1] == got[2]
    assert len(got[0]) >= 4  # the examples' three stories and the seeds' one, at least
    # and the same stories as a single-process ingest followed by a regroup
    store = open_store(tmp_path / "ingest.db")
    try:
        pipeline.run(files, store, settings=Settings())
        pipeline.regroup(store, settings=Settings())
    finally:
        store.close()
    assert _membership(tmp_path / "ingest.db") == got[0]


@dataclass(frozen=True)
class DiesOnce:
    """A partition function that kills its worker process the first time it sees the seeds."""

    marker: Path

    def __call__(self, raws: Sequence[RawDocument], settings: Settings) -> list[Outcome]:
        if any("seeds" in raw.locator for raw in raws) and not self.marker.exists():
            self.marker.write_text("died once")
            os._exit(1)
        return process_partition(raws, settings)


def test_a_worker_dying_mid_run_loses_nothing(client: object, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    store = open_store(tmp_path / "dying.db")
    try:
        result = run_batch(
            _files(), store, client=client, partition_size=2, process=DiesOnce(marker)
        )
    finally:
        store.close()
    assert marker.read_text() == "died once"  # a worker really died
    assert result.accepted == len(_files()) and result.rejected == 0
    assert len({a for s in _membership(tmp_path / "dying.db") for a in s}) == len(_files())


def test_the_batch_command_backfills_and_writes_parquet(tmp_path: Path) -> None:
    db, out = tmp_path / "cli.db", tmp_path / "parquet"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsprism",
            "batch",
            str(EXAMPLES),
            "--db",
            str(db),
            "--workers",
            "2",
            "--output",
            "parquet",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "article(s) accepted" in done.stderr
    import pyarrow.parquet as pq

    articles = pq.read_table(out / "articles.parquet").to_pylist()
    quotes = pq.read_table(out / "quotes.parquet").to_pylist()
    assert len(articles) == sum(1 for p in EXAMPLES.rglob("*") if p.suffix in (".txt", ".html"))
    assert quotes and all(q["text"] for q in quotes)
    assert all(a["story_id"] for a in articles)
