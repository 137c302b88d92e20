"""Knowledge assets: the typed object parsed once from each Markdown file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..dates import fiscal_year_of


@dataclass(frozen=True)
class DisseminationRecord:
    """One dissemination event: which channel, when, and the evidence reference."""

    channel: str
    date: dt.date | None
    ref: str = ""

    @property
    def fiscal_year(self) -> int | None:
        return fiscal_year_of(self.date) if self.date else None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where, which field, and what was expected."""

    path: str
    message: str
    field: str | None = None
    line: int | None = None
    severity: str = "error"  # error: the file is skipped; warning: indexed anyway

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "field": self.field,
                "message": self.message, "severity": self.severity}


class AssetInvalid(Exception):
    """A file could not be turned into an asset; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Asset:
    """A validated knowledge asset (ขุมความรู้)."""

    slug: str
    path: str  # relative to the knowledge folder, with forward slashes
    title: str
    department: str
    km_stage: str
    asset_type: str
    knowledge_type: str
    body: str
    tags: tuple[str, ...] = ()
    owner: str = ""
    summary: str = ""
    published: dt.date | None = None
    updated: dt.date | None = None
    earlier_updates: tuple[dt.date, ...] = ()  # the last update of each earlier fiscal year, oldest first
    status: str = "published"
    retired: dt.date | None = None  # archived on this day: fiscal years closed before it still count it
    dissemination: tuple[DisseminationRecord, ...] = ()
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    body_line: int = field(default=1, compare=False)  # the file's line the body starts on (after the closing ---)

    @property
    def fiscal_year(self) -> int | None:
        """Fiscal year (BE) of the published date, used by the FY facet."""
        return fiscal_year_of(self.published) if self.published else None

    def counts_in(self, fiscal_year: int) -> bool:
        """Whether the indicators of `fiscal_year` (BE) count this asset: a published one always; an
        archived one in the years that closed before the day it was retired, so retiring an out-of-date
        procedure never changes a report already given to the auditor; a draft never."""
        if self.status == "published":
            return True
        return (self.status == "archived" and self.retired is not None
                and fiscal_year < fiscal_year_of(self.retired))

    def updated_within(self, start: dt.date, end: dt.date) -> dt.date | None:
        """The asset's last update from `start` to `end`: `updated`, or one kept in `earlier_updates`
        when a later edit moved `updated` into the next fiscal year."""
        return max((d for d in (self.updated, *self.earlier_updates) if d and start <= d <= end), default=None)

    @property
    def newest_date(self) -> dt.date | None:
        return self.updated or self.published
