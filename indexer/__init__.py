"""ขุมความรู้ indexer: Thai analysis, validation and a Whoosh index of Markdown knowledge assets.

This package never imports Flask; the site in `app/` builds on it.
"""

from .asset import Asset, DisseminationRecord, Problem
from .errors import IndexBusy, IndexUnavailable, InvalidSearch, KnowledgeError, SettingsError
from .kb import KnowledgeBase
from .requests import Hit, SearchRequest, SearchResponse, parse_search_params
from .settings import Settings
from .dates import THAI_MONTHS_ABBR, DateFormatError, fiscal_year_bounds, fiscal_year_of, parse_date, parse_fiscal_year, thai_date
from .plans import (KIND_LABELS, STATES as ACTIVITY_STATES, ActivityResult, CannotEdit, EvidenceItem, Event, Expert, KmCatalogue,
                    KmRecords, MEASURES, MEASURES_BY_KEY, Person, Plan, PlanVocabulary, SCHEMAS, YearResults,
                    amount_text, append_need_text, append_survey_text, check_km_text, experts_for, km_rel,
                    load_plan_vocabulary, number, plan_results, record_text, set_year_results_text,
                    update_activity_text, update_record_text, whole_number, year_data)

__all__ = [
    "Asset", "DisseminationRecord", "Problem", "KnowledgeBase", "Settings", "SearchRequest",
    "SearchResponse", "Hit", "parse_search_params", "KnowledgeError", "SettingsError",
    "IndexUnavailable", "InvalidSearch", "IndexBusy",
    # dates, for the KM-plan pages
    "THAI_MONTHS_ABBR", "DateFormatError", "fiscal_year_bounds", "fiscal_year_of", "parse_date", "parse_fiscal_year", "thai_date",
    # the KM-plan cycle (indexer.plans)
    "KIND_LABELS", "ACTIVITY_STATES", "ActivityResult", "CannotEdit", "EvidenceItem", "Event", "Expert", "KmCatalogue", "KmRecords",
    "MEASURES", "MEASURES_BY_KEY", "Person", "Plan", "PlanVocabulary", "SCHEMAS", "YearResults", "amount_text",
    "append_need_text", "append_survey_text", "check_km_text", "experts_for", "km_rel", "load_plan_vocabulary",
    "number", "plan_results", "record_text", "set_year_results_text", "update_activity_text", "update_record_text",
    "whole_number", "year_data",
]
