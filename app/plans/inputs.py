"""From what was typed in a form to YAML values: good values converted, bad ones kept as typed so the
validator can quote them back next to the field. Thai digits are accepted everywhere."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from indexer import DateFormatError, Problem, be_date_input, number, parse_date, whole_number

from ..publish.views import field_errors

_SPLIT = re.compile(r"[,，\n]")


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def typed_date(text: str | None) -> dt.date | str | None:
    text = clean(text)
    if not text:
        return None
    try:
        return parse_date(text)
    except DateFormatError:
        return text


def typed_int(text: str | None) -> int | str | None:
    text = clean(text)
    if not text:
        return None
    try:
        return whole_number(text)
    except ValueError:
        return text


def typed_number(text: str | None) -> float | int | str | None:
    text = clean(text)
    if not text:
        return None
    try:
        value = number(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def items(text: str | None) -> list[str]:
    """A comma- or line-separated list ("ก, ข" or one per line)."""
    return [clean(part) for part in _SPLIT.split(text or "") if clean(part)]


def lines(text: str | None) -> list[str]:
    """One item per line (for sentences that may contain commas)."""
    return [clean(line) for line in (text or "").splitlines() if clean(line)]


def long_text(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def errors_for(problems: tuple[Problem, ...], names: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Problems next to their form field ("activities[3].actual" → actual), others above the form."""
    moved = tuple(Problem(p.path, p.message, _last(p.field), p.line, p.severity) for p in problems)
    return field_errors(moved, names)


def _last(field: str | None) -> str | None:
    if not field:
        return field
    tail = field.rsplit(".", 1)[-1]
    return re.sub(r"\[\d+\]$", "", tail)


def form_value(value: Any) -> str:
    """A record's value as a form shows it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return be_date_input(value)  # 14/03/2568, as the asset editor shows a date
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
