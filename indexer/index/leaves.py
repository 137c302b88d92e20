"""The segments of an index reader, shared by searching, facets and the semantic matrix."""

from __future__ import annotations


def leaf_readers(reader) -> list[tuple[object, int]]:
    """The reader's segments with their first document number, in order (one if atomic)."""
    return [(reader, 0)] if reader.is_atomic() else sorted(reader.leaf_readers(), key=lambda pair: pair[1])
