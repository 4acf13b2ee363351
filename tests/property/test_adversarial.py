"""No input stalls the annotate stage (issue 13).

Adversarial shapes go through the rules on a hand-built `Parse` (no model) and the work is
counted in operations (`newsprism.budget.Budget.ops`, spent by every rule loop): doubling the
input may at most multiply the count by 2.5. A quadratic loop doubles the count's growth
factor to about 4, so the bound fails it; `test_the_bound_catches_a_quadratic_loop` shows that
it does. Wall-clock caps are generous (minutes of headroom), never tight. The model tests run
the real Annotator on the shapes that were slow inside spaCy.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import time
from collections.abc import Callable

import pytest

import newsprism
from newsprism import errors, framing
from newsprism.budget import Budget, BudgetExceeded
from newsprism.models import Article, Rejection
from newsprism.nlp import AnnotationRejected, Annotator, annotate_parsed
from newsprism.nlp import quotes as quotes_module
from newsprism.nlp._spacy import chunk_bounds, defuse, merge_parses, straighten
from newsprism.nlp.parse import Entity, Parse, Token

LEAD = "Officials met in Geneva on Monday to discuss the ceasefire, a spokesman said.\n\n"
_TOKEN = re.compile(r"\w+|[^\w\s]")
_MONTHS = ("January", "March", "May", "July")


def hand_parse(text: str, *, chain: bool = False) -> Parse:
    """A crude parse: word/punctuation tokens, sentences split at full stops and line breaks,
    "said"/"says" a speech verb with the word before it as subject, capitalised runs as PERSON.
    Every other token hangs on the sentence's first token (`chain`: on the token before it, a
    tree as deep as the sentence is long)."""
    spans = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    bounds: list[tuple[int, int]] = []
    first = 0
    for i, (_start, _end, word) in enumerate(spans):
        line_break = i + 1 < len(spans) and "\n" in text[spans[i][1] : spans[i + 1][0]]
        if word == "." or line_break or i == len(spans) - 1:
            bounds.append((first, i + 1))
            first = i + 1
    sent_of = [0] * len(spans)
    for n, (a, b) in enumerate(bounds):
        for i in range(a, b):
            sent_of[i] = n
    tokens: list[Token] = []
    for i, (start, end, word) in enumerate(spans):
        a = bounds[sent_of[i]][0]
        low = word.lower()
        if low in ("said", "says"):
            pos, lemma, dep, head = "VERB", "say", "ROOT", i
        elif not word[0].isalnum():
            pos, lemma, dep, head = "PUNCT", word, "punct", a
        else:
            pos = "PROPN" if word[0].isupper() else "NOUN"
            lemma, dep, head = low, "dep", a
        nxt = spans[i + 1][2].lower() if i + 1 < len(spans) else ""
        if nxt in ("said", "says") and pos != "PUNCT":
            dep, head = "nsubj", i + 1
        elif chain and i > a and dep != "ROOT":
            head = i - 1
        if head == i and dep != "ROOT":
            dep = "ROOT"
        ent = "PERSON" if pos == "PROPN" else ""
        tokens.append(Token(i, start, end, word, lemma, pos, "NN", dep, head, ent, sent_of[i]))
    ents: list[Entity] = []
    i = 0
    while i < len(tokens):
        if tokens[i].ent:
            j = i
            while j + 1 < len(tokens) and tokens[j + 1].ent and j + 1 - i < 2:
                j += 1
            ents.append(
                Entity(
                    tokens[i].start,
                    tokens[j].end,
                    "PERSON",
                    text[tokens[i].start : tokens[j].end],
                    i,
                    j + 1,
                )
            )
            i = j + 1
        else:
            i += 1
    return Parse(text=text, tokens=tuple(tokens), sents=tuple(bounds), ents=tuple(ents))


def article_of(text: str, language: str = "en") -> Article:
    """The article of `text`, read as `language`: the shapes are synthetic, and py3langid
    reads many of them as Uzbek or Irish, which would send them to the basic layer."""
    got = newsprism.extract(text)
    assert not isinstance(got, Rejection), got
    return dataclasses.replace(got, language=language)


# name -> text of size n (n marks, pairs, dates, words ...)
SHAPES: dict[str, Callable[[int], str]] = {
    "unclosed_quotes": lambda n: LEAD + "He said" + "".join(f' "w{i}' for i in range(n)) + ".",
    "quote_marks_only": lambda n: LEAD + "He said " + '" ' * n + ".",
    "alternating_quotes": lambda n: LEAD + "".join(f"He said “a{i} ” b{i} " for i in range(n)),
    "straight_curly": lambda n: (
        LEAD + "He said " + " ".join(("“" if i % 2 else '"') + f"w{i}" for i in range(n))
    ),
    "one_line": lambda n: LEAD + " ".join(f"word{i} and" for i in range(n)),
    "nested_parens": lambda n: LEAD + "He said " + "(" * n + "x" + ")" * n + ".",
    "dates": lambda n: (
        LEAD
        + "Talks were held on "
        + "; ".join(f"{_MONTHS[i % 4]} {i % 28 + 1}, {1990 + i % 30}" for i in range(n))
        + "."
    ),
    "capitalised": lambda n: LEAD + " ".join(f"Alpha{i} Beta" for i in range(n)) + " said.",
    "colons_dashes": lambda n: LEAD + "He said: " + "a: b - c — " * n + ".",
    "many_speakers": lambda n: (
        LEAD + " ".join(f'Ann{i} said "we act{i}." He said "no{i}."' for i in range(n))
    ),
    "short_paragraphs": lambda n: LEAD + "".join(f'"He said{i}\n' for i in range(n)),
}


def ops(text: str, *, chain: bool = False, language: str = "en") -> int:
    article = article_of(text, language)
    budget = Budget()
    analysis = annotate_parsed(article, hand_parse(article.text, chain=chain), budget=budget)
    for q in analysis.quotes:
        assert article.text[q.span.start : q.span.end] == q.text
    return budget.ops


@pytest.mark.parametrize("language", ["en", "fr", "de"])  # English, French and basic rules
@pytest.mark.parametrize("chain", [False, True], ids=["flat", "deep"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_doubling_the_input_at_most_two_and_a_half_times_the_work(
    shape: str, chain: bool, language: str
) -> None:
    make = SHAPES[shape]
    small = ops(make(1000), chain=chain, language=language)
    large = ops(make(2000), chain=chain, language=language)
    assert small > 0
    assert large <= 2.5 * small, f"{shape}: {small:,} -> {large:,} operations"


def test_the_bound_catches_a_quadratic_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the cap on cues tried per quote, every quote of one long sentence looks at every
    # speech verb in it: the operation count must then grow about fourfold.
    make = SHAPES["alternating_quotes"]
    monkeypatch.setattr(quotes_module, "_NEAREST_CUES", 10**9)
    small, large = ops(make(500)), ops(make(1000))
    assert large > 3 * small


def test_ten_thousand_marks_and_a_megabyte_line_finish_in_generous_time() -> None:
    for text in (SHAPES["unclosed_quotes"](10_000), SHAPES["alternating_quotes"](10_000)):
        t0 = time.perf_counter()
        ops(text)
        assert time.perf_counter() - t0 < 120
    line = SHAPES["one_line"](100_000)  # about 1.1 MB on one line
    article = article_of(line)
    t0 = time.perf_counter()
    annotate_parsed(article, hand_parse(article.text))
    assert time.perf_counter() - t0 < 180


def test_a_budget_stops_the_rules_with_budget_exceeded() -> None:
    article = article_of(SHAPES["alternating_quotes"](2000))
    parse = hand_parse(article.text)
    with pytest.raises(BudgetExceeded):
        annotate_parsed(article, parse, budget=Budget(max_ops=10_000))
    with pytest.raises(BudgetExceeded):
        annotate_parsed(article, parse, budget=Budget(seconds=0.0))


def test_framing_is_linear_on_long_quoted_sentences() -> None:
    def work(n: int) -> float:
        article = article_of(SHAPES["unclosed_quotes"](n))
        analysis = annotate_parsed(article, hand_parse(article.text))
        t0 = time.perf_counter()
        framing.source_framing(analysis)
        return time.perf_counter() - t0

    work(500)  # warm up
    # quadratic before (4,000 marks: 2.8 s); a generous bound on the larger size alone
    assert work(8000) < 60


@pytest.mark.parametrize(
    "text",
    [
        "(" * 100,
        "a " + "“" * 40 + " b",
        "x" + "😀" * 50 + "y\n" + "-" * 33,
        "no runs here (just text) -- and dashes ---",
    ],
)
def test_defuse_keeps_length_and_every_other_character(text: str) -> None:
    safe = defuse(text)
    assert len(safe) == len(text)
    assert all(a == b or b == " " for a, b in zip(text, safe, strict=True))
    assert not re.search(r"[^\w\s]{33,}", safe)
    if not re.search(r"[^\w\s]{33,}", text):
        assert safe == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("O’Donnell said it wasn’t Cruz’s plan", "O'Donnell said it wasn't Cruz's plan"),
        # a ’ beside a space or punctuation may close a quotation: left as it is
        ("the ‘deal’ and the voters’ view", "the ‘deal’ and the voters’ view"),
        ("’90s, 5’ and ’", "’90s, 5’ and ’"),
        ("l’État and d’Alembert", "l'État and d'Alembert"),
    ],
)
def test_straighten_only_writes_apostrophes_inside_words(text: str, expected: str) -> None:
    assert straighten(text) == expected
    assert len(straighten(text)) == len(text)


def test_chunks_cover_the_text_and_cut_at_line_breaks() -> None:
    text = ("a paragraph of words. " * 30 + "\n") * 50
    bounds = chunk_bounds(text, 2000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(bounds))
    assert all(b - a <= 2000 for a, b in bounds)
    assert all(text[b - 1] == "\n" for _, b in bounds[:-1])
    one_word = "x" * 5000
    assert chunk_bounds(one_word, 2000) == [(0, 2000), (2000, 4000), (4000, 5000)]


def test_merged_chunk_parses_round_trip() -> None:
    text = LEAD + 'Ann Berg said "we will act." He said so.\n' * 20
    bounds = chunk_bounds(text, 300)
    merged = merge_parses(text, [(a, hand_parse(text[a:b])) for a, b in bounds])
    whole = hand_parse(text)
    assert [(t.start, t.end, t.text) for t in merged.tokens] == [
        (t.start, t.end, t.text) for t in whole.tokens
    ]
    assert all(text[t.start : t.end] == t.text for t in merged.tokens)
    assert all(merged.tokens[t.head].sent == t.sent for t in merged.tokens)
    assert all(text[e.start : e.end] == e.text for e in merged.ents)


# --------------------------------------------------------------------------- real model


def _round_trips(article: Article, got: object) -> None:
    assert not isinstance(got, Rejection), got
    for items in (got.sentences, got.mentions, got.quotes, got.time_expressions):  # type: ignore[attr-defined]
        for x in items:
            assert article.text[x.span.start : x.span.end] == x.text


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        LEAD + "(" * 32_000,
        LEAD + "He said " + "(" * 100_000 + "x" + ")" * 100_000 + ".",
        LEAD + "He said" + "".join(f' "w{i}' for i in range(2000)) + ".",
    ],
    ids=["32k_open_parens", "100k_nested_parens", "2k_unclosed_quotes"],
)
def test_the_annotator_finishes_pathological_text_and_spans_round_trip(text: str) -> None:
    article = article_of(text)
    t0 = time.perf_counter()
    got = next(iter(Annotator(timeout=None).annotate_or_reject([article])))
    assert time.perf_counter() - t0 < 120  # 88 s for the 32 KB run alone before
    _round_trips(article, got)


@pytest.mark.model
def test_a_text_over_max_length_is_rejected_before_any_work() -> None:
    article = article_of(LEAD + "word " * 220_000)  # 1.1 MB
    annotator = Annotator()
    t0 = time.perf_counter()
    got = next(iter(annotator.annotate_or_reject([article])))
    assert time.perf_counter() - t0 < 30
    assert isinstance(got, Rejection)
    assert got.stage == "annotate" and got.code == errors.R_TOO_LONG
    assert "E088" not in got.reason
    with pytest.raises(AnnotationRejected) as info:
        next(iter(annotator.annotate([article])))
    assert isinstance(info.value, ValueError)
    assert info.value.rejection.code == errors.R_TOO_LONG


@pytest.mark.model
def test_a_long_text_is_parsed_in_chunks_and_round_trips() -> None:
    article = article_of(LEAD + ('Ann Berg said "we will act now." The talks went on.\n' * 2500))
    assert len(article.text) > 100_000
    got = next(iter(Annotator(timeout=None).annotate_or_reject([article])))
    _round_trips(article, got)
    assert len(got.quotes) >= 2500  # type: ignore[union-attr]


@pytest.mark.model
def test_an_article_over_its_budget_becomes_an_annotate_timeout_rejection() -> None:
    ok = article_of(LEAD + "The talks went on. " * 20)
    slow = article_of(SHAPES["alternating_quotes"](3000))
    annotator = Annotator(timeout=0.0)
    got = list(annotator.annotate_or_reject([slow]))
    assert len(got) == 1 and isinstance(got[0], Rejection)
    assert got[0].code == errors.R_ANNOTATE_TIMEOUT and got[0].stage == "annotate"
    # a retry one article at a time answers from memory, and other articles still pass
    t0 = time.perf_counter()
    again = list(Annotator.annotate_or_reject(annotator, [slow]))
    assert again == got and time.perf_counter() - t0 < 1
    fine = list(Annotator(timeout=30.0).annotate_or_reject([ok]))
    assert not isinstance(fine[0], Rejection)
