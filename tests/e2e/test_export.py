"""`newsprism export` through the real entry point, against a SQLite file built from the seeds
and the examples; the flat views read with plain SQL (as datasette, DuckDB or pandas would)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import EXAMPLES, seeds_dir

pytestmark = pytest.mark.model


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args], capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("export") / "news.db")
    done = cli("ingest", str(EXAMPLES), str(seeds_dir()), "--db", path)
    assert done.returncode == 0, done.stderr
    return path


def test_every_kind_exports_as_csv_with_its_header(db: str) -> None:
    for kind in ("articles", "quotes", "events", "actors", "stories", "claims", "differences"):
        done = cli("export", kind, "--db", db)
        assert done.returncode == 0, (kind, done.stderr)
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
        assert rows, kind
        assert f"{len(rows)} {kind} row(s) as csv" in done.stderr
    # long lines stay whole when piped: nothing is cut to the terminal's width
    articles = list(csv.DictReader(io.StringIO(cli("export", "articles", "--db", db).stdout)))
    assert all(len(a["text"]) == int(a["characters"]) for a in articles)
    assert any(a["outlet"] == "unknown outlet (000_1c7598294c6a4fa8.txt)" for a in articles)


def test_quotes_match_the_flat_view_and_filters_apply(db: str, tmp_path: Path) -> None:
    out = tmp_path / "quotes.jsonl"
    done = cli("export", "quotes", "--db", db, "-o", str(out))
    assert done.returncode == 0, done.stderr
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    with sqlite3.connect(db) as conn:  # no JSON functions: the view is flat
        viewed = conn.execute(
            "SELECT article_id, quote_index, speaker, text FROM quotes_v "
            "ORDER BY article_id, quote_index"
        ).fetchall()
        by_speaker = dict(
            conn.execute(
                "SELECT speaker, COUNT(*) FROM quotes_v GROUP BY speaker ORDER BY 2 DESC"
            ).fetchall()
        )
    assert [(q["article_id"], q["quote_index"], q["speaker"], q["text"]) for q in exported] == [
        tuple(r) for r in viewed
    ]
    assert by_speaker["Dmitry Peskov"] >= 2
    later = cli("export", "quotes", "--db", db, "--format", "jsonl", "--since", "2026-03-10")
    assert later.returncode == 0
    dates = {json.loads(x)["published"] for x in later.stdout.splitlines()}
    assert dates and min(dates) >= "2026-03-10"


def test_one_story_as_parquet(db: str, tmp_path: Path) -> None:
    stories = list(csv.DictReader(io.StringIO(cli("export", "stories", "--db", db).stdout)))
    seed = next(s for s in stories if "Macron" in s["label"])
    out = tmp_path / "claims.parquet"
    done = cli("export", "claims", "--db", db, "--story", seed["id"][:6], "-o", str(out))
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    assert table.num_rows > 0 and set(table.column("story_id").to_pylist()) == {seed["id"]}
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    "args",
    [
        ("export", "quote"),
        ("export", "quotes", "--format", "xlsx"),
        ("export", "quotes", "--since", "March"),
        ("export", "quotes", "--story", "nope"),
    ],
)
def test_bad_arguments_are_usage_errors(db: str, args: tuple[str, ...]) -> None:
    done = cli(*args, "--db", db)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_database_is_an_error_not_an_empty_export(tmp_path: Path) -> None:
    done = cli("export", "quotes", "--db", str(tmp_path / "typo.db"))
    assert done.returncode == 2 and "no database" in done.stderr
    assert not (tmp_path / "typo.db").exists()
