"""Asset bodies from Markdown: the one renderer for pages, previews, the index and snippets.

Python-Markdown turns a body into HTML and nh3 sanitises it. The index and the search
snippets take their text from that same HTML, so readers find exactly the words they
see ("2 * 3 * 4" keeps its stars, "&amp;" is "&", code is text, <script> is nothing).

Python-Markdown has super-linear paths (every "[" scans to its matching "]", every "<tag"
to the next ">", nested lists and quotes recurse per level). `render_body` defuses those
constructs first (defuse.py), so formatting takes time linear in the body, and formats only
up to a budget: what a very long body holds beyond it is shown as plain paragraphs after a
note (a bad file never makes a slow page or a failed build).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..thai.digits import TO_ARABIC
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
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.DOTALL)
TOO_LONG_TO_FORMAT = "เนื้อหาส่วนต่อจากนี้ยาวหรือซับซ้อนเกินกว่าจะจัดรูปแบบได้ จึงแสดงเป็นข้อความธรรมดา"
_NO_SRC_IMG = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
ALT_ATTRIBUTE = re.compile(r'\salt="([^"]*)"')  # an <img>'s alt in the sanitised HTML (pictures.py too)
_LOCAL = threading.local()  # one Markdown instance per thread: building one costs ~3 ms
_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d+\.)[ \t]+\S")  # \d: Thai digits too
_LIST_START = re.compile(r" {0,3}(?:[-*+]|0*[1๑]\.)[ \t]+\S")
_THAI_START = re.compile(r'<ol start="([๐-๙]+)">')
_TASK = re.compile(r"<li>(\s*<p>)?\[([ xX])\] ")
# A web address typed bare, as authors paste them from a browser or a letter: ASCII only, so an
# address ends where Thai text runs on without a space ("ที่https://www.dla.go.th/แล้ว…").
_BARE_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_URL_END = ".,;:!?'\"*"  # a sentence's punctuation after an address is not part of it
_VERBATIM = {"code", "pre"}  # text shown as typed
_NOT_LINKED = {"a", *_VERBATIM}


@dataclass(frozen=True)
class RenderedBody:
    """A body as safe HTML, with its headings for the table of contents."""

    html: str
    toc: tuple[tuple[int, str, str], ...] = ()  # (level, anchor id, heading text) for levels 2–4
    plain: bool = False  # all or part of it too costly to format: shown as plain paragraphs

    @property
    def text(self) -> str:
        """The words a reader sees, one line per block (for the index and snippets); the note on a picture
        left out is the site's, not the asset's (every picture is left out when the index is built)."""
        return html_to_text(_LEFT_OUT_WHY.sub("", self.html) if "left-out-why" in self.html else self.html)

    @property
    def headings(self) -> list[str]:
        """The text of every heading, all levels."""
        return [html_to_text(m.group(1)) for m in _HEADING.finditer(self.html)]


def render_body(body: str, toc: bool = True, image_src: Callable[[str], str | None] | None = None,
                link_href: Callable[[str], str | None] | None = None) -> RenderedBody:
    """Render Markdown (tables, fenced code, heading anchors) and strip anything unsafe.

    Raw HTML in an asset is sanitised, so <script> or onerror= never reach the reader.
    toc=False leaves out the anchors and the table of contents (the index needs only the
    text, and the anchors cost a sixth of the time). Images are kept only where
    `image_src` turns their src into a URL (the asset's own attachments); any other
    image is left out and its alt text shown, so a page never loads a picture from elsewhere.
    A link that `link_href` turns into a URL (an attachment written as pictures are) takes it.
    """
    body = body or ""
    defused = defuse(body)
    try:
        html, headings = format_markdown(defused.text, toc, image_src, link_href)
    except RecursionError:  # nesting deeper than defuse() foresaw: never a failed page or build
        log.warning("a Markdown body of %d characters is shown as plain text: nesting too deep", len(body))
        return RenderedBody(_plain_paragraphs(body), plain=True)
    if not defused.rest:
        return RenderedBody(html, headings)
    log.warning("a Markdown body of %d characters is over the formatting budget: its last %d are shown as "
                "plain text", len(body), len(defused.rest))
    note = f'<p class="note">{TOO_LONG_TO_FORMAT}</p>\n'
    return RenderedBody(html + "\n" + note + _plain_paragraphs(defused.rest), headings, plain=True)


def format_markdown(text: str, toc: bool = True, image_src: Callable[[str], str | None] | None = None,
                    link_href: Callable[[str], str | None] | None = None
                    ) -> tuple[str, tuple[tuple[int, str, str], ...]]:
    """Markdown → sanitised HTML and headings, with no limit (give it defused text)."""
    md = _markdown(toc)
    try:
        html = md.convert(text)
    except RecursionError:
        _LOCAL.__dict__.pop(f"md{toc}", None)  # left mid-parse: the next body gets a fresh one
        raise
    return _clean(html, image_src, link_href), tuple(_flatten(getattr(md, "toc_tokens", ())))


def markdown_to_text(body: str) -> str:
    """The text a reader sees in a Markdown body: "**2 * 3 * 4**" → "2 * 3 * 4"."""
    return render_body(body, toc=False).text


def html_to_text(html: str) -> str:
    """Drop the tags of sanitised HTML and decode its entities; blank lines go."""
    text = unescape(nh3.clean(html, tags=set())) if "<" in html or "&" in html else html
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def heading_id(text: str, separator: str) -> str:
    """Anchor id for a heading that keeps Thai vowels and tone marks: "ขั้นตอน การลา" → "ขั้นตอน-การลา".

    (markdown's slugify_unicode drops combining marks, turning ขั้นตอน into ขนตอน.)
    """
    text = unicodedata.normalize("NFC", text).strip().lower()
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" or ch in "-_" else " " for ch in text)
    return re.sub(r"\s+", separator, kept.strip())


class _ListAfterText(Preprocessor):
    """A list may start on the line after a line of text, as in CommonMark and every chat app:
    "เอกสารที่ต้องใช้:" and then "- บัตรประชาชน" is a label and a list, which Python-Markdown
    reads as one paragraph unless a blank line parts them (the real KM plans write it so in
    62 places). A blank line is put in before such a list's first item: a bullet, or a number
    that starts a list (1. or ๑.), as CommonMark lets only those interrupt a paragraph; after a
    label ending in ":" any number does ("ขั้นตอนต่อ:" and then "๔. ส่งแบบคำร้อง")."""

    def run(self, lines: list[str]) -> list[str]:
        return _two_space_nesting(self._parted(lines))

    @staticmethod
    def _parted(lines: list[str]) -> list[str]:
        out: list[str] = []
        in_list = False  # a list item since the last blank line: its lines are the list's own
        for line in lines:
            if not line.strip():
                in_list = False
            elif _LIST_ITEM.match(line):
                if not in_list and out and out[-1].strip() and (_LIST_START.match(line)
                                                               or out[-1].rstrip().endswith(":")):
                    out.append("")
                in_list = True
            out.append(line)
        return out


def _two_space_nesting(lines: list[str]) -> list[str]:
    """Lists nested by two spaces a level (or three under "1."), as most editors and CommonMark
    write them, read as nested: Python-Markdown wants four, and flattened the sub-items or ran
    them into their parent's line. In a run of lines without a blank one that starts a list at the
    margin, when an item is indented by other than a multiple of four, every indent is doubled."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        indents = [len(line) - len(line.lstrip(" ")) for line in run if _LIST_ITEM.match(line.lstrip(" "))]
        if indents and min(indents) == 0 and any(n % 4 and n >= 2 for n in indents):
            out.extend(" " * (len(line) - len(line.lstrip(" "))) + line for line in run)
        else:
            out.extend(run)
        run.clear()

    for line in lines:
        if line.strip():
            run.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return out


class _KnowledgeMarkdown(Extension):
    """What authors of knowledge assets write, read as they mean it: lists right under a line of
    text (_ListAfterText), and text indented by a tab or spaces (a first-line indent pasted from
    Word) as text, not as a code block that neither wraps on a phone nor prints whole; code
    keeps its ``` fences. (With it: nl2br, so a line break typed is a line break shown, as in
    Word and LINE: signature blocks, ☐ lines and ก. ข. items no longer run together; and
    footnotes, which regulations are cited with; ~~struck out~~, as a revised rule is shown;
    and a web address typed bare is a link, _BareLinks.)"""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(_ListAfterText(md), "list_after_text", 15)  # after fences are stashed
        md.parser.blockprocessors.deregister("code")
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"(~~)(?!~)(.+?)~~", "del"), "strike", 65)
        md.treeprocessors.register(_BareLinks(md), "bare_links", 15)  # after the inline patterns (20)
        md.treeprocessors.register(_LineBreaks(md), "line_breaks", 14)


