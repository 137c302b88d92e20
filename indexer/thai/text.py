"""Thai text analysis: one normalisation and one segmentation for index and query.

Normalisation (identical at index and query time):
NFC (never NFKC: it decomposes sara am ำ), zero-width characters removed,
runs of more than four vowel signs and tone marks cut to four, pythainlp's
vowel/tone reordering and de-duplication (เเ → แ), Thai digits turned into
Arabic ones (๙๕๑/๒๕๖๗ → 951/2567) and Latin letters lowercased.

Every step is linear in the length of the text: anything a visitor types or a
file holds goes through here.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import accumulate

from pythainlp import thai_above_vowels, thai_below_vowels, thai_follow_vowels, thai_lead_vowels, thai_tonemarks
from pythainlp.tokenize import Trie, word_tokenize
from pythainlp.tokenize.tcc import tcc as _tcc_clusters
from pythainlp.tokenize.tcc import tcc_pos

try:  # the pattern tcc_pos matches with (see _cluster_ends)
    from pythainlp.tokenize.tcc import _PAT_TCC as _TCC_PATTERN
except ImportError:  # a later pythainlp may rename it: tcc_pos itself is then used
    _TCC_PATTERN = None
from pythainlp.util import remove_repeat_vowels, remove_spaces_before_marks

from .digits import TO_ARABIC as _THAI_DIGITS
from .digits import arabic_digits
from .trie import CompactTrie

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
_THAI_FIXES = (  # (a string the text must hold for the pattern to match, or None; the pattern)
    ("\u0e40\u0e40", None),                                    # sara e + sara e
    ("\u0e4d", None),                                          # nikhahit (+ sara aa)
    ("\u0e45", "(?<![\u0e24\u0e26])\u0e45"),                   # lakkhangyao not after ฤ/ฦ (ฤๅษี is right)
    (None, f"[{thai_tonemarks}\u0e4c][{thai_above_vowels}{thai_below_vowels}]"),  # tone before vowel
    (None, f"[{thai_follow_vowels}][{thai_tonemarks}]"),         # follow vowel before tone
    (None, f"[{thai_tonemarks}][{thai_tonemarks}]"),             # repeated tone marks
    (None, f" [{_MARKS}]"),                                      # space before a mark
    (None, f"([{_NOREPEAT}]) *\\1"),                            # a repeated vowel or sign
)
# One pass of the patterns in turn, a plain `in` where it answers, is three times faster than
# one regex of them all (0.19 against 0.57 ms for 3,900 characters): the search normalises
# the text of every candidate it reads.
_THAI_FIX_CHECKS = tuple((needle, re.compile(pattern) if pattern else None) for needle, pattern in _THAI_FIXES)


def needs_thai_fix(text: str) -> bool:
    """Whether pythainlp's reordering or de-duplication could change `text`."""
    return any((needle is None or needle in text) and (pattern is None or pattern.search(text))
               for needle, pattern in _THAI_FIX_CHECKS)


# Real Thai never stacks more than three signs on a letter (a vowel, a tone mark and
# a sign such as ์, or a following vowel). pythainlp's reordering regexes backtrack over
# a longer run in time quadratic in its length (10,000 tone marks after one letter took
# 0.65-7 s, 100,000 took 71 s), so runs are cut to MAX_MARK_RUN first. Real text never
# changes, and a repeated sign would be collapsed to one by pythainlp anyway.
MAX_MARK_RUN = 4
_RUN_CHARS = f"{_MARKS}{thai_follow_vowels}"
_MARK_RUN = re.compile(f"([{_RUN_CHARS}]{{{MAX_MARK_RUN}}})[{_RUN_CHARS}]+")


# ๆ repeats the word before it, written against it (ต่างๆ) or, as the Royal Institute asks,
# after a space (ต่าง ๆ). The segmenter keeps either with its word, as two different words
# (and pythainlp's stop words list ต่างๆ but not ต่าง ๆ), so a reader's ง่ายๆ never met an asset's
# ง่าย ๆ. Searchable text reads it as a space: the word is the word, repeated or not.
_MAIYAMOK = "\u0e46"


