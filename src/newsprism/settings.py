"""Every tunable setting in one table: name, default and what it does.

`Settings` is a frozen, picklable value passed to stage functions (no module-level state), so
the same stage runs unchanged in a worker process.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from difflib import get_close_matches
from pathlib import Path

from newsprism.errors import ConfigError


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    max_input_bytes: int = 20_000_000
    min_article_chars: int = 80
    story_window_days: int = 7
    story_threshold: float = 0.25
    story_candidates: int = 20
    brief_max_articles: int = 12
    nlp_batch_size: int = 16
    chunk_size: int = 256
    annotate_timeout: float = 30.0
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()
    fetch_timeout: float = 20.0
    fetch_retries: int = 2
    fetch_backoff: float = 1.0
    max_redirects: int = 5
    respect_robots: bool = True
    near_duplicate_threshold: float = 0.8


HELP: dict[str, str] = {
    "max_input_bytes": "Inputs larger than this are rejected (ingest.too_large).",
    "min_article_chars": "Clean text shorter than this is rejected (extract.too_short).",
    "story_window_days": "An article joins a story only if dated within this many days of it.",
    "story_threshold": "Minimum similarity for an article to join an existing story.",
    "story_candidates": "Stories scored per article, found through the inverted index of the window (0: score every active story).",
    "brief_max_articles": "The brief reads at most this many articles of a story.",
    "nlp_batch_size": "Articles per spaCy batch.",
    "chunk_size": "Articles a run takes through annotate and story assignment at a time (memory stays flat).",
    "annotate_timeout": "Seconds of work allowed per article in the annotate stage before it is rejected (annotate.timeout); checked by the rule loops and between parse chunks.",
    "allow_private": "Fetch URLs on loopback, private, link-local and metadata addresses (off: refused).",
    "allow_hosts": "Addresses or networks (CIDR) fetched even though private, e.g. an intranet server.",
    "fetch_timeout": "Seconds to wait for a server to connect or send data.",
    "fetch_retries": "Extra attempts after a network error, HTTP 429 or 5xx, with exponential backoff.",
    "fetch_backoff": "Seconds before the first retry; doubled for each further one.",
    "max_redirects": "Redirects followed per URL; each hop is checked against the address policy.",
    "respect_robots": "Honour robots.txt for our User-Agent before fetching a page.",
    "near_duplicate_threshold": "Estimated Jaccard similarity (word 5-grams) above which an article is a copy.",
}


def describe() -> list[tuple[str, str, str]]:
    """(name, default, help) for every setting, for `--help` texts and the docs."""
    defaults = Settings()
    return [(f.name, repr(getattr(defaults, f.name)), HELP[f.name]) for f in fields(Settings)]


# -- where settings come from ---------------------------------------------------------------
# Lowest to highest: the defaults above, `[tool.newsprism]` in ./pyproject.toml, ./newsprism.toml
# (or the file NEWSPRISM_CONFIG names), NEWSPRISM_<FIELD> environment variables, `--set
# key=value` on the command line, and last a command's own option (`--allow-private`).
CONFIG_FILE = "newsprism.toml"
ENV_PREFIX = "NEWSPRISM_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
# settings that must lie in [0, 1]; every other number must be >= 0 (>= 1 for these counts)
_FRACTIONS = {"story_threshold", "near_duplicate_threshold"}
_AT_LEAST_ONE = {
    "max_input_bytes",
    "story_window_days",
    "brief_max_articles",
    "nlp_batch_size",
    "chunk_size",
}


def _coerce(name: str, value: object, origin: str) -> object:
    """`value` (a TOML value, or a string from the environment or --set) as `name`'s type."""
    default = getattr(Settings(), name)
    where = f"setting {name} ({origin})"
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise ConfigError(f"{where}: {value!r} is not true or false")
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            number: float = value
        elif isinstance(value, str) and value.strip().lstrip("+").replace("_", "").isdigit():
            number = int(value.strip().replace("_", ""))
        else:
            raise ConfigError(f"{where}: {value!r} is not a whole number")
        return _in_range(name, int(number), where)
    if isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                raise ConfigError(f"{where}: {value!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ConfigError(f"{where}: {value!r} is not a finite number")
        return _in_range(name, number, where)
    # tuples of strings: a TOML list, or a comma-separated string
    items = [str(v) for v in value] if isinstance(value, list) else None
    if items is None and isinstance(value, str):
        items = [part for part in (p.strip() for p in value.split(",")) if part]
    if items is None or not all(isinstance(v, str) for v in items):
        raise ConfigError(f"{where}: {value!r} is not a list of strings")
    return tuple(items)


def _in_range(name: str, number: float, where: str) -> float:
    if name in _FRACTIONS and not 0 <= number <= 1:
        raise ConfigError(f"{where}: {number} is not between 0 and 1")
    if name in _AT_LEAST_ONE and number < 1:
        raise ConfigError(f"{where}: {number} must be at least 1")
    if number < 0:
        raise ConfigError(f"{where}: {number} must not be negative")
    return number


def _known(name: str, origin: str) -> str:
    key = name.strip().replace("-", "_")
    if key not in HELP:
        close = get_close_matches(key, list(HELP), n=1)
        hint = f" (did you mean {close[0]}?)" if close else " (see `newsprism config`)"
        raise ConfigError(f"unknown setting '{name}' in {origin}{hint}")
    return key


def _read_toml(path: Path, table: tuple[str, ...]) -> dict[str, object] | None:
    try:
        data: object = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    for key in table:
        data = data.get(key) if isinstance(data, dict) else None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [{'.'.join(table)}] is not a table")
    return data


def load_settings(
    *,
    directory: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Sequence[str] = (),
    options: Mapping[str, object] | None = None,
) -> tuple[Settings, dict[str, str]]:
    """The effective settings and where each came from ("default", a file, "env NAME",
    "--set", "option").

    `directory`: where pyproject.toml and newsprism.toml are looked for (default: the current
    directory). `overrides`: "key=value" strings from `--set`. `options`: a command's own
    options (None values are ignored).

    Raises:
        ConfigError: an unknown key, a bad value, a malformed file or `--set` item.
    """
    where = directory if directory is not None else Path.cwd()
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    sources = {f.name: "default" for f in fields(Settings)}

    def take(items: Mapping[str, object], origin: str) -> None:
        for name, value in items.items():
            key = _known(name, origin)
            values[key] = _coerce(key, value, origin)
            sources[key] = origin

    pyproject = where / "pyproject.toml"
    found = _read_toml(pyproject, ("tool", "newsprism"))
    if found is not None:
        take(found, f"{pyproject} [tool.newsprism]")
    config = (
        Path(env[ENV_PREFIX + "CONFIG"]) if env.get(ENV_PREFIX + "CONFIG") else where / CONFIG_FILE
    )
    found = _read_toml(config, ())
    if found is None and env.get(ENV_PREFIX + "CONFIG"):
        raise ConfigError(f"{ENV_PREFIX}CONFIG names {config}, which does not exist")
    if found is not None:
        take(found, str(config))
    for f in fields(Settings):
        name = ENV_PREFIX + f.name.upper()
        if name in env:
            take({f.name: env[name]}, f"env {name}")
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r} is not key=value (e.g. --set story_threshold=0.3)")
        take({key.strip(): text}, "--set")
    for name, option in (options or {}).items():
        if option is not None:
            values[name] = option
            sources[name] = "option"
    return Settings(**values), sources  # type: ignore[arg-type]
