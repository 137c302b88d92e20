"""The semantic side of search: questions encoded, the live index's vectors (matrix.py
holds them and finds the nearest assets to a question), and the background job that
encodes what has no vector yet.

The lexical index is live first; vectors follow (encoded in a background thread by
the site, in the foreground by `python -m indexer build`). Until an asset's passages
are encoded it is found by its words only; nothing waits for the encoder.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path

import numpy as np

from ..errors import IndexBusy
from ..files import atomic_write_text, file_lock
from .cache import VectorCache
from .encoder import Encoder
from .matrix import VectorMatrix
from .passages import passage_hash, stored_passages

log = logging.getLogger(__name__)
BATCH = 16
GENERATION_READ_S = 1.0
ENCODING_LOCK = "vectors.encoding.lock"  # beside the vector cache: held by the process encoding
ENCODING_PROGRESS = "vectors.progress"  # "done total", written by the process encoding, read by every worker
ENCODING_WAIT_S = 24 * 3600.0  # a process waits its turn; after it, nothing encoded is encoded again
QUERY_THREADS = 4  # questions encoded at once in a process (a worker's request threads share them)
# Recent questions' vectors kept per process (1.5 KB each): a reader who narrows by a
# department, sorts, or turns to page 2 asks the same question again, and every click cost
# 12-25 ms of a core for a vector already computed.
RECENT_QUESTIONS = 512
# Vectors of passages no build holds any more (an edit replaces a passage; the cache keeps the
# old one, since it is keyed by content): dropped once they outnumber half the live passages
# and at least STALE_MIN, so the file stops growing with every save and the check stays rare.
STALE_SHARE = 0.5
STALE_MIN = 1000
STALE_WAIT_S = 5.0  # for the index's write lock; busy, the stale vectors wait for the next run
_POOL: tuple[int, ThreadPoolExecutor] | None = None
_POOL_LOCK = threading.Lock()


def _encoding_busy() -> Exception:
    return TimeoutError(f"another process has been encoding passages for {ENCODING_WAIT_S:.0f} s")


def _query_pool() -> ThreadPoolExecutor:
    """This process's threads for encoding questions (made anew in a forked child)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL[0] != os.getpid():
            _POOL = (os.getpid(), ThreadPoolExecutor(QUERY_THREADS, thread_name_prefix="km-question"))
        return _POOL[1]


