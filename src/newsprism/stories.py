"""Group articles into stories, incrementally: each new article joins the most similar active
story (within a time window) or opens a new one.

Features: sublinear term frequencies (1 + log count) of the stemmed content words of the title
(counted twice) and the text, plus number tokens ("263,000" -> "#263000", "3.6%" -> "#3.6%").
Canonical-actor counts are kept in `Features.actors` but are not in the similarity: on NeuS
triplets (bench/stories.py, train) a separate actor cosine merged unrelated stories that share
a leader ("Donald Trump" is in most US stories), and actor keys folded into the terms changed
nothing.

Similarity of an article to a story: 0.7 x the mean cosine between the article and each member
of the story (average link) + 0.3 x the best one (`MAX_LINK`), so a story is judged by all its
members but one close member still counts. Terms are weighted by a smoothed idf counted over the
member articles of the active candidates plus the new article, so common news words weigh
little and nothing outside the window is needed. Ten empty pseudo-documents (`IDF_PRIOR`) keep
a small window from punishing the words two articles share: with two articles and no prior, a
shared word weighs 1.0 and an unshared one 1.4, and the two seed articles scored 0.21. Only the
article's own terms get an exact idf (a term it lacks adds nothing to the dot product); a
member's other terms are weighted by the article's mean idf when its norm is taken, which keeps
a call at one set intersection per member instead of an idf for every word of the window.

Tuned on NeuS train only (bench/stories.py; left/center/right triplets, no dates), on
val-sized pools of 307 train stories. On three pools: BCubed F1 0.837 for average link, 0.835
single link, 0.829 the centroid; the 0.3 share of the best member and numbers add a little
(numbers +0.01 when clustering all at once, about nothing incrementally); 0.25 is the best
threshold (0.235 scores the same). On all eight pools this version scores 0.847 (v1: 0.43; the
TF-IDF average-link baseline, which sees the whole pool at once, 0.859). The remaining errors
are mostly neighbouring stories on one topic (two jobs reports, two stages of one trade war),
which only dates or meaning could separate.

Candidates (`StoryIndex`): the stories active in the window, with an inverted index from
term to stories. An article is scored exactly against the `story_candidates` (default 20)
stories that share most of its distinctive terms (see `StoryIndex`), not against every story,
and the idf comes from the window's document counts, so retrieval does not change the scores
of the stories it returns. On NeuS val (one pool, every story active) 20 candidates give the
same stories as scoring all of them, at 2,354 articles/s instead of 546; on the synthetic
stream of bench/stories_scale.py (2,000 articles) too, at 2.4 s per 1,000 instead of 52. Stories last dated two
windows before the newest article are dropped from the index; a story is scored on its
`MAX_MEMBERS` latest members.

Language: an article joins only a story in its own language (`Article.language`; unknown on
either side is allowed). The terms are language-specific words, and the one embedding model
packaged offline (all-MiniLM-L6-v2) is English-only, so nothing here could tell a French and an
English report of one event apart from two stories that share names; an outlet's articles in
another language form their own stories, and `newsprism merge` joins them by hand.

Deterministic: the same articles in the same order give the same stories (ties go to the
smaller story id; sums over term sets use `math.fsum`, so hash randomisation cannot change a
score). Order-dependence that remains: an article is compared only with the stories that exist
when it arrives, a story is never split or merged afterwards, and the idf grows with the
window, so early articles are judged on fewer documents. Feeding the same articles in another
order can therefore give other stories (bench/stories.py shuffles with a fixed seed).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from newsprism.ids import hash_id
from newsprism.models import ArticleAnalysis, Features, Story
from newsprism.settings import Settings

GROUPER = "stories.tfidf-avglink.v2"

_WORD = re.compile(r"[^\W\d_][\w'’-]{2,}", re.UNICODE)
# Numbers of two or more digits, with thousands separators, decimals and a percent sign.
_NUMBER = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?%?")
TITLE_WEIGHT = 2  # the title's terms are counted this many times
MAX_LINK = 0.3  # story score = (1 - MAX_LINK) x mean member cosine + MAX_LINK x best one
IDF_PRIOR = 10  # empty pseudo-documents added to the idf's document count
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


def _stem(word: str) -> str:
    for suffix in ("'s", "’s", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _numbers(text: str) -> list[str]:
    """Number tokens of two or more digits: "263,000" -> "#263000", "3.6%" -> "#3.6%"."""
    out = []
    for m in _NUMBER.finditer(text):
        token = m.group(0).rstrip(",").replace(",", "")
        if sum(ch.isdigit() for ch in token) >= 2:
            out.append("#" + token)
    return out


def _terms(text: str) -> list[str]:
    words = []
    for m in _WORD.finditer(text.lower()):
        word = m.group(0).strip("'’-")
        if len(word) >= 3 and word not in STOPWORDS:
            words.append(_stem(word))
    return words + _numbers(text)


def article_features(analysis: ArticleAnalysis) -> Features:
    """Terms (title counted twice, numbers included) and actor counts of an analysed article."""
    article = analysis.article
    counts: Counter[str] = Counter()
    title_terms = _terms(article.title or "")
    for _ in range(TITLE_WEIGHT):
        counts.update(title_terms)
    counts.update(_terms(article.text))
    terms = {t: 1.0 + math.log(c) for t, c in counts.items()}
    actors: Counter[str] = Counter(m.actor_id for m in analysis.mentions)
    return Features(
        article_id=article.id,
        terms=terms,
        actors={a: 1.0 + math.log(c) for a, c in actors.items()},
        date=article.published,
        language=article.language,
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """An active story as grouping sees it: its members' terms, squared norms, dates, language.

    `members` holds the terms of at most `MAX_MEMBERS` articles, the latest to join: a story
    of 500 articles is judged on its 64 latest (average link is linear in the members scored).
    """

    story_id: str
    article_ids: tuple[str, ...]
    members: tuple[Mapping[str, float], ...]
    sumsq: tuple[float, ...]
    first_date: dt.date | None
    last_date: dt.date | None
    language: str | None = None


MAX_MEMBERS = 64  # members of a story scored against a new article (the latest ones)


def _language(members: Sequence[Features]) -> str | None:
    """The story's language: the most common known language of its members (ties: smaller)."""
    counts = Counter(f.language for f in members if f.language)
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def candidate_from(story_id: str, members: Sequence[Features]) -> Candidate:
    dates = [f.date for f in members if f.date]
    scored = members[-MAX_MEMBERS:]
    return Candidate(
        story_id=story_id,
        article_ids=tuple(f.article_id for f in members),
        members=tuple(f.terms for f in scored),
        sumsq=tuple(math.fsum(v * v for v in f.terms.values()) for f in scored),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        language=_language(members),
    )


