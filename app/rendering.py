"""Markdown → sanitised HTML with a table of contents (the asset page and the editor preview)."""

from __future__ import annotations

from dataclasses import dataclass

import markdown
import nh3
import re
import unicodedata
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre",
    "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}


@dataclass(frozen=True)
class Rendered:
    """Safe HTML of an asset body and its headings for the table of contents."""

    html: Markup
    toc: tuple[tuple[int, str, str], ...]  # (level, anchor id, heading text)


def render_markdown(body: str) -> Rendered:
    """Render Markdown (tables, fenced code, heading anchors) and strip anything unsafe.

    Raw HTML in an asset is sanitised, so <script> or onerror= never reach the reader.
    """
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": heading_id, "toc_depth": "2-4"},
                           "tables": {"use_align_attribute": True}},
        output_format="html",
    )
    raw = md.convert(body or "")
    clean = nh3.clean(raw, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    toc = tuple(_flatten(md.toc_tokens))
    return Rendered(Markup(clean), toc)


def heading_id(text: str, separator: str) -> str:
    """Anchor id for a heading that keeps Thai vowels and tone marks: "ขั้นตอน การลา" → "ขั้นตอน-การลา".

    (markdown's slugify_unicode drops combining marks, turning ขั้นตอน into ขนตอน.)
    """
    text = unicodedata.normalize("NFC", text).strip().lower()
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" or ch in "-_" else " " for ch in text)
    return re.sub(r"\s+", separator, kept.strip())


def _flatten(tokens):
    for token in tokens:
        yield token["level"], token["id"], nh3.clean(token["name"], tags=set())
        yield from _flatten(token.get("children", []))
