"""Stable story ids (pure): which new story continues which old one, and ids never reused.

After a `regroup`, a new story takes the id (and label) of the old story whose membership it
mostly keeps. Old and new stories are paired greedily, best overlap first, one to one; a pair
counts when the Jaccard similarity of their members is at least `MIN_JACCARD` or the new story
holds a majority of the old one's members (so a story that grows a lot keeps its id). A story
with no such partner gets an id never issued before: ids derive from the story's first article
and are salted until unused, so no id ever names two different stories.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from newsprism.ids import hash_id

MIN_JACCARD = 0.5


def story_id_for(first_article_id: str, salt: int = 0) -> str:
    """The story id derived from its first article (salt 0 is `stories.new_story_id`)."""
    if salt == 0:
        return "s" + hash_id("story", first_article_id, length=11)
    return "s" + hash_id("story", first_article_id, str(salt), length=11)


def fresh_story_id(first_article_id: str, issued: Callable[[str], bool]) -> str:
    """An id for a new story that `issued` says no story ever had."""
    salt = 0
    while issued(candidate := story_id_for(first_article_id, salt)):
        salt += 1
    return candidate


def match_stories(
    old: Mapping[str, Sequence[str]], new: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """New story id -> the old story id it continues (only the new stories that continue one).

    Greedy by Jaccard (then overlap, then ids, so the result is deterministic), one to one.
    """
    owner = {a: sid for sid, members in old.items() for a in members}
    old_sets = {sid: set(members) for sid, members in old.items()}
    pairs: list[tuple[float, int, str, str]] = []
    for new_id, members in new.items():
        overlaps: dict[str, int] = {}
        for a in set(members):
            if (sid := owner.get(a)) is not None:
                overlaps[sid] = overlaps.get(sid, 0) + 1
        size = len(set(members))
        for old_id, overlap in overlaps.items():
            jaccard = overlap / (size + len(old_sets[old_id]) - overlap)
            if jaccard >= MIN_JACCARD or 2 * overlap > len(old_sets[old_id]):
                pairs.append((jaccard, overlap, old_id, new_id))
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
    matched: dict[str, str] = {}
    used: set[str] = set()
    for _jaccard, _overlap, old_id, new_id in pairs:
        if new_id in matched or old_id in used:
            continue
        matched[new_id] = old_id
        used.add(old_id)
    return matched
