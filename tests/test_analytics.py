"""Access evidence: views and searches counted per day, no reader identity, bots skipped, never breaking a page."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3

import pytest
from publish_support import login, make_user

from app import analytics, db
from indexer import dates

READER = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"}


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(dates, "today", lambda: day)
    return set_day


def signed_in_editor(app):
    make_user(app, "somchai", "editor")
    editor = app.test_client()
    assert login(editor, "somchai").status_code == 302
    return editor


def rows(app, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db.database_path(app))
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_asset_views_are_counted_per_asset_and_day(app, client, on_day):
    on_day(dt.date(2025, 1, 15))
    for reader in ("10.0.0.1", "10.0.0.2"):  # two readers (one reader's views count once a day)
        assert client.get("/assets/sick-leave", headers=READER, environ_base={"REMOTE_ADDR": reader}).status_code == 200
    on_day(dt.date(2025, 1, 16))
    client.get("/assets/sick-leave", headers=READER)
    client.get("/assets/complaint", headers=READER)
    assert rows(app, "SELECT slug, day, views FROM asset_views ORDER BY slug, day") == [
        ("complaint", "2025-01-16", 1), ("sick-leave", "2025-01-15", 2), ("sick-leave", "2025-01-16", 1)]


def test_no_reader_identity_is_stored(app, client):
    client.get("/assets/sick-leave", headers=READER, environ_base={"REMOTE_ADDR": "203.0.113.77"})
    client.get("/search?q=ลาป่วย", headers=READER, environ_base={"REMOTE_ADDR": "203.0.113.77"})
    columns = {c[1] for table in ("asset_views", "search_queries") for c in rows(app, f"PRAGMA table_info({table})")}
    assert columns == {"slug", "day", "views", "query", "searches", "empty"}
    files = [db.database_path(app), db.database_path(app).with_name("km.sqlite3-wal")]
    raw = b"".join(f.read_bytes() for f in files if f.exists())
    assert "ลาป่วย".encode() in raw  # the search itself is stored, so the file is the right one
    assert b"203.0.113.77" not in raw and b"Android" not in raw


@pytest.mark.parametrize("agent", ["Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0",
                                   "python-requests/2.32", "Mozilla/5.0 (compatible; bingbot/2.0)", ""])
def test_obvious_bots_are_not_counted(app, client, agent):
    client.get("/assets/sick-leave", headers={"User-Agent": agent})
    client.get("/search?q=ลาป่วย", headers={"User-Agent": agent})
    assert rows(app, "SELECT * FROM asset_views") == [] and rows(app, "SELECT * FROM search_queries") == []


def test_views_of_drafts_are_not_counted(app, client):
    from conftest import write_asset

    write_asset(client.application.extensions["km"].kb.settings.knowledge_dir, "palad/draft.md", status="draft")
    client.application.extensions["km"].kb.update()
    analytics_asset = client.application.extensions["km"].kb.asset("draft")
    with client.application.test_request_context("/assets/draft", headers=READER):
        analytics.record_view(analytics_asset)
        analytics.record_view(client.application.extensions["km"].kb.asset("sick-leave"))
    assert rows(app, "SELECT slug, views FROM asset_views") == [("sick-leave", 1)]


def test_head_requests_and_prefetches_are_not_counted(app, client):
    client.head("/assets/sick-leave", headers=READER)
    client.get("/assets/sick-leave", headers={**READER, "Sec-Purpose": "prefetch"})
    assert rows(app, "SELECT * FROM asset_views") == []


def test_searches_are_counted_normalised_with_those_that_found_nothing_certain(app, client, on_day):
    on_day(dt.date(2025, 2, 1))
    client.get("/search?q=ลาป่วย", headers=READER)
    client.get("/search?q=  ลาป่วย ", headers=READER)
    client.get("/search?q=ลาป่วย&page=2", headers=READER)  # paging is the same search
    client.get("/api/search?q=ค่าเช่าบ้าน", headers=READER)
    client.get("/search?department=palad", headers=READER)  # browsing without a query is no search
    client.get("/search?q=???", headers=READER)  # found nothing, but asked for no knowledge either
    # found something, but nothing that answers it: the reader was told "ไม่พบเรื่องที่ตรง"
    weak = client.get("/api/search?q=ค่าเช่าบ้านตอนลาป่วย", headers=READER).get_json()
    assert weak["total"] > 0 and weak["confident"] is False
    assert "ไม่พบเรื่องที่ตรง" in client.get("/search?q=ค่าเช่าบ้านตอนลาป่วย", headers=READER).get_data(as_text=True)
    assert rows(app, "SELECT query, day, searches, empty FROM search_queries ORDER BY query") == [
        ("???", "2025-02-01", 1, 0), ("ค่าเช่าบ้าน", "2025-02-01", 1, 1), ("ค่าเช่าบ้านตอนลาป่วย", "2025-02-01", 2, 2),
        ("ลาป่วย", "2025-02-01", 2, 0)]


def test_thai_digits_and_case_count_as_one_query():
    assert analytics.normalize_query(" ที่ ๙๕๑/๒๕๖๗  KM ") == analytics.normalize_query("ที่ 951/2567 km")
    assert len(analytics.normalize_query("ก" * 500)) == analytics.MAX_QUERY_LENGTH


def test_access_page_shows_totals_months_top_assets_and_missing_knowledge(app, client, on_day):
    on_day(dt.date(2024, 11, 3))
    client.get("/assets/sick-leave", headers=READER)
    on_day(dt.date(2025, 3, 9))
    client.get("/assets/sick-leave", headers=READER)
    client.get("/assets/complaint", headers=READER)
    client.get("/search?q=ค่าเช่าบ้าน", headers=READER)
    on_day(dt.date(2025, 10, 1))  # FY 2569: not in FY 2568
    client.get("/assets/complaint", headers=READER)
    html = signed_in_editor(app).get("/reports/access?fy=2568").get_data(as_text=True)
    assert '<strong id="views-total">3</strong>' in html and '<strong id="searches-total">1</strong>' in html
    assert "<tr><td>พ.ย. 2567</td><td class=\"num\">1</td><td class=\"num\">0</td></tr>" in html
    assert "<tr><td>มี.ค. 2568</td><td class=\"num\">2</td><td class=\"num\">1</td></tr>" in html
    top = html.split('id="top-h"')[1].split("</ol>")[0]
    assert top.index("การลาป่วยของพนักงานเทศบาล") < top.index("การร้องทุกข์")
    assert "<li><span>ค่าเช่าบ้าน</span> <span class=\"count\">1</span></li>" in html
    assert '<a href="/reports/access?fy=2569">2569</a></td><td class="num">1</td>' in html
    assert client.get("/api/indicators?fy=2568").get_json()["access"] == {"views": 3, "searches": 1}


def test_access_exports(client, on_day):
    on_day(dt.date(2025, 3, 9))
    client.get("/assets/sick-leave", headers=READER)
    response = client.get("/reports/export/access-assets.csv?fy=2568")
    assert response.data.decode("utf-8-sig").splitlines()[1] == "sick-leave,การลาป่วยของพนักงานเทศบาล,1"
    months = client.get("/reports/export/access-months.csv?fy=2568").data.decode("utf-8-sig").splitlines()
    assert months[1] == "ต.ค. 2567,0,0" and months[6] == "มี.ค. 2568,1,0" and len(months) == 13


def test_a_failing_counter_is_logged_and_the_page_still_renders(app, client, monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(db, "database_path", lambda _app: tmp_path / "missing-folder" / "km.sqlite3")
    with caplog.at_level(logging.WARNING, logger="app.analytics"):
        response = client.get("/assets/sick-leave", headers=READER)
        search = client.get("/search?q=ลาป่วย", headers=READER)
    assert response.status_code == 200 and "การลาป่วยของพนักงานเทศบาล" in response.get_data(as_text=True)
    assert search.status_code == 200
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "access counter failed (view of sick-leave not counted): OperationalError: unable to open database file",
        "access counter failed (search 'ลาป่วย' not counted): OperationalError: unable to open database file"]


def test_a_locked_database_does_not_hold_the_page(app, client, caplog):
    blocker = sqlite3.connect(db.database_path(app))
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, logger="app.analytics"):
            response = client.get("/assets/sick-leave", headers=READER)
    finally:
        blocker.rollback()
        blocker.close()
    assert response.status_code == 200
    assert "database is locked" in caplog.text


def test_unreadable_counters_show_a_notice_on_the_reports(client, monkeypatch, caplog):
    def broken():
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(db, "get_db", broken)
    response = client.get("/reports/access?fy=2568")
    assert response.status_code == 200
    assert "อ่านสถิติการเข้าถึงไม่ได้ชั่วคราว ระบบบันทึกสาเหตุไว้ให้ผู้ดูแลระบบแล้ว" in response.get_data(as_text=True)
    assert "could not read access counters for 2024-10-01 – 2025-09-30: disk I/O error" in caplog.text
    assert client.get("/reports/?fy=2568").status_code == 200


def test_one_reader_counts_once_per_asset_and_day_however_often_they_load_it(app, client, on_day):
    on_day(dt.date(2025, 1, 15))
    for _ in range(30):  # a script reloading the page with a browser's User-Agent
        other_reader = {"REMOTE_ADDR": "10.0.0.9"}
        assert client.get("/assets/sick-leave", headers=READER, environ_base=other_reader).status_code == 200
    client.get("/assets/complaint", headers=READER, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    client.get("/assets/sick-leave", headers=READER, environ_base={"REMOTE_ADDR": "10.0.0.10"})
    on_day(dt.date(2025, 1, 16))
    client.get("/assets/sick-leave", headers=READER, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert rows(app, "SELECT slug, day, views FROM asset_views ORDER BY slug, day") == [
        ("complaint", "2025-01-15", 1), ("sick-leave", "2025-01-15", 2), ("sick-leave", "2025-01-16", 1)]


def test_the_watcher_forgets_yesterdays_salt_and_marks_without_waiting_for_a_visit(tmp_path, knowledge_dir, on_day):
    """The salt lived on until the next day's first visit, so the 01:30 backup held the day (privacy review P5)."""
    import time

    from conftest import app_config

    from app import create_app

    watched = create_app(app_config(tmp_path / "watched", knowledge_dir, KM_WATCH_INTERVAL=0.05))
    try:
        on_day(dt.date(2025, 1, 15))
        watched.test_client().get("/assets/sick-leave", headers=READER)  # the first request starts the watcher
        assert rows(watched, "SELECT day FROM daily_salts") == [("2025-01-15",)]
        time.sleep(0.3)  # looks of the same day keep the day's salt
        assert rows(watched, "SELECT day FROM daily_salts") == [("2025-01-15",)]
        on_day(dt.date(2025, 1, 16))  # midnight; nobody visits
        deadline = time.monotonic() + 10
        while rows(watched, "SELECT COUNT(*) FROM daily_salts") != [(0,)]:
            assert time.monotonic() < deadline, "yesterday's salt is still there"
            time.sleep(0.05)
        assert rows(watched, "SELECT COUNT(*) FROM reader_marks") == [(0,)]
        assert rows(watched, "SELECT slug, views FROM asset_views") == [("sick-leave", 1)]  # the counts stay
    finally:
        watched.extensions["km"].stop()


