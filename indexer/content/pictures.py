"""Pictures without a description: `![](form.png)`, or the editor's placeholder left as it was
inserted (`![รูปประกอบ](form.png)`). A screen reader says nothing, or "รูปประกอบ", for a scanned
form or a flow chart, and the steps in it are lost to whoever cannot see it (outside review,
accessibility A-07). Said as a warning at save, by `python -m indexer check` and on the status
page; the asset is fine otherwise, and the description may be written at leisure."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .asset import Asset, Problem

PLACEHOLDER = "รูปประกอบ"  # what the editor writes for a picture pasted, dropped or chosen
_PICTURE = re.compile(r"!\[([^[\]\n]*)\]\(\s*<?([^)>\s]*)")  # no [ in a description: one pass
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
SHOWN = 60  # characters of a picture's address quoted back


def undescribed_pictures(body: str) -> list[tuple[int, str]]:
    """(line of the body, address) of each picture whose description is empty or the placeholder;
    code blocks are left alone (an example of Markdown is not a picture)."""
    found, fenced = [], False
    for number, line in enumerate(body.split("\n"), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or "![" not in line:
            continue
        found += [(number, src) for alt, src in _PICTURE.findall(line) if alt.strip() in ("", PLACEHOLDER)]
    return found


def picture_warnings(assets: Iterable[Asset]) -> list[Problem]:
    """A warning per undescribed picture of each asset readers may open (a retired one is history),
    at the file's line."""
    problems = []
    for asset in assets:
        if asset.status == "archived" or "![" not in asset.body:
            continue
        for line, src in undescribed_pictures(asset.body):
            name = src.rsplit("/", 1)[-1][:SHOWN] or "ไม่มีชื่อ"
            problems.append(Problem(asset.path, f"รูป {name} ยังไม่มีคำอธิบาย ผู้ใช้โปรแกรมอ่านหน้าจอจึงไม่รู้ว่ารูปแสดงอะไร: "
                                                f"เขียนสั้น ๆ ในวงเล็บเหลี่ยมของ ![…]({name}) ว่ารูปแสดงอะไร",
                                    "body", asset.body_line + line - 1, "warning"))
    return problems
