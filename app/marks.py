"""Reader marks: "has this reader already done this today?" without knowing who they are.

A mark is SHA-256 of a random salt of the day and what identifies the act (the reader's
address and browser or their random session token, the asset, the request…). Marks and
the salt live one day: making a new day's salt deletes every earlier salt and mark, and so
does the file watcher's first look after midnight (analytics.py), without waiting for a
visit; backups never hold them (backup.py). So a mark can never be recomputed or tied to a
person afterwards. The view counter, the
"was this helpful?" votes and the knowledge requests all count through here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3


def use_mark(db: sqlite3.Connection, day: dt.date, *parts: str) -> int:
    """Count one use of the mark of `parts` today and return how many uses it now has (1: the first)."""
    mark = hashlib.sha256("\x1f".join((_salt(db, day), *parts)).encode("utf-8")).hexdigest()
    return db.execute("INSERT INTO reader_marks (day, mark) VALUES (?, ?) ON CONFLICT (day, mark) DO UPDATE "
                      "SET uses = uses + 1 RETURNING uses", (day.isoformat(), mark)).fetchone()[0]


def forget_other_days(db: sqlite3.Connection, day: dt.date) -> int:
    """Delete every salt and mark not of `day`; return how many salts went (0: nothing to forget)."""
    gone = db.execute("DELETE FROM daily_salts WHERE day <> ?", (day.isoformat(),)).rowcount
    db.execute("DELETE FROM reader_marks WHERE day <> ?", (day.isoformat(),))
    return gone


def _salt(db: sqlite3.Connection, day: dt.date) -> str:
    """The day's random salt; making it deletes every earlier day's salt and marks."""
    made = db.execute("INSERT OR IGNORE INTO daily_salts (day, salt) VALUES (?, ?)",
                      (day.isoformat(), secrets.token_hex(16)))
    if made.rowcount:
        forget_other_days(db, day)
    return db.execute("SELECT salt FROM daily_salts WHERE day = ?", (day.isoformat(),)).fetchone()[0]
