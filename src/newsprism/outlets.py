"""The outlet registry's pure part: checking outlets, reading `outlets.csv`, matching URLs.

An article belongs to a registered outlet when its URL's host is one of the outlet's domains
or a subdomain of one (`www.lemonde.fr` and `en.lemonde.fr` are `lemonde.fr`); the longest
matching domain wins. newsprism ships no leaning or ownership ratings: those columns hold only
what the user writes.

CSV columns (a header row is required; only `name` and `domains` must be filled):
`name, domains, country, language, leaning, owner` — `domains` separated by spaces, `;` or
`|` (a comma works too when the field is quoted).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsprism.errors import ConfigError
from newsprism.models import Outlet

if TYPE_CHECKING:  # the store imports this module's matching rules
    from newsprism.store import Store

CSV_COLUMNS = ("name", "domains", "country", "language", "leaning", "owner")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_DOMAIN_SPLIT = re.compile(r"[\s;|,]+")
MAX_TEXT = 200


def normalise_domain(text: str) -> str:
    """'https://www.LeMonde.fr/' -> 'lemonde.fr'; raises ConfigError on anything not a domain."""
    value = text.strip().lower()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    value = value.strip("/").rstrip(".")
    if value.startswith("www."):
        value = value[4:]
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError:
        raise ConfigError(f"'{text.strip()}' is not a domain (like lemonde.fr)") from None
    labels = value.split(".")
    if len(labels) < 2 or len(value) > 253 or not all(_LABEL.match(p) for p in labels):
        raise ConfigError(f"'{text.strip()}' is not a domain (like lemonde.fr)")
    return value


def _text(value: str | None, what: str) -> str | None:
    if value is None or not value.strip():
        return None
    cleaned = " ".join(value.split())
    if len(cleaned) > MAX_TEXT:
        raise ConfigError(f"{what} is longer than {MAX_TEXT} characters")
    return cleaned


def make_outlet(
    name: str,
    domains: Iterable[str],
    *,
    country: str | None = None,
    language: str | None = None,
    leaning: str | None = None,
    owner: str | None = None,
) -> Outlet:
    """A checked `Outlet` (domains normalised, country upper case, language lower case).

    Raises:
        ConfigError: an empty name, no domain, a domain that is not one, a country that is not
            two letters (ISO 3166-1), a language that is not two or three letters (ISO 639).
    """
    clean_name = _text(name, "the name")
    if clean_name is None:
        raise ConfigError("an outlet needs a name")
    clean = tuple(dict.fromkeys(normalise_domain(d) for d in domains if d.strip()))
    if not clean:
        raise ConfigError(f"outlet '{clean_name}' needs at least one domain (--domain lemonde.fr)")
    code = (country or "").strip().upper() or None
    if code is not None and not _COUNTRY.match(code):
        raise ConfigError(f"country '{country}' is not a two-letter code (FR, UA, US)")
    lang = (language or "").strip().lower() or None
    if lang is not None and not _LANGUAGE.match(lang):
        raise ConfigError(f"language '{language}' is not a two- or three-letter code (fr, uk)")
    return Outlet(
        name=clean_name,
        domains=clean,
        country=code,
        language=lang,
        leaning=_text(leaning, "the leaning"),
        owner=_text(owner, "the owner"),
    )


def read_outlets_csv(text: str) -> tuple[list[Outlet], list[str]]:
    """The outlets of a CSV text, and one line per bad row ("row 4: ...").

    A bad row never stops the others; a name given twice keeps its first row.

    Raises:
        ConfigError: no header, or a header without `name` and `domains`, or unknown columns.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or ()]
    if not header:
        raise ConfigError("the CSV is empty (it needs a header row: name,domains,country,...)")
    missing = [c for c in ("name", "domains") if c not in header]
    if missing:
        raise ConfigError(
            f"the CSV header lacks {', '.join(missing)} (columns: {', '.join(CSV_COLUMNS)})"
        )
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise ConfigError(
            f"unknown CSV column(s) {', '.join(unknown)} (columns: {', '.join(CSV_COLUMNS)})"
        )
    reader.fieldnames = header
    outlets: list[Outlet] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    domains_seen: dict[str, str] = {}
    for number, row in enumerate(reader, start=2):  # row 1 is the header
        if None in row:
            problems.append(f"row {number}: more fields than columns")
            continue
        values: Mapping[str, str | None] = row
        if not any((v or "").strip() for v in values.values()):
            continue
        try:
            outlet = make_outlet(
                values.get("name") or "",
                _DOMAIN_SPLIT.split(values.get("domains") or ""),
                country=values.get("country"),
                language=values.get("language"),
                leaning=values.get("leaning"),
                owner=values.get("owner"),
            )
        except ConfigError as exc:
            problems.append(f"row {number}: {exc.message}")
            continue
        if outlet.name in seen:
            problems.append(f"row {number}: '{outlet.name}' is already on row {seen[outlet.name]}")
            continue
        taken = next((d for d in outlet.domains if d in domains_seen), None)
        if taken is not None:
            problems.append(
                f"row {number}: domain {taken} already belongs to {domains_seen[taken]}"
            )
            continue
        seen[outlet.name] = number
        domains_seen.update(dict.fromkeys(outlet.domains, outlet.name))
        outlets.append(outlet)
    return outlets, problems


def host_of(url: str | None) -> str | None:
    """The lower-case host of a URL without a trailing dot (None: no URL or no host)."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


def domain_candidates(host: str) -> list[str]:
    """'a.b.lemonde.fr' -> ['a.b.lemonde.fr', 'b.lemonde.fr', 'lemonde.fr'] (longest first)."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def match_outlet(url: str | None, domains: Mapping[str, str]) -> str | None:
    """The registered outlet name for a URL, given domain -> outlet name (longest domain wins)."""
    host = host_of(url)
    if host is None:
        return None
    return next((domains[d] for d in domain_candidates(host) if d in domains), None)


def coverage(
    outlets: Sequence[Outlet], covering: Iterable[str]
) -> tuple[list[Outlet], list[Outlet]]:
    """The registered outlets that did and did not cover a story, given its articles' outlets."""
    names = set(covering)
    return [o for o in outlets if o.name in names], [o for o in outlets if o.name not in names]


def relabel_stored(store: Store) -> int:
    """Give every stored article whose URL is under a registered domain that outlet (what
    `outlets add` and `outlets import` do after registering); returns how many changed.

    An outlet the caller named at ingest (`--outlet`, a JSON record's "outlet") is kept, as
    it is at ingest. Changed articles' stories have their cached brief and digest dropped, so
    the next read attributes claims to the registered name.
    """
    domains = store.outlet_domains()
    if not domains:
        return 0
    moves: dict[str, list[str]] = {}
    for article_id, url in store.article_urls().items():
        name = match_outlet(url, domains)
        if name is None:
            continue
        article = store.get_article(article_id)
        if article is None or article.outlet == name:
            continue
        raw = store.get_raw(article.raw_id)
        if raw is not None and raw.hints.outlet:
            continue
        moves.setdefault(name, []).append(article_id)
    with store.transaction():
        return sum(store.set_outlet(ids, name) for name, ids in moves.items())
