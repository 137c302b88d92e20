"""The typed records of the KM-plan cycle, parsed once from the files under knowledge/_km/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from .. import dates
from ..content.asset import Problem
from ..dates import fiscal_year_bounds, fiscal_year_of
from .periods import Period


@dataclass(frozen=True)
class Signatory:
    """Who prepared or approved a plan: a name and position (from the people directory or as written)."""

    name: str
    position: str = ""
    person: str | None = None  # people key, when the name is one


@dataclass(frozen=True)
class PlanGoal:
    """A goal of the plan; goals 1–3 are measured by the indicators of the vocabulary, with this
    plan's own thresholds when it gives them (None / empty: the vocabulary's)."""

    number: int
    title: str
    description: str = ""
    levels: tuple[int | None, ...] | None = None  # lower bound of levels 1–5; None in it = "all"
    target_level: int | None = None
    asset_types: tuple[str, ...] = ()             # goals 1 and 2: the types that count


@dataclass(frozen=True)
class Order:
    """A municipal order behind the plan: the KM working group, the monitoring committee."""

    ref: str
    date: dt.date
    title: str
    members: tuple[str, ...] = ()    # people keys or names


@dataclass(frozen=True)
class Activity:
    """One row of the KM Action Plan (แบบฟอร์มที่ 2)."""

    number: int
    title: str
    period: Period
    step: str | None = None          # one of the 7 KM steps, or
    element: str | None = None       # one of the 6 change-management elements
    method: str = ""
    kpi: str = ""
    measure: str | None = None       # a measure the system computes, or None (entered `actual`)
    target: float | None = None
    unit: str = ""
    target_group: str = ""
    responsible: tuple[str, ...] = ()
    goals: tuple[int, ...] = ()
    progress: str = "planned"
    progress_note: str = ""
    actual: float | None = None      # entered by the team when no measure covers the KPI
    evidence: str = ""               # entered evidence reference
    completed_on: dt.date | None = None
    lessons: str = ""
    years: tuple[ActivityYear, ...] = ()  # a plan of several years: what the team entered for each

    def in_year(self, fiscal_year: int) -> Activity:
        """The activity as the team entered it for `fiscal_year`: a plan of several years keeps the
        entered progress, result, evidence and lessons of each year apart (domain review D-02: FY 2565's
        result made FY 2566 "done on time"); without an entry for the year, the activity's own."""
        entry = next((y for y in self.years if y.fiscal_year == fiscal_year), None)
        if entry is None:
            return self
        return replace(self, **{name: getattr(entry, name) for name in YEAR_RESULT_NAMES})


@dataclass(frozen=True)
class ActivityYear:
    """What the team entered for one activity in one fiscal year of a plan of several years."""

    fiscal_year: int
    progress: str = "planned"
    progress_note: str = ""
    actual: float | None = None
    evidence: str = ""
    completed_on: dt.date | None = None
    lessons: str = ""


# the fields the progress form writes: an activity's, or its entry for a year (ActivityYear)
YEAR_RESULT_NAMES = ("progress", "progress_note", "actual", "evidence", "completed_on", "lessons")


@dataclass(frozen=True)
class ScoreItem:
    """One row of the plan's weighted score table: goal 1–3 or activity number, weight in %."""

    weight: float
    goal: int | None = None
    activity: int | None = None


@dataclass(frozen=True)
class YearNarrative:
    """What the team writes for one fiscal year's results report."""

    fiscal_year: int
    steps: tuple[str, ...] = ()
    measures_taken: tuple[str, ...] = ()
    supporting_factors: tuple[str, ...] = ()
    obstacles: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    as_of: dt.date | None = None  # the text of a report made up to that day (the half-year one); None: the year's


@dataclass(frozen=True)
class Plan:
    """A KM Action Plan for one fiscal year or several."""

    key: str
    path: str
    title: str
    fiscal_years: tuple[int, ...]
    unit: str
    mission_group: str
    needed_knowledge: str
    kpi: str
    activities: tuple[Activity, ...]
    desired_state: str = ""
    kpi_target: str = ""
    target_score: float | None = None
    prepared_by: Signatory | None = None
    approved_by: Signatory | None = None
    approved_on: dt.date | None = None
    orders: tuple[Order, ...] = ()
    goals: tuple[PlanGoal, ...] = ()
    scoring: tuple[ScoreItem, ...] = ()
    narratives: tuple[YearNarrative, ...] = ()
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def activity(self, number: int) -> Activity | None:
        return next((a for a in self.activities if a.number == number), None)

    def narrative(self, fiscal_year: int, as_of: dt.date | None = None) -> YearNarrative:
        """The team's text of the year's report, or of its report made up to `as_of` (the year's text
        speaks of months a half-year report had not reached: review R-08)."""
        found = next((n for n in self.narratives if n.fiscal_year == fiscal_year and n.as_of == as_of), None)
        return found or YearNarrative(fiscal_year, as_of=as_of)

    def goal(self, number: int) -> PlanGoal | None:
        return next((g for g in self.goals if g.number == number), None)

    @property
    def label(self) -> str:
        first, last = self.fiscal_years[0], self.fiscal_years[-1]
        return f"ปีงบประมาณ {first}" + (f"–{last}" if last != first else "")

    def activities_in(self, fiscal_year: int) -> tuple[Activity, ...]:
        """Activities whose planned period meets the fiscal year."""
        start, end = fiscal_year_bounds(fiscal_year)
        return tuple(a for a in self.activities if a.period.clipped(start, end) is not None)


