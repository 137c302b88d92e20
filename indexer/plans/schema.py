"""The schema of the KM-plan files, declared once for the validator, the forms, the API and the docs.

Files (all under knowledge/_km/, YAML):
  plans/<key>.yaml     a KM Action Plan (แบบฟอร์มที่ 2) for one fiscal year or several
  events/<key>.yaml    one sharing or learning event
  people/<key>.yaml    one card of the people directory
  needs/<year>.yaml    the needed-knowledge form (แบบฟอร์มที่ 1) of one fiscal year (BE); an older
                       single needs.yaml is still read, as the form of its `fiscal_year`
  surveys.yaml         staff-awareness surveys

Kinds: text, longtext, int, number, date, vocab, vocabs (a list of vocab keys),
texts (a list of phrases; a text is cut at commas and line ends), lines (a list of sentences; a
text is cut at line ends only, and two alike are kept), period, year and years (fiscal years), numbers (a list of
whole numbers), levels (the five lower bounds of an indicator's levels, "all" allowed),
slugs (asset slugs), signatory, records (a list of mappings checked against the sub-schema
named in `vocabulary`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.schema import FieldSpec
from ..dates import DATE_HELP
from .model import YEAR_RESULT_NAMES

RECORDS_FOLDER = "_km"
KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"


@dataclass(frozen=True)
class MeasureSpec:
    """A KPI the system can compute; `scope` says whether it counts the year or the activity's events."""

    key: str
    label: str
    unit: str
    scope: str  # year | activity
    help: str


MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec("assets_produced", "จำนวนองค์ความรู้ที่จัดทำและเผยแพร่", "เรื่อง", "year",
                "ขุมความรู้ที่เผยแพร่ในปีงบประมาณ (เท่ากับเป้าประสงค์ที่ 1)"),
    MeasureSpec("departments_documented", "จำนวนหน่วยงานที่จัดทำขั้นตอนการปฏิบัติงานหรือแบบตรวจสอบ", "หน่วยงาน", "year",
                "หน่วยงานที่เผยแพร่ขั้นตอนการปฏิบัติงานหรือแบบตรวจสอบในปี (เป้าประสงค์ที่ 2)"),
    MeasureSpec("channels", "จำนวนช่องทางการเผยแพร่ความรู้", "ช่องทาง", "year",
                "ช่องทางที่มีบันทึกการเผยแพร่ลงวันที่ในปี (เป้าประสงค์ที่ 3)"),
    MeasureSpec("staff_trained", "จำนวนบุคลากรที่ได้รับการพัฒนา", "คน", "activity",
                "ผู้เข้าร่วมกิจกรรมประเภทอบรม ศึกษาดูงาน และพี่เลี้ยง ของกิจกรรมนี้ "
                "คนที่ระบุชื่อไว้นับครั้งเดียวในปี"),
    MeasureSpec("databases", "จำนวนฐานความรู้ที่จัดทำหรือปรับปรุง", "เรื่อง", "year",
                "ขุมความรู้ที่เผยแพร่หรือปรับปรุงในปีงบประมาณ"),
    # the two parts of `databases`, for a plan whose KPI is one of them (domain review D-11)
    MeasureSpec("databases_new", "จำนวนฐานความรู้ที่จัดทำใหม่", "เรื่อง", "year",
                "ขุมความรู้ที่เผยแพร่ครั้งแรกในปีงบประมาณ"),
    MeasureSpec("databases_improved", "จำนวนฐานความรู้ที่ปรับปรุง", "เรื่อง", "year",
                "ขุมความรู้ที่เผยแพร่ก่อนปีงบประมาณ และปรับปรุงในปีนั้น"),
    MeasureSpec("accesses", "จำนวนครั้งที่เข้าใช้คลังความรู้", "ครั้ง", "year",
                "จำนวนการเปิดอ่านขุมความรู้ในปี จากตัวนับของเว็บไซต์"),
    MeasureSpec("sharing_meetings", "จำนวนครั้งของเวทีแลกเปลี่ยนเรียนรู้", "ครั้ง", "activity",
                "กิจกรรมประเภท CoP ล้อมวงเล่า AAR และตลาดนัดความรู้ ของกิจกรรมนี้"),
    MeasureSpec("reports_made", "จำนวนรายงานผลที่จัดทำ", "ฉบับ", "activity",
                "กิจกรรมประเภทรายงานผลต่อผู้บริหาร ของกิจกรรมนี้"),
    MeasureSpec("awareness", "ร้อยละของบุคลากรที่รู้จักการจัดการความรู้", "ร้อยละ", "year",
                "จากแบบสำรวจล่าสุดในปี: ผู้ที่รู้จัก KM หารด้วยบุคลากรทั้งหมด"),
)
MEASURES_BY_KEY = {m.key: m for m in MEASURES}

