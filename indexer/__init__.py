"""ขุมความรู้ indexer: Thai analysis, validation and a Whoosh index of Markdown knowledge assets.

This package never imports Flask; the site in `app/` builds on it.
"""

from .asset import Asset, DisseminationRecord, Problem
from .errors import IndexBusy, IndexUnavailable, InvalidSearch, KnowledgeError, SettingsError
from .kb import KnowledgeBase
from .requests import Hit, SearchRequest, SearchResponse, parse_search_params
from .settings import Settings

__all__ = [
    "Asset", "DisseminationRecord", "Problem", "KnowledgeBase", "Settings", "SearchRequest",
    "SearchResponse", "Hit", "parse_search_params", "KnowledgeError", "SettingsError",
    "IndexUnavailable", "InvalidSearch", "IndexBusy",
]
