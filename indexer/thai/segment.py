"""Thai word segmentation, the same at index and query time: pythainlp's newmm with its
dictionary and the glossary's words (Segmenter), the parts of a compound on its own
segmentation's boundaries (ให้ความเป็นธรรม holds ความเป็นธรรม; ศาลา holds no ลา), and
formatted numbers joined again in linear time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pythainlp.tokenize import Trie, word_tokenize

from ..dates import THAI_MONTHS
from .text import is_thai, is_wordlike, normalize
from .trie import CompactTrie

_LATIN_WORD = re.compile(r"[^\W_]+", re.UNICODE)
LONG_RUN_CHARS = 100
# A run with no Thai and no space this long is a pasted picture (base64), a hash or a signed URL:
# newmm's work on it grows with the square of its length (1.4 s at 100,000 characters, 110 s for a
# save of 1,000,000), so it is cut into pieces without newmm (see guarded).
_LONG_RUN = re.compile(rf"[^\s\u0e00-\u0e7f]{{{LONG_RUN_CHARS},}}")
_CUT_AFTER = re.compile(r"[\W_]")


def guarded(text: str, segment) -> list[str]:
    """segment(text), but with every long run of no Thai and no space cut into pieces of at most
    LONG_RUN_CHARS characters, each after a punctuation mark where the piece has one (so the words
    of a long URL stay whole). Nothing is lost: "".join of the result is `text`."""
    if len(text) < LONG_RUN_CHARS or not _LONG_RUN.search(text):
        return segment(text)
    out: list[str] = []
    start = 0
    for match in _LONG_RUN.finditer(text):
        if match.start() > start:
            out.extend(segment(text[start:match.start()]))
        run, at = match.group(), 0
        while at < len(run):
            piece = run[at:at + LONG_RUN_CHARS]
            if at + LONG_RUN_CHARS < len(run):
                marks = [m.end() for m in _CUT_AFTER.finditer(piece)]
                piece = piece[:marks[-1]] if marks else piece
            out.append(piece)
            at += len(piece)
        start = match.end()
    if start < len(text):
        out.extend(segment(text[start:]))
    return out


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

    def token_bounds(self, text: str) -> set[int]:
        """Offsets in `text` where a whole word starts or ends, never inside a compound: where an
        excerpt may start and stop ("ลำดับ" has none inside, though ลำ and ดับ are words)."""
        return set(_word_bounds(text, self.trie, parts=False))

    def tokens(self, text: str) -> list[str]:
        """Split text into words, spaces and punctuation, losing nothing: "".join(tokens) == text.

        >>> Segmenter().tokens("ลาป่วย 3 วัน")
        ['ลาป่วย', ' ', '3', ' ', 'วัน']
        """
        return guarded(text, lambda part: word_tokenize(part, custom_dict=self.trie, engine="newmm",
                                                        keep_whitespace=True)) if text else []

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
        (pythainlp's word_tokenize with join_broken_num=False), long runs of no Thai cut (guarded).
        The build's workers use FastSegmenter (thai/fast.py), which gives the same tokens faster."""
        return guarded(text, self._segments)

    def _segments(self, text: str) -> list[str]:
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


@lru_cache(maxsize=20_000)
def _word_bounds(text: str, trie: Trie, parts: bool = True) -> frozenset[int]:
    bounds = {0, len(text)}
    position = 0
    for token in guarded(text, lambda part: word_tokenize(part, custom_dict=trie, engine="newmm",
                                                         keep_whitespace=True)):
        if parts:
            bounds.update(position + b for b in _part_boundaries(token, trie))
        position += len(token)
        bounds.add(position)
    return frozenset(bounds)


MAX_SPLIT_CHARS = 40  # longer "words" are unsegmentable runs: no parts (and no quadratic work)
# Month names split into dictionary words (ตุ|ลา|คม, กัน|ยา|ยน, กุม|ภา|พันธ์), so a question about leave
# (ลา) or medicine (ยา) matched every date in October or September. Their one part is the short
# name people say and type (ตุลา, กันยา): {month: length of that short name}.
MONTH_STEMS = {month: len(month) - len(next(end for end in ("พันธ์", "คม", "ยน") if month.endswith(end)))
               for month in THAI_MONTHS}


@lru_cache(maxsize=200_000)
def _part_boundaries(word: str, trie: Trie) -> frozenset[int]:
    n = len(word)
    if n > MAX_SPLIT_CHARS or not is_thai(word):
        return frozenset()
    if word in MONTH_STEMS:  # a name, not a compound: ตุลาคม holds ตุลา, never ลา (leave) or คม
        return frozenset({0, MONTH_STEMS[word], n})
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
