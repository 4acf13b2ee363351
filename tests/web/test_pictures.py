"""The SVG pictures and the snippet markup, without a browser: legends, canvases sized to their
labels, escaping."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from newsprism.store import HIT_END, HIT_START
from newsprism.web.pages import snippet_html
from newsprism.web.svg import (
    TimelinePoint,
    _text_w,
    agreement_matrix,
    coverage_bar,
    coverage_over_time,
    share_bars,
    timeline,
)

D = dt.date(2026, 2, 10)
LONG = "The Ministry of Foreign Affairs of the Republic of Valdoria and its Northern Provinces"


def _view(svg: str) -> tuple[float, float]:
    m = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert m
    return float(m.group(1)), float(m.group(2))


PICTURES = {
    "coverage": lambda: coverage_bar(
        [(LONG, 3), ("<b>Tarn</b>", 1)] + [(f"o{i}", 1) for i in range(9)]
    ),
    "over-time": lambda: coverage_over_time(
        [(D, LONG, 2), (D + dt.timedelta(days=3), "<b>Tarn</b>", 1), (D, "Kestrian Voice", 1)]
    ),
    "timeline": lambda: timeline(
        [TimelinePoint(date=D, label=LONG * 3, href="/a?x=1&y=2", sources=LONG)]
    ),
    "matrix": lambda: agreement_matrix(
        [(LONG * 2, "/a", [True, False]), ("short", "/b", [True, True])],
        ["[1] " + LONG, "[2] <b>Tarn</b>"],
    ),
    "bars": lambda: share_bars([(LONG, 0.5), ("Tarn", 1.0)], notes=["share of sentences"]),
}


@pytest.mark.parametrize("kind", list(PICTURES))
def test_every_picture_has_a_legend_and_escapes_its_text(kind: str) -> None:
    svg = PICTURES[kind]()
    assert svg.startswith("<svg") and '<g class="legend">' in svg
    assert "<b>" not in svg  # outlet and claim text is escaped
    assert "style=" not in svg and "<script" not in svg  # the CSP allows neither


@pytest.mark.parametrize("kind", ["coverage", "over-time", "timeline", "bars"])
def test_unrotated_labels_fit_their_canvas(kind: str) -> None:
    svg = PICTURES[kind]()
    width, height = _view(svg)
    for m in re.finditer(
        r'<text x="([\d.]+)" y="([\d.]+)"( text-anchor="end")?[^>]*>(.*?)</text>', svg
    ):
        x, y, end, body = float(m.group(1)), float(m.group(2)), m.group(3), m.group(4)
        text = re.sub(r"<title>.*?</title>|<[^>]+>", "", body)
        text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        w = _text_w(text, 12 if kind == "timeline" else 11)  # the CSS font sizes
        left, right = (x - w, x) if end else (x, x + w)
        assert left >= -0.5 and right <= width + 0.5, (text, left, right, width)
        assert 0 < y <= height, (text, y, height)


def test_the_matrix_leaves_room_for_its_rotated_column_labels() -> None:
    svg = PICTURES["matrix"]()
    width, _ = _view(svg)
    cols = re.findall(r'translate\(([\d.]+),([\d.]+)\) rotate\(-45\)">(.*?)</text>', svg)
    assert len(cols) == 2
    for x, y, label in cols:
        reach = _text_w(label, 11) / 2**0.5
        assert float(x) + reach <= width and float(y) - reach >= 0


def test_coverage_over_time_draws_every_day_s_articles() -> None:
    svg = coverage_over_time([(D, "A", 2), (D, "B", 1), (D + dt.timedelta(days=2), "A", 1)])
    days = re.findall(r'data-date="([\d-]+)" data-articles="(\d+)"', svg)
    assert days == [("2026-02-10", "3"), ("2026-02-12", "1")]
    assert coverage_over_time([]).startswith("<p")


def test_snippet_markup_is_escaped_and_balanced() -> None:
    html = snippet_html(f"a <script>x</script> {HIT_START}hit{HIT_END} & {HIT_END}{HIT_START}b")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert html.count('<mark class="hit">') == html.count("</mark>") == 2
    assert '<mark class="hit">hit</mark>' in html
