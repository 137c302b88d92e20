"""ขุมความรู้ indexer: Thai analysis, validation and a Whoosh index of Markdown knowledge assets.

This package never imports Flask. Its public API is what this module exports: the site in
`app/` imports from here only, so the modules behind it can change freely.
"""

# The product's version, declared once: the CLI's --version, /healthz, backups, the API document
# and the database refusal message read it from here. Bump it with every release (docs/DEPLOY.md).
__version__ = "1.7.0"

from .content.asset import Asset, DisseminationRecord, Problem
from .content.attachments import attachment_folder, list_attachments, read_attachments
from .content.catalogue import AssetCatalogue
from .content.dissemination import DisseminationError, read_record_date, resolve_channel
from .content.editing import (
                              append_dissemination,
                              line_end,
                              new_asset_text,
                              read_text_exactly,
                              split_source,
                              update_front_matter,
)
from .content.extraction import READ_KINDS, extract_text, zip_problem
from .content.links import broken_links
from .content.loader import NOT_COUNTED, AssetInvalid, iter_asset_files, parse_asset, raw_front_matter, relative_path
from .content.personal import (
                              WORKPLACE,
                              asset_personal_data,
                              describe_personal_data,
                              new_personal_data,
                              personal_data,
                              personal_data_in_file,
                              personal_data_warnings,
)
from .content.pictures import PLACEHOLDER as PICTURE_PLACEHOLDER
from .content.pictures import picture_warnings
from .content.render import RenderedBody, markdown_to_text, render_body
from .content.schema import FIELDS, MAX_REF_CHARS, FieldSpec
from .content.slugs import copied_assets, duplicate_slug
from .content.sources import Unreadable, text_problems
from .content.vocabulary import Vocabulary, load_vocabulary
from .dates import (
                              BE_OFFSET,
                              DATE_HELP,
                              THAI_MONTHS_ABBR,
                              DateFormatError,
                              FiscalYearError,
                              be_date_input,
                              fiscal_year_bounds,
                              fiscal_year_of,
                              parse_date,
                              parse_fiscal_year,
                              thai_date,
                              thai_datetime,
                              thai_month,
                              use_timezone,
)
from .errors import IndexBusy, IndexUnavailable, InvalidParameter, InvalidSearch, KnowledgeError, SettingsError
from .files import atomic_write_bytes, atomic_write_text, file_lock, user_name
from .indicators.closed import GoalDifference, closed_years_moved, closed_years_note, differences, recorded_figures
from .indicators.compute import (
                              ChannelEvidence,
                              ChannelRecord,
                              DepartmentEvidence,
                              FiscalYearReport,
                              asset_records,
                              compute_report,
                              fiscal_years_with_data,
)
from .indicators.config import IndicatorConfig, load_indicator_config
from .kb import KnowledgeBase
from .plans import (
                              GOAL_UNITS,
                              KIND_LABELS,
                              LEGACY_NEEDS,
                              MEASURES,
                              MEASURES_BY_KEY,
                              SCHEMAS,
                              YEAR_RESULT_NAMES,
                              ActivityResult,
                              CannotEdit,
                              Event,
                              EvidenceItem,
                              Expert,
                              KmCatalogue,
                              KmRecords,
                              Person,
                              Plan,
                              PlanVocabulary,
                              YearResults,
                              amount_text,
                              append_need_text,
                              append_survey_text,
                              check_km_text,
                              dated_ahead,
                              experts_for,
                              km_rel,
                              km_text_warnings,
                              load_plan_vocabulary,
                              needs_key_year,
                              next_needs_text,
                              next_plan_text,
                              number,
                              plan_results,
                              record_text,
                              recorded_results,
                              results_differences,
                              set_year_results_text,
                              update_activity_text,
                              update_record_text,
                              whole_number,
                              year_data,
)
from .plans import STATES as ACTIVITY_STATES
from .plans.yamlfile import FileInvalid, parse_yaml_text
from .search.ordering import LIST_SORTS
from .search.query import MAX_QUERY_CHARS, parse_query
from .search.requests import (
                              AttachmentMatch,
                              Hit,
                              SearchRequest,
                              SearchResponse,
                              parse_bounded_int,
                              parse_search_params,
)
from .search.snippets import find_matches, make_snippet
from .search.suggest import Suggestion
from .search.suggest import query_key as suggest_query
from .settings import SETTINGS, Setting, Settings, log_undeclared, read_settings, undeclared
from .thai.digits import arabic_digits
from .thai.text import normalize

