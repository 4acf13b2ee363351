"""bench/quotes.py's speaker scoring with judged pronoun antecedents (no timings asserted)."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.benches import load_bench

REFS = Path(__file__).resolve().parents[2] / "tests" / "data" / "polnear_pronouns"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("quotes")


TEXT = (
    "Headline\n"
    "Mary Lane met John Smith on Monday. Afterwards she said the talks went well. "
    "He said nothing."
)


def _doc(bench: ModuleType) -> object:
    she = TEXT.index("she said")
    he = TEXT.index("He said")
    content = TEXT.index("the talks")

    def gold(src: int, word: str, start: int, end: int, heuristic: str) -> object:
        return bench.Gold(
            parts=((start, end),),
            text=TEXT[start:end],
            direct=False,
            source=((src, src + len(word)),),
            source_text=word,
            ref_name=heuristic,
            by_pronoun=True,
        )

    return bench.Doc(
        name="doc-a",
        text=TEXT,
        title="Headline",
        body_start=9,
        annotator="x",
        gold=(
            # the heuristic picks the nearest named source before: John Smith for "she" (wrong)
            gold(she, "she", content, content + len("the talks went well"), "John Smith"),
            gold(he, "He", he + 8, he + 15, "John Smith"),
        ),
        gold_in_title=0,
    )


def _pred(bench: ModuleType, doc: object, start: int, end: int, speaker: str) -> object:
    return bench.Pred(
        start=start, end=end, cls="indirect", kind="indirect", text="", speaker=speaker
    )


def test_judged_antecedents_replace_the_heuristic_only_in_the_judged_figure(
    bench: ModuleType, tmp_path: Path
) -> None:
    doc = _doc(bench)
    refs = tmp_path / "dev.jsonl"
    she = TEXT.index("she said")
    he = TEXT.index("He said")
    refs.write_text(
        json.dumps({"doc": "doc-a", "source_start": she, "antecedent": "Mary Lane"})
        + "\n"
        + json.dumps({"doc": "doc-a", "source_start": he, "antecedent": ""})
        + "\n"
    )
    (judged,) = bench.with_judged_refs([doc], refs)
    assert [g.judged_ref for g in judged.gold] == ["Mary Lane", ""]
    content = TEXT.index("the talks")
    preds = [
        _pred(bench, judged, content, content + 19, "Mary Lane"),
        _pred(bench, judged, he + 8, he + 15, "John Smith"),
    ]
    score = bench.Score()
    score.add(judged, preds, speakers=True)
    # heuristic: Mary Lane is wrong for "she" (its ref is John Smith), John Smith right for "He"
    assert (score.speaker_correct, score.speaker_total) == (1, 2)
    # judged: Mary Lane right; "He" unresolvable by reading, so left out
    assert (score.judged_correct, score.judged_total, score.judged_unresolvable) == (1, 1, 1)


def test_without_a_judgement_file_the_docs_are_unchanged(bench: ModuleType, tmp_path: Path) -> None:
    doc = _doc(bench)
    assert bench.with_judged_refs([doc], tmp_path / "absent.jsonl") == [doc]
    score = bench.Score()
    content = TEXT.index("the talks")
    score.add(doc, [_pred(bench, doc, content, content + 19, "John Smith")], speakers=True)
    assert (score.judged_correct, score.judged_total) == (score.speaker_correct, 1)


def test_the_dev_judgements_are_well_formed() -> None:
    path = REFS / "dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows
    keys = [(r["doc"], r["source_start"]) for r in rows]
    assert len(keys) == len(set(keys))
    for r in rows:
        assert isinstance(r["antecedent"], str)
        assert r["kind"] in {"person", "organisation", "group", "thing", "unresolvable"}
        assert (r["kind"] == "unresolvable") == (r["antecedent"] == "")
