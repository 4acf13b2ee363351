"""The HTTP API and the reader's web UI (FastAPI, server-rendered Jinja2, no JavaScript needed).

`create_app(db)` returns the ASGI app; `newsprism serve` runs it with uvicorn. Each request
opens its own store connection (SQLite in WAL mode serves concurrent readers), so the app holds
no connection and no global state beyond its settings. Article content is untrusted: templates
autoescape, every response carries a strict Content-Security-Policy (no inline script or style,
no framing), and the only script is a same-origin file that the pages do not need.
"""

from newsprism.web.app import create_app

__all__ = ["create_app"]
