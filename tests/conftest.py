from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import newsprism
from newsprism.models import Result

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"
EXPECTED = json.loads((ROOT / "tests" / "golden" / "examples_expected.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A real PostgreSQL server for the session (tests/support/postgres.py); its base URL."""
    from tests.support.postgres import cluster

    with cluster() as url:
        yield url


def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(
            f"the showcase seeds are missing at {SEEDS} (shared/ must sit beside the project)"
        )
    return SEEDS


@pytest.fixture(scope="session")
def seeds_result() -> Result:
    return newsprism.analyze(sorted(str(p) for p in seeds_dir().glob("*.txt")))


@pytest.fixture(scope="session")
def examples_result() -> Result:
    return newsprism.analyze([str(EXAMPLES)])
