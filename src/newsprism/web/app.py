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
from newsprism.web.security import Access, Guard

_BODY_SLACK = 64 * 1024  # JSON or form framing around an input of the maximum size


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
        docs_url="/api/docs",
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
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

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
