"""Fusing the word ranking with the semantic one: weighted reciprocal-rank fusion.

RRF needs no calibration between BM25 scores (unbounded, query-dependent) and
cosine similarities: each list contributes weight / (K + rank). K = 60, the usual
constant for long lists from many engines, flattens two 50-deep lists so much that
an asset ranked in the middle of both beats the first of either one: a question whose
answer only the meaning finds could not reach the first page. K = 5 lets the head of
each list count; K and the weights were measured on the blind dev splits (engine.py).
"""

from __future__ import annotations

K = 5


def reciprocal_rank_fusion(rankings: list[tuple[list[int], float]], k: int = K) -> list[tuple[int, float]]:
    """Documents of every ranking (best first), ordered by Σ weight / (k + rank)."""
    scores: dict[int, float] = {}
    for order, weight in rankings:
        for rank, doc in enumerate(order, start=1):
            scores[doc] = scores.get(doc, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
