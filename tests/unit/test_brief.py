"""The brief on tiny hand-built articles (no model): attribution, flagged words, omissions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsprism.brief import (
    _WORD,
    according_to,
    build_brief,
    check_support,
    is_fragment,
    whole_sentence,
)
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
from tests.golden.invariants import violations


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
    # in so short a story "What happened" already cites both claims, and no source sentence is
    # cited twice outside the Summary: the omissions stay in the brief's data only
    assert _section(brief, "Not reported by every source") is None
    assert violations(brief, [a, b, c]) == []
    # padded with other news, the omission line shows
    pad = [f"Officials in town {w} reported nothing new about the weather." for w in "xyzuvw"]
    a2 = _analysis("a", "Harbour Post", [*a.article.text.split("\n\n"), *pad[:3]])
    b2 = _analysis("b", "Coast Daily", [*b.article.text.split("\n\n")])
    c2 = _analysis("c", "Lorvik Radio", [*c.article.text.split("\n\n")])
    brief = _brief(a2, b2, c2)
    section = _section(brief, "Not reported by every source")
    lines = section.sentences if section else ()
    for line in lines:
        assert line.text.startswith("Not in ")
        assert check_support(line, metadata=_metadata(a2, b2, c2))
    assert violations(brief, [a2, b2, c2]) == []


def test_two_sources_have_no_omissions() -> None:
    a, b, _c = _three()
    brief = _brief(a, b)
    assert brief.omissions == ()
    assert _section(brief, "Not reported by every source") is None


def test_single_source_sentences_say_who_reports_them() -> None:
    a, b, c = _three()
    brief = _brief(a, b, c)
    # a one-source fact is listed once, attributed: under "What happened" or here
    sections = [_section(brief, t) for t in ("What happened", "Reported by only one source")]
    listed = [
        s
        for x in sections
        for s in (x.sentences if x else ())
        if len({c.article_id for c in s.citations}) == 1 and s.text.startswith("According to ")
    ]
    by_source = {s.citations[0].article_id: s for s in listed if s.citations[0].text == TALKS}
    talks = by_source["c"]
    # verbatim after the attribution, but for the lower-cased opening "The"
    assert talks.text == "According to Lorvik Radio, t" + TALKS[1:]
    assert talks.citations[0].text == TALKS
    for s in listed:
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


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("The strike began on Monday.", False),
        ("He said the strike would go on.", False),  # a pronoun opener is a whole sentence
        ("But the union refused the offer.", True),
        ("However, the union refused.", True),
        ("and then the talks broke down.", True),
        ("it is not working,” the mayor said.", True),
    ],
)
def test_is_fragment(text: str, fragment: bool) -> None:
    assert is_fragment(text) is fragment


def test_a_fragment_is_joined_to_the_sentence_before_it() -> None:
    first = "The port authority offered the dock workers a pay rise of four percent on Monday."
    second = "But the union said the offer was far too low for its members."
    a = _analysis("a", "Harbour Post", [WALKOUT])
    text = a.article.text + "\n\n" + first + " " + second
    start = len(a.article.text) + 2
    s1 = Sentence(span=Span(start, start + len(first)), text=first, paragraph=1)
    s2_start = start + len(first) + 1
    s2 = Sentence(span=Span(s2_start, s2_start + len(second)), text=second, paragraph=1)
    article = replace(
        a.article,
        text=text,
        paragraphs=(*a.article.paragraphs, Paragraph(span=Span(start, s2.span.end))),
    )
    a = replace(a, article=article, sentences=(*a.sentences, s1, s2))
    whole = whole_sentence(a, 2)
    assert whole is not None
    sentence, keys = whole
    assert sentence.text == first + " " + second and keys == {1, 2}
    assert text[sentence.span.start : sentence.span.end] == sentence.text
    brief = _brief(a)
    for section in brief.sections:
        if section.title == "How each source frames it":
            continue  # evidence for its counts, not a sentence of the brief
        for s in section.sentences:
            assert not s.citations[0].text.startswith("But"), s.text


def _with_paragraph(a: ArticleAnalysis, sentences: list[str]) -> ArticleAnalysis:
    """`a` with one more paragraph made of `sentences` (one space between them)."""
    start = len(a.article.text) + 2
    text = a.article.text + "\n\n" + " ".join(sentences)
    added, pos = [], start
    for k, t in enumerate(sentences):
        added.append(Sentence(span=Span(pos, pos + len(t)), text=t, paragraph=1))
        pos += len(t) + (1 if k < len(sentences) - 1 else 0)
    article = replace(
        a.article,
        text=text,
        paragraphs=(*a.article.paragraphs, Paragraph(span=Span(start, pos))),
    )
    return replace(a, article=article, sentences=(*a.sentences, *added))


def test_a_quotation_that_runs_on_is_joined_to_the_sentence_that_closes_it() -> None:
    opens = "On Tuesday the union leader said: “We will not accept this offer."
    inside = "Our members deserve better than that."
    closes = "We will strike until they listen,” she told reporters."
    a = _with_paragraph(_analysis("a", "Harbour Post", [WALKOUT]), [opens, inside, closes])
    for index in (1, 2):
        whole = whole_sentence(a, index)
        assert whole is not None
        sentence, keys = whole
        assert sentence.text == " ".join([opens, inside, closes]) and keys == {1, 2, 3}
        assert a.article.text[sentence.span.start : sentence.span.end] == sentence.text
    # a closed quotation stays one sentence
    plain = "The union leader said “no” to the offer on Tuesday."
    b = _with_paragraph(_analysis("b", "Harbour Post", [WALKOUT]), [plain, inside])
    assert whole_sentence(b, 1) == (b.sentences[1], frozenset({1}))
    # one that never closes in its paragraph cannot be made whole
    c = _with_paragraph(_analysis("c", "Harbour Post", [WALKOUT]), [opens, inside])
    assert whole_sentence(c, 1) is None


def test_check_support_reads_the_cited_span_word_by_word() -> None:
    cite = Citation(article_id="a", span=Span(0, 26), text="The software update failed")
    # "war" is inside "software" but is not a word of the span
    assert not check_support(BriefSentence(text="The war failed", citations=(cite,)))
    assert check_support(BriefSentence(text="The update failed", citations=(cite,)))
    # the span itself must say it: a citation whose text is not the article's text there fails
    texts = {"a": "The software update failed today."}
    ok = BriefSentence(text="The update failed", citations=(cite,))
    assert check_support(ok, texts=texts)
    assert not check_support(ok, texts={"a": "Something else entirely, not that update."})


def test_invariants_on_three_sources() -> None:
    a, b, c = _three()
    brief = _brief(a, b, c)
    assert violations(brief, [a, b, c]) == []
    claims = {frozenset(x.article_ids) for x in brief.claims if len(x.article_ids) > 1}
    assert claims == {frozenset({"a", "b"}), frozenset({"b", "c"})}
