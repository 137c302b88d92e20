"""YAML read by libyaml's safe loader when PyYAML has it, the pure-Python one otherwise, and
never with a key written twice in one mapping.

libyaml reads the same documents about ten times faster: the glossary alone took 95 ms of
every site start with the pure-Python loader, 8 ms with libyaml.

PyYAML keeps the last of two equal keys without a word, so `status: draft` followed lines
later by `status: published` published the asset, and a second `title:` hid the first. The
YAML specification forbids equal keys; here they are an error that names both lines.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_KEY_SHOWN = 60  # characters of a repeated key quoted in its message (a key can be any length)


class DuplicateKey(ConstructorError):
    """A mapping holds the same key twice; problem_mark is the second one."""


class SafeLoader(_Base):  # type: ignore[misc, valid-type]
    """The fastest safe loader, refusing a key written twice in one mapping."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Mark] = {}
            for key_node, _value in node.value:
                # a merge key (<<) may repeat, and keys it brings in may be written again
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node)
                if key in seen:
                    first, again = seen[key].line + 1, key_node.start_mark.line + 1
                    where = f"บรรทัด {first}" if first == again else f"บรรทัด {first} และ {again}"
                    shown = str(key) if len(str(key)) <= MAX_KEY_SHOWN else f"{str(key)[:MAX_KEY_SHOWN]}…"
                    raise DuplicateKey(None, None, f'คีย์ "{shown}" เขียนซ้ำ ({where}): เหลือไว้ที่เดียว',
                                       key_node.start_mark)
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """An integer, or a YAML error naming the line when it has more digits than Python reads
        from text (4,300): the ValueError it raised went past every handler as a 500."""
        try:
            return super().construct_yaml_int(node)
        except ValueError as exc:
            raise ConstructorError(None, None, f"ตัวเลขยาว {len(node.value):,} หลัก เกินกว่าจะอ่านได้: "
                                               "ถ้าเป็นข้อความ ให้ใส่ในเครื่องหมายคำพูด", node.start_mark) from exc


SafeLoader.add_constructor("tag:yaml.org,2002:int", SafeLoader.construct_yaml_int)


def safe_load(text: str) -> Any:
    """yaml.safe_load, by the fastest safe loader there is, refusing duplicate keys."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