class SemanticSearch:
    """Encoder, vector cache and the background encoding job of one knowledge base."""

    def __init__(self, index_dir: Path, enabled: bool = True,
                 pinned: Callable[[float], AbstractContextManager] | None = None):
        """`pinned(timeout)` yields a searcher on the live build that no writer can replace
        while it is open (the knowledge base's write lock): what stale vectors are told by."""
        self.enabled = enabled and Encoder.available()
        self.pinned = pinned
        self.encoder = Encoder()
        self.cache = VectorCache(Path(index_dir) / "vectors.sqlite3")
        self.auto = False  # the site sets it: encode in the background after every change
        self._started_in: int | None = None  # the process that started the first job
        self._tidied_in: int | None = None  # the process that dropped the first model's leftovers
        self._job: threading.Thread | None = None
        self._job_lock = threading.Lock()
        self._again = threading.Event()
        self.progress: tuple[int, int] = (0, 0)  # passages encoded, passages to encode
        self.last_error: str | None = None
        self.last_run: dict | None = None
        self._generation: tuple[int, float, int] | None = None  # (generation, read at, own writes then)
        self._recent = functools.lru_cache(maxsize=RECENT_QUESTIONS)(self._encode_question)

    # -- query side ------------------------------------------------------------------
    def ready(self) -> bool:
        """Whether questions can be encoded now (the model is loaded, nothing is waited for)."""
        return self.enabled and self.encoder.loaded

    def encode_query(self, text: str) -> np.ndarray:
        """A question's vector (read-only: the same array is handed to every asker of that question)."""
        return self._recent(text)

    def _encode_question(self, text: str) -> np.ndarray:
        vector = self.encoder.encode_queries([text])[0]
        vector.flags.writeable = False
        return vector

    def encode_query_soon(self, text: str) -> Future:
        """Encode a question in another thread: the model computes without the interpreter
        (ctypes lets it go), so the words are ranked meanwhile and a hybrid search costs about
        the longer of the two, not their sum."""
        return _query_pool().submit(self.encode_query, text)

    def matrix(self, searcher, old: VectorMatrix | None = None) -> VectorMatrix:
        """The vectors of every document `searcher` sees (those encoded so far), `old`
        extended when given."""
        return VectorMatrix.made(searcher.reader(), self.cache, old)

    def generation(self) -> int:
        """The vector cache's generation as searches should see it: read again at most once
        every GENERATION_READ_S, or at once after this process wrote vectors. While thousands
        of passages are encoded (a batch of 16 at a time) a worker refreshes its matrix at
        most that often, not on every search."""
        now = time.monotonic()
        writes = self.cache.writes
        if self._generation is None or writes != self._generation[2] or now - self._generation[1] >= GENERATION_READ_S:
            self._generation = (self.cache.generation(), now, writes)
        return self._generation[0]

    # -- encoding ---------------------------------------------------------------------
    def encode_missing(self, searcher, progress: Callable[[int, int], None] | None = None,
                       waiting: Callable[[], None] | None = None, wait: bool = True) -> dict | None:
        """Encode every passage of the live index that has no vector yet; return figures.
        The model is loaded either way, so questions can be encoded afterwards. `waiting` is
        called once if another process is encoding and this one waits for its turn; without
        `wait`, nothing is encoded then and None is returned (that process's site worker goes
        on with what changed meanwhile: _run_job)."""
        self.encoder.load()
        # one process encodes at a time: every gunicorn worker starts this job, and without the
        # turn each would encode the same passages (the cache keeps one copy; the work is lost)
        try:
            with file_lock(self.cache.path.with_name(ENCODING_LOCK), ENCODING_WAIT_S if wait else 0,
                           _encoding_busy, waiting=waiting if wait else None):
                return self._encode_missing(searcher, progress)
        except TimeoutError:
            if wait:
                raise
            return None

    def _encode_missing(self, searcher, progress: Callable[[int, int], None] | None) -> dict:
        started = time.perf_counter()
        if self._tidied_in != os.getpid():  # what the first model left: once per process, not every save
            self._tidied_in = os.getpid()
            self.cache.drop_other_models()
            for stale in self.cache.path.parent.glob("model/usem3-*.u8"):  # its piece table (62 MB)
                stale.unlink(missing_ok=True)
        texts: dict[str, str] = {}
        for _, fields in searcher.reader().iter_docs():
            for text in stored_passages(fields):
                texts.setdefault(passage_hash(text), text)
        absent = self.cache.missing(texts)
        missing = [key for key in texts if key in absent]
        self.progress = (0, len(missing))
        shared = self.cache.path.with_name(ENCODING_PROGRESS)
        try:
            for i in range(0, len(missing), BATCH):
                batch = missing[i:i + BATCH]
                vectors = self.encoder.encode([texts[key] for key in batch])
                self.cache.put(list(zip(batch, vectors, strict=True)))
                self.progress = (i + len(batch), len(missing))
                atomic_write_text(shared, f"{i + len(batch)} {len(missing)}")
                if progress:
                    progress(i + len(batch), len(missing))
        finally:
            shared.unlink(missing_ok=True)
        seconds = time.perf_counter() - started
        figures = {"passages": len(texts), "encoded": len(missing), "seconds": round(seconds, 2),
                   "passages_per_s": round(len(missing) / seconds, 1) if missing and seconds else None,
                   "dropped": self._drop_stale(len(texts))}
        self.last_run = figures
        return figures

    def _drop_stale(self, live: int) -> int:
        """Delete the vectors of passages the live build no longer holds, when they are many.

        `live` counts the passages of the searcher this run encoded, which may be older than
        the live build (another process saved and encoded since): the vectors to keep are read
        from a searcher pinned under the write lock, so none of the live build's is lost. A
        worker still reading an older build has its vectors in memory already.
        """
        if self.pinned is None or self.cache.count() - live <= max(STALE_MIN, live * STALE_SHARE):
            return 0
        try:
            with self.pinned(STALE_WAIT_S) as searcher:
                keep = {passage_hash(text) for _, fields in searcher.reader().iter_docs()
                        for text in stored_passages(fields)}
                dropped = self.cache.keep_only(keep)
        except IndexBusy:
            log.info("index busy: stale passage vectors are left for the next encoding run")
            return 0
        log.info("dropped %d vectors of passages no longer in the index", dropped)
        return dropped

    def schedule(self, open_searcher: Callable[[], tuple]) -> None:
        """Encode what is missing in a background thread (once at a time; again if asked meanwhile)."""
        if not (self.enabled and self.auto):
            return
        with self._job_lock:
            self._again.set()
            if self._job is not None and self._job.is_alive():
                return
            self._job = threading.Thread(target=self._run_job, args=(open_searcher,), name="km-vectors",
                                         daemon=True)
            self._job.start()

    def start(self, open_searcher: Callable[[], tuple]) -> None:
        """Load the model and encode what is missing, once per process (the site calls this when
        its first request has been answered, never before gunicorn forks its workers)."""
        if self._started_in != os.getpid():
            self._started_in = os.getpid()
            self.schedule(open_searcher)

    def _run_job(self, open_searcher: Callable[[], tuple]) -> None:
        while self._again.is_set():
            self._again.clear()
            opened = None
            try:
                self.encoder.load()
                opened = open_searcher()  # (searcher, lease on its build)
                self.encode_missing(opened[0])
                self.last_error = None
                if self._build_changed(open_searcher, opened[1].path):
                    self._again.set()  # saved or built meanwhile (by `python -m indexer update` too)
            except Exception as exc:  # shown on the status page; search goes on by words alone
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("encoding passages for semantic search failed")
            finally:
                if opened is not None:
                    opened[0].close()
                    opened[1].release()

    @staticmethod
    def _build_changed(open_searcher: Callable[[], tuple], encoded: Path) -> bool:
        """Whether the live build is another than the one just encoded."""
        searcher, lease = open_searcher()
        try:
            return lease.path != encoded
        finally:
            searcher.close()
            lease.release()

    def wait(self, timeout: float = 300.0) -> bool:
        """Wait for the background job (tests and the benchmark); True when it finished."""
        job = self._job
        if job is not None:
            job.join(timeout)
            return not job.is_alive()
        return True

    def status(self) -> dict:
        """What the status page and `python -m indexer build` show: the progress of whichever
        process encodes (read from the file it writes), so every worker says the same (the page
        flipped between one worker's "0 of 0" and another's "816 of 12,184": outside review, load)."""
        done, total = self.progress
        running = self._job is not None and self._job.is_alive()
        elsewhere = self._progress_elsewhere()
        if elsewhere is not None:
            running, (done, total) = True, elsewhere
        return {"enabled": self.enabled, "model_loaded": self.encoder.loaded, "running": running,
                "encoded": done, "to_encode": total, "last_error": self.last_error, "last_run": self.last_run}

    def _progress_elsewhere(self) -> tuple[int, int] | None:
        """(done, total) of the run in progress, this process's or another's; None when none runs."""
        try:
            done, total = (int(n) for n in self.cache.path.with_name(ENCODING_PROGRESS).read_text().split())
        except (OSError, ValueError):
            return None
        return (done, total) if self._lock_taken() else None  # a file a killed run left says nothing

    def _lock_taken(self) -> bool:
        """Whether some process (this one included) holds the encoding lock now."""
        try:
            with file_lock(self.cache.path.with_name(ENCODING_LOCK), 0, _encoding_busy):
                return False
        except TimeoutError:
            return True

    def close(self) -> None:
        self.cache.close()
