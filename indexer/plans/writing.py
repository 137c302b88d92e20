"""Change KM files the way the team writes them: round-trip YAML keeps comments, order and quoting.

These functions only build text; the site writes it through its one write path
(lock, conflict check, revision, audit log), after validating it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

from ..dates import BE_OFFSET, parse_date
from ..thai.digits import TO_THAI, arabic_digits
from ..yamlrt import DateText, round_trip_yaml
from .fields import whole_number
from .model import YEAR_RESULT_NAMES
from .yamlfile import read_as_other_than_text


class CannotEdit(ValueError):
    """The file is not in a shape the form can change (the message says why)."""


def _load(text: str | None) -> CommentedMap:
    if not text or not text.strip():
        return CommentedMap()
    try:
        data = round_trip_yaml().load(text)
    except YAMLError as exc:
        raise CannotEdit(f"ไฟล์เดิมอ่านเป็น YAML ไม่ได้ กรุณาแก้ไขไฟล์โดยตรงก่อน ({exc})") from exc
    if not isinstance(data, CommentedMap):
        raise CannotEdit("ไฟล์เดิมไม่ได้เป็นชุด ชื่อฟิลด์: ค่า กรุณาแก้ไขไฟล์โดยตรงก่อน")
    return data


def _dump(data: CommentedMap, header: str = "") -> str:
    out = io.StringIO()
    round_trip_yaml().dump(data, out)
    return header + out.getvalue()


def to_yaml(value: Any) -> Any:
    """A Python value as it should look in the file: short lists on one line, long text as a block, a date
    in the Buddhist era as the KM team types one (2569-11-15; domain review D-14: the forms wrote CE
    dates into files whose other dates were BE)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return DateText(f"{value.year + BE_OFFSET}-{value.month:02d}-{value.day:02d}")
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, list):
        seq = CommentedSeq(to_yaml(v) for v in value)
        if all(isinstance(v, (str, int)) and len(str(v)) < 60 for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = to_yaml(v)
        return mapping
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value.rstrip("\n") + "\n")
    if isinstance(value, str) and not isinstance(value, DateText) and (
            value.startswith("?") or read_as_other_than_text(value)):  # "? x" in a list read as a mapping
        return SingleQuotedScalarString(value)
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (list, tuple)) and not value)


def _apply(target: CommentedMap, changes: Mapping[str, Any]) -> None:
    for key, value in changes.items():
        if _empty(value):
            target.pop(key, None)
        elif str(target.get(key)) != str(value) or isinstance(value, (list, tuple)):
            target[key] = to_yaml(value)


def record_text(fields: Mapping[str, Any], header: str = "") -> str:
    """A new file from field values in the given order (empty values left out)."""
    data = CommentedMap()
    _apply(data, fields)
    return _dump(data, header)


def update_record_text(text: str | None, changes: Mapping[str, Any]) -> str:
    """`text` with top-level fields set (an empty value removes the field); the rest stays as written."""
    data = _load(text)
    _apply(data, changes)
    return _dump(data)


def update_activity_text(text: str, number: int, changes: Mapping[str, Any], fiscal_year: int | None = None) -> str:
    """`text` of a plan with fields of activity `number` changed; with `fiscal_year`, in the activity's
    entry for that year (`years`, made when missing: a plan of several years)."""
    data = _load(text)
    rows = data.get("activities") or []
    activity = next((row for row in rows if isinstance(row, dict) and _is(row.get("number"), number)),
                    None)
    if activity is None:
        raise CannotEdit(f"ไม่พบกิจกรรมที่ {number} ในแผนนี้ อาจถูกแก้ไขหรือลบไปแล้ว")
    if fiscal_year is not None:
        activity = _year_entry(activity, "years", fiscal_year)
    _apply(activity, changes)
    return _dump(data)


def _year_entry(parent: CommentedMap, key: str, fiscal_year: int, as_of: dt.date | None = None) -> CommentedMap:
    """The entry of `parent[key]` (a list of {fiscal_year, …}) for `fiscal_year` (and `as_of`, an entry
    of a report made up to a day), added when missing."""
    rows = parent.get(key)
    if not isinstance(rows, list):
        rows = CommentedSeq()
        parent[key] = rows
    row = next((r for r in rows if isinstance(r, dict) and _is(r.get("fiscal_year"), fiscal_year)
                and _day(r.get("as_of")) == as_of), None)
    if row is None:
        row = CommentedMap()
        row["fiscal_year"] = fiscal_year
        if as_of is not None:
            row["as_of"] = to_yaml(as_of)
        rows.append(row)
    return row


def _day(raw: Any) -> dt.date | None:
    """A date written in the file, or None (absent, or not a date)."""
    try:
        return parse_date(raw) if raw else None
    except ValueError:
        return None


