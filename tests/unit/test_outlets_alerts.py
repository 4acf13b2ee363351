"""The outlet registry's pure part (checking, CSV, URL matching) and watch alert rules."""

from __future__ import annotations

import pytest

from newsprism.alerts import matches, parse_rule, payload, run_command
from newsprism.errors import ConfigError
from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import Article, ArticleAnalysis, Mention, Span
from newsprism.outlets import make_outlet, match_outlet, normalise_domain, read_outlets_csv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lemonde.fr", "lemonde.fr"),
        ("https://www.LeMonde.fr/international/", "lemonde.fr"),
        ("News.Example.ORG.", "news.example.org"),
        ("bücher.de", "xn--bcher-kva.de"),
    ],
)
def test_normalise_domain(text: str, expected: str) -> None:
    assert normalise_domain(text) == expected


@pytest.mark.parametrize(
    "text", ["lemonde", "le monde.fr", "-bad.com", "a..b", "under_score.com", ""]
)
def test_not_domains(text: str) -> None:
    with pytest.raises(ConfigError, match="not a domain"):
        normalise_domain(text)


def test_make_outlet_checks_everything() -> None:
    got = make_outlet(
        "  Le   Monde ", ["lemonde.fr", "www.lemonde.fr"], country="fr", language="FR"
    )
    assert (got.name, got.domains, got.country, got.language) == (
        "Le Monde",
        ("lemonde.fr",),
        "FR",
        "fr",
    )
    for kwargs, message in (
        ({"name": "", "domains": ["a.fr"]}, "needs a name"),
        ({"name": "A", "domains": []}, "at least one domain"),
        ({"name": "A", "domains": ["a.fr"], "country": "FRA"}, "two-letter"),
        ({"name": "A", "domains": ["a.fr"], "language": "french"}, "two- or three-letter"),
        ({"name": "A", "domains": ["a.fr"], "owner": "x" * 201}, "longer than 200"),
    ):
        with pytest.raises(ConfigError, match=message):
            make_outlet(**kwargs)  # type: ignore[arg-type]


def test_read_outlets_csv_keeps_good_rows_and_says_why_bad_ones_fail() -> None:
    text = (
        "Name,Domains,Country,Language,Leaning,Owner\n"
        "Le Monde,lemonde.fr lemonde.com,FR,fr,,Groupe X\n"
        ",nameless.example,,,,\n"
        "Le Monde,other.fr,,,,\n"
        "Copycat,lemonde.com,,,,\n"
        "Extra,extra.example,,,,,surplus\n"
        ",,,,,\n"
        '"Kyiv Post","kyivpost.com, kyivpost.ua",UA,en,my own note,\n'
    )
    outlets, problems = read_outlets_csv(text)
    assert [o.name for o in outlets] == ["Le Monde", "Kyiv Post"]
    assert (
        outlets[1].domains == ("kyivpost.com", "kyivpost.ua")
        and outlets[1].leaning == "my own note"
    )
    assert problems == [
        "row 3: an outlet needs a name",
        "row 4: 'Le Monde' is already on row 2",
        "row 5: domain lemonde.com already belongs to Le Monde",
        "row 6: more fields than columns",
    ]
    for bad, message in (
        ("", "empty"),
        ("name,country\nA,FR\n", "lacks domains"),
        ("name,domains,rating\n", "unknown CSV column"),
    ):
        with pytest.raises(ConfigError, match=message):
            read_outlets_csv(bad)


def test_match_outlet_by_domain_and_subdomain() -> None:
    domains = {"example.org": "Example", "news.example.org": "Example News"}
    assert match_outlet("https://www.example.org/a", domains) == "Example"
    assert match_outlet("https://a.news.example.org/a", domains) == "Example News"
    assert match_outlet("https://badexample.org/", domains) is None
    assert match_outlet("http://[::1", domains) is None and match_outlet(None, domains) is None


def _analysis() -> ArticleAnalysis:
    text = "Officials in Tarn said the ceasefire talks with the Kremlin would resume next week."
    raw = raw_from_bytes(
        text.encode(), source_kind="file", locator="a.txt", content_type="text/plain"
    )
    article = extract_article(raw)
    assert isinstance(article, Article)
    start = text.index("Kremlin")
    mention = Mention(
        span=Span(start, start + 7),
        text="Kremlin",
        actor_id="russia",
        actor_name="Russia",
        kind="country",
    )
    return ArticleAnalysis(
        article=article,
        sentences=(),
        actors=(),
        mentions=(mention,),
        quotes=(),
        time_expressions=(),
        events=(),
    )


@pytest.mark.parametrize(
    ("rule", "story", "expected"),
    [
        ("actor=russia", None, True),
        ("actor=France", None, False),
        ("keyword=ceasefire talks", None, True),
        ("keyword=Cease", None, False),  # whole words only
        ("outlet=unknown outlet (a.txt)", None, True),
        ("story=s12", "s12345", True),
        ("story=s9", "s12345", False),
        ("story=s1", None, False),
    ],
)
def test_alert_rules_match(rule: str, story: str | None, expected: bool) -> None:
    assert matches(parse_rule(rule), _analysis(), story) is expected


@pytest.mark.parametrize("text", ["russia", "mood=angry", "actor=", "=x"])
def test_bad_alert_rules(text: str) -> None:
    with pytest.raises(ConfigError, match="KIND=VALUE"):
        parse_rule(text)


def test_run_command_reports_failures_and_never_raises() -> None:
    data = payload(parse_rule("actor=Russia"), _analysis(), "s1")
    assert data["alert"] == "actor=Russia" and data["article"]["outlet"] == "unknown outlet (a.txt)"
    assert run_command("true", data) is None
    assert run_command("false", data) == "false exited with 1"
    assert run_command("no-such-command-here", data) == "no such command: no-such-command-here"
    assert run_command("sleep 5", data, timeout=0.2) == "sleep did not finish within 0.2 s"
    assert (
        run_command("'unclosed", data) is not None
        and run_command("", data) == "the command is empty"
    )
