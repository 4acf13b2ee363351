"""App factory: security headers, size cap, one JSON error shape, routers and static files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from newsprism import __version__
from newsprism.errors import NewsprismError, NotFoundError
from newsprism.settings import Settings
from newsprism.web import api as api_routes
from newsprism.web import pages as page_routes
from newsprism.web.common import STATIC, templates

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_BODY_SLACK = 64 * 1024  # JSON or form framing around an input of the maximum size


class Guard(BaseHTTPMiddleware):
    """Security headers on every response; bodies above the input limit refused up front."""

    def __init__(self, app: Any, *, max_body: int) -> None:
        super().__init__(app)
        self.max_body = max_body

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            response: Response = _error(
                request, 413, "too_large", f"request bodies are limited to {self.max_body:,} bytes"
            )
        else:
            response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response


def create_app(db: str | Path, *, settings: Settings | None = None) -> FastAPI:
    """The web app over the SQLite database at `db` (created if missing)."""
    settings = settings or Settings()
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
    app.add_middleware(Guard, max_body=settings.max_input_bytes + _BODY_SLACK)
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


def _error(request: Request, status: int, code: str, message: str) -> Response:
    """One error shape: JSON {"error": {status, code, message}} for the API, a page otherwise."""
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse(
            {"error": {"status": status, "code": code, "message": message}}, status_code=status
        )
    page = templates.get_template("error.html").render(status=status, message=message)
    return HTMLResponse(page, status_code=status)
