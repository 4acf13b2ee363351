"""Crash injection for the resume tests: kill the process at the N-th store write.

`NEWSPRISM_FAULT_KILL_AT=N` in the environment makes `open_store` return the store behind a
proxy that sends SIGKILL to its own process just before the N-th write call (counted over
every store opened in the process). A real kill, not an exception: nothing gets to clean up,
exactly as when a machine dies. Unset, `wrap` returns the store itself and costs nothing.
"""

from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from newsprism.store import Store

ENV = "NEWSPRISM_FAULT_KILL_AT"
WRITES = frozenset(
    {
        "put_raw",
        "put_article",
        "put_articles",
        "put_analysis",
        "put_analyses",
        "put_features",
        "put_rejection",
        "put_story",
        "add_to_story",
        "delete_story",
        "clear_stories",
        "put_override",
        "put_brief",
        "put_signature",
        "put_digest",
        "put_feed_state",
        "mark_entry_seen",
        "begin_run",
        "end_run",
    }
)
_calls = 0


def writes_so_far() -> int:
    return _calls


class _KillAt:
    def __init__(self, store: Store, at: int) -> None:
        self._store = store
        self._at = at

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name not in WRITES:
            return attr

        def write(*args: Any, **kwargs: Any) -> Any:
            global _calls
            _calls += 1
            if _calls >= self._at:
                os.kill(os.getpid(), signal.SIGKILL)
            return attr(*args, **kwargs)

        return write


def wrap(store: Store) -> Store:
    at = os.environ.get(ENV, "")
    if not at.isdigit() or int(at) < 1:
        return store
    return cast("Store", _KillAt(store, int(at)))
