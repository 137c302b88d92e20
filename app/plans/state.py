"""What every KM-plan page needs: the records (cached), the year asked for, a plan's results for a year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import abort, current_app, g, make_response, render_template, request

from indexer import (
    BE_OFFSET,
    Asset,
    DateFormatError,
    KmCatalogue,
    KmRecords,
    Plan,
    PlanVocabulary,
    YearResults,
    dates,
    fiscal_year_bounds,
    fiscal_year_of,
    parse_date,
    plan_results,
    year_data,
)

from .. import analytics
from ..auth import sees_drafts
from ..reports.data import requested_fiscal_year, year_config


@dataclass(frozen=True)
class KmState:
    """Kept per app: the catalogue of knowledge/_km/ and the KM-plan vocabularies."""

    catalogue: KmCatalogue
    plan_vocab: PlanVocabulary


def km_state() -> KmState:
    return current_app.extensions["km_plans"]


def plan_vocab() -> PlanVocabulary:
    return km_state().plan_vocab


def kb():
    return current_app.extensions["km"].kb


def assets() -> list[Asset]:
    """Every valid asset (the reports area keeps them cached by file), looked up once per request:
    each look stats every file, and a list of events asked for them twice per event."""
    if "km_assets" not in g:
        g.km_assets = current_app.extensions["km_reports"].catalogue.assets()
    return g.km_assets


def shown_assets(slugs) -> list[Asset]:
    """The assets named by `slugs` that the viewer may see (a draft only for the KM team), in order;
    an event or a need may name a draft, whose name must not reach readers."""
    if "km_assets_by_slug" not in g:
        g.km_assets_by_slug = {a.slug: a for a in assets()}
    by_slug = g.km_assets_by_slug
    team = sees_drafts()
    return [by_slug[s] for s in slugs if s in by_slug
            and (by_slug[s].status == "published" or (team and by_slug[s].status == "draft"))]


def records() -> KmRecords:
    """The checked KM records, read once per request."""
    if "km_records" not in g:
        g.km_records = km_state().catalogue.load()
    return g.km_records


def checked_records() -> KmRecords:
    """The records with the checks that need every asset (unknown slugs, owners nobody has), read
    once per request: the status page asks for them twice (dates ahead, and the KM files' table)."""
    if "km_checked_records" not in g:
        g.km_checked_records = km_state().catalogue.load(assets())
    return g.km_checked_records


def plan_or_404(key: str) -> Plan:
    plan = records().plan(key) if key and len(key) <= 80 else None
    if plan is None:
        abort(404, description=_broken_plan_message(key) or "ไม่พบแผนการจัดการความรู้นี้")
    return plan


def _broken_plan_message(key: str) -> str | None:
    """What a plan's page says while its file is left out for an error (not that there is no plan)."""
    path = records().broken_plan(key) if key and len(key) <= 80 else None
    if path is None:
        return None
    return (f"แผน {key} มีข้อผิดพลาดในไฟล์ {path} จึงยังแสดงแผนและรายงานไม่ได้ "
            "ทีม KM ดูว่าผิดที่บรรทัดใดได้ที่หน้าสถานะคลังความรู้ แล้วแก้ไฟล์แผน")


def plan_year(plan: Plan) -> int:
    """The `fy` asked for (a 400 when it is not a year), else the current year if the plan covers it."""
    if request.args.get("fy", "").strip():
        year = requested_fiscal_year()
        if year not in plan.fiscal_years:
            years = ", ".join(str(y) for y in plan.fiscal_years)
            abort(400, description=f"fy: แผนนี้ครอบคลุมปีงบประมาณ {years} เท่านั้น แต่พบ \"{year}\"")
        return year
    return default_year(plan)


def default_year(plan: Plan) -> int:
    """The current fiscal year when the plan covers it, else the plan's year nearest to it."""
    current = current_fiscal_year()
    return current if current in plan.fiscal_years else min(plan.fiscal_years, key=lambda y: abs(y - current))


def plan_for_request(page: bool = True) -> tuple[Plan, int]:
    """The plan of the `fy` asked for (default: the current year, else the newest plan); without one,
    a 404 page leading to the plans page (`page`), else the plain 404 the API answers in JSON."""
    year = requested_fiscal_year()
    plan = records().plan_for_year(year)
    if plan is None and not request.args.get("fy", "").strip() and records().plans:
        plan = records().plans[-1]
        year = plan.fiscal_years[-1]
    if plan is None:
        broken = _broken_plan_message(str(year))
        if not page:
            abort(404, description=broken or f"ไม่มีแผนการจัดการความรู้ของปีงบประมาณ {year}")
        # where to go from here: the plans page, where the KM team starts the year's plan (verification review)
        abort(make_response(render_template("plans/no_plan.html", year=year, broken=broken), 404))
    return plan, year


def results(plan: Plan, fiscal_year: int, as_of: dt.date | None = None, cut_off: bool | None = None) -> YearResults:
    """The plan's results for a year, with the site's access counters for the "accesses" measure;
    `as_of` a day of the year: the results as they stood that day (the half-year report to the
    mayor as at 31 March), counting only what is dated up to it. `cut_off` (default: when `as_of`
    is given) also sets aside what the team marked without a day (done, in progress); a report
    recorded as it was on its own day is compared without it, as it was made."""
    cut_off = as_of is not None if cut_off is None else cut_off
    cache = g.setdefault("km_results", {})
    if (plan.key, fiscal_year, as_of, cut_off) not in cache:
        start, end = fiscal_year_bounds(fiscal_year)
        access = analytics.access_stats(start, as_of or end)
        months = None if access.error else [(month, views) for month, views, _ in access.months]
        config = year_config(fiscal_year)
        data = year_data(records(), fiscal_year, assets(), kb().vocab, config, plan_vocab(), months, today=as_of,
                         cut_off=cut_off)
        cache[(plan.key, fiscal_year, as_of, cut_off)] = plan_results(plan, data)
    return cache[(plan.key, fiscal_year, as_of, cut_off)]


def requested_as_of() -> dt.date | None:
    """The `as_of` day asked for (None: today, also for a day still ahead); one that is no date is a
    400 with the reason. A day before the fiscal year began is the plan before anything was done:
    its page says so."""
    raw = request.args.get("as_of", "").strip()
    if not raw:
        return None
    try:
        day = parse_date(raw[:40])
    except DateFormatError as exc:
        abort(400, description=f"as_of: {exc} แต่พบ \"{raw[:20]}\"")
    return day if day < dates.today() else None


def as_of_param(day: dt.date | None) -> str | None:
    """A day as the `as_of` parameter of the report's links (Buddhist era: 2568-03-31)."""
    return f"{day.year + BE_OFFSET}-{day.month:02d}-{day.day:02d}" if day else None


def half_year_end(fiscal_year: int) -> dt.date:
    """31 March of the fiscal year: the day the half-year report is made up to."""
    return dt.date(fiscal_year_bounds(fiscal_year)[1].year, 3, 31)


def current_fiscal_year() -> int:
    """The fiscal year of today (indexer.dates.today, which tests move)."""
    return fiscal_year_of(dates.today())
