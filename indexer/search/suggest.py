"""Search as you type: titles, tags, people and index words that start with what was typed.

What was typed is normalised as a search is (Thai digits, case, spaces) and matched as a
plain string prefix, so a prefix that ends inside a Thai character cluster still matches
("ลาป" finds ลาป่วย, "เบิ" finds เบิกค่ารักษา); a tone mark typed before its vowel is
tried with each vowel ("ป่" also finds ปั่น). Titles, tags and names are found by their
start and by the start of any word inside them (word boundaries from the segmenter,
stored with each document at index time: "ป่วย" finds การลาป่วยของพนักงานเทศบาล).

Only published assets contribute (their stored `status`). Each segment's titles, tags and
words go into sorted tables once (suggest_segment.py, prefixes.py), so a request costs a
bisection and k steps per segment. A word is suggested only when a document a reader may
see holds it (the engine's Visibility, the same check as did-you-mean: kept per index
version), so a word that only a draft or an archived asset holds never is.

Latin letters that start nothing are tried as the keys of the Thai layout (keyboard.py):
"]kxj" is ลาป่ typed with the English layout on, and gets what ลาป่ gets.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pythainlp.util import eng_to_thai

from ..index.documents import suggest_key
from ..index.leaves import leaf_readers
from ..plans.people import name_key
from ..thai.starts import word_starts
from .keyboard import THAI_STARTS
from .prefixes import TIER, NamedTable
from .query import MAX_QUERY_CHARS
from .suggest_segment import SegmentSuggestions

log = logging.getLogger(__name__)
KINDS = ("asset", "person", "tag", "word")  # the order a list shows them in
MIN_CHARS = 2  # suggestions start at the second character ("ลา", "km")
DEFAULT_LIMIT = 10
SHARE = {"asset": 4, "person": 2, "tag": 2, "word": 2}  # places each kind is sure of in a list of 10
MAX_SEGMENTS = 64  # segment tables kept before those of older index versions are dropped
# ...or as soon as a segment has been read by no request for this long: a full build's segments
# share nothing with the build before, whose tables stayed until 64 segments had come, and a
# worker's memory grew by a whole build's tables at every rebuild (outside review, load).
UNUSED_S = 120.0
# A request makes the tables of a segment this small itself (a save's new segment: its title is
# suggested at once); a larger one is made in the background and left out until it is ready. At
# 10,000 assets one segment's tables take 2.6-5 s, and a first suggestion after a restart that
# waited for them (benchmark's suggest_first_ms) held one of the worker's few threads as long.
INLINE_DOCS = 500
WORD_CANDIDATES = 3  # × k words taken by length, then ranked by how many assets hold them
_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
_VOWELS_BEFORE_TONE = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47"
_GLUED_KEYS = re.compile("(?<=[\u0e01-\u0e4e])[!-~]+$")  # "ลาป่วยwf": keys typed after the layout key


@dataclass(frozen=True)
class Suggestion:
    """One line of the list under the search box."""

    text: str
    kind: str    # asset | person | tag | word
    target: str  # the asset's slug, the person's key, the tag, or the words to search


def query_key(typed: str | None) -> str:
    """What was typed as suggestions match it: cut before analysis, normalised, spaces collapsed.

    >>> query_key("  ลา  ป่วย ๒๕๖๗ KM ")
    'ลา ป่วย 2567 km'
    """
    return suggest_key((typed or "")[:2 * MAX_QUERY_CHARS])[:MAX_QUERY_CHARS]


def prefixes_of(key: str) -> list[str]:
    """`key`, and when it ends in a tone mark typed before its vowel, `key` with each vowel there."""
    if len(key) >= 2 and key[-1] in _TONES and key[-2] not in _VOWELS_BEFORE_TONE:
        return [key] + [key[:-1] + vowel + key[-1] for vowel in _VOWELS_BEFORE_TONE]
    return [key]


def people_table(people: Iterable[tuple[str, str, tuple[str, ...]]], bounds: Callable[[str], Iterable[int]]
                 ) -> NamedTable:
    """People (key, name, aliases) found by their name with or without its title (นางสาว…) and by alias."""
    rows = []
    for key, name, aliases in people:
        for spelling in dict.fromkeys(s for text in (name, *aliases) for s in (text, name_key(text)) if s):
            rows.append((spelling, name, key, 0, None))
    return NamedTable(rows, bounds)


def collect(parts: list[tuple[object, SegmentSuggestions]], people: NamedTable, key: str, limit: int,
            published_word: Callable[[str], bool], frequency: Callable[[str], int]) -> list[Suggestion]:
    """Suggestions for the query key `key` from the live segments (leaf reader, tables) and people."""
    prefixes = prefixes_of(key)
    titles = sorted((hit for leaf, part in parts for hit in part.titles_for(prefixes, limit, leaf)),
                    key=lambda hit: (-hit[0], hit[1]))
    tags: dict[str, int] = {}  # a tag in several segments: its best tier and its documents summed
    for leaf, part in parts:
        for score, tag in part.tags_for(prefixes, limit, leaf):
            old = tags.get(tag, 0)
            tags[tag] = max(old // TIER, score // TIER) * TIER + old % TIER + score % TIER
    found = {
        "asset": [Suggestion(title, "asset", slug) for _, title, slug in titles[:limit]],
        "person": [Suggestion(people.texts[i], "person", people.targets[i]) for i, _ in people.find(prefixes, limit)],
        "tag": [Suggestion(tag, "tag", tag) for tag in sorted(tags, key=lambda t: (-tags[t], t))[:limit]],
    }
    head, _, last = key.rpartition(" ")  # words complete the last word typed
    words: list[str] = []
    if len(last) >= MIN_CHARS:
        for _, part in parts:
            words += part.words.find(prefixes_of(last), WORD_CANDIDATES * limit, published_word)
    shown = {key} | {suggest_key(s.text) for s in found["tag"]}
    ranked = sorted(set(words), key=lambda w: (-frequency(w), len(w), w))
    texts = [f"{head} {word}" if head else word for word in ranked]
    found["word"] = [Suggestion(text, "word", text) for text in texts if text not in shown][:limit]
    return allot(found, limit)


def allot(found: dict[str, list[Suggestion]], limit: int) -> list[Suggestion]:
    """At most `limit` suggestions: each kind gets its share, places a kind leaves go to the others."""
    take = {kind: min(len(found[kind]), SHARE[kind] * limit // DEFAULT_LIMIT) for kind in KINDS}
    spare = limit - sum(take.values())
    for kind in ("asset", "word", "tag", "person"):
        extra = max(0, min(spare, len(found[kind]) - take[kind]))
        take[kind] += extra
        spare -= extra
    return [suggestion for kind in KINDS for suggestion in found[kind][:take[kind]]]


class Suggester:
    """Suggestions from the live index. Each segment's tables are made once and shared by all
    threads; no lock is held while they are made, so a search, a people table or a suggestion
    from the segments already made never waits for them."""

    def __init__(self, engine):
        self.engine = engine
        self._lock = threading.Lock()  # guards the dictionaries below, never held for long
        self._segments: dict[object, SegmentSuggestions] = {}
        self._used: dict[object, float] = {}  # when a request last read each segment
        self._making: dict[object, threading.Event] = {}  # segment -> set when its tables are made
        self._people: tuple[tuple, NamedTable] | None = None
        self._warmed_in: int | None = None
        self._warming: threading.Thread | None = None
        self._starting = threading.Lock()  # held while a thread starts _warming (guards it)

    def start_warming(self) -> None:
        """Make the live index's tables in a background thread, once per process (the site
        calls this once its first request is answered, after gunicorn forks), so no reader's first
        suggestion goes without them for seconds at 10,000 assets."""
        if self._warmed_in != os.getpid():
            self._warmed_in = os.getpid()
            self._warm_in_background()

    def _warm_in_background(self) -> None:
        """Start a thread that makes every table of the live index still missing, unless one runs
        or another thread is starting one. Opening the searcher reads index files, so it holds
        only the starting lock: a suggestion or the people table never waits for it."""
        if not self._starting.acquire(blocking=False):
            return  # another thread is starting one this moment
        try:
            if self._warming is not None and self._warming.is_alive():
                return
            try:  # opened here, in the caller's thread: the index it reads is the one live now
                opened = self.engine.store.open_searcher()  # its own, closed after: no lease kept
            except Exception as exc:  # noqa: BLE001 - no index yet: a later suggestion starts this again
                log.info("suggestion tables not made in advance: %s", exc)
                return
            self._warming = threading.Thread(target=self._warm, args=(opened,), name="km-suggest-warm", daemon=True)
            self._warming.start()
        finally:
            self._starting.release()

    def _warm(self, opened: tuple) -> None:
        searcher, lease = opened
        try:
            self._parts(searcher, wait=True)
        except Exception as exc:  # noqa: BLE001 - damaged meanwhile: the watcher rebuilds it, a suggestion makes them
            log.info("suggestion tables not made in advance: %s", exc)
        finally:
            searcher.close()
            lease.release()

    def suggest(self, typed: str, people: Iterable = (), limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
        """Suggestions for what was typed (none below MIN_CHARS characters) from published
        assets and `people` (objects with key, name and aliases), grouped by kind."""
        key = query_key(typed)
        if len(key) < MIN_CHARS or limit <= 0:
            return []  # one letter: no index work at all
        searcher = self.engine.searcher()
        parts = self._parts(searcher)
        visible = self.engine.visibility(searcher, include_drafts=False)  # a reader's: drafts never suggested

        def published_word(word: str) -> bool:
            return visible.has_word(searcher, word)

        frequency = self.engine.lexicon(searcher).frequency
        found = collect(parts, self.people(people), key, limit, published_word, frequency)
        if found:
            return found
        # "]kxj" is ลาป่ typed with the English layout on; "เบิกค่าiyd" is เบิกค่ารัก, the layout
        # key hit by mistake after เบิกค่า
        typed = typed[:MAX_QUERY_CHARS]
        keys = typed if key.isascii() else (glued.group() if (glued := _GLUED_KEYS.search(typed)) else "")
        if keys and not keys.isdigit() and eng_to_thai(keys)[:1] in THAI_STARTS:
            switched = query_key(typed[:len(typed) - len(keys)] + eng_to_thai(keys))
            return collect(parts, self.people(people), switched, limit, published_word, frequency)
        # ไบลา is ใบลา; ลาป่วยยย is ลาป่วย, เคพีไอ is KPI said in Thai
        fixed, said = self.engine.read_back(typed)
        if said := said or fixed:
            return collect(parts, self.people(people), query_key(said), limit, published_word, frequency)
        return found

    def people(self, people: Iterable) -> NamedTable:
        """The table of `people`, remade only when the directory changed."""
        key = tuple((p.key, p.name, tuple(p.aliases)) for p in people)
        with self._lock:
            if self._people is None or self._people[0] != key:
                segmenter = self.engine.segmenter
                self._people = (key, people_table(key, lambda text: word_starts(text, segmenter)))
            return self._people[1]

    def _make(self, mine: list[tuple[int, object, str]]) -> None:
        """Make the tables of the segments this thread took, as (size, leaf reader, segment id),
        and tell whoever waits for them."""
        # smallest first: a suggestion waiting for a small segment the background thread took
        # (a save's) then waits for small ones only, never for a large one made before it
        mine.sort(key=lambda made: made[0])
        for _, leaf, segment in mine:
            tables = None
            try:
                tables = SegmentSuggestions(leaf, self.engine.segmenter)
            finally:  # even when making them failed, so nobody waits for them forever
                with self._lock:
                    made = self._making.pop(segment)
                    if tables is not None:
                        self._segments[segment] = tables
                made.set()

    def _parts(self, searcher, wait: bool = False) -> list[tuple[object, SegmentSuggestions]]:
        """(leaf reader, tables) of the segments `searcher` reads whose tables are made.

        A missing small segment's tables (INLINE_DOCS: a save's new segment) are made now, or
        waited for if another thread is making them. A larger segment's are made in the
        background and the segment is left out of this answer; with `wait` (the background
        thread itself) every table is made or waited for.
        """
        leaves = [leaf for leaf, _ in leaf_readers(searcher.reader())]
        ids = [leaf.segment().segment_id() for leaf in leaves]
        mine, theirs, later = [], [], False
        with self._lock:
            for leaf, segment in zip(leaves, ids, strict=True):
                if segment in self._segments:
                    continue
                size = leaf.doc_count_all()
                now = wait or size <= INLINE_DOCS
                if segment in self._making:
                    if now:
                        theirs.append(self._making[segment])
                elif now:
                    self._making[segment] = threading.Event()
                    mine.append((size, leaf, segment))
                else:
                    later = True
        if later:
            self._warm_in_background()
        self._make(mine)
        for made in theirs:
            made.wait()
        with self._lock:
            now = time.monotonic()
            self._used.update((segment, now) for segment in ids)
            for segment in [s for s in self._segments if now - self._used.get(s, now) > UNUSED_S]:
                del self._segments[segment]  # read by no request for a while: merged away or rebuilt
            if len(self._segments) > MAX_SEGMENTS:  # forget segments merged away (keep this version's)
                self._segments = {segment: self._segments[segment] for segment in ids if segment in self._segments}
            self._used = {segment: self._used[segment] for segment in self._segments if segment in self._used}
            return [(leaf, self._segments[segment]) for leaf, segment in zip(leaves, ids, strict=True)
                    if segment in self._segments]
