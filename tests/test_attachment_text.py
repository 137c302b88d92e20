"""Attachment text: zip bombs refused unread, extraction bounded and done once, matches told by the engine."""

from __future__ import annotations

import html
import io
import logging
import time
import zipfile

from test_attachments import thai_docx, thai_pdf, upload

from indexer import AttachmentMatch, KnowledgeBase, SearchRequest, zip_problem
from indexer.content import extraction

PART_REFUSED = ("ส่วน word/document.xml ของไฟล์นี้เมื่อแตกออกมีขนาด {mb} MB เกินกำหนด 8 MB "
                "(อาจเป็นไฟล์ zip bomb ที่ทำให้ระบบค้าง) จึงไม่รับไฟล์นี้")


def docx_bomb(megabytes: int = 50) -> bytes:
    """A DOCX of about 150 KB whose document.xml unpacks to `megabytes` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
        repeats = megabytes * 1048576 // len(paragraph)
        archive.writestr("word/document.xml", b"<w:document><w:body>" + paragraph * repeats
                         + b"</w:body></w:document>")
    return out.getvalue()


def xlsx_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/media/picture.bin", b"\0" * (70 * 1048576))
    return out.getvalue()


def test_a_zip_bomb_upload_is_refused_with_the_reason_before_anything_is_unpacked(app, editor_client, knowledge_dir):
    bomb = docx_bomb()
    assert len(bomb) < 300_000
    started = time.perf_counter()
    response = upload(editor_client, "sick-leave", "รายงาน.docx", bomb)
    assert time.perf_counter() - started < 2.0
    assert response.status_code == 422
    assert PART_REFUSED.format(mb="50") in html.unescape(response.get_data(as_text=True))
    response = upload(editor_client, "sick-leave", "สถิติ.xlsx", xlsx_bomb())
    assert response.status_code == 422
    assert ("ไฟล์นี้เมื่อแตกออกมีขนาดรวม 70 MB เกินกำหนด 64 MB (อาจเป็นไฟล์ zip bomb ที่ทำให้ระบบค้าง) จึงไม่รับไฟล์นี้"
            in html.unescape(response.get_data(as_text=True)))
    assert not (knowledge_dir / "palad" / "sick-leave.files").exists()
    assert zip_problem(io.BytesIO(thai_docx("ปกติ"))) is None


def runs_of_the_extractor(monkeypatch) -> list[str]:
    runs: list[str] = []
    real = extraction.subprocess.run

    def run(command, **kwargs):
        runs.append(command[-1])
        return real(command, **kwargs)
    monkeypatch.setattr(extraction.subprocess, "run", run)
    return runs


def test_a_hand_placed_zip_bomb_is_skipped_and_every_other_file_indexed(kb, knowledge_dir, monkeypatch, caplog):
    runs = runs_of_the_extractor(monkeypatch)
    bomb = knowledge_dir / "palad" / "sick-leave.files" / "รายงาน.docx"
    bomb.parent.mkdir()
    bomb.write_bytes(docx_bomb())
    good = knowledge_dir / "palad" / "complaint.files" / "คำสั่ง.pdf"
    good.parent.mkdir()
    good.write_bytes(thai_pdf("อุทธรณ์คำสั่งลงโทษ"))
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="indexer.content.extraction"):
        kb.update()
    assert time.perf_counter() - started < 10.0
    assert runs == [str(good)]  # the bomb never reached python-docx
    assert f"no text taken from attachment {bomb}: {PART_REFUSED.format(mb='50')}" in caplog.text
    assert [h.slug for h in kb.search(SearchRequest(q="ใบรับรองแพทย์")).hits] == ["sick-leave"]
    assert [h.slug for h in kb.search(SearchRequest(q="อุทธรณ์")).hits] == ["complaint"]


def test_text_is_extracted_once_and_kept_for_every_process_and_build(app, editor_client, settings, monkeypatch):
    runs = runs_of_the_extractor(monkeypatch)
    assert upload(editor_client, "sick-leave", "golf.pdf", thai_pdf("ค่าธรรมเนียมสนามกอล์ฟ")).status_code == 302
    assert len(runs) == 1
    kept = list((settings.instance_dir / "attachment-text").rglob("*.txt"))
    assert len(kept) == 1 and "สนามกอล์ฟ" in kept[0].read_text(encoding="utf-8")
    other = KnowledgeBase(settings)  # as another worker process would: nothing in memory
    try:
        other.build()
        assert [h.slug for h in other.search(SearchRequest(q="สนามกอล์ฟ")).hits] == ["sick-leave"]
    finally:
        other.close()
    assert len(runs) == 1


def test_extraction_that_takes_too_long_is_stopped_and_not_tried_again(app, editor_client, settings, monkeypatch,
                                                                       caplog):
    monkeypatch.setattr(extraction, "EXTRACT_SECONDS", 0.001)
    runs = runs_of_the_extractor(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="indexer.content.extraction"):
        assert upload(editor_client, "sick-leave", "slow.pdf", thai_pdf("ค่าธรรมเนียมสนามกอล์ฟ")).status_code == 302
    assert "slow.pdf: reading took longer than 0.001 s" in caplog.text
    kb = app.extensions["km"].kb
    assert [h.slug for h in kb.search(SearchRequest(q="ใบรับรองแพทย์")).hits] == ["sick-leave"]
    kb.build()
    assert len(runs) == 1  # the failure is kept too


# -- the engine tells which attachment holds the words ---------------------------------------------
def test_the_engine_names_the_attachment_and_carries_the_highlight_terms(app, editor_client, monkeypatch):
    upload(editor_client, "sick-leave", "golf.pdf", thai_pdf("ประกาศอัตราค่าธรรมเนียมสนามกอล์ฟของเทศบาล"))
    kb = app.extensions["km"].kb

    def no_file_reading(*args, **kwargs):
        raise AssertionError("a search must not read attachment files")
    monkeypatch.setattr(extraction, "extract_text", no_file_reading)
    monkeypatch.setattr("indexer.content.attachments.list_attachments", no_file_reading)
    response = kb.search(SearchRequest(q="สนามกอล์ฟ"))
    assert "สนามกอล์ฟ" in response.highlight_terms
    [hit] = response.hits
    assert hit.in_attachments == AttachmentMatch(
        ("golf.pdf",), "ประกาศอัตราค่าธรรมเนียม<mark>สนามกอล์ฟ</mark>ของเทศบาล")
    [own] = kb.search(SearchRequest(q="ใบรับรองแพทย์")).hits
    assert own.in_attachments is None  # the asset's own text holds the words


def test_the_api_names_the_attachment_with_its_download_address(app, editor_client, client):
    """A program reading /api/search learns what the result card shows: which file holds the words."""
    upload(editor_client, "sick-leave", "golf.pdf", thai_pdf("ประกาศอัตราค่าธรรมเนียมสนามกอล์ฟของเทศบาล"))
    [result] = client.get("/api/search?q=สนามกอล์ฟ").get_json()["results"]
    assert result["in_attachments"] == {
        "files": [{"name": "golf.pdf", "url": "/assets/sick-leave/files/golf.pdf"}],
        "snippet": "ประกาศอัตราค่าธรรมเนียม<mark>สนามกอล์ฟ</mark>ของเทศบาล"}
    download = client.get(result["in_attachments"]["files"][0]["url"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    download.close()
    [own] = client.get("/api/search?q=ใบรับรองแพทย์").get_json()["results"]
    assert own["in_attachments"] is None and own["sent_with"] == []


def test_templates_no_longer_read_attachments_per_hit(app):
    assert "attachment_match" not in app.jinja_env.globals
