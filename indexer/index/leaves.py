"""The segments of an index reader, shared by searching, facets and the semantic matrix."""

from __future__ import annotations


def leaf_readers(reader) -> list[tuple[object, int]]:
    """The reader's segments with their first document number, in order (one if atomic); none for
    an index without a document yet (a new municipality's empty knowledge folder), whose reader
    reads no segment."""
    if reader.is_atomic():
        return [(reader, 0)] if reader.segment() is not None else []
    return sorted(reader.leaf_readers(), key=lambda pair: pair[1])
