"""What every `Store` backend promises, run unchanged against each (see conftest.py)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from newsprism import errors
from newsprism.dedup import band_keys, signature
from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import (
    Article,
    ArticleAnalysis,
    Brief,
    BriefSection,
    BriefSentence,
    Citation,
    Features,
    FeedState,
    Override,
    Rejection,
    Span,
    Story,
    StoryDigest,
)
from newsprism.store import Store, open_store

TEXT = b"Ministers from Valdoria and Kestria met in Tarn on Tuesday to reopen border talks after years."


def _article(store: Store, text: bytes = TEXT, locator: str = "a.txt") -> Article:
    raw = raw_from_bytes(text, source_kind="file", locator=locator, content_type="text/plain")
    assert store.put_raw(raw) is True
    article = extract_article(raw)
    assert isinstance(article, Article)
    assert store.put_article(article) is True
    return article


def _analysis(article: Article) -> tuple[ArticleAnalysis, Features]:
    analysis = ArticleAnalysis(
        article=article,
        annotator="test.v1",
        sentences=(),
        actors=(),
        mentions=(),
        quotes=(),
        time_expressions=(),
        events=(),
    )
    features = Features(
        article_id=article.id,
        terms={"border": 1.5, "talks": 0.5},
        actors={"Valdoria": 2.0},
        date=dt.date(2026, 3, 3),
        language="en",
    )
    return analysis, features


def test_raw_and_article_round_trip_and_inserts_are_idempotent(store: Store) -> None:
    article = _article(store)
    assert store.get_article(article.id) == article
    raw = store.get_raw(article.raw_id)
    assert raw is not None and raw.data == TEXT
    assert store.put_article(article) is False
    assert store.put_articles([article]) == 0
    counts = store.counts()
    assert (counts.articles, counts.raw_documents, counts.stories) == (1, 1, 0)
    assert store.article_ids() == [article.id]
    with pytest.raises(errors.NotFoundError):
        store.article("nope")


def test_batch_writes_commit_together(store: Store) -> None:
    raws = [
        raw_from_bytes(
            TEXT + f" Part {n}.".encode(),
            source_kind="file",
            locator=f"{n}.txt",
            content_type="text/plain",
        )
        for n in range(3)
    ]
    articles = []
    for raw in raws:
        store.put_raw(raw)
        got = extract_article(raw)
        assert isinstance(got, Article)
        articles.append(got)
    assert store.put_articles(articles) == 3
    assert store.article_ids() == [a.id for a in articles]  # insertion order
    store.put_analyses([_analysis(a) for a in articles])
    assert store.analysed_ids() == {a.id for a in articles}
    features = store.get_features([a.id for a in articles] + ["missing"])
    assert set(features) == {a.id for a in articles}
    assert features[articles[0].id] == _analysis(articles[0])[1]
    assert store.get_analysis(articles[1].id) == _analysis(articles[1])[0]


def test_full_text_search_is_safe_on_any_input(store: Store) -> None:
    article = _article(store)
    assert store.search("Kestria border") == [article.id]
    assert store.search("kestria") == [article.id]
    assert store.search("nonexistentword") == []
    for hostile in [
        '"; DROP TABLE articles; --',
        '"',
        "a\x00b",
        "NEAR(",
        "x OR",
        "-",
        "*",
        "",
        "?",
    ]:
        assert store.search(hostile) == []
    assert store.counts().articles == 1


def test_stories_briefs_digests_and_rejections(store: Store) -> None:
    article = _article(store)
    story = Story(
        id="s1",
        article_ids=(article.id,),
        label="Valdoria, Kestria",
        first_date=dt.date(2026, 3, 3),
        last_date=None,
    )
    store.put_story(story)
    assert store.story("s1") == story and store.story_of(article.id) == "s1"
    assert store.resolve_id("s1") == ("story", "s1")
    assert store.resolve_id(article.id[:6]) == ("article", article.id)
    cite = Citation(article_id=article.id, span=Span(0, 9), text=article.text[:9])
    brief = Brief(
        story_id="s1",
        title="t",
        sections=(
            BriefSection(
                title="Summary", sentences=(BriefSentence(text="Ministers", citations=(cite,)),)
            ),
        ),
        sources=(),
    )
    store.put_brief(brief, story.article_ids)
    assert store.get_brief("s1", story.article_ids) == brief
    assert store.get_brief("s1", ("other",)) is None  # stale when members change
    store.put_brief(brief, ("other",))  # replaced, not duplicated
    assert store.get_brief("s1", ("other",)) == brief
    digest = StoryDigest(
        story_id="s1", members="m1", title="T", outlets=(("A", 2),), actors=(("Russia", 3),)
    )
    store.put_digest(digest)
    store.put_digest(digest)
    assert store.get_digest("s1", "m1") == digest and store.get_digest("s1", "m2") is None
    rej = Rejection(stage="extract", code="extract.empty", reason="empty", locator="x.txt")
    store.put_rejection(rej)
    store.put_rejection(rej)
    assert store.rejections() == [rej]
    with pytest.raises(errors.NotFoundError):
        store.story("nope")
    store.delete_story("s1")
    assert store.get_story("s1") is None and store.story_of(article.id) is None
    assert store.get_digest("s1", "m1") is None and store.get_brief("s1") is None


def test_stories_page_newest_first_and_filter_by_date(store: Store) -> None:
    first = _article(store)
    second = _article(store, TEXT + b" Second.", "b.txt")
    day, later = dt.date(2026, 3, 3), dt.date(2026, 3, 5)
    store.add_to_story(
        Story(id="s1", article_ids=(first.id,), label="", first_date=day, last_date=day),
        first.id,
    )
    grown = Story(
        id="s1", article_ids=(first.id, second.id), label="", first_date=day, last_date=later
    )
    store.add_to_story(grown, second.id)
    assert store.story("s1").article_ids == (first.id, second.id)
    assert store.story("s1").last_date == later
    for k in range(3):
        store.put_story(Story(id=f"x{k}", article_ids=(), label="", first_date=day, last_date=day))
    store.put_story(Story(id="undated", article_ids=(), label="", first_date=None, last_date=None))
    every = [s.id for s in store.stories(limit=None)]
    assert every == ["s1", "x0", "x1", "x2", "undated"]  # newest first, undated last
    assert [s.id for o in (0, 2, 4) for s in store.stories(limit=2, offset=o)] == every
    assert len(store.stories(since=dt.date(2026, 3, 1), limit=2)) == 2
    assert [s.id for s in store.stories(since=dt.date(2026, 3, 4), limit=None)] == [
        "s1",
        "undated",
    ]
    assert store.story_sizes(since=dt.date(2026, 3, 4)) == {"s1": 2, "undated": 0}
    assert store.story_sizes()["x0"] == 0
    store.clear_stories()
    assert store.stories(limit=None) == [] and store.story_of(first.id) is None


def test_an_empty_label_keeps_the_stored_one(store: Store) -> None:
    article = _article(store)
    day = dt.date(2026, 3, 3)
    store.put_story(
        Story(id="s", article_ids=(article.id,), label="Kept", first_date=day, last_date=day)
    )
    store.add_to_story(
        Story(id="s", article_ids=(article.id,), label="", first_date=day, last_date=day),
        article.id,
    )
    assert store.story("s").label == "Kept"


def test_overrides_are_typed_and_the_latest_kind_wins(store: Store) -> None:
    a = _article(store)
    b = _article(store, TEXT + b" B.", "b.txt")
    store.put_override("together", a.id, b.id)
    assert store.overrides() == [Override(kind="together", a=min(a.id, b.id), b=max(a.id, b.id))]
    store.put_override("apart", b.id, a.id)
    assert [o.kind for o in store.overrides()] == ["apart"]


def test_signatures_find_their_band_partners(store: Store) -> None:
    a = _article(store)
    b = _article(store, TEXT + b" B.", "b.txt")
    sig_a, sig_b = signature(a.text), signature(b.text)
    assert sig_a is not None and sig_b is not None
    store.put_signature(a.id, sig_a, band_keys(sig_a))
    store.put_signature(a.id, sig_a, band_keys(sig_a))  # idempotent
    store.put_signature(b.id, sig_b, band_keys(sig_b))
    assert store.signatures_sharing(band_keys(sig_b), exclude=b.id) == {a.id: sig_a}
    assert store.signatures_sharing([]) == {}


def test_feeds_and_runs(store: Store) -> None:
    assert store.feed_state("http://feed.example/rss") is None
    state = FeedState(
        url="http://feed.example/rss",
        etag='"x"',
        last_modified=None,
        last_polled=dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC),
        last_error=None,
        polls=1,
    )
    store.put_feed_state(state)
    store.put_feed_state(state)
    assert store.feed_state(state.url) == state
    store.mark_entry_seen(state.url, "e1")
    store.mark_entry_seen(state.url, "e1")
    assert store.seen_entries(state.url) == {"e1"}
    first, second = store.begin_run("a"), store.begin_run("b")
    assert second > first
    store.end_run(first, accepted=2, rejected=1)
    assert store.counts().runs == 2


def test_transactions_nest_and_roll_back_whole(store: Store) -> None:
    article = _article(store)
    story = Story(id="s1", article_ids=(article.id,), label="", first_date=None, last_date=None)
    with pytest.raises(RuntimeError), store.transaction():
        store.put_story(story)
        raise RuntimeError("crash before the outer commit")
    assert store.get_story("s1") is None
    with store.transaction():
        store.put_story(story)
        with pytest.raises(RuntimeError), store.transaction():
            store.put_rejection(Rejection(stage="ingest", code="ingest.x", reason="r"))
            raise RuntimeError("only the inner part is rolled back")
    assert store.get_story("s1") is not None and store.rejections() == []


def test_driver_errors_surface_as_coded_store_errors(store: Store) -> None:
    with pytest.raises(errors.StoreIntegrityError, match=r"\[NP014\]"):
        store.put_override("together", "no-such-article", "nor-this")
    with pytest.raises(errors.StoreIntegrityError):
        store.put_analyses([_analysis(_ghost())])
    assert store.counts().analyses == 0  # the failed batch left nothing behind


def _ghost() -> Article:
    raw = raw_from_bytes(
        TEXT + b" Never stored.", source_kind="file", locator="g.txt", content_type="text/plain"
    )
    got = extract_article(raw)
    assert isinstance(got, Article)
    return got


def test_concurrent_writers_lose_nothing(shared_store_url: str) -> None:
    """Four threads, each with its own connection, write articles and stories at once."""
    store_url = shared_store_url
    open_store(store_url).close()  # migrate once
    problems: list[BaseException] = []

    def writer(n: int) -> None:
        own = open_store(store_url)
        try:
            for k in range(10):
                article = _article(own, TEXT + f" Writer {n}, item {k}.".encode(), f"{n}-{k}.txt")
                with own.transaction():
                    own.add_to_story(
                        Story(
                            id=f"s{n}",
                            article_ids=(article.id,),
                            label="",
                            first_date=None,
                            last_date=None,
                        ),
                        article.id,
                    )
        except BaseException as exc:  # reported below, in the test's thread
            problems.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert problems == []
    reader = open_store(store_url)
    try:
        assert reader.counts().articles == 40
        assert sorted(reader.story_sizes().values()) == [10, 10, 10, 10]
    finally:
        reader.close()
