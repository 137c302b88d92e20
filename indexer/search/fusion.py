"""Fusing the word ranking with the semantic one: weighted reciprocal-rank fusion.

RRF needs no calibration between BM25 scores (unbounded, query-dependent) and
cosine similarities: each list contributes weight / (K + rank). K = 60, the usual
constant for long lists from many engines, flattens two 50-deep lists so much that
an asset ranked in the middle of both beats the first of either one: a question whose
answer only the meaning finds could not reach the first page. K = 5 lets the head of
each list count; K and the weights were measured on the blind dev splits (below).
"""

from __future__ import annotations

K = 5

# The weight of each ranking, measured on the dev splits of
# both blind sets (a grid of K, both weights and the floor; this is the middle of the flat region,
# not its best cell): sample 0.923 → 0.945, KM-plan sections 0.786 → 0.823 MRR@10 against K = 60.
LEXICAL_WEIGHT = 1.0
SEMANTIC_WEIGHT = 0.4         # when the words' first result holds the question (see confidence.covers)
# when it does not: the reader's words are probably not the asset's. 2.5 under Whoosh's per-field
# BM25; with BM25F (scoring.py) the words are right more often, and on the dev splits of the four
# blind sets (217 queries) 1.0 gave 0.830, 1.5 0.827, 2.0 0.827, 2.5 0.823 MRR@10: the middle of that
# (and with WORDS_HOLD_COVERAGE at 0.3, 1.0 0.840, 1.5 0.842, 2.0 0.842).
SEMANTIC_WEIGHT_UNSURE = 1.5
# Cosines on e5's scale (semantic/encoder.py). On the dev splits, the nearest passage of a
# question nothing answers (the no-answer questions, and eight off-topic ones: a recipe, gold,
# football, lottery…) is at 0.80–0.85; an answer's passage at 0.83 or more for 95 % of the
# answerable questions, 0.87 for half. So an asset enters on meaning alone from 0.80 (under
# the confidence floor unless its words hold the question), and meaning alone makes a first
# result confident from 0.86, above every unanswerable question seen. The floor moves little:
# 0 to 0.80 gave the same 0.878 MRR@10 over the 217 dev questions; 0.82 left one empty.
DENSE_FLOOR = 0.80         # cosine an asset needs to be listed on meaning alone
# ...and it must be among the DENSE_ONLY_RANK nearest assets. On e5's compressed scale almost
# every asset of a Thai question clears the floor, so "ลาป่วย" (7 assets hold the words) listed
# 42 of the 46 sample assets, the count and the facets disagreed and pages 2-5 were filler. On the
# dev splits (217 questions) every answer found by meaning alone is among its 7 nearest; a rank of
# 10 or 5 gave the same 0.878 MRR@10 and 0.990 recall@10, 3 gave 0.876; the mean count of
# results fell from 52.5 to 40.3 at 10.
DENSE_ONLY_RANK = 10


def reciprocal_rank_fusion(rankings: list[tuple[list[int], float]], k: int = K) -> list[tuple[int, float]]:
    """Documents of every ranking (best first), ordered by Σ weight / (k + rank)."""
    scores: dict[int, float] = {}
    for order, weight in rankings:
        for rank, doc in enumerate(order, start=1):
            scores[doc] = scores.get(doc, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def fuse(lexical: list[tuple[int, float]], similarity: dict[int, float], matched: set[int],
         words_hold: bool) -> tuple[list[tuple[int, float]], list[int]]:
    """Word and meaning rankings fused, the meaning weighed less when the words' first result
    holds the question (`words_hold`); an asset found by meaning alone enters only when it is
    close enough (DENSE_FLOOR) and among the nearest (DENSE_ONLY_RANK). Returns the order and
    the assets that entered by meaning alone."""
    nearest = sorted(similarity.items(), key=lambda item: (-item[1], item[0]))
    dense = [doc for rank, (doc, cosine) in enumerate(nearest)
             if doc in matched or (cosine >= DENSE_FLOOR and rank < DENSE_ONLY_RANK)]
    weight = SEMANTIC_WEIGHT if words_hold else SEMANTIC_WEIGHT_UNSURE
    fused = reciprocal_rank_fusion([([doc for doc, _ in lexical], LEXICAL_WEIGHT), (dense, weight)])
    return fused, [doc for doc in dense if doc not in matched]
