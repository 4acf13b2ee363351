"""Readers that turn what a user has into `RawDocument`s (or `Rejection`s)."""

from newsprism.ingest.files import (
    document_to_raw,
    expand_paths,
    raw_from_bytes,
    read_path,
    read_stdin,
)

__all__ = ["document_to_raw", "expand_paths", "raw_from_bytes", "read_path", "read_stdin"]
