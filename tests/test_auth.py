"""Accounts, sign-in, throttling, CSRF, the users CLI and the "sign in to read" mode."""

from __future__ import annotations

import logging
import os

import pytest
from publish_support import PASSWORD, csrf_token, login, make_user

from app import accounts, audit, throttle
from app.auth import CSRF_MESSAGE, LOGIN_FAILED
from app.db import get_db


def test_cli_creates_user_with_password_from_stdin_and_hashes_it(app, runner):
    result = runner.invoke(args=["users", "create", "Somchai", "--role", "editor", "--name", "นายสมชาย ใจดี"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "สร้างผู้ใช้ somchai บทบาท editor แล้ว"
    with app.app_context():
        row = get_db().execute("SELECT password_hash FROM users WHERE username = 'somchai'").fetchone()
    assert row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]


def test_cli_lists_changes_role_and_disables(app, runner):
    make_user(app, "admin", "admin")  # malee is not the last admin, so she may be disabled
    make_user(app, "malee", "editor")
    assert runner.invoke(args=["users", "set-role", "malee", "admin"]).output.strip() == "malee มีบทบาท admin แล้ว"
    assert runner.invoke(args=["users", "disable", "malee"]).output.strip() == "ระงับบัญชี malee แล้ว"
    renamed = runner.invoke(args=["users", "set-name", "malee", "  นางมาลี   ขยันยิ่ง "])
    assert renamed.output.strip() == "malee แสดงชื่อว่า นางมาลี ขยันยิ่ง แล้ว"
    listing = runner.invoke(args=["users", "list"]).output
    assert "malee" in listing and "admin" in listing and "ระงับ" in listing and "นางมาลี ขยันยิ่ง" in listing


def test_cli_refuses_bad_input_with_reasons(app, runner):
    make_user(app, "malee", "editor")
    short = runner.invoke(args=["users", "create", "dang"], input="short\n")
    assert short.exit_code == 1
    assert "Error: รหัสผ่านต้องยาวอย่างน้อย 8 ตัวอักษร" in short.output
    duplicate = runner.invoke(args=["users", "create", "MALEE"], input=PASSWORD + "\n")
    assert 'Error: มีผู้ใช้ชื่อ "malee" อยู่แล้ว' in duplicate.output
    role = runner.invoke(args=["users", "set-role", "malee", "boss"])
    assert 'Error: ไม่รู้จักบทบาท "boss" ใช้ได้: reader, editor, admin' in role.output
    missing = runner.invoke(args=["users", "disable", "nobody"])
    assert 'Error: ไม่พบผู้ใช้ "nobody"' in missing.output
    long_name = runner.invoke(args=["users", "set-name", "malee", "ก" * 101])
    assert long_name.exit_code == 1 and "Error: ชื่อที่แสดงยาวได้ไม่เกิน 100 ตัวอักษร แต่พบ 101 ตัวอักษร" in long_name.output
    assert 'Error: ไม่พบผู้ใช้ "nobody"' in runner.invoke(args=["users", "set-name", "nobody", "x"]).output


def test_cli_refuses_a_name_another_account_shows(app, runner):
    """`users set-name` and `create --name` gave a second account the same name (privacy review P7)."""
    make_user(app, "malee", "editor")
    make_user(app, "dang", "editor")
    assert runner.invoke(args=["users", "set-name", "malee", "นางมาลี ขยัน"]).exit_code == 0
    taken = ('Error: ชื่อ "นางมาลี ขยัน" เป็นชื่อของผู้ใช้อีกบัญชีหนึ่งอยู่แล้ว กรุณาใช้ชื่ออื่น เช่น เพิ่มนามสกุลหรือตำแหน่ง '
             "เพื่อไม่ให้ประวัติการแก้ไขแสดงว่าเป็นงานของอีกคน")
    renamed = runner.invoke(args=["users", "set-name", "dang", "นางมาลี  ขยัน"])
    assert renamed.exit_code == 1 and taken in renamed.output
    created = runner.invoke(args=["users", "create", "malee2", "--name", "นางมาลี ขยัน"], input=PASSWORD + "\n")
    assert created.exit_code == 1 and taken in created.output
    assert runner.invoke(args=["users", "set-name", "malee", "นางมาลี ขยัน"]).exit_code == 0  # her own name again
    # the same name with a zero-width space copied from Word, or in full-width letters (verification review L2)
    invisible = runner.invoke(args=["users", "set-name", "dang", "นางมาลี ขยัน\u200b"])
    assert invisible.exit_code == 1 and "เป็นชื่อของผู้ใช้อีกบัญชีหนึ่งอยู่แล้ว" in invisible.output
    wide = runner.invoke(args=["users", "set-name", "dang", "ｍａｌｅｅ"])
    assert wide.exit_code == 1 and "เป็นชื่อของผู้ใช้อีกบัญชีหนึ่งอยู่แล้ว" in wide.output
    with app.app_context():
        assert accounts.find(get_db(), "dang").display_name == "" and accounts.find(get_db(), "malee2") is None


def test_sign_in_sets_a_httponly_samesite_session_and_sign_out_needs_post(app, client):
    make_user(app, "somchai", "editor")
    response = login(client, "somchai")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/").get_data(as_text=True)
    assert "ออกจากระบบ" in page and "เพิ่มขุมความรู้" in page
    assert client.get("/auth/logout").status_code == 405
    client.post("/auth/logout", data={"csrf_token": csrf_token(page)})
    assert "เข้าสู่ระบบ" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_with_one_message_for_both_cases(app, client):
    make_user(app, "somchai", "editor")
    for name, password in (("somchai", "wrong-password"), ("nobody", PASSWORD)):
        response = login(client, name, password)
        assert response.status_code == 401
        assert LOGIN_FAILED in response.get_data(as_text=True)


def test_empty_fields_are_asked_for_and_count_as_no_failed_attempt(app, client):
    """Both fields left empty were answered "wrong user name or password" (wording review W10)."""
    make_user(app, "somchai", "editor")
    said = {(name, password): login(client, name, password) for name, password in
            (("", ""), ("somchai", ""), ("  ", PASSWORD))}
    assert [(r.status_code, r.get_data(as_text=True).count(LOGIN_FAILED)) for r in said.values()] == [(400, 0)] * 3
    assert "กรุณากรอกชื่อผู้ใช้และรหัสผ่าน" in said[("", "")].get_data(as_text=True)
    assert "กรุณากรอกรหัสผ่าน" in said[("somchai", "")].get_data(as_text=True)
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM login_failures").fetchone()[0] == 0
    assert login(client, "somchai").status_code == 302


def test_repeated_failures_are_throttled_per_name_and_client(app):
    make_user(app, "somchai", "editor")
    attacker = app.test_client()
    for _ in range(4):
        assert login(attacker, "somchai", "guess-1234", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 401
    fifth = login(attacker, "somchai", "guess-1234", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert fifth.status_code == 429
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป กรุณารอ 5 นาทีแล้วลองใหม่" in fifth.get_data(as_text=True)
    # Even the right password waits out the pause from that client…
    assert login(attacker, "somchai", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 429
    # …while the real user at their own desk is not locked out.
    assert login(app.test_client(), "somchai", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 302


def test_a_password_typed_as_the_user_name_is_neither_kept_nor_logged(app, caplog):
    """A password typed one box too early was kept whole in login_failures and the log (privacy review P6)."""
    make_user(app, "somchai", "editor")
    desk = {"REMOTE_ADDR": "10.0.0.9"}
    with caplog.at_level(logging.WARNING, logger="app"):
        responses = [login(app.test_client(), "Passw0rd!x", "xxxxxxxx", environ_base=desk) for _ in range(5)]
        assert login(app.test_client(), "SomChai", "guess-1234", environ_base=desk).status_code == 401
    assert [r.status_code for r in responses] == [401] * 4 + [429]  # an unknown name is still paused
    messages = [r.getMessage() for r in caplog.records]
    assert messages.count("failed sign-in for an unknown user name from 10.0.0.9") == 5
    assert "failed sign-in for 'somchai' from 10.0.0.9" in messages
    assert "passw0rd" not in caplog.text.lower()
    with app.app_context():
        keys = sorted(key for (key,) in get_db().execute("SELECT key FROM login_failures"))
    assert keys == [throttle.throttle_key(throttle.unknown_name("Passw0rd!x", app.secret_key), "10.0.0.9"),
                    "somchai|10.0.0.9"]
    assert "passw0rd" not in keys[0].lower() and keys[0].startswith("?")


def test_failed_sign_ins_are_deleted_once_a_pause_passes_without_a_try(app, monkeypatch):
    """login_failures kept typos and unknown names for good (privacy review P3)."""
    import time as real_time

    make_user(app, "somchai", "editor")
    start = real_time.time()
    monkeypatch.setattr("app.throttle.time.time", lambda: start)
    login(app.test_client(), "somchai", "guess-1234", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    login(app.test_client(), "nobody", "guess-1234", environ_base={"REMOTE_ADDR": "10.0.0.9"})

    def rows() -> list[str]:
        with app.app_context():
            return sorted(key.split("|")[1] for (key,) in get_db().execute("SELECT key FROM login_failures"))

    monkeypatch.setattr("app.throttle.time.time", lambda: start + 299)  # within the 300-second pause: kept
    login(app.test_client(), "somchai", "guess-1234", environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert rows() == ["10.0.0.7", "10.0.0.9", "10.0.0.9"]
    monkeypatch.setattr("app.throttle.time.time", lambda: start + 301)  # the next try deletes the old ones
    login(app.test_client(), "somchai", "guess-1234", environ_base={"REMOTE_ADDR": "10.0.0.8"})
    assert rows() == ["10.0.0.7", "10.0.0.8"]


def test_disabled_account_cannot_sign_in_and_loses_its_session(app, editor_client):
    with app.app_context():
        accounts.set_active(get_db(), "somchai", False)
    assert editor_client.get("/publish/new").status_code == 302  # sent to sign in again
    response = login(app.test_client(), "somchai")
    assert response.status_code == 401
    assert "บัญชีนี้ถูกระงับการใช้งาน ติดต่อผู้ดูแลระบบ" in response.get_data(as_text=True)


def test_sign_in_without_csrf_token_is_rejected(app, client):
    make_user(app, "somchai", "editor")
    response = client.post("/auth/login", data={"username": "somchai", "password": PASSWORD})
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)


def test_next_parameter_never_leaves_the_site(app, client):
    make_user(app, "somchai", "editor")
    page = client.get("/auth/login?next=//evil.example/x").get_data(as_text=True)
    response = client.post("/auth/login?next=//evil.example/x",
                           data={"username": "somchai", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/"
    page = client.get("/auth/login?next=/publish/new").get_data(as_text=True)
    response = client.post("/auth/login?next=/publish/new",
                           data={"username": "somchai", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/publish/new"
    for target in ("/x%0d%0aX-Evil:%201", "/x%09y"):  # a line break in Location was a 500 (outside review, security)
        client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
        page = client.get("/auth/login").get_data(as_text=True)
        response = client.post(f"/auth/login?next={target}",
                               data={"username": "somchai", "password": PASSWORD, "csrf_token": csrf_token(page)})
        assert response.status_code == 302 and response.headers["Location"] == "/", target


def test_require_login_setting_closes_every_page_but_sign_in(tmp_path, knowledge_dir):
    from conftest import app_config

    from app import create_app

    app = create_app(app_config(tmp_path, knowledge_dir, KM_REQUIRE_LOGIN=True))
    client = app.test_client()
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"].startswith("/auth/login")
    assert client.get("/assets/sick-leave").status_code == 302
    api = client.get("/api/search?q=ลาป่วย")
    assert api.status_code == 401 and api.get_json()["reason"] == "ต้องเข้าสู่ระบบก่อน"
    assert client.get("/auth/login").status_code == 200
    with client.get("/static/css/site.css") as static:
        assert static.status_code == 200
    make_user(app, "reader", "reader")
    login(client, "reader")
    assert client.get("/assets/sick-leave").status_code == 200
    app.extensions["km"].stop()


def test_require_login_can_be_set_from_the_environment(tmp_path, knowledge_dir, monkeypatch):
    from conftest import app_config

    from app import create_app

    monkeypatch.setenv("KM_REQUIRE_LOGIN", "yes")
    config = app_config(tmp_path, knowledge_dir)
    app = create_app(config)
    assert app.config["KM_REQUIRE_LOGIN"] is True
    app.extensions["km"].stop()


def test_secret_key_is_generated_once_and_kept_private(tmp_path, knowledge_dir):
    from conftest import app_config

    from app import create_app

    config = app_config(tmp_path, knowledge_dir)
    del config["KM_SECRET_KEY"]
    first = create_app(config)
    second = create_app(config)
    key_file = tmp_path / "instance" / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 32
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    for app in (first, second):
        app.extensions["km"].stop()
    assert sorted(p.name for p in key_file.parent.iterdir() if "secret" in p.name) == ["secret_key"]


@pytest.mark.parametrize("where, value", [("file", ""), ("file", "short"), ("setting", "short-key")])
def test_an_empty_or_short_secret_key_is_refused_at_start_with_its_reason(tmp_path, knowledge_dir, where, value):
    """An empty key file (a first start on a full disk) made every form page a 500 with nothing said at
    start, and a 5-character KM_SECRET_KEY was taken as it was (outside review, operations)."""
    from conftest import app_config

    from app import create_app
    from indexer import SettingsError

    config = app_config(tmp_path, knowledge_dir)
    if where == "file":
        del config["KM_SECRET_KEY"]
        (tmp_path / "instance").mkdir(exist_ok=True)
        (tmp_path / "instance" / "secret_key").write_text(value, encoding="ascii")
    else:
        config["KM_SECRET_KEY"] = value
    with pytest.raises(SettingsError, match="at least 32"):
        create_app(config)


def test_a_leaver_s_account_is_deleted_and_its_user_name_never_given_again(app, runner):
    """Accounts could only be disabled, and a user name freed by deleting the row by hand passed the
    leaver's edits to the next person given it (privacy review P3, P7)."""
    make_user(app, "malee", "editor")
    with app.app_context():
        audit.record("edit", "sick-leave", "ฉบับที่ 2", actor="malee")
    active = runner.invoke(args=["users", "delete", "malee"])
    assert active.exit_code == 1 and "ยังใช้งานอยู่ ระงับก่อน (users disable) แล้วจึงลบ" in active.output
    assert runner.invoke(args=["users", "disable", "malee"]).exit_code == 0
    deleted = runner.invoke(args=["users", "delete", "malee"])
    assert deleted.exit_code == 0 and "ลบบัญชี malee แล้ว" in deleted.output
    with app.app_context():
        assert accounts.find(get_db(), "malee") is None
        logged = get_db().execute("SELECT detail FROM audit_log WHERE action = 'user_delete'").fetchone()[0]
    assert logged == "malee"
    again = runner.invoke(args=["users", "create", "malee", "--name", "นางมาลีคนใหม่"], input=PASSWORD + "\n")
    assert again.exit_code == 1 and "เป็นของบัญชีที่ลบไปแล้ว" in again.output
    # one that never edited anything is not given again either, and its renames lose its display name
    make_user(app, "dang", "reader")
    assert runner.invoke(args=["users", "set-name", "dang", "นายแดง ใจดี"]).exit_code == 0
    assert runner.invoke(args=["users", "disable", "dang"]).exit_code == 0
    assert runner.invoke(args=["users", "delete", "dang"]).exit_code == 0
    assert runner.invoke(args=["users", "create", "dang"], input=PASSWORD + "\n").exit_code == 1
    with app.app_context():
        details = [r[0] for r in get_db().execute("SELECT detail FROM audit_log")]
    assert not any("นายแดง" in d for d in details) and "dang: (ชื่อที่แสดงลบพร้อมบัญชีแล้ว)" in details
