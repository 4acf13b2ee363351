"""Runs the stages in order, applies the error policy and records a run.

ingest -> (store raw) -> extract -> (store article | rejection) -> annotate -> (store) ->
stories (incremental) -> brief. Each stage is a pure function of records; this module is the
only one that moves records between stages and the store. Bad data never aborts a run: it
becomes a stored Rejection. Re-running after a crash picks up where the store left off.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from newsprism import errors
from newsprism.brief import GENERATOR, build_brief
from newsprism.dedup import band_keys, signature, similarity
from newsprism.extract import extract_article
from newsprism.ids import hash_id
from newsprism.ingest import Fetcher, document_to_raw, expand_paths, read_path
from newsprism.ingest.feeds import entry_article, is_url, poll_feed
from newsprism.ingest.raw import with_outlet
from newsprism.models import (
    Article,
    ArticleAnalysis,
    Brief,
    Copy,
    Document,
    Feed,
    FeedState,
    Override,
    RawDocument,
    Rejection,
    Result,
    Story,
    StoryDigest,
    StoryReport,
)
from newsprism.nlp import ANNOTATOR, Annotates, Annotator, ProvidesFeatures
from newsprism.nlp.pool import AnnotatorPool
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.stories import (
    GROUPER,
    StoryIndex,
    article_features,
    make_story,
    shift,
    story_label,
)
from newsprism.story_ids import fresh_story_id, match_stories

Input = str | Path | Document | Feed
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class _Item:
    index: int
    raw: RawDocument | None
    rejection: Rejection | None
    entry: tuple[str, str] | None = None  # (feed, entry id) to mark seen once handled


class _Reader:
    """Turns inputs into raw documents lazily (a WARC or a feed is streamed, not loaded).

    Owns the run's `Fetcher`, made on first use, so runs without URLs open no client.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        outlet: str | None = None,
        *,
        local_paths: bool = True,
    ) -> None:
        self.settings = settings
        self.store = store
        self.outlet = outlet
        self.local_paths = local_paths
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.settings)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def read(self, inputs: Sequence[Input]) -> Iterator[_Item]:
        for item in self._read(inputs):
            if item.raw is not None and self.outlet:
                item = replace(item, raw=with_outlet(item.raw, self.outlet))
            yield item

    def _read(self, inputs: Sequence[Input]) -> Iterator[_Item]:
        for index, item in enumerate(inputs):
            try:
                yield from self._read_one(index, item)
            except errors.NewsprismError:
                raise
            except Exception as exc:  # one bad input never stops the run
                locator = item.location if isinstance(item, Feed) else _locator(item)
                yield _Item(index, None, unexpected("ingest", exc, locator=locator, index=index))

    def _read_one(self, index: int, item: Input) -> Iterator[_Item]:
        if isinstance(item, Document):
            yield _Item(index, document_to_raw(item, locator=f"<document {index}>"), None)
        elif not self.local_paths and not is_url(
            item.location if isinstance(item, Feed) else str(item)
        ):
            yield _Item(index, None, _no_local_path(index, item))
        elif isinstance(item, Feed):
            yield from self.feed(index, item.location)
        elif is_url(str(item)):
            got = self.fetcher.fetch(str(item))
            yield _Item(index, *_split(got))
        else:
            yield from self.path(index, str(item))

    def path(self, index: int, path: str) -> Iterator[_Item]:
        produced = False
        for file in expand_paths([path]):
            for got in read_path(file[1], settings=self.settings):
                produced = True
                yield _Item(
                    index, *_split(replace(got, index=index) if isinstance(got, Rejection) else got)
                )
        if not produced and Path(path).is_dir():
            yield _Item(
                index,
                None,
                Rejection(
                    stage="ingest",
                    code=errors.R_NOT_FOUND,
                    reason="the directory has no .txt, .html, .json, .jsonl or .warc files",
                    locator=path,
                    index=index,
                ),
            )

    def feed(self, index: int, location: str) -> Iterator[_Item]:
        """New entries of a feed (conditional GET; entries seen before are skipped)."""
        state = self.store.feed_state(location) or FeedState(url=location)
        poll = poll_feed(
            location,
            self.fetcher,
            etag=state.etag,
            last_modified=state.last_modified,
            settings=self.settings,
        )
        self.store.put_feed_state(
            replace(
                state,
                etag=poll.etag if poll.feed or poll.not_modified else state.etag,
                last_modified=poll.last_modified
                if poll.feed or poll.not_modified
                else state.last_modified,
                last_polled=dt.datetime.now(dt.UTC).replace(microsecond=0),
                last_error=poll.rejection.reason if poll.rejection else None,
                polls=state.polls + 1,
            )
        )
        if poll.rejection is not None:
            yield _Item(index, None, replace(poll.rejection, index=index))
            return
        if poll.feed is None:
            return  # 304 Not Modified
        seen = self.store.seen_entries(location)
        for entry in poll.feed.entries:
            if entry.id in seen:
                continue
            got = entry_article(entry, poll.feed, self.fetcher, locator=location)
            transient = isinstance(got, Rejection) and got.code in _TRANSIENT
            key = None if transient else (location, entry.id)
            raw, rejection = _split(
                replace(got, index=index) if isinstance(got, Rejection) else got
            )
            yield _Item(index, raw, rejection, key)


