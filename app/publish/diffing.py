"""Line-by-line differences between two versions of a file, for the history and conflict pages."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: kind is same, add, remove or gap (lines left out between hunks)."""

    kind: str
    old_no: int | None
    new_no: int | None
    text: str


def line_diff(old: str, new: str, context: int = 3) -> list[DiffLine]:
    """The changed lines of `new` against `old`, with `context` unchanged lines around each change."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", i + 1, j1 + (i - i1) + 1, a[i]) for i in range(i1, i2))
                continue
            lines.extend(DiffLine("remove", i + 1, None, a[i]) for i in range(i1, i2))
            lines.extend(DiffLine("add", None, j + 1, b[j]) for j in range(j1, j2))
    return lines

