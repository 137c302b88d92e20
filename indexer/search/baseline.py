"""The peer every ranking change is judged against: SQLite FTS5 over newmm-segmented text.

Documents are stored as space-joined normalised words (so FTS5 needs no Thai
knowledge), queried with an OR of the query's content words and ranked by bm25
with the title weighted five times: what a plain full-text search over the same
segmentation gives, without typo handling, compound parts, synonyms or vectors.
Used by `python -m indexer eval` (relevance) and `python -m bench` (speed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from ..index.documents import analyse_file
from ..thai.text import normalize
from .evaluation import Ranking
from .query import MAX_QUERY_CHARS
from .question_words import stopwords

_SCHEMA = ("CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, body, "
           "tokenize=\"unicode61 remove_diacritics 0 categories 'L* M* N* Co'\")")
_SEARCH = ("SELECT slug, snippet(docs, 2, '<mark>', '</mark>', '…', 24) FROM docs WHERE docs MATCH ? "
           "ORDER BY bm25(docs, 5.0, 1.0) LIMIT ?")


class Fts5Baseline:
    """An FTS5 table of the published assets among `paths`, in memory or in `db_path`."""

    def __init__(self, kb, paths: Iterable[Path], db_path: Path | None = None):
        self.segmenter = kb.segmenter
        if db_path is not None:
            Path(db_path).unlink(missing_ok=True)
        self.conn = sqlite3.connect(":memory:" if db_path is None else db_path, check_same_thread=False)
        self.conn.execute(_SCHEMA)
        rows = []
        for path in paths:
            result = analyse_file(path, kb.settings.knowledge_dir, kb.vocab, kb.segmenter)
            doc = result.document
            if doc is not None and doc.get("status", "published") == "published":
                rows.append((doc["slug"], doc["title"], doc["body"]))
            if len(rows) >= 500:
                self.conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
                rows.clear()
        self.conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
        self.conn.commit()

    def match_expression(self, query: str) -> str:
        """The OR of the query's content words, each quoted (nothing typed is FTS5 syntax)."""
        words = [w for w in self.segmenter.words(normalize(query[:MAX_QUERY_CHARS])) if w.strip()]
        content = [w for w in words if w not in stopwords()] or words or ["x"]
        return " OR ".join('"' + w.replace('"', '""') + '"' for w in dict.fromkeys(content))

    def search(self, query: str, limit: int = 10) -> list[tuple[str, str]]:
        """(slug, snippet) of the top `limit` assets."""
        return self.conn.execute(_SEARCH, (self.match_expression(query), limit)).fetchall()

    def rank(self, query: str) -> Ranking:
        """The top ten as a Ranking, for evaluation."""
        slugs = tuple(slug for slug, _ in self.search(query, 10))
        return Ranking(slugs, len(slugs))

    def close(self) -> None:
        self.conn.close()
