"""A correction of a question's words, and the question with its corrections in place."""

from __future__ import annotations

from dataclasses import dataclass

from ..thai.text import is_thai
from .lexicon import Lexicon
from .question_words import RESPELT_QUESTION_WORDS, _toneless_stopword, word_spans


@dataclass(frozen=True)
class Correction:
    """The typed words[start:end] are probably `replacement`."""

    start: int
    end: int
    replacement: str


def corrected_text(words: tuple[str, ...], corrections: list[Correction], text: str = "",
                   typed: str = "") -> str:
    """The query with each correction in place of the words it replaces. Given the `text` the
    words came from, everything else in it stays as typed: the spaces that part a question's
    clauses (ระดับสี่ ไม่ตั้ง…), its punctuation and its digits, and, from `typed` (the query
    before normalising), the case of its Latin words when that is all normalising changed."""
    starts = [at for _, at in word_spans(words, text)] if text else []
    if words and len(starts) == len(words):  # every word found where it was typed
        source = typed if len(typed) == len(text) and typed.lower() == text else text
        out, last = [], 0
        for fix in corrections:
            out += [source[last:starts[fix.start]], fix.replacement]
            last = starts[fix.end - 1] + len(words[fix.end - 1])
        return "".join([*out, source[last:]])
    out: list[str] = []
    i = 0
    for fix in corrections:
        out.extend(words[i:fix.start])
        out.append(fix.replacement)
        i = fix.end
    out.extend(words[i:])
    return join_words(out)


def join_words(words: list[str]) -> str:
    """Join words the way Thai is written: no space between Thai words, one elsewhere."""
    text = ""
    for word in words:
        if text and not (is_thai(word) and is_thai(text[-1])):
            text += " "
        text += word
    return text


def respelt_question_words(words: tuple[str, ...], fixes: list[Correction],
                           lexicon: Lexicon | None) -> list[Correction]:
    """`fixes` (in order) with the question words typed without their tone mark put right too (กี →
    กี่), for the suggestion a reader reads: "ลาปวยกีวัน" was offered as "ลาป่วยกีวัน". The search
    reads those words so already (question_words._toneless_stopword); only what is shown changes."""
    taken = {i for fix in fixes for i in range(fix.start, fix.end)}
    extra = [Correction(i, i + 1, RESPELT_QUESTION_WORDS[word]) for i, word in enumerate(words)
             if i not in taken and _toneless_stopword(word, lexicon)]
    return sorted([*fixes, *extra], key=lambda fix: fix.start) if extra else fixes
