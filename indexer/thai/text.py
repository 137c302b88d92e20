"""Thai text analysis: one normalisation and one segmentation for index and query.

Normalisation (identical at index and query time):
NFC (never NFKC: it decomposes sara am ำ), zero-width characters removed,
pythainlp's vowel/tone reordering and de-duplication (เเ → แ), Thai digits
turned into Arabic ones (๙๕๑/๒๕๖๗ → 951/2567) and Latin letters lowercased.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

from pythainlp import thai_above_vowels, thai_below_vowels, thai_follow_vowels, thai_lead_vowels, thai_tonemarks
from pythainlp.tokenize import Trie, word_tokenize
from pythainlp.tokenize.tcc import tcc as _tcc_clusters
from pythainlp.tokenize.tcc import tcc_pos
from pythainlp.util import remove_repeat_vowels, remove_spaces_before_marks

from .digits import THAI_DIGIT as _THAI_DIGIT
from .digits import TO_ARABIC as _THAI_DIGITS

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_THAI_CHAR = re.compile("[\u0e00-\u0e7f]")
# A token is kept when it holds a letter or digit of any script.
_WORDLIKE = re.compile(r"[^\W_]", re.UNICODE)
_CHUNK = re.compile(r"\S+|\s+")
_LATIN_WORD = re.compile(r"[^\W_]+", re.UNICODE)


# Everything pythainlp's reordering and de-duplication could change (its own
# character classes): clean text skips its ~25 regex passes, which dominate
# normalisation time, and gives the same result.
_MARKS = f"{thai_above_vowels}{thai_below_vowels}{thai_tonemarks}\u0e3a\u0e4c\u0e4d\u0e4e"
_NOREPEAT = f"{thai_follow_vowels}{thai_lead_vowels}{thai_above_vowels}{thai_below_vowels}\u0e3a\u0e4c\u0e4d\u0e4e"
_NEEDS_THAI_FIX = re.compile(
    "\u0e40\u0e40"                                             # sara e + sara e
    f"|[{thai_tonemarks}\u0e4c][{thai_above_vowels}{thai_below_vowels}]"  # tone before vowel
    "|\u0e4d"                                                  # nikhahit (+ sara aa)
    f"|[{thai_follow_vowels}][{thai_tonemarks}]"                # follow vowel before tone
    "|(?<![\u0e24\u0e26])\u0e45"                               # lakkhangyao not after ฤ/ฦ (ฤๅษี is right)
    f"|([{_NOREPEAT}]) *\\1"                                  # a repeated vowel or sign
    f"|[{thai_tonemarks}]{{2,}}"                                # repeated tone marks
    f"| [{_MARKS}]"                                             # space before a mark
)


def normalize(text: str) -> str:
    """Return the searchable form of `text` (e.g. "ที่ ๙๕๑/๒๕๖๗ KM" → "ที่ 951/2567 km")."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        text = _ZERO_WIDTH.sub("", text)
        if _NEEDS_THAI_FIX.search(text):
            text = remove_repeat_vowels(remove_spaces_before_marks(text))
        if _THAI_DIGIT.search(text):  # translate() costs ~1 ms per page of Thai even with nothing to do
            text = text.translate(_THAI_DIGITS)
    return text.lower()


@lru_cache(maxsize=256)
def normalize_cached(text: str) -> str:
    """`normalize` for document texts that one search reads twice (phrase bonus, snippet)."""
    return normalize(text)


