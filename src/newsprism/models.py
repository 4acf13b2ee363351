"""Records that cross stage boundaries.

Frozen dataclasses only: no I/O, no spaCy, no JSON. Every extracted item carries the id of its
article, a `Span` of character offsets into `Article.text` and the versioned name of the
extractor that made it, so a citation always points at exact text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["file", "stdin", "document", "url", "feed", "warc"]
ParagraphKind = Literal["body", "heading", "blockquote", "attribution"]
DateSource = Literal["user", "metadata", "text", "embedded_post", "fetch_time"]
Granularity = Literal["day", "month", "year"]
ActorKind = Literal["person", "organisation", "country", "place", "group", "other"]
QuoteKind = Literal["direct", "partial", "block", "indirect"]
SpeakerResolution = Literal[
    "explicit", "title", "pronoun", "adjacency", "dash_line", "according_to", "label"
]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Modality = Literal["reported", "planned", "hypothetical", "denied", "alleged"]
AnalysisLevel = Literal["full", "basic"]

# Languages with a trained pipeline and their own rules ("full": entities, speakers, times,
# events); any other language gets the "basic" layer (sentences, quotes by punctuation,
# dates). An article whose language is unknown is read as English, as it always was.
FULL_ANALYSIS_LANGUAGES = ("en", "fr")
_LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "nl": "Dutch", "no": "Norwegian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian",
    "zh": "Chinese",
}  # fmt: skip


def analysis_level_for(language: str | None) -> AnalysisLevel:
    """ "full" for English (or an unknown language) and French, "basic" for any other."""
    return "full" if language is None or language in FULL_ANALYSIS_LANGUAGES else "basic"


def language_name(language: str | None) -> str:
    """An English name for a language code ("de" -> "German"); the code itself if unknown."""
    if language is None:
        return "unknown language"
    return _LANGUAGE_NAMES.get(language, language)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open character offsets `[start, end)` into a text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceHints:
    """Metadata the caller knows about an input; it wins over anything guessed."""

    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """Bytes exactly as received, with where they came from. Stored before any processing."""

    id: str
    source_kind: SourceKind
    locator: str
    fetched_at: dt.datetime
    content_type: str | None
    data: bytes = field(repr=False)
    hints: SourceHints = SourceHints()


@dataclass(frozen=True, slots=True)
class Feed:
    """An RSS/Atom feed to read (a URL or a file): every entry's article becomes an input."""

    location: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedState:
    """What we remember of a feed between polls: HTTP validators and how the last poll went."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_polled: dt.datetime | None = None
    last_error: str | None = None
    polls: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejection:
    """Why an input did not make it through a stage. Stored and shown, never silently dropped."""

    stage: str
    code: str
    reason: str
    locator: str = ""
    raw_id: str | None = None
    index: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    span: Span
    kind: ParagraphKind = "body"


@dataclass(frozen=True, slots=True, kw_only=True)
class Removal:
    """Boilerplate taken out of the source text before analysis (span into `Article.source_text`)."""

    span: Span
    text: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EmbeddedPost:
    """A social-media post embedded in an article, kept apart from the article's own text."""

    text: str
    author: str | None
    handle: str | None
    date: dt.date | None
    url: str | None
    span: Span  # into `Article.source_text`


