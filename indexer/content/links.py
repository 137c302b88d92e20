"""Links from one asset to another that readers cannot follow: to an asset that is not there (a
slug mistyped, a file renamed or removed), to a retired one, or from a published asset to a
draft. Said by `python -m indexer check` and the status page, as warnings: the asset itself
is fine, and the link may be fixed at leisure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .asset import Asset, Problem

# A link to a page of the site by its path, as the editor's ลิงก์ button and authors write it:
# [text](/assets/slug), [text](</assets/slug#section>), [ref]: /assets/slug, href="/assets/slug".
_LINK = re.compile(r"""(?:\]\(\s*<?|^\s{0,3}\[[^\]\n]+\]:\s*<?|href=["'])"""  # where a link's address starts
                   r"""/assets/([A-Za-z0-9][A-Za-z0-9_-]*)(?=[)#?/"'>\s]|$)""", re.MULTILINE)
SHOWN = 60  # characters of a slug quoted back


def broken_links(assets: Iterable[Asset], lookup: Callable[[str], Asset | None] | None = None) -> list[Problem]:
    """A warning for each link (each target once per asset) that a reader of the linking asset
    would find broken, in the order of `assets`; a target not among them is asked of `lookup`
    when given (the editor checks one asset as it is saved)."""
    assets = list(assets)
    by_slug: dict[str, Asset | None] = {asset.slug: asset for asset in assets}
    problems = []
    for asset in assets:
        if asset.status == "archived" or "/assets/" not in asset.body:
            continue  # a retired asset is read for reference: its links are history
        for slug in dict.fromkeys(_LINK.findall(asset.body)):
            if slug not in by_slug and lookup is not None:
                by_slug[slug] = lookup(slug)
            target = by_slug.get(slug)
            if target is None:
                reason = "ไม่มีขุมความรู้นี้ (พิมพ์ชื่อผิด หรือไฟล์ถูกเปลี่ยนชื่อหรือลบ)"
            elif target.status == "archived":
                reason = f"“{target.title}” เลิกใช้แล้ว"
            elif target.status == "draft" and asset.status == "published":
                reason = f"“{target.title}” ยังเป็นฉบับร่าง ผู้อ่านทั่วไปเปิดไม่ได้"
            else:
                continue
            problems.append(Problem(asset.path, f"ลิงก์ไปยัง /assets/{slug[:SHOWN]}: {reason}", "body", None, "warning"))
    return problems
