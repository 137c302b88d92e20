"""Jinja filters: Buddhist-era dates, Thai digits and vocabulary labels."""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app

from indexer import fiscal_year_of, thai_date


def register(app: Flask) -> None:
    app.add_template_filter(_thai_date, "thai_date")
    app.add_template_filter(_thai_date_long, "thai_date_long")
    app.add_template_filter(_label, "label")
    app.add_template_filter(_number, "number")
    app.add_template_filter(fiscal_year_of, "fiscal_year")


def _thai_date(value: dt.date | None) -> str:
    return thai_date(value)


def _thai_date_long(value: dt.date | None) -> str:
    return thai_date(value, long=True)


def _label(key: str | None, vocabulary: str) -> str:
    """{{ asset.department|label('departments') }} → สำนักปลัดเทศบาล."""
    return current_app.extensions["km"].kb.vocab.list(vocabulary).label(key)


def _number(value: int | float) -> str:
    return f"{value:,}"
