"""The editor: pictures pasted into the body become attachments shown inline (and only those), the
live preview uses the same renderer, the edit summary reaches the history, and dates are typed in BE."""

from __future__ import annotations

import html
import io
import re

import pytest
from publish_support import csrf_token, read_form

from app.db import get_db
from app.publish.attachments_views import ONLY_IMAGES
from indexer import render_body

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
NOT_A_DATE = "ต้องเป็นวันที่ เช่น 31/01/2568, 31 ม.ค. 2568 หรือ 2568-01-31 (พ.ศ. หรือ ค.ศ.)"


def _token(client, slug: str = "sick-leave") -> str:
    return csrf_token(client.get(f"/publish/{slug}/edit").get_data(as_text=True))


def paste(client, name: str, data: bytes, slug: str = "sick-leave", token: str | None = None):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import stream_encode_multipart

    headers = {"X-CSRFToken": token if token is not None else _token(client, slug), "Accept": "application/json"}
    # encoded here, in memory: the test client puts a body over 500 KB in a temporary file it never closes
    body, _, boundary = stream_encode_multipart({"file": FileStorage(io.BytesIO(data), name)}, use_tempfile=False)
    return client.post(f"/publish/{slug}/images", data=body.getvalue(), headers=headers,
                       content_type=f'multipart/form-data; boundary="{boundary}"')


def _edit(client, slug: str = "sick-leave", **changes):
    values = read_form(client.get(f"/publish/{slug}/edit").get_data(as_text=True))
    values.update(changes)
    return client.post(f"/publish/{slug}/edit", data=values)


def test_a_pasted_picture_is_stored_beside_the_asset_and_shown_inline(app, editor_client, client, knowledge_dir):
    reply = paste(editor_client, "image.png", PNG)
    assert reply.status_code == 201
    assert reply.get_json() == {"name": "image.png", "src": "sick-leave.files/image.png",
                                "markdown": "![รูปประกอบ](sick-leave.files/image.png)",
                                "url": "/assets/sick-leave/files/image.png", "shrunk": ""}
    assert (knowledge_dir / "palad" / "sick-leave.files" / "image.png").read_bytes() == PNG
    assert paste(editor_client, "image.png", PNG).get_json()["name"] == "image-2.png"  # never overwrites
    values = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    body = values["body"] + "\n![แบบฟอร์มใบลา](sick-leave.files/image.png)\n"
    assert _edit(editor_client, body=body).status_code == 302
    page = client.get("/assets/sick-leave").get_data(as_text=True)
    assert ('<img loading="lazy" decoding="async" alt="แบบฟอร์มใบลา" src="/assets/sick-leave/files/image.png">'
            in page)
    picture = client.get("/assets/sick-leave/files/image.png")
    assert picture.status_code == 200 and picture.mimetype == "image/png" and picture.data == PNG
    picture.close()
    with app.app_context():
        logged = get_db().execute("SELECT actor, action, detail FROM audit_log WHERE action = 'attach'").fetchall()
    assert [tuple(r) for r in logged][0] == ("somchai", "attach", "image.png (67 ไบต์)")


def _photo(size=(4032, 3024), kind="JPEG") -> bytes:
    """A phone's photo: noisy (so it does not compress to nothing), turned by its EXIF, with a GPS position."""
    from PIL import Image

    picture = Image.effect_noise(size, 60).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° to show
    exif[0x8825] = {1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0)}  # GPS
    out = io.BytesIO()
    picture.save(out, kind, quality=95, exif=exif)
    return out.getvalue()


