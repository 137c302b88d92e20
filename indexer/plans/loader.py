"""Read the KM folder (knowledge/_km/) into typed records; a bad file is reported, never fatal.

Each file is checked on its own here (schema, and rules inside one file such as
unique activity numbers); rules across files (an event's activity exists, one
plan per year, people and assets named exist) are in `crossref.py`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.asset import Problem
from ..content.loader import unforeseen_problem
from ..content.vocabulary import Vocabulary
from ..dates import FIRST_YEAR, LAST_YEAR, fiscal_year_bounds, fiscal_year_of
from ..indicators.config import GOAL_NUMBERS, LEVELS
from .config import PlanVocabulary
from .fields import Checker, check_mapping
from .model import (
    YEAR_RESULT_NAMES,
    Activity,
    ActivityYear,
    Event,
    NeedGroup,
    NeedItem,
    NeedsList,
    Order,
    Person,
    Plan,
    PlanGoal,
    ScoreItem,
    Survey,
    YearNarrative,
)
from .schema import KEY_PATTERN, RECORDS_FOLDER, SCHEMAS
from .yamlfile import FileInvalid, Lines, parse_yaml_text, read_yaml_file

FOLDERS = {"plan": "plans", "event": "events", "person": "people", "needs": "needs"}
SINGLE_FILES = {"surveys": "surveys.yaml"}
# Form 1 is one file per fiscal year (needs/<BE year>.yaml). Before that it was one file for every
# year, _km/needs.yaml: still read, as the Form 1 of its `fiscal_year` (of every year without its
# own when it has none), and edited where it is (domain review D-04).
LEGACY_NEEDS = "needs"
LEGACY_NEEDS_FILE = "needs.yaml"
KIND_LABELS = {"plan": "แผน", "event": "กิจกรรม", "person": "บุคคล", "needs": "ความรู้ที่จำเป็น",
               "surveys": "แบบสำรวจ"}
KEY = re.compile(KEY_PATTERN)
# Keys that would hide a page of the site (/plans/report, /events/new…).
RESERVED_KEYS = {"plan": ("report", "needs", "surveys", "files"), "event": ("new",), "person": ("new",)}


@dataclass
class KmFiles:
    """What was read from the KM folder, before the cross-file checks."""

    plans: list[Plan] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    needs: list[NeedsList] = field(default_factory=list)
    surveys: list[Survey] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def km_rel(kind: str, key: str | None = None) -> str:
    """The path of a KM file relative to the knowledge folder ("_km/events/<key>.yaml")."""
    if kind in SINGLE_FILES:
        return f"{RECORDS_FOLDER}/{SINGLE_FILES[kind]}"
    if kind == "needs" and key == LEGACY_NEEDS:
        return f"{RECORDS_FOLDER}/{LEGACY_NEEDS_FILE}"
    return f"{RECORDS_FOLDER}/{FOLDERS[kind]}/{key}.yaml"


def km_files(knowledge_dir: Path) -> list[tuple[str, str, Path]]:
    """Every KM file as (kind, key, path); hidden files and other extensions are left alone."""
    root = Path(knowledge_dir) / RECORDS_FOLDER
    found = []
    for kind, folder in FOLDERS.items():
        try:
            names = sorted(os.listdir(root / folder))
        except OSError:
            continue
        for name in names:
            if name.endswith((".yaml", ".yml")) and not name.startswith((".", "_")):
                found.append((kind, name.rsplit(".", 1)[0], root / folder / name))
    for kind, name in SINGLE_FILES.items():
        if (root / name).is_file():
            found.append((kind, kind, root / name))
    if (root / LEGACY_NEEDS_FILE).is_file():
        found.append(("needs", LEGACY_NEEDS, root / LEGACY_NEEDS_FILE))
    return found


def needs_key_year(key: str) -> int | None:
    """The fiscal year a Form 1 file's name gives ("2568" → 2568); None for the old one-file name
    or a name that is no Buddhist-era year."""
    if len(key) == 4 and key.isascii() and key.isdigit() and FIRST_YEAR <= int(key) <= LAST_YEAR:
        return int(key)
    return None


def parse_km_file(kind: str, key: str, path: Path, rel: str, vocab: Vocabulary,
                  plan_vocab: PlanVocabulary, knowledge_dir: Path) -> tuple[Any, list[Problem]]:
    """Read one file into its record (None when it has errors) and its problems."""
    try:
        data, lines = read_yaml_file(path, rel, knowledge_dir)
    except FileInvalid as exc:
        return None, exc.problems
    return build_record(kind, key, data, Checker(rel, vocab, plan_vocab, lines))


def parse_km_text(kind: str, key: str, text: str, vocab: Vocabulary,
                  plan_vocab: PlanVocabulary) -> tuple[Any, list[Problem]]:
    """The same as `parse_km_file` for text from the browser, before it is written."""
    rel = km_rel(kind, key)
    try:
        data = parse_yaml_text(text, rel)
        return build_record(kind, key, data, Checker(rel, vocab, plan_vocab, Lines(text)))
    except FileInvalid as exc:
        return None, exc.problems
    except Exception as exc:  # noqa: BLE001 - refused with a reason, never a 500 for the editor
        return None, [unforeseen_problem(rel, exc)]


def build_record(kind: str, key: str, data: Any, checker: Checker) -> tuple[Any, list[Problem]]:
    if kind == "needs" and key != LEGACY_NEEDS and needs_key_year(key) is None:
        checker.add(f'ชื่อไฟล์ "{key}" ต้องเป็นปีงบประมาณ พ.ศ. สี่หลัก เช่น needs/2568.yaml '
                    f'(ระหว่าง {FIRST_YEAR} ถึง {LAST_YEAR})', "key")
    elif kind in FOLDERS and not KEY.match(key):
        checker.add(f'ชื่อไฟล์ "{key}" ใช้เป็นรหัสไม่ได้: ใช้ได้เฉพาะ a-z 0-9 และ - ยาวไม่เกิน 80 ตัวอักษร', "key")
    elif key in RESERVED_KEYS.get(kind, ()):
        checker.add(f'ชื่อไฟล์ "{key}" ใช้เป็นรหัสไม่ได้ เพราะซ้ำกับชื่อหน้าเว็บ (ห้ามใช้: '
                    f'{", ".join(RESERVED_KEYS[kind])})', "key")
    if data is None:
        data = {}
    values = check_mapping(SCHEMAS[kind], data, checker)
    if kind in ROW_BY_ROW and _rows_only_wrong(checker, ROW_BY_ROW[kind]):
        return _BUILDERS[kind](key, checker, values), checker.problems
    record = None
    if not checker.errors:
        record = _BUILDERS[kind](key, checker, values)
    if checker.errors:
        return None, checker.problems
    return record, checker.problems


# Files whose rows stand alone (each survey is its own measurement): a bad row is left out and
# reported, and the other rows still count. A plan's rows refer to each other, so a plan is whole or out.
ROW_BY_ROW = {"surveys": "surveys"}


def _rows_only_wrong(checker: Checker, field_name: str) -> bool:
    """Whether every error so far lies inside a row of the list `field_name` (none in the list itself)."""
    return all((p.field or "").startswith(f"{field_name}[") for p in checker.errors)


def _plan(key: str, checker: Checker, v: dict) -> Plan:
    activities = _activities(v, checker)
    plan = Plan(
        key=key, path=checker.rel, title=v["title"], fiscal_years=v["fiscal_years"], unit=v["unit"],
        mission_group=v["mission_group"], needed_knowledge=v["needed_knowledge"], kpi=v["kpi"],
        activities=activities, desired_state=v.get("desired_state", ""), kpi_target=v.get("kpi_target", ""),
        target_score=v.get("target_score"), prepared_by=v.get("prepared_by"), approved_by=v.get("approved_by"),
        approved_on=v.get("approved_on"),
        orders=tuple(Order(o["ref"], o["date"], o["title"], tuple(o.get("members", ()))) for o in v.get("orders", ())),
        goals=_goals(v, checker),
        scoring=_scoring(v, activities, checker),
        narratives=_narratives(v, checker),
        warnings=tuple(checker.problems),
    )
    return plan


def _goals(v: dict, checker: Checker) -> tuple[PlanGoal, ...]:
    goals = []
    for row in v.get("goals", ()):
        where = f"goals[{row['_index']}]"
        if any(g.number == row["number"] for g in goals):  # which row's thresholds would grade it? (SEC-02)
            checker.add(f"เป้าประสงค์ที่ {row['number']} ซ้ำกับแถวก่อนหน้า: แต่ละเป้าประสงค์มีได้แถวเดียว",
                        f"{where}.number")
        measured = row["number"] in GOAL_NUMBERS
        for name in ("levels", "target_level", "asset_types"):
            if name in row and not measured:
                checker.add(f"เป้าประสงค์ที่ {row['number']} ไม่ได้วัดโดยตัวชี้วัดของระบบ: {name} ใช้ได้เฉพาะ"
                            "เป้าประสงค์ที่ 1–3", f"{where}.{name}")
        if measured and None in row.get("levels", ()) and row["number"] == 1:
            checker.add("เป้าประสงค์ที่ 1 นับจำนวนขุมความรู้ ใช้ all ไม่ได้ ระบุเป็นตัวเลข", f"{where}.levels")
        if measured and not 1 <= row.get("target_level", 1) <= LEVELS:
            checker.add(f"ต้องเป็นระดับ 1 ถึง {LEVELS} แต่พบ {row['target_level']}", f"{where}.target_level")
        if "asset_types" in row and measured and row["number"] == 3:
            checker.add("ประเภทขุมความรู้ที่นับ ใช้ได้เฉพาะเป้าประสงค์ที่ 1 และ 2", f"{where}.asset_types")
        goals.append(PlanGoal(row["number"], row["title"], row.get("description", ""), row.get("levels"),
                              row.get("target_level"), row.get("asset_types", ())))
    return tuple(goals)


def _activities(v: dict, checker: Checker) -> tuple[Activity, ...]:
    start, end = fiscal_year_bounds(v["fiscal_years"][0])[0], fiscal_year_bounds(v["fiscal_years"][-1])[1]
    seen: set[int] = set()
    activities = []
    for row in v["activities"]:
        where = f"activities[{row['_index']}]"
        if row["number"] in seen:
            checker.add(f"ลำดับกิจกรรม {row['number']} ซ้ำกับกิจกรรมก่อนหน้า", f"{where}.number")
        seen.add(row["number"])
        if bool(row.get("step")) == bool(row.get("element")):
            checker.add("ต้องระบุ step (ขั้นตอน KM) หรือ element (องค์ประกอบการบริหารการเปลี่ยนแปลง) "
                        "อย่างใดอย่างหนึ่งเท่านั้น", where)
        if row.get("measure") and row.get("target") is None:
            checker.add("ต้องระบุค่าเป้าหมาย (target) เมื่อระบุตัวชี้วัดที่ระบบวัดให้ (measure)", f"{where}.target")
        if row["period"].clipped(start, end) is None:
            checker.add(f"ระยะเวลาอยู่นอกปีงบประมาณของแผน ({', '.join(map(str, v['fiscal_years']))})",
                        f"{where}.period")
        activities.append(Activity(
            number=row["number"], title=row["title"], period=row["period"], step=row.get("step"),
            element=row.get("element"), method=row.get("method", ""), kpi=row.get("kpi", ""),
            measure=row.get("measure"), target=row.get("target"), unit=row.get("unit", ""),
            target_group=row.get("target_group", ""), responsible=row.get("responsible", ()),
            goals=row.get("goals", ()), progress=row.get("progress", "planned"),
            progress_note=row.get("progress_note", ""), actual=row.get("actual"), evidence=row.get("evidence", ""),
            completed_on=row.get("completed_on"), lessons=row.get("lessons", ""),
            years=_activity_years(row, v["fiscal_years"], where, checker)))
    return tuple(sorted(activities, key=lambda a: a.number))


def _activity_years(row: dict, plan_years, where: str, checker: Checker) -> tuple[ActivityYear, ...]:
    """An activity's entries per fiscal year, each for a year of the plan, once."""
    seen, out = set(), []
    for entry in row.get("years", ()):
        at, year = f"{where}.years[{entry['_index']}].fiscal_year", entry["fiscal_year"]
        if year not in plan_years:
            checker.add(f"ปีงบประมาณ {year} ไม่อยู่ในแผนนี้ ({', '.join(map(str, plan_years))})", at)
        elif year in seen:
            checker.add(f"ปีงบประมาณ {year} มีผลของกิจกรรมนี้แล้วในรายการก่อนหน้า", at)
        seen.add(year)
        out.append(ActivityYear(year, **{name: entry[name] for name in YEAR_RESULT_NAMES if name in entry}))
    return tuple(out)


