"""The KM-plan cycle: action plans, sharing events, the people directory, needed knowledge,
awareness surveys and the yearly results report, read from text files under knowledge/_km/.

No Flask here: the site (app/plans) and the CLI (`python -m indexer check | km-report`)
both build on these functions.
"""

from .ahead import dated_ahead
from .catalogue import KmCatalogue, check_km_text, km_text_warnings, load_km
from .config import PlanVocabulary, load_plan_vocabulary
from .crossref import KmRecords
from .fields import number, whole_number
from .loader import FOLDERS, KIND_LABELS, LEGACY_NEEDS, SINGLE_FILES, km_rel, needs_key_year
from .measures import EvidenceItem, MeasureResult, YearData, compute_measure, year_data, year_measures
from .model import (
                    YEAR_RESULT_NAMES,
                    Activity,
                    ActivityYear,
                    Event,
                    NeedGroup,
                    NeedItem,
                    NeedsList,
                    Person,
                    Plan,
                    PlanGoal,
                    ScoreItem,
                    Signatory,
                    Survey,
                    YearNarrative,
)
from .people import Expert, PeopleIndex, experts_for, name_key
from .periods import Period, PeriodError, parse_period
from .progress import STATES, ActivityResult, Overview, activity_result
from .recorded import recorded_results, results_differences
from .report import GOAL_UNITS, EvidenceSection, ScoreRow, YearResults, activity_level, amount_text, plan_results
from .schema import KEY_PATTERN, MEASURES, MEASURES_BY_KEY, RECORDS_FOLDER, SCHEMAS, MeasureSpec
from .writing import (
                    CannotEdit,
                    append_need_text,
                    append_survey_text,
                    next_needs_text,
                    next_plan_text,
                    record_text,
                    set_year_results_text,
                    update_activity_text,
                    update_record_text,
)

__all__ = [
    "YEAR_RESULT_NAMES", "ActivityYear",
    "dated_ahead",
    "KmCatalogue", "check_km_text", "km_text_warnings", "load_km", "PlanVocabulary", "load_plan_vocabulary",
    "KmRecords", "number",
    "whole_number", "FOLDERS", "KIND_LABELS", "SINGLE_FILES", "km_rel", "LEGACY_NEEDS", "needs_key_year",
    "EvidenceItem", "MeasureResult", "YearData",
    "compute_measure", "year_data", "year_measures", "Activity", "Event", "NeedGroup", "NeedItem", "NeedsList",
    "Person", "Plan", "PlanGoal", "ScoreItem", "Signatory", "Survey", "YearNarrative", "Expert", "PeopleIndex",
    "experts_for", "name_key", "Period", "PeriodError", "parse_period", "STATES", "ActivityResult", "Overview",
    "activity_result", "GOAL_UNITS", "EvidenceSection", "ScoreRow", "YearResults", "activity_level", "amount_text",
    "plan_results", "KEY_PATTERN",
    "RECORDS_FOLDER", "MEASURES", "MEASURES_BY_KEY", "SCHEMAS", "MeasureSpec", "CannotEdit", "append_need_text",
    "append_survey_text", "record_text", "set_year_results_text", "next_plan_text", "next_needs_text",
    "recorded_results",
    "results_differences",
    "update_activity_text", "update_record_text",
]
