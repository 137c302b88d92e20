"""ขุมความรู้ indexer: Thai analysis, validation and a Whoosh index of Markdown knowledge assets.

This package never imports Flask. Its public API is what this module exports: the site in
`app/` imports from here only, so the modules behind it can change freely.
"""

from .content.asset import Asset, DisseminationRecord, Problem
from .content.attachments import attachment_folder, list_attachments, read_attachments
from .content.catalogue import AssetCatalogue
from .content.dissemination import DisseminationError, add_dissemination
from .content.editing import append_dissemination, new_asset_text, split_source, update_front_matter
from .content.loader import AssetInvalid, iter_asset_files, parse_asset, relative_path
from .content.schema import FIELDS, FieldSpec
from .content.vocabulary import Vocabulary, load_vocabulary
from .dates import BE_OFFSET, THAI_MONTHS_ABBR, DateFormatError, fiscal_year_of, parse_date, parse_fiscal_year, thai_date
from .errors import IndexBusy, IndexUnavailable, InvalidParameter, InvalidSearch, KnowledgeError, SettingsError
from .files import atomic_write_bytes, atomic_write_text, file_lock
from .indicators.compute import (ChannelEvidence, ChannelRecord, DepartmentEvidence, FiscalYearReport,
                                 compute_report, fiscal_years_with_data)
from .indicators.config import IndicatorConfig, load_indicator_config
from .kb import KnowledgeBase
from .search.query import parse_query
from .content.extraction import zip_problem
from .search.requests import AttachmentMatch, Hit, SearchRequest, SearchResponse, parse_bounded_int, parse_search_params
from .search.snippets import find_matches, make_snippet
from .settings import SETTINGS, Setting, Settings, read_settings, undeclared
from .thai.text import normalize

__all__ = [
    # knowledge base, settings, errors
    "KnowledgeBase", "Settings", "SETTINGS", "Setting", "read_settings", "undeclared", "KnowledgeError", "SettingsError", "IndexUnavailable", "InvalidSearch",
    "IndexBusy", "InvalidParameter", "parse_bounded_int",
    # assets and their files
    "Asset", "DisseminationRecord", "Problem", "AssetInvalid", "parse_asset", "iter_asset_files",
    "relative_path", "FIELDS", "FieldSpec", "Vocabulary", "load_vocabulary", "AssetCatalogue",
    "attachment_folder", "list_attachments", "read_attachments", "append_dissemination",
    "new_asset_text", "split_source", "update_front_matter", "DisseminationError", "add_dissemination",
    "atomic_write_bytes", "atomic_write_text", "file_lock",
    # dates and the Thai fiscal year
    "BE_OFFSET", "THAI_MONTHS_ABBR", "DateFormatError", "fiscal_year_of", "parse_date",
    "parse_fiscal_year", "thai_date",
    # search
    "SearchRequest", "SearchResponse", "Hit", "AttachmentMatch", "zip_problem", "parse_search_params", "parse_query", "find_matches",
    "make_snippet", "normalize",
    # indicators
    "ChannelEvidence", "ChannelRecord", "DepartmentEvidence", "FiscalYearReport", "compute_report",
    "fiscal_years_with_data", "IndicatorConfig", "load_indicator_config",
]
