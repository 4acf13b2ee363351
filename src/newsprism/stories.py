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

Language. Terms are language-specific words, so within a language the terms decide, as
above: an article is scored by terms against the members of a story in its own language (an
unknown language on either side counts as the same). Across languages an
article may join a story that has members in another language when three things hold: it is
in the story's time window, it names at least one canonical actor a member of the story names
(`Features.actors`: gazetteer names are one key in every language, "Macron" = "Emmanuel
Macron") or shares `CROSS_MIN_SHARED` terms with a member in the other language (names and
numbers survive translation; an article analysed at the basic level has no actors), and
its multilingual embedding (`encoder.py`: USE-multilingual v3 on the title and lead) scores at least `CROSS_THRESHOLD` against those members (0.7 x mean + 0.3 x best, as the
terms). A match by terms in the article's own language always wins over one across languages,
so a monolingual stream groups exactly as without the encoder. `CROSS_THRESHOLD` 0.7 was set
on NeuS train (bench/crossling.py) declared a bilingual stream (each article "en" or "xx" at
random, so half of a story's pairs must meet by embedding): BCubed F1 0.707 without the
encoder, 0.634 / 0.767 / 0.782 / 0.740 at 0.5 / 0.6 / 0.7 / 0.8 (BCubed P 0.852 at 0.7,
0.893 without the encoder); on one dense topic the embedding alone cannot tell
neighbouring stories apart (the nearest article of another story scores 0.62 at the median),
and translations score lower than English pairs (parallel sentences en-fr 0.78, en-de 0.77,
en-ru 0.83, en-uk 0.23: Ukrainian is not among the model's languages). Without the encoder
installed (no `Features.embedding`) grouping is monolingual, and `newsprism merge` joins by hand.
Candidates across languages come from an actor index (`StoryIndex`: actor -> stories), the
`CROSS_CANDIDATES` that share the article's rarest actors.

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

from newsprism import encoder
from newsprism.ids import hash_id
from newsprism.models import ArticleAnalysis, Features, Story
from newsprism.nlp.actors import slug, story_people
from newsprism.settings import Settings

GROUPER = "stories.tfidf-avglink.v3"

_WORD = re.compile(r"[^\W\d_][\w'’-]{2,}", re.UNICODE)
# Numbers of two or more digits, with thousands separators, decimals and a percent sign.
_NUMBER = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?%?")
TITLE_WEIGHT = 2  # the title's terms are counted this many times
MAX_LINK = 0.3  # story score = (1 - MAX_LINK) x mean member cosine + MAX_LINK x best one
IDF_PRIOR = 10  # empty pseudo-documents added to the idf's document count
CROSS_THRESHOLD = 0.7  # embedding score to join a story across languages (bench/crossling.py)
CROSS_MIN_SHARED = 2  # or terms (names, numbers) shared with a member in the other language
CROSS_CANDIDATES = 20  # stories retrieved through shared actors for the cross-language score
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


# Function words of the other languages analysed (generic lists, not drawn from any corpus): an
# article's terms drop its own language's list as well as the English one.
_LANGUAGE_STOPWORDS = {
    "fr": frozenset(
        """les des une un le la du de et est sont été être avoir ont a au aux ce cet cette ces qui
        que quoi dont où pour par sur sous dans avec sans entre vers chez mais ou donc car ni ne pas
        plus moins très aussi comme tout tous toute toutes leur leurs son sa ses nos notre vos votre
        il elle ils elles nous vous on se lui eux même déjà encore après avant depuis pendant lors
        selon contre ainsi alors fait faire été était étaient sera seront aurait avait avaient dit
        déclaré ajouté mardi lundi mercredi jeudi vendredi samedi dimanche hier aujourd'hui demain
        année années jour jours semaine mois""".split()
    ),
    "de": frozenset(
        """der die das den dem des ein eine einer eines einem einen und oder aber doch sondern denn
        ist sind war waren wird werden wurde wurden worden sein hat haben hatte hatten habe kann
        können soll sollen will wollen muss müssen nicht auch noch schon nur sehr mehr als wie wo
        was wer wenn dass damit mit von vom zu zum zur bei beim aus auf über unter nach vor seit
        gegen ohne durch für um an am im in ins sich sie er es wir ihr ihre ihren ihrem sein seine
        seiner seinen diese dieser dieses diesen jetzt dann heute gestern morgen sagte sagten
        erklärte montag dienstag mittwoch donnerstag freitag samstag sonntag jahr jahre jahren
        tag tage tagen woche monat""".split()
    ),
}


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


def _terms(text: str, language: str | None = None) -> list[str]:
    own = _LANGUAGE_STOPWORDS.get(language or "", frozenset())
    words = []
    for m in _WORD.finditer(text.lower()):
        word = m.group(0).strip("'’-")
        if len(word) >= 3 and word not in STOPWORDS and word not in own:
            words.append(_stem(word))
    return words + _numbers(text)


def article_features(analysis: ArticleAnalysis, *, embed: bool = True) -> Features:
    """Terms (title counted twice, numbers included), actor counts and (when the multilingual
    encoder is installed and `embed`) the embedding of the title and lead of an analysed
    article. The encoder is loaded once per process."""
    article = analysis.article
    counts: Counter[str] = Counter()
    title_terms = _terms(article.title or "", article.language)
    for _ in range(TITLE_WEIGHT):
        counts.update(title_terms)
    counts.update(_terms(article.text, article.language))
    terms = {t: 1.0 + math.log(c) for t, c in counts.items()}
    actors: Counter[str] = Counter(m.actor_id for m in analysis.mentions)
    embedding = None
    if embed and encoder.available():
        embedding = encoder.encode([encoder.lead(article.title, article.text)])[0]
    return Features(
        article_id=article.id,
        terms=terms,
        actors={a: 1.0 + math.log(c) for a, c in actors.items()},
        date=article.published,
        language=article.language,
        embedding=embedding,
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
    # per scored member: its language and embedding; the actors any member names
    languages: tuple[str | None, ...] = ()
    embeddings: tuple[tuple[float, ...] | None, ...] = ()
    actors: frozenset[str] = frozenset()


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
        languages=tuple(f.language for f in scored),
        embeddings=tuple(f.embedding for f in scored),
        actors=frozenset(a for f in members for a in f.actors),
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
        languages = c.languages or (None,) * len(c.members)
        compared = 0
        for terms, sumsq, shared, language in zip(c.members, c.sumsq, row, languages, strict=True):
            if not _compatible(features.language, language):
                continue  # a member in another language is compared by embedding, not terms
            compared += 1
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
        mean = total / compared if compared else 0.0
        scores.append((1 - MAX_LINK) * mean + MAX_LINK * best)
    return scores


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def comparable_by_terms(language: str | None, candidate: Candidate) -> bool:
    """Whether the story has a member in the article's language (unknown counts as any)."""
    if not candidate.languages:
        return same_language(language, candidate)
    return any(_compatible(language, m) for m in candidate.languages)


def cross_similarities(features: Features, candidates: Sequence[Candidate]) -> list[float]:
    """Cross-language score of the article to each candidate (same order): 0.7 x mean + 0.3 x
    best embedding cosine to the members in another known language, or 0 when the article has
    no embedding or language, the story has no such member, or nothing anchors the two: no
    canonical actor in common and no member in the other language sharing `CROSS_MIN_SHARED`
    terms (names and numbers are what survives translation: "macron", "#2031")."""
    query = features.embedding
    keys = features.terms.keys()
    scores = []
    for c in candidates:
        if query is None or features.language is None:
            scores.append(0.0)
            continue
        others = [
            (vector, terms)
            for vector, language, terms in zip(c.embeddings, c.languages, c.members, strict=True)
            if vector is not None and language is not None and language != features.language
        ]
        anchored = bool(features.actors.keys() & c.actors) or any(
            len(keys & terms.keys()) >= CROSS_MIN_SHARED for _, terms in others
        )
        if not others or not anchored:
            scores.append(0.0)
            continue
        cosines = [encoder.cosine(query, vector) for vector, _ in others]
        mean = math.fsum(cosines) / len(cosines)
        scores.append((1 - MAX_LINK) * mean + MAX_LINK * max(cosines))
    return scores


def _ranked(scores: Sequence[float], candidates: Sequence[Candidate]) -> tuple[float, str]:
    """The best (score, story id); ties go to the smaller id."""
    return min(
        zip(scores, (c.story_id for c in candidates), strict=True), key=lambda x: (-x[0], x[1])
    )


def _best(
    features: Features,
    active: Sequence[Candidate],
    settings: Settings,
    df: Mapping[str, int] | None = None,
    n_docs: int | None = None,
    across: Sequence[Candidate] = (),
) -> tuple[str | None, float]:
    """Terms in the article's language first; failing them, the embedding across languages."""
    same = [c for c in active if comparable_by_terms(features.language, c)]
    best_score = 0.0
    if same:
        best_score, best_id = _ranked(similarities(features, same, df=df, n_docs=n_docs), same)
        if best_score >= settings.story_threshold:
            return best_id, best_score
    if features.embedding is None or features.language is None:
        return None, best_score
    pool = [
        c
        for c in {c.story_id: c for c in (*active, *across)}.values()
        if any(m is not None and m != features.language for m in c.languages)
    ]
    if pool:
        cross_score, cross_id = _ranked(cross_similarities(features, pool), pool)
        if cross_score >= CROSS_THRESHOLD:
            return cross_id, cross_score
    return None, best_score


def assign_story(
    features: Features, candidates: Sequence[Candidate], *, settings: Settings = Settings()
) -> tuple[str | None, float]:
    """(story id to join, score), or (None, best score) when the article opens a new story.

    Scores every candidate in the time window (no retrieval): by terms those with a member in
    the article's language, by embedding across languages.
    """
    return _best(features, _eligible(features, candidates, settings), settings)


def _eligible(
    features: Features, candidates: Sequence[Candidate], settings: Settings
) -> list[Candidate]:
    """The candidates in the article's time window (language is `_best`'s to judge)."""
    return [c for c in candidates if in_window(features.date, c, settings.story_window_days)]


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
        self.actor_postings: dict[str, dict[str, int]] = {}  # actor -> {story id: members}
        self.languages: Counter[str] = Counter()  # known languages of the window's members

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
            for actor in features.actors:
                held = self.actor_postings.setdefault(actor, {})
                held[story_id] = held.get(story_id, 0) + 1
            if features.language:
                self.languages[features.language] += 1
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
            for actor in features.actors:
                held = self.actor_postings.get(actor)
                if held is not None:
                    held.pop(story_id, None)
                    if not held:
                        del self.actor_postings[actor]
            if features.language:
                self.languages[features.language] -= 1
                if self.languages[features.language] <= 0:
                    del self.languages[features.language]
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

    def retrieve_across(self, features: Features) -> list[Candidate]:
        """Stories with a member in another language that share the article's actors: those
        sharing the rarest ones first, at most `CROSS_CANDIDATES` (none without an embedding).
        An actor in more than `POSTING_BUDGET` stories is not walked."""
        if features.embedding is None or features.language is None:
            return []
        if not any(lang != features.language for lang in self.languages):
            return []  # a window in one language: nothing to walk
        scores: dict[str, float] = {}
        n_stories = len(self.candidates)
        for actor in sorted(features.actors):
            held = self.actor_postings.get(actor)
            if not held or len(held) > POSTING_BUDGET:
                continue
            weight = math.log((1 + n_stories) / len(held)) + 1.0
            for sid in held:
                languages = self.candidates[sid].languages
                if any(m is not None and m != features.language for m in languages):
                    scores[sid] = scores.get(sid, 0.0) + weight
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:CROSS_CANDIDATES]
        return [self.candidates[sid] for sid, _ in best]

    def assign(
        self, features: Features, *, barred: Set[str] = frozenset()
    ) -> tuple[str | None, float]:
        """(story id to join, score) or (None, best score), as `assign_story` but retrieved."""
        found = [c for c in self.retrieve(features) if c.story_id not in barred]
        active = _eligible(features, found, self.settings)
        across = [c for c in self.retrieve_across(features) if c.story_id not in barred]
        across = _eligible(features, across, self.settings)
        return _best(features, active, self.settings, self.df, self.n_docs, across)


def new_story_id(first_article_id: str) -> str:
    return "s" + hash_id("story", first_article_id, length=11)


def story_label(analyses: Sequence[ArticleAnalysis]) -> str:
    """Key actors and the main action, e.g. "France, Russia, Emmanuel Macron — consult"."""
    actor_counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    merged = story_people(analyses)  # "Obama" in one article, "Barack Obama" in another
    for a in analyses:
        kinds = {x.id: x.kind for x in a.actors}
        for m in a.mentions:
            if kinds.get(m.actor_id) in ("person", "country", "organisation"):
                name = merged.get(m.actor_name, m.actor_name)
                key = slug(name) if name != m.actor_name else m.actor_id
                actor_counts[key] += 1
                names[key] = name
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
