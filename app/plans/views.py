"""Plan pages: the list of plans, one plan against actual (overview, timeline, activities), an activity's
evidence, and the KM team's progress form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from indexer import YEAR_RESULT_NAMES, CannotEdit, update_activity_text

from ..auth import editor_required
from ..publish.service import SaveBusy
from ..revisions import text_sha
from . import bp
from .forms import ProgressForm, only_sent, refused
from .inputs import errors_for, form_value, long_text, typed_date, typed_number
from .state import current_fiscal_year, default_year, plan_or_404, plan_vocab, plan_year, records, results
from .timeline import build_timeline
from .writes import km_target, save_km

PROGRESS_FIELDS = YEAR_RESULT_NAMES


@bp.get("/")
def index():
    """Every KM plan, newest first, with the state of its activities this year."""
    plans = tuple(reversed(records().plans))
    summaries = [(plan, results(plan, default_year(plan))) for plan in plans]
    current = current_fiscal_year()  # the years a new plan is wanted for: this one and the next, when planless
    unplanned = [year for year in (current, current + 1) if records().plan_for_year(year) is None]
    return render_template("plans/index.html", summaries=summaries, records=records(), unplanned=unplanned)


@bp.get("/<key>")
def show(key: str):
    """A plan against actual in one fiscal year: overview, timeline and the activity table."""
    plan = plan_or_404(key)
    year = plan_year(plan)
    outcome = results(plan, year)
    return render_template("plans/plan.html", plan=plan, year=year, results=outcome,
                           timeline=build_timeline(year, outcome.activities, outcome.as_of))


@bp.get("/<key>/activities/<int:number>")
def activity(key: str, number: int):
    """One activity: target, actual, state, every piece of evidence and the events that carried it out."""
    plan = plan_or_404(key)
    year = plan_year(plan)
    result = results(plan, year).activity(number)
    if result is None:
        abort(404, description=f"ไม่มีกิจกรรมที่ {number} ในแผนนี้สำหรับปีงบประมาณ {year}")
    return render_template("plans/activity.html", plan=plan, year=year, result=result)


@bp.route("/<key>/activities/<int:number>/progress", methods=["GET", "POST"])
@editor_required
def progress(key: str, number: int):
    """The KM team records an activity's progress, entered result, evidence and lessons."""
    plan = plan_or_404(key)
    item = plan.activity(number)
    if item is None:
        abort(404, description=f"ไม่มีกิจกรรมที่ {number} ในแผนนี้")
    # a plan of several years keeps each year's entries apart: the form writes the year asked for (?fy=)
    year = plan_year(plan) if len(plan.fiscal_years) > 1 else None
    item = item.in_year(year) if year else item
    target = km_target("plan", plan.key)
    form = ProgressForm()
    form.progress.choices = [(t.key, t.label) for t in plan_vocab().progress]
    if request.method == "GET":
        for name in PROGRESS_FIELDS:
            getattr(form, name).data = form_value(getattr(item, name))
        form.base_sha.data = text_sha(target.path.read_text(encoding="utf-8"))
        return _progress_page(plan, item, form, year=year)
    if not form.validate_on_submit():
        return _progress_page(plan, item, form, general=refused(form), status=400, year=year)
    changes = {"progress": form.progress.data or "planned", "progress_note": long_text(form.progress_note.data),
               "actual": typed_number(form.actual.data), "evidence": " ".join((form.evidence.data or "").split()),
               "completed_on": typed_date(form.completed_on.data), "lessons": long_text(form.lessons.data)}
    changes = only_sent(form, changes)
    try:
        result = save_km("plan", plan.key, lambda text: update_activity_text(text, number, changes, year),
                         action="km_progress", detail=f"กิจกรรมที่ {number}" + (f" ปีงบประมาณ {year}" if year else ""),
                         base_sha=form.base_sha.data or "")
    except (SaveBusy, CannotEdit) as exc:
        return _progress_page(plan, item, form, general=[str(exc)], status=503 if isinstance(exc, SaveBusy) else 409,
                              year=year)
    if result.outcome == "conflict":
        return _progress_page(plan, item, form, status=409, year=year, general=[
            "มีผู้แก้ไขแผนนี้หลังจากที่คุณเปิดแบบฟอร์ม กรุณาโหลดหน้าใหม่แล้วกรอกอีกครั้ง (ข้อความที่พิมพ์ยังอยู่ด้านล่าง)"])
    if result.outcome == "invalid":
        errors, general = errors_for(result.problems, set(PROGRESS_FIELDS))
        return _progress_page(plan, item, form, errors, general, 422, year=year)
    flash("บันทึกความก้าวหน้าแล้ว" if result.outcome == "saved" else "ไม่มีการเปลี่ยนแปลง", "info")
    return redirect(url_for("plans.activity", key=plan.key, number=number, fy=year))


def _progress_page(plan, item, form, errors=None, general=None, status=200, year=None):
    return render_template("plans/progress.html", plan=plan, item=item, form=form, errors=errors or {},
                           general=general or [], year=year), status
