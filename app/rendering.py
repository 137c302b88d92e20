"""Markdown → safe HTML for the asset page, the editor preview and the API.

The rendering itself (Markdown, sanitising, the defusing of pathological bodies)
is the indexer's `render_body`, the same one that gives the index its text; a page
keeps what it rendered per body text, so later views render nothing.

Images: an asset shows only pictures stored as its own attachments, written in the
Markdown relative to the asset file, as any Markdown viewer on disk reads them:
`![แบบฟอร์ม](sick-leave.files/form.png)` for knowledge/palad/sick-leave.md, or by the
address the page lists them at (/assets/sick-leave/files/form.png). The page links them
to the attachment's download URL; every other image is left out. A link to any of its
attachments may be written either way too: `[แบบคำขอ](sick-leave.files/form.pdf)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from flask import current_app, url_for
from markupsafe import Markup

from indexer import attachment_folder, list_attachments, render_body

from .uploads import kind_of_name


@dataclass(frozen=True)
class Rendered:
    """Safe HTML of an asset body and its headings for the table of contents."""

    html: Markup
    toc: tuple[tuple[int, str, str], ...]  # (level, anchor id, heading text)


def render_markdown(body: str, slug: str | None = None) -> Rendered:
    """Render an asset body for a page (with the images attached to asset `slug`); the HTML is sanitised.

    A body without pictures is rendered once per text (the cache); one with pictures
    looks at the asset's attachments every time, so a picture added or removed shows at once.
    """
    if slug is None or ("![" not in (body or "") and ".files/" not in body):
        return _render_cached(body)
    rendered = render_body(body, image_src=attachment_images(slug), link_href=attachment_images(slug, inline=False))
    return Rendered(Markup(scrolling_tables(rendered.html)), rendered.toc)  # sanitised by nh3 in render_body


@lru_cache(maxsize=64)  # asset pages; editor previews pass through too, so the size stays small
def _render_cached(body: str) -> Rendered:
    rendered = render_body(body)
    return Rendered(Markup(scrolling_tables(rendered.html)), rendered.toc)  # sanitised by nh3 in render_body


_TABLE_START = re.compile(r"<table\b")
# A group, not a region: a page of several tables had several landmarks of one name (axe, landmark-unique)
TABLE_REGION = ('<div class="table-scroll" tabindex="0" role="group" '
                'aria-label="ตาราง เลื่อนซ้าย–ขวาได้เมื่อกว้างกว่าจอ">')


def scrolling_tables(html: str) -> str:
    """Each table of sanitised HTML inside its own sideways-scrolling box.

    On a phone a wide table then scrolls by itself (with shadows at the edge that hides
    columns, in site.css), while the text around it stays put. The box can take the
    keyboard's focus, so the arrow keys scroll it too. nh3 gives well-formed HTML, and an
    asset's HTML has no class but the renderer's own (thai-digits, task): only these boxes have this one.
    """
    if "<table" not in html:
        return html
    return _TABLE_START.sub(TABLE_REGION + "<table", html).replace("</table>", "</table></div>")


def image_reference(asset_file_stem: str, name: str) -> str:
    """How the body refers to an attached picture: "sick-leave.files/form.png"."""
    return f"{asset_file_stem}.files/{name}"


def attachment_images(slug: str, inline: bool = True) -> Callable[[str], str | None]:
    """Map an image src written in the body to the URL of that attachment of `slug` (None: not one);
    with `inline` False, a link's href to any of its attachments, pictures or not.

    Nothing is looked up until the body has an image: most bodies have none.
    """
    found: dict[str, object] = {}

    def src(value: str) -> str | None:
        if "names" not in found:
            path = current_app.extensions["km"].kb.asset_path(slug)
            found["folder"] = attachment_folder(path).name if path else None
            found["names"] = {p.name for p in list_attachments(path)
                              if (kind := kind_of_name(p.name)) and (kind.inline or not inline)} if path else set()
        written = unquote(value.strip())
        written = written[2:] if written.startswith("./") else written
        listed = f"/assets/{slug}/files/"  # the address the page lists it at, copied from there
        if written.startswith(listed):
            written = f"{found['folder']}/{written[len(listed):]}"
        prefix, _, name = written.partition("/")
        if found["folder"] is None or prefix != found["folder"] or name not in found["names"]:
            return None
        return url_for("attachments.download", slug=slug, name=name)
    return src