@dataclass(frozen=True, slots=True, kw_only=True)
class ForeignLine:
    """A paragraph of `Article.text` in another language than the article's."""

    span: Span
    language: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Copy:
    """This article repeats an earlier one (a wire copy): not an independent source."""

    original_id: str
    kind: Literal["exact", "near"]
    similarity: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """Clean text and metadata of one news article."""

    id: str
    raw_id: str
    url: str | None
    outlet: str | None
    title: str | None
    text: str
    paragraphs: tuple[Paragraph, ...]
    published: dt.date | None
    published_source: DateSource | None
    published_granularity: Granularity | None
    language: str | None
    authors: tuple[str, ...] = ()
    embedded_posts: tuple[EmbeddedPost, ...] = ()
    removed: tuple[Removal, ...] = ()
    source_text: str = field(default="", repr=False)
    locator: str = ""
    extractor: str = ""
    foreign_lines: tuple[ForeignLine, ...] = ()
    duplicate: Copy | None = None

    @property
    def duplicate_of(self) -> str | None:
        """The id of the article this one copies, or None when it is an independent source."""
        return self.duplicate.original_id if self.duplicate else None

    @property
    def analysis_level(self) -> AnalysisLevel:
        """How deeply the annotator reads this article's language: "full" or "basic" (see
        `FULL_ANALYSIS_LANGUAGES`); the stored analysis records the level it was made at."""
        return analysis_level_for(self.language)

    @property
    def label(self) -> str:
        """A short human name: the outlet, else "unknown outlet (file.txt)" naming the source
        (a file name, "stdin", "document 3"), else "unknown outlet (<id>)".

        A file name is never presented as an outlet: the brief attributes claims by this
        label ("According to unknown outlet (000_1c75.txt), …").
        """
        if self.outlet:
            return self.outlet
        name = self.locator.rstrip("/").rsplit("/", 1)[-1].strip("<>") if self.locator else ""
        return f"unknown outlet ({name or self.id})"


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    span: Span
    text: str
    paragraph: int
    is_heading: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """A canonical actor: one person, organisation, country/government or place."""

    id: str
    name: str
    kind: ActorKind
    wikidata: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A stretch of article text that names an actor."""

    span: Span
    text: str
    actor_id: str
    actor_name: str
    kind: ActorKind
    role: str | None = None
    extractor: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Speaker:
    name: str
    actor_id: str | None
    span: Span | None
    text: str | None
    resolution: SpeakerResolution


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    span: Span
    text: str
    kind: QuoteKind
    speaker: Speaker | None
    cue: str | None
    cue_span: Span | None
    venue: str | None
    time: str | None
    sentence: int
    extractor: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression:
    """A TIMEX3-style time expression; `value` like 2025-12-19, 2026-02, P5Y, FUTURE_REF."""

    span: Span
    text: str
    type: TimexType
    value: str
    anchor: str | None
    sentence: int
    extractor: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Actor -> action -> target, with level, modality, date and evidence."""

    actor: str
    action: str
    target: str | None
    level: str | None
    modality: Modality
    date: str | None
    span: Span
    text: str
    sentence: int
    extractor: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleAnalysis:
    """Everything the annotate stage found in one article."""

    article: Article
    sentences: tuple[Sentence, ...]
    actors: tuple[Actor, ...]
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
    time_expressions: tuple[TimeExpression, ...]
    events: tuple[Event, ...]
    annotator: str = ""
    # "basic": sentences, quotes by punctuation and dates only (no entities, speakers from
    # names next to a quote, no events); see `FULL_ANALYSIS_LANGUAGES`
    analysis_level: AnalysisLevel = "full"


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """Articles from one or more outlets about one real-world development."""

    id: str
    article_ids: tuple[str, ...]
    label: str
    first_date: dt.date | None
    last_date: dt.date | None
    method: str = ""


@dataclass(frozen=True, slots=True)
class Features:
    """What grouping needs of one article: weighted terms, actor counts, a date, a language,
    and (when the multilingual encoder is installed) a unit vector of its title and lead
    (`encoder.py`), which is what lets it join a story in another language."""

    article_id: str
    terms: Mapping[str, float]
    actors: Mapping[str, float]
    date: dt.date | None
    language: str | None = None
    embedding: tuple[float, ...] | None = None

    def to_data(self) -> dict[str, object]:
        data: dict[str, object] = {
            "article_id": self.article_id,
            "terms": dict(self.terms),
            "actors": dict(self.actors),
            "date": self.date.isoformat() if self.date else None,
            "language": self.language,
        }
        if self.embedding is not None:
            from newsprism.encoder import pack

            data["embedding"] = pack(self.embedding)
        return data

    @staticmethod
    def from_data(data: Mapping[str, object]) -> Features:
        date = data.get("date")
        terms = data.get("terms")
        actors = data.get("actors")
        assert isinstance(terms, dict) and isinstance(actors, dict)
        return Features(
            article_id=str(data["article_id"]),
            terms={str(k): float(v) for k, v in terms.items()},
            actors={str(k): float(v) for k, v in actors.items()},
            date=dt.date.fromisoformat(date) if isinstance(date, str) else None,
            language=str(data["language"]) if data.get("language") else None,
            embedding=_unpack(data.get("embedding")),
        )


def _unpack(data: object) -> tuple[float, ...] | None:
    if not isinstance(data, str) or not data:
        return None
    from newsprism.encoder import unpack

    return unpack(data)


@dataclass(frozen=True, slots=True, kw_only=True)
class Outlet:
    """A registered outlet: its name, the web domains that are its (subdomains included), and
    what the user says of it. newsprism ships no leaning or ownership ratings: `leaning` and
    `owner` are only ever the user's own words."""

    name: str
    domains: tuple[str, ...]
    country: str | None = None
    language: str | None = None
    leaning: str | None = None
    owner: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreCounts:
    """How many of each record a store holds."""

    raw_documents: int
    articles: int
    analyses: int
    rejections: int
    stories: int
    briefs: int
    runs: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorSummary:
    """An actor as the store's actor table counts it: how often articles name it, and in how
    many articles."""

    name: str
    kind: ActorKind | None
    mentions: int
    articles: int