_TRANSIENT = {errors.R_NETWORK, errors.R_HTTP_STATUS}


def _no_local_path(index: int, item: str | Path | Feed) -> Rejection:
    """Where the caller is remote (the web API), an input is an http(s) URL or nothing."""
    location = item.location if isinstance(item, Feed) else str(item)
    return Rejection(
        stage="ingest",
        code=errors.R_BAD_URL,
        reason="only http:// and https:// URLs are accepted here; the server's files are never read",
        locator=location[:200],
        index=index,
    )


def _locator(item: Input) -> str:
    if isinstance(item, Document):
        return "<document>"
    # a file name that is not valid UTF-8 arrives with surrogate escapes: show them, don't fail
    return str(item).encode("utf-8", "backslashreplace").decode("utf-8")[:500]


def unexpected(
    stage: str, exc: Exception, *, locator: str, index: int | None = None, raw_id: str = ""
) -> Rejection:
    """A bug or an unforeseen input shape met on one item, as that item's stored rejection."""
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())
    return Rejection(
        stage=stage,
        code=errors.R_INTERNAL,
        reason=f"unexpected error in {stage} (the run went on): {detail}"[:300],
        locator=locator,
        index=index,
        raw_id=raw_id or None,
    )


def _split(got: RawDocument | Rejection) -> tuple[RawDocument | None, Rejection | None]:
    return (None, got) if isinstance(got, Rejection) else (got, None)


def mark_copy(article: Article, store: Store, settings: Settings) -> tuple[Article, bytes | None]:
    """The article with `.duplicate` set when it copies a stored one; and its signature."""
    sig = signature(article.text)
    if sig is None:
        return article, None
    best: tuple[float, str] | None = None
    for other_id, other_sig in store.signatures_sharing(band_keys(sig), exclude=article.id).items():
        score = similarity(sig, other_sig)
        if score >= settings.near_duplicate_threshold and (best is None or score > best[0]):
            best = (score, other_id)
    if best is None:
        return article, sig
    score, original_id = best
    original = store.get_article(original_id)
    if original is not None and original.duplicate is not None:
        original_id = original.duplicate.original_id  # link to the first, not a copy of a copy
    kind: Literal["exact", "near"] = (
        "exact" if original is not None and original.text == article.text else "near"
    )
    copy = Copy(original_id=original_id, kind=kind, similarity=round(score, 3))
    return replace(article, duplicate=copy), sig


def ingest_and_extract(
    inputs: Sequence[Input],
    store: Store,
    *,
    settings: Settings,
    run_id: int,
    progress: Progress = _no_progress,
    outlet: str | None = None,
    local_paths: bool = True,
) -> tuple[list[Article], list[Rejection]]:
    """Store raw bytes first, then extract each; rejections are stored with their reason.

    The whole of `extracted`, as two lists (see there).
    """
    articles: list[Article] = []
    rejections: list[Rejection] = []
    for got in extracted(
        inputs,
        store,
        settings=settings,
        run_id=run_id,
        progress=progress,
        outlet=outlet,
        local_paths=local_paths,
    ):
        if isinstance(got, Rejection):
            rejections.append(got)
        else:
            articles.append(got)
    return articles, rejections


