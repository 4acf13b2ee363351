"""Exact and near-duplicate articles: MinHash signatures with LSH banding.

Syndicated wire copies reach us from many outlets with small edits (a different headline, a
trimmed last paragraph). They must be linked to their original, not counted as independent
sources. Each article's clean text becomes a MinHash signature over word 5-grams
(datasketch, fixed seed, so signatures are stable across processes and runs); the signature is
cut into bands, and two articles sharing any band are candidates. A candidate is a copy when
the estimated Jaccard similarity reaches `Settings.near_duplicate_threshold`; "exact" when the
clean texts are identical. The bands live in the store (a plain indexed table), so the lookup
works the same on SQLite and PostgreSQL and needs no in-memory index of the whole corpus.

With 128 permutations in 16 bands of 8 rows, pairs at Jaccard 0.8 are found with probability
1 - (1 - 0.8^8)^16 = 0.9996, and pairs at 0.5 become candidates with probability 0.06 (and are
then rejected by the similarity check).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
SEED = 20260224
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> bytes | None:
    """The MinHash signature of a text as bytes (NUM_PERM unsigned 64-bit values), or None."""
    from datasketch import MinHash

    grams = shingles(text)
    if not grams:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch(list(grams))
    return np.asarray(minhash.hashvalues, dtype=np.uint64).tobytes()


def band_keys(sig: bytes) -> list[str]:
    """One key per band: the band number and a hash of its rows."""
    values = np.frombuffer(sig, dtype=np.uint64)
    keys = []
    for band in range(BANDS):
        rows = values[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(f"{band:02d}:{hashlib.blake2b(rows, digest_size=8).hexdigest()}")
    return keys


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts behind two signatures."""
    va, vb = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    if va.shape != vb.shape:
        return 0.0
    return float(np.count_nonzero(va == vb)) / len(va)
