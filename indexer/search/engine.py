"""Searching the index: filters, facets, sorting, pagination, snippets and did-you-mean."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import weakref
from dataclasses import replace
from typing import Callable

from whoosh import query as Q
from whoosh import sorting

from .facets import FacetTable, leaf_readers
from ..thai.glossary import Glossary
from .lexicon import FIELDS as LEXICON_FIELDS
from .lexicon import Lexicon, edit_distance
from .lexicon import units as lexicon_units
from .phrases import phrase_bonus
from .query import ParsedQuery, parse_query, stopwords
from .requests import Hit, SearchRequest, SearchResponse
from .snippets import attachment_match, make_snippet
from ..index.store import IndexStore
from ..thai.text import Segmenter, is_thai
from .visibility import Visibility, status_filter

RERANK_DEPTH = 50  # candidates taken from the word query
PHRASE_DEPTH = 20  # of them, those whose text is checked for phrase bonuses (30 gave the same MRR, 9 % slower)
PHRASE_TITLE_WEIGHT = 12.0
PHRASE_BODY_WEIGHT = 3.0


class SearchEngine:
    """Answers searches from the live index; one searcher per thread, reopened when stale."""

    def __init__(self, store: IndexStore, segmenter: Segmenter, glossary: Glossary):
        self.store = store
        self.segmenter = segmenter
        self.glossary = glossary
        self._local = threading.local()
        self._lexicon_lock = threading.Lock()
        self._lexicon: Lexicon | None = None
        self._lexicon_key: tuple | None = None
        self._facets: FacetTable | None = None
        self._facets_key: tuple | None = None
        self._visible: dict[tuple, Visibility] = {}  # per index version and role
        # Every open searcher, whichever thread opened it, so close() (or the garbage
        # collector, through the finalizer) closes their files.
        self._open: dict[int, object] = {}
        weakref.finalize(self, _close_all, self._open)

    # -- searcher lifecycle ----------------------------------------------------------
    def searcher(self):
        """Return this thread's searcher, reopened if the index was swapped or updated."""
        local = self._local
        target = os.readlink(self.store.current_link) if self.store.current_link.is_symlink() else None
        current = getattr(local, "searcher", None)
        if current is not None and local.target == target and local.pid == os.getpid() and current.up_to_date():
            return current
        # Never Searcher.refresh(): whoosh3 3.54 re-adds the old reader's segments to the
        # new one's (index.py, FileIndex._reader with reuse), so merged-away segments whose
        # files are gone come back; opening afresh costs a few milliseconds.
        if current is not None:
            self._open.pop(id(current), None)
            local.searcher = None  # never hand out a closed searcher, even if reopening fails
            current.close()
        local.target, local.pid = target, os.getpid()
        return self._keep(self.store.open().searcher())

    def _keep(self, new):
        self._open[id(new)] = new
        self._local.searcher = new
        return new

    def lexicon(self, searcher) -> Lexicon:
        """The in-memory lexicon of the index version `searcher` reads, shared by all threads."""
        key = _version_key(searcher, getattr(self._local, "target", None))
        with self._lexicon_lock:
            if self._lexicon_key != key or self._lexicon is None:
                added = _added_segments(self._lexicon_key, key, searcher) if self._lexicon is not None else None
                if added is not None:
                    self._lexicon = self._lexicon.extended(searcher.reader(), added, self._document_frequency)
                else:
                    self._lexicon = Lexicon(searcher.reader(), self._document_frequency)
                self._lexicon_key = key
            return self._lexicon

    def _document_frequency(self, word: str) -> int:
        # this thread's current searcher, never self.searcher(): that may reopen it and
        # close the readers of a search still in progress in this thread
        current = getattr(self._local, "searcher", None)
        reader = (current if current is not None and not current.is_closed else self.searcher()).reader()
        return sum(reader.doc_frequency(name, word) for name in LEXICON_FIELDS)

    def close(self) -> None:
        """Close every searcher this engine opened (in any thread)."""
        _close_all(self._open)
        self._local = threading.local()

    # -- search ------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResponse:
        """Run a search; a query with a likely typo is answered for its correction.

        A suggestion exists only when a word is unknown to the index, not even as
        part of a compound, which is a strong sign of a typo: the corrected query
        runs first and the page says so (with a link to search as typed); the
        words as typed run only if the correction finds nothing.
        """
        searcher = self.searcher()
        lexicon = self.lexicon(searcher)
        parsed = parse_query(request.q, self.segmenter, self.glossary, lexicon)
        visible = self.visibility(searcher, request.include_drafts)
        suggestion = self.suggest(parsed, searcher, visible) if parsed.query is not None and visible else None
        if suggestion and request.autocorrect:
            corrected = self._run(searcher, request, parse_query(suggestion, self.segmenter, self.glossary, lexicon))
            if corrected.total:
                return replace(corrected, suggestion=suggestion, corrected_from=parsed.text, request=request)
        return replace(self._run(searcher, request, parsed), suggestion=suggestion)

    def _run(self, searcher, request: SearchRequest, parsed: ParsedQuery) -> SearchResponse:
        table = self.facet_table(searcher)
        allowed = table.filter_docs(searcher, _filter_key(request), self._filter(request))
        if not allowed:  # never hand Whoosh an empty filter: it reads `filter=set()` as no filter at all
            return SearchResponse(request, parsed.text, 0, [], table.count([]), truncated=len(request.q or "") > 200,
                                  highlight_terms=parsed.highlight_terms)
        matched = allowed if parsed.query is None else allowed.intersection(searcher.docs_for_query(parsed.query))
        first = (request.page - 1) * request.per_page
        if request.sort == "newest" or parsed.query is None:
            order = [sorting.FieldFacet("newest", reverse=True), sorting.FieldFacet("slug")]
            results = searcher.search(parsed.query or Q.Every(), limit=first + request.per_page,
                                      filter=allowed, sortedby=order, terms=False)
            ranked = [(hit.docnum, 0.0) for hit in results[first:first + request.per_page]]
        else:
            ranked = self._ranked(searcher, parsed, allowed, self._narrowing(request), first, request.per_page)
        hits = [self._hit(searcher.stored_fields(docnum), score, parsed) for docnum, score in ranked]
        return SearchResponse(request, parsed.text, len(matched), hits, table.count(matched),
                              truncated=len(request.q or "") > 200, highlight_terms=parsed.highlight_terms)

    @staticmethod
    def _ranked(searcher, parsed: ParsedQuery, allowed: set[int], narrow: Q.Query | None, first: int,
                per_page: int) -> list[tuple[int, float]]:
        """Rank in two steps: the words pick the top candidates (Whoosh can skip blocks of
        low-scoring documents when no phrase is in the query), then the top 20 earn
        phrase bonuses checked in their text (see phrases.py). A document outside the
        word query's top 50 cannot be lifted by a phrase; that is the price of speed."""
        depth = max(first + per_page, RERANK_DEPTH)
        words = parsed.query
        if narrow is not None:  # the filter inside the query: an intersection skips to allowed documents
            words = Q.And([words, Q.ConstantScoreQuery(narrow, 0.0)])
        scores = {hit.docnum: hit.score for hit in searcher.search(words, limit=depth, filter=allowed,
                                                                   terms=False)}
        if parsed.phrases:
            for doc in list(scores)[:PHRASE_DEPTH]:
                fields = searcher.stored_fields(doc)
                scores[doc] += phrase_bonus((fields.get("meta") or {}).get("title", ""), fields.get("text", ""),
                                            parsed.phrases, PHRASE_TITLE_WEIGHT, PHRASE_BODY_WEIGHT)
        order = sorted(scores, key=lambda doc: (-scores[doc], doc))
        return [(doc, scores[doc]) for doc in order[first:first + per_page]]

    def facet_table(self, searcher) -> FacetTable:
        """Facet columns of the index version `searcher` reads, shared by all threads."""
        key = _version_key(searcher, getattr(self._local, "target", None))
        with self._lexicon_lock:
            if self._facets_key != key or self._facets is None:
                self._facets = FacetTable(searcher.reader())
                self._facets_key = key
            return self._facets

    @staticmethod
    def _narrowing(request: SearchRequest) -> Q.Query | None:
        """The reader's own filters (department, stage, type, tag, year), if any."""
        terms = [Q.Term(name, value) for name, value in
                 (("department", request.department), ("km_stage", request.km_stage),
                  ("asset_type", request.asset_type), ("tags", request.tag),
                  ("fy", str(request.fy) if request.fy else None)) if value]
        return (Q.And(terms) if len(terms) > 1 else terms[0]) if terms else None

    def visibility(self, searcher, include_drafts: bool) -> Visibility:
        """The documents a role may see, whatever the reader's own filters (for suggestions)."""
        key = (_version_key(searcher, getattr(self._local, "target", None)), include_drafts)
        found = self._visible.get(key)
        if found is None:
            table = self.facet_table(searcher)
            found = Visibility(table.filter_docs(searcher, ("status", include_drafts), status_filter(include_drafts)))
            with self._lexicon_lock:
                if len(self._visible) >= 4:  # two roles of the current version, two of the last
                    self._visible.clear()
                self._visible[key] = found
        return found

    @classmethod
    def _filter(cls, request: SearchRequest) -> Q.Query:
        """The reader's filters plus what their role may see (drafts for the KM team)."""
        status = status_filter(request.include_drafts)
        narrow = cls._narrowing(request)
        return status if narrow is None else Q.And([narrow, status])

    @staticmethod
    def _hit(fields: dict, score: float, parsed: ParsedQuery) -> Hit:
        meta = fields.get("meta") or {}
        snippet = make_snippet(fields.get("text", ""), parsed.highlight_terms, meta.get("summary", ""))
        in_files = attachment_match(fields.get("files"), parsed.highlight_terms, snippet, meta.get("title", ""),
                                    meta.get("summary", ""), meta.get("tags", ()))
        return Hit(
            slug=fields["slug"], title=meta.get("title", fields["slug"]), path=fields["path"],
            department=fields.get("department", ""), km_stage=fields.get("km_stage", ""),
            asset_type=fields.get("asset_type", ""), knowledge_type=fields.get("knowledge_type", ""),
            status=fields.get("status", "published"),
            tags=tuple(meta.get("tags", ())), summary=meta.get("summary", ""), owner=meta.get("owner", ""),
            published=_date(meta.get("published")), updated=_date(meta.get("updated")),
            snippet=snippet, score=_score(score), in_attachments=in_files,
        )

    # -- did you mean -----------------------------------------------------------------
    def suggest(self, parsed: ParsedQuery, searcher=None, visible: Visibility | None = None) -> str | None:
        """Propose a correction for words the index has never seen ("ลาปวย" → "ลาป่วย"),
        and for runs of one-cluster fragments, the mark of a typo that split a word
        (พยาบาน → พ + ยา + บาน, each of which a large index may well contain).

        Only words that `visible` documents hold count as known or are proposed, so a
        reader is never offered (nor told of) a word that only a draft contains."""
        searcher = searcher or self.searcher()
        lexicon = self.lexicon(searcher)
        visible = visible if visible is not None else self.visibility(searcher, include_drafts=True)
        words = list(parsed.words)
        out: list[str] = []
        changed = False
        i = 0
        while i < len(words):
            fragment = _in_fragment_run(words, i)
            if not fragment and self._known(searcher, words[i], visible):
                out.append(words[i])
                i += 1
                continue
            fix = _correct(lexicon, words, i, out, lambda word: visible.has_word(searcher, word),
                           min_frequency=2 if fragment else 1)
            if fix is None:
                out.append(words[i])
                i += 1
                continue
            start, end, replacement = fix
            del out[len(out) - (i - start):]  # the fix may swallow the previous word
            out.append(replacement)
            changed = True
            i = end
        if not changed:
            return None
        return _join(out)

    def _known(self, searcher, word: str, visible: Visibility) -> bool:
        """A word is known when a visible document has it as a word or as part of a compound,
        or the glossary has synonyms for it."""
        if (word in stopwords() and len(word) > 1) or self.glossary.synonyms_of(word):
            return True  # a glossary word is found through its synonyms (พรบ → พ.ร.บ.)
        lexicon = self.lexicon(searcher)  # every word of the title, heading, tag and body fields
        if word in lexicon and visible.has_word(searcher, word):
            return True
        return is_thai(word) and len(word) >= 2 and visible.any_word(searcher, lexicon.containing(word, limit=KNOWN_COMPOUNDS))


