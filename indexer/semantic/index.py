"""The semantic side of search: vectors of the live index's passages, nearest assets to a
question, and the background job that encodes what has no vector yet.

The lexical index is live first; vectors follow (encoded in a background thread by
the site, in the foreground by `python -m indexer build`). Until an asset's passages
are encoded it is found by its words only; nothing waits for the encoder.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .cache import VectorCache
from .encoder import DIMENSIONS, Encoder
from .passages import passage_hash, stored_passages

log = logging.getLogger(__name__)
BATCH = 16


@dataclass
class VectorMatrix:
    """The encoded passages of one index version: one row per passage, with its document."""

    rows: np.ndarray      # (n, 512) float32 unit vectors
    docnums: np.ndarray   # (n,) int: the document of each row
    pending: int          # documents with passages still to encode

    def nearest(self, query: np.ndarray, allowed: set[int], limit: int) -> list[tuple[int, float]]:
        """The `limit` allowed documents whose best passage is closest to `query`."""
        if not len(self.rows):
            return []
        scores = self.rows @ query
        best: dict[int, float] = {}
        for row in np.argsort(-scores)[: limit * 8]:
            doc = int(self.docnums[row])
            if doc in allowed and doc not in best:
                best[doc] = float(scores[row])
                if len(best) >= limit:
                    break
        return sorted(best.items(), key=lambda item: -item[1])

    def vector_of(self, doc: int) -> np.ndarray | None:
        """The first passage (title, summary, tags) of a document."""
        where = np.flatnonzero(self.docnums == doc)
        return self.rows[where[0]] if len(where) else None


class SemanticSearch:
    """Encoder, vector cache and the background encoding job of one knowledge base."""

    def __init__(self, index_dir: Path, enabled: bool = True):
        self.enabled = enabled and Encoder.available()
        self.encoder = Encoder()
        self.cache = VectorCache(Path(index_dir) / "vectors.sqlite3")
        self.auto = False  # the site sets it: encode in the background after every change
        self._started_in: int | None = None  # the process that started the first job
        self._job: threading.Thread | None = None
        self._job_lock = threading.Lock()
        self._again = threading.Event()
        self.progress: tuple[int, int] = (0, 0)  # passages encoded, passages to encode
        self.last_error: str | None = None
        self.last_run: dict | None = None

    # -- query side ------------------------------------------------------------------
    def ready(self) -> bool:
        """Whether questions can be encoded now (the model is loaded, nothing is waited for)."""
        return self.enabled and self.encoder.loaded

    def encode_query(self, text: str) -> np.ndarray:
        return self.encoder.encode([text])[0]

    def matrix(self, searcher) -> VectorMatrix:
        """The vectors of every document `searcher` sees (those encoded so far)."""
        docs, hashes = [], []
        for docnum, fields in searcher.reader().iter_docs():
            for text in stored_passages(fields):
                docs.append(docnum)
                hashes.append(passage_hash(text))
        vectors = self.cache.get(list(dict.fromkeys(hashes)))
        keep = [i for i, key in enumerate(hashes) if key in vectors]
        pending = len({docs[i] for i, key in enumerate(hashes) if key not in vectors})
        rows = np.stack([vectors[hashes[i]] for i in keep]) if keep else np.zeros((0, DIMENSIONS), np.float32)
        return VectorMatrix(rows.astype(np.float32), np.array([docs[i] for i in keep], dtype=np.int64), pending)

    # -- encoding ---------------------------------------------------------------------
    def encode_missing(self, searcher, progress: Callable[[int, int], None] | None = None) -> dict:
        """Encode every passage of the live index that has no vector yet; return figures.
        The model is loaded either way, so questions can be encoded afterwards."""
        self.encoder.load()
        started = time.perf_counter()
        texts: dict[str, str] = {}
        for _, fields in searcher.reader().iter_docs():
            for text in stored_passages(fields):
                texts.setdefault(passage_hash(text), text)
        absent = self.cache.missing(texts)
        missing = [key for key in texts if key in absent]
        self.progress = (0, len(missing))
        for i in range(0, len(missing), BATCH):
            batch = missing[i:i + BATCH]
            vectors = self.encoder.encode([texts[key] for key in batch])
            self.cache.put(list(zip(batch, vectors)))
            self.progress = (i + len(batch), len(missing))
            if progress:
                progress(i + len(batch), len(missing))
        seconds = time.perf_counter() - started
        figures = {"passages": len(texts), "encoded": len(missing), "seconds": round(seconds, 2),
                   "passages_per_s": round(len(missing) / seconds, 1) if missing and seconds else None}
        self.last_run = figures
        return figures

    def schedule(self, open_searcher: Callable[[], object]) -> None:
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

    def start(self, open_searcher: Callable[[], object]) -> None:
        """Load the model and encode what is missing, once per process (the site calls this on
        its first request, never before gunicorn forks its workers)."""
        if self._started_in != os.getpid():
            self._started_in = os.getpid()
            self.schedule(open_searcher)

    def _run_job(self, open_searcher: Callable[[], object]) -> None:
        while self._again.is_set():
            self._again.clear()
            searcher = None
            try:
                self.encoder.load()
                searcher = open_searcher()
                self.encode_missing(searcher)
                self.last_error = None
            except Exception as exc:  # shown on the status page; search goes on by words alone
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("encoding passages for semantic search failed")
            finally:
                if searcher is not None:
                    searcher.close()

    def wait(self, timeout: float = 300.0) -> bool:
        """Wait for the background job (tests and the benchmark); True when it finished."""
        job = self._job
        if job is not None:
            job.join(timeout)
            return not job.is_alive()
        return True

    def status(self) -> dict:
        """What the status page and `python -m indexer build` show."""
        done, total = self.progress
        running = self._job is not None and self._job.is_alive()
        return {"enabled": self.enabled, "model_loaded": self.encoder.loaded, "running": running,
                "encoded": done, "to_encode": total, "last_error": self.last_error, "last_run": self.last_run}

    def close(self) -> None:
        self.cache.close()
