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

from . import documents
from .documents import Analysed, analyse_path
from .runs import POSTINGS_MB, segment_writer
from .schema import COMPOUND

_PROGRESS = None  # a shared counter, inherited by forked workers


def write_segments(target: Path, paths: list[Path], analyser, progress: Callable[[int, int], None] | None
                   ) -> list[Analysed]:
    """Index `paths` into the new index at `target` with one segment per worker.

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
    segments = [segment for segment, _ in outcomes if segment is not None]
    ix = whoosh_index.open_dir(str(target))
    writer = ix.writer(compound=COMPOUND)
    writer.commit(mergetype=lambda _writer, existing: list(existing) + segments)
    by_path = {r.path: r for _, results in outcomes for r in results}
    return [by_path[documents.relative_path(p, analyser.knowledge_dir)] for p in paths]


def _index_slice(job: tuple[str, list[str]]):
    """Analyse and index one worker's share of the files into one segment (its postings spill
    to chunked runs past POSTINGS_MB, see runs.py). Returns the segment, or None when no file
    gave a document, and the analysis results without their documents."""
    target, paths = job
    ix = whoosh_index.open_dir(target)
    writer = segment_writer(ix, _lk=False, limitmb=POSTINGS_MB, compound=COMPOUND)
    results = []
    for path in paths:
        result = analyse_path(path)
        if result.document is not None:
            writer.add_document(**result.document)
            text = result.document["text"]
            result = replace(result, document={"text_bytes": len(text.encode("utf-8"))})
        results.append(result)
        with _PROGRESS.get_lock():
            _PROGRESS.value += 1
    if not writer._added:  # noqa: SLF001 - whoosh's own flag; an empty segment is not kept
        writer.cancel()
        return None, results
    return writer._finalize_segment(), results  # noqa: SLF001 - as whoosh.multiproc does
