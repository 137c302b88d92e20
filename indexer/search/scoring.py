"""BM25F scores of a word query, computed one posting list at a time.

Whoosh scores an Or by walking a tree of union matchers document by document: every
step asks each branch for its current document, its quality and its score. A
question widened by synonyms, tone variants and compound parts has 30 to 60
leaves, and at 10,000 assets that walk took most of a search (ลาป่วย with a typo:
231 ms). Here each distinct term is read once, as whole blocks of its posting
list, and scored with numpy into one array per query; the same term asked in two
clauses is read once with their boosts added (BM25 is linear in the boost).

The scores are Whoosh's own: the same BM25F (B 0.75, K1 1.2, Whoosh's idf and
its byte-encoded field lengths). Two differences, both deliberate:
- the boost of an Or with a single part counts (Whoosh's matcher drops it, so a
  correction's CORRECTION_WEIGHT was never applied);
- leaves that are not plain terms (phrases) are still scored by their Whoosh
  matcher, then added in.
"""

from __future__ import annotations

import threading

import numpy as np
from whoosh import query as Q
from whoosh.matching.wrappers import FilterMatcher

from .facets import leaf_readers

K1 = 1.2  # Whoosh's BM25F defaults, which the searcher uses
B = 0.75
MAX_SEGMENT_LENGTHS = 64  # cached (segment, field) length arrays; a live index has a few segments


class FieldLengths:
    """Each document's field length as Whoosh scores it (decoded from its length byte),
    one numpy array per segment and field. Segments never change once written, so the
    arrays outlive index versions; those of merged-away segments are dropped."""

    def __init__(self) -> None:
        self._arrays: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def of(self, leaf, field: str) -> np.ndarray:
        key = (leaf.segment().segment_id(), field)
        with self._lock:
            found = self._arrays.get(key)
        if found is None:
            found = np.array([leaf.doc_field_length(doc, field, 0) or 0 for doc in range(leaf.doc_count_all())],
                             dtype=np.float64)
            with self._lock:
                if len(self._arrays) >= MAX_SEGMENT_LENGTHS:
                    self._arrays.clear()
                self._arrays[key] = found
        return found


class Scores:
    """The scores of one query over every document number, and which documents it matched."""

    def __init__(self, size: int):
        self.score = np.zeros(size, dtype=np.float64)
        self.matched = np.zeros(size, dtype=bool)

    def add(self, docs: np.ndarray, values: np.ndarray) -> None:
        self.score[docs] += values  # a leaf names each document once
        self.matched[docs] = True

    def matched_set(self, allowed: np.ndarray) -> set[int]:
        return set(np.flatnonzero(self.matched & allowed).tolist())

    def top(self, allowed: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """The `limit` best allowed documents, best first (ties by document number)."""
        docs = np.flatnonzero(self.matched & allowed)
        if len(docs) > limit:
            # keep every document tied with the last one kept, so ties break by number
            cut = np.partition(self.score[docs], len(docs) - limit)[len(docs) - limit]
            docs = docs[self.score[docs] >= cut]
        order = sorted(docs.tolist(), key=lambda doc: (-self.score[doc], doc))[:limit]
        return [(doc, float(self.score[doc])) for doc in order]


def allowed_mask(size: int, allowed: set[int]) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    if allowed:
        mask[np.fromiter(allowed, dtype=np.int64, count=len(allowed))] = True
    return mask


def score_query(searcher, query: Q.Query, lengths: FieldLengths) -> Scores:
    """Score every document `query` matches (an Or tree of terms and phrases)."""
    scores = Scores(searcher.doc_count_all())
    terms: dict[tuple[str, str], float] = {}
    others: list[tuple[Q.Query, float]] = []
    for leaf, boost in _leaves(query, 1.0):
        if isinstance(leaf, Q.Term):
            key = (leaf.fieldname, leaf.text)
            terms[key] = terms.get(key, 0.0) + boost * leaf.boost
        else:
            others.append((leaf, boost))
    reader = searcher.reader()
    segments = leaf_readers(reader)
    for (field, text), boost in terms.items():
        if (field, text) not in reader:
            continue
        idf = searcher.idf(field, text)
        average = searcher.avg_field_length(field) or 1
        norm = K1 * (1 - B), K1 * B / average
        for segment, offset in segments:
            if (field, text) not in segment:
                continue
            docs, tf = _postings(segment, field, text)
            length = lengths.of(segment, field)[docs]
            scores.add(docs + offset, boost * idf * tf * (K1 + 1) / (tf + norm[0] + norm[1] * length))
    for leaf, boost in others:
        matcher = leaf.matcher(searcher)
        docs, values = [], []
        while matcher.is_active():
            docs.append(matcher.id())
            values.append(matcher.score())
            matcher.next()
        if docs:
            scores.add(np.array(docs, dtype=np.int64), boost * np.array(values))
    return scores


def _leaves(query: Q.Query, boost: float):
    """The leaves of an Or tree with the product of the boosts of the Ors above them."""
    if isinstance(query, Q.Or):
        for part in query.subqueries:
            yield from _leaves(part, boost * query.boost)
    elif query is not Q.NullQuery:
        yield query, boost


def _postings(segment, field: str, text: str, blocks: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers in one segment and its frequency in each, deleted
    documents left out. Whole blocks are read from whoosh3's leaf matcher when it is
    the one the segment hands out (`blocks`); any other matcher is walked posting by
    posting, three times slower."""
    matcher = segment.postings(field, text)
    deleted = None
    if isinstance(matcher, FilterMatcher):
        deleted, matcher = segment.deleted_docs_set, matcher.child
    ids: list = []
    weights: list = []
    if blocks and all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_next_block")):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    docs = np.array(ids, dtype=np.int64)
    tf = np.array(weights, dtype=np.float64)
    if deleted:
        keep = ~np.isin(docs, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
        docs, tf = docs[keep], tf[keep]
    return docs, tf
