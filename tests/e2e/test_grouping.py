"""Grouping through the public API: the showcase seeds form one story; an unrelated article and
a report of the same event in another language do not join it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import newsprism

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
UNRELATED = ROOT / "examples" / "lorvik-strike" / "meridian-wire.txt"

# Our own French report of the seeds' event (written for this test, not copied from an outlet).
FRENCH = """Paris a rétabli des canaux de discussion avec Moscou au niveau technique, a déclaré
Emmanuel Macron dans un entretien publié mardi. Le président français a expliqué que ces contacts
avec la Russie restaient limités aux conseillers et aux diplomates. Au Kremlin, Dmitri Peskov a
confirmé l'existence de ces échanges, tout en affirmant qu'aucune rencontre entre Vladimir
Poutine et Emmanuel Macron n'était prévue. Les dirigeants européens s'inquiètent d'un accord de
paix négocié sans eux entre Washington et Moscou, et l'Élysée insiste sur la coordination avec
Kiev et Volodymyr Zelensky."""


def _story_of(result: newsprism.Result, article: newsprism.Article) -> str:
    return next(s.id for s in result.stories if article.id in s.article_ids)


def test_seeds_group_together_and_unrelated_or_foreign_articles_do_not_join() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) == 2
    french = newsprism.Document(
        FRENCH, outlet="Test FR", title="Macron et Moscou", published=dt.date(2026, 2, 10)
    )
    result = newsprism.analyze([*seeds, UNRELATED, french])
    assert not result.rejections
    first, second, unrelated, foreign = result.articles
    assert foreign.language == "fr" and first.language == "en"
    assert _story_of(result, first) == _story_of(result, second)
    assert _story_of(result, unrelated) != _story_of(result, first)
    assert _story_of(result, foreign) != _story_of(result, first)
    assert len(result.stories) == 3


def test_a_brief_made_by_an_older_generator_is_rebuilt(tmp_path: Path) -> None:
    from dataclasses import replace

    from newsprism.brief import GENERATOR
    from newsprism.pipeline import story_report
    from newsprism.settings import Settings
    from newsprism.store import open_store

    db = tmp_path / "n.db"
    result = newsprism.analyze(sorted(SEEDS.glob("*.txt")), db=db)
    (story,) = result.stories
    store = open_store(db)
    try:
        stored = store.get_brief(story.id, story.article_ids)
        assert stored is not None and stored.generator == GENERATOR
        store.put_brief(replace(stored, generator="brief.old", sections=()), story.article_ids)
        report = story_report(store, story.id, settings=Settings())
        assert report.brief.generator == GENERATOR and report.brief.sections
    finally:
        store.close()
