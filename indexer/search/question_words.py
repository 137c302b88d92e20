"""The words of a typed question that say how it is asked, not what it is about: Thai function
words, request phrases and chat particles (stopwords), the question words a phone types without
their tone marks, and where the reader's words stand in the text (spaces, stray letters,
dotted abbreviations), which the query and the speller both read."""

from __future__ import annotations

import re
from functools import lru_cache

from ..thai.text import is_thai
from .lexicon import Lexicon
from .slips import toneless


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Thai function words dropped from questions ("ต้อง", "อย่างไร", "ไหม" …)."""
    from pythainlp.corpus import thai_stopwords

    from .informal import informal_particles

    written = {"ไหม", "มั้ย", "หรือเปล่า", "บ้าง", "กี่", "ยังไง", "อย่างไร", "ทำไง"}
    return frozenset(thai_stopwords()) | written | REQUEST_WORDS | CHAT_PARTICLES | informal_particles()


# How a reader frames a question to a colleague ("รบกวนสอบถามหน่อยค่ะ", "อยากทราบว่า…", "สวัสดีครับ"):
# no topic, but not in pythainlp's stop words, so สอบถาม chose the assets that say "สอบถามได้ที่".
# Not ถาม ("มีรายชื่อไว้ถามไหม": whom to ask is the topic) nor ขอบคุณ (a plan's foreword thanks people).
REQUEST_WORDS = frozenset({"รบกวน", "สอบถาม", "ทราบ", "อยากรู้", "สวัสดี", "กรุณา", "ขอความกรุณา", "คับ", "ฮะ"})
# The particles of chat ("ลาป่วยต้องมีใบรับรองแพทย์ป่ะ", "…ยังไงอ่ะ"): pythainlp has the written
# ones (ไหม, หรือเปล่า, นะ) but not these, so a question ending in one held an "unknown" word that
# weighed the most and the right first answer was shown as unsure. Not the particles that are
# also words of their own: ค่า (a fee), น้า (an aunt), ปะ (ใบปะหน้า), เปล่า (ที่ว่างเปล่า).
# Chat spellings of particles and question words too: ค๊ะ was no word, and the speller offered
# คณะ for it; ยังงัย and อะรัย (ยังไง, อะไร) made the answer unsure.
CHAT_PARTICLES = frozenset({"ป่ะ", "ป้ะ", "ป่าว", "รึเปล่า", "รึป่าว", "หรือป่าว", "มะ", "เหรอ", "หรอ", "อะ", "อ่ะ",
                            "อ้ะ", "อ่า", "ล่ะ", "เนอะ", "นะคะ", "สิ", "ซิ", "คร้าบ", "ค้าบ", "งับ", "จ่ะ", "ฮ่ะ",
                            "นิดนึง", "วะ", "เว้ย", "ค๊ะ", "ค๋ะ", "คร่ะ", "ครัฟ", "คร๊าบ", "ครับผม", "นะจ๊ะ",
                            "เด้อ", "เน้อ", "เนาะ", "ม๊ะ", "ไม๊", "งัย", "ยังงัย", "อะรัย"})


def word_spans(words: tuple[str, ...], text: str) -> list[tuple[int, int]]:
    """(index, start) of each word of `text` found in it, left to right; a word the segmenter
    changed (case) is not found and left out."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for i, word in enumerate(words):
        at = text.find(word, cursor)
        if at >= 0:
            spans.append((i, at))
            cursor = at + len(word)
    return spans


def stray_letters(words: tuple[str, ...], text: str) -> set[int]:
    """The positions of lone Thai letters written inside a Thai word: what a typo leaves of a word
    (คุณพาพงาน → คุณ + พา + พ + งาน). The index knows such letters from abbreviations and list
    markers, so they would pass as known; a letter set apart ("ภาค ก", "ข. รายงาน", "ว 041") or
    written against the digits it prefixes ("หนังสือเวียนว041") is one of those and stays as typed."""
    stray: set[int] = set()
    for i, at in word_spans(words, text):
        word, end = words[i], at + len(words[i])
        if len(word) == 1 and "\u0e01" <= word <= "\u0e2e" and word not in stopwords():
            before = text[at - 1] if at else " "
            after = text[end] if end < len(text) else " "
            prefixes_digits = text[end:].lstrip(" ")[:1].isdigit()  # ว041, ว 041: a circular's number
            if after != "." and not prefixes_digits and (is_thai(before) or is_thai(after)):
                stray.add(i)
    return stray