def test_the_days_salt_and_marks_are_forgotten_the_next_day(app, client, on_day):
    on_day(dt.date(2025, 1, 15))
    client.get("/assets/sick-leave", headers=READER, environ_base={"REMOTE_ADDR": "203.0.113.77"})
    first_key = rows(app, "SELECT salt FROM daily_salts")
    assert rows(app, "SELECT day FROM reader_marks") == [("2025-01-15",)]
    on_day(dt.date(2025, 1, 16))
    client.get("/assets/complaint", headers=READER, environ_base={"REMOTE_ADDR": "203.0.113.77"})
    assert rows(app, "SELECT day FROM daily_salts") == [("2025-01-16",)]
    assert rows(app, "SELECT salt FROM daily_salts") != first_key
    assert rows(app, "SELECT day FROM reader_marks") == [("2025-01-16",)]
    raw = b"".join(f.read_bytes() for f in db.database_path(app).parent.glob("km.sqlite3*"))
    assert b"203.0.113.77" not in raw and b"Android" not in raw


def test_what_readers_typed_is_shown_only_to_the_km_team(app, client, on_day):
    on_day(dt.date(2025, 3, 9))
    client.get("/search?q=ประวัติของนายสมชาย", headers=READER)  # free text may name a person
    client.get("/search?q=ลาป่วย", headers=READER)
    public = client.get("/reports/access?fy=2568").get_data(as_text=True)
    assert '<strong id="searches-total">2</strong>' in public  # the count is public evidence…
    assert "นายสมชาย" not in public and "ลาป่วย</" not in public  # …what was typed is not
    assert public.count("คำค้นที่ผู้ใช้พิมพ์แสดงเฉพาะทีม KM ที่เข้าสู่ระบบแล้ว") == 2
    export = client.get("/reports/export/access-queries.csv?fy=2568")
    assert export.status_code == 403 and "นายสมชาย" not in export.get_data(as_text=True)
    editor = signed_in_editor(app)
    team = editor.get("/reports/access?fy=2568").get_data(as_text=True)
    assert "<li><span>ประวัติของนายสมชาย</span> <span class=\"count\">1</span></li>" in team
    csv = editor.get("/reports/export/access-queries.csv?fy=2568").data.decode("utf-8-sig").splitlines()
    assert csv[1:] == ["ประวัติของนายสมชาย,1,1", "ลาป่วย,1,0"]  # the second one found sick leave


