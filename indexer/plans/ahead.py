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
from ..content.vocabulary import Vocabulary
from ..dates import fiscal_year_of, thai_date
from .crossref import KmRecords
from .loader import km_rel


def dated_ahead(assets: Iterable[Asset], records: KmRecords | None, today: dt.date,
                vocab: Vocabulary | None = None) -> list[Problem]:
    """A warning for each date after `today` in assets, events, surveys and orders (`vocab` names the
    channels)."""
    found: list[Problem] = []

    def channel_label(key: str) -> str:
        return vocab.channels.label(key) if vocab is not None else key

    def warn(path: str, field_name: str, day: dt.date | None, what: str, counts: str | None = "") -> None:
        """`counts`: how the date counts ("" = from its day; None = it counts nothing, an order's date)."""
        if day is not None and day > today:
            if counts is not None:
                counts = (f"{counts or 'จะนับ'}ในปีงบประมาณ {fiscal_year_of(day)}"
                          f"{'' if counts else ' เมื่อถึงวันนั้น'} ")
            found.append(Problem(path, f"{what} {thai_date(day)} ยังมาไม่ถึง (วันนี้ {thai_date(today)}) "
                                       f"{counts or ''}ถ้าพิมพ์ปีผิด ให้แก้วันที่", field_name, None, "warning"))

    for asset in assets:
        warn(asset.path, "published", asset.published, "วันที่เผยแพร่",  # goals 1 and 2 count it from that day
             "" if asset.status == "published" else "จะนับเมื่อเผยแพร่ ")
        for i, record in enumerate(asset.dissemination, start=1):
            warn(asset.path, f"dissemination[{i}].date", record.date,
                 f"วันที่เผยแพร่ทาง{channel_label(record.channel)}")
    for event in records.events if records else ():
        warn(event.path, "date", event.date, "วันที่จัดกิจกรรม")
        warn(event.path, "order_date", event.order_date, "วันที่ของคำสั่ง", None)  # (security review SEC-09)
    for plan in records.plans if records else ():
        for i, order in enumerate(plan.orders, start=1):
            warn(plan.path, f"orders[{i}].date", order.date, "วันที่ของคำสั่ง", None)
    for survey in records.surveys if records else ():
        warn(km_rel("surveys"), "surveys", survey.date, "วันที่สำรวจ")
    return found
