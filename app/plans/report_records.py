"""A plan's results report as the KM team gave it (to the mayor at half-year, to the auditor at
year end), and what has moved in it since (domain review D-03).

The report is computed from the files at every request: an event entered months late, a result
corrected or a plan file edited by hand changes a report already handed in, and only the one who
saved was told. Recording the report keeps its figures; every later view of that year's report
(on screen and on paper) lists what differs now, figure by figure. Records are never edited:
a corrected report is recorded again, with its reason.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, Length

from indexer import Plan, dates, fiscal_year_bounds, recorded_results, results_differences, thai_date, thai_datetime

from .. import audit
from ..auth import editor_required
from ..db import get_db
from . import bp
from .state import as_of_param, current_fiscal_year, half_year_end, plan_for_request, requested_as_of, results

LABELS = {"half": "รอบ 6 เดือน", "year": "รอบปี", "other": "ฉบับอื่น"}
NOTE_CHARS = 300
COMPARED = 6  # newest records compared with today's figures on a page (each is a report computed again)
AGAIN_SECONDS = 60  # the same record posted again within this is the same click (security review SEC-07)


class ReportRecordForm(FlaskForm):
    # Thai reasons, not WTForms' English ones (security review SEC-08)
    kind = SelectField("รายงานฉบับนี้คือ", choices=[SelectChoice(key, text) for key, text in LABELS.items()],
                       validate_choice=False, validators=[AnyOf(
                           list(LABELS), message="รายงานฉบับนี้คือ: เลือกได้เฉพาะ " + " ".join(LABELS.values()))])
    note = StringField("หมายเหตุ", validators=[Length(max=NOTE_CHARS,
                                                      message=f"หมายเหตุยาวได้ไม่เกิน {NOTE_CHARS} ตัวอักษร")],
                       description="เช่น เสนอนายกเทศมนตรีตามบันทึกข้อความที่ … หรือเหตุผลที่บันทึกใหม่")


@dataclass(frozen=True)
class ReportRecord:
    """One recording of a plan's report, and what differs in it now (None: not compared)."""

    as_of: dt.date
    label: str
    recorded_at: dt.datetime
    recorded_by: str
    note: str
    figures: dict
    changes: tuple[tuple[str, str, str], ...] | None = None

    @property
    def label_text(self) -> str:
        return LABELS.get(self.label, self.label)

    @property
    def shown_at(self) -> str:
        return thai_datetime(self.recorded_at)

    @property
    def as_of_param(self) -> str:
        return as_of_param(self.as_of)


def report_records(plan: Plan, year: int) -> tuple[ReportRecord, ...]:
    """The year's records of the plan's report, newest first; the newest few with what moved since."""
    rows = get_db().execute(
        "SELECT as_of, label, recorded_at, recorded_by, note, figures FROM plan_report_records "
        "WHERE fiscal_year = ? AND plan_key = ? ORDER BY id DESC", (year, plan.key)).fetchall()
    records = []
    for n, (as_of, label, at, by, note, figures) in enumerate(rows):
        day, then = dt.date.fromisoformat(as_of), json.loads(figures)
        changes = None
        if n < COMPARED:  # today's data made up to the same day, the same way
            cut_off = bool(then.get("cut_off"))
            now = results(plan, year, day if day < dates.today() else None, cut_off)
            changes = results_differences(then, recorded_results(now, cut_off))
        records.append(ReportRecord(day, label, dt.datetime.fromisoformat(at), by, note, then, changes))
    return tuple(records)


def default_label(year: int, as_of: dt.date | None) -> str:
    """What a report made up to `as_of` most likely is: the half-year one, the year's, or another."""
    if as_of == half_year_end(year):
        return "half"
    return "year" if as_of is None and year < current_fiscal_year() else "other"


@bp.post("/report/record")
@editor_required
def record_report():
    """Keep the report of ?fy= (up to ?as_of=) as given; it is compared on every later view."""
    plan, year = plan_for_request()
    as_of = requested_as_of()
    form = ReportRecordForm()
    if not form.validate_on_submit():
        abort(400, description="; ".join(e for errors in form.errors.values() for e in errors))
    start, end = fiscal_year_bounds(year)
    if as_of is not None and not start <= as_of <= end:  # a report of the year is made up to a day in it
        abort(400, description=f"ข้อมูล ณ วันที่: {thai_date(as_of)} ไม่อยู่ในปีงบประมาณ {year} "
                               f"({thai_date(start)} – {thai_date(end)}) จึงบันทึกเป็นรายงานของปีนี้ไม่ได้")
    outcome = results(plan, year, as_of)
    figures = recorded_results(outcome, as_of is not None)
    note = " ".join((form.note.data or "").split())
    db = get_db()
    if _just_recorded(db, year, plan, outcome.as_of, form.kind.data, note):
        flash("บันทึกรายงานฉบับนี้ไว้แล้วเมื่อสักครู่ จึงไม่บันทึกซ้ำ", "info")
        return redirect(url_for("plans.report", fy=year, as_of=as_of_param(as_of)) + "#report-records")
    db.execute("INSERT INTO plan_report_records (fiscal_year, plan_key, as_of, label, recorded_at, recorded_by, note, "
               "figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (year, plan.key, outcome.as_of.isoformat(), form.kind.data,
                dates.utc_now().isoformat(timespec="seconds"), current_user.username, note,
                json.dumps(figures, ensure_ascii=False)))
    audit.record("record_plan_report", None,
                 f"ปีงบประมาณ {year} {LABELS[form.kind.data]} ณ {thai_date(outcome.as_of)}: คะแนนรวม "
                 f"{figures['total_score']:.2f}" + (f" ({note})" if note else ""), db=db, commit=False)
    db.commit()
    flash(f"บันทึกรายงาน{LABELS[form.kind.data]} ณ วันที่ {thai_date(outcome.as_of)} แล้ว: หน้ารายงานของปีนี้จะแสดง"
          "ทุกตัวเลขที่เปลี่ยนไปจากฉบับที่บันทึก", "info")
    return redirect(url_for("plans.report", fy=year, as_of=as_of_param(as_of)) + "#report-records")


def _just_recorded(db, year: int, plan: Plan, as_of: dt.date, kind: str, note: str) -> bool:
    """Whether this account recorded the same report with the same note a moment ago (a second click,
    a form sent again: the record would be listed twice to every reader)."""
    since = (dates.utc_now() - dt.timedelta(seconds=AGAIN_SECONDS)).isoformat(timespec="seconds")
    return db.execute(
        "SELECT 1 FROM plan_report_records WHERE fiscal_year = ? AND plan_key = ? AND as_of = ? AND label = ? "
        "AND note = ? AND recorded_by = ? AND recorded_at >= ?",
        (year, plan.key, as_of.isoformat(), kind, note, current_user.username, since)).fetchone() is not None
