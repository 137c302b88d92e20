"""How the engine reads a question back before searching it: pieces typed on the wrong
keyboard layout (keyboard.py), ไ typed for ใ (ai_vowel.py), letters stretched as in a chat
(stretched.py) and abbreviations said in Thai letter names (letters.py). The search, the
search box and the suggestions read a question the same way, with the words the reader
may see (a draft's never count)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from ..thai.segment import Segmenter
from .ai_vowel import ai_vowel_fixed
from .keyboard import switched_layout
from .letters import spelled_out
from .query import MAX_QUERY_CHARS, at_the_limit
from .question_words import stopwords
from .stretched import unstretched


class QuestionRewrites:
    """The rewrites of SearchEngine (a mixin: it uses the engine's searcher, lexicon,
    visibility, segmenter, speller and glossary)."""

    def retyped(self, q: str | None, include_drafts: bool = False) -> str | None:
        """`q` as the search reads it, or None when it is read as typed: its pieces typed on
        the wrong keyboard layout switched (keyboard.py), a ไ typed for ใ or the other way
        round switched (ai_vowel.py), then read as it was said (its stretched letters cut back,
        its abbreviations said in Thai letter names written in Latin letters)."""
        switched, fixed, spelled = self._retyped(q, include_drafts)
        return spelled or fixed or switched

    def _retyped(self, q: str | None, include_drafts: bool) -> tuple[str | None, str | None, str | None]:
        """(`q` with its pieces typed on the wrong layout switched, that or `q` with its ai vowels
        fixed, the last of those or `q` read as it was said: read_as_said), each None when there
        was nothing to change."""
        switched = self.switched_layout(q, include_drafts)
        return switched, *self.read_back(switched or q, include_drafts)

    def read_back(self, q: str | None, include_drafts: bool = False) -> tuple[str | None, str | None]:
        """(`q` with its ai vowels fixed: ai_vowel_fixed, that or `q` read as it was said:
        read_as_said), each None when there was nothing to change. The search and the search
        box read a question the same way."""
        fixed = self.ai_vowel_fixed(q, include_drafts)
        return fixed, self.read_as_said(fixed or q, include_drafts)

    def ai_vowel_fixed(self, q: str | None, include_drafts: bool = False) -> str | None:
        """`q` with each ไ typed for ใ or ใ for ไ switched (ai_vowel.py), or None."""
        return self._checked(q, include_drafts, functools.partial(ai_vowel_fixed, cut=at_the_limit(q)), as_typed=True)

    def read_as_said(self, q: str | None, include_drafts: bool = False) -> str | None:
        """`q` with its letters stretched as in a chat cut back (ป่วยยยย, stretched.py), then its
        abbreviations said in Thai letter names (เคพีไอ) written as the assets write them
        (letters.py), or None when neither changed anything. Every word was spelled right."""
        return self._checked(q, include_drafts, self._said)

    def _said(self, text: str, segmenter: Segmenter, known: Callable[[str], bool],
              in_index: Callable[[str], bool]) -> str | None:
        """read_as_said's rewrite, given `_checked`'s word checks (made once for both steps)."""
        kept = unstretched(text, segmenter, known)
        return spelled_out(kept or text, segmenter, known, in_index, synonyms=self.glossary.synonyms_of) or kept

    def spelled_out(self, q: str | None, include_drafts: bool = False) -> str | None:
        """`q` with its abbreviations said in Thai letter names (เคพีไอ) written as the assets
        write them (letters.py), or None."""
        return self._checked(q, include_drafts, functools.partial(spelled_out, synonyms=self.glossary.synonyms_of))

    def switched_layout(self, q: str | None, include_drafts: bool = False) -> str | None:
        """`q` with its pieces typed on the wrong keyboard layout switched (keyboard.py), or None."""
        return self._checked(q, include_drafts, switched_layout)

    def _checked(self, q: str | None, include_drafts: bool, rewrite, as_typed: bool = False) -> str | None:
        """`rewrite(text, segmenter, known, in_index)` of `q` cut to the search's limit, with the
        words the reader may see (a draft's never count), or None. With `as_typed`, a word the
        index holds only with other tone marks is not known (Speller.is_known_as_typed),
        `in_index` is true of stop words too, and `rewrite` is also told which words the index
        holds with other tone marks only."""
        text = (q or "")[:MAX_QUERY_CHARS]
        if not text.strip():
            return None
        searcher = self.searcher()
        lexicon = self.lexicon(searcher)
        visible = self.visibility(searcher, include_drafts)
        if not visible:
            return None
        seen = functools.partial(visible.has_word, searcher)
        if as_typed:
            return rewrite(text, self.segmenter, lambda word: self.speller.is_known_as_typed(word, lexicon, seen),
                           lambda word: word in lexicon and seen(word),
                           lambda word: self.speller.tone_variant_only(word, lexicon, seen))
        return rewrite(text, self.segmenter, lambda word: self.speller.is_known(word, lexicon, seen),
                       lambda word: word not in stopwords() and word in lexicon and seen(word))
