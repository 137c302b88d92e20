"""Pictures without a description: `![](form.png)`, or the editor's placeholder left as it was
inserted (`![รูปประกอบ](form.png)`). A screen reader says nothing, or "รูปประกอบ", for a scanned
form or a flow chart, and the steps in it are lost to whoever cannot see it (outside review,
accessibility A-07). Said as a warning at save, by `python -m indexer check` and on the status
page; the asset is fine otherwise, and the description may be written at leisure."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from .asset import Asset, Problem
from .render import ALT_ATTRIBUTE, render_body

PLACEHOLDER = "รูปประกอบ"  # what the editor writes for a picture pasted, dropped or chosen
MOST = 50  # pictures named per asset: each is looked for in the text once
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\bsrc="([^"]*)"')
SHOWN = 60  # characters of a picture's address quoted back


def undescribed_pictures(body: str) -> list[tuple[int, str]]:
    """(line of the body, address) of each picture the page shows whose description is empty or the
    placeholder. Read from the body as the site renders it, so `![…][ref]` and <img> count, and a
    picture in code, in a comment or escaped does not (a pattern over the Markdown got those wrong:
    verification review V-05); the line is the first that names the picture's address."""
    if "![" not in body and "<img" not in body.lower():
        return []
    rendered = render_body(body, toc=False, image_src=lambda src: src).html  # every picture kept, as written
    found = []
    for tag in _IMG.findall(rendered):
        alt = ALT_ATTRIBUTE.search(tag)
        if html.unescape(alt.group(1) if alt else "").strip() not in ("", PLACEHOLDER):
            continue
        src = _SRC.search(tag)
        src = html.unescape(src.group(1)) if src else ""
        at = body.find(src) if src else -1
        found.append((body.count("\n", 0, at) + 1 if at >= 0 else 1, src))
        if len(found) == MOST:
            break
    return found


def picture_warnings(assets: Iterable[Asset]) -> list[Problem]:
    """A warning per undescribed picture of each asset readers may open (a retired one is history),
    at the file's line."""
    problems = []
    for asset in assets:
        if asset.status == "archived":
            continue
        for line, src in undescribed_pictures(asset.body):
            name = src.rsplit("/", 1)[-1][:SHOWN] or "ไม่มีชื่อ"
            problems.append(Problem(asset.path, f"รูป {name} ยังไม่มีคำอธิบาย ผู้ใช้โปรแกรมอ่านหน้าจอจึงไม่รู้ว่ารูปแสดงอะไร: "
                                                "เขียนสั้น ๆ ว่ารูปแสดงอะไร ในวงเล็บเหลี่ยมของ ![…](…) หรือใน alt ของ <img>",
                                    "body", asset.body_line + line - 1, "warning"))
    return problems
