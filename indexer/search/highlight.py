"""Mark the searched words in an asset's HTML (the page reached from a result with ?h=…).

The same matching as snippets (find_matches: normalised text, Thai word boundaries,
offsets mapped back to the characters shown) runs over each text node of the already
sanitised HTML; tags and attributes are copied as they are, text is escaped again,
and only the matched characters are wrapped in <mark>. Bounded: at most MAX_MARKS
marks and MAX_TEXT_CHARS characters of text examined, whatever the page's size.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from html.parser import HTMLParser

from .edges import WordBounds
from .query import MAX_QUERY_CHARS
from .snippets import find_matches

MAX_MARKS = 200
MAX_TEXT_CHARS = 60_000
# text inside these is never marked (a <mark> there would be invalid or unreadable)
_SKIP = frozenset({"script", "style", "textarea", "title", "svg", "math"})


def mark_html(html: str, terms: Iterable[str], word_bounds: WordBounds) -> str:
    """`html` with every match of `terms` in its text wrapped in <mark class="search-hit">.

    >>> mark_html("<p>ยื่นใบลาป่วย</p>", {"ลาป่วย"}, lambda t: {0, 4, 6, len(t)})
    '<p>ยื่นใบ<mark class="search-hit">ลาป่วย</mark></p>'
    """
    terms = frozenset(t for t in terms if t)
    if not terms or not html:
        return html
    marker = _Marker(terms, word_bounds)
    marker.feed(html)
    marker.close()
    return "".join(marker.out)


class _Marker(HTMLParser):
    def __init__(self, terms: frozenset[str], word_bounds: WordBounds):
        super().__init__(convert_charrefs=True)
        self.terms = terms
        self.word_bounds = word_bounds
        self.out: list[str] = []
        self.skipping = 0
        self.marks = 0
        self.scanned = 0

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")
        if tag in _SKIP:
            self.skipping += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in _SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if self.skipping or self.marks >= MAX_MARKS or self.scanned >= MAX_TEXT_CHARS or not data.strip():
            self.out.append(escape(data, quote=False))
            return
        self.scanned += len(data)
        cursor = 0
        for start, end, _ in find_matches(data, self.terms, self.word_bounds, MAX_MARKS):
            if self.marks >= MAX_MARKS:
                break
            self.out.append(escape(data[cursor:start], quote=False))
            self.out.append(f'<mark class="search-hit">{escape(data[start:end], quote=False)}</mark>')
            cursor = end
            self.marks += 1
        self.out.append(escape(data[cursor:], quote=False))

    def handle_comment(self, data):
        pass  # sanitised HTML has none; a comment is never copied out

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass


def highlight_terms(engine, query: str, as_typed: bool = False) -> frozenset[str]:
    """The words a search for `query` marks in its snippets: the query's words (stop words
    dropped), their synonyms and tone variants, document numbers, and, unless `as_typed`,
    the corrections of words the index does not know ("ลาปวย" → ลาป่วย) and the words of
    pieces typed with the wrong keyboard layout ("]kxj;p" → ลาป่วย) and of abbreviations spelled
    in Thai letter names (เคพีไอ → KPI)."""
    searcher = engine.searcher()
    query = (query or "")[:2 * MAX_QUERY_CHARS]
    if not as_typed:  # the results of "]kxj;p" were those of ลาป่วย (keyboard.py): so is what they mark
        query = engine.retyped(query) or query
    _, parsed, _, _ = engine.understand(searcher, engine.lexicon(searcher), query, autocorrect=not as_typed)
    return parsed.highlight_terms
