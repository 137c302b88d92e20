"""The KM team records an event in a real browser and sees the activity's actual move; the auditor prints
the yearly report to A4 PDF with page numbers and the signature block kept with the closing text."""

from __future__ import annotations

import base64
import unicodedata

import pytest
from browser_support import sign_in
from plans_support import TODAY, write_km
from publish_support import make_user
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_pdf import pages_text

from indexer import dates

pytestmark = pytest.mark.browser


def severe_errors(browser) -> list:
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]]


def test_record_an_event_and_see_the_activity_actual_move(app, knowledge_dir, live_server, browser, monkeypatch):
    write_km(knowledge_dir)
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    make_user(app, "somchai", "editor")
    sign_in(browser, live_server)
    browser.get(live_server + "/plans/2568/activities/3")
    assert browser.find_element(By.ID, "actual").text == "1 ครั้ง"
    assert browser.find_element(By.CSS_SELECTOR, ".activity-figures .state").text == "กำลังดำเนินการ"
    browser.find_element(By.LINK_TEXT, "บันทึกการจัดกิจกรรม").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "form[data-event-form]")))
    # The quick form: date (today, BE) and the activity are already filled in.
    assert browser.find_element(By.ID, "date").get_attribute("value") == "01/06/2568"
    assert Select(browser.find_element(By.ID, "activity")).first_selected_option.get_attribute("value") == "2568:3"
    Select(browser.find_element(By.ID, "type")).select_by_visible_text("ล้อมวงเล่า")
    browser.find_element(By.ID, "title").send_keys("ล้อมวงเล่า เรื่องการลาคาบเกี่ยวปีงบประมาณ")
    browser.find_element(By.ID, "participants").send_keys("๑๑")
    browser.find_element(By.ID, "evidence").send_keys("บันทึกวงเล่า ที่ ๓/๒๕๖๘")
    browser.find_element(By.CSS_SELECTOR, "form[data-event-form] button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.url_contains("/plans/2568/activities/3"))
    assert browser.find_element(By.ID, "actual").text == "2 ครั้ง"
    assert browser.find_element(By.CSS_SELECTOR, ".activity-figures .state").text == "เสร็จตามกำหนด"
    assert "ล้อมวงเล่า เรื่องการลาคาบเกี่ยวปีงบประมาณ" in browser.find_element(By.CSS_SELECTOR, ".event-list").text
    assert "บันทึกกิจกรรมแล้ว" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    # The plan's timeline now draws the activity as done on time.
    browser.get(live_server + "/plans/2568")
    row = browser.find_element(By.CSS_SELECTOR, 'g.tl-row[data-activity="3"]')
    assert row.get_attribute("data-state") == "done-on-time"
    assert len(row.find_elements(By.CSS_SELECTOR, "circle.tl-event")) == 2
    assert severe_errors(browser) == []  # no CSP violation or script error on the way


def plain(text: str) -> str:
    """PDF text without spaces, Thai marks and the font's private-use glyphs, so pages can be searched reliably
    (text extraction places marks as private-use glyphs and adds spaces inside bold Thai words)."""
    text = unicodedata.normalize("NFC", text).replace("\u0e33", "\u0e32")  # sara am comes out as nikhahit + sara aa
    return "".join(c for c in text if unicodedata.category(c) != "Mn" and not "\uf700" <= c <= "\uf8ff"
                   and not c.isspace())


def test_print_the_yearly_report_to_a4(sample_live_server, browser):
    browser.get(sample_live_server + "/plans/report/print?fy=2568")
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".signatures")))
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    pages = [plain(text) for text in pages_text(base64.b64decode(pdf["data"]))]  # as a PDF reader copies it
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):  # every page numbered "หน้า n / total"
        assert f"{plain('หน้า')}{number}/{len(pages)}" in text, number
    assert plain("เทศบาลตำบลบ้านสวนดอก") in pages[0] and plain("ประจำปีงบประมาณ พ.ศ. 2568") in pages[0]
    last = pages[-1]
    assert plain("ลงชื่อ") in last and plain("นายสมศักดิ์ วงศ์คำ") in last
    assert plain("ขอรับรองว่าข้อมูลข้างต้นเป็นความจริง") in last  # the signatures never stand alone
    assert plain("คะแนนถ่วงน้ำหนักรวม 5.00 คะแนน") in last
    assert any(plain("แผนและผลการดำเนินงาน ปีงบประมาณ 2568") in p for p in pages)  # the timeline chart is in


def test_plan_pages_and_the_event_form_fit_a_phone(app, knowledge_dir, live_server, monkeypatch):
    from browser_support import chromium

    write_km(knowledge_dir)
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    make_user(app, "somchai", "editor")
    with chromium(390, 844) as phone:
        sign_in(phone, live_server)
        for page in ("/plans/2568", "/plans/report?fy=2568", "/events/new", "/people/", "/plans/needs",
                     "/events/?fy=2568"):
            phone.get(live_server + page)
            overflow = phone.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, page
            # the tables scroll inside their box; an activity's or an event's name is not wrapped a word per line
            names = phone.execute_script("return [...document.querySelectorAll('.activity-table tbody td:nth-child(2),"
                                         " .event-table tbody td:nth-child(2)')].map(td => td.getBoundingClientRect()"
                                         ".width)")
            assert all(width >= 180 for width in names), (page, names)
            assert names or page not in ("/plans/2568", "/events/?fy=2568"), page
        phone.get(live_server + "/events/new")
        visible = [e for e in phone.find_elements(By.CSS_SELECTOR, "form[data-event-form] input, "
                                                                    "form[data-event-form] select") if e.is_displayed()]
        assert len(visible) == 6  # date, type, title, activity, participants, evidence: the rest is folded


def test_a_photo_of_the_event_is_kept_as_evidence_from_a_phone(app, knowledge_dir, live_server, monkeypatch, tmp_path):
    from browser_support import chromium, keep_screenshot, settled
    from test_attachments import PNG

    write_km(knowledge_dir)
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    make_user(app, "somchai", "editor")
    photo = tmp_path / "ภาพวงเล่าเรื่อง.png"
    photo.write_bytes(PNG)
    with chromium(390, 844) as phone:
        sign_in(phone, live_server)
        phone.get(live_server + "/events/2025-01-10-training")
        phone.find_element(By.CSS_SELECTOR, "#evidence-files input[type=file]").send_keys(str(photo))
        phone.find_element(By.CSS_SELECTOR, "#evidence-files button[type=submit]").click()
        settled(phone).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "เก็บไฟล์หลักฐาน"))
        listed = phone.find_element(By.CSS_SELECTOR, "#evidence-files .file-list a")
        assert listed.text == "ภาพวงเล่าเรื่อง.png"
        assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
        keep_screenshot(phone, "plans-event-evidence-390", whole_page=True)
        assert severe_errors(phone) == []
    assert (knowledge_dir / "_km" / "events" / "2025-01-10-training.files" / "ภาพวงเล่าเรื่อง.png").read_bytes() == PNG