def _scoring(v: dict, activities: tuple[Activity, ...], checker: Checker) -> tuple[ScoreItem, ...]:
    rows = v.get("scoring", ())
    numbers = {a.number for a in activities}
    items = []
    for row in rows:
        where = f"scoring[{row['_index']}]"
        if (row.get("goal") is None) == (row.get("activity") is None):
            checker.add("ต้องระบุ goal หรือ activity อย่างใดอย่างหนึ่งเท่านั้น", where)
        elif row.get("goal") is not None and row["goal"] not in (1, 2, 3):
            checker.add(f"ต้องเป็นเป้าประสงค์ 1, 2 หรือ 3 แต่พบ \"{row['goal']}\"", f"{where}.goal")
        elif row.get("activity") is not None and row["activity"] not in numbers:
            checker.add(f"ไม่มีกิจกรรมที่ {row['activity']} ในแผนนี้", f"{where}.activity")
        items.append(ScoreItem(row["weight"], row.get("goal"), row.get("activity")))
    total = sum(i.weight for i in items)
    if items and abs(total - 100) > 1e-6:
        checker.add(f"น้ำหนักทุกแถวต้องรวมกันได้ 100 แต่รวมได้ {total:g}", "scoring")
    return tuple(items)


def _narratives(v: dict, checker: Checker) -> tuple[YearNarrative, ...]:
    seen, out = set(), []
    for row in v.get("results", ()):
        where = f"results[{row['_index']}].fiscal_year"
        year, as_of = row["fiscal_year"], row.get("as_of")
        if year not in v["fiscal_years"]:
            checker.add(f"ปีงบประมาณ {year} ไม่อยู่ในช่วงของแผนนี้", where)
        elif (year, as_of) in seen:
            checker.add(f"มีข้อมูลผลการดำเนินงานของปี {year}" + (f" ณ วันที่ {as_of.isoformat()}" if as_of else "")
                        + " แล้ว", where)
        elif as_of and fiscal_year_of(as_of) != year:
            checker.add(f"วันที่ {as_of.isoformat()} ไม่อยู่ในปีงบประมาณ {year}", f"results[{row['_index']}].as_of")
        seen.add((year, as_of))
        out.append(YearNarrative(year, row.get("steps", ()), row.get("measures_taken", ()),
                                 row.get("supporting_factors", ()), row.get("obstacles", ()), row.get("evidence", ()),
                                 as_of))
    return tuple(out)


