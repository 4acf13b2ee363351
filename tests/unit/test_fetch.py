"""URL fetching against a real local HTTP server: the address policy, limits, robots, retries."""

from __future__ import annotations

import pytest

from newsprism import errors
from newsprism.errors import ConfigError
from newsprism.ingest.fetch import Fetcher, forbidden_reason, user_agent
from newsprism.models import RawDocument, Rejection
from newsprism.settings import Settings
from tests.support.web import Site, serve

PAGE = "<html><head><title>T</title></head><body><article><p>Text of the page.</p></article></body></html>"


@pytest.fixture
def site() -> Site:
    with serve() as s:
        s.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", Content_Type="text/plain")
        s.add("/a.html", PAGE)
        yield s


def fetcher(**options: object) -> tuple[Fetcher, list[float]]:
    sleeps: list[float] = []
    settings = Settings(**{"allow_private": True, "fetch_backoff": 0.01, **options})  # type: ignore[arg-type]
    return Fetcher(settings, sleep=sleeps.append), sleeps


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.9", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("fe80::1", True),
        ("fd00::1", True),
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("100.64.0.1", True),  # carrier-grade NAT
        ("8.8.8.8", False),
        ("2606:4700::1111", False),
    ],
)
def test_address_policy(address: str, blocked: bool) -> None:
    assert (forbidden_reason(address) is not None) is blocked


def test_allow_list_lets_one_network_through() -> None:
    assert forbidden_reason("10.1.2.3", ("10.0.0.0/8",)) is None
    assert forbidden_reason("192.168.1.1", ("10.0.0.0/8",)) is not None
    with pytest.raises(ConfigError, match="NP001"):
        Fetcher(Settings(allow_hosts=("not-a-network",)))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_refused_by_default_before_any_request(site: Site, host: str) -> None:
    got = Fetcher(Settings()).fetch(site.url("/a.html").replace("127.0.0.1", host))
    assert isinstance(got, Rejection)
    assert got.code == errors.R_BLOCKED
    assert "loopback" in got.reason and "--allow-private" in got.reason
    assert site.requests == []  # refused at connect time: the server never saw a request


def test_allow_private_fetches_the_page(site: Site) -> None:
    f, _ = fetcher()
    got = f.fetch(site.url("/a.html"))
    assert isinstance(got, RawDocument)
    assert got.source_kind == "url" and got.content_type == "text/html"
    assert got.data == PAGE.encode()
    assert got.hints.url == site.url("/a.html")
    user_agents = {h["user-agent"] for _, h in site.requests}
    assert user_agents == {user_agent()} and user_agent().startswith("newsprism/")


def test_every_redirect_hop_is_checked() -> None:
    """127.0.0.1 is allowed by name; its redirect to 127.0.0.2 must be refused at that hop."""
    with serve("127.0.0.1") as first, serve("127.0.0.2") as second:
        second.add("/robots.txt", "", Content_Type="text/plain")
        second.add("/secret", "internal data")
        first.add("/robots.txt", "", Content_Type="text/plain")
        first.add("/go", status=302, Location=second.url("/secret"))
        f = Fetcher(Settings(allow_hosts=("127.0.0.1",)))
        got = f.fetch(first.url("/go"))
        assert isinstance(got, Rejection) and got.code == errors.R_BLOCKED
        assert "127.0.0.2" in got.reason
        assert first.hits("/go") == 1 and second.requests == []


def test_redirects_are_followed_and_limited(site: Site) -> None:
    site.add("/old", status=301, Location="/a.html")
    site.add("/loop", status=302, Location="/loop")
    site.add("/file", status=302, Location="file:///etc/passwd")
    f, _ = fetcher(max_redirects=3)
    got = f.fetch(site.url("/old"))
    assert isinstance(got, RawDocument) and got.locator == site.url("/a.html")
    loop = f.fetch(site.url("/loop"))
    assert isinstance(loop, Rejection) and loop.code == errors.R_REDIRECTS
    assert site.hits("/loop") == 4
    bad = f.fetch(site.url("/file"))
    assert isinstance(bad, Rejection) and bad.code == errors.R_BAD_URL


@pytest.mark.parametrize("length", ["declared", "omit"])
def test_size_cap(site: Site, length: str) -> None:
    body = b"<p>" + b"x" * 5000 + b"</p>"
    if length == "omit":
        site.add("/big", body, Content_Length="omit")
    else:
        site.add("/big", body)
    f, _ = fetcher(max_input_bytes=1000)
    got = f.fetch(site.url("/big"))
    assert isinstance(got, Rejection) and got.code == errors.R_TOO_LARGE
    assert "1,000" in got.reason


def test_robots_txt_is_honoured(site: Site) -> None:
    site.add("/private/p.html", PAGE)
    f, _ = fetcher()
    got = f.fetch(site.url("/private/p.html"))
    assert isinstance(got, Rejection) and got.code == errors.R_ROBOTS
    assert site.hits("/private/p.html") == 0
    f2, _ = fetcher(respect_robots=False)
    assert isinstance(f2.fetch(site.url("/private/p.html")), RawDocument)
    f.fetch(site.url("/a.html"))
    assert site.hits("/robots.txt") == 1  # cached per host


