"""The audit log: who created, edited, retired, restored, attached or disseminated what, and when."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from flask import Blueprint, Flask, abort, render_template, request
from flask_login import current_user

from indexer import (
    DateFormatError,
    InvalidParameter,
    dates,
    parse_bounded_int,
    parse_date,
    thai_date,
    thai_datetime,
)

from .auth import admin_required
from .csvfile import csv_response
from .db import get_db, register_schema

bp = Blueprint("audit", __name__, url_prefix="/admin")
PER_PAGE = 50
MAX_PAGE = 100_000
ACTIONS = {
    "create": "สร้างขุมความรู้", "edit": "แก้ไข", "retire": "เลิกใช้ (เก็บถาวร)", "restore": "กู้คืนฉบับเก่า",
    "attach": "แนบไฟล์", "detach": "นำไฟล์แนบออก", "disseminate": "บันทึกการเผยแพร่", "merge": "รวมการแก้ไขที่ชนกัน",
    "user_create": "สร้างผู้ใช้", "user_role": "เปลี่ยนบทบาทผู้ใช้", "user_disable": "ระงับผู้ใช้",
    "user_enable": "เปิดใช้ผู้ใช้", "user_password": "เปลี่ยนรหัสผ่าน", "user_delete": "ลบบัญชี",
    "user_sign_out": "ออกจากระบบเครื่องอื่น", "user_rename": "เปลี่ยนชื่อที่แสดง",
    "file": "แก้ไขไฟล์โดยตรง",  # a version found on disk, kept in the history before a web save (revisions.py)
    "record_year": "บันทึกตัวเลขปีงบประมาณที่ปิดแล้ว",  # reports/records.py
    "erase": "ลบข้อมูลตามคำขอ",  # erase.py, a PDPA erasure request
    "prune": "ลบข้อความที่ผู้อ่านพิมพ์ในปีที่ผ่านมา",  # prune.py: old search words, comments, closed requests
    "event_download": "เปิดไฟล์หลักฐานกิจกรรม",  # plans/events.py: it may show people's names and faces
    "audit_export": "ดาวน์โหลดบันทึกการใช้งาน",
}

register_schema("""
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    slug TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE INDEX IF NOT EXISTS audit_log_slug ON audit_log (slug);
""")


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: dt.datetime  # UTC
    actor: str
    action: str
    slug: str | None
    detail: str

    @property
    def local_time(self) -> dt.datetime:
        """When it happened, in the zone of KM_TIMEZONE."""
        return dates.local_time(self.at)

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the admin page, validated from the query string."""

    actor: str = ""
    action: str = ""
    slug: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def init_app(app: Flask) -> None:
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(lambda action: ACTIONS.get(action, action), "audit_label")


def local_time(moment: dt.datetime) -> str:
    """A stored UTC time as Thai readers expect it, in KM_TIMEZONE: 5 มี.ค. 2568 14:05."""
    return thai_datetime(moment)


def shown_date(value: object) -> str:
    """A date in an entry's detail as the log shows every time, "1 ธ.ค. 2569"; one that could not be
    read, as typed (the log showed "2026-12-01" and "31/01/2568" side by side: wording review)."""
    return thai_date(value) if isinstance(value, dt.date) else str(value or "")


def record(action: str, slug: str | None, detail: str = "", *, actor: str | None = None,
           db: sqlite3.Connection | None = None, commit: bool = True) -> None:
    """Append one entry; the actor defaults to the signed-in user."""
    if actor is None:
        actor = current_user.username if current_user and current_user.is_authenticated else "anonymous"
    db = db or get_db()
    db.execute("INSERT INTO audit_log (at, actor, action, slug, detail) VALUES (?, ?, ?, ?, ?)",
               (dates.utc_now().isoformat(timespec="seconds"), actor, action, slug, detail))
    if commit:
        db.commit()


def parse_filter(args) -> AuditFilter:
    """Read the filters; a bad date is a 400 that names the parameter."""
    dates = {}
    for name in ("since", "until"):
        raw = (args.get(name) or "").strip()
        if raw:
            try:
                dates[name] = parse_date(raw)
            except DateFormatError as exc:
                abort(400, description=f"{name}: {exc} แต่พบ \"{raw[:20]}\"")
    return AuditFilter(actor=(args.get("actor") or "").strip()[:40], action=(args.get("action") or "").strip()[:40],
                       slug=(args.get("slug") or "").strip()[:200], **dates)


def entries(db: sqlite3.Connection, flt: AuditFilter, limit: int | None = None,
            offset: int = 0) -> tuple[list[AuditEntry], int]:
    """Entries matching the filter, newest first, and how many there are in all."""
    where, params = ["1 = 1"], []
    for column, value in (("actor", flt.actor), ("action", flt.action), ("slug", flt.slug)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if flt.since:
        where.append("at >= ?")
        params.append(_utc_start(flt.since))
    if flt.until:
        where.append("at < ?")
        params.append(_utc_start(flt.until + dt.timedelta(days=1)))
    clause = " AND ".join(where)
    total = db.execute(f"SELECT COUNT(*) FROM audit_log WHERE {clause}", params).fetchone()[0]  # noqa: S608
    sql = f"SELECT * FROM audit_log WHERE {clause} ORDER BY at DESC, id DESC"  # noqa: S608 - fixed columns
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    rows = db.execute(sql, params).fetchall()
    return [AuditEntry(r["id"], dt.datetime.fromisoformat(r["at"]), r["actor"], r["action"], r["slug"], r["detail"])
            for r in rows], total


def _utc_start(day: dt.date) -> str:
    """The UTC instant at which a calendar day starts in KM_TIMEZONE."""
    local = dt.datetime.combine(day, dt.time.min, dates.current_timezone())
    return local.astimezone(dt.UTC).isoformat(timespec="seconds")


@bp.get("/audit")
@admin_required
def index():
    flt = parse_filter(request.args)
    try:
        page = parse_bounded_int(request.args.get("page") or "1", "page", 1, MAX_PAGE)
    except InvalidParameter as exc:
        abort(400, description=str(exc))
    items, total = entries(get_db(), flt, PER_PAGE, (page - 1) * PER_PAGE)
    actors = [r[0] for r in get_db().execute("SELECT DISTINCT actor FROM audit_log ORDER BY actor")]
    return render_template("admin/audit.html", items=items, total=total, flt=flt, page=page,
                           pages=max(1, -(-total // PER_PAGE)), actions=ACTIONS, actors=actors)


@bp.get("/audit.csv")
@admin_required
def export_csv():
    items, _ = entries(get_db(), parse_filter(request.args))
    record("audit_export", None, f"{len(items):,} รายการ")  # it names who did what: a copy leaving is traced
    zone = dates.current_timezone().key
    # the time as the page shows it (Buddhist era), and as ISO for a spreadsheet, like the reports' CSVs
    header = [f"เวลา พ.ศ. ({zone})", f"เวลา ISO ({zone})", "ผู้ใช้", "รายการที่ทำ", "รหัสรายการ", "ขุมความรู้",
              "รายละเอียด"]
    rows = ([thai_datetime(e.local_time), e.local_time.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action_label,
             e.action, e.slug or "", e.detail] for e in items)
    return csv_response("km-audit-log.csv", header, rows)
