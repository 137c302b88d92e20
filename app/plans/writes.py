"""Every browser change to a KM file (plan, event, person, needs, surveys) goes through here.

It is the assets' write path (`publish.service.commit_change`): the publish lock,
the conflict check against the version the form started from, the previous and new
versions kept as revisions, the audit entry, the atomic rename. Only validation
differs: the KM schema and the rules across KM files, exactly as `python -m indexer
check` applies them. Revisions and audit entries are keyed by the file's path
("_km/events/….yaml"), which can never be an asset slug.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app, flash, g
from flask_login import current_user

from indexer import (
    LEGACY_NEEDS,
    DateFormatError,
    FileInvalid,
    Problem,
    check_km_text,
    dated_ahead,
    dates,
    fiscal_year_of,
    km_rel,
    km_text_warnings,
    needs_key_year,
    parse_date,
    parse_yaml_text,
)

from .. import audit
from ..publish.service import SaveResult, Target, commit_change
from .state import assets, kb, plan_vocab, records

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
ACTIONS = {
    "km_plan": "แก้ไขแผนการจัดการความรู้", "km_progress": "บันทึกความก้าวหน้ากิจกรรม",
    "km_results": "บันทึกข้อมูลผลการดำเนินงาน", "km_event": "บันทึกการจัดกิจกรรม",
    "km_event_edit": "แก้ไขบันทึกการจัดกิจกรรม", "km_person": "เพิ่มข้อมูลบุคคลในทำเนียบ",
    "km_person_edit": "แก้ไขข้อมูลบุคคลในทำเนียบ", "km_needs": "แก้ไขความรู้ที่จำเป็น", "km_survey": "บันทึกผลสำรวจการรับรู้",
    "km_file": "แก้ไขไฟล์แผน KM", "record_plan_report": "บันทึกรายงานผลตามแผนที่ส่งแล้ว", "km_restore": "กู้คืนไฟล์แผน KM ฉบับเก่า",
    "event_attach": "แนบไฟล์หลักฐานกิจกรรม", "event_detach": "นำไฟล์หลักฐานกิจกรรมออก",
}


def register_actions() -> None:
    """Thai labels of the KM actions on the audit page."""
    for key, label in ACTIONS.items():
        audit.ACTIONS.setdefault(key, label)


def known_key(kind: str, key: str | None) -> bool:
    """Whether `key` may name a file of `kind`: Form 1 files are named by their year (or the old
    one-file name), the others by a key of a-z 0-9 -."""
    if kind == "needs":
        return key == LEGACY_NEEDS or needs_key_year(key or "") is not None
    return bool(KEY.match(key or ""))


def km_target(kind: str, key: str) -> Target:
    """The file of a KM record; the key was checked, so the path never comes from raw input."""
    if kind == "surveys":
        key = kind
    elif not known_key(kind, key):
        raise ValueError(f"bad KM key {key!r}")
    rel = km_rel(kind, key)
    path = kb().settings.knowledge_dir / rel
    return Target(rel, rel, path, not path.exists())


MAX_WARNINGS_SHOWN = 5  # after a save; `check` and the status page list them all


def save_km(kind: str, key: str, make_text: Callable[[str | None], str], *, action: str, detail: str = "",
            base_sha: str | None = None) -> SaveResult:
    """Build, validate and write a KM file through the one write path."""
    target = km_target(kind, key)
    key = kind if kind == "surveys" else key

    def validate(text: str) -> tuple[Problem, ...]:
        fresh = current_app.extensions["km_plans"].catalogue.load()  # what is on disk now, under the lock
        return check_km_text(kind, key, text, fresh, kb().vocab, plan_vocab(), assets())

    result = commit_change(kb(), target, make_text, base_sha=base_sha, user=current_user.username, action=action,
                           detail=detail, validate=validate, index=False,
                           closed_years=lambda old, text: (_closed_years(kind, key, old, text), closed_plan_note))
    g.pop("km_records", None)  # later reads in this request see the new file
    g.pop("km_results", None)
    if result.outcome == "saved":  # a misspelt field is left out of the plan: said now (outside review, onboarding)
        for problem in km_text_warnings(kind, key, result.text, kb().vocab, plan_vocab())[:MAX_WARNINGS_SHOWN]:
            flash(f"บันทึกแล้ว แต่ควรแก้: {problem}", "warning")
        # an event or survey dated ahead counts from its day: said while whoever typed it is here
        for problem in dated_ahead((), records(), dates.today(), kb().vocab):
            if problem.path == target.rel:
                flash(problem.message, "warning")
    if result.closed_years:  # a report of that year may be in the auditor's hands (outside review, auditor)
        flash(closed_plan_note(result.closed_years) + ": รายงานผลตามแผนของปีนั้นเปลี่ยนไป การแก้ไขนี้อยู่ใน"
              "ประวัติของไฟล์และบันทึกการใช้งาน หากไม่ได้ตั้งใจ กู้คืนฉบับเดิมได้จากประวัติของไฟล์", "warning")
    return result


def closed_plan_note(years) -> str:
    return "แก้ข้อมูลแผนการจัดการความรู้ของปีงบประมาณ " + ", ".join(str(y) for y in years) + " ซึ่งปิดแล้ว"


def _closed_years(kind: str, key: str, current: str | None, text: str) -> tuple[int, ...]:
    """The closed fiscal years whose plan report a change to this file moves: a plan's own year,
    an event's (before and after the change)."""
    years = set()
    if kind == "plan" and key.isdigit():
        years.add(int(key))
    elif kind == "event":
        years.update(fiscal_year_of(day) for day in (_event_date(current), _event_date(text)) if day)
    return tuple(sorted(year for year in years if year < fiscal_year_of(dates.today())))


def _event_date(text: str | None):
    """The date an event's text gives, or None."""
    try:
        data = parse_yaml_text(text, "event") if text else None
        return parse_date(data.get("date")) if isinstance(data, dict) and data.get("date") else None
    except (FileInvalid, DateFormatError, ValueError):
        return None


def new_key(folder_kind: str, stem: str) -> str:
    """A key not used yet in the folder: "2568-03-14-cop", then "2568-03-14-cop-2"…"""
    stem = re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-")[:70] or "record"
    taken = {e.key for e in records().events} if folder_kind == "event" else set(records().people.by_key)
    key, n = stem, 1
    while key in taken or km_target(folder_kind, key).path.exists():
        n += 1
        key = f"{stem}-{n}"
    return key