# Cases the stdlib parser got wrong: it took the first matching line (refusing /news/world/
# and /page) and read `*` and `$` literally (allowing the PDF and the drafts).
ROBOTS_9309 = """User-agent: *
Disallow: /news/
Allow: /news/world/
Disallow: /*.pdf$
Disallow: /*/drafts/
Disallow: /page
Allow: /page
"""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/news/world/a.html", True),  # the longest match wins, whatever the order
        ("/news/local/a.html", False),
        ("/files/report.pdf", False),  # `$` anchors the end of the path
        ("/files/report.pdf?page=2", True),
        ("/2024/drafts/a.html", False),  # `*` matches any run of characters
        ("/page", True),  # Allow wins a tie of equal length
        ("/a.html", True),
    ],
)
def test_robots_txt_follows_rfc_9309(path: str, allowed: bool) -> None:
    with serve() as site:
        site.add("/robots.txt", ROBOTS_9309, Content_Type="text/plain")
        site.add(path, PAGE)
        f, _ = fetcher()
        got = f.fetch(site.url(path))
        if allowed:
            assert isinstance(got, RawDocument), got
            assert site.hits(path) == 1
        else:
            assert isinstance(got, Rejection) and got.code == errors.R_ROBOTS
            assert site.hits(path) == 0


def test_robots_group_for_our_product_token_replaces_the_star_group() -> None:
    with serve() as site:
        site.add(
            "/robots.txt",
            "User-agent: *\nDisallow: /\n\nUser-agent: newsprism\nDisallow: /only-us/\n",
            Content_Type="text/plain",
        )
        site.add("/a.html", PAGE)
        site.add("/only-us/b.html", PAGE)
        f, _ = fetcher()
        assert isinstance(f.fetch(site.url("/a.html")), RawDocument)
        refused = f.fetch(site.url("/only-us/b.html"))
        assert isinstance(refused, Rejection) and refused.code == errors.R_ROBOTS


def test_hostile_robots_txt_does_not_raise() -> None:
    with serve() as site:
        site.add("/robots.txt", b"\xff\x00User-agent: *\nDisallow: /[\nAllow: " + b"*" * 10_000)
        site.add("/a.html", PAGE)
        f, _ = fetcher()
        assert isinstance(f.fetch(site.url("/a.html")), (RawDocument, Rejection))


def test_missing_robots_allows_and_failing_robots_disallows() -> None:
    with serve() as site:
        site.add("/a.html", PAGE)  # /robots.txt -> 404
        f, _ = fetcher()
        assert isinstance(f.fetch(site.url("/a.html")), RawDocument)
    with serve() as site:
        site.add("/robots.txt", "oops", status=500)
        site.add("/a.html", PAGE)
        f, _ = fetcher(fetch_retries=0)
        got = f.fetch(site.url("/a.html"))
        assert isinstance(got, Rejection) and got.code == errors.R_ROBOTS


def test_retries_with_backoff_then_succeeds(site: Site) -> None:
    replies = iter([(503, {}, b"busy"), (503, {}, b"busy"), (200, {}, PAGE.encode())])
    site.routes["/flaky"] = lambda _headers: next(replies)
    f, sleeps = fetcher(fetch_retries=2, fetch_backoff=0.01)
    assert isinstance(f.fetch(site.url("/flaky")), RawDocument)
    assert sleeps == [0.01, 0.02]


def test_gives_up_after_the_retries(site: Site) -> None:
    site.add("/down", "no", status=503)
    f, sleeps = fetcher(fetch_retries=2)
    got = f.fetch(site.url("/down"))
    assert isinstance(got, Rejection) and got.code == errors.R_HTTP_STATUS and "503" in got.reason
    assert site.hits("/down") == 3 and len(sleeps) == 2


def test_retry_after_header_is_used(site: Site) -> None:
    replies = iter([(429, {"Retry-After": "2"}, b""), (200, {}, PAGE.encode())])
    site.routes["/slow"] = lambda _headers: next(replies)
    f, sleeps = fetcher()
    assert isinstance(f.fetch(site.url("/slow")), RawDocument)
    assert sleeps == [2.0]


def test_unreachable_and_not_text(site: Site) -> None:
    site.add("/img", b"\x89PNG", Content_Type="image/png")
    f, _ = fetcher(fetch_retries=0)
    img = f.fetch(site.url("/img"))
    assert isinstance(img, Rejection) and img.code == errors.R_NOT_TEXT
    closed = f.fetch("http://127.0.0.1:9/a.html")
    assert isinstance(closed, Rejection) and closed.code == errors.R_NETWORK
    ftp = f.fetch("ftp://example.com/x")
    assert isinstance(ftp, Rejection) and ftp.code == errors.R_BAD_URL


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",  # urlsplit raises ValueError
        "http://example.com:99999/",  # port out of range
        "http://a..b/",  # an empty IDNA label: UnicodeError in httpx
        "http://xn--zz.com/",  # an invalid A-label: idna.IDNAError
        "http://[::1]x/",  # httpx.InvalidURL
    ],
)
def test_invalid_urls_are_rejected_not_raised(url: str) -> None:
    f, _ = fetcher(fetch_retries=0)
    got = f.fetch(url)
    assert isinstance(got, Rejection) and got.code == errors.R_BAD_URL, got


def test_redirect_to_an_invalid_url_is_rejected_not_raised(site: Site) -> None:
    site.add("/r", status=302, Location="http://[::1")
    f, _ = fetcher()
    got = f.fetch(site.url("/r"))
    # httpx reads the Location header itself and calls it a protocol error
    assert isinstance(got, Rejection) and "Invalid URL in location header" in got.reason
