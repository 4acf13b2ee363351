"""Benchmark provenance: the commit read from .git files, and JSON-line records."""

from __future__ import annotations

import json
from pathlib import Path

from newsprism.provenance import append_jsonl, git_commit, package_version

SHA = "0123456789abcdef0123456789abcdef01234567"


def test_commit_from_a_ref_file_packed_refs_or_a_detached_head(tmp_path: Path) -> None:
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(SHA + "\n")
    assert git_commit(tmp_path) == SHA[:7]
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"# pack-refs\n{SHA} refs/heads/main\n")
    assert git_commit(tmp_path) == SHA[:7]
    (git / "HEAD").write_text(SHA + "\n")
    assert git_commit(tmp_path) == SHA[:7]
    assert git_commit(tmp_path / "nowhere") is None


def test_commit_of_a_worktree_follows_its_git_file_to_the_common_refs(tmp_path: Path) -> None:
    common = tmp_path / "main" / ".git"
    (common / "refs" / "heads").mkdir(parents=True)
    (common / "refs" / "heads" / "feature").write_text(SHA + "\n")
    own = common / "worktrees" / "wt"
    own.mkdir(parents=True)
    (own / "HEAD").write_text("ref: refs/heads/feature\n")
    (own / "commondir").write_text("../..\n")
    tree = tmp_path / "wt"
    tree.mkdir()
    (tree / ".git").write_text(f"gitdir: {own}\n")
    assert git_commit(tree) == SHA[:7]
    (tree / ".git").write_text("not a pointer\n")
    assert git_commit(tree) is None


def test_append_jsonl_adds_one_line_per_record(tmp_path: Path) -> None:
    path = tmp_path / "results" / "x.jsonl"
    append_jsonl(path, {"a": 1})
    append_jsonl(path, {"b": [2]})
    assert [json.loads(line) for line in path.read_text().splitlines()] == [{"a": 1}, {"b": [2]}]


def test_package_version() -> None:
    assert package_version("newsprism")
    assert package_version("no-such-package-anywhere") is None
