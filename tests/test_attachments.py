"""Attachments: type checked from content, safe names, stored beside the asset, text searchable."""

from __future__ import annotations

import html
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from publish_support import csrf_token

from app.db import get_db
from app.uploads import UploadRejected, check_upload, safe_name, sniff
from indexer import SearchRequest
from indexer.content.loader import iter_asset_files

THAI_FONT = Path("/usr/share/fonts/truetype/tlwg/Loma.ttf")  # Debian package fonts-thai-tlwg
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def thai_pdf(*lines: str) -> bytes:
    """A real PDF with embedded Thai font (reportlab), as a scanner-free office would produce."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    assert THAI_FONT.is_file(), "install the Debian package fonts-thai-tlwg (scripts/setup does)"
    pdfmetrics.registerFont(TTFont("Loma", str(THAI_FONT)))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("Loma", 14)
    for number, line in enumerate(lines):
        page.drawString(72, 760 - 24 * number, line)
    page.save()
    return out.getvalue()


def thai_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def minimal_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def upload(client, slug: str, name: str, data: bytes):
    page = client.get(f"/publish/{slug}/attachments").get_data(as_text=True)
    return client.post(f"/publish/{slug}/attachments", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(page), "file": (io.BytesIO(data), name)})


def test_a_word_only_inside_a_thai_pdf_is_found_and_the_result_says_so(app, editor_client, knowledge_dir, client):
    pdf = thai_pdf("ประกาศอัตราค่าธรรมเนียมสนามกอล์ฟของเทศบาล", "คำสั่งที่ ๙๕๑/๒๕๖๗")
    kb = app.extensions["km"].kb
    assert not kb.search(SearchRequest(q="สนามกอล์ฟ")).hits
    response = upload(editor_client, "sick-leave", "ประกาศ ค่าธรรมเนียม.pdf", pdf)
    assert response.status_code == 302
    stored = knowledge_dir / "palad" / "sick-leave.files" / "ประกาศ-ค่าธรรมเนียม.pdf"
    assert stored.read_bytes() == pdf
    assert [h.slug for h in kb.search(SearchRequest(q="สนามกอล์ฟ")).hits] == ["sick-leave"]
    page = client.get("/search?q=สนามกอล์ฟ").get_data(as_text=True)
    assert "พบในไฟล์แนบ: ประกาศ-ค่าธรรมเนียม.pdf" in page
    assert "<mark>สนามกอล์ฟ</mark>" in page
    # A word that is in the body is not credited to the attachment.
    assert "พบในไฟล์แนบ" not in client.get("/search?q=ใบรับรองแพทย์").get_data(as_text=True)


def test_tone_marks_a_pdf_holds_as_a_fonts_private_glyphs_are_read_as_thai(app, editor_client, client):
    """A PDF made with a font's positioned marks (Chromium's print, Word with Loma) holds U+F70A for ่ and
    U+F70E for ์ in its text: ค่าเช่า and สัญญาเช่า were indexed and shown without them."""
    pdf = thai_pdf("ผู้มีสิทธิเบิกค\uf70aาเช\uf70aาบ\uf70bานต\uf70bองแนบสัญญาเช\uf70aาและใบเสร็จ", "การ\uf70eตูน")
    assert upload(editor_client, "sick-leave", "ค่าเช่าบ้าน.pdf", pdf).status_code == 302
    kb = app.extensions["km"].kb
    assert [h.slug for h in kb.search(SearchRequest(q="สัญญาเช่า")).hits] == ["sick-leave"]
    found = client.get("/api/search?q=สัญญาเช่า").get_json()["results"][0]
    shown = json.dumps(found, ensure_ascii=False)
    assert "\uf70a" not in shown and "สัญญาเช่า" in shown


def test_a_full_rebuild_from_the_command_line_indexes_attachment_text_too(app, editor_client, settings):
    upload(editor_client, "sick-leave", "golf.pdf", thai_pdf("ค่าธรรมเนียมสนามกอล์ฟ"))
    from indexer import KnowledgeBase

    fresh = KnowledgeBase(settings)
    fresh.build()
    assert [h.slug for h in fresh.search(SearchRequest(q="สนามกอล์ฟ")).hits] == ["sick-leave"]


def test_docx_text_is_searchable(app, editor_client):
    assert upload(editor_client, "complaint", "บันทึก.docx", thai_docx("ขั้นตอนการอุทธรณ์คำสั่งลงโทษทางวินัย")).status_code == 302
    hits = app.extensions["km"].kb.search(SearchRequest(q="อุทธรณ์")).hits
    assert [h.slug for h in hits] == ["complaint"]


def test_images_and_spreadsheets_are_accepted(editor_client, knowledge_dir):
    assert upload(editor_client, "sick-leave", "แผนผัง.PNG", PNG).status_code == 302
    assert upload(editor_client, "sick-leave", "สถิติการลา.xlsx", minimal_xlsx()).status_code == 302
    folder = knowledge_dir / "palad" / "sick-leave.files"
    assert {p.name for p in folder.iterdir()} == {"แผนผัง.png", "สถิติการลา.xlsx"}


@pytest.mark.parametrize("name,data,message", [
    ("report.pdf", b"<html><script>alert(1)</script></html>",
     "เนื้อไฟล์ไม่ตรงกับนามสกุล .pdf (ตรวจพบว่าเป็นไฟล์ชนิดอื่น) ไฟล์อาจถูกเปลี่ยนนามสกุล จึงไม่รับไฟล์นี้"),
    ("photo.pdf", PNG, "เนื้อไฟล์ไม่ตรงกับนามสกุล .pdf (ตรวจพบว่าเป็นรูปภาพ PNG) ไฟล์อาจถูกเปลี่ยนนามสกุล จึงไม่รับไฟล์นี้"),
    ("letter.docx", b"PK\x03\x04not really a zip",
     "เนื้อไฟล์ไม่ตรงกับนามสกุล .docx (ตรวจพบว่าเป็นไฟล์ชนิดอื่น) ไฟล์อาจถูกเปลี่ยนนามสกุล จึงไม่รับไฟล์นี้"),
    ("virus.exe", b"MZ\x90\x00", "รับเฉพาะไฟล์ PDF, DOCX, XLSX, PNG, JPG, GIF และ WEBP"),
    ("page.svg", b"<svg onload=alert(1)>", "รับเฉพาะไฟล์ PDF, DOCX, XLSX, PNG, JPG, GIF และ WEBP"),
    ("empty.pdf", b"", "ไฟล์นี้ว่างเปล่า"),
])
def test_forged_or_unwanted_files_are_rejected_with_the_reason(app, editor_client, knowledge_dir, name, data, message):
    response = upload(editor_client, "sick-leave", name, data)
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert not (knowledge_dir / "palad" / "sick-leave.files").exists()
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM audit_log WHERE action = 'attach'").fetchone()[0] == 0


def test_size_limit_is_a_setting(tmp_path, knowledge_dir):
    from conftest import app_config
    from publish_support import login, make_user

    from app import create_app

    app = create_app(app_config(tmp_path, knowledge_dir, KM_MAX_ATTACHMENT_MB=0.01))
    make_user(app, "somchai", "editor")
    client = app.test_client()
    login(client, "somchai")
    response = upload(client, "sick-leave", "big.png", PNG + b"\x00" * 20000)
    assert response.status_code == 422
    assert "ไฟล์ใหญ่เกินกำหนด: รับได้ไม่เกิน 0.01 MB ต่อไฟล์" in response.get_data(as_text=True)
    # over the request limit, refused before the form is read: back on the page with the reason, not on an
    # error page that offered only the home page (outside review, authors)
    response = client.post("/publish/sick-leave/attachments", data=b"--x--",
                           content_type="multipart/form-data; boundary=x",
                           environ_overrides={"CONTENT_LENGTH": str(17 * 1024 * 1024)})  # a body over 16 MB
    assert (response.status_code, response.headers["Location"]) == (303, "/publish/sick-leave/attachments")
    page = client.get("/publish/sick-leave/attachments").get_data(as_text=True)
    assert "รับไฟล์แนบได้ไม่เกิน 0.01 MB ต่อไฟล์" in page
    app.extensions["km"].stop()


def test_names_are_sanitised_and_keep_thai():
    pdf = check_upload("../../คู่มือ การลา (2567).PDF", b"%PDF-1.4\n", 1000)
    assert pdf.name == "คู่มือ-การลา-2567.pdf"
    assert safe_name(".htaccess.png", pdf.kind) == "htaccess.pdf"
    assert safe_name("C:\\Users\\a\\แบบฟอร์ม.pdf", pdf.kind) == "แบบฟอร์ม.pdf"
    assert safe_name("รายงาน.php.pdf", pdf.kind) == "รายงาน-php.pdf"
    assert safe_name("<<>>.pdf", pdf.kind) == "file.pdf"
    with pytest.raises(UploadRejected):
        check_upload("", b"%PDF", 10)


def test_sniffing_reads_content_not_names():
    assert sniff(thai_docx("ทดสอบ")).key == "docx"
    assert sniff(minimal_xlsx()).key == "xlsx"
    assert sniff(PNG).key == "png"
    assert sniff(b"plain text") is None


def test_same_name_twice_gets_a_new_name_never_overwrites(editor_client, knowledge_dir):
    upload(editor_client, "sick-leave", "แบบฟอร์ม.pdf", b"%PDF-1.4 first\n")
    upload(editor_client, "sick-leave", "แบบฟอร์ม.pdf", b"%PDF-1.4 second\n")
    folder = knowledge_dir / "palad" / "sick-leave.files"
    assert (folder / "แบบฟอร์ม.pdf").read_bytes() == b"%PDF-1.4 first\n"
    assert (folder / "แบบฟอร์ม-2.pdf").read_bytes() == b"%PDF-1.4 second\n"
    page = editor_client.get("/publish/sick-leave/attachments").get_data(as_text=True)  # said, not silent
    assert "มีไฟล์ชื่อ แบบฟอร์ม.pdf อยู่แล้ว จึงตั้งชื่อไฟล์ใหม่เป็น แบบฟอร์ม-2.pdf" in page


def test_a_long_thai_name_is_cut_to_fit_the_disk_kept_twice_and_set_aside(editor_client, knowledge_dir):
    """A notice's full title as its file name: 77 Thai letters and more went past the 255 bytes of a name."""
    name = ("ประกาศเทศบาลตำบลบ้านสวนดอก เรื่อง หลักเกณฑ์และวิธีการเบิกจ่ายค่าเช่าบ้านของพนักงานเทศบาล"
            "และลูกจ้างประจำ พ.ศ. ๒๕๖๙.pdf")
    for _ in range(2):
        assert upload(editor_client, "sick-leave", name, b"%PDF-1.4\n").status_code == 302
    folder = knowledge_dir / "palad" / "sick-leave.files"
    stored = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert len(stored) == 2 and stored[0].startswith("ประกาศเทศบาลตำบลบ้านสวนดอก-เรื่อง-หลักเกณฑ์")
    assert all(len(n.encode()) <= 160 and n.endswith(".pdf") for n in stored)
    page = editor_client.get("/publish/sick-leave/attachments").get_data(as_text=True)
    for stored_name in stored:
        reply = editor_client.post(f"/publish/sick-leave/attachments/{stored_name}/remove",
                                   data={"csrf_token": csrf_token(page)})
        assert reply.status_code == 302
    assert len(list((folder / ".removed").iterdir())) == 2


