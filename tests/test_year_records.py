"""A closed fiscal year's figures as the KM team gave them to the auditor, and every change since
(outside review, the auditor's second visit: FY 2569's goals fell from 8 to 5 assets and from 4 to 2
departments through ordinary edits, with nothing on any page, printout or PDF to say so)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import write_asset
from publish_support import csrf_token, login, make_user, read_form

from app.db import get_db
from app.reports.records import NOW_A_DRAFT
from indexer import closed_years_moved, dates, differences, parse_asset, recorded_figures

TODAY = dt.date(2026, 12, 7)  # fiscal 2570: 2568 and 2569 are closed


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: TODAY)


def record(client, fy: int, note: str | None = None):
    page = client.get(f"/reports/?fy={fy}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), **({"note": note} if note is not None else {})}
    return client.post(f"/reports/record?fy={fy}", data=data, follow_redirects=True)


def edit(client, slug: str, **changes) -> None:
    values = read_form(client.get(f"/publish/{slug}/edit").get_data(as_text=True))
    values.update(changes)
    assert client.post(f"/publish/{slug}/edit", data=values).status_code == 302


def test_a_recorded_year_shows_each_item_that_came_or_went_since_to_every_reader(app, editor_client, client):
    page = client.get("/reports/?fy=2568").get_data(as_text=True)
    assert "ทีม KM ยังไม่ได้บันทึกตัวเลขที่ส่งผู้ตรวจ" in page and 'action="/reports/record' not in page
    printed = client.get("/reports/print?fy=2568").get_data(as_text=True)  # a note to the team, not for paper
    assert "ยังไม่ได้บันทึกตัวเลข" not in printed and "1.1 ตัวเลขที่บันทึกไว้" not in printed
    assert "ตัวเลขวันนี้ตรงกับที่บันทึกไว้ทุกเป้าประสงค์" in record(editor_client, 2568).get_data(as_text=True)
    edit(editor_client, "sick-leave", department="finance", summary="ย้ายไปกองคลัง")
    page = client.get("/reports/?fy=2568").get_data(as_text=True)  # the auditor's reader account
    assert "ตัวเลขวันนี้ต่างจากที่บันทึกไว้" in page
    changed = page.split('class="year-changes"', 1)[1].split("</section>", 1)[0]
    assert 'data-goal="2"' in changed and 'data-goal="1"' not in changed  # goal 1 still counts it
    assert "<li>กองคลัง: การลาป่วยของพนักงานเทศบาล</li>" in changed
    assert "<li>สำนักปลัดเทศบาล: การลาป่วยของพนักงานเทศบาล</li>" in changed
    printed = client.get("/reports/print?fy=2568").get_data(as_text=True)
    assert "1.1 ตัวเลข ณ วันที่ส่งรายงาน (ฉบับที่บันทึกไว้)" in printed and "<li>กองคลัง: การลาป่วยของพนักงานเทศบาล</li>" in printed
    assert 'action="/reports/record' not in printed


def test_recording_again_asks_why_and_keeps_every_record(app, editor_client, client):
    with app.app_context():  # readers see who recorded by the name the menu shows, not the sign-in name
        get_db().execute("UPDATE users SET display_name = 'สมชาย ใจดี' WHERE username = 'somchai'")
        get_db().commit()
    record(editor_client, 2568)
    shown = client.get("/reports/?fy=2568").get_data(as_text=True)
    assert "น. โดย สมชาย ใจดี" in shown and "somchai" not in shown
    edit(editor_client, "sick-leave", department="finance", summary="ย้ายไปกองคลัง")
    page = record(editor_client, 2568, note="").get_data(as_text=True)
    assert "บอกเหตุผลที่บันทึกตัวเลขของปีนี้ใหม่" in page and "ตัวเลขวันนี้ต่างจากที่บันทึกไว้" in page
    page = record(editor_client, 2568, note="ส่งฉบับแก้ไขให้ผู้ตรวจ").get_data(as_text=True)
    assert "ตัวเลขวันนี้ตรงกับที่บันทึกไว้ทุกเป้าประสงค์" in page and "บันทึกทั้งหมด 2 ครั้ง" in page
    assert "(ส่งฉบับแก้ไขให้ผู้ตรวจ)" in page
    with app.app_context():
        rows = get_db().execute("SELECT action, detail FROM audit_log WHERE action = 'record_year'").fetchall()
    assert [r[1] for r in rows] == [
        "ปีงบประมาณ 2568: เป้าประสงค์ที่ 1 = 2, เป้าประสงค์ที่ 2 = 2, เป้าประสงค์ที่ 3 = 1",
        "ปีงบประมาณ 2568: เป้าประสงค์ที่ 1 = 2, เป้าประสงค์ที่ 2 = 1, เป้าประสงค์ที่ 3 = 1 (ส่งฉบับแก้ไขให้ผู้ตรวจ)"]


def test_only_the_km_team_records_and_only_a_closed_year(app, editor_client, client):
    make_user(app, "auditor", "reader")
    login(client, "auditor")
    page = client.get("/reports/?fy=2568").get_data(as_text=True)
    assert 'action="/reports/record' not in page
    response = client.post("/reports/record?fy=2568", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 403
    assert record(editor_client, 2570).status_code == 400  # the year is still running
    assert 'action="/reports/record' not in editor_client.get("/reports/?fy=2570").get_data(as_text=True)
    page = editor_client.get("/reports/?fy=2569").get_data(as_text=True)
    assert editor_client.post("/reports/record?fy=2569", data={}).status_code == 400  # no CSRF token
    assert 'action="/reports/record?fy=2569"' in page
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM year_records").fetchone()[0] == 0


def test_an_item_whose_asset_is_a_draft_now_is_not_named_to_readers(app, editor_client, client):
    record(editor_client, 2568)
    edit(editor_client, "procurement-checklist", status="draft", summary="ถอนไปตรวจทาน")
    page = client.get("/reports/?fy=2568").get_data(as_text=True)
    assert NOW_A_DRAFT in page and "แบบตรวจสอบการจัดซื้อจัดจ้าง" not in page
    assert "แบบตรวจสอบการจัดซื้อจัดจ้าง" in editor_client.get("/reports/?fy=2568").get_data(as_text=True)


def test_which_closed_years_a_change_moves(app, tmp_path):
    config = app.extensions["km_reports"].config
    vocab = app.extensions["km"].kb.vocab

    def asset(**fields):
        path = write_asset(tmp_path / "k", "palad/a.md", title="เรื่อง", asset_type="procedure", **fields)
        return parse_asset(path.read_text(encoding="utf-8"), "palad/a.md", vocab)

    old = asset(published="2025-01-15", dissemination=[{"channel": "circular", "date": "2026-03-01"}])
    assert closed_years_moved(old, old, TODAY, config) == []
    assert closed_years_moved(old, asset(published="2025-01-15", department="finance",
                                         dissemination=[{"channel": "circular", "date": "2026-03-01"}]),
                              TODAY, config) == [2568]
    late = asset(published="2025-01-15", dissemination=[{"channel": "circular", "date": "2026-03-01"},
                                                        {"channel": "email", "date": "2026-09-30"}])
    assert closed_years_moved(old, late, TODAY, config) == [2569]
    assert closed_years_moved(old, None, TODAY, config) == [2568, 2569]  # deleted
    assert closed_years_moved(None, asset(published="2026-10-01"), TODAY, config) == []  # fiscal 2570 is open
    # a draft of a closed year's September published in October added nothing to that year, and adds nothing
    draft = asset(published="2026-09-25", status="draft")
    assert closed_years_moved(draft, asset(published="2026-10-01"), TODAY, config) == []
    assert closed_years_moved(asset(published="2026-10-01"), draft, TODAY, config) == []
    assert closed_years_moved(draft, asset(published="2026-09-25"), TODAY, config) == [2569]  # this one does


def test_differences_compare_items_by_key_and_refuse_a_record_they_cannot_read(app, knowledge_dir):
    from indexer import compute_report

    kb = app.extensions["km"].kb
    config = app.extensions["km_reports"].config
    assets = app.extensions["km_reports"].catalogue.load().assets
    now = recorded_figures(compute_report(assets, 2568, kb.vocab, config), kb.vocab)
    assert [g.changed for g in differences(now, now)] == [False, False, False]
    fewer = compute_report([a for a in assets if a.slug != "sick-leave"], 2568, kb.vocab, config)
    goal1 = differences(now, recorded_figures(fewer, kb.vocab))[0]
    assert (goal1.value_then, goal1.value_now, goal1.added) == (2, 1, ())
    assert goal1.removed == (("sick-leave", "การลาป่วยของพนักงานเทศบาล"),)
    assert differences({**now, "format": 99}, now) is None


def test_a_level_moved_with_the_same_items_is_a_change(app):
    """A department added to the vocabulary moves a closed year's goal-2 level when its bound is `all`
    (every department): same value, same items, another level; the recorded year must show it."""
    from indexer import compute_report

    kb = app.extensions["km"].kb
    config = app.extensions["km_reports"].config
    now = recorded_figures(compute_report(app.extensions["km_reports"].catalogue.load().assets, 2568, kb.vocab,
                                          config), kb.vocab)
    then = {**now, "goals": [{**g, "level": g["level"] + 1} if g["goal"] == 2 else g for g in now["goals"]]}
    goal2 = differences(then, now)[1]
    assert (goal2.value_then == goal2.value_now, goal2.level_then - goal2.level_now, goal2.changed) == (True, 1, True)


def test_the_record_survives_a_sign_out_and_another_editor(app, editor_client):
    record(editor_client, 2568)
    make_user(app, "malee", "editor")
    other = app.test_client()
    login(other, "malee")
    page = other.get("/reports/?fy=2568").get_data(as_text=True)
    assert "โดย ทีม KM" in page and "somchai" not in page and "บันทึกตัวเลขวันนี้เป็นฉบับใหม่" in page


def test_recording_keeps_each_counted_files_version_so_a_later_hand_edit_can_be_compared(app, editor_client,
                                                                                         client, knowledge_dir):
    """A hand edit after the auditor's visit left no trace: the version that counted was never stored, and
    the history page could show only "not in the history yet" (auditor's second visit, U6)."""
    assert "ยังไม่อยู่ในประวัติ" in editor_client.get("/publish/sick-leave/history").get_data(as_text=True)
    page = record(editor_client, 2568).get_data(as_text=True)
    assert "และเก็บฉบับปัจจุบันของ 2 เรื่องที่นับไว้ในประวัติการแก้ไข" in page
    path = knowledge_dir / "palad" / "sick-leave.md"
    path.write_text(path.read_text(encoding="utf-8").replace("department: palad", "department: finance"),
                    encoding="utf-8")
    app.extensions["km"].refresh()
    history = editor_client.get("/publish/sick-leave/history").get_data(as_text=True)
    assert "ยังไม่อยู่ในประวัติ" in history and 'name="a" value="1"' in history
    diff = editor_client.get("/publish/sick-leave/diff?a=1&b=current").get_data(as_text=True)
    assert "สำนักปลัดเทศบาล" in diff and "กองคลัง" in diff
    again = record(editor_client, 2568, note="ส่งฉบับแก้ไข").get_data(as_text=True)
    assert "เก็บฉบับปัจจุบันของ 1 เรื่องที่นับ" in again  # the hand-edited file; the other is kept already