__all__ = [
    "YEAR_RESULT_NAMES",
    # knowledge base, settings, errors
    "KnowledgeBase", "Settings", "SETTINGS", "Setting", "read_settings", "undeclared", "log_undeclared",
    "KnowledgeError",
    "SettingsError", "IndexUnavailable", "InvalidSearch", "IndexBusy", "InvalidParameter", "parse_bounded_int",
    # assets and their files
    "Asset", "DisseminationRecord", "Problem", "AssetInvalid", "NOT_COUNTED", "parse_asset", "raw_front_matter",
    "iter_asset_files", "relative_path", "duplicate_slug", "copied_assets",
    "broken_links", "personal_data", "new_personal_data", "asset_personal_data", "describe_personal_data", "WORKPLACE",
    "personal_data_in_file",
    "personal_data_warnings", "picture_warnings", "PICTURE_PLACEHOLDER",
    "text_problems", "Unreadable", "FIELDS", "MAX_REF_CHARS",
    "FieldSpec", "Vocabulary", "load_vocabulary",
    "AssetCatalogue", "attachment_folder", "list_attachments", "read_attachments", "append_dissemination",
    "new_asset_text", "split_source", "update_front_matter", "line_end", "read_text_exactly", "DisseminationError",
    "read_record_date", "resolve_channel",
    "atomic_write_bytes", "atomic_write_text", "file_lock", "user_name", "RenderedBody", "render_body",
    "markdown_to_text",
    # dates and the Thai fiscal year
    "BE_OFFSET", "THAI_MONTHS_ABBR", "DateFormatError", "FiscalYearError", "fiscal_year_bounds", "fiscal_year_of",
    "parse_date", "parse_fiscal_year", "thai_date", "thai_month", "thai_datetime", "use_timezone", "be_date_input",
    "DATE_HELP",
    # search
    "SearchRequest", "SearchResponse", "Hit", "AttachmentMatch", "zip_problem",
    "READ_KINDS", "extract_text", "LIST_SORTS", "parse_search_params",
    "parse_query", "MAX_QUERY_CHARS", "find_matches",
    "make_snippet", "normalize", "arabic_digits", "Suggestion", "suggest_query",
    # indicators
    "ChannelEvidence", "ChannelRecord", "asset_records", "DepartmentEvidence", "FiscalYearReport", "compute_report",
    "fiscal_years_with_data", "IndicatorConfig", "load_indicator_config", "GoalDifference", "closed_years_moved",
    "closed_years_note", "differences", "recorded_figures",
    # the KM-plan cycle (indexer.plans)
    "KIND_LABELS", "ACTIVITY_STATES", "ActivityResult", "CannotEdit", "EvidenceItem", "Event", "Expert", "KmCatalogue",
    "GOAL_UNITS", "KmRecords",
    "MEASURES", "MEASURES_BY_KEY", "Person", "Plan", "PlanVocabulary", "SCHEMAS", "YearResults", "amount_text",
    "dated_ahead",
    "append_need_text", "append_survey_text", "check_km_text", "experts_for", "km_rel", "km_text_warnings",
    "LEGACY_NEEDS", "needs_key_year",
    "load_plan_vocabulary",
    "number", "plan_results", "record_text", "set_year_results_text", "next_plan_text", "next_needs_text",
    "recorded_results",
    "results_differences",
    "update_activity_text", "update_record_text",
    "whole_number", "year_data", "FileInvalid", "parse_yaml_text",
]
