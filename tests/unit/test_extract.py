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