def test_asset_page_links_to_downloads(app, editor_client, client, knowledge_dir):
    pdf = thai_pdf("แบบคำขอ")
    upload(editor_client, "sick-leave", "แบบคำขอ.pdf", pdf)
    upload(editor_client, "sick-leave", "ภาพ.png", PNG)
    page = client.get("/assets/sick-leave").get_data(as_text=True)
    assert "ไฟล์แนบ" in page and "แบบคำขอ.pdf" in page
    with client.get("/assets/sick-leave/files/แบบคำขอ.pdf") as response:
        assert response.status_code == 200 and response.data == pdf
        assert response.mimetype == "application/pdf"
        # older clients read only filename=: the Thai letters dropped left "--2568.pdf" (outside review, authors)
        assert response.headers["Content-Disposition"] == (
            "attachment; filename=\"sick-leave.pdf\"; filename*=UTF-8''%E0%B9%81%E0%B8%9A%E0%B8%9A%E0%B8%84%E0%B8%B3"
            "%E0%B8%82%E0%B8%AD.pdf")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "public, max-age=300"  # a published file may be kept a while
    printed = client.get("/assets/sick-leave/print").get_data(as_text=True)  # paper says what files there are
    assert "ไฟล์แนบ" in printed and "แบบคำขอ.pdf" in printed
    with client.get("/assets/sick-leave/files/ภาพ.png") as response:
        assert response.mimetype == "image/png" and "attachment" not in response.headers.get("Content-Disposition", "")
    assert client.get("/assets/sick-leave/files/..%2Fsick-leave.md").status_code == 404
    assert client.get("/assets/sick-leave/files/missing.pdf").status_code == 404
    odd = knowledge_dir / "palad" / "sick-leave.files" / "แบบ\r\nX-Evil: 1.pdf"  # placed by hand: it was a 500
    odd.write_bytes(pdf)
    with client.get("/assets/sick-leave/files/" + quote(odd.name)) as response:
        assert response.status_code == 200 and response.data == pdf and "X-Evil" not in response.headers


