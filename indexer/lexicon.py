"""The words of the index, searchable by substring: how compound parts are found.

newmm keeps ให้ความเป็นธรรม as one word, so a search for ความเป็นธรรม must
find the index words that contain it. The lexicon of the text fields is held
in memory once per index version (a sorted list plus one joined string); a
part is accepted inside a word only on Thai character-cluster boundaries, so
ลา matches ลาป่วย but a short part never matches mid-word noise.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from functools import lru_cache

from .thai import is_thai, sub_units

FIELDS = ("title", "headings", "tags_text", "body")
MAX_EXPANSIONS = 48
MIN_INFIX_UNITS = 3  # shorter parts only match at the start of a word


class Lexicon:
    """Thai words of the index with prefix and cluster-aligned infix lookup."""

    def __init__(self, reader):
        frequency: dict[str, int] = {}
        for name in FIELDS:
            for raw, info in reader.iter_field(name):
                word = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                frequency[word] = frequency.get(word, 0) + info.doc_frequency()
        self.frequency = frequency
        self.words = sorted(w for w in frequency if is_thai(w))
        self._blob = "\n" + "\n".join(self.words) + "\n"
        self._neighbours: dict[str, list[str]] | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.frequency

    def containing(self, part: str, limit: int = MAX_EXPANSIONS) -> list[str]:
        """Index words (other than `part`) that start with it or, if it is long enough, contain it;
        the most frequent first: "ความเป็นธรรม" → ["ให้ความเป็นธรรม"]."""
        found = set(self._starting_with(part))
        if len(units(part)) >= MIN_INFIX_UNITS:
            found.update(w for w in self._infix(part) if w != part and _aligned(w, part))
        return sorted(found, key=lambda w: (-self.frequency[w], w))[:limit]

    def corrections(self, typed: str, maxdist: int) -> list[str]:
        """Index words within `maxdist` edits of `typed`, closest and most frequent first.

        Thai typos are mostly a missing or wrong tone mark or vowel sign, so words
        are grouped by their skeleton (the string without those marks), and by
        every skeleton with one character deleted (a SymSpell-style neighbourhood,
        built on first use for words that occur in at least two places).
        """
        neighbours = self._neighbourhood()
        key = skeleton(typed)
        candidates: set[str] = set()
        for probe in {key, *_deletions(key)}:
            candidates.update(neighbours.get(probe, ()))
        scored = []
        for word in candidates:
            if word != typed:
                dist = edit_distance(typed, word)
                if dist <= maxdist:
                    scored.append((dist, -self.frequency[word], word))
        return [word for _, _, word in sorted(scored)]

    def _neighbourhood(self) -> dict[str, list[str]]:
        with self._lock:
            if self._neighbours is None:
                table: dict[str, list[str]] = {}
                for word, count in self.frequency.items():
                    if count < 2 or len(word) < 3:
                        continue
                    key = skeleton(word)
                    for probe in {key, *_deletions(key)}:
                        table.setdefault(probe, []).append(word)
                self._neighbours = table
            return self._neighbours

    def _starting_with(self, part: str):
        i = bisect_left(self.words, part)
        while i < len(self.words) and self.words[i].startswith(part):
            if self.words[i] != part and _aligned(self.words[i], part):
                yield self.words[i]
            i += 1

    def _infix(self, part: str):
        blob = self._blob
        start = blob.find(part)
        while start != -1:
            line_start = blob.rfind("\n", 0, start) + 1
            line_end = blob.find("\n", start)
            if start != line_start:  # prefixes were found by bisection already
                yield blob[line_start:line_end]
            start = blob.find(part, line_end)


# Thai above/below vowels, tone marks and other signs written over or under a consonant.
_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def skeleton(word: str) -> str:
    """The word without vowel signs and tone marks: "ลาป่วย" → "ลาปวย"."""
    return _MARKS.sub("", word)


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))} if len(key) > 2 else set()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only; the candidates are few)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@lru_cache(maxsize=100_000)
def units(word: str) -> tuple[str, ...]:
    return tuple(sub_units([word]))


def _aligned(word: str, part: str) -> bool:
    """True when `part` occurs in `word` starting and ending on cluster boundaries."""
    bounds = {0}
    position = 0
    for unit in units(word):
        position += len(unit)
        bounds.add(position)
    start = word.find(part)
    while start != -1:
        if start in bounds and start + len(part) in bounds:
            return True
        start = word.find(part, start + 1)
    return False
