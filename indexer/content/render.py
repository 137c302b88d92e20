"""Asset bodies from Markdown: the one renderer for pages, previews, the index and snippets.

Python-Markdown turns a body into HTML and nh3 sanitises it. The index and the search
snippets take their text from that same HTML, so readers find exactly the words they
see ("2 * 3 * 4" keeps its stars, "&amp;" is "&", code is text, <script> is nothing).

Python-Markdown has super-linear paths: every "[" scans to its matching "]" (or the end
of its paragraph), every "<tag" to the next ">", and nested lists recurse per level
(measured: 4,000 "[" took 15.8 s, 16,000 characters of "<a " 13.6 s, and 300 levels of
list raise RecursionError). `render_body` estimates those scans in one linear pass
first; a body over budget is shown as plain paragraphs instead (a bad file never makes a
slow page or a failed build).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape

import markdown
import nh3

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
# Budgets of the guard, in characters scanned; each is about 0.2 s of Python-Markdown
# (a "[" costs ~2 µs per character it reads, a "<tag" ~0.3 µs). Real assets stay far
# below: 300 links in a page read ~10,000 characters.
MAX_BRACKET_SCAN = 100_000
MAX_TAG_SCAN = 600_000
MAX_LIST_INDENT = 128  # columns: 32 levels of nested list (each level is a recursion)

_BRACKET_OR_BLANK = re.compile(r"[\[\]]|\n[ \t]*\n")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]", re.MULTILINE)
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.DOTALL)
_NO_SRC_IMG = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_ALT = re.compile(r'\salt="([^"]*)"')
_LOCAL = threading.local()  # one Markdown instance per thread: building one costs ~3 ms


@dataclass(frozen=True)
class RenderedBody:
    """A body as safe HTML, with its headings for the table of contents."""

    html: str
    toc: tuple[tuple[int, str, str], ...] = ()  # (level, anchor id, heading text) for levels 2–4
    plain: bool = False  # too costly to parse: shown as plain paragraphs

    @property
    def text(self) -> str:
        """The words a reader sees, one line per block (for the index and snippets)."""
        return html_to_text(self.html)

    @property
    def headings(self) -> list[str]:
        """The text of every heading, all levels."""
        return [html_to_text(m.group(1)) for m in _HEADING.finditer(self.html)]


def render_body(body: str, toc: bool = True, image_src: Callable[[str], str | None] | None = None) -> RenderedBody:
    """Render Markdown (tables, fenced code, heading anchors) and strip anything unsafe.

    Raw HTML in an asset is sanitised, so <script> or onerror= never reach the reader.
    toc=False leaves out the anchors and the table of contents (the index needs only the
    text, and the anchors cost a sixth of the time). Images are kept only where
    `image_src` turns their src into a URL (the asset's own attachments); any other
    image is left out and its alt text shown, so a page never loads a picture from elsewhere.
    """
    body = body or ""
    reason = too_costly(body)
    if reason is None:
        md = _markdown(toc)
        try:
            html = md.convert(body)
        except RecursionError:
            _LOCAL.__dict__.pop(f"md{toc}", None)  # left mid-parse: the next body gets a fresh one
            reason = "nesting too deep"
        else:
            return RenderedBody(_clean(html, image_src), tuple(_flatten(getattr(md, "toc_tokens", ()))))
    log.warning("a Markdown body of %d characters is shown as plain text: %s", len(body), reason)
    return RenderedBody(_plain_paragraphs(body), plain=True)


def markdown_to_text(body: str) -> str:
    """The text a reader sees in a Markdown body: "**2 * 3 * 4**" → "2 * 3 * 4"."""
    return render_body(body, toc=False).text


def html_to_text(html: str) -> str:
    """Drop the tags of sanitised HTML and decode its entities; blank lines go."""
    text = unescape(nh3.clean(html, tags=set())) if "<" in html or "&" in html else html
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def too_costly(body: str) -> str | None:
    """Say why Python-Markdown would be slow on `body` (None when it is fine), in one pass."""
    for indent in _LIST_ITEM.findall(body):
        if len(indent.expandtabs(4)) > MAX_LIST_INDENT:
            return "lists nested too deep"
    if _bracket_scan(body) > MAX_BRACKET_SCAN:
        return "too many open ["
    if _tag_scan(body) > MAX_TAG_SCAN:
        return "too many open <"
    return None


def _bracket_scan(body: str) -> int:
    """Characters read looking for the "]" of every "[" (to the end of its paragraph if none)."""
    opened: list[int] = []
    scanned = 0
    for match in _BRACKET_OR_BLANK.finditer(body):
        at = match.start()
        if match.group() == "[":
            opened.append(at)
        elif match.group() == "]":
            if opened:
                scanned += at - opened.pop()
        else:  # a blank line ends the paragraph and every scan in it
            scanned += sum(at - start for start in opened)
            opened.clear()
        if scanned > MAX_BRACKET_SCAN:
            break
    return scanned + sum(len(body) - start for start in opened)


def _tag_scan(body: str) -> int:
    """Characters read looking for the ">" of every "<tag" (to the end of the body if none)."""
    scanned, close = 0, -1
    for match in _TAG_START.finditer(body):
        at = match.start()
        if close < at:
            close = body.find(">", at)
            if close == -1:
                close = len(body)
        scanned += close - at
        if scanned > MAX_TAG_SCAN:
            break
    return scanned


def heading_id(text: str, separator: str) -> str:
    """Anchor id for a heading that keeps Thai vowels and tone marks: "ขั้นตอน การลา" → "ขั้นตอน-การลา".

    (markdown's slugify_unicode drops combining marks, turning ขั้นตอน into ขนตอน.)
    """
    text = unicodedata.normalize("NFC", text).strip().lower()
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" or ch in "-_" else " " for ch in text)
    return re.sub(r"\s+", separator, kept.strip())


def _markdown(toc: bool) -> markdown.Markdown:
    md = getattr(_LOCAL, f"md{toc}", None)
    if md is None:
        md = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", *(["toc"] if toc else [])],
            extension_configs={"toc": {"slugify": heading_id, "toc_depth": "2-4"},
                               "tables": {"use_align_attribute": True}} if toc else {},
            output_format="html",
        )
        setattr(_LOCAL, f"md{toc}", md)
    return md.reset()


def _clean(html: str, image_src: Callable[[str], str | None] | None = None) -> str:
    has_images = "<img" in html
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer",
                        attribute_filter=_image_filter(image_src) if has_images else None)
    return _NO_SRC_IMG.sub(_alt_text, cleaned) if has_images else cleaned


def _image_filter(image_src: Callable[[str], str | None] | None):
    """nh3's attribute filter: an <img src> becomes the URL image_src gives, or goes."""
    def keep(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            return image_src(value) if image_src is not None else None
        return value
    return keep


def _alt_text(match: re.Match) -> str:
    """An image left without a source: its alt text, marked so the reader knows a picture was here."""
    alt = _ALT.search(match.group(0))
    return f'<span class="image-left-out">[{alt.group(1)}]</span>' if alt and alt.group(1) else ""


def _plain_paragraphs(body: str) -> str:
    paragraphs = (p.strip() for p in re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n")))
    return "\n".join(f"<p>{escape(p).replace(chr(10), '<br>' + chr(10))}</p>" for p in paragraphs if p)


def _flatten(tokens):
    for token in tokens:
        yield token["level"], token["id"], html_to_text(token["name"])
        yield from _flatten(token.get("children", []))
