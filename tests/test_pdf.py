"""The reports as PDF, made on the server by Debian's headless Chromium: valid, Thai, numbered, bounded."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import app_config
from plans_support import TODAY, write_km

from app import pdf
from indexer import dates, file_lock

NEAR_MIDNIGHT = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)  # 2 ธันวาคม 2569 00:30 in Bangkok


def pages_text(data: bytes) -> list[str]:
    """Each page's text as a PDF reader copies it.

    Poppler's pdftotext (scripts/setup installs poppler-utils) honours the /ActualText that Chromium
    writes for Thai clusters whose marks are stacked (ชี้, เมื่อ); pypdf reads only the glyphs, so it is
    used here for the file's structure (it must open the file, count its pages and find the fonts).
    """
    from pypdf import PdfReader

    count = len(PdfReader(io.BytesIO(data)).pages)
    texts = []
    for number in range(1, count + 1):
        done = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-enc", "UTF-8", "-", "-"],
                              input=data, capture_output=True, check=True, timeout=30)
        texts.append(re.sub(r"[ \t]+", " ", done.stdout.decode("utf-8")))
    return texts


def embedded_fonts(data: bytes) -> set[str]:
    """Base names of the fonts whose program is embedded in the file."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor or "/FontFile3" in descriptor:
                    names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(dates, "utc_now", lambda: NEAR_MIDNIGHT)


def test_indicator_report_pdf_is_thai_numbered_with_charts_and_fonts(client, clock):
    response = client.get("/reports/print.pdf?fy=2568")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="km-indicators-2568.pdf"; '
        f"filename*=UTF-8''{quote('เทศบาลตำบลบ้านสวนดอก-km-indicators-2568.pdf', safe='')}")
    data = response.get_data()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    texts = pages_text(data)
    total = len(texts)
    assert total >= 2
    for number, text in enumerate(texts, start=1):  # the CSS page-margin box, on every page
        assert re.search(rf"หน้า {number}\s*/\s*{total}\b", text), (number, text[-80:])
    everything = "\n".join(texts)
    for phrase in (  # the last is the channel chart's caption
            "สรุปผลตัวชี้วัดเป้าประสงค์ที่ 1–3 พร้อมหลักฐานประกอบ", "ประจำปีงบประมาณ พ.ศ. 2568",
            "จัดทำเมื่อ 2 ธันวาคม 2569 00:30 น.", "จำนวนครั้งที่เผยแพร่ แยกตามช่องทาง"):
        assert phrase in everything, phrase
    assert "Sarabun-Regular" in embedded_fonts(data)
    # the closing block is one: the source line is never alone on the last page
    assert "ลงชื่อ" in texts[-1] and "ที่มา:" in texts[-1]


def plan_pdf(tmp_path, knowledge_dir, monkeypatch, url: str):
    """A KM-plan PDF of the test plan, made by a site of its own, and each page's text, every page numbered."""
    from app import create_app

    write_km(knowledge_dir)
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    application = create_app(app_config(tmp_path, knowledge_dir))
    try:
        response = application.test_client().get(url)
    finally:
        application.extensions["km"].stop()
    assert response.status_code == 200
    texts = pages_text(response.get_data())
    for number, text in enumerate(texts, start=1):
        assert re.search(rf"หน้า {number}\s*/\s*{len(texts)}\b", text), number
    return response, texts


def test_km_report_pdf_is_numbered_on_every_page(tmp_path, knowledge_dir, monkeypatch, clock):
    response, texts = plan_pdf(tmp_path, knowledge_dir, monkeypatch, "/plans/report.pdf?fy=2568")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="km-report-2568.pdf"; '
        f"filename*=UTF-8''{quote('เทศบาลตำบลบ้านสวนดอก-km-report-2568.pdf', safe='')}")
    assert "รายงานผลการดำเนินงานตามแผนการจัดการความรู้" in texts[0]
    assert "จัดทำเมื่อ 2 ธันวาคม 2569 00:30 น." in texts[0]
    assert "ลงชื่อ" in texts[-1] and "ที่มา:" in texts[-1]


