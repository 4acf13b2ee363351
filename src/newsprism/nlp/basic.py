"""The basic layer: what can be read honestly in a language we have no trained pipeline for.

* Sentences come from a blank multilingual spaCy pipeline's punctuation sentencizer
  (`_spacy.BLANK_PACKAGE`), split at paragraph breaks like every other language's.
* Quotes are found by punctuation alone, in every common convention (`marks.pair_marks`). A
  quote needs at least `_MIN_WORDS` words or a speaker; its speaker is a capitalised name
  right next to it (`„…“, sagte Olaf Scholz.`, `Tusk: „…”`), never a guess: no pronouns, no
  descriptions, no cue verbs (we do not know the language's verbs).
* Dates: dateparser's locale data (200+ languages) gives each language's month names with
  their inflections ("marca", "marcu"); a month name with a day or a year ("28. März 1926",
  "w marcu 2021") or a full numeric date ("25.01.2022") is a candidate, and dateparser reads
  its value in the article's language, a missing year from the article's date. Bare numbers,
  weekdays, "heute" and durations are left out: dateparser's `search_dates` over a whole
  text reads prices, scores and ages as years (on the German trafilatura-eval pages most of
  its finds were such numbers) and splits "28. März 2024" at the period.
* No entities, actors or events: the English model's entities on German or Polish text are
  noise, and an empty list says honestly that we did not look.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from functools import cache

from newsprism.budget import Budget
from newsprism.models import Paragraph, Quote, Sentence, Span, Speaker, TimeExpression
from newsprism.nlp.marks import pair_marks
from newsprism.nlp.quotes import _content_span, looks_like_caption, looks_like_headline

QUOTES = "quotes.basic.v1"
TIMES = "dates.basic.v1"
EXTRACTOR = f"{QUOTES}+{TIMES}"

_MIN_WORDS = 4  # a shorter quoted run without a speaker is a term, a title or a name
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
# a clause ends at sentence punctuation, but not at the period of a title ("Dr. Kirsten Nölke")
_CLAUSE_END = re.compile(
    r"(?<!\bDr)(?<!\bProf)(?<!\bMr)(?<!\bMs)(?<!\bSt)(?<!\bHr)(?<!\bFr)[.!?;:\n«»„“”\"]"
)
# Lower-case words that cannot be the speech verb between a quote and a name: articles,
# conjunctions and prepositions of the commonest languages ("», die Quarantäne sei …", "– denn
# Diebe trugen", "», mit Blick auf …").
_NOT_VERBS = frozenset(
    "der die das den dem des ein eine einen einem einer und oder denn aber also sondern nach "
    "mit im in am an zu zum zur von vom bei für auf aus über unter vor "
    "the a an and or but of to in on at with for by from as "
    "el la los las un una y o pero en con por para del al de "
    "le les une et ou mais avec pour par dans sur du des au aux "
    "il lo gli e i di da che per "
    "w z na do od po dla przez że oraz lub "
    "het een en of met van voor op".split()
)
_NAME_MAX = 4  # words in a name


def _run(clause: str, *, colon: bool = False) -> list[re.Match[str]] | None:
    """The name in `clause`, which starts right after the quote's separator or is the clause
    before an introducing colon: after one lower-case word (a verb: "sagte Olaf Scholz am …",
    not an article or conjunction), the 1-4 capitalised words that follow it; with no verb
    first, capitalised words that end the clause (", Tusk."). None when there is no such
    name. Before a colon (`colon`) the clause is the name and at most one verb after it
    ("Tusk powiedział:")."""
    words = list(_WORDS.finditer(clause))
    if not words or clause[: words[0].start()].strip():
        return None
    caps = [w.group()[0].isupper() for w in words]
    lo = 0 if caps[0] else 1
    if lo == 1 and words[0].group().lower() in _NOT_VERBS:
        return None
    hi = lo
    while (
        hi < len(words)
        and caps[hi]
        and hi - lo < _NAME_MAX
        and (hi == lo or not clause[words[hi - 1].end() : words[hi].start()].strip(" ."))
    ):
        hi += 1
    if hi == lo or (lo == 1 and clause[words[0].end() : words[1].start()].strip()):
        return None
    if colon:
        if words[0].group().lower() in _NOT_VERBS:
            return None  # "Und weiter:"
        return words[lo:hi] if lo == 0 and len(words) - hi <= 1 else None
    if lo == 0 and hi < len(words):
        return None  # ", Wettbewerb über …": a capitalised noun opening a clause, no verb
    return words[lo:hi]


def _speaker_near(text: str, open_at: int, close_end: int, lo: int, hi: int) -> Speaker | None:
    """A capitalised name right after the quote (", sagte Olaf Scholz.") or right before it,
    ending in a colon ("Tusk: „…”"), with at most one lower-case word (a verb) beside it;
    within the paragraph [lo, hi)."""
    tail = text[close_end:hi]
    sep = re.match(r"\s*(?:,|\s[–—-])\s+", tail)  # not "„…“-Wettbewerb"
    if sep is not None:
        end = _CLAUSE_END.search(tail, sep.end())
        clause = tail[sep.end() : end.start() if end else len(tail)]
        name = _run(clause)
        if name is not None:
            base = close_end + sep.end()
            return _named(text, base + name[0].start(), base + name[-1].end())
    head = text[lo:open_at].rstrip()
    if head.endswith(":"):
        cut = max(head.rfind(c, 0, len(head) - 1) for c in ".!?\n«»„“”")
        clause = head[cut + 1 : -1]
        name = _run(clause, colon=True)
        if name is not None:
            base = lo + cut + 1
            return _named(text, base + name[0].start(), base + name[-1].end())
    return None


def _named(text: str, start: int, end: int) -> Speaker:
    name = text[start:end]
    return Speaker(
        name=name, actor_id=None, span=Span(start, end), text=name, resolution="explicit"
    )


def basic_quotes(
    text: str,
    paragraphs: Sequence[Paragraph],
    sentence_starts: Sequence[int],
    *,
    budget: Budget | None = None,
) -> tuple[Quote, ...]:
    """Direct quotes by punctuation, with a speaker only where a name stands next to them."""
    pairs, _skipped = pair_marks(text, paragraphs)
    out: list[Quote] = []
    for mark in pairs:
        if budget is not None:
            budget.spend()
        para = paragraphs[mark.paragraph]
        line = text[para.span.start : para.span.end]
        if para.kind == "heading" or looks_like_headline(line) or looks_like_caption(line):
            continue
        span = _content_span(text, mark)
        if span is None:
            continue
        quoted = text[span.start : span.end]
        speaker = _speaker_near(
            text, mark.open, mark.close + mark.close_len, para.span.start, para.span.end
        )
        if speaker is None and len(quoted.split()) < _MIN_WORDS:
            continue
        out.append(
            Quote(
                span=span,
                text=quoted,
                kind="direct"
                if mark.close_len == 0 or len(quoted.split()) >= _MIN_WORDS
                else "partial",
                speaker=speaker,
                cue=None,
                cue_span=None,
                venue=None,
                time=None,
                sentence=max(0, bisect.bisect_right(sentence_starts, span.start) - 1),
                extractor=QUOTES,
            )
        )
    return tuple(out)


@cache
def _month_names(language: str) -> frozenset[str] | None:
    """Month names (all inflections dateparser knows) of `language`, or None if unknown."""
    from dateparser.languages.loader import LocaleDataLoader

    try:
        info = LocaleDataLoader().get_locale(language).info
    except (ValueError, KeyError, ImportError):
        return None
    months = "january february march april may june july august september october november december"
    return frozenset(
        str(name).casefold().rstrip(".")
        for key in months.split()
        for name in info.get(key, ())
        if len(str(name).rstrip(".")) >= 3
    )


_NUMERIC = re.compile(r"(?<![\d.,/-])(\d{1,2})([./])(\d{1,2})\2((?:1[89]|20)\d\d)(?![\d.,/-]?\d)")
_YEAR = r"(?:1[89]|20)\d\d"
_DAY = r"(?:[12]?\d|3[01])"


@cache
def _date_pattern(language: str) -> re.Pattern[str] | None:
    """ "28. März 2024", "w marcu 2021", "3 de marzo de 2024", "März 2024", "28 marca" in one
    language: a month name (any inflection dateparser lists) with a day or a year."""
    months = _month_names(language)
    if not months:
        return None
    names = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w.])(?:(?P<d1>{_DAY})\.?\s+(?:de\s+)?)?(?P<m>{names})"
        rf"(?:\s+(?P<d2>{_DAY})(?![\d.]\d)\.?)?(?:,?\s+(?:de\s+|del\s+)?(?P<y>{_YEAR}))?(?![\w])",
        re.I,
    )


def basic_dates(
    text: str,
    language: str | None,
    anchor: dt.date | None,
    sentence_starts: Sequence[int],
    *,
    budget: Budget | None = None,
) -> tuple[TimeExpression, ...]:
    """Calendar dates in `language`, read by dateparser (see the module docstring)."""
    pattern = _date_pattern(language) if language else None
    if pattern is None or language is None:
        return ()
    import dateparser

    base = dt.datetime.combine(anchor, dt.time()) if anchor else dt.datetime(2000, 1, 1)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    found: list[tuple[int, int, str, bool]] = []  # start, end, granularity, has a year
    for m in pattern.finditer(text):
        if budget is not None:
            budget.spend()
        day = m["d1"] or m["d2"]
        if not day and not m["y"]:
            continue  # a month name alone ("Mai" is also a name)
        if not m["y"] and anchor is None:
            continue  # no year and nothing to resolve it against
        found.append((m.start(), m.end(), "D" if day else "M", bool(m["y"])))
    for m in _NUMERIC.finditer(text):
        found.append((m.start(), m.end(), "D", True))
    found.sort()
    out: list[TimeExpression] = []
    taken = 0
    upper = (anchor.year if anchor else dt.date.today().year) + 5
    for start, end, gran, has_year in found:
        if start < taken:
            continue
        if budget is not None:
            budget.spend()
        surface = text[start:end]
        try:
            when = dateparser.parse(surface, languages=[language], settings=settings)
        except (ValueError, OverflowError, TypeError):
            when = None
        if when is None or not 1800 <= when.year <= upper:
            continue
        taken = end
        value = when.date().isoformat() if gran == "D" else f"{when.year:04d}-{when.month:02d}"
        out.append(
            TimeExpression(
                span=Span(start, end),
                text=surface,
                type="DATE",
                value=value,
                anchor=None if has_year or anchor is None else anchor.isoformat(),
                sentence=max(0, bisect.bisect_right(sentence_starts, start) - 1),
                extractor=TIMES,
            )
        )
    return tuple(out)


def annotate_basic(
    text: str,
    paragraphs: Sequence[Paragraph],
    language: str | None,
    anchor: dt.date | None,
    sentences: Sequence[Sentence],
    *,
    budget: Budget | None = None,
) -> tuple[tuple[Quote, ...], tuple[TimeExpression, ...]]:
    """Quotes and dates of an article read at the basic level."""
    starts = [s.span.start for s in sentences]
    times = basic_dates(text, language, anchor, starts, budget=budget)
    quotes = basic_quotes(text, paragraphs, starts, budget=budget)
    return quotes, times
