"""Read and validate Markdown assets; every problem names file, field, line and expectation."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..dates import DateFormatError, parse_date
from ..yamlsafe import yaml_error_text
from .asset import Asset, AssetInvalid, DisseminationRecord, Problem
from .editing import FrontMatterMissing, split_source
from .frontmatter import FrontMatterUnbounded, KeyLines, LazyLine, load_front_matter
from .schema import (
    DISSEMINATION_KEYS,
    FIELDS,
    FIELDS_BY_NAME,
    MAX_EARLIER_UPDATES,
    MAX_REF_CHARS,
    MAX_TAGS,
    FieldSpec,
    missing_field_message,
    unknown_field_message,
)
from .slugs import SlugClaims
from .sources import iter_asset_files, read_source, relative_path, scan_asset_files  # noqa: F401 - re-exported
from .vocabulary import Vocabulary

log = logging.getLogger(__name__)
SLUG_PATTERN = re.compile(r"^[\w][\w-]*$", re.UNICODE)
MAX_SLUG_CHARS = 200  # a longer file name could never be opened: asset addresses are cut there
SHOWN_CHARS = 80  # of a bad value quoted back in a message


@dataclass
class LoadReport:
    """The outcome of reading a whole knowledge folder."""

    assets: list[Asset] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def load_asset(path: Path, knowledge_dir: Path, vocab: Vocabulary) -> Asset:
    """Parse one file into an Asset or raise AssetInvalid with all its problems."""
    rel = relative_path(path, knowledge_dir)
    return parse_asset(read_source(path, knowledge_dir, rel), rel, vocab)


def parse_asset(text: str, rel: str, vocab: Vocabulary) -> Asset:
    """Parse the text of a file at relative path `rel` (used by files and the editor alike).

    Line ends may be LF, CRLF or CR, as in files written on any system.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    slug = Path(rel).stem
    problems: list[Problem] = []
    if not SLUG_PATTERN.match(slug):
        problems.append(Problem(rel, f'ชื่อไฟล์ "{slug[:SHOWN_CHARS]}" ใช้เป็นที่อยู่ของหน้าไม่ได้: ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ '
                                     "ตัวเลข - และ _ เช่น sick-leave", "slug"))
    elif len(slug) > MAX_SLUG_CHARS:
        problems.append(Problem(rel, f"ชื่อไฟล์ยาว {len(slug)} ตัวอักษร เกิน {MAX_SLUG_CHARS} ตัวอักษร จึงเปิดเป็นหน้าเว็บไม่ได้: "
                                     "ตั้งชื่อให้สั้นลง", "slug"))
    meta, body, lines = _split(text, rel)
    values = _validate_fields(meta, lines, rel, vocab, problems)
    if values.get("retired") is not None and values.get("status") != "archived":
        problems.append(Problem(rel, "ใช้เฉพาะกับเรื่องที่เลิกใช้ (status: archived) จึงไม่มีผลกับเรื่องนี้: "
                                     "ลบฟิลด์นี้ หรือเปลี่ยนสถานะเป็นเลิกใช้", "retired", lines.get("retired"), "warning"))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise AssetInvalid(problems)
    return Asset(slug=slug, path=rel, body=body, warnings=tuple(problems), body_line=_body_line(text, body),
                 **values)


def _body_line(text: str, body: str) -> int:
    """The line of `text` its `body` starts on (its end: after the closing --- and the blank lines after it)."""
    return text.count("\n", 0, len(text) - len(body)) + 1


def raw_front_matter(text: str) -> tuple[dict, str]:
    """(fields as written, body) of a file, unvalidated, for showing what changed between versions.

    A version whose front matter is missing or not YAML gives {} (its body is then the whole text).
    """
    try:
        opening, raw, _closing, body = split_source(text.lstrip("\ufeff"))
    except FrontMatterMissing:
        return {}, text
    try:
        metadata = load_front_matter(raw)
    except (FrontMatterUnbounded, yaml.YAMLError):
        return {}, body
    return (metadata if isinstance(metadata, dict) else {}), body