def test_km_bot_pattern_replaces_the_built_in_list(tmp_path, knowledge_dir):
    from conftest import app_config

    from app import create_app

    site = create_app(app_config(tmp_path, knowledge_dir, KM_BOT_PATTERN="intranet-checker"))
    try:
        reader = site.test_client()
        reader.get("/search?q=ลาป่วย", headers={"User-Agent": "intranet-checker/2.1"})  # the site's own robot
        reader.get("/search?q=ลากิจ", headers={"User-Agent": "curl/8.5"})  # not a robot by this pattern
        reader.get("/search?q=ลาพักผ่อน", headers=READER)
        assert rows(site, "SELECT query FROM search_queries ORDER BY query") == [("ลากิจ",), ("ลาพักผ่อน",)]
    finally:
        site.extensions["km"].stop()


@pytest.fixture
def opened(monkeypatch):
    """The connections the counters open, in order (closed at the end, whoever owned them)."""
    made: list[sqlite3.Connection] = []
    connect = sqlite3.connect

    def counted(*args, **kwargs):
        made.append(connect(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(analytics.sqlite3, "connect", counted)
    yield made
    for conn in made:
        conn.close()


def test_counts_share_one_connection_that_the_site_closes_when_it_stops(app, client, opened):
    """A connection per count made SQLite checkpoint and sync the log whenever it closed the last one."""
    for query in ("ลาป่วย", "ลากิจ", "ลาคลอด"):
        client.get(f"/search?q={query}", headers=READER)
    client.get("/assets/sick-leave", headers=READER)
    assert len(opened) == 1
    assert rows(app, "SELECT COUNT(*) FROM search_queries") == [(3,)]
    assert rows(app, "SELECT slug, views FROM asset_views") == [("sick-leave", 1)]
    assert opened[0].execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    app.extensions["km"].stop()
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        opened[0].execute("SELECT 1")


def test_a_forked_worker_opens_its_own_counter_connection(app, client, opened, monkeypatch):
    client.get("/search?q=ลาป่วย", headers=READER)
    parent = analytics.os.getpid()
    monkeypatch.setattr(analytics.os, "getpid", lambda: parent + 1)  # what a gunicorn worker sees after the fork
    client.get("/search?q=ลากิจ", headers=READER)
    assert len(opened) == 2
    assert opened[0].execute("SELECT 1").fetchone() == (1,)  # the parent's is left to the parent, not closed
    assert rows(app, "SELECT COUNT(*) FROM search_queries") == [(2,)]


def test_yesterday_s_reader_marks_go_at_the_watcher_s_first_look_of_the_day_and_once(app, monkeypatch):
    """A backup at 01:30 held the whole previous day's salt and marks, deleted only at the next day's
    first view (privacy review P5); the watcher's look deletes them, once a day, not at every look."""
    import datetime as dt

    from app.db import get_db
    from indexer import dates

    chore = app.extensions["km"].every_look[-1]
    with app.app_context():
        db = get_db()
        db.execute("INSERT INTO daily_salts (day, salt) VALUES ('2026-12-06', 'x')")
        db.execute("INSERT INTO reader_marks (day, mark) VALUES ('2026-12-06', 'm')")
        db.commit()
        monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 12, 7))
        chore()
        assert db.execute("SELECT COUNT(*) FROM daily_salts").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM reader_marks").fetchone()[0] == 0
        db.execute("INSERT INTO daily_salts (day, salt) VALUES ('2026-12-06', 'late')")
        db.commit()
        chore()  # the same day: no write at every look
        assert db.execute("SELECT COUNT(*) FROM daily_salts").fetchone()[0] == 1
        monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 12, 8))
        chore()
        assert db.execute("SELECT COUNT(*) FROM daily_salts").fetchone()[0] == 0
