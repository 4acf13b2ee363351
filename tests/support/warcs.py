"""Build small WARC archives inside tests (warcio's writer, CC-NEWS-like response records)."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

Record = tuple[str, str, bytes]  # (url, content type, body); content type "" -> a request record


def write_warc(path: Path, records: list[Record], *, gzip: bool = True) -> Path:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        for url, content_type, body in records:
            if not content_type:
                writer.write_record(
                    writer.create_warc_record(url, "request", payload=io.BytesIO(body))
                )
                continue
            status = "200 OK" if not content_type.startswith("redirect") else "301 Moved"
            headers = StatusAndHeaders(
                status,
                [("Content-Type", content_type.replace("redirect", "text/html"))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
    return path
