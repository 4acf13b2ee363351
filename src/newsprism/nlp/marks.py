"""Quote marks of every common convention, paired per paragraph: the language-independent part
of finding direct quotes, shared by the French rules and the basic layer.

An opening mark is closed only by a mark of its own convention: “…” (English, Dutch),
„…“ and „…” (German, Polish, Czech, Hungarian), «…» (French, Russian, Ukrainian), »…« and
»…» (German, Danish, Swedish), ”…” (Swedish, Finnish), ‚…‘ (German inner), ‹…›, 「…」 and
『…』 (Japanese, Chinese), and straight double quotes. Nested quotes (a quote inside a quote)
belong to the outer one. A mark left open at the end of its paragraph is skipped, unless it
opened the paragraph: then the quote runs to the paragraph's end (the convention for a quote
of several paragraphs). An apostrophe (’ between letters) never closes a quote.

English keeps its own pairing (`quotes.find_quote_marks`, tuned on PolNeAR) so its results
do not move.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsprism.models import Paragraph
from newsprism.nlp.quotes import _Marked

# opening mark -> the marks that close it
CONVENTIONS: dict[str, str] = {
    "“": "”",
    "„": "“”",
    "«": "»",
    "»": "«»",
    "”": "”",
    "‚": "‘’",
    "‹": "›",
    "「": "」",
    "『": "』",
    '"': '"',
}
_ALL_MARKS = re.compile(
    "[" + re.escape("".join(set(CONVENTIONS) | set("".join(CONVENTIONS.values())))) + "]"
)
_MAX_DEPTH = 3  # deeper nesting is a mis-read: marks past it are ignored


def pair_marks(
    text: str, paragraphs: Sequence[Paragraph], conventions: dict[str, str] = CONVENTIONS
) -> tuple[list[_Marked], int]:
    """Outermost quote-mark pairs per paragraph, and the number of marks left unpaired."""
    pairs: list[_Marked] = []
    skipped = 0
    for p_index, para in enumerate(paragraphs):
        stack: list[tuple[int, str]] = []  # (offset, opening mark)
        for found in _ALL_MARKS.finditer(text, para.span.start, para.span.end):
            pos, mark = found.start(), found.group()
            before = text[pos - 1] if pos > para.span.start else " "
            after = text[pos + 1] if pos + 1 < para.span.end else " "
            if mark == "’" and before.isalnum() and after.isalnum():
                continue  # an apostrophe (aujourd’hui)
            if stack and mark in conventions.get(stack[-1][1], ""):
                if mark == '"' and not before.strip():
                    pass  # a straight quote after a space opens (below), it does not close
                else:
                    start, _opener = stack.pop()
                    if not stack and pos > start + 1:
                        pairs.append(_Marked(start, pos, p_index))
                    continue
            if mark in conventions and len(stack) < _MAX_DEPTH:
                if mark in ('"', "”") and before.isalnum():
                    skipped += 1  # a closing (or inch) mark right after a word opens nothing
                    continue
                stack.append((pos, mark))
            else:
                skipped += 1
        if stack:
            start = stack[0][0]
            if start == para.span.start:
                pairs.append(_Marked(start, para.span.end, p_index, 1, 0))
                skipped += len(stack) - 1
            else:
                skipped += len(stack)
    return pairs, skipped
