"""The yearly results report (ข้อมูลผลการดำเนินงาน) of a plan, assembled once for the page, print, CSV and API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..indicators.compute import GoalResult
from .measures import EvidenceItem, MeasureResult, YearData, year_measures
from .model import Event, Plan, ScoreItem, Survey, YearNarrative
from .progress import ActivityResult, Overview, activity_result, overview

GOAL_UNITS = {1: "เรื่อง", 2: "หน่วยงาน", 3: "ช่องทาง"}


@dataclass(frozen=True)
class ScoreRow:
    """A row of the weighted score table: indicator, weight %, result, score (level 0–5), weighted score."""

    title: str
    weight: float
    result: str
    score: int
    weighted: float
    goal: int | None = None
    activity: int | None = None


@dataclass(frozen=True)
class EvidenceSection:
    """A titled group of the report's evidence list; `total` is the figure its amounts add up to."""

    title: str
    items: tuple[EvidenceItem, ...]
    total: float | None = None
    unit: str = ""  # of the total and of each item's amount: "35 คน", not a bare 35 (copy review T-32)


GOAL_MEASURES = {1: "assets_produced", 2: "departments_documented", 3: "channels"}


@dataclass(frozen=True)
class YearResults:
    """Everything the printed report shows for one plan and one fiscal year."""

    plan: Plan
    fiscal_year: int
    start: dt.date
    end: dt.date
    as_of: dt.date
    activities: tuple[ActivityResult, ...]
    overview: Overview
    goals: tuple[GoalResult, ...]
    goal_activities: dict[int, tuple[int, ...]]
    score_rows: tuple[ScoreRow, ...]
    measures: tuple[MeasureResult, ...]
    surveys: tuple[Survey, ...]
    events: tuple[Event, ...]
    narrative: YearNarrative
    municipality: str

    @property
    def total_score(self) -> float:
        return round(sum(r.weighted for r in self.score_rows), 2)

    @property
    def target_reached(self) -> bool | None:
        return None if self.plan.target_score is None else self.total_score >= self.plan.target_score

    def activity(self, number: int) -> ActivityResult | None:
        return next((r for r in self.activities if r.activity.number == number), None)

    def measure(self, key: str) -> MeasureResult:
        return next(m for m in self.measures if m.spec.key == key)

    def evidence_sections(self) -> tuple[EvidenceSection, ...]:
        """The evidence list: each activity (its evidence, then its events), goals 1–3, other references."""
        sections = []
        for result in self.activities:
            items = list(result.evidence)
            items += [EvidenceItem("event", e.title, e.date, e.evidence, 0, e.key) for e in result.extra_events]
            sections.append(EvidenceSection(f"กิจกรรมที่ {result.activity.number} {result.activity.title}",
                                            tuple(items), result.actual, result.unit))
        for goal in self.goals:
            measure = self.measure(GOAL_MEASURES[goal.goal])
            sections.append(EvidenceSection(f"เป้าประสงค์ที่ {goal.goal} {goal.title}", measure.evidence, goal.value,
                                            GOAL_UNITS[goal.goal]))
        if self.narrative.evidence:
            sections.append(EvidenceSection("เอกสารอ้างอิงอื่น", tuple(
                EvidenceItem("document", text, amount=0) for text in self.narrative.evidence)))
        return tuple(sections)


def plan_results(plan: Plan, year: YearData, today: dt.date | None = None) -> YearResults:
    """Assemble the results of `plan` in `year` as of `today` (default: the day `year` was gathered)."""
    today = today or year.today
    results = tuple(activity_result(plan, a, year, today) for a in plan.activities_in(year.fiscal_year))
    goals = year.indicators.goals
    serving: dict[int, list[int]] = {}
    for activity in plan.activities:
        for goal in activity.goals:
            serving.setdefault(goal, []).append(activity.number)
    scoring = plan.scoring or tuple(ScoreItem(w.weight, goal=w.goal) for w in year.plan_vocab.scoring)
    return YearResults(
        plan=plan, fiscal_year=year.fiscal_year, start=year.start, end=year.end, as_of=today,
        activities=results, overview=overview(results), goals=goals,
        goal_activities={g: tuple(n) for g, n in sorted(serving.items())},
        score_rows=tuple(_score_row(item, goals, results, year) for item in scoring),
        measures=year_measures(year),  # what is dated after `today` had not happened yet (a report as at a day)
        surveys=tuple(s for s in year.records.surveys_in(year.fiscal_year) if s.date <= today),
        events=tuple(e for e in year.events if e.date <= today),
        narrative=plan.narrative(year.fiscal_year, today if year.cut_off else None),
        municipality=year.vocab.municipality,
    )


def _score_row(item: ScoreItem, goals: tuple[GoalResult, ...], results: tuple[ActivityResult, ...],
               year: YearData) -> ScoreRow:
    if item.goal is not None:
        goal = goals[item.goal - 1]
        return ScoreRow(f"เป้าประสงค์ที่ {goal.goal}: {goal.title}", item.weight,
                        f"{goal.value} {GOAL_UNITS[goal.goal]}", goal.level,
                        round(goal.level * item.weight / 100, 2), goal=goal.goal)
    result = next((r for r in results if r.activity.number == item.activity), None)
    if result is None:  # the activity is planned in another year of a multi-year plan
        return ScoreRow(f"กิจกรรมที่ {item.activity}", item.weight, "ไม่มีในปีนี้", 0, 0.0, activity=item.activity)
    score = activity_level(result, year.plan_vocab.activity_levels)
    shown = "ไม่มีข้อมูล" if result.actual is None else amount_text(result.actual, result.unit)
    return ScoreRow(f"กิจกรรมที่ {item.activity}: {result.activity.title}", item.weight, shown, score,
                    round(score * item.weight / 100, 2), activity=item.activity)


def activity_level(result: ActivityResult, levels: tuple[float, ...]) -> int:
    """Level 0–5 of an activity: the share of its target reached, against `levels` (% of target).
    One the system measures but has no figure for scores 0, even if marked done: no data, no score."""
    if result.actual is None or not result.target:
        return 5 if result.done and not result.activity.measure else 0
    share = 100 * result.actual / result.target
    return max((n for n, bound in enumerate(levels, start=1) if share >= bound), default=0)


def amount_text(value: float | None, unit: str = "") -> str:
    """A figure with its unit as Thai documents write it: "52 คน", "ร้อยละ 82.1"."""
    if value is None:
        return "—"
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if unit == "ร้อยละ":
        return f"ร้อยละ {shown}"
    return f"{shown} {unit}".strip()
