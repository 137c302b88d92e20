"""What authors write, rendered as they mean it (outside review, authors): lists right under a line
of text, text indented the way Word pastes it, steps numbered in Thai digits and checklists."""

from __future__ import annotations

import pytest

from indexer.content.render import render_body


def html(body: str) -> str:
    return render_body(body, toc=False).html


@pytest.mark.parametrize("body, items, tag", [
    ("เอกสารที่ต้องใช้:\n- บัตรประจำตัวประชาชน\n- ทะเบียนบ้าน\n", ["บัตรประจำตัวประชาชน", "ทะเบียนบ้าน"], "ul"),
    ("ตรวจก่อนส่ง:\n* ลงชื่อ\n* แนบสำเนา\n", ["ลงชื่อ", "แนบสำเนา"], "ul"),
    ("ขั้นตอน:\n1. ยื่นคำขอ\n2. ตรวจสอบ\n", ["ยื่นคำขอ", "ตรวจสอบ"], "ol"),
    ("ขั้นตอน:\n๑. ยื่นคำขอ\n๒. ตรวจสอบ\n", ["ยื่นคำขอ", "ตรวจสอบ"], "ol"),
])
def test_a_list_starts_on_the_line_after_a_line_of_text(body, items, tag):
    rendered = html(body)
    label = body.split("\n")[0]
    assert rendered.startswith(f"<p>{label}</p>\n<{tag}")
    assert [f"<li>{item}</li>" in rendered for item in items] == [True] * len(items)


def test_only_a_first_number_starts_a_list_inside_a_paragraph_and_a_list_keeps_its_own_lines():
    assert html("งบประมาณปี 2568\n2. ล้านบาท\n") == "<p>งบประมาณปี 2568<br>\n2. ล้านบาท</p>"
    assert html("- หนึ่ง\nต่อบรรทัด\n- สอง\n") == "<ul>\n<li>หนึ่ง<br>\nต่อบรรทัด</li>\n<li>สอง</li>\n</ul>"
    assert html("```\nคำสั่ง\n- ไม่ใช่รายการ\n```\n") == "<pre><code>คำสั่ง\n- ไม่ใช่รายการ\n</code></pre>"


def test_text_indented_as_word_pastes_it_is_a_paragraph_not_code_that_never_wraps():
    body = "\tตามที่เทศบาลได้ประกาศรับสมัคร นั้น\n\n    จึงประกาศมาเพื่อทราบโดยทั่วกัน\n"
    assert html(body) == "<p>ตามที่เทศบาลได้ประกาศรับสมัคร นั้น</p>\n<p>จึงประกาศมาเพื่อทราบโดยทั่วกัน</p>"
    assert "<ul>\n<li>ย่อย</li>" in html("1. ข้อ\n    - ย่อย\n")  # an indented item still nests


def test_steps_numbered_in_thai_digits_keep_their_numbers_and_are_shown_in_thai():
    assert html("๔. ส่งแบบคำร้อง\n๕. ชำระค่าธรรมเนียม\n").startswith('<ol class="thai-digits" start="4">')
    assert html("๑. ยื่น\n๒. ตรวจ\n").startswith('<ol class="thai-digits">')
    assert html("4. ส่ง\n5. ชำระ\n").startswith('<ol start="4">')


def test_a_line_break_typed_is_a_line_break_shown_and_footnotes_are_footnotes():
    """One-per-line text (a signature block, ก. ข. items) ran together into one paragraph, and a
    footnote showed as [^1] (outside review, authors)."""
    assert html("ลงชื่อ\nนายสมชาย ใจดี\nปลัดเทศบาล\n") == "<p>ลงชื่อ<br>\nนายสมชาย ใจดี<br>\nปลัดเทศบาล</p>"
    rendered = html("ตามระเบียบ[^1]\n\n[^1]: ระเบียบกระทรวงมหาดไทย พ.ศ. ๒๕๖๒ ข้อ ๕\n")
    assert '<sup id="fnref:1"><a href="#fn:1"' in rendered and '<li id="fn:1">' in rendered
    assert 'title="กลับไปที่เชิงอรรถ 1 ในเนื้อหา"' in rendered and "[^1]" not in rendered


def test_steps_going_on_under_a_label_start_where_they_are_numbered():
    """"ขั้นตอนต่อ:" and then "๔. ส่งแบบคำร้อง" stayed lines of text: CommonMark lets only a first number
    interrupt a paragraph, but after a label's colon the numbers are a list wherever they start."""
    assert html("ขั้นตอนต่อ:\n๔. ส่งแบบคำร้อง\n๕. ชำระ\n").startswith(
        '<p>ขั้นตอนต่อ:</p>\n<ol class="thai-digits" start="4">')


