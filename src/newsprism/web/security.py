"""The web edge's guard: Host check, body cap, access tokens, CSRF, rate limit, headers.

One pure ASGI middleware (`Guard`) sits outside the app, so every response it lets through or
makes itself, a 500 included, carries the security headers and the one JSON error shape, and
a request body is capped by what is actually received (a chunked body has no Content-Length
to trust).

Access (`Access`):
- Writes are the unsafe methods (POST, PUT, PATCH, DELETE). With a token configured they need
  it (`Authorization: Bearer …`, `X-Newsprism-Token`, or the `newsprism_token` cookie that
  `/login` sets), compared in constant time; a server bound beyond loopback without a token
  refuses writes altogether (`writes_open=False`). `private=True` asks the token for reads too.
- A write from a browser must come from our own origin: a cross-site `Origin` is refused, and
  the ingest form carries a double-submit CSRF token (cookie + hidden field).
- The Host header must name an allowed host (loopback names by default), which defeats DNS
  rebinding: a page on another site cannot reach this server under its own name.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")
TOKEN_COOKIE = "newsprism_token"
CSRF_COOKIE = "newsprism_csrf"
CSRF_FIELD = "csrf"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_log = logging.getLogger("newsprism.web")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Access:
    """Who may do what over HTTP.

    Attributes:
        token: the shared secret writes need (and reads, with `private`); None: no token.
        private: reads need the token too.
        writes_open: without a token, may anyone write? True on loopback, False beyond it.
        allowed_hosts: Host header names accepted (no port); "*" accepts any.
        ingest_per_minute: ingest requests per client address per minute (0: unlimited).
    """

    token: str | None = None
    private: bool = False
    writes_open: bool = True
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    ingest_per_minute: int = 30

    def host_allowed(self, host: str) -> bool:
        if "*" in self.allowed_hosts:
            return True
        return host.casefold() in {h.casefold().strip("[]") for h in self.allowed_hosts}


def is_loopback(host: str) -> bool:
    """Is a listening address loopback-only?"""
    import ipaddress

    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class RateLimit:
    """A sliding one-minute window per client address (thread-safe; memory bounded)."""

    def __init__(self, per_minute: int, *, clients: int = 10_000) -> None:
        self.per_minute = per_minute
        self.clients = clients
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str, now: float | None = None) -> int:
        """0 if the request may go now (and count it), else seconds to wait."""
        if self.per_minute <= 0:
            return 0
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] <= now - 60:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(1, int(hits[0] + 60 - now) + 1)
            hits.append(now)
            if len(self._hits) > self.clients:  # forget the quietest addresses first
                for key in [k for k, v in self._hits.items() if not v][: self.clients // 10]:
                    del self._hits[key]
            return 0


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def cookies(headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is no cookie
        return {}
    return {k: m.value for k, m in jar.items()}


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two secrets (False if either is missing)."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def presented_token(headers: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth[:7].casefold() == "bearer ":
        return auth[7:].strip()
    return headers.get("x-newsprism-token") or cookies(headers).get(TOKEN_COOKIE)


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


ErrorFactory = Callable[
    [Scope, int, str, str, dict[str, str]], tuple[int, list[tuple[bytes, bytes]], bytes]
]


class Guard:
    """Pure ASGI middleware: see the module docstring for what it enforces."""

    def __init__(self, app: ASGIApp, *, max_body: int, access: Access, error: ErrorFactory) -> None:
        self.app = app
        self.max_body = max_body
        self.access = access
        self.error = error
        self.limit = RateLimit(access.ingest_per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        refusal = self._refuse(scope, headers)
        if refusal is not None:
            await self._send_error(scope, send, *refusal)
            return
        method = scope.get("method", "GET")
        if method not in _SAFE_METHODS:
            body = await self._read_body(receive, headers)
            if body is None:
                await self._send_error(
                    scope,
                    send,
                    413,
                    "too_large",
                    f"request bodies are limited to {self.max_body:,} bytes",
                )
                return
            receive = _replay(body, receive)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.lower().encode("latin-1"), v.encode("latin-1"))
                    for k, v in SECURITY_HEADERS.items()
                    if k.lower().encode("latin-1") not in present
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            _log.exception("unhandled error on %s %s", method, scope.get("path"))
            if not started:
                await self._send_error(
                    scope, send, 500, "internal_error", "the server failed on this request"
                )

    def _refuse(
        self, scope: Scope, headers: dict[str, str]
    ) -> tuple[int, str, str, dict[str, str]] | None:
        access = self.access
        host = _host_name(headers.get("host", ""))
        if not access.host_allowed(host):
            return (
                400,
                "bad_host",
                f"unknown Host {host[:100]!r}: start serve with --allowed-host {host[:100] or 'NAME'}",
                {},
            )
        method = scope.get("method", "GET")
        path = scope.get("path", "")
        write = method not in _SAFE_METHODS and path != "/login"
        token = presented_token(headers)
        if write or access.private:
            if access.token is not None and not same(token, access.token) and path != "/login":
                return (401, "unauthorized", _token_message(write), {"WWW-Authenticate": "Bearer"})
            if write and access.token is None and not access.writes_open:
                return (
                    403,
                    "writes_disabled",
                    "this server takes no writes: it listens beyond loopback without a token "
                    "(start serve with --token or NEWSPRISM_TOKEN)",
                    {},
                )
        if method not in _SAFE_METHODS:
            origin = headers.get("origin")
            if origin and _host_name(urlsplit(origin).netloc) != host:
                return (403, "cross_site", "cross-site requests are refused", {})
            if path in ("/api/ingest", "/ingest"):
                client = (scope.get("client") or ("?", 0))[0]
                wait = self.limit.retry_after(str(client))
                if wait:
                    return (
                        429,
                        "rate_limited",
                        f"at most {access.ingest_per_minute} ingests a minute; try again in {wait} s",
                        {"Retry-After": str(wait)},
                    )
        return None

    async def _read_body(self, receive: Receive, headers: dict[str, str]) -> bytes | None:
        """The whole body, or None as soon as it passes the cap (declared or received)."""
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _send_error(
        self,
        scope: Scope,
        send: Send,
        status: int,
        code: str,
        message: str,
        extra: dict[str, str] | None = None,
    ) -> None:
        status, headers, body = self.error(scope, status, code, message, extra or {})
        headers = [
            *headers,
            *(
                (k.lower().encode("latin-1"), v.encode("latin-1"))
                for k, v in SECURITY_HEADERS.items()
            ),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _token_message(write: bool) -> str:
    what = "writes need" if write else "this server is private: reads need"
    return f"{what} the server's token (Authorization: Bearer TOKEN, or sign in at /login)"


def _host_name(host: str) -> str:
    """The Host header without its port ('[::1]:8000' -> '::1')."""
    host = host.strip()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