# Letters each followed by a dot, two or more: ก.ถ., ก.บ.ท., ข.ร.ก., อ.ส.ม. (a consonant, with a
# vowel or tone mark at most, per letter; the last dot may be left off).
_DOTTED = re.compile(r"(?<![\u0e01-\u0e4e])[\u0e01-\u0e2e][\u0e30-\u0e4e]?(?:\.[\u0e01-\u0e2e][\u0e30-\u0e4e]?)+\.?"
                     r"(?![\u0e01-\u0e4e])")


def dotted_abbreviations(words: tuple[str, ...], text: str) -> set[int]:
    """The positions of the words inside an abbreviation written with dots (ก.ถ., ก.บ.ท.): the
    segmenter cuts one it does not know into letters, and a speller would join them into a word
    (ก.บ.ท. → บาท, ก.ถ. → ก.ท.). Dotted letters are a name for something, never a typo of a word."""
    spans = [(m.start(), m.end()) for m in _DOTTED.finditer(text)]
    return {i for i, at in word_spans(words, text)
            if any(start <= at < end for start, end in spans)} if spans else set()


def spaced_after(words: tuple[str, ...], text: str) -> set[int]:
    """The positions of the words that `text` follows with a space (or any other character
    that is not part of the next word): where the reader parted words."""
    spans = word_spans(words, text)
    return {i - 1 for (j, start), (i, at) in zip(spans, spans[1:], strict=False)
            if at > start + len(words[j])}


# The question words of "ลาได้กี่วัน", "ต้องทำไหม", "เท่าไหร่": a phone drops their tone marks
# most, and without them they read as other words (กี is a loom). Only these: a toneless form
# of any stop word would swallow content words (ไว "fast" for ไว้, รวม for ร่วม).
QUESTION_WORDS = ("กี่", "ได้", "ไม่", "ต้อง", "เท่าไร", "เท่าไหร่", "ที่ไหน")
_TONELESS_QUESTION_WORDS = frozenset(toneless(w) for w in QUESTION_WORDS)


RESPELT_QUESTION_WORDS = {toneless(w): w for w in QUESTION_WORDS}  # กี → กี่, for what a reader is shown


def _toneless_stopword(word: str, lexicon: Lexicon | None) -> bool:
    """A question word typed without its tone mark (กี for กี่) that no document holds as typed."""
    return lexicon is not None and word in _TONELESS_QUESTION_WORDS and word not in lexicon


# A reader who says who they are before asking ("ผมเป็นพนักงานเทศบาล ลาไปดูแลภรรยาคลอดได้กี่วัน"):
# the words after I + am say who asks, not what the question is about, and the titles that
# hold them (การลาป่วยของพนักงานเทศบาล) outranked the topic.
ASKER = frozenset({"ผม", "กระผม", "ดิฉัน", "ฉัน", "หนู", "เรา"})
IS = "เป็น"
MAX_ROLE_WORDS = 3


def about_the_asker(words: tuple[str, ...], text: str) -> set[int]:
    """The positions of the words that describe the reader (after ผม/ดิฉัน/หนู + เป็น, up to the
    space the reader ends them with, three words at most); none when no space ends them."""
    spaced = spaced_after(words, text)
    found: set[int] = set()
    for i in range(len(words) - 2):
        if words[i] in ASKER and words[i + 1] == IS:
            end = next((j for j in range(i + 2, min(len(words), i + 2 + MAX_ROLE_WORDS)) if j in spaced), None)
            if end is not None and end + 1 < len(words):  # a question goes on after who asks
                found.update(range(i + 2, end + 1))
    return found