def _event(key: str, checker: Checker, v: dict) -> Event:
    if v.get("order_date") and not v.get("order_ref"):
        checker.add("มีวันที่ของคำสั่งแต่ไม่มีเลขที่คำสั่ง ระบุ order_ref เช่น ที่ ๒๐๔/๒๕๖๘", "order_ref")
    if v.get("reports_on") and v["reports_on"] > fiscal_year_of(v["date"]):
        checker.add(f"รายงานผลของปีงบประมาณ {v['reports_on']} ได้เมื่อปีนั้นเริ่มแล้ว แต่กิจกรรมนี้อยู่ในปีงบประมาณ "
                    f"{fiscal_year_of(v['date'])}", "reports_on")
    return Event(key=key, path=checker.rel, date=v["date"], type=v["type"], title=v["title"], plan=v.get("plan"),
                 activity=v.get("activity"), organiser=v.get("organiser", ""), participants=v.get("participants"),
                 participant_names=v.get("participant_names", ()), staff_categories=v.get("staff_categories", ()),
                 departments=v.get("departments", ()), assets_produced=v.get("assets_produced", ()),
                 assets_used=v.get("assets_used", ()), evidence=v.get("evidence", ""), summary=v.get("summary", ""),
                 reports_on=v.get("reports_on"), chair=v.get("chair", ""), minute_taker=v.get("minute_taker", ""),
                 resolutions=v.get("resolutions", ()), order_ref=v.get("order_ref", ""), order_date=v.get("order_date"),
                 warnings=tuple(checker.problems))


