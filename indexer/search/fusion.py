"""Fusing the word ranking with the semantic one: weighted reciprocal-rank fusion.

RRF needs no calibration between BM25 scores (unbounded, query-dependent) and
cosine similarities: each list contributes weight / (K + rank). K = 60 is the
usual constant; the weights were measured on the blind dev split (see README).
"""

from __future__ import annotations

K = 60


def reciprocal_rank_fusion(rankings: list[tuple[list[int], float]], k: int = K) -> list[tuple[int, float]]:
    """Documents of every ranking (best first), ordered by Σ weight / (k + rank)."""
    scores: dict[int, float] = {}
    for order, weight in rankings:
        for rank, doc in enumerate(order, start=1):
            scores[doc] = scores.get(doc, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
