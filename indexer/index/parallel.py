"""Parallel full builds: every worker process analyses its share of the files and
writes its own Whoosh segment; the parent then commits one index listing them all.

This is what whoosh.multiproc.MpWriter does with multisegment=True, except that
the workers also do the Thai analysis (the expensive part), so nothing but small
summaries crosses process boundaries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from . import documents
from .documents import Analysed, analyse_path
from .schema import COMPOUND

_PROGRESS = None  # a shared counter, inherited by forked workers
# Postings a worker's segment gathers in memory (Whoosh's estimate, about 1.3 million: 3,300
# generated assets of 10 KB) before it is written and another begun.
SEGMENT_MB = 256


def write_segments(target: Path, paths: list[Path], analyser, progress: Callable[[int, int], None] | None
                   ) -> list[Analysed]:
    """Index `paths` into the new index at `target`: one segment per worker, more for a large share.

    Returns the analysis results in path order, without their documents.
    """
    global _PROGRESS
    workers = min(analyser.workers, len(paths))
    _PROGRESS = analyser.counter()
    slices = [[str(p) for p in paths[i::workers]] for i in range(workers)]
    with analyser.pool(workers) as pool:
        pending = pool.map_async(_index_slice, [(str(target), part) for part in slices])
        while not pending.ready():
            pending.wait(0.25)
            if progress:
                progress(_PROGRESS.value, len(paths))
        outcomes = pending.get()
    segments = [segment for made, _ in outcomes for segment in made]
    ix = whoosh_index.open_dir(str(target))
    writer = ix.writer(compound=COMPOUND)
    writer.commit(mergetype=lambda _writer, existing: list(existing) + segments)
    by_path = {r.path: r for _, results in outcomes for r in results}
    return [by_path[documents.relative_path(p, analyser.knowledge_dir)] for p in paths]


def _index_slice(job: tuple[str, list[str]]):
    """Analyse and index one worker's share of the files. A segment is closed once its
    postings reach SEGMENT_MB and the next file starts another: Whoosh would otherwise
    spill them to a temporary file (an item at a time) and merge the spills back in
    Python, which cost a sixth of a full build at 10,000 assets, for the same memory."""
    target, paths = job
    ix = whoosh_index.open_dir(target)
    segments, results = [], []
    writer = None
    for path in paths:
        result = analyse_path(path)
        if result.document is not None:
            if writer is None:
                writer = SegmentWriter(ix, _lk=False, limitmb=2 * SEGMENT_MB, compound=COMPOUND)
            writer.add_document(**result.document)
            text = result.document["text"]
            result = replace(result, document={"text_bytes": len(text.encode("utf-8"))})
            if writer.pool.currentsize >= SEGMENT_MB * 1024 * 1024:
                segments.append(writer._finalize_segment())  # noqa: SLF001 - as whoosh.multiproc does
                writer = None
        results.append(result)
        with _PROGRESS.get_lock():
            _PROGRESS.value += 1
    if writer is not None:
        segments.append(writer._finalize_segment())  # noqa: SLF001
    return segments, results