def test_form_2_pdf_is_a4_across_numbered_and_signed(tmp_path, knowledge_dir, monkeypatch, clock):
    """Nine columns fit A4 landscape, the form's own page rule; the results report stays upright."""
    from pypdf import PdfReader

    response, texts = plan_pdf(tmp_path, knowledge_dir, monkeypatch, "/plans/2568/form2.pdf?fy=2568")
    assert "km-form2-2568.pdf" in response.headers["Content-Disposition"]
    for page in PdfReader(io.BytesIO(response.get_data())).pages:
        assert page.mediabox.width > page.mediabox.height  # landscape
    assert "แบบฟอร์มที่ 2" in texts[0] and "กลุ่มเป้าหมาย" in texts[0] and "สรุปผล/บทเรียน" in texts[0]
    assert "ผู้จัดทำแผน" in texts[-1] and "ผู้อนุมัติแผน" in texts[-1]


def test_the_print_views_link_to_the_pdf(client):
    page = client.get("/reports/print?fy=2568").get_data(as_text=True)
    assert '<a class="button button-secondary" href="/reports/print.pdf?fy=2568">ดาวน์โหลด PDF</a>' in page
    assert '<button type="button" class="button" data-print>พิมพ์</button>' in page
    indicators = client.get("/reports/?fy=2568").get_data(as_text=True)
    assert '<a href="/reports/print.pdf?fy=2568">รายงานฉบับพิมพ์ (PDF)</a>' in indicators


def _site(tmp_path, knowledge_dir, **config):
    from app import create_app

    return create_app(app_config(tmp_path, knowledge_dir, **config))


def _fake_chromium(tmp_path, body: str) -> str:
    program = tmp_path / "fake-chromium"
    program.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    program.chmod(0o755)
    return str(program)


def test_missing_chromium_is_a_thai_page_not_a_500(tmp_path, knowledge_dir):
    application = _site(tmp_path, knowledge_dir, KM_CHROMIUM="/nonexistent/chromium")
    try:
        response = application.test_client().get("/reports/print.pdf?fy=2568")
    finally:
        application.extensions["km"].stop()
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "<h1>สร้างไฟล์ PDF ไม่ได้</h1>" in page
    assert ("ไม่พบโปรแกรม Chromium ที่ใช้สร้างไฟล์ PDF (KM_CHROMIUM = /nonexistent/chromium) "
            "ผู้ดูแลระบบต้องติดตั้งแพ็กเกจ chromium ก่อน") in page
    assert '<a href="/reports/print?fy=2568">ไปที่ฉบับพิมพ์</a>' in page


def test_a_chromium_that_hangs_is_stopped_at_the_time_limit(tmp_path, knowledge_dir, monkeypatch):
    monkeypatch.setattr(pdf, "PDF_TIMEOUT", 1)
    application = _site(tmp_path, knowledge_dir, KM_CHROMIUM=_fake_chromium(tmp_path, "sleep 30 & sleep 30"))
    try:
        started = dt.datetime.now()
        response = application.test_client().get("/reports/print.pdf?fy=2568")
        elapsed = (dt.datetime.now() - started).total_seconds()
    finally:
        application.extensions["km"].stop()
    assert response.status_code == 504 and elapsed < 10  # the helper "sleep" was ended with the group
    assert "สร้างไฟล์ PDF ไม่เสร็จภายใน 1 วินาที กรุณาลองใหม่ภายหลัง" in response.get_data(as_text=True)


def test_a_failing_chromium_is_logged_and_explained(tmp_path, knowledge_dir, caplog):
    application = _site(tmp_path, knowledge_dir, KM_CHROMIUM=_fake_chromium(tmp_path, "echo no display >&2; exit 3"))
    try:
        response = application.test_client().get("/reports/print.pdf?fy=2568")
    finally:
        application.extensions["km"].stop()
    assert response.status_code == 500
    assert ("สร้างไฟล์ PDF ไม่สำเร็จ ระบบบันทึกสาเหตุไว้ให้ผู้ดูแลระบบแล้ว ระหว่างนี้ใช้ปุ่ม “พิมพ์” แล้วเลือก “บันทึกเป็น PDF” แทนได้"
            in response.get_data(as_text=True))
    assert "chromium could not print a PDF (exit 3): no display" in caplog.text


