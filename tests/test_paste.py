"""Text pasted into the editor from a word processor becomes the Markdown an asset is written in
(outside review, onboarding: Word's headings, bullets and tables were pasted as loose lines)."""

from __future__ import annotations

import html
import time
from pathlib import Path

import pytest
from publish_support import csrf_token

from app.publish.pasted import MAX_PASTED_CHARS, pasted_markdown
from app.rendering import render_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "paste"


def test_a_word_page_keeps_its_headings_lists_table_and_link():
    markdown = pasted_markdown((FIXTURES / "word.html").read_text(encoding="utf-8"), "ignored when there is HTML")
    assert markdown.startswith("**คู่มือการขอรับเงินสงเคราะห์ผู้ยากไร้**\n")
    assert "\n## 1. วัตถุประสงค์\n\nเพื่อให้ผู้ยากไร้ในเขตเทศบาลได้รับความช่วยเหลือ อย่างทั่วถึง\n" in markdown
    assert "\n- มีทะเบียนบ้านในเขตเทศบาล\n- มีรายได้เฉลี่ยไม่เกินเดือนละ ๓,๐๐๐ บาท\n" in markdown  # one list
    assert "\n1. ยื่นคำร้องที่กองสวัสดิการสังคม\n2. เจ้าหน้าที่ตรวจสอบข้อเท็จจริงที่บ้าน\n" in markdown
    assert ("| **ลำดับ** | **ขั้นตอน** | **ระยะเวลา** |\n| --- | --- | --- |\n"
            "| 1 | รับคำร้องและตรวจเอกสาร | 1 วัน |\n| 2 | ลงพื้นที่ตรวจสอบ | 7 วัน |") in markdown
    assert "[เว็บไซต์เทศบาล](https://www.example.go.th/welfare)" in markdown
    for leftover in ("supportLists", "endif", "MsoNormal", "o:p", "·", "p.MsoNormal", "\xa0"):
        assert leftover not in markdown, leftover
    shown = render_markdown(markdown).html  # what the reader gets
    assert "<h2" in shown and "<table>" in shown and shown.count("<li>") == 4


def test_a_google_docs_page_is_not_all_bold_and_loses_its_script():
    markdown = pasted_markdown((FIXTURES / "gdocs.html").read_text(encoding="utf-8"), "")
    assert markdown == ("# การชำระภาษีป้าย\n\nยื่นแบบ ภ.ป.1 ภายในเดือนมีนาคม\n\n"
                        "- ชำระที่งานจัดเก็บรายได้\n- ชำระทางธนาคาร\n")


def test_plain_text_from_word_gets_titles_lists_and_tab_tables():
    text = ("1.\tวัตถุประสงค์\r\nเพื่อให้ผู้ยากไร้ได้รับความช่วยเหลือ\r\n2.\tคุณสมบัติ\r\n•\tมีทะเบียนบ้าน\r\n"
            "•\tมีรายได้น้อย\r\n3.1\tผู้ขอยื่นคำร้อง\r\n๑)\tชำระที่งานจัดเก็บรายได้\r\n๒)\tชำระออนไลน์\r\n"
            "ลำดับ\tขั้นตอน\tระยะเวลา\r\n1\tรับคำร้อง\t1 วัน\r\n2\tตรวจ | สอบ\t3 วัน\r\n")
    assert pasted_markdown("", text) == (
        "## 1. วัตถุประสงค์\n\nเพื่อให้ผู้ยากไร้ได้รับความช่วยเหลือ\n\n## 2. คุณสมบัติ\n\n"
        "- มีทะเบียนบ้าน\n- มีรายได้น้อย\n\n3.1 ผู้ขอยื่นคำร้อง\n\n1. ชำระที่งานจัดเก็บรายได้\n2. ชำระออนไลน์\n\n"
        "| ลำดับ | ขั้นตอน | ระยะเวลา |\n| --- | --- | --- |\n| 1 | รับคำร้อง | 1 วัน |\n| 2 | ตรวจ \\| สอบ | 3 วัน |\n")


def test_a_numbered_list_stays_a_list_and_plain_paragraphs_stay_as_they_are():
    assert pasted_markdown("", "1. ยื่นคำร้อง\n2. รอผล\n") == "1. ยื่นคำร้อง\n2. รอผล\n"
    assert pasted_markdown("", "ข้อความธรรมดา\nบรรทัดที่สอง\n") == "ข้อความธรรมดา\nบรรทัดที่สอง\n"


