"""Dates in the Buddhist era and the Thai fiscal year (1 October – 30 September)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from .errors import SettingsError
from .thai.digits import arabic_digits

BE_OFFSET = 543
BE_THRESHOLD = 2400  # a year above this is read as Buddhist era
FIRST_YEAR, LAST_YEAR = 2500, 2700  # the Buddhist-era years a date or a fiscal year may be in
THAI_MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


class DateFormatError(ValueError):
    """A date could not be read; the message says what was expected."""


class FiscalYearError(ValueError):
    """The `fy` parameter is not a fiscal year; the message is the one every user reads."""


DATE_FORMS = "31/01/2568, 31 ม.ค. 2568 หรือ 2568-01-31"
DATE_HELP = f"วัน/เดือน/ปี พ.ศ. เช่น {DATE_FORMS} (ใช้ ค.ศ. หรือเลขไทยก็ได้)"
_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s*([\u0E00-\u0E7F.]+?)\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*(\d{4})$")


# How each month is written, January first: in full, short, and short without its dots
# (มกราคม, ม.ค., มค). Typed dates, plan periods and dates in questions read all three.
MONTH_WRITINGS = tuple((full, abbr, abbr.replace(".", ""))
                       for full, abbr in zip(THAI_MONTHS, THAI_MONTHS_ABBR, strict=True))
# "ม.ค.", "มค", "มกราคม" → 1
MONTH_NUMBERS = {writing: number for number, writings in enumerate(MONTH_WRITINGS, start=1) for writing in writings}


def parse_date(value: object) -> dt.date:
    """Read a date as people type it; a year above 2400 is Buddhist era, Thai digits are welcome.

    Accepted: a date object, 2568-01-31, 31/01/2568 (also 31-01-2568, 31.01.2568),
    31 ม.ค. 2568, 31 มกราคม 2568, "๓๑ ม.ค. ๒๕๖๘" — and the same with a CE year.

    >>> parse_date("31 ม.ค. 2568")
    datetime.date(2025, 1, 31)
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _plausible(value.year, _from_be(value.year, value.month, value.day)
                          if value.year > BE_THRESHOLD else value)
    if isinstance(value, str):
        parts = _date_parts(" ".join(arabic_digits(value).split())[:40])
        if parts is not None:
            year, month, day = parts
            return _plausible(year, _from_be(year, month, day) if year > BE_THRESHOLD
                              else _calendar_date(year, month, day))
    raise DateFormatError(f"ต้องเป็นวันที่ เช่น {DATE_FORMS} (พ.ศ. หรือ ค.ศ.)")


def _plausible(typed: int, day: dt.date) -> dt.date:
    """`day` if its year is one a fiscal year may be (BE 2500–2700, as `fy` is); else a clear
    refusal. 01/10/2401 was read as CE 1858 and 10/10/2468 (for 2568) as BE 2468: both were
    taken without a word, and the record counted in a year nobody looks at."""
    be_year = day.year + BE_OFFSET
    if FIRST_YEAR <= be_year <= LAST_YEAR:
        return day
    read_as = f" (ปี {typed} อ่านเป็น พ.ศ. {be_year})" if be_year != typed else ""
    raise DateFormatError(f"ปีต้องอยู่ระหว่าง พ.ศ. {FIRST_YEAR} ถึง {LAST_YEAR}{read_as} พิมพ์ปีผิดหรือไม่?")


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of the forms parse_date accepts, or None."""
    if match := _ISO.match(text):
        return int(match[1]), int(match[2]), int(match[3])
    if match := _NUMERIC.match(text):
        return int(match[3]), int(match[2]), int(match[1])
    if (match := _WORDS.match(text)) and (month := MONTH_NUMBERS.get(match[2])):
        return int(match[3]), month, int(match[1])
    return None


def _calendar_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateFormatError("ไม่มีวันที่นี้ในปฏิทิน (ตรวจเดือน 1–12 และวันที่ของเดือน)") from exc


def be_date_input(day: dt.date | None) -> str:
    """A date as the forms show it for editing: 2025-01-31 → "31/01/2568" ('' for none)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}" if day else ""


