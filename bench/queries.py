"""The fixed mixes the benchmark sends: Thai queries (short words, questions, typos, digits,
filters) for /api/search, and what a reader has typed so far for /api/suggest."""

from pathlib import Path

import yaml

BLIND_SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "relevance" / "blind_sample.yaml"

QUERY_MIX: tuple[dict, ...] = (
    {"q": "ลาป่วย"},
    {"q": "ลาพักผ่อน"},
    {"q": "เลื่อนขั้นเงินเดือน"},
    {"q": "ค่ารักษาพยาบาล"},
    {"q": "ภาษีป้าย"},
    {"q": "ลาป่วยต้องใช้ใบรับรองแพทย์ไหม"},
    {"q": "เบิกค่าเล่าเรียนบุตรต้องใช้เอกสารอะไรบ้าง"},
    {"q": "ขออนุญาตก่อสร้างอาคารต้องทำอย่างไร"},
    {"q": "ลาปวย"},
    {"q": "เบิกค่ารักษาพยาบาน"},
    {"q": "เกษียน"},
    {"q": "951/2567"},
    {"q": "ที่ ชม 53101"},
    {"q": "KM"},
    {"q": "ความเป็นธรรม"},
    {"q": "ลาป่วย", "department": "palad"},
    {"q": "แบบตรวจสอบ", "asset_type": "checklist", "fy": "2568"},
    {"q": "ขยะ", "sort": "newest"},
    {"q": "การประชุม", "km_stage": "sharing", "page": "2"},
    {"q": "ตลาดนัดความรู้", "department": "education"},
)

# Search as you type: prefixes of 2–6 characters, some ending inside a character cluster
# (ลาป, เบิ), common openings shared by thousands of titles (กา, การ), a Latin acronym,
# Thai digits, a second word being typed, and prefixes nothing starts with.
SUGGEST_MIX: tuple[dict, ...] = (
    {"q": "ลา"}, {"q": "ลาป"}, {"q": "ลาป่"}, {"q": "ลาพัก"}, {"q": "เบิ"}, {"q": "เบิกค่า"},
    {"q": "กา"}, {"q": "การ"}, {"q": "ค่ารัก"}, {"q": "ป่วย"}, {"q": "พนักงาน"}, {"q": "ภาษี"},
    {"q": "ขยะ"}, {"q": "km"}, {"q": "๙๕"}, {"q": "ลาป่วย ใบ"}, {"q": "ขออนุญาตก่อ"}, {"q": "พิมพ์"},
    {"q": "ฮฮฮ"}, {"q": "zz"},
)


def new_questions() -> list[dict]:
    """Questions the mix never asks, each sent once after it: those of the blind sample set
    (written without sight of the engine). The mix is repeated, so whatever a search keeps
    by word or by text is warm for it; these show what a question asked for the first time
    costs."""
    entries = yaml.safe_load(BLIND_SAMPLE.read_text(encoding="utf-8"))
    return [{"q": entry["query"]} for entry in entries]
