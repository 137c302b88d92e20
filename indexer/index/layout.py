"""Where the index lives on disk, which build is live, and who may delete an old one.

Layout of KM_INDEX_DIR:
    builds/<stamp>-<pid>-<n>/   one complete index per build: Whoosh files, state.json and
                                readers.lock; never changed once it is swapped in (updates are
                                copy-on-write, see update.py)
    current -> builds/<name>    symlink swapped atomically (os.replace)
    write.lock                  flock held by whoever swaps in a build or prunes old ones
    rebuild.lock                flock held while a broken index is rebuilt, so the site's worker
                                processes rebuild it once between them, not once each
    vectors.sqlite3             passage vectors by content hash (semantic/cache.py), rebuildable
    vectors.encoding.lock       flock held by the process encoding passages, so the workers
                                encode them once between them (semantic/index.py)
    watch.lock                  flock held by the one site process that looks for hand-edited
                                files; the others read what it indexes (app/state.py)

Why builds are immutable and how long an old one lives: Whoosh reads segment files
lazily, so a searcher fails (TypeError in stored_fields, struct.error …) if a file it
has not opened yet disappears. A reader therefore holds a `BuildLease`, a shared flock
on its build's readers.lock, for as long as its searcher lives; pruning deletes an old
build only when it can take that lock exclusively. flocks work across processes (every
gunicorn worker) and die with their holder, so a killed worker never pins a build. A
searcher moves to the newest build on its thread's next search, so each idle thread
pins at most one old build, and builds of one lineage share most files (hard links).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from pathlib import Path

from ..errors import IndexBusy, IndexUnavailable
from ..files import file_lock

STATE_FILE = "state.json"
READERS_FILE = "readers.lock"
WHOOSH_LOCK = "MAIN_WRITELOCK"  # Whoosh's own writer lock, inside each build
LEASE_ATTEMPTS = 100  # a lease fails only if the live build is pruned this many times in a row


class BuildLease:
    """A shared flock on one build: while it is held, no process deletes that build."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops its flock
            self._fd = None

    def __enter__(self) -> BuildLease:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


class BuildLayout:
    """The folders and links of one index directory."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)

    @property
    def current_link(self) -> Path:
        return self.index_dir / "current"

    @property
    def builds_dir(self) -> Path:
        return self.index_dir / "builds"

    def current_path(self) -> Path | None:
        """The directory of the live build, or None when there is none."""
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        path = (self.index_dir / target).resolve()
        return path if (path / STATE_FILE).is_file() else None

    def live_path(self) -> Path:
        """The directory of the live build, or IndexUnavailable saying how to make one."""
        path = self.current_path()
        if path is None:
            raise IndexUnavailable(f"ยังไม่มีดัชนีค้นหาที่ {self.index_dir}: สั่ง python -m indexer build")
        return path

    # -- locks -----------------------------------------------------------------------------
    def write_lock(self, timeout: float = 60.0):
        """Hold the single-writer lock (across processes), waiting up to `timeout` seconds."""
        return file_lock(self.index_dir / "write.lock", timeout,
                         lambda: IndexBusy(f"ดัชนีถูกใช้เขียนโดยกระบวนการอื่นนานเกิน {timeout:.0f} วินาที"))

    def rebuild_lock(self, timeout: float = 900.0):
        """Hold the lock of a repair rebuild; whoever waited for it finds the index rebuilt."""
        return file_lock(self.index_dir / "rebuild.lock", timeout,
                         lambda: IndexBusy(f"ดัชนีกำลังถูกสร้างใหม่นานเกิน {timeout:.0f} วินาที กรุณาลองอีกครั้ง"))

    def watch_lock(self):
        """Hold the lock of the one process that looks for changed files, or raise IndexBusy at once."""
        return file_lock(self.index_dir / "watch.lock", 0, lambda: IndexBusy("another process watches the files"))

    def lease(self) -> BuildLease:
        """Lease the live build for reading (see the module docstring)."""
        for _ in range(LEASE_ATTEMPTS):
            path = self.live_path()
            lease = _try_lease(path, fcntl.LOCK_SH)
            if lease is not None and (path / STATE_FILE).is_file():
                return lease  # the lock was had before any pruner took it: the build is whole
            if lease is not None:
                lease.release()  # a pruner deleted it between our link lookup and our lock
            elif path.is_dir() and not (path / READERS_FILE).exists():  # nobody pruned it: it never had one
                raise IndexUnavailable(f"ดัชนีค้นหาที่ {path} สร้างด้วยรุ่นก่อน (ไม่มีไฟล์ {READERS_FILE})")
            time.sleep(0.001)
        raise IndexUnavailable(f"เปิดดัชนีค้นหาที่ {self.index_dir} ไม่ได้: ดัชนีถูกสลับรุ่นต่อเนื่องเกินไป")

    # -- new builds, swap, prune ---------------------------------------------------------------
    def new_build(self) -> BuildLease:
        """Create an empty build folder, leased by its builder until it is swapped in."""
        self.builds_dir.mkdir(parents=True, exist_ok=True)
        path = self.builds_dir / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
        path.mkdir()
        (path / READERS_FILE).touch()
        lease = _try_lease(path, fcntl.LOCK_SH)
        if lease is None:  # nobody else knows this folder yet, so this cannot happen
            raise IndexBusy(f"จองโฟลเดอร์ดัชนีใหม่ {path} ไม่ได้")
        return lease

    def swap(self, target: Path) -> None:
        """Make `target` the live build in one atomic rename of the `current` link."""
        tmp = self.index_dir / f".current-{os.getpid()}"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(os.path.relpath(target, self.index_dir), tmp)
        os.replace(tmp, self.current_link)

    def prune(self, keep: Path, spare: int = 1) -> None:
        """Delete old builds nobody reads, sparing the newest `spare` complete ones, and any
        build still being written by a live process; a build left half-done by a killed
        process (no state.json, owner gone) is removed. Call with the write lock held."""
        complete, abandoned = [], []
        for path in self.builds_dir.iterdir():
            if path == keep:
                continue
            if (path / STATE_FILE).is_file():
                complete.append(path)
            elif not _owner_alive(path):
                abandoned.append(path)
        complete.sort(key=_completed_at, reverse=True)
        for old in complete[spare:]:
            _remove_unread(old)
        for old in abandoned:
            shutil.rmtree(old, ignore_errors=True)


def _try_lease(path: Path, mode: int) -> BuildLease | None:
    """Take the build's reader lock in `mode` without waiting; None if taken or gone."""
    try:
        fd = os.open(path / READERS_FILE, os.O_RDONLY)  # never O_CREAT: a deleted build stays deleted
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return BuildLease(path, fd)


def _remove_unread(build: Path) -> None:
    """Delete a build unless some searcher holds a lease on it."""
    if not (build / READERS_FILE).exists():
        shutil.rmtree(build, ignore_errors=True)  # written before leases existed: nobody can hold it
        return
    exclusive = _try_lease(build, fcntl.LOCK_EX)
    if exclusive is None:
        return  # still read; a later prune removes it
    with exclusive:
        (build / STATE_FILE).unlink(missing_ok=True)  # first, so a half-deleted build never looks whole
        shutil.rmtree(build, ignore_errors=True)


def _completed_at(build: Path) -> int:
    try:
        return (build / STATE_FILE).stat().st_mtime_ns
    except OSError:
        return 0


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
