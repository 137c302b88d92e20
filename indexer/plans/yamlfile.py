"""Read one YAML file of the KM folder safely, with line numbers for every nested field.

Untrusted input rules: the file is capped in size, anchors and aliases are refused
(an alias bomb would multiply on every re-serialisation), deep nesting is a Problem
rather than a RecursionError, and dates stay text so BE years get our own messages.
Line numbers are worked out only when a problem needs one.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import yaml

from ..content.asset import Problem
from ..content.sources import Unreadable, read_regular
from ..thai.encoding import not_utf8
from ..yamlsafe import SafeLoader, yaml_error_text

MAX_BYTES = 1_000_000
MAX_DEPTH = 12

_NO_TIMESTAMPS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(SafeLoader):
    """Safe loader (libyaml when present) that leaves dates as text."""


class _LineLoader(yaml.SafeLoader):
    """Pure-Python safe loader used only to find line numbers."""


_Loader.yaml_implicit_resolvers = _NO_TIMESTAMPS
_LineLoader.yaml_implicit_resolvers = _NO_TIMESTAMPS


class _Resolver(yaml.resolver.Resolver):
    """The reader's rules for what an unquoted value is (YAML 1.1: on, no, 12:30 are not text)."""


_Resolver.yaml_implicit_resolvers = _NO_TIMESTAMPS
_READS = _Resolver()


def read_as_other_than_text(value: str) -> bool:
    """Whether `value` written unquoted would be read back as something other than this text: a
    chair typed "on" became True, a resolution "12:30" became 750 (security review SEC-04)."""
    return _READS.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str"


class FileInvalid(Exception):
    """A KM file could not be read at all; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class Lines:
    """Line of each field path ("activities[3].period"), falling back to the enclosing record."""

    def __init__(self, text: str):
        self._text = text
        self._lines: dict[str, int] | None = None

    def get(self, path: str) -> int | None:
        if self._lines is None:
            self._lines = {}
            # a file that does not compose has no line numbers; its problem is reported by the loader
            with contextlib.suppress(yaml.YAMLError, RecursionError):
                _walk(yaml.compose(self._text, Loader=_LineLoader), "", self._lines, 0)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = _parent(path)
        return 1  # a top-level field that is missing: point at the file's start, as the asset validator does


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def _walk(node: Any, prefix: str, lines: dict[str, int], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            lines.setdefault(path, key_node.start_mark.line + 1)
            _walk(value_node, path, lines, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value, start=1):
            path = f"{prefix}[{i}]"
            lines.setdefault(path, item.start_mark.line + 1)
            _walk(item, path, lines, depth + 1)


def read_yaml_file(path: Path, rel: str, knowledge_dir: Path) -> tuple[Any, Lines]:
    """Read and parse a file; raise FileInvalid with one clear Problem when that is impossible
    (a FIFO, a device or a link leading out of the knowledge folder is never read)."""
    try:
        data = read_regular(path, knowledge_dir, MAX_BYTES)
    except OSError as exc:
        raise FileInvalid([Problem(rel, str(exc) if isinstance(exc, Unreadable)
                                   else f"อ่านไฟล์ไม่ได้: {exc.strerror}")]) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileInvalid([Problem(rel, not_utf8(data, exc))]) from exc
    return parse_yaml_text(text, rel), Lines(text.lstrip("\ufeff"))


def parse_yaml_text(text: str, rel: str) -> Any:
    """Parse YAML text (from a file or a form) under the same rules."""
    # in bytes, as the file is read back: Thai is 3 bytes a letter, so a form's 600,000 letters were
    # written and then refused at every read, the record gone from the site (security review SEC-01)
    if len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise FileInvalid([Problem(rel, f"ข้อความยาวเกินไป (รับได้ไม่เกิน {MAX_BYTES:,} ไบต์ "
                                        f"หรือประมาณ {MAX_BYTES // 3:,} ตัวอักษรภาษาไทย)")])
    _check_depth(text.lstrip("\ufeff"), rel)
    try:
        data = yaml.load(text.lstrip("\ufeff"), Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        reason, line = yaml_error_text(exc)
        raise FileInvalid([Problem(rel, f"YAML ไม่ถูกต้อง: {reason}", line=line)]) from exc
    except RecursionError as exc:
        raise FileInvalid([Problem(rel, f"โครงสร้าง YAML ซ้อนกันลึกเกิน {MAX_DEPTH} ชั้น")]) from exc
    _check_shape(data, rel, set(), 0)
    return data


def _check_depth(text: str, rel: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH from the parser's events, before anything is built.

    libyaml builds nested values by recursing in C: 25,000 levels (a 50 KB file of "[") ended
    the process with a segmentation fault, where Python's RecursionError never came. Its
    events come from a loop, so they are counted here first.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise FileInvalid([Problem(rel, f"โครงสร้าง YAML ซ้อนกันลึกเกิน {MAX_DEPTH} ชั้น", line=line)])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # not valid YAML: loading it says where, in the parser's words


def _check_shape(value: Any, rel: str, seen: set[int], depth: int) -> None:
    """Refuse aliases (a container met twice) and nesting deeper than MAX_DEPTH."""
    if not isinstance(value, (dict, list)):
        return
    if depth > MAX_DEPTH:
        raise FileInvalid([Problem(rel, f"โครงสร้าง YAML ซ้อนกันลึกเกิน {MAX_DEPTH} ชั้น")])
    if id(value) in seen:
        raise FileInvalid([Problem(rel, "ไม่รองรับ anchor/alias ของ YAML (& และ *) ในไฟล์นี้ กรุณาเขียนค่าซ้ำให้ครบ")])
    seen.add(id(value))
    for item in value.values() if isinstance(value, dict) else value:
        _check_shape(item, rel, seen, depth + 1)
