"""The CLI through its real entry point (`python -m newsprism`), against a real SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, seeds_dir

pytestmark = pytest.mark.model


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=600,
    )


def test_help_has_examples() -> None:
    result = cli("--help")
    assert result.returncode == 0 and "analyze" in result.stdout
    for command in (
        "analyze",
        "ingest",
        "watch",
        "stories",
        "show",
        "brief",
        "rejections",
        "serve",
        "config",
        "label",
        "outlets",
        "outlets add",
        "outlets import",
        "outlets list",
        "outlets remove",
    ):
        sub = cli(*command.split(), "--help")
        assert sub.returncode == 0 and "Example:" in sub.stdout, command
        if command != "outlets":  # every command takes --set
            assert "--set" in sub.stdout, command


def test_analyze_seeds_prints_one_cited_brief(tmp_path: Path) -> None:
    seeds = sorted(str(p) for p in seeds_dir().glob("*.txt"))
    result = cli("analyze", *seeds, "--db", str(tmp_path / "n.db"), "--format", "md")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n# ") + result.stdout.startswith("# ") == 1
    bullets = [line for line in result.stdout.splitlines() if line.startswith("- ")]
    assert bullets and all("[1:" in b or "[2:" in b for b in bullets)
    assert "1 story" in result.stderr


def test_ingest_then_stories_show_brief(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    first = cli("ingest", str(EXAMPLES), "--db", db)
    assert first.returncode == 0, first.stderr
    again = cli("ingest", str(EXAMPLES), "--db", db)  # re-ingesting is a no-op
    assert again.returncode == 0
    listing = cli("stories", "--db", db)
    story_ids = [w for w in listing.stdout.split() if w.startswith("s") and len(w) == 12]
    assert len(story_ids) == 3, listing.stdout
    shown = cli("show", story_ids[0], "--db", db, "--timeline", "--quotes")
    assert shown.returncode == 0 and "Timeline" in shown.stdout
    brief = cli("brief", story_ids[0][:6], "--db", db, "--format", "json")
    data = json.loads(brief.stdout)
    assert data["story_id"] == story_ids[0]
    assert all(s["citations"] for sec in data["sections"] for s in sec["sentences"])
    html = cli("brief", story_ids[0], "--db", db, "--format", "html").stdout
    assert "Content-Security-Policy" in html and "<script" not in html


def test_show_article_removed(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    seed = next(p for p in sorted(seeds_dir().glob("*.txt")) if p.name.startswith("004"))
    out = cli("ingest", str(seed), "--db", db).stdout
    article_id = next(
        w for w in out.split() if len(w) == 16 and all(c in "0123456789abcdef" for c in w)
    )
    shown = cli("show", article_id, "--db", db, "--removed")
    assert "share counter" in shown.stdout and "section label" in shown.stdout


def test_exit_codes_and_rejections(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    good = next(iter(sorted(EXAMPLES.glob("*/*.txt"))))
    some = cli("ingest", str(good), str(empty), "--db", db)
    assert some.returncode == 1 and "empty" in some.stderr
    none = cli("ingest", str(empty), str(tmp_path / "missing.txt"), "--db", db)
    assert none.returncode == 3
    listed = cli("rejections", "--db", db)
    assert "extract.empty" in listed.stdout and "ingest.not_found" in listed.stdout
    usage = cli("show", "zzz", "--db", db)
    assert usage.returncode == 2 and "NP011" in usage.stderr
    assert cli("stories", "--db", str(tmp_path / "nothing.db")).returncode == 2


def test_stdin(tmp_path: Path) -> None:
    text = (EXAMPLES / "border-talks" / "northgate-daily.txt").read_text("utf-8")
    result = cli("ingest", "-", "--db", str(tmp_path / "n.db"), stdin=text)
    assert result.returncode == 0 and "1 article(s) accepted" in result.stderr


def test_actors_pair_with_canonical_names(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    seeds = sorted(str(p) for p in seeds_dir().glob("*.txt"))
    assert cli("ingest", *seeds, "--db", db).returncode == 0
    pair = cli("actors", "the Kremlin", "France", "--db", db)  # an alias: the Kremlin is Russia
    assert pair.returncode == 0, pair.stderr
    assert "Russia ↔ France" in pair.stdout
    assert "France consult → Russia (technical" in pair.stdout
    one = cli("actors", "Peskov", "--db", db)
    assert "Dmitry Peskov:" in one.stdout and "Yes, there have indeed been contacts" in one.stdout


def _story_ids(db: str) -> list[str]:
    listing = cli("stories", "--db", db).stdout
    return [w for w in listing.split() if w.startswith("s") and len(w) == 12]


def test_merge_and_split_survive_regroup(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    assert cli("ingest", str(EXAMPLES), "--db", db).returncode == 0
    first, second, _third = _story_ids(db)
    regrouped = cli("regroup", "--db", db)
    assert regrouped.returncode == 0 and "3 stories before, 3 after" in regrouped.stderr
    assert cli("merge", first, second, "--db", db).returncode == 0
    assert len(_story_ids(db)) == 2
    assert "3 stories before" not in cli("regroup", "--db", db).stderr
    assert len(_story_ids(db)) == 2  # the merge is kept
    merged = next(s for s in _story_ids(db) if s != _third)
    shown = cli("show", merged, "--db", db).stdout
    article = next(
        w for w in shown.split() if len(w) == 16 and all(c in "0123456789abcdef" for c in w)
    )
    assert cli("split", merged, article, "--db", db).returncode == 0
    assert len(_story_ids(db)) == 3
    assert cli("regroup", "--db", db).returncode == 0
    assert len(_story_ids(db)) == 3  # the split is kept too
    bad = cli("split", merged[:6], "--db", db)
    assert bad.returncode == 2


def test_seed_timeline_lists_the_dated_steps_and_keeps_undated_events_apart(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "n.db")
    seeds = sorted(str(p) for p in seeds_dir().glob("*.txt"))
    assert cli("ingest", *seeds, "--db", db).returncode == 0
    (story,) = _story_ids(db)
    shown = cli("show", story, "--db", db, "--timeline").stdout
    timeline = shown[shown.index("Timeline") :]
    for date in ("2025-12-19", "2025-12-21", "2026-02-04", "2026-02-10"):
        assert date in timeline, date
    dated = timeline[timeline.index("Dated events") : timeline.index("Undated events")]
    assert "2026-02-04: France consult → Russia (technical, reported)" in dated
    undated = timeline[timeline.index("Undated events") :]
    assert not any(line.strip()[:4].isdigit() for line in undated.splitlines()[1:])
