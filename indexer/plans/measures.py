"""Measures the system computes for a fiscal year, each with the evidence behind its number.

For every measure but awareness, value == sum of the evidence amounts, so an
auditor can add the evidence up and get the figure. Awareness is the share of the
latest survey of the year; earlier surveys of the year are listed too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .. import dates
from ..content.asset import Asset
from ..content.vocabulary import Vocabulary
from ..dates import BE_OFFSET, THAI_MONTHS_ABBR, fiscal_year_bounds
from ..indicators.compute import ChannelEvidence, DepartmentEvidence, FiscalYearReport, compute_report, counted_assets
from ..indicators.config import IndicatorConfig
from .config import PlanVocabulary
from .crossref import KmRecords
from .model import Event
from .people import name_key
from .schema import MEASURES, MEASURES_BY_KEY, MeasureSpec


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence and how much it adds to the figure."""

    kind: str  # asset | department | channel | event | survey | access | entered
    text: str
    date: dt.date | None = None
    ref: str = ""
    amount: float = 1
    key: str = ""  # asset slug, event key, department or channel key


@dataclass(frozen=True)
class MeasureResult:
    """The value of a measure in a fiscal year (None = no data) with its evidence."""

    spec: MeasureSpec
    value: float | None
    evidence: tuple[EvidenceItem, ...]
    note: str = ""


@dataclass(frozen=True)
class YearData:
    """Everything measures of one fiscal year are computed from."""

    fiscal_year: int
    start: dt.date
    end: dt.date
    indicators: FiscalYearReport
    assets: tuple[Asset, ...]  # the assets counted in this year
    records: KmRecords
    vocab: Vocabulary
    plan_vocab: PlanVocabulary
    access_months: tuple[tuple[dt.date, int], ...] | None  # (first of month, views); None = unavailable
    today: dt.date  # a record, event or survey dated after it counts from its day
    cut_off: bool = False  # `today` is a day asked for (a report as it stood then), not the real today

    @property
    def events(self) -> tuple[Event, ...]:
        return self.records.events_in(self.fiscal_year)


def year_data(records: KmRecords, fiscal_year: int, assets: Iterable[Asset], vocab: Vocabulary,
              config: IndicatorConfig, plan_vocab: PlanVocabulary,
              access_months: Sequence[tuple[dt.date, int]] | None = None, today: dt.date | None = None,
              cut_off: bool = False) -> YearData:
    """Gather the inputs of a year as of `today` (default: the municipality's today); `access_months`
    comes from the site's counters (None in the CLI); `cut_off`: `today` is an earlier day asked for,
    and what the team marked without a day (done, in progress) is not known of it."""
    assets = tuple(assets)
    today = today or dates.today()
    start, end = fiscal_year_bounds(fiscal_year)
    return YearData(fiscal_year, start, end, compute_report(assets, fiscal_year, vocab, config, today),
                    tuple(counted_assets(assets, fiscal_year)), records, vocab, plan_vocab,
                    tuple(access_months) if access_months is not None else None, today, cut_off)


def compute_measure(key: str, year: YearData, events: Sequence[Event] | None = None) -> MeasureResult:
    """The measure `key` for the year; activity-scope measures count `events` (default: all of the year)."""
    spec = MEASURES_BY_KEY[key]
    if spec.scope == "activity":
        return _event_measure(spec, year, year.events if events is None else events)
    return _YEAR_MEASURES[key](spec, year)


def year_measures(year: YearData) -> tuple[MeasureResult, ...]:
    """Every measure over the whole year (activity measures count every event of the year)."""
    return tuple(compute_measure(m.key, year) for m in MEASURES)


def _summed(spec: MeasureSpec, items: list[EvidenceItem], note: str = "") -> MeasureResult:
    total = sum(i.amount for i in items)
    return MeasureResult(spec, int(total) if float(total).is_integer() else total, tuple(items), note)


def _asset_item(asset: Asset, vocab: Vocabulary, day: dt.date | None = None, ref: str = "") -> EvidenceItem:
    return EvidenceItem("asset", asset.title, day or asset.published,
                        ref or vocab.departments.label(asset.department), 1, asset.slug)


def _assets_produced(spec: MeasureSpec, year: YearData) -> MeasureResult:
    return _summed(spec, [_asset_item(a, year.vocab) for a in year.indicators.goal(1).evidence])


