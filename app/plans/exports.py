"""The yearly results report as one CSV (UTF-8 with BOM, so Excel shows Thai): one row per line of the
printed report, the first column naming its section."""

from __future__ import annotations

from collections.abc import Iterator

from indexer import YearResults, amount_text, dates, thai_date, thai_datetime

from ..csvfile import csv_text

HEADER = ["ส่วน", "ลำดับ", "รายการ", "ค่าเป้าหมาย", "ผล", "สถานะ/ระดับ", "คะแนน", "คะแนนถ่วงน้ำหนัก", "วันที่",
          "หลักฐาน/อ้างอิง"]


def report_csv(results: YearResults, vocab, plan_vocab) -> str:
    """The whole report, section by section, as CSV text with a byte-order mark."""
    return csv_text(HEADER, _rows(results, vocab, plan_vocab))


def _rows(r: YearResults, vocab, plan_vocab) -> Iterator[list]:
    plan = r.plan
    for label, value in (("ชื่อแผน", plan.title), ("หน่วยงาน", plan.unit), ("กลุ่มภารกิจ", plan.mission_group),
                         ("องค์ความรู้ที่จำเป็น", plan.needed_knowledge), ("เป้าหมาย KM", plan.desired_state),
                         ("ตัวชี้วัดตามคำรับรอง", plan.kpi), ("ค่าเป้าหมาย", plan.kpi_target),
                         ("ปีงบประมาณ", r.fiscal_year), ("ข้อมูล ณ วันที่", thai_date(r.as_of)),
                         ("จัดทำเมื่อ", thai_datetime(dates.now()) + " น.")):  # two made on one day differ
        yield ["ส่วนหัว", "", label, "", value, "", "", "", "", ""]
    for a in r.activities:
        yield ["กิจกรรม", a.activity.number, a.activity.title, amount_text(a.target, a.unit),
               amount_text(a.actual, a.unit), a.state_label, "", "",
               f"{a.completed_caption} {thai_date(a.completed_on)}" if a.completed_on else "",
               a.activity.evidence or (f"หลักฐาน {a.evidence_summary}" if a.evidence_summary else "")]
    for g in r.goals:
        yield ["เป้าประสงค์", g.goal, g.title, f"ระดับ {g.target}", g.value, f"ระดับ {g.level}", "", "", "",
               "บรรลุ" if g.reached else "ไม่บรรลุ"]
    for i, row in enumerate(r.score_rows, start=1):
        yield ["คะแนนถ่วงน้ำหนัก", i, row.title, f"{row.weight:g}%", row.result, "", row.score, f"{row.weighted:.2f}",
               "", ""]
    target = "" if plan.target_score is None else f"{plan.target_score:g}"
    yield ["คะแนนถ่วงน้ำหนัก", "", "รวม", target, "", "", "", f"{r.total_score:.2f}", "", ""]
    for i, m in enumerate(r.measures, start=1):
        yield ["ตัวชี้วัดอื่น", i, m.spec.label, "", amount_text(m.value, m.spec.unit) if m.value is not None else m.note,
               "", "", "", "", ""]
    yield from _narrative(r)
    for section in r.evidence_sections():
        for i, item in enumerate(section.items, start=1):
            yield ["หลักฐาน: " + section.title, i, item.text, "", f"{item.amount:g}" if item.amount else "", "", "", "",
                   thai_date(item.date) if item.date else "", item.ref]
    for label, who in (("ผู้จัดทำ", plan.prepared_by), ("ผู้อนุมัติ", plan.approved_by)):
        if who is not None:
            yield ["ลงนาม", "", label, "", who.name, who.position, "", "", "", ""]


def _narrative(r: YearResults) -> Iterator[list]:
    n = r.narrative
    for section, texts in (("ขั้นตอนการดำเนินงาน", n.steps), ("มาตรการที่ดำเนินการ", n.measures_taken),
                           ("ปัจจัยสนับสนุน", n.supporting_factors), ("อุปสรรค", n.obstacles)):
        for i, text in enumerate(texts, start=1):
            yield [section, i, text, "", "", "", "", "", "", ""]
