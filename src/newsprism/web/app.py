"""App factory: security headers, size cap, one JSON error shape, routers and static files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsprism import __version__
from newsprism.errors import NewsprismError, NotFoundError
from newsprism.settings import Settings
from newsprism.web import api as api_routes
from newsprism.web import pages as page_routes
from newsprism.web.common import STATIC, templates
from newsprism.web.security import CSP, Access, Guard

_BODY_SLACK = 64 * 1024  # JSON or form framing around an input of the maximum size
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsprism API</title>
<link rel="stylesheet" href="/static/docs/swagger-ui.css">
<link rel="icon" href="/static/docs/favicon.png"></head>
<body><div id="swagger-ui" data-openapi="/api/openapi.json"></div>
<script src="/static/docs/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body></html>
"""

DOCS_CSP = f"{CSP}; connect-src 'self'"


def docs_assets() -> Path:
    """The directory of Swagger UI's files (swagger-ui-bundle.js, swagger-ui.css), as the
    fastapi-offline package ships them."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def create_app(
    db: str | Path, *, settings: Settings | None = None, access: Access | None = None
) -> FastAPI:
    """The web app over the SQLite database at `db` (created if missing).

    `access`: tokens, allowed Host names and the ingest rate (default: a loopback server,
    writes open, Host must be a loopback name).
    """
    settings = settings or Settings()
    access = access or Access()
    app = FastAPI(
        title="newsprism",
        version=__version__,
        description="Stories, briefs, quotes and timelines from many outlets' coverage, "
        "every claim cited. JSON under /api; the reader's UI at /.",
        docs_url=None,  # served below from local assets, under the strict CSP
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.db = str(db)
    app.state.settings = settings
    app.state.access = access
    app.add_middleware(
        Guard, max_body=settings.max_input_bytes + _BODY_SLACK, access=access, error=_raw_error
    )
    app.include_router(api_routes.router)
    app.include_router(page_routes.router)
    # Swagger UI's files ship in a package (no CDN): /api/docs works offline, and the CSP's
    # script-src 'self' holds (the page's init script is a file of ours, not inline).
    app.mount("/static/docs", StaticFiles(directory=docs_assets()), name="docs-assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/api/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        # the one page that fetches: Swagger UI reads the OpenAPI document from this origin
        return HTMLResponse(DOCS_PAGE, headers={"Content-Security-Policy": DOCS_CSP})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error"
        )
        return _error(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(request, 422, "invalid_request", f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, "not_found", exc.message)

    @app.exception_handler(NewsprismError)
    async def failed(request: Request, exc: NewsprismError) -> Response:
        return _error(request, 400, exc.code, exc.message)

    return app


def _raw_error(
    scope: dict[str, Any] | Any, status: int, code: str, message: str, extra: dict[str, str]
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """The error shape for the middleware, which answers before (or instead of) the app."""
    response = _error(Request(scope), status, code, message)
    response.headers.update(extra)
    return status, list(response.raw_headers), bytes(response.body)


def _error(request: Request, status: int, code: str, message: str) -> Response:
    """One error shape: JSON {"error": {status, code, message}} for the API, a page otherwise."""
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse(
            {"error": {"status": status, "code": code, "message": message}}, status_code=status
        )
    page = templates.get_template("error.html").render(status=status, message=message)
    return HTMLResponse(page, status_code=status)
