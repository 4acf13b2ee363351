"""Readers that turn what a user has into `RawDocument`s (or `Rejection`s).

files (paths, directories, JSON/JSONL, stdin), fetch (URLs, guarded), feeds (RSS/Atom),
warc (WARC archives). All build their RawDocuments with `raw.raw_from_bytes`.
"""

from newsprism.ingest.fetch import Fetcher
from newsprism.ingest.files import document_to_raw, expand_paths, read_path, read_stdin
from newsprism.ingest.raw import raw_from_bytes

__all__ = [
    "Fetcher",
    "document_to_raw",
    "expand_paths",
    "raw_from_bytes",
    "read_path",
    "read_stdin",
]
