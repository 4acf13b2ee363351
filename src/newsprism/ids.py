"""Content-hash ids: the same content always gets the same id, so re-ingesting is a no-op."""

from __future__ import annotations

import hashlib


def hash_id(*parts: str | bytes, length: int = 16) -> str:
    """Return a hex id of `length` characters from the SHA-256 of the parts.

    Parts are length-prefixed so that ("ab", "c") and ("a", "bc") differ.
    """
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:length]
