"""The audit log: every write is recorded with who and when; admins filter it and export CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import quote

from publish_support import csrf_token, read_form

from app import audit
from app.db import get_db


def _edit_title(client, title: str) -> None:
    values = read_form(client.get("/publish/sick-leave/edit").get_data(as_text=True))
    values["title"] = title
    assert client.post("/publish/sick-leave/edit", data=values).status_code == 302


def test_every_write_is_recorded_and_admins_can_filter(app, editor_client, admin_client):
    _edit_title(editor_client, "การลาป่วย (ปรับปรุง)")
    page = editor_client.get("/publish/sick-leave/disseminate").get_data(as_text=True)
    editor_client.post("/publish/sick-leave/disseminate",
                       data={"csrf_token": csrf_token(page), "channel": "website", "date": "2025-03-01",
                             "ref": "หน้าแรก"})
    page = editor_client.get("/publish/complaint/retire").get_data(as_text=True)
    editor_client.post("/publish/complaint/retire", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        rows = get_db().execute("SELECT actor, action, slug FROM audit_log ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [("somchai", "edit", "sick-leave"), ("somchai", "disseminate", "sick-leave"),
                                        ("somchai", "retire", "complaint")]
    everything = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "พบ 3 รายการ" in everything and "บันทึกการเผยแพร่" in everything and "เลิกใช้ (เก็บถาวร)" in everything
    only_retire = admin_client.get("/admin/audit?action=retire").get_data(as_text=True)
    assert "พบ 1 รายการ" in only_retire and "/assets/complaint" in only_retire
    assert "พบ 2 รายการ" in admin_client.get("/admin/audit?slug=sick-leave&actor=somchai").get_data(as_text=True)
    assert "พบ 0 รายการ" in admin_client.get("/admin/audit?since=2001-01-01&until=2001-12-31").get_data(as_text=True)
    assert "พบ 3 รายการ" in admin_client.get("/admin/audit?since=2000-01-01").get_data(as_text=True)
    page = admin_client.get("/admin/audit?since=2000-01-01").get_data(as_text=True)
    assert 'value="01/01/2543" placeholder="วว/ดด/ปปปป"' in page  # in the era and order of every other form


def test_bad_filter_date_is_a_400_naming_the_parameter(admin_client):
    response = admin_client.get("/admin/audit?since=เมื่อวาน")
    assert response.status_code == 400
    assert "since:" in response.get_data(as_text=True)


def test_csv_export_is_utf8_with_bom_and_defuses_formulas(app, admin_client):
    with app.app_context():
        audit.record("attach", "sick-leave", "=HYPERLINK(\"http://evil\")", actor="somchai")
        audit.record("edit", "sick-leave", "แก้ชื่อเรื่อง", actor="malee")
    response = admin_client.get("/admin/audit.csv?actor=somchai")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="km-audit-log.csv"; '
        f"filename*=UTF-8''{quote('เทศบาลตำบลบ้านสวนดอก-km-audit-log.csv', safe='')}")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["เวลา พ.ศ. (Asia/Bangkok)", "เวลา ISO (Asia/Bangkok)", "ผู้ใช้", "รายการที่ทำ", "รหัสรายการ",
                       "ขุมความรู้", "รายละเอียด"]
    assert len(rows) == 2
    assert rows[1][2:] == ["somchai", "แนบไฟล์", "attach", "sick-leave", "'=HYPERLINK(\"http://evil\")"]
    iso = dt.datetime.strptime(rows[1][1], "%Y-%m-%d %H:%M:%S")
    assert rows[1][0].endswith(f"{iso.year + 543} {iso:%H:%M}")  # the same moment in the Buddhist era
    with app.app_context():  # a copy of who did what leaving the site is itself traced (privacy review P10)
        exported = audit.entries(get_db(), audit.parse_filter({"action": "audit_export"}))[0]
    assert [(e.actor, e.detail) for e in exported] == [("admin", "1 รายการ")]


def test_user_changes_from_the_command_line_are_audited(app, runner):
    runner.invoke(args=["users", "create", "malee", "--role", "editor"], input="รหัสผ่านยาวพอแล้ว\n")
    runner.invoke(args=["users", "set-role", "malee", "admin"])
    with app.app_context():
        rows = [tuple(r) for r in get_db().execute("SELECT actor, action, detail FROM audit_log ORDER BY id")]
    assert rows == [("cli", "user_create", "malee (editor)"), ("cli", "user_role", "malee → admin")]


def test_the_log_names_people_as_the_menu_does_and_dates_as_every_page(app, admin_client, editor_client):
    """The log showed "somchai" beside a menu saying สมชาย ใจดี, and the dates in its details as typed:
    "2026-12-01" next to "31/01/2568" (wording review W11, W12)."""

    with app.app_context():
        get_db().execute("UPDATE users SET display_name = 'สมชาย ใจดี' WHERE username = 'somchai'")
        get_db().commit()
    page = editor_client.get("/publish/sick-leave/disseminate").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "channel": "circular", "date": "2025-02-03", "ref": "ว 1"}
    assert editor_client.post("/publish/sick-leave/disseminate", data=form).status_code == 302
    log = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "<td>สมชาย ใจดี (somchai)</td>" in log and ">สมชาย ใจดี (somchai)</option>" in log
    assert "หนังสือแจ้งเวียน 3 ก.พ. 2568 ว 1" in log and "2025-02-03" not in log
