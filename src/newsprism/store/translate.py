"""Raw driver errors become coded `StoreError`s at the store's edge, whatever the backend."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from newsprism.errors import StoreError

T = TypeVar("T")
Mapper = Callable[[Exception], StoreError | None]


def translate_errors(mapper: Mapper, *, skip: frozenset[str] = frozenset()) -> Callable[[T], T]:
    """Class decorator: each public method's driver errors are re-raised as `mapper` says.

    `mapper` returns the StoreError for a driver exception, or None for exceptions that are
    not the driver's (they pass unchanged). Methods named in `skip` translate on their own
    (a context manager's errors happen after the call returns).
    """

    def decorate(cls: T) -> T:
        for name in dir(cls):  # inherited methods too: the shared queries live in a base class
            member = getattr(cls, name)
            if name.startswith("_") or name in skip or not inspect.isfunction(member):
                continue
            setattr(cls, name, _wrapped(member, mapper))
        return cls

    return decorate


def _wrapped(method: Callable[..., Any], mapper: Mapper) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            translated = mapper(exc)
            if translated is None:
                raise
            raise translated from exc

    return call
