"""What a search asks for and what it returns, and the checking of untrusted parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..content.vocabulary import Vocabulary
from ..dates import FiscalYearError, parse_fiscal_year
from ..errors import InvalidParameter, InvalidSearch
from ..thai.digits import arabic_digits
from .query import MAX_QUERY_CHARS

FILTERS = {"department": "departments", "km_stage": "km_stages", "asset_type": "asset_types"}
SORTS = ("relevance", "newest")
MAX_PAGE = 1000
MAX_PER_PAGE = 50
MAX_DIGITS = 18  # longer numbers are not read at all


@dataclass(frozen=True)
class SearchRequest:
    """What the reader asked for; build it with `parse_search_params` from untrusted input."""

    q: str = ""
    department: str | None = None
    km_stage: str | None = None
    asset_type: str | None = None
    tag: str | None = None
    fy: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    include_drafts: bool = False
    autocorrect: bool = True  # retry a likely typo with the suggestion
    semantic: bool = True     # fuse the semantic ranking in, when it is on and ready

    @property
    def filters(self) -> dict[str, str]:
        pairs = {"department": self.department, "km_stage": self.km_stage, "asset_type": self.asset_type,
                 "tag": self.tag, "fy": str(self.fy) if self.fy else None}
        return {k: v for k, v in pairs.items() if v}


@dataclass(frozen=True)
class AttachmentMatch:
    """The attachments of a result that hold the search words its own text lacks, with an
    excerpt (HTML, words in <mark>) from the first of them."""

    names: tuple[str, ...]
    snippet: str


@dataclass(frozen=True)
class Hit:
    """One search result."""

    slug: str
    title: str
    path: str
    department: str
    km_stage: str
    asset_type: str
    knowledge_type: str
    status: str
    tags: tuple[str, ...]
    summary: str
    owner: str
    published: dt.date | None
    updated: dt.date | None
    snippet: str
    score: float
    in_attachments: AttachmentMatch | None = None  # set when only attachments hold the words
    sent_with: tuple[str, ...] = ()  # its dissemination evidence that holds the document number searched for
    passage: str = ""  # the plain text of the snippet's place in the asset: a link's text fragment opens it there


@dataclass(frozen=True)
class SearchResponse:
    """Results of one search, with facets and any spelling suggestion."""

    request: SearchRequest
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    corrected_from: str | None = None  # the typed query, when results are for `suggestion`
    switched_layout: bool = False  # `suggestion` is the query typed on the other keyboard layout
    confident: bool = True  # False: the first result holds too little of the question (see confidence.sure)
    semantic: bool = False  # the semantic ranking was fused in
    highlight_terms: frozenset[str] = frozenset()  # the words (and synonyms) the snippets mark

    @property
    def truncated(self) -> bool:
        """Whether the question typed was cut to MAX_QUERY_CHARS. Read from `request`, the
        question as typed: the one searched may be shorter (respelled, switched, read back)."""
        return len(self.request.q or "") > MAX_QUERY_CHARS

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))


def parse_search_params(params: Mapping[str, str], vocab: Vocabulary, default_per_page: int = 10) -> SearchRequest:
    """Validate untrusted parameters; raise InvalidSearch naming the parameter and the fix."""
    values: dict = {"q": str(params.get("q") or "")}
    for name, list_name in FILTERS.items():
        raw = (params.get(name) or "").strip()
        if raw:
            key = vocab.list(list_name).resolve(raw)
            if key is None:
                raise InvalidSearch(f"{name}: ไม่รู้จักค่า \"{raw[:50]}\" (ใช้ได้: {', '.join(vocab.list(list_name).keys)})")
            values[name] = key
    tag = (params.get("tag") or "").strip()
    if tag:
        values["tag"] = tag[:100]
    fy = (params.get("fy") or "").strip()
    if fy:
        try:
            values["fy"] = parse_fiscal_year(fy)
        except FiscalYearError as exc:
            raise InvalidSearch(str(exc)) from exc
    sort = (params.get("sort") or "").strip()
    if sort:
        if sort not in SORTS:
            raise InvalidSearch(f"sort: ต้องเป็น relevance หรือ newest แต่พบ \"{sort[:20]}\"")
        values["sort"] = sort
    if (params.get("as_typed") or "").strip() in ("1", "true"):
        values["autocorrect"] = False
    values["page"] = _bounded_int(params, "page", 1, 1, MAX_PAGE)
    values["per_page"] = _bounded_int(params, "per_page", min(max(default_per_page, 1), MAX_PER_PAGE), 1, MAX_PER_PAGE)
    return SearchRequest(**values)


def _bounded_int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        return parse_bounded_int(raw, name, low, high)
    except InvalidParameter as exc:
        raise InvalidSearch(str(exc)) from None


def parse_bounded_int(raw: str, name: str, low: int, high: int) -> int:
    """Read a whole number from a URL or form, or raise InvalidParameter naming `name` and the range.

    The digits are counted before int() sees them: int() refuses 4,300+ digits with a
    ValueError (a 500 if uncaught), and a number too long to read is named by its length.
    """
    typed = raw.strip()
    raw = arabic_digits(typed)  # ๒ is 2, as in every number the site reads
    if not raw.isascii() or not raw.isdigit():
        raise InvalidParameter(f"{name}: ต้องเป็นจำนวนเต็ม {low}–{high} แต่พบ \"{typed[:20]}\"")
    digits = raw.lstrip("0") or "0"
    if len(digits) > MAX_DIGITS:
        raise InvalidParameter(f"{name}: ต้องอยู่ระหว่าง {low} ถึง {high} แต่พบตัวเลขยาว {len(digits):,} หลัก")
    value = int(digits)
    if not low <= value <= high:
        raise InvalidParameter(f"{name}: ต้องอยู่ระหว่าง {low} ถึง {high} แต่พบ {value}")
    return value