@pytest.mark.parametrize("pasted_html, text", [
    ("<style>" * 200_000, ""),                     # never closed, over and over
    ("<head" * 400_000, "ข้อความ"),                 # the HTML parser looked to the end from each "<": 285 s
    ("<div>" * 400_000, "ข้อความ"),                 # nested 400,000 deep
    ("<!--" * 500_000, "ข้อความ"),                  # comments never closed
    ("<header><p>" + "<b>ก</b>" * 50_000 + "</p></header>", ""),
    ("<p>" + "ก" * (MAX_PASTED_CHARS - 7), ""),
    ("", "ก\tข\tค\n" * 200_000),
    ("", "1.\tหัวข้อ\nข้อความ\n" * 100_000),
])
def test_hostile_or_huge_pastes_take_linear_time(pasted_html, text):
    started = time.perf_counter()
    pasted_markdown(pasted_html, text)
    assert time.perf_counter() - started < 20  # about 1-2 s each here; a quadratic path would take hours


def _post(client, payload, token):
    return client.post("/publish/paste", json=payload, headers={"X-CSRFToken": token})


def test_the_editor_asks_the_site_and_only_the_km_team_may(client, editor_client):
    token = csrf_token(editor_client.get("/publish/new").get_data(as_text=True))
    reply = _post(editor_client, {"html": "<h2>หัวข้อ</h2><ul><li>หนึ่ง</li></ul>", "text": "หัวข้อ\nหนึ่ง"}, token)
    assert reply.status_code == 200 and reply.get_json() == {"markdown": "## หัวข้อ\n\n- หนึ่ง\n"}
    assert editor_client.post("/publish/paste", json={"text": "x"}).status_code == 400  # no CSRF token
    bad = _post(editor_client, {"html": ["not", "text"]}, token)
    said = html.unescape(bad.get_data(as_text=True))
    assert bad.status_code == 400 and 'ต้องส่ง JSON {"html": "…", "text": "…"}' in said
    big = _post(editor_client, {"html": "ก" * (MAX_PASTED_CHARS + 1)}, token)
    assert big.status_code == 413 and "วางทีละส่วน" in big.get_data(as_text=True)
    anonymous = client.post("/publish/paste", json={"text": "x"})
    assert anonymous.status_code in (302, 400, 401)


def test_word_sub_items_pipes_and_markdown_characters_keep_their_meaning():
    """A level-2 bullet and a bullet list after numbered steps were pasted as "- " text inside the steps, a "|"
    in a cell split it (its other cell vanished from the page), and "2*3*4" turned italic (verification
    review V-01 to V-03, V-08, V-09)."""
    markdown = pasted_markdown((FIXTURES / "word-lists.html").read_text(encoding="utf-8"), "")
    assert ("1. ทำหนังสือถึงสถานีตำรวจภูธรล่วงหน้า ๓๐ วัน\n2. แนบแผนที่เส้นทางขบวนแห่\n"
            "    - ระบุจุดเริ่มและจุดสิ้นสุด\n3. ติดป้ายประกาศล่วงหน้า ๗ วัน\n\n- สำเนาบัตรประชาชนผู้ขอ\n") in markdown
    assert "| ยื่นหนังสือ \\| สำเนา | ๑ วัน (วันทำการ) |" in markdown
    shown = render_markdown(markdown).html
    assert "<li>สำเนาบัตรประชาชนผู้ขอ</li>" in shown and "๑ วัน (วันทำการ)" in shown
    assert "<ul>\n<li>ระบุจุดเริ่มและจุดสิ้นสุด</li>" in shown  # nested under step 2
    assert pasted_markdown("<p>2*3*4 ราคา_ต่อ_หน่วย</p>", "") == "2\\*3\\*4 ราคา\\_ต่อ\\_หน่วย\n"
    assert "| 1 | 2 |  |" in pasted_markdown("", "ก\tข\tค\n1\t2\t\n")  # an empty last cell keeps its row
    assert pasted_markdown("<div>" * 3000 + "x", "ข้อความล้วน") == "ข้อความล้วน\n"  # too deep to read: the text
    assert pasted_markdown("<header><p>ข่าว</p></header><p>เนื้อหา</p>", "") == "ข่าว\n\nเนื้อหา\n"  # no <head>
