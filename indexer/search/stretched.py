"""Letters stretched as in a chat: ลาป่วยยยย, ขอลาป่วยด่วนนนน, เบิกกกกค่ารักษา, ได้ไหมมมม.

Readers who type in chats hold a key down for emphasis. A stretched vowel is taken care of by
normalisation (ค่าาาา is ค่า), but a stretched consonant is not: the segmenter cuts ลาป่วยยยย
into ลาป่วย + ยยย, a word nobody knows. The question then holds less of what the assets say,
so its answer is shown as unsure, and the speller offers a "correction" of a word the reader
spelled right (ด่วนนนน became ด่วนนาน, เบิกกกก became เบิกกัก). Two rules cut such a run back:

- At a word's end, with nothing Thai after it, a run of three or more of one consonant after
  another Thai letter is drawn out, and is cut to one (`drawn_out_cut`). The parser applies it
  to every question: it needs no word list. คะแนนนิยม and ททท. are words, and pythainlp's
  dictionary holds no other word it would change but interjections (เออออ).
- Inside Thai, glued to the next word, a run is not always stretched: แบบบันทึก, หรือออก,
  ระบบบัญชี and ยังงงอยู่ are written right, the run falling between two words. So the run is
  cut to one, two or three letters only when that leaves the words around it better known:
  fewer of them that nothing knows (the dictionary, the glossary, a visible asset) or that are
  one lone letter (`unstretched`). A run of four or more is also cut when that leaves as few
  unknown words but fewer words: มากกกก is มาก, not มา กก กก, while ยังงงอยู่ (ยัง งง อยู่)
  stays. Of the cuts that leave as few unknown words, the one with the fewest words is taken
  (เบิกกกกค่ารักษา is เบิก ค่ารักษา, not เบิก กก ค่ารักษา), then the longest (ระบบบบบัญชี is
  ระบบบัญชี, not ระบัญชี). The names pythainlp lists with such a run (ธนนนท์) stay, where they
  start a word: ชนนน inside บัตรประชาชนนนน is ประชาชน with its น held down.

The search (engine.py) searches the question with its runs cut, silently, as it does a
question whose abbreviations are said in letter names: every word was spelled right.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from itertools import accumulate

from ..thai.segment import Segmenter
from ..thai.text import is_thai, is_wordlike
from .informal import person_names

_RUN = re.compile(r"([ก-ฮ])\1{2,}")  # one consonant three times or more
_DRAWN_OUT = re.compile(r"(?<=[\u0e01-\u0e4e])([\u0e01-\u0e2e])\1{2,}(?![\u0e01-\u0e4e])")  # ... at a word's end
MAX_RUNS = 4  # per question: a chat stretches a word or two, and each run costs up to four segmentings
WINDOW = 24   # characters each side of a run that are segmented with it (words never cross spaces)


def drawn_out_cut(text: str) -> str:
    """`text` with each run of a consonant drawn out at a word's end cut to one letter."""
    return _DRAWN_OUT.sub(r"\1", text)


def unstretched(text: str, segmenter: Segmenter, known: Callable[[str], bool]) -> str | None:
    """`text` (already cut to the search's limit) with each stretched run of a consonant cut
    back to what the reader typed it for, or None when no run is stretched. `known(word)`
    says whether the dictionary, the glossary or a visible asset knows a word."""
    out, at = [], 0
    for run in list(_RUN.finditer(text))[:MAX_RUNS]:
        start, end = run.span()
        left, right = around(text, start, end)
        letter, typed = run.group(1), end - start
        if _a_name_at(text, left, right, segmenter):
            continue
        cuts = {kept: unknown_words(segmenter.tokens(text[left:start] + letter * kept + text[end:right]), known)
                for kept in (*range(1, min(typed, 4)), typed)}
        best = min(range(1, min(typed, 4)), key=lambda kept: (*cuts[kept], -kept))
        if cuts[best] < cuts[typed] if typed > 3 else cuts[best][0] < cuts[typed][0]:
            out += [text[at:start], letter * best]
            at = end
    return "".join(out) + text[at:] if out else None


def _a_name_at(text: str, left: int, right: int, segmenter: Segmenter) -> bool:
    """Whether a name with a run (ธนนนท์) is written in `text[left:right]`, starting where a
    word starts: ชนนน is a name, but in ประชาชนนนน it is the end of ประชาชน and a held-down น."""
    window = text[left:right]
    found = [name for name in _names_with_runs() if name in window]
    if not found:
        return False
    starts = {0, *accumulate(map(len, segmenter.tokens(window)))}
    return any(window.startswith(name, at) for name in found for at in starts)


@cache
def _names_with_runs() -> tuple[str, ...]:
    """The Thai names pythainlp lists that hold a run (ธนนนท์, ชนนน): written so, not stretched."""
    return names_where(_RUN.search)


def names_where(holds: Callable[[str], object]) -> tuple[str, ...]:
    """The Thai given and family names pythainlp lists for which `holds(name)` is true."""
    return tuple(sorted(name for name in person_names() if holds(name)))


def around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of `text` segmented to judge a change of `text[start:end]`: up to WINDOW
    characters each side, never across a space (no Thai word crosses one)."""
    right = text.find(" ", end)
    return (max(text.rfind(" ", 0, start) + 1, start - WINDOW),
            min(len(text) if right < 0 else right, end + WINDOW))


def unknown_words(tokens: list[str], known: Callable[[str], bool]) -> tuple[int, int]:
    """(how many of the Thai `tokens` nothing knows or are one lone letter, how many words)."""
    words = [token for token in tokens if is_wordlike(token)]
    return sum(1 for word in words if is_thai(word) and (len(word) == 1 or not known(word))), len(words)


def stretched(question: str, tokens: list[str]) -> str:
    """`question` with the last letter of its first Thai word that ends in a consonant typed
    four times, as a chat stretches it (ลาป่วยได้กี่วัน → ลาป่วยยยยได้กี่วัน). For the checks."""
    at = 0
    for token in tokens:
        if len(token) >= 2 and is_thai(token) and "ก" <= token[-1] <= "ฮ":
            at += len(token)
            return question[:at] + token[-1] * 3 + question[at:]
        at += len(token)
    return question
