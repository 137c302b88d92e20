"""Field-by-field difference of two versions' front matter, in the words the editor form uses.

Each field is shown with its Thai label; dates in the Buddhist era, vocabulary keys as
their Thai labels, and lists (tags, dissemination records) as the items added and removed.
Versions that do not validate are still compared, from their YAML as written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from indexer import FIELDS, DateFormatError, Vocabulary, parse_date, thai_date

_SPECS = {spec.name: spec for spec in FIELDS}


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its label, old and new text, or the list items added and removed."""

    name: str
    label: str
    old: str = ""
    new: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    is_list: bool = False


def field_changes(old: dict, new: dict, vocab: Vocabulary) -> list[FieldChange]:
    """The fields whose shown value differs, in schema order, then any other keys by name."""
    names = [spec.name for spec in FIELDS] + sorted((set(old) | set(new)) - set(_SPECS), key=str)
    changes = []
    for name in names:
        if name not in old and name not in new:
            continue
        change = _compare(str(name), old.get(name), new.get(name), vocab)
        if change is not None:
            changes.append(change)
    return changes


def _compare(name: str, old: Any, new: Any, vocab: Vocabulary) -> FieldChange | None:
    spec = _SPECS.get(name)
    label = spec.label if spec else name
    if isinstance(old, list) or isinstance(new, list):
        before, after = _items(name, old, vocab), _items(name, new, vocab)
        added = tuple(i for i in after if i not in before)
        removed = tuple(i for i in before if i not in after)
        if not added and not removed:
            return None
        return FieldChange(name, label, added=added, removed=removed, is_list=True)
    before, after = shown(name, old, vocab), shown(name, new, vocab)
    return None if before == after else FieldChange(name, label, before, after)


def _items(name: str, value: Any, vocab: Vocabulary) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    if name == "dissemination":
        return [_record(v, vocab) for v in values]
    return [shown(name, v, vocab) for v in values]


def _record(value: Any, vocab: Vocabulary) -> str:
    """A dissemination record as one line: "เว็บไซต์ · 20 ม.ค. 2568 · ref"."""
    if not isinstance(value, dict):
        return str(value)
    channel = vocab.channels.label(vocab.channels.resolve(str(value.get("channel") or "")) or
                                   str(value.get("channel") or ""))
    parts = [channel, _date_text(value.get("date")), str(value.get("ref") or "")]
    return " · ".join(p for p in parts if p)


def shown(name: str, value: Any, vocab: Vocabulary) -> str:
    """A front-matter value as the reader sees it ('' for none)."""
    if value is None or value == "":
        return ""
    spec = _SPECS.get(name)
    if (spec is not None and spec.kind == "date") or isinstance(value, dt.date):
        return _date_text(value)
    if spec is not None and spec.kind == "dates":
        return ", ".join(_date_text(day) for day in (value if isinstance(value, list) else [value]))
    if spec is not None and spec.kind == "vocab":
        terms = vocab.list(spec.vocabulary)
        key = terms.resolve(str(value))
        return terms.label(key) if key else str(value)
    return " ".join(str(value).split()) if not isinstance(value, dict) else str(value)


def _date_text(value: Any) -> str:
    """A date in the Buddhist era ("20 ม.ค. 2568"); what cannot be read is shown as written."""
    if value is None or value == "":
        return ""
    try:
        return thai_date(parse_date(value))
    except DateFormatError:
        return str(value)
