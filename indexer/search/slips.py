"""How far one spelling is from another as a phone typist slips: tone marks dropped or
changed, look-alike and sound-alike letters, two Latin letters typed in the wrong order.
The lexicon (lexicon.py) finds a typo's candidates by these, and the speller (spelling.py)
ranks them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pythainlp import thai_tonemarks
from pythainlp.soundex import soundex

from ..thai.text import is_thai

# Thai above/below vowels, tone marks and other signs written over or under a consonant.
_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


_TONES = re.compile("[\u0e48-\u0e4b]")


def toneless(word: str) -> str:
    """The word without tone marks or abbreviation dots: "ค่า" → "คา", "สปสช." → "สปสช"
    (phones drop both)."""
    return _TONES.sub("", word).replace(".", "") if "." in word and is_thai(word) else _TONES.sub("", word)


def skeleton(word: str) -> str:
    """The word without vowel signs and tone marks: "ลาป่วย" → "ลาปวย"."""
    return _MARKS.sub("", word)


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance (short words only; the candidates are few), where two neighbouring
    Latin letters typed in the wrong order are one edit (chnage → change), as in
    Damerau's optimal string alignment. With `limit`, any distance above it is reported as
    limit + 1, as soon as a row shows it cannot be less."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if j > 1 and ca == b[j - 2] and i > 1 and cb == a[i - 2] and ca != cb and _latin(ca, cb):
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if limit is not None and min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def _latin(*letters: str) -> bool:
    """Whether the letters of a swap are Latin: two of them typed in the wrong order are one
    slip; in Thai, slips are look-alikes and marks (typing_distance), a swap two edits as before."""
    return all(letter.isascii() for letter in letters)


# Letters a phone typist confuses: same sound or same shape. Swapping two of a group, or
# dropping or adding a tone mark, is half an edit when candidates are ranked (ไช้ is ใช้
# before it is ไปได้ from ไปไช้).
_TONE_MARKS = thai_tonemarks  # ่ ้ ๊ ๋
_CONFUSED = ("ใไ", "รล", "ซสศษ", "นณ", "ทธฑฒ", "ตฏ", "ดฎ", "คฅฆ", "ขฃ", "พภ", "ถฐ", "ชฌ", "ยญ",
             "ิี", "ึื", "ุู", _TONE_MARKS)
_GROUP = {ch: n for n, group in enumerate(_CONFUSED) for ch in group}
_HALF_DROPS = frozenset(_TONE_MARKS + "์")
_VOWEL_SIGNS = "ัิีึืุู็"  # above and below a letter (pythainlp's lists add the nikhahit ํ, never dropped alone)


def slip_variants(typed: str) -> Iterator[str]:
    """What `typed` may have been before one phone slip: a letter or vowel sign swapped for a
    look-alike or sound-alike, a tone mark added or changed, or a vowel sign above or below a
    letter added. Never a mark or sign taken away: a phone drops them or hits the next key, it
    seldom adds one, and ทำไม่ (of ทำไม่ทัน) is not ทำไม. A few dozen strings a character (some
    more than once)."""
    if not is_thai(typed):
        return
    for i, ch in enumerate(typed):
        head, tail = typed[:i], typed[i + 1:]
        if ch in _GROUP:
            for other in _CONFUSED[_GROUP[ch]]:
                if other != ch:
                    yield head + other + tail
        if not (tail and tail[0] in _TONE_MARKS):  # a mark after this letter or vowel sign
            for mark in _TONE_MARKS:
                yield head + ch + mark + tail
        if "\u0e01" <= ch <= "\u0e2e" and not (tail and tail[0] in _VOWEL_SIGNS):  # a dropped vowel sign
            for sign in _VOWEL_SIGNS:
                yield head + ch + sign + tail


HALF_SLIP = 0.5  # what a confusable swap or a dropped, added or changed tone mark costs in typing_distance


SOUND_SLIP = 0.9  # a final sound spelt as it is heard (final_by_sound): less than any other letter changed


def final_by_sound(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with its last sound spelt as it is heard, as readers type on a
    phone: บุด for บุตร, แพด for แพทย์, สมัก for สมัคร, ญาด for ญาติ, ร้องทุก for ร้องทุกข์. Only the
    end differs (up to three letters more in `word`) and pythainlp's LK82 soundex hears the two
    alike; จุด (one letter from บุด) is another sound, and so another word."""
    return (len(typed) >= 2 and typed != word and is_thai(typed) and is_thai(word)
            and word.startswith(typed[:-1]) and 0 <= len(word) - len(typed) <= 3
            and soundex(typed, engine="lk82") == soundex(word, engine="lk82"))


def typing_distance(a: str, b: str) -> float:
    """Levenshtein distance where a confusable swap or a dropped or added tone mark costs HALF_SLIP
    (and two Latin letters in the wrong order 1, as in edit_distance)."""
    def step(ch: str) -> float:
        return HALF_SLIP if ch in _HALF_DROPS else 1.0

    before: list[float] = []
    previous = [0.0]
    for cb in b:
        previous.append(previous[-1] + step(cb))
    for i, ca in enumerate(a, 1):
        current = [previous[0] + step(ca)]
        for j, cb in enumerate(b, 1):
            swap = 0.0 if ca == cb else HALF_SLIP if _GROUP.get(ca, -1) == _GROUP.get(cb, -2) else 1.0
            cost = min(previous[j] + step(ca), current[j - 1] + step(cb), previous[j - 1] + swap)
            if j > 1 and ca == b[j - 2] and i > 1 and cb == a[i - 2] and ca != cb and _latin(ca, cb):
                cost = min(cost, before[j - 2] + 1.0)
            current.append(cost)
        before, previous = previous, current
    return previous[-1]
