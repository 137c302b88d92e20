"""What a build records in its state.json: the asset files it was built from (with their
problems) and an inventory of its own Whoosh files, by which damage is found."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..content.asset import Problem
from ..content.slugs import duplicate_slug
from ..files import atomic_write_text
from .documents import Analysed
from .layout import READERS_FILE, STATE_FILE, WHOOSH_LOCK

# Bump when the schema, a pickled field class, what documents hold or this file's format changes
# (11: copy-on-write builds and text from rendered Markdown, both new since 9; 12: attachment texts
# stored in `files`, from which the engine tells which attachment holds the words, the list_key
# column and meta.title_starts; 13: word_ends, where the words of the text end, for snippets;
# 14: the segmenter's dictionary lost บอ, so บอกว่า is cut anew: an older index must be rebuilt;
# 15: refs_text, the evidence numbers of the asset's dissemination records, numbers looked up in;
# 16: ๆ is read as a space, so ต่าง ๆ and ต่างๆ are ต่าง: an older index holds them as words;
# 17: the segmenter's dictionary lost นคะ, มละ and five more, so ตารางเมตรละ is cut anew;
# 18: it keeps the loanwords of data/informal.yaml whole, so คิวอาร์โค้ด is one word;
# 19: meta.refs, the dissemination evidence numbers, which rank the asset they went out with first;
# 20: a run of 100 characters or more with no Thai and no space is cut into pieces (segment.guarded);
# 21: a file refused for another's slug records it as `wants`, to be admitted when the slug is free;
# 22: a file's problems hold its shown_warnings, pictures without a description and personal data).
SCHEMA_VERSION = 22
# (9: field classes moved to indexer.index.schema; 10: builds carry readers.lock and an inventory)


@dataclass
class IndexState:
    """What the index was built from: one entry per file, problems included, and the build's
    own files as {name: [size, mtime_ns]} as they were when the build was written."""

    fingerprint: str
    files: dict[str, dict] = field(default_factory=dict)  # path -> {signature, slug, problems[, wants]}
    inventory: dict[str, list[int]] = field(default_factory=dict)
    _slugs: dict[str, str] = field(default_factory=dict, repr=False)  # slug -> path
    displaced: list[str] = field(default_factory=list, repr=False)  # owners that lost their slug in this run

    def __post_init__(self) -> None:
        for path, entry in self.files.items():
            if entry.get("slug"):
                self._slugs.setdefault(entry["slug"], path)

    @property
    def problems(self) -> list[Problem]:
        return [Problem(**p) for entry in self.files.values() for p in entry.get("problems", [])]

    def slug_owner(self, slug: str) -> str | None:
        return self._slugs.get(slug)

    def record(self, result: Analysed) -> None:
        self.forget(result.path)
        self.files[result.path] = {"signature": result.signature, "slug": result.slug,
                                   "problems": [p.as_dict() for p in result.problems]}
        if result.slug:
            self._slugs.setdefault(result.slug, result.path)

    def forget(self, path: str) -> None:
        entry = self.files.pop(path, None)
        if entry and entry.get("slug") and self._slugs.get(entry["slug"]) == path:
            del self._slugs[entry["slug"]]

    def admit(self, result: Analysed) -> Analysed:
        """Record `result`, refused with a problem if a file listed before it has its slug.

        The rule is the loader's and the reports' catalogue's (content.slugs): the first file in
        listing order owns a slug. A full build reads in that order; an update may bring a file
        listed before the owner, which then takes the slug: the owner is refused and its path
        put in `displaced`, for the caller to take its document out of the index.
        """
        owner = self.slug_owner(result.slug) if result.slug else None
        if owner is not None and owner != result.path:
            if listing_key(result.path) > listing_key(owner):
                problem = duplicate_slug(result.path, result.slug, owner)
                refused = Analysed(result.path, result.signature, None, None, result.problems + (problem,))
                self.record(refused)
                self.files[result.path]["wants"] = result.slug
                return refused
            self._refuse(owner, result.slug, result.path)
        self.record(result)
        return result

    def _refuse(self, owner: str, slug: str, claimant: str) -> None:
        """Take `slug` from the file `owner`, which `claimant`, listed before it, now has."""
        entry = self.files[owner]
        entry["problems"].append(duplicate_slug(owner, slug, claimant).as_dict())
        entry["slug"], entry["wants"] = None, slug
        del self._slugs[slug]
        self.displaced.append(owner)

    def waiting(self) -> list[str]:
        """Files refused for a slug that no file owns any more (its owner was removed, renamed or
        broke), in listing order: to be analysed again, so the next in line is indexed."""
        return sorted((path for path, entry in self.files.items()
                       if entry.get("wants") and entry["wants"] not in self._slugs), key=listing_key)


def listing_key(path: str) -> tuple:
    """Where `path` (relative, with /) comes in the order files are listed (content.sources): each
    folder's own files by name, then its subfolders by name."""
    *folders, name = path.split("/")
    return (*((1, folder) for folder in folders), (0, name))