def test_a_phone_photo_is_shrunk_turned_and_stripped_of_its_place(editor_client, knowledge_dir):
    """A 5.6 MB photo reached every reader as taken, 117 s on a slow phone line, with where it was taken
    (outside review PW-03)."""
    from PIL import Image

    sent = _photo()
    with paste(editor_client, "IMG_2041.jpg", sent) as reply:  # closed: it was sent as a temporary file
        assert reply.status_code == 201, reply.get_json()
        said = reply.get_json()["shrunk"]
    assert said.startswith("ย่อรูปจาก 4,032×3,024 เป็น 1,200×1,600 พิกเซล (") and said.endswith(" KB)")
    stored = (knowledge_dir / "palad" / "sick-leave.files" / "IMG_2041.jpg").read_bytes()
    with Image.open(io.BytesIO(stored)) as picture:
        assert picture.size == (1200, 1600)  # the long side 1,600 px, upright as the camera meant
        assert not picture.getexif() and "exif" not in picture.info
    assert len(stored) < len(sent) / 4
    # a small picture and a GIF (which may move) are kept as they were sent
    small = paste(editor_client, "image.png", PNG)
    assert small.get_json().get("shrunk") == "", (small.status_code, small.get_json())
    gif = io.BytesIO()
    Image.new("P", (2400, 1200)).save(gif, "GIF")
    assert paste(editor_client, "wide.gif", gif.getvalue()).get_json()["shrunk"] == ""
    assert (knowledge_dir / "palad" / "sick-leave.files" / "wide.gif").read_bytes() == gif.getvalue()


def test_a_picture_too_large_to_shrink_is_refused_with_its_size(editor_client, knowledge_dir):
    from PIL import Image

    huge = io.BytesIO()
    Image.new("1", (9000, 6000)).save(huge, "PNG")  # 54 million pixels in a few kilobytes
    with paste(editor_client, "plan.png", huge.getvalue()) as reply:
        assert reply.status_code == 422
        assert reply.get_json()["reason"].startswith("รูปนี้ใหญ่ 9,000×6,000 พิกเซล เกินกว่าที่ระบบย่อให้ได้")
    assert not (knowledge_dir / "palad" / "sick-leave.files" / "plan.png").exists()


@pytest.mark.parametrize("name, data, status, reason", [
    ("คู่มือ.pdf", b"%PDF-1.4\n%%EOF\n", 422, ONLY_IMAGES),
    ("image.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", 422,
     "เนื้อไฟล์ไม่ตรงกับนามสกุล .png (ตรวจพบว่าเป็นรูปภาพ GIF) ไฟล์อาจถูกเปลี่ยนนามสกุล จึงไม่รับไฟล์นี้"),
    ("page.svg", b"<svg onload=alert(1)>", 422, "รับเฉพาะไฟล์ PDF, DOCX, XLSX, PNG, JPG, GIF และ WEBP"),
    ("image.png", b"", 422, "ไฟล์นี้ว่างเปล่า"),
])
def test_what_is_not_a_picture_is_refused_with_the_reason(editor_client, knowledge_dir, name, data, status, reason):
    reply = paste(editor_client, name, data)
    assert reply.status_code == status
    assert reply.get_json() == {"error": "Unprocessable Entity", "reason": reason, "status": 422}
    assert not (knowledge_dir / "palad" / "sick-leave.files").exists()


def test_pasting_needs_the_csrf_token_and_an_editor(app, editor_client, client):
    reply = paste(editor_client, "image.png", PNG, token="forged")
    assert reply.status_code == 400
    assert reply.get_json()["reason"].startswith("แบบฟอร์มไม่มีรหัสยืนยันความปลอดภัย หรือรหัสใช้ไม่ได้แล้ว")
    assert client.post("/publish/sick-leave/images").status_code in (302, 400)
    assert paste(editor_client, "image.png", PNG, slug="no-such-asset", token=_token(editor_client)).status_code == 404