def _from_be(year: int, month: int, day: int) -> dt.date:
    return _calendar_date(year - BE_OFFSET, month, day)


def fiscal_year_of(day: dt.date) -> int:
    """Return the Thai fiscal year (BE) containing `day`: 2024-10-01 → 2568."""
    year = day.year + 1 if day.month >= 10 else day.year
    return year + BE_OFFSET


def fiscal_year_bounds(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a fiscal year given in BE (2568 → 2024-10-01, 2025-09-30)."""
    end_ce = fiscal_year - BE_OFFSET
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


def parse_fiscal_year(value: str) -> int:
    """Read the `fy` parameter: a fiscal year in BE (2568, ๒๕๖๘) or CE (2025).

    A bad value raises FiscalYearError with the message the site, the API and the CLI all show:
    'fy: ปีงบประมาณต้องเป็นเลขสี่หลัก เช่น 2568 แต่พบ "68"'.
    """
    raw = str(value).strip()
    text = arabic_digits(raw)
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise FiscalYearError(f'fy: ปีงบประมาณต้องเป็นเลขสี่หลัก เช่น 2568 แต่พบ "{raw[:20]}"')
    year = int(text)
    if year <= BE_THRESHOLD:
        year += BE_OFFSET
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FiscalYearError(f'fy: ปีงบประมาณต้องอยู่ระหว่าง {FIRST_YEAR} ถึง {LAST_YEAR} แต่พบ "{raw[:20]}"')
    return year


def thai_date(day: dt.date | None, long: bool = False) -> str:
    """Format a date in the Buddhist era: 2025-01-15 → "15 ม.ค. 2568" (long: "15 มกราคม 2568")."""
    if day is None:
        return "—"
    return f"{day.day} {thai_month(day, long=long)}"


def thai_month(day: dt.date, long: bool = False, year: bool = True) -> str:
    """Name the month of a date in the Buddhist era: 2024-10-01 → "ต.ค. 2567" (year=False: "ต.ค.")."""
    name = (THAI_MONTHS if long else THAI_MONTHS_ABBR)[day.month - 1]
    return f"{name} {day.year + BE_OFFSET}" if year else name


DEFAULT_TIMEZONE = "Asia/Bangkok"
# The zone every displayed time and "today" use (KM_TIMEZONE). One per process: the site sets it in
# create_app and the CLI in main, both from the same setting; the zone data comes from the pinned
# `tzdata` package when the system has none (slim containers, Windows).
_zone: zoneinfo.ZoneInfo = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)


def time_zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone named `name` ("Asia/Bangkok"); a name the tz database lacks fails naming KM_TIMEZONE."""
    text = str(name).strip()
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise SettingsError(f"KM_TIMEZONE: expected a time-zone name of the IANA database such as Asia/Bangkok, "
                            f"got {text[:60]!r}") from None


def use_timezone(name: str) -> None:
    """Make `name` the zone of `now()`, `today()` and `local_time()` in this process."""
    global _zone
    _zone = time_zone(name)


def current_timezone() -> zoneinfo.ZoneInfo:
    """The zone set by KM_TIMEZONE (Asia/Bangkok unless configured)."""
    return _zone


def utc_now() -> dt.datetime:
    """The current instant in UTC (the one clock: tests patch it with a fixed instant)."""
    return dt.datetime.now(dt.UTC)


def now() -> dt.datetime:
    """The current moment in the configured zone."""
    return utc_now().astimezone(_zone)


def today() -> dt.date:
    """Today's date in the configured zone, not the server's (one place to patch in tests).

    At 2026-12-01 20:30 UTC the server's date is 1 ธ.ค. but Bangkok's is already 2 ธ.ค. 2569.
    """
    return now().date()


def local_time(moment: dt.datetime) -> dt.datetime:
    """A stored instant in the configured zone; a naive value is read as UTC (how the database keeps it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(_zone)


def thai_datetime(moment: dt.datetime, long: bool = False) -> str:
    """An instant as a Thai reader expects it, in the configured zone: "2 ธ.ค. 2569 03:30"."""
    local = local_time(moment)
    return f"{thai_date(local.date(), long=long)} {local:%H:%M}"
