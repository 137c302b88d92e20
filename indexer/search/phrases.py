"""Phrase bonuses for the top candidates, checked in their text.

Thai is written without spaces, so "the reader's words next to each other" is
simply the words appearing together in the text (a few characters apart at
most, for a stop word in between). For the few dozen candidates that compete
for the first page this is a string search per phrase, where Whoosh's phrase
matcher would decode the positions of thousands of documents for common words.
"""

from __future__ import annotations

import math
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
    # other writings of the same words, any of which earns the bonus once (a date's month in
    # full or short, its year in four digits or two: query.date_phrases)
    forms: tuple[tuple[str, ...], ...] = ()

    @property
    def text(self) -> str:
        out = ""
        for word in self.words:
            if out and not (is_thai(word) and is_thai(out[-1])):
                out += " "
            out += word
        return out


def phrase_bonus(title: str, body: str, phrases: tuple[PhraseBonus, ...], title_weight: float,
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


def _count(text: str, phrase: PhraseBonus, limit: int) -> int:
    if phrase.forms:
        return max(_near(text, form, limit) for form in (phrase.words, *phrase.forms))
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
