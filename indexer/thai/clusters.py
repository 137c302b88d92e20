"""Thai character clusters (the smallest units that can never be split): where a match may start
or end without splitting one, and the sub-word units the lexicon and the index share."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pythainlp.tokenize.tcc import tcc as _tcc_clusters
from pythainlp.tokenize.tcc import tcc_pos

try:  # the pattern tcc_pos matches with (see _cluster_ends)
    from pythainlp.tokenize.tcc import _PAT_TCC as _TCC_PATTERN
except ImportError:  # a later pythainlp may rename it: tcc_pos itself is then used
    _TCC_PATTERN = None

from .text import is_thai, is_wordlike


def clusters(normalized: str) -> list[str]:
    """Split normalised text into sub-word units (Thai character clusters).

    Thai runs become Thai Character Clusters (the smallest units that can never
    be split), other words stay whole, so "ให้ความเป็นธรรม" contains the cluster
    sequence of "ความเป็นธรรม"; snippets and the lexicon use cluster boundaries.
    """
    units: list[str] = []
    for run in _RUNS.findall(normalized):
        if is_thai(run):
            units.extend(c for c in _tcc_clusters(run) if is_wordlike(c))
        else:
            units.append(run)
    return units


def sub_units(words: Iterable[str]) -> list[str]:
    """The sub-word units of already-segmented words, word by word (cached).

    Index and query both use this, so a query's units line up with the index's.
    """
    units: list[str] = []
    for word in words:
        units.extend(_word_units(word))
    return units


@lru_cache(maxsize=200_000)
def _word_units(word: str) -> tuple[str, ...]:
    return tuple(clusters(word))


_RUNS = re.compile(r"[\u0e00-\u0e7f]+|[^\W_\u0e00-\u0e7f]+", re.UNICODE)


def cluster_boundaries(normalized: str) -> set[int]:
    """Return every offset where a match may start or end without splitting a cluster."""
    bounds = {0, len(normalized)}
    for run in _RUNS.finditer(normalized):
        start, end = run.span()
        bounds.add(start)
        bounds.add(end)
        if is_thai(run.group()):
            _cluster_ends(normalized, start, end, bounds)
    return bounds


def _cluster_ends(text: str, start: int, end: int, into: set[int]) -> None:
    """Add the end of every Thai character cluster of text[start:end] to `into`: pythainlp's
    tcc_pos with its own pattern, matched in place (tcc_pos copies the rest of the text
    at every cluster and yields each one; snippets check clusters at every candidate
    match, and this takes half the time). tests/test_thai.py compares the two."""
    if _TCC_PATTERN is None:
        into.update(start + p for p in tcc_pos(text[start:end]))
        return
    match, position = _TCC_PATTERN.match, start
    while position < end:
        found = match(text, position, end)
        position = found.end() if found else position + 1
        into.add(position)
