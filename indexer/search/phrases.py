"""Phrase bonuses for the top candidates, checked in their text.

Thai is written without spaces, so "the reader's words next to each other" is
simply the words appearing together in the text (a few characters apart at
most, for a stop word in between). For the few dozen candidates that compete
for the first page this is a string search per phrase, where Whoosh's phrase
matcher would decode the positions of thousands of documents for common words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..thai.text import is_thai, normalize, normalize_cached

MAX_GAP = 12  # characters allowed between consecutive words (about one stop word)
MAX_COUNTED = 3  # occurrences in the body that still add to the bonus


@dataclass(frozen=True)
class PhraseBonus:
    """Words that earn a bonus when they appear together; `weight` scales it."""

    words: tuple[str, ...]
    weight: float
    exact: bool = False  # the words exactly as typed together (no gaps)

    @property
    def text(self) -> str:
        out = ""
        for word in self.words:
            if out and not (is_thai(word) and is_thai(out[-1])):
                out += " "
            out += word
        return out


def phrase_bonus(title: str, body: str, phrases: tuple[PhraseBonus | DateBonus, ...], title_weight: float,
                 body_weight: float) -> float:
    """Bonus for a document whose (normalised) title or body holds the phrases."""
    if not phrases:
        return 0.0
    title, body = normalize(title), normalize_cached(body)
    total = 0.0
    for phrase in phrases:
        if _count(title, phrase, 1):
            total += title_weight * phrase.weight
        found = _count(body, phrase, MAX_COUNTED)
        if found:
            total += body_weight * phrase.weight * (1 + math.log(found))
    return total


@dataclass(frozen=True)
class DateBonus:
    """A date the reader typed (query.date_phrases), earning a phrase bonus wherever the text
    writes it, whatever the writing of its month (มีนาคม, มี.ค., มีค) and year (2568, 68)."""

    day: str
    months: tuple[str, ...]
    years: tuple[str, ...]  # empty: any year, or none
    weight: float = 2.0

    def count(self, text: str, limit: int) -> int:
        """Occurrences in `text`, found from the month's writings: a month is in few places,
        where a day's digits are in any text (a table of numbers holds thousands of 1s)."""
        count = 0
        for month in self.months:
            start, looked = text.find(month), 0
            while start != -1 and count < limit and looked < MONTHS_LOOKED:
                looked += 1
                end = start + len(month)
                day = _DAY_BEFORE.search(text[max(0, start - 8):start])
                year = _YEAR_AFTER.match(text, end, end + 12)
                same_year = not self.years or bool(year) and year.group(1) in self.years
                if day and int(day.group(1)) == int(self.day) and same_year:
                    count += 1
                start = text.find(month, end)
        return count


MONTHS_LOOKED = 64  # places of one writing of the month a text is read at: a calendar names it hundreds of times
_DAY_BEFORE = re.compile(r"(?:^|\D)(\d{1,2})\s*$")
_YEAR_AFTER = re.compile(r"\.?\s*(?:พ\.ศ\.\s*)?(\d{4}|\d{2})(?!\d)")


def _count(text: str, phrase: PhraseBonus | DateBonus, limit: int) -> int:
    if isinstance(phrase, DateBonus):
        return phrase.count(text, limit)
    if phrase.exact or len(phrase.words) == 1:
        return _occurrences(text, phrase.text, limit)
    return _near(text, phrase.words, limit)


def _occurrences(text: str, needle: str, limit: int) -> int:
    count, start = 0, text.find(needle)
    while start != -1 and count < limit:
        count += 1
        start = text.find(needle, start + len(needle))
    return count


def _near(text: str, words: tuple[str, ...], limit: int) -> int:
    """Occurrences of `words` in order, each at most MAX_GAP characters after the previous."""
    count, start = 0, text.find(words[0])
    while start != -1 and count < limit:
        end = start + len(words[0])
        for word in words[1:]:
            at = text.find(word, end, end + MAX_GAP + len(word))
            if at == -1:
                break
            end = at + len(word)
        else:
            count += 1
        start = text.find(words[0], start + 1)
    return count
