"""Names readers type, which are never corrected: a Latin name typed with a small letter before
a capital (ThaID, iPhone), and a full Thai name written after a title (นางคำแปง กันทะวงศ์)."""

from __future__ import annotations

import re
from itertools import pairwise

from ..thai.text import is_thai
from .question_words import QUESTION_WORDS

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def typed_names(raw: str | None) -> frozenset[str]:
    """The Latin words of a typed query with a small letter followed by a capital (ThaID,
    iPhone), lowercased as the query's words are: a name typed so on purpose, and one letter
    from an index word (ThaID, thai) is no slip of it. A phone types a slip in lowercase, with
    its first letter capitalised or all in capitals (KPl, an el for the I of KPI: a slip)."""
    return frozenset(m.group().lower() for m in _LATIN_WORD.finditer(raw or "")
                     if any(a.islower() and b.isupper() for a, b in pairwise(m.group())))


# Titles written before a person's name (คุณกฤษฎา คำแปง, นางสาวชนัญชิดา อินต๊ะ). Not ผอ. or ปลัด:
# they name an office as often as a person (ผอ.กองคลัง).
TITLES = frozenset({"นาย", "นาง", "นางสาว", "น.ส.", "คุณ", "ด.ช.", "ด.ญ.", "เด็กชาย", "เด็กหญิง"})
NAME_CHARS = 16  # a run this long after a title is more than a name (นายสมชายลาป่วยได้ไหม)
# ...and so is one with a question word or a particle (คุณแม่ลาได้ไหม). Not every stop word:
# pythainlp's list holds คำ and กัน, which start many names (คำแปง, กันทะวงศ์).
NOT_IN_NAMES = frozenset({*QUESTION_WORDS, "ไหม", "อะไร", "ยังไง", "อย่างไร", "ไหน", "ครับ", "ค่ะ", "คะ", "นะ"})


def titled_names(words: tuple[str, ...], spaced: set[int]) -> frozenset[int]:
    """The places of the words of a full name written after a title: the Thai run after the
    title, the given name, then a space and the next run, the family name (นางคำแปง กันทะวงศ์).
    Names are an open class no list holds all of (the northern อินต๊ะ and คำแปง are in none), and
    a title with two runs says one is there. One run is not enough: คุณ also starts the KM
    roles (คุณลิขิต, คุณอำนวย) and คุณภาพ, whose slips must still be corrected. A run longer than
    NAME_CHARS or with a title or a word of NOT_IN_NAMES is a question, not a name.
    `spaced`: where the reader typed spaces (spaced_after)."""
    named: set[int] = set()
    for i, word in enumerate(words):
        if word not in TITLES:
            continue
        runs = []
        start = i + 1
        while len(runs) < 2 and start < len(words):
            end = start
            while end < len(words) and is_thai(words[end]):
                end += 1
                if end - 1 in spaced:
                    break
            run = words[start:end]
            if (not run or len("".join(run)) > NAME_CHARS
                    or any(w in NOT_IN_NAMES or w in TITLES for w in run)):
                break
            runs.append(range(start, end))
            if end - 1 not in spaced:
                break  # the question ends, or a word that is not Thai follows
            start = end
        if len(runs) == 2:
            named.update(*runs)
    return frozenset(named)
