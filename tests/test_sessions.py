"""Signing out and changing a password end sessions for real: a copied session cookie stops working."""

from __future__ import annotations

from publish_support import PASSWORD, csrf_token, login, make_user

NEW_PASSWORD = "รหัสผ่านใหม่ยาวพอ-2569"


def signed_in(app, name: str = "somchai"):
    client = app.test_client()
    assert login(client, name).status_code == 302
    assert client.get("/publish/new").status_code == 200
    return client


def replay(app, client):
    """A new browser holding a copy of `client`'s session cookie (what a thief would do)."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def sign_out(client) -> None:
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302


def refused(client) -> bool:
    response = client.get("/publish/new")
    return response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_a_copied_cookie_stops_working_after_sign_out(app):
    make_user(app, "somchai", "editor")
    browser = signed_in(app)
    thief = replay(app, browser)
    assert not refused(thief)  # the copy works while the session lives…
    stolen = browser.get_cookie("session").value
    sign_out(browser)
    assert refused(browser) and refused(thief)  # …and not after signing out
    late = app.test_client()
    late.set_cookie("session", stolen)
    assert refused(late)


def test_signing_out_in_one_browser_leaves_the_others_signed_in(app):
    make_user(app, "somchai", "editor")
    office, phone = signed_in(app), signed_in(app)
    sign_out(phone)
    assert refused(phone) and not refused(office)


def test_a_new_password_ends_every_session(app, runner):
    make_user(app, "somchai", "editor")
    office, phone = signed_in(app), signed_in(app)
    copies = [replay(app, office), replay(app, phone)]
    result = runner.invoke(args=["users", "set-password", "somchai", "--password-stdin"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert all(refused(client) for client in (office, phone, *copies))
    assert login(app.test_client(), "somchai", PASSWORD).status_code == 401
    assert login(app.test_client(), "somchai", NEW_PASSWORD).status_code == 302


def test_other_accounts_keep_their_sessions_when_one_password_changes(app, runner):
    make_user(app, "somchai", "editor")
    make_user(app, "malee", "editor")
    malee = signed_in(app, "malee")
    runner.invoke(args=["users", "set-password", "somchai", "--password-stdin"], input=NEW_PASSWORD + "\n")
    assert not refused(malee)


def test_no_remember_me_cookie_outlives_the_session(app):
    make_user(app, "somchai", "editor")
    client = app.test_client()
    response = login(client, "somchai")
    assert "remember_token" not in " ".join(response.headers.getlist("Set-Cookie"))
    assert client.get_cookie("remember_token") is None


def test_a_cookie_from_before_sign_ins_were_kept_is_nobodys(app):
    """Sessions written by the old code held the bare user id; they no longer sign anyone in."""
    make_user(app, "somchai", "editor")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"
        session["_fresh"] = True
    assert refused(client)


def _signed_token(app, raw: str, age_seconds: int) -> str:
    """The token a form would carry `age_seconds` after its page was opened (signed as Flask-WTF signs it)."""
    import time

    from itsdangerous import URLSafeTimedSerializer

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
    signer = serializer.make_signer("wtf-csrf-token")
    signer.get_timestamp = lambda: int(time.time()) - age_seconds
    return signer.sign(serializer.dump_payload(raw)).decode()


def test_a_form_open_for_hours_still_saves_but_not_after_signing_out(app, knowledge_dir):
    """Writing a manual takes more than Flask-WTF's default hour; the token lives as long as the session."""
    make_user(app, "somchai", "editor")
    browser = signed_in(app)
    browser.get("/publish/sick-leave/edit")
    with browser.session_transaction() as session:
        raw = session["csrf_token"]
    three_hours_old = _signed_token(app, raw, 3 * 3600)
    form = {"csrf_token": three_hours_old, "channel": "website", "date": "01/12/2569", "ref": "ทดสอบ"}
    reply = browser.post("/publish/sick-leave/disseminate", data=form)
    assert reply.status_code in (302, 303), reply.get_data(as_text=True)[:500]
    sign_out(browser)
    assert login(browser, "somchai").status_code == 302
    reply = browser.post("/publish/sick-leave/disseminate",
                         data={"csrf_token": three_hours_old, "channel": "website", "date": "02/12/2569", "ref": "ซ้ำ"})
    assert reply.status_code == 400  # the old session's form: signed in again, a new token


def _session_cookie_of_sign_in(app, base_url: str, **headers) -> str:
    client = app.test_client()
    page = client.get("/auth/login", base_url=base_url, headers=headers).get_data(as_text=True)
    response = client.post("/auth/login", base_url=base_url, headers={**headers, "Referer": "https://localhost/auth/login"},
                           data={"username": "somchai", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert client.get("/publish/new", base_url=base_url, headers=headers).status_code == 200  # signed in
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_the_session_cookie_is_secure_over_https_and_still_works_over_http(tmp_path, knowledge_dir):
    """The cookie had no Secure flag even over HTTPS: an http:// bookmark sent it in clear (privacy review P9)."""
    from conftest import app_config

    from app import create_app

    for proxies in (0, 1):
        app = create_app(app_config(tmp_path / str(proxies), knowledge_dir, KM_TRUSTED_PROXIES=proxies))
        try:
            make_user(app, "somchai", "editor")
            forwarded = {"X-Forwarded-Proto": "https"}
            flags = {name: "; Secure" in _session_cookie_of_sign_in(app, url, **headers) for name, url, headers in (
                ("https", "https://localhost", {}),
                ("http", "http://localhost", {}),
                ("nginx https", "http://localhost", forwarded),  # nginx speaks plain HTTP to gunicorn
            )}
            # a forwarded https is believed only from a trusted proxy, as the reader's address is
            assert flags == {"https": True, "http": False, "nginx https": bool(proxies)}, proxies
        finally:
            app.extensions["km"].stop()


def test_a_km_team_sign_in_left_unused_ends_and_a_reader_s_does_not(app, monkeypatch):
    """A KM team sign-in on a shared office computer lasted a month, opening comments, requests and
    search words to whoever sat down next (privacy review P9)."""
    import time

    from app import sign_ins

    make_user(app, "somchai", "editor")
    make_user(app, "reader", "reader")
    editor = signed_in(app)
    reader = app.test_client()
    assert login(reader, "reader").status_code == 302
    now = time.time()
    for hours in (7, 14):  # used every seven hours: still signed in
        monkeypatch.setattr(sign_ins.time, "time", lambda h=hours: now + h * 3600)
        assert not refused(editor)
    monkeypatch.setattr(sign_ins.time, "time", lambda: now + (14 + 9) * 3600)  # then nine hours unused
    assert refused(editor)
    page = reader.get("/account")
    assert page.status_code == 200 and "reader" in page.get_data(as_text=True)  # a reader stays signed in
