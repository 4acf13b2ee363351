"""`FastAttributeRuler` gives exactly what the model's own attribute ruler gives.

The model's ruler (spaCy's Matcher) is the reference: both run on the same tagged and parsed
Docs, and every token's part of speech, morphology, lemma, dependency and tag must agree. The
texts are the bundled examples (real prose) and sentences written to hit the ruler's
exceptions (contractions, pronouns, "there is", auxiliaries, space tokens).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from newsprism.nlp._spacy import MODEL_PACKAGE, FastAttributeRuler, Pipeline, _faster

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXCEPTIONS = [
    "I'd say we're gonna win, y'all, but it ain't over and I won't go.",
    "There is a plan; there were two. Let's see what he'd have done if she had known.",
    "Something happened to anybody who did it. They've been here and it's been there since.",
    "Her book and his are theirs, not ours.  We can't, couldn't, shouldn't and mustn't.\n\nOK.",
    "That is the one that they chose, whether or not it was what we did.",
    "Nothin' doin' — goin' somethin' 'nuff c'mon gotta 'em ol' 'll.",
]


@pytest.fixture(scope="module")
def model() -> Any:
    """A fresh copy of the packaged model, with spaCy's own attribute ruler."""
    return importlib.import_module(MODEL_PACKAGE).load()


def _texts() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLES.rglob("*.txt"))]
    assert texts, f"no example texts under {EXAMPLES}"
    return texts + EXCEPTIONS


def _attrs(doc: Any) -> list[tuple[str, ...]]:
    return [(t.text, t.pos_, str(t.morph), t.lemma_, t.dep_, t.tag_) for t in doc]


def test_same_output_as_the_models_attribute_ruler(model: Any) -> None:
    ruler = model.get_pipe("attribute_ruler")
    fast = FastAttributeRuler(ruler)
    with model.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(model.pipe(_texts()))
    n_tokens = 0
    for doc in docs:
        ours, theirs = fast(doc.copy()), ruler(doc.copy())
        assert _attrs(ours) == _attrs(theirs)
        n_tokens += len(doc)
    assert n_tokens > 1000
    assert fast._cache, "the signature cache was not used"


def test_the_loaded_english_pipeline_uses_it_with_the_same_parse(model: Any) -> None:
    nlp = Pipeline(MODEL_PACKAGE).nlp
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert nlp.pipe_names == model.pipe_names
    for ours, theirs in zip(nlp.pipe(_texts()), model.pipe(_texts()), strict=True):
        assert _attrs(ours) == _attrs(theirs)
        assert [(e.text, e.label_) for e in ours.ents] == [(e.text, e.label_) for e in theirs.ents]


def test_a_pattern_it_cannot_read_keeps_the_models_ruler() -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LENGTH": {">": 3}}]], {"NORM": "long"})
    with pytest.raises(ValueError, match="not supported"):
        FastAttributeRuler(ruler)
    assert _faster(nlp, "blank-test") is nlp
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


def test_later_patterns_win_and_matches_are_read_before_any_is_applied() -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "go"}]], {"POS": "VERB", "LEMMA": "first"})
    ruler.add([[{"LOWER": {"IN": ["go", "went"]}}]], {"LEMMA": "second"})
    # reads the tag the next pattern sets: spaCy matches on the tokens as they came in
    ruler.add([[{"TAG": "XX"}]], {"LEMMA": "never"})
    ruler.add([[{"LOWER": "went"}]], {"TAG": "XX"})
    ruler.add([[{"LOWER": "we"}, {"LOWER": {"REGEX": "^w"}}]], {"POS": "AUX"}, index=1)
    fast = FastAttributeRuler(ruler)
    ours, theirs = fast(nlp.make_doc("we go we went")), ruler(nlp.make_doc("we go we went"))
    assert _attrs(ours) == _attrs(theirs)
    assert [t.lemma_ for t in ours] == ["", "second", "", "second"]
    assert [t.pos_ for t in ours] == ["", "VERB", "", "AUX"]
