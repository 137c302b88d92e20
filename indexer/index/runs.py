"""Whoosh index writers whose posting runs are written and read a chunk at a time.

A Whoosh writer gathers the postings of the documents it adds in memory; past `limitmb` it
sorts them and spills them to a run file, and at the end it merges the runs back. Whoosh
pickles and unpickles a run one posting at a time, and a full build's worker holding
5,000 of the benchmark's assets spills about two million: a sixth of a full build at
10,000 assets went to that. Here a run is pickled in chunks of RUN_CHUNK postings, so the
Python loop is over chunks, and merging reads one chunk of each run at a time, so memory
stays bounded as before.

Writing more segments instead (one closed whenever the postings reach the limit) saved as
much time, but four segments at 10,000 assets instead of two made the index 18 % larger
and cut the searches answered a second at concurrency 8 by 30 %; see docs/BENCHMARKS.md.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator

from whoosh.writing import PostingPool, SegmentWriter

RUN_CHUNK = 16_384  # postings pickled together: about 3 MB of a run
# what a full build's writer gathers in memory before it spills a run (Whoosh's estimate of the postings)
POSTINGS_MB = 256


class ChunkedPostingPool(PostingPool):
    """Whoosh's PostingPool, with each run pickled in chunks instead of item by item."""

    def _write_run(self, f, items: Iterable) -> None:
        chunk: list = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= RUN_CHUNK:
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
                chunk = []
        if chunk:
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


def segment_writer(ix, limitmb: int = 128, **kwargs) -> SegmentWriter:
    """`ix.writer(limitmb=…, **kwargs)` with a ChunkedPostingPool (Whoosh's writer takes no pool
    class, so its pool, still empty, is replaced)."""
    writer = SegmentWriter(ix, limitmb=limitmb, **kwargs)
    writer.pool = ChunkedPostingPool(writer.temp_storage(), writer.newsegment, limitmb=limitmb)
    return writer
