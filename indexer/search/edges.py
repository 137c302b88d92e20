"""Where an excerpt may start and end: on a word boundary, read from the token ends the
index stored for the text or found by segmenting a small window, and after a space nearby
when there is one, so no word or syllable is cut (`… ั้น` is what readers saw before)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..thai.clusters import cluster_boundaries
from ..thai.ends import StoredEnds
from .windows import SOFT_START_CHARS

# word_bounds(text) -> the offsets in `text` where a word starts or ends (Thai has no spaces):
# the engine passes one built on the segmenter; clusters are the fallback.
WordBounds = Callable[[str], set[int]]
# bounds_at(low, high) -> the offsets, relative to low, where a word of text[low:high] starts or ends
BoundsAt = Callable[[int, int], Iterable[int]]
WINDOW = 24  # characters around a match in which word boundaries are worked out


def window_bounds(text: str, word_bounds: WordBounds, ends: StoredEnds | None,
                  normalized: str | None = None, lazy: bool = False) -> BoundsAt:
    """bounds_at(low, high) for `text`: from the stored token ends of its normalised form where
    they reach (`lazy`: worked out only for the offsets asked about), else by segmenting
    text[low:high]."""
    def bounds_at(low: int, high: int) -> Iterable[int]:
        if ends is not None:
            found = (ends.holds if lazy else ends.window)(text if normalized is None else normalized, low, high)
            if found is not None:
                return found
        return word_bounds(text[low:high])
    return bounds_at


def soft_start(text: str, start: int, bounds_at: BoundsAt) -> int:
    """Move the start to just after a nearby space or line break, or else back to the start
    of the word it falls in, so no word (or syllable) is cut."""
    if start <= 0:
        return 0
    window = text[max(0, start - SOFT_START_CHARS):start]
    cut = max(window.rfind(" "), window.rfind("\n"))
    if cut != -1:
        return start - len(window) + cut + 1
    return word_edge_before(start, bounds_at)


def soft_end(text: str, end: int, bounds_at: BoundsAt) -> int:
    """Move the end back to the end of the last whole word."""
    if end >= len(text):
        return len(text)
    return word_edge_before(end, bounds_at)


def word_edge_before(position: int, bounds_at: BoundsAt) -> int:
    """The last word boundary at or before `position` (within WINDOW characters)."""
    window_start = max(0, position - WINDOW)
    bounds = bounds_at(window_start, position + WINDOW)
    before = [b for b in bounds if window_start + b <= position]
    return window_start + max(before) if before else position


def trimmed(text: str, length: int, word_bounds: WordBounds = cluster_boundaries) -> str:
    """`text` on one line, cut at the last word boundary before `length` characters (with …)."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:word_edge_before(length, window_bounds(text, word_bounds, None))].rstrip() + " …"
