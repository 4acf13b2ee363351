"""The brief on tiny hand-built articles (no model): attribution, flagged words, omissions."""

from __future__ import annotations

import pytest

from newsprism.brief import _WORD, according_to, build_brief, check_support
from newsprism.models import (
    Article,
    ArticleAnalysis,
    Brief,
    BriefSection,
    BriefSentence,
    Citation,
    FlaggedWord,
    Paragraph,
    Sentence,
    Span,
    Story,
    StoryReport,
)
from newsprism.render import brief_markdown, flag_segments, report_html


def _analysis(article_id: str, outlet: str, sentences: list[str]) -> ArticleAnalysis:
    """One article of body paragraphs, one sentence each (what the brief reads of it)."""
    text = ""
    paragraphs: list[Paragraph] = []
    parsed: list[Sentence] = []
    for i, part in enumerate(sentences):
        if text:
            text += "\n\n"
        span = Span(len(text), len(text) + len(part))
        text += part
        paragraphs.append(Paragraph(span=span))
        parsed.append(Sentence(span=span, text=part, paragraph=i))
    article = Article(
        id=article_id,
        raw_id=f"raw-{article_id}",
        url=None,
        outlet=outlet,
        title=None,
        text=text,
        paragraphs=tuple(paragraphs),
        published=None,
        published_source=None,
        published_granularity=None,
        language="en",
    )
    return ArticleAnalysis(
        article=article,
        sentences=tuple(parsed),
        actors=(),
        mentions=(),
        quotes=(),
        time_expressions=(),
        events=(),
    )


WALKOUT = "Dock workers in Lorvik walked off the job on Monday over a pay dispute with the port authority."
SHIPS = (
    "Dozens of cargo ships queued outside the Lorvik harbour on Monday as the dock strike began."
)
TALKS = "The mayor of Lorvik urged the union and the port authority to return to talks by Friday."


def _story(*analyses: ArticleAnalysis) -> Story:
    return Story(
        id="s1",
        article_ids=tuple(a.article.id for a in analyses),
        label="Lorvik strike",
        first_date=None,
        last_date=None,
    )


def _brief(*analyses: ArticleAnalysis) -> Brief:
    return build_brief(_story(*analyses), list(analyses))


def _section(brief: Brief, title: str) -> BriefSection | None:
    return next((s for s in brief.sections if s.title == title), None)


def _metadata(*analyses: ArticleAnalysis) -> frozenset[str]:
    return frozenset(w.lower() for a in analyses for w in _WORD.findall(a.article.label))


def _three() -> tuple[ArticleAnalysis, ArticleAnalysis, ArticleAnalysis]:
    a = _analysis(
        "a",
        "Harbour Post",
        [WALKOUT, "The port authority offered the dock workers a pay rise of four percent."],
    )
    b = _analysis(
        "b",
        "Coast Daily",
        [
            "Dock workers in Lorvik walked off the job on Monday in a pay dispute with the port "
            "authority.",
            SHIPS,
        ],
    )
    c = _analysis("c", "Lorvik Radio", [SHIPS.replace("Dozens of", "Many"), TALKS])
    return a, b, c


def test_omissions_are_shown_and_cited_to_the_claims_sources() -> None:
    a, b, c = _three()
    brief = _brief(a, b, c)
    # the walkout is carried by a and b (two of three): c leaves it out
    walkout = [o for o in brief.omissions if o.article_id == "c"]
    assert len(walkout) == 1
    assert set(walkout[0].claim.article_ids) == {"a", "b"}
    # the queue of ships is carried by b and c: a leaves it out
    assert {o.article_id for o in brief.omissions} == {"a", "c"}
    section = _section(brief, "Not reported by every source")
    assert section is not None
    line = next(s for s in section.sentences if s.text.startswith("Not in Lorvik Radio: "))
    assert "walked off the job" in line.text
    assert line.text.endswith("(reported by Harbour Post, Coast Daily)")
    assert {c.article_id for c in line.citations} == {"a", "b"}
    texts = {x.article.id: x.article.text for x in (a, b, c)}
    for s in section.sentences:
        assert check_support(s, metadata=_metadata(a, b, c))
        for cite in s.citations:
            assert texts[cite.article_id][cite.span.start : cite.span.end] == cite.text
    assert "## Not reported by every source" in brief_markdown(brief)


def test_two_sources_have_no_omissions() -> None:
    a, b, _c = _three()
    brief = _brief(a, b)
    assert brief.omissions == ()
    assert _section(brief, "Not reported by every source") is None


