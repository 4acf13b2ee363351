"""Build src/newsprism/nlp/data/countries.json from pycountry (pinned in the dev extra).

pycountry ships ISO 3166-1 (249 countries and territories: alpha-2 code, name, official name,
a common name for some) and, through its gettext locale files, the names translated by the
iso-codes project. It ships no capitals, demonyms or Wikidata ids: those are hand-written in
`nlp/gazetteer.py`. Run from the repository root:

    .venv/bin/python tools/build_gazetteer.py

The output is committed; nothing is read from pycountry at run time.
"""

from __future__ import annotations

import gettext
import json
from pathlib import Path

import pycountry

LANGUAGES = ("fr", "de", "ru", "uk")
OUT = Path(__file__).resolve().parents[1] / "src" / "newsprism" / "nlp" / "data" / "countries.json"
# The canonical English name where the ISO short name is not the one news uses.
CANONICAL = {
    "RU": "Russia",
    "US": "United States",
    "GB": "United Kingdom",
    "TR": "Turkey",
    "NL": "Netherlands",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "PS": "Palestine",
    "FM": "Micronesia",
    "VA": "Vatican City",
    "CZ": "Czech Republic",
}


def _usable(name: str) -> str | None:
    """A name as text writes it: ISO's inverted forms ("Korea, Republic of") are not."""
    name = name.strip()
    if not name or "," in name or "(" in name:
        return None
    return name


def main() -> None:
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in LANGUAGES
    }
    countries = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        english = [c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]
        canonical = CANONICAL.get(c.alpha_2) or _usable(getattr(c, "common_name", "") or "")
        canonical = canonical or _usable(c.name) or c.name.split(",")[0].strip()
        names: dict[str, list[str]] = {"en": []}
        for n in (canonical, *english):
            if n and (u := _usable(n)) and u not in names["en"]:
                names["en"].append(u)
        for lang, t in translations.items():
            got: list[str] = []
            for n in english:
                if n:
                    local = _usable(t.gettext(n))
                    if local and local != n and local not in got:
                        got.append(local)
            names[lang] = got
        countries.append({"iso": c.alpha_2, "name": canonical, "names": names})
    data = {
        "source": f"pycountry {pycountry.__version__ if hasattr(pycountry, '__version__') else ''}"
        " (ISO 3166-1 and the iso-codes translations), built by tools/build_gazetteer.py",
        "countries": countries,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(countries)} countries -> {OUT}")


if __name__ == "__main__":
    main()
