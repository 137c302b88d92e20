"""The whole YAML of a KM file in the browser (for what the small forms do not cover), its stored
versions, and restoring one: the same write path, conflict check, revisions and audit log as assets."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from indexer import (
    KIND_LABELS,
    LEGACY_NEEDS,
    SCHEMAS,
    CannotEdit,
    Unreadable,
    dates,
    fiscal_year_of,
    next_needs_text,
    next_plan_text,
    read_text_exactly,
)

from .. import revisions
from ..auth import editor_required
from ..db import get_db
from ..publish.service import SaveBusy
from ..revisions import text_sha
from . import bp
from .forms import ConfirmForm, FileForm, complete, refused
from .state import kb, records, results
from .writes import KEY, km_target, known_key, save_km

STARTER_PLAN = """title: แผนการจัดการความรู้ ประจำปีงบประมาณ พ.ศ. {year}
fiscal_years: {year}
unit: {municipality} (สำนักปลัดเทศบาล)
mission_group: กลุ่มภารกิจด้านการบริหารงานบุคคล
needed_knowledge: ความรู้ด้านการบริหารงานบุคคลและกฎหมายที่เกี่ยวข้อง
kpi: ระดับความสำเร็จของการจัดการความรู้
kpi_target: ครบ 5 คะแนน
target_score: 5
activities:
  - number: 1
    title: สำรวจความรู้ที่จำเป็นของแต่ละกอง
    step: identification
    period: ต.ค. {start_year} – ก.ย. {year}
    kpi: ทุกกองส่งแบบสำรวจ
    target: {departments}
    unit: กอง
"""


STARTER_NEEDS = """# แบบฟอร์มที่ 1 องค์ความรู้ที่จำเป็นในการปฏิบัติราชการ
# ความรู้ที่ยังไม่มีขุมความรู้ (assets ว่าง) คือช่องว่างความรู้ที่ทีม KM ต้องจัดทำ
topic: ความรู้ที่จำเป็นของ{municipality}
fiscal_year: {year}
reasons:
  - เหตุผลที่เลือกหัวข้อนี้
groups:
  - mission_group: กลุ่มภารกิจ (กอง)
    goal: เป้าประสงค์ของกลุ่มภารกิจ
    kpi: ตัวชี้วัดตามคำรับรองของหน่วยงาน
    kpi_target: ค่าเป้าหมาย
    knowledge:
      - title: ความรู้ที่จำเป็นเรื่องที่ ๑
        holders: []      # รหัสบุคคลในทำเนียบ หรือชื่อผู้รู้
        assets: []       # ชื่อไฟล์ขุมความรู้ที่ตอบความรู้นี้ เช่น sick-leave
