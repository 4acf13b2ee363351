"""One store suite, every backend: SQLite in memory, a SQLite file, and a real PostgreSQL.

The PostgreSQL cluster is started once per test session (tests/support/postgres.py: initdb +
pg_ctl on a loopback port under a temp dir) and each test gets a fresh database.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsprism.store import Store, open_store
from tests.support.postgres import fresh_database

BACKENDS = ["sqlite-memory", "sqlite-file", "postgres"]
_names = itertools.count()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a fresh, empty store of each backend lives (open it with `open_store`)."""
    yield from _fresh(request, tmp_path)


@pytest.fixture(params=[b for b in BACKENDS if b != "sqlite-memory"])
def shared_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh store that several connections can share (an in-memory SQLite store cannot)."""
    yield from _fresh(request, tmp_path)


def _fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite-memory":
        yield ":memory:"
    elif request.param == "sqlite-file":
        yield str(tmp_path / "contract.db")
    else:
        server = request.getfixturevalue("pg_server")
        yield fresh_database(server, f"contract_{next(_names)}")
        from newsprism.store.postgres import close_pools

        close_pools()


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()
