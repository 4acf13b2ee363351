"""The outlet registry, story ids ever issued and labels set by hand, on every backend."""

from __future__ import annotations

import dataclasses
import datetime as dt

from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import Article, ArticleAnalysis, Brief, SourceHints, Story
from newsprism.outlets import make_outlet
from newsprism.store import Store

HTML = (
    "<html><head><title>Border talks</title></head><body><article><p>Ministers from Valdoria "
    "and Kestria met in Tarn on Tuesday to reopen border talks after years of silence.</p>"
    "</article></body></html>"
)


def _article(store: Store, url: str) -> Article:
    raw = raw_from_bytes(
        HTML.replace("Tarn", url).encode(),
        source_kind="url",
        locator=url,
        content_type="text/html",
        hints=SourceHints(url=url),
    )
    store.put_raw(raw)
    article = extract_article(raw)
    assert isinstance(article, Article)
    store.put_article(article)
    return article


def test_outlets_round_trip_replace_and_remove(store: Store) -> None:
    monde = make_outlet("Le Monde", ["lemonde.fr", "https://www.lemonde.com/"], country="fr")
    store.put_outlet(monde)
    store.put_outlet(make_outlet("Kyiv Post", ["kyivpost.com"], language="EN", leaning="mine"))
    assert [o.name for o in store.outlets()] == ["Kyiv Post", "Le Monde"]
    assert store.get_outlet("Le Monde") == dataclasses.replace(
        monde, domains=("lemonde.com", "lemonde.fr")
    )
    assert store.get_outlet("Kyiv Post") is not None
    assert store.get_outlet("Kyiv Post").language == "en"  # type: ignore[union-attr]
    # replacing an outlet replaces its domains; a domain moves to the outlet that names it last
    store.put_outlet(make_outlet("Le Monde", ["lemonde.fr", "kyivpost.com"]))
    assert store.outlet_domains() == {"lemonde.fr": "Le Monde", "kyivpost.com": "Le Monde"}
    assert store.delete_outlet("Le Monde") is True
    assert store.delete_outlet("Le Monde") is False
    assert [o.name for o in store.outlets()] == ["Kyiv Post"]
    assert store.outlet_domains() == {}


def test_outlet_for_url_matches_subdomains_longest_first(store: Store) -> None:
    store.put_outlet(make_outlet("Example", ["example.org"]))
    store.put_outlet(make_outlet("Example News", ["news.example.org"]))
    assert store.outlet_for_url("https://www.example.org/a") == "Example"
    assert store.outlet_for_url("https://EN.News.Example.org./b") == "Example News"
    assert store.outlet_for_url("https://notexample.org/") is None
    assert store.outlet_for_url("https://example.org.evil.net/") is None
    assert store.outlet_for_url(None) is None
    assert store.outlet_for_url("not a url") is None


def test_set_outlet_relabels_article_analysis_and_drops_cached_briefs(store: Store) -> None:
    article = _article(store, "https://www.example.org/talks")
    other = _article(store, "https://other.net/talks")
    assert store.article_urls() == {
        article.id: "https://www.example.org/talks",
        other.id: "https://other.net/talks",
    }
    analysis = ArticleAnalysis(
        article=article,
        sentences=(),
        actors=(),
        mentions=(),
        quotes=(),
        time_expressions=(),
        events=(),
    )
    store.put_analysis(analysis)
    story = Story(id="s1", article_ids=(article.id,), label="x", first_date=None, last_date=None)
    store.put_story(story)
    store.put_brief(Brief(story_id="s1", title="t", sections=(), sources=()), story.article_ids)
    assert store.set_outlet([article.id, "missing"], "Example") == 1
    assert store.set_outlet([article.id], "Example") == 0  # already so
    assert store.article(article.id).outlet == "Example"
    assert store.article(article.id).label == "Example"
    got = store.get_analysis(article.id)
    assert got is not None and got.article.outlet == "Example"
    assert store.get_brief("s1") is None
    assert store.article(other.id).outlet == other.outlet


def test_story_ids_are_remembered_after_the_story_is_gone(store: Store) -> None:
    assert store.issued_story_ids(["s1", "s2"]) == set()
    store.put_story(
        Story(id="s1", article_ids=(), label="one", first_date=dt.date(2026, 3, 3), last_date=None)
    )
    store.delete_story("s1")
    store.clear_stories()
    assert store.issued_story_ids(["s1", "s2"]) == {"s1"}
    assert store.issued_story_ids([f"x{i}" for i in range(1200)] + ["s1"]) == {"s1"}
    store.forget_story_ids(["s1", "never"])
    assert store.issued_story_ids(["s1"]) == set()


def test_labels_set_by_hand_win_and_survive_clearing(store: Store) -> None:
    store.put_story(Story(id="s1", article_ids=(), label="auto", first_date=None, last_date=None))
    store.put_story_label("s1", "By hand")
    assert store.story("s1").label == "By hand"
    assert store.story_labels() == {"s1": "By hand"}
    store.clear_stories()
    store.put_story(Story(id="s1", article_ids=(), label="auto", first_date=None, last_date=None))
    assert store.story("s1").label == "By hand"
    store.put_story_label("s1", None)  # blank: the next report makes the automatic one
    assert store.story("s1").label == "" and store.story_labels() == {}