def extracted(
    inputs: Sequence[Input],
    store: Store,
    *,
    settings: Settings,
    run_id: int,
    progress: Progress = _no_progress,
    outlet: str | None = None,
    local_paths: bool = True,
    already: list[str] | None = None,
) -> Iterator[Article | Rejection]:
    """Each input's articles (or rejections, stored with their reason), raw bytes stored first.

    Inputs are read lazily, one raw document at a time, so memory does not grow with a WARC
    or a feed; the progress total is the number of inputs given (a directory, feed or archive
    counts once). `local_paths=False` (a remote caller such as the web API): a path, `-` or any
    other non-http(s) input is rejected instead of read from this machine. `already`: the ids
    of articles that were stored before are appended to it.
    """
    reader = _Reader(settings, store, outlet, local_paths=local_paths)
    last_index = -1
    try:
        for item in reader.read(inputs):
            if item.index != last_index:
                progress("extract", item.index, len(inputs))
                last_index = item.index
            got: Article | Rejection
            if item.rejection is not None:
                got = item.rejection
            else:
                assert item.raw is not None
                try:
                    got = _extract_one(item.raw, item.index, store, settings, already)
                except errors.NewsprismError:
                    raise
                except Exception as exc:  # one bad item never stops the run
                    got = unexpected(
                        "extract",
                        exc,
                        locator=item.raw.locator,
                        index=item.index,
                        raw_id=item.raw.id,
                    )
            if isinstance(got, Rejection):
                store.put_rejection(got, run_id=run_id)
            if item.entry is not None:
                store.mark_entry_seen(*item.entry)
            yield got
    finally:
        reader.close()
    progress("extract", len(inputs), len(inputs))


def _extract_one(
    raw: RawDocument,
    index: int,
    store: Store,
    settings: Settings,
    already: list[str] | None = None,
) -> Article | Rejection:
    store.put_raw(raw)
    existing = store.get_article(hash_id("article", raw.id))
    if existing is not None:
        if already is not None:
            already.append(existing.id)
        return existing
    result = extract_article(raw, settings=settings)
    if isinstance(result, Rejection):
        return replace(result, index=index)
    result = registered_outlet(result, store, named=raw.hints.outlet)
    result, sig = mark_copy(result, store, settings)
    with store.transaction():  # an article is never stored without its duplicate signature
        store.put_article(result)
        if sig is not None:
            store.put_signature(result.id, sig, band_keys(sig))
    return result


def registered_outlet(article: Article, store: Store, *, named: str | None) -> Article:
    """The article with its registered outlet (`newsprism outlets`) by URL domain: the
    registry wins over the page's site name and the URL's host, not over an outlet the caller
    `named` (--outlet, a JSON record's "outlet")."""
    registered = None if named else store.outlet_for_url(article.url)
    if registered is None or registered == article.outlet:
        return article
    return replace(article, outlet=registered)


def annotate_articles(
    articles: Sequence[Article],
    store: Store,
    annotator: Annotates,
    *,
    run_id: int,
    progress: Progress = _no_progress,
) -> tuple[dict[str, ArticleAnalysis], list[Rejection]]:
    """Analyse articles that have no stored analysis yet (resumable); reuse the others."""
    analyses, todo = _stored_and_todo(articles, store)
    rejections: list[Rejection] = []
    provided = annotator.pop_features if isinstance(annotator, ProvidesFeatures) else None
    for n, analysis in enumerate(annotate_safely(annotator, todo, rejections), start=1):
        progress("annotate", n, len(todo))
        features = provided(analysis.article.id) if provided is not None else None
        # one transaction: an analysis is never stored without its grouping features
        store.put_analyses([(analysis, features or article_features(analysis))])
        analyses[analysis.article.id] = analysis
    for rej in rejections:
        store.put_rejection(rej, run_id=run_id)
    return analyses, rejections


def _stored_and_todo(
    articles: Sequence[Article], store: Store
) -> tuple[dict[str, ArticleAnalysis], list[Article]]:
    """The articles' current stored analyses, and the articles (once each) still to annotate."""
    analyses: dict[str, ArticleAnalysis] = {}
    todo: list[Article] = []
    queued: set[str] = set()
    for article in articles:
        if article.id in analyses:
            continue
        stored = store.get_analysis(article.id)  # a point lookup, not the set of every id
        if stored is not None and stored.annotator == ANNOTATOR:
            analyses[article.id] = stored
            continue
        if article.id not in queued:
            queued.add(article.id)
            todo.append(article)
    return analyses, todo


@runtime_checkable
class Prefetches(Protocol):
    """An annotator that can start a batch before it is asked for (`AnnotatorPool`)."""

    def prefetch(self, articles: Sequence[Article]) -> None: ...


