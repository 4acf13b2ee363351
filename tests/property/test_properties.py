"""Properties: no stage raises on arbitrary input, offsets round-trip, the store round-trips."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsprism
from newsprism.clean import clean_text
from newsprism.models import Article, ArticleAnalysis, Rejection, Result
from newsprism.serde import load, to_data
from newsprism.timex import find_timexes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_extract_never_raises_on_bytes(data: bytes) -> None:
    assert isinstance(newsprism.extract(data), Article | Rejection)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_extract_never_raises_on_text_or_html(text: str) -> None:
    assert isinstance(newsprism.extract(text), Article | Rejection)
    assert isinstance(
        newsprism.extract(f"<html><body><p>{text}</p></body></html>"), Article | Rejection
    )


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=1500))
def test_clean_spans_point_into_source(text: str) -> None:
    cleaned = clean_text(text)
    for r in cleaned.removed:
        assert text[r.span.start : r.span.end] == r.text
    for p in cleaned.paragraphs:
        assert text[p.span.start : p.span.end].strip()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_timex_spans_round_trip(text: str) -> None:
    for t in find_timexes(text):
        assert text[t.start : t.end] == t.text


def _items(analysis: ArticleAnalysis) -> list[tuple[str, int, int, str]]:
    items = [("sentence", s.span.start, s.span.end, s.text) for s in analysis.sentences]
    items += [("mention", m.span.start, m.span.end, m.text) for m in analysis.mentions]
    items += [("quote", q.span.start, q.span.end, q.text) for q in analysis.quotes]
    items += [("time", t.span.start, t.span.end, t.text) for t in analysis.time_expressions]
    items += [("event", e.span.start, e.span.end, e.text) for e in analysis.events]
    for q in analysis.quotes:
        if q.speaker and q.speaker.span and q.speaker.text:
            items.append(("speaker", q.speaker.span.start, q.speaker.span.end, q.speaker.text))
    return items


@pytest.mark.model
def test_every_extracted_span_round_trips(seeds_result: Result, examples_result: Result) -> None:
    analyses = [*seeds_result.analyses, *examples_result.analyses]
    assert len(analyses) >= 13
    for analysis in analyses:
        text = analysis.article.text
        for kind, start, end, item_text in _items(analysis):
            assert text[start:end] == item_text, (kind, analysis.article.label)
        for r in analysis.article.removed:
            assert analysis.article.source_text[r.span.start : r.span.end] == r.text
    for result in (seeds_result, examples_result):
        texts = {a.id: a.text for a in result.articles}
        for story in result.stories:
            for section in story.brief.sections:
                for sentence in section.sentences:
                    for c in sentence.citations:
                        assert texts[c.article_id][c.span.start : c.span.end] == c.text


@pytest.mark.model
def test_records_survive_json_round_trip(seeds_result: Result) -> None:
    for analysis in seeds_result.analyses:
        data = json.loads(json.dumps(to_data(analysis)))
        assert load(ArticleAnalysis, data) == analysis
    for story in seeds_result.stories:
        assert load(type(story.brief), json.loads(json.dumps(to_data(story.brief)))) == story.brief
