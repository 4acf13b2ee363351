"""The stemmer is shared by the web server's worker threads: stemming at once gives each its
own stems (one Snowball stemmer object across threads raised IndexError under load)."""

from __future__ import annotations

import threading

import snowballstemmer

from newsprism import align

WORDS = [
    f"{base}{suffix}"
    for base in ("negotiat", "connect", "generaliz", "relat")
    for suffix in ("ion", "ions", "ional", "ing", "ed", "ively")
]


def test_stemming_from_many_threads_at_once_matches_one_thread() -> None:
    expected = {w: snowballstemmer.stemmer("english").stemWord(w) for w in WORDS}
    problems: list[str] = []
    start = threading.Barrier(8)

    def work(k: int) -> None:
        start.wait()
        for n in range(300):
            w = WORDS[(n + k) % len(WORDS)]
            # bypass the cache: each call stems with this thread's stemmer
            got = align._stemmer().stemWord(w)
            if got != expected[w]:
                problems.append(f"{w}: {got}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert problems == []


def test_each_thread_has_its_own_stemmer() -> None:
    mine = align._stemmer()
    assert align._stemmer() is mine
    seen: list[object] = []
    t = threading.Thread(target=lambda: seen.append(align._stemmer()))
    t.start()
    t.join()
    assert seen and seen[0] is not mine
