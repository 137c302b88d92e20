"""Plan against actual over the fiscal year as SVG geometry: planned months as bars, events and evidence
as marks, late and not-started activities coloured. Drawn by the server; no script, no inline style (CSP)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from indexer import ACTIVITY_STATES, THAI_MONTHS_ABBR, ActivityResult, fiscal_year_bounds, thai_date

LABEL_WIDTH = 64
MONTH_WIDTH = 54
HEADER = 34
ROW = 30
BAR_HEIGHT = 12
MARK_ROOM = 22  # after the last month: the state mark of a bar that runs to the end of the year
# A mark after each bar, so that the state is not told by the bar's colour alone (red, green and orange are
# hard to tell apart for many): accessibility review A-15. A bar not yet due is grey with a border, unmarked.
STATE_MARKS = {"done-on-time": "✓", "done-late": "✓!", "overdue": "!", "in-progress": "…", "not-started": "○",
               "not-due": "", "cancelled": "×"}


@dataclass(frozen=True)
class Mark:
    """A dated thing on a row: an event (circle) or a piece of evidence (tick)."""

    x: float
    y: float
    kind: str  # event | evidence | done
    title: str


@dataclass(frozen=True)
class Row:
    """One activity: its label, planned bar and marks."""

    number: int
    title: str
    state: str
    state_label: str
    state_mark: str
    label_y: float
    bar_x: float
    bar_y: float
    bar_width: float
    marks: tuple[Mark, ...]
    state_mark_x: float = 0  # after the bar and after any mark just past its end (a late "done" tick)


@dataclass(frozen=True)
class Timeline:
    """The whole chart: viewBox size, month columns, rows and the "today" line."""

    title: str
    width: int
    height: int
    months: tuple[tuple[float, str], ...]  # (x of the column's centre, label)
    grid: tuple[float, ...]                # x of each month boundary
    rows: tuple[Row, ...]
    today_x: float | None
    state_marks: dict[str, str] = field(default_factory=lambda: dict(STATE_MARKS))  # for the legend


def _x(day: dt.date, start: dt.date) -> float:
    """Where a day falls: month columns of equal width, days spread inside them."""
    months = (day.year - start.year) * 12 + day.month - start.month
    fraction = (day.day - 1) / calendar.monthrange(day.year, day.month)[1]
    return round(LABEL_WIDTH + (months + fraction) * MONTH_WIDTH, 1)


def _end_x(day: dt.date, start: dt.date) -> float:
    months = (day.year - start.year) * 12 + day.month - start.month + 1  # through the end of that month
    return round(LABEL_WIDTH + months * MONTH_WIDTH, 1)


def build_timeline(fiscal_year: int, results: tuple[ActivityResult, ...], today: dt.date) -> Timeline:
    """Rows for each activity of the year, months ต.ค.–ก.ย., and today's line when it falls inside."""
    start, end = fiscal_year_bounds(fiscal_year)
    months = []
    day = start
    for i in range(12):
        months.append((LABEL_WIDTH + (i + 0.5) * MONTH_WIDTH, THAI_MONTHS_ABBR[day.month - 1]))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    rows = tuple(_row(i, r, start, end) for i, r in enumerate(results))
    return Timeline(
        title=f"แผนและผลการดำเนินงาน ปีงบประมาณ {fiscal_year}",
        width=LABEL_WIDTH + 12 * MONTH_WIDTH + MARK_ROOM, height=HEADER + max(1, len(rows)) * ROW + 6,
        months=tuple(months), grid=tuple(LABEL_WIDTH + i * MONTH_WIDTH for i in range(13)), rows=rows,
        today_x=_x(today, start) if start <= today <= end else None)


def _row(index: int, result: ActivityResult, start: dt.date, end: dt.date) -> Row:
    top = HEADER + index * ROW
    bar_y = top + (ROW - BAR_HEIGHT) / 2
    centre = top + ROW / 2
    window = result.window
    marks = [Mark(_x(day, start), centre, "evidence", f"หลักฐาน {thai_date(day)}")
             for day in sorted({i.date for i in result.evidence if i.date and start <= i.date <= end})]
    marks += [Mark(_x(e.date, start), centre, "event", e.title) for e in result.events]
    if result.completed_on and start <= result.completed_on <= end:
        marks.append(Mark(_x(result.completed_on, start), centre, "done", "วันที่แล้วเสร็จ"))
    bar_x = _x(window.start, start)
    bar_end = _end_x(window.end, start)
    after = bar_end
    for mark in sorted(marks, key=lambda m: m.x):  # marks touching the bar's end or the last one pushed
        if mark.x <= after + 8:
            after = max(after, mark.x + 8)
    mark_x = min(after + 4, LABEL_WIDTH + 12 * MONTH_WIDTH + MARK_ROOM - 16)
    return Row(result.activity.number, result.activity.title, result.state, ACTIVITY_STATES[result.state],
               STATE_MARKS.get(result.state, ""), centre, bar_x, bar_y, round(bar_end - bar_x, 1),
               tuple(marks), round(mark_x, 1))