class _LineBreaks(Treeprocessor):
    """A line break typed is a line break shown (what the nl2br extension does), in time linear in
    the text: nl2br is an inline pattern that rebuilds the paragraph for every break, and a pasted
    list of 75,000 names without blank lines took 25 s of CPU on every view (outside security
    review). Each text is split once and its element's children are set once."""

    def run(self, root) -> None:
        for element in list(root.iter()):
            if element.tag in _VERBATIM or not (element.text and "\n" in element.text
                                                        or any(c.tail and "\n" in c.tail for c in element)):
                continue
            children: list = []
            head = self._broken(element.text or "", children)
            for child in list(element):
                children.append(child)
                child.tail = self._broken(child.tail or "", children) or None
            element.text = head or None
            element[:] = children

    @staticmethod
    def _broken(text: str, children: list) -> str:
        """The text before its first line break; a <br> per break goes to `children`, each holding
        the line after it."""
        if "\n" not in text or isinstance(text, markdown.util.AtomicString):
            return text
        head, *lines = text.split("\n")
        for line in lines:
            br = etree.Element("br")
            br.tail = line  # the serializer writes a line end after each <br>
            children.append(br)
        return head


class _BareLinks(Treeprocessor):
    """https://… and www.… written as text become links (never inside a link or code). Python-
    Markdown links only <https://…>; authors paste addresses bare. A small pattern rather than a
    linkify library: addresses here are ASCII and end where Thai text starts, which a Unicode-wide
    linkifier would run on into."""

    def run(self, root) -> None:
        self._walk(root)

    def _walk(self, element) -> None:
        if element.tag in _NOT_LINKED:
            return
        for index, child in reversed(list(enumerate(element))):
            self._walk(child)
            if child.tail and ("://" in child.tail or "www." in child.tail):
                child.tail, links = self._split(child.tail)
                for offset, link in enumerate(links, start=index + 1):
                    element.insert(offset, link)
        if element.text and ("://" in element.text or "www." in element.text):
            element.text, links = self._split(element.text)
            for offset, link in enumerate(links):
                element.insert(offset, link)

    @staticmethod
    def _split(text: str) -> tuple[str, list]:
        """The text before the first address, and one <a> per address holding what follows it."""
        links: list = []
        head, at = None, 0
        for match in _BARE_URL.finditer(text):
            address = _trimmed(match.group())
            if "." not in address.split("//", 1)[-1].strip("."):
                continue
            before = text[at:match.start()]
            if links:
                links[-1].tail = before
            else:
                head = before
            link = etree.Element("a", href=address if "://" in address else "http://" + address)
            link.text = markdown.util.AtomicString(address)
            links.append(link)
            at = match.start() + len(address)
        if not links:
            return text, []
        links[-1].tail = text[at:]
        return head, links