def test_checklist_items_show_a_box_not_brackets():
    assert html("- [ ] ลงชื่อ\n- [x] แนบสำเนา\n") == (
        '<ul>\n<li class="task">☐ ลงชื่อ</li>\n<li class="task">☑ แนบสำเนา</li>\n</ul>')
    assert "[ ]" in html("ข้อความ [ ] ในบรรทัด\n")  # brackets elsewhere are text
    loose = html("- [ ] ลงชื่อ\n\n- [x] แนบสำเนา\n")  # items apart: each in a paragraph, boxed all the same
    assert "[x]" not in loose and loose.count('<li class="task">') == 2


def test_links_readers_cannot_follow_are_named_by_check(tmp_path, capsys):
    """Nothing reported a link to a slug mistyped, a file renamed or a retired asset (outside review,
    authors)."""
    from conftest import write_asset

    from indexer.cli import main

    write_asset(tmp_path, "palad/guide.md", title="คู่มือ", body=(
        "ดู [การลาป่วย](/assets/sick-leave) [ลาป่วยอีกครั้ง](/assets/sick-leave#ขั้นตอน) [ผิด](/assets/sick-leaf)\n\n"
        "[เก่า](</assets/old-rule>) <a href=\"/assets/new-draft\">ร่าง</a> [ไฟล์](/assets/sick-leave/files/a.pdf)\n"))
    write_asset(tmp_path, "palad/sick-leave.md", title="การลาป่วย")
    write_asset(tmp_path, "palad/old-rule.md", title="ระเบียบเดิม", status="archived", body="ดู [ผิด](/assets/gone)\n")
    write_asset(tmp_path, "palad/new-draft.md", title="ร่างใหม่", status="draft", body="ดู [ผิด](/assets/gone)\n")
    assert main(["--knowledge", str(tmp_path), "--index", str(tmp_path / "ix"), "check"]) == 0
    out = capsys.readouterr().out
    assert out.count("ลิงก์ไปยัง") == 4  # sick-leave is fine (once, whatever the anchor or file)
    assert "palad/guide.md: body: ลิงก์ไปยัง /assets/sick-leaf: ไม่มีขุมความรู้นี้" in out
    assert "ลิงก์ไปยัง /assets/old-rule: “ระเบียบเดิม” เลิกใช้แล้ว" in out
    assert "ลิงก์ไปยัง /assets/new-draft: “ร่างใหม่” ยังเป็นฉบับร่าง" in out
    assert "palad/new-draft.md: body: ลิงก์ไปยัง /assets/gone" in out  # the draft will be read: told now
    assert "old-rule.md: body" not in out  # a retired asset's links are history


@pytest.mark.parametrize("body", ["- ขั้นที่ ๑\n  - เอกสาร\n  - สำเนา\n- ขั้นที่ ๒\n",
                                  "1. ขั้นที่ ๑\n   - เอกสาร\n   - สำเนา\n2. ขั้นที่ ๒\n",
                                  "- ขั้นที่ ๑\n    - เอกสาร\n    - สำเนา\n- ขั้นที่ ๒\n"])
def test_a_list_nested_by_two_three_or_four_spaces_is_nested(body):
    """Python-Markdown nests only by four spaces: two (most editors) or three (under "1.") flattened
    the sub-items or ran them into their parent (outside review, authors)."""
    rendered = html(body)
    assert "<li>เอกสาร</li>\n<li>สำเนา</li>\n</ul>\n</li>" in rendered and rendered.count("<li>") == 4


@pytest.mark.parametrize("body, href, shown", [
    ("ดูประกาศที่ https://www.dla.go.th/servlet/Doc?id=12. แล้วพิมพ์", "https://www.dla.go.th/servlet/Doc?id=12",
     "https://www.dla.go.th/servlet/Doc?id=12"),
    ("ยื่นที่https://e-office.example.go.th/leave/แล้วรอผล", "https://e-office.example.go.th/leave/",
     "https://e-office.example.go.th/leave/"),
    ("(เว็บ www.example.go.th)", "http://www.example.go.th", "www.example.go.th"),
])
def test_a_web_address_typed_bare_is_a_link_that_ends_where_the_sentence_goes_on(body, href, shown):
    html = render_body(body).html
    assert f'<a href="{href}" rel="noopener noreferrer">{shown}</a>' in html
    assert html.count("<a ") == 1


def test_addresses_inside_links_and_code_are_left_as_written_and_struck_text_is_struck():
    html = render_body("[ระเบียบ https://a.example.go.th](https://a.example.go.th) และ `https://b.example.go.th`\n\n"
                       "อัตราเดิม ~~๑๕๐ บาท~~ เป็น ๒๐๐ บาท ช่วง 3 ~ 5 วัน").html
    assert html.count("<a ") == 1 and "<a" not in html.split("</a>", 1)[1]
    assert "<code>https://b.example.go.th</code>" in html
    assert "<del>๑๕๐ บาท</del> เป็น" in html and "3 ~ 5" in html
