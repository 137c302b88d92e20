"""The KM plan's indicators for one Thai fiscal year, with the evidence behind every number.

Published assets count; an archived one counts in the years that closed before it was retired
(`Asset.counts_in`), so a report already given stays as it was. Goal 1 counts assets published in the
year; goal 2 the departments with a qualifying asset type (procedure, checklist)
published in the year; goal 3 the distinct channels with a dissemination record
dated in the year. Each goal's evidence has one entry per counted unit, so
`len(goal.evidence) == goal.value` and an auditor can check every number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .. import dates
from ..content.asset import Asset
from ..content.vocabulary import Vocabulary
from ..dates import fiscal_year_bounds, fiscal_year_of
from ..thai.text import normalize
from .config import GoalConfig, IndicatorConfig


@dataclass(frozen=True)
class ChannelRecord:
    """One dissemination of one asset; `automatic` when implied by publication on this site."""

    asset: Asset
    channel: str
    date: dt.date | None
    ref: str = ""
    automatic: bool = False


@dataclass(frozen=True)
class DepartmentEvidence:
    """A department counted by goal 2 and the qualifying assets that made it count."""

    department: str
    assets: tuple[Asset, ...]


@dataclass(frozen=True)
class ChannelEvidence:
    """A channel counted by goal 3 and its records dated in the year."""

    channel: str
    records: tuple[ChannelRecord, ...]


@dataclass(frozen=True)
class GoalResult:
    """One goal's figure for the year: value, level reached, target and evidence."""

    goal: int
    title: str
    value: int
    level: int  # 0 = not even level 1
    target: int
    bounds: tuple[int, ...]  # lower bound of levels 1–5, "all" already resolved
    evidence: tuple[Asset | DepartmentEvidence | ChannelEvidence, ...]
    every_levels: tuple[int, ...] = ()  # levels whose bound is "all" (every department or channel)

    @property
    def reached(self) -> bool:
        return self.level >= self.target

    @property
    def level_ranges(self) -> tuple[tuple[int, int, int | None], ...]:
        """(level, lowest value, highest value or None for "or more") for each level."""
        ranges = []
        for i, low in enumerate(self.bounds):
            higher = [b for b in self.bounds[i + 1:] if b > low]
            ranges.append((i + 1, low, min(higher) - 1 if higher else None))
        return tuple(ranges)


@dataclass(frozen=True)
class ChannelRow:
    """Records and distinct assets of one channel in the year."""

    channel: str
    records: int
    assets: int


@dataclass(frozen=True)
class MatrixRow:
    """Records of one channel per department (in the vocabulary's department order)."""

    channel: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ChannelMatrix:
    """Channels × departments: how many records each department disseminated on each channel."""

    departments: tuple[str, ...]
    rows: tuple[MatrixRow, ...]

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(column) for column in zip(*(r.counts for r in self.rows), strict=True)) if self.rows else ()


@dataclass(frozen=True)
class FiscalYearReport:
    """Every figure of one fiscal year, and the records that cannot be placed in any year."""

    fiscal_year: int
    start: dt.date
    end: dt.date
    goals: tuple[GoalResult, ...]
    channels: tuple[ChannelRow, ...]
    matrix: ChannelMatrix
    records: tuple[ChannelRecord, ...]
    undated_records: tuple[ChannelRecord, ...]
    undated_assets: tuple[Asset, ...]
    ahead_records: tuple[ChannelRecord, ...] = ()  # of this year, dated after today: counted from that day
    ahead_assets: tuple[Asset, ...] = ()  # published in this year after today: counted from that day

    def goal(self, number: int) -> GoalResult:
        return self.goals[number - 1]


def counted_assets(assets: Iterable[Asset], fiscal_year: int) -> list[Asset]:
    """The assets that count for the indicators of `fiscal_year` (see `Asset.counts_in`)."""
    return [a for a in assets if a.counts_in(fiscal_year)]


def _same_ref(ref: str) -> str:
    """A reference as it compares: Thai or Arabic digits, any spacing or case ("ที่ ชม ๕๓๑๐๑/ว ๘๘" is
    "ที่ ชม 53101/ว 88"), so one circular recorded twice in two writings counts once."""
    return "".join(normalize(ref).split())


def asset_records(asset: Asset, config: IndicatorConfig) -> list[ChannelRecord]:
    """The asset's dissemination records, identical ones once, plus the implied website record."""
    seen: dict[tuple, ChannelRecord] = {}
    for record in asset.dissemination:
        seen.setdefault((record.channel, record.date, _same_ref(record.ref)),
                        ChannelRecord(asset, record.channel, record.date, record.ref))
    if config.website_counts_published and asset.published is not None:
        explicit = any(c == config.website_channel and d == asset.published for c, d, _ in seen)
        if not explicit:
            seen[("", None, "")] = ChannelRecord(asset, config.website_channel, asset.published,
                                                 config.website_ref, automatic=True)
    return list(seen.values())


