"""Needed knowledge (แบบฟอร์มที่ 1) with its gaps, searches that found nothing offered as candidates,
and the staff-awareness surveys."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from indexer import (
    CannotEdit,
    SearchRequest,
    append_need_text,
    append_survey_text,
    be_date_input,
    dates,
    fiscal_year_bounds,
)

from .. import analytics
from ..audit import shown_date
from ..auth import editor_required, sees_drafts
from ..publish.service import SaveBusy
from ..reports.data import requested_fiscal_year
from . import bp
from .forms import NeedForm, SurveyForm, refused
from .inputs import clean, errors_for, items, typed_date, typed_int
from .state import assets, current_fiscal_year, kb, plan_vocab, records
from .writes import save_km

SURVEY_FIELDS = ("date", "title", "respondents", "aware", "total_staff", "evidence")
MAX_CANDIDATES = 20
MAX_SUGGESTIONS = 3


@bp.get("/needs")
def needs():
    """A fiscal year's needed knowledge (`fy`, else the current year's or the newest Form 1), the
    assets that answer it, and the gaps."""
    year = _needs_year()
    published = {a.slug: a for a in assets() if a.status == "published"}
    # a closed year's form reads as it stood at its end: an asset published later answered nothing
    # then, and is shown as published later (review R-04)
    end = fiscal_year_bounds(year)[1] if year < current_fiscal_year() else None
    by_slug = {slug: a for slug, a in published.items() if end is None or (a.published and a.published <= end)}
    later = {slug: a for slug, a in published.items() if slug not in by_slug}
    needs_list = records().needs_for(year)
    candidates = _candidates(year) if sees_drafts() and needs_list else []
    form = NeedForm()
    suggestions = {}
    if needs_list:
        form.group.choices = [(str(i), g.mission_group) for i, g in enumerate(needs_list.groups, start=1)]
        for group in needs_list.groups:
            for item in group.items:
                if end is None and not any(slug in by_slug for slug in item.assets):  # an open gap: what search finds
                    suggestions[item.title] = kb().search(SearchRequest(q=item.title, per_page=MAX_SUGGESTIONS)).hits
    current = current_fiscal_year()
    first = min((n.fiscal_year for n in records().needs if n.fiscal_year is not None), default=current)
    # every year: a closed one without a form too, and a year asked for far outside them
    years = sorted({*range(min(first, current), current + 2), year})
    return render_template("plans/needs.html", needs=needs_list, by_slug=by_slug, later=later, candidates=candidates,
                           form=form,
                           suggestions=suggestions, year=year, years=years,
                           start_from=records().needs_before(year) if needs_list is None else None,
                           file_key=needs_list.key if needs_list else str(year))


def _needs_year() -> int:
    """The year asked for (a 400 when `fy` is no year); else the current year for the KM team; for
    readers the current year when it has its own Form 1, else the newest year that has one."""
    if request.args.get("fy", "").strip():
        return requested_fiscal_year()
    current = current_fiscal_year()
    if sees_drafts():  # the KM team lands on this year's form, or on the offer to start it (review R-09)
        return current
    dated = sorted(n.fiscal_year for n in records().needs if n.fiscal_year is not None)
    if not dated or current in dated:
        return current
    earlier = [y for y in dated if y <= current]
    return earlier[-1] if earlier else dated[0]


def _candidates(year: int) -> list[tuple[str, int]]:
    """Searches of the fiscal year that found nothing: candidate needed knowledge (KM team only)."""
    start, end = fiscal_year_bounds(year)
    stats = analytics.access_stats(start, end)
    return list(stats.empty_queries[:MAX_CANDIDATES]) if not stats.error else []


@bp.post("/needs/add")
@editor_required
def add_need():
    """Add a needed-knowledge item (e.g. a search that found nothing) to a mission group."""
    form = NeedForm()
    year = requested_fiscal_year()
    needs_list = records().needs_for(year)
    if needs_list is None:
        abort(404, description=f"ยังไม่มีแบบฟอร์มที่ 1 ของปีงบประมาณ {year} (knowledge/_km/needs/{year}.yaml)")
    if not form.validate_on_submit():
        abort(400, description=refused(form)[0])
    group = typed_int(form.group.data)
    item = {"title": clean(form.title.data), "holders": items(form.holders.data), "note": clean(form.note.data)}
    try:
        number = group if isinstance(group, int) else 0
        result = save_km("needs", needs_list.key, lambda text: append_need_text(text, number, item),
                         action="km_needs", detail=item["title"])
    except (SaveBusy, CannotEdit) as exc:
        flash(str(exc), "error")
        return redirect(url_for("plans.needs", fy=year))
    if result.outcome == "invalid":
        for problem in result.problems:
            flash(f"ยังบันทึกไม่ได้: {problem.message}", "error")
    else:
        flash(f"เพิ่ม \"{item['title']}\" เป็นความรู้ที่จำเป็นของปีงบประมาณ {year} แล้ว", "info")
    return redirect(url_for("plans.needs", fy=year))


@bp.get("/surveys")
def surveys():
    """Every awareness survey with its computed share against the target."""
    return render_template("plans/surveys.html", surveys=tuple(reversed(records().surveys)),
                           target=plan_vocab().awareness_target)


@bp.route("/surveys/new", methods=["GET", "POST"])
@editor_required
def new_survey():
    """Record one survey: date, respondents, aware, total staff (the share is computed)."""
    form = SurveyForm()
    if request.method == "GET":
        form.date.data = be_date_input(dates.today())
        return _survey_page(form)
    if not form.validate_on_submit():
        return _survey_page(form, general=refused(form), status=400)
    survey = {"date": typed_date(form.date.data), "title": clean(form.title.data),
              "respondents": typed_int(form.respondents.data), "aware": typed_int(form.aware.data),
              "total_staff": typed_int(form.total_staff.data), "evidence": clean(form.evidence.data)}
    try:
        result = save_km("surveys", "surveys", lambda text: append_survey_text(text, survey), action="km_survey",
                         detail=f"{shown_date(survey['date'])} รู้จัก {form.aware.data}/{form.total_staff.data}")
    except (SaveBusy, CannotEdit) as exc:
        return _survey_page(form, general=[str(exc)], status=503 if isinstance(exc, SaveBusy) else 409)
    if result.outcome == "invalid":
        errors, general = errors_for(result.problems, set(SURVEY_FIELDS))
        return _survey_page(form, errors, general, 422)
    flash("บันทึกผลสำรวจแล้ว", "info")
    return redirect(url_for("plans.surveys"))


def _survey_page(form, errors=None, general=None, status=200):
    return render_template("plans/survey_form.html", form=form, errors=errors or {}, general=general or []), status
