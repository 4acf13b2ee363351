import datetime as dt
import sqlite3
from importlib import resources

import pytest

from newsprism import errors
from newsprism.extract import extract_article
from newsprism.ingest import raw_from_bytes
from newsprism.models import (
    Article,
    Brief,
    BriefSection,
    BriefSentence,
    Citation,
    Rejection,
    Span,
    Story,
    StoryDigest,
)
from newsprism.store import SQLiteStore, open_store
from newsprism.store.sqlite import MIGRATIONS

TEXT = b"Ministers from Valdoria and Kestria met in Tarn on Tuesday to reopen border talks after years."


def _stored_article(store: SQLiteStore) -> Article:
    raw = raw_from_bytes(TEXT, source_kind="file", locator="a.txt", content_type="text/plain")
    store.put_raw(raw)
    article = extract_article(raw)
    assert isinstance(article, Article)
    store.put_article(article)
    return article


def test_round_trip_and_idempotent_inserts() -> None:
    store = SQLiteStore(":memory:")
    article = _stored_article(store)
    assert store.get_article(article.id) == article
    raw = store.get_raw(article.raw_id)
    assert raw is not None and raw.data == TEXT
    assert store.put_article(article) is False
    assert store.count("articles") == 1 and store.count("raw_documents") == 1


def test_full_text_search() -> None:
    store = SQLiteStore(":memory:")
    article = _stored_article(store)
    assert store.search("Kestria border") == [article.id]
    assert store.search("nonexistentword") == []
    assert store.search('"; DROP TABLE articles; --') == []


def test_stories_briefs_and_rejections(tmp_path: object) -> None:
    store = SQLiteStore(":memory:")
    article = _stored_article(store)
    story = Story(
        id="s1",
        article_ids=(article.id,),
        label="Valdoria, Kestria",
        first_date=dt.date(2026, 3, 3),
        last_date=None,
    )
    store.put_story(story)
    assert store.story("s1") == story and store.story_of(article.id) == "s1"
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
    rej = Rejection(
        stage="extract", code="extract.empty", reason="the input is empty", locator="x.txt"
    )
    store.put_rejection(rej)
    store.put_rejection(rej)
    assert store.rejections() == [rej]
    with pytest.raises(errors.NotFoundError):
        store.story("nope")


def test_add_to_story_appends_one_member_and_stories_can_be_uncapped() -> None:
    store = SQLiteStore(":memory:")
    first = _stored_article(store)
    raw = raw_from_bytes(
        TEXT + b" Second.", source_kind="file", locator="b.txt", content_type="text/plain"
    )
    store.put_raw(raw)
    second = extract_article(raw)
    assert isinstance(second, Article)
    store.put_article(second)
    day = dt.date(2026, 3, 3)
    story = Story(id="s1", article_ids=(first.id,), label="", first_date=day, last_date=day)
    store.add_to_story(story, first.id)
    later = dt.date(2026, 3, 5)
    grown = Story(
        id="s1", article_ids=(first.id, second.id), label="", first_date=day, last_date=later
    )
    store.add_to_story(grown, second.id)
    assert store.story("s1").article_ids == (first.id, second.id)
    assert store.story("s1").last_date == later
    for k in range(3):
        store.put_story(Story(id=f"x{k}", article_ids=(), label="", first_date=day, last_date=day))
    assert len(store.stories(since="2026-03-01", limit=2)) == 2
    assert len(store.stories(since="2026-03-01", limit=None)) == 4
    assert [s.id for s in store.stories(since="2026-03-04", limit=None)] == ["s1"]


def test_migrations_are_recorded_once(tmp_path: pytest.TempPathFactory) -> None:
    path = f"{tmp_path}/n.db"
    SQLiteStore(path).close()
    again = SQLiteStore(path)
    assert again.schema_version() == MIGRATIONS[-1][0]
    rows = again._db.execute("SELECT version FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == [v for v, _ in MIGRATIONS]
    again.close()


def test_a_version_1_database_is_migrated_in_place(tmp_path: pytest.TempPathFactory) -> None:
    """A database made before migration 2 keeps its data and gains the new tables."""
    path = f"{tmp_path}/old.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT 'x');"
    )
    sql = resources.files("newsprism.store").joinpath("schema.sql").read_text("utf-8")
    db.executescript(sql)
    db.execute("INSERT INTO schema_migrations(version, name) VALUES (1, 'schema.sql')")
    db.execute("INSERT INTO runs(command) VALUES ('old')")
    db.commit()
    db.close()
    store = SQLiteStore(path)
    assert store.schema_version() == MIGRATIONS[-1][0]
    assert store.count("runs") == 1
    assert store.seen_entries("http://feed.example/rss") == set()
    store.close()


def test_unsupported_store_url_is_a_clear_error() -> None:
    with pytest.raises(errors.ConfigError, match="NP001"):
        open_store("postgresql://localhost/news")


@pytest.mark.parametrize("query", ['"', "a\x00b", "NEAR(", "x OR", "-", "*", "\u00ad", ""])
def test_search_never_fails_on_user_input(query: str) -> None:
    store = SQLiteStore(":memory:")
    assert store.search(query) == []


def test_nested_transactions_commit_together_or_not_at_all(
    tmp_path: pytest.TempPathFactory,
) -> None:
    store = SQLiteStore(str(tmp_path) + "/t.db")  # type: ignore[operator]
    article = _stored_article(store)
    story = Story(id="s1", article_ids=(article.id,), label="", first_date=None, last_date=None)
    with pytest.raises(RuntimeError), store.transaction():
        store.put_story(story)  # an inner transaction: a savepoint of the outer one
        raise RuntimeError("crash before the outer commit")
    assert store.get_story("s1") is None
    with store.transaction():
        store.put_story(story)
        with pytest.raises(RuntimeError), store.transaction():
            store.put_rejection(Rejection(stage="ingest", code="ingest.x", reason="r"))
            raise RuntimeError("only the inner part is rolled back")
    assert store.get_story("s1") is not None and store.rejections() == []


def test_story_digest_is_keyed_to_its_members_and_paging_is_stable() -> None:
    store = SQLiteStore(":memory:")
    digest = StoryDigest(
        story_id="s1", members="m1", title="T", outlets=(("A", 2),), actors=(("Russia", 3),)
    )
    store.put_digest(digest)
    assert store.get_digest("s1", "m1") == digest
    assert store.get_digest("s1", "other members") is None
    for n in range(5):
        day = dt.date(2026, 1, 1 + n % 3)
        store.put_story(Story(id=f"p{n}", article_ids=(), label="", first_date=day, last_date=day))
    every = [s.id for s in store.stories(limit=None)]
    pages = [s.id for o in (0, 2, 4) for s in store.stories(limit=2, offset=o)]
    assert pages == every and len(every) == 5
    store.delete_story("s1")
    assert store.get_digest("s1", "m1") is None
