"""/api/docs in a real browser, offline: Swagger UI from the package's local files under the
strict CSP (Debian's Chromium driven by Playwright, as in test_browser.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.test_browser import shot

pytestmark = pytest.mark.model


def test_api_docs_render_every_operation_offline(page: Any, live_url: str) -> None:
    outside: list[str] = []
    problems: list[str] = []

    def only_local(route: Any) -> None:
        if route.request.url.startswith(live_url):
            route.continue_()
        else:  # a CDN or validator request: the page must not need one
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    response = page.goto(live_url + "/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert len(paths) >= 14, paths
    flat = {p.replace("\u200b", "") for p in paths}
    assert {"/api/stories", "/api/export/{kind}.{format}", "/api/ingest"} <= flat
    assert page.locator(".info .title").inner_text().startswith("newsprism")
    shot(page, "api-docs")
    assert outside == []
    assert not [p for p in problems if "Content Security Policy" in p], problems
