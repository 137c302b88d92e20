"""`flask km erase`: a request to erase personal data reaches every copy the site made of it (outside
review, privacy: after the team drafted the asset, removed the PDF and rewrote the text, the ID number
was still in three revisions any editor could restore, in .removed, in the attachment-text cache, in
the index files and in the search log)."""

from __future__ import annotations

from conftest import write_asset
from publish_support import read_form
from test_attachments import thai_pdf

from app.db import database_path, get_db
from app.erase import pattern_for
from app.revisions import text_sha
from indexer import SearchRequest
from indexer.content.extraction import extract_text

ID = "1103700012346"
WRITTEN = "1-1037-00012-34-6"


def test_a_number_is_found_however_it_is_written_and_text_in_any_case():
    pattern = pattern_for(WRITTEN)
    for text in (ID, WRITTEN, "1 1037 00012 34 6", "๑๑๐๓๗๐๐๐๑๒๓๔๖", f"เลข {ID}.", "1/1037/00012/34/6",
                 "1-1037-00012-\n34-6"):
        assert pattern.search(text), text
    for text in (ID + "9", "9" + ID, "110370001234"):
        assert not pattern.search(text), text
    assert pattern_for("นางอรุณี  ทองดี").search("ผู้ยื่นคำขอ นางอรุณี ทองดี กองคลัง")
    assert pattern_for("Arunee@Mail.com").search("arunee@mail.com")


def test_erase_needs_the_current_files_clean_then_blanks_every_copy(app, runner, editor_client, client,
                                                                    knowledge_dir):
    kb = app.extensions["km"].kb
    values = read_form(editor_client.get("/publish/new").get_data(as_text=True))
    values.update(title="การหักเงินเดือน", slug="deduction", department="palad", km_stage="codification",
                  body=f"ตัวอย่าง นางอรุณี เลขประจำตัวประชาชน {WRITTEN}\n", personal_ok="y")
    assert editor_client.post("/publish/new", data=values).status_code == 302
    client.get(f"/search?q={ID}")
    aside = knowledge_dir / "palad" / "deduction.files" / ".removed" / "คำขอ.pdf"
    aside.parent.mkdir(parents=True)
    aside.write_bytes(thai_pdf(f"คำขอ เลขประจำตัวประชาชน {ID}"))
    cached = extract_text(aside, kb.text_cache)
    assert ID in cached
    with app.app_context():
        get_db().execute("INSERT INTO asset_feedback (slug, day, helpful, comment) VALUES (?, ?, 0, ?)",
                         ("deduction", "2026-12-07", f"เลขของดิฉัน {ID} ผิด"))
        get_db().commit()

    refused = runner.invoke(args=["km", "erase", WRITTEN, "--yes"])
    assert refused.exit_code == 1 and "ยังอยู่ในไฟล์ปัจจุบัน: palad/deduction.md" in refused.output
    assert "ยังลบไม่ได้" in refused.output and aside.exists()

    edit = read_form(editor_client.get("/publish/deduction/edit").get_data(as_text=True))
    assert editor_client.post("/publish/deduction/edit",
                              data={**edit, "body": "ตัวอย่าง พนักงานคนหนึ่ง เลขประจำตัวประชาชน x-xxxx\n"}).status_code == 302

    def index_holds_it() -> bool:
        files = [p for p in kb.settings.index_dir.rglob("*") if p.is_file() and p.suffix != ".lock"]
        return any(b"00012" in p.read_bytes() for p in files)  # a number is indexed in its parts

    assert index_holds_it()  # the deleted version's words stay in the segment until a rebuild
    listed = runner.invoke(args=["km", "erase", ID])
    assert listed.exit_code == 0 and "ยังไม่ได้ลบ" in listed.output
    for line in ("ฉบับในประวัติการแก้ไข: 1 รายการ", "ความคิดเห็นของผู้อ่าน: 1 รายการ", "คำค้นที่บันทึกไว้: 1 รายการ",
                 "ไฟล์ที่นำออกแล้ว (.removed): 1 ไฟล์", "ข้อความที่อ่านจากไฟล์แนบ (แคช): 1 ไฟล์"):
        assert line in listed.output, listed.output
    assert aside.exists()

    done = runner.invoke(args=["km", "erase", ID, "--yes", "--user", "dpo"])
    assert done.exit_code == 0 and "ลบแล้ว และสร้างดัชนีใหม่" in done.output, done.output
    assert not aside.exists() and not any(ID in p.read_text(encoding="utf-8") for p in kb.text_cache.rglob("*.txt"))
    with app.app_context():
        db = get_db()
        rows = db.execute("SELECT text, sha256 FROM revisions WHERE slug = 'deduction' ORDER BY rev").fetchall()
        assert "[ลบตามคำขอ]" in rows[0]["text"] and all(r["sha256"] == text_sha(r["text"]) for r in rows)
        assert db.execute("SELECT comment FROM asset_feedback").fetchone()[0] == "เลขของดิฉัน [ลบตามคำขอ] ผิด"
        assert db.execute("SELECT COUNT(*) FROM search_queries WHERE query LIKE ?", (f"%{ID}%",)).fetchone()[0] == 0
        entry = db.execute("SELECT actor, detail FROM audit_log WHERE action = 'erase'").fetchone()
    assert entry["actor"] == "cli:dpo" and ID not in entry["detail"]
    assert ID not in editor_client.get("/publish/deduction/diff?a=1&b=2").get_data(as_text=True)
    assert kb.search(SearchRequest(q=ID)).total == 0  # the site reads the new build and lets the old one go
    if "ยังมีเว็บไซต์อ่านอยู่" in done.output:  # this process's searcher held it: dropped at the next save
        assert index_holds_it() and kb.drop_earlier_builds() == 0
    assert not index_holds_it()
    assert "ไม่พบข้อความนี้ในระบบ" in runner.invoke(args=["km", "erase", ID]).output
    database = database_path(app)
    for path in (database, database.with_name(database.name + "-wal")):  # no free page or logged frame keeps it
        assert not path.exists() or ID.encode() not in path.read_bytes(), path


def test_a_short_text_is_refused_before_anything_is_read(runner, knowledge_dir):
    write_asset(knowledge_dir, "palad/a.md", title="ก", body="ข้อความ 12 ข้อ")
    result = runner.invoke(args=["km", "erase", " 12 "])
    assert result.exit_code == 2 and "ต้องยาวอย่างน้อย 4 ตัวอักษร" in result.output
