"""Filters of the event list and GET /api/events, checked from the query string (a bad value is a 400)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import abort

from indexer import Event, FiscalYearError, arabic_digits, normalize, parse_fiscal_year, whole_number

from .state import current_fiscal_year, plan_vocab, records

MAX_Q_CHARS = 200
MAX_Q_WORDS = 10


@dataclass(frozen=True)
class EventFilter:
    """?fy=2568&activity=2568:6 (or 6, in the plan of fy)&type=cop&q=204/2568"""

    fy: int | None = None
    plan: str | None = None
    activity: int | None = None
    type: str | None = None
    words: tuple[str, ...] = ()  # of q, each to be found in the event's text

    def apply(self, events: Iterable[Event]) -> tuple[Event, ...]:
        return tuple(e for e in events
                     if (self.fy is None or e.fiscal_year == self.fy)
                     and (self.plan is None or e.plan == self.plan)
                     and (self.activity is None or e.activity == self.activity)
                     and (self.type is None or e.type == self.type)
                     and (not self.words or all(w in _searchable(e) for w in self.words)))

    @property
    def q(self) -> str:
        return " ".join(self.words)


def _searchable(event: Event) -> str:
    """An event's title, organiser, evidence and summary as `q` is compared with them: an order
    "ที่ ๒๐๔/๒๕๖๘" is found by "204/2568" (domain review D-10)."""
    return _folded(" ".join((event.title, event.organiser, event.evidence, event.summary)))


def _folded(text: str) -> str:
    return " ".join(arabic_digits(normalize(text)).casefold().split())


def event_filters(args: Mapping[str, str]) -> EventFilter:
    """Read fy, activity and type; each error names the parameter and what was expected."""
    fy = _fy(args.get("fy", "").strip())
    event_type = args.get("type", "").strip()
    if event_type:
        resolved = plan_vocab().event_types.resolve(event_type[:60])
        if resolved is None:
            abort(400, description=f"type: ต้องเป็นหนึ่งใน {', '.join(plan_vocab().event_types.keys)} "
                                   f"(ได้รับ \"{event_type[:30]}\")")
        event_type = resolved
    plan, activity = _activity(args.get("activity", "").strip(), fy)
    words = tuple(dict.fromkeys(_folded(args.get("q", "")[:MAX_Q_CHARS]).split()))[:MAX_Q_WORDS]
    return EventFilter(fy, plan, activity, event_type or None, words)


def _fy(raw: str) -> int | None:
    if not raw:
        return None
    try:
        return parse_fiscal_year(raw[:20])
    except FiscalYearError as exc:  # one wording for a bad fy, everywhere (indexer.dates)
        abort(400, description=str(exc))


def _activity(raw: str, fy: int | None) -> tuple[str | None, int | None]:
    if not raw:
        return None, None
    plan_key, _, number = raw[:90].rpartition(":")
    try:
        activity = whole_number(number)
    except ValueError:
        abort(400, description=f"activity: ต้องเป็นลำดับกิจกรรม เช่น 6 หรือ รหัสแผน:ลำดับ เช่น 2568:6 "
                               f"(ได้รับ \"{raw[:30]}\")")
    if plan_key:  # a plan that does not exist simply has no events
        return plan_key, activity
    year = fy if fy is not None else current_fiscal_year()
    plan = records().plan_for_year(year)
    return (plan.key if plan else f"ปีงบประมาณ {year}"), activity