def _split(text: str, rel: str) -> tuple[dict, str, KeyLines]:
    try:
        opening, raw, _closing, body = split_source(text.lstrip("\ufeff"))
    except FrontMatterMissing:
        raise AssetInvalid([Problem(rel, "ไม่พบส่วนหัว (front matter): ไฟล์ต้องขึ้นต้นด้วยบรรทัด --- ตามด้วยฟิลด์ YAML "
                                         "และปิดด้วย ---", line=1)]) from None
    raw = "\n" * opening.count("\n") + raw  # YAML line numbers are then the file's line numbers
    try:
        metadata = load_front_matter(raw)
    except FrontMatterUnbounded as exc:
        raise AssetInvalid([Problem(rel, str(exc), exc.field, exc.line)]) from exc
    except yaml.YAMLError as exc:
        reason, line = yaml_error_text(exc)
        raise AssetInvalid([Problem(rel, f"YAML ในส่วนหัวไม่ถูกต้อง: {reason}", line=line)]) from exc
    if not isinstance(metadata, dict):
        raise AssetInvalid([Problem(rel, "ส่วนหัวต้องเป็นชุด ชื่อฟิลด์: ค่า (YAML mapping)", line=2)])
    return metadata, body, KeyLines(raw)


def _validate_fields(meta: dict, lines: KeyLines, rel: str, vocab: Vocabulary,
                     problems: list[Problem]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in FIELDS:
        raw = meta.get(spec.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if spec.required:
                problems.append(Problem(rel, missing_field_message(spec, meta), spec.name, lines.get(spec.name) or 1))
            elif spec.default is not None:
                values[spec.name] = spec.default
            continue
        try:
            values[spec.name] = _CONVERTERS[spec.kind](raw, spec, vocab, rel, lines, problems)
        except ValueError as exc:
            problems.append(Problem(rel, str(exc), spec.name, lines.get(spec.name)))
    for name in meta:
        if name not in FIELDS_BY_NAME:
            problems.append(Problem(rel, unknown_field_message(name, FIELDS_BY_NAME), _show(name),
                                    lines.get(str(name)), "warning"))
    return values


def _text(raw: Any, spec: FieldSpec, *_: Any) -> str:
    if isinstance(raw, (dict, list)):
        raise ValueError(f"ต้องเป็นข้อความ แต่พบ{_kind_th(raw)}")
    return _within(str(raw).strip() if spec.multiline else " ".join(str(raw).split()), spec.max_chars)


def _within(text: str, limit: int | None, what: str = "") -> str:
    """`text`, or a ValueError when it is longer than `limit` characters: a whole document pasted
    into a title would fill every list and result it is shown in."""
    if limit is not None and len(text) > limit:
        raise ValueError(f"{what}ยาวได้ไม่เกิน {limit:,} ตัวอักษร แต่พบ {len(text):,} ตัวอักษร "
                         f"(\"{_show(text)}\")")
    return text


def _vocab(raw: Any, spec: FieldSpec, vocab: Vocabulary, *_: Any) -> str:
    terms = vocab.list(spec.vocabulary)
    key = terms.resolve(str(raw)) if not isinstance(raw, (dict, list)) else None
    if key is None:
        raise ValueError(terms.not_listed(raw))
    return key


def _tags(raw: Any, spec: FieldSpec, *_: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [part for part in re.split(r"[,，]", raw)]
    if not isinstance(raw, list) or any(isinstance(t, (dict, list)) for t in raw):
        raise ValueError(f"ต้องเป็นรายการคำ เช่น [การลา, ลาป่วย] แต่พบ \"{_show(raw)}\"")
    seen: dict[str, None] = {}
    for tag in raw:
        tag = " ".join(str(tag).split())
        if tag:
            seen.setdefault(_within(tag, spec.max_chars, "แต่ละคำ"), None)
    if len(seen) > MAX_TAGS:
        raise ValueError(f"มีได้ไม่เกิน {MAX_TAGS} คำ แต่พบ {len(seen):,} คำ")
    return tuple(seen)


def _date(raw: Any, *_: Any):
    try:
        return parse_date(raw)
    except DateFormatError as exc:
        raise ValueError(f"{exc} แต่พบ \"{_show(raw)}\"") from exc


def _dates(raw: Any, spec: FieldSpec, vocab: Vocabulary, rel: str,
           lines: KeyLines, problems: list[Problem]) -> tuple:
    """A list of dates, oldest first. A date that cannot be read is left out with a warning, never
    the asset: it is evidence of a past update, not something a reader needs."""
    items = raw if isinstance(raw, list) else [raw]
    if any(isinstance(item, (dict, list)) for item in items):
        raise ValueError(f"ต้องเป็นรายการวันที่ เช่น [2568-06-30, 2569-03-15] แต่พบ \"{_show(raw)}\"")
    if len(items) > MAX_EARLIER_UPDATES:
        raise ValueError(f"มีได้ไม่เกิน {MAX_EARLIER_UPDATES} วัน แต่พบ {len(items):,} วัน")
    days = set()
    for item in items:
        try:
            days.add(parse_date(item))
        except DateFormatError as exc:
            problems.append(Problem(rel, f"{exc} แต่พบ \"{_show(item)}\" (วันที่นี้จึงไม่นับ)", spec.name,
                                    lines.get(spec.name), "warning"))
    return tuple(sorted(days))


def _dissemination(raw: Any, spec: FieldSpec, vocab: Vocabulary, rel: str,
                   lines: KeyLines, problems: list[Problem]) -> tuple[DisseminationRecord, ...]:
    """The records of `raw`. A bad record is left out with a warning ending NOT_COUNTED, never the
    asset: a slip in the audit trail (a 13th month) must not hide the knowledge from its readers."""
    if not isinstance(raw, list):
        raise ValueError(f"ต้องเป็นรายการของ {{channel, date, ref}} แต่พบ \"{_show(raw)}\"")
    records = []
    for i, item in enumerate(raw, start=1):
        name = f"dissemination[{i}]"
        line = LazyLine(lines, name)

        def left_out(message: str, field_name: str = name, line: LazyLine = line) -> None:
            problems.append(Problem(rel, message + NOT_COUNTED, field_name, line.resolve(), "warning"))

        if not isinstance(item, dict):
            left_out(f"ต้องเป็น {{channel, date, ref}} แต่พบ \"{_show(item)}\"")
            continue
        for key in item:
            if key not in DISSEMINATION_KEYS:
                problems.append(Problem(rel, f"ไม่รู้จักคีย์ \"{key}\" (ใช้ได้: channel, date, ref)", name,
                                        line.resolve(), "warning"))
        channel = vocab.channels.resolve(str(item.get("channel") or ""))
        if channel is None and str(item.get("channel") or "").strip():
            left_out(vocab.channels.not_listed(item.get("channel")), f"{name}.channel")
        elif channel is None:
            left_out("ต้องระบุช่องทางการเผยแพร่", f"{name}.channel")
        day = None
        if str(item.get("date") or "").strip():
            try:
                day = parse_date(item["date"])
            except DateFormatError as exc:
                left_out(f"{exc} แต่พบ \"{_show(item['date'])}\"", f"{name}.date")
                continue
        try:  # the result card and the auditor's tables show it whole
            ref = _within(" ".join(str(item.get("ref") or "").split()), MAX_REF_CHARS)
        except ValueError as exc:
            left_out(str(exc), f"{name}.ref")
            continue
        if channel is None:
            continue
        if day is None:  # kept and listed on the asset's page, but in no fiscal year's figures
            problems.append(Problem(rel, "ไม่มีวันที่เผยแพร่ จึงไม่นับในตัวชี้วัดของปีงบประมาณใด "
                                         "ใส่วันที่ เช่น 2568-01-20", f"{name}.date", line.resolve(), "warning"))
        records.append(DisseminationRecord(channel, day, ref))
    return tuple(records)


NOT_COUNTED = " (บันทึกการเผยแพร่นี้จึงไม่นับ)"


_CONVERTERS = {"text": _text, "vocab": _vocab, "tags": _tags, "date": _date, "dates": _dates,
               "dissemination": _dissemination}


def _show(raw: Any) -> str:
    """A bad value as quoted back to the user, cut short: it may be a whole pasted document."""
    shown = "" if raw is None else str(raw)
    return shown if len(shown) <= SHOWN_CHARS else shown[:SHOWN_CHARS] + "…"


def _kind_th(raw: Any) -> str:
    return "รายการ" if isinstance(raw, list) else "ชุดข้อมูล"


def unforeseen_problem(rel: str, exc: Exception) -> Problem:
    """Log a failure nobody foresaw, with its traceback, and word it as the file's problem."""
    log.error("could not read %s", rel, exc_info=exc)
    return Problem(rel, f"อ่านไฟล์นี้ไม่ได้เพราะข้อผิดพลาดภายใน ({type(exc).__name__}): แจ้งผู้ดูแลระบบ")


def load_folder(knowledge_dir: Path, vocab: Vocabulary, paths: list[Path] | None = None) -> LoadReport:
    """Load every asset of the folder; a bad file is reported and never stops the others."""
    report = LoadReport()
    slugs = SlugClaims()
    for path in paths if paths is not None else iter_asset_files(knowledge_dir):
        try:
            asset = load_asset(path, knowledge_dir, vocab)
        except AssetInvalid as exc:
            report.problems.extend(exc.problems)
            continue
        except Exception as exc:  # noqa: BLE001 - reported as this file's problem, with the traceback logged
            report.problems.append(unforeseen_problem(relative_path(path, knowledge_dir), exc))
            continue
        report.problems.extend(asset.warnings)
        kept, said = slugs.admit(asset)
        report.problems.extend(said)
        if kept:
            report.assets.append(asset)
    return report
