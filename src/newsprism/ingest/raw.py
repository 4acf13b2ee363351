"""The one constructor of RawDocuments: ids hash the bytes and the caller's hints."""

from __future__ import annotations

import datetime as dt

from newsprism.ids import hash_id
from newsprism.models import RawDocument, SourceHints, SourceKind


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def raw_from_bytes(
    data: bytes,
    *,
    source_kind: SourceKind,
    locator: str,
    content_type: str | None,
    hints: SourceHints = SourceHints(),
    fetched_at: dt.datetime | None = None,
) -> RawDocument:
    """A RawDocument whose id hashes the bytes and the caller's hints (not the locator)."""
    raw_id = hash_id(
        "raw",
        data,
        hints.url or "",
        hints.outlet or "",
        hints.title or "",
        hints.published.isoformat() if hints.published else "",
    )
    return RawDocument(
        id=raw_id,
        source_kind=source_kind,
        locator=locator,
        fetched_at=fetched_at or _now(),
        content_type=content_type,
        data=data,
        hints=hints,
    )


def with_outlet(raw: RawDocument, outlet: str | None) -> RawDocument:
    """The same bytes with an outlet hint added (the id changes: hints are part of it)."""
    if not outlet or raw.hints.outlet:
        return raw
    hints = SourceHints(
        url=raw.hints.url, outlet=outlet, title=raw.hints.title, published=raw.hints.published
    )
    return raw_from_bytes(
        raw.data,
        source_kind=raw.source_kind,
        locator=raw.locator,
        content_type=raw.content_type,
        hints=hints,
        fetched_at=raw.fetched_at,
    )
