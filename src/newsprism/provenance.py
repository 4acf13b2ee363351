"""Where a measurement came from: the checked-out commit and package versions, and the
append-only JSON lines the benchmarks record them in (bench/results/*.jsonl)."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import Any


def git_commit(repo: Path) -> str | None:
    """The short hash checked out in `repo`, read from .git as files (no git process); a
    worktree's `.git` file ("gitdir: …") is followed, and its refs read from the common dir."""
    git_dir = repo / ".git"
    try:
        if git_dir.is_file():
            pointer = git_dir.read_text(encoding="utf-8").strip()
            if not pointer.startswith("gitdir: "):
                return None
            git_dir = (repo / pointer[8:]).resolve()
        common = git_dir
        if (git_dir / "commondir").is_file():
            common = (git_dir / (git_dir / "commondir").read_text("utf-8").strip()).resolve()
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head[:7] or None
        ref = head[5:]
        for base in dict.fromkeys((git_dir, common)):
            ref_file = base / ref
            if ref_file.is_file():
                return ref_file.read_text(encoding="utf-8").strip()[:7] or None
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                if line.endswith(f" {ref}"):
                    return line.split(" ", 1)[0][:7]
    except OSError:
        return None
    return None


def package_version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def append_jsonl(path: Path, record: dict[str, Any]) -> None:
    """Add one record as a JSON line, creating the file and its folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")
