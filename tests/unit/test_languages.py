"""Per-language analysis without a model: levels, quote marks of every convention, the basic
layer's quotes and dates, French time expressions, and the pipeline chosen per language."""

from __future__ import annotations

import datetime as dt

import pytest

from newsprism import serde
from newsprism.api import extract
from newsprism.models import Article, ArticleAnalysis, Paragraph, Span, analysis_level_for
from newsprism.nlp._spacy import BLANK_PACKAGE, FRENCH_PACKAGE, MODEL_PACKAGE, package_for
from newsprism.nlp.basic import basic_dates, basic_quotes
from newsprism.nlp.fr.time import find_times_fr
from newsprism.nlp.marks import pair_marks

TUESDAY = dt.date(2026, 2, 12)  # a Thursday; "mardi dernier" is 10 February


@pytest.mark.parametrize(
    ("language", "level", "package"),
    [
        ("en", "full", MODEL_PACKAGE),
        (None, "full", MODEL_PACKAGE),
        ("fr", "full", FRENCH_PACKAGE),
        ("de", "basic", BLANK_PACKAGE),
        ("pl", "basic", BLANK_PACKAGE),
        ("uk", "basic", BLANK_PACKAGE),
    ],
)
def test_each_language_has_one_level_and_one_pipeline(
    language: str | None, level: str, package: str
) -> None:
    assert analysis_level_for(language) == level
    assert package_for(language) == package


def test_article_level_follows_its_language() -> None:
    german = extract(
        "Die Regierung hat am Dienstag neue Regeln für die Wirtschaft beschlossen, hieß es am "
        "Abend in Berlin. Die Opposition kritisierte die Entscheidung scharf."
    )
    assert isinstance(german, Article)
    assert german.language == "de"
    assert german.analysis_level == "basic"


def test_old_stored_analyses_read_as_full() -> None:
    article = extract(
        "The minister said on Tuesday that talks would resume in Geneva next week, and that "
        "both delegations had agreed on an agenda."
    )
    assert isinstance(article, Article)
    record = ArticleAnalysis(
        article=article,
        sentences=(),
        actors=(),
        mentions=(),
        quotes=(),
        time_expressions=(),
        events=(),
        analysis_level="basic",
    )
    data = serde.to_data(record)
    assert serde.load(ArticleAnalysis, data).analysis_level == "basic"
    del data["analysis_level"]  # a record stored before the field existed
    assert serde.load(ArticleAnalysis, data).analysis_level == "full"


def _quoted(text: str) -> list[str]:
    pairs, _ = pair_marks(text, [Paragraph(span=Span(0, len(text)))])
    return [text[p.open + p.open_len : p.close] for p in pairs]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er sagte: „Wir bleiben hier.“ Dann ging er.", ["Wir bleiben hier."]),
        ("Powiedział: „Nie ustąpimy”. Potem wyszedł.", ["Nie ustąpimy"]),
        ("Il a dit : « Nous restons. » Puis il est parti.", [" Nous restons. "]),
        ("Er schrieb »Das war alles« und lachte.", ["Das war alles"]),
        ("Hon sa ”vi stannar” igår.", ["vi stannar"]),
        ("Er sagte „das ‚kleine‘ Problem“ sei gelöst.", ["das ‚kleine‘ Problem"]),
        ("彼は「分かりました」と言った。", ["分かりました"]),
        ("C’est « l’homme d’aujourd’hui », dit-elle.", [" l’homme d’aujourd’hui "]),
        ("Ein „offener Satz ohne Ende.", []),
    ],
)
def test_quote_marks_pair_within_their_convention(text: str, expected: list[str]) -> None:
    assert _quoted(text) == expected


