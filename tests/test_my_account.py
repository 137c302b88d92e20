"""One's own account (/account): the name shown, a new password only with the old one, every other
browser signed out by it (this one kept), wrong old passwords paused apart from sign-in, and "sign
out the other browsers" without a new password."""

from __future__ import annotations

from html import unescape

import pytest
from conftest import app_config
from publish_support import PASSWORD, csrf_token, login, make_user

from app import accounts, create_app
from app.db import get_db

NEW_PASSWORD = "รหัสผ่านของฉันเอง-2569"
TAKEN = ('ชื่อ "{name}" เป็นชื่อของผู้ใช้อีกบัญชีหนึ่งอยู่แล้ว กรุณาใช้ชื่ออื่น เช่น เพิ่มนามสกุลหรือตำแหน่ง '
         "เพื่อไม่ให้ประวัติการแก้ไขแสดงว่าเป็นงานของอีกคน")


@pytest.fixture
def site(tmp_path, knowledge_dir):
    app = create_app(app_config(tmp_path, knowledge_dir, KM_LOGIN_MAX_FAILURES=3))
    make_user(app, "somchai", "editor")
    make_user(app, "wanida", "reader")
    yield app
    app.extensions["km"].stop()


def browser(app, name: str = "somchai", password: str = PASSWORD):
    client = app.test_client()
    assert login(client, name, password).status_code == 302
    assert client.get("/account").status_code == 200
    return client


def change(client, current: str, new: str, confirm: str | None = None):
    token = csrf_token(client.get("/account").get_data(as_text=True))
    return client.post("/account/password", data={"csrf_token": token, "current": current, "password": new,
                                                  "confirm": new if confirm is None else confirm})


def signed_out(client) -> bool:
    reply = client.get("/account")
    return reply.status_code == 302 and reply.headers["Location"].startswith("/auth/login")


def audit_actions(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(r["actor"], r["action"], r["detail"])
                for r in get_db().execute("SELECT actor, action, detail FROM audit_log ORDER BY id")]


def test_the_page_needs_a_sign_in_and_the_menu_links_to_it(site):
    assert signed_out(site.test_client())
    client = browser(site)
    page = client.get("/account").get_data(as_text=True)
    assert "somchai" in page and "ทีม KM (ผู้แก้ไข)" in page and "1 เครื่อง" in page
    assert 'href="/account"' in client.get("/").get_data(as_text=True)
    assert 'href="/account"' not in site.test_client().get("/").get_data(as_text=True)


def test_a_new_password_keeps_this_browser_and_signs_out_the_others(site):
    here, phone = browser(site), browser(site)
    page = here.get("/account").get_data(as_text=True)
    assert "2 เครื่อง" in page and page.count("<li>ตั้งแต่ ") == 2 and page.count("· เครื่องนี้") == 1
    reply = change(here, PASSWORD, NEW_PASSWORD)
    assert reply.status_code == 302 and reply.headers["Location"] == "/account"
    assert "เปลี่ยนรหัสผ่านแล้ว" in here.get("/account").get_data(as_text=True)
    assert not signed_out(here) and here.get("/publish/new").status_code == 200
    assert signed_out(phone)
    assert login(site.test_client(), "somchai", PASSWORD).status_code == 401
    assert login(site.test_client(), "somchai", NEW_PASSWORD).status_code == 302
    assert ("somchai", "user_password", "somchai") in audit_actions(site)


def test_a_reader_account_changes_its_own_password_too(site):
    client = browser(site, "wanida")
    assert change(client, PASSWORD, NEW_PASSWORD).status_code == 302
    assert login(site.test_client(), "wanida", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("current", "new", "confirm", "field", "message"), [
    ("ผิด-ไม่ใช่รหัสนี้", NEW_PASSWORD, None, "current", "รหัสผ่านปัจจุบันไม่ถูกต้อง"),
    (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "confirm", "รหัสผ่านทั้งสองช่องไม่ตรงกัน"),
    (PASSWORD, "สั้นไป", None, "password", f"อย่างน้อย {accounts.MIN_PASSWORD_CHARS} ตัวอักษร"),
    (PASSWORD, "ก" * (accounts.MAX_PASSWORD_CHARS + 1), None, "password",
     f"ไม่เกิน {accounts.MAX_PASSWORD_CHARS} ตัวอักษร"),
    (PASSWORD, PASSWORD, None, "password", "ต้องไม่ซ้ำกับรหัสผ่านเดิม"),
    ("", "", "", "current", "กรุณากรอกรหัสผ่านปัจจุบัน"),  # every box empty: it said only "8 characters"
    ("", NEW_PASSWORD, None, "current", "กรุณากรอกรหัสผ่านปัจจุบัน"),
])
def test_a_refused_change_says_why_beside_the_field_and_changes_nothing(site, current, new, confirm, field, message):
    here, phone = browser(site), browser(site)
    reply = change(here, current, new, confirm)
    assert reply.status_code == 422
    page = reply.get_data(as_text=True)
    assert f'id="{field}-error">' in page and message in page
    assert all(p not in page for p in (current, new) if p)  # no password is ever written back into the page
    assert not signed_out(here) and not signed_out(phone)
    assert login(site.test_client(), "somchai", PASSWORD).status_code == 302
    assert not any(action == "user_password" for _, action, _ in audit_actions(site))


