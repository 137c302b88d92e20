"""The site database is versioned: older ones upgrade themselves at start, newer ones are refused untouched.

tests/fixtures/km-0.9.sqlite3 was written by ขุมความรู้ 0.9 (before the schema had
a version) through the real site: two accounts (somchai, editor; admin, admin;
password publish_support.PASSWORD), one save of sick-leave (two revisions and an
audit line), one asset view, two searches (one empty) and a failed sign-in.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from conftest import app_config
from publish_support import login

from app import migrations
from app.migrations import SCHEMA_VERSION, SchemaTooNew
from indexer import __version__

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "km-0.9.sqlite3"


def _schema(path: Path) -> set[tuple]:
    conn = sqlite3.connect(path)
    try:
        return {(kind, name, " ".join((sql or "").split())) for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
    finally:
        conn.close()


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _start(tmp_path: Path, knowledge: Path):
    from app import create_app

    return create_app(app_config(tmp_path, knowledge))


@pytest.fixture
def old_instance(tmp_path: Path) -> Path:
    """An instance folder holding the 0.9 database."""
    database = tmp_path / "instance" / "km.sqlite3"
    database.parent.mkdir()
    shutil.copyfile(FIXTURE, database)
    return database


def test_the_fixture_is_from_before_versioning():
    assert _version(FIXTURE) == 0
    assert ("index", "asset_views_day") not in {(k, n) for k, n, _ in _schema(FIXTURE)}


def test_an_old_database_upgrades_itself_at_start_with_one_logged_line(tmp_path, knowledge_dir, old_instance,
                                                                       caplog):
    with caplog.at_level(logging.WARNING, logger="app.migrations"):
        app = _start(tmp_path, knowledge_dir)
    try:
        upgrades = [r.getMessage() for r in caplog.records if r.name == "app.migrations"]
        assert upgrades == [f"upgrading database {old_instance} from schema 1 (before versioning) to 8: "
                            "index the access counters by day (every access report selects a date range); "
                            "readers' feedback on assets and their knowledge requests for the KM team "
                            "(app/feedback.py); "
                            "keep the editor's summary of each change with its revision (shown in the history); "
                            "a closed fiscal year's figures as the KM team gave them to the auditor "
                            "(reports/records.py); a failed sign-in is forgotten once the pause has passed "
                            "with no new try (app/throttle.py); a KM team or admin sign-in ends after hours "
                            "without use (app/sign_ins.py); a plan's results report as the KM team gave it, "
                            "half-year or yearly (plans/report_records.py)"]
        assert _version(old_instance) == SCHEMA_VERSION == 8
        with app.app_context():
            from app.db import get_db

            db = get_db()
            assert [tuple(r) for r in db.execute("SELECT username, role FROM users ORDER BY username")] == [
                ("admin", "admin"), ("somchai", "editor")]
            assert [tuple(r) for r in db.execute("SELECT slug, rev, author FROM revisions ORDER BY rev")] == [
                ("sick-leave", 1, "(แก้ไขไฟล์โดยตรง)"), ("sick-leave", 2, "somchai")]
            assert [tuple(r) for r in db.execute("SELECT actor, action, slug, detail FROM audit_log")] == [
                ("somchai", "edit", "sick-leave", "ฉบับที่ 2")]
            assert tuple(db.execute("SELECT sum(searches), sum(empty) FROM search_queries").fetchone()) == (2, 1)
        client = app.test_client()
        assert login(client, "somchai").status_code == 302  # the 0.9 password hash still signs in
    finally:
        app.extensions["km"].stop()


def test_an_upgraded_database_equals_a_new_one(tmp_path, knowledge_dir, old_instance):
    _start(tmp_path, knowledge_dir).extensions["km"].stop()
    fresh_root = tmp_path / "fresh"
    _start(fresh_root, knowledge_dir).extensions["km"].stop()
    fresh = fresh_root / "instance" / "km.sqlite3"
    assert _version(fresh) == SCHEMA_VERSION
    assert _schema(old_instance) == _schema(fresh)


def test_a_current_database_starts_without_an_upgrade_line(tmp_path, knowledge_dir, old_instance, caplog):
    _start(tmp_path, knowledge_dir).extensions["km"].stop()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="app.migrations"):
        _start(tmp_path, knowledge_dir).extensions["km"].stop()
    assert not [r for r in caplog.records if r.name == "app.migrations"]


def test_a_new_database_is_created_at_the_current_version_without_an_upgrade_line(tmp_path, knowledge_dir,
                                                                                 caplog):
    with caplog.at_level(logging.WARNING, logger="app.migrations"):
        _start(tmp_path, knowledge_dir).extensions["km"].stop()
    assert _version(tmp_path / "instance" / "km.sqlite3") == SCHEMA_VERSION
    assert not [r for r in caplog.records if r.name == "app.migrations"]


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path, knowledge_dir, old_instance):
    conn = sqlite3.connect(old_instance)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = hashlib.sha256(old_instance.read_bytes()).hexdigest()
    with pytest.raises(SchemaTooNew) as refused:
        _start(tmp_path, knowledge_dir)
    assert str(refused.value) == (
        f"{old_instance}: ฐานข้อมูลนี้มาจากขุมความรู้รุ่นที่ใหม่กว่า (schema {SCHEMA_VERSION + 1}; รุ่น {__version__} "
        f"นี้รู้จักถึง schema {SCHEMA_VERSION}) "
        "จึงไม่เปิดใช้ เพื่อไม่ให้ข้อมูลเสียหาย กรุณาติดตั้งรุ่นที่ใหม่กว่า หรือกู้คืนจากไฟล์สำรองที่ทำด้วยรุ่นนี้ / "
        f"written by a newer version of ขุมความรู้ (schema {SCHEMA_VERSION + 1}; version {__version__} knows up to "
        f"schema {SCHEMA_VERSION}), so it was not "
        "opened and nothing was changed: install the newer version, or restore a backup made with this one.")
    assert hashlib.sha256(old_instance.read_bytes()).hexdigest() == before
    assert not old_instance.with_name("km.sqlite3-wal").exists()


def test_a_failing_migration_leaves_the_old_schema_and_version(tmp_path, old_instance, monkeypatch):
    from app.db import _SCHEMAS

    broken = (*migrations.MIGRATIONS, migrations.Migration(
        SCHEMA_VERSION + 1, "a broken step", "CREATE INDEX x ON no_such_table (a);"))
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    before = _schema(old_instance)
    conn = sqlite3.connect(old_instance)
    try:
        with pytest.raises(migrations.MigrationFailed) as failed:
            migrations.upgrade(conn, old_instance, _SCHEMAS)  # as at start: tables of newer areas first
    finally:
        conn.close()
    # it said "upgrading…" then showed a traceback, never that nothing was changed (upgrade review U10)
    assert f"upgrading to schema {SCHEMA_VERSION + 1} failed (no such table: main.no_such_table); nothing was " \
           "changed: the database is still at schema 1 and the previous version works with it." in str(failed.value)
    assert _version(old_instance) == 0
    assert _schema(old_instance) == before  # the earlier migrations were rolled back with it


def test_two_processes_starting_together_upgrade_once(old_instance, caplog):
    from app.db import _SCHEMAS, connect

    found: list[int] = []

    def start() -> None:
        conn = connect(old_instance)
        try:
            found.append(migrations.upgrade(conn, old_instance, _SCHEMAS))
        finally:
            conn.close()

    with caplog.at_level(logging.WARNING, logger="app.migrations"):
        threads = [threading.Thread(target=start) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(found) == [0, SCHEMA_VERSION]  # the second saw the first one's work
    assert len([r for r in caplog.records if r.name == "app.migrations"]) == 1


def test_a_connection_waits_while_another_writes_in_the_old_journal_mode(tmp_path):
    """Switching to WAL needs the database to itself, and SQLite says "locked" at once rather
    than wait: two processes starting on a database from before WAL (one upgrading it) made the
    other fail now and then (once in this project's CI runs). connect() waits for the writer instead."""
    from app.db import connect

    path = tmp_path / "km.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (1)")
    opened: list = []

    def start() -> None:
        try:
            conn = connect(path)
            opened.append(conn.execute("PRAGMA journal_mode").fetchone()[0])
            conn.close()
        except sqlite3.Error as exc:
            opened.append(exc)

    thread = threading.Thread(target=start)
    thread.start()
    time.sleep(0.3)  # the thread is trying meanwhile
    assert not opened
    writer.execute("COMMIT")
    writer.close()
    thread.join(timeout=15)
    assert opened == ["wal"]


