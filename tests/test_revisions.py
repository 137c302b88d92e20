"""Stored revisions: every save keeps the previous version, history, diffs and restore."""

from __future__ import annotations

import html
import re

from publish_support import csrf_token, hidden_value, read_form

from app import revisions
from app.db import get_db
from app.revisions import HAND_EDIT_AUTHOR
from indexer import SearchRequest


def _edit(client, slug: str, **changes) -> None:
    values = read_form(client.get(f"/publish/{slug}/edit").get_data(as_text=True))
    values.update(changes)
    assert client.post(f"/publish/{slug}/edit", data=values).status_code == 302


def test_first_web_save_keeps_the_file_it_replaced(app, editor_client, knowledge_dir):
    original = (knowledge_dir / "palad" / "sick-leave.md").read_text(encoding="utf-8")
    _edit(editor_client, "sick-leave", title="การลาป่วย ฉบับที่สอง")
    with app.app_context():
        versions = revisions.history(get_db(), "sick-leave")
        assert [(v.rev, v.author, v.action) for v in versions] == [(2, "somchai", "edit"),
                                                                   (1, HAND_EDIT_AUTHOR, "file")]
        assert revisions.get(get_db(), "sick-leave", 1).text == original


def test_hand_edits_between_web_saves_enter_the_history(app, editor_client, knowledge_dir):
    path = knowledge_dir / "palad" / "sick-leave.md"
    _edit(editor_client, "sick-leave", title="แก้ผ่านเว็บ")
    path.write_text(path.read_text(encoding="utf-8") + "\nเพิ่มด้วยมือ\n", encoding="utf-8")
    app.extensions["km"].refresh()
    _edit(editor_client, "sick-leave", title="แก้ผ่านเว็บอีกครั้ง")
    with app.app_context():
        versions = revisions.history(get_db(), "sick-leave")
        assert [v.author for v in versions] == ["somchai", HAND_EDIT_AUTHOR, "somchai", HAND_EDIT_AUTHOR]
        assert "เพิ่มด้วยมือ" in revisions.get(get_db(), "sick-leave", 3).text
    page = editor_client.get("/publish/sick-leave/history").get_data(as_text=True)
    assert page.count("<td>แก้ไขไฟล์โดยตรง</td>") == 2 and "<td>file</td>" not in page  # the action, in Thai


def test_history_page_lists_versions_and_diff_compares_any_two(editor_client):
    _edit(editor_client, "sick-leave", body="## ขั้นตอน\n\nยื่นใบลา <b>ก่อน</b> เก้าโมง\n")
    _edit(editor_client, "sick-leave", body="## ขั้นตอน\n\nยื่นใบลาก่อนสิบโมง\n")
    page = editor_client.get("/publish/sick-leave/history").get_data(as_text=True)
    assert page.count("somchai") >= 2 and HAND_EDIT_AUTHOR in page and "กู้คืนฉบับนี้" in page
    diff = editor_client.get("/publish/sick-leave/diff?a=2&b=3")
    text = diff.get_data(as_text=True)
    assert diff.status_code == 200
    assert "ฉบับที่ 2 → ฉบับที่ 3" in text
    # Word by word (ลาก่อน is a dictionary word, so the segmenter cuts ใบ|ลาก่อน), markup shown as text
    assert ('<span class="wd-where">บรรทัด 3</span>ยื่น<del>ใบลา &lt;b&gt;ก่อน&lt;/b&gt; เก้า</del>'
            "<ins>ใบลาก่อนสิบ</ins>โมง</div>") in text
    assert "เปลี่ยน 0 ช่อง · เพิ่ม 3 คำ · ลบ 5 คำ" in text and "ข้อมูลหัวเรื่องเหมือนกันทุกช่อง" in text
    diff = editor_client.get("/publish/sick-leave/diff?a=1&b=current").get_data(as_text=True)
    assert "ยื่นใบลาป่วยภายในวันที่กลับมาทำงาน" in re.sub(r"<[^>]+>", "", diff)  # the removed text, in <del>
    assert editor_client.get("/publish/sick-leave/diff?a=99").status_code == 404
    bad = editor_client.get("/publish/sick-leave/diff?a=../etc")
    assert bad.status_code == 400
    assert 'a, b: ต้องเป็นเลขฉบับหรือ current แต่พบ "../etc"' in html.unescape(bad.get_data(as_text=True))


def test_restore_brings_back_an_old_version_as_a_new_one(app, editor_client, knowledge_dir):
    path = knowledge_dir / "palad" / "sick-leave.md"
    original = path.read_text(encoding="utf-8")
    _edit(editor_client, "sick-leave", title="ชื่อที่แก้ผิด", body="เนื้อหาที่แก้ผิด\n")
    page = editor_client.get("/publish/sick-leave/history").get_data(as_text=True)
    response = editor_client.post("/publish/sick-leave/restore/1",
                                  data={"csrf_token": csrf_token(page), "base_sha": hidden_value(page, "base_sha")})
    assert response.status_code == 302
    assert path.read_text(encoding="utf-8") == original
    with app.app_context():
        newest = revisions.history(get_db(), "sick-leave")[0]
        assert (newest.rev, newest.action, newest.author) == (3, "restore", "somchai")
        assert get_db().execute("SELECT detail FROM audit_log WHERE action = 'restore'").fetchone()[0] == "กู้คืนจากฉบับที่ 1"
    kb = app.extensions["km"].kb
    assert kb.asset("sick-leave").title == "การลาป่วยของพนักงานเทศบาล"
    assert kb.search(SearchRequest(q="ลาป่วย")).hits[0].title == "การลาป่วยของพนักงานเทศบาล"  # re-indexed too


def test_restore_from_a_stale_history_page_is_refused(app, editor_client, knowledge_dir):
    _edit(editor_client, "sick-leave", title="ฉบับสอง")
    page = editor_client.get("/publish/sick-leave/history").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "base_sha": hidden_value(page, "base_sha")}
    _edit(editor_client, "sick-leave", title="ฉบับสาม")  # saved after the history page was opened
    response = editor_client.post("/publish/sick-leave/restore/1", data=form, follow_redirects=True)
    assert "มีผู้บันทึกขุมความรู้นี้หลังจากที่คุณเปิดหน้าประวัติ" in response.get_data(as_text=True)
    assert app.extensions["km"].kb.asset("sick-leave").title == "ฉบับสาม"


def test_restore_needs_a_csrf_token(editor_client, knowledge_dir):
    _edit(editor_client, "sick-leave", title="ฉบับสอง")
    assert editor_client.post("/publish/sick-leave/restore/1", data={}).status_code == 400
