"""The domain glossary: extra dictionary words and synonym groups for query expansion."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import SettingsError
from ..yamlsafe import safe_load
from .text import is_thai, normalize


@dataclass(frozen=True)
class Glossary:
    """Words added to the segmentation dictionary and groups of equivalent spellings."""

    words: tuple[str, ...] = ()
    synonym_groups: tuple[tuple[str, ...], ...] = ()
    fingerprint: str = ""
    # everyday ↔ official groups matched in the query only: never dictionary words, so they
    # cannot change how the assets are segmented (ห่มผ้าเหลือง → ลาอุปสมบท)
    everyday_groups: tuple[tuple[str, ...], ...] = ()
    # English words readers type for the assets' Thai ones: only the Latin members lead to the
    # group, so the Thai words of a group do not widen each other
    english_groups: tuple[tuple[str, ...], ...] = ()
    # known misspellings (อนุญาติ → อนุญาต): each is also a synonym of its right spelling, so
    # the segmenter keeps it whole and either spelling finds the other in queries and assets
    misspelled: dict[str, str] = field(default_factory=dict, compare=False)
    _by_term: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    _longest: int = field(default=0, compare=False, repr=False)
    # spellings without dots, made for the abbreviations, that are pieces of dictionary words
    # (see dictionary_words)
    pieces: frozenset[str] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        for group in self.synonym_groups + self.everyday_groups:
            for term in group:  # a term in two groups stands for both
                self._by_term[term] = tuple(dict.fromkeys(self._by_term.get(term, ()) + group))
        thai_groups = dict(self._by_term)
        for group in self.english_groups:  # an English word stands for its Thai words and their groups
            widened = tuple(dict.fromkeys(t for term in group for t in thai_groups.get(term, (term,))))
            for term in group:
                if not is_thai(term):
                    self._by_term[term] = tuple(dict.fromkeys(self._by_term.get(term, ()) + widened))
        object.__setattr__(self, "_longest", max((len(t) for t in self._by_term), default=0))

    @property
    def dictionary_words(self) -> tuple[str, ...]:
        """Every word the segmenter must keep whole (glossary words and synonyms), but for the
        pieces: an abbreviation's spelling without dots, made here (not written in the glossary),
        that is inside a word of the dictionary would cut right text there (มีค of มี.ค. in
        มีความรู้, กค of ก.ค. in ทุกครั้ง, สถ of สถ. in สถานที่), so it is neither a dictionary word
        nor looked for inside a question's words (terms_in). Typed as a word of its own, it still
        finds its group."""
        terms = set(self.words) | {t for g in self.synonym_groups for t in g if " " not in t}
        return tuple(sorted(terms - self.pieces))

    def terms_in(self, text: str, bounds: set[int]) -> list[str]:
        """Glossary terms written in `text` (normalised, lowercase), longest first at each place,
        not overlapping, each starting and ending at one of `bounds` (word boundaries). A piece
        (see dictionary_words) counts only written apart, between spaces or punctuation: สนง
        typed alone is สำนักงาน, whatever the segmenter cut it into."""
        found: list[str] = []
        lowered = text.lower()
        i = 0
        while i < len(lowered):
            match = None
            if i in bounds:
                for end in range(min(len(lowered), i + self._longest), i, -1):
                    if (end in bounds and (term := lowered[i:end]) in self._by_term
                            and (term not in self.pieces or _alone(lowered, i, end))):
                        match = term
                        break
            if match:
                found.append(match)
                i += len(match)
            else:
                i += 1
        return found

    def synonyms_of(self, normalized_term: str) -> tuple[str, ...]:
        """Return the other spellings of a term: "พรบ" → ("พ.ร.บ.", "พระราชบัญญัติ")."""
        group = self._by_term.get(normalized_term, ())
        return tuple(t for t in group if t != normalized_term)


def load_glossary(path: Path) -> Glossary:
    """Read the glossary YAML; every spelling is normalised the way text is indexed."""
    try:
        data = path.read_bytes()
        raw = safe_load(data.decode("utf-8")) or {}
    except FileNotFoundError:
        raise SettingsError(f"KM_GLOSSARY_FILE: file not found: {path}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: not valid UTF-8 YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: expected a mapping with `words` and `synonyms`")
    words = raw.get("words") or []
    groups = raw.get("synonyms") or []
    everyday = raw.get("everyday") or []
    english = raw.get("english") or []
    misspelled = _misspellings(path, raw.get("misspellings") or {})
    if not isinstance(words, list) or any(not isinstance(g, list) for g in (groups, everyday, english)) or any(
            not isinstance(g, list) for g in [*groups, *everyday, *english]):
        raise SettingsError(f"{path}: `words` must be a list, `synonyms`, `everyday` and `english` lists of lists")
    norm_groups = [tuple(dict.fromkeys(normalize(str(t)).strip() for t in g if str(t).strip())) for g in groups]
    norm_words = tuple(normalize(str(w)).strip() for w in words if str(w).strip())
    written = {t for g in norm_groups for t in g} | set(norm_words)
    norm_groups = tuple(_with_undotted(norm_groups, norm_words))
    made = {_undotted(t) for t in written} - written
    by_right: dict[str, list[str]] = {}
    for wrong, right in misspelled.items():
        by_right.setdefault(right, [right]).append(wrong)
    norm_groups += tuple(tuple(group) for group in by_right.values())
    return Glossary(
        words=norm_words + tuple(_undotted(w) for w in norm_words if _undotted(w) != w),
        synonym_groups=tuple(g for g in norm_groups if len(g) > 1),
        everyday_groups=tuple(g for g in (_normalized_group(g) for g in everyday) if len(g) > 1),
        english_groups=tuple(g for g in (_normalized_group(g) for g in english) if len(g) > 1),
        fingerprint=hashlib.sha256(data).hexdigest()[:16],
        misspelled=misspelled,
        pieces=frozenset(t for t in made if _inside_a_word(t)),
    )


def _misspellings(path: Path, raw) -> dict[str, str]:
    """`misspellings: {right spelling: [wrong, …]}` as {wrong: right}, normalised."""
    if not isinstance(raw, dict) or any(not isinstance(v, list) for v in raw.values()):
        raise SettingsError(f"{path}: `misspellings` must map each right spelling to a list of wrong ones")
    found: dict[str, str] = {}
    for right, wrongs in raw.items():
        right = normalize(str(right)).strip()
        for wrong in wrongs:
            wrong = normalize(str(wrong)).strip()
            if not right or not wrong or wrong == right or " " in wrong or " " in right:
                raise SettingsError(f"{path}: misspelling {wrong!r} of {right!r}: expected two different "
                                    "spellings of one word, without spaces")
            if found.get(wrong, right) != right:
                raise SettingsError(f"{path}: misspelling {wrong!r} is listed for both {found[wrong]!r} and {right!r}")
            found[wrong] = right
    for right in set(found.values()) & set(found):
        raise SettingsError(f"{path}: {right!r} is listed both as a right spelling and as a misspelling")
    return found


def _alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is written apart: no letter, digit or Thai sign against either end."""
    return not (start and _in_a_word(text[start - 1])) and not (end < len(text) and _in_a_word(text[end]))


def _in_a_word(ch: str) -> bool:
    return ch.isalnum() or "\u0e00" <= ch <= "\u0e7f"


def _normalized_group(group: list) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize(str(t)).strip().lower() for t in group if str(t).strip()))


def _undotted(term: str) -> str:
    """A Thai abbreviation as people type it on a phone: "ศพด." → "ศพด", "ก.ท.จ." → "กทจ"."""
    return term.replace(".", "") if is_thai(term) and "." in term and " " not in term else term


@lru_cache(maxsize=4096)
def _inside_a_word(piece: str) -> bool:
    """Whether `piece` is inside a word of pythainlp's dictionary other than its own dotted spellings."""
    from pythainlp.corpus import thai_words

    return any(piece in word and word.replace(".", "") != piece for word in thai_words())


def _with_undotted(groups: list[tuple[str, ...]], words: tuple[str, ...]):
    """Every dotted abbreviation gets its undotted spelling as a synonym."""
    seen: set[str] = set()
    for group in groups:
        extra = tuple(_undotted(t) for t in group if _undotted(t) not in group)
        seen.update(group)
        yield group + extra
    for word in words:
        if word not in seen and _undotted(word) != word:
            yield (word, _undotted(word))
