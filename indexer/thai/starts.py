"""Where the words of a short text (a title, a tag, a name) start, for suggestions.

A word starts where newmm puts one, and inside a compound of the glossary (the domain's
own words: ลาป่วย, ค่ารักษาพยาบาล) where it splits wholly into the fewest dictionary words
of two characters or more: ลาป่วย → ลา|ป่วย. Ordinary dictionary words stay whole
(พนักงาน is no พนัก + งาน), and every split (the search's part_boundaries) would be too
many for suggestions: การ → กา|ร, อาหารกลางวัน → อา|หา|รก|ลาง|วัน.
"""

from __future__ import annotations

from functools import lru_cache

from pythainlp.tokenize import Trie, word_tokenize

from .segment import Segmenter
from .text import is_thai, is_wordlike

MIN_PART = 2
MAX_COMPOUND_CHARS = 40  # longer runs are not words: no parts (and no quadratic work)


@lru_cache(maxsize=50_000)
def word_starts(text: str, segmenter: Segmenter) -> frozenset[int]:
    """Offsets in `text` where a word or a part of a glossary compound starts.

    >>> sorted(word_starts("การลาป่วยของพนักงาน", Segmenter(["ลาป่วย"])))
    [0, 3, 5, 9, 12]
    """
    starts: set[int] = set()
    position = 0
    compounds = _compounds(segmenter.extra_words)
    for token in word_tokenize(text, custom_dict=segmenter.trie, engine="newmm", keep_whitespace=True):
        if is_wordlike(token):
            starts.add(position)
            if token in compounds:
                starts.update(position + offset for offset in compound_starts(token, segmenter.trie))
        position += len(token)
    return frozenset(starts)


@lru_cache(maxsize=4)
def _compounds(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(words)


@lru_cache(maxsize=100_000)
def compound_starts(word: str, trie: Trie) -> frozenset[int]:
    """Offsets inside `word` where a part starts, in the splits of all of it into the fewest
    dictionary words of MIN_PART characters or more (empty when there is none).

    Fewest parts, as newmm prefers: อาหารกลางวัน is อาหาร|กลางวัน, never อา|หา|รก|ลาง|วัน,
    so ลา does not find it."""
    n = len(word)
    if n > MAX_COMPOUND_CHARS or n < 2 * MIN_PART or not is_thai(word):
        return frozenset()
    ends = [[i + len(p) for p in trie.prefixes(word[i:]) if MIN_PART <= len(p) < n] for i in range(n)]
    fewest = [n + 1] * (n + 1)  # parts needed from i to the end (n + 1: impossible)
    fewest[n] = 0
    for i in range(n - 1, -1, -1):
        fewest[i] = min((1 + fewest[j] for j in ends[i]), default=n + 1)
    if fewest[0] > n:
        return frozenset()
    starts: set[int] = set()
    todo = [0]
    while todo:
        i = todo.pop()
        for j in ends[i]:
            if fewest[j] == fewest[i] - 1 and j < n and j not in starts:
                starts.add(j)
                todo.append(j)
    return frozenset(starts)
