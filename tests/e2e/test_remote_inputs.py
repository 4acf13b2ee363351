"""Inputs read through fsspec (`s3://`, `gs://`, … ; here fsspec's own in-memory filesystem)."""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest

from newsprism.pipeline import run
from newsprism.store import open_store
from tests.conftest import EXAMPLES
from tests.support.warcs import write_warc

pytestmark = pytest.mark.model

HTML = sorted((EXAMPLES / "border-talks").glob("*.html"))
TEXT = sorted((EXAMPLES / "border-talks").glob("*.txt"))


@pytest.fixture()
def bucket(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The same inputs in a memory:// "bucket" and in a local directory."""
    fs = fsspec.filesystem("memory")
    root = f"/np-{uuid.uuid4().hex[:8]}"
    local = tmp_path / "local"
    (local / "cc").mkdir(parents=True)
    warc = write_warc(
        local / "cc" / "news.warc.gz",
        [(f"https://example.org/{p.stem}", "text/html", p.read_bytes()) for p in HTML],
    )
    (local / "page.txt").write_bytes(TEXT[0].read_bytes())
    (local / ".hidden.txt").write_bytes(TEXT[1].read_bytes())
    (local / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    for path in (warc, local / "page.txt", local / ".hidden.txt", local / "notes.pdf"):
        fs.pipe(f"{root}/{path.relative_to(local)}", path.read_bytes())
    yield f"memory://{root}", local
    fs.rm(root, recursive=True)


def _ids(inputs: list[str]) -> tuple[set[str], list[str], list[str]]:
    store = open_store(None)
    try:
        result = run(inputs, store)
        return (
            {a.id for a in result.articles},
            sorted(a.locator for a in result.articles),
            [f"{r.code}: {r.reason}" for r in result.rejections],
        )
    finally:
        store.close()


def test_a_bucket_directory_reads_like_the_same_local_directory(bucket: tuple[str, Path]) -> None:
    url, local = bucket
    remote_ids, locators, rejected = _ids([url + "/"])
    local_ids, _, _ = _ids([str(local)])
    assert len(remote_ids) == len(HTML) + 1  # the WARC's pages and page.txt; not .hidden, not .pdf
    assert remote_ids == local_ids  # content-hash ids: the same articles wherever they were read
    assert all(loc.startswith("memory://") for loc in locators)
    assert rejected == []


def test_a_glob_pattern_reads_only_what_it_matches(bucket: tuple[str, Path]) -> None:
    url, _ = bucket
    ids, locators, _ = _ids([url + "/cc/*.warc.gz"])
    assert len(ids) == len(HTML)
    assert all("/cc/news.warc.gz@" in loc for loc in locators)


def test_unusable_remote_paths_are_one_line_rejections(bucket: tuple[str, Path]) -> None:
    url, _ = bucket
    _, _, rejected = _ids([url + "/missing.txt", url + "/cc/*.json", "nosuchfs://x/y.txt"])
    assert rejected[0] == "ingest.not_found: no such file"
    assert rejected[1] == "ingest.not_found: no supported file matches the pattern"
    assert rejected[2].startswith("ingest.unreadable: unknown filesystem nosuchfs://")
    assert all("\n" not in r for r in rejected)


@pytest.mark.skipif(importlib.util.find_spec("s3fs") is not None, reason="s3fs is installed")
def test_a_cloud_path_without_its_package_names_the_package() -> None:
    _, _, rejected = _ids(["s3://bucket/cc-news/*.warc.gz"])
    assert len(rejected) == 1
    assert rejected[0].startswith("ingest.unreadable: s3:// paths need a package")
    assert "s3fs" in rejected[0]


def test_a_remote_caller_cannot_name_a_bucket_path(bucket: tuple[str, Path]) -> None:
    url, _ = bucket
    store = open_store(None)
    try:
        result = run([url + "/page.txt"], store, local_paths=False)
    finally:
        store.close()
    assert len(result.articles) == 0
    assert [r.code for r in result.rejections] == ["fetch.bad_url"]
