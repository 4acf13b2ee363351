"""Story grouping (pure): features, average-link similarity, assignment and its determinism."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from newsprism.models import Actor, Article, ArticleAnalysis, Mention, Span
from newsprism.settings import Settings
from newsprism.stories import (
    MAX_LINK,
    MAX_MEMBERS,
    Candidate,
    Features,
    StoryIndex,
    _numbers,
    article_features,
    assign_story,
    candidate_from,
    similarities,
    story_label,
)

DAY = dt.date(2026, 3, 3)


def _features(article_id: str, words: str, date: dt.date | None = DAY) -> Features:
    terms: dict[str, float] = {}
    for w in words.split():
        terms[w] = terms.get(w, 0.0) + 1.0
    return Features(article_id=article_id, terms=terms, actors={}, date=date)


def _article(title: str, text: str) -> Article:
    return Article(
        id="a1",
        raw_id="r1",
        url=None,
        outlet=None,
        title=title,
        text=text,
        paragraphs=(),
        published=DAY,
        published_source="user",
        published_granularity="day",
        language="en",
    )


def _story(story_id: str, *members: Features) -> Candidate:
    return candidate_from(story_id, list(members))


def test_numbers_become_terms() -> None:
    assert _numbers("It added 263,000 jobs; unemployment fell to 3.6% in April, 7 said.") == [
        "#263000",
        "#3.6%",
    ]


def test_article_features_count_the_title_twice_and_keep_numbers() -> None:
    text = "The strike closed the harbour. Dockers said the strike cost 2,400 jobs."
    article = _article("Harbour strike", text)
    mention = Mention(
        span=Span(text.index("Dockers"), text.index("Dockers") + 7),
        text="Dockers",
        actor_id="dockers",
        actor_name="Dockers",
        kind="organisation",
    )
    analysis = ArticleAnalysis(
        article=article,
        sentences=(),
        actors=(),
        mentions=(mention,),
        quotes=(),
        time_expressions=(),
        events=(),
    )
    f = article_features(analysis)
    assert f.article_id == "a1" and f.date == DAY
    # The title's words count twice: "strike" 2 x 1 + 2 in the text, "harbour" 2 x 1 + 1.
    assert f.terms["strike"] == pytest.approx(1 + math.log(4))
    assert f.terms["harbour"] == pytest.approx(1 + math.log(3))
    assert "the" not in f.terms and "said" not in f.terms
    assert "#2400" in f.terms
    assert f.actors == {"dockers": 1.0}
    assert Features.from_data(f.to_data()) == f


def test_an_article_joins_its_story_and_an_unrelated_one_opens_a_new_story() -> None:
    strike = _story("s1", _features("a1", "harbour strike dockers wages union lorvik"))
    recall = _story("s2", _features("b1", "meter recall fire smart electricity supplier"))
    same = _features("a2", "dockers strike harbour union pay talks")
    other = _features("c1", "border talks ministers ceasefire envoy")
    assert assign_story(same, [strike, recall])[0] == "s1"
    story_id, score = assign_story(other, [strike, recall])
    assert story_id is None and score < Settings().story_threshold


def test_score_is_mean_and_max_of_the_member_cosines() -> None:
    query = _features("q", "alpha beta gamma")
    story = _story("s", _features("m1", "alpha beta gamma"), _features("m2", "delta epsilon"))
    (score,) = similarities(query, [story])
    # Member 1 is the query itself (cosine 1), member 2 shares nothing (cosine 0).
    assert score == pytest.approx((1 - MAX_LINK) * 0.5 + MAX_LINK * 1.0)


def test_stories_outside_the_window_are_not_candidates() -> None:
    old = _story("s1", _features("a1", "harbour strike dockers", date=DAY - dt.timedelta(days=30)))
    assert assign_story(_features("a2", "harbour strike dockers"), [old]) == (None, 0.0)
    undated = _features("a3", "harbour strike dockers", date=None)
    assert assign_story(undated, [old])[0] == "s1"


def test_ties_go_to_the_smaller_story_id() -> None:
    first = _story("s-b", _features("a1", "harbour strike dockers"))
    second = _story("s-a", _features("a2", "harbour strike dockers"))
    assert assign_story(_features("a3", "harbour strike dockers"), [first, second])[0] == "s-a"


def test_scores_do_not_depend_on_term_order() -> None:
    words = "harbour strike dockers wages union lorvik talks pay harbour"
    query = _features("q", words)
    backwards = Features(
        article_id="q", terms=dict(reversed(list(query.terms.items()))), actors={}, date=DAY
    )
    stories = [
        _story("s1", _features("a1", "dockers strike harbour union"), _features("a2", "pay talks")),
        _story("s2", _features("b1", "meter recall fire union")),
    ]
    assert similarities(query, stories) == similarities(backwards, stories)


def test_an_article_without_terms_opens_a_story() -> None:
    story = _story("s1", _features("a1", "harbour strike"))
    empty = Features(article_id="e", terms={}, actors={}, date=DAY)
    assert assign_story(empty, [story])[0] is None


# -- the index: retrieval, eviction, language ------------------------------------------------
def _stream(n_stories: int, per_story: int, seed: int) -> list[tuple[int, Features]]:
    """(gold story, features) in a shuffled order: each story has its own rare words."""
    import random

    rng = random.Random(seed)
    common = [f"common{k}" for k in range(40)]
    out = []
    for s in range(n_stories):
        own = [f"s{s}w{k}" for k in range(12)]
        for m in range(per_story):
            words = rng.sample(own, 9) + rng.sample(common, 5)
            out.append((s, _features(f"a{s}-{m}", " ".join(words))))
    rng.shuffle(out)
    return out


def _group(stream: list[tuple[int, Features]], settings: Settings) -> list[str]:
    index = StoryIndex(settings)
    made = []
    for _gold, f in stream:
        story_id, _ = index.assign(f)
        story_id = story_id or f"new-{f.article_id}"
        index.add(story_id, f)
        made.append(story_id)
    return made


def test_retrieval_picks_the_same_stories_as_scoring_every_active_story() -> None:
    stream = _stream(60, 4, seed=3)
    exhaustive = _group(stream, Settings(story_candidates=0))
    retrieved = _group(stream, Settings(story_candidates=5))
    assert retrieved == exhaustive
    # and the grouping is right: each gold story became one story
    by_gold: dict[int, set[str]] = {}
    for (gold, _), sid in zip(stream, retrieved, strict=True):
        by_gold.setdefault(gold, set()).add(sid)
    assert all(len(s) == 1 for s in by_gold.values())
    assert len(set(retrieved)) == 60


def test_retrieval_scores_only_a_few_stories() -> None:
    index = StoryIndex(Settings(story_candidates=3))
    for gold, f in _stream(30, 2, seed=1):
        index.add(f"s{gold}", f)
    probe = _features("p", "s7w1 s7w2 s7w3 common1 common2")
    found = index.retrieve(probe)
    assert len(found) == 3 and found[0].story_id == "s7"


def test_the_index_idf_counts_every_article_of_the_window() -> None:
    index = StoryIndex(Settings(story_candidates=0))
    a, b = _features("a", "alpha beta"), _features("b", "alpha gamma")
    index.add("s1", a)
    index.add("s2", b)
    assert index.n_docs == 2 and index.df["alpha"] == 2 and index.df["beta"] == 1
    probe = _features("p", "alpha beta")
    # the same numbers as scoring both stories without an index
    assert similarities(probe, list(index.candidates.values()), df=index.df, n_docs=2) == (
        pytest.approx(similarities(probe, list(index.candidates.values())))
    )
    index.remove("s1")
    assert index.n_docs == 1 and "beta" not in index.df and "beta" not in index.postings


def test_eviction_drops_stories_behind_the_window() -> None:
    index = StoryIndex(Settings())
    index.add("old", _features("a", "harbour strike", date=DAY - dt.timedelta(days=30)))
    index.add("new", _features("b", "harbour strike", date=DAY))
    assert index.evict(DAY - dt.timedelta(days=14)) == 1
    assert "old" not in index and "new" in index and index.df["harbour"] == 1


def test_an_article_in_another_language_does_not_join_an_english_story() -> None:
    index = StoryIndex(Settings())
    english = Features("a", {"macron": 1.0, "peskov": 1.0, "kremlin": 1.0}, {}, DAY, "en")
    index.add("s1", english)
    french = Features("b", {"macron": 1.0, "peskov": 1.0, "kremlin": 1.0}, {}, DAY, "fr")
    assert index.assign(french)[0] is None
    assert assign_story(french, [index.candidates["s1"]])[0] is None
    unknown = Features("c", {"macron": 1.0, "peskov": 1.0, "kremlin": 1.0}, {}, DAY, None)
    assert index.assign(unknown)[0] == "s1"


def test_barred_stories_are_not_joined() -> None:
    index = StoryIndex(Settings())
    index.add("s1", _features("a", "harbour strike dockers"))
    probe = _features("b", "harbour strike dockers")
    assert index.assign(probe)[0] == "s1"
    assert index.assign(probe, barred={"s1"})[0] is None


def test_a_big_story_is_scored_on_its_latest_members() -> None:
    members = [_features(f"m{k}", f"word{k} shared") for k in range(MAX_MEMBERS + 10)]
    c = candidate_from("s", members)
    assert len(c.article_ids) == MAX_MEMBERS + 10 and len(c.members) == MAX_MEMBERS
    assert c.members[-1] == members[-1].terms


def test_label_names_key_actors_once_each() -> None:
    article = _article("Recall", "x")
    names = {"q": "Quillon", "qs": "Quillon Systems", "p": "Priya Lindell", "k": "Kestria"}
    counts = {"q": 3, "qs": 2, "p": 2, "k": 1}
    mentions = tuple(
        Mention(span=Span(0, 1), text=names[i], actor_id=i, actor_name=names[i], kind="person")
        for i, n in counts.items()
        for _ in range(n)
    )
    actors = tuple(
        Actor(id=i, name=names[i], kind="country" if i == "k" else "organisation") for i in names
    )
    analysis = ArticleAnalysis(
        article=article,
        sentences=(),
        actors=actors,
        mentions=mentions,
        quotes=(),
        time_expressions=(),
        events=(),
    )
    assert story_label([analysis]) == "Quillon, Priya Lindell, Kestria"
