"""Facet counts over the set of matching documents.

The facet values of all documents are read once per index version from the columns
and counted in a plain loop over the matching document numbers (scoring.py gives
that set with the scores).
"""

from __future__ import annotations

import threading
from collections import Counter
from itertools import chain

import numpy as np
from whoosh import query as Q

from ..index.leaves import leaf_readers

SINGLE = ("department", "km_stage", "asset_type", "fy")
FACETS = (*SINGLE, "tags")
TAG_LIMIT = 30


class FacetTable:
    """Facet values of every document of one index version, by document number."""

    def __init__(self, reader):
        # Segment by segment: Whoosh's multi-segment column reader leaves out segments
        # without a column file, which would shift every later document number.
        leaves = leaf_readers(reader)
        self.values: dict[str, list] = {name: [] for name in SINGLE}
        self.tags: list[list[str]] = []
        for leaf, offset in leaves:
            assert offset == len(self.tags), "segments must be contiguous"
            size = leaf.doc_count_all()
            # A segment whose documents all lack a value has no column file (and Whoosh's
            # fallback for a list column raises), so such a column reads as empty.
            for name in SINGLE:
                self.values[name].extend(leaf.column_reader(name) if leaf.has_column(name) else [""] * size)
            if leaf.has_column("tags"):
                self.tags.extend([t.decode("utf-8") if isinstance(t, bytes) else t for t in tags]
                                 for tags in leaf.column_reader("tags", translate=False))
            else:
                self.tags.extend([] for _ in range(size))
        self._filters: dict[tuple, tuple[set[int], np.ndarray]] = {}  # read-only once cached
        self._lock = threading.Lock()

    def count(self, docnums) -> dict[str, list[tuple[str, int]]]:
        """Counts per facet value, most frequent first (tags: the top 30)."""
        docs = docnums if isinstance(docnums, (list, tuple)) else list(docnums)
        counters = {name: Counter(map(self.values[name].__getitem__, docs)) for name in SINGLE}
        counters["tags"] = Counter(chain.from_iterable(map(self.tags.__getitem__, docs)))
        out = {}
        for name, counter in counters.items():
            pairs = sorted(((str(k), n) for k, n in counter.items() if k not in (None, "")),
                           key=lambda kv: (-kv[1], kv[0]))
            out[name] = pairs[:TAG_LIMIT] if name == "tags" else pairs
        return out

    def filter_docs(self, searcher, key: tuple, query: Q.Query) -> set[int]:
        """The documents a filter allows, cached for this index version."""
        return self.allowed(searcher, key, query)[0]

    def allowed(self, searcher, key: tuple, query: Q.Query) -> tuple[set[int], np.ndarray]:
        """The documents a filter allows, as a set and as a read-only boolean array over
        document numbers (what scoring takes), both cached for this index version."""
        with self._lock:
            cached = self._filters.get(key)
        if cached is None:
            docs = set(searcher.docs_for_query(query))
            mask = np.zeros(searcher.doc_count_all(), dtype=bool)
            if docs:
                mask[np.fromiter(docs, dtype=np.int64, count=len(docs))] = True
            mask.flags.writeable = False
            cached = (docs, mask)
            with self._lock:
                if len(self._filters) >= 32:  # each entry can hold every document number
                    self._filters.clear()
                self._filters[key] = cached
        return cached