def _paragraphs(text: str) -> list[Paragraph]:
    out, start = [], 0
    for line in text.split("\n"):
        if line:
            out.append(Paragraph(span=Span(start, start + len(line))))
        start += len(line) + 1
    return out


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        (
            "„Wir werden die Ukraine weiter unterstützen“, sagte Olaf Scholz am Dienstag.",
            "Wir werden die Ukraine weiter unterstützen",
            "Olaf Scholz",
        ),
        (
            "Donald Tusk: „Polska nie zmieni swojego stanowiska w tej sprawie.”",
            "Polska nie zmieni swojego stanowiska w tej sprawie.",
            "Donald Tusk",
        ),
        (
            "„Das ist ein großer Fehler für uns alle“, sagte der Minister.",
            "Das ist ein großer Fehler für uns alle",
            None,  # no name next to it: no speaker is guessed
        ),
        (
            "„Das ist sehr gefährlich für uns alle“, die Quarantäne sei aber nötig.",
            "Das ist sehr gefährlich für uns alle",
            None,  # an article, not a verb, before the capitalised noun
        ),
        (
            "Sie schreiben eine „Geschichte für die ganze Nation“, mit Blick auf die Zukunft.",
            "Geschichte für die ganze Nation",
            None,
        ),
        (
            "„To był trudny dzień dla wszystkich”, powiedział Tusk.",
            "To był trudny dzień dla wszystkich",
            "Tusk",
        ),
    ],
)
def test_basic_quotes_take_only_an_adjacent_name(
    text: str, quote: str, speaker: str | None
) -> None:
    quotes = basic_quotes(text, _paragraphs(text), [0])
    assert [q.text for q in quotes] == [quote]
    assert (quotes[0].speaker.name if quotes[0].speaker else None) == speaker
    for q in quotes:
        assert text[q.span.start : q.span.end] == q.text


def test_basic_quotes_skip_short_terms_without_a_speaker() -> None:
    text = "Die Zeitung „Die Zeit“ nannte das „Zeitenwende“ im Bundestag."
    assert basic_quotes(text, _paragraphs(text), [0]) == ()


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "de",
            "Das Treffen fand am 28. März 2024 in Berlin statt.",
            [("28. März 2024", "2024-03-28")],
        ),
        ("de", "Seit Januar 2022 gilt die Regel.", [("Januar 2022", "2022-01")]),
        ("pl", "Ustawa weszła w życie w marcu 2021 roku.", [("marcu 2021", "2021-03")]),
        # no year: dateparser's latest such day before the article's date
        ("pl", "Spotkanie odbyło się 3 marca.", [("3 marca", "2025-03-03")]),
        ("de", "Der Vertrag vom 25.01.2022 läuft aus.", [("25.01.2022", "2022-01-25")]),
        # numbers, ages, prices and a month name alone are not dates
        ("de", "Die 16 Spieler zahlten 7,99 Euro im Mai und heute 20 Uhr.", []),
        ("xx", "Am 28. März 2024.", []),  # a language dateparser does not know: nothing
    ],
)
def test_basic_dates_are_conservative(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    times = basic_dates(text, language, TUESDAY, [0])
    assert [(t.text, t.value) for t in times] == expected
    for t in times:
        assert text[t.span.start : t.span.end] == t.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il est arrivé mardi dernier à Paris.", [("mardi dernier", "DATE", "2026-02-10")]),
        ("Le sommet aura lieu jeudi prochain.", [("jeudi prochain", "DATE", "2026-02-19")]),
        ("Le 3 mars 2025, il a parlé.", [("3 mars 2025", "DATE", "2025-03-03")]),
        ("Le 1er janvier, tout change.", [("1er janvier", "DATE", "2026-01-01")]),
        ("Ils se sont vus il y a deux jours.", [("il y a deux jours", "DATE", "2026-02-10")]),
        ("C'était l'an dernier.", [("l'an dernier", "DATE", "2025")]),
        ("L'année prochaine sera décisive.", [("L'année prochaine", "DATE", "2027")]),
        ("Hier, le ministre a parlé.", [("Hier", "DATE", "2026-02-11")]),
        ("Il partira demain matin.", [("demain matin", "TIME", "2026-02-13TMO")]),
        ("La semaine dernière, rien.", [("La semaine dernière", "DATE", "2026-W06")]),
        ("Il vit à Lyon depuis trois ans.", [("depuis trois ans", "DURATION", "P3Y")]),
        ("En mars 2024, la loi est passée.", [("mars 2024", "DATE", "2024-03")]),
        ("Elle est partie en 2019.", [("en 2019", "DATE", "2019")]),
        ("Les chiffres de mars sont bons.", []),
    ],
)
def test_french_times_resolve_against_the_article_date(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    got = find_times_fr(text, TUESDAY, [0])
    assert [(t.text, t.type, t.value) for t in got] == expected
    for t in got:
        assert text[t.span.start : t.span.end] == t.text


def test_french_relative_times_need_an_article_date() -> None:
    got = find_times_fr("Il est arrivé mardi dernier, le 3 mars 2025.", None, [0])
    assert [t.value for t in got] == ["2025-03-03"]
