"""Planned periods of activities: Thai month ranges ("ก.พ.–มี.ค. ๒๕๖๘") or fiscal years ("2564–2566").

A plan writes its periods the way the paper form does: months in the Buddhist
era, abbreviated or in full, Thai or Arabic digits, or whole fiscal years.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..dates import (
    BE_OFFSET,
    BE_THRESHOLD,
    FIRST_YEAR,
    LAST_YEAR,
    MONTH_NUMBERS,
    THAI_MONTHS_ABBR,
    fiscal_year_bounds,
    fiscal_year_of,
)
from ..thai.digits import TO_ARABIC as THAI_DIGITS

EXPECTED = 'ต้องเป็นช่วงเดือน เช่น "ก.พ.–มี.ค. 2568" หรือ "ต.ค. 2567 – ก.ย. 2568" หรือปีงบประมาณ เช่น "2568" หรือ "2564–2566"'
_DASHES = re.compile(r"\s*(?:[-–—]|ถึง)\s*")
_NOISE = re.compile(r"พ\.\s?ศ\.|ปีงบประมาณ|ปีงบ\.?|ตลอดปี")
_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
_MONTH_YEAR = re.compile(r"^(\D+?)\s*(\d{4})?$")
MAX_TEXT = 80


class PeriodError(ValueError):
    """A period could not be read; the message says what was expected."""


@dataclass(frozen=True)
class Period:
    """From the first day of the first month to the last day of the last month."""

    start: dt.date
    end: dt.date
    fiscal: bool = False  # written as whole fiscal years

    def months(self) -> list[dt.date]:
        """The first day of every month in the period."""
        out, day = [], self.start
        while day <= self.end:
            out.append(day)
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return out

    def clipped(self, start: dt.date, end: dt.date) -> Period | None:
        """The part of the period inside [start, end], or None when they do not meet."""
        if self.end < start or self.start > end:
            return None
        return Period(max(self.start, start), min(self.end, end), self.fiscal)

    def __str__(self) -> str:
        if self.fiscal:
            first, last = fiscal_year_of(self.start), fiscal_year_of(self.end)
            return f"ปีงบประมาณ {first}" + (f"–{last}" if last != first else "")
        first = THAI_MONTHS_ABBR[self.start.month - 1]
        last = THAI_MONTHS_ABBR[self.end.month - 1]
        y1, y2 = self.start.year + BE_OFFSET, self.end.year + BE_OFFSET
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return f"{first} {y1}"
        if y1 == y2:
            return f"{first}–{last} {y2}"
        return f"{first} {y1} – {last} {y2}"


def parse_period(value: object) -> Period:
    """Read a period written as months in BE or as fiscal years.

    >>> str(parse_period("ก.พ.–มี.ค. ๒๕๖๘"))
    'ก.พ.–มี.ค. 2568'
    >>> parse_period("2564-2566").start
    datetime.date(2020, 10, 1)
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise PeriodError(EXPECTED)
    text = _NOISE.sub(" ", value.translate(THAI_DIGITS))
    text = _DASHES.sub("-", " ".join(text.split())).strip(" -")
    years = _YEARS.match(text)
    if years:
        return _fiscal_years(int(years.group(1)), int(years.group(2) or years.group(1)))
    parts = text.split("-")
    if len(parts) > 2:
        raise PeriodError(EXPECTED)
    first, last = _month_year(parts[0]), _month_year(parts[-1])
    if last[1] is None:
        raise PeriodError(EXPECTED)
    first_year = first[1] if first[1] is not None else last[1] - (1 if first[0] > last[0] else 0)
    start = dt.date(first_year, first[0], 1)
    end_year, end_month = last[1], last[0]
    end = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    if end < start:
        raise PeriodError("เดือนสิ้นสุดต้องไม่อยู่ก่อนเดือนเริ่มต้น")
    return Period(start, end)


def _month_year(text: str) -> tuple[int, int | None]:
    """("ก.พ. 2568") → (2, 2025); the year is CE in the result."""
    match = _MONTH_YEAR.match(text.strip())
    month = MONTH_NUMBERS.get(match.group(1).strip()) if match else None
    if month is None:
        raise PeriodError(EXPECTED)
    year = match.group(2)
    return month, None if year is None else _ce(int(year))


def _ce(year: int) -> int:
    if not FIRST_YEAR <= (year if year > BE_THRESHOLD else year + BE_OFFSET) <= LAST_YEAR:
        raise PeriodError(f"ปีต้องเป็นพุทธศักราช {FIRST_YEAR}–{LAST_YEAR} เช่น 2568")
    return year - BE_OFFSET if year > BE_THRESHOLD else year


def _fiscal_years(first: int, last: int) -> Period:
    first, last = (y if y > BE_THRESHOLD else y + BE_OFFSET for y in (first, last))
    if not FIRST_YEAR <= first <= last <= LAST_YEAR:
        raise PeriodError(f"ปีงบประมาณต้องอยู่ระหว่าง {FIRST_YEAR} ถึง {LAST_YEAR} และปีแรกต้องไม่อยู่หลังปีสุดท้าย")
    return Period(fiscal_year_bounds(first)[0], fiscal_year_bounds(last)[1], fiscal=True)
