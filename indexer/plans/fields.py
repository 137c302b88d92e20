"""Check a YAML mapping against a schema from `schema.py`; every problem names file, line and field.

The messages use the same words as the asset validator ("กรุณาระบุ…",
"ไม่มี … ในรายการ ใช้ได้: …"), so the KM team reads one language of errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..content.asset import Problem
from ..content.schema import FieldSpec, missing_field_message, unknown_field_message
from ..content.vocabulary import Term, TermList, Vocabulary
from ..dates import DateFormatError, fiscal_year_of, parse_date, parse_fiscal_year
from ..indicators.config import LEVELS
from .config import PlanVocabulary
from .model import Signatory
from .periods import THAI_DIGITS, PeriodError, parse_period
from .schema import MEASURES, SCHEMAS
from .yamlfile import Lines

MAX_TEXT = {"text": 1_000, "longtext": 20_000}
MAX_INT = 10_000_000
SLUG = re.compile(r"^[\w][\w-]*$", re.UNICODE)
_SPLIT = re.compile(r"[,，\n]")
_LINE_ENDS = re.compile(r"\r?\n")
_NUMBER = re.compile(r"^(?:ร้อยละ\s*)?(\d+(?:\.\d+)?)\s*%?$")
MEASURE_TERMS = TermList("measures", tuple(Term(m.key, m.label) for m in MEASURES))


@dataclass
class Checker:
    """Where problems go and the vocabularies that values are resolved against."""

    rel: str
    vocab: Vocabulary
    plan_vocab: PlanVocabulary
    lines: Lines | None = None
    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, field_path: str | None = None, severity: str = "error") -> None:
        line = self.lines.get(field_path) if (self.lines and field_path) else None
        self.problems.append(Problem(self.rel, message, field_path, line, severity))

    def terms(self, name: str) -> TermList:
        if name == "measures":
            return MEASURE_TERMS
        if hasattr(self.plan_vocab, name):
            return getattr(self.plan_vocab, name)
        return self.vocab.list(name)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check_mapping(specs: tuple[FieldSpec, ...], raw: Any, checker: Checker, prefix: str = "") -> dict[str, Any]:
    """Convert every field of `raw`; missing, wrong and unknown fields become Problems."""
    if not isinstance(raw, dict):
        checker.add(f"ต้องเป็นชุด ชื่อฟิลด์: ค่า (YAML mapping) แต่พบ \"{_show(raw)}\"", prefix.rstrip(".") or None)
        return {}
    values: dict[str, Any] = {}
    for spec in specs:
        path = prefix + spec.name
        value = raw.get(spec.name)
        if value is None or (isinstance(value, (str, list)) and not value):
            if spec.required:
                checker.add(missing_field_message(spec, raw), path)
            elif spec.default is not None:
                values[spec.name] = spec.default
            continue
        try:
            values[spec.name] = _CONVERTERS[spec.kind](value, spec, checker, path)
        except ValueError as exc:
            checker.add(str(exc), path)
    known = {spec.name for spec in specs}
    for name in raw:
        if isinstance(name, bool):  # YAML 1.1 reads a bare yes/no/on/off key as true/false
            checker.add("ชื่อฟิลด์ถูกอ่านเป็นค่าจริง/เท็จ (YAML อ่าน yes, no, on, off เป็น true/false) "
                        "ใส่ชื่อฟิลด์ในเครื่องหมายคำพูด", prefix + str(name).lower(), "warning")
        elif name not in known:
            checker.add(unknown_field_message(name, (s.name for s in specs)), prefix + str(name), "warning")
    return values


def _show(raw: Any) -> str:
    text = "" if raw is None else str(raw)
    return text if len(text) <= 60 else text[:57] + "…"


def _text(raw: Any, spec: FieldSpec, *_: Any) -> str:
    if isinstance(raw, (dict, list)):
        raise ValueError(f"ต้องเป็นข้อความ แต่พบ{'รายการ' if isinstance(raw, list) else 'ชุดข้อมูล'}")
    text = str(raw).strip() if spec.kind == "longtext" else " ".join(str(raw).split())
    if len(text) > MAX_TEXT[spec.kind]:
        raise ValueError(f"ข้อความยาวเกิน {MAX_TEXT[spec.kind]:,} ตัวอักษร")
    return text


def whole_number(raw: Any) -> int:
    """A whole number from YAML or a form; Thai digits and thousands separators accepted ("๑,๒๐๐" → 1200)."""
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    else:
        text = str(raw).translate(THAI_DIGITS).replace(",", "").strip()
        if not text.isascii() or not text.isdigit() or len(text) > 9:
            raise ValueError
        value = int(text)
    if not 0 <= value <= MAX_INT:
        raise ValueError
    return value


def _int(raw: Any, *_: Any) -> int:
    try:
        return whole_number(raw)
    except ValueError:
        raise ValueError(f"ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป เช่น 25 แต่พบ \"{_show(raw)}\"") from None


def number(raw: Any) -> float:
    """A number ≥ 0 from YAML or a form: 80, "80%", "ร้อยละ ๘๐", "2.5"."""
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        match = _NUMBER.match(str(raw).translate(THAI_DIGITS).replace(",", "").strip())
        if not match or len(match.group(1)) > 12:
            raise ValueError
        value = float(match.group(1))
    if not 0 <= value <= MAX_INT:
        raise ValueError
    return value


def _number(raw: Any, *_: Any) -> float:
    try:
        return number(raw)
    except ValueError:
        raise ValueError(f"ต้องเป็นตัวเลขตั้งแต่ 0 ขึ้นไป เช่น 80 แต่พบ \"{_show(raw)}\"") from None


def _date(raw: Any, *_: Any):
    try:
        return parse_date(raw)
    except DateFormatError as exc:
        raise ValueError(f"{exc} แต่พบ \"{_show(raw)}\"") from exc


def _vocab(raw: Any, spec: FieldSpec, checker: Checker, *_: Any) -> str:
    terms = checker.terms(spec.vocabulary)
    key = terms.resolve(str(raw)) if not isinstance(raw, (dict, list)) else None
    if key is None:
        raise ValueError(terms.not_listed(raw))
    return key


def _items(raw: Any, split: re.Pattern = _SPLIT) -> list[str]:
    if isinstance(raw, str):
        raw = split.split(raw)
    if not isinstance(raw, list) or any(isinstance(v, (dict, list)) for v in raw):
        raise ValueError(f"ต้องเป็นรายการ เช่น [ก, ข] แต่พบ \"{_show(raw)}\"")
    return [" ".join(str(v).split()) for v in raw if v is not None and str(v).strip()]


def _vocabs(raw: Any, spec: FieldSpec, checker: Checker, *_: Any) -> tuple[str, ...]:
    terms = checker.terms(spec.vocabulary)
    keys = []
    for item in _items(raw):
        key = terms.resolve(item)
        if key is None:
            raise ValueError(terms.not_listed(item))
        keys.append(key)
    return tuple(dict.fromkeys(keys))


def _texts(raw: Any, *_: Any) -> tuple[str, ...]:
    items = _items(raw)
    if any(len(item) > MAX_TEXT["text"] for item in items):
        raise ValueError(f"แต่ละรายการยาวได้ไม่เกิน {MAX_TEXT['text']:,} ตัวอักษร")
    return tuple(dict.fromkeys(items))


def _lines(raw: Any, *_: Any) -> tuple[str, ...]:
    """Sentences, each whole: a text is cut only at its line ends, commas stay, and two alike are two
    (a meeting may resolve the same twice; security review SEC-05)."""
    items = _items(raw, _LINE_ENDS)
    if any(len(item) > MAX_TEXT["text"] for item in items):
        raise ValueError(f"แต่ละรายการยาวได้ไม่เกิน {MAX_TEXT['text']:,} ตัวอักษร")
    return tuple(items)


def _numbers(raw: Any, *_: Any) -> tuple[int, ...]:
    values = []
    for item in _items(raw if not isinstance(raw, int) else [raw]):
        try:
            values.append(whole_number(item))
        except ValueError:
            raise ValueError(f"ต้องเป็นรายการเลขจำนวนเต็ม เช่น [1, 3] แต่พบ \"{_show(item)}\"") from None
    return tuple(dict.fromkeys(values))


ALL_WORDS = ("all", "ทั้งหมด", "ทุกหน่วยงาน", "ทุกกอง", "ทุกช่องทาง")


def _levels(raw: Any, *_: Any) -> tuple[int | None, ...]:
    """The lower bounds of levels 1–5, not decreasing; "all" (None) = every department or channel."""
    items = _items(raw if not isinstance(raw, int) else [raw])
    if len(items) != LEVELS:
        raise ValueError(f"ต้องเป็นค่าต่ำสุดของระดับ 1 ถึง {LEVELS} ครบ {LEVELS} ค่า เช่น [0, 1, 3, 5, 7] "
                         f"แต่พบ {len(items)} ค่า")
    bounds: list[int | None] = []
    for number, item in enumerate(items, start=1):
        if item.lower() in ALL_WORDS:
            bounds.append(None)
            continue
        try:
            value = whole_number(item)
        except ValueError:
            raise ValueError(f"ระดับที่ {number}: ต้องเป็นเลขจำนวนเต็มตั้งแต่ 0 ขึ้นไป หรือ all แต่พบ "
                             f"\"{_show(item)}\"") from None
        if None in bounds:  # "all" is the most a level can ask: a number after it would be an easier level
            raise ValueError(f"ระดับที่ {number}: ระดับก่อนหน้าเป็น all แล้ว ระดับที่สูงกว่าจึงต้องเป็น all ด้วย "
                             f"แต่พบ {value}")
        lower = [b for b in bounds if b is not None]
        if lower and value < lower[-1]:
            raise ValueError(f"ระดับที่ {number}: ต้องไม่น้อยกว่าระดับก่อนหน้า ({lower[-1]}) แต่พบ {value}")
        bounds.append(value)
    return tuple(bounds)


def _slugs(raw: Any, *_: Any) -> tuple[str, ...]:
    items = _items(raw)
    for item in items:
        if not SLUG.match(item) or len(item) > 200:
            raise ValueError(f"ต้องเป็นชื่อไฟล์ของขุมความรู้ (ไม่รวม .md) เช่น sick-leave แต่พบ \"{_show(item)}\"")
    return tuple(dict.fromkeys(items))


def _period(raw: Any, *_: Any):
    try:
        return parse_period(raw)
    except PeriodError as exc:
        raise ValueError(f"{exc} แต่พบ \"{_show(raw)}\"") from exc


def _years(raw: Any, *_: Any) -> tuple[int, ...]:
    try:
        if isinstance(raw, list):
            years = [parse_fiscal_year(str(v)) for v in raw]
        else:
            period = parse_period(raw)
            if not period.fiscal:
                raise ValueError
            years = list(range(fiscal_year_of(period.start), fiscal_year_of(period.end) + 1))
    except ValueError:
        raise ValueError(f"ต้องเป็นปีงบประมาณ พ.ศ. เช่น 2568 หรือ \"2564-2566\" แต่พบ \"{_show(raw)}\"") from None
    return tuple(sorted(set(years)))


def _year(raw: Any, *args: Any) -> int:
    years = _years(raw, *args)
    if len(years) != 1:
        raise ValueError(f"ต้องเป็นปีงบประมาณเดียว เช่น 2568 แต่พบ \"{_show(raw)}\"")
    return years[0]


def _signatory(raw: Any, spec: FieldSpec, checker: Checker, path: str) -> Signatory:
    if isinstance(raw, (str, int, float)):
        return Signatory(name=" ".join(str(raw).split()))
    if not isinstance(raw, dict) or not (raw.get("name") or raw.get("person")):
        raise ValueError(f"ต้องเป็นรหัสบุคคล หรือ {{name, position}} แต่พบ \"{_show(raw)}\"")
    for key in raw:
        if key not in ("name", "position", "person"):
            checker.add("ไม่รู้จักคีย์นี้ (ใช้ได้: name, position, person)", f"{path}.{key}", "warning")
    return Signatory(name=" ".join(str(raw.get("name") or raw.get("person")).split()),
                     position=" ".join(str(raw.get("position") or "").split()),
                     person=str(raw["person"]) if raw.get("person") else None)


def _records(raw: Any, spec: FieldSpec, checker: Checker, path: str) -> tuple[dict, ...]:
    if not isinstance(raw, list):
        raise ValueError(f"ต้องเป็นรายการของชุดข้อมูล (ขึ้นต้นแต่ละรายการด้วย - ) แต่พบ \"{_show(raw)}\"")
    records = []
    for i, item in enumerate(raw, start=1):
        before = len(checker.errors)
        values = check_mapping(SCHEMAS[spec.vocabulary], item, checker, f"{path}[{i}].")
        if len(checker.errors) == before:
            records.append({**values, "_index": i})  # where it was, for later cross-field messages
    return tuple(records)


_CONVERTERS = {
    "text": _text, "longtext": _text, "int": _int, "number": _number, "date": _date, "vocab": _vocab,
    "vocabs": _vocabs, "texts": _texts, "lines": _lines, "numbers": _numbers, "levels": _levels, "slugs": _slugs,
    "period": _period, "years": _years, "year": _year, "signatory": _signatory, "records": _records,
}
