"""Reading a file's YAML front matter within bounds, and finding the line of each key.

Hand-placed files may hold YAML no person writes: 3,000 levels of nesting (6 KB) made
the pure-Python composer raise RecursionError, and a 483-byte "billion laughs" of nested
aliases in `tags:` expanded into a 156 MB state.json. So the front matter is measured
before any tree is built: its size in bytes, then, on libyaml's event stream (an
iterative parser), its depth and the number of values it expands to, aliases counted
at their full size. Real assets need three levels (dissemination: - channel: …) and
a few hundred values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ..yamlsafe import SafeLoader

MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 16
MAX_VALUES = 10_000

_NO_TIMESTAMPS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(SafeLoader):
    """Safe loader (libyaml when present) that leaves dates as text, so BE years and bad
    dates get our own messages."""


class _LineLoader(yaml.SafeLoader):
    """Pure-Python safe loader used only to find line numbers for error messages."""


_Loader.yaml_implicit_resolvers = _NO_TIMESTAMPS
_LineLoader.yaml_implicit_resolvers = _NO_TIMESTAMPS


class FrontMatterUnbounded(ValueError):
    """The front matter is too big, too deep or expands to too many values."""

    def __init__(self, message: str, field: str | None, line: int | None):
        super().__init__(message)
        self.field, self.line = field, line


def load_front_matter(raw: str) -> Any:
    """Parse front-matter YAML after checking its bounds (FrontMatterUnbounded, yaml.YAMLError)."""
    check_bounds(raw)
    return yaml.load(raw, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


@dataclass
class _Open:
    """A collection being read: its anchor, its size so far, and how many children it has."""

    anchor: str | None
    size: int = 1
    children: int = 0


def _check_size(raw: str) -> None:
    """Refuse front matter over MAX_FRONT_MATTER_BYTES, naming its size."""
    size = len(raw.encode("utf-8"))
    if size > MAX_FRONT_MATTER_BYTES:
        raise FrontMatterUnbounded(f"ส่วนหัวยาว {size:,} ไบต์ เกินขีดจำกัด {MAX_FRONT_MATTER_BYTES:,} ไบต์: "
                                   "ย้ายข้อความยาวไปไว้ในเนื้อเรื่อง", None, 1)


def check_bounds(raw: str) -> None:
    """Raise FrontMatterUnbounded when `raw` is too big, too deep or expands too far."""
    _check_size(raw)
    stack: list[_Open] = []
    anchors: dict[str, int] = {}
    values = 0
    key = None  # the top-level field being read
    try:
        for event in yaml.parse(raw, Loader=_Loader):
            if not isinstance(event, (yaml.NodeEvent, yaml.CollectionEndEvent)):
                continue
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.CollectionEndEvent):
                done = stack.pop()
                if done.anchor:
                    anchors[done.anchor] = done.size
                if stack:
                    stack[-1].size += done.size
                continue
            if len(stack) == 1:  # a key or a value of the top-level mapping
                if stack[0].children % 2 == 0:
                    key = str(event.value)[:60] if isinstance(event, yaml.ScalarEvent) else None
                stack[0].children += 1
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append(_Open(event.anchor))
                values += 1
                if len(stack) > MAX_DEPTH:
                    raise FrontMatterUnbounded(f"ค่าซ้อนกันลึกเกิน {MAX_DEPTH} ชั้น: ฟิลด์ของขุมความรู้ซ้อนกันไม่เกิน 3 ชั้น",
                                               key, line)
                continue
            count = anchors.get(event.anchor, 1) if isinstance(event, yaml.AliasEvent) else 1
            if isinstance(event, yaml.ScalarEvent) and event.anchor:
                anchors[event.anchor] = 1
            values += count
            if stack:
                stack[-1].size += count
            if values > MAX_VALUES:
                raise FrontMatterUnbounded(_too_many(event), key, line)
    except yaml.YAMLError:
        return  # not valid YAML: loading it reports where, with the parser's own words


def _too_many(event: yaml.Event) -> str:
    if isinstance(event, yaml.AliasEvent):
        return (f"alias ของ YAML (*{event.anchor}) ทำให้ส่วนหัวขยายเป็นค่าเกิน {MAX_VALUES:,} ค่า: "
                "เขียนค่าลงไปตรง ๆ แทนการใช้ alias")
    return f"ส่วนหัวมีค่าเกิน {MAX_VALUES:,} ค่า: ย้ายรายการยาวไปไว้ในเนื้อเรื่อง"


class KeyLines:
    """Line numbers of front-matter keys, worked out only when a problem needs one."""

    def __init__(self, raw: str):
        self._raw = raw
        self._lines: dict[str, int] | None = None

    def get(self, key: str, default: int | None = None) -> int | None:
        if self._lines is None:
            self._lines = _key_lines(self._raw)
        return self._lines.get(key, default)


class LazyLine:
    """A line number looked up only if a Problem is actually made with it."""

    def __init__(self, lines: KeyLines, key: str):
        self.lines, self.key = lines, key

    def resolve(self) -> int | None:
        return self.lines.get(self.key)


def _key_lines(raw: str) -> dict[str, int]:
    # Only ever given front matter that passed check_bounds, so composing it cannot recurse deeply.
    node = yaml.compose(raw, Loader=_LineLoader)
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        lines[str(key_node.value)] = key_node.start_mark.line + 1
        if key_node.value == "dissemination" and isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[f"dissemination[{i + 1}]"] = item.start_mark.line + 1
    return lines
