"""Inputs in object stores and other fsspec filesystems: `s3://bucket/cc-news/*.warc.gz`.

A path with a scheme other than http(s) (`s3://`, `gs://`, `az://`, `memory://`, …) is read
through fsspec, which `dask` already brings; the filesystem's own package (s3fs, gcsfs, adlfs)
is needed for each cloud and is named in the rejection when it is missing. Directories and glob
patterns expand to the supported files under them, in name order, like local directories.
Only the command line and the Python API read such paths: the HTTP API takes http(s) URLs
only (`run(local_paths=False)` refuses everything else).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import IO, Any

from newsprism import errors
from newsprism.ingest.raw import printable
from newsprism.models import Rejection

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
_GLOB = re.compile(r"[*?\[]")
_HIDDEN = re.compile(r"(^|/)\.")


def is_remote(path: str) -> bool:
    """True for an fsspec path (a scheme other than http and https)."""
    found = _SCHEME.match(path)
    return found is not None and found.group(1).lower() not in ("http", "https")


class RemoteError(Exception):
    """A remote path cannot be used; `code` is the rejection code."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code


def _filesystem(path: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError as exc:  # pragma: no cover - fsspec comes with dask
        raise RemoteError(errors.R_UNREADABLE, f"reading {path} needs fsspec") from exc
    scheme = path.split("://", 1)[0].lower()
    try:
        fs, root = url_to_fs(path)
    except ImportError as exc:  # the filesystem's own package is missing ("Install s3fs …")
        raise RemoteError(errors.R_UNREADABLE, f"{scheme}:// paths need a package: {exc}") from exc
    except ValueError as exc:
        raise RemoteError(errors.R_UNREADABLE, f"unknown filesystem {scheme}://: {exc}") from exc
    return fs, str(root)


def expand(path: str, supported: Callable[[str], bool]) -> Iterator[str]:
    """The files a remote path names: itself, the supported files under a directory, or those
    a glob pattern matches; in name order. An unusable path is yielded as it is, so that
    reading it reports why."""
    try:
        fs, root = _filesystem(path)
        if _GLOB.search(root):
            names = sorted(fs.glob(root))
        elif fs.isdir(root):
            names = sorted(fs.find(root))
        else:
            yield path
            return
    except (RemoteError, OSError):
        yield path
        return
    found = False
    for name in names:
        inside = name[len(root) :] if name.startswith(root) else name
        if not _HIDDEN.search(inside) and supported(name):
            found = True
            yield fs.unstrip_protocol(name)
    if not found:
        yield path  # reading it says what is wrong: nothing matches, or an empty directory


def size_of(path: str) -> int:
    """The remote file's size in bytes (RemoteError when it cannot be used)."""
    fs, root = _filesystem(path)
    if _GLOB.search(root) and not fs.exists(root):
        raise RemoteError(errors.R_NOT_FOUND, "no supported file matches the pattern")
    try:
        info = fs.info(root)
    except FileNotFoundError as exc:
        raise RemoteError(errors.R_NOT_FOUND, "no such file") from exc
    except OSError as exc:
        raise RemoteError(errors.R_UNREADABLE, f"cannot read it: {exc}") from exc
    if info.get("type") == "directory":
        raise RemoteError(errors.R_NOT_FOUND, "the directory has no supported files")
    return int(info.get("size") or 0)


def open_binary(path: str) -> IO[bytes]:
    """A binary stream of a local or remote file (the caller closes it)."""
    if not is_remote(path):
        return open(path, "rb")
    fs, root = _filesystem(path)
    try:
        return fs.open(root, "rb")  # type: ignore[no-any-return]
    except FileNotFoundError:
        raise
    except Exception as exc:  # a filesystem's own errors (credentials, network) vary
        raise OSError(f"cannot open it: {exc}") from exc


def rejection(exc: RemoteError, path: str) -> Rejection:
    return Rejection(
        stage="ingest", code=exc.code, reason=printable(str(exc)), locator=printable(path)
    )