def test_one_pdf_at_a_time(tmp_path, knowledge_dir, monkeypatch):
    monkeypatch.setattr(pdf, "LOCK_WAIT", 0.2)
    application = _site(tmp_path, knowledge_dir, KM_CHROMIUM=_fake_chromium(tmp_path, "exit 0"))
    try:
        with file_lock(tmp_path / "instance" / "pdf.lock", 1, RuntimeError):  # another worker is printing
            response = application.test_client().get("/reports/print.pdf?fy=2568")
    finally:
        application.extensions["km"].stop()
    assert response.status_code == 503
    assert "มีผู้อื่นกำลังสร้างไฟล์ PDF อยู่ กรุณาลองอีกครั้งในอีกสักครู่" in response.get_data(as_text=True)


def test_a_third_pdf_request_is_told_to_retry_at_once(tmp_path, knowledge_dir, monkeypatch):
    monkeypatch.setattr(pdf, "LOCK_WAIT", 30)  # what it would wait for the printer, were it let in line
    application = _site(tmp_path, knowledge_dir, KM_CHROMIUM=_fake_chromium(tmp_path, "exit 0"))
    locks = tmp_path / "instance"
    try:
        with file_lock(locks / "pdf.lock", 1, RuntimeError), file_lock(locks / "pdf.lock.queue", 1, RuntimeError):
            started = time.monotonic()
            response = application.test_client().get("/reports/print.pdf?fy=2568")  # one prints, one waits
            waited = time.monotonic() - started
    finally:
        application.extensions["km"].stop()
    assert response.status_code == 503 and waited < 15
    assert "มีผู้อื่นกำลังสร้างไฟล์ PDF อยู่ กรุณาลองอีกครั้งในอีกสักครู่" in response.get_data(as_text=True)


def test_the_page_given_to_chromium_loads_only_local_files(tmp_path, monkeypatch):
    seen = {}

    def fake_run(command, timeout):
        seen["html"] = Path(command[-1].removeprefix("file://")).read_text(encoding="utf-8")
        seen["timeout"] = timeout

    monkeypatch.setattr(pdf, "_run", fake_run)
    with pytest.raises(pdf.PdfError) as info:  # the fake wrote no PDF
        pdf.html_to_pdf('<html><head><link href="/static/css/site.css"></head><body>ก</body></html>', "/static/",
                        tmp_path / "static", "sh", tmp_path / "pdf.lock")
    assert info.value.status == 500
    html = seen["html"]
    assert f'href="{(tmp_path / "static").as_uri()}/css/site.css"' in html
    assert "default-src 'none'; style-src file:; font-src file:; img-src file: data:" in html
    assert seen["timeout"] == pdf.PDF_TIMEOUT


def test_the_print_report_carries_both_charts(client, monkeypatch):
    reader = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36"}
    for day in (dt.date(2025, 1, 15), dt.date(2025, 1, 16), dt.date(2025, 3, 2)):
        monkeypatch.setattr(dates, "today", lambda day=day: day)
        assert client.get("/assets/sick-leave", headers=reader).status_code == 200
    page = client.get("/reports/print?fy=2568").get_data(as_text=True)
    assert page.count('<figure class="chart">') == 2
    assert '<figcaption id="print-channel-chart-caption">จำนวนครั้งที่เผยแพร่ แยกตามช่องทาง</figcaption>' in page
    assert '<figcaption id="print-month-chart-caption">จำนวนการเปิดอ่านรายเดือน</figcaption>' in page
    assert "เปิดอ่านขุมความรู้ 3 ครั้ง" in page


def test_a_long_table_starts_on_the_page_its_heading_is_on(sample_client, tmp_path):
    """The directory of who knows what, printed: its table runs on from page 1 row by row, rather
    than moving whole to page 2 and leaving page 1 half empty (print.css)."""
    html = sample_client.get("/assets/expert-directory/print").get_data(as_text=True)
    static = Path(__file__).parent.parent / "app" / "static"
    data = pdf.html_to_pdf(html, "/static/", static, "chromium", tmp_path / "pdf.lock")
    first, *rest = pages_text(data)
    assert rest and "สิทธิการลาทุกประเภท" in first  # the table's first row, under its heading
