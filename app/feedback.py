"""Readers' voice for the KM team: "was this helpful?" votes and requests for missing knowledge.

Privacy: a vote row holds the asset, the day, yes/no and the comment, nothing about who
sent it. One vote per reader per asset per day, and a cap on what one network can send
in a day, are counted with reader marks (marks.py), which live one day; the session
token in them is random, not derived from the person.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from .marks import use_mark

MAX_COMMENT_CHARS = 500
MAX_DETAIL_CHARS = 500
VOTES_PER_ADDRESS_PER_DAY = 300     # one office behind one NAT address votes many times a day
REQUESTS_PER_ADDRESS_PER_DAY = 20

DUPLICATE_VOTE = "คุณตอบเรื่องนี้ไปแล้ววันนี้ ขอบคุณที่ช่วยบอกเรา"
TOO_MANY = "มีการส่งจากเครือข่ายนี้มากเกินไปในวันนี้ กรุณาลองใหม่พรุ่งนี้"


class Refused(ValueError):
    """A vote or request that is not taken; the message is the Thai reason, `status` the HTTP code."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def first_today(db: sqlite3.Connection, day: dt.date, act: str, subject: str, *, reader: str, address: str,
                per_address: int) -> bool:
    """Count `reader` doing `act` (a vote, a request) to `subject` today, within a cap per address.

    True the first time. Otherwise the count is committed and Refused (429) is raised when
    `address` has done `act` more than `per_address` times today, or False is returned when
    this reader already did it to this subject today (the caller stores nothing).
    """
    if use_mark(db, day, "address", act, address) > per_address:
        db.commit()
        raise Refused(TOO_MANY, 429)
    if use_mark(db, day, act, subject, reader) > 1:
        db.commit()
        return False
    return True


def check_comment(text: str, limit: int = MAX_COMMENT_CHARS, what: str = "ความคิดเห็น") -> str:
    """The text trimmed, or Refused when it is longer than `limit` characters."""
    text = (text or "").strip()
    if len(text) > limit:
        raise Refused(f"{what}ยาวได้ไม่เกิน {limit:,} ตัวอักษร แต่พบ {len(text):,} ตัวอักษร")
    return text


def record_vote(db: sqlite3.Connection, slug: str, helpful: bool, comment: str, *, reader: str, address: str,
                day: dt.date) -> bool:
    """Store a vote; False (nothing stored) when this reader already voted on this asset today."""
    comment = check_comment(comment)
    try:
        if not first_today(db, day, "vote", slug, reader=reader, address=address,
                           per_address=VOTES_PER_ADDRESS_PER_DAY):
            return False
        db.execute("INSERT INTO asset_feedback (slug, day, helpful, comment) VALUES (?, ?, ?, ?)",
                   (slug, day.isoformat(), int(helpful), comment))
        db.commit()
    except sqlite3.Error:
        db.rollback()
        raise
    return True


@dataclass(frozen=True)
class AssetVotes:
    """The votes on one asset: how many found it helpful, how many not, how many comments."""

    slug: str
    yes: int
    no: int
    comments: int
    waiting: int  # comments nobody in the KM team has marked as read
    last_day: dt.date

    @property
    def total(self) -> int:
        return self.yes + self.no


@dataclass(frozen=True)
class Comment:
    id: int
    slug: str
    day: dt.date
    helpful: bool
    text: str
    handled_by: str | None


def votes_per_asset(db: sqlite3.Connection) -> list[AssetVotes]:
    """Every asset that has votes, the ones with unread comments first, then the most voted."""
    rows = db.execute(
        "SELECT slug, SUM(helpful), SUM(1 - helpful), SUM(comment != ''), "
        "SUM(comment != '' AND handled_by IS NULL), MAX(day) FROM asset_feedback GROUP BY slug").fetchall()
    votes = [AssetVotes(r[0], r[1], r[2], r[3], r[4], dt.date.fromisoformat(r[5])) for r in rows]
    return sorted(votes, key=lambda v: (-v.waiting, -v.total, v.slug))


def comments(db: sqlite3.Connection, *, waiting_only: bool = False, limit: int = 200) -> list[Comment]:
    """Comments, newest first (only those nobody has read yet with `waiting_only`)."""
    where = "WHERE comment != ''" + (" AND handled_by IS NULL" if waiting_only else "")
    rows = db.execute(f"SELECT id, slug, day, helpful, comment, handled_by FROM asset_feedback {where} "
                      "ORDER BY day DESC, id DESC LIMIT ?", (limit,)).fetchall()
    return [Comment(r[0], r[1], dt.date.fromisoformat(r[2]), bool(r[3]), r[4], r[5]) for r in rows]


def mark_read(db: sqlite3.Connection, comment_id: int, user: str) -> bool:
    """Mark a comment as read by `user`; False when there is no such unread comment."""
    changed = db.execute("UPDATE asset_feedback SET handled_by = ? WHERE id = ? AND comment != '' "
                         "AND handled_by IS NULL", (user, comment_id)).rowcount
    db.commit()
    return bool(changed)
