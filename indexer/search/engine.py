"""Searching the index: filters, facets, sorting, pagination, snippets, did-you-mean, confidence.

The engine puts together the parts that each have their own module: the searchers
and per-version caches (pool.py), the query (query.py), its scores (scoring.py),
spelling (spelling.py), phrase bonuses (phrases.py), facets (facets.py), list orders
(ordering.py) and snippets (snippets.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import replace

import numpy as np
from whoosh import query as Q

from ..index.store import IndexStore
from ..semantic.index import SemanticSearch, VectorMatrix
from ..thai.glossary import Glossary
from ..thai.text import Segmenter, StoredEnds, is_thai, normalize, normalize_cached, unpack_ends
from .ai_vowel import ai_vowel_fixed
from .answers import answer_finder
from .facets import FacetTable
from .fusion import reciprocal_rank_fusion
from .keyboard import switched_layout
from .letters import spelled_out
from .lexicon import FIELDS as LEXICON_FIELDS
from .lexicon import Lexicon
from .ordering import LIST_SORTS, ListOrder
from .phrases import phrase_bonus
from .pool import SearcherPool, added_segments
from .query import (
    MAX_QUERY_CHARS,
    ParsedQuery,
    at_the_limit,
    parse_query,
    reference_pattern,
    respelled,
    stopwords,
)
from .requests import Hit, SearchRequest, SearchResponse
from .scoring import FieldLengths, PostingCache, Scores, score_query
from .snippets import attachment_match, holds_answer, make_excerpt
from .spelling import Speller, corrected_text, typed_names
from .stretched import unstretched
from .visibility import Visibility, status_filter

RERANK_DEPTH = 50  # candidates taken from the word query
PHRASE_DEPTH = 20  # of them, those whose text is checked for phrase bonuses (30 gave the same MRR, 9 % slower)
PHRASE_TITLE_WEIGHT = 12.0
PHRASE_BODY_WEIGHT = 3.0
# Coordination: each of those candidates gains this share of the best score times the share of
# the question's weight it holds (_coverage), so an asset that speaks to more of a long question
# passes one that repeats a few of its words; BM25F saturates each word, it never rewards breadth.
# Dev splits of the four blind sets (217 queries, words only / hybrid MRR@10): 0 0.823 / 0.844,
# 0.15 0.830 / 0.851, 0.3 0.835 / 0.854, 0.45 0.833 / 0.847. A window of 80–600 characters
# (proximity) instead of the whole text did no better: 0.844–0.856.
COORDINATION_WEIGHT = 0.3
# A question that asks how many, how much, how long or when (answers.py): each of the first
# ANSWER_DEPTH candidates whose excerpt holds an answer in the unit asked beside two or more of
# the question's words gains this share of the best score. Dev splits of the seven blind sets
# (320 questions, 89 of them ask a number; words only / hybrid MRR@10): 0 0.871 / 0.894,
# 0.05 0.875 / 0.895, 0.1 0.878 / 0.896, 0.2 0.879 / 0.894, 0.3 0.881 / 0.898 (0.900 once
# วันทีเท่าไหร่ asks a date), 0.5 0.879 / 0.898; with one word beside the answer 0.875 / 0.895
# (0.1); any unit of time, 0.875 / 0.893.
ANSWER_WEIGHT = 0.3
ANSWER_WORDS = 2
ANSWER_DEPTH = 10  # of them, by score: dev MRR@10 the same as 20 (5: 0.880 / 0.899), a third less time
# The first result is "confident" when it holds at least this share of the question's
# weight (each content word weighs its IDF; a word the index has never seen weighs the most).
CONFIDENT_COVERAGE = 0.5
# The words' first result "holds" the question, and the meaning is weighed as a second opinion
# (SEMANTIC_WEIGHT), when it has this share of the question's weight: less than confidence asks,
# because a long question is rarely half in one asset even when the words found it. Dev splits of
# the four blind sets (217 queries, MRR@10): 0.2 0.831, 0.3 0.842, 0.35 0.841, 0.4 0.839, 0.5 0.827.
WORDS_HOLD_COVERAGE = 0.35
# Fusion with the semantic ranking (weighted RRF, see fusion.py), measured on the dev splits of
# both blind sets (a grid of K, both weights and the floor; this is the middle of the flat region,
# not its best cell): sample 0.923 → 0.945, KM-plan sections 0.786 → 0.823 MRR@10 against K = 60.
LEXICAL_WEIGHT = 1.0
SEMANTIC_WEIGHT = 0.4         # when the words' first result holds the question (see _covers)
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
SEMANTIC_CONFIDENT = 0.86  # cosine that makes a first result confident even with few shared words...
# ...but not with almost none: a first result close in meaning that holds less than this share of the
# question's weight is near its topic, not its answer (ภ.ง.ด.91 ลดหย่อนค่าเลี้ยงดูพ่อแม่ found the child
# allowance at 0.86 through ยื่น alone). Dev splits (320 questions, 45 unanswerable), hybrid: 0.15
# turned 2 unanswerable questions down, 0.2 3 (17 → 14) and 2 wrong first answers, with no right
# one made unsure; 0.25 made 2 right ones unsure. Test splits, once: 21 unanswerable sure as before,
# 53 → 50 wrong first answers sure, no right one made unsure.
SEMANTIC_CONFIDENT_COVERAGE = 0.2


class SearchEngine:
    """Answers searches from the live index."""

    def __init__(self, store: IndexStore, segmenter: Segmenter, glossary: Glossary,
                 semantic: SemanticSearch | None = None):
        self.store = store
        self.semantic = semantic
        self.segmenter = segmenter
        self.glossary = glossary
        self.pool = SearcherPool(store)
        self.lengths = FieldLengths()  # per segment: outlives index versions
        self.postings = PostingCache()  # so do the decoded posting lists of common words
        self.speller = Speller(segmenter, glossary)

    def searcher(self):
        """This thread's searcher of the live index."""
        return self.pool.searcher()

    def lexicon(self, searcher) -> Lexicon:
        """The in-memory lexicon of the index version `searcher` reads, shared by all threads."""
        def make(old_key, old, new_key):
            added = added_segments(old_key, new_key, searcher) if old is not None else None
            if added is not None:
                return old.extended(searcher.reader(), added, self._document_frequency)
            return Lexicon(searcher.reader(), self._document_frequency, self.segmenter.part_boundaries)
        return self.pool.per_version("lexicon", searcher, make)

    def vectors(self, searcher) -> VectorMatrix:
        """The passage vectors of the index version `searcher` reads, shared by all threads: the
        previous version's extended (its unchanged segments are not read again)."""
        return self.pool.per_version("vectors", searcher, lambda _key, old, _new: self.semantic.matrix(searcher, old),
                                     extra=self.semantic.generation())

    def facet_table(self, searcher) -> FacetTable:
        """Facet columns of the index version `searcher` reads, shared by all threads."""
        return self.pool.per_version("facets", searcher,
                                     lambda _key, old, _new: FacetTable.from_reader(searcher.reader(), old))

    def _document_frequency(self, word: str) -> int:
        # this thread's current searcher, never a reopened one: that would close the
        # readers of a search still in progress in this thread
        reader = self.pool.current().reader()
        return sum(reader.doc_frequency(name, word) for name in LEXICON_FIELDS)

    def close(self) -> None:
        """Close every searcher this engine opened (in any thread)."""
        self.pool.close()

    # -- search ------------------------------------------------------------------------
    def search(self, request: SearchRequest, views: Mapping[str, int] | None = None) -> SearchResponse:
        """Run a search as typed, with likely spellings of unknown words added.

        `views` (slug → view count) orders a "views" sort; the counts are the site's, not the index's.

        Words nobody knows get a suggestion shown beside the results; the results
        are for the suggestion instead only when the words as typed find nothing. A known
        misspelling (the glossary's) is searched spelled right, and so is a question typed with
        the wrong keyboard layout on (keyboard.py) or with ไ for ใ (ai_vowel.py), unless
        `autocorrect` is off. A letter stretched as in a chat (ลาป่วยยยย) is cut back
        (stretched.py), and an abbreviation said in Thai letter names (เคพีไอ) is searched as the
        assets write it (letters.py), with no correction shown: they were spelled right.
        """
        if not request.autocorrect:
            return self._respelled_search(request, views)
        switched, fixed, spelled = self._retyped(request.q, request.include_drafts)
        if switched is None and fixed is None and spelled is None:
            return self._respelled_search(request, views)
        response = self._respelled_search(replace(request, q=spelled or fixed or switched), views)
        if switched is None and fixed is None:
            # เคพีไอ is KPI said aloud and ป่วยยยย is ป่วย stretched, spelled right: searched as the
            # assets write them, as a synonym is, with nothing to correct (the page and the API
            # show what was typed)
            return replace(response, request=request)
        # the switched pieces read as Thai and the typed ones are in no asset, or ไคร is ใคร: what
        # the reader meant is sure, as a known misspelling's is, and the page says so
        return replace(response, request=request, corrected_from=(request.q or "")[:MAX_QUERY_CHARS].strip(),
                       suggestion=response.suggestion if response.corrected_from else fixed or switched,
                       switched_layout=switched is not None)

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

    def _respelled_search(self, request: SearchRequest, views: Mapping[str, int] | None) -> SearchResponse:
        """The search, with a known misspelling (the glossary's) spelled right unless `autocorrect` is off."""
        respelling = respelled(request.q, self.segmenter, self.glossary) if request.autocorrect else None
        if respelling is None:
            return self._search(request, views)
        typed_text, right = respelling  # the results are for the right spelling, and the page says so
        response = self._search(replace(request, q=right), views)
        return replace(response, request=request, corrected_from=typed_text,
                       suggestion=response.suggestion if response.corrected_from else right)

    def _search(self, request: SearchRequest, views: Mapping[str, int] | None) -> SearchResponse:
        searcher = self.searcher()
        lexicon = self.lexicon(searcher)
        typed, parsed, fixes, seen = self.understand(searcher, lexicon, request.q, request.include_drafts,
                                                     request.autocorrect)
        spell = seen is not None
        as_typed = (request.q or "")[:MAX_QUERY_CHARS].strip()
        suggestion = corrected_text(typed.words, fixes, typed.text, as_typed) if fixes else None
        response = self._run(searcher, request, parsed, lexicon, views)
        if (fixes and request.autocorrect and response.total
                and not self._finds_anything(searcher, request, typed, lexicon)):
            # only the correction's words found these: the results are for it, and the page says so
            return replace(response, suggestion=suggestion, corrected_from=typed.text)
        if response.total == 0 and spell:
            # nothing as typed: words the dictionary knows may be the pieces of a typo
            fixes = self.speller.corrections(typed.words, typed.text, lexicon, seen, index_only=True,
                                             cut=at_the_limit(request.q), names=typed_names(request.q))
            suggestion = corrected_text(typed.words, fixes, typed.text, as_typed) if fixes else None
            if suggestion and request.autocorrect:
                corrected = self._run(searcher, request, parse_query(suggestion, self.segmenter, self.glossary,
                                                                     lexicon), lexicon, views)
                if corrected.total:
                    return replace(corrected, suggestion=suggestion, corrected_from=typed.text, request=request)
        return replace(response, suggestion=suggestion)

    def _finds_anything(self, searcher, request: SearchRequest, typed: ParsedQuery, lexicon: Lexicon) -> bool:
        """Whether the words as typed match any asset the request may list. Most often one of
        them is a word of the index, and a lookup says so (even if only assets outside the
        filters hold it: the results are then shown as the query's own, as they always were);
        only when none is (พิจาร + นา), the typed query is scored on its own."""
        if typed.query is None or any(lexicon.frequency(word) for word in typed.concepts):
            return True
        _allowed, mask = self.facet_table(searcher).allowed(searcher, _filter_key(request), self._filter(request))
        return bool((score_query(searcher, typed.query, self.lengths, self.postings).matched & mask).any())

    def understand(self, searcher, lexicon: Lexicon, q: str | None, include_drafts: bool = False,
                   autocorrect: bool = True) -> tuple[ParsedQuery, ParsedQuery, list, Callable[[str], bool] | None]:
        """The query as typed (its known misspellings spelled right unless `autocorrect` is
        off), the query searched (with the corrections of its unknown words added, the same
        way), the corrections, and the check of whether a word is in a document the reader
        may see (None when there is nothing to correct).

        Only such words count as known or are proposed: a draft's words are never suggested
        to, nor confirmed for, a reader.
        """
        cut = at_the_limit(q)
        respelling = respelled(q, self.segmenter, self.glossary) if autocorrect else None
        q = respelling[1] if respelling else q  # a known misspelling: what it means is sure, not a guess
        typed = parse_query(q, self.segmenter, self.glossary, lexicon)
        visible = self.visibility(searcher, include_drafts)
        if typed.query is None or not visible:
            return typed, typed, [], None
        seen = functools.partial(visible.has_word, searcher)
        fixes = self.speller.corrections(typed.words, typed.text, lexicon, seen, cut=cut, names=typed_names(q))
        additions = tuple(f.replacement for f in fixes) if autocorrect else ()
        if not additions:
            return typed, typed, fixes, seen
        replaced = frozenset(w for f in fixes for w in typed.words[f.start:f.end])
        parsed = parse_query(q, self.segmenter, self.glossary, lexicon, additions, replaced)
        # what the reader meant also decides the phrase bonus and the meaning: ความรู๊ spoils both
        meant = parse_query(corrected_text(typed.words, fixes, typed.text), self.segmenter, self.glossary, lexicon)
        parsed = replace(parsed, phrases=parsed.phrases + meant.phrases, meaning=meant.text)
        return typed, parsed, fixes, seen

    def related(self, slug: str, title_and_tags: str, limit: int = 5) -> list[Hit]:
        """Published assets nearest in meaning to `slug` (its title, summary and tags), or,
        before vectors are ready, those sharing its title words and tags."""
        searcher = self.searcher()
        docnum = searcher.document_number(slug=slug)
        if docnum is not None and self.semantic is not None and self.semantic.ready():
            matrix = self.vectors(searcher)
            vector = matrix.vector_of(docnum)
            if vector is not None:
                request = SearchRequest()
                _, mask = self.facet_table(searcher).allowed(searcher, _filter_key(request), self._filter(request))
                nearest = [(doc, cos) for doc, cos in matrix.nearest(vector, mask, limit + 1) if doc != docnum]
                if nearest:
                    parsed = parse_query("", self.segmenter, self.glossary)
                    return [self._hit(searcher.stored_fields(doc), cos, parsed, self.segmenter)
                            for doc, cos in nearest[:limit]]
        response = self.search(SearchRequest(q=title_and_tags, per_page=limit + 1, semantic=False))
        return [h for h in response.hits if h.slug != slug][:limit]

    def _run(self, searcher, request: SearchRequest, parsed: ParsedQuery, lexicon: Lexicon,
             views: Mapping[str, int] | None = None) -> SearchResponse:
        table = self.facet_table(searcher)
        allowed, mask = table.allowed(searcher, _filter_key(request), self._filter(request))
        # "???", "🙏": something typed, but no word in it to look for, so nothing matches (only an
        # empty box lists every asset)
        wordless = parsed.query is None and any(ch.isprintable() and not ch.isspace() for ch in parsed.text)
        if not allowed or wordless:  # never hand Whoosh an empty filter: it reads `filter=set()` as no filter
            return SearchResponse(request, parsed.text, 0, [], table.count([]),
                                  confident=parsed.query is None and not wordless,
                                  highlight_terms=parsed.highlight_terms)
        listing = request.sort in LIST_SORTS or parsed.query is None  # a list: nothing to rank
        question = None if listing else self._question_vector(request, parsed)  # encoded while the words are ranked
        scores = None
        if parsed.query is None:
            matched, matched_mask = allowed, mask
        else:
            scores = score_query(searcher, parsed.query, self.lengths, self.postings)
            if parsed.boosts is not None:  # they rank what the words found, they find nothing
                scores.score += np.where(scores.matched,
                                         score_query(searcher, parsed.boosts, self.lengths, self.postings).score, 0.0)
            matched_mask = scores.matched & mask
            matched = set(np.flatnonzero(matched_mask).tolist())
        first = (request.page - 1) * request.per_page
        total, similarity, dense_only = len(matched), {}, []
        stored_of = StoredFields(searcher)
        if listing:
            order_of = self.pool.per_version("list-order", searcher, lambda *_: ListOrder(searcher.reader()))
            ordered = order_of.ordered(matched, request.sort if request.sort in LIST_SORTS else "newest", views,
                                       limit=first + request.per_page)
            ranked = [(doc, 0.0) for doc in ordered[first:]]
        else:
            depth = max(first + request.per_page, RERANK_DEPTH)
            ranked = self._ranked(stored_of, parsed, scores, mask, depth, lexicon)
            similarity = self._similar(searcher, question, mask, depth)
            if similarity:
                words_hold = bool(ranked) and self._covers(parsed, stored_of[ranked[0][0]], lexicon,
                                                           WORDS_HOLD_COVERAGE)
                weight = SEMANTIC_WEIGHT if words_hold else SEMANTIC_WEIGHT_UNSURE
                ranked, dense_only = self._fused(ranked, similarity, matched, weight)
                total += len(dense_only)
                if dense_only:  # the facets count what the list shows
                    matched_mask = matched_mask.copy()
                    matched_mask[dense_only] = True
            ranked = ranked[first:first + request.per_page]
        stored = [(stored_of[docnum], score) for docnum, score in ranked]
        # a first result the words did not find at all is near the question's topic, never sure of it
        confident = parsed.query is None or bool(stored) and ranked[0][0] not in dense_only and self._sure(
            parsed, stored[0][0], lexicon, similarity.get(ranked[0][0], 0.0))
        hits = [self._hit(fields, score, parsed, self.segmenter) for fields, score in stored]
        return SearchResponse(request, parsed.text, total, hits, table.count(matched_mask),
                              confident=confident,
                              semantic=bool(similarity), highlight_terms=parsed.highlight_terms)

    def _question_vector(self, request: SearchRequest, parsed: ParsedQuery) -> Future | None:
        """The question's vector, being encoded in another thread (None when meaning is not
        asked: the model is not loaded yet, semantic search is off, or the question has no
        words or holds a document number)."""
        semantic = self.semantic
        if semantic is None or not semantic.ready() or not parsed.concepts or not request.semantic:
            return None
        if parsed.references:  # a document number is an exact identifier: meaning only blurs it
            return None
        return semantic.encode_query_soon(parsed.meaning or parsed.text)

    def _similar(self, searcher, question: Future | None, allowed, depth: int) -> dict[int, float]:
        """Cosine similarity of the nearest allowed assets to the question (empty when its
        vector was not asked for)."""
        if question is None:
            return {}
        return dict(self.vectors(searcher).nearest(question.result(), allowed, depth))

    @staticmethod
    def _fused(lexical: list[tuple[int, float]], similarity: dict[int, float], matched: set[int],
               weight: float) -> tuple[list[tuple[int, float]], list[int]]:
        """Word and meaning rankings fused; an asset found by meaning alone enters only when it is
        close enough (DENSE_FLOOR) and among the nearest (DENSE_ONLY_RANK). Returns the order and
        the assets that entered by meaning alone."""
        nearest = sorted(similarity.items(), key=lambda item: (-item[1], item[0]))
        dense = [doc for rank, (doc, cosine) in enumerate(nearest)
                 if doc in matched or (cosine >= DENSE_FLOOR and rank < DENSE_ONLY_RANK)]
        fused = reciprocal_rank_fusion([([doc for doc, _ in lexical], LEXICAL_WEIGHT), (dense, weight)])
        return fused, [doc for doc in dense if doc not in matched]

    def _sure(self, parsed: ParsedQuery, fields: dict, lexicon: Lexicon, cosine: float) -> bool:
        """Whether a first result answers the question: it holds enough of its words, or it is close
        in meaning and holds some of them, or it is about the document number asked for (or was
        sent out with it)."""
        held = self._coverage(parsed, fields, lexicon)
        return (held >= CONFIDENT_COVERAGE or cosine >= SEMANTIC_CONFIDENT and held >= SEMANTIC_CONFIDENT_COVERAGE
                or bool(parsed.references) and _holds_reference(fields, parsed.references) == 2)

    def _covers(self, parsed: ParsedQuery, fields: dict, lexicon: Lexicon, share: float = CONFIDENT_COVERAGE) -> bool:
        """Whether a document holds enough of the question (`share` of its weight) to be shown as an answer."""
        return self._coverage(parsed, fields, lexicon) >= share

    @staticmethod
    def _coverage(parsed: ParsedQuery, fields: dict, lexicon: Lexicon) -> float:
        """The share of the question's weight a document holds (its title, tags or text).

        Each content word weighs its IDF; one the index has never seen weighs as much
        as the rarest word could, so a question about something the repository does
        not hold ("ตรวจหวยงวดนี้") is not answered by the one word it shares.
        """
        # the typed words a correction replaces stand for it; the others count as typed, known
        # to the index or not (กะ and ขาดเงิน of "สื๋อที่กะจะแจก…ขาดเงิน" are no typo of สื่อ)
        concepts = [w for w in parsed.concepts if w not in parsed.replaced] + list(parsed.additions)
        if not concepts:
            return 1.0
        meta = fields.get("meta") or {}
        # the body through the cache its phrase bonus and snippet use: one normalisation a search
        texts = (normalize(" ".join([meta.get("title", ""), *meta.get("tags", ())])),
                 normalize_cached(fields.get("text", "")))
        total_docs = max(lexicon.doc_count, 1)
        have = want = 0.0
        for word in concepts:
            frequency = lexicon.frequency(word)
            if not frequency and not is_thai(word):
                continue  # "online", "app", "LINE": a Latin word the assets never use is no topic
            if len(word) < 2:
                continue  # ก of "ภาค ก": one letter is inside any text, so finding it proves nothing
            weight = math.log(1 + total_docs / (frequency + 1))
            want += weight
            if any(term in text for term in (word, *parsed.expansions.get(word, ())) for text in texts):
                have += weight
        return have / want if want else 1.0

    def _ranked(self, stored_of: StoredFields, parsed: ParsedQuery, words: Scores, allowed, depth: int,
                lexicon: Lexicon) -> list[tuple[int, float]]:
        """Rank in two steps: the words pick the top candidates (scoring.py), then the top
        20 earn phrase bonuses checked in their text (see phrases.py) and a bonus for the
        share of the question they hold (COORDINATION_WEIGHT). A document outside the word
        query's top 50 cannot be lifted by either; that is the price of speed."""
        scores = dict(words.top(allowed, depth))
        head = list(scores)[:PHRASE_DEPTH]
        if parsed.phrases:
            for doc in head:
                fields = stored_of[doc]
                scores[doc] += phrase_bonus((fields.get("meta") or {}).get("title", ""), fields.get("text", ""),
                                            parsed.phrases, PHRASE_TITLE_WEIGHT, PHRASE_BODY_WEIGHT)
        if len(parsed.concepts) > 1 and head:
            first = max(scores[doc] for doc in head)
            for doc in head:
                scores[doc] += COORDINATION_WEIGHT * first * self._coverage(parsed, stored_of[doc], lexicon)
        answer = answer_finder(parsed.asks)
        if answer is not None and head:
            first = max(scores[doc] for doc in head)
            for doc in sorted(head, key=lambda doc: -scores[doc])[:ANSWER_DEPTH]:
                if holds_answer(stored_of[doc].get("text", ""), parsed.highlight_terms, answer, ANSWER_WORDS,
                                parsed.concept_of):
                    scores[doc] += ANSWER_WEIGHT * first
        # a document number is an identifier: the assets that hold it come before those that
        # only share the question's words (คำสั่งที่ 488/2567 is not any order of the KM team),
        # and those whose title or summary names it before those whose text only cites it
        holding = ({doc: _holds_reference(stored_of[doc], parsed.references) for doc in head}
                   if parsed.references else {})
        order = sorted(scores, key=lambda doc: (-holding.get(doc, 0), -scores[doc], doc))
        return [(doc, scores[doc]) for doc in order]

    @staticmethod
    def _narrowing(request: SearchRequest) -> Q.Query | None:
        """The reader's own filters (department, stage, type, tag, year), if any."""
        terms = [Q.Term(name, value) for name, value in
                 (("department", request.department), ("km_stage", request.km_stage),
                  ("asset_type", request.asset_type), ("tags", request.tag),
                  ("fy", str(request.fy) if request.fy else None)) if value]
        return (Q.And(terms) if len(terms) > 1 else terms[0]) if terms else None

    def visibility(self, searcher, include_drafts: bool) -> Visibility:
        """The documents a role may see, whatever the reader's own filters (for suggestions),
        with the words found in them; one per index version and role."""
        table = self.facet_table(searcher)  # outside per_version: its lock is not re-entrant
        return self.pool.per_version(f"visible-{include_drafts}", searcher, lambda *_: Visibility(
            table.filter_docs(searcher, ("status", include_drafts), status_filter(include_drafts))))

    @classmethod
    def _filter(cls, request: SearchRequest) -> Q.Query:
        """The reader's filters plus what their role may see (drafts for the KM team)."""
        status = status_filter(request.include_drafts)
        narrow = cls._narrowing(request)
        return status if narrow is None else Q.And([narrow, status])

    @staticmethod
    def _hit(fields: dict, score: float, parsed: ParsedQuery, segmenter: Segmenter) -> Hit:
        meta = fields.get("meta") or {}
        packed = fields.get("word_ends")  # the text's token ends, stored by the index: nothing to segment
        ends = StoredEnds(unpack_ends(packed), segmenter.part_boundaries) if packed else None
        snippet, passage = make_excerpt(fields.get("text", ""), parsed.highlight_terms, meta.get("summary", ""),
                                        word_bounds=segmenter.word_bounds, ends=ends, answer=answer_finder(parsed.asks),
                                        concept_of=parsed.concept_of)
        in_files = attachment_match(fields.get("files"), parsed.highlight_terms, snippet, meta.get("title", ""),
                                    meta.get("summary", ""), meta.get("tags", ()), segmenter.word_bounds)
        return Hit(
            slug=fields["slug"], title=meta.get("title", fields["slug"]), path=fields["path"],
            department=fields.get("department", ""), km_stage=fields.get("km_stage", ""),
            asset_type=fields.get("asset_type", ""), knowledge_type=fields.get("knowledge_type", ""),
            status=fields.get("status", "published"),
            tags=tuple(meta.get("tags", ())), summary=meta.get("summary", ""), owner=meta.get("owner", ""),
            published=_date(meta.get("published")), updated=_date(meta.get("updated")),
            snippet=snippet, score=_score(score), in_attachments=in_files,
            # the page shows its title and summary above the text: a passage they hold is found there
            passage="" if in_files or _shown_above(passage, meta) else passage,
            # the evidence of a dissemination that holds the number asked for: why the asset is first
            sent_with=tuple(ref for ref in meta.get("refs", ()) if parsed.references
                            and _names_reference(normalize(ref), parsed.references)),
        )