def test_attachments_are_never_read_as_assets(app, editor_client, knowledge_dir):
    upload(editor_client, "sick-leave", "คู่มือ.pdf", thai_pdf("คู่มือ"))
    assert all(".files" not in str(p) for p in iter_asset_files(knowledge_dir))
    assert app.extensions["km"].kb.check().problems == []


def test_removing_sets_the_file_aside_and_drops_its_text_from_search(app, editor_client, knowledge_dir):
    upload(editor_client, "sick-leave", "golf.pdf", thai_pdf("ค่าธรรมเนียมสนามกอล์ฟ"))
    page = editor_client.get("/publish/sick-leave/attachments").get_data(as_text=True)
    response = editor_client.post("/publish/sick-leave/attachments/golf.pdf/remove",
                                  data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    folder = knowledge_dir / "palad" / "sick-leave.files"
    assert not (folder / "golf.pdf").exists()
    assert [p.name.endswith("-golf.pdf") for p in (folder / ".removed").iterdir()] == [True]
    assert not app.extensions["km"].kb.search(SearchRequest(q="สนามกอล์ฟ")).hits
    with app.app_context():
        actions = [r[0] for r in get_db().execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["attach", "detach"]


def test_draft_attachments_are_hidden_from_readers(app, editor_client, client, knowledge_dir):
    from conftest import write_asset

    path = write_asset(knowledge_dir, "palad/draft-plan.md", title="ร่างแผน", status="draft")
    app.extensions["km"].kb.update(only=[path])
    assert upload(editor_client, "draft-plan", "แผน.pdf", thai_pdf("แผนลับ")).status_code == 302
    assert client.get("/assets/draft-plan/files/แผน.pdf").status_code == 404
    with editor_client.get("/assets/draft-plan/files/แผน.pdf") as response:
        assert response.status_code == 200
        # no shared cache (nor the office browser) keeps the team's file for the next reader
        assert set(response.headers["Cache-Control"].split(", ")) == {"private", "no-cache", "max-age=0"}
