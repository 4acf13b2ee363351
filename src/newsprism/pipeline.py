"""Runs the stages in order, applies the error policy and records a run.

ingest -> (store raw) -> extract -> (store article | rejection) -> annotate -> (store) ->
stories (incremental) -> brief. Each stage is a pure function of records; this module is the
only one that moves records between stages and the store. Bad data never aborts a run: it
becomes a stored Rejection. Re-running after a crash picks up where the store left off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from newsprism import errors
from newsprism.brief import build_brief
from newsprism.extract import extract_article
from newsprism.ids import hash_id
from newsprism.ingest import document_to_raw, expand_paths, read_path
from newsprism.models import (
    Article,
    ArticleAnalysis,
    Document,
    RawDocument,
    Rejection,
    Result,
    Story,
    StoryReport,
)
from newsprism.nlp import ANNOTATOR, Annotator
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.stories import (
    Candidate,
    Features,
    article_features,
    assign_story,
    candidate_from,
    make_story,
    new_story_id,
)

Input = str | Path | Document
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class _Item:
    index: int
    raw: RawDocument | None
    rejection: Rejection | None


def _read_inputs(inputs: Sequence[Input], settings: Settings) -> Iterator[_Item]:
    paths: list[tuple[int, str]] = []
    for index, item in enumerate(inputs):
        if isinstance(item, Document):
            yield from _flush(paths, settings)
            paths = []
            yield _Item(index, document_to_raw(item, locator=f"<document {index}>"), None)
        else:
            paths.append((index, str(item)))
    yield from _flush(paths, settings)


def _flush(paths: list[tuple[int, str]], settings: Settings) -> Iterator[_Item]:
    if not paths:
        return
    originals = [p for _, p in paths]
    for local_index, path in expand_paths(originals):
        index = paths[local_index][0]
        if path != "-" and Path(path).is_dir():
            continue
        for got in read_path(path, settings=settings):
            if isinstance(got, Rejection):
                yield _Item(index, None, replace(got, index=index))
            else:
                yield _Item(index, got, None)


def ingest_and_extract(
    inputs: Sequence[Input],
    store: Store,
    *,
    settings: Settings,
    run_id: int,
    progress: Progress = _no_progress,
) -> tuple[list[Article], list[Rejection]]:
    """Store raw bytes first, then extract each; rejections are stored with their reason."""
    articles: list[Article] = []
    rejections: list[Rejection] = []
    items = list(_read_inputs(inputs, settings))
    seen_dirs = {
        i
        for i, item in enumerate(inputs)
        if not isinstance(item, Document) and Path(str(item)).is_dir()
    }
    produced = {item.index for item in items}
    for index in sorted(seen_dirs - produced):
        rej = Rejection(
            stage="ingest",
            code=errors.R_NOT_FOUND,
            reason="the directory has no .txt, .html, .json or .jsonl files",
            locator=str(inputs[index]),
            index=index,
        )
        items.append(_Item(index, None, rej))
    for done, item in enumerate(items, start=1):
        progress("extract", done, len(items))
        if item.rejection is not None:
            store.put_rejection(item.rejection, run_id=run_id)
            rejections.append(item.rejection)
            continue
        raw = item.raw
        assert raw is not None
        store.put_raw(raw)
        existing = store.get_article(hash_id("article", raw.id))
        if existing is not None:
            articles.append(existing)
            continue
        result = extract_article(raw, settings=settings)
        if isinstance(result, Rejection):
            result = replace(result, index=item.index)
            store.put_rejection(result, run_id=run_id)
            rejections.append(result)
            continue
        store.put_article(result)
        articles.append(result)
    return articles, rejections


def annotate_articles(
    articles: Sequence[Article],
    store: Store,
    annotator: Annotator,
    *,
    run_id: int,
    progress: Progress = _no_progress,
) -> tuple[dict[str, ArticleAnalysis], list[Rejection]]:
    """Analyse articles that have no stored analysis yet (resumable); reuse the others."""
    analyses: dict[str, ArticleAnalysis] = {}
    rejections: list[Rejection] = []
    done_ids = store.analysed_ids()
    todo: list[Article] = []
    for article in articles:
        if article.id in analyses:
            continue
        if article.id in done_ids:
            stored = store.get_analysis(article.id)
            if stored is not None and stored.annotator == ANNOTATOR:
                analyses[article.id] = stored
                continue
        if all(a.id != article.id for a in todo):
            todo.append(article)
    for n, analysis in enumerate(_safe_annotate(annotator, todo, rejections), start=1):
        progress("annotate", n, len(todo))
        store.put_analysis(analysis)
        features = article_features(analysis)
        published = analysis.article.published.isoformat() if analysis.article.published else None
        store.put_features(analysis.article.id, published, features.to_data())
        analyses[analysis.article.id] = analysis
    for rej in rejections:
        store.put_rejection(rej, run_id=run_id)
    return analyses, rejections


def _safe_annotate(
    annotator: Annotator, articles: list[Article], rejections: list[Rejection]
) -> Iterator[ArticleAnalysis]:
    try:
        yield from annotator.annotate(articles)
        return
    except errors.NewsprismError:
        raise
    except Exception:  # one bad article must not sink the batch: retry one by one
        pass
    for article in articles:
        try:
            yield from annotator.annotate([article])
        except errors.NewsprismError:
            raise
        except Exception as exc:
            rejections.append(
                Rejection(
                    stage="annotate",
                    code=errors.R_ANNOTATE,
                    reason=f"annotation failed: {type(exc).__name__}: {exc}"[:300],
                    locator=article.locator,
                    raw_id=article.raw_id,
                )
            )


def group_stories(
    articles: Sequence[Article],
    store: Store,
    *,
    settings: Settings,
    progress: Progress = _no_progress,
) -> list[str]:
    """Assign each article without a story, in order; return the ids of stories that changed."""
    touched: list[str] = []
    candidates: dict[str, Candidate] = {}
    members: dict[str, list[Features]] = {}
    todo = [a for a in articles if store.story_of(a.id) is None]
    todo = list({a.id: a for a in todo}.values())
    if not todo:
        return touched
    feats = {k: Features.from_data(v) for k, v in store.get_features([a.id for a in todo]).items()}
    dates = [a.published for a in todo if a.published]
    since = (
        (min(dates) - dt.timedelta(days=settings.story_window_days)).isoformat() if dates else None
    )
    for story in store.stories(since=since if len(dates) == len(todo) else None):
        existing = [
            Features.from_data(v) for v in store.get_features(list(story.article_ids)).values()
        ]
        if existing:
            members[story.id] = existing
            candidates[story.id] = candidate_from(story.id, existing)
    for n, article in enumerate(todo, start=1):
        progress("stories", n, len(todo))
        features = feats.get(article.id)
        if features is None:
            continue  # not analysed (rejected at annotate)
        story_id, _score = assign_story(features, list(candidates.values()), settings=settings)
        if story_id is None:
            story_id = new_story_id(article.id)
            members[story_id] = []
        members[story_id].append(features)
        candidates[story_id] = candidate_from(story_id, members[story_id])
        if story_id not in touched:
            touched.append(story_id)
        store.put_story(
            Story(
                id=story_id,
                article_ids=tuple(f.article_id for f in members[story_id]),
                label="",
                first_date=candidates[story_id].first_date,
                last_date=candidates[story_id].last_date,
                method="",
            )
        )
    return touched


def story_report(store: Store, story_id: str, *, settings: Settings) -> StoryReport:
    """The story with a fresh label and its brief (rebuilt only when its members changed)."""
    stored = store.story(story_id)
    analyses = [a for a in (store.get_analysis(i) for i in stored.article_ids) if a is not None]
    story = make_story(story_id, analyses) if analyses else stored
    if story.label != stored.label or story.method != stored.method:
        store.put_story(story)
    brief = store.get_brief(story_id, story.article_ids)
    if brief is None:
        brief = build_brief(story, analyses, max_articles=settings.brief_max_articles)
        store.put_brief(brief, story.article_ids)
    return StoryReport(story=story, brief=brief)


def run(
    inputs: Sequence[Input],
    store: Store,
    *,
    settings: Settings = Settings(),
    annotator: Annotator | None = None,
    progress: Progress = _no_progress,
    command: str = "analyze",
) -> Result:
    """The whole job: every input through every stage; returns what `analyze` promises."""
    annotator = annotator or Annotator(batch_size=settings.nlp_batch_size)
    run_id = store.begin_run(command)
    articles, rejections = ingest_and_extract(
        inputs, store, settings=settings, run_id=run_id, progress=progress
    )
    analyses, failed = annotate_articles(
        articles, store, annotator, run_id=run_id, progress=progress
    )
    failed_ids = {r.raw_id for r in failed}
    rejections += failed
    articles = [a for a in articles if a.raw_id not in failed_ids]
    touched = group_stories(articles, store, settings=settings, progress=progress)
    story_ids: list[str] = []
    for article in articles:
        sid = store.story_of(article.id)
        if sid is not None and sid not in story_ids:
            story_ids.append(sid)
    for sid in touched:
        if sid not in story_ids:
            story_ids.append(sid)
    reports = []
    for n, sid in enumerate(story_ids, start=1):
        progress("brief", n, len(story_ids))
        reports.append(story_report(store, sid, settings=settings))
    store.end_run(run_id, accepted=len(articles), rejected=len(rejections))
    return Result(
        articles=tuple(articles),
        rejections=tuple(sorted(rejections, key=lambda r: r.index if r.index is not None else -1)),
        stories=tuple(reports),
        analyses=tuple(analyses[a.id] for a in articles if a.id in analyses),
    )