KNOWN_COMPOUNDS = 8  # compounds of a typed part checked for one a reader may see


def _correct(lexicon: Lexicon, words: list[str], i: int, out: list[str], visible: Callable[[str], bool],
             min_frequency: int = 1) -> tuple[int, int, str] | None:
    """The best correction of the unknown word at `i`, possibly joined with its neighbours
    (a typo often splits one word in two: "ลาปวย" → ลาป + วย)."""
    best = None
    starts = [i - 1, i] if i > 0 and is_thai(words[i - 1]) and out and out[-1] == words[i - 1] else [i]
    for start in starts:
        for end in range(i + 1, min(len(words), i + 3) + 1):
            joined = "".join(words[start:end])
            if len(joined) < 3:
                continue
            maxdist = 1 if len(joined) < 7 else 2
            for cand in lexicon.corrections(joined, maxdist)[:5]:
                if lexicon.frequency(cand) < min_frequency or not visible(cand):
                    continue
                key = (edit_distance(joined, cand), -(end - start), -lexicon.frequency(cand))
                if best is None or key < best[0]:
                    best = (key, start, end, cand)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _join(words: list[str]) -> str:
    text = ""
    for word in words:
        if text and not (is_thai(word) and is_thai(text[-1])):
            text += " "
        text += word
    return text


