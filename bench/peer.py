"""The peer's speed: SQLite FTS5 over the same texts (indexer/search/baseline.py)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from indexer.search.baseline import Fts5Baseline


def build_fts5(db_path: Path, kb, paths: list[Path]) -> tuple[Fts5Baseline, float]:
    """Create the FTS5 table from the same files; return it and the seconds taken."""
    started = time.perf_counter()
    peer = Fts5Baseline(kb, paths, db_path)
    return peer, time.perf_counter() - started


def fts5_latencies(peer: Fts5Baseline, queries: list[dict], repeat: int) -> list[float]:
    """Milliseconds per query (top 10 with snippets), `repeat` passes over the mix."""
    timings = []
    for _ in range(repeat):
        for params in queries:
            started = time.perf_counter()
            peer.search(params["q"], 10)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100) by the inclusive method."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, min(98, round(p) - 1))]
