"""The front-matter schema, declared once for the validator, indexer, forms and docs."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from ..dates import DATE_HELP


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field: its kind, whether it is required and its Thai label."""

    name: str
    kind: str  # text | vocab | tags | date | dates | dissemination
    required: bool
    label: str
    help: str
    vocabulary: str | None = None
    default: str | None = None
    max_chars: int | None = None  # of a text field, or of each tag; the longest sample or plan value is a third of it
    # a text field whose line breaks are kept (loader, merge, a textarea laid out wide in the editor);
    # every other text field has its whitespace collapsed to single spaces
    multiline: bool = False


MAX_TAGS = 50  # an asset's tags; the sample and plan assets have at most 5
MAX_EARLIER_UPDATES = 100  # one per half of a fiscal year: half a century of edits
MAX_REF_CHARS = 300  # of a dissemination record's ref (ที่ ชม ๕๓๑๐๑/ว ๘๘ ลงวันที่ …)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "text", True, "ชื่อเรื่อง", "ชื่อของขุมความรู้ สั้นและสื่อความ", max_chars=300),
    FieldSpec("department", "vocab", True, "หน่วยงาน", "หน่วยงานเจ้าของความรู้", "departments"),
    FieldSpec("km_stage", "vocab", True, "ขั้นตอนการจัดการความรู้", "หนึ่งใน 7 ขั้นตอนของกระบวนการจัดการความรู้", "km_stages"),
    FieldSpec("asset_type", "vocab", False, "ประเภทขุมความรู้", "คู่มือ ขั้นตอน แบบตรวจสอบ ฯลฯ", "asset_types", "other"),
    FieldSpec("knowledge_type", "vocab", False, "ชนิดของความรู้", "ความรู้ที่ชัดแจ้ง หรือความรู้ที่ฝังอยู่ในตัวคน",
              "knowledge_types", "explicit"),
    FieldSpec("tags", "tags", False, "คำสำคัญ", "คำค้นที่เกี่ยวข้อง คั่นด้วยจุลภาค", max_chars=100),
    FieldSpec("owner", "text", False, "ผู้รู้ (ผู้ที่ถามได้)", "ผู้ที่ถามเรื่องนี้ได้ หรือผู้รับผิดชอบ", max_chars=200),
    FieldSpec("summary", "text", False, "สรุปย่อ", "หนึ่งถึงสองประโยค", max_chars=2000,
              multiline=True),
    FieldSpec("published", "date", False, "วันที่เผยแพร่", DATE_HELP),
    FieldSpec("updated", "date", False, "วันที่ปรับปรุง",
              DATE_HELP + " เมื่อแก้เนื้อหาเรื่องที่เผยแพร่แล้วในเว็บ ระบบใส่วันนี้ให้ถ้าไม่ได้แก้ช่องนี้เอง"),
    FieldSpec("earlier_updates", "dates", False, "วันที่ปรับปรุงในปีงบประมาณก่อน",
              "วันที่ปรับปรุงครั้งหลังสุดของแต่ละครึ่งปีงบประมาณก่อนหน้า (ต.ค.–มี.ค. และ เม.ย.–ก.ย.) ระบบเก็บให้เมื่อวันที่"
              "ปรับปรุงย้ายไปครึ่งปีใหม่ ตัวชี้วัดของปีนั้นและรายงานรอบ 6 เดือนจึงยังนับการปรับปรุงครั้งนั้น"),
    FieldSpec("status", "vocab", False, "สถานะ", "ฉบับร่างเห็นได้เฉพาะทีม KM", "statuses", "published"),
    FieldSpec("retired", "date", False, "วันที่เลิกใช้",
              "เฉพาะสถานะเลิกใช้: ปีงบประมาณที่สิ้นสุดก่อนวันนี้ยังนับเรื่องนี้ตามเดิม "
              "ระบบใส่วันนี้ให้เมื่อเปลี่ยนจากเผยแพร่แล้วเป็นเลิกใช้"),
    FieldSpec("dissemination", "dissemination", False, "การเผยแพร่", "รายการ {channel, date, ref}"),
)

FIELDS_BY_NAME = {f.name: f for f in FIELDS}
DISSEMINATION_KEYS = ("channel", "date", "ref")


def unknown_field_message(name: object, known: Iterable[str]) -> str:
    """The warning for a field no schema has, with the known one it is closest to (sumary → summary):
    a misspelt field is left out of the form and the figures, so the likely fix is named."""
    known = list(known)
    close = closest_field(name, known)
    asked = f"หมายถึง {close} หรือไม่?" if close else "(สะกดผิดหรือไม่?)"
    return f"ไม่รู้จักฟิลด์นี้ {asked} ฟิลด์ที่ใช้ได้: {', '.join(known)}"


def closest_field(name: object, known: Iterable[str]) -> str | None:
    """The known field a misspelt one most likely is (sumary → summary), if any is close."""
    close = difflib.get_close_matches(str(name).strip().lower(), list(known), n=1, cutoff=0.75)
    return close[0] if close else None


def missing_field_message(spec: FieldSpec, given: Iterable[object]) -> str:
    """A required field not given; when a field given is its misspelling (perod for period), it says so."""
    typo = next((g for g in given if isinstance(g, str) and g not in (spec.name,)
                 and closest_field(g, [spec.name]) == spec.name), None)
    said = f"กรุณาระบุ{spec.label}"
    return said + (f" (มีฟิลด์ {typo} ซึ่งน่าจะสะกดผิดจาก {spec.name})" if typo else "")
