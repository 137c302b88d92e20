"""Markdown → sanitised HTML with a table of contents (the asset page and the editor preview)."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import markdown
import nh3
from markupsafe import Markup

from .defuse import defuse

log = logging.getLogger(__name__)

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


@lru_cache(maxsize=64)  # asset pages; editor previews pass through too, so the size stays small
def render_markdown(body: str) -> Rendered:
    """Render Markdown (tables, fenced code, heading anchors) and strip anything unsafe.

    Raw HTML in an asset is sanitised, so <script> or onerror= never reach the reader.
    The body is defused first (see defuse.py), so formatting takes time linear in its
    length, and only up to a budget: what a very long body holds beyond it is shown as
    plain text. The result is kept per body text, so later page views render nothing.
    """
    defused = defuse(body or "")
    try:
        html, toc = format_markdown(defused.text)
    except RecursionError:  # nesting deeper than defuse() foresaw: never a 500 page
        log.warning("asset body nests too deeply to format (%d characters); shown as plain text", len(body))
        return Rendered(Markup(_plain(body)), ())
    if defused.rest:
        html += _plain(defused.rest)  # escaped here, so it needs no cleaning
    return Rendered(Markup(html), toc)


def format_markdown(text: str) -> tuple[str, tuple[tuple[int, str, str], ...]]:
    """Markdown → sanitised HTML and table of contents, with no limit (give it defused text)."""
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": heading_id, "toc_depth": "2-4"},
                           "tables": {"use_align_attribute": True}},
        output_format="html",
    )
    raw = md.convert(text)
    clean = nh3.clean(raw, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return clean, tuple(_flatten(md.toc_tokens))


TOO_LONG_TO_FORMAT = "เนื้อหาส่วนต่อจากนี้ยาวหรือซับซ้อนเกินกว่าจะจัดรูปแบบได้ จึงแสดงเป็นข้อความธรรมดา"


def _plain(text: str) -> str:
    """Text as escaped paragraphs after a note saying why (linear, for any input)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return f'<p class="note">{TOO_LONG_TO_FORMAT}</p>' + "".join(
        f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


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
