"""CSV exports (UTF-8 with BOM, so Excel shows Thai) of the indicators, channels and evidence lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import abort, current_app

from indexer import dates, thai_date, thai_datetime, thai_month

from ..auth import is_km_team
from ..csvfile import csv_response
from . import bp
from .data import YearView, access_for, year_view

Table = tuple[list[str], Iterable[list]]


@bp.get("/export/<name>.csv")
def export(name: str):
    builder = EXPORTS.get(name)
    if builder is None:
        abort(404, description=f"ไม่มีไฟล์ส่งออกชื่อ {name} (มี: {', '.join(EXPORTS)})")
    if name in TEAM_ONLY_EXPORTS and not is_km_team():
        abort(403, description=QUERIES_FOR_KM_TEAM)
    view = year_view()
    header, rows = builder(view)
    return csv_response(f"km-{name}-{view.fiscal_year}.csv", header, rows)


def _labels():
    return current_app.extensions["km"].kb.vocab


def _indicators(view: YearView) -> Table:
    report = view.report
    header = ["ปีงบประมาณ", "เป้าประสงค์", "ตัวชี้วัด", "ผลการดำเนินงาน", "ระดับที่ได้", "ค่าเป้าหมาย (ระดับ)",
              "บรรลุค่าเป้าหมาย", "ตั้งแต่", "ถึง", "ข้อมูล ณ"]
    # when the figures were taken: two exports of one closed year made after a change differ, and
    # nothing in them said which is the later (outside review, the auditor's second visit)
    made = thai_datetime(dates.now()) + " น."
    return header, ([report.fiscal_year, g.goal, g.title, g.value, g.level, g.target, "ใช่" if g.reached else "ไม่",
                     thai_date(report.start), thai_date(report.end), made] for g in report.goals)


def _channels(view: YearView) -> Table:
    vocab = _labels()
    header = ["ปีงบประมาณ", "รหัสช่องทาง", "ช่องทาง", "จำนวนครั้งที่เผยแพร่", "จำนวนเรื่อง"]
    return header, ([view.fiscal_year, r.channel, vocab.channels.label(r.channel), r.records, r.assets]
                    for r in view.report.channels)


def _matrix(view: YearView) -> Table:
    vocab, matrix = _labels(), view.report.matrix
    header = ["ช่องทาง", *(vocab.departments.label(d) for d in matrix.departments), "รวม"]
    rows = [[vocab.channels.label(r.channel), *r.counts, r.total] for r in matrix.rows]
    return header, rows + [["รวม", *matrix.totals, sum(matrix.totals)]]


def _asset_cells(asset) -> list:
    vocab = _labels()
    return [asset.slug, asset.title, vocab.departments.label(asset.department),
            vocab.asset_types.label(asset.asset_type),
            thai_date(asset.published), asset.published.isoformat() if asset.published else ""]


_ASSET_HEADER = ["slug", "ชื่อเรื่อง", "หน่วยงาน", "ประเภท", "วันที่เผยแพร่ (พ.ศ.)", "วันที่เผยแพร่ (ISO)"]


def _goal1(view: YearView) -> Table:
    return _ASSET_HEADER, (_asset_cells(a) for a in view.report.goal(1).evidence)


def _goal2(view: YearView) -> Table:
    return ["รหัสหน่วยงาน", *_ASSET_HEADER], ([group.department, *_asset_cells(a)]
                                              for group in view.report.goal(2).evidence for a in group.assets)


def _goal3(view: YearView) -> Table:
    vocab = _labels()
    header = ["รหัสช่องทาง", "ช่องทาง", "วันที่ (พ.ศ.)", "วันที่ (ISO)", "อ้างอิง/หลักฐาน", "นับอัตโนมัติ", "slug",
              "ชื่อเรื่อง", "หน่วยงาน"]
    return header, ([r.channel, vocab.channels.label(r.channel), thai_date(r.date), r.date.isoformat(), r.ref,
                     "ใช่" if r.automatic else "", r.asset.slug, r.asset.title,
                     vocab.departments.label(r.asset.department)]
                    for group in view.report.goal(3).evidence for r in group.records)


def _access_assets(view: YearView) -> Table:
    titles = view.assets_by_slug
    return ["slug", "ชื่อเรื่อง", "จำนวนการเปิดอ่าน"], (
        [slug, titles[slug].title if slug in titles else "(ไม่พบในคลังแล้ว)", views]
        for slug, views in access_for(view).assets)


def _access_months(view: YearView) -> Table:
    return ["เดือน", "จำนวนการเปิดอ่าน", "จำนวนการค้นหา"], (
        [thai_month(month), views, searches] for month, views, searches in access_for(view).months)


def _access_queries(view: YearView) -> Table:
    return ["คำค้น", "จำนวนครั้ง", "ครั้งที่ไม่พบเรื่องที่ตรง"], ([q, n, empty] for q, n, empty in access_for(view).queries)


TEAM_ONLY_EXPORTS = {"access-queries"}  # what readers typed (see data.access_for)
QUERIES_FOR_KM_TEAM = "คำค้นที่ผู้ใช้พิมพ์แสดงเฉพาะทีม KM ที่เข้าสู่ระบบแล้ว"

EXPORTS: dict[str, Callable[[YearView], Table]] = {
    "indicators": _indicators, "channels": _channels, "matrix": _matrix,
    "evidence-goal1": _goal1, "evidence-goal2": _goal2, "evidence-goal3": _goal3,
    "access-months": _access_months, "access-assets": _access_assets, "access-queries": _access_queries,
}
