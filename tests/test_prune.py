"""`flask km prune --before-fy`: what readers typed in years already reported goes, every count stays
(DEPLOY.md §9 gave an admin SQL to run by hand; outside review, privacy)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from app import analytics
from app.analytics import PRUNED_QUERIES as PRUNED
from app.db import database_path, get_db
from indexer import dates

SEARCHES = (("ลาป่วย", "2025-09-30", 3, 1), ("นางอรุณี 0812345678", "2025-09-30", 1, 1),
            ("เงินเดือน", "2025-09-29", 2, 0), ("ลาป่วย", "2025-10-01", 5, 0))
# closed at 23:30 on 30 Sep in Bangkok, and at 00:30 on 1 Oct (17:30 UTC on 30 Sep): FY 2568 and 2569
CLOSED_2568, CLOSED_2569 = "2025-09-30T16:30:00+00:00", "2025-09-30T17:30:00+00:00"


@pytest.fixture
def typed(app, monkeypatch):
    monkeypatch.setattr(dates, "utc_now", lambda: dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC))  # FY 2570
    with app.app_context():
        db = get_db()
        db.executemany("INSERT INTO search_queries (query, day, searches, empty) VALUES (?, ?, ?, ?)", SEARCHES)
        db.executemany("INSERT INTO asset_feedback (slug, day, helpful, comment) VALUES (?, ?, ?, ?)",
                       (("sick-leave", "2025-09-15", 0, "กรณีของนางอรุณี เลขบัญชี 123-4-56789-0"),
                        ("sick-leave", "2025-10-02", 1, "ชัดเจนดี")))
        db.executemany("INSERT INTO knowledge_requests (query, detail, created_at, last_asked_at, closed_at, "
                       "closed_by) VALUES (?, ?, ?, ?, ?, ?)",
                       (("ลาไปดูแลแม่", "แม่ของนายสมชาย ป่วย", "2025-08-01T01:00:00+00:00", "2025-08-01T01:00:00+00:00",
                         CLOSED_2568, "somchai"),
                        ("เบิกค่าเช่าบ้าน", "", "2025-08-02T01:00:00+00:00", "2025-08-02T01:00:00+00:00",
                         CLOSED_2569, "somchai"),
                        ("ลาศึกษาต่อ", "", "2025-08-03T01:00:00+00:00", "2025-08-03T01:00:00+00:00", None, None)))
        db.commit()
    return app


def counts(app) -> list:
    with app.app_context():
        years = [analytics.access_stats(*dates.fiscal_year_bounds(fy)) for fy in (2568, 2569)]
        db = get_db()
        return [[(s.searches, s.months, s.years) for s in years],
                [sum(n for _, n in s.empty_queries) for s in years],
                [tuple(r) for r in db.execute("SELECT day, helpful FROM asset_feedback ORDER BY id")]]


def test_a_dry_run_counts_and_changes_nothing(typed, runner):
    before = counts(typed)
    said = runner.invoke(args=["km", "prune", "--before-fy", "๒๕๖๙"])
    assert said.exit_code == 0, said.output
    assert ("ก่อน 1 ต.ค. 2568 (วันเริ่มปีงบประมาณ 2569): คำค้น 3 รายการ ใน 2 วัน · ความคิดเห็นของผู้อ่าน 1 รายการ · "
            "คำขอความรู้ที่ปิดแล้ว 1 รายการ") in said.output
    assert "ยังไม่ได้ลบ" in said.output and counts(typed) == before
    with typed.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM search_queries").fetchone()[0] == len(SEARCHES)


def test_prune_removes_the_words_and_keeps_every_count(typed, runner, editor_client):
    before = counts(typed)
    assert [searches for searches, _, _ in before[0]] == [6, 5] and before[1] == [2, 0]  # FY 2568, 2569
    site = sqlite3.connect(database_path(typed))  # a site worker's connection stays open: no checkpoint at close
    site.execute("SELECT COUNT(*) FROM search_queries").fetchone()
    said = runner.invoke(args=["km", "prune", "--before-fy", "2569", "--yes", "--user", "admin"])
    assert said.exit_code == 0 and "ลบแล้ว" in said.output, said.output
    assert counts(typed) == before  # searches per year and month, those that found nothing, every vote
    with typed.app_context():
        db = get_db()
        rows = db.execute("SELECT query, day, searches, empty FROM search_queries ORDER BY day, query")
        assert [tuple(r) for r in rows] == [(PRUNED, "2025-09-29", 2, 0), (PRUNED, "2025-09-30", 4, 2),
                                            ("ลาป่วย", "2025-10-01", 5, 0)]
        assert [r[0] for r in db.execute("SELECT comment FROM asset_feedback ORDER BY id")] == ["", "ชัดเจนดี"]
        assert [r[0] for r in db.execute("SELECT query FROM knowledge_requests ORDER BY id")] == [
            "เบิกค่าเช่าบ้าน", "ลาศึกษาต่อ"]  # closed in FY 2569 by Bangkok's clock, and the open one
        actor, detail = db.execute("SELECT actor, detail FROM audit_log WHERE action = 'prune'").fetchone()
        assert actor == "cli:admin" and detail.startswith("ก่อน 1 ต.ค. 2568: คำค้น 3 รายการ ใน 2 วัน")
        assert "อรุณี" not in detail
        # nor left in the file's free pages or its write-ahead log
        path = database_path(typed)
        stored = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for gone in ("0812345678", "123-4-56789-0", "แม่ของนายสมชาย"):
            assert gone.encode() not in stored, gone
        site.close()

        # a later prune (a search logged late, say) adds to the day's row, never a second one
        db.execute("INSERT INTO search_queries (query, day, searches, empty) VALUES ('ลากิจ', '2025-09-30', 1, 0)")
        db.commit()
    again = runner.invoke(args=["km", "prune", "--before-fy", "2569", "--yes"])
    assert "คำค้น 1 รายการ ใน 1 วัน" in again.output
    with typed.app_context():
        assert get_db().execute("SELECT searches FROM search_queries WHERE query = ? AND day = '2025-09-30'",
                                (PRUNED,)).fetchone()[0] == 5
    assert "ไม่มีข้อความให้ลบ" in runner.invoke(args=["km", "prune", "--before-fy", "2569"]).output
    page = editor_client.get("/reports/access?fy=2568").get_data(as_text=True)
    assert f"<span>{PRUNED} <small>" in page and "q=%28" not in page  # said, not a search to run


@pytest.mark.parametrize(("year", "message"), [
    ("2571", "ปีงบประมาณ 2571 ยังไม่เริ่ม"), ("68", "ปีงบประมาณต้องเป็นเลขสี่หลัก"), ("", "ปีงบประมาณต้องเป็นเลขสี่หลัก")])
def test_a_year_not_yet_begun_or_not_a_year_is_refused(typed, runner, year, message):
    said = runner.invoke(args=["km", "prune", "--before-fy", year, "--yes"])
    assert said.exit_code == 2 and message in said.output
    with typed.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM search_queries").fetchone()[0] == len(SEARCHES)
