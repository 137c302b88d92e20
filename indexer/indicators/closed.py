"""Closed fiscal years: which of them a change to an asset moves, and a year's figures as the
KM team recorded them against the figures now.

A year's figures are computed from the files at every request: the files are the source of
truth, and a correction is a correction. But after a year has closed and its report was given
to the auditor, a change may still move it (a published date corrected, a department changed, a
record entered late, a file edited by hand). Such a change is never made unseen: the editor is
told which closed years a save moved (`closed_years_moved`), and a closed year's report shows
what differs from the figures recorded when the report was given (`recorded_figures`,
`differences`), item by item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..content.asset import Asset
from ..content.vocabulary import Vocabulary
from ..dates import fiscal_year_bounds, fiscal_year_of, thai_date
from .compute import FiscalYearReport, _same_ref, asset_records
from .config import IndicatorConfig

RECORD_FORMAT = 1  # of the figures stored by recorded_figures; a newer one is shown without comparing


def closed_years_moved(old: Asset | None, new: Asset | None, today: dt.date, config: IndicatorConfig) -> list[int]:
    """The closed fiscal years (BE, oldest first) whose goals count `new` differently from `old`
    (None: no such asset): its place in goals 1 and 2, or its records dated in the year."""
    current = fiscal_year_of(today)
    years = {fiscal_year_of(day) for asset in (old, new) if asset is not None for day in _dates(asset, config)}
    return [year for year in sorted(years)
            if year < current and _share(old, year, config) != _share(new, year, config)]


def closed_years_note(years) -> str:
    """What a save that moved closed fiscal years says, to the editor and in the audit log."""
    return "เปลี่ยนตัวเลขตัวชี้วัดของปีงบประมาณ " + ", ".join(str(y) for y in years) + " ซึ่งปิดแล้ว"


def _dates(asset: Asset, config: IndicatorConfig) -> list[dt.date]:
    return [day for day in (asset.published, *(r.date for r in asset_records(asset, config))) if day]


def _share(asset: Asset | None, year: int, config: IndicatorConfig) -> tuple | None:
    """What `asset` adds to the goals of `year`: (department and type if published in it, its
    records dated in it)."""
    if asset is None or not asset.counts_in(year):
        return None
    start, end = fiscal_year_bounds(year)
    published_in = asset.published is not None and start <= asset.published <= end
    records = frozenset((r.channel, r.date, _same_ref(r.ref)) for r in asset_records(asset, config)
                        if r.date is not None and start <= r.date <= end)
    if not published_in and not records:
        return None  # counted in the year, adding nothing: as a draft adds (a draft of September published in October)
    return (asset.department, asset.asset_type) if published_in else None, records


def recorded_figures(report: FiscalYearReport, vocab: Vocabulary) -> dict:
    """The year's goals as stored when the KM team records them: value, level and every counted
    item under a stable key with the words shown for it then (JSON-ready)."""
    goals = []
    for goal in report.goals:
        goals.append({"goal": goal.goal, "value": goal.value, "level": goal.level,
                      "items": dict(_items(goal.goal, goal.evidence, vocab))})
    return {"format": RECORD_FORMAT, "fiscal_year": report.fiscal_year, "goals": goals}


def _items(goal: int, evidence: tuple, vocab: Vocabulary):
    """(key, label) of each item behind a goal: goal 1 its assets, goal 2 each department with
    each asset that made it count, goal 3 each channel with each record."""
    for unit in evidence:
        if goal == 1:
            yield unit.slug, unit.title
        elif goal == 2:
            for asset in unit.assets:
                yield f"{unit.department}/{asset.slug}", f"{vocab.departments.label(unit.department)}: {asset.title}"
        else:
            for record in unit.records:
                key = f"{unit.channel}/{record.asset.slug}/{record.date}/{_same_ref(record.ref)}"
                yield key, (f"{vocab.channels.label(unit.channel)}: {thai_date(record.date)} {record.asset.title}"
                            + (f" ({record.ref})" if record.ref else ""))


@dataclass(frozen=True)
class GoalDifference:
    """One goal as recorded and as computed now, with the items that came and went."""

    goal: int
    value_then: int
    value_now: int
    level_then: int
    level_now: int
    added: tuple[tuple[str, str], ...]    # (key, label) counted now, not then
    removed: tuple[tuple[str, str], ...]  # (key, label as recorded) counted then, not now

    @property
    def changed(self) -> bool:
        # the level too: a department added to the vocabulary moves a level whose bound is `all`
        # with the same value and the same items (maintainer review F4)
        return bool(self.added or self.removed or self.value_then != self.value_now
                    or self.level_then != self.level_now)


def differences(recorded: dict, now: dict) -> tuple[GoalDifference, ...] | None:
    """Goal by goal, how the figures `now` (recorded_figures of today's report) differ from
    `recorded`; None when the record is of a format this version cannot read."""
    if recorded.get("format") != RECORD_FORMAT:
        return None
    then = {g["goal"]: g for g in recorded.get("goals", ())}
    result = []
    for goal in now["goals"]:
        before = then.get(goal["goal"], {"value": 0, "level": 0, "items": {}})
        result.append(GoalDifference(
            goal["goal"], before["value"], goal["value"], before["level"], goal["level"],
            added=tuple((k, v) for k, v in goal["items"].items() if k not in before["items"]),
            removed=tuple((k, v) for k, v in before["items"].items() if k not in goal["items"])))
    return tuple(result)