def test_only_pictures_attached_to_this_asset_are_shown():
    def own(src: str):
        return "/assets/a/files/x.png" if src == "a.files/x.png" else None

    body = ("![ของเรื่องนี้](a.files/x.png) ![ภายนอก](https://tracker.example/p.png) ![อื่น](b.files/x.png)\n\n"
            '<img src="a.files/x.png" onerror="alert(1)"> <img src="javascript:alert(2)" alt="ร้าย">')
    rendered = render_body(body, image_src=own).html
    assert rendered.count("<img") == 2 and rendered.count('src="/assets/a/files/x.png"') == 2
    assert "tracker.example" not in rendered and "b.files" not in rendered and "javascript" not in rendered
    assert "onerror" not in rendered
    # why it is left out is in the text, for touch, keyboard and screen readers (a title attribute was not:
    # accessibility review A-16), and not in the words the index keeps for the asset
    left_out = ('<span class="image-left-out">[ภายนอก] <small class="left-out-why">รูปนี้ไม่แสดง: '
                'แสดงได้เฉพาะรูปที่แนบกับเรื่องนี้ (แนบที่หน้าไฟล์แนบ แล้วอ้างถึงด้วยชื่อไฟล์)</small></span>')
    assert left_out in rendered and '[ร้าย]' in rendered and "title=" not in rendered
    assert render_body(body).text == "[ของเรื่องนี้] [ภายนอก] [อื่น]\n[รูปภาพ] [ร้าย]"
    assert "[รูปภาพ]" in render_body("![](https://tracker.example/p.png)").html  # no alt: still said
    assert "<img" not in render_body(body).html  # no asset given: no picture at all


def test_a_picture_of_another_asset_or_a_missing_file_is_left_out(app, editor_client, client):
    paste(editor_client, "image.png", PNG)
    values = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    body = values["body"] + "\n![ไม่มี](sick-leave.files/missing.png) ![ของเรื่องอื่น](other.files/image.png)\n"
    assert _edit(editor_client, body=body).status_code == 302
    page = client.get("/assets/sick-leave").get_data(as_text=True)
    assert "<img" not in page.split('class="prose"', 1)[1].split("</article>", 1)[0]
    assert "[ไม่มี]" in page and "[ของเรื่องอื่น]" in page


def test_attachments_are_linked_and_shown_as_the_editor_writes_them_or_as_the_page_lists_them(
        app, editor_client, client, knowledge_dir):
    """A link written as the editor writes pictures (sick-leave.files/แบบ.pdf) was a 404, and a picture
    given the address the page lists it at was left out (outside review, authors)."""
    paste(editor_client, "image.png", PNG)
    (knowledge_dir / "palad" / "sick-leave.files" / "แบบคำขอ.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    values = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    body = values["body"] + ("\n[แบบคำขอ](sick-leave.files/แบบคำขอ.pdf) [ไม่มี](sick-leave.files/missing.pdf)\n\n"
                             "![ภาพ](/assets/sick-leave/files/image.png) [ภายนอก](https://example.go.th/a.pdf)\n")
    assert _edit(editor_client, body=body).status_code == 302
    page = client.get("/assets/sick-leave").get_data(as_text=True)
    pdf = "/assets/sick-leave/files/%E0%B9%81%E0%B8%9A%E0%B8%9A%E0%B8%84%E0%B8%B3%E0%B8%82%E0%B8%AD.pdf"
    assert f'<a href="{pdf}" rel="noopener noreferrer">แบบคำขอ</a>' in page
    with client.get(pdf) as download:
        assert download.status_code == 200
    assert 'href="sick-leave.files/missing.pdf"' in page  # not one of its files: left as written
    assert '<img loading="lazy" decoding="async" alt="ภาพ" src="/assets/sick-leave/files/image.png">' in page
    assert 'href="https://example.go.th/a.pdf"' in page


def test_the_preview_shows_the_assets_own_pictures(editor_client):
    paste(editor_client, "image.png", PNG)
    token = _token(editor_client)
    body = "![ภาพ](sick-leave.files/image.png)"
    shown = editor_client.post("/publish/preview", data={"body": body, "slug": "sick-leave", "csrf_token": token})
    assert shown.get_data(as_text=True) == ('<p><img loading="lazy" decoding="async" alt="ภาพ" '
                                            'src="/assets/sick-leave/files/image.png"></p>')
    bare = editor_client.post("/publish/preview", data={"body": body, "csrf_token": token})
    assert bare.get_data(as_text=True).startswith('<p><span class="image-left-out">[ภาพ] <small class="left-out-why">'
                                                  'รูปนี้ไม่แสดง: ')  # and why, in the text


