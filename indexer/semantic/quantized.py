"""Passage vectors held as int8 with one float32 scale per row.

At 10,000 assets the matrix has 40,000 passages × 384 dimensions: 61 MB as float32,
the largest thing in a worker after the model. As int8 it is 15 MB. A unit vector's
components are each rounded to 1/127 of the row's largest one, so a cosine moves by
less than 0.01 (test_quantized_cosines_stay_within_a_hundredth); the search reads the
rows 2,048 at a time as float32, which costs 1.5 ms more than one float32 product
(5.5 against 4.0 ms on the 2-core machine), while float16 would cost 40 ms (numpy
converts it without the CPU's help). A large matrix is scored row by row only on the few
rows a coarse first pass picks (coarse.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .encoder import DIMENSIONS

CHUNK = 2048  # rows turned back into float32 at a time (4 MB)


@dataclass(frozen=True)
class Int8Rows:
    codes: np.ndarray   # (n, DIMENSIONS) int8
    scales: np.ndarray  # (n,) float32: a row is codes * scale

    @classmethod
    def empty(cls, size: int = 0) -> Int8Rows:
        return cls(np.empty((size, DIMENSIONS), np.int8), np.empty(size, np.float32))

    @classmethod
    def of(cls, vectors: np.ndarray) -> Int8Rows:
        rows = cls.empty(len(vectors))
        rows.put(0, vectors)
        return rows

    def put(self, start: int, vectors: np.ndarray) -> None:
        """Quantise float `vectors` into rows start, start + 1, …"""
        vectors = np.asarray(vectors, dtype=np.float32)
        scale = np.abs(vectors).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        self.codes[start:start + len(vectors)] = np.rint(vectors / scale[:, None])
        self.scales[start:start + len(vectors)] = scale

    def __len__(self) -> int:
        return len(self.codes)

    def take(self, which: np.ndarray) -> Int8Rows:
        """The rows a boolean mask or an index array picks (a copy), or a slice (a view)."""
        return Int8Rows(self.codes[which], self.scales[which])

    def shrunk(self, size: int) -> Int8Rows:
        """The first `size` rows, the rest of the memory given back."""
        self.codes.resize((size, DIMENSIONS), refcheck=False)
        self.scales.resize(size, refcheck=False)
        return self

    @staticmethod
    def joined(parts: list[Int8Rows]) -> Int8Rows:
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return Int8Rows.empty()
        return Int8Rows(np.concatenate([p.codes for p in parts]), np.concatenate([p.scales for p in parts]))

    def dot(self, query: np.ndarray) -> np.ndarray:
        """Each row's dot product with a float32 `query`: a vector (one score a row) or a
        (DIMENSIONS, k) matrix (k figures a row)."""
        query = np.asarray(query, dtype=np.float32)
        out = np.empty((len(self.codes), *query.shape[1:]), np.float32)
        for start in range(0, len(self.codes), CHUNK):
            out[start:start + CHUNK] = self.codes[start:start + CHUNK].astype(np.float32) @ query
        out *= self.scales.reshape(-1, *([1] * (query.ndim - 1)))
        return out

    def floats(self) -> np.ndarray:
        """Every row as float32 (a copy: for a sample of rows, not the whole matrix)."""
        return self.codes.astype(np.float32) * self.scales[:, None]

    def row(self, i: int) -> np.ndarray:
        return self.codes[i].astype(np.float32) * self.scales[i]
