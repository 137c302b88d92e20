"""Change an asset's front matter while keeping everything else in the file as it was.

Round-trip YAML (ruamel.yaml) keeps comments, key order and quoting of the
fields that did not change; the Markdown body is copied byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, Mapping

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..files import atomic_write_text

_SPLIT = re.compile(r"\A(\ufeff?---[ \t]*\r?\n)(.*?)(^---[ \t]*(?:\r?\n|\Z))", re.DOTALL | re.MULTILINE)


class FrontMatterMissing(ValueError):
    """The text has no front matter block to edit."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def split_source(text: str) -> tuple[str, str, str, str]:
    """Split a file into (opening ---, YAML, closing ---, body) exactly as written."""
    match = _SPLIT.match(text)
    if not match:
        raise FrontMatterMissing("ไม่พบส่วนหัว (front matter) ที่ขึ้นต้นและปิดด้วย ---")
    return match.group(1), match.group(2), match.group(3), text[match.end():]


def update_front_matter(text: str, changes: Mapping[str, Any], body: str | None = None) -> str:
    """Return `text` with the given fields set (None removes a field) and optionally a new body."""
    opening, raw, closing, old_body = split_source(text)
    yaml = _yaml()
    data = yaml.load(raw) or CommentedMap()
    for key, value in changes.items():
        current = data.get(key)
        if value is None:
            data.pop(key, None)
        elif _same(current, value):
            continue
        else:
            data[key] = _to_yaml(value)
    out = io.StringIO()
    yaml.dump(data, out)
    return opening + out.getvalue() + closing + (old_body if body is None else body)


def append_dissemination(text: str, channel: str, date: dt.date | None, ref: str) -> str:
    """Return `text` with one more dissemination record; other lines stay untouched."""
    opening, raw, closing, body = split_source(text)
    yaml = _yaml()
    data = yaml.load(raw) or CommentedMap()
    records = data.get("dissemination")
    if not isinstance(records, list):
        records = CommentedSeq()
        data["dissemination"] = records
    record = CommentedMap()
    record["channel"] = channel
    if date is not None:
        record["date"] = date
    if ref:
        record["ref"] = ref
    if getattr(records, "fa", None) is not None and records.fa.flow_style():
        record.fa.set_flow_style()
    elif records and getattr(records[0], "fa", None) is not None and records[0].fa.flow_style():
        record.fa.set_flow_style()
    records.append(record)
    out = io.StringIO()
    yaml.dump(data, out)
    return opening + out.getvalue() + closing + body


def new_asset_text(fields: Mapping[str, Any], body: str) -> str:
    """Render a brand-new asset file from field values and a Markdown body."""
    data = CommentedMap()
    for key, value in fields.items():
        if value not in (None, "", [], ()):
            data[key] = _to_yaml(value)
    out = io.StringIO()
    _yaml().dump(data, out)
    return "---\n" + out.getvalue() + "---\n" + body


def write_front_matter(path: Path, changes: Mapping[str, Any], body: str | None = None) -> str:
    """Apply `update_front_matter` to a file atomically and return the new text."""
    text = Path(path).read_text(encoding="utf-8")
    new = update_front_matter(text, changes, body)
    atomic_write_text(Path(path), new)
    return new


def _same(current: Any, value: Any) -> bool:
    if isinstance(value, (list, tuple)) and isinstance(current, list):
        return [str(v) for v in current] == [str(v) for v in value]
    return current == value or (current is not None and str(current) == str(value))


def _to_yaml(value: Any) -> Any:
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, list):
        seq = CommentedSeq(_to_yaml(v) for v in value)
        if all(isinstance(v, str) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = _to_yaml(v)
        return mapping
    return value
