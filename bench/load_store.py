"""Stores for bench/load.py: real NeuS articles analysed once, then replicated to size.

* Source: ../shared/eval/stories/neus/train.source (AllSides triplets: one story a line, three
  articles of three outlets). NeuS names neither outlets nor dates, so article k of line i gets
  the outlet label "neus-pos{k}" (its position in the line) and the date
  2020-01-01 + i // 5 days (five stories a day, so the 7-day window holds ~35 stories).
* Real part: the first M articles of train.source in file order, fed to `newsprism.analyze` in
  batches (the whole pipeline: extraction, spaCy analysis, grouping, briefs). Cached as
  build/load/real-M.db; a larger M starts from the largest smaller snapshot and feeds only the
  next articles (file order is fixed, so the result is the same as one build).
* Replicas: copies of every record through the public Store API (put_raw, put_article,
  put_signature, put_analysis, put_features, put_story, put_brief) with new content-hash ids
  (raw id from (replica number, original raw id); article and story ids derived as the
  pipeline derives them) and every date shifted by replica number x period, where the period is
  the real part's date span plus two story windows, so replicas form distinct stories that
  never share a window with each other. Text stays the same (spans keep round-tripping).
  Cached as build/load/store-N-realM.db with a .json sidecar saying how it was made.
* Ingest texts for the load (articles not in any store): NeuS val.source.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
NEUS = PROJECT_DIR.parent / "shared" / "eval" / "stories" / "neus"
CACHE = PROJECT_DIR / "build" / "load"
BASE_DATE = dt.date(2020, 1, 1)
STORIES_PER_DAY = 5
BATCH = 60
BUILD_VERSION = "load-store.v2"
_PART = re.compile(r"^\s*TITLE=>(.*?)ARTICLE=>(.*)$", re.DOTALL)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class NeusArticle:
    line: int
    position: int
    title: str
    body: str

    @property
    def outlet(self) -> str:
        return f"neus-pos{self.position}"

    @property
    def published(self) -> dt.date:
        return BASE_DATE + dt.timedelta(days=self.line // STORIES_PER_DAY)


def neus_articles(split: str = "train", data: Path = NEUS) -> Iterator[NeusArticle]:
    """Articles of a NeuS split in file order (malformed parts skipped)."""
    with (data / f"{split}.source").open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh):
            for pos, part in enumerate(line.rstrip("\n").split("[SEP]")):
                m = _PART.match(part)
                if m and m.group(2).strip():
                    yield NeusArticle(line_no, pos, m.group(1).strip(), m.group(2).strip())


def _copy_db(src: Path, dst: Path) -> None:
    """A consistent copy of a SQLite file (WAL included) through the backup API."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()


