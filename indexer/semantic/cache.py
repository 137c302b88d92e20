"""Vectors by passage hash, in one SQLite file beside the builds (KM_INDEX_DIR/vectors.sqlite3).

Keyed by content, not by build: a full rebuild, an update or a swap finds the vectors
of every passage that did not change, so only new text is ever encoded, and a build
can never see vectors of another text. The file is a cache: deleting it costs one
re-encoding, nothing else (the Markdown files stay the source of truth).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .encoder import DIMENSIONS
from .quantized import Int8Rows

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('generation', 0);
"""


class VectorCache:
    """Thread-safe access to the vectors file; `generation` grows with every write."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self.writes = 0  # puts by this process (another process's show in `generation`)

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    def generation(self) -> int:
        """A number that changes whenever vectors were added (by any process)."""
        with self._lock:
            return int(self._db().execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def missing(self, hashes: Iterable[str]) -> set[str]:
        """The hashes that have no vector yet."""
        wanted = list(dict.fromkeys(hashes))
        have: set[str] = set()
        with self._lock:
            db = self._db()
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                marks = ",".join("?" * len(chunk))
                have.update(r[0] for r in db.execute(f"SELECT hash FROM vectors WHERE hash IN ({marks})", chunk))
        return set(wanted) - have

    def rows(self, hashes: list[str]) -> tuple[list[str], Int8Rows]:
        """The hashes that have a vector, and their vectors in that order, quantised to int8
        500 at a time (neither per-vector arrays nor a float32 copy of them all: at 10,000
        assets either would double the memory a worker needs while it reads them)."""
        found: list[str] = []
        matrix = Int8Rows.empty(len(hashes))
        with self._lock:
            db = self._db()
            for i in range(0, len(hashes), 500):
                chunk = hashes[i:i + 500]
                marks = ",".join("?" * len(chunk))
                pairs = db.execute(f"SELECT hash, vector FROM vectors WHERE hash IN ({marks})", chunk).fetchall()
                if pairs:
                    vectors = np.frombuffer(b"".join(blob for _, blob in pairs), dtype=np.float16)
                    matrix.put(len(found), vectors.reshape(len(pairs), DIMENSIONS))
                    found.extend(key for key, _ in pairs)
        return found, matrix.shrunk(len(found))  # gives back the rows of hashes not found

    def put(self, pairs: list[tuple[str, np.ndarray]]) -> None:
        """Store vectors (float16 on disk: half the size, the same ranking) and bump the generation."""
        if not pairs:
            return
        rows = [(key, np.asarray(vector, dtype=np.float16).tobytes()) for key, vector in pairs]
        assert all(len(blob) == DIMENSIONS * 2 for _, blob in rows)
        with self._lock:
            db = self._db()
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
                db.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
            self.writes += 1

    def drop_other_models(self) -> int:
        """Delete vectors of another size, which another model wrote (USE's had 512 numbers):
        no hash of this model can find them, and at 10,000 assets they fill 40 MB."""
        with self._lock:
            db = self._db()
            with db:
                return db.execute("DELETE FROM vectors WHERE length(vector) != ?", (DIMENSIONS * 2,)).rowcount

    def count(self) -> int:
        with self._lock:
            return int(self._db().execute("SELECT count(*) FROM vectors").fetchone()[0])

    def keep_only(self, hashes: Iterable[str]) -> int:
        """Delete every vector whose hash is not in `hashes`; return how many were deleted."""
        with self._lock:
            db = self._db()
            with db:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (hash TEXT PRIMARY KEY)")
                db.execute("DELETE FROM keep")
                db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((key,) for key in hashes))
                dropped = db.execute("DELETE FROM vectors WHERE hash NOT IN (SELECT hash FROM keep)").rowcount
                db.execute("DELETE FROM keep")
            return dropped

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
