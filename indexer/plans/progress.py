"""Plan against actual: each activity's target, actual, evidence and state (done, late, not started…).

States, decided in this order:
  cancelled     the team marked it cancelled
  done-on-time  target reached (or marked done) no later than the planned end
  done-late     target reached (or marked done) after the planned end
  overdue       not done and the planned end has passed
  in-progress   not done, but something happened (an event, evidence, or marked in progress)
  not-started   the planned start has passed and nothing happened
  not-due       the planned start is still ahead
The completion date is the one entered, else the date of the evidence with which
the running total first reached the target, else the last evidence date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from .. import dates as dates_module
from .measures import EvidenceItem, MeasureResult, YearData, compute_measure
from .model import Activity, Event, Plan
from .periods import Period
from .schema import MEASURES_BY_KEY

STATES = {
    "done-on-time": "เสร็จตามกำหนด", "done-late": "เสร็จล่าช้า", "in-progress": "กำลังดำเนินการ",
    "overdue": "เลยกำหนด ยังไม่เสร็จ", "not-started": "ยังไม่เริ่ม", "not-due": "ยังไม่ถึงกำหนด", "cancelled": "ยกเลิก",
}
LATE_STATES = ("done-late", "overdue")


@dataclass(frozen=True)
class ActivityResult:
    """One activity in one fiscal year: what was planned, what happened, and its state."""

    activity: Activity
    window: Period  # the planned period inside this fiscal year
    measure: MeasureResult | None
    actual: float | None
    evidence: tuple[EvidenceItem, ...]
    events: tuple[Event, ...]
    state: str
    completed_on: dt.date | None

    @property
    def target(self) -> float | None:
        return self.activity.target

    @property
    def unit(self) -> str:
        if self.activity.unit:
            return self.activity.unit
        return MEASURES_BY_KEY[self.activity.measure].unit if self.activity.measure else ""

    @property
    def completed_caption(self) -> str:
        """What the completion date is: the day the team entered, or the day the counted evidence
        reached the target, which may fall before the planned period (channels of the whole year)."""
        if self.completed_on is None:
            return ""
        return "แล้วเสร็จ" if self.activity.completed_on or not self.reached else "ถึงค่าเป้าหมาย"

    @property
    def reached(self) -> bool:
        return self.target is not None and self.actual is not None and self.actual >= self.target

    @property
    def done(self) -> bool:
        return self.state in ("done-on-time", "done-late")

    @property
    def late(self) -> bool:
        return self.state in LATE_STATES

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def extra_events(self) -> tuple[Event, ...]:
        """Its events that are not already listed as evidence (they carry the activity, not the figure)."""
        listed = {i.key for i in self.evidence if i.kind == "event"}
        return tuple(e for e in self.events if e.key not in listed)

    @property
    def evidence_summary(self) -> str:
        """What backs the figure, apart from the events that only carry the activity: a report said
        "หลักฐาน 9 รายการ" beside a figure of 8 (outside review, the auditor's second visit)."""
        parts = [f"{len(self.evidence)} รายการ"] if self.evidence else []
        if self.extra_events:
            parts.append(f"กิจกรรมที่เกี่ยวข้อง {len(self.extra_events)} ครั้ง")
        return " และ".join(parts)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """Dates of its events and dated evidence inside the planned year (for the timeline)."""
        days = {e.date for e in self.events} | {i.date for i in self.evidence if i.date and i.kind != "access"}
        return tuple(sorted(days))


@dataclass(frozen=True)
class Overview:
    """How many activities are in each state."""

    counts: dict[str, int]
    total: int

    @property
    def done(self) -> int:
        return self.counts.get("done-on-time", 0) + self.counts.get("done-late", 0)

    @property
    def late(self) -> int:
        return sum(self.counts.get(s, 0) for s in LATE_STATES)

    @property
    def on_time(self) -> int:
        return self.counts.get("done-on-time", 0)


def activity_result(plan: Plan, activity: Activity, year: YearData, today: dt.date | None = None) -> ActivityResult:
    """Target, actual, evidence and state of `activity` in the year, as of `today`."""
    today = today or dates_module.today()
    activity = activity.in_year(year.fiscal_year)  # what the team entered for this year of the plan
    window = activity.period.clipped(year.start, year.end) or activity.period
    # as of `today`: what is dated after it had not happened yet (the half-year report as at 31 March
    # listed, counted and graded events and results of the months after; outside review R-01)
    events = tuple(e for e in year.records.events_of(plan, activity.number)
                   if year.start <= e.date <= min(year.end, today))
    measure = compute_measure(activity.measure, year, events) if activity.measure else None
    if measure is not None:
        actual, evidence = measure.value, measure.evidence
    elif activity.completed_on and activity.completed_on > today:  # a result entered with a later day
        actual, evidence = None, ()
    else:
        actual = activity.actual
        evidence = (EvidenceItem("entered", activity.evidence or "ผลที่ทีมกรอก", activity.completed_on,
                                 activity.evidence, actual),) if actual is not None else ()
    reached = activity.target is not None and actual is not None and actual >= activity.target
    done = reached or activity.progress == "done"
    completed = _completed_on(activity, evidence, events, measure) if done else None
    if completed and measure is not None and measure.spec.scope == "year" and not activity.completed_on:
        # a figure of the whole year (channels, assets) reached before the activity began is credited
        # from its first day: months ahead of its period, an auditor read it done before it started (D-15)
        completed = max(completed, window.start)
    if completed and completed > today:  # evidence dated ahead (a typed year, a record made early): not done yet
        done, completed = False, None
    as_of = year.cut_off and today < dates_module.today()  # a report as it stood on an earlier day
    if as_of and done and completed is None and not reached:
        done = False  # marked done with no day and nothing dated by then: not known done on that day
    # the team's "in progress" is of now: a report as at an earlier day takes it only once the period began
    marked = activity.progress == "in-progress" and (not as_of or today >= window.start)
    # a figure of the whole year (assets, channels) is not this activity's work before its period begins
    year_wide = measure is not None and measure.spec.scope == "year"
    happened = bool(events) or marked or (bool(evidence) and (not year_wide or today >= window.start))
    state = _state(activity, window, done, completed, happened, today)
    return ActivityResult(activity, window, measure, actual, evidence, events, state, completed)


def _completed_on(activity: Activity, evidence, events, measure: MeasureResult | None) -> dt.date | None:
    if activity.completed_on:
        return activity.completed_on
    dated = sorted((i for i in evidence if i.date), key=lambda i: i.date)
    if activity.target is not None and dated:
        if measure is not None and measure.spec.key == "awareness":
            return next((i.date for i in dated if i.amount >= activity.target), dated[-1].date)
        running = 0.0
        for item in dated:
            running += item.amount
            if running >= activity.target:
                return item.date
    days = [i.date for i in dated] + [e.date for e in events]
    return max(days) if days else None


def _state(activity: Activity, window: Period, done: bool, completed: dt.date | None, happened: bool,
           today: dt.date) -> str:
    if activity.progress == "cancelled":
        return "cancelled"
    if done:
        return "done-late" if completed and completed > window.end else "done-on-time"
    if today > window.end:
        return "overdue"
    if happened:
        return "in-progress"
    return "not-started" if today >= window.start else "not-due"


def overview(results: tuple[ActivityResult, ...]) -> Overview:
    """Counts per state for the overview line of the plan page."""
    return Overview(dict(Counter(r.state for r in results)), len(results))