SMALL_UPDATE_DOCS = 2000  # new segments up to this size extend the lexicon instead of rebuilding it


def _added_segments(old_key: tuple | None, new_key: tuple, searcher) -> list | None:
    """The leaf readers of segments that are new since `old_key`, when they are few and small
    (an update in the same build); None when the lexicon should be rebuilt from scratch."""
    if old_key is None or old_key[0] != new_key[0]:
        return None
    old_ids = {segment_id for segment_id, _ in old_key[1]}
    added = [leaf for leaf, _ in leaf_readers(searcher.reader()) if leaf.segment().segment_id() not in old_ids]
    if sum(leaf.doc_count_all() for leaf in added) > SMALL_UPDATE_DOCS:
        return None  # a merge rewrote a big segment: rebuild
    return added


def _in_fragment_run(words: list[str], i: int) -> bool:
    """True when words[i] and a Thai neighbour are both single character clusters."""
    def single(j: int) -> bool:
        return 0 <= j < len(words) and is_thai(words[j]) and len(lexicon_units(words[j])) == 1
    return single(i) and (single(i - 1) or single(i + 1))


def _version_key(searcher, target: str | None) -> tuple:
    """What identifies the index version a searcher reads: its build and its segments.

    (Whoosh's reader.generation() is not enough: a reused segment reader keeps
    reporting the generation it was opened at.)
    """
    return target, tuple((leaf.segment().segment_id(), leaf.doc_count_all())
                         for leaf, _ in leaf_readers(searcher.reader()))


def _close_all(searchers: dict[int, object]) -> None:
    for searcher in list(searchers.values()):
        try:
            searcher.close()
        except Exception as exc:  # a half-closed searcher must not stop the others closing
            logging.getLogger(__name__).debug("closing a searcher failed: %s", exc)
    searchers.clear()


def _filter_key(request: SearchRequest) -> tuple:
    return (request.department, request.km_stage, request.asset_type, request.tag, request.fy, request.include_drafts)


def _score(score) -> float:
    """Relevance score; sorted searches report a sort key instead, shown as 0."""
    return round(float(score), 4) if isinstance(score, (int, float)) else 0.0


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