def _counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as c:
        articles = int(c.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        stories = int(c.execute("SELECT COUNT(*) FROM stories").fetchone()[0])
    c.close()
    return articles, stories


def build_real(m: int, *, cache: Path = CACHE, log: Any = print) -> tuple[Path, dict[str, Any]]:
    """build/load/real-M.db: the first m NeuS train articles through the whole pipeline."""
    import newsprism
    from newsprism.models import Document

    target = cache / f"real-{m}.db"
    meta_file = target.with_suffix(".json")
    if target.exists() and meta_file.exists():
        return target, json.loads(meta_file.read_text(encoding="utf-8"))
    # start from the largest smaller snapshot
    start, seconds = 0, 0.0
    snapshots = sorted(
        (int(p.stem.split("-")[1]), p)
        for p in cache.glob("real-*.db")
        if p.with_suffix(".json").exists() and int(p.stem.split("-")[1]) < m
    )
    work = cache / f"real-{m}.partial.db"
    if snapshots:
        start, src = snapshots[-1]
        seconds = json.loads(src.with_suffix(".json").read_text(encoding="utf-8"))["seconds"]
        _copy_db(src, work)
        log(f"  real part: starting from {src.name} ({start} articles fed)")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
    todo = [a for i, a in enumerate(neus_articles("train")) if start <= i < m]
    t0 = time.perf_counter()
    for i in range(0, len(todo), BATCH):
        docs = [
            Document(
                a.body,
                title=a.title,
                outlet=a.outlet,
                published=a.published,
                content_type="text/plain",
            )
            for a in todo[i : i + BATCH]
        ]
        newsprism.analyze(docs, db=work)
        done = start + i + len(docs)
        elapsed = time.perf_counter() - t0
        log(f"  analysed {done}/{m} NeuS articles ({elapsed:.0f} s for {i + len(docs)} new)")
    seconds += time.perf_counter() - t0
    articles, stories = _counts(work)
    meta = {
        "fed": m,
        "articles": articles,
        "stories": stories,
        "seconds": round(seconds, 1),
        "seconds_per_article": round(seconds / max(m, 1), 3),
    }
    _copy_db(work, target)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    return target, meta


def remap(value: Any, ids: dict[str, str], days: int, key: str = "") -> Any:
    """A record's plain data with ids replaced and whole ISO dates shifted by `days`.

    Strings equal to a known id are replaced; strings that are exactly YYYY-MM-DD are shifted,
    except under a "text" key (text must keep matching the article's spans)."""
    if isinstance(value, dict):
        return {k: remap(v, ids, days, k) for k, v in value.items()}
    if isinstance(value, list):
        return [remap(v, ids, days, key) for v in value]
    if isinstance(value, str):
        if value in ids:
            return ids[value]
        if days and key != "text" and _ISO_DATE.match(value):
            try:
                return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()
            except ValueError:
                return value
    return value


def _plain(features: Any) -> dict[str, Any]:
    """Grouping features as plain data (the Store API has returned both dicts and Features)."""
    return features.to_data() if hasattr(features, "to_data") else dict(features)


def _put_features(store: Any, data: dict[str, Any]) -> None:
    from newsprism.models import Features

    store.put_features(Features.from_data(data))


def replicate(base: Path, target: Path, n: int, *, log: Any = print) -> dict[str, Any]:
    """Copy `base` to `target` and add shifted replicas of its stories until >= n articles."""
    from newsprism.dedup import band_keys, signature
    from newsprism.ids import hash_id
    from newsprism.models import Article, ArticleAnalysis, Brief, RawDocument, SourceHints, Story
    from newsprism.serde import load, to_data
    from newsprism.settings import Settings
    from newsprism.store import open_store
    from newsprism.stories import new_story_id

    _copy_db(base, target)
    store = open_store(target)
    t0 = time.perf_counter()
    try:
        stories = store.stories(limit=None)
        dates = [d for s in stories for d in (s.first_date, s.last_date) if d]
        period = (max(dates) - min(dates)).days + 1 + 2 * Settings().story_window_days
        members = [aid for s in stories for aid in s.article_ids]
        # everything of the base, read once
        articles = {aid: store.article(aid) for aid in store.article_ids()}
        raws = {aid: store.get_raw(a.raw_id) for aid, a in articles.items()}
        analyses = {aid: store.get_analysis(aid) for aid in members}
        features = store.get_features(members)
        briefs = {s.id: store.get_brief(s.id, s.article_ids) for s in stories}
        sigs = {aid: signature(articles[aid].text) for aid in members}
        count, replica = len(articles), 0
        while count < n:
            replica += 1
            days = replica * period
            ids: dict[str, str] = {}
            for aid in members:
                new_raw = hash_id("load-replica", str(replica), articles[aid].raw_id)
                ids[articles[aid].raw_id] = new_raw
                ids[aid] = hash_id("article", new_raw)
            for s in stories:
                ids[s.id] = new_story_id(ids[s.article_ids[0]])
            with store.transaction():
                for s in stories:
                    if count >= n:
                        break
                    for aid in s.article_ids:
                        raw = raws[aid]
                        assert raw is not None
                        store.put_raw(
                            RawDocument(
                                id=ids[raw.id],
                                source_kind=raw.source_kind,
                                locator=raw.locator,
                                fetched_at=raw.fetched_at,
                                content_type=raw.content_type,
                                data=raw.data,
                                hints=load(SourceHints, remap(to_data(raw.hints), ids, days)),
                            )
                        )
                        new_art = load(Article, remap(to_data(articles[aid]), ids, days))
                        new_art = replace(new_art, source_text=articles[aid].source_text)
                        store.put_article(new_art)
                        if (sig := sigs[aid]) is not None:
                            store.put_signature(new_art.id, sig, band_keys(sig))
                        if (an := analyses[aid]) is not None:
                            store.put_analysis(load(ArticleAnalysis, remap(to_data(an), ids, days)))
                        if aid in features:
                            _put_features(store, remap(_plain(features[aid]), ids, days))
                        count += 1
                    new_story = load(Story, remap(to_data(s), ids, days))
                    store.put_story(new_story)
                    if (b := briefs[s.id]) is not None:
                        store.put_brief(
                            load(Brief, remap(to_data(b), ids, days)), new_story.article_ids
                        )
            log(f"  replica {replica}: {count} articles ({time.perf_counter() - t0:.0f} s)")
    finally:
        store.close()
    articles_n, stories_n = _counts(target)
    return {
        "replicas": replica,
        "period_days": period,
        "articles": articles_n,
        "stories": stories_n,
        "seconds": round(time.perf_counter() - t0, 1),
    }


def build_store(
    n: int, real: int | None = None, *, log: Any = print
) -> tuple[Path, dict[str, Any]]:
    """build/load/store-N-realM.db (cached): M real NeuS articles analysed, replicated to ~N."""
    m = min(n, 1000) if real is None else min(real, n)
    target = CACHE / f"store-{n}-real{m}.db"
    meta_file = target.with_suffix(".json")
    if target.exists() and meta_file.exists():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("version") == BUILD_VERSION:
            meta["cached"] = True
            meta["digest_seconds"] = ensure_digests(target)
            return target, meta
    if not (NEUS / "train.source").exists():
        raise SystemExit(f"NeuS data not found under {NEUS}")
    t0 = time.perf_counter()
    base, real_meta = build_real(m, log=log)
    rep = replicate(base, target, n, log=log)
    digest_seconds = ensure_digests(target)
    copies = rep["articles"] / max(real_meta["articles"], 1)
    made = (
        f"{real_meta['articles']:,} real NeuS train articles (of {m:,} fed; 3 outlets a story,"
        f" 5 stories a day from 2020-01-01) analysed by the full pipeline"
        f" ({real_meta['seconds']:.0f} s, {real_meta['seconds_per_article']:.2f} s/article),"
    )
    if rep["replicas"]:
        made += (
            f" replicated to {rep['articles']:,} articles ({copies:.1f}x) with new ids and dates"
            f" shifted by {rep['period_days']} days a replica ({rep['seconds']:.0f} s)"
        )
    else:
        made += " not replicated"
    meta = {
        "version": BUILD_VERSION,
        "made": made,
        "n": n,
        "real_fed": m,
        "real_articles": real_meta["articles"],
        "real_stories": real_meta["stories"],
        "analyse_seconds": real_meta["seconds"],
        "replicas": rep["replicas"],
        "replicate_seconds": rep["seconds"],
        "articles": rep["articles"],
        "stories": rep["stories"],
        "build_seconds": round(time.perf_counter() - t0, 1),
        "digest_seconds": digest_seconds,
        "cached": False,
    }
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    return target, meta


def ensure_digests(db: Path) -> float:
    """Make each story's list digest, as a pipeline run does for the stories it touched
    (replicas are written record by record, not by a run); seconds taken."""
    from newsprism.pipeline import story_digest
    from newsprism.store import open_store

    t0 = time.perf_counter()
    store = open_store(db)
    try:
        for story in store.stories(limit=None):
            story_digest(store, story)
    finally:
        store.close()
    return round(time.perf_counter() - t0, 1)


def copy_for_run(db: Path, run_dir: Path = CACHE / "runs") -> Path:
    """A scratch copy to serve (ingests write to it; the cached store stays as built)."""
    dst = run_dir / f"{db.stem}.run.db"
    _copy_db(db, dst)
    return dst


def cleanup(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
