"""What one role may see: the documents it is allowed, and the words found in them.

Drafts are in the index (the KM team searches them) and so are their attachments'
words, so the in-memory lexicon holds words that only a draft contains. Anything a
search shows that does not come from a result itself (a did-you-mean suggestion, a
word judged "known") is checked here against the documents the reader may see.
One Visibility is kept per index version and role, so a word is looked up once.
A search's filter (request_filter) is the role's statuses plus the reader's own filters.
"""

from __future__ import annotations

from whoosh import query as Q

from ..index.leaves import leaf_readers
from .lexicon import FIELDS as LEXICON_FIELDS
from .requests import SearchRequest

MAX_WORDS = 20_000  # words remembered per version and role (typed words are unbounded)


class Visibility:
    """The documents a role may see in one index version, and "is this word in one of them"."""

    def __init__(self, allowed: set[int]):
        self.allowed = allowed
        self._words: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.allowed)

    def has_word(self, searcher, word: str) -> bool:
        """True when a document the role may see holds `word` in a text field."""
        seen = self._words.get(word)
        if seen is None:
            seen = self._find(searcher.reader(), word)
            if len(self._words) >= MAX_WORDS:
                self._words.clear()
            self._words[word] = seen
        return seen

    def _find(self, reader, word: str) -> bool:
        # Straight over each segment's postings: most documents are visible, so the first
        # few settle it (a compound query's matcher cost more than the rest of a search).
        for leaf, offset in leaf_readers(reader):
            for name in LEXICON_FIELDS:
                if (name, word) not in leaf:
                    continue
                postings = leaf.postings(name, word)
                while postings.is_active():
                    if postings.id() + offset in self.allowed:  # deleted documents are never allowed
                        return True
                    postings.next()
        return False


def status_filter(include_drafts: bool) -> Q.Query:
    """The statuses a role may see: published for readers, drafts too for the KM team (never archived)."""
    if include_drafts:
        return Q.Or([Q.Term("status", "published"), Q.Term("status", "draft")])
    return Q.Term("status", "published")


def request_filter(request: SearchRequest) -> Q.Query:
    """The reader's filters (department, stage, type, tag, year) plus what their role may
    see (drafts for the KM team)."""
    terms = [Q.Term(name, value) for name, value in
             (("department", request.department), ("km_stage", request.km_stage),
              ("asset_type", request.asset_type), ("tags", request.tag),
              ("fy", str(request.fy) if request.fy else None)) if value]
    status = status_filter(request.include_drafts)
    return Q.And([*terms, status]) if terms else status


def filter_key(request: SearchRequest) -> tuple:
    """What `request_filter` depends on: the key of its documents' cache (facets.py)."""
    return (request.department, request.km_stage, request.asset_type, request.tag, request.fy, request.include_drafts)
