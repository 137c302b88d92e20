"""Plain-text tables of a fiscal year's indicators, for `python -m indexer indicators`."""

from __future__ import annotations

from .. import dates
from ..content.vocabulary import Vocabulary
from ..dates import FiscalYearError, fiscal_year_of, parse_fiscal_year, thai_date
from ..errors import KnowledgeError
from ..kb import KnowledgeBase
from .compute import FiscalYearReport, compute_report
from .config import load_indicator_config


class InvalidFiscalYear(KnowledgeError):
    """The fiscal year given on the command line is not a year."""


def report_for(kb: KnowledgeBase, fy: str | None) -> FiscalYearReport:
    """Compute the report of fiscal year `fy` (BE or CE; None = the current one) from the files."""
    try:
        year = parse_fiscal_year(fy) if fy else fiscal_year_of(dates.today())
    except FiscalYearError as exc:
        raise InvalidFiscalYear(str(exc)) from exc
    config = load_indicator_config(kb.vocab, kb.settings.vocabulary_file)
    return compute_report(kb.check().assets, year, kb.vocab, config)


def report_lines(report: FiscalYearReport, vocab: Vocabulary) -> list[str]:
    """The goals, then the channel table, as aligned text lines."""
    lines = [f"ปีงบประมาณ {report.fiscal_year} ({thai_date(report.start)} – {thai_date(report.end)})", ""]
    lines.append(f"{'goal':<5}{'value':>6}{'level':>7}{'target':>8}  reached")
    for goal in report.goals:
        reached = "yes" if goal.reached else "no"
        lines.append(f"{goal.goal:<5}{goal.value:>6}{goal.level:>7}{goal.target:>8}  {reached:<7}  {goal.title}")
    lines += ["", f"{'channel':<16}{'records':>8}{'assets':>8}  label"]
    for row in report.channels:
        lines.append(f"{row.channel:<16}{row.records:>8}{row.assets:>8}  {vocab.channels.label(row.channel)}")
    if report.ahead_records:
        lines += ["", f"records dated after today (counted from their day): {len(report.ahead_records)}"]
        lines += [f"  {r.asset.path}: {r.channel} {r.date.isoformat()} {r.ref}".rstrip() for r in report.ahead_records]
    if report.undated_records:
        lines += ["", f"records without a date (not counted in any year): {len(report.undated_records)}"]
        lines += [f"  {r.asset.path}: {r.channel} {r.ref}".rstrip() for r in report.undated_records]
    if report.undated_assets:
        lines += ["", f"published assets without a published date (not counted): {len(report.undated_assets)}"]
        lines += [f"  {a.path}" for a in report.undated_assets]
    return lines