"""
def _checked(kind: str, key: str):
    if kind == "surveys":
        key = kind
    elif kind not in KIND_LABELS or not (known_key(kind, key) if kind == "needs" else KEY.match(key or "")):
        abort(404, description="ไม่พบไฟล์นี้")
    return kind, key, km_target(kind, key)


def _text_of(target) -> str:
    """The file's text; one that is no regular file of the knowledge folder (a FIFO, a link
    leading out of it) is a 409 saying so, never read (outside security review)."""
    try:
        return read_text_exactly(target.path, kb().settings.knowledge_dir)
    except Unreadable as exc:
        abort(409, description=f"{target.rel}: {exc}")
    except UnicodeDecodeError:
        abort(409, description=f"{target.rel}: ไม่ใช่ข้อความ UTF-8 แก้ไขในเว็บไม่ได้ ให้ผู้ดูแลระบบตรวจไฟล์นี้")


@bp.route("/files/<kind>/<key>/edit", methods=["GET", "POST"])
@editor_required
def edit_file(kind: str, key: str):
    """Edit a KM file as YAML; it is checked like `python -m indexer check` before it is written."""
    kind, key, target = _checked(kind, key)
    form = FileForm()
    if request.method == "GET":
        if target.path.exists():
            form.text.data = _text_of(target)
            form.base_sha.data = text_sha(form.text.data)
        elif kind == "plan" and key.isdigit() and len(key) == 4:
            started = _from_last_year(int(key)) if not request.args.get("blank") else None
            if started is not None:
                form.text.data, note = started
                return _page(kind, key, form, started_from=note)
            form.text.data = STARTER_PLAN.format(year=key, start_year=int(key) - 1, municipality=_municipality(),
                                                 departments=len(kb().vocab.departments))
        elif kind == "needs" and key == LEGACY_NEEDS:  # the old one-file form, gone: this year's own file
            return redirect(url_for("plans.edit_file", kind=kind, key=fiscal_year_of(dates.today())))
        elif kind == "needs":  # form 1 starts the KM year: it can be begun in the browser too (onboarding)
            started = _needs_from_last_year(int(key)) if not request.args.get("blank") else None
            if started is not None:
                form.text.data, note = started
                return _page(kind, key, form, started_from=note)
            form.text.data = STARTER_NEEDS.format(year=key, municipality=_municipality())
        elif kind == "surveys":  # its own form writes the first row
            return redirect(url_for("plans.new_survey"))
        else:
            abort(404, description="ไม่พบไฟล์นี้")
        return _page(kind, key, form)
    if not (form.validate_on_submit() and complete(form)):
        return _page(kind, key, form, general=refused(form), status=400)
    text = (form.text.data or "").replace("\r\n", "\n")
    try:
        result = save_km(kind, key, lambda _current: text, action="km_file", detail=target.rel,
                         base_sha=form.base_sha.data or "")
    except (SaveBusy, CannotEdit) as exc:
        return _page(kind, key, form, general=[str(exc)], status=503)
    if result.outcome == "conflict":
        form.base_sha.data = result.sha  # saving again replaces their version on purpose
        return _page(kind, key, form, theirs=result.current_text, status=409, general=[
            "มีผู้แก้ไขไฟล์นี้หลังจากที่คุณเปิด ฉบับของเขาแสดงอยู่ด้านล่าง รวมการแก้ไขในช่องของคุณแล้วกดบันทึกอีกครั้ง"])
    if result.outcome == "invalid":
        return _page(kind, key, form, general=[str(p) for p in result.problems], status=422)
    flash(f"บันทึกไฟล์ {target.rel} แล้ว" + (f" (ฉบับที่ {result.rev})" if result.rev else ""), "info")
    return redirect(_record_url(kind, key))


@bp.get("/files/<kind>/<key>/history")
@editor_required
def file_history(kind: str, key: str):
    """Stored versions of a KM file, newest first."""
    kind, key, target = _checked(kind, key)
    current = _text_of(target) if target.path.exists() else ""
    return render_template("plans/history.html", kind=kind, key=key, rel=target.rel,
                           versions=revisions.history(get_db(), target.rel), current_sha=text_sha(current),
                           form=ConfirmForm(base_sha=text_sha(current)), record_url=_record_url(kind, key))


@bp.post("/files/<kind>/<key>/restore/<int:rev>")
@editor_required
def restore_file(kind: str, key: str, rev: int):
    """Save an old version as the newest one (checked like any other save)."""
    kind, key, target = _checked(kind, key)
    old = revisions.get(get_db(), target.rel, rev)
    if old is None:
        abort(404, description=f"ไม่พบฉบับที่ {rev} ของไฟล์นี้")
    form = ConfirmForm()
    form.validate_on_submit()
    try:
        result = save_km(kind, key, lambda _current: old.text, action="km_restore", detail=f"กู้คืนจากฉบับที่ {rev}",
                         base_sha=form.base_sha.data or "")
    except SaveBusy as exc:
        flash(str(exc), "error")
        return redirect(url_for("plans.file_history", kind=kind, key=key))
    if result.outcome == "conflict":
        flash("มีผู้บันทึกไฟล์นี้หลังจากที่คุณเปิดหน้าประวัติ กรุณาตรวจสอบฉบับล่าสุดก่อนกู้คืน", "error")
    elif result.outcome == "invalid":
        flash("กู้คืนฉบับนี้ไม่ได้ เพราะไม่ผ่านการตรวจสอบ: " + "; ".join(p.message for p in result.problems), "error")
    else:
        flash(f"กู้คืนฉบับที่ {rev} เป็นฉบับใหม่แล้ว", "info")
    return redirect(url_for("plans.file_history", kind=kind, key=key))


def _record_url(kind: str, key: str) -> str:
    return {"plan": lambda: url_for("plans.show", key=key), "event": lambda: url_for("events.show", key=key),
            "person": lambda: url_for("people.show", key=key),
            "needs": lambda: url_for("plans.needs", fy=key if key.isdigit() else None),
            "surveys": lambda: url_for("plans.surveys")}[kind]()


def _municipality() -> str:
    return kb().vocab.municipality


def _page(kind, key, form, general=None, theirs=None, status=200, started_from=None):
    return render_template("plans/file_form.html", kind=kind, key=key, label=KIND_LABELS[kind], form=form,
                           rel=km_target(kind, key).rel, general=general or [], theirs=theirs,
                           schemas=SCHEMAS, started_from=started_from), status


def _from_last_year(year: int) -> tuple[str, dict] | None:
    """A new year's plan started from last year's one-year plan (its activities and people, a year later,
    without last year's results), and what the page says about it; None when there is none to start from.
    Starting from a blank page meant retyping ten activities by hand (domain review D-06)."""
    last = records().plan_for_year(year - 1)
    if last is None or last.fiscal_years != (year - 1,):
        return None
    try:
        text = next_plan_text(_text_of(km_target("plan", last.key)), year)
    except CannotEdit:
        return None
    unfinished = [r.activity for r in results(last, year - 1).activities if not r.done and r.state != "cancelled"]
    return text, {"year": year - 1, "key": last.key, "activities": len(last.activities), "unfinished": unfinished}


def _needs_from_last_year(year: int) -> tuple[str, dict] | None:
    """A year's Form 1 started from the newest earlier year's (its groups and needed knowledge, the
    year moved on), and what the page says about it; None when there is none to start from
    (domain review D-04: a new year's Form 1 meant overwriting last year's)."""
    last = records().needs_before(year)
    if last is None:
        return None
    try:
        text = next_needs_text(_text_of(km_target("needs", last.key)), year, by=year - last.fiscal_year)
    except CannotEdit:
        return None
    items = [item for group in last.groups for item in group.items]
    return text, {"year": last.fiscal_year, "needs": True, "groups": len(last.groups), "count": len(items),
                  "gaps": sum(1 for item in items if not item.assets)}
