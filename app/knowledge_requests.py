"""Requests for knowledge the repository does not hold yet ("ขอความรู้เรื่องนี้" on the no-results page).

The same question asked again while it is open adds one to `asks` instead of a new row
(the query is normalised, so "ลา ๓ วัน" and "ลา 3 วัน" are one request), once per reader a
day; one network address may send REQUESTS_PER_ADDRESS_PER_DAY a day (see feedback.py
for the daily marks that count this without storing the address).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from indexer import MAX_QUERY_CHARS, dates

from .analytics import normalize_query
from .feedback import MAX_DETAIL_CHARS, REQUESTS_PER_ADDRESS_PER_DAY, Refused, check_comment, first_today

EMPTY_QUERY = "กรุณาระบุเรื่องที่ต้องการให้ทีม KM จัดทำ"
ASKED = "ส่งคำขอถึงทีม KM แล้ว เมื่อทีมจัดทำเรื่องนี้เสร็จ จะค้นหาพบได้จากช่องค้นหานี้"
ASKED_AGAIN = "มีผู้ขอเรื่องนี้ไว้แล้ว ระบบนับคำขอของคุณรวมไว้ด้วยแล้ว"
ALREADY_ASKED = "คุณขอเรื่องนี้ไว้แล้ววันนี้ ทีม KM ได้รับคำขอแล้ว"


@dataclass(frozen=True)
class KnowledgeRequest:
    """One request in the KM team's queue."""

    id: int
    query: str
    detail: str
    asks: int
    created_at: dt.datetime
    last_asked_at: dt.datetime
    closed_at: dt.datetime | None
    closed_by: str | None
    closed_by_name: str = ""  # the display name of that account, when it has one

    @property
    def closed_by_label(self) -> str:
        return self.closed_by_name or self.closed_by or ""

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def check_query(raw: str) -> str:
    """The normalised query, or Refused naming what is wrong with it."""
    raw = (raw or "").strip()
    if len(raw) > MAX_QUERY_CHARS:
        raise Refused(f"เรื่องที่ขอยาวได้ไม่เกิน {MAX_QUERY_CHARS:,} ตัวอักษร แต่พบ {len(raw):,} ตัวอักษร")
    query = normalize_query(raw)
    if not query:
        raise Refused(EMPTY_QUERY)
    return query


def ask(db: sqlite3.Connection, raw_query: str, detail: str, *, reader: str, address: str, day: dt.date,
        now: dt.datetime | None = None) -> str:
    """Queue a request or add this reader to the open one; return the Thai message for the reader."""
    query, detail = check_query(raw_query), check_comment(detail, MAX_DETAIL_CHARS, "รายละเอียด")
    when = (now or dates.utc_now()).isoformat(timespec="seconds")
    try:
        if not first_today(db, day, "request", query, reader=reader, address=address,
                           per_address=REQUESTS_PER_ADDRESS_PER_DAY):
            return ALREADY_ASKED
        # one statement, so two readers asking at once make one request (the partial unique index)
        asks = db.execute(
            "INSERT INTO knowledge_requests (query, detail, created_at, last_asked_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (query) WHERE closed_at IS NULL DO UPDATE SET asks = asks + 1, "
            "last_asked_at = excluded.last_asked_at, detail = substr(detail || CASE WHEN detail != '' AND "
            "excluded.detail != '' THEN char(10) ELSE '' END || excluded.detail, 1, ?) RETURNING asks",
            (query, detail, when, when, MAX_DETAIL_CHARS * 4)).fetchone()[0]
        db.commit()
    except sqlite3.Error:
        db.rollback()
        raise
    return ASKED if asks == 1 else ASKED_AGAIN


def _from_row(row) -> KnowledgeRequest:
    def when(value):
        return dt.datetime.fromisoformat(value) if value else None
    return KnowledgeRequest(row[0], row[1], row[2], row[3], when(row[4]), when(row[5]), when(row[6]), row[7],
                            row[8])


def queue(db: sqlite3.Connection, state: str = "open", limit: int = 200) -> list[KnowledgeRequest]:
    """Open requests (most asked, then oldest first) or closed ones (latest closed first)."""
    if state == "open":
        order = "WHERE k.closed_at IS NULL ORDER BY k.asks DESC, k.created_at, k.id"
    else:
        order = "WHERE k.closed_at IS NOT NULL ORDER BY k.closed_at DESC, k.id DESC"
    rows = db.execute("SELECT k.id, k.query, k.detail, k.asks, k.created_at, k.last_asked_at, k.closed_at, "
                      "k.closed_by, COALESCE(u.display_name, '') FROM knowledge_requests k "
                      f"LEFT JOIN users u ON u.username = k.closed_by {order} LIMIT ?", (limit,)).fetchall()
    return [_from_row(r) for r in rows]


def open_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT COUNT(*) FROM knowledge_requests WHERE closed_at IS NULL").fetchone()[0])


def close(db: sqlite3.Connection, request_id: int, user: str, now: dt.datetime | None = None) -> bool:
    """Mark an open request done; False when it is not open (already closed, or no such request)."""
    when = (now or dates.utc_now()).isoformat(timespec="seconds")
    changed = db.execute("UPDATE knowledge_requests SET closed_at = ?, closed_by = ? WHERE id = ? "
                         "AND closed_at IS NULL", (when, user, request_id)).rowcount
    db.commit()
    return bool(changed)
