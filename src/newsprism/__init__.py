"""newsprism: many outlets' coverage of a story, turned into one sourced picture."""

from newsprism.api import analyze, analyze_text, extract
from newsprism.errors import NewsprismError
from newsprism.models import (
    Actor,
    Article,
    ArticleAnalysis,
    Brief,
    BriefSection,
    BriefSentence,
    Citation,
    Copy,
    Document,
    Event,
    Feed,
    ForeignLine,
    Mention,
    Quote,
    Rejection,
    Result,
    Sentence,
    Span,
    Speaker,
    Story,
    StoryReport,
    TimeExpression,
)
from newsprism.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "ArticleAnalysis",
    "Brief",
    "BriefSection",
    "BriefSentence",
    "Citation",
    "Copy",
    "Document",
    "Event",
    "Feed",
    "ForeignLine",
    "Mention",
    "NewsprismError",
    "Quote",
    "Rejection",
    "Result",
    "Sentence",
    "Settings",
    "Span",
    "Speaker",
    "Story",
    "StoryReport",
    "TimeExpression",
    "__version__",
    "analyze",
    "analyze_text",
    "extract",
]
