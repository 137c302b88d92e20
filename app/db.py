"""The site's one embedded SQLite database (instance/km.sqlite3): accounts, counters, audit log.

Each area declares its tables with `register_schema(sql)` at import time of its
module; `init_app` creates them (CREATE TABLE IF NOT EXISTS) and then applies the
versioned migrations of `app/migrations.py` at start-up: a released table is never
edited here, it is changed by a migration. Connections are per request (flask.g),
in WAL mode so readers never block the writer.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from flask import Flask, current_app, g

from indexer import SettingsError, user_name

from . import migrations

_SCHEMAS: list[str] = []


def register_schema(sql: str) -> None:
    """Declare tables (idempotent SQL) that `init_app` creates at start-up."""
    if sql not in _SCHEMAS:
        _SCHEMAS.append(sql)


def database_path(app: Flask) -> Path:
    return Path(app.config.get("KM_DATABASE") or Path(app.extensions["km"].kb.settings.instance_dir) / "km.sqlite3")


# How long a connection waits for the database to be free (another process writing).
BUSY_SECONDS = 10


def connect(path: Path) -> sqlite3.Connection:
    """Open the database with the settings every connection needs."""
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, detect_types=sqlite3.PARSE_DECLTYPES)
    conn.row_factory = sqlite3.Row
    try:
        _write_ahead_log(conn)
    except sqlite3.Error:
        conn.close()
        raise
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
    return conn


def _write_ahead_log(conn: sqlite3.Connection) -> None:
    """Put the database in WAL mode. Leaving the old journal mode needs the database to itself,
    and SQLite answers "locked" at once instead of waiting (its busy handler is not called where
    waiting could deadlock): while another process still writes in the old mode, as when two
    start together on a database from before WAL and one is upgrading it, try again for up to
    BUSY_SECONDS. A database already in WAL mode answers at once."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def get_db() -> sqlite3.Connection:
    """The connection of the current request (opened on first use, closed at teardown)."""
    if "km_db" not in g:
        g.km_db = connect(database_path(current_app))
    return g.km_db


def close_db(_exc: BaseException | None = None) -> None:
    conn = g.pop("km_db", None)
    if conn is not None:
        conn.close()


def refuse_unwritable(path: Path) -> None:
    """Name the file of the database this process cannot write, before SQLite fails with "attempt to
    write a readonly database" and no file: a restore or copy done as root leaves the database, or
    the -wal and -shm files SQLite keeps beside it (made with the database's mode at the time), to
    another user, and the site then failed to start with a traceback naming none of them."""
    for file in (path.parent, path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and not os.access(file, os.W_OK):
            info = file.stat()
            raise SettingsError(f"{file}: this process (user {user_name(os.geteuid())}) cannot write it (owner "
                                f"{user_name(info.st_uid)}, mode {info.st_mode & 0o777:o}): give it to the site's "
                                "user, e.g. chown -R km:km on the instance folder")


def init_app(app: Flask) -> None:
    """Create the tables, upgrade an older schema (refusing a newer one), close connections after requests."""
    path = database_path(app)
    migrations.refuse_newer(path, migrations.stored_version(path))  # before connect() writes to the file
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_unwritable(path)
    conn = connect(path)
    try:
        migrations.upgrade(conn, path, _SCHEMAS)
    finally:
        conn.close()
    app.teardown_appcontext(close_db)
