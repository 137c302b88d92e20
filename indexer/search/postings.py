"""Reading the index for scoring: each document's field lengths and each word's posting
lists, read as whole blocks and decoded with numpy, the long ones kept between searches."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

MAX_SEGMENT_LENGTHS = 64  # cached (segment, field) length arrays; a live index has a few segments
MAX_FREQUENCIES = 100_000  # cached (segment, field, word) document counts, about 12 MB when full


class FieldLengths:
    """Each document's field length as Whoosh scores it (decoded from its length byte),
    one numpy array per segment and field. Segments never change once written, so the
    arrays outlive index versions; the cache is emptied when it holds 64 arrays, which
    lets those of merged-away segments go."""

    def __init__(self) -> None:
        self._arrays: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def of(self, leaf, field: str) -> np.ndarray:
        key = (leaf.segment().segment_id(), field)
        with self._lock:
            found = self._arrays.get(key)
        if found is None:
            found = _field_lengths(leaf, field)
            with self._lock:
                if len(self._arrays) >= MAX_SEGMENT_LENGTHS:
                    self._arrays.clear()
                self._arrays[key] = found
        return found


# Whoosh keeps a field's lengths as one byte per document, a logarithmic code of the length.
_LENGTH_OF_BYTE = np.array([0] + [byte_to_length(code) for code in range(1, 256)], dtype=np.float64)


def _field_lengths(leaf, field: str) -> np.ndarray:
    """Each document's length in `field` as Whoosh scores it. The length column is read as one
    block and decoded by table: read one document at a time it took about 0.15 s of each worker's
    first search at 10,000 assets (35,000 calls). A segment not read through Whoosh's own codec,
    or whose column is not of the one-byte kind it writes, is read document by document."""
    size = leaf.doc_count_all()
    perdoc = getattr(leaf, "_perdoc", None)
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN) if hasattr(perdoc, "_cached_reader") else False
    if column is None:  # no document has the field
        return np.zeros(size, dtype=np.float64)
    if isinstance(column, NumericColumn.Reader) and getattr(column, "_fixedlen", 0) == 1:
        stored = min(column._count, size)
        codes = np.zeros(size, dtype=np.uint8)
        codes[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
        return _LENGTH_OF_BYTE[codes]
    return np.array([leaf.doc_field_length(doc, field, 0) or 0 for doc in range(size)], dtype=np.float64)


class PostingCache:
    """Decoded posting lists of common words, shared by the searches of a process.

    Whoosh keeps a posting list as pickled blocks of 128 postings; a word in most
    documents (ไม่, ค่า, เบิก) costs 5 to 30 ms to unpickle at 10,000 assets, on every
    question that holds it, and such words are in most questions. Lists of at least
    MIN_DOCS postings are kept decoded here, least recently used first out, up to
    MAX_BYTES in all. A segment never changes once written, but its deletions grow:
    the key holds the segment's number of deleted documents. Cached arrays are
    read-only. A list is kept as first read: with positions when a phrase asked for it,
    without them otherwise (decoding the positions of common words' lists took more than
    the rest of a long question); a phrase that later needs them reads it again."""

    MIN_DOCS = 64  # shorter lists are cheap to read again
    # The benchmark's mix keeps 6 MB; after the 210 blind sample questions the cache holds
    # whatever it may. Those questions, asked once each, took the same time with 12 MB as
    # with 24 (p95 158-168 against 161-170 ms), so a worker keeps 12 MB less.
    MAX_BYTES = 12 * 1024 * 1024

    def __init__(self, max_bytes: int = MAX_BYTES, min_docs: int = MIN_DOCS) -> None:
        self.max_bytes, self.min_docs = max_bytes, min_docs
        self._lists: OrderedDict[tuple, tuple[Posting, int]] = OrderedDict()
        self._bytes = 0
        self._frequencies: dict[tuple[str, str, str], int] = {}  # (segment, field, word): segments never change
        self._lock = threading.Lock()

    def frequency(self, segment, field: str, text: str) -> int:
        """The number of documents of `segment` holding the word (0: none): a lookup in
        Whoosh's term table costs about 20 µs, and a question widened by synonyms, parts
        and tone variants asks 60 to 400 of them."""
        key = (segment.segment().segment_id(), field, text)
        found = self._frequencies.get(key)
        if found is None:
            found = segment.doc_frequency(field, text)  # 0 when absent: one lookup, not two
            with self._lock:
                if len(self._frequencies) >= MAX_FREQUENCIES:
                    self._frequencies.clear()
                self._frequencies[key] = found
        return found

    def get(self, segment, field: str, text: str, positions: bool) -> Posting:
        info = segment.segment()
        key = (info.segment_id(), info.deleted_count(), field, text)
        with self._lock:
            found = self._lists.get(key)
            if found is not None and (found[0].values is not None or not positions):
                self._lists.move_to_end(key)
                return found[0]
        posting = read_postings(segment, field, text, positions=positions)
        if self.frequency(segment, field, text) < self.min_docs:
            return posting
        for array in (posting.docs, posting.tf):
            array.flags.writeable = False
        size = posting.nbytes()
        if size > self.max_bytes // 4:  # one list would push out most others
            return posting
        with self._lock:
            old = self._lists.pop(key, None)  # kept without positions, now read with them
            self._bytes -= old[1] if old is not None else 0
            self._lists[key] = (posting, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._lists.popitem(last=False)
                self._bytes -= dropped
        return posting

    def size(self) -> tuple[int, int]:
        """How many lists are kept and their estimated bytes."""
        with self._lock:
            return len(self._lists), self._bytes


class PostingReads:
    """The posting lists one query has read, by segment, field and word. Words of a
    phrase (`with_positions`) are read with their positions, once for every leaf."""

    def __init__(self, with_positions: set[tuple[str, str]], cache: PostingCache | None = None):
        self.with_positions, self.cache = with_positions, cache
        self.lists: dict[tuple[int, str, str], Posting] = {}

    def frequency(self, segment, field: str, text: str) -> int:
        """How many documents of `segment` hold the word (deleted ones included, as in Whoosh's idf)."""
        if self.cache is not None:
            return self.cache.frequency(segment, field, text)
        return segment.doc_frequency(field, text)

    def has(self, segment, field: str, text: str) -> bool:
        """Whether the word is in a document of `segment` (deleted ones included)."""
        return self.frequency(segment, field, text) > 0

    def __call__(self, segment, field: str, text: str) -> Posting:
        key = (id(segment), field, text)  # the segments of one reader, alive for the query
        found = self.lists.get(key)
        if found is None:
            positions = (field, text) in self.with_positions
            found = self.lists[key] = (self.cache.get(segment, field, text, positions) if self.cache is not None
                                       else read_postings(segment, field, text, positions=positions))
        return found


class Posting:
    """One term's postings in one segment: document numbers, frequencies, and (when
    asked) each posting's encoded positions."""

    __slots__ = ("docs", "tf", "values")

    def __init__(self, docs: np.ndarray, tf: np.ndarray, values: list | None):
        self.docs, self.tf, self.values = docs, tf, values

    def nbytes(self) -> int:
        """Memory held, roughly (a bytes object costs 33 bytes plus its length)."""
        values = self.values or ()
        return self.docs.nbytes + self.tf.nbytes + sum(41 + len(v) for v in values)  # 8: the list's pointer


def read_postings(segment, field: str, text: str, blocks: bool = True, positions: bool = False) -> Posting:
    """A term's postings in one segment, deleted documents left out. Whole blocks are
    read from whoosh3's leaf matcher when it is the one the segment hands out
    (`blocks`); any other matcher is walked posting by posting, three times slower."""
    matcher = segment.postings(field, text)
    deleted = None
    if isinstance(matcher, FilterMatcher):
        deleted, matcher = segment.deleted_docs_set, matcher.child
    ids: list = []
    weights: list = []
    values: list | None = [] if positions else None
    if blocks and all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_read_values",
                                                          "_next_block")):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            if values is not None:
                matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values is not None:
                values.append(matcher.value())
            matcher.next()
    docs = np.array(ids, dtype=np.int64)
    tf = np.array(weights, dtype=np.float64)
    if deleted:
        keep = ~np.isin(docs, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
        docs, tf = docs[keep], tf[keep]
        if values is not None:
            values = [value for value, kept in zip(values, keep.tolist(), strict=True) if kept]
    return Posting(docs, tf, values)
