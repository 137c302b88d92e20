"""Web user administration (/admin/users): the same rules and audit entries as `flask users`."""

from __future__ import annotations

from html import unescape

import pytest
from publish_support import PASSWORD, csrf_token, login, make_user

from app import accounts
from app.db import get_db

LAST_ADMIN = ('{doing}บัญชี "admin" ไม่ได้ เพราะเป็นผู้ดูแลระบบคนสุดท้ายที่ใช้งานได้ '
              "(เพิ่มหรือเปิดใช้ผู้ดูแลระบบอีกคนก่อน)")


TAKEN = ('ชื่อ "{name}" เป็นชื่อของผู้ใช้อีกบัญชีหนึ่งอยู่แล้ว กรุณาใช้ชื่ออื่น เช่น เพิ่มนามสกุลหรือตำแหน่ง '
         "เพื่อไม่ให้ประวัติการแก้ไขแสดงว่าเป็นงานของอีกคน")


def _token(client) -> str:
    return csrf_token(client.get("/admin/users").get_data(as_text=True))


def _post(client, path: str, **data):
    return client.post(f"/admin/users{path}", data={"csrf_token": _token(client), **data})


def _audit(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = get_db().execute("SELECT actor, action, detail FROM audit_log WHERE action LIKE 'user_%' ORDER BY id")
        return [tuple(r) for r in rows]


def _account(app, username: str):
    with app.app_context():
        return accounts.find(get_db(), username)


def test_only_admins_see_the_page(app, client, editor_client, admin_client, reader_client):
    assert client.get("/admin/users").status_code == 302
    for url in ("/admin/users", "/admin/audit"):
        refused = editor_client.get(url)
        # an editor is the KM team: told the page is the administrator's, not to join the KM team
        assert refused.status_code == 403 and "(ต้องเป็นผู้ดูแลระบบ)" in refused.get_data(as_text=True), url
    assert "ต้องเป็นทีม KM หรือผู้ดูแลระบบ" in reader_client.get("/publish/new").get_data(as_text=True)
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "somchai" in page and "ทีม KM (ผู้แก้ไข)" in page and "ผู้ดูแลระบบ" in page
    assert 'href="/admin/users"' in page  # in the admin's menu


def test_admin_creates_an_account_that_can_sign_in(app, admin_client):
    reply = _post(admin_client, "", username="Malee.K", display_name="นางมาลี ขยัน", role="editor",
                  password=PASSWORD, confirm=PASSWORD)
    assert reply.status_code == 302
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "สร้างผู้ใช้ malee.k (ทีม KM (ผู้แก้ไข)) แล้ว" in page and "นางมาลี ขยัน" in page
    assert _audit(app) == [("admin", "user_create", "malee.k (editor)")]
    assert login(app.test_client(), "malee.k").status_code == 302


@pytest.mark.parametrize("fields, message", [
    ({"username": "ม", "password": PASSWORD, "confirm": PASSWORD},
     "ชื่อผู้ใช้ต้องเป็น a-z 0-9 . _ - ยาว 2–40 ตัวอักษร และขึ้นต้นด้วยตัวอักษรหรือตัวเลข"),
    ({"username": "dang", "password": "short", "confirm": "short"}, "รหัสผ่านต้องยาวอย่างน้อย 8 ตัวอักษร"),
    ({"username": "dang", "password": PASSWORD, "confirm": PASSWORD + "x"}, "รหัสผ่านทั้งสองช่องไม่ตรงกัน"),
    ({"username": "ADMIN", "password": PASSWORD, "confirm": PASSWORD}, 'มีผู้ใช้ชื่อ "admin" อยู่แล้ว'),
    ({"username": "dang", "role": "boss", "password": PASSWORD, "confirm": PASSWORD},
     'ไม่รู้จักบทบาท "boss" ใช้ได้: reader, editor, admin'),
    ({"username": "dang", "display_name": "นาย" * 40, "password": PASSWORD, "confirm": PASSWORD},
     "ชื่อที่แสดงยาวได้ไม่เกิน 100 ตัวอักษร แต่พบ 120 ตัวอักษร"),
    ({"username": "dang", "password": "ก" * 201, "confirm": "ก" * 201}, "รหัสผ่านยาวได้ไม่เกิน 200 ตัวอักษร"),
])
def test_a_refused_account_says_why_and_logs_nothing(app, admin_client, fields, message):
    reply = _post(admin_client, "", **{"role": "editor", "display_name": "", **fields})
    assert _account(app, "dang") is None
    assert reply.status_code == 422
    assert message in unescape(reply.get_data(as_text=True))
    assert _audit(app) == []


def test_role_change_disable_enable_and_reset_are_logged(app, admin_client, editor_client):
    assert _post(admin_client, "/somchai/role", role="reader").status_code == 302
    assert _account(app, "somchai").role == "reader"
    assert _post(admin_client, "/somchai/disable").status_code == 302
    assert editor_client.get("/").status_code == 200 and "somchai" not in editor_client.get("/").get_data(as_text=True)
    assert _post(admin_client, "/somchai/enable").status_code == 302
    new_password = "รหัสใหม่ยาวพอ-2569"
    assert _post(admin_client, "/somchai/password", password=new_password, confirm=new_password).status_code == 302
    assert _audit(app) == [("admin", "user_role", "somchai → reader"), ("admin", "user_disable", "somchai"),
                           ("admin", "user_enable", "somchai"), ("admin", "user_password", "somchai")]
    assert login(app.test_client(), "somchai").status_code == 401
    assert login(app.test_client(), "somchai", new_password).status_code == 302


def test_the_admin_corrects_a_display_name_and_a_refused_one_says_why(app, admin_client, editor_client):
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert 'id="name-somchai"' in page and 'action="/admin/users/somchai/name"' in page
    reply = _post(admin_client, "/somchai/name", display_name="นายสมชาย  ใจดีมาก")
    assert reply.status_code == 302
    assert "somchai แสดงชื่อว่า นายสมชาย ใจดีมาก แล้ว" in admin_client.get("/admin/users").get_data(as_text=True)
    assert ">นายสมชาย ใจดีมาก</a>" in editor_client.get("/").get_data(as_text=True)  # the menu, at once
    refused = _post(admin_client, "/somchai/name", display_name="ก" * 101)
    assert refused.status_code == 422
    assert "somchai: ชื่อที่แสดงยาวได้ไม่เกิน 100 ตัวอักษร แต่พบ 101 ตัวอักษร" in refused.get_data(as_text=True)
    assert _post(admin_client, "/nobody/name", display_name="x").status_code == 422
    assert _audit(app) == [("admin", "user_rename", "somchai: — → นายสมชาย ใจดีมาก")]


def test_a_password_reset_ends_the_sessions_of_that_account(app, admin_client, editor_client):
    assert editor_client.get("/publish/new").status_code == 200
    new_password = "รหัสใหม่ยาวพอ-2569"
    assert _post(admin_client, "/somchai/password", password=new_password, confirm=new_password).status_code == 302
    assert editor_client.get("/publish/new").status_code == 302  # sent to sign in again


def test_the_cli_reset_ends_sessions_too(app, runner, editor_client):
    result = runner.invoke(args=["users", "set-password", "somchai", "--password-stdin"], input="อีกรหัสหนึ่ง-2569\n")
    assert result.exit_code == 0, result.output
    assert editor_client.get("/publish/new").status_code == 302
    assert _audit(app) == [("cli", "user_password", "somchai")]


def test_an_admin_resetting_their_own_password_stays_signed_in(app, admin_client):
    new_password = "รหัสใหม่ยาวพอ-2569"
    assert _post(admin_client, "/admin/password", password=new_password, confirm=new_password).status_code == 302
    assert admin_client.get("/admin/users").status_code == 200


@pytest.mark.parametrize("path, data, doing", [
    ("/admin/disable", {}, "ระงับ"), ("/admin/role", {"role": "editor"}, "เปลี่ยนบทบาทของ"),
])
def test_the_last_admin_cannot_disable_or_demote_themselves(app, admin_client, path, data, doing):
    reply = _post(admin_client, path, **data)
    assert reply.status_code == 422
    assert "admin: " + LAST_ADMIN.format(doing=doing) in unescape(reply.get_data(as_text=True))
    assert _account(app, "admin").is_admin and _audit(app) == []
    make_user(app, "second", "admin")
    assert _post(admin_client, path, **data).status_code == 302  # another admin remains


def test_the_cli_keeps_the_last_admin_too(app, runner):
    make_user(app, "admin", "admin")
    result = runner.invoke(args=["users", "disable", "admin"])
    assert result.exit_code == 1
    assert "Error: " + LAST_ADMIN.format(doing="ระงับ") in result.output
    result = runner.invoke(args=["users", "set-role", "admin", "reader"])
    assert "Error: " + LAST_ADMIN.format(doing="เปลี่ยนบทบาทของ") in result.output


def test_unknown_account_and_missing_csrf_are_refused(app, admin_client):
    reply = _post(admin_client, "/nobody/disable")
    assert reply.status_code == 422 and 'ไม่พบผู้ใช้ &#34;nobody&#34;' in reply.get_data(as_text=True)
    assert admin_client.post("/admin/users/admin/disable").status_code == 400
    assert _account(app, "admin").active


def test_the_commands_say_what_they_do_in_thai(runner):
    """`flask --app app users --help` described every command in English to a Thai IT officer
    (wording review W14)."""
    import re

    for group in (["users"], ["km"]):
        listed = runner.invoke(args=[*group, "--help"]).output.split("Commands:", 1)[1]
        rows = [line for line in listed.splitlines() if line.strip()]
        assert rows and all(re.search(r"[\u0E00-\u0E7F]", row) for row in rows), rows


def test_the_admin_cannot_give_an_account_a_name_another_shows(app, admin_client):
    """A copied display name puts one person's edits under another's name (privacy review P7)."""
    make_user(app, "somchai", "editor")
    with app.app_context():
        accounts.set_display_name(get_db(), "admin", "ผู้ดูแล หนึ่ง")
    renamed = _post(admin_client, "/somchai/name", display_name="ผู้ดูแล หนึ่ง")
    assert renamed.status_code == 422
    assert f"somchai: {TAKEN.format(name='ผู้ดูแล หนึ่ง')}" in unescape(renamed.get_data(as_text=True))
    created = _post(admin_client, "", username="malee", display_name="ผู้ดูแล หนึ่ง", role="editor",
                    password=PASSWORD, confirm=PASSWORD)
    assert created.status_code == 422
    assert TAKEN.format(name="ผู้ดูแล หนึ่ง") in unescape(created.get_data(as_text=True))
    assert _account(app, "somchai").display_name == "" and _account(app, "malee") is None
    assert _audit(app) == []
