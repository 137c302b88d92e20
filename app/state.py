"""The site's handle on the knowledge base, and the watcher that picks up hand edits."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from indexer import IndexBusy, KnowledgeBase, KnowledgeError, Problem

log = logging.getLogger(__name__)
MAX_YIELD_SECONDS = 10.0  # the longest a look for changed files waits for searches, per tick
YIELD_STEP_SECONDS = 0.002


class SiteState:
    """Holds the KnowledgeBase and re-indexes changed files every `interval` seconds.

    The check runs in a daemon thread started on the first request (never at
    import time); a failure is logged and retried at the next tick, and pages
    keep being served from the last good index. Nothing a file holds can stop the
    thread (a bad file is one Problem); should it stop all the same, `watcher`
    says so on the status page.
    """

    def __init__(self, kb: KnowledgeBase, interval: float, rebuild: bool = True):
        self.kb = kb
        self.interval = interval
        self.rebuild = rebuild  # KM_BUILD_ON_START: rebuild a missing or broken index by itself
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._rebuild_lock = threading.Lock()
        self._stop = threading.Event()
        self.last_error: str | None = None
        self.watcher_died: str | None = None  # why the watcher thread ended, if it did
        self.watching = False  # this process holds the watch lock (the others let it look)
        self.on_stop: list[Callable[[], None]] = []  # what the site's areas close when it stops
        # what else the watcher checks each tick for files left out (the KM plan files)
        self.problem_sources: list[Callable[[], Iterable[Problem]]] = []
        self.every_look: list[Callable[[], None]] = []  # chores done at each look too (yesterday's reader marks)
        self._logged: set[str] = set()  # the files left out that the log has named

    def start_watching(self) -> None:
        if self.interval <= 0 or self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="km-watch", daemon=True)
                self._thread.start()

    @property
    def watcher(self) -> str:
        """off (KM_WATCH_INTERVAL 0), waiting (until the first request), running or stopped."""
        if self.interval <= 0:
            return "off"
        if self._thread is None:
            return "waiting"
        return "running" if self._thread.is_alive() else "stopped"

    def stop(self) -> None:
        """Stop the watcher and close the index files (tests, shutdown)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for close in self.on_stop:
            close()
        self.kb.close()

    def ensure_index_present(self) -> Path | None:
        """Rebuild the index before serving when its folder was deleted (cheap check: a link and a file).

        Returns the live build this request will read, for recover_index.
        """
        current = self.kb.store.current_path()
        if current is None and self.rebuild:
            self._rebuild(f"index folder {self.kb.settings.index_dir} has no usable build",
                          lambda: not self.kb.store.exists())
            current = self.kb.store.current_path()
        return current

    def recover_index(self, error: BaseException, read: Path | None = None) -> bool:
        """After an unexpected error: rebuild the index if it is the cause; True if it is whole again.

        `read` is the build the failed request started on. When another thread or worker
        has replaced it since (it found the same damage first), the index is whole by now
        but this request read the old one: True, so it is asked again.
        """
        if not self.rebuild:
            return False
        if self._replaced(read):
            return True
        if self.kb.store.is_compatible():
            # whole: the error was not the index's, unless the rebuild swapped the build in
            # between the look above and this one (the many-threads test met it in a CI run)
            return self._replaced(read)
        return self._rebuild(f"{type(error).__name__} while reading the index",
                             lambda: not self.kb.store.is_compatible())

    def _replaced(self, read: Path | None) -> bool:
        """Whether the live build is no longer the one a request read."""
        if read is not None and self.kb.store.current_path() not in (None, read):
            log.info("the index was rebuilt while this request read the old one; asking again")
            return True
        return False

    def _rebuild(self, reason: str, still_broken: Callable[[], bool]) -> bool:
        with self._rebuild_lock:  # one rebuild per process; threads that waited find it done
            if not still_broken():
                return True
            log.error("search index unusable (%s): rebuilding it from %s", reason, self.kb.settings.knowledge_dir)
            try:
                self.kb.ensure_index()
            except (KnowledgeError, OSError) as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.error("could not rebuild the search index: %s", self.last_error)
                return False
            return True

    def refresh(self, searches_first: bool = False) -> None:
        """Re-index added, changed and removed files now (what the watcher does each tick,
        `searches_first`: see _after_searches)."""
        try:
            if not self.kb.store.is_compatible():
                self.kb.ensure_index()
                problems = self.kb.problems()
            else:
                waits_until = time.monotonic() + MAX_YIELD_SECONDS
                report = self.kb.update(pause=(lambda: self._after_searches(waits_until)) if searches_first else None)
                if report.indexed or report.removed or report.skipped:
                    log.info("re-indexed %d, removed %d, skipped %d changed files",
                             report.indexed, report.removed, report.skipped)
                problems = list(report.problems)
            self.last_error = None
            self._log_left_out(problems)
        except IndexBusy:
            log.info("index busy; will look for changes again in %.0f s", self.interval)
        except (KnowledgeError, OSError) as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.error("could not refresh the search index: %s", self.last_error)

    def _log_left_out(self, problems: list[Problem]) -> None:
        """Name each file left out for an error in the log once, with its reason, when it goes bad
        (and again should it go bad again after a fix): the administrator reads the log, not the
        KM team's status page, and a count of skipped files named none of them."""
        problems = [*problems, *(p for source in self.problem_sources for p in source())]
        current = {str(p) for p in problems if p.severity == "error"}
        for text in sorted(current - self._logged):
            log.warning("left out until fixed: %s", text)
        self._logged = current

    def _after_searches(self, waits_until: float) -> None:
        """Wait while this process is searching, up to `waits_until`.

        Looking through 10,000 files takes the watcher 100-200 ms of Python, and the
        interpreter lets only one thread run Python at a time: a search running beside
        it took twice as long (in a worker measured at 10,000 assets: searches' p95 66
        ms without the watcher, 117 ms with it). So the look is cut in small steps
        (scan_asset_files), each taken between searches. Under a stream of searches it
        waits MAX_YIELD_SECONDS at most per tick, then goes on all the same, so edits are
        always picked up.
        """
        while self.kb.searching and time.monotonic() < waits_until and not self._stop.is_set():
            time.sleep(YIELD_STEP_SECONDS)

    def _loop(self) -> None:
        """Look for changed files every `interval` seconds, in one process of the site at a time.

        Every worker process of gunicorn runs this thread, but looking through the files is the
        same work in each (about a tenth of a core at 10,000 files): the process holding the
        index's watch lock looks, and the others read the builds it swaps in. Should it end,
        its lock goes with it, and another process takes over within one interval.
        """
        try:
            while not self._stop.wait(self.interval):
                try:
                    with self.kb.store.watch_lock():
                        self.watching = True
                        self._watch()
                except IndexBusy:
                    continue  # another process of the site watches
                except OSError as exc:  # no lock file to be had (a read-only folder): look all the same
                    log.warning("cannot take the watch lock (%s): this process looks for changed files too", exc)
                    self._watch()
                finally:
                    self.watching = False
        except BaseException as exc:  # noqa: BLE001 - the thread ends here; the status page says so
            self.watcher_died = f"{type(exc).__name__}: {exc}"
            log.critical("the file watcher stopped (%s): hand edits are no longer picked up", self.watcher_died)

    def _watch(self) -> None:
        """Look now, then every `interval` seconds until the site stops."""
        while True:
            started = time.monotonic()
            try:
                self.refresh(searches_first=True)
            except Exception as exc:  # noqa: BLE001 - logged, shown on the status page, retried next tick
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("looking for changed files failed; trying again in %.0f s", self.interval)
            for chore in self.every_look:  # each one logs its own failure and never raises
                chore()
            log.debug("change check took %.3f s", time.monotonic() - started)
            if self._stop.wait(self.interval):
                return
