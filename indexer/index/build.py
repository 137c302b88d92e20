"""Full builds: every asset file into a fresh build folder, swapped in when complete."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index

from ..content.asset import Problem
from ..content.loader import iter_asset_files
from .documents import Analysed
from .layout import BuildLayout
from .runs import POSTINGS_MB, segment_writer
from .schema import COMPOUND, make_schema
from .state import IndexState, take_inventory, write_state
from .words import write_segment_words

if TYPE_CHECKING:
    from .analyser import Analyser


@dataclass(frozen=True)
class BuildReport:
    """Figures of one full build or update."""

    indexed: int
    skipped: int
    removed: int
    seconds: float
    text_bytes: int
    problems: tuple[Problem, ...]
    path: Path


def full_build(layout: BuildLayout, fingerprint: str, knowledge_dir: Path, analyse: Analyser,
               progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """Index every file into a new build folder, then swap it in atomically."""
    started = time.perf_counter()
    paths = list(iter_asset_files(knowledge_dir))
    lease = layout.new_build()
    target = lease.path
    try:
        ix = whoosh_index.create_in(str(target), make_schema())
        state = IndexState(fingerprint)
        if analyse.parallel(len(paths)):
            text_bytes = _write_parallel(ix, target, paths, analyse, progress, state)
        else:
            text_bytes = _write_all(ix, analyse.run(paths, progress), state)
        write_segment_words(target)  # so no process reads the words from Whoosh's term table
        with layout.write_lock():
            # Files saved, added or removed while it was built (a full build at 3,000 assets under
            # load took two minutes) went into the build it replaces: applied to this one too, or
            # the swap took them out of search until the watcher saw them again (outside review, load).
            from .update import catch_up
            if catch_up(target, state, knowledge_dir, analyse):
                write_segment_words(target)
            state.inventory = take_inventory(target)
            write_state(target, state)
            layout.swap(target)
            layout.prune(keep=target)
    except BaseException:
        lease.release()
        if layout.current_path() != target:
            shutil.rmtree(target, ignore_errors=True)
        raise
    lease.release()
    indexed = sum(1 for e in state.files.values() if e.get("slug"))
    return BuildReport(indexed, len(paths) - indexed, 0, time.perf_counter() - started,
                       text_bytes, tuple(state.problems), target)


def _write_all(ix, results: Iterable[Analysed], state: IndexState) -> int:
    writer = segment_writer(ix, limitmb=POSTINGS_MB, compound=COMPOUND)
    text_bytes = 0
    try:
        for result in results:
            result = state.admit(result)
            if result.document is not None:
                text_bytes += len(result.document["text"].encode("utf-8"))
                writer.add_document(**result.document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return text_bytes


def _write_parallel(ix, target: Path, paths: list[Path], analyse: Analyser, progress,
                    state: IndexState) -> int:
    from .parallel import write_segments

    duplicates = []
    text_bytes = 0
    for result in write_segments(target, paths, analyse, progress):
        checked = state.admit(result)
        if result.document is not None:
            if checked.document is None:
                duplicates.append(result.path)  # indexed by its worker, must go
            else:
                text_bytes += result.document["text_bytes"]
    if duplicates:
        writer = ix.writer(compound=COMPOUND)
        for rel in duplicates:
            writer.delete_by_term("path", rel)
        writer.commit(merge=False)
    return text_bytes
