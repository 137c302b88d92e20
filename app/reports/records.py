"""A closed fiscal year's figures as the KM team gave them to the auditor, and what differs now.

The indicators are computed from the files at every request, so a change made after a year
closed (a date corrected, a department changed, a record entered late, a file edited by hand)
moves that year's figures. Corrections are allowed, but not unseen: once the KM team records a
closed year's figures (when they hand its report in), every page, printout and PDF of that
year shows the figures as recorded beside today's, and each item that came or went since. They
may record again (a corrected report given), with the reason; every record stays.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, replace

from flask import abort, current_app, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from indexer import (
    GoalDifference,
    KnowledgeError,
    dates,
    differences,
    read_text_exactly,
    recorded_figures,
    thai_datetime,
)

from .. import audit, revisions
from ..auth import editor_required, is_km_team
from ..db import get_db
from ..publish.service import AssetMissing, existing_target
from . import bp
from .data import YearView, year_view

NOTE_CHARS = 300
NOW_A_DRAFT = "(เรื่องที่ตอนนี้ถอนกลับเป็นฉบับร่าง)"


class RecordForm(FlaskForm):
    """Record the year's figures; the reason is asked when figures were recorded before."""

    note = StringField("เหตุผลที่บันทึกใหม่", validators=[Length(max=NOTE_CHARS)])


@dataclass(frozen=True)
class YearRecord:
    """One recording of a year's figures."""

    recorded_at: dt.datetime
    recorded_by: str
    note: str
    figures: dict

    @property
    def shown_at(self) -> str:
        return thai_datetime(self.recorded_at)


@dataclass(frozen=True)
class RecordView:
    """What a report page of one year shows about its recorded figures."""

    closed: bool
    records: tuple[YearRecord, ...]                     # oldest first
    changes: tuple[GoalDifference, ...] | None = None   # against the newest record; None: not comparable

    @property
    def latest(self) -> YearRecord | None:
        return self.records[-1] if self.records else None

    @property
    def changed(self) -> bool:
        return bool(self.changes) and any(goal.changed for goal in self.changes)


def year_records(db: sqlite3.Connection, fiscal_year: int) -> tuple[YearRecord, ...]:
    rows = db.execute("SELECT recorded_at, recorded_by, note, figures FROM year_records WHERE fiscal_year = ? "
                      "ORDER BY id", (fiscal_year,)).fetchall()
    return tuple(YearRecord(dt.datetime.fromisoformat(at), by, note, json.loads(figures))
                 for at, by, note, figures in rows)


def record_view(view: YearView) -> RecordView:
    """The year's records and, against the newest, what moved since; for a reader (the auditor's
    account) an item whose asset is a draft now is named by that alone, never by its title."""
    vocab = current_app.extensions["km"].kb.vocab
    closed = view.fiscal_year < view.current_year
    records = year_records(get_db(), view.fiscal_year)
    if not records:
        return RecordView(closed, ())
    changes = differences(records[-1].figures, recorded_figures(view.report, vocab))
    if changes is not None and not is_km_team():
        drafts = {slug for slug, asset in view.assets_by_slug.items() if asset.status == "draft"}
        changes = tuple(_unnamed(goal, drafts) for goal in changes)
    return RecordView(closed, records, changes)


def _unnamed(goal: GoalDifference, drafts: set[str]) -> GoalDifference:
    def shown(items):
        return tuple((key, NOW_A_DRAFT if _slug_of(goal.goal, key) in drafts else label) for key, label in items)
    return replace(goal, added=shown(goal.added), removed=shown(goal.removed))


def _slug_of(goal: int, key: str) -> str:
    """The asset slug inside an item's key (see indexer.indicators.closed._items)."""
    return key if goal == 1 else key.split("/")[1]


@bp.post("/record")
@editor_required
def record():
    """Store the requested closed year's figures as they are now (the KM team, when they hand in its report)."""
    view = year_view()
    if view.fiscal_year >= view.current_year:
        abort(400, description=f"ปีงบประมาณ {view.fiscal_year} ยังไม่สิ้นสุด: บันทึกตัวเลขได้เมื่อปีงบประมาณปิดแล้ว")
    form = RecordForm()
    if not form.validate_on_submit():
        abort(400, description="; ".join(e for errors in form.errors.values() for e in errors))
    db = get_db()
    note = " ".join((form.note.data or "").split())
    if year_records(db, view.fiscal_year) and not note:
        flash("บอกเหตุผลที่บันทึกตัวเลขของปีนี้ใหม่ (เช่น ส่งรายงานฉบับแก้ไขให้ผู้ตรวจ) แล้วกดบันทึกอีกครั้ง", "error")
        return redirect(url_for("reports.indicators", fy=view.fiscal_year) + "#year-record")
    figures = recorded_figures(view.report, current_app.extensions["km"].kb.vocab)
    db.execute("INSERT INTO year_records (fiscal_year, recorded_at, recorded_by, note, figures) VALUES (?, ?, ?, ?, ?)",
               (view.fiscal_year, dates.utc_now().isoformat(timespec="seconds"), current_user.username, note,
                json.dumps(figures, ensure_ascii=False)))
    values = ", ".join(f"เป้าประสงค์ที่ {g['goal']} = {g['value']}" for g in figures["goals"])
    kept = _keep_counted_versions(db, figures)
    audit.record("record_year", None, f"ปีงบประมาณ {view.fiscal_year}: {values}" + (f" ({note})" if note else ""),
                 db=db, commit=False)
    db.commit()
    flash(f"บันทึกตัวเลขของปีงบประมาณ {view.fiscal_year} แล้ว: หน้ารายงานของปีนี้จะแสดงทุกรายการที่เปลี่ยนไปจากนี้"
          + (f" และเก็บฉบับปัจจุบันของ {kept:,} เรื่องที่นับไว้ในประวัติการแก้ไข" if kept else ""), "info")
    return redirect(url_for("reports.indicators", fy=view.fiscal_year) + "#year-record")


def _keep_counted_versions(db: sqlite3.Connection, figures: dict) -> int:
    """Store the present text of every asset the record counts, unless its history has it already:
    a later hand edit of one (a department changed, a record line deleted) can then be compared
    with the version the auditor was given, on the asset's history page (auditor's second visit)."""
    kb = current_app.extensions["km"].kb
    slugs = sorted({_slug_of(goal["goal"], key) for goal in figures["goals"] for key in goal["items"]})
    kept = 0
    for slug in slugs:
        try:
            target = existing_target(kb, slug)
            text = read_text_exactly(target.path, kb.settings.knowledge_dir)
            modified = dt.datetime.fromtimestamp(target.path.stat().st_mtime, dt.UTC)
        except (AssetMissing, KnowledgeError, OSError) as exc:  # gone or unreadable since the figures were made
            current_app.logger.warning("year record: could not keep the version of %s: %s", slug, exc)
            continue
        kept += revisions.keep_current(db, slug, target.rel, text, modified) is not None
    return kept


def record_form() -> RecordForm:
    return RecordForm(formdata=None)