def _departments(spec: MeasureSpec, year: YearData) -> MeasureResult:
    items = []
    for group in year.indicators.goal(2).evidence:
        assert isinstance(group, DepartmentEvidence)
        titles = "; ".join(a.title for a in group.assets)
        items.append(EvidenceItem("department", f"{year.vocab.departments.label(group.department)}: {titles}",
                                  min(a.published for a in group.assets), "", 1, group.department))
    return _summed(spec, items)


def _channels(spec: MeasureSpec, year: YearData) -> MeasureResult:
    items = []
    for group in year.indicators.goal(3).evidence:
        assert isinstance(group, ChannelEvidence)
        first = group.records[0]
        items.append(EvidenceItem("channel", f"{year.vocab.channels.label(group.channel)} ({len(group.records)} ครั้ง)",
                                  first.date, first.ref, 1, group.channel))
    return _summed(spec, items)


NEW, IMPROVED = "จัดทำใหม่", "ปรับปรุง"


def _databases(spec: MeasureSpec, year: YearData, kinds: tuple[str, ...] = (NEW, IMPROVED)) -> MeasureResult:
    """Assets published in the year (new), and those published before it and updated in it (improved)."""
    items = []
    last = min(year.end, year.today)  # an update dated after the report's day had not been made
    for asset in year.assets:
        if asset.published and year.start <= asset.published <= last:
            items.append(_asset_item(asset, year.vocab, asset.published, NEW))
        elif (day := asset.updated_within(year.start, last)) and (asset.published is None or day > asset.published):
            items.append(_asset_item(asset, year.vocab, day, IMPROVED))
    return _summed(spec, sorted((i for i in items if i.ref in kinds), key=lambda i: (i.date, i.key)))


def _accesses(spec: MeasureSpec, year: YearData) -> MeasureResult:
    if year.access_months is None:
        return MeasureResult(spec, None, (), "ไม่มีข้อมูลการเข้าถึง (นับได้เฉพาะบนเว็บไซต์)")
    items = [EvidenceItem("access", f"เปิดอ่านขุมความรู้ เดือน {THAI_MONTHS_ABBR[m.month - 1]} {m.year + BE_OFFSET}",
                          m, "ตัวนับการเปิดอ่านของเว็บไซต์", views, m.strftime("%Y-%m"))
             for m, views in year.access_months if views and year.start <= m <= year.end]
    return _summed(spec, items)


def _awareness(spec: MeasureSpec, year: YearData) -> MeasureResult:
    # a survey dated ahead (a typed year, one planned) counts from its day, as a dissemination record does
    surveys = [s for s in year.records.surveys_in(year.fiscal_year) if s.date <= year.today]
    items = tuple(EvidenceItem("survey", f"{s.title or 'แบบสำรวจการรับรู้'}: รู้จัก {s.aware} จากบุคลากร {s.total_staff} คน "
                                         f"(ตอบ {s.respondents} คน)", s.date, s.evidence, s.share)
                  for s in surveys)
    if not items:
        return MeasureResult(spec, None, (), "ยังไม่มีแบบสำรวจในปีงบประมาณนี้")
    return MeasureResult(spec, items[-1].amount, items)


def _event_measure(spec: MeasureSpec, year: YearData, events: Sequence[Event]) -> MeasureResult:
    types = set(year.plan_vocab.types_counting(spec.key))
    items, trained = [], set()
    for event in sorted(events, key=lambda e: (e.date, e.key)):
        if event.type not in types or not (year.start <= event.date <= min(year.end, year.today)):
            continue  # an event dated ahead has not taken place: it counts from its day
        text, amount = f"{year.plan_vocab.event_types.label(event.type)}: {event.title}", 1
        if spec.key == "staff_trained":
            amount, again = _people_trained(event, trained)
            text += f" (นับไปแล้ว {again} คน)" if again else ""
        items.append(EvidenceItem("event", text, event.date, event.evidence, amount, event.key))
    return _summed(spec, items)


def _people_trained(event: Event, trained: set[str]) -> tuple[int, int]:
    """(people this event trained who were not counted yet, those who were): "staff trained" counts
    people, and two who attended two trainings were four (domain review D-07). Only the named can be
    told apart; the rest of the participants count as they are given."""
    named = {key for n in event.participant_names if (key := name_key(n))}
    again = len(named & trained)
    trained |= named
    return max(event.participants or 0, len(named)) - again, again


_YEAR_MEASURES = {
    "assets_produced": _assets_produced, "departments_documented": _departments, "channels": _channels,
    "databases": _databases, "databases_new": lambda spec, year: _databases(spec, year, (NEW,)),
    "databases_improved": lambda spec, year: _databases(spec, year, (IMPROVED,)), "accesses": _accesses,
    "awareness": _awareness,
}
