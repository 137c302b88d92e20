"""Change an asset's front matter while keeping everything else in the file as it was.

Round-trip YAML (ruamel.yaml) keeps comments, key order and quoting of the
fields that did not change; the Markdown body is copied byte for byte, and a
byte-order mark and the file's line ends (LF, CRLF or CR, taken from the opening
--- line) are kept: read files with `read_text_exactly`, never with universal
newlines, or every CRLF becomes LF.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..yamlrt import round_trip_yaml
from .schema import FIELDS
from .sources import read_regular

SCHEMA_ORDER = {spec.name: i for i, spec in enumerate(FIELDS)}

# Where front matter starts and ends is python-frontmatter's rule (a line of three or more
# dashes); the loader and every edit split files here, so they never disagree about a file.
_SPLIT = re.compile(r"\A(\ufeff?-{3,}[ \t]*(?:\r\n|\r|\n))(.*?)"
                    r"((?<=[\r\n])-{3,}[ \t]*(?:\r\n|\r|\n|\Z)(?:[ \t]*(?:\r\n|\r|\n))*)", re.DOTALL)


class FrontMatterMissing(ValueError):
    """The text has no front matter block to edit."""


def read_text_exactly(path: Path, knowledge_dir: Path | None = None) -> str:
    """A file's text with its line ends and byte-order mark as they are on disk (a FIFO or device,
    or with `knowledge_dir` a link leading out of it, is sources.Unreadable, never read)."""
    return read_regular(Path(path), knowledge_dir).decode("utf-8")


def line_end(opening: str) -> str:
    """The line end the file uses, as found on its opening --- line."""
    return "\r\n" if opening.endswith("\r\n") else opening[-1]


def _load(raw: str, yaml: YAML) -> CommentedMap:
    return yaml.load(raw.replace("\r\n", "\n").replace("\r", "\n")) or CommentedMap()


def _dump(data: Any, yaml: YAML, end: str) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().replace("\n", end) if end != "\n" else out.getvalue()


def split_source(text: str) -> tuple[str, str, str, str]:
    """Split a file into (opening ---, YAML, closing ---, body) exactly as written.

    The four parts join back into `text`; a byte-order mark stays with the opening line.
    A line of three dashes opens and closes the front matter (python-frontmatter's rule),
    whatever the file's line ends: LF, CRLF or CR alone.
    """
    match = _SPLIT.match(text)
    if not match:
        raise FrontMatterMissing("ไม่พบส่วนหัว (front matter) ที่ขึ้นต้นและปิดด้วย ---")
    return match.group(1), match.group(2), match.group(3), text[match.end():]


def update_front_matter(text: str, changes: Mapping[str, Any], body: str | None = None) -> str:
    """Return `text` with the given fields set (None removes a field) and optionally a new body."""
    opening, raw, closing, old_body = split_source(text)
    yaml = round_trip_yaml()
    data = _load(raw, yaml)
    for key, value in changes.items():
        current = data.get(key)
        if value is None:
            data.pop(key, None)
        elif _same(current, value):
            continue
        elif key in data or key not in SCHEMA_ORDER:
            data[key] = _to_yaml(value)
        else:  # a new field goes after the one the schema puts before it, as a person would write it
            before = [i for i, name in enumerate(data) if SCHEMA_ORDER.get(name, -1) < SCHEMA_ORDER[key]]
            data.insert(before[-1] + 1 if before else 0, key, _to_yaml(value))
    return opening + _dump(data, yaml, line_end(opening)) + closing + (old_body if body is None else body)


def append_dissemination(text: str, channel: str, date: dt.date | None, ref: str) -> str:
    """Return `text` with one more dissemination record; other lines stay untouched."""
    opening, raw, closing, body = split_source(text)
    yaml = round_trip_yaml()
    data = _load(raw, yaml)
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
    if _flow_style(records) or (records and _flow_style(records[0])):  # write it like its neighbours
        record.fa.set_flow_style()
    records.append(record)
    return opening + _dump(data, yaml, line_end(opening)) + closing + body


def new_asset_text(fields: Mapping[str, Any], body: str) -> str:
    """Render a brand-new asset file from field values and a Markdown body."""
    data = CommentedMap()
    for key, value in fields.items():
        if value not in (None, "", [], ()):
            data[key] = _to_yaml(value)
    out = io.StringIO()
    round_trip_yaml().dump(data, out)
    return "---\n" + out.getvalue() + "---\n" + body


def _flow_style(node: Any) -> bool:
    """Whether a YAML node was written in flow style: [a, b] or {channel: x}."""
    fa = getattr(node, "fa", None)
    return fa is not None and fa.flow_style()


def _same(current: Any, value: Any) -> bool:
    if isinstance(value, (list, tuple)) and isinstance(current, list):
        return [str(v) for v in current] == [str(v) for v in value]
    return current == value or (current is not None and str(current) == str(value))


def _to_yaml(value: Any) -> Any:
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, list):
        seq = CommentedSeq(_to_yaml(v) for v in value)
        if all(isinstance(v, (str, dt.date)) for v in value):  # [a, b]: tags, dates
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = _to_yaml(v)
        return mapping
    return value
