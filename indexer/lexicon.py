"""The words of the index, searchable by substring: how compound parts are found.

newmm keeps ให้ความเป็นธรรม as one word, so a search for ความเป็นธรรม must
find the index words that contain it. The lexicon of the text fields is held
in memory once per index version (a sorted list plus one joined string); a
part is accepted inside a word only on Thai character-cluster boundaries, so
ลา matches ลาป่วย but a short part never matches mid-word noise.
"""

from __future__ import annotations

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
                if is_thai(word):
                    frequency[word] = frequency.get(word, 0) + info.doc_frequency()
        self.frequency = frequency
        self.words = sorted(frequency)
        self._blob = "\n" + "\n".join(self.words) + "\n"

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
