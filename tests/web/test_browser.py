"""The reader's UI in a real browser: Debian's Chromium driven by Playwright.

Screenshots land in tests/artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import CHROMIUM

pytestmark = pytest.mark.model

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# the `browser` and `page` fixtures (Debian's Chromium under Playwright) are in conftest.py


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_seed_story(page: Any, live_url: str) -> None:
    page.goto(live_url + "/")
    page.get_by_role("link", name="Macron resumes technical dialogue", exact=False).click()
    page.wait_for_selector("section.brief")
    # the element can exist before the stylesheet applies (a loaded machine): layout tests
    # measure only once the page has loaded
    page.wait_for_load_state("load")


def test_home_lists_stories_with_coverage(page: Any, live_url: str) -> None:
    page.goto(live_url + "/")
    cards = page.locator(".story-card")
    assert cards.count() >= 5
    assert page.locator(".story-card svg.coverage rect").count() >= cards.count()
    shot(page, "home")


def test_citation_opens_the_source_with_the_sentence_highlighted(page: Any, live_url: str) -> None:
    open_seed_story(page, live_url)
    shot(page, "story")
    link = page.locator("section.brief a.cite").first
    cited = link.get_attribute("title")
    link.click()
    page.wait_for_selector("mark#cite")
    assert "#cite" in page.url
    highlighted = "".join(page.locator("mark.cite").all_text_contents())
    assert cited and highlighted == cited
    assert page.evaluate("document.querySelector('mark#cite').getBoundingClientRect().top") < 900
    shot(page, "article-cited")


def test_timeline_picture_has_the_dated_entries(page: Any, live_url: str) -> None:
    open_seed_story(page, live_url)
    dates = set(
        page.locator("svg.timeline g.item").evaluate_all("gs => gs.map(g => g.dataset.date)")
    )
    assert {"2025-12-19", "2025-12-21", "2026-02-04", "2026-02-10"} <= dates, dates
    page.locator("svg.timeline g.item text.label").first.click()
    page.wait_for_selector("mark#cite")


def test_search_finds_the_story(page: Any, live_url: str) -> None:
    page.goto(live_url + "/")
    page.fill("form.search input[name=q]", "Peskov")
    page.click("form.search button")
    page.wait_for_selector("ul.hits li")
    assert page.locator("ul.hits li").count() == 1
    shot(page, "search")


def test_untrusted_article_text_never_executes(page: Any, live_url: str) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_url + "/search?q=dredging")
    page.locator("ul.hits li a").first.click()
    page.wait_for_selector("article.text")
    assert "<script>document.title='pwned'</script>" in page.inner_text("article.text")
    assert page.title() != "pwned" and page.dialogs == []
    assert page.locator("article.text script, article.text img").count() == 0
    shot(page, "hostile-article")


def test_chromium_is_debian_s(browser: Any) -> None:
    assert shutil.which("chromium") == CHROMIUM and browser.version


def test_story_page_draws_framing_per_source(page: Any, live_url: str) -> None:
    open_seed_story(page, live_url)
    columns = page.locator(".column")
    assert columns.count() == 2
    for i in range(2):
        bars = columns.nth(i).locator("svg.bars text").all_text_contents()
        assert "opinion/analysis" in bars
    assert page.locator("svg.matrix rect").count() >= 2
