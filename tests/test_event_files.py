"""Evidence files of a sharing event (the attendance sheet, the minutes, photos): kept beside the
event's record, checked as attachments are, opened only by signed-in accounts, set aside rather
than deleted, and every change in the audit log."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from plans_support import TODAY, write_km
from publish_support import csrf_token
from test_attachments import PNG, thai_pdf

from app.db import get_db
from indexer import dates

EVENT = "2025-01-10-training"
PAGE = f"/events/{EVENT}"


@pytest.fixture(autouse=True)
def _km(knowledge_dir, monkeypatch):
    write_km(knowledge_dir)
    monkeypatch.setattr(dates, "today", lambda: TODAY)


def files_folder(knowledge_dir):
    return knowledge_dir / "_km" / "events" / f"{EVENT}.files"


def upload(client, name: str, data: bytes, key: str = EVENT):
    token = csrf_token(client.get(f"/events/{key}").get_data(as_text=True))
    return client.post(f"/events/{key}/files", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def audit_rows(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [tuple(r) for r in get_db().execute("SELECT actor, action, detail FROM audit_log ORDER BY id")]


def test_a_file_kept_as_evidence_is_listed_and_opens_for_signed_in_accounts(app, editor_client, reader_client,
                                                                           client, knowledge_dir):
    pdf = thai_pdf("ใบลงชื่อผู้เข้าอบรมระเบียบการลา")
    reply = upload(editor_client, "ใบลงชื่อ อบรม.pdf", pdf)
    assert reply.status_code == 302 and reply.headers["Location"] == f"{PAGE}#evidence-files"
    assert [p.name for p in files_folder(knowledge_dir).iterdir()] == ["ใบลงชื่อ-อบรม.pdf"]
    page = editor_client.get(PAGE).get_data(as_text=True)
    assert "เก็บไฟล์หลักฐาน ใบลงชื่อ-อบรม.pdf แล้ว" in page
    section = page[page.index('id="evidence-files"'):page.index("</section>", page.index('id="evidence-files"'))]
    assert "1 ไฟล์" in section and "ไฟล์ PDF" in section
    url = f"{PAGE}/files/{quote('ใบลงชื่อ-อบรม.pdf')}"
    assert f'href="{url}"' in section
    for signed_in in (editor_client, reader_client):  # the auditor is given a reader account
        with signed_in.get(url) as opened:
            assert opened.status_code == 200 and opened.data == pdf and opened.mimetype == "application/pdf"
            assert "private" in opened.headers["Cache-Control"]
        # its own name for older clients too, as an asset's attachment (authors review)
        assert opened.headers["Content-Disposition"].startswith("attachment; filename=\"")
    odd = files_folder(knowledge_dir) / "ใบลงชื่อ\r\nX-Evil: 1.pdf"  # placed by hand: it was a 500 (security review)
    odd.write_bytes(pdf)
    with editor_client.get(f"{PAGE}/files/{quote(odd.name)}") as opened:
        assert opened.status_code == 200 and opened.data == pdf and "X-Evil" not in opened.headers
        assert "\n" not in opened.headers["Content-Disposition"]
    odd.unlink()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/auth/login")
    public = client.get(PAGE).get_data(as_text=True)
    assert "1 ไฟล์" in public and "เปิดดูได้เมื่อ" in public and "ใบลงชื่อ-อบรม.pdf" not in public
    assert ("somchai", "event_attach", f"{EVENT}: ใบลงชื่อ-อบรม.pdf ({len(pdf):,} ไบต์)") in audit_rows(app)
    opened_by = [actor for actor, action, detail in audit_rows(app)  # who took a copy (privacy review P10)
                 if action == "event_download" and detail == f"{EVENT}: ใบลงชื่อ-อบรม.pdf"]
    assert opened_by[:2] == ["somchai", "reader"], audit_rows(app)
    assert upload(editor_client, "ใบลงชื่อ อบรม.pdf", pdf).status_code == 302  # the same name again: kept apart
    assert sorted(p.name for p in files_folder(knowledge_dir).iterdir()) == ["ใบลงชื่อ-อบรม-2.pdf",
                                                                             "ใบลงชื่อ-อบรม.pdf"]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("photo.pdf", PNG, "เนื้อไฟล์ไม่ตรงกับนามสกุล .pdf (ตรวจพบว่าเป็นรูปภาพ PNG)"),
    ("virus.exe", b"MZ\x90\x00", "รับเฉพาะไฟล์ PDF, DOCX, XLSX, PNG, JPG, GIF และ WEBP"),
    ("empty.png", b"", "ไฟล์นี้ว่างเปล่า"),
    ("", PNG, "กรุณาเลือกไฟล์ที่จะแนบ"),
])
def test_a_refused_file_says_why_on_the_event_page_and_writes_nothing(app, editor_client, knowledge_dir, name, data,
                                                                      message):
    reply = upload(editor_client, name, data)
    assert reply.status_code == 422
    page = reply.get_data(as_text=True)
    assert message in page and "อบรมระเบียบการลา" in page
    assert not files_folder(knowledge_dir).exists() or not any(files_folder(knowledge_dir).iterdir())
    assert not any(action == "event_attach" for _, action, _ in audit_rows(app))


def test_a_file_over_the_limit_is_refused(tmp_path, knowledge_dir):
    from conftest import app_config
    from publish_support import login, make_user

    from app import create_app

    app = create_app(app_config(tmp_path, knowledge_dir, KM_MAX_ATTACHMENT_MB=0.001))
    make_user(app, "somchai", "editor")
    client = app.test_client()
    login(client, "somchai")
    reply = upload(client, "big.png", PNG + b"\x00" * 2000)
    assert reply.status_code == 422 and "ไฟล์ใหญ่เกินกำหนด" in reply.get_data(as_text=True)
    app.extensions["km"].stop()


def test_removing_sets_the_file_aside_and_is_logged(app, editor_client, reader_client, knowledge_dir):
    upload(editor_client, "ภาพกิจกรรม.png", PNG)
    token = csrf_token(editor_client.get(PAGE).get_data(as_text=True))
    reply = editor_client.post(f"{PAGE}/files/ภาพกิจกรรม.png/remove", data={"csrf_token": token},
                               follow_redirects=True)
    assert "นำไฟล์ ภาพกิจกรรม.png ออกจากหลักฐานแล้ว" in reply.get_data(as_text=True)
    folder = files_folder(knowledge_dir)
    assert [p.name for p in folder.iterdir()] == [".removed"]
    assert [re.sub(r"^\d{8}T\d{6}-", "", p.name) for p in (folder / ".removed").iterdir()] == ["ภาพกิจกรรม.png"]
    assert reader_client.get(f"{PAGE}/files/ภาพกิจกรรม.png").status_code == 404
    assert ("somchai", "event_detach", f"{EVENT}: ภาพกิจกรรม.png") in audit_rows(app)
    again = editor_client.post(f"{PAGE}/files/ภาพกิจกรรม.png/remove", data={"csrf_token": token},
                               follow_redirects=True)
    assert "ไม่พบไฟล์นี้ อาจถูกนำออกไปแล้ว" in again.get_data(as_text=True)


def test_readers_may_open_evidence_but_never_add_or_remove_it(reader_client, knowledge_dir):
    page = reader_client.get(PAGE).get_data(as_text=True)
    assert "เพิ่มไฟล์หลักฐาน" not in page and "ยังไม่มีไฟล์หลักฐาน" in page
    token = csrf_token(reader_client.get("/").get_data(as_text=True))
    assert reader_client.post(f"{PAGE}/files", data={"csrf_token": token, "file": (io.BytesIO(PNG), "x.png")},
                              content_type="multipart/form-data").status_code == 403
    assert reader_client.post(f"{PAGE}/files/x.png/remove", data={"csrf_token": token}).status_code == 403
    assert not files_folder(knowledge_dir).exists()


@pytest.mark.parametrize("name", ["../2025-03-05-visit.yaml", "..%2F..%2Fplans%2F2568.yaml", ".removed",
                                  "x.yaml", "%00.png"])
def test_a_name_is_looked_up_never_used_as_a_path(editor_client, knowledge_dir, name):
    upload(editor_client, "ภาพ.png", PNG)
    (files_folder(knowledge_dir) / "x.yaml").write_text("secret: 1\n", encoding="utf-8")  # not a kind it serves
    assert editor_client.get(f"{PAGE}/files/{name}").status_code == 404


def test_an_unknown_event_has_no_files(editor_client):
    assert editor_client.get("/events/no-such-event/files/a.png").status_code == 404
    token = csrf_token(editor_client.get("/").get_data(as_text=True))
    assert editor_client.post("/events/no-such-event/files", data={"csrf_token": token}).status_code == 404
    assert editor_client.post("/events/" + "x" * 500 + "/files/a.png/remove",
                              data={"csrf_token": token}).status_code == 404


def test_an_event_with_files_still_loads_and_counts_in_the_plan(editor_client, client, knowledge_dir):
    before = client.get("/api/events?activity=2568:2").get_json()
    upload(editor_client, "รายงานการประชุม.pdf", thai_pdf("รายงานการประชุม"))
    upload(editor_client, "ภาพ.png", PNG)
    after = client.get("/api/events?activity=2568:2").get_json()
    assert after == before  # the files folder is no record of its own
    assert client.get("/status").status_code == 200
    link = f'<a href="{PAGE}#evidence-files">'
    listing = client.get("/events/?fy=2568").get_data(as_text=True)
    assert f"คำสั่งที่ ๑/๒๕๖๘ · {link}ไฟล์ 2 ไฟล์</a>" in listing
    assert listing.count("#evidence-files") == 1  # the other event has none
    activity = client.get("/plans/2568/activities/2?fy=2568").get_data(as_text=True)
    assert f"{link}ไฟล์หลักฐาน 2 ไฟล์</a>" in activity


def test_the_yearly_report_says_which_event_evidence_has_files(tmp_path):
    """On the shipped sample plan: the report the auditor is handed, on screen and in print."""
    import shutil

    from conftest import SAMPLE_KNOWLEDGE, app_config

    from app import create_app

    sample = tmp_path / "sample"
    shutil.copytree(SAMPLE_KNOWLEDGE, sample / "knowledge")
    files = sample / "knowledge" / "_km" / "events" / "2024-10-21-km-team-1.files"
    files.mkdir()
    (files / "รายงานการประชุม.pdf").write_bytes(thai_pdf("รายงานการประชุมทีม KM"))
    app = create_app(app_config(sample, sample / "knowledge"))
    client = app.test_client()
    for report in ("/plans/report?fy=2568", "/plans/report/print?fy=2568"):
        body = client.get(report).get_data(as_text=True)
        item = body[body.index('<a href="/events/2024-10-21-km-team-1">'):]
        assert item.index("</a> <small>(ไฟล์หลักฐาน 1 ไฟล์)</small>") < item.index("</li>"), report
        assert body.count("(ไฟล์หลักฐาน ") == body.count('<a href="/events/2024-10-21-km-team-1">'), report
    app.extensions["km"].stop()
