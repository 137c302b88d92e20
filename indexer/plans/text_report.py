"""`python -m indexer check` for the KM folder, and `python -m indexer km-report --fy 2568` in the terminal."""

from __future__ import annotations

from ..content.asset import Asset
from ..dates import thai_date
from ..indicators.config import load_indicator_config
from ..thai.text import column
from .catalogue import load_km
from .config import load_plan_vocabulary
from .crossref import KmRecords
from .measures import year_data
from .report import YearResults, plan_results


def check_km_folder(kb, assets: list[Asset] | None) -> KmRecords:
    """Every KM record and problem of the knowledge base's folder (assets let slugs and owners be checked)."""
    plan_vocab = load_plan_vocabulary(kb.vocab, kb.settings.vocabulary_file)
    return load_km(kb.settings.knowledge_dir, kb.vocab, plan_vocab, assets)


def results_for(kb, assets: list[Asset], fiscal_year: int) -> YearResults | None:
    """The results of the plan covering `fiscal_year`, or None when no plan covers it."""
    plan_vocab = load_plan_vocabulary(kb.vocab, kb.settings.vocabulary_file)
    records = load_km(kb.settings.knowledge_dir, kb.vocab, plan_vocab, assets)
    plan = records.plan_for_year(fiscal_year)
    if plan is None:
        return None
    config = records.indicator_config(load_indicator_config(kb.vocab, kb.settings.vocabulary_file), fiscal_year)
    return plan_results(plan, year_data(records, fiscal_year, assets, kb.vocab, config, plan_vocab))


def report_lines(results: YearResults) -> list[str]:
    """Activities, goals and the weighted score table as text lines (in Thai, as on the site)."""
    plan = results.plan
    lines = [f"{plan.title} ({plan.key})", f"ปีงบประมาณ {results.fiscal_year} · ณ วันที่ {thai_date(results.as_of)}", ""]
    lines.append(column("ลำดับ", 5, True) + column("ค่าเป้าหมาย", 12, True) + column("ผล", 8, True) + "  "
                 + column("สถานะ", 24) + "กิจกรรม")
    for r in results.activities:
        target = "-" if r.target is None else f"{r.target:g}"
        actual = "-" if r.actual is None else f"{r.actual:g}"
        lines.append(column(r.activity.number, 5, True) + column(target, 12, True) + column(actual, 8, True) + "  "
                     + column(r.state_label, 24) + r.activity.title)
    o = results.overview
    late = o.counts.get("done-late", 0)
    lines += ["", f"กิจกรรม {o.total}: เสร็จแล้ว {o.done} (ตามกำหนด {o.on_time} · เสร็จล่าช้า {late})"
                  f" · เลยกำหนด ยังไม่เสร็จ {o.counts.get('overdue', 0)}", ""]
    for g in results.goals:
        lines.append(f"เป้าประสงค์ที่ {g.goal}: ผล {g.value} ระดับ {g.level} ค่าเป้าหมายระดับ {g.target}")
    lines += ["", column("น้ำหนัก", 8, True) + column("คะแนน", 7, True) + column("ถ่วงน้ำหนัก", 12, True) + "  ตัวชี้วัด"]
    for row in results.score_rows:
        lines.append(column(f"{row.weight:g}", 8, True) + column(row.score, 7, True)
                     + column(f"{row.weighted:.2f}", 12, True) + f"  {row.title} ({row.result})")
    target = "-" if plan.target_score is None else f"{plan.target_score:g}"
    lines.append(f"รวม {results.total_score:.2f} คะแนน (เป้าหมาย {target})")
    return lines