def shift(date: dt.date, days: int) -> dt.date:
    """`date` moved by `days`, kept inside the calendar (a year-1 or year-9999 date is legal)."""
    try:
        return date + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def in_window(date: dt.date | None, candidate: Candidate, days: int) -> bool:
    if date is None or candidate.first_date is None or candidate.last_date is None:
        return True
    return shift(candidate.first_date, -days) <= date <= shift(candidate.last_date, days)


def same_language(language: str | None, candidate: Candidate) -> bool:
    """An article joins only a story in its own language (unknown on either side: allowed)."""
    return language is None or candidate.language is None or language == candidate.language


def similarities(
    features: Features,
    candidates: Sequence[Candidate],
    *,
    df: Mapping[str, int] | None = None,
    n_docs: int | None = None,
) -> list[float]:
    """Average-link cosine of the article to each candidate (same order as `candidates`).

    idf(t) = ln((1 + N) / (1 + df(t))) + 1 over N documents, for the article's own terms
    (smoothed as in scikit-learn). Without `df`/`n_docs` the documents are the member
    articles of `candidates` plus the new article; a `StoryIndex` passes the counts of every
    article of its window instead (the same numbers when every active story is a candidate).
    A member's norm uses the exact idf on the terms it shares with the article and the
    article's mean idf on its other terms.
    """
    query = features.terms
    if not query or not candidates:
        return [0.0 for _ in candidates]
    keys = query.keys()
    counted: Counter[str] = Counter(keys)
    n = 1
    shared_by: list[list[set[str]]] = []
    for c in candidates:
        row = []
        for terms in c.members:
            shared = keys & terms.keys()
            if shared and df is None:
                counted.update(shared)
            row.append(shared)
        n += len(c.members)
        shared_by.append(row)
    if df is not None and n_docs is not None:
        n = n_docs + 1
        idf = {t: math.log((1 + n + IDF_PRIOR) / (2 + df.get(t, 0))) + 1.0 for t in query}
    else:
        idf = {t: math.log((1 + n + IDF_PRIOR) / (1 + counted[t])) + 1.0 for t in query}
    q_norm = math.sqrt(math.fsum((w * idf[t]) ** 2 for t, w in query.items()))
    typical = math.fsum(w * idf[t] for t, w in query.items()) / math.fsum(query.values())
    typical2 = typical * typical
    scores = []
    for c, row in zip(candidates, shared_by, strict=True):
        total = 0.0
        best = 0.0
        for terms, sumsq, shared in zip(c.members, c.sumsq, row, strict=True):
            if not shared:
                continue
            idf2 = {t: idf[t] * idf[t] for t in shared}
            dot = math.fsum(query[t] * terms[t] * idf2[t] for t in shared)
            norm2 = typical2 * sumsq + math.fsum(
                terms[t] * terms[t] * (idf2[t] - typical2) for t in shared
            )
            if norm2 > 0:
                cos = dot / (q_norm * math.sqrt(norm2))
                total += cos
                best = max(best, cos)
        mean = total / len(c.members) if c.members else 0.0
        scores.append((1 - MAX_LINK) * mean + MAX_LINK * best)
    return scores


