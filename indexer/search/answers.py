"""What a question asks for, so that its results' excerpts show the answer.

"ลาป่วยได้กี่วัน" is the commonest question readers type, and the sick-leave asset answers
it in one line ("ปีละไม่เกิน ๖๐ วันทำการ") far below its first use of ลาป่วย. An excerpt
chosen by the question's words alone shows that first use, and the reader has to open
the page to read a number. So a question that asks how many (กี่ + a unit), how much
(เท่าไร), how long (นานเท่าไร, นานแค่ไหน), when (เมื่อไร, วันไหน, วันที่เท่าไร, กี่โมง) or
which in order (ปีที่เท่าไร, ครั้งที่เท่าไร) gives a pattern of what its answer looks like in
text: a number with that unit, an amount of baht or a share, a date, a time, "ปีที่ ๕".
Among the excerpts that hold the question's words, one that also holds such an answer is
preferred, and the answer is marked with the words. An answer in the very unit asked (a date
for วันไหน, years for กี่ปี) is preferred to one in another unit of time (ภายใน ๓๐ วัน for
มีอายุกี่ปี).

The ranking uses the same sign (rerank.py, ANSWER_WEIGHT): of the first candidates, one whose
excerpt holds an answer in the unit asked beside the question's words gains a share of the
best score. Which assets are found does not change.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, pairwise

from ..dates import MONTH_WRITINGS

# How many: the word after กี่ is the unit (Thai puts a classifier there: กี่วัน, กี่คน, กี่กอง).
HOW_MANY = "กี่"
HOW_MUCH = frozenset({"เท่าไร", "เท่าไหร่", "เท่าใด", "เท่าไหร", "เท่าไร่", "แค่ไหน", "เท่าไหน"})
WHEN = frozenset({"เมื่อไร", "เมื่อไหร่", "เมื่อใด", "เมื่อไหร", "วันไหน", "ตอนไหน", "ช่วงไหน", "เดือนไหน"})
DURATION = ("วันทำการ", "วัน", "สัปดาห์", "อาทิตย์", "เดือน", "ปี", "ชั่วโมง", "ชม.", "นาที")
MONEY = ("บาท",)
# a time of day: กี่โมง, กี่ทุ่ม, กี่นาฬิกา and เวลาเท่าไร are answered by "๐๘.๓๐ น." as often as by "๘ โมง"
CLOCK = ("น.", "นาฬิกา", "โมง", "ทุ่ม")
TIME_OF_DAY = "เวลา"
SHARE = ("เปอร์เซ็นต์", "%")
# a share is also written with a word before its number (ร้อยละ ๕)
BEFORE = {"เปอร์เซ็นต์": "ร้อยละ", "%": "ร้อยละ"}
DAY_OF_MONTH = ("วันที่", "วันที")  # before เท่าไร: a date, not an amount
ORDINAL = "ที่"  # ปี + ที่ + เท่าไร: which year in order, answered "ปีที่ ๕", not an amount
LONG = "นาน"  # นานเท่าไร, นานแค่ไหน, ใช้เวลานานเท่าไร: a duration, not an amount
TAKES = "ใช้เวลา"  # ใช้เวลาเท่าไร: how long it takes (เวลาเท่าไร alone is a time of day)
AGE = "อายุ"  # อายุเท่าไร: years of age, not baht
AGE_UNITS = ("ปี", "ขวบ")
DATE = "date"
# a year of the Buddhist era before a word of time ("กันยายน ๒๕๖๗ สัปดาห์สุดท้าย") is no count of it
YEAR = re.compile(r"2[4-6]\d\d(?![\d,.])")
MAX_UNIT_CHARS = 20  # a unit is a word; longer is a typo or a run of text newmm left whole
# a number in words (ใบอนุญาตมีอายุหนึ่งปี, สิบห้าวัน); digits are Arabic in normalised text
NUMBER_WORDS = "หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด|ร้อย|พัน|หมื่น|แสน|ล้าน"


@dataclass(frozen=True)
class Asked:
    """The units a question's answer is written in: `exact` what it names (วัน of กี่วัน, DATE of
    วันไหน), `near` the others that may answer it (ภายใน ๑ ปี for กี่วัน), `before` the words
    written before the number asked (ปีที่ of ปีที่เท่าไร)."""

    exact: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    before: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.exact or self.near or self.before)


def asked(words: tuple[str, ...] | list[str]) -> Asked:
    """What the question's answer is written in; empty when it asks for no number.
    `words` are the question's words, stop words kept."""
    exact: list[str] = []
    near: list[str] = []
    ordinals: list[str] = []
    joined = _joined(words)
    for at, (before, word) in enumerate(pairwise(joined)):
        if before == HOW_MANY and word in CLOCK:
            exact.extend(CLOCK)
        elif before == HOW_MANY and 0 < len(word) <= MAX_UNIT_CHARS and not word[0].isdigit():
            exact.extend(SHARE if word in SHARE else (word, *(d for d in DURATION if d.startswith(word))))
            if any(word.startswith(unit) for unit in DURATION):
                near.extend(DURATION)  # กี่วัน is answered by "ภายใน ๑ ปี" too, and กี่วันทำการ by "๓ วัน"
        elif word in HOW_MUCH:
            named = joined[at - 1] if at else ""  # the word before `before`: ปี of ปี ที่ เท่าไร
            ordinal = (named + ORDINAL if before == ORDINAL and 0 < len(named) <= MAX_UNIT_CHARS
                       and not named[0].isdigit() else "")
            if (ordinal or before).endswith(DAY_OF_MONTH):  # วันที่เท่าไร, ลงวันที่เท่าไร, วัน ที่ เท่าไร, วันที typed
                exact.append(DATE)                          # without its mark
            elif ordinal:
                ordinals.append(ordinal)
            elif before.endswith((LONG, TAKES)) or LONG in words:
                exact.extend(DURATION)
            elif before.endswith(AGE):
                exact.extend(AGE_UNITS)
            elif before == TIME_OF_DAY:  # เวลาเท่าไร: a time of day
                exact.extend(CLOCK)
            elif word != "แค่ไหน":  # ดีแค่ไหน, ยากแค่ไหน ask for no number
                exact.extend((*MONEY, *SHARE))
        elif word in WHEN:
            exact.append(DATE)
            near.extend(DURATION)  # within a time (ภายใน ๑ ปีนับจาก…)
    exact = list(dict.fromkeys(exact))
    return Asked(tuple(exact), tuple(u for u in dict.fromkeys(near) if u not in exact), tuple(dict.fromkeys(ordinals)))