def _trimmed(address: str) -> str:
    """An address without the full stop, comma or closing bracket of the sentence around it."""
    end, unopened = len(address), address.count(")") - address.count("(")
    while end and (address[end - 1] in _URL_END or (address[end - 1] == ")" and unopened > 0)):
        unopened -= address[end - 1] == ")"
        end -= 1
    return address[:end]


def _markdown(toc: bool) -> markdown.Markdown:
    md = getattr(_LOCAL, f"md{toc}", None)
    if md is None:
        md = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "footnotes", _KnowledgeMarkdown(),
                        *(["toc"] if toc else [])],
            extension_configs={"footnotes": {"BACKLINK_TITLE": "กลับไปที่เชิงอรรถ %d ในเนื้อหา"},
                               **({"toc": {"slugify": heading_id, "toc_depth": "2-4"},
                                   "tables": {"use_align_attribute": True}} if toc else {})},
            output_format="html",
        )
        setattr(_LOCAL, f"md{toc}", md)
    return md.reset()


def _clean(html: str, image_src: Callable[[str], str | None] | None = None,
           link_href: Callable[[str], str | None] | None = None) -> str:
    has_images = "<img" in html
    links = link_href if link_href is not None and "<a " in html else None
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer",
                        attribute_filter=_attachment_filter(image_src, links) if has_images or links else None)
    if has_images:  # a picture below the fold waits until the reader scrolls near it (outside review PW-03)
        cleaned = _NO_SRC_IMG.sub(_alt_text, cleaned).replace("<img ", '<img loading="lazy" decoding="async" ')
    if "<ol start=" in cleaned:
        cleaned = _THAI_START.sub(_thai_list, cleaned)
    return _TASK.sub(_task_box, cleaned) if "[" in cleaned else cleaned


