"""The vectors of one index version: a row per encoded passage, tied to its segment and
document, extended version to version, and the nearest documents to a question."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..index.leaves import leaf_readers
from .cache import VectorCache
from .coarse import CANDIDATES, CoarseIndex
from .passages import passage_hash, stored_passages
from .quantized import Int8Rows


@dataclass
class VectorMatrix:
    """The encoded passages of one index version: one row per passage, with its document.

    Rows are tied to (segment, document number inside it), not to the index-wide number, so
    the matrix of the next version is this one extended (see `made`): an update adds a small
    segment and marks replaced documents deleted, and only the new segment's documents and
    the passages still waiting for a vector are read. At 10,000 assets a matrix made afresh
    reads every stored document (about 2 s per worker); an extension reads one.
    """

    rows: Int8Rows            # (n, DIMENSIONS) unit vectors, int8 with a scale per row (quantized.py)
    docnums: np.ndarray       # (n,) int: the index-wide document number of each row
    segments: np.ndarray      # (n,) int: the row's segment, as a position in segment_ids
    places: np.ndarray        # (n,) int: the row's document number inside its segment
    segment_ids: tuple[str, ...]
    waiting: dict[str, list[tuple[str, int]]]  # passage hash without a vector -> its (segment, place)s
    coarse: CoarseIndex | None = None  # the first pass of `nearest` on a large matrix (coarse.py)

    @property
    def pending(self) -> int:
        """Documents with passages still to encode."""
        return len({owner for owners in self.waiting.values() for owner in owners})

    @classmethod
    def made(cls, reader, cache: VectorCache, old: VectorMatrix | None = None) -> VectorMatrix:
        """The matrix of the version `reader` reads: `old` extended when given (its rows of
        segments that are gone or documents since deleted dropped), else made afresh."""
        leaves = {leaf.segment().segment_id(): (leaf, offset)
                  for leaf, offset in leaf_readers(reader)}
        ids = tuple(leaves)
        position = {segment_id: i for i, segment_id in enumerate(ids)}
        waiting: dict[str, list[tuple[str, int]]] = {}
        rows, segments, places = [], [], []
        to_read = ids
        kept = None  # the old rows kept: all of them (None) or a mask
        if old is not None:
            kept, waiting = old._carried(leaves, position, rows, segments, places)
            to_read = tuple(segment_id for segment_id in ids if segment_id not in set(old.segment_ids))
        for segment_id in to_read:
            for place, fields in leaves[segment_id][0].iter_docs():
                for text in stored_passages(fields):
                    waiting.setdefault(passage_hash(text), []).append((segment_id, place))
        found, vectors = cache.rows(list(waiting)) if waiting else ([], Int8Rows.empty())
        added = vectors if found else Int8Rows.empty()
        if found:
            owners = [waiting.pop(key) for key in found]
            if any(len(o) > 1 for o in owners):  # the same passage in several assets: a row each
                vectors = added = vectors.take(np.repeat(np.arange(len(found)), [len(o) for o in owners]))
            flat = [owner for o in owners for owner in o]
            rows.append(vectors)
            segments.append(np.array([position[segment_id] for segment_id, _ in flat], dtype=np.int64))
            places.append(np.array([place for _, place in flat], dtype=np.int64))
        rows_all = Int8Rows.joined(rows)  # one part (made afresh, or new passages still wait): no copy
        segments_all = np.concatenate(segments) if segments else np.zeros(0, np.int64)
        places_all = np.concatenate(places) if places else np.zeros(0, np.int64)
        offsets = np.array([leaves[segment_id][1] for segment_id in ids], dtype=np.int64)
        docnums = offsets[segments_all] + places_all if len(ids) else np.zeros(0, np.int64)
        coarse = CoarseIndex.following(old.coarse if old is not None else None, kept, added, rows_all)
        return cls(rows_all, docnums, segments_all, places_all, ids, waiting, coarse)

    def _carried(self, leaves: dict, position: dict[str, int], rows: list, segments: list,
                 places: list) -> tuple[np.ndarray | None, dict[str, list[tuple[str, int]]]]:
        """Append to `rows`, `segments` and `places` this matrix's rows still alive in the
        next version, whose segments are `leaves` (at `position`); return which rows were
        kept (None for all of them) and the passages still waiting for a vector."""
        keep = np.zeros(len(self.rows), dtype=bool)
        moved = np.full(len(self.segment_ids), -1, dtype=np.int64)
        for i, segment_id in enumerate(self.segment_ids):
            if segment_id not in leaves:
                continue
            moved[i] = position[segment_id]
            mine = self.segments == i
            leaf = leaves[segment_id][0]
            if leaf.has_deletions():
                deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                mine &= ~np.isin(self.places, deleted)
            keep |= mine
        everything = bool(keep.all())
        rows.append(self.rows if everything else self.rows.take(keep))  # an unchanged part is shared, not copied
        segments.append(moved[self.segments] if everything else moved[self.segments[keep]])
        places.append(self.places if everything else self.places[keep])
        waiting = {}
        for key, owners in self.waiting.items():
            alive = [(sid, place) for sid, place in owners if sid in leaves and not leaves[sid][0].is_deleted(place)]
            if alive:
                waiting[key] = alive
        return (None if everything else keep), waiting

    def nearest(self, query: np.ndarray, allowed: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """The `limit` documents whose best passage is closest to `query`, among those
        `allowed` (a boolean per document number)."""
        if not len(self.rows):
            return []
        permitted = allowed[self.docnums]  # a filter applies first: it never leaves the answer short
        many = limit * 8  # a document has several passages: enough rows for `limit` documents, most times
        if self.coarse is None:
            rows = np.flatnonzero(permitted)
            scores = self.rows.dot(query)[rows]
        else:
            rows = self.coarse.candidates(query, permitted, max(CANDIDATES, 2 * many))
            scores = self.rows.take(rows).dot(query)
        if len(scores) > many:
            top = np.argpartition(-scores, many)[:many]  # not a full sort of every passage
            order = top[np.argsort(-scores[top], kind="stable")]
        else:
            order = np.argsort(-scores, kind="stable")
        best: dict[int, float] = {}
        for doc, score in zip(self.docnums[rows[order]].tolist(), scores[order].tolist(), strict=True):
            if doc not in best:
                best[doc] = score
                if len(best) >= limit:
                    break
        return sorted(best.items(), key=lambda item: -item[1])

    def vector_of(self, doc: int) -> np.ndarray | None:
        """The first passage (title, summary, tags) of a document."""
        where = np.flatnonzero(self.docnums == doc)
        return self.rows.row(int(where[0])) if len(where) else None
