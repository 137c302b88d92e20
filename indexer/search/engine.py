"""Searching the index: filters, facets, sorting, pagination, snippets, did-you-mean, confidence.

The engine puts together the parts that each have their own module: the searchers
and per-version caches (pool.py), the question read back (rewrites.py), the query
(query.py), its scores (scoring.py) and second step (rerank.py), spelling (spelling.py),
the fusion with meaning (fusion.py), confidence (confidence.py), facets (facets.py),
list orders (ordering.py) and each result with its excerpt (hits.py).
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import replace

import numpy as np

from ..index.store import IndexStore
from ..semantic.index import SemanticSearch
from ..semantic.matrix import VectorMatrix
from ..thai.glossary import Glossary
from ..thai.segment import Segmenter
from .confidence import WORDS_HOLD_COVERAGE, covers, sure
from .corrections import Correction, corrected_text, respelt_question_words
from .facets import FacetTable
from .fusion import fuse
from .hits import StoredFields, make_hit
from .lexicon import FIELDS as LEXICON_FIELDS
from .lexicon import Lexicon
from .names import typed_names
from .ordering import LIST_SORTS, ListOrder
from .pool import SearcherPool, added_segments
from .query import MAX_QUERY_CHARS, ParsedQuery, at_the_limit, parse_query, respelled
from .requests import Hit, SearchRequest, SearchResponse
from .rerank import RERANK_DEPTH, rerank
from .rewrites import QuestionRewrites
from .scoring import FieldLengths, PostingCache, Scores, score_query
from .spelling import Speller
from .visibility import Visibility, filter_key, request_filter, status_filter

log = logging.getLogger(__name__)
UNFILTERED = {"department": None, "km_stage": None, "asset_type": None, "tag": None, "fy": None}


class SearchEngine(QuestionRewrites):
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
        self._vector_error: str | None = None  # the last reason the vectors could not be read (logged once)

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

    def readable_vectors(self, searcher) -> VectorMatrix | None:
        """`vectors`, or None when the vectors file cannot be read (a full disk, a damaged file):
        the words alone answer then, as before the vectors were ready, rather than every search
        and asset page failing. The cause is logged once, not on every search."""
        try:
            matrix = self.vectors(searcher)
        except sqlite3.Error as exc:
            if str(exc) != self._vector_error:
                log.warning("the semantic vectors cannot be read (%s): searching by words alone until they can "
                            "(a full disk? a damaged %s?)", exc, getattr(self.semantic.cache, "path", "vectors file"))
                self._vector_error = str(exc)
            return None
        self._vector_error = None
        return matrix

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
        suggestion = _suggestion(typed, fixes, lexicon, as_typed)
        response = self._run(searcher, request, parsed, lexicon, views)
        if (fixes and request.autocorrect and response.total
                and not self._finds_anything(searcher, request, typed, lexicon)):
            # only the correction's words found these: the results are for it, and the page says so
            return replace(response, suggestion=suggestion, corrected_from=typed.text)
        if response.total == 0 and spell:
            # nothing as typed: words the dictionary knows may be the pieces of a typo
            fixes = self.speller.corrections(typed.words, typed.text, lexicon, seen, index_only=True,
                                             cut=at_the_limit(request.q), names=typed_names(request.q))
            suggestion = _suggestion(typed, fixes, lexicon, as_typed)
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
        _allowed, mask = self._allowed(searcher, request)
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
        matrix = None
        if docnum is not None and self.semantic is not None and self.semantic.ready():
            matrix = self.readable_vectors(searcher)
        if matrix is not None:
            vector = matrix.vector_of(docnum)
            if vector is not None:
                request = SearchRequest()
                _, mask = self._allowed(searcher, request)
                nearest = [(doc, cos) for doc, cos in matrix.nearest(vector, mask, limit + 1) if doc != docnum]
                if nearest:
                    parsed = parse_query("", self.segmenter, self.glossary)
                    return [make_hit(searcher.stored_fields(doc), cos, parsed, self.segmenter)
                            for doc, cos in nearest[:limit]]
        response = self.search(SearchRequest(q=title_and_tags, per_page=limit + 1, semantic=False))
        return [h for h in response.hits if h.slug != slug][:limit]

    def _run(self, searcher, request: SearchRequest, parsed: ParsedQuery, lexicon: Lexicon,
             views: Mapping[str, int] | None = None) -> SearchResponse:
        table = self.facet_table(searcher)
        allowed, mask = self._allowed(searcher, request)
        # "???", "🙏": something typed, but no word in it to look for, so nothing matches (only an
        # empty box lists every asset)
        wordless = parsed.query is None and any(ch.isprintable() and not ch.isspace() for ch in parsed.text)
        if not allowed or wordless:  # never hand Whoosh an empty filter: it reads `filter=set()` as no filter
            return SearchResponse(request, parsed.text, 0, [], table.count([]),
                                  confident=parsed.query is None and not wordless,
                                  highlight_terms=parsed.highlight_terms)
        listing = request.sort in LIST_SORTS or parsed.query is None  # a list: nothing to rank
        question = None if listing else self._question_vector(request, parsed)  # encoded while the words are ranked
        scores, matched, matched_mask = self._found(searcher, parsed, allowed, mask)
        first = (request.page - 1) * request.per_page
        total, similarity, dense_only = len(matched), {}, []
        stored_of = StoredFields(searcher)
        if listing:
            ranked = self._listed(searcher, matched, request, views, first)
            # sure or not is the search's, whatever the order: the first answer by relevance decides
            best = rerank(stored_of, parsed, scores, mask, RERANK_DEPTH, lexicon)[:1] if scores and matched else []
        else:
            depth = max(first + request.per_page, RERANK_DEPTH)
            ranked = rerank(stored_of, parsed, scores, mask, depth, lexicon)
            # The meaning side looks beyond the reader's filters, and what it adds is then kept to
            # them: a department's facet counts what the list without filters holds of it, and a
            # tap on it shows just those (the nearest assets of that department were added before,
            # so "กองคลัง 1" listed four unrelated finance assets).
            wide = self._allowed(searcher, replace(request, **UNFILTERED))[1] if request.filters else mask
            similarity = self._similar(searcher, question, wide, depth)
            if similarity:
                words_hold = bool(ranked) and covers(parsed, stored_of[ranked[0][0]], lexicon, WORDS_HOLD_COVERAGE)
                found = matched if wide is mask else set(np.flatnonzero(scores.matched & wide).tolist())
                ranked, dense_only = fuse(ranked, similarity, found, words_hold)
                if wide is not mask:
                    dense_only = [doc for doc in dense_only if mask[doc]]
                    ranked = [(doc, score) for doc, score in ranked if mask[doc]]
                total += len(dense_only)
                if dense_only:  # the facets count what the list shows
                    matched_mask = matched_mask.copy()
                    matched_mask[dense_only] = True
            best, ranked = ranked[:1], ranked[first:first + request.per_page]
        stored = [(stored_of[docnum], score) for docnum, score in ranked]
        # the first answer of page 1 decides for every page (page 2 of a sure search is as sure); a
        # first answer the words did not find at all is near the question's topic, never sure of it
        confident = parsed.query is None or bool(best) and best[0][0] not in dense_only and sure(
            parsed, stored_of[best[0][0]], lexicon, similarity.get(best[0][0], 0.0))
        hits = [make_hit(fields, score, parsed, self.segmenter) for fields, score in stored]
        return SearchResponse(request, parsed.text, total, hits, table.count(matched_mask),
                              confident=confident,
                              semantic=bool(similarity), highlight_terms=parsed.highlight_terms)

    def _found(self, searcher, parsed: ParsedQuery, allowed: set[int],
               mask: np.ndarray) -> tuple[Scores | None, set[int], np.ndarray]:
        """What the words find among the `allowed` documents (`mask`: a boolean per document
        number): their scores (None when there are no words, and everything allowed is
        found), the documents found and their mask."""
        if parsed.query is None:
            return None, allowed, mask
        scores = score_query(searcher, parsed.query, self.lengths, self.postings)
        if parsed.boosts is not None:  # they rank what the words found, they find nothing
            scores.score += np.where(scores.matched,
                                     score_query(searcher, parsed.boosts, self.lengths, self.postings).score, 0.0)
        matched_mask = scores.matched & mask
        return scores, set(np.flatnonzero(matched_mask).tolist()), matched_mask

    def _listed(self, searcher, matched: set[int], request: SearchRequest, views: Mapping[str, int] | None,
                first: int) -> list[tuple[int, float]]:
        """The page of `matched` that starts at `first`, in the order the reader chose (newest
        first unless another list order was asked)."""
        order_of = self.pool.per_version("list-order", searcher, lambda *_: ListOrder(searcher.reader()))
        ordered = order_of.ordered(matched, request.sort if request.sort in LIST_SORTS else "newest", views,
                                   limit=first + request.per_page)
        return [(doc, 0.0) for doc in ordered[first:]]

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
        matrix = self.readable_vectors(searcher) if question is not None else None
        if matrix is None:
            return {}
        return dict(matrix.nearest(question.result(), allowed, depth))

    def visibility(self, searcher, include_drafts: bool) -> Visibility:
        """The documents a role may see, whatever the reader's own filters (for suggestions),
        with the words found in them; one per index version and role."""
        table = self.facet_table(searcher)  # outside per_version: its lock is not re-entrant
        return self.pool.per_version(f"visible-{include_drafts}", searcher, lambda *_: Visibility(
            table.filter_docs(searcher, ("status", include_drafts), status_filter(include_drafts))))

    def _allowed(self, searcher, request: SearchRequest) -> tuple[set[int], np.ndarray]:
        """The documents the reader's filters and role allow, and their mask (facets.py)."""
        return self.facet_table(searcher).allowed(searcher, filter_key(request), request_filter(request))


def _suggestion(typed: ParsedQuery, fixes: list[Correction], lexicon: Lexicon, as_typed: str) -> str | None:
    """The question as the reader is offered it: the corrections in place, and the question words
    typed without their mark put right with them (none when there is nothing to correct)."""
    if not fixes:
        return None
    return corrected_text(typed.words, respelt_question_words(typed.words, fixes, lexicon), typed.text, as_typed)