def _best(
    features: Features,
    active: Sequence[Candidate],
    settings: Settings,
    df: Mapping[str, int] | None = None,
    n_docs: int | None = None,
) -> tuple[str | None, float]:
    if not active:
        return None, 0.0
    scored = sorted(
        zip(
            similarities(features, active, df=df, n_docs=n_docs),
            (c.story_id for c in active),
            strict=True,
        ),
        key=lambda x: (-x[0], x[1]),
    )
    best_score, best_id = scored[0]
    if best_score >= settings.story_threshold:
        return best_id, best_score
    return None, best_score


def assign_story(
    features: Features, candidates: Sequence[Candidate], *, settings: Settings = Settings()
) -> tuple[str | None, float]:
    """(story id to join, score), or (None, best score) when the article opens a new story.

    Scores every candidate in the time window and in the article's language (no retrieval).
    """
    return _best(features, _eligible(features, candidates, settings), settings)


def _eligible(
    features: Features, candidates: Sequence[Candidate], settings: Settings
) -> list[Candidate]:
    """The candidates in the article's time window and language."""
    return [
        c
        for c in candidates
        if in_window(features.date, c, settings.story_window_days)
        and same_language(features.language, c)
    ]


QUERY_TERMS = 24  # terms always looked up (those in the fewest stories)
POSTING_BUDGET = 1500  # then more terms while the (story) postings walked stay under this