def _person(key: str, checker: Checker, v: dict) -> Person:
    typed = {spec.name: v[spec.name] for spec in SCHEMAS["person"] if spec.kind != "records" and spec.name in v}
    return Person(key=key, path=checker.rel, **typed,  # a field left out takes the model's default
                  earlier_positions=tuple(sorted((row["until"], row["position"])
                                                 for row in v.get("earlier_positions", ()))),
                  warnings=tuple(checker.problems))


def _needs(key: str, checker: Checker, v: dict) -> NeedsList:
    year = needs_key_year(key)
    if year is not None and v.get("fiscal_year") not in (None, year):
        checker.add(f"ปีงบประมาณ {v['fiscal_year']} ไม่ตรงกับชื่อไฟล์ ({key}.yaml เป็นแบบฟอร์มที่ 1 ของปีงบประมาณ "
                    f"{year}): แก้ปีให้ตรงกัน หรือย้ายไปไฟล์ของปีนั้น", "fiscal_year")
    groups = tuple(NeedGroup(g["mission_group"], g.get("goal", ""), g.get("kpi", ""), g.get("kpi_target", ""),
                             tuple(NeedItem(i["title"], i.get("holders", ()), i.get("assets", ()), i.get("note", ""))
                                   for i in g.get("knowledge", ())))
                   for g in v["groups"])
    return NeedsList(checker.rel, v.get("topic", ""), year or v.get("fiscal_year"), v.get("reasons", ()), groups,
                     key=key)


