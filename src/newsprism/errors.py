"""Exceptions for programmer and configuration errors, and codes for data rejections.

Bad *data* never raises out of a stage: it becomes a `Rejection` with one of the `R_*` codes
below. Exceptions are for mistakes a user or programmer must fix (a missing model, a bad
option, a database that cannot be opened); each carries a code like ``[NP012]`` so a message
can be searched for.
"""

from __future__ import annotations


class NewsprismError(Exception):
    """Base of every error newsprism raises on purpose."""

    code = "NP000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class ConfigError(NewsprismError):
    """An option or setting is wrong."""

    code = "NP001"


class ModelMissingError(NewsprismError):
    """The spaCy model package is not installed."""

    code = "NP002"


class StoreError(NewsprismError):
    """The store cannot be opened, migrated or written."""

    code = "NP010"


class StoreUnavailableError(StoreError):
    """The database cannot be reached or opened (a server down, a path not writable)."""

    code = "NP012"


class StoreBusyError(StoreError):
    """The database stayed locked or a transaction conflicted; trying again may work."""

    code = "NP013"


class StoreIntegrityError(StoreError):
    """A write broke a constraint of the schema (a bug, or records from another version)."""

    code = "NP014"


class StoreSchemaError(StoreError):
    """The database's schema is not one this version can use (newer, or a failed migration)."""

    code = "NP015"


class NotFoundError(NewsprismError):
    """A story, article or other id is not in the store."""

    code = "NP011"


class InputError(NewsprismError):
    """An input argument cannot be used at all (e.g. a path that does not exist)."""

    code = "NP020"


# Rejection codes: stage-prefixed, stable, documented in docs/architecture.md.
R_NOT_FOUND = "ingest.not_found"
R_UNSUPPORTED = "ingest.unsupported_type"
R_TOO_LARGE = "ingest.too_large"
R_UNREADABLE = "ingest.unreadable"
R_BAD_JSON = "ingest.bad_json"
R_EMPTY = "extract.empty"
R_BINARY = "extract.binary"
R_ENCODING = "extract.encoding"
R_BAD_HTML = "extract.bad_html"
R_NO_TEXT = "extract.no_text"
R_TOO_SHORT = "extract.too_short"
R_ANNOTATE = "annotate.failed"
R_BAD_URL = "fetch.bad_url"
R_BLOCKED = "fetch.blocked_address"
R_ROBOTS = "fetch.robots"
R_HTTP_STATUS = "fetch.http_status"
R_NETWORK = "fetch.network"
R_REDIRECTS = "fetch.too_many_redirects"
R_NOT_TEXT = "fetch.not_text"
R_FEED_BAD = "feed.malformed"
R_FEED_HOSTILE = "feed.hostile_xml"
R_FEED_ENTRY = "feed.entry_without_article"
R_WARC_TRUNCATED = "warc.truncated"
R_WARC_SKIPPED = "warc.skipped_records"
R_TOO_LONG = "extract.too_long"
R_ANNOTATE_TIMEOUT = "annotate.timeout"
R_BAD_RECORD = "ingest.bad_record"
R_BAD_NAME = "ingest.bad_name"
R_SYMLINK_LOOP = "ingest.symlink_loop"
R_INTERNAL = "pipeline.internal_error"
