"""A real HTTP server on 127.0.0.1 for fetch and feed tests (no mocks of the network)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Reply = tuple[int, dict[str, str], bytes]
Handler = Callable[[dict[str, str]], Reply]


@dataclass
class Site:
    """Routes path -> reply (or a function of the request headers); records every request."""

    host: str
    port: int = 0
    routes: dict[str, Reply | Handler] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def add(self, path: str, body: bytes | str = b"", *, status: int = 200, **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, data)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            site.requests.append((self.path, headers))
            route = site.routes.get(self.path)
            if route is None:
                status, extra, body = 404, {"Content-Type": "text/plain"}, b"not found"
            elif callable(route):
                status, extra, body = route(headers)
            else:
                status, extra, body = route
            self.send_response(status)
            extra = {"Content-Type": "text/html; charset=utf-8", **extra}
            if extra.get("Content-Length") == "omit":  # a body that ends when the socket closes
                del extra["Content-Length"]
                extra["Connection"] = "close"
                self.close_connection = True
            elif "Content-Length" not in extra:
                extra["Content-Length"] = str(len(body))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[Site]:
    site = Site(host)
    server = ThreadingHTTPServer((host, 0), _handler(site))
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
