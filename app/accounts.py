"""Accounts of the KM team: users, roles and Argon2 password hashes in the site database."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from indexer import dates

from . import sign_ins
from .db import register_schema

ROLES = ("reader", "editor", "admin")
ROLE_LABELS = {"reader": "ผู้อ่าน", "editor": "ทีม KM (ผู้แก้ไข)", "admin": "ผู้ดูแลระบบ"}
_RANK = {role: rank for rank, role in enumerate(ROLES)}
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD_CHARS = 8
# The sign-in form takes at most this many characters (its maxlength): a longer password could be
# set, by an admin or by its owner, and then never typed in again.
MAX_PASSWORD_CHARS = 200
MAX_DISPLAY_NAME_CHARS = 100  # a person's name and title, shown in the menu and in every history
PASSWORD_LENGTHS = f"{MIN_PASSWORD_CHARS}–{MAX_PASSWORD_CHARS} ตัวอักษร"  # the help beside a new password
PASSWORDS_DIFFER = "รหัสผ่านทั้งสองช่องไม่ตรงกัน"  # a new password and its confirmation, on every form that sets one

register_schema("""
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
""")

_HASHER = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not-a-real-password")


class AccountError(ValueError):
    """A user name, role or password was refused; the message says why (in Thai)."""


@dataclass(frozen=True)
class Account:
    """A signed-in person, as Flask-Login sees them."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: str
    sign_in: str = field(default="", compare=False)  # this session's token (see sign_ins.py)

    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What the session cookie holds: the account and the sign-in, "<id>:<token>"."""
        return f"{self.id}:{self.sign_in}"

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def can_edit(self) -> bool:
        return self.active and _RANK[self.role] >= _RANK["editor"]

    @property
    def is_admin(self) -> bool:
        return self.active and self.role == "admin"


def _row_to_account(row: sqlite3.Row | None) -> Account | None:
    if row is None:
        return None
    return Account(row["id"], row["username"], row["display_name"], row["role"], bool(row["active"]), row["created_at"])


def check_role(role: str) -> str:
    """Return `role` when it is known, else raise AccountError naming the allowed roles."""
    if role not in ROLES:
        raise AccountError(f'ไม่รู้จักบทบาท "{role}" ใช้ได้: {", ".join(ROLES)}')
    return role


def check_password(password: str) -> str:
    """Refuse passwords too short to be safe, or too long to type in at sign-in."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_CHARS} ตัวอักษร")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"รหัสผ่านยาวได้ไม่เกิน {MAX_PASSWORD_CHARS} ตัวอักษร (ช่องรหัสผ่านตอนเข้าสู่ระบบรับได้เท่านี้)")
    return password


def check_display_name(name: str) -> str:
    """A display name on one line (it sits in the menu and in tables), at most MAX_DISPLAY_NAME_CHARS."""
    name = " ".join("".join(c for c in name if unicodedata.category(c) != "Cf").split())  # no zero-width marks
    if len(name) > MAX_DISPLAY_NAME_CHARS:
        raise AccountError(f"ชื่อที่แสดงยาวได้ไม่เกิน {MAX_DISPLAY_NAME_CHARS} ตัวอักษร แต่พบ {len(name):,} ตัวอักษร")
    return name


def _same_name(name: str) -> str:
    """A name as two accounts must not share it: compatibility forms folded (ｓｏｍｃｈａｉ is somchai),
    zero-width marks dropped (text copied from Word carries them), spacing and case aside."""
    folded = unicodedata.normalize("NFKC", name)
    return " ".join("".join(c for c in folded if unicodedata.category(c) != "Cf").split()).casefold()


def refuse_taken_name(db: sqlite3.Connection, name: str, username: str) -> None:
    """Refuse a display name another account shows already, as its name or as its user name.

    Histories name each author by the display name: a copied name would put one person's
    edits under another's (e.g. an editor taking the admin's "ผู้ดูแล หนึ่ง").
    """
    wanted = _same_name(name)
    for other, shown in db.execute("SELECT username, display_name FROM users WHERE username <> ?", (username,)):
        if wanted in (_same_name(shown), _same_name(other)):
            raise AccountError(f'ชื่อ "{name}" เป็นชื่อของผู้ใช้อีกบัญชีหนึ่งอยู่แล้ว กรุณาใช้ชื่ออื่น เช่น เพิ่มนามสกุลหรือตำแหน่ง '
                               "เพื่อไม่ให้ประวัติการแก้ไขแสดงว่าเป็นงานของอีกคน")


def create(db: sqlite3.Connection, username: str, password: str, role: str, display_name: str = "") -> Account:
    """Add an account; the name must be new and the password long enough."""
    username = username.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise AccountError("ชื่อผู้ใช้ต้องเป็น a-z 0-9 . _ - ยาว 2–40 ตัวอักษร และขึ้นต้นด้วยตัวอักษรหรือตัวเลข")
    check_role(role)
    check_password(password)
    display_name = check_display_name(display_name)
    if find(db, username) is not None:
        raise AccountError(f'มีผู้ใช้ชื่อ "{username}" อยู่แล้ว')
    if _has_history(db, username):
        raise AccountError(f'ชื่อผู้ใช้ "{username}" เป็นของบัญชีที่ลบไปแล้ว กรุณาใช้ชื่ออื่น '
                           "เพื่อไม่ให้ประวัติของคนเดิมแสดงเป็นงานของคนใหม่")
    refuse_taken_name(db, display_name or username, username)  # with no display name, histories show the user name
    now = dates.utc_now().isoformat(timespec="seconds")
    db.execute("INSERT INTO users (username, display_name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)",
               (username, display_name, _HASHER.hash(password), role, now))
    db.commit()
    return find(db, username)


