"""Dates as people type them: one parser (indexer.dates.parse_date) behind every form."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer import DateFormatError, be_date_input, parse_date

NOT_A_DATE = "ต้องเป็นวันที่ เช่น 31/01/2568, 31 ม.ค. 2568 หรือ 2568-01-31 (พ.ศ. หรือ ค.ศ.)"
NO_SUCH_DAY = "ไม่มีวันที่นี้ในปฏิทิน (ตรวจเดือน 1–12 และวันที่ของเดือน)"


@pytest.mark.parametrize("typed", [
    "31/01/2568", "31/1/2568", "31-01-2568", "31.01.2568", "31 ม.ค. 2568", "31 ม.ค.2568", "31 มค 2568",
    "31 มกราคม 2568", "31 มกราคม พ.ศ. 2568", "2568-01-31", "2025-01-31", "31/01/2025", "๓๑/๐๑/๒๕๖๘",
    "๓๑ ม.ค. ๒๕๖๘", "  31   ม.ค.   2568 ", dt.date(2025, 1, 31), dt.date(2568, 1, 31),
])
def test_every_typed_form_reads_the_same_day(typed):
    assert parse_date(typed) == dt.date(2025, 1, 31)


@pytest.mark.parametrize("typed, message", [
    ("31/01/68", NOT_A_DATE), ("31 ม.ค.", NOT_A_DATE), ("31 มกรา 2568", NOT_A_DATE), ("วันพุธ", NOT_A_DATE),
    ("", NOT_A_DATE), ("1" * 5000, NOT_A_DATE),
    ("29/02/2568", NO_SUCH_DAY), ("32 ม.ค. 2568", NO_SUCH_DAY), ("2568-13-01", NO_SUCH_DAY),
])
def test_other_input_gets_the_message_that_shows_the_accepted_forms(typed, message):
    with pytest.raises(DateFormatError) as caught:
        parse_date(typed)
    assert str(caught.value) == message


@pytest.mark.parametrize("typed, message", [
    ("01/10/2401", "2700 พิมพ์ปีผิดหรือไม่?"),  # CE 1858; the form adds: แต่พบ "01/10/2401"
    ("10/10/2468", "2700 พิมพ์ปีผิดหรือไม่?"),  # BE 2468 typed for 2568
    ("01/01/1000", "2700 (ปี 1000 อ่านเป็น พ.ศ. 1543)"),
    ("01/10/2400", "2700 (ปี 2400 อ่านเป็น พ.ศ. 2943)"),  # not above 2400: read as CE
    (dt.date(1858, 10, 1), "2700 (ปี 1858 อ่านเป็น พ.ศ. 2401)"),  # a YAML date in a file
])
def test_a_year_no_fiscal_year_can_be_in_is_refused_not_counted_where_nobody_looks(typed, message):
    with pytest.raises(DateFormatError) as caught:
        parse_date(typed)
    assert str(caught.value).startswith("ปีต้องอยู่ระหว่าง พ.ศ. 2500 ถึง 2700") and message in str(caught.value)
    assert parse_date("1/1/2500") == dt.date(1957, 1, 1) and parse_date("31/12/2700") == dt.date(2157, 12, 31)


def test_leap_day_of_a_buddhist_year_is_read_from_its_christian_year():
    assert parse_date("29/02/2567") == dt.date(2024, 2, 29)


def test_forms_show_dates_in_the_buddhist_era():
    assert be_date_input(dt.date(2025, 1, 31)) == "31/01/2568"
    assert be_date_input(None) == ""
