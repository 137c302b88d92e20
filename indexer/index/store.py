"""The Whoosh index on disk: atomic full builds, incremental updates, locking.

Layout of KM_INDEX_DIR:
    builds/<stamp>/      one complete index per build (Whoosh files + state.json)
    current -> builds/<stamp>   symlink swapped atomically (os.replace) after a build
    write.lock           flock held by whoever builds or updates
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from whoosh import index as whoosh_index

from ..content.asset import Problem
from .documents import Analysed, file_signature
from ..errors import IndexBusy, IndexUnavailable
from ..files import atomic_write_text, file_lock
from ..content.attachments import attachments_signature
from ..content.loader import iter_asset_files, relative_path, scan_asset_files
from .schema import COMPOUND, make_schema

if TYPE_CHECKING:
    from .analyser import Analyser

log = logging.getLogger(__name__)
SCHEMA_VERSION = 10  # bump when the schema or a pickled field class changes (10: attachment texts stored in `files`)


@dataclass
class IndexState:
    """What the index was built from: one entry per file, problems included."""

    fingerprint: str
    files: dict[str, dict] = field(default_factory=dict)  # path -> {signature, slug, problems}
    _slugs: dict[str, str] = field(default_factory=dict, repr=False)  # slug -> path

    def __post_init__(self) -> None:
        for path, entry in self.files.items():
            if entry.get("slug"):
                self._slugs.setdefault(entry["slug"], path)

    @property
    def problems(self) -> list[Problem]:
        return [Problem(**p) for entry in self.files.values() for p in entry.get("problems", [])]

    def slug_owner(self, slug: str) -> str | None:
        return self._slugs.get(slug)

    def record(self, result: Analysed) -> None:
        self.forget(result.path)
        self.files[result.path] = {"signature": result.signature, "slug": result.slug,
                                   "problems": [p.as_dict() for p in result.problems]}
        if result.slug:
            self._slugs.setdefault(result.slug, result.path)

    def forget(self, path: str) -> None:
        entry = self.files.pop(path, None)
        if entry and entry.get("slug") and self._slugs.get(entry["slug"]) == path:
            del self._slugs[entry["slug"]]


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


class IndexStore:
    """Creates, swaps, updates and opens the on-disk index."""

    def __init__(self, index_dir: Path, fingerprint: str):
        self.index_dir = Path(index_dir)
        self.fingerprint = f"v{SCHEMA_VERSION}:{fingerprint}"

    # -- locations ---------------------------------------------------------
    @property
    def current_link(self) -> Path:
        return self.index_dir / "current"

    def current_path(self) -> Path | None:
        """The directory of the live build, or None when there is none."""
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        path = (self.index_dir / target).resolve()
        return path if (path / "state.json").is_file() else None

    def exists(self) -> bool:
        return self.current_path() is not None

    def is_compatible(self) -> bool:
        """True when the live build exists, opens, and used this schema and glossary."""
        path = self.current_path()
        if path is None:
            return False
        try:
            if self.read_state(path).fingerprint != self.fingerprint:
                return False  # built by another version or glossary: never unpickle its schema
            whoosh_index.open_dir(str(path)).doc_count()
        except Exception as exc:  # a corrupt index raises many kinds of errors
            log.warning("index at %s is unusable (%s: %s); it will be rebuilt", path, type(exc).__name__, exc)
            return False
        return True

    def live_path(self) -> Path:
        """The directory of the live build, or IndexUnavailable saying how to make one."""
        path = self.current_path()
        if path is None:
            raise IndexUnavailable(f"ยังไม่มีดัชนีค้นหาที่ {self.index_dir}: สั่ง python -m indexer build")
        return path

    def open(self):
        """Open the live Whoosh index, or raise IndexUnavailable."""
        return whoosh_index.open_dir(str(self.live_path()))

    # -- state ---------------------------------------------------------------
    def read_state(self, path: Path | None = None) -> IndexState:
        path = path or self.live_path()
        raw = json.loads((path / "state.json").read_text(encoding="utf-8"))
        return IndexState(raw["fingerprint"], raw["files"])

    @staticmethod
    def write_state(path: Path, state: IndexState) -> None:
        atomic_write_text(path / "state.json", json.dumps(
            {"fingerprint": state.fingerprint, "files": state.files}, ensure_ascii=False))

    # -- locking ---------------------------------------------------------------
    def write_lock(self, timeout: float = 60.0):
        """Hold the single-writer lock (across processes), waiting up to `timeout` seconds."""
        return file_lock(self.index_dir / "write.lock", timeout,
                         lambda: IndexBusy(f"ดัชนีถูกใช้เขียนโดยกระบวนการอื่นนานเกิน {timeout:.0f} วินาที"))

    # -- full build --------------------------------------------------------------
    def build(self, knowledge_dir: Path, analyse: "Analyser", progress: Callable[[int, int], None] | None = None) -> BuildReport:
        """Index every file into a fresh directory, then swap it in atomically."""
        started = time.perf_counter()
        paths = list(iter_asset_files(knowledge_dir))
        builds = self.index_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        target = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        target.mkdir()
        try:
            ix = whoosh_index.create_in(str(target), make_schema())
            state = IndexState(self.fingerprint)
            if analyse.parallel(len(paths)):
                text_bytes = self._write_parallel(ix, target, paths, analyse, progress, state)
            else:
                text_bytes = self._write_all(ix, analyse.run(paths, progress), state)
            self.write_state(target, state)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        with self.write_lock():
            self._swap(target)
        self._remove_old_builds(keep=target)
        indexed = sum(1 for e in state.files.values() if e.get("slug"))
        return BuildReport(indexed, len(paths) - indexed, 0, time.perf_counter() - started,
                           text_bytes, tuple(state.problems), target)

    def _write_all(self, ix, results: Iterable[Analysed], state: IndexState) -> int:
        writer = ix.writer(limitmb=256, compound=COMPOUND)
        text_bytes = 0
        try:
            for result in results:
                result = self._check_duplicate(result, state)
                state.record(result)
                if result.document is not None:
                    text_bytes += len(result.document["text"].encode("utf-8"))
                    writer.add_document(**result.document)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return text_bytes

    def _write_parallel(self, ix, target: Path, paths: list[Path], analyse: "Analyser", progress,
                        state: IndexState) -> int:
        from .parallel import write_segments

        duplicates = []
        text_bytes = 0
        for result in write_segments(target, paths, analyse, progress):
            checked = self._check_duplicate(result, state)
            state.record(checked)
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

    @staticmethod
    def _check_duplicate(result: Analysed, state: IndexState) -> Analysed:
        owner = state.slug_owner(result.slug) if result.slug else None
        if owner is None or owner == result.path:
            return result
        problem = Problem(result.path, f'slug "{result.slug}" ซ้ำกับไฟล์ {owner}: ชื่อไฟล์ต้องไม่ซ้ำกันทั้งคลัง', "slug")
        return Analysed(result.path, result.signature, None, None, result.problems + (problem,))

    def _swap(self, target: Path) -> None:
        tmp = self.index_dir / f".current-{os.getpid()}"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(os.path.relpath(target, self.index_dir), tmp)
        os.replace(tmp, self.current_link)

    def _remove_old_builds(self, keep: Path, spare: int = 1) -> None:
        """Delete old builds, sparing the newest `spare` complete ones (readers may still hold
        them) and any build still being written by a live process; a build left half-done
        by a killed process (no state.json, owner gone) is removed."""
        complete, abandoned = [], []
        for path in (self.index_dir / "builds").iterdir():
            if path == keep:
                continue
            if (path / "state.json").is_file():
                complete.append(path)
            elif not _owner_alive(path):
                abandoned.append(path)
        complete.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in complete[spare:] + abandoned:
            shutil.rmtree(old, ignore_errors=True)

    # -- incremental update ---------------------------------------------------------
    def update(self, knowledge_dir: Path, analyse: "Analyser", only: Iterable[Path] | None = None) -> BuildReport:
        """Re-index only added, changed and removed files (all of them, or just `only`)."""
        started = time.perf_counter()
        path = self.live_path()
        # Look for changes without the lock (the watcher does this every few seconds in
        # every worker); take the lock, and look again, only when something changed.
        state = self.read_state(path)
        if not any(self._diff(knowledge_dir, state, only)):
            return BuildReport(0, 0, 0, time.perf_counter() - started, 0, tuple(state.problems), path)
        with self.write_lock():
            path = self.live_path()
            state = self.read_state(path)
            changed, removed = self._diff(knowledge_dir, state, only)
            if not changed and not removed:
                return BuildReport(0, 0, 0, time.perf_counter() - started, 0, tuple(state.problems), path)
            ix = whoosh_index.open_dir(str(path))
            writer = ix.writer(timeout=30.0, compound=COMPOUND)
            indexed = text_bytes = 0
            try:
                for rel in removed:
                    writer.delete_by_term("path", rel)
                    state.forget(rel)
                for result in analyse.run(changed, None):
                    writer.delete_by_term("path", result.path)
                    result = self._check_duplicate(result, state)
                    state.record(result)
                    if result.document is not None:
                        writer.update_document(**result.document)
                        indexed += 1
                        text_bytes += len(result.document["text"].encode("utf-8"))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            self.write_state(path, state)
        return BuildReport(indexed, len(changed) - indexed, len(removed), time.perf_counter() - started,
                           text_bytes, tuple(state.problems), path)

    @staticmethod
    def _diff(knowledge_dir: Path, state: IndexState, only: Iterable[Path] | None) -> tuple[list[Path], list[str]]:
        if only is None:
            scanned = scan_asset_files(knowledge_dir)
            removed = [rel for rel in state.files if rel not in scanned]
            changed = [path for rel, (path, mtime, size, has_files) in scanned.items()
                       if state.files.get(rel, {}).get("signature") != _signature(path, mtime, size, has_files)]
            return changed, removed
        else:
            on_disk, removed = {}, []
            for p in only:
                rel = relative_path(Path(knowledge_dir) / p, knowledge_dir)
                if (Path(knowledge_dir) / rel).is_file():
                    on_disk[rel] = Path(knowledge_dir) / rel
                elif rel in state.files:
                    removed.append(rel)
        changed = []
        for rel, p in on_disk.items():
            try:
                signature = file_signature(p)
            except OSError:
                continue
            if state.files.get(rel, {}).get("signature") != signature:
                changed.append(p)
        return changed, removed


def _signature(path: Path, mtime_ns: int, size: int, has_files: bool) -> str:
    """What documents.file_signature gives, from a directory scan's figures."""
    attachments = attachments_signature(path) if has_files else ""
    return f"{mtime_ns}:{size}" + (f":{attachments}" if attachments else "")


def _owner_alive(build: Path) -> bool:
    """Whether the process that named this build folder (<stamp>-<pid>-<n>) is still running."""
    try:
        pid = int(build.name.split("-")[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
