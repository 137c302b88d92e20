"""What one reader may see: the documents their role allows, and the words found in them.

Drafts are in the index (the KM team searches them) and so are their attachments'
words, so the in-memory lexicon holds words that only a draft contains. Anything a
search shows that does not come from a result itself (a did-you-mean suggestion, a
word judged "known") is checked here against the documents the reader may see.
"""

from __future__ import annotations

from whoosh import query as Q

from .lexicon import FIELDS as LEXICON_FIELDS


class Visibility:
    """The documents a reader may see in one searcher, and a cached "is this word in one of them"."""

    def __init__(self, searcher, allowed: set[int]):
        self.searcher = searcher
        self.allowed = allowed
        self._words: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.allowed)

    def has_word(self, word: str) -> bool:
        """True when a document the reader may see holds `word` in a text field."""
        seen = self._words.get(word)
        if seen is None:
            query = Q.Or([Q.Term(name, word) for name in LEXICON_FIELDS])
            # Most documents are visible, so the first few postings usually settle it.
            seen = any(doc in self.allowed for doc in self.searcher.docs_for_query(query))
            self._words[word] = seen
        return seen

    def any_word(self, words) -> bool:
        """True when one of `words` is visible (e.g. the compounds that contain a typed part)."""
        return any(self.has_word(word) for word in words)


def status_filter(include_drafts: bool) -> Q.Query:
    """The statuses a role may see: published for readers, drafts too for the KM team (never archived)."""
    if include_drafts:
        return Q.Or([Q.Term("status", "published"), Q.Term("status", "draft")])
    return Q.Term("status", "published")
