"""Sharing and learning events: the list (by year, activity, type), one event, and recording one from the
browser in under a minute (date, type, title, activity, participants, evidence; the rest is optional)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from indexer import CannotEdit, Event, dates, record_text, update_record_text

from ..auth import editor_required
from ..publish.service import SaveBusy
from ..revisions import text_sha
from .filters import event_filters
from .forms import EventForm
from .inputs import be_iso, clean, errors_for, form_value, items, long_text, typed_date, typed_int
from .state import kb, plan_vocab, records, shown_assets
from .writes import km_target, new_key, save_km

bp = Blueprint("events", __name__, url_prefix="/events")
FIELDS = ("date", "type", "title", "activity", "participants", "evidence", "organiser", "participant_names",
          "staff_categories", "departments", "assets_produced", "assets_used", "summary")
LISTS = ("participant_names", "assets_produced", "assets_used")


@bp.get("/")
def index():
    """Events filtered by ?fy=, ?activity= (plan:number or number) and ?type=; a bad value is a 400."""
    chosen = event_filters(request.args)
    return render_template("events/index.html", events=chosen.apply(records().events), chosen=chosen,
                           years=records().fiscal_years)


@bp.get("/<key>")
def show(key: str):
    """One event with its plan activity, people and assets."""
    event = records().event(key) if len(key) <= 80 else None
    if event is None:
        abort(404, description="ไม่พบกิจกรรมนี้")
    plan = records().plan(event.plan) if event.plan else None
    return render_template("events/event.html", event=event, plan=plan,
                           activity=plan.activity(event.activity) if plan and event.activity else None,
                           produced=shown_assets(event.assets_produced), used=shown_assets(event.assets_used))


@bp.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    """Record an event; then show the activity it carried out, with its actual updated."""
    form = _form()
    if request.method == "GET":
        form.date.data = be_iso(dates.today())
        form.activity.data = request.args.get("activity", "")[:90]
        return _page(form, None)
    if not form.validate_on_submit():
        return _page(form, None, general=["แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่"], status=400)
    values = submitted(form)
    # the file's name needs a day; a date left empty or mistyped is refused by the check below
    day = values["date"] if isinstance(values["date"], dt.date) else dates.today()
    key = new_key("event", f"{day.isoformat()}-{values['type'] or 'event'}")
    return _save(form, key, lambda _current: record_text(values), "km_event", values, None)


@bp.route("/<key>/edit", methods=["GET", "POST"])
@editor_required
def edit(key: str):
    """Correct a recorded event (same checks, conflict detection against the version the form opened)."""
    event = records().event(key) if len(key) <= 80 else None
    if event is None:
        abort(404, description="ไม่พบกิจกรรมนี้")
    form = _form()
    if request.method == "GET":
        _fill(form, event)
        form.base_sha.data = text_sha(km_target("event", key).path.read_text(encoding="utf-8"))
        return _page(form, event)
    if not form.validate_on_submit():
        return _page(form, event, general=["แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่"], status=400)
    values = submitted(form)
    return _save(form, key, lambda current: update_record_text(current, values), "km_event_edit", values, event,
                 form.base_sha.data or None)


def _save(form, key, make_text, action, values, event, base_sha=None):
    detail = f"{values.get('title') or ''} {form.date.data or ''}".strip()
    try:
        result = save_km("event", key, make_text, action=action, detail=detail, base_sha=base_sha)
    except (SaveBusy, CannotEdit) as exc:
        return _page(form, event, general=[str(exc)], status=503 if isinstance(exc, SaveBusy) else 409)
    if result.outcome == "conflict":
        return _page(form, event, status=409, general=[
            "มีผู้แก้ไขกิจกรรมนี้หลังจากที่คุณเปิดแบบฟอร์ม กรุณาโหลดหน้าใหม่ (ข้อความที่พิมพ์ยังอยู่ด้านล่าง)"])
    if result.outcome == "invalid":
        errors, general = errors_for(result.problems, set(FIELDS) | {"plan"})
        errors.setdefault("activity", []).extend(errors.pop("plan", []))
        return _page(form, event, errors, general, 422)
    flash("บันทึกกิจกรรมแล้ว" if result.outcome == "saved" else "ไม่มีการเปลี่ยนแปลง", "info")
    saved = records().event(key)
    if saved is not None and saved.plan and saved.activity:
        return redirect(url_for("plans.activity", key=saved.plan, number=saved.activity, fy=saved.fiscal_year))
    return redirect(url_for("events.show", key=key))


def _form() -> EventForm:
    form = EventForm()
    vocab = plan_vocab()
    form.type.choices = [("", "— เลือก —")] + [(t.key, t.label) for t in vocab.event_types]
    form.activity.choices = [("", "— ไม่ผูกกับกิจกรรมของแผน —")] + [
        (f"{plan.key}:{a.number}", f"แผน {plan.label} · {a.number}. {a.title}")
        for plan in reversed(records().plans) for a in plan.activities]
    form.staff_categories.choices = [(t.key, t.label) for t in vocab.staff_categories]
    form.departments.choices = [(t.key, t.label) for t in kb().vocab.departments]
    return form


def _fill(form: EventForm, event: Event) -> None:
    for name in FIELDS:
        if name == "activity":
            form.activity.data = f"{event.plan}:{event.activity}" if event.plan and event.activity else ""
        elif name in ("staff_categories", "departments"):
            getattr(form, name).data = list(getattr(event, name))
        else:
            getattr(form, name).data = form_value(getattr(event, name))


def submitted(form: EventForm) -> dict:
    """The YAML values of the form, in file order; the activity choice "2568:6" becomes plan and activity."""
    plan, _, number = (form.activity.data or "").partition(":")
    return {
        "date": typed_date(form.date.data), "type": form.type.data or None, "title": clean(form.title.data),
        "plan": plan or None, "activity": typed_int(number) if plan else None,
        "organiser": clean(form.organiser.data), "participants": typed_int(form.participants.data),
        "participant_names": items(form.participant_names.data),
        "staff_categories": list(form.staff_categories.data or []), "departments": list(form.departments.data or []),
        "assets_produced": items(form.assets_produced.data), "assets_used": items(form.assets_used.data),
        "evidence": clean(form.evidence.data), "summary": long_text(form.summary.data),
    }


def _page(form, event, errors=None, general=None, status=200):
    return render_template("events/form.html", form=form, event=event, errors=errors or {}, general=general or [],
                           people=records().people.people), status