def annotate_safely(
    annotator: Annotates, articles: list[Article], rejections: list[Rejection]
) -> Iterator[ArticleAnalysis]:
    """Analyses of the articles; each that cannot be analysed adds its rejection instead.

    The annotator's own rejections (`annotate.too_long`, `annotate.timeout`) keep their codes;
    an exception in a batch retries its articles one by one, so one bad article costs only
    itself (`annotate.failed`). Pure but for the model: runs on a Dask worker unchanged.
    """
    finished: set[str] = set()
    try:
        for got in annotator.annotate_or_reject(articles):
            if isinstance(got, Rejection):
                rejections.append(got)
                finished.add(got.raw_id or "")
            else:
                finished.add(got.article.raw_id)
                yield got
        return
    except errors.NewsprismError:
        raise
    except Exception:  # one bad article must not sink the batch: retry one by one
        pass
    for article in articles:
        if article.raw_id in finished:
            continue
        try:
            for got in annotator.annotate_or_reject([article]):
                if isinstance(got, Rejection):
                    rejections.append(got)
                else:
                    yield got
        except errors.NewsprismError:
            raise
        except Exception as exc:
            rejections.append(
                Rejection(
                    stage="annotate",
                    code=errors.R_ANNOTATE,
                    reason=" ".join(f"annotation failed: {type(exc).__name__}: {exc}".split())[
                        :300
                    ],
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
    index: StoryIndex | None = None,
) -> list[str]:
    """Assign each article without a story, in order; return the ids of stories that changed.

    The stories active around the batch's dates are held in a `StoryIndex`; each article is
    scored against the stories the index retrieves for it, and the index drops stories that
    fall two windows behind the newest date seen, so a long, dated stream keeps a window-sized
    index whatever the size of the store.

    `index`: pass the same (initially empty) index to successive calls in one process (a
    `watch` loop, a backfill worker) to keep it between batches. Each call first syncs it with
    the store: stories the store no longer has, or whose member count differs (a merge, a split,
    another writer), are reloaded or dropped, and new active stories are loaded. Without it,
    every call loads the active window from the store.
    """
    # One transaction for the whole assignment: a crash inside it leaves no article assigned,
    # so the resumed run assigns the same batch from the same state (exact resume); and the
    # write lock taken up front keeps another process from assigning between read and write.
    with store.transaction():
        return _group_stories(articles, store, settings=settings, progress=progress, index=index)


def _group_stories(
    articles: Sequence[Article],
    store: Store,
    *,
    settings: Settings,
    progress: Progress,
    index: StoryIndex | None,
) -> list[str]:
    touched: list[str] = []
    todo = [a for a in articles if store.story_of(a.id) is None]
    # Oldest first, then by id: the same articles give the same stories in any input order.
    todo = sorted(
        {a.id: a for a in todo}.values(), key=lambda a: (a.published or dt.date.max, a.id)
    )
    if not todo:
        return touched
    feats = store.get_features([a.id for a in todo])
    together, apart = _constraints(store.overrides())
    if index is None or index.settings != settings:
        index = StoryIndex(settings)
    window = settings.story_window_days
    dates = [a.published for a in todo if a.published]
    # The window to load: around the batch's dates; an undated article is compared with the
    # stories active in that window (or, for an all-undated batch, in the window before the
    # newest dated story) and with undated stories, never with the whole store.
    if dates:
        since: dt.date | None = shift(min(dates), -window)
    else:
        latest_story = store.stories(limit=1)
        latest = latest_story[0].last_date if latest_story else None
        since = shift(latest, -window) if latest else None
    _sync(index, store, since)
    newest: dt.date | None = None
    for n, article in enumerate(todo, start=1):
        progress("stories", n, len(todo))
        features = feats.get(article.id)
        if features is None:
            continue  # not analysed (rejected at annotate)
        if features.date is not None and (newest is None or features.date > newest):
            newest = features.date
            index.evict(shift(newest, -2 * window))
        story_id = _story_of_original(article, store) or next(
            (sid for p in together.get(article.id, ()) if (sid := store.story_of(p))), None
        )
        if story_id is not None and story_id not in index:  # outside the window: load it
            _load(index, store, store.story(story_id))
        if story_id is None:
            barred = {sid for p in apart.get(article.id, ()) if (sid := store.story_of(p))}
            story_id, _score = index.assign(features, barred=barred)
        if story_id is None:
            story_id = fresh_story_id(article.id, lambda i: bool(store.issued_story_ids([i])))
        candidate = index.add(story_id, features)
        if story_id not in touched:
            touched.append(story_id)
        store.add_to_story(
            Story(
                id=story_id,
                article_ids=candidate.article_ids,
                label="",
                first_date=candidate.first_date,
                last_date=candidate.last_date,
                method="",
            ),
            article.id,
        )
    return touched


def _sync(index: StoryIndex, store: Store, since: dt.date | None) -> None:
    """Make the index agree with the store: stories it holds that the store no longer has,
    or has with other members (a merge, a split, another writer), are reloaded or dropped;
    stories active since `since` that it lacks are loaded.

    Stories the index holds from before `since` stay, exactly as they would within one call
    (only `StoryIndex.evict` drops them): they still count in the window's idf, so a batch
    cut into chunks gives the same stories as one call over all of it.
    """
    dates = [c.last_date for c in index.candidates.values() if c.last_date is not None]
    held_since = min([since, *dates]) if since is not None else None
    held = store.story_sizes(since=held_since) if index.members else {}
    for story_id in [
        sid for sid, members in index.members.items() if held.get(sid) != len(members)
    ]:
        index.remove(story_id)
    for story_id in store.story_sizes(since=since):
        if story_id not in index:
            _load(index, store, store.story(story_id))


def _load(index: StoryIndex, store: Store, story: Story) -> None:
    """Put a stored story and its members' features into the index (members in story order)."""
    stored = store.get_features(list(story.article_ids))
    members = [stored[i] for i in story.article_ids if i in stored]
    if members:
        index.add(story.id, *members)


def _constraints(
    overrides: Sequence[Override],
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Manual merges and splits as article -> articles it must join / must not join.

    'together' is transitive (a merge of merges is one story), so each article maps to every
    other article of its connected component; 'apart' holds pair by pair.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    apart: dict[str, set[str]] = {}
    for override in overrides:
        kind, a, b = override.kind, override.a, override.b
        if kind == "together":
            parent[find(a)] = find(b)
        else:
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)
    groups: dict[str, set[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), set()).add(x)
    together = {x: groups[find(x)] - {x} for x in parent}
    return together, apart


def regroup(store: Store, *, settings: Settings, progress: Progress = _no_progress) -> list[str]:
    """Group every analysed article again, oldest first (then by id), from scratch.

    Manual merges and splits are kept: they are stored per article pair and applied as
    must-join / must-not-join constraints. A new story whose members mostly are an old
    story's keeps that story's id and label (`story_ids.match_stories`); any other gets an id
    no story ever had, and a label made from its articles. Returns the story ids.
    """
    articles = [a for a in (store.get_article(i) for i in store.analysed_ids()) if a is not None]
    articles.sort(key=lambda a: (a.published or dt.date.max, a.id))
    with store.transaction():  # a failure anywhere leaves the old stories as they were
        before = {s.id: s for s in store.stories(limit=None)}
        store.clear_stories()
        group_stories(articles, store, settings=settings, progress=progress)
        grouped = store.stories(limit=None)
        continues = match_stories(
            {sid: s.article_ids for sid, s in before.items()},
            {s.id: s.article_ids for s in grouped},
        )
        store.clear_stories()
        # ids made by the grouping above and renamed below were never committed: un-issue
        # them, so a regroup does not use up ids
        renamed = [s.id for s in grouped if s.id in continues]
        store.forget_story_ids([i for i in renamed if i not in before])
        for story in grouped:
            old = before.get(continues.get(story.id, ""))
            if old is not None:
                story = replace(story, id=old.id, label=old.label, method=old.method)
            else:
                analyses = [
                    x for x in (store.get_analysis(i) for i in story.article_ids) if x is not None
                ]
                if analyses:
                    story = replace(story, label=story_label(analyses), method=GROUPER)
            store.put_story(story)
    return list(dict.fromkeys(s for a in articles if (s := store.story_of(a.id))))


def merge_stories(store: Store, keep: str, other: str) -> Story:
    """Move every article of `other` into `keep` (which keeps its id and label); remembered
    across regroups; all or nothing.

    Raises:
        NotFoundError: either story is not in the store.
        ConfigError: the two are the same story.
    """
    first, second = store.story(keep), store.story(other)
    if first.id == second.id:
        raise errors.ConfigError(f"cannot merge story {first.id} with itself")
    merged = replace(first, article_ids=first.article_ids + second.article_ids)
    with store.transaction():
        for a, b in itertools.pairwise(merged.article_ids):  # a chain: all of them, together
            store.put_override("together", a, b)
        store.put_story(merged)
        store.delete_story(second.id)
    return merged


def split_story(store: Store, story_id: str, article_ids: Sequence[str]) -> Story:
    """Move the given articles of a story into a story of their own; remembered; all or
    nothing. The larger part keeps the story's id and label (on a tie, the part holding its
    first article); the other part gets an id no story ever had. Returns the story that now
    holds the given articles.

    Raises:
        NotFoundError: the story is not in the store.
        ConfigError: no articles given, an article that is not in the story, or all of them.
    """
    story = store.story(story_id)
    wanted = list(dict.fromkeys(article_ids))
    if not wanted:
        raise errors.ConfigError(f"name at least one article of story {story.id} to split off")
    members = set(story.article_ids)
    outside = [a for a in wanted if a not in members]
    if outside:
        shown = ", ".join(outside[:3]) + (
            f" and {len(outside) - 3} more" if len(outside) > 3 else ""
        )
        raise errors.ConfigError(f"not in story {story.id}: {shown}")
    moving = [a for a in story.article_ids if a in set(wanted)]
    staying = [a for a in story.article_ids if a not in set(wanted)]
    if not staying:
        raise errors.ConfigError(
            f"cannot split off all {len(moving)} articles of story {story.id}: leave at least one"
        )
    if len(moving) > len(staying) or (
        len(moving) == len(staying) and moving[0] == story.article_ids[0]
    ):
        kept, leaving = moving, staying
    else:
        kept, leaving = staying, moving
    new = Story(
        id=fresh_story_id(leaving[0], lambda i: bool(store.issued_story_ids([i]))),
        article_ids=tuple(leaving),
        label="",
        first_date=None,
        last_date=None,
        method="manual split",
    )
    with store.transaction():
        for a in moving:
            for b in staying:
                store.put_override("apart", a, b)
        for part in (moving, staying):  # each part stays whole (a merge chain may run through both)
            for a, b in itertools.pairwise(part):
                store.put_override("together", a, b)
        store.put_story(replace(story, article_ids=tuple(kept)))
        store.put_story(new)
    return new if leaving is moving else replace(story, article_ids=tuple(kept))


def _story_of_original(article: Article, store: Store) -> str | None:
    """A copy goes where its original went (stored earlier, or earlier in this run)."""
    original = article.duplicate_of
    return None if original is None else store.story_of(original)


def story_digest(
    store: Store, story: Story, analyses: Sequence[ArticleAnalysis] | None = None
) -> StoryDigest:
    """The story's list digest: read when its members are unchanged, else made and kept.

    Made when a run changes the story, so list pages read it instead of every analysis.
    `analyses`: the story's analyses when the caller holds them (else read from the store).
    """
    members = hash_id("members", *story.article_ids)
    found = store.get_digest(story.id, members)
    if found is not None:
        return found
    held = {a.article.id: a for a in analyses or ()}
    articles = [
        a
        for a in (held[i].article if i in held else store.get_article(i) for i in story.article_ids)
        if a is not None
    ]
    outlets = Counter(a.label for a in articles)
    names: Counter[str] = Counter()
    for aid in story.article_ids:
        analysis = held.get(aid) or store.get_analysis(aid)
        if analysis is not None:
            names.update(m.actor_name for m in analysis.mentions)
    made = StoryDigest(
        story_id=story.id,
        members=members,
        title=next((a.title for a in articles if a.title), None) or story.label,
        outlets=tuple(outlets.most_common()),
        actors=tuple(names.most_common()),
    )
    store.put_digest(made)
    return made


def story_report(store: Store, story_id: str, *, settings: Settings) -> StoryReport:
    """The story with a fresh label and its brief (rebuilt when its members or the generator changed)."""
    story, analyses, brief = _report_parts(store, store.story(story_id), store.get_analysis)
    if brief is None:
        brief = build_brief(story, analyses, max_articles=settings.brief_max_articles)
        store.put_brief(brief, story.article_ids)
    return StoryReport(story=story, brief=brief)


def _report_parts(
    store: Store, stored: Story, analysis_of: Callable[[str], ArticleAnalysis | None]
) -> tuple[Story, list[ArticleAnalysis], Brief | None]:
    """The stored story (label refreshed, stored if it changed), its analyses, and its stored
    brief if that is still current (same members and generator), else None."""
    story_id = stored.id
    analyses = [a for a in (analysis_of(i) for i in stored.article_ids) if a is not None]
    story = make_story(story_id, analyses) if analyses else stored
    manual = store.story_labels().get(story_id)
    if manual is not None:  # a label set by hand stays (`newsprism label`)
        story = replace(story, label=manual)
    if story.label != stored.label or story.method != stored.method:
        store.put_story(story)
    brief = store.get_brief(story_id, story.article_ids)
    if brief is not None and brief.generator != GENERATOR:  # made by an older generator
        brief = None
    return story, analyses, brief


@runtime_checkable
class BuildsBriefs(Protocol):
    """Builds briefs elsewhere (`nlp.pool.AnnotatorPool`: on its workers), in order; the
    briefs are `build_brief`'s, so a run's result does not depend on where they are built."""

    def build_briefs(
        self, jobs: Sequence[tuple[Story, Sequence[ArticleAnalysis]]], *, max_articles: int
    ) -> Iterator[Brief]: ...


class _RunAnalyses:
    """The latest `limit` analyses this run made, by article id, with the store behind them:
    the run's briefs and digests read them here instead of decoding them from the store again.
    Bounded, so memory stays flat however long the run."""

    def __init__(self, store: Store, limit: int) -> None:
        self.store = store
        self.limit = limit
        self.held: OrderedDict[str, ArticleAnalysis] = OrderedDict()

    def add(self, analyses: Iterable[ArticleAnalysis]) -> None:
        for analysis in analyses:
            self.held[analysis.article.id] = analysis
            self.held.move_to_end(analysis.article.id)
        while len(self.held) > self.limit:
            self.held.popitem(last=False)

    def get(self, article_id: str) -> ArticleAnalysis | None:
        found = self.held.get(article_id)
        return found if found is not None else self.store.get_analysis(article_id)


def story_reports(
    story_ids: Sequence[str],
    store: Store,
    *,
    settings: Settings,
    analysis_of: Callable[[str], ArticleAnalysis | None] | None = None,
    builder: BuildsBriefs | None = None,
    window: int = 32,
    progress: Progress = _no_progress,
) -> Iterator[StoryReport]:
    """The report of each story still stored, in order, its brief rebuilt where needed
    (`story_report`) and its digest made from the same analyses (`story_digest`): `window`
    stories at a time, their briefs built by `builder` (or here, without one). `analysis_of`
    reads an analysis (default: from the store)."""
    analysis_of = analysis_of or store.get_analysis
    max_articles = settings.brief_max_articles
    ids = iter(story_ids)
    done = 0
    while batch := list(itertools.islice(ids, window)):
        stored = [s for sid in batch if (s := store.get_story(sid)) is not None]
        parts = [_report_parts(store, s, analysis_of) for s in stored]
        jobs = [(story, analyses) for story, analyses, brief in parts if brief is None]
        built = (
            builder.build_briefs(jobs, max_articles=max_articles)
            if builder is not None and jobs
            else (build_brief(story, a, max_articles=max_articles) for story, a in jobs)
        )
        for story, analyses, brief in parts:
            if brief is None:
                brief = next(built)
                store.put_brief(brief, story.article_ids)
            story_digest(store, story, analyses)
            yield StoryReport(story=story, brief=brief)
        done += len(batch)
        progress("brief", done, len(story_ids))


def run(
    inputs: Sequence[Input],
    store: Store,
    *,
    settings: Settings = Settings(),
    annotator: Annotates | None = None,
    progress: Progress = _no_progress,
    command: str = "analyze",
    outlet: str | None = None,
    index: StoryIndex | None = None,
    local_paths: bool = True,
    collect: bool = True,
    workers: int = 1,
) -> Result:
    """The whole job: every input through every stage; returns what `analyze` promises.

    Streaming: inputs are read lazily and go through extract, annotate and story assignment
    in chunks of `settings.chunk_size` raw documents, so memory stays flat however many inputs
    there are (with `collect=False`: then `Result.articles` keeps only the first
    `SAMPLE` articles, `analyses` and `stories` stay empty, and `accepted`/`rejected` count
    everything). Each touched story gets its brief once, at the end. Articles a crashed run
    left half done (stored but not analysed, or analysed but in no story) are finished too.

    `index`: a story index kept between runs in one process (see `group_stories`).
    `local_paths=False`: only `Document`s and http(s) URLs are read (see `extracted`).
    `workers`: annotate on that many processes (`nlp.pool.AnnotatorPool`) when no `annotator`
    is given; the result is identical to `workers=1`."""
    if annotator is None and workers > 1:
        with AnnotatorPool(
            workers, batch_size=settings.nlp_batch_size, timeout=settings.annotate_timeout
        ) as pool:
            return run(
                inputs,
                store,
                settings=settings,
                annotator=pool,
                progress=progress,
                command=command,
                outlet=outlet,
                index=index,
                local_paths=local_paths,
                collect=collect,
            )
    annotator = annotator or Annotator(
        batch_size=settings.nlp_batch_size, timeout=settings.annotate_timeout
    )
    run_id = store.begin_run(command)
    held = _RunAnalyses(store, limit=RUN_ANALYSES)
    index = index if index is not None and index.settings == settings else StoryIndex(settings)
    kept: list[Article] = []
    kept_analyses: dict[str, ArticleAnalysis] = {}
    rejections: list[Rejection] = []
    stories: dict[
        str, None
    ] = {}  # story ids: of the accepted articles in input order, then the rest
    accepted = 0
    annotated = 0
    already: list[str] = []  # articles stored before this run

    def finish(chunk: list[Article]) -> None:
        nonlocal accepted, annotated
        analyses, failed, good, touched = _analyse_and_group(
            chunk,
            store,
            annotator,
            run_id=run_id,
            settings=settings,
            index=index,
            progress=lambda stage, done, total: progress(
                stage, annotated + done, annotated + total
            ),
        )
        annotated += len(chunk)
        held.add(analyses.values())
        rejections.extend(failed)
        accepted += len(good)
        for article in good:
            if collect or len(kept) < SAMPLE:
                kept.append(article)
                if collect and article.id in analyses:
                    kept_analyses[article.id] = analyses[article.id]
            if (sid := store.story_of(article.id)) is not None:
                stories.setdefault(sid)
        for sid in touched:
            stories.setdefault(sid)

    # With an annotator that can start a batch early (the worker pool), a full chunk goes to
    # the workers at once and is finished only when the next one is full, so the driver
    # cleans and stores the next chunk while the workers annotate this one.
    prefetch = annotator.prefetch if isinstance(annotator, Prefetches) else None
    waiting: list[Article] = []

    def full(chunk: list[Article]) -> None:
        nonlocal waiting
        if prefetch is None:
            finish(chunk)
            return
        prefetch(_stored_and_todo(chunk, store)[1])
        if waiting:
            finish(waiting)
        waiting = chunk

    chunk: list[Article] = []
    for got in extracted(
        inputs,
        store,
        settings=settings,
        run_id=run_id,
        progress=progress,
        outlet=outlet,
        local_paths=local_paths,
        already=already,
    ):
        if isinstance(got, Rejection):
            rejections.append(got)
            continue
        chunk.append(got)
        if len(chunk) >= settings.chunk_size:
            full(chunk)
            chunk = []
    if chunk:
        full(chunk)
    if waiting:
        finish(waiting)
    leftovers = [a for a in (store.get_article(i) for i in store.unfinished_ids()) if a]
    for start in range(0, len(leftovers), settings.chunk_size):  # a crashed run's half-done ones
        done_analyses, _, _, touched = _analyse_and_group(
            leftovers[start : start + settings.chunk_size],
            store,
            annotator,
            run_id=run_id,
            settings=settings,
            index=index,
        )
        held.add(done_analyses.values())
        for sid in touched:
            stories.setdefault(sid)
    reports = []
    builder = annotator if isinstance(annotator, BuildsBriefs) else None
    for report in story_reports(
        list(stories),
        store,
        settings=settings,
        analysis_of=held.get,
        builder=builder,
        progress=progress,
    ):
        if collect:
            reports.append(report)
    store.end_run(run_id, accepted=accepted, rejected=len(rejections))
    return Result(
        articles=tuple(kept),
        rejections=tuple(sorted(rejections, key=lambda r: r.index if r.index is not None else -1)),
        stories=tuple(reports),
        analyses=tuple(kept_analyses[a.id] for a in kept if a.id in kept_analyses),
        accepted=accepted,
        rejected=len(rejections),
        touched=len(stories),
        already_stored=len(set(already)),
    )


RUN_ANALYSES = 1024  # analyses a run holds for its briefs and digests (`_RunAnalyses`)
SAMPLE = 50  # articles a run keeps in its Result with collect=False (what a CLI table shows)


def _analyse_and_group(
    articles: list[Article],
    store: Store,
    annotator: Annotates,
    *,
    run_id: int,
    settings: Settings,
    index: StoryIndex,
    progress: Progress = _no_progress,
) -> tuple[dict[str, ArticleAnalysis], list[Rejection], list[Article], list[str]]:
    """Annotate a chunk and assign its analysed articles to stories: the analyses, the
    rejections, the articles that made it, and the stories that changed."""
    analyses, failed = annotate_articles(
        articles, store, annotator, run_id=run_id, progress=progress
    )
    failed_ids = {r.raw_id for r in failed}
    good = [a for a in articles if a.raw_id not in failed_ids]
    touched = group_stories(good, store, settings=settings, progress=progress, index=index)
    return analyses, failed, good, touched