def normalize_slowly(text: str) -> str:
    """The same normalisation without the fast path (tests compare the two)."""
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
    return remove_repeat_vowels(remove_spaces_before_marks(text)).translate(_THAI_DIGITS).lower()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise `text` and map every character of the result to its source index.

    The map has one extra entry (len(text)) so that end offsets map too; the
    highlighter uses it to mark the characters the reader actually sees.
    """
    out: list[str] = []
    offsets: list[int] = []
    for match in _CHUNK.finditer(text):
        chunk, start = match.group(), match.start()
        norm = chunk if chunk.isspace() else normalize(chunk)
        out.append(norm)
        offsets.extend(_align(chunk, norm, start))
    offsets.append(len(text))
    return "".join(out), offsets


def _align(source: str, target: str, start: int) -> list[int]:
    if len(source) == len(target):
        return list(range(start, start + len(source)))
    mapping = [start] * len(target)
    matcher = SequenceMatcher(None, source.lower(), target, autojunk=False)
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            i = i1 + min(j - j1, max(i2 - i1 - 1, 0))
            mapping[j] = start + min(i, len(source) - 1)
    return mapping


def is_thai(token: str) -> bool:
    """True when the token contains a Thai character."""
    return bool(_THAI_CHAR.search(token))


def is_wordlike(token: str) -> bool:
    """True when the token holds a letter or digit (punctuation and spaces are dropped)."""
    return bool(_WORDLIKE.search(token))


class Segmenter:
    """newmm word segmentation with pythainlp's dictionary plus the domain glossary."""

    def __init__(self, extra_words: Iterable[str] = ()) -> None:
        self.extra_words = tuple(sorted({normalize(w) for w in extra_words if w.strip()}))
        self._trie: Trie | None = None

    @property
    def trie(self) -> Trie:
        if self._trie is None:
            self._trie = _dictionary(self.extra_words)
        return self._trie

    def is_word(self, word: str) -> bool:
        """True when the dictionary (pythainlp's plus the glossary) has `word`."""
        return word in self.trie

    def part_boundaries(self, word: str) -> frozenset[int]:
        """Offsets where `word` splits into dictionary words, over every way of splitting
        all of it into two or more of them ("ให้ความเป็นธรรม" → ให้|ความ|เป็น|ธรรม and
        ให้|ความเป็นธรรม). Empty when it cannot be split so: ศาลา is no ศา + ลา, and
        ปลา no ป + ลา, so ลา is never found inside them."""
        return _part_boundaries(word, self.trie)

    def word_bounds(self, text: str) -> set[int]:
        """Offsets in `text` where a word starts or ends, parts of compounds included:
        "ศาลาประชาคม" has none inside ศาลา, "ลาป่วย" has one after ลา."""
        return set(_word_bounds(text, self.trie))

    def tokens(self, text: str) -> list[str]:
        """Split text into words, spaces and punctuation, losing nothing: "".join(tokens) == text.

        >>> Segmenter().tokens("ลาป่วย 3 วัน")
        ['ลาป่วย', ' ', '3', ' ', 'วัน']
        """
        return word_tokenize(text, custom_dict=self.trie, engine="newmm", keep_whitespace=True) if text else []

    def words(self, normalized: str) -> list[str]:
        """Split already-normalised text into words, dropping spaces and punctuation.

        >>> Segmenter(["ลาป่วย"]).words("ลาป่วยต้องทำอย่างไร")
        ['ลาป่วย', 'ต้อง', 'ทำ', 'อย่างไร']
        """
        if not normalized:
            return []
        tokens = word_tokenize(normalized, custom_dict=self.trie, engine="newmm", keep_whitespace=False)
        words: list[str] = []
        for token in tokens:
            if is_thai(token):
                if is_wordlike(token):
                    words.append(token)
            else:
                # "951/2567" arrives as "951", "/2567": keep only letter/digit runs.
                words.extend(_LATIN_WORD.findall(token))
        return words


@lru_cache(maxsize=20_000)
def _word_bounds(text: str, trie: Trie) -> frozenset[int]:
    bounds = {0, len(text)}
    position = 0
    for token in word_tokenize(text, custom_dict=trie, engine="newmm", keep_whitespace=True):
        bounds.update(position + b for b in _part_boundaries(token, trie))
        position += len(token)
        bounds.add(position)
    return frozenset(bounds)


MAX_SPLIT_CHARS = 40  # longer "words" are unsegmentable runs: no parts (and no quadratic work)


@lru_cache(maxsize=200_000)
def _part_boundaries(word: str, trie: Trie) -> frozenset[int]:
    n = len(word)
    if n > MAX_SPLIT_CHARS or not is_thai(word):
        return frozenset()
    # ends[i]: lengths of dictionary words starting at i (the whole word excluded)
    ends = [[i + len(p) for p in trie.prefixes(word[i:]) if len(p) < n or i > 0] for i in range(n)]
    reach_end = [False] * (n + 1)  # from i, the rest splits into dictionary words
    reach_end[n] = True
    for i in range(n - 1, -1, -1):
        reach_end[i] = any(reach_end[j] for j in ends[i])
    if not reach_end[0]:
        return frozenset()
    reached = [False] * (n + 1)  # i is reachable from 0 by dictionary words
    reached[0] = True
    bounds = set()
    for i in range(n):
        if reached[i] and reach_end[i]:
            bounds.add(i)
            for j in ends[i]:
                if reach_end[j]:
                    reached[j] = True
    bounds.add(n)
    return frozenset(bounds)


@lru_cache(maxsize=4)
def _dictionary(extra_words: tuple[str, ...]) -> Trie:
    from pythainlp.corpus import thai_words

    return Trie(set(thai_words()) | set(extra_words))


def clusters(normalized: str) -> list[str]:
    """Split normalised text into sub-word units (Thai character clusters).

    Thai runs become Thai Character Clusters (the smallest units that can never
    be split), other words stay whole, so "ให้ความเป็นธรรม" contains the cluster
    sequence of "ความเป็นธรรม"; snippets and the lexicon use cluster boundaries.
    """
    units: list[str] = []
    for run in _RUNS.findall(normalized):
        if is_thai(run):
            units.extend(c for c in _tcc_clusters(run) if is_wordlike(c))
        else:
            units.append(run)
    return units


def sub_units(words: Iterable[str]) -> list[str]:
    """The sub-word units of already-segmented words, word by word (cached).

    Index and query both use this, so a query's units line up with the index's.
    """
    units: list[str] = []
    for word in words:
        units.extend(_word_units(word))
    return units


@lru_cache(maxsize=200_000)
def _word_units(word: str) -> tuple[str, ...]:
    return tuple(clusters(word))


_RUNS = re.compile(r"[\u0e00-\u0e7f]+|[^\W_\u0e00-\u0e7f]+", re.UNICODE)


def cluster_boundaries(normalized: str) -> set[int]:
    """Return every offset where a match may start or end without splitting a cluster."""
    bounds = {0, len(normalized)}
    for run in _RUNS.finditer(normalized):
        bounds.add(run.start())
        bounds.add(run.end())
        if is_thai(run.group()):
            bounds.update(run.start() + p for p in tcc_pos(run.group()))
    return bounds
