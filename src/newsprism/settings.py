"""Every tunable setting in one table: name, default and what it does.

`Settings` is a frozen, picklable value passed to stage functions (no module-level state), so
the same stage runs unchanged in a worker process.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    max_input_bytes: int = 20_000_000
    min_article_chars: int = 80
    story_window_days: int = 7
    story_threshold: float = 0.25
    story_candidates: int = 20
    brief_max_articles: int = 12
    nlp_batch_size: int = 16
    chunk_size: int = 256
    annotate_timeout: float = 30.0
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()
    fetch_timeout: float = 20.0
    fetch_retries: int = 2
    fetch_backoff: float = 1.0
    max_redirects: int = 5
    respect_robots: bool = True
    near_duplicate_threshold: float = 0.8


HELP: dict[str, str] = {
    "max_input_bytes": "Inputs larger than this are rejected (ingest.too_large).",
    "min_article_chars": "Clean text shorter than this is rejected (extract.too_short).",
    "story_window_days": "An article joins a story only if dated within this many days of it.",
    "story_threshold": "Minimum similarity for an article to join an existing story.",
    "story_candidates": "Stories scored per article, found through the inverted index of the window (0: score every active story).",
    "brief_max_articles": "The brief reads at most this many articles of a story.",
    "nlp_batch_size": "Articles per spaCy batch.",
    "chunk_size": "Articles a run takes through annotate and story assignment at a time (memory stays flat).",
    "annotate_timeout": "Seconds of work allowed per article in the annotate stage before it is rejected (annotate.timeout); checked by the rule loops and between parse chunks.",
    "allow_private": "Fetch URLs on loopback, private, link-local and metadata addresses (off: refused).",
    "allow_hosts": "Addresses or networks (CIDR) fetched even though private, e.g. an intranet server.",
    "fetch_timeout": "Seconds to wait for a server to connect or send data.",
    "fetch_retries": "Extra attempts after a network error, HTTP 429 or 5xx, with exponential backoff.",
    "fetch_backoff": "Seconds before the first retry; doubled for each further one.",
    "max_redirects": "Redirects followed per URL; each hop is checked against the address policy.",
    "respect_robots": "Honour robots.txt for our User-Agent before fetching a page.",
    "near_duplicate_threshold": "Estimated Jaccard similarity (word 5-grams) above which an article is a copy.",
}


def describe() -> list[tuple[str, str, str]]:
    """(name, default, help) for every setting, for `--help` texts and the docs."""
    defaults = Settings()
    return [(f.name, repr(getattr(defaults, f.name)), HELP[f.name]) for f in fields(Settings)]
