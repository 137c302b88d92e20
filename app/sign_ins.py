"""Sign-ins kept on the server, so that signing out or a new password really ends a session.

Flask's session is a signed cookie: deleting it from one browser does not stop a
copy of it from working. Each sign-in therefore gets a random token, stored here
and in the cookie (as Flask-Login's user id "<id>:<token>"); a cookie whose token
is gone is nobody's. Signing out removes that sign-in's token; a new password or
a disabled account removes every token of the account (every browser signs in
again). Tokens older than `LIFETIME` are refused and pruned.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import time

from .db import register_schema

LIFETIME = dt.timedelta(days=31)  # as Flask's session cookie: a sign-in lasts at most a month
# A KM team or admin sign-in opens comments, requests, search words and the audit log: one left open
# on a shared office computer ends after this long unused (privacy review); a reader's lasts the month.
IDLE = dt.timedelta(hours=8)
TOUCH_SECONDS = 300  # last use is written at most this often, not at every request

register_schema("""
CREATE TABLE IF NOT EXISTS sign_ins (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    started REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sign_ins_user ON sign_ins (user_id);
""")


def start(db: sqlite3.Connection, user_id: int) -> str:
    """Record a new sign-in of `user_id` and return its token (forgetting expired ones)."""
    token = secrets.token_urlsafe(24)
    now = time.time()
    db.execute("DELETE FROM sign_ins WHERE started < ?", (now - LIFETIME.total_seconds(),))
    db.execute("INSERT INTO sign_ins (token, user_id, started, last_seen) VALUES (?, ?, ?, ?)",
               (token, user_id, now, now))
    db.commit()
    return token


def is_valid(db: sqlite3.Connection, user_id: int, token: str, idle: dt.timedelta | None = None) -> bool:
    """True when `token` is a live sign-in of `user_id`: started within LIFETIME and, with `idle`,
    used within it (its last use is then brought up to now, every TOUCH_SECONDS at most)."""
    row = db.execute("SELECT started, last_seen FROM sign_ins WHERE token = ? AND user_id = ?",
                     (token, user_id)).fetchone()
    now = time.time()
    if row is None or row["started"] < now - LIFETIME.total_seconds():
        return False
    last = max(row["started"], row["last_seen"])  # 0 for a sign-in from before schema 7
    if idle is not None and last < now - idle.total_seconds():
        end(db, token)
        return False
    if now - last > TOUCH_SECONDS:
        db.execute("UPDATE sign_ins SET last_seen = ? WHERE token = ?", (now, token))
        db.commit()
    return True


def end(db: sqlite3.Connection, token: str) -> None:
    """End one sign-in (signing out)."""
    db.execute("DELETE FROM sign_ins WHERE token = ?", (token,))
    db.commit()


def end_others(db: sqlite3.Connection, user_id: int, keep: str) -> int:
    """End every sign-in of an account but `keep` (a phone left signed in somewhere); how many
    live ones ended (an expired one still in the table was no browser signed in)."""
    ended = db.execute("SELECT COUNT(*) FROM sign_ins WHERE user_id = ? AND token != ? AND started >= ?",
                       (user_id, keep, time.time() - LIFETIME.total_seconds())).fetchone()[0]
    db.execute("DELETE FROM sign_ins WHERE user_id = ? AND token != ?", (user_id, keep))
    db.commit()
    return ended


def live(db: sqlite3.Connection, user_id: int) -> list[tuple[str, dt.datetime]]:
    """The account's live sign-ins, newest first: (token, when it started, UTC)."""
    rows = db.execute("SELECT token, started FROM sign_ins WHERE user_id = ? AND started >= ? ORDER BY started DESC",
                      (user_id, time.time() - LIFETIME.total_seconds())).fetchall()
    return [(row["token"], dt.datetime.fromtimestamp(row["started"], dt.UTC)) for row in rows]


def end_all(db: sqlite3.Connection, user_id: int, commit: bool = True) -> None:
    """End every sign-in of an account (new password, account disabled)."""
    db.execute("DELETE FROM sign_ins WHERE user_id = ?", (user_id,))
    if commit:
        db.commit()