def test_a_newer_version_still_in_the_write_ahead_log_is_refused_too(tmp_path, knowledge_dir, old_instance):
    writer = sqlite3.connect(old_instance)  # a newer version, still running: its change is only in -wal
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        assert migrations.stored_version(old_instance) == 0  # the file's header does not know yet
        refusal = f"schema {SCHEMA_VERSION + 1}; รุ่น {__version__} นี้รู้จักถึง schema {SCHEMA_VERSION}"
        with pytest.raises(SchemaTooNew, match=refusal):
            _start(tmp_path, knowledge_dir)
        assert writer.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert ("index", "asset_views_day") not in {(k, n) for k, n, _ in _schema(old_instance)}
    finally:
        writer.close()


def test_a_database_file_the_site_cannot_write_is_named_at_start(tmp_path, knowledge_dir, monkeypatch):
    """After a restore done as root, the -shm file SQLite had made with the database's read-only mode
    stopped every start with a traceback naming no file (outside review, operations)."""
    from app import create_app
    from app import db as site_db
    from indexer import SettingsError

    create_app(app_config(tmp_path, knowledge_dir)).extensions["km"].stop()
    shm = tmp_path / "instance" / "km.sqlite3-shm"
    shm.touch()
    monkeypatch.setattr(site_db.os, "access", lambda path, mode: Path(path) != shm)
    with pytest.raises(SettingsError, match=r"km\.sqlite3-shm: this process \(user .*\) cannot write it"):
        create_app(app_config(tmp_path, knowledge_dir))


def test_a_command_refused_a_newer_database_says_so_in_one_line(tmp_path, knowledge_dir, old_instance):
    """`flask --app app users list` (what deploy/km-cli runs) showed the refusal at the end of a 30-line
    traceback (upgrade review U9)."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    conn = sqlite3.connect(old_instance)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KM_")},
           "KM_INSTANCE_DIR": str(old_instance.parent), "KM_KNOWLEDGE_DIR": str(knowledge_dir),
           "KM_INDEX_DIR": str(tmp_path / "index"), "KM_SEMANTIC": "0", "KM_SECRET_KEY": "x" * 40}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "users", "list"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "Error: " in done.stderr
    assert f"written by a newer version of ขุมความรู้ (schema {SCHEMA_VERSION + 1};" in done.stderr
