"""Snippets with <mark> highlights placed on the characters the reader sees.

Matching happens on the normalised text (so ๙๕๑ matches 951 and เเ matches แ),
then an offset map points every match back at the original characters. Thai
matches must start and end on character-cluster boundaries, which also
highlights a compound's part (ความเป็นธรรม inside ให้ความเป็นธรรม).
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Iterable, Sequence

from ..thai.text import cluster_boundaries, is_thai, normalize_cached, normalize_with_offsets
from .requests import AttachmentMatch

SNIPPET_CHARS = 220
SCAN_LIMIT = 30000  # characters of body searched for a snippet
MAX_OCCURRENCES = 8  # of one term; enough to choose a dense window
MAX_TRIES = 64  # places a term is checked at: inside other words (a letter of a cluster) it may occur everywhere
WINDOW = 24  # characters around a match in which cluster boundaries are worked out


def find_matches(text: str, terms: Iterable[str]) -> list[tuple[int, int, str]]:
    """Return (start, end, term) spans in the original `text`, sorted, not overlapping."""
    norm, offsets = normal_form(text)
    spans: list[tuple[int, int, str]] = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start, seen, tried = norm.find(term), 0, 0
        while start != -1 and seen < MAX_OCCURRENCES and tried < MAX_TRIES:
            end = start + len(term)
            tried += 1
            if _aligned(norm, start, end, term):
                spans.append((offsets[start], offsets[end - 1] + 1, term) if offsets else (start, end, term))
                seen += 1
            start = norm.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int, str]] = []
    for span in spans:
        if merged and span[0] < merged[-1][1]:
            continue
        merged.append(span)
    return merged


@lru_cache(maxsize=128)
def normal_form(text: str) -> tuple[str, Sequence[int] | None]:
    """The normalised text of a document and, when normalising changed its length, the
    source index of each character: worked out once per document text, not per search
    (a hit's body is the key, so an edited asset gets a new entry)."""
    norm = normalize_cached(text)
    if len(norm) == len(text):
        return norm, None
    return normalize_with_offsets(text)  # characters were removed or merged: map them back


def _aligned(norm: str, start: int, end: int, term: str) -> bool:
    """Thai matches must start and end on cluster boundaries (checked in a small window)."""
    if not is_thai(term):
        return _word_edge(norm, start - 1) and _word_edge(norm, end)
    window_start = max(0, start - WINDOW)
    bounds = cluster_boundaries(norm[window_start:end + WINDOW])
    return (start - window_start) in bounds and (end - window_start) in bounds


def _word_edge(text: str, index: int) -> bool:
    return index < 0 or index >= len(text) or not text[index].isalnum()


def make_snippet(text: str, terms: Iterable[str], fallback: str = "", length: int = SNIPPET_CHARS) -> str:
    """Return an HTML-escaped excerpt around the densest matches, terms wrapped in <mark>."""
    text = text[:SCAN_LIMIT]
    spans = find_matches(text, terms)
    if not spans:
        base = fallback or text
        return escape(_trim(base, length))
    start = _best_window(spans, length)
    start = max(0, min(start - length // 5, len(text) - length))
    start = _soft_start(text, start)
    end = min(len(text), start + length)
    pieces, cursor = [], start
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        pieces.append(escape(text[cursor:s]))
        pieces.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    pieces.append(escape(text[cursor:end]))
    html = "".join(pieces).replace("\n", " ")
    return ("… " if start > 0 else "") + html.strip() + (" …" if end < len(text) else "")


def attachment_match(files, terms: frozenset[str], snippet: str, title: str, summary: str,
                     tags) -> AttachmentMatch | None:
    """Which stored attachment texts (`files`: (name, text) pairs) hold the search words, when
    the result's own snippet, title, summary and tags do not; with an excerpt of the first."""
    if not terms or not files or "<mark>" in snippet or find_matches("\n".join([title, summary, *tags]), terms):
        return None
    names = [name for name, text in files if find_matches(text, terms)]
    if not names:
        return None
    first = next(text for name, text in files if name == names[0])
    return AttachmentMatch(tuple(names), make_snippet(first, terms))


def _best_window(spans: list[tuple[int, int, str]], length: int) -> int:
    best_start, best_score = spans[0][0], -1
    for i, (s, _, _) in enumerate(spans):
        window = {t for (s2, e2, t) in spans[i:] if e2 <= s + length}
        score = len(window) * 10 + sum(1 for (s2, e2, _) in spans[i:] if e2 <= s + length)
        if score > best_score:
            best_start, best_score = s, score
    return best_start


def _soft_start(text: str, start: int) -> int:
    """Move the start to just after a nearby space or line break so words are not cut."""
    if start <= 0:
        return 0
    window = text[max(0, start - 30):start]
    cut = max(window.rfind(" "), window.rfind("\n"))
    return start - len(window) + cut + 1 if cut != -1 else start


def _trim(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length].rstrip() + " …"
