import datetime as dt

import pytest

import newsprism
from newsprism.models import Article, Rejection

BODY = (
    "The talks resumed in Tarn on Tuesday after a long pause between the two governments. "
    "Officials said the first round went well and that more meetings were planned."
)


def _article(result: Article | Rejection) -> Article:
    assert isinstance(result, Article), result
    return result


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "extract.empty"),
        (b"   \n\t  ", "extract.empty"),
        (b"\x00\x01\x02binary\x00" * 50, "extract.binary"),
        (b"Too short.", "extract.too_short"),
        (b"<html><body><script>alert(1)</script></body></html>", "extract.no_text"),
    ],
)
def test_bad_input_is_rejected_with_a_reason(data: bytes, code: str) -> None:
    result = newsprism.extract(data)
    assert isinstance(result, Rejection)
    assert result.code == code and result.stage == "extract"
    assert result.reason and "\n" not in result.reason


def test_plain_text_title_heuristic_and_paragraphs() -> None:
    article = _article(
        newsprism.extract(f"Talks resume in Tarn\n\n{BODY}\n\nSecond paragraph is here, too.")
    )
    assert article.title == "Talks resume in Tarn"
    assert "Talks resume" not in article.text
    for p in article.paragraphs:
        assert article.text[p.span.start : p.span.end].strip()


def test_long_first_line_is_not_a_title() -> None:
    article = _article(newsprism.extract(BODY + "\n\nAnother paragraph follows."))
    assert article.title is None
    assert article.text.startswith("The talks resumed")


def test_caller_hints_win() -> None:
    article = _article(
        newsprism.extract(
            BODY, outlet="Harbor Ledger", url="https://example.org/a", published=dt.date(2026, 3, 3)
        )
    )
    assert (article.outlet, article.published, article.published_source) == (
        "Harbor Ledger",
        dt.date(2026, 3, 3),
        "user",
    )


def test_mis_encoded_cp1251_is_decoded() -> None:
    text = "Москва заявила, что переговоры возобновились во вторник после долгого перерыва между странами."
    article = _article(newsprism.extract((text + "\n\n" + text).encode("cp1251")))
    assert "переговоры" in article.text
    assert article.language == "ru"


def test_latin1_mislabelled_as_utf8_is_decoded() -> None:
    body = (
        "Le café de la gare a rouvert mardi; les élus ont salué une décision très attendue à Tarn. "
    )
    html = f"<html><head><meta charset='utf-8'><title>Café</title></head><body><article><p>{body * 3}</p></article></body></html>"
    article = _article(newsprism.extract(html.encode("latin-1"), content_type="text/html"))
    assert "café" in article.text and "élus" in article.text and "\ufffd" not in article.text


def test_utf8_with_a_stray_byte_stays_utf8() -> None:
    """Two bad bytes must not make us decode a whole UTF-8 page with a legacy codec."""
    text = "Über die Straße gingen die Bürger täglich, schön und grün, berichtete die Zeitung. " * 3
    article = _article(newsprism.extract(text.encode() + b"\xff\n\n" + text.encode()))
    assert "Straße" in article.text and "Bürger" in article.text


def test_foreign_language_paragraphs_are_flagged() -> None:
    russian = "Пресс-секретарь Кремля заявил журналистам, что переговоры будут продолжены на следующей неделе."
    article = _article(newsprism.extract(f"{BODY}\n\n{russian}\n\n{BODY}"))
    assert article.language == "en"
    (line,) = article.foreign_lines
    assert line.language == "ru" and article.text[line.span.start : line.span.end] == russian
    assert _article(newsprism.extract(f"{BODY}\n\n{BODY}")).foreign_lines == ()


def test_hostile_html_keeps_text_and_drops_script() -> None:
    html = (
        "<html><head><title>Talks</title><meta property='og:site_name' content='Meridian Wire'>"
        "<meta property='article:published_time' content='2026-03-12T09:30:00Z'></head><body>"
        "<nav>Home | World | Business</nav><article><h1>Talks resume</h1>"
        f'<p>{BODY}</p><script>alert(1)</script><p>More words <img src=x onerror="alert(2)"> here '
        "about the talks and the ministers who will meet again next month.</p></article>"
        "<footer>© 2026 Meridian Wire</footer></body></html>"
    )
    article = _article(newsprism.extract(html, content_type="text/html"))
    assert "alert" not in article.text and "onerror" not in article.text
    assert article.outlet == "Meridian Wire"
    assert article.published == dt.date(2026, 3, 12) and article.published_source == "metadata"
    assert "The talks resumed" in article.text


def test_same_bytes_same_id() -> None:
    a, b = newsprism.extract(BODY), newsprism.extract(BODY)
    assert isinstance(a, Article) and isinstance(b, Article) and a.id == b.id


def test_truncated_html_keeps_the_text_before_the_cut() -> None:
    html = (
        "<html><head><title>Talks resume</title></head><body><article>"
        f"<p>{BODY}</p><p>{BODY}</p><p>The third paragraph was cut off in the midd"
    )
    article = _article(newsprism.extract(html[: len(html) - 5], content_type="text/html"))
    assert "The talks resumed in Tarn on Tuesday" in article.text


def test_mixed_encodings_in_one_file_are_decoded_not_rejected() -> None:
    """UTF-8 with one cp1251 line: the UTF-8 majority wins, the odd bytes are replaced."""
    data = (BODY * 3).encode() + "\nМосква\n".encode("cp1251") + (BODY * 2).encode()
    article = _article(newsprism.extract(data))
    assert "The talks resumed in Tarn" in article.text


def test_a_tag_with_thousands_of_attributes_is_cut_before_any_parser() -> None:
    from newsprism.extract import tame_attributes

    many = " ".join(f'data-a{i}="v{i}"' for i in range(5000))
    page = f"<html><body><div {many} class='story' id=main>x</div><p>Body.</p></body></html>"
    tamed = tame_attributes(page)
    assert tamed.count("data-a") == 32 and "class='story'" in tamed and "id=main" in tamed
    assert tamed.endswith(">x</div><p>Body.</p></body></html>")
    ordinary = "<html><body><p class='a' id='b'>Body.</p></body></html>"
    assert tame_attributes(ordinary) is ordinary  # pages without a huge tag are untouched
    html = f"<html><head><title>Budget</title></head><body><div {many}>x</div><p>{'The council met on Monday and approved the budget. ' * 20}</p></body></html>"
    article = newsprism.extract(html.encode(), content_type="text/html")
    assert isinstance(article, Article) and article.text.startswith("The council met")
