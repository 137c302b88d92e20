"""Jinja filters (Buddhist-era dates, vocabulary labels, numbers) and the query-length global."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from flask import Flask, current_app, g

from indexer import MAX_QUERY_CHARS, be_date_input, fiscal_year_of, thai_date, thai_datetime, thai_month


def register(app: Flask) -> None:
    app.add_template_filter(_thai_date, "thai_date")
    app.add_template_filter(be_date_input, "be_date_input")  # what a date field shows: 14/03/2568
    app.add_template_filter(_thai_date_long, "thai_date_long")
    app.add_template_filter(_thai_datetime_long, "thai_datetime_long")
    app.add_template_filter(_label, "label")
    app.add_template_filter(_number, "number")
    app.add_template_filter(fiscal_year_of, "fiscal_year")
    app.add_template_filter(thai_month, "thai_month")
    app.add_template_filter(text_fragment, "text_fragment")
    app.add_template_filter(_account_label, "account_label")
    app.jinja_env.globals["max_query_chars"] = MAX_QUERY_CHARS  # the search boxes' maxlength


def _thai_date(value: dt.date | None) -> str:
    return thai_date(value)


def _thai_date_long(value: dt.date | None) -> str:
    return thai_date(value, long=True)


def _thai_datetime_long(value: dt.datetime) -> str:
    """An instant in KM_TIMEZONE with the month in full: 2 ธันวาคม 2569 03:30."""
    return thai_datetime(value, long=True)


def _account_label(username: str | None, with_user_name: bool = True) -> str:
    """An account as people know it: "สมชาย ใจดี (somchai)" (or without the user name, on pages
    readers see), or the user name alone when it has no display name (the audit log and records
    showed "somchai" beside a menu saying สมชาย ใจดี); on readers' pages then "ทีม KM"."""
    from . import accounts
    from .db import get_db

    if "km_display_names" not in g:
        g.km_display_names = accounts.display_names(get_db())
    shown = g.km_display_names.get(username or "")
    if not shown:  # a sign-in name is never put on a page readers see (security review SEC-06)
        return (username or "") if with_user_name else "ทีม KM"
    return f"{shown} ({username})" if with_user_name else shown


def _label(key: str | None, vocabulary: str) -> str:
    """{{ asset.department|label('departments') }} → สำนักปลัดเทศบาล."""
    return current_app.extensions["km"].kb.vocab.list(vocabulary).label(key)


def text_fragment(passage: str | None, searched: str | None = None) -> str | None:
    """The URL fragment that opens a page at `passage` and highlights it (a text fragment,
    #:~:text=…, which Chromium, Safari and Firefox follow and other browsers ignore), for
    url_for's _anchor; None without a passage, or when `searched` (the query the asset page
    repeats above its text) holds it: the browser would stop there. The text is
    percent-encoded, - and , too: they separate a fragment's parts."""
    if not passage or searched and passage.casefold() in searched.casefold():
        return None
    return ":~:text=" + quote(passage, safe="").replace("-", "%2D")


def _number(value: int | float) -> str:
    return f"{value:,}"
