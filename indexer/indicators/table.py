"""Plain-text tables of a fiscal year's indicators, for `python -m indexer indicators`."""

from __future__ import annotations

from .. import dates
from ..content.vocabulary import Vocabulary
from ..dates import FiscalYearError, fiscal_year_of, parse_fiscal_year, thai_date
from ..errors import KnowledgeError
from ..kb import KnowledgeBase
from ..thai.text import column
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
    from ..plans.text_report import check_km_folder  # the year's plan may set its own thresholds

    config = load_indicator_config(kb.vocab, kb.settings.vocabulary_file)
    assets = kb.check().assets
    config = check_km_folder(kb, None).indicator_config(config, year)
    return compute_report(assets, year, kb.vocab, config)


def report_lines(report: FiscalYearReport, vocab: Vocabulary) -> list[str]:
    """The goals, then the channel table, as aligned text lines (in Thai: the KM secretary runs it)."""
    lines = [f"ปีงบประมาณ {report.fiscal_year} ({thai_date(report.start)} – {thai_date(report.end)})", ""]
    lines.append(column("เป้าประสงค์", 12) + column("ผล", 6, True) + column("ระดับ", 7, True)
                 + column("ค่าเป้าหมาย", 12, True) + "  บรรลุ")
    for goal in report.goals:
        lines.append(column(goal.goal, 12) + column(goal.value, 6, True) + column(goal.level, 7, True)
                     + column(goal.target, 12, True) + "  " + column("ใช่" if goal.reached else "ไม่", 5)
                     + f"  {goal.title}")
    lines += ["", column("ช่องทาง", 16) + column("ครั้ง", 8, True) + column("เรื่อง", 8, True) + "  ชื่อช่องทาง"]
    for row in report.channels:
        lines.append(column(row.channel, 16) + column(row.records, 8, True) + column(row.assets, 8, True)
                     + f"  {vocab.channels.label(row.channel)}")
    if report.ahead_assets:
        lines += ["", f"ขุมความรู้ที่ลงวันที่เผยแพร่ล่วงหน้า (นับเมื่อถึงวันนั้น): {len(report.ahead_assets)}"]
        lines += [f"  {a.path}: {thai_date(a.published)}" for a in report.ahead_assets]
    if report.ahead_records:
        lines += ["", f"บันทึกการเผยแพร่ที่ลงวันที่ล่วงหน้า (นับเมื่อถึงวันนั้น): {len(report.ahead_records)}"]
        lines += [f"  {r.asset.path}: {r.channel} {thai_date(r.date)} {r.ref}".rstrip() for r in report.ahead_records]
    if report.undated_records:
        lines += ["", f"บันทึกการเผยแพร่ที่ไม่มีวันที่ (ไม่นับในปีงบประมาณใด): {len(report.undated_records)}"]
        lines += [f"  {r.asset.path}: {r.channel} {r.ref}".rstrip() for r in report.undated_records]
    if report.undated_assets:
        lines += ["", f"ขุมความรู้ที่เผยแพร่แล้วแต่ไม่มีวันที่เผยแพร่ (ไม่นับ): {len(report.undated_assets)}"]
        lines += [f"  {a.path}" for a in report.undated_assets]
    return lines
