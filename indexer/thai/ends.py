"""The token ends of a text's segmentation, stored by the index beside the text (about a byte
a token), so that a snippet reads its word boundaries instead of segmenting its window."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate


def pack_ends(ends: Iterable[int]) -> bytes:
    """Token ends (increasing offsets) as the index stores them: each token's length in a
    byte, a length of 255 or more as 255 and then two bytes (about one byte a token). A
    token longer than 65,535 characters (a run with no word break) ends what is stored:
    beyond it, a snippet segments its window itself."""
    packed, previous = bytearray(), 0
    for end in ends:
        length, previous = end - previous, end
        if length < 255:
            packed.append(length)
        elif length <= 0xFFFF:
            packed += bytes((255, length >> 8, length & 0xFF))
        else:
            break
    return bytes(packed)


def unpack_ends(packed: bytes) -> list[int]:
    """The token ends `pack_ends` stored."""
    if 255 not in packed:
        return list(accumulate(packed))  # every token shorter than 255 characters: summed in C
    ends, position, i = [], 0, 0
    while i < len(packed):
        length = packed[i]
        if length == 255:
            length, i = (packed[i + 1] << 8) | packed[i + 2], i + 3
        else:
            i += 1
        position += length
        ends.append(position)
    return ends


class StoredEnds:
    """Word boundaries of a text from the token ends its index document stores (pack_ends):
    for a window of the text, what Segmenter.word_bounds gives for it, but taken from the
    segmentation of the whole text, with nothing segmented again (a compound's parts come
    from `parts`, cached per word)."""

    def __init__(self, ends: list[int], parts: Callable[[str], frozenset[int]]):
        self.ends, self.parts = ends, parts

    def whole_words(self) -> StoredEnds:
        """The same ends without the parts of compounds: where an excerpt may start and stop,
        so it never ends inside ลำดับ or ผู้บังคับบัญชา, whose parts are words of their own."""
        return StoredEnds(self.ends, _no_parts)

    def window(self, normalized: str, low: int, high: int) -> frozenset[int] | None:
        """Offsets, relative to `low`, where a word of normalized[low:high] starts or ends (both
        ends of the window included); None when the stored ends stop before `high`."""
        high = min(high, len(normalized))
        if not self.ends or high > self.ends[-1] or low > high:
            return None
        bounds = {0, high - low}
        i = bisect_right(self.ends, low)
        start = self.ends[i - 1] if i else 0
        while i < len(self.ends) and start < high:
            end = self.ends[i]
            if start >= low:
                bounds.add(start - low)
            if end <= high:
                bounds.add(end - low)
            if end - start > 1:
                bounds.update(start + b - low for b in self.parts(normalized[start:end]) if low < start + b < high)
            start, i = end, i + 1
        return frozenset(bounds)

    def holds(self, normalized: str, low: int, high: int) -> WindowBounds | None:
        """The same boundaries as `window`, worked out only for the offsets asked about
        (`offset in holds(...)`): a snippet asks about the ends of a few matches, not about
        every word of its window."""
        high = min(high, len(normalized))
        if not self.ends or high > self.ends[-1] or low > high:
            return None
        return WindowBounds(self, normalized, low, high)

    def is_bound(self, normalized: str, position: int) -> bool:
        """Whether a word of the stored text starts or ends at `position`, a compound's parts included."""
        i = bisect_left(self.ends, position)
        if i == len(self.ends):
            return False
        start, end = (self.ends[i - 1] if i else 0), self.ends[i]
        if position in (start, end):
            return True
        return position - start in self.parts(normalized[start:end])


class WindowBounds:
    """The word boundaries of a window of a text, as offsets from its start, found on demand."""

    __slots__ = ("stored", "text", "low", "high")

    def __init__(self, stored: StoredEnds, text: str, low: int, high: int):
        self.stored, self.text, self.low, self.high = stored, text, low, high

    def __contains__(self, offset: object) -> bool:
        if not isinstance(offset, int) or not 0 <= offset <= self.high - self.low:
            return False
        return offset in (0, self.high - self.low) or self.stored.is_bound(self.text, self.low + offset)


def _no_parts(_word: str) -> frozenset[int]:
    return frozenset()
