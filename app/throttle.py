"""Slow down password guessing: after too many failed sign-ins a name+client pair must wait."""

from __future__ import annotations

import hashlib
import hmac
import math
import sqlite3
import time
from dataclasses import dataclass

from .db import register_schema

# failures: tries since the last pause or success, counted before the check. (A declared table
# is never edited, its text included: see app/migrations.py; schema 6 adds `last_try`, the time of
# the latest try, so a row is deleted once a whole pause has passed without one.)
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


@dataclass(frozen=True)
class Attempt:
    """One reserved try: its number since the last pause or success, or the seconds left to wait."""

    number: int
    wait: int


# Count one more try unless the pair is paused; return the count and the end of any pause.
_RESERVE_SQL = """
INSERT INTO login_failures (key, failures, locked_until, last_try) VALUES (:key, 1, 0, :now)
ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN locked_until > :now THEN failures ELSE failures + 1 END,
                                last_try = :now
RETURNING failures, locked_until
"""
# Rows no pause or try has touched for a whole pause: a typo, an unknown name, a guess given up on.
_FORGET_SQL = "DELETE FROM login_failures WHERE MAX(last_try, locked_until) < :now - :lock_seconds"


MAX_NAME_CHARS = 64  # user names are at most 40 characters; a longer one is cut, never stored whole


def throttle_key(username: str, client: str | None) -> str:
    """The name+client pair a try counts against ("somchai|10.0.0.9")."""
    return f"{username.strip().lower()[:MAX_NAME_CHARS]}|{client or '-'}"


def unknown_name(username: str, secret: str) -> str:
    """What a user name that is no account is counted as: a keyed hash, never the text ("?3f9a…").

    A password typed into the user-name box is such a name; its text must not be kept.
    The same name still counts against itself, so guessing under it is paused as before;
    "?" is never in a user name, so the hash cannot be an account's name.
    """
    name = username.strip().lower()[:MAX_NAME_CHARS].encode()
    return "?" + hmac.new(secret.encode(), name, hashlib.sha256).hexdigest()[:32]


def reserve(db: sqlite3.Connection, key: str, policy: ThrottlePolicy, now: float | None = None) -> Attempt:
    """Take one of the pair's tries *before* its password is checked.

    One SQL statement counts the try and reads the result, so concurrent sign-ins
    cannot all read "no failures yet" and each check a password: at most
    `max_failures` checks run per pause, however many requests arrive at once.
    The try counts as a failure until `clear` forgets it after a right password, or until
    a whole pause passes with no try from the pair: every pair's row is then deleted.
    """
    now = time.time() if now is None else now
    db.execute(_FORGET_SQL, {"now": now, "lock_seconds": policy.lock_seconds})  # kept no longer than a pause
    failures, locked_until = db.execute(_RESERVE_SQL, {"key": key, "now": now}).fetchone()
    db.commit()
    if locked_until > now:
        return Attempt(0, math.ceil(locked_until - now))
    if failures > policy.max_failures:  # more tries arrived together than the policy allows
        return Attempt(0, _lock(db, key, policy, now))
    return Attempt(failures, 0)


def record_failure(db: sqlite3.Connection, attempt: Attempt, key: str, policy: ThrottlePolicy,
                   now: float | None = None) -> int:
    """After a wrong password: pause the pair when this was its last try; return the pause (seconds) or 0.

    The try was counted by `reserve`; a pause is only ever set or lengthened here, never
    lifted (a read-then-write that lifted it was how concurrent failures escaped it).
    """
    if attempt.number < policy.max_failures:
        return 0
    return _lock(db, key, policy, time.time() if now is None else now)


def _lock(db: sqlite3.Connection, key: str, policy: ThrottlePolicy, now: float) -> int:
    db.execute("UPDATE login_failures SET failures = 0, locked_until = MAX(locked_until, ?) WHERE key = ?",
               (now + policy.lock_seconds, key))
    db.commit()
    return policy.lock_seconds


def clear(db: sqlite3.Connection, key: str) -> None:
    """Forget the failures of a pair after a successful sign-in."""
    db.execute("DELETE FROM login_failures WHERE key = ?", (key,))
    db.commit()


def wait_message(seconds: int, failed: str = "เข้าสู่ระบบไม่สำเร็จ") -> str:
    """เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป … (the text the sign-in page shows; `failed` names another try)."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"{failed}หลายครั้งเกินไป กรุณารอ {minutes} นาทีแล้วลองใหม่"
