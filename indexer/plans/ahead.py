"""Dates after today: a year typed wrong (2596 for 2569) or a record written before it happened.

Such a date counts in its fiscal year like any other, so a typo can put an asset in a year
nobody has reached, or make an activity look done before it took place. They are warnings,
worked out as of today whenever they are shown (never stored with a file's problems, which
would go on warning after the day came).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..content.asset import Asset, Problem
from ..dates import fiscal_year_of, thai_date
from .crossref import KmRecords
from .loader import km_rel


def dated_ahead(assets: Iterable[Asset], records: KmRecords | None, today: dt.date) -> list[Problem]:
    """A warning for each date after `today` in assets, events and surveys."""
    found: list[Problem] = []

    def warn(path: str, field_name: str, day: dt.date | None, what: str) -> None:
        if day is not None and day > today:
            found.append(Problem(path, f"{what} {thai_date(day)} ยังมาไม่ถึง (วันนี้ {thai_date(today)}) "
                                       f"พิมพ์ปีผิดหรือไม่? วันที่นี้นับในปีงบประมาณ {fiscal_year_of(day)}",
                                 field_name, None, "warning"))

    for asset in assets:
        warn(asset.path, "published", asset.published, "วันที่เผยแพร่")
        for i, record in enumerate(asset.dissemination, start=1):
            warn(asset.path, f"dissemination[{i}].date", record.date, "วันที่เผยแพร่ทางช่องทาง")
    for event in records.events if records else ():
        warn(event.path, "date", event.date, "วันที่จัดกิจกรรม")
    for survey in records.surveys if records else ():
        warn(km_rel("surveys"), "surveys", survey.date, "วันที่สำรวจ")
    return found
