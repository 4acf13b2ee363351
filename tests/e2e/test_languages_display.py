"""The analysis level is shown everywhere an article is: CLI, HTTP API, article and story pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.web import create_app

pytestmark = pytest.mark.model

GERMAN = (
    "Berliner Gespräche über die Ukraine\n\n"
    "Bundeskanzler Olaf Scholz hat am Dienstag in Berlin mit Journalisten über die Lage in der "
    "Ukraine gesprochen. „Wir werden die Ukraine weiter unterstützen, so lange es nötig ist“, "
    "sagte Scholz am 28. März 2024. Die Gespräche mit Frankreich beginnen im Januar 2025.\n"
)
ENGLISH = (
    "Berlin talks on Ukraine\n\n"
    "Chancellor Olaf Scholz spoke to reporters in Berlin on Tuesday about the situation in "
    "Ukraine. \u201cWe will keep supporting Ukraine for as long as it takes,\u201d Scholz said. "
    "Talks with France will begin in January.\n"
)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "250"},  # table cells unwrapped
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("languages")
    (folder / "de.txt").write_text(GERMAN, encoding="utf-8")
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    path = folder / "news.db"
    got = cli("ingest", str(folder / "de.txt"), str(folder / "en.txt"), "--db", str(path))
    assert got.returncode == 0, got.stderr
    assert "analysis" in got.stdout and "basic (German)" in got.stdout
    assert "1 article(s) got basic analysis (German 1)" in " ".join(got.stderr.split())
    return path


def _ids(client: TestClient) -> dict[str, str]:
    items = client.get("/api/search", params={"q": "Scholz"}).json()["items"]
    return {("de" if i["language"] == "de" else "en"): i["id"] for i in items}


def test_api_and_pages_show_the_level(db: Path) -> None:
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    items = client.get("/api/search", params={"q": "Scholz"}).json()["items"]
    levels = {i["language"]: i["analysis_level"] for i in items}
    assert levels == {"de": "basic", "en": "full"}
    ids = _ids(client)
    german = client.get(f"/api/articles/{ids['de']}").json()
    assert german["analysis_level"] == "basic" and german["mentions"] == []
    assert [q["speaker"]["name"] for q in german["quotes"]] == ["Scholz"]
    assert client.get(f"/api/articles/{ids['en']}").json()["analysis_level"] == "full"
    page = client.get(f"/articles/{ids['de']}").text
    assert "basic analysis: German" in page
    assert "basic analysis" not in client.get(f"/articles/{ids['en']}").text
    story = client.get(f"/api/articles/{ids['de']}").json()["story_id"]
    assert "basic analysis: German" in client.get(f"/stories/{story}").text


def test_cli_show_says_basic(db: Path) -> None:
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    ids = _ids(client)
    shown = cli("show", ids["de"], "--db", str(db))
    assert shown.returncode == 0 and "basic analysis: German" in shown.stdout
    assert "basic analysis" not in cli("show", ids["en"], "--db", str(db)).stdout
