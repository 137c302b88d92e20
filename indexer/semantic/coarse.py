"""A first, coarse pass over the passage vectors, so that few rows are scored exactly.

Scoring every passage exactly turns every int8 row back into float32: at 10,000 assets
(40,000 passages) that is 7–8 ms of a question's 25–40, the largest single part of a
hybrid search. Instead each row also keeps its coordinates on the 96 main directions of
the matrix (its principal components): the question is scored on those first (0.6–0.8 ms),
and only the CANDIDATES best rows are scored exactly (0.8 ms). The coordinates are kept
one column per row, a (96, n) float32 array: OpenBLAS multiplies a vector by it three to four
times faster than by the same numbers stored row by row. They take 15 MB at 40,000
passages, as much as the int8 rows.

Measured on the 10,000-asset benchmark corpus with the 210 blind sample questions (each
question's 50 nearest assets, the exact pass as truth), with e5's vectors: 99.1 % of the ten
nearest and 98.3 % of the fifty nearest are found, and the nearest one for all 210 questions;
the coarse pass and the exact scoring of its candidates take 0.9 ms a question against 4.9 ms
for scoring every passage. (With USE's vectors it was 99.8 % and 99.7 %.) See docs/BENCHMARKS.md.

Below MIN_ROWS the exact pass costs under 2 ms and there is no coarse pass at all: a
knowledge base of a few hundred assets ranks exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .encoder import DIMENSIONS
from .quantized import CHUNK, Int8Rows

KEPT_DIMENSIONS = 96   # main directions a row keeps coordinates on
CANDIDATES = 1000      # rows the coarse pass hands to the exact one, at least
MIN_ROWS = 8192        # fewer rows: every row is scored exactly
FIT_ROWS = 8000        # rows the directions are computed from, evenly spread over the matrix
REFIT_GROWTH = 2.0     # the directions are computed again once the rows have doubled


@dataclass(frozen=True)
class CoarseIndex:
    basis: np.ndarray     # (DIMENSIONS, KEPT_DIMENSIONS) float32: the main directions, by weight
    columns: np.ndarray   # (KEPT_DIMENSIONS, n) float32: each row's coordinates, a column each
    fitted_rows: int      # how many rows the matrix had when the directions were computed

    @classmethod
    def fitted(cls, rows: Int8Rows) -> CoarseIndex | None:
        """Directions computed from `rows` (None when there are too few rows to need them).

        Nothing of the size of the matrix is made on the way: the sample's moments are
        summed CHUNK rows at a time, and each row's coordinates are written straight into
        their column (a worker's peak memory is reached while it makes a matrix)."""
        if len(rows) < MIN_ROWS:
            return None
        sample = rows.take(np.linspace(0, len(rows) - 1, min(len(rows), FIT_ROWS)).astype(np.int64))
        moments = np.zeros((DIMENSIONS, DIMENSIONS), np.float64)
        total = np.zeros(DIMENSIONS, np.float64)
        for start in range(0, len(sample), CHUNK):
            part = sample.take(slice(start, start + CHUNK)).floats()
            moments += part.T @ part
            total += part.sum(axis=0)
        mean = total / len(sample)
        _, directions = np.linalg.eigh(moments - len(sample) * np.outer(mean, mean))  # ascending weight
        basis = np.ascontiguousarray(directions[:, ::-1][:, :KEPT_DIMENSIONS], dtype=np.float32)
        return cls(basis, cls._columns(rows, basis), len(rows))

    @staticmethod
    def _columns(rows: Int8Rows, basis: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Each row's coordinates on `basis`, a column each (written into `out` when given)."""
        if out is None:
            out = np.empty((basis.shape[1], len(rows)), np.float32)
        for start in range(0, len(rows), CHUNK):
            part = rows.take(slice(start, start + CHUNK))  # a view: one chunk is made float at a time
            out[:, start:start + len(part)] = part.dot(basis).T
        return out

    @classmethod
    def following(cls, old: CoarseIndex | None, kept: np.ndarray | None, added: Int8Rows,
                  rows: Int8Rows) -> CoarseIndex | None:
        """The coarse index of `rows`, which are the old matrix's rows picked by `kept` (a
        boolean mask, None for all of them) followed by `added`: the old directions are
        kept and only the added rows projected, unless the matrix has grown REFIT_GROWTH
        times since they were computed (or had none)."""
        if old is None or len(rows) < MIN_ROWS or len(rows) > REFIT_GROWTH * old.fitted_rows:
            return cls.fitted(rows)
        if kept is None and not len(added):
            return old
        columns = np.empty((old.basis.shape[1], len(rows)), np.float32)
        if kept is None:
            columns[:, :old.columns.shape[1]] = old.columns
            first = old.columns.shape[1]
        else:
            first = int(np.count_nonzero(kept))
            np.compress(kept, old.columns, axis=1, out=columns[:, :first])
        cls._columns(added, old.basis, columns[:, first:])
        return cls(old.basis, columns, old.fitted_rows)

    def candidates(self, query: np.ndarray, permitted: np.ndarray, count: int) -> np.ndarray:
        """The rows, in ascending order, with the `count` best coarse scores among those
        `permitted` (a boolean per row); every permitted row when there are no more."""
        if int(np.count_nonzero(permitted)) <= count:
            return np.flatnonzero(permitted)
        scores = (np.asarray(query, dtype=np.float32) @ self.basis) @ self.columns
        scores[~permitted] = -np.inf
        return np.sort(np.argpartition(-scores, count)[:count])
