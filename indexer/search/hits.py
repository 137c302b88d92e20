"""One search result as the page and the API show it: its facts, its excerpt and the passage
the result link opens at, read from the stored fields of the index."""

from __future__ import annotations

import datetime as dt

from ..thai.ends import StoredEnds, unpack_ends
from ..thai.segment import Segmenter
from ..thai.text import normalize
from .answers import answer_finder
from .confidence import names_reference
from .query import ParsedQuery
from .requests import Hit
from .snippets import attachment_match, make_excerpt


class StoredFields(dict):
    """The stored fields of the documents one search reads, each read once: the phrase bonus
    reads the texts of its 20 candidates and the page shows 10 of them again. Reading an
    asset's stored fields (its whole text, unpickled) takes about 0.1 ms at 10,000 assets."""

    def __init__(self, searcher):
        super().__init__()
        self.searcher = searcher

    def __missing__(self, doc: int) -> dict:
        fields = self[doc] = self.searcher.stored_fields(doc)
        return fields


def make_hit(fields: dict, score: float, parsed: ParsedQuery, segmenter: Segmenter) -> Hit:
    """The result of one document for the question `parsed`."""
    meta = fields.get("meta") or {}
    packed = fields.get("word_ends")  # the text's token ends, stored by the index: nothing to segment
    ends = StoredEnds(unpack_ends(packed), segmenter.part_boundaries) if packed else None
    snippet, passage = make_excerpt(fields.get("text", ""), parsed.highlight_terms, meta.get("summary", ""),
                                    word_bounds=segmenter.word_bounds, edge_bounds=segmenter.token_bounds,
                                    ends=ends, answer=answer_finder(parsed.asks),
                                    concept_of=parsed.concept_of)
    in_files = attachment_match(fields.get("files"), parsed.highlight_terms, snippet, meta.get("title", ""),
                                meta.get("summary", ""), meta.get("tags", ()), segmenter.word_bounds)
    return Hit(
        slug=fields["slug"], title=meta.get("title", fields["slug"]), path=fields["path"],
        department=fields.get("department", ""), km_stage=fields.get("km_stage", ""),
        asset_type=fields.get("asset_type", ""), knowledge_type=fields.get("knowledge_type", ""),
        status=fields.get("status", "published"),
        tags=tuple(meta.get("tags", ())), summary=meta.get("summary", ""), owner=meta.get("owner", ""),
        published=_date(meta.get("published")), updated=_date(meta.get("updated")),
        snippet=snippet, score=_score(score), in_attachments=in_files,
        # the page shows its title and summary above the text: a passage they hold is found there
        passage="" if in_files or shown_above(passage, meta) else passage,
        # the evidence of a dissemination that holds the number asked for: why the asset is first
        sent_with=tuple(ref for ref in meta.get("refs", ()) if parsed.references
                        and names_reference(normalize(ref), parsed.references)),
    )


def shown_above(passage: str, meta: dict) -> bool:
    """Whether an asset page's title or summary, which it shows above its text, hold `passage`
    (case aside); its tags and facts follow the text in the page."""
    wanted = passage.casefold()
    return bool(wanted) and any(wanted in (meta.get(field) or "").casefold() for field in ("title", "summary"))


def _score(score) -> float:
    """Relevance score; sorted searches report a sort key instead, shown as 0."""
    return round(float(score), 4) if isinstance(score, (int, float)) else 0.0


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
