"""`python -m indexer check` for the KM folder, and `python -m indexer km-report --fy 2568` in the terminal."""

from __future__ import annotations

from ..content.asset import Asset
from ..dates import thai_date
from ..indicators.config import load_indicator_config
from .catalogue import load_km
from .config import load_plan_vocabulary
from .crossref import KmRecords
from .measures import year_data
from .report import YearResults, plan_results


def check_km_folder(kb, assets: list[Asset]) -> KmRecords:
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
    config = load_indicator_config(kb.vocab, kb.settings.vocabulary_file)
    return plan_results(plan, year_data(records, fiscal_year, assets, kb.vocab, config, plan_vocab))


def report_lines(results: YearResults) -> list[str]:
    """Activities, goals and the weighted score table as text lines."""
    plan = results.plan
    lines = [f"{plan.title} ({plan.key})", f"ปีงบประมาณ {results.fiscal_year} · ณ วันที่ {thai_date(results.as_of)}", ""]
    lines.append(f"{'no':>3}  {'target':>8} {'actual':>8}  {'state':<13} title")
    for r in results.activities:
        target = "-" if r.target is None else f"{r.target:g}"
        actual = "-" if r.actual is None else f"{r.actual:g}"
        lines.append(f"{r.activity.number:>3}  {target:>8} {actual:>8}  {r.state:<13} {r.activity.title}")
    o = results.overview
    lines += ["", f"activities {o.total}: done {o.done} (on time {o.on_time}), late {o.late}", ""]
    for g in results.goals:
        lines.append(f"goal {g.goal}: value {g.value} level {g.level} target {g.target}")
    lines += ["", f"{'weight':>6} {'score':>5} {'weighted':>8}  indicator"]
    for row in results.score_rows:
        lines.append(f"{row.weight:>6g} {row.score:>5} {row.weighted:>8.2f}  {row.title} ({row.result})")
    target = "-" if plan.target_score is None else f"{plan.target_score:g}"
    lines.append(f"total {results.total_score:.2f} (target {target})")
    return lines