class StoryIndex:
    """The active stories of a time window, with an inverted index for candidate retrieval.

    * `postings`: term -> {story id: how many of its members have the term}; `df`: term ->
      how many articles of the window have it; `n_docs`: articles in the window. The idf of
      `similarities` comes from these counts, so it does not depend on which stories were
      retrieved.
    * Retrieval (`settings.story_candidates` > 0): the article's terms, those in the fewest
      stories first, look up the stories that contain them: at least `QUERY_TERMS` terms, then
      more while the postings walked stay under `POSTING_BUDGET`. Each story gets
      sum(w_q(t) x idf(t)^2 x share of its members with t), and the `story_candidates` best
      (ties: smaller id) are scored exactly. Ordering by stories, not by articles (df), matters:
      a big story's own words are in many articles but few stories, and ordering by df let an
      article's one-off words crowd them out (bench/stories_scale.py: BCubed 0.833 vs 0.950
      for the exhaustive scan at 2k articles). Words in many stories are never walked, so a
      lookup costs a bounded number of postings, whatever the size of the store. With 0, every
      active story is scored (the exhaustive scan).
    * Eviction: `evict(before)` drops stories whose last date is before `before` (the caller
      passes the newest date seen minus two windows, so late articles still find their story).

    A plain, picklable value (dicts of strings and numbers): no global state, so a worker
    process can own one. Not thread-safe.
    """

    def __init__(self, settings: Settings = Settings()) -> None:
        self.settings = settings
        self.members: dict[str, list[Features]] = {}
        self.candidates: dict[str, Candidate] = {}
        self.postings: dict[str, dict[str, int]] = {}
        self.df: Counter[str] = Counter()
        self.n_docs = 0

    def __len__(self) -> int:
        return len(self.candidates)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self.candidates

    def add(self, story_id: str, *articles: Features) -> Candidate:
        """Add articles to a story (new or indexed); return the story's updated candidate."""
        members = self.members.setdefault(story_id, [])
        for features in articles:
            members.append(features)
            self.n_docs += 1
            for term in features.terms:
                self.df[term] += 1
                posting = self.postings.setdefault(term, {})
                posting[story_id] = posting.get(story_id, 0) + 1
        candidate = candidate_from(story_id, members)
        self.candidates[story_id] = candidate
        return candidate

    def remove(self, story_id: str) -> None:
        for features in self.members.pop(story_id, []):
            self.n_docs -= 1
            for term in features.terms:
                self.df[term] -= 1
                if self.df[term] <= 0:
                    del self.df[term]
                posting = self.postings.get(term)
                if posting is not None:
                    posting.pop(story_id, None)
                    if not posting:
                        del self.postings[term]
        self.candidates.pop(story_id, None)

    def evict(self, before: dt.date) -> int:
        """Drop the stories last dated before `before`; return how many were dropped."""
        old = [
            sid
            for sid, c in self.candidates.items()
            if c.last_date is not None and c.last_date < before
        ]
        for sid in old:
            self.remove(sid)
        return len(old)

    def _idf(self, term: str) -> float:
        return math.log((2 + self.n_docs + IDF_PRIOR) / (2 + self.df.get(term, 0))) + 1.0

    def retrieve(self, features: Features) -> list[Candidate]:
        """The stories worth scoring for this article (all of them when retrieval is off)."""
        limit = self.settings.story_candidates
        if limit <= 0 or len(self.candidates) <= limit:
            return list(self.candidates.values())
        present = [t for t in features.terms if t in self.postings]
        # the terms in the fewest stories first (a big story's own words are in many of its
        # articles but in few stories), until the posting budget is spent
        present.sort(key=lambda t: (len(self.postings[t]), t))
        scores: dict[str, float] = {}
        visited = 0
        for n, term in enumerate(present):
            posting = self.postings[term]
            if n >= QUERY_TERMS and visited + len(posting) > POSTING_BUDGET:
                break
            visited += len(posting)
            weight = features.terms[term] * self._idf(term) ** 2
            for sid, count in posting.items():
                scores[sid] = scores.get(sid, 0.0) + weight * count / len(self.members[sid])
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [self.candidates[sid] for sid, _ in best]

    def assign(
        self, features: Features, *, barred: Set[str] = frozenset()
    ) -> tuple[str | None, float]:
        """(story id to join, score) or (None, best score), as `assign_story` but retrieved."""
        found = [c for c in self.retrieve(features) if c.story_id not in barred]
        active = _eligible(features, found, self.settings)
        return _best(features, active, self.settings, self.df, self.n_docs)


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
    top: list[str] = []
    for actor_id, _ in sorted(actor_counts.items(), key=lambda kv: (-kv[1], names[kv[0]])):
        words = set(names[actor_id].split())
        # "Quillon" and "Quillon Systems" are one name in a label: keep the more frequent
        if not any(words <= set(t.split()) or set(t.split()) <= words for t in top):
            top.append(names[actor_id])
        if len(top) == 3:
            break
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
