import json
import pickle

import pytest

from newsprism import framing
from newsprism.framing import (
    FramingModel,
    fit_framing_model,
    fit_linear,
    is_biased,
    loaded_terms,
    quoted_ranges,
    sentence_role,
    sentence_tone,
    source_framing,
    stance_rule,
    tone_toward,
    voices,
)
from newsprism.models import (
    Article,
    ArticleAnalysis,
    Mention,
    Paragraph,
    Quote,
    Sentence,
    Span,
    Speaker,
)

# Seed 000 (commentary) and seed 004 (explainer), and plain wire-style reporting.
IRONICALLY = (
    "But ironically it's not necessarily for the sake of seeking to forge a peace deal in eastern "
    "European, but in reality toward ensuring the United States doesn't mediate something less "
    "than satisfactory to Ukraine and Europe."
)
MOCK = (
    "This is perhaps an opportunity for Trump to mock Macron some more, as has been his "
    "tendency lately."
)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        (IRONICALLY, "opinion"),
        (MOCK, "opinion"),
        (
            "It seems he's realized that the futile strategy of sitting on the diplomatic "
            "sidelines simply isn't working.",
            "opinion",
        ),
        (
            "Interestingly, some of these words of Macron are indicative of his approach to both "
            "the Greenland and Ukraine war situation.",
            "opinion",
        ),
        ("Why it matters (analysis)", "opinion"),
        ("Is this really what Europe needs?", "opinion"),
        ("We should not let the Kremlin dictate the terms.", "opinion"),
        ("The so-called peace plan is nothing more than a surrender.", "opinion"),
        ("Putin spokesman Dmitry Peskov told reporters on Tuesday.", "reporting"),
        (
            "French President Emmanuel Macron said that channels of discussion with Russia have "
            "been restored at a technical level.",
            "reporting",
        ),
        (
            "On 4 February 2026 reports emerged about a French diplomat's trip to Russia for "
            "technical-level talks.",
            "reporting",
        ),
        (
            "The central bank raised its main interest rate by a quarter point on Wednesday.",
            "reporting",
        ),
        ("The committee will meet on Thursday to discuss the budget.", "reporting"),
        # Quoted words are the speaker's: a quotation is reporting.
        ('"We should act now and we must not wait," the minister said.', "reporting"),
        # Obligation and first person inside reported speech are not the writer's.
        ("The minister said the government must act before the summit.", "reporting"),
        # An aphorism on what matters is the writer's analysis (seed 004's first line).
        (
            "In high diplomacy, it's not loud statements but quiet agreements that matter.",
            "opinion",
        ),
    ],
)
def test_sentence_role(text: str, role: str) -> None:
    assert sentence_role(text)[0] == role


def test_seed_000_loaded_terms_with_spans() -> None:
    role, terms = sentence_role(MOCK)
    assert role == "opinion"
    found = {(t.text, t.category) for t in terms}
    assert ("perhaps", "writer_hedge") in found
    assert ("mock", "loaded_verb") in found
    assert ("some more", "stance_phrase") in found
    for t in terms:
        assert MOCK[t.span.start : t.span.end] == t.text
        assert not t.quoted
    first = loaded_terms(IRONICALLY)
    assert [(t.text, t.category) for t in first][:2] == [
        ("ironically", "stance_adverb"),
        ("in reality", "stance_phrase"),
    ]


def test_reporting_sentence_has_no_loaded_terms() -> None:
    assert loaded_terms("Putin spokesman Dmitry Peskov told reporters on Tuesday.") == ()


def test_quoted_terms_are_flagged() -> None:
    text = 'Peskov said cutting contact is "absurd and dangerous for all sides."'
    terms = loaded_terms(text)
    assert terms, "expected the quoted evaluative word"
    assert all(t.quoted for t in terms)


def test_scare_quotes() -> None:
    text = 'It will not "rubber-stamp" any Ukraine peace agreement.'
    scare = [t for t in loaded_terms(text) if t.category == "scare_quote"]
    assert [t.text for t in scare] == ['"rubber-stamp"']
    attributed = 'It will not "rubber-stamp" any agreement, the minister said.'
    assert not [t for t in loaded_terms(attributed) if t.category == "scare_quote"]