def _surveys(key: str, checker: Checker, v: dict) -> tuple[Survey, ...]:
    surveys = []
    for row in v["surveys"]:
        where = f"surveys[{row['_index']}]"
        if row["total_staff"] == 0:
            checker.add("จำนวนบุคลากรทั้งหมดต้องมากกว่า 0", f"{where}.total_staff")
        elif row["respondents"] > row["total_staff"]:
            checker.add("จำนวนผู้ตอบต้องไม่มากกว่าจำนวนบุคลากรทั้งหมด", f"{where}.respondents")
        elif row["aware"] > row["respondents"]:
            checker.add("จำนวนผู้ที่รู้จักต้องไม่มากกว่าจำนวนผู้ตอบ", f"{where}.aware")
        else:
            surveys.append(Survey(row["date"], row["respondents"], row["aware"], row["total_staff"],
                                  row.get("title", ""), row.get("evidence", "")))
    return tuple(sorted(surveys, key=lambda s: s.date))


_BUILDERS = {"plan": _plan, "event": _event, "person": _person, "needs": _needs, "surveys": _surveys}


def read_km_folder(knowledge_dir: Path, vocab: Vocabulary, plan_vocab: PlanVocabulary,
                   cache: dict | None = None) -> KmFiles:
    """Read every KM file; `cache` maps path → (stat key, record, problems) to skip unchanged files."""
    files = KmFiles()
    fresh: dict = {}
    for kind, key, path in km_files(knowledge_dir):
        rel = (km_rel(kind, key) if kind in SINGLE_FILES or key == LEGACY_NEEDS and kind == "needs"
               else f"{RECORDS_FOLDER}/{FOLDERS[kind]}/{path.name}")
        record, problems = _cached(kind, key, path, rel, vocab, plan_vocab, cache, fresh, knowledge_dir)
        files.problems.extend(problems)
        if record is None:
            continue
        if kind == "surveys":
            files.surveys.extend(record)
        else:
            getattr(files, {"plan": "plans", "event": "events", "person": "people", "needs": "needs"}[kind]).append(
                record)
    if cache is not None:
        cache.clear()
        cache.update(fresh)
    return files


def _cached(kind, key, path, rel, vocab, plan_vocab, cache, fresh, knowledge_dir):
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        stamp = None
    hit = cache.get(str(path)) if cache is not None else None
    if hit is not None and stamp is not None and hit[0] == stamp:
        fresh[str(path)] = hit
        return hit[1], hit[2]
    try:
        record, problems = parse_km_file(kind, key, path, rel, vocab, plan_vocab, knowledge_dir)
    except Exception as exc:  # noqa: BLE001 - one file's problem: never the whole plan area's
        record, problems = None, [unforeseen_problem(rel, exc)]
    fresh[str(path)] = (stamp, record, problems)
    return record, problems
