"""What one index segment gives suggestions: the titles and tags of its published documents
and its words, in prefix tables made once.

A segment never changes (an update writes new segments and deletes documents in old ones),
so its tables are made the first time it is seen and kept while it is live: a publish costs
the tables of one small new segment, never the whole collection again. Deletions only grow,
and are checked against the reader of the request's own index version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..thai.segment import Segmenter
from ..thai.starts import word_starts
from ..thai.text import is_wordlike
from .lexicon import FIELDS as WORD_FIELDS
from .prefixes import NamedTable, PrefixTable
from .question_words import stopwords


@dataclass(frozen=True)
class AssetRow:
    """What suggestions need of one indexed document (read from its stored fields)."""

    slug: str
    title: str
    title_starts: tuple[int, ...] | None  # None in an index built before they were stored
    tags: tuple[str, ...]
    status: str
    newest: int  # ordinal of its newest date (0 when undated)

    @classmethod
    def from_stored(cls, fields: dict) -> AssetRow:
        meta = fields.get("meta") or {}
        dates = [dt.date.fromisoformat(d).toordinal() for d in (meta.get("published"), meta.get("updated")) if d]
        starts = meta.get("title_starts")
        return cls(fields["slug"], meta.get("title") or fields["slug"], tuple(starts) if starts is not None else None,
                   tuple(meta.get("tags") or ()), fields.get("status", ""), max(dates, default=0))


class WordTable:
    """Index words for completing the last word typed, the shortest first."""

    def __init__(self, words: Iterable[str]):
        common = stopwords()
        self.words = [w for w in words if len(w) >= 2 and is_wordlike(w) and not w.isdigit() and w not in common]
        self.table = PrefixTable((w, -len(w), i) for i, w in enumerate(self.words))

    def find(self, prefixes: list[str], k: int, accept: Callable[[str], bool]) -> list[str]:
        """Up to `k` words per prefix that `accept` takes, the shortest first."""
        found: list[str] = []
        for prefix in prefixes:
            found += [self.words[i] for i, _ in self.table.best(prefix, k, lambda i: accept(self.words[i]))]
        return found


class SegmentSuggestions:
    """The titles, tags and words of one segment; only published documents count."""

    def __init__(self, leaf, segmenter: Segmenter):
        rows: dict[int, AssetRow] = {}
        for local in range(leaf.doc_count_all()):
            if leaf.is_deleted(local):
                continue  # a deleted document never comes back
            row = AssetRow.from_stored(leaf.stored_fields(local))
            if row.status == "published":  # drafts and archived assets: never suggested
                rows[local] = row
        self.published = frozenset(rows)
        self.docs = list(rows)  # title item -> document number in the segment
        starts = lambda key: word_starts(key, segmenter)  # noqa: E731
        self.titles = NamedTable(((r.title, r.title, r.slug, r.newest, r.title_starts) for r in rows.values()), starts)
        tag_docs: dict[str, list[int]] = {}
        for local, row in rows.items():
            for tag in dict.fromkeys(row.tags):
                tag_docs.setdefault(tag, []).append(local)
        self.tag_docs = list(tag_docs.values())  # tag item -> its documents
        self.tags = NamedTable(((tag, tag, tag, len(docs), None) for tag, docs in tag_docs.items()), starts)
        self.words = WordTable(_words_of(leaf))

    def titles_for(self, prefixes: list[str], k: int, leaf) -> list[tuple[int, str, str]]:
        """(score, title, slug) of live titles matching a prefix, best first."""
        found = self.titles.find(prefixes, k, lambda item: not leaf.is_deleted(self.docs[item]))
        return [(score, self.titles.texts[i], self.titles.targets[i]) for i, score in found]

    def tags_for(self, prefixes: list[str], k: int, leaf) -> list[tuple[int, str]]:
        """(score, tag) of tags of a live document matching a prefix, best first."""
        found = self.tags.find(prefixes, k, lambda item: any(not leaf.is_deleted(d) for d in self.tag_docs[item]))
        return [(score, self.tags.texts[i]) for i, score in found]


def _words_of(leaf) -> set[str]:
    words: set[str] = set()
    for name in WORD_FIELDS:
        words.update(raw.decode("utf-8") if isinstance(raw, bytes) else raw for raw in leaf.lexicon(name))
    return words
