"""Issue 18's operations through the real entry point (`python -m newsprism`): the outlet
registry, stable story ids and labels, settings files / env / --set, --db checks, honest
counts, skipped files, list formats, and watch alerts."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient

from newsprism.web import create_app
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.model
SRC = str(Path(__file__).resolve().parents[2] / "src")
BORDER = EXAMPLES / "border-talks"


def cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEWSPRISM_")}
    environ["PYTHONPATH"] = os.pathsep.join([SRC, environ.get("PYTHONPATH", "")])
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
        env=environ,
    )


def _records(tmp_path: Path) -> Path:
    """Three example articles as JSON lines: two with URLs (one on a subdomain), one without."""
    rows = [
        {
            "text": (BORDER / "valdoria-today.txt").read_text(),
            "url": "https://news.valdoria.example/t",
        },
        {
            "text": (BORDER / "northgate-daily.txt").read_text(),
            "url": "https://www.northgate.example/x",
        },
        {"html": (BORDER / "kestrian-voice.html").read_text()},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_outlet_registry_labels_articles_at_ingest_and_afterwards(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    added = cli(
        "outlets",
        "add",
        "Valdoria Today",
        "--domain",
        "valdoria.example",
        "--country",
        "fr",
        "--db",
        db,
    )
    assert added.returncode == 0, added.stderr
    assert cli("outlets", "add", "X", "--domain", "not a domain", "--db", db).returncode == 2
    ingested = cli("ingest", str(_records(tmp_path)), "--db", db, "--workers", "1")
    assert ingested.returncode == 0, ingested.stderr
    # the registry wins over the URL's host, subdomains included; no URL: the page's own name
    assert "Valdoria Today" in ingested.stdout and "northgate.example" in ingested.stdout
    table = tmp_path / "outlets.csv"
    table.write_text(
        "name,domains,country,language,leaning,owner\n"
        "Northgate Daily,northgate.example;ng.example,GB,en,my note,\n"
        "Bad Domain,not_a_domain,FR,fr,,\n"
        "Bad Country,bad.example,France,fr,,\n"
        "Taken,valdoria.example,,,,\n",
        encoding="utf-8",
    )
    imported = cli("outlets", "import", str(table), "--db", db)
    assert imported.returncode == 1, imported.stderr
    lines = imported.stderr.splitlines()
    assert any(line.startswith("rejected row 3:") and "not_a_domain" in line for line in lines)
    assert any(line.startswith("rejected row 4:") and "France" in line for line in lines)
    assert any("valdoria.example already belongs to Valdoria Today" in line for line in lines)
    assert (
        "1 outlet(s) imported, 3 row(s) rejected; 1 stored article(s) relabelled" in imported.stderr
    )
    listed = json.loads(cli("outlets", "list", "--db", db, "--format", "json").stdout)
    assert [o["name"] for o in listed] == ["Northgate Daily", "Valdoria Today"]
    assert listed[0]["domains"] == ["ng.example", "northgate.example"]
    assert listed[0]["leaning"] == "my note" and listed[1]["country"] == "FR"
    rows = list(csv.DictReader(io.StringIO(cli("outlets", "list", "--db", db, "-f", "csv").stdout)))
    assert rows[0]["domains"] == "ng.example; northgate.example"
    (story,) = json.loads(cli("stories", "--db", db, "--format", "json").stdout)
    shown = cli("show", story["story"], "--db", db).stdout
    assert "Northgate Daily" in shown and "northgate.example" not in shown  # relabelled
    brief = cli("brief", story["story"], "--db", db).stdout
    sources = brief[brief.rindex("Sources") :]  # the cached brief was made again
    assert "Northgate Daily — Explained" in sources and "northgate.example —" not in brief
    # the story's coverage by registered outlets, in the API and on the page
    assert (
        cli("outlets", "add", "Absent Herald", "--domain", "absent.example", "--db", db).returncode
        == 0
    )
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    got = client.get(f"/api/stories/{story['story']}").json()["outlet_coverage"]
    assert [o["name"] for o in got["covered"]] == ["Northgate Daily", "Valdoria Today"]
    assert [o["name"] for o in got["missing"]] == ["Absent Herald"]
    page = client.get(f"/stories/{story['story']}").text
    assert 'id="registered-outlets"' in page and "2 of 3 registered outlet(s)" in page
    assert "Absent Herald" in page[page.index('id="registered-outlets"') :]
    removed = cli("outlets", "remove", "Absent Herald", "--db", db)
    assert removed.returncode == 0
    again = cli("outlets", "remove", "Absent Herald", "--db", db)
    assert again.returncode == 2 and "no outlet named 'Absent Herald'" in again.stderr


def _stories(db: str) -> dict[str, tuple[str, frozenset[str]]]:
    listing = json.loads(cli("stories", "--db", db, "--format", "json", "--limit", "0").stdout)
    return {s["story"]: (s["label"], frozenset(s["article_ids"])) for s in listing}


def test_regroup_keeps_ids_and_labels_and_splits_check_input(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    assert cli("ingest", str(EXAMPLES), "--db", db, "--workers", "1").returncode == 0
    before = _stories(db)
    assert len(before) == 3 and all(label for label, _ in before.values())
    first = sorted(before)[0]
    labelled = cli("label", first[:7], "Set by hand", "--db", db)
    assert labelled.returncode == 0, labelled.stderr
    regrouped = cli("regroup", "--db", db)
    assert "3 stories before, 3 after: 3 kept their id, 0 new" in regrouped.stderr
    after = _stories(db)
    assert after[first] == ("Set by hand", before[first][1])
    assert {k: v for k, v in after.items() if k != first} == {
        k: v for k, v in before.items() if k != first
    }
    members = sorted(before[first][1])
    other = next(iter(next(v for k, v in before.items() if k != first)[1]))
    outside = cli("split", first, other, "--db", db)
    assert outside.returncode == 2 and f"not in story {first}: {other}" in outside.stderr
    everything = cli("split", first, *members, "--db", db)
    assert everything.returncode == 2 and "leave at least one" in everything.stderr
    unknown = cli("merge", first, "szzzzzzzzzzz", "--db", db)
    assert unknown.returncode == 2 and "NP011" in unknown.stderr
    itself = cli("merge", first, first, "--db", db)
    assert itself.returncode == 2 and "itself" in itself.stderr
    assert cli("label", first, "--clear", "--db", db).returncode == 0
    assert _stories(db)[first][0] != "Set by hand"


def test_settings_files_env_and_set_with_sources(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'p'\n[tool.newsprism]\nstory_threshold = 0.3\nfetch_retries = 4\n"
    )
    (tmp_path / "newsprism.toml").write_text("fetch_retries = 3\nchunk_size = 64\n")
    shown = cli(
        "config",
        "--format",
        "json",
        "--set",
        "chunk_size=32",
        cwd=tmp_path,
        env={"NEWSPRISM_STORY_WINDOW_DAYS": "3", "NEWSPRISM_CHUNK_SIZE": "16"},
    )
    assert shown.returncode == 0, shown.stderr
    rows = {r["setting"]: r for r in json.loads(shown.stdout)}
    assert rows["story_threshold"]["value"] == 0.3
    assert rows["story_threshold"]["source"].endswith("pyproject.toml [tool.newsprism]")
    assert (rows["fetch_retries"]["value"], Path(rows["fetch_retries"]["source"]).name) == (
        3,
        "newsprism.toml",
    )
    assert rows["story_window_days"] == {
        **rows["story_window_days"],
        "value": 3,
        "source": "env NEWSPRISM_STORY_WINDOW_DAYS",
    }
    assert (rows["chunk_size"]["value"], rows["chunk_size"]["source"]) == (32, "--set")
    assert rows["max_redirects"]["source"] == "default" and len(rows) == 17
    for args, message in (
        (
            ("config", "--set", "chunk_sise=3"),
            "unknown setting 'chunk_sise' in --set (did you mean chunk_size?)",
        ),
        (
            ("stories", "--set", "story_threshold=high"),
            "setting story_threshold (--set): 'high' is not a number",
        ),
        (("ingest", "x.txt", "--set", "fetch_retries"), "is not key=value"),
    ):
        bad = cli(*args, cwd=tmp_path)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1
    (tmp_path / "newsprism.toml").write_text("fetch_retries = 'many'\n")
    broken = cli("config", cwd=tmp_path)
    assert (
        broken.returncode == 2
        and "fetch_retries" in broken.stderr
        and "whole number" in broken.stderr
    )


def test_db_in_a_missing_directory_is_an_error_unless_create(tmp_path: Path) -> None:
    db = tmp_path / "typo" / "n.db"
    text = str(BORDER / "northgate-daily.txt")
    refused = cli("ingest", text, "--db", str(db))
    assert (
        refused.returncode == 2
        and "does not exist" in refused.stderr
        and "--create" in refused.stderr
    )
    assert not db.parent.exists()  # no folder made silently
    served = cli("serve", "--db", str(tmp_path / "none.db"), "--port", "1")
    assert served.returncode == 2 and "no database at" in served.stderr
    bad_url = cli("stories", "--db", "postgresql://[::1")
    assert bad_url.returncode == 2 and "not a valid PostgreSQL URL" in bad_url.stderr
    notes = tmp_path / "notes.db"
    notes.write_text("x")  # SQLite itself would overwrite a file this short
    other = cli("ingest", text, "--db", str(notes))
    assert other.returncode == 2 and "not a SQLite database" in other.stderr
    assert notes.read_text() == "x"
    made = cli("ingest", text, "--db", str(db), "--create", "--workers", "1")
    assert made.returncode == 0 and db.exists(), made.stderr


def test_honest_counts_and_skipped_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article.txt").write_text((BORDER / "northgate-daily.txt").read_text())
    for n in range(7):
        (folder / f"file{n}.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".hidden.doc").write_bytes(b"x")
    db = str(tmp_path / "n.db")
    first = cli("ingest", str(folder), "--db", db, "--workers", "1")
    assert first.returncode == 0, first.stderr
    assert "1 article(s) accepted (1 new, 0 already stored)" in first.stderr
    skipped = next(line for line in first.stderr.splitlines() if line.startswith("skipped"))
    assert "skipped 7 file(s)" in skipped and "file0.pdf" in skipped and "file6.pdf" not in skipped
    assert "and 2 more (-v lists them all)" in skipped and ".hidden" not in first.stderr
    again = cli("ingest", str(folder), "--db", db, "-v", "--workers", "1")
    assert "1 article(s) accepted (0 new, 1 already stored)" in again.stderr
    assert "file6.pdf" in again.stderr and "more (-v" not in again.stderr


def test_list_formats_are_complete_and_piped_tables_are_not_cut(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    long_name = "an-input-file-with-a-name-long-enough-to-overflow-eighty-columns-" * 2 + ".txt"
    (tmp_path / long_name).write_text("")
    assert cli("ingest", str(EXAMPLES), str(tmp_path / long_name), "--db", db).returncode == 1
    table = cli("rejections", "--db", db).stdout  # piped: stdout is not a terminal
    assert long_name in table and max(len(line) for line in table.splitlines()) > 80
    (rejected,) = json.loads(cli("rejections", "--db", db, "--format", "json").stdout)
    assert rejected["code"] == "extract.empty" and rejected["input"].endswith(long_name)
    listing = list(csv.DictReader(io.StringIO(cli("stories", "--db", db, "-f", "csv").stdout)))
    assert len(listing) == 3 and all(r["label"] and r["article_ids"] for r in listing)
    assert sum(int(r["articles"]) for r in listing) == 11
    actor = cli("actors", "Valdoria", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(actor.stdout)))
    assert rows and {r["type"] for r in rows} <= {"quote", "interaction"}
    assert any(len(r["text"]) > 160 for r in rows)  # the table cuts at 160 on a terminal only


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        size = int(self.headers.get("Content-Length", "0"))
        _Hook.received.append(json.loads(self.rfile.read(size)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def hook() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Hook.received = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()


def _feed(tmp_path: Path) -> Path:
    items = "".join(
        f"<item><title>{p.stem}</title><guid>{p.stem}</guid>"
        f"<description><![CDATA[{''.join('<p>' + line + '</p>' for line in p.read_text().splitlines() if line)}]]></description></item>"
        for p in sorted(BORDER.glob("*.txt"))
    )
    rss = tmp_path / "feed.xml"
    rss.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{rss}\n")
    return listing


def test_watch_alerts_by_exec_and_webhook_and_survives_failures(tmp_path: Path, hook: str) -> None:
    feeds = _feed(tmp_path)
    sink = tmp_path / "alerts.jsonl"
    script = f"import sys; open({str(sink)!r}, 'a').write(sys.stdin.read() + '\\n')"
    common = ("--polls", "1", "--every", "1s")
    done = cli(
        "watch",
        str(feeds),
        *common,
        "--db",
        str(tmp_path / "a.db"),
        "--alert",
        "actor=Valdoria",
        "--alert",
        "keyword=no such phrase anywhere",
        "--exec",
        f"{sys.executable} -c {json.dumps(script)}",
    )
    assert done.returncode == 0, done.stderr
    alerts = [json.loads(line) for line in sink.read_text().splitlines() if line.strip()]
    assert len(alerts) == 2 and {a["alert"] for a in alerts} == {"actor=Valdoria"}
    assert all(a["article"]["id"] and a["story_id"] for a in alerts)
    failing = cli(
        "watch",
        str(feeds),
        *common,
        "--db",
        str(tmp_path / "b.db"),
        "--alert",
        "keyword=Valdoria",
        "--exec",
        f"{sys.executable} -c 'import sys; sys.exit(5)'",
    )
    assert failing.returncode == 0 and failing.stderr.count("alert not delivered") == 2
    assert "exited with 5" in failing.stderr
    blocked = cli(
        "watch",
        str(feeds),
        *common,
        "--db",
        str(tmp_path / "c.db"),
        "--alert",
        "keyword=Valdoria",
        "--webhook",
        hook,
    )
    assert blocked.returncode == 0 and "alert not delivered" in blocked.stderr
    assert _Hook.received == []  # loopback refused without --allow-private
    allowed = cli(
        "watch",
        str(feeds),
        *common,
        "--db",
        str(tmp_path / "d.db"),
        "--alert",
        "keyword=Valdoria",
        "--webhook",
        hook,
        "--allow-private",
    )
    assert allowed.returncode == 0, allowed.stderr
    assert len(_Hook.received) == 2 and all(
        r["alert"] == "keyword=Valdoria" for r in _Hook.received
    )
    usage = cli("watch", str(feeds), "--alert", "mood=angry", "--exec", "true")
    assert usage.returncode == 2 and "KIND=VALUE" in usage.stderr
    assert cli("watch", str(feeds), "--alert", "actor=Russia").returncode == 2  # nowhere to send
