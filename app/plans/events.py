"""Sharing and learning events: the list (by year, activity, type), one event, and recording one from the
browser in under a minute (date, type, title, activity, participants, evidence; the rest is optional).

An event's evidence can also be files (the signed attendance sheet, the minutes, photos), kept
beside its record as an asset's attachments are (`knowledge/_km/events/<key>.files/`), checked the
same way, and set aside rather than deleted. They may name and show people, so they open only for
signed-in accounts (an auditor is given a reader account); anyone sees how many there are."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from indexer import (
    CannotEdit,
    Event,
    be_date_input,
    dates,
    fiscal_year_of,
    list_attachments,
    record_text,
    thai_date,
    update_record_text,
)

from .. import attachments, audit
from ..audit import shown_date
from ..auth import editor_required
from ..publish.forms import ConfirmForm, UploadForm
from ..publish.service import SaveBusy, publish_lock
from ..revisions import text_sha
from ..uploads import ACCEPTED, UploadRejected, check_file, kind_of_name
from .filters import event_filters
from .forms import EXPIRED, EventForm, only_sent, refused
from .inputs import clean, errors_for, form_value, items, lines, long_text, typed_date, typed_int
from .state import kb, plan_vocab, records, shown_assets
from .writes import km_target, new_key, save_km

bp = Blueprint("events", __name__, url_prefix="/events")
FIELDS = ("date", "type", "title", "activity", "participants", "evidence", "organiser", "participant_names",
          "staff_categories", "departments", "assets_produced", "assets_used", "summary", "chair", "minute_taker",
          "resolutions", "order_ref", "order_date", "reports_on")
LISTS = ("participant_names", "assets_produced", "assets_used")


@bp.get("/")
def index():
    """Events filtered by ?fy=, ?activity= (plan:number or number), ?type= and ?q=; a bad value is a 400."""
    chosen = event_filters(request.args)
    return render_template("events/index.html", events=chosen.apply(records().events), chosen=chosen,
                           years=records().fiscal_years)


def _event_or_404(key: str) -> Event:
    event = records().event(key) if len(key) <= 80 else None
    if event is None:
        abort(404, description="ไม่พบกิจกรรมนี้")
    return event


@bp.get("/<key>")
def show(key: str):
    """One event with its plan activity, people, assets and evidence files."""
    return _show(_event_or_404(key))


def _show(event: Event, upload_error: str | None = None, status: int = 200):
    plan = records().plan(event.plan) if event.plan else None
    files = list_attachments(km_target("event", event.key).path)
    # linked in its file, counted under no activity: why, where the reader of the page looks (calendar review)
    unlinked = [p.message for p in records().problems
                if p.path == event.path and p.field in ("date", "plan", "activity")] if plan is None else []
    return render_template("events/event.html", event=event, plan=plan, unlinked=unlinked,
                           activity=plan.activity(event.activity) if plan and event.activity else None,
                           produced=shown_assets(event.assets_produced), used=shown_assets(event.assets_used),
                           files=[(f.name, f.stat().st_size, kind_of_name(f.name)) for f in files],
                           upload=UploadForm(formdata=None), confirm=ConfirmForm(formdata=None),
                           upload_error=upload_error, accepted=ACCEPTED,
                           limit_mb=attachments.max_bytes() / 1048576), status


@bp.app_template_global("event_file_count")
def event_file_count(key: str) -> int:
    """How many evidence files an event keeps (the events list and the plan's activity pages show it)."""
    return len(list_attachments(km_target("event", key).path))


@bp.get("/<key>/files/<name>")
@login_required
def evidence_file(key: str, name: str):
    """One evidence file of an event, for signed-in accounts (it may show people's names and faces)."""
    path = attachments.find(km_target("event", _event_or_404(key).key).path, name)
    kind = kind_of_name(name)
    if path is None or kind is None:
        abort(404, description="ไม่พบไฟล์หลักฐานนี้")
    reply = attachments.send_named(path, name, kind, key, max_age=0)
    reply.cache_control.private = True  # a shared proxy keeps no copy of a signed-in reader's file
    # who took a copy of a sheet with people's names and signatures, when one turns up elsewhere (privacy review)
    audit.record("event_download", None, f"{key}: {name}", actor=current_user.username)
    return reply


@bp.post("/<key>/files")
@editor_required
def add_evidence(key: str):
    """Keep a file as evidence of the event (the same checks as an asset's attachments)."""
    event = _event_or_404(key)
    form = UploadForm()
    if not form.validate_on_submit():
        return _show(event, EXPIRED, 400)
    owner = km_target("event", event.key).path
    try:
        checked = check_file(form.file.data, attachments.max_bytes())
        with publish_lock(kb().settings.instance_dir):
            name = attachments.put_beside(owner, checked)
            audit.record("event_attach", None, f"{event.key}: {name} ({len(checked.data):,} ไบต์)",
                         actor=current_user.username)
    except UploadRejected as exc:
        return _show(event, str(exc), 422)
    except SaveBusy as exc:
        return _show(event, str(exc), 503)
    flash(f"เก็บไฟล์หลักฐาน {name} แล้ว", "info")
    return redirect(url_for("events.show", key=event.key, _anchor="evidence-files"))


@bp.post("/<key>/files/<name>/remove")
@editor_required
def remove_evidence(key: str, name: str):
    """Set an evidence file aside (kept in the hidden .removed folder, never deleted)."""
    event = _event_or_404(key)
    ConfirmForm().validate_on_submit()  # CSRF is checked for every POST before this view runs

    def remove() -> None:
        with publish_lock(kb().settings.instance_dir):
            attachments.set_aside(km_target("event", event.key).path, name)
            audit.record("event_detach", None, f"{event.key}: {name}", actor=current_user.username)

    attachments.remove_and_tell(remove, name, "หลักฐาน")
    return redirect(url_for("events.show", key=event.key, _anchor="evidence-files"))


@bp.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    """Record an event; then show the activity it carried out, with its actual updated."""
    form = _form()
    if request.method == "GET":
        form.date.data = be_date_input(dates.today())
        form.activity.data = request.args.get("activity", "")[:90]
        return _page(form, None)
    if not form.validate_on_submit():
        return _page(form, None, general=refused(form), status=400)
    values = submitted(form)
    if wrong_year := _outside_plan(values):
        return _page(form, None, {"activity": [wrong_year]}, status=422)
    # the file's name needs a day; a date left empty or mistyped is refused by the check below
    day = values["date"] if isinstance(values["date"], dt.date) else dates.today()
    key = new_key("event", f"{day.isoformat()}-{values['type'] or 'event'}")
    return _save(form, key, lambda _current: record_text(values), "km_event", values, None)


@bp.route("/<key>/edit", methods=["GET", "POST"])
@editor_required
def edit(key: str):
    """Correct a recorded event (same checks, conflict detection against the version the form opened)."""
    event = _event_or_404(key)
    form = _form()
    if request.method == "GET":
        _fill(form, event)
        form.base_sha.data = text_sha(km_target("event", key).path.read_text(encoding="utf-8"))
        return _page(form, event)
    if not form.validate_on_submit():
        return _page(form, event, general=refused(form), status=400)
    values = submitted(form)
    changes = only_sent(form, values, {"plan": "activity"})
    if wrong_year := _outside_plan(values):
        return _page(form, event, {"activity": [wrong_year]}, status=422)
    return _save(form, key, lambda current: update_record_text(current, changes), "km_event_edit", values, event,
                 form.base_sha.data or "")


def _save(form, key, make_text, action, values, event, base_sha=None):
    detail = f"{values.get('title') or ''} {shown_date(values.get('date'))}".strip()
    try:
        result = save_km("event", key, make_text, action=action, detail=detail, base_sha=base_sha)
    except (SaveBusy, CannotEdit) as exc:
        return _page(form, event, general=[str(exc)], status=503 if isinstance(exc, SaveBusy) else 409)
    if result.outcome == "conflict":
        return _page(form, event, status=409, general=[
            "มีผู้แก้ไขกิจกรรมนี้หลังจากที่คุณเปิดแบบฟอร์ม กรุณาโหลดหน้าใหม่ (ข้อความที่พิมพ์ยังอยู่ด้านล่าง)"])
    if result.outcome == "invalid":
        errors, general = errors_for(result.problems, set(FIELDS) | {"plan"})
        if "plan" in errors:  # the plan and activity are one choice on the form
            errors.setdefault("activity", []).extend(errors.pop("plan"))
        return _page(form, event, errors, general, 422)
    flash("บันทึกกิจกรรมแล้ว" if result.outcome == "saved" else "ไม่มีการเปลี่ยนแปลง", "info")
    saved = records().event(key)
    if saved is not None and saved.plan and saved.activity:
        return redirect(url_for("plans.activity", key=saved.plan, number=saved.activity, fy=saved.fiscal_year))
    return redirect(url_for("events.show", key=key))


def _outside_plan(values: dict) -> str | None:
    """Why the chosen activity would not count this event: its plan covers other fiscal years than
    the event's date. It was saved with "บันทึกกิจกรรมแล้ว" alone and then counted under no activity,
    its page saying it was linked to none (calendar review: September's events recorded in October)."""
    plan = records().plan(values["plan"]) if values.get("plan") else None
    day = values.get("date")
    if plan is None or not isinstance(day, dt.date) or fiscal_year_of(day) in plan.fiscal_years:
        return None
    year = fiscal_year_of(day)
    years = ", ".join(str(y) for y in plan.fiscal_years)
    choose = (f"เลือกกิจกรรมของแผนปีงบประมาณ {year} แก้วันที่" if records().plan_for_year(year) is not None
              else f"แผนของปีงบประมาณ {year} ยังไม่มี ให้แก้วันที่")
    return (f"กิจกรรมนี้อยู่ในแผนปีงบประมาณ {years} แต่วันที่ {thai_date(day)} อยู่ในปีงบประมาณ {year} "
            f"จึงจะไม่นับเข้ากิจกรรมของแผน: {choose} หรือเลือก “ไม่ผูกกับกิจกรรมของแผน”")


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
        elif name == "resolutions":  # one per line: a resolution may hold commas
            form.resolutions.data = "\n".join(event.resolutions)
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
        "chair": clean(form.chair.data), "minute_taker": clean(form.minute_taker.data),
        "resolutions": lines(form.resolutions.data), "order_ref": clean(form.order_ref.data),
        "order_date": typed_date(form.order_date.data),
        "reports_on": typed_int(form.reports_on.data),
    }


def _page(form, event, errors=None, general=None, status=200):
    return render_template("events/form.html", form=form, event=event, errors=errors or {}, general=general or [],
                           people=records().people.people), status
