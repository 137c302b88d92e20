"""Managing accounts, shared by `flask users` and the admin page: the rules, then the audit entry.

The rules themselves (name pattern, roles, password length, never leaving the site
without an active admin) live in `accounts`; every change made here is written to the
audit log by the same code whoever asked for it (actor "cli" from the terminal).
"""

from __future__ import annotations

import sqlite3

from . import accounts, audit
from .accounts import Account


def create_account(db: sqlite3.Connection, username: str, password: str, role: str, display_name: str, *,
                   actor: str) -> Account:
    """Create an account and log it; AccountError says why one is refused."""
    account = accounts.create(db, username, password, role, display_name)
    audit.record("user_create", None, f"{account.username} ({account.role})", actor=actor, db=db)
    return account


def change_role(db: sqlite3.Connection, username: str, role: str, *, actor: str) -> Account:
    """Give an account another role and log it."""
    account = accounts.set_role(db, username, role)
    audit.record("user_role", None, f"{account.username} → {account.role}", actor=actor, db=db)
    return account


def set_active(db: sqlite3.Connection, username: str, active: bool, *, actor: str) -> Account:
    """Disable (its sessions end at their next request) or enable an account, and log it."""
    account = accounts.set_active(db, username, active)
    audit.record("user_enable" if active else "user_disable", None, account.username, actor=actor, db=db)
    return account


def delete(db: sqlite3.Connection, username: str, *, actor: str) -> Account:
    """Delete a disabled account and log it (its user name stays in the history)."""
    account = accounts.delete(db, username)
    # its renames named its display names: they go with it (the user name and the acts stay)
    prefix = f"{account.username}: "
    db.execute("UPDATE audit_log SET detail = ? WHERE action = 'user_rename' AND substr(detail, 1, ?) = ?",
               (f"{prefix}(ชื่อที่แสดงลบพร้อมบัญชีแล้ว)", len(prefix), prefix))
    audit.record("user_delete", None, account.username, actor=actor, db=db)
    return account


def rename(db: sqlite3.Connection, username: str, display_name: str, *, actor: str) -> Account:
    """Give an account another display name and log the old and the new."""
    before = accounts.find(db, username)
    account = accounts.set_display_name(db, username, display_name)  # refuses an unknown name first
    change = f"{before.display_name or '—'} → {account.display_name or '—'}"
    audit.record("user_rename", None, f"{account.username}: {change}", actor=actor, db=db)
    return account


def reset_password(db: sqlite3.Connection, username: str, password: str, *, actor: str) -> Account:
    """Set a new password (every open session of the account ends) and log it."""
    account = accounts.set_password(db, username, password)
    audit.record("user_password", None, account.username, actor=actor, db=db)
    return account