# a Buddhist-era year in either script, not part of a longer number (ครั้งที่ 2/2568 is one too)
_BE_YEAR = re.compile(r"(?<![0-9๐-๙])(?:25[0-9]{2}|๒๕[๐-๙]{2})(?![0-9๐-๙])")
# what happened in a year, which a plan started from it must not claim (the progress form's fields)
DONE_KEYS = (*YEAR_RESULT_NAMES, "years")


def shift_be_years(text: str, by: int) -> str:
    """`text` with each Buddhist-era year `by` years later, in the script it was written in:
    "ต.ค.–พ.ย. ๒๕๖๗" → "ต.ค.–พ.ย. ๒๕๖๘"."""
    def later(match: re.Match) -> str:
        year = str(int(arabic_digits(match[0])) + by)
        return year.translate(TO_THAI) if match[0][0] == "๒" else year

    return _BE_YEAR.sub(later, text)


def next_plan_text(text: str, fiscal_year: int, by: int = 1) -> str:
    """A plan for `fiscal_year` started from an earlier plan's file, `by` years before it: the same unit,
    goals, scoring, activities, methods, targets and people, every period, the title and the opening
    comments `by` years later; what happened (progress, results, evidence, lessons, the year's report),
    the approval date and the appointing orders (last year's number and date: security review) left
    out, for the new year's own. Comments in the file stay."""
    data = _load(text)
    data["fiscal_years"] = fiscal_year
    for key in ("approved_on", "results", "orders"):
        data.pop(key, None)
    if isinstance(data.get("title"), str):
        data["title"] = shift_be_years(data["title"], by)
    for row in data.get("activities") or []:
        if isinstance(row, dict):
            for key in DONE_KEYS:
                row.pop(key, None)
            if isinstance(row.get("period"), str):
                row["period"] = shift_be_years(row["period"], by)
    return _opening_later(_dump(data), by)


def next_needs_text(text: str, fiscal_year: int, by: int = 1) -> str:
    """Form 1 for `fiscal_year` started from an earlier year's, `by` years before it: the same topic,
    reasons, mission groups, needed knowledge, holders and the assets that answer it (what the team
    keeps, drops or adds is the new year's decision), with the year, the topic and the opening comments
    `by` years later. Comments in the file stay."""
    data = _load(text)
    if "fiscal_year" in data:
        data["fiscal_year"] = fiscal_year
    else:  # where a reader looks for it: under the topic
        data.insert(1 if next(iter(data), None) == "topic" else 0, "fiscal_year", fiscal_year)
    if isinstance(data.get("topic"), str):
        data["topic"] = shift_be_years(data["topic"], by)
    return _opening_later(_dump(data), by)


def _opening_later(text: str, by: int) -> str:
    """`text` with the Buddhist-era years of its opening comment lines `by` years later."""
    lines = text.split("\n")
    opening = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "\n".join([shift_be_years(line, by) for line in lines[:opening]] + lines[opening:])


def set_year_results_text(text: str, fiscal_year: int, changes: Mapping[str, Any],
                          as_of: dt.date | None = None) -> str:
    """`text` of a plan with the results entry of `fiscal_year` changed (created when missing); with
    `as_of`, the entry of the report made up to that day, apart from the year's."""
    data = _load(text)
    _apply(_year_entry(data, "results", fiscal_year, as_of), changes)
    return _dump(data)


def append_need_text(text: str | None, group: int, item: Mapping[str, Any]) -> str:
    """`text` of a Form 1 file with one more needed-knowledge item in group number `group` (1-based)."""
    data = _load(text)
    groups = data.get("groups")
    if not isinstance(groups, list) or not 1 <= group <= len(groups) or not isinstance(groups[group - 1], dict):
        raise CannotEdit("ไม่พบกลุ่มภารกิจที่เลือก อาจถูกแก้ไขไปแล้ว กรุณาโหลดหน้าใหม่")
    items = groups[group - 1].get("knowledge")
    if not isinstance(items, list):
        items = CommentedSeq()
        groups[group - 1]["knowledge"] = items
    new = CommentedMap()
    _apply(new, item)
    items.append(new)
    return _dump(data)


def append_survey_text(text: str | None, survey: Mapping[str, Any]) -> str:
    """`text` of surveys.yaml with one more survey (the file is created when missing)."""
    data = _load(text)
    rows = data.get("surveys")
    if not isinstance(rows, list):
        rows = CommentedSeq()
        data["surveys"] = rows
    new = CommentedMap()
    _apply(new, survey)
    rows.append(new)
    return _dump(data)


def _is(raw: Any, number: int) -> bool:
    try:
        return whole_number(raw) == number
    except ValueError:
        return False


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