def _has_history(db: sqlite3.Connection, username: str) -> bool:
    """Whether a stored version or an audit entry names `username` as its author, or the name was an
    account deleted since (any deleted name is never given again, as `users delete` says)."""
    return db.execute("SELECT EXISTS (SELECT 1 FROM revisions WHERE author = ?) "
                      "OR EXISTS (SELECT 1 FROM audit_log WHERE actor = ?) "
                      "OR EXISTS (SELECT 1 FROM audit_log WHERE action = 'user_delete' AND detail = ?)",
                      (username, username, username)).fetchone()[0] == 1


def delete(db: sqlite3.Connection, username: str) -> Account:
    """Delete a disabled account (a leaver's erasure request): its password hash, display name and
    sign-ins go; its user name stays in the history and the audit log, and is never given again."""
    account = find(db, username)
    if account is None:
        raise AccountError(f'ไม่พบผู้ใช้ "{username}"')
    if account.active:
        raise AccountError(f'บัญชี "{account.username}" ยังใช้งานอยู่ ระงับก่อน (users disable) แล้วจึงลบ')
    with db:
        db.execute("DELETE FROM sign_ins WHERE user_id = ?", (account.id,))
        db.execute("DELETE FROM users WHERE id = ?", (account.id,))
    return account


def display_names(db: sqlite3.Connection) -> dict[str, str]:
    """{user name: display name} of the accounts that have one."""
    return dict(db.execute("SELECT username, display_name FROM users WHERE display_name != ''").fetchall())


def find(db: sqlite3.Connection, username: str) -> Account | None:
    """The account called `username` (any case), or None."""
    row = db.execute("SELECT * FROM users WHERE username = ?", (username.strip().lower(),)).fetchone()
    return _row_to_account(row)


def get(db: sqlite3.Connection, user_id: int) -> Account | None:
    return _row_to_account(db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone())


def all_accounts(db: sqlite3.Connection) -> list[Account]:
    return [_row_to_account(r) for r in db.execute("SELECT * FROM users ORDER BY username")]


def set_role(db: sqlite3.Connection, username: str, role: str) -> Account:
    """Change an account's role; the last active admin keeps theirs."""
    return _update(db, username, "role = ?", check_role(role), keep_admin="เปลี่ยนบทบาทของ")


def set_active(db: sqlite3.Connection, username: str, active: bool) -> Account:
    """Disable (or enable again) an account; a disabled account cannot sign in and its sessions end.
    The last active admin stays."""
    return _update(db, username, "active = ?", 1 if active else 0, end_sessions=not active, keep_admin="ระงับ")


def set_display_name(db: sqlite3.Connection, username: str, name: str) -> Account:
    """Change the name shown in the menu, in histories and on the people pages (a new surname, a new title);
    never to a name another account shows."""
    name = check_display_name(name)
    account = find(db, username)
    if account is not None and name != account.display_name:
        refuse_taken_name(db, name or account.username, account.username)
    return _update(db, username, "display_name = ?", name)


def set_password(db: sqlite3.Connection, username: str, password: str) -> Account:
    """Set a new password; every session signed in with the old one ends."""
    return _update(db, username, "password_hash = ?", _HASHER.hash(check_password(password)), end_sessions=True)


def _update(db: sqlite3.Connection, username: str, assignment: str, value, end_sessions: bool = False,
            keep_admin: str = "") -> Account:
    """Change one column; with `keep_admin` (what is being done, in Thai), refuse to leave no active admin.

    The check runs after the UPDATE inside the same transaction, so two admins demoting
    each other at once cannot both succeed (SQLite lets one writer at a time).
    """
    account = find(db, username)
    if account is None:
        raise AccountError(f'ไม่พบผู้ใช้ "{username}"')
    db.execute(f"UPDATE users SET {assignment} WHERE id = ?", (value, account.id))  # noqa: S608 - fixed columns
    if keep_admin and account.is_admin and not _active_admins(db):
        db.rollback()
        raise AccountError(f'{keep_admin}บัญชี "{account.username}" ไม่ได้ เพราะเป็นผู้ดูแลระบบคนสุดท้ายที่ใช้งานได้ '
                           "(เพิ่มหรือเปิดใช้ผู้ดูแลระบบอีกคนก่อน)")
    if end_sessions:
        sign_ins.end_all(db, account.id, commit=False)  # in the same transaction as the change
    db.commit()
    return get(db, account.id)


def _active_admins(db: sqlite3.Connection) -> int:
    return db.execute("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1").fetchone()[0]


def authenticate(db: sqlite3.Connection, username: str, password: str) -> Account | None:
    """Return the account when the password matches (rehashing an outdated hash), else None."""
    row = db.execute("SELECT * FROM users WHERE username = ?", (username.strip().lower(),)).fetchone()
    stored = row["password_hash"] if row is not None else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _HASHER.check_needs_rehash(stored):
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (_HASHER.hash(password), row["id"]))
        db.commit()
    return _row_to_account(row)
