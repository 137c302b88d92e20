"""Slow down password guessing: after too many failed sign-ins a name+client pair must wait."""

from __future__ import annotations

import math
import sqlite3
import time
from dataclasses import dataclass

from .db import register_schema

register_schema("""
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until REAL NOT NULL DEFAULT 0
);
""")


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are allowed in a row, and how long the pause after them lasts."""

    max_failures: int
    lock_seconds: int


def throttle_key(username: str, client: str | None) -> str:
    return f"{username.strip().lower()}|{client or '-'}"


def wait_seconds(db: sqlite3.Connection, key: str, now: float | None = None) -> int:
    """Seconds this pair must still wait before trying again (0 = may try now)."""
    row = db.execute("SELECT locked_until FROM login_failures WHERE key = ?", (key,)).fetchone()
    if row is None:
        return 0
    left = row["locked_until"] - (time.time() if now is None else now)
    return max(0, math.ceil(left))


def record_failure(db: sqlite3.Connection, key: str, policy: ThrottlePolicy, now: float | None = None) -> int:
    """Count a failed sign-in; return the pause (seconds) it triggered, or 0."""
    now = time.time() if now is None else now
    row = db.execute("SELECT failures FROM login_failures WHERE key = ?", (key,)).fetchone()
    failures = (row["failures"] if row else 0) + 1
    locked_until = 0.0
    if failures >= policy.max_failures:
        locked_until = now + policy.lock_seconds
        failures = 0  # after the pause the pair gets a fresh set of tries
    db.execute("INSERT INTO login_failures (key, failures, locked_until) VALUES (?, ?, ?) "
               "ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
               (key, failures, locked_until))
    db.commit()
    return policy.lock_seconds if locked_until else 0


def clear(db: sqlite3.Connection, key: str) -> None:
    """Forget the failures of a pair after a successful sign-in."""
    db.execute("DELETE FROM login_failures WHERE key = ?", (key,))
    db.commit()


def wait_message(seconds: int) -> str:
    """ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไป … (the text the sign-in page shows)."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไป กรุณารอ {minutes} นาทีแล้วลองใหม่"
