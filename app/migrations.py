"""Versioned schema of the site database: ordered migrations, recorded in SQLite's `user_version`.

Schema 1 is the tables each area declares with `db.register_schema` (CREATE TABLE
IF NOT EXISTS), exactly as ขุมความรู้ 0.9 created them before the schema had a
version (`user_version` 0). A declared table is never edited after release:
every later change to it is a `Migration` appended to `MIGRATIONS`. A new
database and an upgraded one therefore run the same statements in the same order
and end up identical (tests/test_migrations.py compares them).

Upgrades run at start-up, once, in one IMMEDIATE transaction (so two processes
starting together cannot both migrate, and a failure leaves the old schema
intact), and log one line. A database written by a newer version is refused
before anything is written to it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import click

log = logging.getLogger(__name__)
BASELINE = 1


@dataclass(frozen=True)
class Migration:
    """One change to the schema: the version it produces, why, and its SQL."""

    version: int
    reason: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "index the access counters by day (every access report selects a date range)", """
        CREATE INDEX IF NOT EXISTS asset_views_day ON asset_views (day);
        CREATE INDEX IF NOT EXISTS search_queries_day ON search_queries (day);
    """),
    Migration(3, "readers' feedback on assets and their knowledge requests for the KM team (app/feedback.py)", """
        CREATE TABLE IF NOT EXISTS asset_feedback (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL,
            day TEXT NOT NULL,                -- ISO date (Bangkok) of the vote; no name, address or cookie
            helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
            comment TEXT NOT NULL DEFAULT '',
            handled_by TEXT                   -- the KM team member who read the comment
        );
        CREATE INDEX IF NOT EXISTS asset_feedback_slug ON asset_feedback (slug, day);
        CREATE TABLE IF NOT EXISTS knowledge_requests (
            id INTEGER PRIMARY KEY,
            query TEXT NOT NULL,              -- normalised, so the same request is asked once
            detail TEXT NOT NULL DEFAULT '',
            asks INTEGER NOT NULL DEFAULT 1,  -- readers who asked for it while it was open
            created_at TEXT NOT NULL,         -- UTC
            last_asked_at TEXT NOT NULL,
            closed_at TEXT,
            closed_by TEXT
        );
        CREATE UNIQUE INDEX IF NOT EXISTS knowledge_requests_open ON knowledge_requests (query)
            WHERE closed_at IS NULL;
        CREATE TABLE IF NOT EXISTS reader_marks (
            day TEXT NOT NULL,                -- marks live one day: salted hashes, never a name or address
            mark TEXT NOT NULL,
            uses INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (day, mark)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS daily_salts (
            day TEXT PRIMARY KEY,             -- deleted with the day's marks: yesterday's hashes can't be redone
            salt TEXT NOT NULL
        );
    """),
    Migration(4, "keep the editor's summary of each change with its revision (shown in the history)", """
        ALTER TABLE revisions ADD COLUMN summary TEXT NOT NULL DEFAULT '';
    """),
    Migration(5, "a closed fiscal year's figures as the KM team gave them to the auditor (reports/records.py)", """
        CREATE TABLE IF NOT EXISTS year_records (
            id INTEGER PRIMARY KEY,
            fiscal_year INTEGER NOT NULL,     -- BE
            recorded_at TEXT NOT NULL,        -- UTC
            recorded_by TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',    -- why it was recorded again
            figures TEXT NOT NULL             -- JSON of indexer.recorded_figures
        );
        CREATE INDEX IF NOT EXISTS year_records_year ON year_records (fiscal_year, id);
    """),
    Migration(6, "a failed sign-in is forgotten once the pause has passed with no new try (app/throttle.py)", """
        ALTER TABLE login_failures ADD COLUMN last_try REAL NOT NULL DEFAULT 0;
    """),
    Migration(7, "a KM team or admin sign-in ends after hours without use (app/sign_ins.py)", """
        ALTER TABLE sign_ins ADD COLUMN last_seen REAL NOT NULL DEFAULT 0;
    """),
    Migration(8, "a plan's results report as the KM team gave it, half-year or yearly (plans/report_records.py)", """
        CREATE TABLE IF NOT EXISTS plan_report_records (
            id INTEGER PRIMARY KEY,
            fiscal_year INTEGER NOT NULL,     -- BE
            plan_key TEXT NOT NULL,
            as_of TEXT NOT NULL,              -- ISO date the report was made up to
            label TEXT NOT NULL,              -- half | year | other
            recorded_at TEXT NOT NULL,        -- UTC
            recorded_by TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            figures TEXT NOT NULL             -- JSON of indexer.recorded_results
        );
        CREATE INDEX IF NOT EXISTS plan_report_records_year ON plan_report_records (fiscal_year, id);
    """),
)
SCHEMA_VERSION = MIGRATIONS[-1].version if MIGRATIONS else BASELINE


class SchemaTooNew(click.ClickException):
    """The database was written by a newer version; opening it could damage it. (A ClickException:
    a command of `flask --app app` says so in one line, not at the end of a traceback.)"""


class MigrationFailed(click.ClickException):
    """A migration failed; the transaction was rolled back, so the file is as it was."""


def stored_version(path: Path) -> int | None:
    """The schema version in the file's header, read without opening it with SQLite (None: no database).

    Even a read-only SQLite connection creates -wal and -shm files beside a WAL
    database; a file we may refuse must not be touched. `upgrade` checks again
    under the write lock, which also sees changes still in the -wal file.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None  # empty or not SQLite: connect() reports it
    return int.from_bytes(header[60:64], "big", signed=True)  # "user version", offset 60 of the header


def refuse_newer(path: Path, version: int | None) -> None:
    """Raise SchemaTooNew (Thai and English) when `version` is beyond what this code knows."""
    if version is None or version <= SCHEMA_VERSION:
        return
    from indexer import __version__

    raise SchemaTooNew(
        f"{path}: ฐานข้อมูลนี้มาจากขุมความรู้รุ่นที่ใหม่กว่า (schema {version}; รุ่น {__version__} นี้รู้จักถึง "
        f"schema {SCHEMA_VERSION}) จึงไม่เปิดใช้ เพื่อไม่ให้ข้อมูลเสียหาย กรุณาติดตั้งรุ่นที่ใหม่กว่า "
        f"หรือกู้คืนจากไฟล์สำรองที่ทำด้วยรุ่นนี้ / written by a newer version of ขุมความรู้ (schema {version}; "
        f"version {__version__} knows up to schema {SCHEMA_VERSION}), so it was not opened and nothing was "
        f"changed: install the newer version, or restore a backup made with this one.")


def upgrade(conn: sqlite3.Connection, path: Path, declared: Iterable[str]) -> int:
    """Bring the database to SCHEMA_VERSION; return the version it had (0: new or before versioning)."""
    conn.isolation_level = None  # we issue BEGIN/COMMIT ourselves; DDL is transactional in SQLite
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = conn.execute("PRAGMA user_version").fetchone()[0]  # again, now that we hold the write lock
        refuse_newer(path, found)
        existing = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        for sql in declared:  # new tables of new areas too; existing tables are left alone
            _run_script(conn, sql)
        pending = [m for m in MIGRATIONS if m.version > max(found, BASELINE)]
        if existing and found < SCHEMA_VERSION:
            log.warning("upgrading database %s from schema %d%s to %d: %s", path, max(found, BASELINE),
                        " (before versioning)" if found == 0 else "", SCHEMA_VERSION,
                        "; ".join(m.reason for m in pending) or "record the schema version")
        for migration in pending:
            _run_script(conn, migration.sql)
        if found != SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        before = conn.execute("PRAGMA user_version").fetchone()[0]
        raise MigrationFailed(
            f"{path}: ปรับฐานข้อมูลเป็น schema {SCHEMA_VERSION} ไม่สำเร็จ ({exc}) จึงไม่ได้เปลี่ยนอะไรเลย ฐานข้อมูลยังเป็น "
            f"schema {max(before, BASELINE)} และใช้กับรุ่นเดิมได้ตามเดิม / upgrading to schema {SCHEMA_VERSION} failed "
            f"({exc}); nothing was changed: the database is still at schema {max(before, BASELINE)} and the previous "
            "version works with it.") from exc
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.isolation_level = ""
    return found


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute each statement of `script` inside the open transaction (executescript would commit it)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in a schema: {statement.strip()[:80]!r}")