QUESTION_WORDS = HOW_MUCH | WHEN
MAX_PIECES = 3  # เท่าไหร typed without its last mark is cut เท่า + ไห + ร


def _joined(words: tuple[str, ...] | list[str]) -> list[str]:
    """The words with a question word the segmenter cut up put back (วัน + ไหน, แค่ + ไหน,
    เท่า + ไห + ร), after an empty first word."""
    return ["", *("".join(words[at:at + n]) for at, n in _groups(words))]


def question_word_pieces(words: tuple[str, ...] | list[str]) -> set[int]:
    """Which of `words` are pieces of a question word the segmenter cut up (ไห of เท่าไหร,
    typed without its last tone mark): not words the question is about."""
    return {i for at, n in _groups(words) if n > 1 for i in range(at, at + n)}


def _groups(words: tuple[str, ...] | list[str]) -> Iterator[tuple[int, int]]:
    """(first, count) of each word of `words`, a question word cut up counted as one."""
    at = 0
    while at < len(words):
        pieces = next((n for n in range(MAX_PIECES, 1, -1) if "".join(words[at:at + n]) in QUESTION_WORDS), 1)
        yield at, pieces
        at += pieces


class AnswerFinder:
    """Finds the answers to one question in normalised text (Arabic digits).

    Numbers in digits are looked for in the whole text: a pattern that starts with a digit
    is fast (0.25 ms over 30,000 characters; with a look-behind before the digit, or another
    alternative beside it, 0.4–0.7). Numbers in words (หนึ่งปี, สิบห้าวัน) start with letters
    found everywhere in Thai, and that pattern costs 1.2 ms over the same text, so they are
    looked for only in the stretches the caller names: around the question's words.
    """

    def __init__(self, asks: Asked):
        units = "|".join(f"(?P<{name}>{_units(group)})" for name, group in (("exact", asks.exact), ("near", asks.near))
                         if group)
        # ร้อยละ ๕, ปีที่ ๕ (or ปีที่ห้า): the number after the words; they start with a letter
        # rarely met, so numbers in words cost little here
        before = sorted({BEFORE[u] for u in asks.exact if u in BEFORE} | set(asks.before), key=len, reverse=True)
        # a range with its unit written once (๐๘.๓๐–๑๖.๓๐ น., ๗๐๐-๘๐๐ บาท) is one answer, both numbers marked
        self._digits = re.compile(rf"\d[\d,.]*(?:\s?[-–]\s?\d[\d,.]*)?\s?(?:{units})") if units else None
        self._before = (re.compile(rf"(?:{'|'.join(map(re.escape, before))})\s?(?:\d[\d,.]*|(?:{NUMBER_WORDS})+)")
                        if before else None)
        self._words = re.compile(rf"(?:{NUMBER_WORDS})+\s?(?:{units})") if units else None

    def find(self, norm: str, limit: int) -> Iterator[tuple[int, int, bool]]:
        """(start, end, in a unit asked) of at most `limit` answers written in digits in `norm`."""
        found: Iterator[tuple[int, int, bool]] = iter(())
        if self._digits is not None:
            found = ((m.start(), m.end(), m.lastgroup != "near") for m in self._digits.finditer(norm)
                     if not (YEAR.match(norm, m.start()) and m[m.lastgroup or 0].startswith(DURATION)))
        if self._before is not None:
            found = heapq.merge(found, ((m.start(), m.end(), True) for m in self._before.finditer(norm)))
        return islice(found, limit)

    def find_in_words(self, norm: str, low: int, high: int) -> Iterator[tuple[int, int, bool]]:
        """The answers written in words within norm[low:high] (those after words: find)."""
        if self._words is None:
            return
        for match in self._words.finditer(norm, low, high):
            yield match.start(), match.end(), match.lastgroup != "near"


@lru_cache(maxsize=256)
def answer_finder(asks: Asked) -> AnswerFinder | None:
    """The finder of the answers to `asks`, or None when it asks for no number."""
    return AnswerFinder(asks) if asks else None


def _units(units: tuple[str, ...]) -> str:
    """The units of `units` as alternatives, the longest first (วันทำการ before วัน)."""
    after = [re.escape(u) + ("(?!ที่)" if u == "วัน" else "")  # วันที่ ๐ วันที่ ๓: days of a schedule, not a count
             for u in sorted((u for u in units if u != DATE), key=len, reverse=True)]
    if DATE in units:
        after += sorted({re.escape(w) for writings in MONTH_WRITINGS for w in writings if "." in w or len(w) > 3},
                        key=len, reverse=True)
    return "|".join(dict.fromkeys(after))
