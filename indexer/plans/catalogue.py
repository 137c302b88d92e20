"""The KM folder in memory for the site and the CLI; files re-read only when they change."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from ..content.asset import Asset, Problem
from ..content.vocabulary import Vocabulary
from .config import PlanVocabulary
from .crossref import KmRecords, cross_check
from .loader import KmFiles, km_rel, parse_km_text, read_km_folder


class KmCatalogue:
    """Loads knowledge/_km/ like `load_km`, reusing the parse of unchanged files (a stat each)."""

    def __init__(self, knowledge_dir: Path, vocab: Vocabulary, plan_vocab: PlanVocabulary):
        self.knowledge_dir = Path(knowledge_dir)
        self.vocab = vocab
        self.plan_vocab = plan_vocab
        self._cache: dict = {}
        self._lock = threading.Lock()
        self._checked: tuple[tuple, KmRecords] | None = None

    def load(self, assets: Iterable[Asset] | None = None) -> KmRecords:
        """Every valid record and every problem; `assets` lets slugs and owners be checked too.

        Without assets (what most pages need) the checked records are kept until a file
        changes, so a page costs one stat per KM file.
        """
        with self._lock:
            files = read_km_folder(self.knowledge_dir, self.vocab, self.plan_vocab, self._cache)
            signature = tuple(sorted((path, entry[0]) for path, entry in self._cache.items()))
            if assets is None and self._checked is not None and self._checked[0] == signature:
                return self._checked[1]
        records = cross_check(files, assets)
        if assets is None:
            with self._lock:
                self._checked = (signature, records)
        return records


def load_km(knowledge_dir: Path, vocab: Vocabulary, plan_vocab: PlanVocabulary,
            assets: Iterable[Asset] | None = None) -> KmRecords:
    """Read and check the whole KM folder once (what `python -m indexer check` does)."""
    return cross_check(read_km_folder(knowledge_dir, vocab, plan_vocab), assets)


def km_text_warnings(kind: str, key: str, text: str, vocab: Vocabulary,
                     plan_vocab: PlanVocabulary) -> tuple[Problem, ...]:
    """The warnings of one KM file's own fields (a misspelt field, a date ahead): a save goes
    through with them, so the one who saved is told at once, not only by `check`."""
    return tuple(p for p in parse_km_text(kind, key, text, vocab, plan_vocab)[1] if p.severity == "warning")


def check_km_text(kind: str, key: str, text: str, records: KmRecords, vocab: Vocabulary,
                  plan_vocab: PlanVocabulary, assets: Iterable[Asset] | None = None) -> tuple[Problem, ...]:
    """The errors the text of one KM file would have if it replaced the file `kind`/`key` now.

    The same checks as files on disk: the schema, then the rules across files with
    the other records as they are (an event must name an activity of its plan…).
    """
    record, problems = parse_km_text(kind, key, text, vocab, plan_vocab)
    errors = tuple(p for p in problems if p.severity == "error")
    if record is None or errors:
        return errors
    rel = km_rel(kind, key)
    files = _files_without(records, kind, key)
    if kind == "plan":
        files.plans.append(record)
    elif kind == "event":
        files.events.append(record)
    elif kind == "person":
        files.people.append(record)
    elif kind == "needs":
        files.needs.append(record)
    else:
        files.surveys = list(record)
    checked = cross_check(files, assets)
    return tuple(p for p in checked.problems if p.severity == "error" and p.path == rel)


def _files_without(records: KmRecords, kind: str, key: str) -> KmFiles:
    return KmFiles(
        plans=[p for p in records.plans if not (kind == "plan" and p.key == key)],
        events=[e for e in records.events if not (kind == "event" and e.key == key)],
        people=[p for p in records.people.people if not (kind == "person" and p.key == key)],
        needs=[n for n in records.needs if not (kind == "needs" and n.key == key)],
        surveys=[] if kind == "surveys" else list(records.surveys),
    )
