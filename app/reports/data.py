"""The figures behind every report page: the fiscal year asked for, its report and access counts."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import abort, current_app, request

from indexer import (
    Asset,
    FiscalYearError,
    FiscalYearReport,
    IndicatorConfig,
    compute_report,
    dates,
    fiscal_year_of,
    fiscal_years_with_data,
    parse_fiscal_year,
)

from .. import analytics
from ..auth import is_km_team


@dataclass(frozen=True)
class YearView:
    """One fiscal year's report with what the pages around it need."""

    report: FiscalYearReport
    years: tuple[int, ...]           # choices of the fiscal-year selector, newest first
    current_year: int
    assets_by_slug: dict[str, Asset]
    skipped: int = 0                 # asset files left out for an error: counted nowhere until fixed
    config: IndicatorConfig | None = None  # the thresholds the year was graded by
    broken_plan: str | None = None  # the year's plan file, left out for an error: its thresholds unread

    @property
    def thresholds(self) -> dict:
        """Where the year's thresholds come from, for the API: the plan file, or the vocabulary (None)."""
        source = self.config.source if self.config and self.config.source else None
        error = (f"{self.broken_plan}: แผนของปีนี้มีข้อผิดพลาด จึงใช้เกณฑ์ตั้งต้นของระบบ"
                 if self.broken_plan else None)
        return {"source": source, "error": error}

    @property
    def fiscal_year(self) -> int:
        return self.report.fiscal_year


def requested_fiscal_year() -> int:
    """The `fy` parameter in BE or CE, or the current fiscal year; a bad value is a 400 with a reason."""
    raw = request.args.get("fy", "").strip()
    if not raw:
        return fiscal_year_of(dates.today())
    try:
        return parse_fiscal_year(raw)
    except FiscalYearError as exc:
        abort(400, description=str(exc))


def year_view() -> YearView:
    """Compute the requested year's report from the (cached) assets."""
    state = current_app.extensions["km_reports"]
    vocab = current_app.extensions["km"].kb.vocab
    fiscal_year = requested_fiscal_year()
    loaded = state.catalogue.load()
    assets = loaded.assets
    current = fiscal_year_of(dates.today())
    years = fiscal_years_with_data(assets, state.config, current)
    if fiscal_year not in years:
        years = sorted({*years, fiscal_year}, reverse=True)
    records = _km_records()
    config = year_config(fiscal_year, records)
    return YearView(report=compute_report(assets, fiscal_year, vocab, config), years=tuple(years),
                    current_year=current, assets_by_slug={a.slug: a for a in assets},
                    skipped=len({p.path for p in loaded.errors}), config=config,
                    broken_plan=_broken_plan(fiscal_year, records))


def _km_records():
    """The KM records (cached by the plans area: a stat per file), or None where the area is not set up."""
    plans = current_app.extensions.get("km_plans")
    return plans.catalogue.load() if plans is not None else None


def _broken_plan(fiscal_year: int, records) -> str | None:
    """The file of the year's plan when it is left out for an error: the thresholds it may set are not
    read, and the year would be graded by the vocabulary's without a word (outside review R-03)."""
    if records is None or records.plan_for_year(fiscal_year) is not None:
        return None
    return records.broken_plan(str(fiscal_year))


def year_config(fiscal_year: int, records=None) -> IndicatorConfig:
    """The indicator settings a fiscal year is graded by: the vocabulary's, with the thresholds the
    year's plan sets for itself (so a later change of the vocabulary never re-grades a closed year);
    `records`: the KM records when the caller has read them already."""
    base = current_app.extensions["km_reports"].config
    records = records if records is not None else _km_records()
    return records.indicator_config(base, fiscal_year) if records is not None else base


def access_for(view: YearView) -> analytics.AccessStats:
    """Access counters of the view's fiscal year.

    What readers typed into search (the top queries, those that found nothing) is free
    text that may name a person or a case: only the KM team sees it. An asset that is a
    draft now is not named (its views were counted while it was published).
    """
    stats = analytics.access_stats(view.report.start, view.report.end)
    drafts = {slug for slug, asset in view.assets_by_slug.items() if asset.status == "draft"}
    stats = replace(stats, assets=tuple(row for row in stats.assets if row[0] not in drafts))
    return stats if is_km_team() else replace(stats, queries=(), empty_queries=())
