"""The Whoosh index on disk, as the knowledge base sees it: open, check, build, update.

Each concern has its own module: layout.py (folders, the `current` link, leases and
pruning), state.py (what a build records), build.py (full builds), update.py
(copy-on-write updates). This class only ties them to one index directory.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from ..errors import IndexUnavailable
from .build import BuildReport, full_build
from .layout import BuildLayout, BuildLease
from .state import SCHEMA_VERSION, IndexState, find_damage, peek_state, read_state
from .update import update_build

if TYPE_CHECKING:
    from .analyser import Analyser

log = logging.getLogger(__name__)

__all__ = ["BuildReport", "IndexState", "IndexStore", "SCHEMA_VERSION"]


class _Folder(FileStorage):
    """A build's folder that remembers the files it opened. Whoosh leaves open the files of a
    segment it fails to read half way (a damaged index); the garbage collector closed them at some
    later moment, and its ResourceWarning failed whichever test was running then."""

    def __init__(self, path: Path):
        super().__init__(str(path), readonly=True)
        self.opened: list = []

    def open_file(self, name, **kwargs):
        handle = super().open_file(name, **kwargs)
        self.opened.append(handle)
        return handle

    def close_opened(self) -> None:
        for handle in self.opened:
            with contextlib.suppress(Exception):  # closed already, by the reader that owned it
                handle.close()
        self.opened.clear()


class IndexStore:
    """Opens, checks, builds and updates the index of one index directory."""

    def __init__(self, index_dir: Path, fingerprint: str):
        self.index_dir = Path(index_dir)
        self.layout = BuildLayout(self.index_dir)
        self.fingerprint = f"v{SCHEMA_VERSION}:{fingerprint}"

    # -- locations and locks -------------------------------------------------------------
    @property
    def current_link(self) -> Path:
        return self.layout.current_link

    def current_path(self) -> Path | None:
        """The directory of the live build, or None when there is none."""
        return self.layout.current_path()

    def exists(self) -> bool:
        return self.layout.current_path() is not None

    def live_path(self) -> Path:
        """The directory of the live build, or IndexUnavailable saying how to make one."""
        return self.layout.live_path()

    def write_lock(self, timeout: float = 60.0):
        """Hold the single-writer lock (across processes), waiting up to `timeout` seconds."""
        return self.layout.write_lock(timeout)

    def rebuild_lock(self):
        """Hold the lock of a repair rebuild (one rebuild for every process that found damage)."""
        return self.layout.rebuild_lock()

    def watch_lock(self):
        """Hold the lock of the one process that looks for changed files, or raise IndexBusy at once."""
        return self.layout.watch_lock()

    def drop_earlier_builds(self) -> int:
        """Delete every build but the live one that no process reads (the spare one a swap keeps
        too), so text erased from the files leaves the disk; return how many are still read."""
        with self.layout.write_lock():
            live = self.layout.current_path()
            self.layout.prune(keep=live, spare=0)
            return sum(1 for path in self.layout.builds_dir.iterdir() if path != live)

    # -- reading -----------------------------------------------------------------------------
    def lease(self) -> BuildLease:
        """Lease the live build: it is not deleted until the lease is released."""
        return self.layout.lease()

    def open(self):
        """Open the live Whoosh index, or raise IndexUnavailable."""
        return whoosh_index.open_dir(str(self.live_path()))

    def open_searcher(self):
        """(searcher, lease) on the live build; release the lease after closing the searcher."""
        lease = self.layout.lease()
        folder = _Folder(lease.path)
        try:
            return folder.open_index().searcher(), lease
        except BaseException:
            folder.close_opened()
            lease.release()
            raise

    def read_state(self, path: Path | None = None) -> IndexState:
        """The state of build `path`, or of the live build."""
        if path is not None:
            return read_state(path)
        with self.layout.lease() as lease:
            return read_state(lease.path)

    # -- health --------------------------------------------------------------------------------
    def diagnose(self) -> str | None:
        """Why the live build cannot serve searches, or None when it can."""
        try:
            with self.layout.lease() as lease:
                state = peek_state(lease.path)
                if state.fingerprint != self.fingerprint:
                    return f"built by another version, glossary or vocabulary ({state.fingerprint})"
                damage = find_damage(lease.path, state)
                if damage is not None:
                    return damage
                folder = _Folder(lease.path)
                try:
                    folder.open_index().doc_count()
                finally:
                    folder.close_opened()
        except IndexUnavailable as exc:
            return str(exc)
        except Exception as exc:  # a damaged index raises many kinds of errors
            return f"{type(exc).__name__}: {exc}"
        return None

    def is_compatible(self) -> bool:
        """True when the live build exists, is undamaged, opens, and used this schema and glossary."""
        if not self.exists():
            return False
        reason = self.diagnose()
        if reason is not None:
            log.warning("index at %s is unusable (%s); it will be rebuilt", self.current_path(), reason)
        return reason is None

    # -- writing -----------------------------------------------------------------------------
    def build(self, knowledge_dir: Path, analyse: Analyser,
              progress: Callable[[int, int], None] | None = None) -> BuildReport:
        """Index every file into a fresh directory, then swap it in atomically."""
        return full_build(self.layout, self.fingerprint, knowledge_dir, analyse, progress)

    def update(self, knowledge_dir: Path, analyse: Analyser, only: Iterable[Path] | None = None,
               pause: Callable[[], None] | None = None) -> BuildReport:
        """Re-index only added, changed and removed files (all of them, or just `only`)."""
        return update_build(self.layout, knowledge_dir, analyse, only, pause)
