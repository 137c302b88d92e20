"""Rules across KM files, and the checked collection the rest of the package reads.

A record that breaks a rule with an error (an event naming an activity its plan
does not have, a second plan for a year) is left out and reported, like a bad
file; names that match nobody are only warnings, because free text is allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..content.asset import Asset, Problem
from ..dates import fiscal_year_bounds
from ..indicators.config import IndicatorConfig
from ..thai.text import normalize
from .loader import KmFiles
from .model import Event, NeedsList, Person, Plan, Signatory, Survey
from .people import PeopleIndex
from .schema import KEY_PATTERN, RECORDS_FOLDER

_KEYLIKE = re.compile(KEY_PATTERN)
PEOPLE_FOLDER = "knowledge/_km/people/"
PLANS_FOLDER = f"{RECORDS_FOLDER}/plans/"  # where a plan file's problems are (their `path`)


@dataclass(frozen=True)
class KmRecords:
    """Every valid KM record, with lookups; `problems` lists what was left out and why."""

    plans: tuple[Plan, ...] = ()
    events: tuple[Event, ...] = ()
    people: PeopleIndex = field(default_factory=lambda: PeopleIndex(()))
    needs: tuple[NeedsList, ...] = ()  # Form 1 of each year, oldest first (one without a year last)
    surveys: tuple[Survey, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def broken_plan(self, key: str) -> str | None:
        """The path of plan file `key` when it was left out for an error (the pages say so, not "no plan")."""
        return _broken_plans(self.problems).get(key)

    def plan(self, key: str) -> Plan | None:
        return next((p for p in self.plans if p.key == key), None)

    def plan_for_year(self, fiscal_year: int) -> Plan | None:
        return next((p for p in self.plans if fiscal_year in p.fiscal_years), None)

    def indicator_config(self, base: IndicatorConfig, fiscal_year: int) -> IndicatorConfig:
        """The indicator settings of a fiscal year: `base` (the vocabulary's) with the thresholds the
        year's plan gives for its goals 1–3 (domain review D-08)."""
        plan = self.plan_for_year(fiscal_year)
        if plan is None:
            return base
        return base.overridden(plan.path, {g.number: (g.levels, g.target_level) for g in plan.goals},
                               next((g.asset_types for g in plan.goals if g.number == 2), ()),
                               next((g.asset_types for g in plan.goals if g.number == 1), ()))

    def needs_for(self, fiscal_year: int) -> NeedsList | None:
        """Form 1 of a fiscal year: its own, else the old one-file form when it names no year."""
        return (next((n for n in self.needs if n.fiscal_year == fiscal_year), None)
                or next((n for n in self.needs if n.fiscal_year is None), None))

    def needs_before(self, fiscal_year: int) -> NeedsList | None:
        """The newest Form 1 of a year before `fiscal_year`: where that year's Form 1 can start from."""
        return next((n for n in reversed(self.needs) if n.fiscal_year is not None and n.fiscal_year < fiscal_year),
                    None)

    def event(self, key: str) -> Event | None:
        return next((e for e in self.events if e.key == key), None)

    def events_in(self, fiscal_year: int) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.fiscal_year == fiscal_year)

    def events_of(self, plan: Plan, number: int) -> tuple[Event, ...]:
        """Events that carry out activity `number` of `plan`, oldest first."""
        return tuple(e for e in self.events if e.plan == plan.key and e.activity == number)

    def events_for_asset(self, slug: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events if slug in e.assets_produced or slug in e.assets_used)

    def events_by(self, person: Person) -> tuple[Event, ...]:
        """Events a person organised."""
        return tuple(e for e in self.events if self.people.find(e.organiser) == person)

    def surveys_in(self, fiscal_year: int) -> tuple[Survey, ...]:
        return tuple(s for s in self.surveys if s.fiscal_year == fiscal_year)

    @property
    def fiscal_years(self) -> tuple[int, ...]:
        """Years with a plan or an event, newest first."""
        years = {y for p in self.plans for y in p.fiscal_years} | {e.fiscal_year for e in self.events}
        return tuple(sorted(years, reverse=True))


def cross_check(files: KmFiles, assets: Iterable[Asset] | None = None) -> KmRecords:
    """Apply the rules across files; `assets` (when given) lets slugs and owners be checked too."""
    problems = list(files.problems)
    people = PeopleIndex(files.people)
    plans = _plans(files.plans, people, problems)
    needs = _needs(files.needs, problems)
    events = _events(files.events, plans, _broken_plans(problems), problems)
    assets = list(assets) if assets is not None else None
    if assets is not None:
        slugs = {a.slug for a in assets}
        _check_slugs(events, needs, slugs, problems)
        _check_owners(assets, people, problems)
    _check_people_refs(plans, events, needs, people, problems)
    _check_twice_recorded(events, problems)
    return KmRecords(plans=tuple(sorted(plans, key=lambda p: p.fiscal_years)), events=tuple(events), people=people,
                     needs=needs, surveys=tuple(sorted(files.surveys, key=lambda s: s.date)),
                     problems=tuple(sorted(problems, key=lambda p: (p.path, p.line or 0))))


