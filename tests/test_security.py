"""Hostile input: path traversal, CSRF on every form, forged uploads, sign-in throttling, security headers.

Already covered elsewhere and not repeated here: hostile slugs on /api/assets
(test_api.py), uploads whose content does not match the extension and the size
setting (test_attachments.py), throttling per name and client (test_auth.py),
CSRF on the editor, the preview and the sign-in form (test_publish.py, test_auth.py).
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, app_config, write_asset
from publish_support import PASSWORD, csrf_token, login, make_user, read_form
from test_attachments import PNG, thai_pdf, upload
from test_publish import snapshot

from app import create_app
from app.auth import CSRF_MESSAGE, csrf
from app.db import get_db

SECRET = "ความลับนอกคลังความรู้-7f3a"
TEMPLATES = REPO / "app" / "templates"


@pytest.fixture
def secret_outside(tmp_path: Path, knowledge_dir: Path) -> Path:
    """A valid-looking asset just outside knowledge/, which no URL may ever reach."""
    write_asset(tmp_path, "secret.md", title=SECRET, body=SECRET)
    write_asset(tmp_path, "passwd.md", title=SECRET, body=SECRET)
    return tmp_path


def outside(tmp_path: Path) -> dict[str, bytes]:
    """Every file under tmp_path except the knowledge folder, the index and the database (which change)."""
    return {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(("knowledge/", "index/", "instance/"))}


# -- path traversal -----------------------------------------------------------------------------
HOSTILE_SLUGS = ["..", "../secret", "..%2Fsecret", "..%2F..%2Fsecret", "%2e%2e%2fsecret", "%2E%2E/%2E%2E/secret",
                 "..%5Csecret", "....//secret", "%252e%252e%252fsecret", "%2Fetc%2Fpasswd", "/etc/passwd",
                 "secret%00", "sick-leave%00.md", "sick-leave.md", "palad%2Fsick-leave", "~root", "%c0%ae%c0%ae%2f"]
READ_URLS = ["/assets/{}", "/assets/{}/print", "/api/assets/{}", "/assets/sick-leave/files/{}",
             "/assets/{}/files/secret.md", "/static/{}"]


@pytest.mark.parametrize("template", READ_URLS)
def test_traversal_in_public_urls_reaches_nothing_outside_knowledge(client, secret_outside, template):
    for slug in HOSTILE_SLUGS:
        with client.get(template.format(slug)) as response:
            assert_refused(response, template)


def assert_refused(response, template: str) -> None:
    """404 (or 405 for a POST-only page), or werkzeug merging "//" in a path: a redirect on the same site."""
    assert response.status_code in (404, 405, 308), (response.request.path, response.status_code)
    body = response.get_data(as_text=True)
    assert SECRET not in body and "root:x:0:0" not in body
    if response.status_code == 308:
        location = urlsplit(response.headers["Location"])
        assert location.netloc in ("", "localhost") and location.path.startswith(template.split("{")[0])


@pytest.mark.parametrize("template", ["/publish/{}/edit", "/publish/{}/history", "/publish/{}/attachments",
                                      "/publish/{}/retire", "/publish/{}/disseminate", "/publish/{}/source"])
def test_traversal_in_editor_urls_is_404_and_writes_nothing(editor_client, secret_outside, template):
    before = outside(secret_outside)
    token = csrf_token(editor_client.get("/publish/new").get_data(as_text=True))
    for slug in HOSTILE_SLUGS:
        url = template.format(slug)
        for response in (editor_client.get(url), editor_client.post(url, data={
                "csrf_token": token, "title": "x", "department": "palad", "km_stage": "codification", "body": "x"})):
            assert_refused(response, template)
    assert outside(secret_outside) == before


@pytest.mark.parametrize("slug", ["../../evil", "..", "/etc/evil", "evil/../../x", "a\x00b", "ก" * 3])
def test_new_asset_slug_cannot_choose_where_the_file_goes(editor_client, knowledge_dir, secret_outside, slug):
    before_outside, before_inside = outside(secret_outside), snapshot(knowledge_dir)
    values = read_form(editor_client.get("/publish/new").get_data(as_text=True))
    values.update(title="ใหม่", slug=slug, department="palad", km_stage="codification", body="ใหม่")
    response = editor_client.post("/publish/new", data=values)
    assert response.status_code == 422
    assert "ใช้ได้เฉพาะ a-z 0-9 และขีด - ยาว 2–80 ตัวอักษร เช่น sick-leave" in response.get_data(as_text=True)
    assert outside(secret_outside) == before_outside and snapshot(knowledge_dir) == before_inside


@pytest.mark.parametrize("department", ["../..", "/tmp", "palad/../..", "..\\.."])
def test_new_asset_department_cannot_be_a_path(editor_client, knowledge_dir, secret_outside, department):
    before = outside(secret_outside)
    values = read_form(editor_client.get("/publish/new").get_data(as_text=True))
    values.update(title="ใหม่", slug="new-thing", department=department, km_stage="codification", body="ใหม่")
    response = editor_client.post("/publish/new", data=values)
    assert response.status_code == 422
    assert outside(secret_outside) == before
    assert not list(knowledge_dir.rglob("new-thing.md"))


@pytest.mark.parametrize("name, stored", [
    ("../../x.pdf", "x.pdf"), ("..\\..\\x.pdf", "x.pdf"), ("/etc/cron.d/x.pdf", "x.pdf"),
    ("....//....//x.pdf", "x.pdf"), (".htaccess.pdf", "htaccess.pdf"), ("../.removed/x.pdf", "x.pdf"),
    ("%2e%2e%2fx.pdf", "2e-2e-2fx.pdf"), ("คู่มือ/../../x.pdf", "x.pdf"), ("..", None), ("../", None),
])
def test_upload_names_never_leave_the_attachment_folder(editor_client, knowledge_dir, secret_outside, name, stored):
    before = outside(secret_outside)
    response = upload(editor_client, "sick-leave", name, thai_pdf("ทดสอบ"))
    folder = knowledge_dir / "palad" / "sick-leave.files"
    if stored is None:
        assert response.status_code == 422
        assert not folder.exists()
    else:
        assert response.status_code == 302
        assert [p.name for p in folder.iterdir()] == [stored]
    assert outside(secret_outside) == before
    assert {p.relative_to(knowledge_dir).parts[0] for p in knowledge_dir.rglob("*") if p.is_file()} == \
        {"palad", "finance"}


def test_attachment_download_serves_only_listed_attachments(editor_client, client, knowledge_dir):
    assert upload(editor_client, "sick-leave", "คู่มือ.pdf", thai_pdf("คู่มือ")).status_code == 302
    with client.get("/assets/sick-leave/files/คู่มือ.pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
    token = csrf_token(editor_client.get("/publish/sick-leave/attachments").get_data(as_text=True))
    editor_client.post("/publish/sick-leave/attachments/คู่มือ.pdf/remove", data={"csrf_token": token})
    removed = next((knowledge_dir / "palad" / "sick-leave.files" / ".removed").iterdir()).name
    for name in ("คู่มือ.pdf", f".removed%2F{removed}", "..%2Fsick-leave.md",
                 "..%2F..%2Ffinance%2Fprocurement-checklist.md",
                 "%2E%2E%2Fsick-leave.md", ".removed"):
        assert client.get(f"/assets/sick-leave/files/{name}").status_code == 404, name


# -- CSRF on every form ----------------------------------------------------------------------------
SAMPLE_ARGS = {"slug": "sick-leave", "name": "x.pdf", "rev": 1, "key": "2568", "number": 1, "kind": "plan",
               "username": "admin", "comment_id": 1, "request_id": 1}


WRITTEN_TABLES = ("revisions", "audit_log", "asset_feedback", "knowledge_requests", "year_records")


def post_routes(app) -> list[str]:
    """A URL for every rule that accepts POST; a new argument name must be given a sample value above."""
    urls = []
    for rule in app.url_map.iter_rules():
        unsafe = rule.methods - {"GET", "HEAD", "OPTIONS"}
        assert unsafe <= {"POST"}, f"{rule.rule} accepts {unsafe}: add it to this test"
        if "POST" in rule.methods:
            missing = set(rule.arguments) - set(SAMPLE_ARGS)
            assert not missing, f"{rule.rule}: give {missing} a sample value in SAMPLE_ARGS"
            urls.append(rule.build({k: SAMPLE_ARGS[k] for k in rule.arguments})[1])
    return sorted(urls)


def test_every_post_route_is_known_to_this_test(app):
    assert post_routes(app) == sorted([
        "/auth/login", "/auth/logout", "/publish/new", "/publish/preview", "/publish/paste",
        "/publish/sick-leave/attachments",
        "/publish/sick-leave/attachments/x.pdf/remove", "/publish/sick-leave/disseminate",
        "/publish/sick-leave/edit", "/publish/sick-leave/restore/1", "/publish/sick-leave/retire",
        "/publish/sick-leave/source",
        "/plans/2568/activities/1/progress", "/plans/report/results", "/plans/needs/add", "/plans/surveys/new",
        "/plans/files/plan/2568/edit", "/plans/files/plan/2568/restore/1", "/events/new", "/events/2568/edit",
        "/people/new", "/people/2568/edit", "/publish/sick-leave/images", "/admin/users", "/admin/users/admin/role",
        "/admin/users/admin/disable", "/admin/users/admin/enable", "/admin/users/admin/password",
        "/admin/users/admin/name",
        "/assets/sick-leave/feedback", "/requests", "/team/feedback/1/read", "/team/requests/1/done",
        "/account/password", "/account/name", "/account/sign-out-others", "/events/2568/files",
        "/events/2568/files/x.pdf/remove", "/reports/record", "/plans/report/record",
    ])
    assert not csrf._exempt_views and not csrf._exempt_blueprints
    assert app.config.get("WTF_CSRF_ENABLED", True) and app.config.get("WTF_CSRF_CHECK_DEFAULT", True)


@pytest.mark.parametrize("token", ["missing", "forged", "other-session"])
def test_every_post_route_refuses_a_missing_or_foreign_csrf_token(app, admin_client, knowledge_dir, token):
    before = snapshot(knowledge_dir)
    stranger = app.test_client()
    other = csrf_token(stranger.get("/auth/login").get_data(as_text=True))
    with app.app_context():
        counts = [get_db().execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in WRITTEN_TABLES]
    for url in post_routes(app):
        data = {"title": "ถูกแก้", "department": "palad", "km_stage": "codification", "body": "แก้", "username": "admin",
                "password": PASSWORD, "channel": "website", "file": (io.BytesIO(PNG), "x.png")}
        if token == "forged":
            data["csrf_token"] = "IjFhMmIzYyI.forged.token"
        elif token == "other-session":
            data["csrf_token"] = other
        response = admin_client.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code == 400, (url, response.status_code)
        page = response.get_data(as_text=True)
        assert CSRF_MESSAGE in (response.get_json()["reason"] if response.is_json else html.unescape(page)), url
    assert snapshot(knowledge_dir) == before
    with app.app_context():
        assert [get_db().execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in WRITTEN_TABLES] == counts
    assert admin_client.get("/admin/audit").status_code == 200  # the refused logout left the admin signed in


# -- uploads ------------------------------------------------------------------------------------------
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"\x00" * 200


@pytest.mark.parametrize("name, data, seen", [
    ("report.pdf", ELF, "ไฟล์ชนิดอื่น"),
    ("letter.docx", PE, "ไฟล์ชนิดอื่น"),
    ("photo.png", PE, "ไฟล์ชนิดอื่น"),
    ("photo.jpg", b"#!/bin/sh\nrm -rf /\n", "ไฟล์ชนิดอื่น"),
    ("sheet.xlsx", PNG, "รูปภาพ PNG"),
])
def test_renamed_executables_are_rejected(app, editor_client, knowledge_dir, name, data, seen):
    before = snapshot(knowledge_dir)
    response = upload(editor_client, "sick-leave", name, data)
    ext = name.rsplit(".", 1)[1]
    assert response.status_code == 422
    assert (f"เนื้อไฟล์ไม่ตรงกับนามสกุล .{ext} (ตรวจพบว่าเป็น{seen}) ไฟล์อาจถูกเปลี่ยนนามสกุล จึงไม่รับไฟล์นี้"
            in html.unescape(response.get_data(as_text=True)))
    assert snapshot(knowledge_dir) == before


@pytest.mark.parametrize("name", ["run.exe", "run.sh", "page.html", "x.pdf.exe", "x.PHP", "noextension"])
def test_executable_extensions_are_rejected_even_with_real_pdf_content(editor_client, knowledge_dir, name):
    before = snapshot(knowledge_dir)
    response = upload(editor_client, "sick-leave", name, thai_pdf("ทดสอบ"))
    assert response.status_code == 422
    assert "รับเฉพาะไฟล์ PDF, DOCX, XLSX, PNG, JPG, GIF และ WEBP" in response.get_data(as_text=True)
    assert snapshot(knowledge_dir) == before


def raw_upload(client, slug: str, name: str, data: bytes):
    """Upload with a multipart body built here (werkzeug's test client leaves big bodies in an open temp file)."""
    token = csrf_token(client.get(f"/publish/{slug}/attachments").get_data(as_text=True))
    boundary = "km-test-boundary-2568"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post(f"/publish/{slug}/attachments", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_a_file_over_the_limit_is_rejected_and_a_huge_request_is_cut_off(tmp_path, knowledge_dir):
    application = create_app(app_config(tmp_path, knowledge_dir, KM_MAX_ATTACHMENT_MB=1))
    try:
        make_user(application, "somchai", "editor")
        client = application.test_client()
        login(client, "somchai")
        before = snapshot(knowledge_dir)
        response = raw_upload(client, "sick-leave", "big.png", PNG + b"\x00" * (1024 * 1024))
        assert response.status_code == 422
        assert "ไฟล์ใหญ่เกินกำหนด: รับได้ไม่เกิน 1 MB ต่อไฟล์" in response.get_data(as_text=True)
        limit = application.config["MAX_CONTENT_LENGTH"]
        response = raw_upload(client, "sick-leave", "huge.png", PNG + b"\x00" * limit)
        assert response.status_code == 303  # cut off unread, and back on the attachments page with the reason
        assert "รับไฟล์แนบได้ไม่เกิน 1 MB ต่อไฟล์" in client.get(response.headers["Location"]).get_data(as_text=True)
        assert snapshot(knowledge_dir) == before
    finally:
        application.extensions["km"].stop()


# -- sign-in throttling -------------------------------------------------------------------------------
def test_throttling_ignores_the_case_of_the_name_and_is_shared_by_every_worker(tmp_path, knowledge_dir):
    """Two app instances over one instance folder stand for two gunicorn workers."""
    first = create_app(app_config(tmp_path, knowledge_dir))
    second = create_app(app_config(tmp_path, knowledge_dir))
    try:
        make_user(first, "somchai", "editor")
        attacker = {"REMOTE_ADDR": "10.0.0.9"}
        for i, name in enumerate(["somchai", "SOMCHAI", "SomChai ", "somchai"]):
            app = (first, second)[i % 2]
            assert login(app.test_client(), name, "guess", environ_base=attacker).status_code == 401
        fifth = login(second.test_client(), "Somchai", "guess", environ_base=attacker)
        assert fifth.status_code == 429
        assert "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป กรุณารอ 5 นาทีแล้วลองใหม่" in fifth.get_data(as_text=True)
        assert login(first.test_client(), "somchai", environ_base=attacker).status_code == 429
    finally:
        first.extensions["km"].stop()
        second.extensions["km"].stop()


def test_the_pause_ends_and_the_right_password_then_works(app, monkeypatch):
    import time as real_time

    make_user(app, "somchai", "editor")
    attacker = {"REMOTE_ADDR": "10.0.0.9"}
    for _ in range(5):
        response = login(app.test_client(), "somchai", "guess", environ_base=attacker)
    assert response.status_code == 429
    later = real_time.time() + 301
    monkeypatch.setattr("app.throttle.time.time", lambda: later)
    assert login(app.test_client(), "somchai", environ_base=attacker).status_code == 302


# -- security headers ----------------------------------------------------------------------------------
def csp(response) -> dict[str, list[str]]:
    policy = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def broken_search(*args, **kwargs):
    raise RuntimeError("simulated failure")


@pytest.mark.parametrize("url, status", [
    ("/", 200), ("/search?q=ลาป่วย", 200), ("/assets/sick-leave", 200), ("/api/search?q=ลา", 200),
    ("/api/assets/sick-leave", 200), ("/static/css/site.css", 200), ("/auth/login", 200), ("/nope", 404),
    ("/api/nope", 404), ("/search?page=x", 400), ("/api/search?sort=x", 400), ("/publish/new", 302),
    ("/auth/logout", 405), ("/browse/?boom=1", 500), ("/api/search?boom=1", 500),
])
def test_security_headers_on_pages_api_static_redirects_and_errors(app, client, monkeypatch, url, status):
    if "boom" in url:
        monkeypatch.setattr(app.extensions["km"].kb, "search", broken_search)
    with client.get(url) as response:
        assert response.status_code == status
    policy = csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no data:
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert not any("unsafe" in v for values in policy.values() for v in values)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_signed_in_pages_are_kept_by_no_shared_cache_and_static_files_still_are(app, editor_client, client):
    """Drafts, the audit log and the team's pages carried no Cache-Control (outside review, security)."""
    for url in ("/publish/new", "/team/", "/assets/sick-leave", "/search?q=ลาป่วย"):
        assert editor_client.get(url).headers["Cache-Control"] == "private, no-store", url
    with editor_client.get("/static/css/site.css") as response:
        assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/assets/sick-leave").headers.get("Cache-Control", "")


# Snippets are HTML made by indexer/snippets.py: the text escaped, the search words in <mark>
# (test_browser_xss.py checks a payload in a body and in a query stays inert there).
ESCAPED_BY_THE_INDEXER = {"hit.snippet|safe", "in_files.snippet|safe"}


def test_templates_have_no_inline_script_handler_or_style():
    """CSP blocks inline code anyway; this keeps the templates from relying on it."""
    problems = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text, re.IGNORECASE):
            if "src=" not in match.group(0):
                problems.append(f"{template.name}: inline {match.group(0)}")
        for pattern in (r"\son[a-z]+\s*=", r"\sstyle\s*=", r"javascript:", r"[\w.]+\|\s*safe\b"):
            for match in re.finditer(pattern, text, re.IGNORECASE):
                if match.group(0) not in ESCAPED_BY_THE_INDEXER:
                    problems.append(f"{template.relative_to(TEMPLATES)}: {match.group(0).strip()}")
    assert problems == []