def test_wrong_old_passwords_pause_the_form_but_never_the_sign_in(site):
    client = browser(site)
    replies = [change(client, f"เดา-{n}-ผิดทุกครั้ง", NEW_PASSWORD).status_code for n in range(4)]
    assert replies == [422, 422, 429, 429]  # KM_LOGIN_MAX_FAILURES=3: the third wrong try starts the pause
    paused = change(client, PASSWORD, NEW_PASSWORD)  # even the right one waits
    assert paused.status_code == 429 and "ใส่รหัสผ่านปัจจุบันผิดหลายครั้งเกินไป กรุณารอ 5 นาที" in paused.get_data(as_text=True)
    assert login(site.test_client(), "somchai", PASSWORD).status_code == 302  # signing in is not paused
    assert login(site.test_client(), "somchai", NEW_PASSWORD).status_code == 401


def test_signing_out_the_other_browsers_keeps_this_one_and_the_password(site):
    here, phone, tablet = browser(site), browser(site), browser(site)
    other_account = browser(site, "wanida")
    with site.app_context():  # a sign-in long expired, still in the table: no browser to count
        get_db().execute("INSERT INTO sign_ins (token, user_id, started) VALUES ('old', ?, 0)",
                         (accounts.find(get_db(), "somchai").id,))
        get_db().commit()
    token = csrf_token(here.get("/account").get_data(as_text=True))
    reply = here.post("/account/sign-out-others", data={"csrf_token": token}, follow_redirects=True)
    assert "ออกจากระบบเครื่องอื่นแล้ว 2 เครื่อง" in reply.get_data(as_text=True)
    assert "1 เครื่อง" in here.get("/account").get_data(as_text=True)
    assert signed_out(phone) and signed_out(tablet)
    assert not signed_out(here) and not signed_out(other_account)
    assert login(site.test_client(), "somchai", PASSWORD).status_code == 302
    assert ("somchai", "user_sign_out", "somchai: 2") in audit_actions(site)


def test_the_name_shown_is_ones_own_to_change_on_one_line(site):
    client = browser(site)
    token = csrf_token(client.get("/account").get_data(as_text=True))
    reply = client.post("/account/name", data={"csrf_token": token, "display_name": " นาง สมใจ\r\nรักงาน "},
                        follow_redirects=True)
    page = reply.get_data(as_text=True)
    assert "เปลี่ยนชื่อที่แสดงเป็น นาง สมใจ รักงาน แล้ว" in page
    assert '>นาง สมใจ รักงาน</a>' in page  # the menu
    assert 'value="นาง สมใจ รักงาน"' in page  # the form shows the name now kept
    assert ("somchai", "user_rename", "somchai: — → นาง สมใจ รักงาน") in audit_actions(site)
    too_long = client.post("/account/name", data={"csrf_token": token, "display_name": "ก" * 101})
    assert too_long.status_code == 422
    assert 'id="display_name-error">ชื่อที่แสดงยาวได้ไม่เกิน 100 ตัวอักษร แต่พบ 101 ตัวอักษร' in too_long.get_data(as_text=True)
    cleared = client.post("/account/name", data={"csrf_token": token, "display_name": ""}, follow_redirects=True)
    assert "เปลี่ยนชื่อที่แสดงเป็น somchai แล้ว" in cleared.get_data(as_text=True)  # no name: the user name shows
    with site.app_context():
        assert accounts.find(get_db(), "somchai").display_name == ""


def test_every_form_needs_its_csrf_token(site):
    client = browser(site)
    for path, data in (("/account/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD}),
                       ("/account/name", {"display_name": "ผู้บุกรุก"}),
                       ("/account/sign-out-others", {})):
        reply = client.post(path, data=data)
        assert reply.status_code == 400 and "แบบฟอร์มไม่มีรหัสยืนยันความปลอดภัย" in reply.get_data(as_text=True)
    assert login(site.test_client(), "somchai", PASSWORD).status_code == 302


def test_an_admin_cannot_set_a_password_too_long_to_sign_in_with(site):
    make_user(site, "boss", "admin")
    client = browser(site, "boss")
    token = csrf_token(client.get("/admin/users").get_data(as_text=True))
    long = "ก" * (accounts.MAX_PASSWORD_CHARS + 1)
    reply = client.post("/admin/users/somchai/password", data={"csrf_token": token, "password": long,
                                                                "confirm": long})
    assert reply.status_code == 422 and f"ไม่เกิน {accounts.MAX_PASSWORD_CHARS} ตัวอักษร" in reply.get_data(as_text=True)
    login_page = site.test_client().get("/auth/login").get_data(as_text=True)
    assert f'maxlength="{accounts.MAX_PASSWORD_CHARS}"' in login_page


def test_a_name_another_account_shows_is_refused(site):
    """An editor took the admin's display name, and histories showed their edit as the admin's (privacy review P7)."""
    with site.app_context():
        accounts.set_display_name(get_db(), "wanida", "นางวนิดา ผู้ดูแล")
    client = browser(site)
    token = csrf_token(client.get("/account").get_data(as_text=True))
    for taken, said in (("นางวนิดา  ผู้ดูแล", "นางวนิดา ผู้ดูแล"), ("Wanida", "Wanida")):  # her name, her user name
        reply = client.post("/account/name", data={"csrf_token": token, "display_name": taken})
        assert reply.status_code == 422
        assert f'id="display_name-error">{TAKEN.format(name=said)}' in unescape(reply.get_data(as_text=True))
    with site.app_context():
        assert accounts.find(get_db(), "somchai").display_name == ""
    assert not [a for a in audit_actions(site) if a[1] == "user_rename" and a[0] == "somchai"]
    kept = client.post("/account/name", data={"csrf_token": token, "display_name": "นางวนิดา ใจดี"})
    assert kept.status_code == 302  # a name alike is not the same name
