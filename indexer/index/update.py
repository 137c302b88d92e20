"""Incremental updates, copy-on-write: the changed files go into a new build that shares
the live build's unchanged segment files through hard links, swapped in like a full build.

Why copy-on-write: a Whoosh commit in the live folder deletes the files of merged or
superseded segments (and the old table of contents) while searchers that opened the
index earlier still read them lazily, which made searches racing an update fail
(TypeError in stored_fields). A live build is now never written to; an old one goes
when no searcher holds it (see layout.py).

Cost, measured with a one-file update through KnowledgeBase.update(only=[path]) (median
of 15, two interleaved rounds, on the shared 2-core machine at load 8-11):
    46 sample assets:      in place 125-130 ms  →  copy-on-write 141-144 ms
    2,000 generated ones:  in place 290-307 ms  →  copy-on-write 317-358 ms
The copy-on-write steps themselves (cProfile at 2,000 assets, 92 files per build):
linking 11 ms, pruning the build before 14 ms, the damage check 6 ms, the inventory
1 ms; the rest is, as before, the Thai analysis, Whoosh's commit (which merges small
segments) and writing state.json. The first search after an update costs the same
as before: it opened a new reader then too.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index

from ..content.attachments import attachments_signature
from ..content.loader import relative_path, scan_asset_files
from ..content.sources import PAUSE_EVERY
from ..errors import IndexCorrupt
from .build import BuildReport
from .documents import Analysed, file_signature
from .layout import BuildLayout
from .runs import segment_writer
from .schema import COMPOUND
from .state import IndexState, find_damage, index_files, peek_state, read_state, take_inventory, write_state
from .words import write_segment_words

if TYPE_CHECKING:
    from .analyser import Analyser

EARLY_FILES = 16  # changed files analysed before the write lock (a save's one; the watcher's few)


def update_build(layout: BuildLayout, knowledge_dir: Path, analyse: Analyser,
                 only: Iterable[Path] | None = None, pause: Callable[[], None] | None = None) -> BuildReport:
    """Re-index only added, changed and removed files (all of them, or just `only`).
    `pause` is called now and then while looking for changes (see scan_asset_files)."""
    started = time.perf_counter()
    # Look for changes without the lock (the watcher does this every few seconds in
    # every worker); take the lock, and look again, only when something changed.
    with layout.lease() as lease:
        state = peek_state(lease.path)  # read only: the changes are applied to a fresh copy below
    only = list(only) if only is not None else None
    found = changes(knowledge_dir, state, only, pause)
    if not any(found):
        return BuildReport(0, 0, 0, time.perf_counter() - started, 0, tuple(state.problems), lease.path)
    # A few files are analysed before the lock is taken: a 2 MB asset takes 10 s (minutes under
    # load), and held the lock all along, so every other save waited for it and gave up after
    # 60 s (outside review, load). Under the lock, a file still as it was analysed goes in as is.
    ready = _analysed_now(found[0], analyse) if len(found[0]) <= EARLY_FILES else {}
    with layout.write_lock():
        parent = layout.live_path()  # the write lock keeps it live and unpruned until we are done
        state = read_state(parent)
        changed, removed = changes(knowledge_dir, state, only)
        if not changed and not removed:
            return BuildReport(0, 0, 0, time.perf_counter() - started, 0, tuple(state.problems), parent)
        damage = find_damage(parent, state)
        if damage is not None:
            raise IndexCorrupt(f"ดัชนีค้นหาที่ {parent} เสียหาย ({damage}): ต้องสร้างใหม่ด้วย python -m indexer build")
        child = layout.new_build()
        try:
            linked = _link_files(parent, child.path)
            indexed, text_bytes = _apply(child.path, state, changed, removed, analyse, knowledge_dir, ready)
            write_segment_words(child.path)  # the new segment's words (the others' files are linked)
            state.inventory = take_inventory(child.path, {name: state.inventory[name] for name in linked
                                                         if name in state.inventory})
            write_state(child.path, state)
        except BaseException:
            child.release()
            shutil.rmtree(child.path, ignore_errors=True)
            raise
        layout.swap(child.path)
        layout.prune(keep=child.path)
        child.release()
    return BuildReport(indexed, len(changed) - indexed, len(removed), time.perf_counter() - started,
                       text_bytes, tuple(state.problems), child.path)


def catch_up(build: Path, state: IndexState, knowledge_dir: Path, analyse: Analyser) -> bool:
    """Apply to a finished full build, before it is swapped in, what changed in the folder since it
    read the files; whether anything did."""
    changed, removed = changes(knowledge_dir, state, None)
    if changed or removed:
        _apply(build, state, changed, removed, analyse, knowledge_dir)
    return bool(changed or removed)


def _link_files(parent: Path, child: Path) -> list[str]:
    """Hard-link the parent's Whoosh files into the child (copy where links are refused).

    Whoosh never rewrites a file in place: new segments get new random names and the
    table of contents a new generation, so the shared inodes stay as the parent had them.
    """
    names = index_files(parent)
    for name in names:
        try:
            os.link(parent / name, child / name)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            shutil.copy2(parent / name, child / name)
    return names


def _analysed_now(paths: list[Path], analyse: Analyser) -> dict[str, Analysed]:
    """The analysis of `paths` by relative path, made without any lock."""
    return {result.path: result for result in analyse.run(paths, None)}


def _analysed(batch: list[Path], analyse: Analyser, knowledge_dir: Path,
              ready: dict[str, Analysed]) -> Iterator[Analysed]:
    """The analysis of each file of `batch`: the one made before the lock while the file is still
    that version, else a new one."""
    again = []
    for path in batch:
        try:
            early = ready.pop(relative_path(path, knowledge_dir), None)
            if early is not None and file_signature(path, knowledge_dir) == early.signature:
                yield early
                continue
        except (OSError, ValueError):
            pass  # gone or moved meanwhile: analysed again, which says so
        again.append(path)
    if again:
        yield from analyse.run(again, None)


def _apply(build: Path, state: IndexState, changed: list[Path], removed: list[str],
           analyse: Analyser, knowledge_dir: Path, ready: dict[str, Analysed] | None = None) -> tuple[int, int]:
    """Write the changes into the build's index; returns (documents indexed, text bytes).

    Slugs go as a full build would give them: a file refused for a slug another file owned is
    analysed again once that file is gone (`state.waiting`), and an owner refused for a file
    listed before it leaves the index (`state.displaced`)."""
    ix = whoosh_index.open_dir(str(build))
    writer = segment_writer(ix, timeout=30.0, compound=COMPOUND)
    indexed = text_bytes = 0
    try:
        for rel in removed:
            writer.delete_by_term("path", rel)
            state.forget(rel)
        batch, tried = changed, set()
        while True:
            for result in _analysed(batch, analyse, knowledge_dir, ready if ready is not None else {}):
                writer.delete_by_term("path", result.path)
                result = state.admit(result)
                if result.document is not None:
                    writer.update_document(**result.document)
                    indexed += 1
                    text_bytes += len(result.document["text"].encode("utf-8"))
                for rel in state.displaced:
                    writer.delete_by_term("path", rel)
                state.displaced.clear()
            # a file analysed again owns its slug, is refused for a file before it or broke:
            # either way it waits no more (`tried` stops a loop should that ever not hold)
            waiting = [rel for rel in state.waiting() if rel not in tried]
            if not waiting:
                break
            tried.update(waiting)
            batch = [Path(knowledge_dir) / rel for rel in waiting]
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return indexed, text_bytes


def changes(knowledge_dir: Path, state: IndexState, only: list[Path] | None,
            pause: Callable[[], None] | None = None) -> tuple[list[Path], list[str]]:
    """(files to re-analyse, relative paths to remove) since `state`, over all files or `only`."""
    if only is None:
        scanned = scan_asset_files(knowledge_dir, pause)
        removed = [rel for rel in state.files if rel not in scanned]
        files, changed = state.files, []
        for number, (rel, (path, mtime, size, has_files)) in enumerate(scanned.items()):
            if pause is not None and number % (4 * PAUSE_EVERY) == 0:
                pause()
            if rel not in files or files[rel].get("signature") != _signature(path, mtime, size, has_files):
                changed.append(Path(path))
        return changed, removed
    on_disk, removed = {}, []
    for p in only:
        try:
            rel = relative_path(Path(knowledge_dir) / p, knowledge_dir)
        except ValueError:
            continue  # not in the knowledge folder: nothing of ours
        path = Path(knowledge_dir) / rel
        if os.path.lexists(path) and not path.is_dir():
            on_disk[rel] = path
        elif rel in state.files:
            removed.append(rel)
    changed = []
    for rel, p in on_disk.items():
        try:
            signature = file_signature(p, knowledge_dir)
        except OSError:
            continue
        if state.files.get(rel, {}).get("signature") != signature:
            changed.append(p)
    return changed, removed


def _signature(path: str, mtime_ns: int, size: int, has_files: bool) -> str:
    """What documents.file_signature gives, from a directory scan's figures."""
    attachments = attachments_signature(Path(path)) if has_files else ""
    return f"{mtime_ns}:{size}" + (f":{attachments}" if attachments else "")
