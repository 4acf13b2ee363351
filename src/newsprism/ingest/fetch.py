"""URLs -> RawDocuments over HTTP, refusing private networks.

Every connection goes through `GuardedBackend`, which resolves the host itself, refuses
loopback, private, link-local (cloud metadata), multicast and reserved addresses unless
`Settings.allow_private`, and then connects to the very address it checked. Because the check
sits where the socket is opened, it holds for every redirect hop and cannot be bypassed by a
DNS answer that changes between a check and the connection (rebinding). Environment proxies
are ignored for the same reason.

Bodies are streamed and cut at `Settings.max_input_bytes`; robots.txt is honoured per host
with protego, an RFC 9309 parser (longest match wins, Allow wins a tie, `*` and `$` wildcards;
a missing file allows all, a server error or an unreachable file disallows);
network errors, 429 and 5xx are retried with exponential backoff. Nothing here raises on bad
input: each failure is a `Rejection` with a one-line reason.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from importlib import metadata
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from newsprism import errors
from newsprism.errors import ConfigError
from newsprism.ingest.raw import printable, raw_from_bytes, url_problem
from newsprism.models import RawDocument, Rejection, SourceHints
from newsprism.settings import Settings

_TEXTUAL = ("text/", "application/xhtml", "application/xml", "application/rss", "application/atom")
_RETRY_STATUS = {429, 500, 502, 503, 504}
_MAX_RETRY_AFTER = 60.0
PRODUCT_TOKEN = "newsprism"  # what robots.txt groups are matched against (RFC 9309 2.2.1)
_DISALLOW_ALL = "User-agent: *\nDisallow: /\n"


def user_agent() -> str:
    try:
        version = metadata.version("newsprism")
    except metadata.PackageNotFoundError:  # running from a source tree
        version = "dev"
    return f"newsprism/{version} (+https://github.com/newsprism/newsprism; news analysis)"


class BlockedAddressError(Exception):
    """The host resolves to an address the policy refuses."""


def forbidden_reason(address: str, allow: tuple[str, ...] = ()) -> str | None:
    """Why an IP address may not be fetched, or None when it is public or allowed.

    `allow` lists addresses or CIDR networks let through although private.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in ipaddress.ip_network(net, strict=False) for net in allow):
        return None
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (where cloud metadata services live)"
    if ip.is_private:
        return "a private-network address"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return "a reserved address"
    if not ip.is_global:
        return "a non-public address"
    return None


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend with the address policy applied at connect time."""

    def __init__(self, *, allow_private: bool, allow: tuple[str, ...] = ()) -> None:
        self.allow_private = allow_private
        self.allow = allow

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self.allow_private:
            for address in addresses:
                why = forbidden_reason(address, self.allow)
                if why:
                    raise BlockedAddressError(
                        f"{host} resolves to {address}, {why}; refused (use --allow-private to allow)"
                    )
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    address, port, timeout, local_address, list(socket_options or [])
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport on a `GuardedBackend` connection pool."""

    def __init__(self, *, allow_private: bool, allow: tuple[str, ...] = ()) -> None:
        super().__init__(trust_env=False)
        # httpx builds its pool privately; replace it with one on the guarded backend.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=10,
            max_keepalive_connections=5,
            network_backend=GuardedBackend(allow_private=allow_private, allow=allow),
        )


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response: final URL, status, headers that matter, body."""

    url: str
    status: int
    content_type: str | None
    data: bytes
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None
    retry_after: float | None = None


class Fetcher:
    """One HTTP client for a run: connection reuse, a robots.txt cache, the address policy.

    Not picklable (it owns sockets): each worker process makes its own from `Settings`.
    """

    def __init__(
        self, settings: Settings | None = None, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.settings = settings or Settings()
        for net in self.settings.allow_hosts:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError as exc:
                raise ConfigError(f"allowed host '{net}' is not an IP address or network") from exc
        self.sleep = sleep
        self._client: httpx.Client | None = None
        self._robots: dict[str, Protego | Rejection | None] = {}

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=GuardedTransport(
                    allow_private=self.settings.allow_private, allow=self.settings.allow_hosts
                ),
                timeout=httpx.Timeout(self.settings.fetch_timeout),
                headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"},
                follow_redirects=False,
                trust_env=False,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- public --------------------------------------------------------------------------
    def get(
        self, url: str, *, headers: Mapping[str, str] | None = None, check_robots: bool = True
    ) -> Fetched | Rejection:
        """GET a URL, following redirects by hand so each hop is checked; never raises."""
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            problem = _check_url(current)
            if problem:
                return _reject(errors.R_BAD_URL, problem, url)
            if check_robots and self.settings.respect_robots:
                refusal = self._robots_refusal(current)
                if refusal is not None:
                    return replace(refusal, locator=url)
            got = self._get_once(current, headers or {})
            if isinstance(got, Rejection):
                return replace(got, locator=url)
            if got.status in (301, 302, 303, 307, 308):
                if not got.location:
                    return _reject(errors.R_HTTP_STATUS, f"HTTP {got.status} without Location", url)
                try:
                    current = urljoin(current, got.location)
                except ValueError as exc:
                    return _reject(
                        errors.R_BAD_URL, f"the redirect target is not a valid URL: {exc}", url
                    )
                continue
            return got
        return _reject(
            errors.R_REDIRECTS, f"more than {self.settings.max_redirects} redirects", url
        )

    def fetch(self, url: str, *, hints: SourceHints = SourceHints()) -> RawDocument | Rejection:
        """A page as a RawDocument (source kind "url"), or a Rejection saying why not."""
        got = self.get(url)
        if isinstance(got, Rejection):
            return got
        if got.status == 304:
            return _reject(errors.R_HTTP_STATUS, "HTTP 304 for an unconditional request", url)
        if got.content_type and not got.content_type.startswith(_TEXTUAL):
            return _reject(
                errors.R_NOT_TEXT, f"the server sent {got.content_type}, not text or HTML", url
            )
        merged = SourceHints(
            url=hints.url or got.url,
            outlet=hints.outlet,
            title=hints.title,
            published=hints.published,
        )
        return raw_from_bytes(
            got.data,
            source_kind="url",
            locator=got.url,
            content_type=got.content_type,
            hints=merged,
        )

    def post_json(self, url: str, payload: object) -> str | None:
        """POST `payload` as JSON (a webhook) through the same address guard; no redirects are
        followed and nothing is retried. Returns why it failed, or None; never raises."""
        problem = _check_url(url)
        if problem:
            return problem
        try:
            response = self.client.post(
                url,
                content=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                headers={"Content-Type": "application/json"},
            )
        except BlockedAddressError as exc:
            return str(exc)
        except httpx.HTTPError as exc:
            return _network_reason(exc, url)
        if response.status_code >= 300:
            return f"{url} answered HTTP {response.status_code}"
        return None

    # -- internals -----------------------------------------------------------------------
    def _get_once(self, url: str, headers: Mapping[str, str]) -> Fetched | Rejection:
        attempts = self.settings.fetch_retries + 1
        delay = self.settings.fetch_backoff
        for attempt in range(attempts):
            last_try = attempt == attempts - 1
            try:
                got = self._stream(url, headers)
            except BlockedAddressError as exc:
                return _reject(errors.R_BLOCKED, str(exc), url)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if last_try:
                    return _reject(errors.R_NETWORK, _network_reason(exc, url), url)
                self.sleep(delay)
                delay *= 2
                continue
            except httpx.HTTPError as exc:
                return _reject(errors.R_NETWORK, _network_reason(exc, url), url)
            except (httpx.InvalidURL, ValueError) as exc:  # UnicodeError is a ValueError
                # httpx refuses some URLs urlsplit accepts (bad IDNA labels, control
                # characters, a port out of range) and header values it cannot encode
                return _reject(errors.R_BAD_URL, f"not a valid URL or header: {exc}"[:300], url)
            if isinstance(got, Rejection):
                return got
            if got.status in _RETRY_STATUS and not last_try:
                self.sleep(min(got.retry_after or delay, _MAX_RETRY_AFTER))
                delay *= 2
                continue
            if got.status >= 400:
                return _reject(errors.R_HTTP_STATUS, f"the server answered HTTP {got.status}", url)
            return got
        raise AssertionError("unreachable")  # pragma: no cover

    def _stream(self, url: str, headers: Mapping[str, str]) -> Fetched | Rejection:
        limit = self.settings.max_input_bytes
        with self.client.stream("GET", url, headers=dict(headers)) as response:
            if response.is_redirect:
                return Fetched(
                    url, response.status_code, None, b"", location=response.headers.get("location")
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                return _reject(
                    errors.R_TOO_LARGE,
                    f"the server declares {int(declared):,} bytes, above the limit of {limit:,}",
                    url,
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    return _reject(
                        errors.R_TOO_LARGE, f"the body is above the limit of {limit:,} bytes", url
                    )
                chunks.append(chunk)
            content_type = response.headers.get("content-type")
            return Fetched(
                url=str(response.url),
                status=response.status_code,
                content_type=content_type.split(";")[0].strip().lower() if content_type else None,
                data=b"".join(chunks),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                retry_after=_seconds(response.headers.get("retry-after")),
            )

    def _robots_refusal(self, url: str) -> Rejection | None:
        """None when robots.txt allows the URL; else why not (including an unreachable host)."""
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        verdict = self._robots[origin]
        if isinstance(verdict, Rejection):
            return replace(verdict, locator=url)
        if verdict is None or verdict.can_fetch(url, PRODUCT_TOKEN):
            return None
        return _reject(errors.R_ROBOTS, f"robots.txt of {origin} disallows it", url)

    def _load_robots(self, origin: str) -> Protego | Rejection | None:
        """RFC 9309: a 4xx file allows all (None); 5xx disallows all; blocked or down refuses."""
        got = self.get(origin + "/robots.txt", check_robots=False)
        if isinstance(got, Rejection):
            if got.code == errors.R_HTTP_STATUS and "HTTP 4" in got.reason:
                return None
            if got.code in (errors.R_BLOCKED, errors.R_NETWORK, errors.R_BAD_URL):
                return got
            return Protego.parse(_DISALLOW_ALL)
        try:
            return Protego.parse(got.data.decode("utf-8", "replace"))
        except Exception:  # a parser bug on a hostile file must not stop the run: refuse the host
            return Protego.parse(_DISALLOW_ALL)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _check_url(url: str) -> str | None:
    """Why a URL cannot be fetched (not http(s), no host, unparseable), or None."""
    return url_problem(url, schemes=("http", "https"))


def _seconds(retry_after: str | None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from now."""
    if not retry_after:
        return None
    if retry_after.strip().isdigit():
        return float(retry_after.strip())
    try:
        when = parsedate_to_datetime(retry_after)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _network_reason(exc: Exception, url: str) -> str:
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    detail = str(exc) or type(exc).__name__
    return f"fetching {url} {kind}: {detail}"[:300]


def _reject(code: str, reason: str, locator: str) -> Rejection:
    return Rejection(stage="fetch", code=code, reason=printable(reason), locator=printable(locator))
