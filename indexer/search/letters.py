"""Latin abbreviations spelled out with Thai letter names.

On a phone, switching to the English layout for three capitals is a chore, so readers spell
an abbreviation the way it is said: KPI as เคพีไอ, CKO as ซีเคโอ, AAR as เอเออาร์. The assets
write KPI. The segmenter cuts เคพีไอ into เค + พี + ไอ (ไอ is a cough), which find nothing
the reader meant, or worse, something else. This module reads such a run of letter names
back into the abbreviation, so that nothing a reader meant is "fixed":

- A run is two letter names or more, and it must begin and end where the segmenter cuts the
  question (ที of ที่ is no T; ดีเอ of ดีเอง is no DA). When the run's end falls inside a word,
  the run is shortened from its end: เคพีไอที่ is KPI + ที่.
- A run that the dictionary, the glossary or a visible asset knows as it is typed stays as
  typed: ทีวี, ซีดี and โอเค are Thai words. The glossary's เคเอ็ม is read as KM, which the
  glossary says it is: as a synonym it would weigh less than KM typed.
- The abbreviation must be a word a visible asset holds and no stop word, written as it is
  or with one hyphen (อีจีพี is e-GP). เอบี is no abbreviation the assets write, so it stays.

The search (engine.py) searches the abbreviation in place of the run, as the glossary's
synonyms are searched: เคพีไอ is KPI spelled right, so no correction is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import accumulate

from ..thai.segment import Segmenter
from .known import english_words

# how each Latin letter is said in Thai, with the spellings readers use for it
LETTER_NAMES: dict[str, str] = {
    "เอ": "A", "บี": "B", "ซี": "C", "ดี": "D", "อี": "E", "เอฟ": "F", "เอ็ฟ": "F", "จี": "G",
    "เอช": "H", "เอ็ช": "H", "เฮช": "H", "ไอ": "I", "เจ": "J", "เค": "K", "แอล": "L", "แอ็ล": "L",
    "เอ็ม": "M", "เอ็น": "N", "โอ": "O", "พี": "P", "คิว": "Q", "อาร์": "R", "เอส": "S", "เอ็ส": "S",
    "ที": "T", "ยู": "U", "วี": "V", "ดับเบิลยู": "W", "ดับเบิ้ลยู": "W", "ดับบลิว": "W",
    "เอ็กซ์": "X", "เอ็กซ": "X", "วาย": "Y", "แซด": "Z", "เซด": "Z",
}
MAX_LETTERS = 8  # an abbreviation longer than this is not typed letter by letter
_NAME = "|".join(sorted(map(re.escape, LETTER_NAMES), key=len, reverse=True))  # เอฟ before เอ
_ONE = re.compile(_NAME)
_RUN = re.compile(f"(?:{_NAME}){{2,}}")


def spelled_out(text: str, segmenter: Segmenter, known: Callable[[str], bool],
                in_index: Callable[[str], bool],
                synonyms: Callable[[str], tuple[str, ...]] = lambda word: ()) -> str | None:
    """`text` (already cut to the search's limit) with each run of letter names read back as
    the abbreviation an asset holds, or None when there is none. `known(word)` says whether
    the dictionary, the glossary or a visible asset knows a Thai word, `in_index(word)`
    whether a visible asset holds a (lowercase) word that is no stop word, `synonyms(word)`
    the glossary's synonyms of a word: เคเอ็ม is known, but as KM, and is read as KM."""
    if not _RUN.search(text):
        return None  # most questions: one scan, no segmenting
    cuts = _cuts(text, segmenter)
    out, at = [], 0
    for run in _RUN.finditer(text):
        if run.start() < at or run.start() not in cuts:
            continue
        names = [name.end() for name in _ONE.finditer(text, run.start(), run.end())]
        for n in range(min(len(names), MAX_LETTERS), 1, -1):  # the longest run that ends at a cut
            end = names[n - 1]
            typed = text[run.start():end]
            letters = "".join(LETTER_NAMES[name.group()] for name in _ONE.finditer(typed))
            if end not in cuts or (known(typed) and letters.lower() not in synonyms(typed)):
                continue
            written = next((w for w in _written(letters) if _holds(w, segmenter, in_index)), None)
            if written:
                out += [text[at:run.start()], written]
                at = end
                break
    return "".join(out) + text[at:] if out else None


def _cuts(text: str, segmenter: Segmenter) -> set[int]:
    """The offsets in `text` where the segmenter's tokens begin and end (they lose nothing)."""
    return {0, *accumulate(map(len, segmenter.tokens(text)))}


def _holds(written: str, segmenter: Segmenter, in_index: Callable[[str], bool]) -> bool:
    """Whether visible assets hold `written`: the index keeps E-GP as e + gp, so each of its
    words, one of them of two letters or more (A-B is no abbreviation)."""
    words = segmenter.words(written.lower())
    return bool(words) and max(map(len, words)) >= 2 and all(in_index(word) for word in words)


def _written(letters: str) -> list[str]:
    """The ways an asset writes `letters`: as they are, or with one hyphen (E-GP)."""
    return [letters] + [f"{letters[:i]}-{letters[i:]}" for i in range(1, len(letters))]


_ABBREVIATION = re.compile(r"(?<![A-Za-z])(?:[A-Z]{2,6}|[a-z]-[A-Z]{2,5}|[A-Z][a-z][A-Z])(?![A-Za-z])")
_SAID = {letter: name for name, letter in reversed(LETTER_NAMES.items())}  # the first spelling of each


def said_in_letter_names(question: str, tokens: list[str] | None = None) -> str:
    """`question` with each abbreviation (KPI, CoP, e-GP) spelled in Thai letter names, as a
    reader on a phone types it: เคพีไอ, ซีโอพี, อีจีพี. Capitals that spell an English word
    (LINE) are said as the word, so they stay. For the checks."""
    def said(m: re.Match) -> str:
        if m.group().lower() in english_words():
            return m.group()
        return "".join(_SAID[c.upper()] for c in m.group() if c.isalpha())
    return _ABBREVIATION.sub(said, question)
