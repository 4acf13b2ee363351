"""Group articles into stories, incrementally: each new article joins the most similar active
story (within a time window) or opens a new one.

Similarity = 0.6 x cosine of sublinear-tf x idf term vectors (idf over the candidates in the
window, so common news words weigh little) + 0.4 x cosine of canonical-actor counts. Pure
functions over plain features: the pipeline loads and saves them through the store.
Deterministic: the same articles in the same order give the same stories.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsprism.ids import hash_id
from newsprism.models import ArticleAnalysis, Story
from newsprism.settings import Settings

GROUPER = "stories.tfidf-actors.v1"

_WORD = re.compile(r"[^\W\d_][\w'’-]{2,}", re.UNICODE)
STOPWORDS = frozenset(
    """about above after again against all also although among and another any are around because
    been before being below between both but can cannot could did does doing down during each either
    even ever every few for from further had has have having her here hers herself him himself his how
    however into its itself just least less like made make many may might more most much must near
    neither never nevertheless new next not now off often once one only onto other others otherwise our
    ours ourselves out over own per perhaps rather really said same says say see seem seems several
    shall she should since some still such than that the their theirs them themselves then there these
    they this those though through thus too toward towards under until upon very via was way well were
    what whatever when where whether which while who whom whose why will with within without would yet
    you your yours the and told added also according stated according mr mrs ms year years day days
    week weeks month months time today yesterday tomorrow monday tuesday wednesday thursday friday
    saturday sunday first second last its it's we'll we're he's she's that's there's""".split()
)


@dataclass(frozen=True, slots=True)
class Features:
    """What grouping needs of one article: weighted terms, actor counts and a date."""

    article_id: str
    terms: Mapping[str, float]
    actors: Mapping[str, float]
    date: dt.date | None

    def to_data(self) -> dict[str, object]:
        return {
            "article_id": self.article_id,
            "terms": dict(self.terms),
            "actors": dict(self.actors),
            "date": self.date.isoformat() if self.date else None,
        }

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
        )


def _stem(word: str) -> str:
    for suffix in ("'s", "’s", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def article_features(analysis: ArticleAnalysis) -> Features:
    """Terms (title counted twice) and actor counts of an analysed article."""
    article = analysis.article
    counts: Counter[str] = Counter()
    text = ((article.title or "") + "\n") * 2 + article.text
    for m in _WORD.finditer(text.lower()):
        word = m.group(0).strip("'’-")
        if len(word) >= 3 and word not in STOPWORDS:
            counts[_stem(word)] += 1
    terms = {t: 1.0 + math.log(c) for t, c in counts.items()}
    actors: Counter[str] = Counter(m.actor_id for m in analysis.mentions)
    return Features(
        article_id=article.id,
        terms=terms,
        actors={a: 1.0 + math.log(c) for a, c in actors.items()},
        date=article.published,
    )


def _cosine(
    a: Mapping[str, float], b: Mapping[str, float], idf: Mapping[str, float] | None = None
) -> float:
    if not a or not b:
        return 0.0

    def w(vec: Mapping[str, float], key: str) -> float:
        return vec[key] * (idf.get(key, 1.0) if idf else 1.0)

    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(w(small, k) * w(large, k) for k in small if k in large)
    if dot == 0:
        return 0.0
    na = math.sqrt(sum(w(a, k) ** 2 for k in a))
    nb = math.sqrt(sum(w(b, k) ** 2 for k in b))
    return dot / (na * nb)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An active story as grouping sees it: summed member features and its dates."""

    story_id: str
    article_ids: tuple[str, ...]
    terms: Mapping[str, float]
    actors: Mapping[str, float]
    first_date: dt.date | None
    last_date: dt.date | None


def candidate_from(story_id: str, members: Sequence[Features]) -> Candidate:
    terms: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    for f in members:
        terms.update(f.terms)
        actors.update(f.actors)
    dates = [f.date for f in members if f.date]
    return Candidate(
        story_id=story_id,
        article_ids=tuple(f.article_id for f in members),
        terms={k: v / len(members) for k, v in terms.items()},
        actors={k: v / len(members) for k, v in actors.items()},
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
    )


def similarity(features: Features, candidate: Candidate, idf: Mapping[str, float]) -> float:
    return 0.6 * _cosine(features.terms, candidate.terms, idf) + 0.4 * _cosine(
        features.actors, candidate.actors
    )


def in_window(date: dt.date | None, candidate: Candidate, days: int) -> bool:
    if date is None or candidate.first_date is None or candidate.last_date is None:
        return True
    return (
        candidate.first_date - dt.timedelta(days=days)
        <= date
        <= candidate.last_date + dt.timedelta(days=days)
    )


def idf_over(features: Features, candidates: Sequence[Candidate]) -> dict[str, float]:
    """Smoothed idf of the new article's terms over the candidate stories (each story one document)."""
    n = len(candidates) + 1
    df: Counter[str] = Counter()
    for c in candidates:
        df.update(k for k in features.terms if k in c.terms)
    return {k: math.log((1 + n) / (1 + df[k] + 1)) + 1.0 for k in features.terms}


def assign_story(
    features: Features, candidates: Sequence[Candidate], *, settings: Settings = Settings()
) -> tuple[str | None, float]:
    """(story id to join, score), or (None, best score) when the article opens a new story."""
    active = [c for c in candidates if in_window(features.date, c, settings.story_window_days)]
    if not active:
        return None, 0.0
    idf = idf_over(features, active)
    scored = sorted(
        ((similarity(features, c, idf), c.story_id) for c in active), key=lambda x: (-x[0], x[1])
    )
    best_score, best_id = scored[0]
    if best_score >= settings.story_threshold:
        return best_id, best_score
    return None, best_score


def new_story_id(first_article_id: str) -> str:
    return "s" + hash_id("story", first_article_id, length=11)


def story_label(analyses: Sequence[ArticleAnalysis]) -> str:
    """Key actors and the main action, e.g. "France, Russia, Emmanuel Macron — consult"."""
    actor_counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for a in analyses:
        kinds = {x.id: x.kind for x in a.actors}
        for m in a.mentions:
            if kinds.get(m.actor_id) in ("person", "country", "organisation"):
                actor_counts[m.actor_id] += 1
                names[m.actor_id] = m.actor_name
    actions = Counter(e.action for a in analyses for e in a.events)
    top = [names[i] for i, _ in actor_counts.most_common(3)]
    label = (
        ", ".join(top)
        if top
        else (analyses[0].article.title or "untitled story")
        if analyses
        else "story"
    )
    if actions:
        label += f" — {actions.most_common(1)[0][0]}"
    return label


def make_story(story_id: str, analyses: Sequence[ArticleAnalysis]) -> Story:
    dates = [a.article.published for a in analyses if a.article.published]
    return Story(
        id=story_id,
        article_ids=tuple(a.article.id for a in analyses),
        label=story_label(analyses),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        method=GROUPER,
    )