@dataclass(frozen=True)
class Event:
    """A sharing or learning event: CoP, storytelling circle, AAR, training, study visit…"""

    key: str
    path: str
    date: dt.date
    type: str
    title: str
    plan: str | None = None          # plan key; None = the plan of the event's fiscal year
    activity: int | None = None
    organiser: str = ""
    participants: int | None = None
    participant_names: tuple[str, ...] = ()
    staff_categories: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    assets_produced: tuple[str, ...] = ()
    assets_used: tuple[str, ...] = ()
    evidence: str = ""
    summary: str = ""
    reports_on: int | None = None    # a report given after the year it reports on had closed
    chair: str = ""                  # a meeting's chair and minute-taker: people keys or names
    minute_taker: str = ""
    resolutions: tuple[str, ...] = ()
    order_ref: str = ""              # the order that appointed or called for the event (ที่ ๒๐๔/๒๕๖๘)
    order_date: dt.date | None = None
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.date)

    @property
    def reported_year(self) -> int:
        """The fiscal year a report is about: `reports_on`, else the year it was given in."""
        return self.reports_on or self.fiscal_year


@dataclass(frozen=True)
class Person:
    """A card of the "who knows what" catalogue. Deliberately minimal personal data."""

    key: str
    path: str
    name: str
    position: str = ""
    department: str | None = None
    expertise: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    cops: tuple[str, ...] = ()
    contact: str = ""
    email: str = ""
    phone: str = ""  # only when the person agreed to publish it
    aliases: tuple[str, ...] = ()
    earlier_positions: tuple[tuple[dt.date, str], ...] = ()  # (until, position), oldest first
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def position_on(self, day: dt.date) -> str:
        """The position held on `day`: an earlier one held until after it, else the present one."""
        return next((position for until, position in self.earlier_positions if day < until), self.position)

    @property
    def current_position(self) -> str:
        """The position held today: a change entered ahead (a transfer from 1 October, recorded in
        September) shows from its day, not at once (verification review)."""
        return self.position_on(dates.today())

    @property
    def past_positions(self) -> tuple[tuple[dt.date, str], ...]:
        """The positions held before today's, newest first (one held until a day ahead is today's)."""
        today = dates.today()
        return tuple(reversed([(until, position) for until, position in self.earlier_positions if until <= today]))

    @property
    def position_from(self) -> dt.date | None:
        """The day `position` begins when that is after today, else None."""
        last = self.earlier_positions[-1][0] if self.earlier_positions else None
        return last if last is not None and last > dates.today() else None


@dataclass(frozen=True)
class NeedItem:
    """A piece of knowledge a mission group needs, and the assets that answer it."""

    title: str
    holders: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class NeedGroup:
    """One mission group of แบบฟอร์มที่ 1: its goal, agreement KPI and needed knowledge."""

    mission_group: str
    goal: str = ""
    kpi: str = ""
    kpi_target: str = ""
    items: tuple[NeedItem, ...] = ()


@dataclass(frozen=True)
class NeedsList:
    """The needed-knowledge form of a fiscal year: the KM topic, why it was chosen, and the groups.
    `key` is its file's name: the year ("2568"), or "needs" for the old one-file form."""

    path: str
    topic: str = ""
    fiscal_year: int | None = None
    reasons: tuple[str, ...] = ()
    groups: tuple[NeedGroup, ...] = ()
    key: str = "needs"


@dataclass(frozen=True)
class Survey:
    """One staff-awareness survey: how many answered, how many know KM, of how many staff."""

    date: dt.date
    respondents: int
    aware: int
    total_staff: int
    title: str = ""
    evidence: str = ""

    @property
    def share(self) -> float:
        """Per cent of all staff aware of KM (not of respondents: those who did not answer are not counted as aware)."""
        return per_cent(self.aware, self.total_staff)

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.date)


def per_cent(part: int, whole: int) -> float:
    """100 × part / whole to one decimal, a half rounded up as a report is (65 of 80 is 81.3, where
    round() gave 81.2: a float and halves to even); 0 of nothing is 0."""
    if not whole:
        return 0.0
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))