def test_proper_names_are_not_loaded_words() -> None:
    # "Great" and "Garbage" are evaluative words, but here they are part of a name.
    text = "A chunk of the device broke off in the Great Pacific Garbage Patch in October."
    assert loaded_terms(text) == ()


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ('He said "yes" and left.', [(8, 13)]),
        ("He said “we are ready” and left.", [(8, 22)]),
        ("“We are ready", [(0, 13)]),
        ("we are ready,” he said.", [(0, 14)]),
        ('we are ready," he said.', [(0, 14)]),
        ("‘Woke’ is not a dirty word, the editor’s note says.", [(0, 6)]),
        ("The minister’s aides didn’t comment.", []),
    ],
)
def test_quoted_ranges(text: str, spans: list[tuple[int, int]]) -> None:
    assert [(s.start, s.end) for s in quoted_ranges(text)] == spans


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (IRONICALLY, "stance_adverb: ironically"),
        ("Perhaps the talks will fail.", "writer_hedge: perhaps"),
        ("Perhaps the talks will fail, the diplomat said.", None),
        ("Putin spokesman Dmitry Peskov told reporters on Tuesday.", None),
        ("Analysis: what it means", "analysis_label: analysis"),
        # "analysis" inside a long reporting sentence is not a label
        (
            "The ministry published an analysis of the grain exports on Monday, officials in "
            "Kyiv confirmed.",
            None,
        ),
        ("Why would anyone believe that?", "question"),
        ('"Why would anyone believe that?" he asked.', None),
        # the writer weighing what matters (seed 004's opening line), not a reported fact
        (
            "In high diplomacy, it's not loud statements but quiet agreements that matter.",
            "evaluative_frame: it's not … that matter",
        ),
        (
            "It is not the size of the army that counts, but its training.",
            "evaluative_frame: it's not … that counts",
        ),
        (
            "What really matters now is whether the ceasefire holds.",
            "evaluative_frame: what matters",
        ),
        ("All that matters to voters is the price of bread.", "evaluative_frame: all that matters"),
        # said by someone: reported speech; "matters" the noun; a plain relative clause
        ("Macron said it's not loud statements but quiet agreements that matter.", None),
        ("It is not clear that matters will improve before the vote.", None),
        ("The matter was referred to the court on Monday.", None),
        ("It was not the first time that votes were counted twice in the county.", None),
        ("Officials named the issues that matter to farmers in the new budget.", None),
    ],
)
def test_stance_rule(text: str, rule: str | None) -> None:
    assert stance_rule(text) == rule


@pytest.mark.parametrize(
    ("text", "biased"),
    [
        (
            "The radical leftist mob smeared the senator with vicious lies and hateful propaganda.",
            True,
        ),
        ("Trump slammed the bizarre, disgraceful hoax pushed by his hysterical critics.", True),
        ("The committee will meet on Thursday to discuss the budget.", False),
        ("The company reported quarterly revenue of $2.1 billion, up 4 percent.", False),
    ],
)
def test_is_biased(text: str, biased: bool) -> None:
    assert is_biased(text) is biased


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Macron won praise for a courageous and successful initiative.", 1),
        ("Trump mocked the disastrous, reckless plan.", -1),
        ("The talks were not successful.", -1),
        ("The summit was not a failure.", 1),
        ("The talks ended on Tuesday.", 0),
        # the quoted evaluation is the speaker's, not the outlet's
        ('Peskov called the move "illogical, counterproductive and harmful."', 0),
    ],
)
def test_sentence_tone_sign(text: str, sign: int) -> None:
    tone = sentence_tone(text)
    assert -1.0 <= tone <= 1.0
    assert (tone > 0) - (tone < 0) == sign


def test_sentence_tone_can_include_quotes() -> None:
    text = 'Peskov called the move "illogical, counterproductive and harmful."'
    assert sentence_tone(text, include_quotes=True) < 0


def test_tone_toward_actors() -> None:
    sentences = [
        "Macron won praise for a courageous and successful initiative.",
        "Trump mocked the disastrous, reckless plan.",
        "The talks ended on Tuesday.",
    ]
    tones = tone_toward(sentences, {"macron": [0, 2], "trump": [1], "nobody": [], "bad": [7]})
    assert tones["macron"] > 0
    assert tones["trump"] < 0
    assert "nobody" not in tones and "bad" not in tones
    # Macron's neutral sentence halves the mean of his two sentences
    assert tones["macron"] == pytest.approx(sentence_tone(sentences[0]) / 2)


def _speaker(name: str | None, actor_id: str | None) -> Speaker | None:
    if name is None:
        return None
    return Speaker(name=name, actor_id=actor_id, span=None, text=None, resolution="explicit")


def _quote(text: str, name: str | None, actor_id: str | None) -> Quote:
    return Quote(
        span=Span(0, len(text)),
        text=text,
        kind="direct",
        speaker=_speaker(name, actor_id),
        cue="said",
        cue_span=None,
        venue=None,
        time=None,
        sentence=0,
    )


def test_voices_and_shares() -> None:
    quotes = [
        _quote("one two three four five six", "Emmanuel Macron", "Q1"),
        _quote("one two", "Emmanuel Macron", None),  # same name, merged
        _quote("one two", "Dmitry Peskov", "Q2"),
        _quote("one two three four", None, None),
    ]
    result = voices(quotes)
    assert [(v.name, v.actor_id, v.quotes, v.words) for v in result] == [
        ("Emmanuel Macron", "Q1", 2, 8),
        ("(unattributed)", None, 1, 4),
        ("Dmitry Peskov", "Q2", 1, 2),
    ]
    assert sum(v.share for v in result) == pytest.approx(1.0)
    assert result[0].share == pytest.approx(8 / 14)
    assert voices([]) == ()