OverrideKind = Literal["together", "apart"]
IdKind = Literal["story", "article"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Override:
    """A manual correction between two articles: they belong together, or apart."""

    kind: OverrideKind
    a: str
    b: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryDigest:
    """What a list of stories shows of one, kept so a page costs O(page), not O(store).

    `members` keys it to the member list it was made from: any change of members makes it
    stale, and it is made again on the next read.
    """

    story_id: str
    members: str
    title: str
    outlets: tuple[tuple[str, int], ...]  # outlet label, articles; most first
    actors: tuple[tuple[str, int], ...]  # canonical actor, mentions; most first


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    article_id: str
    span: Span
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FlaggedWord:
    """A source's own loaded or evaluative word inside a brief sentence (framing's lexicon).

    The brief keeps the sentence verbatim and flags the word instead of adopting it: `span` is
    into the cited article's text (`article.text[span] == text`), `at` into the brief sentence's
    text (the same word; only its case can differ, at the start of an attributed sentence).
    """

    article_id: str
    span: Span
    at: Span
    text: str
    category: str  # "stance_adverb", "loaded_verb", "evaluative_negative", "scare_quote", ...


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefSentence:
    text: str
    citations: tuple[Citation, ...]
    flagged: tuple[FlaggedWord, ...] = ()  # loaded words of the sources, flagged, not adopted


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefSection:
    title: str
    sentences: tuple[BriefSentence, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceInfo:
    article_id: str
    label: str
    title: str | None
    url: str | None
    published: dt.date | None
    copy_of: str | None = None  # a syndicated copy: shown, not counted as a separate source


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRef:
    """One article's version of a statement: the quote at `index` of its analysis."""

    article_id: str
    index: int
    span: Span
    text: str
    kind: QuoteKind


@dataclass(frozen=True, slots=True, kw_only=True)
class WordingDifference:
    """Where one outlet's wording of a statement departs from the first outlet's."""

    article_id: str
    first: str  # the words in the group's first member
    other: str  # what this member has instead ('' when it leaves them out)


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteGroup:
    """The same utterance as carried by several articles (identical, partial or paraphrased)."""

    speaker: str | None
    members: tuple[QuoteRef, ...]
    differences: tuple[WordingDifference, ...] = ()

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.article_id for m in self.members))


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """One reported fact as the sources carry it: aligned sentences, one citation per source."""

    citations: tuple[Citation, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.article_id for c in self.citations))


@dataclass(frozen=True, slots=True, kw_only=True)
class Difference:
    """Where sources differ on one field of the same claim or statement.

    `label` is "conflicting" when both cannot be true (two dates for one event) and
    "compatible" when they can (a statement given to two newspapers); `reason` says which.
    """

    field: Literal["date", "number", "venue", "attribution", "wording"]
    label: Literal["compatible", "conflicting"]
    reason: str
    values: tuple[str, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Omission:
    """A source of the story that does not carry a claim most of the other sources carry."""

    article_id: str  # the source without the claim
    claim: Claim


@dataclass(frozen=True, slots=True, kw_only=True)
class Brief:
    story_id: str
    title: str
    sections: tuple[BriefSection, ...]
    sources: tuple[SourceInfo, ...]
    generator: str = ""
    quote_groups: tuple[QuoteGroup, ...] = ()
    claims: tuple[Claim, ...] = ()  # the claim x source matrix: each claim and who carries it
    differences: tuple[Difference, ...] = ()
    omissions: tuple[Omission, ...] = ()  # only with three or more independent sources


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryReport:
    """A story as returned by `analyze`: its members and its brief."""

    story: Story
    brief: Brief

    @property
    def id(self) -> str:
        return self.story.id

    @property
    def article_ids(self) -> tuple[str, ...]:
        return self.story.article_ids

    @property
    def label(self) -> str:
        return self.story.label


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """What `analyze` returns: accepted articles in input order, rejections, touched stories."""

    articles: tuple[Article, ...]
    rejections: tuple[Rejection, ...]
    stories: tuple[StoryReport, ...]
    analyses: tuple[ArticleAnalysis, ...] = ()
    accepted: int = 0  # articles accepted in all (`articles` may hold only a sample)
    rejected: int = 0
    touched: int = 0  # stories the run created or changed (`stories` may be empty)
    already_stored: int = 0  # of the accepted, articles the store held before this run


@dataclass(frozen=True, slots=True)
class Document:
    """An in-memory input: plain text or HTML (str or bytes), with what the caller knows of it."""

    text: str | bytes
    url: str | None = field(default=None, kw_only=True)
    outlet: str | None = field(default=None, kw_only=True)
    title: str | None = field(default=None, kw_only=True)
    published: dt.date | None = field(default=None, kw_only=True)
    content_type: str | None = field(default=None, kw_only=True)
