"""KnowledgeBase: the one object the CLI and the site use to reach assets and the index."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from .content.asset import Asset, Problem
from .content.loader import MAX_SLUG_CHARS, SLUG_PATTERN, AssetInvalid, LoadReport, load_asset, load_folder
from .content.vocabulary import Vocabulary, load_vocabulary
from .errors import IndexUnavailable
from .index.analyser import Analyser
from .index.store import BuildReport, IndexStore
from .search.engine import SearchEngine
from .search.highlight import highlight_terms, mark_html
from .search.informal import informal_words, loanwords, person_names
from .search.known import common_short_words, english_words, long_dictionary_words
from .search.query import stopwords
from .search.requests import Hit, SearchRequest, SearchResponse
from .search.suggest import DEFAULT_LIMIT, Suggester, Suggestion
from .semantic.index import SemanticSearch
from .settings import Settings
from .thai.glossary import Glossary, load_glossary
from .thai.segment import Segmenter

log = logging.getLogger(__name__)


class KnowledgeBase:
    """Assets on disk plus the search index built from them."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.vocab: Vocabulary = load_vocabulary(settings.vocabulary_file)
        self.glossary: Glossary = load_glossary(settings.glossary_file)
        self.segmenter = Segmenter(self.glossary.dictionary_words + loanwords())
        # the words the segmenter keeps whole come from the glossary and the loanwords, and the
        # vocabulary decides which files are valid: an index made with other ones is rebuilt
        self.store = IndexStore(settings.index_dir, f"{self.glossary.fingerprint}:{words_digest(loanwords())}"
                                                    f":{self.vocab.terms_digest}")
        self.semantic = SemanticSearch(settings.index_dir, enabled=settings.semantic, pinned=self._pinned_searcher)
        self._searches = 0  # running now, in this process
        self._searching_lock = threading.Lock()

    @cached_property
    def engine(self) -> SearchEngine:
        return SearchEngine(self.store, self.segmenter, self.glossary, self.semantic)

    @cached_property
    def suggester(self) -> Suggester:
        return Suggester(self.engine)

    def load_language_data(self) -> None:
        """Read the segmentation dictionary and the speller's word list now, not on the first
        search that needs them (the site does it before gunicorn forks its workers)."""
        _ = self.segmenter.trie
        common_short_words()
        english_words()
        long_dictionary_words()
        informal_words()
        person_names()
        stopwords()

    def close(self) -> None:
        """Close the open searchers (their index files) and the vectors file."""
        if "engine" in self.__dict__:
            self.engine.close()
        self.semantic.close()

    def encode_passages(self, progress=None, waiting=None, wait: bool = True) -> dict | None:
        """Encode the passages of the live index that have no vector yet (semantic search);
        `waiting` is called once if another process is encoding and this one waits its turn
        (None without `wait`: see SemanticSearch.encode_missing)."""
        if not self.semantic.enabled:
            return {"passages": 0, "encoded": 0, "seconds": 0.0, "passages_per_s": None, "dropped": 0}
        searcher, lease = self.store.open_searcher()
        try:
            return self.semantic.encode_missing(searcher, progress, waiting, wait)
        finally:
            searcher.close()
            lease.release()

    @contextmanager
    def _pinned_searcher(self, timeout: float) -> Iterator:
        """A searcher on the live build, which no save or build can replace while it is open
        (the write lock is held: keep it short)."""
        with self.store.write_lock(timeout):
            searcher, lease = self.store.open_searcher()
            try:
                yield searcher
            finally:
                searcher.close()
                lease.release()

    def _vectors_later(self) -> None:
        self.semantic.schedule(self.store.open_searcher)

    def start_semantic(self) -> None:
        """Encode missing passages in the background, once per process (after the site's first request)."""
        self.semantic.start(self.store.open_searcher)

    def _analyser(self) -> Analyser:
        return Analyser(self.settings.knowledge_dir, self.vocab, self.segmenter, self.settings.build_workers,
                        self.text_cache)

    @property
    def text_cache(self) -> Path:
        """Where the text extracted from attachments is kept, by file hash (rebuildable)."""
        return self.settings.instance_dir / "attachment-text"

    # -- index lifecycle ----------------------------------------------------------------
    def build(self, progress=None) -> BuildReport:
        """Rebuild the whole index from the Markdown files and swap it in atomically."""
        report = self.store.build(self.settings.knowledge_dir, self._analyser(), progress)
        self._vectors_later()
        return report

    def drop_earlier_builds(self) -> int:
        """Delete the earlier builds nobody reads (after erasing text, its words stay in them);
        return how many are still read by a process and so kept until it lets go."""
        return self.store.drop_earlier_builds()

    def update(self, only: list[Path] | None = None, pause: Callable[[], None] | None = None) -> BuildReport:
        """Re-index added, changed and removed files (or only the given paths). `pause` is
        called every few hundred files while looking for changes (the site's watcher waits
        there for this process's searches: see `searching`)."""
        report = self.store.update(self.settings.knowledge_dir, self._analyser(), only, pause)
        if report.indexed or report.removed:
            self._vectors_later()
        return report

    def ensure_index(self) -> BuildReport | None:
        """Build the index when it is missing, damaged, or was built with another glossary.

        Every process of the site may find the damage at once (each worker's watcher, each
        request that failed on it): the first takes the rebuild lock and rebuilds, the others
        wait for it and find the index whole, so it is rebuilt once, not once per worker.
        """
        if self.store.is_compatible():
            return None
        with self.store.rebuild_lock():
            if self.store.diagnose() is None:
                log.info("search index at %s was rebuilt by another process", self.settings.index_dir)
                return None
            log.warning("search index at %s is missing or out of date: rebuilding from %s",
                        self.settings.index_dir, self.settings.knowledge_dir)
            report = self.build()
        log.warning("search index rebuilt: %d assets in %.1f s, %d files skipped",
                    report.indexed, report.seconds, report.skipped)
        return report

    def check(self) -> LoadReport:
        """Validate every file without touching the index."""
        return load_folder(self.settings.knowledge_dir, self.vocab)

    def across_files(self, assets, records) -> list[Problem]:
        """The warnings no one file's check gives, as of today: dates after today (of `assets` and the
        KM `records`) and links readers cannot follow. `python -m indexer check` and the team's status
        page list the same, with each file's own warnings (`shown_warnings`, kept by the index)."""
        from . import dates
        from .content.links import broken_links
        from .plans import dated_ahead

        assets = list(assets)
        return dated_ahead(assets, records, dates.today(), self.vocab) + broken_links(assets)

    def shown_warnings(self, assets) -> list[Problem]:
        """Each asset's warnings about what its readers see (pictures without a description, personal
        data in it or its attachments), read now: what a build or update keeps with each file."""
        from .content.shown import shown_warnings

        return [p for asset in assets
                for p in shown_warnings(asset, self.settings.knowledge_dir, self.text_cache)]

    def problems(self) -> list[Problem]:
        """Problems recorded by the last build or update (files skipped and why)."""
        try:
            return sorted(self.store.read_state().problems, key=lambda p: (p.path, p.line or 0))
        except IndexUnavailable:
            return []

    # -- reading ------------------------------------------------------------------------------
    def search(self, request: SearchRequest, views: Mapping[str, int] | None = None) -> SearchResponse:
        """Search or list; `views` (slug → count) orders a "views" sort (see search/ordering.py)."""
        with self._searching_lock:
            self._searches += 1
        try:
            return self.engine.search(request, views)
        finally:
            with self._searching_lock:
                self._searches -= 1

    @property
    def searching(self) -> bool:
        """Whether a search of this process is running now."""
        return self._searches > 0

    def start_suggestions(self) -> None:
        """Make the suggestion tables in the background, once per process (after the site's first request)."""
        self.suggester.start_warming()

    def suggest(self, typed: str, people=(), limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
        """Suggestions for a search box: published titles, tags, `people` (Person) and index words."""
        return self.suggester.suggest(typed, people, limit)

    def highlight(self, html: str, query: str, as_typed: bool = False) -> str:
        """`html` (sanitised) with the words a search for `query` finds wrapped in <mark>."""
        return mark_html(html, highlight_terms(self.engine, query, as_typed), self.segmenter.word_bounds)

    def asset_path(self, slug: str) -> Path | None:
        """Find the file of an indexed asset; the slug is checked, never used as a path."""
        if not slug or not SLUG_PATTERN.match(slug) or len(slug) > MAX_SLUG_CHARS:
            return None
        try:
            state = self.store.read_state()
        except IndexUnavailable:
            return None
        rel = state.slug_owner(slug)
        if rel is None:
            return None
        path = (self.settings.knowledge_dir / rel).resolve()
        if not path.is_relative_to(self.settings.knowledge_dir) or not path.is_file():
            return None
        return path

    def asset(self, slug: str) -> Asset | None:
        """Read an asset fresh from its file (the file is the source of truth)."""
        path = self.asset_path(slug)
        if path is None:
            return None
        try:
            return load_asset(path, self.settings.knowledge_dir, self.vocab)
        except AssetInvalid as exc:
            log.warning("asset %s is invalid: %s", slug, exc)
            return None

    def related(self, asset: Asset, limit: int = 5) -> list[Hit]:
        """Assets nearest in meaning (semantic vectors), or sharing title words and tags."""
        return self.engine.related(asset.slug, " ".join([asset.title, *asset.tags]), limit)

    def overview(self) -> SearchResponse:
        """Everything published, newest first, with facet counts over the whole repository."""
        return self.search(SearchRequest(sort="newest", per_page=8))


def words_digest(words: tuple[str, ...]) -> str:
    """A short digest of a word list, for the index's fingerprint."""
    return hashlib.sha256("\n".join(words).encode("utf-8")).hexdigest()[:8]