def compute_report(assets: Iterable[Asset], fiscal_year: int, vocab: Vocabulary,
                   config: IndicatorConfig, today: dt.date | None = None) -> FiscalYearReport:
    """Compute the three goals, the channel table and the matrix for `fiscal_year` (BE), as of
    `today` (default: the municipality's today)."""
    start, end = fiscal_year_bounds(fiscal_year)
    counted = sorted(counted_assets(assets, fiscal_year), key=lambda a: (a.published or dt.date.min, a.slug))
    # a publication or a dissemination dated ahead is planned, not done: the auditor's figures count it
    # from its day, goals 1 and 2 as goal 3 (one report counted the asset at once and its own website
    # record only from that day: calendar review)
    today = today or dates.today()
    published = [a for a in counted if a.published is not None and start <= a.published <= end]
    in_year = [a for a in published if a.published <= today]
    all_records = [r for a in counted for r in asset_records(a, config)]
    dated = sorted((r for r in all_records if r.date is not None and start <= r.date <= end),
                   key=lambda r: (r.date, r.asset.slug, r.channel))
    records = [r for r in dated if r.date <= today]
    goals = (
        _goal_result(config.goal(1), tuple(a for a in in_year if config.counts_in_goal1(a.asset_type)), 0),
        _goal_result(config.goal(2), _department_evidence(in_year, vocab, config), len(vocab.departments)),
        _goal_result(config.goal(3), _channel_evidence(records, vocab), len(vocab.channels)),
    )
    return FiscalYearReport(
        fiscal_year=fiscal_year, start=start, end=end, goals=goals,
        channels=channel_rows(records, vocab), matrix=channel_matrix(records, vocab),
        records=tuple(records),
        undated_records=tuple(r for r in all_records if r.date is None),
        undated_assets=tuple(a for a in counted if a.published is None),
        ahead_records=tuple(r for r in dated if r.date > today),
        ahead_assets=tuple(a for a in published if a.published > today),
    )


def _goal_result(config: GoalConfig, evidence: tuple, universe: int) -> GoalResult:
    value = len(evidence)
    return GoalResult(goal=config.goal, title=config.title, value=value, level=config.level_for(value, universe),
                      target=config.target, bounds=config.resolved_bounds(universe), evidence=evidence,
                      every_levels=tuple(n for n, b in enumerate(config.bounds, start=1) if b is None))


def _department_evidence(in_year: list[Asset], vocab: Vocabulary,
                         config: IndicatorConfig) -> tuple[DepartmentEvidence, ...]:
    groups = []
    for department in vocab.departments.keys:
        qualifying = tuple(a for a in in_year if a.department == department and a.asset_type in config.qualifying_types)
        if qualifying:
            groups.append(DepartmentEvidence(department, qualifying))
    return tuple(groups)


def _channel_evidence(records: list[ChannelRecord], vocab: Vocabulary) -> tuple[ChannelEvidence, ...]:
    groups = []
    for channel in vocab.channels.keys:
        mine = tuple(r for r in records if r.channel == channel)
        if mine:
            groups.append(ChannelEvidence(channel, mine))
    return tuple(groups)


def channel_rows(records: Iterable[ChannelRecord], vocab: Vocabulary) -> tuple[ChannelRow, ...]:
    """One row per configured channel (in vocabulary order), unused channels included with zeros."""
    records = list(records)
    rows = []
    for channel in vocab.channels.keys:
        mine = [r for r in records if r.channel == channel]
        rows.append(ChannelRow(channel, len(mine), len({r.asset.slug for r in mine})))
    return tuple(rows)


def channel_matrix(records: Iterable[ChannelRecord], vocab: Vocabulary) -> ChannelMatrix:
    """Records per channel and department; channels with no record in the year are left out."""
    counts: dict[tuple[str, str], int] = {}
    for record in records:
        cell = (record.channel, record.asset.department)
        counts[cell] = counts.get(cell, 0) + 1
    departments = tuple(vocab.departments.keys)
    rows = tuple(MatrixRow(channel, tuple(counts.get((channel, d), 0) for d in departments))
                 for channel in vocab.channels.keys if any(counts.get((channel, d)) for d in departments))
    return ChannelMatrix(departments, rows)


def fiscal_years_with_data(assets: Iterable[Asset], config: IndicatorConfig, current: int) -> list[int]:
    """Fiscal years (BE, newest first) with a counted asset or a dated record, plus `current`."""
    years = {current}
    for asset in assets:
        dated = [r.date for r in asset_records(asset, config)] + [asset.published]
        years.update(y for y in (fiscal_year_of(d) for d in dated if d) if asset.counts_in(y))
    return sorted(years, reverse=True)
