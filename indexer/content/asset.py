"""Knowledge assets: the typed object parsed once from each Markdown file."""

from __future__ import annotations

import datetime as dt
import re
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
    status: str = "published"
    dissemination: tuple[DisseminationRecord, ...] = ()
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def fiscal_year(self) -> int | None:
        """Fiscal year (BE) of the published date, used by the FY facet."""
        return fiscal_year_of(self.published) if self.published else None

    @property
    def newest_date(self) -> dt.date | None:
        return self.updated or self.published

    @property
    def headings(self) -> list[str]:
        return [m.group(2).strip() for m in _HEADING.finditer(self.body)]

    @property
    def plain_text(self) -> str:
        return markdown_to_text(self.body)


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
_MD_NOISE = [
    (re.compile(r"```.*?```", re.DOTALL), " "),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE), ""),
    (re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.MULTILINE), ""),
    (re.compile(r"[ \t]*\|[ \t]*"), " · "),
    (re.compile(r"(\*\*|__|\*|`|~~)"), ""),
    (re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE), ""),
    (re.compile(r"^[ \t]*[-*+][ \t]+", re.MULTILINE), "• "),
    (re.compile(r"[ \t]+"), " "),
    (re.compile(r"\n{2,}"), "\n"),
]


def markdown_to_text(body: str) -> str:
    """Strip Markdown syntax, keeping the words a reader sees (for indexing and snippets)."""
    text = body
    for pattern, repl in _MD_NOISE:
        text = pattern.sub(repl, text)
    lines = (line.strip(" ·") for line in text.splitlines())
    return "\n".join(line for line in lines if line).strip()
