"""Body merges after a conflict go paragraph by paragraph (merge3 over paragraphs and blank lines)."""

from __future__ import annotations

import pytest
from conftest import write_asset
from publish_support import login, make_user, read_form

from app.publish.merge import merge_paragraphs, propose
from indexer.content.vocabulary import load_vocabulary
from indexer.settings import DATA_DIR

BASE = "## ขั้นตอน\n\nยื่นใบลาป่วยภายในวันที่กลับมาทำงาน\n\nลาตั้งแต่ 30 วันต้องมีใบรับรองแพทย์\n\nส่งที่งานการเจ้าหน้าที่\n"


@pytest.mark.parametrize("yours, theirs, merged", [
    # neighbouring paragraphs, one each
    (BASE.replace("ยื่นใบลาป่วย", "ส่งใบลาป่วย"), BASE.replace("30 วัน", "สามสิบวัน"),
     BASE.replace("ยื่นใบลาป่วย", "ส่งใบลาป่วย").replace("30 วัน", "สามสิบวัน")),
    # a new paragraph on one side, an edit on the other
    (BASE + "\nหมายเหตุจากสมชาย\n", BASE.replace("## ขั้นตอน", "## วิธีลา"),
     BASE.replace("## ขั้นตอน", "## วิธีลา") + "\nหมายเหตุจากสมชาย\n"),
    # a paragraph removed on one side, another edited on the other
    (BASE.replace("ส่งที่งานการเจ้าหน้าที่\n", "").rstrip("\n") + "\n", BASE.replace("ยื่นใบลาป่วย", "ส่งใบลาป่วย"),
     BASE.replace("ยื่นใบลาป่วย", "ส่งใบลาป่วย").replace("\n\nส่งที่งานการเจ้าหน้าที่\n", "\n")),
    # the same change on both sides
    (BASE.replace("30", "๓๐"), BASE.replace("30", "๓๐"), BASE.replace("30", "๓๐")),
])
def test_changes_to_different_paragraphs_merge_cleanly(yours, theirs, merged):
    assert merge_paragraphs(BASE, yours, theirs) == (merged, False)


def test_the_same_paragraph_changed_two_ways_is_a_conflict_and_keeps_the_rest_of_theirs():
    yours = BASE.replace("ยื่นใบลาป่วย", "ส่งใบลาป่วย")
    theirs = BASE.replace("ยื่นใบลาป่วย", "แจ้งใบลาป่วย").replace("## ขั้นตอน", "## วิธีลา")
    assert merge_paragraphs(BASE, yours, theirs) == (yours.replace("## ขั้นตอน", "## วิธีลา"), True)


def test_two_editors_changing_different_paragraphs_get_both_changes_proposed(app, editor_client, knowledge_dir):
    write_asset(knowledge_dir, "palad/steps.md", title="ขั้นตอนการลาป่วย", body=BASE)
    app.extensions["km"].kb.update()
    mine = read_form(editor_client.get("/publish/steps/edit").get_data(as_text=True))
    make_user(app, "malee", "editor")
    other = app.test_client()
    login(other, "malee")
    theirs = read_form(other.get("/publish/steps/edit").get_data(as_text=True))
    theirs["body"] = theirs["body"].replace("30 วัน", "สามสิบวัน")
    assert other.post("/publish/steps/edit", data=theirs).status_code == 302

    mine["body"] = mine["body"].replace("ยื่นใบลาป่วย", "ส่งใบลาป่วย")
    response = editor_client.post("/publish/steps/edit", data=mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "เนื้อหา: รวมให้แล้ว" in page and "กรุณารวมเอง" not in page
    proposal = read_form(page)
    assert proposal["body"].replace("\r\n", "\n") == BASE.replace("ยื่นใบลาป่วย", "ส่งใบลาป่วย").replace(
        "30 วัน", "สามสิบวัน")
    assert editor_client.post("/publish/steps/edit", data=proposal).status_code == 302
    body = app.extensions["km"].kb.asset("steps").body
    assert "ส่งใบลาป่วย" in body and "สามสิบวัน" in body and "ยื่นใบลาป่วย" not in body


def test_a_colleagues_edit_to_a_second_summary_line_is_kept_when_you_changed_only_the_title():
    # the form sends CRLF and the file has LF: a multi-line field must compare line by line, not as one line
    base = ("---\ntitle: เรื่อง\ndepartment: palad\nkm_stage: creation\nsummary: |\n  บรรทัดหนึ่ง\n  บรรทัดสอง\n---\n"
            "เนื้อหา\n")
    theirs = base.replace("บรรทัดสอง", "บรรทัดสองที่แก้แล้ว")
    yours = {"title": "เรื่อง (แก้ชื่อ)", "department": "palad", "km_stage": "creation",
             "summary": "บรรทัดหนึ่ง\r\nบรรทัดสอง", "asset_type": "other", "knowledge_type": "explicit",
             "status": "published"}
    proposal = propose(base, theirs, yours, "เนื้อหา\n", load_vocabulary(DATA_DIR / "vocabulary.yaml"), "palad/x.md")
    assert proposal.field_conflicts == () and proposal.taken_from_them == ("สรุปย่อ",)
    assert proposal.values["summary"] == "บรรทัดหนึ่ง\nบรรทัดสองที่แก้แล้ว"
    assert proposal.values["title"] == "เรื่อง (แก้ชื่อ)"

