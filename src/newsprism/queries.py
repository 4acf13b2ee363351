"""Read-only questions over the store that the CLI and the web both ask.

Actor questions read the store's actor table (one row per actor and article, written with each
analysis), so they load only the analyses of the articles that name the actor.
"""

from __future__ import annotations

from typing import Any

from newsprism.nlp.gazetteer import alias_index
from newsprism.serde import to_data
from newsprism.store import Store


def canonical_actor(name: str) -> str:
    """The canonical name for what a user typed: "Kremlin" -> "Russia", "Macron" -> "Emmanuel Macron"."""
    entry = alias_index().get(name.strip().lower())
    return entry.name if entry is not None else name.strip()


def actor_activity(store: Store, name: str) -> dict[str, Any]:
    """An actor's quotes and the events it takes part in, oldest first."""
    name = canonical_actor(name)
    wanted = name.casefold()
    quotes, events = [], []
    for aid in store.actor_article_ids(name):
        analysis = store.get_analysis(aid)
        if analysis is None:
            continue
        article = analysis.article
        base = {
            "article_id": aid,
            "outlet": article.label,
            "published": article.published.isoformat() if article.published else None,
        }
        for q in analysis.quotes:
            if q.speaker is not None and q.speaker.name.casefold() == wanted:
                quotes.append({**base, **to_data(q)})
        for e in analysis.events:
            if wanted in (e.actor.casefold(), (e.target or "").casefold()):
                events.append({**base, **to_data(e)})
    key = lambda item: (item.get("date") or item["published"] or "", item["article_id"])  # noqa: E731
    return {"name": name, "quotes": sorted(quotes, key=key), "events": sorted(events, key=key)}


def pair_events(store: Store, a: str, b: str) -> list[dict[str, Any]]:
    """Events between two actors (either direction), oldest first, each with its evidence."""
    pair = {canonical_actor(a).casefold(), canonical_actor(b).casefold()}
    return [
        e
        for e in actor_activity(store, a)["events"]
        if {e["actor"].casefold(), (e["target"] or "").casefold()} == pair
    ]
