"""The report pages: indicators, evidence drill-down, channels, access evidence and the printable report."""

from __future__ import annotations

import re

from flask import abort, current_app, render_template, request, url_for

from indexer import GOAL_UNITS, dates, thai_month

from ..analytics import PRUNED_QUERIES
from ..auth import is_km_team
from ..pdf import pdf_response
from . import bp
from .charts import horizontal_bars, vertical_bars
from .data import YearView, access_for, year_view
from .exports import QUERIES_FOR_KM_TEAM
from .records import record_form, record_view


@bp.get("/")
def indicators():
    view = year_view()
    year_record = record_view(view)
    return render_template("reports/indicators.html", view=view, report=view.report, units=GOAL_UNITS,
                           access=access_for(view), channel_chart=channel_chart(view), year_record=year_record,
                           record_form=record_form() if year_record.closed and is_km_team() else None)


@bp.get("/goals/<int:goal>")
def evidence(goal: int):
    if goal not in GOAL_UNITS:
        abort(404, description="มีเป้าประสงค์ที่ 1 ถึง 3 เท่านั้น")
    view = year_view()
    return render_template("reports/evidence.html", view=view, report=view.report, units=GOAL_UNITS,
                           goal=view.report.goal(goal),
                           qualifying_types=view.config.qualifying_types,
                           with_steps=_steps_not_counted(view) if goal == 2 and is_km_team() else (),
                           show_all=request.args.get("all") == "1")


# "## ขั้นตอนการปฏิบัติงาน", also numbered as manuals number them: "## ๒. ขั้นตอน…", "### 3) ขั้นตอน", "## 2.1 ขั้นตอน"
WORK_STEPS = re.compile(r"^#{1,6}[ \t]*(?:[0-9๐-๙]+(?:[.)][0-9๐-๙]*)*[ \t]*)?ขั้นตอน", re.MULTILINE)


def _steps_not_counted(view: YearView) -> list:
    """Assets of the year whose text has a "ขั้นตอน…" heading but whose type goal 2 does not count (a
    manual written with the work steps): the team is told, not left to find that goal 2 stayed at 0
    (domain review D-09). Only the first 20,000 characters of each are looked at."""
    types = set(view.config.qualifying_types)
    return [asset for asset in view.report.goal(1).evidence
            if asset.asset_type not in types and WORK_STEPS.search(asset.body[:20_000])]


@bp.get("/channels")
def channels():
    view = year_view()
    return render_template("reports/channels.html", view=view, report=view.report,
                           channel_chart=channel_chart(view))


@bp.get("/access")
def access():
    view = year_view()
    stats = access_for(view)
    return render_template("reports/access.html", view=view, report=view.report, access=stats,
                           month_chart=month_chart(stats), shows_queries=is_km_team(),
                           queries_for_km_team=QUERIES_FOR_KM_TEAM, pruned=PRUNED_QUERIES)


@bp.get("/print")
def print_report():
    """The A4 report: made-at time in KM_TIMEZONE, both charts, page numbers from print.css."""
    return render_template("reports/print.html", **print_context())


@bp.get("/print.pdf")
def print_pdf():
    """The same A4 report as a PDF made on the server (Thai fonts embedded), for handing in by e-mail."""
    context = print_context()
    html = render_template("reports/print.html", pdf=True, **context)
    year = context["report"].fiscal_year
    return pdf_response(html, f"km-indicators-{year}.pdf", url_for("reports.print_report", fy=year))


def print_context() -> dict:
    view = year_view()
    stats = access_for(view)
    return {"view": view, "report": view.report, "units": GOAL_UNITS, "access": stats, "generated": dates.now(),
            "year_record": record_view(view),
            "channel_chart": channel_chart(view), "month_chart": None if stats.error else month_chart(stats)}


def month_chart(stats):
    """Views per month of the fiscal year, ต.ค. to ก.ย."""
    return vertical_bars("จำนวนการเปิดอ่านรายเดือน",
                         [(thai_month(month, year=False), views) for month, views, _ in stats.months])


def channel_chart(view: YearView):
    """Records per channel for the year, channels in vocabulary order."""
    vocab = current_app.extensions["km"].kb.vocab
    return horizontal_bars("จำนวนครั้งที่เผยแพร่ แยกตามช่องทาง",
                           [(vocab.channels.label(row.channel), row.records) for row in view.report.channels])