def test_the_editor_has_the_toolbar_date_calendar_and_edit_summary(editor_client):
    page = editor_client.get("/publish/sick-leave/edit").get_data(as_text=True)
    assert 'role="toolbar" aria-label="จัดรูปแบบเนื้อหา"' in page
    for label in ("หัวข้อ", "ตัวหนา", "รายการ", "ขั้นตอน", "รายการตรวจ", "ตาราง", "ลิงก์", "รูปภาพ"):
        assert f"> {label}</button>" in page
    assert 'data-image-url="/publish/sick-leave/images"' in page
    assert 'id="published" name="published"' in page and "data-be-date" in page
    assert 'value="15/01/2568"' in page  # the sample's published date (2025-01-15), in BE
    assert "js/bedate.js" in page and 'name="edit_summary"' in page
    new = editor_client.get("/publish/new").get_data(as_text=True)
    assert 'data-image-url=""' in new


def test_a_new_asset_is_published_today_in_be(editor_client, monkeypatch):
    import datetime as dt

    from indexer import dates

    monkeypatch.setattr(dates, "today", lambda: dt.date(2025, 1, 31))
    values = read_form(editor_client.get("/publish/new").get_data(as_text=True))
    assert values["published"] == "31/01/2568"


@pytest.mark.parametrize("typed", ["31/01/2568", "31 ม.ค. 2568", "2568-01-31", "๓๑ ม.ค. ๒๕๖๘"])
def test_typed_be_dates_are_saved_as_the_same_day(editor_client, knowledge_dir, typed):
    assert _edit(editor_client, updated=typed).status_code == 302
    assert "updated: 2025-01-31" in (knowledge_dir / "palad" / "sick-leave.md").read_text(encoding="utf-8")


def test_a_date_that_cannot_be_read_is_named_next_to_its_field(editor_client, knowledge_dir):
    before = (knowledge_dir / "palad" / "sick-leave.md").read_text(encoding="utf-8")
    reply = _edit(editor_client, updated="สิ้นเดือน")
    page = html.unescape(reply.get_data(as_text=True))
    assert reply.status_code == 422
    row = page.split('<label for="updated">วันที่ปรับปรุง</label>', 1)[1].split("</div>", 1)[0]
    assert f'<p class="field-error" id="updated-error">{NOT_A_DATE} แต่พบ "สิ้นเดือน"</p>' in row
    assert (knowledge_dir / "palad" / "sick-leave.md").read_text(encoding="utf-8") == before


def test_a_multi_line_field_is_a_wide_textarea_after_the_others(editor_client):
    page = editor_client.get("/publish/sick-leave/edit").get_data(as_text=True)
    meta = page.split('<div class="editor-meta">')[1].split('<div class="editor-body">')[0]
    assert re.findall(r'<div class="field( field-wide)?">\s*<label for="(\w+)"', meta)[-1] == (" field-wide", "summary")
    assert re.search(r'<textarea [^>]*id="summary"', meta) and meta.count('name="summary"') == 1
    assert re.search(r'<input [^>]*id="owner"', meta)


def test_the_edit_summary_and_display_name_show_in_the_history(app, editor_client):
    with app.app_context():
        get_db().execute("UPDATE users SET display_name = 'นายสมชาย ใจดี' WHERE username = 'somchai'")
        get_db().commit()
    values = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    reply = _edit(editor_client, body=values["body"] + "\nเพิ่มเติม\n", edit_summary="  เพิ่มย่อหน้า\nท้ายเรื่อง ")
    assert reply.status_code == 302
    page = editor_client.get("/publish/sick-leave/history").get_data(as_text=True)
    assert '<td>นายสมชาย ใจดี (somchai)</td>' in page and '<td class="edit-summary">เพิ่มย่อหน้า ท้ายเรื่อง</td>' in page
    with app.app_context():
        detail = get_db().execute("SELECT detail FROM audit_log WHERE action = 'edit'").fetchone()[0]
    assert detail == "ฉบับที่ 2: เพิ่มย่อหน้า ท้ายเรื่อง"