def test_single_source_sentences_say_who_reports_them() -> None:
    a, b, c = _three()
    brief = _brief(a, b, c)
    single = _section(brief, "Reported by only one source")
    assert single is not None
    by_source = {s.citations[0].article_id: s for s in single.sentences}
    talks = by_source["c"]
    # verbatim after the attribution, but for the lower-cased opening "The"
    assert talks.text == "According to Lorvik Radio, t" + TALKS[1:]
    assert talks.citations[0].text == TALKS
    for s in single.sentences:
        assert s.text.startswith("According to ")
        assert len(s.citations) == 1
        assert check_support(s, metadata=_metadata(a, b, c))
    # without the outlet's name as metadata, the attribution is an unsupported word
    assert not check_support(talks, metadata=frozenset())


@pytest.mark.parametrize(
    ("text", "common", "expected"),
    [
        ("The Kremlin confirmed it.", (), "According to X, the Kremlin confirmed it."),
        ("On Monday the strike began.", (), "According to X, on Monday the strike began."),
        # a name is never lower-cased
        ("New York officials met.", (), "According to X, New York officials met."),
        ("Peskov offered no details.", (), "According to X, Peskov offered no details."),
        # other words only when the story writes them in lower case (and never in a name)
        ("Officials met on Monday.", (), "According to X, Officials met on Monday."),
        ("Officials met on Monday.", ("officials",), "According to X, officials met on Monday."),
        ("US officials met.", ("us",), "According to X, US officials met."),
        ('"We will act," he said.', (), 'According to X, "We will act," he said.'),
        ("According to police, two died.", (), "X reports: According to police, two died."),
    ],
)
def test_according_to(text: str, common: tuple[str, ...], expected: str) -> None:
    attributed, at = according_to("X", text, common=frozenset(common) | frozenset({"on", "the"}))
    assert attributed == expected
    assert attributed[at + 1 :] == text[1:]


def test_loaded_words_are_flagged_where_they_stand() -> None:
    loaded = "Union leaders slammed the port authority for its stubborn refusal to negotiate."
    a = _analysis("a", "Harbour Post", [WALKOUT, loaded])
    b = _analysis("b", "Coast Daily", [WALKOUT.replace(" a pay", " their pay"), SHIPS])
    brief = _brief(a, b)
    flagged = [
        s
        for section in brief.sections
        if section.title != "How each source frames it"  # lists loaded words by design
        for s in section.sentences
        if "slammed" in s.text
    ]
    assert flagged, "the sentence with loaded words should be in the brief"
    for s in flagged:
        words = {(f.text, f.category) for f in s.flagged}
        assert ("slammed", "loaded_verb") in words
        for f in s.flagged:
            assert a.article.text[f.span.start : f.span.end] == f.text
            assert s.text[f.at.start : f.at.end].lower() == f.text.lower()
    # loaded wording is not a single source's "fact"
    single = _section(brief, "Reported by only one source")
    assert single is None or not any("slammed" in s.text for s in single.sentences)
    markdown = brief_markdown(brief)
    assert "“slammed”[loaded]" in markdown
    assert "slammed the port" not in markdown


def test_flag_segments_and_rendering() -> None:
    text = "According to X, ironically the deal held."
    start = text.index("ironically")
    sentence = BriefSentence(
        text=text,
        citations=(Citation(article_id="a", span=Span(0, 26), text="Ironically the deal held."),),
        flagged=(
            FlaggedWord(
                article_id="a",
                span=Span(0, 10),
                at=Span(start, start + 10),
                text="Ironically",
                category="stance_adverb",
            ),
        ),
    )
    assert flag_segments(sentence) == [
        ("According to X, ", None),
        ("ironically", sentence.flagged[0]),
        (" the deal held.", None),
    ]
    # a flag whose offsets do not hold its word is left unmarked, never misplaced
    wrong = BriefSentence(
        text=text, citations=sentence.citations, flagged=(sentence.flagged[0],) * 2
    )
    assert [t for t, f in flag_segments(wrong) if f] == ["ironically"]
    brief = Brief(
        story_id="s1",
        title="T",
        sections=(BriefSection(title="What happened", sentences=(sentence,)),),
        sources=(),
    )
    assert "- According to X, “ironically”[loaded] the deal held." in brief_markdown(brief)
    page = report_html([StoryReport(story=_story(), brief=brief)], {})
    assert "<span class=loaded" in page and "stance adverb" in page
    assert ">ironically</span><sup class=flag>loaded</sup> the deal held." in page
