"""Near-duplicate detection: MinHash signatures, and copies linked through the real pipeline."""

from __future__ import annotations

from newsprism.dedup import band_keys, signature, similarity
from newsprism.models import Document
from newsprism.pipeline import ingest_and_extract
from newsprism.settings import Settings
from newsprism.store import SQLiteStore
from tests.conftest import EXAMPLES

ORIGINAL = (EXAMPLES / "lorvik-strike" / "meridian-wire.txt").read_text(encoding="utf-8")
OTHER = (EXAMPLES / "meter-recall" / "meridian-wire.txt").read_text(encoding="utf-8")


def wire_copy(text: str) -> str:
    """What a subscriber does to a wire story: new headline, one sentence cut, a credit added."""
    lines = text.splitlines()
    body = [line for line in lines[1:] if line.strip()]
    body[-1] = body[-1].split(". ")[0] + "."
    return "\n\n".join(["Port strike enters second week as talks stall", *body, "(Meridian Wire)"])


def test_signatures_are_stable_and_estimate_jaccard() -> None:
    a, b = signature(ORIGINAL), signature(ORIGINAL)
    assert a is not None and a == b and len(band_keys(a)) == 16
    copy, other = signature(wire_copy(ORIGINAL)), signature(OTHER)
    assert copy is not None and other is not None
    assert similarity(a, copy) >= 0.8
    assert similarity(a, other) < 0.2
    assert signature("") is None


def test_copies_are_linked_to_their_original(tmp_path: object) -> None:
    store = SQLiteStore(":memory:")
    docs = [
        Document(ORIGINAL, outlet="Meridian Wire"),
        Document(wire_copy(ORIGINAL), outlet="Harbor Ledger"),
        Document(ORIGINAL, outlet="Lorvik Evening Post"),
        Document(OTHER, outlet="Meridian Wire"),
    ]
    articles, rejections = ingest_and_extract(docs, store, settings=Settings(), run_id=1)
    assert not rejections
    original, near, exact, other = articles
    assert original.duplicate is None and other.duplicate is None
    assert near.duplicate is not None and near.duplicate.original_id == original.id
    assert near.duplicate.kind == "near" and near.duplicate.similarity >= 0.8
    assert exact.duplicate is not None and exact.duplicate.kind == "exact"
    assert exact.duplicate_of == original.id
    assert store.get_article(near.id) == near  # the link is stored with the article