def normalize(text: str) -> str:
    """Return the searchable form of `text` (e.g. "ที่ ๙๕๑/๒๕๖๗ KM" → "ที่ 951/2567 km")."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        text = _ZERO_WIDTH.sub("", text)
        if needs_thai_fix(text):
            text = remove_repeat_vowels(remove_spaces_before_marks(_MARK_RUN.sub(r"\1", text)))
        text = arabic_digits(text)
        if _MAIYAMOK in text:
            text = text.replace(_MAIYAMOK, " ")
    return text.lower()


@lru_cache(maxsize=256)
def normalize_cached(text: str) -> str:
    """`normalize` for document texts that one search reads twice (phrase bonus, snippet)."""
    return normalize(text)


def normalize_slowly(text: str) -> str:
    """The same normalisation without the fast path (tests compare the two)."""
    text = _MARK_RUN.sub(r"\1", _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text)))
    text = remove_repeat_vowels(remove_spaces_before_marks(text)).translate(_THAI_DIGITS)
    return text.replace(_MAIYAMOK, " ").lower()


def normalize_with_offsets(text: str) -> tuple[str, array]:
    """Normalise `text` and map every character of the result to its source index.

    The map has one extra entry (len(text)) so that end offsets map too; the
    highlighter uses it to mark the characters the reader actually sees.
    """
    out: list[str] = []
    offsets = array("i")
    for match in _CHUNK.finditer(text):
        chunk, start = match.group(), match.start()
        norm = chunk if chunk.isspace() else normalize(chunk)
        out.append(norm)
        if len(norm) == len(chunk):
            offsets.extend(range(start, start + len(chunk)))
        else:
            offsets.extend(_align(chunk, norm, start))
    offsets.append(len(text))
    return "".join(out), offsets


# Normalisation keeps every Thai consonant, in order (it only reorders, merges and drops
# the signs and vowels around them, and digits and case map one to one), so the
# consonants of a chunk and of its normal form pair up and the text between each pair
# is aligned on its own: linear work, and a slip never spreads past the next letter.
_CONSONANT = re.compile("[ก-ฮ]")
_ALIGN_WINDOW = 64  # how far ahead a character of the normal form is looked for


def _align(source: str, target: str, start: int) -> list[int]:
    """Source index of every character of `target` (the normal form of `source`)."""
    cuts_s = [m.start() for m in _CONSONANT.finditer(source)]
    cuts_t = [m.start() for m in _CONSONANT.finditer(target)]
    if len(cuts_s) != len(cuts_t):  # not expected; align the chunk as one piece
        cuts_s = cuts_t = []
    bounds = zip([0, *cuts_s], [*cuts_s, len(source)], [0, *cuts_t], [*cuts_t, len(target)], strict=True)
    mapping: list[int] = []
    for s0, s1, t0, t1 in bounds:
        if s1 - s0 == t1 - t0:
            mapping.extend(range(start + s0, start + s1))
        else:
            mapping.extend(_align_piece(source[s0:s1], target[t0:t1], start + s0))
    return mapping


def _align_piece(source: str, target: str, start: int) -> list[int]:
    """Walk the normal form: each character is found a little ahead in the source (what was
    dropped is skipped); one made by merging (เเ → แ) points at the next source character."""
    folded = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in source).translate(_THAI_DIGITS)
    mapping, i, last = [], 0, max(len(source) - 1, 0)
    for ch in target:
        found = folded.find(ch, i, i + _ALIGN_WINDOW)
        if found == -1:
            mapping.append(start + min(i, last))
            i += 1
        else:
            mapping.append(start + found)
            i = found + 1
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
        return _words_of_tokens(_without_spaces(self.segments(normalized)))

    def words_and_ends(self, normalized: str, limit: int) -> tuple[list[str], list[int]]:
        """words(normalized), and where the tokens of its first `limit` characters end, from
        one segmentation: the index stores the ends (pack_ends, StoredEnds), so a snippet needs no
        segmentation of its own.

        >>> Segmenter(["ลาป่วย"]).words_and_ends("ลาป่วย 3 วัน", 8)
        (['ลาป่วย', '3', 'วัน'], [6, 7, 8])
        """
        if not normalized:
            return [], []
        tokens = self.segments(normalized)
        ends, position = [], 0
        for token in tokens:
            if position >= limit:
                break
            position += len(token)
            ends.append(position)
        return _words_of_tokens(_without_spaces(tokens)), ends

    def segments(self, text: str) -> list[str]:
        """newmm's tokens of `text` as they come, spaces kept and numbers not rejoined
        (pythainlp's word_tokenize with join_broken_num=False). The build's workers use
        FastSegmenter (thai/fast.py), which gives the same tokens faster."""
        return word_tokenize(text, custom_dict=self.trie, engine="newmm", keep_whitespace=True,
                             join_broken_num=False)


def _without_spaces(tokens: list[str]) -> list[str]:
    """pythainlp's keep_whitespace=False: tokens stripped of spaces, those left empty dropped."""
    return [t.strip(" ") for t in tokens if t.strip(" ")]


def _words_of_tokens(tokens: list[str]) -> list[str]:
    """The words among newmm's tokens: Thai words, and letter/digit runs of the others."""
    words: list[str] = []
    for token in rejoin_numbers(tokens):
        if is_thai(token):
            if is_wordlike(token):
                words.append(token)
        else:
            # "951/2567" arrives as "951", "/2567": keep only letter/digit runs.
            words.extend(_LATIN_WORD.findall(token))
    return words


def pack_ends(ends: Iterable[int]) -> bytes:
    """Token ends (increasing offsets) as the index stores them: each token's length in a
    byte, a length of 255 or more as 255 and then two bytes (about one byte a token). A
    token longer than 65,535 characters (a run with no word break) ends what is stored:
    beyond it, a snippet segments its window itself."""
    packed, previous = bytearray(), 0
    for end in ends:
        length, previous = end - previous, end
        if length < 255:
            packed.append(length)
        elif length <= 0xFFFF:
            packed += bytes((255, length >> 8, length & 0xFF))
        else:
            break
    return bytes(packed)


def unpack_ends(packed: bytes) -> list[int]:
    """The token ends `pack_ends` stored."""
    if 255 not in packed:
        return list(accumulate(packed))  # every token shorter than 255 characters: summed in C
    ends, position, i = [], 0, 0
    while i < len(packed):
        length = packed[i]
        if length == 255:
            length, i = (packed[i + 1] << 8) | packed[i + 2], i + 3
        else:
            i += 1
        position += length
        ends.append(position)
    return ends


class StoredEnds:
    """Word boundaries of a text from the token ends its index document stores (pack_ends):
    for a window of the text, what Segmenter.word_bounds gives for it, but taken from the
    segmentation of the whole text, with nothing segmented again (a compound's parts come
    from `parts`, cached per word)."""

    def __init__(self, ends: list[int], parts: Callable[[str], frozenset[int]]):
        self.ends, self.parts = ends, parts

    def window(self, normalized: str, low: int, high: int) -> frozenset[int] | None:
        """Offsets, relative to `low`, where a word of normalized[low:high] starts or ends (both
        ends of the window included); None when the stored ends stop before `high`."""
        high = min(high, len(normalized))
        if not self.ends or high > self.ends[-1] or low > high:
            return None
        bounds = {0, high - low}
        i = bisect_right(self.ends, low)
        start = self.ends[i - 1] if i else 0
        while i < len(self.ends) and start < high:
            end = self.ends[i]
            if start >= low:
                bounds.add(start - low)
            if end <= high:
                bounds.add(end - low)
            if end - start > 1:
                bounds.update(start + b - low for b in self.parts(normalized[start:end]) if low < start + b < high)
            start, i = end, i + 1
        return frozenset(bounds)

    def holds(self, normalized: str, low: int, high: int) -> WindowBounds | None:
        """The same boundaries as `window`, worked out only for the offsets asked about
        (`offset in holds(...)`): a snippet asks about the ends of a few matches, not about
        every word of its window."""
        high = min(high, len(normalized))
        if not self.ends or high > self.ends[-1] or low > high:
            return None
        return WindowBounds(self, normalized, low, high)

    def is_bound(self, normalized: str, position: int) -> bool:
        """Whether a word of the stored text starts or ends at `position`, a compound's parts included."""
        i = bisect_left(self.ends, position)
        if i == len(self.ends):
            return False
        start, end = (self.ends[i - 1] if i else 0), self.ends[i]
        if position in (start, end):
            return True
        return position - start in self.parts(normalized[start:end])


class WindowBounds:
    """The word boundaries of a window of a text, as offsets from its start, found on demand."""

    __slots__ = ("stored", "text", "low", "high")

    def __init__(self, stored: StoredEnds, text: str, low: int, high: int):
        self.stored, self.text, self.low, self.high = stored, text, low, high

    def __contains__(self, offset: object) -> bool:
        if not isinstance(offset, int) or not 0 <= offset <= self.high - self.low:
            return False
        return offset in (0, self.high - self.low) or self.stored.is_bound(self.text, self.low + offset)


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
# pythainlp's own rejoining (join_broken_num) finds numbers with r"(\d+[\.\,:])+\d+",
# which backtracks from every digit of a long run of digits: 8,000 digits took 2.4 s,
# 100,000 took 400 s. This pattern finds the same numbers, but only starts where a run
# of digits starts and never gives digits back, so it is linear.
_FORMATTED_NUMBER = re.compile(r"(?<!\d)\d++(?:[.,:]\d++)+")


def rejoin_numbers(tokens: list[str]) -> list[str]:
    """Join the pieces of formatted numbers a tokenizer split ("1", ",", "234" → "1,234"),
    as pythainlp's join_broken_num does, in linear time."""
    text = "".join(tokens)
    joined: list[str] = []
    position, index = 0, 0
    for match in _FORMATTED_NUMBER.finditer(text):
        while index < len(tokens) and position < match.start():
            joined.append(tokens[index])
            position += len(tokens[index])
            index += 1
        pieces = []
        while index < len(tokens) and position < match.end():
            pieces.append(tokens[index])
            position += len(tokens[index])
            index += 1
        if pieces:
            joined.append("".join(pieces))
    joined.extend(tokens[index:])
    return joined


# Words of pythainlp's list that newmm picks wrongly where two cuts have as many words:
# บอกว่า ("said that"), in every other long question ("หัวหน้าบอกว่า…"), became บอ + กว่า,
# so a reader's question held the word บอ (crazy) and lost บอก. บ้าบอ stays a word.
# The others are Pali or archaic entries that swallow the last letter of a word before a
# particle: วันไหนคะ was วัน + ไห + นคะ, and the speller offered วันไหนคร; งานคะ, ก่อนคะ,
# บ้านคะ and ตอนคะ the same (นคะ), ไหมละ and ทีมละ (มละ), กรรมการละ (การละ), ตารางเมตรละ
# (ตรละ), รูปละ (ปละ), นายกนะ (ยกนะ). Of the blind questions' words before 18 particles, 114
# pairs were cut through the word; the 48 left are real words (ตั้งแต่ + ละ as ตั้ง + แต่ละ).
NOT_WORDS = frozenset({"บอ", "นคะ", "มละ", "การละ", "ตรละ", "ปละ", "ยกนะ", "หานะ"})


@lru_cache(maxsize=4)
def _dictionary(extra_words: tuple[str, ...]) -> Trie:
    from pythainlp.corpus import thai_words

    return CompactTrie((set(thai_words()) - NOT_WORDS) | set(extra_words))


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
        start, end = run.span()
        bounds.add(start)
        bounds.add(end)
        if is_thai(run.group()):
            _cluster_ends(normalized, start, end, bounds)
    return bounds


def _cluster_ends(text: str, start: int, end: int, into: set[int]) -> None:
    """Add the end of every Thai character cluster of text[start:end] to `into`: pythainlp's
    tcc_pos with its own pattern, matched in place (tcc_pos copies the rest of the text
    at every cluster and yields each one; snippets check clusters at every candidate
    match, and this takes half the time). tests/test_thai.py compares the two."""
    if _TCC_PATTERN is None:
        into.update(start + p for p in tcc_pos(text[start:end]))
        return
    match, position = _TCC_PATTERN.match, start
    while position < end:
        found = match(text, position, end)
        position = found.end() if found else position + 1
        into.add(position)
