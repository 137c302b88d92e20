"""The passage a result link opens its page at: the plain text around the excerpt's answer,
given to the browser as a text fragment (#:~:text=)."""

from __future__ import annotations

import re

from .windows import ANSWERS

_BOX = re.compile(r"[\[\]\u2610\u2611\u2612]")  # a piece of a checkbox mark: not text the page shows
PASSAGE_BEFORE = 60  # characters of the phrase before the answer (or first match) a passage takes in
MAX_PASSAGE = 100  # characters: a link holds the passage percent-encoded, 9 characters a Thai letter


def passage(text: str, shown: list[tuple[int, int, str]]) -> str:
    """The plain text around the excerpt's answer, or its first match when it shows no answer:
    the phrases (runs of text between spaces) that hold it and the phrase before it, on its
    line (a line of the text is a block of the page: a paragraph, a table cell). A link to the
    page with this text as a text fragment (#:~:text=) opens the page there and highlights it;
    a space or a line's end is a word boundary to every browser, a word of Thai inside a phrase
    may not be. The phrase before is left out when it holds a piece of a checkbox mark, which the
    page does not show as text; the passage is empty when its own phrase does, when it is
    longer than MAX_PASSAGE, or when the text holds it earlier (a browser stops at the first;
    it matches regardless of case)."""
    if not shown:
        return ""
    first, last, _ = _answer_asked(text, shown)
    line_start = text.rfind("\n", 0, first) + 1
    line_end = len(text) if (found := text.find("\n", last)) == -1 else found
    left = max(text.rfind(" ", line_start, first) + 1, line_start)
    before = max(text.rfind(" ", line_start, max(left - 1, line_start)) + 1, line_start)
    if left > line_start and left - before <= PASSAGE_BEFORE and not _BOX.search(text, before, left):
        left = before
    right = line_end if (found := text.find(" ", last, line_end)) == -1 else found
    passage = " ".join(text[left:right].split())
    if len(passage) > MAX_PASSAGE or _BOX.search(passage) or _earlier(text, passage, left):
        return ""
    return passage


def _answer_asked(text: str, shown: list[tuple[int, int, str]]) -> tuple[int, int, str]:
    """Of the answers an excerpt shows, the one whose line holds the most of the question's matched
    text (the first on a tie), else its first match: "ส่งใช้เงินยืมภายในกี่วัน" over "ทำสัญญาการยืมเงิน
    อย่างน้อย ๕ วันทำการ … ส่งใช้เงินยืมพร้อมใบสำคัญภายใน ๑๕ วัน" asks for the 15 days of the line
    with ส่งใช้เงินยืม, not the 5 of the first line (outside review, onboarding). One pass."""
    answers = [span for span in shown if span[2] in ANSWERS]
    if len(answers) < 2:
        return answers[0] if answers else shown[0]
    matched: dict[int, int] = {}  # characters of the question's words matched, by line start
    for start, end, term in shown:
        if term not in ANSWERS:
            line = text.rfind("\n", 0, start) + 1
            matched[line] = matched.get(line, 0) + end - start
    return max(answers, key=lambda span: matched.get(text.rfind("\n", 0, span[0]) + 1, 0))


def _earlier(text: str, passage: str, start: int) -> bool:
    """Whether `text` holds `passage` before `start`, case aside. A passage with no letter that
    has a case (Thai, digits) is looked for as it is: no copy of the text to fold (80 µs over
    25,000 characters, each result)."""
    if passage.casefold() == passage == passage.upper():
        return text.find(passage, 0, start) != -1
    return passage.casefold() in text[:start].casefold()
