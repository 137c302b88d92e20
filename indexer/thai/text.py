"""Thai text analysis: one normalisation for index and query (segmentation: segment.py,
its stored token ends: ends.py, character clusters: clusters.py).

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
from functools import lru_cache

from pythainlp import thai_above_vowels, thai_below_vowels, thai_follow_vowels, thai_lead_vowels, thai_tonemarks
from pythainlp.util import remove_repeat_vowels, remove_spaces_before_marks

from .digits import TO_ARABIC as _THAI_DIGITS
from .digits import arabic_digits

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_THAI_CHAR = re.compile("[\u0e00-\u0e7f]")
# A token is kept when it holds a letter or digit of any script.
_WORDLIKE = re.compile(r"[^\W_]", re.UNICODE)
_CHUNK = re.compile(r"\S+|\s+")


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


def column(text: object, width: int, right: bool = False) -> str:
    """`text` padded to `width` terminal columns: Thai vowels and tone marks above or below a
    letter take no column of their own, so str.ljust would leave a Thai heading short."""
    text = str(text)
    shown = sum(1 for ch in text if unicodedata.category(ch) != "Mn")
    fill = " " * max(0, width - shown)
    return fill + text if right else text + fill