F = FieldSpec
GOAL_FIELDS = (
    F("number", "int", True, "เป้าประสงค์ที่", "1–3 วัดโดยตัวชี้วัดของระบบ เลขอื่นเป็นเป้าประสงค์เพิ่มเติม"),
    F("title", "text", True, "เป้าประสงค์", "เช่น สร้างองค์ความรู้"),
    F("description", "longtext", False, "คำอธิบาย", ""),
    # thresholds of this plan's years, so that a later change of the vocabulary never re-grades them
    # (domain review D-08); left out, the vocabulary's `indicators:` apply
    F("levels", "levels", False, "เกณฑ์ระดับ 1–5 ของแผนนี้",
      "ค่าต่ำสุดของระดับ 1 ถึง 5 เช่น [0, 1, 3, 5, 7] (all = ทุกหน่วยงานหรือทุกช่องทาง) เฉพาะเป้าประสงค์ที่ 1–3 "
      "เว้นว่าง = ตามค่าตั้งต้นของระบบ"),
    F("target_level", "int", False, "ระดับค่าเป้าหมาย", "1–5 เฉพาะเป้าประสงค์ที่ 1–3 เว้นว่าง = ตามค่าตั้งต้นของระบบ"),
    F("asset_types", "vocabs", False, "ประเภทขุมความรู้ที่นับ",
      "เป้าประสงค์ที่ 1: ประเภทที่นับเป็นขุมความรู้ (เช่น ไม่นับเอกสารบริหารงาน) เป้าประสงค์ที่ 2: ประเภทที่นับเป็น"
      "ขั้นตอนการปฏิบัติงานหรือแบบตรวจสอบ เช่น [procedure, checklist, manual] เว้นว่าง = ตามค่าตั้งต้นของระบบ",
      "asset_types"),
)
ACTIVITY_FIELDS = (
    F("number", "int", True, "ลำดับกิจกรรม", "เลขลำดับในตาราง ไม่ซ้ำกันในแผน"),
    F("title", "text", True, "กิจกรรม", "ชื่อกิจกรรม"),
    F("step", "vocab", False, "ขั้นตอน KM", "หนึ่งใน 7 ขั้นตอน (หรือระบุ element แทน)", "km_stages"),
    F("element", "vocab", False, "องค์ประกอบการบริหารการเปลี่ยนแปลง", "หนึ่งใน 6 องค์ประกอบ (หรือระบุ step แทน)",
      "change_elements"),
    F("method", "longtext", False, "วิธีการ", ""),
    F("period", "period", True, "ระยะเวลา", 'เช่น "ก.พ.–มี.ค. 2568" หรือ "2564–2566"'),
    F("kpi", "text", False, "ตัวชี้วัด", "ตัวชี้วัดความสำเร็จของกิจกรรม"),
    F("measure", "vocab", False, "ตัวชี้วัดที่ระบบนับให้", "เว้นว่างเมื่อทีมกรอกผลเอง", "measures"),
    F("target", "number", False, "ค่าเป้าหมาย", "ตัวเลข เช่น 80"),
    F("unit", "text", False, "หน่วยนับ", "เว้นว่างเพื่อใช้หน่วยของตัวชี้วัดที่ระบบวัด"),
    F("target_group", "text", False, "กลุ่มเป้าหมาย", ""),
    F("responsible", "texts", False, "ผู้รับผิดชอบ", "รหัสบุคคล ชื่อ หรือหน่วยงาน"),
    F("goals", "numbers", False, "เป้าประสงค์ที่สนับสนุน", "เช่น [1, 3]"),
    F("progress", "vocab", False, "ความก้าวหน้า",
      "ทีม KM เลือก: ยังไม่ดำเนินการ อยู่ระหว่างดำเนินการ ดำเนินการแล้ว หรือยกเลิก", "progress", "planned"),
    F("progress_note", "longtext", False, "หมายเหตุความก้าวหน้า", ""),
    F("actual", "number", False, "ผลที่ได้ (กรอกเอง)", "ใช้เมื่อไม่มีตัวชี้วัดที่ระบบนับให้"),
    F("evidence", "text", False, "หลักฐาน", "เลขที่หนังสือ รายงานการประชุม หรือแฟ้มภาพ"),
    F("completed_on", "date", False, "วันที่แล้วเสร็จ", DATE_HELP + " เว้นว่างให้ระบบคำนวณจากหลักฐาน"),
    F("lessons", "longtext", False, "สรุปผล/บทเรียน", ""),
    F("years", "records", False, "ผลรายปี (แผนหลายปี)",
      "รายการ {fiscal_year, progress, actual, evidence, completed_on, lessons} ของแต่ละปีงบประมาณ "
      "ที่แบบฟอร์มความก้าวหน้าเขียนให้ ปีที่ไม่มีรายการใช้ค่าของกิจกรรมเอง", "activity_year"),
)
ORDER_FIELDS = (
    F("ref", "text", True, "เลขที่คำสั่ง", "เช่น ที่ ๙๕๑/๒๕๖๗"),
    F("date", "date", True, "ลงวันที่", DATE_HELP),
    F("title", "text", True, "เรื่อง", "เช่น แต่งตั้งคณะทำงานการจัดการความรู้"),
    F("members", "texts", False, "ผู้ได้รับแต่งตั้ง", "รหัสบุคคลหรือชื่อ คั่นด้วยจุลภาค"),
)
ACTIVITY_YEAR_FIELDS = (
    F("fiscal_year", "year", True, "ปีงบประมาณ", "ปีของผลนี้ เช่น 2565"),
    *(f for f in ACTIVITY_FIELDS if f.name in YEAR_RESULT_NAMES),
)
SCORE_FIELDS = (
    F("goal", "int", False, "เป้าประสงค์ที่", "1–3 (หรือระบุ activity แทน)"),
    F("activity", "int", False, "กิจกรรมที่", "ลำดับกิจกรรม (หรือระบุ goal แทน)"),
    F("weight", "number", True, "น้ำหนัก (ร้อยละ)", "น้ำหนักทุกแถวรวมกันได้ 100"),
)
NARRATIVE_FIELDS = (
    F("fiscal_year", "year", True, "ปีงบประมาณ", "ปีของรายงานผล เช่น 2568"),
    F("as_of", "date", False, "ข้อมูล ณ วันที่",
      "เฉพาะข้อความของรายงานก่อนสิ้นปี เช่น รอบ 6 เดือน 2568-03-31 เว้นว่าง = ของรายงานทั้งปี"),
    F("steps", "texts", False, "ขั้นตอนการดำเนินงาน", "หนึ่งรายการต่อหนึ่งขั้นตอน"),
    F("measures_taken", "texts", False, "มาตรการที่ดำเนินการ", ""),
    F("supporting_factors", "texts", False, "ปัจจัยสนับสนุน", ""),
    F("obstacles", "texts", False, "อุปสรรค", ""),
    F("evidence", "texts", False, "เอกสารหลักฐานอ้างอิง", ""),
)
PLAN_FIELDS = (
    F("title", "text", True, "ชื่อแผน", ""),
    F("fiscal_years", "years", True, "ปีงบประมาณ", 'เช่น 2568 หรือ "2564-2566"'),
    F("unit", "text", True, "หน่วยงาน", ""),
    F("mission_group", "text", True, "กลุ่มภารกิจ", "กลุ่มภารกิจที่เลือกทำ KM"),
    F("needed_knowledge", "text", True, "องค์ความรู้ที่จำเป็น", ""),
    F("desired_state", "longtext", False, "เป้าหมาย KM (สภาพที่ต้องการ)", ""),
    F("kpi", "text", True, "ตัวชี้วัดตามคำรับรองของหน่วยงาน", ""),
    F("kpi_target", "text", False, "ค่าเป้าหมายของตัวชี้วัด", 'เช่น "ครบ 5 คะแนน"'),
    F("target_score", "number", False, "คะแนนเป้าหมาย", "คะแนนถ่วงน้ำหนักที่ตั้งไว้ (เต็ม 5)"),
    F("prepared_by", "signatory", False, "ผู้จัดทำแผน", "รหัสบุคคล หรือ {name, position}"),
    F("approved_by", "signatory", False, "ผู้อนุมัติแผน", "รหัสบุคคล หรือ {name, position}"),
    F("approved_on", "date", False, "วันที่อนุมัติ", DATE_HELP),
    F("orders", "records", False, "คำสั่งแต่งตั้ง", "รายการ {ref, date, title, members} เช่น คำสั่งแต่งตั้งคณะทำงานการจัดการความรู้",
      "order"),
    F("goals", "records", False, "เป้าประสงค์", "รายการ {number, title} และเกณฑ์ระดับของแผนนี้ถ้าต่างจากค่าตั้งต้น",
      "goal"),
    F("activities", "records", True, "กิจกรรม", "รายการกิจกรรมตามแบบฟอร์มที่ 2", "activity"),
    F("scoring", "records", False, "ตารางคะแนนถ่วงน้ำหนัก", "รายการ {goal หรือ activity, weight}", "score"),
    F("results", "records", False, "ข้อมูลผลการดำเนินงานรายปี", "รายการ {fiscal_year, supporting_factors, …}",
      "narrative"),
)
EVENT_FIELDS = (
    F("date", "date", True, "วันที่", DATE_HELP),
    F("type", "vocab", True, "ประเภทกิจกรรม", "CoP ล้อมวงเล่า AAR อบรม ศึกษาดูงาน ฯลฯ", "event_types"),
    F("title", "text", True, "ชื่อกิจกรรม", ""),
    F("plan", "text", False, "แผน", "รหัสแผน (เว้นว่าง = แผนของปีงบประมาณนั้น)"),
    F("activity", "int", False, "กิจกรรมตามแผนที่", "ลำดับกิจกรรมในแผนที่กิจกรรมนี้ดำเนินการ"),
    F("organiser", "text", False, "ผู้จัด", "รหัสบุคคล ชื่อ หรือหน่วยงาน"),
    F("participants", "int", False, "จำนวนผู้เข้าร่วม (คน)", "ตัวเลขไทยหรืออารบิกก็ได้"),
    F("participant_names", "texts", False, "รายชื่อผู้เข้าร่วม", "รหัสบุคคลหรือชื่อ คั่นด้วยจุลภาค"),
    F("staff_categories", "vocabs", False, "ประเภทบุคลากรที่เข้าร่วม", "", "staff_categories"),
    F("departments", "vocabs", False, "หน่วยงานที่เข้าร่วม", "", "departments"),
    F("assets_produced", "slugs", False, "ขุมความรู้ที่ได้จากกิจกรรม", "ชื่อไฟล์ของขุมความรู้ เช่น sick-leave คั่นด้วยจุลภาค"),
    F("assets_used", "slugs", False, "ขุมความรู้ที่ใช้ในกิจกรรม", "ชื่อไฟล์ของขุมความรู้ เช่น sick-leave คั่นด้วยจุลภาค"),
    F("evidence", "text", False, "หลักฐาน", "เลขที่รายงานการประชุม คำสั่ง หรือแฟ้มภาพ เช่น ที่ ๑๒/๒๕๖๘"),
    F("summary", "longtext", False, "สรุปผล", ""),
    F("chair", "text", False, "ประธานในที่ประชุม", "รหัสบุคคลหรือชื่อ"),
    F("minute_taker", "text", False, "ผู้จดรายงานการประชุม", "รหัสบุคคลหรือชื่อ"),
    F("resolutions", "lines", False, "มติที่ประชุม", "หนึ่งบรรทัดต่อหนึ่งมติ"),
    F("order_ref", "text", False, "เลขที่คำสั่ง", "คำสั่งที่แต่งตั้งหรือให้จัดกิจกรรมนี้ เช่น ที่ ๒๐๔/๒๕๖๘"),
    F("order_date", "date", False, "วันที่ของคำสั่ง", DATE_HELP),
    F("reports_on", "year", False, "รายงานผลของปีงบประมาณ",
      "เฉพาะการรายงานผลที่จัดหลังปีนั้นสิ้นสุด เช่น รายงานผลปี 2568 ต่อนายกเทศมนตรีในเดือนตุลาคม 2568 ให้ระบุ 2568"),
)
PERSON_FIELDS = (
    F("name", "text", True, "ชื่อ-สกุล", "พร้อมคำนำหน้า เช่น นางสาวพิมพ์ชนก ใจดี"),
    F("position", "text", False, "ตำแหน่ง", ""),
    F("department", "vocab", False, "หน่วยงาน", "", "departments"),
    F("expertise", "texts", False, "ความเชี่ยวชาญ", "เรื่องที่ถามได้ คั่นด้วยจุลภาค"),
    F("roles", "vocabs", False, "บทบาทในการจัดการความรู้", "CKO ทีม KM คณะกรรมการติดตามและประเมินผล ฯลฯ", "roles"),
    F("cops", "texts", False, "ชุมชนนักปฏิบัติที่เป็นสมาชิก", ""),
    F("contact", "text", False, "ช่องทางติดต่อในที่ทำงาน", "เช่น โทรภายใน ๑๐๔ หรือห้องทำงาน"),
    F("email", "text", False, "อีเมลที่ทำงาน", ""),
    F("phone", "text", False, "โทรศัพท์ที่เจ้าตัวยินยอมเผยแพร่", "เว้นว่างหากไม่ได้รับความยินยอม"),
    F("aliases", "texts", False, "ชื่อที่ใช้เรียกอื่น", "ชื่อที่อาจเขียนในช่องผู้รู้ของขุมความรู้"),
    F("earlier_positions", "records", False, "ตำแหน่งก่อนหน้า",
      "รายการ {position, until} ระบบเก็บให้เมื่อแก้ตำแหน่งในเว็บ รายงานของแผนที่จบก่อนวันนั้นจึงแสดงตำแหน่งเดิม",
      "earlier_position"),
)
EARLIER_POSITION_FIELDS = (
    F("position", "text", True, "ตำแหน่ง", ""),
    F("until", "date", True, "ดำรงตำแหน่งถึงก่อนวันที่", "วันที่เปลี่ยนเป็นตำแหน่งถัดไป"),
)
NEED_ITEM_FIELDS = (
    F("title", "text", True, "ความรู้ที่จำเป็น", ""),
    F("holders", "texts", False, "ผู้รู้", "รหัสบุคคลหรือชื่อ"),
    F("assets", "slugs", False, "ขุมความรู้ที่ตอบความต้องการนี้", "เว้นว่าง = ยังไม่มี (ช่องว่างความรู้)"),
    F("note", "text", False, "หมายเหตุ", ""),
)
NEED_GROUP_FIELDS = (
    F("mission_group", "text", True, "กลุ่มภารกิจ", ""),
    F("goal", "text", False, "เป้าประสงค์", ""),
    F("kpi", "text", False, "ตัวชี้วัดตามคำรับรองของหน่วยงาน", ""),
    F("kpi_target", "text", False, "ค่าเป้าหมายของตัวชี้วัด", ""),
    F("knowledge", "records", False, "ความรู้ที่จำเป็น", "รายการ {title, holders, assets}", "need_item"),
)
NEEDS_FIELDS = (
    F("topic", "text", False, "หัวข้อการจัดการความรู้", ""),
    F("fiscal_year", "year", False, "ปีงบประมาณ", ""),
    F("reasons", "texts", False, "เหตุผลที่เลือก", ""),
    F("groups", "records", True, "กลุ่มภารกิจ", "รายการ {mission_group, goal, kpi, knowledge}", "need_group"),
)
SURVEY_FIELDS = (
    F("date", "date", True, "วันที่สำรวจ", DATE_HELP),
    F("title", "text", False, "ชื่อการสำรวจ", ""),
    F("respondents", "int", True, "จำนวนผู้ตอบ", ""),
    F("aware", "int", True, "จำนวนผู้ที่รู้จักการจัดการความรู้", ""),
    F("total_staff", "int", True, "จำนวนบุคลากรทั้งหมด", ""),
    F("evidence", "text", False, "หลักฐาน", ""),
)
SURVEYS_FIELDS = (
    F("surveys", "records", True, "การสำรวจ", "รายการ {date, respondents, aware, total_staff}", "survey"),
)

SCHEMAS: dict[str, tuple[FieldSpec, ...]] = {
    "plan": PLAN_FIELDS, "goal": GOAL_FIELDS, "activity": ACTIVITY_FIELDS, "activity_year": ACTIVITY_YEAR_FIELDS,
    "score": SCORE_FIELDS, "order": ORDER_FIELDS,
    "narrative": NARRATIVE_FIELDS, "event": EVENT_FIELDS, "person": PERSON_FIELDS,
    "earlier_position": EARLIER_POSITION_FIELDS, "needs": NEEDS_FIELDS,
    "need_group": NEED_GROUP_FIELDS, "need_item": NEED_ITEM_FIELDS, "surveys": SURVEYS_FIELDS,
    "survey": SURVEY_FIELDS,
}
