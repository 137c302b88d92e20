"""The yearly results report for the DLA assessment: on screen, on A4, as CSV, and the team's own text."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from indexer import CannotEdit, dates, set_year_results_text, thai_date

from ..auth import editor_required, is_km_team
from ..csvfile import csv_response
from ..pdf import pdf_response
from ..publish.service import SaveBusy
from ..revisions import text_sha
from . import bp
from .exports import FORM2_HEADER, HEADER, form2_rows, report_rows
from .forms import ResultsForm, only_sent, refused
from .inputs import errors_for, lines
from .report_records import ReportRecordForm, default_label, report_records
from .state import (
    as_of_param,
    current_fiscal_year,
    half_year_end,
    kb,
    plan_for_request,
    plan_or_404,
    plan_vocab,
    plan_year,
    records,
    requested_as_of,
    results,
)
from .timeline import build_timeline
from .writes import km_target, save_km

NARRATIVE_FIELDS = ("steps", "measures_taken", "supporting_factors", "obstacles", "evidence")


def _report_context():
    plan, year = plan_for_request()
    as_of = requested_as_of()
    outcome = results(plan, year, as_of)
    half = half_year_end(year)
    return {"plan": plan, "year": year, "results": outcome, "years": records().fiscal_years,
            "timeline": build_timeline(year, outcome.activities, outcome.as_of),
            "ahead_asked": as_of is None and bool(request.args.get("as_of", "").strip()),
            "as_of": as_of_param(as_of), "half_year": as_of_param(half) if half < dates.today() else None,
            "is_half_year": as_of == half, "before_year": as_of is not None and as_of < outcome.start,
            "records": report_records(plan, year), "full_evidence": request.args.get("full") == "1",
            "reported": year >= current_fiscal_year() or _reported(year),
            "record_form": ReportRecordForm(formdata=None, kind=default_label(year, as_of)) if is_km_team() else None}


def _reported(year: int) -> bool:
    """Whether the year has an event that reports to the executives (the monitoring committee reports
    to the mayor at least once a year; domain review D-10)."""
    types = set(plan_vocab().types_counting("reports_made"))
    return any(e.type in types and e.reported_year == year for e in records().events)  # also given after it


@bp.get("/report")
def report():
    """The results report of a fiscal year (?fy=2568; default: the current one) on screen."""
    return render_template("plans/report.html", **_report_context())


@bp.get("/report/print")
def report_print():
    """The same report laid out for A4: page numbers, signature block kept with the closing text."""
    return render_template("plans/report_print.html", generated=dates.now(), **_report_context())


@bp.get("/report.pdf")
def report_pdf():
    """The A4 report as a PDF made on the server (Thai fonts embedded), for handing in by e-mail."""
    context = _report_context()
    html = render_template("plans/report_print.html", generated=dates.now(), pdf=True, **context)
    year, as_of = context["year"], context["as_of"]
    name = f"km-report-{year}" + (f"-{as_of}" if as_of else "")
    return pdf_response(html, f"{name}.pdf", url_for("plans.report_print", fy=year, as_of=as_of))


@bp.get("/report.csv")
def report_export():
    """The report as CSV (UTF-8 with BOM)."""
    plan, year = plan_for_request()
    as_of = requested_as_of()
    name = f"km-report-{year}" + (f"-{as_of_param(as_of)}" if as_of else "")
    return csv_response(f"{name}.csv", HEADER, report_rows(results(plan, year, as_of), kb().vocab, plan_vocab()))


def _form2_context(key: str) -> dict:
    plan = plan_or_404(key)
    year = plan_year(plan)
    return {"plan": plan, "year": year, "results": results(plan, year)}


@bp.get("/<key>/form2")
def form2(key: str):
    """The plan as Form 2 (แบบฟอร์มที่ 2) on A4 landscape: its nine columns and the preparer's and approver's
    signatures, for signing before the year and for the auditor's file (the results report is another paper)."""
    return render_template("plans/form2_print.html", generated=dates.now(), **_form2_context(key))


@bp.get("/<key>/form2.pdf")
def form2_pdf(key: str):
    context = _form2_context(key)
    html = render_template("plans/form2_print.html", generated=dates.now(), pdf=True, **context)
    year = context["year"]
    return pdf_response(html, f"km-form2-{year}.pdf", url_for("plans.form2", key=key, fy=year))


@bp.get("/<key>/form2.csv")
def form2_export(key: str):
    """Form 2 as CSV (UTF-8 with BOM): the header's fields, then one row per activity in the form's columns."""
    context = _form2_context(key)
    return csv_response(f"km-form2-{context['year']}.csv", FORM2_HEADER,
                        form2_rows(context["results"], records().people, kb().vocab, plan_vocab()))


@bp.route("/report/results", methods=["GET", "POST"])
@editor_required
def report_results():
    """The KM team writes the steps, measures, supporting factors, obstacles and references of the year."""
    plan, year = plan_for_request()
    as_of = requested_as_of()  # the text of a report made up to a day (the half-year one), apart from the year's
    target = km_target("plan", plan.key)
    form = ResultsForm()
    if request.method == "GET":
        narrative = plan.narrative(year, as_of)
        for name in NARRATIVE_FIELDS:
            getattr(form, name).data = "\n".join(getattr(narrative, name))
        form.base_sha.data = text_sha(target.path.read_text(encoding="utf-8"))
        return _results_page(plan, year, as_of, form)
    if not form.validate_on_submit():
        return _results_page(plan, year, as_of, form, general=refused(form), status=400)
    changes = only_sent(form, {name: lines(getattr(form, name).data) for name in NARRATIVE_FIELDS})
    detail = f"ปีงบประมาณ {year}" + (f" ณ วันที่ {thai_date(as_of)}" if as_of else "")
    try:
        result = save_km("plan", plan.key, lambda text: set_year_results_text(text, year, changes, as_of),
                         action="km_results", detail=detail, base_sha=form.base_sha.data or "")
    except (SaveBusy, CannotEdit) as exc:
        return _results_page(plan, year, as_of, form, general=[str(exc)],
                             status=503 if isinstance(exc, SaveBusy) else 409)
    if result.outcome == "conflict":
        return _results_page(plan, year, as_of, form, status=409, general=[
            "มีผู้แก้ไขแผนนี้หลังจากที่คุณเปิดแบบฟอร์ม กรุณาโหลดหน้าใหม่ (ข้อความที่พิมพ์ยังอยู่ด้านล่าง)"])
    if result.outcome == "invalid":
        errors, general = errors_for(result.problems, set(NARRATIVE_FIELDS))
        return _results_page(plan, year, as_of, form, errors, general, 422)
    flash("บันทึกข้อมูลผลการดำเนินงานแล้ว" if result.outcome == "saved" else "ไม่มีการเปลี่ยนแปลง", "info")
    return redirect(url_for("plans.report", fy=year, as_of=as_of_param(as_of)))


def _results_page(plan, year, as_of, form, errors=None, general=None, status=200):
    return render_template("plans/results_form.html", plan=plan, year=year, form=form, errors=errors or {},
                           general=general or [], as_of=as_of_param(as_of), as_of_day=as_of), status