def read_state(build: Path) -> IndexState:
    """The state of `build`, freshly parsed: the caller may change it."""
    raw = json.loads((build / STATE_FILE).read_text(encoding="utf-8"))
    return IndexState(raw["fingerprint"], raw["files"], raw.get("inventory", {}))


_PEEKED: dict[tuple, IndexState] = {}
_PEEK_LOCK = threading.Lock()


def peek_state(build: Path) -> IndexState:
    """The state of `build` for reading only, parsed once per version of its file.

    The site's watcher looks at the live build's state every few seconds in every worker;
    at 10,000 assets parsing it takes 20-60 ms in one call that holds the interpreter
    lock, stalling every search of the worker. A build's state is written once, before
    the build goes live, so it is parsed again only when its file is another one.
    """
    info = os.stat(build / STATE_FILE)
    key = (str(build), info.st_ino, info.st_size, info.st_mtime_ns)
    with _PEEK_LOCK:
        found = _PEEKED.get(key)
    if found is None:
        found = read_state(build)
        with _PEEK_LOCK:
            if len(_PEEKED) >= 4:
                _PEEKED.clear()
            _PEEKED[key] = found
    return found


def write_state(build: Path, state: IndexState) -> None:
    atomic_write_text(build / STATE_FILE, json.dumps(
        {"fingerprint": state.fingerprint, "files": state.files, "inventory": state.inventory}, ensure_ascii=False))


def index_files(build: Path) -> list[str]:
    """The Whoosh files of a build (not its state, locks or temporary files)."""
    return sorted(name for name in os.listdir(build)
                  if name not in (STATE_FILE, READERS_FILE, WHOOSH_LOCK) and not name.startswith("."))


def take_inventory(build: Path, inherited: dict[str, list[int]] | None = None) -> dict[str, list[int]]:
    """Size and modification time of every Whoosh file of a just-written build. Files linked
    from the parent build keep the parent's figures, so damage done to them before the link
    is still found."""
    inherited = inherited or {}
    found = {}
    for name in index_files(build):
        if name in inherited:
            found[name] = inherited[name]
        else:
            stat = os.stat(build / name)
            found[name] = [stat.st_size, stat.st_mtime_ns]
    return found


def find_damage(build: Path, state: IndexState) -> str | None:
    """What differs between the build's files and its inventory (None when nothing does).

    A truncated or rewritten file changes size or modification time; Whoosh, which
    has no checksums, would otherwise fail on it with struct.error, EOFError … on
    every search that reads it. Costs one stat per file (about 20 per segment).
    """
    for name, (size, mtime_ns) in state.inventory.items():
        try:
            stat = os.stat(build / name)
        except FileNotFoundError:
            return f"{name} is missing"
        if stat.st_size != size:
            return f"{name} is {stat.st_size} bytes, was {size} when built"
        if stat.st_mtime_ns != mtime_ns:
            return f"{name} was modified after the build"
    if not state.inventory:
        return "the build lists no index files"
    return None