def _plans(plans: list[Plan], people: PeopleIndex, problems: list[Problem]) -> list[Plan]:
    kept: list[Plan] = []
    for plan in sorted(plans, key=lambda p: p.key):
        clash = next((p for p in kept if set(p.fiscal_years) & set(plan.fiscal_years)), None)
        if clash is not None:
            years = ", ".join(str(y) for y in sorted(set(clash.fiscal_years) & set(plan.fiscal_years)))
            problems.append(Problem(plan.path, f"ปีงบประมาณ {years} มีแผนอยู่แล้วในไฟล์ {clash.path} "
                                               "(หนึ่งปีมีได้หนึ่งแผน)", "fiscal_years", None))
            continue
        last_day = fiscal_year_bounds(max(plan.fiscal_years))[1]
        kept.append(replace(plan, prepared_by=_signatory(plan.prepared_by, people, last_day),
                            approved_by=_signatory(plan.approved_by, people, last_day)))
    return kept


def _needs(needs: list[NeedsList], problems: list[Problem]) -> tuple[NeedsList, ...]:
    """One Form 1 per fiscal year: the year's own file (needs/<year>.yaml) wins over the old
    needs.yaml naming the same year, which is then reported and left out."""
    kept: dict[int | None, NeedsList] = {}
    for form in sorted(needs, key=lambda n: n.key == "needs"):  # the year's own files first
        clash = kept.get(form.fiscal_year)
        if clash is not None:
            year = f"ปีงบประมาณ {form.fiscal_year}" if form.fiscal_year else "ปีที่ไม่ระบุ"
            problems.append(Problem(form.path, f"{year} มีแบบฟอร์มที่ 1 อยู่แล้วในไฟล์ {clash.path} "
                                               "(หนึ่งปีมีได้หนึ่งฉบับ) ย้ายเนื้อหาที่ยังต้องการไปไว้ในไฟล์นั้น "
                                               "แล้วลบไฟล์นี้", "fiscal_year", None))
            continue
        kept[form.fiscal_year] = form
    undated = kept.get(None)
    if undated is not None and len(kept) > 1:  # it stands in for every other year, silently (review R-10)
        problems.append(Problem(undated.path, "ไม่ระบุ fiscal_year จึงแสดงเป็นแบบฟอร์มที่ 1 ของทุกปีที่ไม่มีไฟล์ของปีนั้นเอง "
                                              "(มีไฟล์รายปีใน needs/ แล้ว) ระบุปีของแบบฟอร์มนี้ หรือย้ายไปเป็น "
                                              "needs/<ปี>.yaml", "fiscal_year", None, "warning"))
    return tuple(sorted(kept.values(), key=lambda n: (n.fiscal_year is None, n.fiscal_year or 0)))


def _signatory(signatory: Signatory | None, people: PeopleIndex, last_day: dt.date) -> Signatory | None:
    """Fill name and position from the people directory when the signatory is one of them: the
    position held on the plan's last day, so a report of a closed year keeps the signer's position
    of the time when they move on (auditor's second visit)."""
    if signatory is None:
        return None
    person = people.find(signatory.person or signatory.name)
    if person is None:
        return signatory
    return Signatory(person.name, signatory.position or person.position_on(last_day), person.key)


def _broken_plans(problems: Iterable[Problem]) -> dict[str, str]:
    """Plan files left out for an error, by key (the file's name): {"2568": "_km/plans/2568.yaml"}."""
    return {Path(p.path).stem: p.path for p in problems
            if p.severity == "error" and p.path.startswith(PLANS_FOLDER)}


