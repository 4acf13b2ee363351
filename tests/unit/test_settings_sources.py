"""Where settings come from: defaults < pyproject.toml [tool.newsprism] < newsprism.toml <
NEWSPRISM_<FIELD> < --set < a command's own option; bad keys and values are one-line errors."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from newsprism.errors import ConfigError
from newsprism.settings import HELP, Settings, load_settings


def test_every_setting_has_help_and_defaults_come_from_nowhere(tmp_path: Path) -> None:
    settings, sources = load_settings(directory=tmp_path, environ={})
    assert settings == Settings()
    assert set(sources) == {f.name for f in fields(Settings)} == set(HELP)
    assert set(sources.values()) == {"default"}


def test_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname='x'\n[tool.newsprism]\nstory_threshold = 0.3\nchunk_size = 64\n"
        "fetch_retries = 5\nallow_hosts = ['10.0.0.0/8']\nrespect_robots = false\n"
    )
    (tmp_path / "newsprism.toml").write_text("chunk_size = 32\nfetch_retries = 4\n")
    environ = {"NEWSPRISM_FETCH_RETRIES": "3", "NEWSPRISM_FETCH_TIMEOUT": "5", "NEWSPRISM_DB": "x"}
    settings, sources = load_settings(
        directory=tmp_path,
        environ=environ,
        overrides=["fetch_timeout=7.5", "allow-private=yes"],
        options={"allow_private": False, "min_article_chars": None},
    )
    assert settings.story_threshold == 0.3 and sources["story_threshold"].endswith(
        "[tool.newsprism]"
    )
    assert settings.allow_hosts == ("10.0.0.0/8",) and settings.respect_robots is False
    assert settings.chunk_size == 32 and sources["chunk_size"].endswith("newsprism.toml")
    assert settings.fetch_retries == 3 and sources["fetch_retries"] == "env NEWSPRISM_FETCH_RETRIES"
    assert settings.fetch_timeout == 7.5 and sources["fetch_timeout"] == "--set"
    assert settings.allow_private is False and sources["allow_private"] == "option"
    assert sources["min_article_chars"] == "default"


def test_a_config_file_named_by_the_environment(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text("story_window_days = 3\n")
    settings, sources = load_settings(directory=tmp_path, environ={"NEWSPRISM_CONFIG": str(other)})
    assert settings.story_window_days == 3 and sources["story_window_days"] == str(other)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(directory=tmp_path, environ={"NEWSPRISM_CONFIG": str(tmp_path / "no")})


@pytest.mark.parametrize(
    ("toml", "environ", "overrides", "message"),
    [
        (
            "story_treshold = 0.3\n",
            {},
            [],
            "unknown setting 'story_treshold'.*did you mean story_threshold",
        ),
        ("chunk_size = 'big'\n", {}, [], "chunk_size .*not a whole number"),
        ("chunk_size = 0\n", {}, [], "at least 1"),
        ("story_threshold = 2\n", {}, [], "between 0 and 1"),
        ("respect_robots = 'maybe'\n", {}, [], "not true or false"),
        ("allow_hosts = [1, 2]\n", {}, [], None),
        ("chunk_size = \n", {}, [], "not valid TOML"),
        ("", {"NEWSPRISM_FETCH_TIMEOUT": "soon"}, [], "NEWSPRISM_FETCH_TIMEOUT.*not a number"),
        ("", {"NEWSPRISM_FETCH_TIMEOUT": "nan"}, [], "not a finite number"),
        ("", {}, ["fetch_retries"], "not key=value"),
        ("", {}, ["fetch_retries=-1"], "not a whole number"),
        ("", {}, ["nope=1"], "unknown setting 'nope' in --set"),
    ],
)
def test_bad_keys_and_values_are_one_line_errors(
    tmp_path: Path, toml: str, environ: dict[str, str], overrides: list[str], message: str | None
) -> None:
    (tmp_path / "newsprism.toml").write_text(toml)
    if message is None:  # a list of numbers reads as strings: addresses are text
        settings, _ = load_settings(directory=tmp_path, environ=environ, overrides=overrides)
        assert settings.allow_hosts == ("1", "2")
        return
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(directory=tmp_path, environ=environ, overrides=overrides)
    assert "\n" not in str(caught.value)