def test_the_edit_summary_survives_a_conflict_and_is_saved_with_the_merge(app, editor_client):
    from publish_support import login, make_user

    mine = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    make_user(app, "malee", "editor")
    other = app.test_client()
    login(other, "malee")
    assert _edit(other, title="การลาป่วย (ปรับปรุง)").status_code == 302
    mine.update(body=mine["body"] + "\nหมายเหตุ\n", edit_summary="เพิ่มหมายเหตุ")
    page = editor_client.post("/publish/sick-leave/edit", data=mine).get_data(as_text=True)
    merged = read_form(page)
    assert merged["edit_summary"] == "เพิ่มหมายเหตุ" and 'data-image-url="/publish/sick-leave/images"' in page
    assert editor_client.post("/publish/sick-leave/edit", data=merged).status_code == 302
    with app.app_context():
        row = get_db().execute("SELECT action, summary FROM revisions ORDER BY rev DESC LIMIT 1").fetchone()
    assert tuple(row) == ("merge", "เพิ่มหมายเหตุ")


def test_the_toolbar_sits_under_the_body_label_it_belongs_to(editor_client):
    """Above the label it read as the tools of the field before (seen on a phone, 2026-12-07)."""
    page = editor_client.get("/publish/new").get_data(as_text=True)
    label, toolbar, area = (page.index('<label for="body">'), page.index("data-md-toolbar"),
                            page.index('name="body"'))
    assert label < toolbar < area


def test_a_link_readers_cannot_follow_is_said_at_save_and_on_the_status_page(editor_client, client):
    values = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    values["body"] += "\nดู [การร้องทุกข์](/assets/complaint) และ [แบบเดิม](/assets/no-such-asset)\n"
    page = editor_client.post("/publish/sick-leave/edit", data=values, follow_redirects=True).get_data(as_text=True)
    assert "ลิงก์ไปยัง /assets/no-such-asset: ไม่มีขุมความรู้นี้" in html.unescape(page)
    assert "/assets/complaint:" not in html.unescape(page)
    status = html.unescape(editor_client.get("/status").get_data(as_text=True))
    assert "ลิงก์ไปยัง /assets/no-such-asset" in status
    assert "ลิงก์ไปยัง" not in html.unescape(client.get("/status").get_data(as_text=True))  # the team's detail


def test_an_accepted_save_names_its_form_once_so_the_tab_forgets_its_unsaved_copy(app, editor_client, client):
    """unsaved.js keeps what is typed in the tab; it forgets a form's copy when the next page says the
    site accepted that form (data-unsaved-done), and every copy at sign-out ("*")."""
    def said(page: str) -> list[str]:
        return re.findall(r'<body[^>]* data-unsaved-done="([^"]*)"', page)

    assert said(_edit(editor_client, updated="สิ้นเดือน").get_data(as_text=True)) == []  # refused: kept
    assert _edit(editor_client, updated="31/01/2568").status_code == 302
    assert said(editor_client.get("/assets/sick-leave").get_data(as_text=True)) == ["/publish/sick-leave/edit"]
    assert said(editor_client.get("/assets/sick-leave").get_data(as_text=True)) == []  # said once
    page = editor_client.get("/publish/sick-leave/edit").get_data(as_text=True)
    assert 'data-account="somchai"' in page and re.search(r"<form [^>]*data-editor data-keep-unsaved", page)
    editor_client.post("/auth/logout", data={"csrf_token": csrf_token(page)})
    assert said(editor_client.get("/").get_data(as_text=True)) == ["*"]
    reply = client.get("/")  # a reader's pages carry no account and start no session for it
    assert "data-account" not in reply.get_data(as_text=True) and "Set-Cookie" not in reply.headers


