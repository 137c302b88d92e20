"""Controlled vocabularies (departments, KM stages, types, channels) loaded from YAML."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import VocabularyError
from ..yamlsafe import safe_load

LISTS = ("departments", "km_stages", "asset_types", "knowledge_types", "channels", "statuses")
MAX_HEADING_CHARS = 120


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a key, its Thai label and accepted aliases."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    help: str = ""
    # the headings a new asset of this type starts with in the web editor (asset types only)
    outline: tuple[str, ...] = ()

    @property
    def outline_markdown(self) -> str:
        """The outline as the start of a Markdown body: each heading, then a blank line to write in."""
        return "".join(f"## {heading}\n\n\n" for heading in self.outline)


@dataclass(frozen=True)
class TermList:
    """An ordered vocabulary that resolves keys, labels and aliases to keys."""

    name: str
    terms: tuple[Term, ...]
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for term in self.terms:
            for spelling in (term.key, term.label, *term.aliases):
                self._lookup[_fold(spelling)] = term.key

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, key: object) -> bool:
        return any(t.key == key for t in self.terms)

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.terms]

    def not_listed(self, value: object) -> str:
        """The message for a value that is none of the list's terms: every term by its Thai label and
        key, and, for a list the municipality keeps, where it is kept (a new department is the
        first thing a new site adds)."""
        shown = " ".join(str(value).split())
        shown = shown if len(shown) <= 80 else shown[:80] + "…"
        where = (f" (ผู้ดูแลระบบเพิ่มรายการได้ที่ {self.name}: ในไฟล์คำศัพท์)"
                 if self.name in ("departments", "channels", "asset_types") else "")
        return f'ไม่มี "{shown}" ในรายการ{where} ใช้ได้: ' + ", ".join(f"{t.label} ({t.key})" for t in self.terms)

    def resolve(self, value: str) -> str | None:
        """Return the key for a key, Thai label or alias (e.g. "กองคลัง" → "finance")."""
        return self._lookup.get(_fold(value))

    def label(self, key: str | None) -> str:
        """Return the Thai label of a key, or the key itself when unknown."""
        for term in self.terms:
            if term.key == key:
                return term.label
        return key or ""

    def get(self, key: str) -> Term | None:
        return next((t for t in self.terms if t.key == key), None)


@dataclass(frozen=True)
class Vocabulary:
    """All vocabularies plus the municipality's name and indicator settings."""

    municipality: str
    departments: TermList
    km_stages: TermList
    asset_types: TermList
    knowledge_types: TermList
    channels: TermList
    statuses: TermList
    frequent_searches: tuple[str, ...] = ()  # offered on the home page; else its most used tags
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def list(self, name: str) -> TermList:
        """Return the vocabulary called `name` (e.g. "channels")."""
        return getattr(self, name)

    @property
    def terms_digest(self) -> str:
        """A short digest of every list's keys, labels and aliases: what decides whether a file is
        valid and how it is filed, so an index made under other lists is rebuilt (a department
        added: the files refused for it until then are read again)."""
        text = "\n".join(f"{name}\t{t.key}\t{t.label}\t{'|'.join(t.aliases)}"
                         for name in LISTS for t in self.list(name).terms)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def load_vocabulary(path: Path) -> Vocabulary:
    """Load and validate the vocabulary file; errors name the file and the entry."""
    return _load_cached(Path(path).resolve(), Path(path).stat().st_mtime_ns if Path(path).exists() else 0)


@lru_cache(maxsize=8)
def _load_cached(path: Path, _mtime: int) -> Vocabulary:
    try:
        raw = safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VocabularyError(f"{path}: vocabulary file not found") from None
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise VocabularyError(f"{path}: expected a mapping with keys {', '.join(LISTS)}")
    lists = {name: TermList(name, read_terms(f"{path}: {name}", raw.get(name))) for name in LISTS}
    frequent = raw.get("frequent_searches") or []
    if not isinstance(frequent, list) or any(isinstance(word, (dict, list)) for word in frequent):
        raise VocabularyError(f"{path}: frequent_searches: expected a list of searches, e.g. [ลาป่วย, ภาษีป้าย]")
    extra = {k: v for k, v in raw.items() if k not in (*LISTS, "municipality", "frequent_searches")}
    return Vocabulary(municipality=str(raw.get("municipality") or "เทศบาล"), extra=extra,
                      frequent_searches=tuple(" ".join(str(w).split()) for w in frequent if str(w).strip()), **lists)


def read_terms(where: str, entries: Any) -> tuple[Term, ...]:
    """A list of {key, label, aliases?, help?, outline?} entries; `where` (file and list) starts every error."""
    if not isinstance(entries, list) or not entries:
        raise VocabularyError(f"{where}: expected a non-empty list of {{key, label}} entries, got {entries!r}")
    terms, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("key") or not entry.get("label"):
            raise VocabularyError(f"{where}[{number}]: expected {{key, label}}, got {entry!r}")
        key = str(entry["key"])
        if key in seen:
            raise VocabularyError(f"{where}[{number}]: duplicate key {key!r}")
        seen.add(key)
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list):
            raise VocabularyError(f"{where}[{number}].aliases: expected a list, got {aliases!r}")
        terms.append(Term(key, str(entry["label"]), tuple(str(a) for a in aliases), str(entry.get("help") or ""),
                          _outline(f"{where}[{number}].outline", entry.get("outline"))))
    return tuple(terms)


def _outline(where: str, headings: Any) -> tuple[str, ...]:
    """An outline: a list of one-line headings, without the ## (the editor adds it)."""
    if headings is None:
        return ()
    if not isinstance(headings, list):
        raise VocabularyError(f"{where}: expected a list of headings, got {headings!r}")
    cleaned = []
    for number, heading in enumerate(headings, start=1):
        text = heading.strip().lstrip("#").strip() if isinstance(heading, str) else ""
        if not text or "\n" in text:
            raise VocabularyError(f"{where}[{number}]: expected a heading on one line, got {heading!r}")
        if len(text) > MAX_HEADING_CHARS:
            raise VocabularyError(f"{where}[{number}]: a heading is at most {MAX_HEADING_CHARS} characters, "
                                  f"got {len(text)}")
        cleaned.append(text)
    return tuple(cleaned)