def _events(events: list[Event], plans: list[Plan], broken: dict[str, str], problems: list[Problem]) -> list[Event]:
    """Events whose plan and activity exist; those of a plan left out for an error stay, tied to no activity."""
    by_key = {p.key: p for p in plans}
    kept = []
    for event in sorted(events, key=lambda e: (e.date, e.key)):
        plan = by_key.get(event.plan) if event.plan else next(
            (p for p in plans if event.fiscal_year in p.fiscal_years), None)
        wanted = event.plan or str(event.fiscal_year)
        if plan is None and wanted in broken and (event.plan or event.activity is not None):
            # the event happened whatever the plan file's typo: it stays listed and counted as an event,
            # tied to no activity until the plan is fixed (one bad field never hides a year of events)
            problems.append(Problem(event.path, f"แผน {wanted} มีข้อผิดพลาด กิจกรรมนี้จึงยังไม่นับเข้ากิจกรรม"
                                                "ของแผนจนกว่าจะแก้ไฟล์แผน", "plan" if event.plan else "activity",
                                    None, "warning"))
            kept.append(replace(event, plan=None, activity=None))
            continue
        if event.plan and plan is None:
            problems.append(Problem(event.path, f'ไม่พบแผนรหัส "{event.plan}" (มี: {", ".join(by_key) or "ไม่มี"})',
                                    "plan"))
            continue
        if event.activity is not None:
            if plan is None:
                problems.append(Problem(event.path, f"ไม่มีแผนของปีงบประมาณ {event.fiscal_year} "
                                                    "ให้ผูกกิจกรรมตามแผน (ระบุ plan หรือเว้น activity ว่าง)", "activity"))
                continue
            if plan.activity(event.activity) is None:
                numbers = ", ".join(str(a.number) for a in plan.activities)
                problems.append(Problem(event.path, f"ไม่มีกิจกรรมที่ {event.activity} ในแผน {plan.key} "
                                                    f"(มีกิจกรรมที่ {numbers})", "activity"))
                continue
        if plan and event.fiscal_year not in plan.fiscal_years:
            # counted in no year of the plan, yet listed under its activity: the date or the plan is wrong
            years = ", ".join(str(y) for y in plan.fiscal_years)
            problems.append(Problem(event.path, f"วันที่จัดอยู่ในปีงบประมาณ {event.fiscal_year} แต่แผน {plan.key} "
                                                f"ครอบคลุมปีงบประมาณ {years} จึงไม่นับเข้ากิจกรรมของแผน "
                                                "แก้วันที่หรือรหัสแผน", "date", None, "warning"))
            kept.append(replace(event, plan=None, activity=None))
            continue
        kept.append(replace(event, plan=plan.key if plan else None))
    return kept


def _same_title(title: str) -> str:
    """A title as it compares: digits in either script, spacing and case aside."""
    return "".join(normalize(title).split())


def _check_twice_recorded(events: list[Event], problems: list[Problem]) -> None:
    """An event with the date and the title of an earlier file was most likely saved twice: both are
    counted (two sessions of one course are real), but the team is told, so the auditor is not."""
    first: dict[tuple, Event] = {}
    for event in events:  # oldest first, then by file name
        earlier = first.setdefault((event.date, _same_title(event.title)), event)
        if earlier is not event:
            problems.append(Problem(event.path, f"วันที่และชื่อเดียวกับกิจกรรมในไฟล์ {earlier.path} "
                                                "ถ้าบันทึกซ้ำ ให้ลบไฟล์หนึ่งออก (ทั้งสองนับเป็นกิจกรรมอยู่) "
                                                "ถ้าเป็นคนละรอบ ให้ตั้งชื่อให้ต่างกัน เช่น เติม \"(รอบบ่าย)\"",
                                    "title", None, "warning"))


def _check_slugs(events: list[Event], needs: tuple[NeedsList, ...], slugs: set[str],
                 problems: list[Problem]) -> None:
    for event in events:
        for name in ("assets_produced", "assets_used"):
            for slug in getattr(event, name):
                if slug not in slugs:
                    problems.append(Problem(event.path, f'ไม่พบขุมความรู้ "{slug}" ในคลัง', name, None, "warning"))
    for form, item in _need_items(needs):
        for slug in item.assets:
            if slug not in slugs:
                problems.append(Problem(form.path, f'ไม่พบขุมความรู้ "{slug}" ในคลัง ({item.title})', "assets",
                                        None, "warning"))


def _check_owners(assets: list[Asset], people: PeopleIndex, problems: list[Problem]) -> None:
    """`owner` stays free text; a name nobody in the directory has gets a hint, not an error."""
    if not people.people:
        return
    for asset in assets:
        if asset.owner and people.find(asset.owner) is None:
            problems.append(Problem(asset.path, f'ไม่พบ "{asset.owner}" ในทำเนียบบุคคล ({PEOPLE_FOLDER}) '
                                                "จึงแสดงเป็นข้อความธรรมดา เพิ่มข้อมูลบุคคลในทำเนียบเพื่อให้ลิงก์ไปยังผู้รู้ได้",
                                    "owner", None, "warning"))


def _check_people_refs(plans: list[Plan], events: list[Event], needs: tuple[NeedsList, ...], people: PeopleIndex,
                       problems: list[Problem]) -> None:
    """A value written like a person key (ascii-lowercase-with-dashes) must be one."""
    def check(path: str, field_name: str, value: str) -> None:
        if value and _KEYLIKE.match(value) and "-" in value and people.find(value) is None:
            problems.append(Problem(path, f'ไม่พบบุคคลรหัส "{value}" ใน {PEOPLE_FOLDER}', field_name, None, "warning"))

    for plan in plans:
        for activity in plan.activities:
            for name in activity.responsible:
                check(plan.path, f"activities[{activity.number}].responsible", name)
    for event in events:
        check(event.path, "organiser", event.organiser)
        for name in event.participant_names:
            check(event.path, "participant_names", name)
    for form, item in _need_items(needs):
        for name in item.holders:
            check(form.path, "holders", name)


def _need_items(needs: tuple[NeedsList, ...]):
    return ((form, item) for form in needs for group in form.groups for item in group.items)