def _shown_above(passage: str, meta: dict) -> bool:
    """Whether an asset page's title or summary, which it shows above its text, hold `passage`
    (case aside); its tags and facts follow the text in the page."""
    wanted = passage.casefold()
    return bool(wanted) and any(wanted in (meta.get(field) or "").casefold() for field in ("title", "summary"))


def _holds_reference(fields: dict, references: tuple[tuple[str, str], ...]) -> int:
    """2 when an asset's title, summary or the evidence of its dissemination holds one of the
    document numbers (951/2567) or circulars' numbers (ว 88), in either digits: it is about that
    document, or went out with it; 1 when only its text does: it cites it; else 0."""
    meta = fields.get("meta") or {}
    head = normalize(" ".join((meta.get("title", ""), meta.get("summary", ""), *meta.get("refs", ()))))
    for held, text in ((2, head), (1, normalize_cached(fields.get("text", "")))):
        if _names_reference(text, references):
            return held
    return 0


def _names_reference(text: str, references: tuple[tuple[str, str], ...]) -> bool:
    """Whether normalised `text` holds one of the document numbers or circulars' numbers."""
    return any(re.search(reference_pattern(first, number), text) for first, number in references)


class StoredFields(dict):
    """The stored fields of the documents one search reads, each read once: the phrase bonus
    reads the texts of its 20 candidates and the page shows 10 of them again. Reading an
    asset's stored fields (its whole text, unpickled) takes about 0.1 ms at 10,000 assets."""

    def __init__(self, searcher):
        super().__init__()
        self.searcher = searcher

    def __missing__(self, doc: int) -> dict:
        fields = self[doc] = self.searcher.stored_fields(doc)
        return fields


def _filter_key(request: SearchRequest) -> tuple:
    return (request.department, request.km_stage, request.asset_type, request.tag, request.fy, request.include_drafts)


def _score(score) -> float:
    """Relevance score; sorted searches report a sort key instead, shown as 0."""
    return round(float(score), 4) if isinstance(score, (int, float)) else 0.0


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
