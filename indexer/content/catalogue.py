"""Every asset of the knowledge folder in memory, re-parsed only when its file changes.

Reports need all assets on each request. Parsing costs about 2 ms a file, so a
fresh `load_folder` would take seconds at 10,000 files; a stat per file costs
microseconds. The cache key is (mtime_ns, size, inode) of each file: an atomic rewrite
changes the inode even within one timestamp tick.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .asset import Asset, Problem
from .loader import AssetInvalid, LoadReport, iter_asset_files, load_asset, unforeseen_problem
from .slugs import SlugClaims
from .sources import path_namer
from .vocabulary import Vocabulary


class AssetCatalogue:
    """Loads the knowledge folder like `load_folder`, reusing unchanged files' parsed assets."""

    def __init__(self, knowledge_dir: Path, vocab: Vocabulary):
        self.knowledge_dir = Path(knowledge_dir)
        self.vocab = vocab
        self._cache: dict[str, tuple[tuple[int, int, int], Asset | None, tuple[Problem, ...]]] = {}
        self._lock = threading.Lock()

    def load(self) -> LoadReport:
        """Return every valid asset and every problem, as `load_folder` would."""
        with self._lock:
            fresh: dict[str, tuple[tuple[int, int, int], Asset | None, tuple[Problem, ...]]] = {}
            name = path_namer(self.knowledge_dir)
            for path in iter_asset_files(self.knowledge_dir):
                rel = name(path)
                fresh[rel] = self._entry(path, rel)
            self._cache = fresh
        return _report(fresh.values())

    def assets(self) -> list[Asset]:
        """Just the valid assets."""
        return self.load().assets

    def _entry(self, path: Path, rel: str) -> tuple[tuple[int, int, int], Asset | None, tuple[Problem, ...]]:
        try:
            stat = path.stat()
        except OSError:  # removed between listing and stat, a loop of links…: reading it says why
            stat = None
        key = (stat.st_mtime_ns, stat.st_size, stat.st_ino) if stat else (0, -1, 0)
        cached = self._cache.get(rel)
        if cached is not None and cached[0] == key and stat is not None:
            return cached
        try:
            asset = load_asset(path, self.knowledge_dir, self.vocab)
        except AssetInvalid as exc:
            return key, None, tuple(exc.problems)
        except Exception as exc:  # noqa: BLE001 - one file's problem, as in load_folder: never every report's
            return key, None, (unforeseen_problem(rel, exc),)
        return key, asset, asset.warnings


def _report(entries) -> LoadReport:
    report = LoadReport()
    slugs = SlugClaims()
    for _key, asset, problems in entries:
        report.problems.extend(problems)
        if asset is None:
            continue
        kept, said = slugs.admit(asset)
        report.problems.extend(said)
        if kept:
            report.assets.append(asset)
    return report
