"""Searchers of the live index: one per thread, reopened when the index changes, and the
things computed once per index version (lexicon, facet columns) shared by all threads."""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections.abc import Callable

from ..index.leaves import leaf_readers
from ..index.store import IndexStore

log = logging.getLogger(__name__)
SMALL_UPDATE_DOCS = 2000  # new segments up to this size extend the lexicon instead of rebuilding it


class SearcherPool:
    """This thread's searcher of the live build, and per-version caches."""

    def __init__(self, store: IndexStore):
        self.store = store
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple, object]] = {}  # name -> (version key, value)
        # Every open searcher, whichever thread opened it, so close() (or the garbage
        # collector, through the finalizer) closes their files.
        self._open: dict[int, tuple] = {}  # id -> (searcher, its build lease)
        weakref.finalize(self, _close_all, self._open)

    def searcher(self):
        """Return this thread's searcher, reopened when another build was swapped in.

        A build never changes once live (updates are copy-on-write, see index/update.py),
        so comparing the `current` link is enough; the searcher holds a lease on its
        build, which keeps every file it may still read from being pruned.
        """
        local = self._local
        target = _link_target(self.store.current_link)
        current = getattr(local, "searcher", None)
        if current is not None and local.target == target and local.pid == os.getpid():
            return current
        # Never Searcher.refresh(): whoosh3 3.54 re-adds the old reader's segments to the
        # new one's (index.py, FileIndex._reader with reuse), so merged-away segments whose
        # files are gone come back; opening afresh costs a few milliseconds.
        if current is not None:
            local.searcher = None  # never hand out a closed searcher, even if reopening fails
            _close(self._open.pop(id(current), (current, None)))
        new, lease = self.store.open_searcher()
        local.target, local.pid = lease.path.name, os.getpid()
        self._open[id(new)] = (new, lease)
        local.searcher = new
        return new

    def current(self):
        """This thread's open searcher without reopening it (a search in progress holds it)."""
        current = getattr(self._local, "searcher", None)
        return current if current is not None and not current.is_closed else self.searcher()

    def version_key(self, searcher) -> tuple:
        """What identifies the index version a searcher reads: its build and its segments.

        (Whoosh's reader.generation() is not enough: a reused segment reader keeps
        reporting the generation it was opened at.)
        """
        return getattr(self._local, "target", None), tuple(
            (leaf.segment().segment_id(), leaf.doc_count_all()) for leaf, _ in leaf_readers(searcher.reader()))

    def per_version(self, name: str, searcher, make: Callable[[tuple | None, object | None, tuple], object],
                    extra: object = None):
        """The value `name` for the version `searcher` reads (and `extra`, e.g. a cache
        generation), made once by `make(old_key, old_value, new_key)` (which may extend
        the old value)."""
        key = self.version_key(searcher) + ((extra,) if extra is not None else ())
        with self._lock:
            old_key, old_value = self._cache.get(name, (None, None))
            if old_key != key or old_value is None:
                self._cache[name] = (key, make(old_key, old_value, key))
            return self._cache[name][1]

    def close(self) -> None:
        """Close every searcher this pool opened (in any thread)."""
        _close_all(self._open)
        self._local = threading.local()


def added_segments(old_key: tuple | None, new_key: tuple, searcher) -> list | None:
    """The leaf readers of segments that are new since `old_key`, when they are few and small
    (an update: its build shares the other segments with the one before); None when a
    per-version value should be made afresh (a full build shares no segment)."""
    if old_key is None or len(old_key) != len(new_key):
        return None
    old_ids = {segment_id for segment_id, _ in old_key[1]}
    leaves = [leaf for leaf, _ in leaf_readers(searcher.reader())]
    added = [leaf for leaf in leaves if leaf.segment().segment_id() not in old_ids]
    if len(added) == len(leaves):
        return None  # nothing in common with the version the value was made from
    if sum(leaf.doc_count_all() for leaf in added) > SMALL_UPDATE_DOCS:
        return None  # a merge rewrote a big segment: rebuild
    return added


def _close_all(searchers: dict[int, tuple]) -> None:
    for pair in list(searchers.values()):
        _close(pair)
    searchers.clear()


def _close(pair: tuple) -> None:
    """Close a searcher, then release the lease on its build."""
    searcher, lease = pair
    try:
        searcher.close()
    except Exception as exc:  # a half-closed searcher must not stop the others closing
        log.debug("closing a searcher failed: %s", exc)
    if lease is not None:
        lease.release()


def _link_target(link) -> str | None:
    """The name of the build the `current` link points to (None when there is no link)."""
    try:
        return os.path.basename(os.readlink(link))
    except OSError:
        return None