def _analysis() -> ArticleAnalysis:
    parts = [
        ("Macron resumes dialogue with Russia", True),
        (
            "French President Emmanuel Macron said talks with Russia resumed at a technical level.",
            False,
        ),
        ("Why it matters (analysis)", True),
        ("The channel is a tool for gathering information on prisoner exchanges.", False),
        ("Timeline", True),
        ("On 4 February 2026 a French diplomat travelled to Moscow.", False),
        ("Ironically, the reckless plan may fail.", False),
    ]
    text = ""
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    for i, (part, heading) in enumerate(parts):
        if text:
            text += "\n\n"
        span = Span(len(text), len(text) + len(part))
        text += part
        paragraphs.append(Paragraph(span=span, kind="heading" if heading else "body"))
        sentences.append(Sentence(span=span, text=part, paragraph=i, is_heading=heading))
    article = Article(
        id="a1",
        raw_id="r1",
        url=None,
        outlet="Example",
        title=parts[0][0],
        text=text,
        paragraphs=tuple(paragraphs),
        published=None,
        published_source=None,
        published_granularity=None,
        language="en",
    )
    mentions = []
    for name, actor in (("Macron", "macron"), ("Russia", "russia"), ("plan", "plan")):
        for sent in sentences[1:]:
            at = sent.text.find(name)
            if at >= 0:
                start = sent.span.start + at
                mentions.append(
                    Mention(
                        span=Span(start, start + len(name)),
                        text=name,
                        actor_id=actor,
                        actor_name=name,
                        kind="person",
                    )
                )
    quote_text = "talks with Russia resumed at a technical level"
    q_start = text.index(quote_text)
    quote = Quote(
        span=Span(q_start, q_start + len(quote_text)),
        text=quote_text,
        kind="indirect",
        speaker=_speaker("Emmanuel Macron", "macron"),
        cue="said",
        cue_span=None,
        venue=None,
        time=None,
        sentence=1,
    )
    return ArticleAnalysis(
        article=article,
        sentences=tuple(sentences),
        actors=(),
        mentions=tuple(mentions),
        quotes=(quote,),
        time_expressions=(),
        events=(),
    )


def test_source_framing() -> None:
    analysis = _analysis()
    result = source_framing(analysis)
    roles = [(f.sentence, f.role, f.rule) for f in result.sentences]
    assert roles[1][1] == "reporting"
    assert roles[2] == (2, "opinion", "analysis heading")
    assert roles[3][1] == "opinion"  # the body under the analysis heading
    assert roles[5][1] == "reporting"  # "Timeline" ends the analysis section
    assert roles[6][1:] == ("opinion", "stance_adverb: ironically")
    # 4 body sentences, 2 of them opinion/analysis
    assert result.opinion_share == pytest.approx(0.5)
    text = analysis.article.text
    for f in result.sentences:
        assert text[f.span.start : f.span.end] == analysis.sentences[f.sentence].text
        for t in f.loaded_terms:
            assert text[t.span.start : t.span.end] == t.text
    assert ("ironically", 1) in result.loaded_terms
    tones = {t.actor_id: t for t in result.tone}
    assert tones["plan"].tone < 0
    assert tones["macron"].sentences == 1
    assert [v.name for v in result.voices] == ["Emmanuel Macron"]
    assert pickle.loads(pickle.dumps(result)) == result


def test_model_pickles_and_round_trips() -> None:
    model = framing.MODEL
    again = pickle.loads(pickle.dumps(model))
    assert again.bias.weights == model.bias.weights
    assert FramingModel.from_json(json.loads(json.dumps(model.to_json()))) == again
    assert model.bias.weights, "the shipped rules are weights over lexicon categories"
    assert model.about == "lexicon rules (no training data)" and not model.loaded


def test_fit_linear_separates_a_toy_problem() -> None:
    rows = [{"u:good": 1.0}, {"u:good": 1.0}, {"u:bad": 1.0}, {"u:bad": 1.0}] * 5
    labels = [1, 1, 0, 0] * 5
    model = fit_linear(rows, labels, l2=1.0, min_count=1)
    assert model.score({"u:good": 1.0}) > 0.8
    assert model.score({"u:bad": 1.0}) < 0.2
    with pytest.raises(ValueError):
        fit_linear([], [])


def test_fit_framing_model_learns_marked_words() -> None:
    texts = [
        "The senator gave a blistering speech.",
        "The senator gave a speech on Monday.",
        "A blistering attack on the plan.",
        "The plan was published on Monday.",
    ] * 5
    bias = [1, 0, 1, 0] * 5
    opinion: list[int | None] = [1, 0, None, 0] * 5
    marked = [["blistering"], [], ["blistering"], []] * 5
    model = fit_framing_model(texts, bias, opinion, marked, l2=1.0, min_count=1)
    assert model.loaded["blister"] == (10, 10)
    assert is_biased("Another blistering op-ed.", model)
    assert not is_biased("The report was published on Monday.", model)
    with pytest.raises(ValueError):
        fit_framing_model(texts, bias[:-1], opinion, marked)
