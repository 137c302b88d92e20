"""The peer: SQLite FTS5 over the same texts, segmented by the same tokenizer.

Documents are stored as space-joined normalised words (so FTS5 needs no Thai
knowledge), queried with an OR of the query's words, ranked by bm25 with the
title weighted, top 10 with snippets — the same work our /api/search does,
minus facets, typo handling and compound parts.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path

from indexer.index.documents import analyse_file
from indexer.search.query import stopwords
from indexer.thai.text import normalize


def build_fts5(db_path: Path, kb, paths: list[Path]) -> float:
    """Create the FTS5 table from the same files; return seconds taken."""
    started = time.perf_counter()
    db_path.unlink(missing_ok=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, body, "
                 "tokenize=\"unicode61 remove_diacritics 0 categories 'L* M* N* Co'\")")
    rows = []
    for path in paths:
        result = analyse_file(path, kb.settings.knowledge_dir, kb.vocab, kb.segmenter)
        if result.document is not None:
            doc = result.document
            rows.append((doc["slug"], doc["title"], doc["body"]))
        if len(rows) >= 500:
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
            rows.clear()
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return time.perf_counter() - started


def fts5_latencies(db_path: Path, kb, queries: list[dict], repeat: int) -> list[float]:
    """Milliseconds per query (top 10 with snippets), `repeat` passes over the mix."""
    conn = sqlite3.connect(db_path)
    timings = []
    for _ in range(repeat):
        for params in queries:
            started = time.perf_counter()
            words = [w for w in kb.segmenter.words(normalize(params["q"])) if w not in stopwords()] or ["x"]
            match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
            conn.execute("SELECT slug, snippet(docs, 2, '<mark>', '</mark>', '…', 24), bm25(docs, 5.0, 1.0) "
                         "FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 5.0, 1.0) LIMIT 10", (match,)).fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    conn.close()
    return timings


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100) by the inclusive method."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, min(98, round(p) - 1))]
