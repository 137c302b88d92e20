"""The words of the index, searchable by substring: how compound parts are found.

newmm keeps ให้ความเป็นธรรม as one word, so a search for ความเป็นธรรม must
find the index words that contain it. The words of the text fields are held in
memory once per index version (a sorted list plus one joined string); a part
is accepted inside a word only where the word splits into dictionary words, so
ลา matches ลาป่วย (ลา + ป่วย) but never ศาลา or ปลา, which split into no words. The same list
answers did-you-mean (see `corrections`).

Only the words are read when the lexicon is built (Whoosh's term statistics
cost ten times more to decode); document frequencies are looked up on demand
for the few words a query touches, and cached.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache

from ..index.leaves import leaf_readers
from ..index.schema import WORD_FIELDS
from ..index.words import segment_words
from ..thai.clusters import sub_units
from ..thai.text import is_thai
from .slips import edit_distance, final_by_sound, skeleton, slip_variants, toneless

FIELDS = WORD_FIELDS
MAX_EXPANSIONS = 48
MIN_INFIX_UNITS = 3  # shorter parts only match at the start of a word
MAX_SPELLING_CANDIDATES = 400
CORRECTIONS_CACHED = 4096  # pieces whose corrections a lexicon remembers (one index version)
# What a phone keyboard types: consonants, vowels and vowel signs, tone and other marks.
THAI_LETTERS = "".join(chr(c) for start, end in ((0x0E01, 0x0E2E), (0x0E30, 0x0E3A), (0x0E40, 0x0E45), (0x0E47, 0x0E4D))
                       for c in range(start, end + 1))


class Lexicon:
    """Words of the index with prefix, cluster-aligned infix and spelling lookups."""

    def __init__(self, reader, doc_frequency: Callable[[str], int], boundaries: Callable[[str], frozenset[int]],
                 words: set[str] | None = None):
        """The words of `reader` (every segment), or of `words` when a known set is given.

        `boundaries(word)` gives the offsets where a word splits into dictionary words
        (Segmenter.part_boundaries): a part is found inside a word only between two of them.
        """
        if words is None:
            words = _words_of([reader])
        self.doc_count = reader.doc_count()
        self.words = sorted(words)
        self.thai_words = [w for w in self.words if is_thai(w)]
        self._blob = "\n" + "\n".join(self.thai_words) + "\n"
        self._known = words
        self._doc_frequency = doc_frequency
        self._boundaries = boundaries
        self._frequency: dict[str, int] = {}
        self._skeletons: dict[str, list[str]] | None = None
        self._toneless: dict[str, list[str]] | None = None
        self._corrections: dict[tuple[str, int, bool], list[str]] = {}  # a typo is typed again and again

    def __len__(self) -> int:
        return len(self.words)

    def extended(self, reader, new_segments: list, doc_frequency: Callable[[str], int]) -> Lexicon:
        """This lexicon plus the words of a few new segments (an editor's save adds one):
        a fraction of a full rebuild. Words of deleted documents may stay; they only
        cost a lookup, since frequencies are always read from the live index."""
        return Lexicon(reader, doc_frequency, self._boundaries, self._known | _words_of(new_segments))

    def __contains__(self, word: str) -> bool:
        return word in self._known

    def frequency(self, word: str) -> int:
        """Documents containing `word` in any text field (summed over fields, cached)."""
        count = self._frequency.get(word)
        if count is None:
            count = self._doc_frequency(word) if word in self._known else 0
            self._frequency[word] = count
        return count

    def containing(self, part: str, limit: int = MAX_EXPANSIONS) -> list[str]:
        """Index words (other than `part`) that start with it or, if it is long enough, contain it;
        the most frequent first: "ความเป็นธรรม" → ["ให้ความเป็นธรรม"]."""
        found = set(self._starting_with(part))
        if len(units(part)) >= MIN_INFIX_UNITS:
            found.update(w for w in self._infix(part) if w != part and self._aligned(w, part))
        return sorted(found, key=lambda w: (-self.frequency(w), w))[:limit]

    def begins(self, typed: str, seen: Callable[[str], bool], limit: int = 8) -> bool:
        """Whether `typed` is the start of a longer index word a reader may see (พยาบ of
        พยาบาล), looking at no more than `limit` of them."""
        i = bisect_left(self.words, typed)
        for word in self.words[i:i + limit]:
            if not word.startswith(typed):
                break
            if word != typed and seen(word):
                return True
        return False

    def corrections(self, typed: str, maxdist: int, anywhere: bool = True) -> list[str]:
        """Index words within `maxdist` edits of `typed`, closest and most frequent first.

        Thai typos are mostly a missing or wrong tone mark or vowel sign, so words
        sharing `typed`'s skeleton (the string without those marks) are candidates,
        and so are words that start with the same two characters and have about
        the same length (a wrong final consonant: พยาบาน → พยาบาล). With `anywhere`,
        so is every index word one edit away, a wrong first letter included (ครวจ → ตรวจ).
        """
        key = (typed, maxdist, anywhere)
        found = self._corrections.get(key)
        if found is not None:
            return found
        near = set(self._one_edit(typed)) - {typed} if anywhere else set()  # one edit, by construction
        candidates = set(self._skeleton_table().get(skeleton(typed), ()))
        candidates.update(self._similar_prefix(typed))
        scored = [(1, -self.frequency(word), word) for word in near]
        for word in candidates - near:
            if final_by_sound(typed, word):  # บุด → บุตร: two edits, but what the reader heard
                scored.append((0.5, -self.frequency(word), word))
            elif word != typed and abs(len(word) - len(typed)) <= maxdist:
                dist = edit_distance(typed, word, maxdist)
                if dist <= maxdist:
                    scored.append((dist, -self.frequency(word), word))
        found = [word for _, _, word in sorted(scored)]
        if len(self._corrections) >= CORRECTIONS_CACHED:
            self._corrections.clear()
        self._corrections[key] = found
        return found

    def same_without_tones(self, word: str) -> list[str]:
        """Index words equal to `word` once tone marks and abbreviation dots are dropped
        ("คา" → ["ค่า", "คา", "ค้า"], "สปสช" → ["สปสช."])."""
        return self._toneless_table()[0].get(toneless(word), [])

    def starting_without_tones(self, text: str, limit: int = 8) -> list[str]:
        """Index words whose tone-less form starts with `text`'s ("คารักษา" → ["ค่ารักษาพยาบาล"]),
        the most frequent first."""
        table, keys = self._toneless_table()
        key = toneless(text)
        found: list[str] = []
        i = bisect_left(keys, key)
        while i < len(keys) and keys[i].startswith(key) and len(found) < MAX_EXPANSIONS:
            found.extend(table[keys[i]])
            i += 1
        return sorted(found, key=lambda w: (-self.frequency(w), w))[:limit]

    def _toneless_table(self) -> tuple[dict[str, list[str]], list[str]]:
        if self._toneless is None:
            table: dict[str, list[str]] = {}
            for known in self.thai_words:
                table.setdefault(toneless(known), []).append(known)
            self._toneless = (table, sorted(table))
        return self._toneless

    def _aligned(self, word: str, part: str) -> bool:
        """True when `part` occurs in `word` between two of its dictionary-word boundaries."""
        bounds = self._boundaries(word)
        if not bounds:
            return False
        start = word.find(part)
        while start != -1:
            if start in bounds and start + len(part) in bounds:
                return True
            start = word.find(part, start + 1)
        return False

    def _skeleton_table(self) -> dict[str, list[str]]:
        if self._skeletons is None:
            table: dict[str, list[str]] = {}
            for word in self.thai_words:
                table.setdefault(skeleton(word), []).append(word)
            self._skeletons = table
        return self._skeletons

    def _one_edit(self, typed: str):
        """Index words one edit from `typed` (a letter dropped, added or swapped for another,
        anywhere: ตลวจ → ตรวจ, ครวจ → ตรวจ), looked up in the word set."""
        if not is_thai(typed):
            return
        known = self._known
        for i in range(len(typed) + 1):
            head, tail = typed[:i], typed[i:]
            if tail:
                if head + tail[1:] in known:
                    yield head + tail[1:]
                for letter in THAI_LETTERS:
                    if letter != tail[0] and head + letter + tail[1:] in known:
                        yield head + letter + tail[1:]
            for letter in THAI_LETTERS:
                if head + letter + tail in known:
                    yield head + letter + tail

    def slips(self, typed: str) -> list[str]:
        """Index words one phone slip from `typed` (see slip_variants): กาล → การ, ลาย → ราย,
        งาณ → งาน, ดุ → ดู, เป๋า → เป้า, ข้นตอน → ขั้นตอน. Looked up in the word set."""
        known = self._known
        return list(dict.fromkeys(variant for variant in slip_variants(typed) if variant in known))

    def _similar_prefix(self, typed: str):
        if len(typed) < 3:
            return
        prefix = typed[:2]
        i = bisect_left(self.words, prefix)
        seen = 0
        while i < len(self.words) and self.words[i].startswith(prefix) and seen < MAX_SPELLING_CANDIDATES:
            if abs(len(self.words[i]) - len(typed)) <= 2:
                yield self.words[i]
                seen += 1
            i += 1

    def _starting_with(self, part: str):
        i = bisect_left(self.thai_words, part)
        while i < len(self.thai_words) and self.thai_words[i].startswith(part):
            if self.thai_words[i] != part and self._aligned(self.thai_words[i], part):
                yield self.thai_words[i]
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


def _words_of(readers) -> set[str]:
    """The words of the readers' segments, each from the words file its build keeps
    beside it (index/words.py) or, without one, from Whoosh's term table."""
    words: set[str] = set()
    for reader in readers:
        if reader.doc_count_all():
            for leaf, _ in leaf_readers(reader):
                words |= segment_words(leaf, FIELDS)
    return words


@lru_cache(maxsize=100_000)
def units(word: str) -> tuple[str, ...]:
    return tuple(sub_units([word]))
