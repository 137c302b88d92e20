"""The Whoosh schema of the index (pre-segmented text fields, facet columns)."""

from __future__ import annotations

from whoosh import columns
from whoosh.analysis import RegexTokenizer
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

# Segments are written as separate files, never as one compound file: Whoosh
# reads each part of a compound file into its own in-memory copy (BytesIO), which
# cost every searcher 93 MB at 10,000 assets.
COMPOUND = False
# Text fields arrive already segmented (tokens joined by spaces), so the index
# analyser only splits on spaces; Thai segmentation happens once, in documents.py.
_SPLIT = RegexTokenizer(r"[^ ]+")
# The text fields whose words the search's lexicon holds (search/lexicon.py, index/words.py).
WORD_FIELDS = ("title", "headings", "tags_text", "body")


class TagsField(KEYWORD):
    """Comma-separated tags, also kept as a list column: the tag facet then reads one
    column instead of walking the postings of every tag on every search."""

    def __init__(self) -> None:
        super().__init__(stored=True, commas=True, scorable=True)
        self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value) -> list[bytes]:
        return [tag.strip().encode("utf-8") for tag in str(value).split(",") if tag.strip()]

    def from_column_value(self, value) -> list[str]:
        return [v.decode("utf-8") for v in value]


def make_schema() -> Schema:
    """The Whoosh schema: pre-segmented text fields with positions, facets, sort keys."""
    text = dict(analyzer=_SPLIT, phrase=True)
    facet = dict(stored=True, sortable=True)
    return Schema(
        slug=ID(stored=True, unique=True), path=ID(stored=True), signature=STORED,
        title=TEXT(**text), headings=TEXT(**text),
        tags_text=TEXT(**text), owner_text=TEXT(**text), refs_text=TEXT(**text),
        body=TEXT(**text),
        department=ID(**facet), km_stage=ID(**facet), asset_type=ID(**facet),
        knowledge_type=ID(**facet), status=ID(**facet), fy=ID(**facet),
        tags=TagsField(),
        published=NUMERIC(stored=True, sortable=True), newest=NUMERIC(sortable=True),
        meta=STORED, text=STORED, files=STORED, word_ends=STORED,
        # "slug\x1ftitle" as a column only: lists sort by title (Thai order) or views from it
        # without unpickling every document's stored fields (2.8 s at 10,000 assets; the column: see ordering.py)
        list_key=COLUMN(columns.VarBytesColumn()),
    )