def _thai_list(match: re.Match) -> str:
    """A list numbered in Thai digits (๔. ๕. ๖.) is shown with Thai numbers from where it starts:
    a browser reads only Arabic digits in `start`, and numbered ข้อ ๔ as 1."""
    start = int(match.group(1).translate(TO_ARABIC))
    return '<ol class="thai-digits">' if start == 1 else f'<ol class="thai-digits" start="{start}">'


def _task_box(match: re.Match) -> str:
    """A checklist item (- [ ] or - [x], what the editor's รายการตรวจ button writes) shows a box."""
    box = "☐" if match.group(2) == " " else "☑"
    return f'<li class="task">{match.group(1) or ""}{box} '



def _attachment_filter(image_src: Callable[[str], str | None] | None,
                       link_href: Callable[[str], str | None] | None):
    """nh3's attribute filter: an <img src> becomes the URL image_src gives, or goes; an <a href>
    becomes the URL link_href gives, or stays as written."""
    def keep(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            return image_src(value) if image_src is not None else None
        if element == "a" and attribute == "href" and link_href is not None:
            return link_href(value) or value
        return value
    return keep


IMAGE_LEFT_OUT = "รูปนี้ไม่แสดง: แสดงได้เฉพาะรูปที่แนบกับเรื่องนี้ (แนบที่หน้าไฟล์แนบ แล้วอ้างถึงด้วยชื่อไฟล์)"


_LEFT_OUT_WHY = re.compile(r'<small class="left-out-why">[^<]*</small>')


def _alt_text(match: re.Match) -> str:
    """An image left without a source: its alt text (or รูปภาพ when it has none), marked so the
    reader knows a picture was here, and why, in the text (an author in the preview saw "[alt]" and
    no reason; a title attribute reached neither touch, nor keyboard, nor most screen readers:
    accessibility review A-16)."""
    alt = ALT_ATTRIBUTE.search(match.group(0))
    shown = alt.group(1) if alt and alt.group(1) else "รูปภาพ"
    return f'<span class="image-left-out">[{shown}] <small class="left-out-why">{IMAGE_LEFT_OUT}</small></span>'


def _plain_paragraphs(body: str) -> str:
    paragraphs = (p.strip() for p in re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n")))
    return "\n".join(f"<p>{escape(p).replace(chr(10), '<br>' + chr(10))}</p>" for p in paragraphs if p)


def _flatten(tokens):
    for token in tokens:
        yield token["level"], token["id"], html_to_text(token["name"])
        yield from _flatten(token.get("children", []))