def test_the_editor_s_scripts_are_told_the_sign_in_ended_never_sent_a_sign_in_page(app, editor_client):
    """The live preview followed the redirect to the sign-in page and showed that page inside itself
    (outside review, accessibility A-01): the editor's requests get a 401 with the reason instead."""
    from app import accounts, sign_ins
    from app.auth import SIGNED_OUT

    token = csrf_token(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    with app.app_context():
        sign_ins.end_all(get_db(), accounts.find(get_db(), "somchai").id)  # eight idle hours later
    headers = {"X-CSRFToken": token}
    for reply in (editor_client.post("/publish/preview", data={"body": "ข้อความ", "csrf_token": token}),
                  editor_client.post("/publish/paste", json={"text": "x"}, headers=headers),
                  paste(editor_client, "image.png", PNG, token=token)):
        assert reply.status_code == 401 and reply.get_json()["reason"] == SIGNED_OUT
    page = editor_client.post("/publish/sick-leave/edit", data={"csrf_token": token, "body": "x"})
    assert page.status_code == 302 and "/auth/login" in page.headers["Location"]  # a page is sent to sign in


def test_a_picture_left_without_a_description_is_said_at_save_in_check_and_on_the_status_page(
        app, editor_client, knowledge_dir, tmp_path, capsys):
    """A screen reader says nothing, or "รูปประกอบ", for a picture saved as the editor inserted it
    (outside review, accessibility A-07); a described one and an example in a code block are fine."""
    from indexer import PICTURE_PLACEHOLDER
    from indexer.cli import main as cli_main

    body = (f"ขั้นตอน\n\n![{PICTURE_PLACEHOLDER}](sick-leave.files/form.png)\n\n![](sick-leave.files/flow.png)\n\n"
            "![แบบฟอร์มใบลาป่วย](sick-leave.files/described.png)\n\n```\n![](example.png)\n```\n")
    reply = _edit(editor_client, body=body)
    assert reply.status_code == 302
    page = html.unescape(editor_client.get(reply.headers["Location"]).get_data(as_text=True))
    said = re.findall(r'<p class="flash flash-warning"[^>]*>(รูป .*?)</p>', page)
    assert [s.split(" ยังไม่มีคำอธิบาย")[0] for s in said] == ["รูป form.png", "รูป flow.png"]
    assert "ผู้ใช้โปรแกรมอ่านหน้าจอจึงไม่รู้ว่ารูปแสดงอะไร" in said[0]
    cli_main(["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix"), "check"])
    out = capsys.readouterr().out
    lines = (knowledge_dir / "palad" / "sick-leave.md").read_text(encoding="utf-8").splitlines()
    named = re.findall(r"palad/sick-leave\.md:(\d+): body: รูป (\S+) ยังไม่มีคำอธิบาย", out)
    assert [(name, name in lines[int(line) - 1]) for line, name in named] == [("form.png", True), ("flow.png", True)]
    status = html.unescape(editor_client.get("/status").get_data(as_text=True))
    assert "รูป form.png ยังไม่มีคำอธิบาย" in status and "example.png" not in status and "described.png" not in status


@pytest.mark.parametrize("body,found", [
    ("ดู `![](x.png)` เป็นตัวอย่าง\n", []),                      # code is not a picture
    ("```\n~~~\n![](x.png)\n```\n", []),
    ("<!-- ![](x.png) -->\n", []),
    ("\\![](x.png)\n", []),
    ("![แบบฟอร์มใบลา](a.png)\n", []),
    ("ข้อความ\n\n![][ref]\n\n[ref]: a.files/ref.png\n", [(5, "a.files/ref.png")]),  # shown as pictures too
    ('ก่อน\n\n<img src="a.files/raw.png">\n', [(3, "a.files/raw.png")]),
    ("![](<my pic.png>)\n", [(1, "my pic.png")]),
    ("x\n\n![รูปประกอบ](b.png)\n", [(3, "b.png")]),
])
def test_pictures_are_judged_as_the_page_shows_them(body, found):
    """A pattern over the Markdown warned about pictures in code, comments or escaped, and missed
    reference-style ones and <img> (verification review V-05)."""
    from indexer.content.pictures import undescribed_pictures

    assert undescribed_pictures(body) == found
