"""Filters of the event list and GET /api/events, checked from the query string (a bad value is a 400)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import abort
from flask_login import current_user

from indexer import Event, FiscalYearError, arabic_digits, normalize, parse_fiscal_year, whole_number

from .state import current_fiscal_year, kb, plan_vocab, records

MAX_Q_CHARS = 200
MAX_Q_WORDS = 10
# a number as orders and memos write them: 204/2568, 53101/114, 1.2; matched whole, never inside another
NUMBER = re.compile(r"[0-9]+(?:[/.\-][0-9]+)*")


@dataclass(frozen=True)
class EventFilter:
    """?fy=2568&activity=2568:6 (or 6, in the plan of fy)&type=cop&q=204/2568"""

    fy: int | None = None
    plan: str | None = None
    activity: int | None = None
    type: str | None = None
    q: str = ""
    words: tuple[str, ...] = ()      # of q: Thai words and numbers, each to be found in the event's text
    names: bool = False              # participants' names are searched too (shown to a signed-in reader only)

    def apply(self, events: Iterable[Event]) -> tuple[Event, ...]:
        patterns = [re.compile(rf"(?<![0-9]){re.escape(w)}(?![0-9])") if NUMBER.fullmatch(w) else None
                    for w in self.words]
        return tuple(e for e in events
                     if (self.fy is None or e.fiscal_year == self.fy)
                     and (self.plan is None or e.plan == self.plan)
                     and (self.activity is None or e.activity == self.activity)
                     and (self.type is None or e.type == self.type)
                     and (not self.words or _found(_searchable(e, self.names), self.words, patterns)))


def _found(text: str, words: tuple[str, ...], patterns: list) -> bool:
    return all(p.search(text) if p is not None else w in text for w, p in zip(words, patterns, strict=True))


def _searchable(event: Event, names: bool) -> str:
    """An event's title, type, organiser, chair, minute-taker and participants (their directory names
    too), departments, evidence, order, resolutions and summary as `q` is compared with them: an order
    "ที่ ๒๐๔/๒๕๖๘" is found by "204/2568" or "ที่204/2568", its organiser by the Thai name (domain
    review D-10, review R-06)."""
    people = records().people
    shown = [event.organiser, event.chair, event.minute_taker] + (list(event.participant_names) if names else [])
    found = [people.find(name) for name in shown if name]
    parts = [event.title, plan_vocab().event_types.label(event.type), event.evidence, event.order_ref,
             *event.resolutions, event.summary, *shown,
             *(person.name for person in found if person is not None),
             *(kb().vocab.departments.label(d) for d in event.departments)]
    return _folded(" ".join(parts))


def _folded(text: str) -> str:
    return " ".join(arabic_digits(normalize(text)).casefold().split())


def query_words(q: str) -> tuple[str, ...]:
    """The words of `q`: its numbers whole (204/2568), the Thai between them cut into words (Thai is
    typed without spaces: "คำสั่งที่204/2568" is คำสั่ง, ที่, 204/2568); at most MAX_Q_WORDS."""
    words: list[str] = []
    for chunk in _folded(q[:MAX_Q_CHARS]).split():
        at = 0
        for number in NUMBER.finditer(chunk):
            words += _thai_words(chunk[at:number.start()]) + [number.group()]
            at = number.end()
        words += _thai_words(chunk[at:])
    return tuple(dict.fromkeys(w for w in words if w.strip(" /.-")))[:MAX_Q_WORDS]


def _thai_words(text: str) -> list[str]:
    return kb().segmenter.words(text) if text else []


def event_filters(args: Mapping[str, str]) -> EventFilter:
    """Read fy, activity and type; each error names the parameter and what was expected."""
    fy = _fy(args.get("fy", "").strip())
    event_type = args.get("type", "").strip()
    if event_type:
        resolved = plan_vocab().event_types.resolve(event_type[:60])
        if resolved is None:
            abort(400, description=f"type: ต้องเป็นหนึ่งใน {', '.join(plan_vocab().event_types.keys)} "
                                   f"แต่พบ \"{event_type[:30]}\"")
        event_type = resolved
    plan, activity = _activity(args.get("activity", "").strip(), fy)
    q = " ".join(args.get("q", "")[:MAX_Q_CHARS].split())
    return EventFilter(fy, plan, activity, event_type or None, q, query_words(q), current_user.is_authenticated)


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
                               f"แต่พบ \"{raw[:30]}\"")
    if plan_key:  # a plan that does not exist simply has no events
        return plan_key, activity
    year = fy if fy is not None else current_fiscal_year()
    plan = records().plan_for_year(year)
    return (plan.key if plan else f"ปีงบประมาณ {year}"), activity
