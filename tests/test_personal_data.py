"""Personal data in an asset (PDPA): a citizen ID, a mobile number, a bank account or a house number
pasted from a real case is asked about before readers can see it, and warned about by `check` and on
the status page (outside review, privacy: a published case showed a colleague's ID, pay and home to
anyone, findable by typing the number)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from conftest import write_asset
from publish_support import post_forms, read_form

from indexer import SearchRequest, parse_asset, personal_data, personal_data_warnings
from indexer.cli import main as cli_main

CASE = ("## ตัวอย่างกรณีจริง\n\nนางอรุณี ทองดี เลขประจำตัวประชาชน 1-1037-00012-34-5 ถูกหักเงินเดือน\n"
        "ติดต่อ 081-234-5678 ที่อยู่ 99/9 หมู่ 3 ตำบลบ้านสวนดอก\n")
ASKED = "พบข้อมูลที่อาจเป็นข้อมูลส่วนบุคคล"


def kinds(text: str) -> list[tuple[str, str, int]]:
    return [(f.kind, f.shown, f.line) for f in personal_data(text)]


def test_what_a_pasted_case_carries_is_found_and_shown_masked():
    assert kinds(CASE) == [("เลขประจำตัวประชาชน", "1-xxxx-xxxxx-xx-x", 3),  # labelled: its check digit is wrong
                           ("หมายเลขโทรศัพท์มือถือ", "081-xxx-xxxx", 4), ("บ้านเลขที่", "99/9", 4)]
    # an ID whose check digit is right, beside a name or grouped as the card prints it, Thai digits too
    assert kinds("นายสมชาย 1103700012346 และ ๑-๑๐๓๗-๐๐๐๑๒-๓๔-๖") == [("เลขประจำตัวประชาชน", "1xxxxxxxxxxxx", 1),
                                                                    ("เลขประจำตัวประชาชน", "1-xxxx-xxxxx-xx-x", 1)]
    assert kinds("เลขประจำตัวประชาชน 1-1037-00012-\n34-6 และบัตรประชาชน 1103 7000 1234 6") == [  # however split
        ("เลขประจำตัวประชาชน", "1-xxxx-xxxxx- xx-x", 1), ("เลขประจำตัวประชาชน", "1xxx xxxx xxxx x", 2)]
    assert kinds("โอนเข้าบัญชี 123-4-56789-0\nโทร +66 81 234 5678\nบัญชีออมทรัพย์ 1234567890 มือถือ (081) 234-5678") == [
        ("เลขบัญชีธนาคาร", "123-x-xxxxx-x", 1), ("หมายเลขโทรศัพท์มือถือ", "+66 8x xxx xxxx", 2),
        ("เลขบัญชีธนาคาร", "123xxxxxxx", 3), ("หมายเลขโทรศัพท์มือถือ", "(081) xxx-xxxx", 3)]
    assert kinds("บ้าน 45 หมู่ 7 ต.หนองหาร\nนางสาวสุดา 88/12 ซอย 3 ถนนช้างคลาน\nสำนักงานเทศบาล 99/1 หมู่ 2") == [
        ("บ้านเลขที่", "45", 1), ("ที่อยู่", "88/12 ซอย 3", 2)]  # the third line names a workplace
    # written as clerks write them (second verification review)
    assert [k for k, _, _ in kinds("โทร 08-1234-5678 หรือ 0812-345-678\nภูมิลำเนาอยู่ 17 หมู่ 3\nบ้านพัก 45/2 ม.7"
                                   "\nโอนเข้า บช. ธกส. 020123456789")] == [
        "หมายเลขโทรศัพท์มือถือ", "หมายเลขโทรศัพท์มือถือ", "บ้านเลขที่", "บ้านเลขที่", "เลขบัญชีธนาคาร"]
    table = ("| ชื่อ | ธนาคาร | เลขที่บัญชี | จำนวนเงิน |\n|---|---|---|---|\n| นางบุญมี | กรุงไทย | 5230123456 | 1,000 |\n"
             "| นายประยูร | ออมสิน | 020098765432 | 1,000 |")
    assert kinds(table) == [("เลขบัญชีธนาคาร", "523xxxxxxx", 3), ("เลขบัญชีธนาคาร", "020xxxxxxxxx", 4)]


@pytest.mark.parametrize("text", [
    "โทร 053-221-234 ต่อ 12", "สำนักงาน 02-123-4567", "เลขผู้เสียภาษีของเทศบาล 0994000123456",  # offices
    "เงินเดือน 18,530 บาท", "ระเบียบ พ.ศ. 2568 ข้อ 12/2", "หนังสือที่ ชม 52101/ว 88 ลงวันที่ 1/10/2568",
    "เลขที่ 1103700012345 ของใบเสร็จ", "9" * 20, "การประชุมประชาคม ครั้งที่ 2/2568 หมู่ 3 บ้านป่าแดด",
    "ที่ มท 0809.2/ว 1234", "เลขอ้างอิงการชำระเงิน 1234567890121", "รหัสงบประมาณ 1234 5678 9012 3456",
    "หมู่บ้าน 5 แห่ง", "ที่ทำการผู้ใหญ่บ้าน 12 หมู่", "บ้าน 3 หลัง", "ผู้ที่อยู่ 3 คน",
    "ลงชื่อในบัญชีลงเวลาปฏิบัติราชการ วันที่ 01/10/2567 08.30 น.", "รหัสบัญชี 1112010000", "ปิดบัญชี 30/09/2568 16.30 น.",
    "สัญญาเช่าบ้าน 1 ต.ค. 2567", "ก่อสร้างถนน คสล. ซอย 3/1 ถนนป่าตึง-แม่ริม หมู่ 5", "สำนักงานตั้งอยู่ 199 หมู่ 3 ต.ริมใต้",
    "ตรวจยอดบัญชีเงินฝากธนาคาร รหัสบัญชี 1112010000", "ที่ตั้ง 199/9 หมู่ 3 ถนนโชตนา ตำบลริมใต้",
    "โอนเข้าบัญชีธนาคารกรุงไทย ชื่อบัญชี เทศบาลตำบลริมใต้ เลขที่บัญชี 523-6-01234-5",
    "| ศูนย์พัฒนาเด็กเล็ก (ที่อยู่ 45/1 ถนนริมใต้-สันโป่ง) | 053-112-233 |",
])
def test_an_office_number_an_amount_or_a_year_is_none(text):
    assert personal_data(text) == ()


def test_no_text_of_the_shipped_content_or_the_relevance_corpora_is_flagged():
    """Two municipalities' real plan text and the sample assets: a false alarm teaches the team to tick
    the box without reading it."""
    root = Path(__file__).resolve().parent.parent
    files = [p for folder in (root / "knowledge", root / "tests" / "relevance") for p in folder.rglob("*")
             if p.suffix in (".md", ".yaml") and p.is_file()]
    assert len(files) > 100
    assert [(p.name, personal_data(p.read_text(encoding="utf-8"))) for p in files
            if personal_data(p.read_text(encoding="utf-8"))] == []


def test_publishing_a_case_asks_first_and_a_draft_does_not(app, editor_client, knowledge_dir):
    values = read_form(editor_client.get("/publish/new").get_data(as_text=True))
    values.update(title="การหักเงินเดือนชำระหนี้", slug="salary-deduction", department="palad",
                  km_stage="codification", body=CASE)
    refused = editor_client.post("/publish/new", data=values)
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422 and not (knowledge_dir / "palad" / "salary-deduction.md").exists()
    assert (f"{ASKED}: เลขประจำตัวประชาชน 1-xxxx-xxxxx-xx-x (เนื้อหา บรรทัด 3), หมายเลขโทรศัพท์มือถือ 081-xxx-xxxx "
            "(เนื้อหา บรรทัด 4), บ้านเลขที่ 99/9 (เนื้อหา บรรทัด 4)") in page
    assert 'name="personal_ok"' in page and "1103700012345" not in page.replace(CASE, "")

    draft = editor_client.post("/publish/new", data={**values, "status": "draft"})
    assert draft.status_code == 302  # a draft reaches no reader
    edit = read_form(editor_client.get("/publish/salary-deduction/edit").get_data(as_text=True))
    assert "personal_ok" not in edit  # the box shows only when asked
    published = editor_client.post("/publish/salary-deduction/edit", data={**edit, "status": "published"})
    assert published.status_code == 422 and ASKED in html.unescape(published.get_data(as_text=True))
    confirmed = editor_client.post("/publish/salary-deduction/edit",
                                   data={**edit, "status": "published", "personal_ok": "y"})
    assert confirmed.status_code == 302
    assert "status: published" in (knowledge_dir / "palad" / "salary-deduction.md").read_text(encoding="utf-8")

    edit = read_form(editor_client.get("/publish/salary-deduction/edit").get_data(as_text=True))
    assert editor_client.post("/publish/salary-deduction/edit",  # asked once: the same data needs no new tick
                              data={**edit, "title": "การหักเงินเดือนเพื่อชำระหนี้"}).status_code == 302
    edit = read_form(editor_client.get("/publish/salary-deduction/edit").get_data(as_text=True))
    again = editor_client.post("/publish/salary-deduction/edit",
                               data={**edit, "body": edit["body"] + "\nมือถือ 0899999999\n"})
    said = html.unescape(again.get_data(as_text=True))
    assert again.status_code == 422 and f"{ASKED}: หมายเลขโทรศัพท์มือถือ 089xxxxxxx (เนื้อหา บรรทัด" in said
    assert "เลขประจำตัวประชาชน 1-xxxx" not in said  # only the new number is named


def test_a_field_is_asked_about_as_the_body_is(app, editor_client, knowledge_dir):
    """An ID or a mobile number typed as the owner, in the title or the tags was published without a
    question, shown to anyone and found by search (verification review H1)."""
    values = read_form(editor_client.get("/publish/new").get_data(as_text=True))
    values.update(title="การลากิจ", slug="personal-leave-2", department="palad", km_stage="codification",
                  owner="นายสมชาย ใจดี โทร 081-234-5678", tags="การลา, 1-1037-00012-34-6", body="ยื่นใบลาล่วงหน้า\n")
    refused = editor_client.post("/publish/new", data=values)
    said = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422
    assert f"{ASKED}: หมายเลขโทรศัพท์มือถือ 081-xxx-xxxx (ผู้รู้), เลขประจำตัวประชาชน 1-xxxx-xxxxx-xx-x (แท็ก)" in said
    path = write_asset(knowledge_dir, "palad/owner.md", title="เรื่อง", owner="ติดต่อ 0812345678", body="ข้อความ\n")
    asset = parse_asset(path.read_text(encoding="utf-8"), "palad/owner.md", app.extensions["km"].kb.vocab)
    assert [p.message for p in personal_data_warnings([asset])] == [
        "อาจมีข้อมูลส่วนบุคคล: หมายเลขโทรศัพท์มือถือ 081xxxxxxx (ผู้รู้) ถ้าไม่ได้รับความยินยอม ให้ลบออก"]


def test_the_whole_file_page_asks_too(app, editor_client, knowledge_dir):
    path = knowledge_dir / "palad" / "sick-leave.md"
    page = editor_client.get("/publish/sick-leave/source").get_data(as_text=True)
    form = next(f["values"] for f in post_forms(page) if "text" in f["values"])
    before = path.read_text(encoding="utf-8")
    refused = editor_client.post("/publish/sick-leave/source", data={**form, "text": before + "\nบัญชี 123-4-56789-0\n"})
    assert refused.status_code == 422 and 'name="personal_ok"' in refused.get_data(as_text=True)
    line = len((before + "\nบัญชี").splitlines())  # the line of the file in the box, not of its body
    assert f"เลขบัญชีธนาคาร 123-x-xxxxx-x (ไฟล์ บรรทัด {line})" in html.unescape(refused.get_data(as_text=True))
    assert path.read_text(encoding="utf-8") == before
    saved = editor_client.post("/publish/sick-leave/source",
                               data={**form, "text": before + "\nบัญชี 123-4-56789-0\n", "personal_ok": "y"})
    assert saved.status_code == 302 and "123-4-56789-0" in path.read_text(encoding="utf-8")


def test_check_and_the_team_s_status_page_name_the_asset(app, editor_client, client, knowledge_dir, tmp_path, capsys):
    case = write_asset(knowledge_dir, "palad/case.md", title="กรณีตัวอย่าง", body=CASE)
    write_asset(knowledge_dir, "palad/case-draft.md", title="ร่าง", status="draft", body=CASE)
    cli_main(["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix"), "check"])
    out = capsys.readouterr().out
    # the file's line, as the command names the file (the body's third line is the file's eighth)
    assert "1-1037-00012-34-5" in case.read_text(encoding="utf-8").splitlines()[8 - 1]
    assert "คำเตือน: palad/case.md: body: อาจมีข้อมูลส่วนบุคคล: เลขประจำตัวประชาชน 1-xxxx-xxxxx-xx-x (ไฟล์ บรรทัด 8)" in out
    assert "case-draft.md: body: อาจมีข้อมูลส่วนบุคคล" not in out
    app.extensions["km"].kb.update()
    assert "อาจมีข้อมูลส่วนบุคคล" in html.unescape(editor_client.get("/status").get_data(as_text=True))
    assert "อาจมีข้อมูลส่วนบุคคล" not in client.get("/status").get_data(as_text=True)  # readers are not told where


def test_the_index_keeps_each_file_s_warnings_and_the_status_page_scans_nothing(app, editor_client, knowledge_dir,
                                                                                monkeypatch):
    """Reading every asset's text took the status page 2.7 s at each view over 3,000 assets: a build or
    an update finds a file's personal data and undescribed pictures once, with its other problems."""
    import indexer.content.personal as personal
    import indexer.content.pictures as pictures

    write_asset(knowledge_dir, "palad/case.md", title="กรณีตัวอย่าง", body=CASE + "\n![](/assets/case/files/a.png)\n")
    kb = app.extensions["km"].kb
    kb.update()
    kept = [p.message for p in kb.problems() if p.path == "palad/case.md"]
    assert any(m.startswith("อาจมีข้อมูลส่วนบุคคล: เลขประจำตัวประชาชน") for m in kept)
    assert any(m.startswith("รูป a.png ยังไม่มีคำอธิบาย") for m in kept)

    def no_scan(*args, **kwargs):
        raise AssertionError("the status page read an asset's text")

    monkeypatch.setattr(personal, "personal_data", no_scan)
    monkeypatch.setattr(pictures, "undescribed_pictures", no_scan)
    status = html.unescape(editor_client.get("/status").get_data(as_text=True))
    assert "palad/case.md" in status and "อาจมีข้อมูลส่วนบุคคล: เลขประจำตัวประชาชน 1-xxxx-xxxxx-xx-x" in status
    assert "รูป a.png ยังไม่มีคำอธิบาย" in status
    monkeypatch.undo()
    write_asset(knowledge_dir, "palad/case.md", title="กรณีตัวอย่าง",
                body="ตัดข้อมูลออกแล้ว\n\n![แบบฟอร์ม](/assets/case/files/a.png)\n")
    kb.update()  # the file's warnings go with the version that had them
    assert [p.message for p in kb.problems() if p.path == "palad/case.md"] == []


def xlsx(*rows: tuple) -> bytes:
    """A spreadsheet as Excel writes one: text in shared strings, numbers as they are."""
    import io
    import zipfile

    strings = [c for row in rows for c in row if isinstance(c, str)]
    cells = "".join(
        "<row>" + "".join(f'<c t="s"><v>{strings.index(c)}</v></c>' if isinstance(c, str) else f"<c><v>{c}</v></c>"
                          for c in row) + "</row>" for row in rows)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                      'package/2006/content-types"/>')
        book.writestr("xl/workbook.xml", f'<workbook xmlns="{main}"/>')
        book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">' + "".join(
            f"<si><t>{t}</t></si>" for t in strings) + "</sst>")
        book.writestr("xl/worksheets/sheet1.xml",
                      f'<worksheet xmlns="{main}"><sheetData>{cells}</sheetData></worksheet>')
    return out.getvalue()


def test_a_spreadsheet_is_read_for_personal_data_and_by_erase(app, editor_client, runner, knowledge_dir):
    """Staff lists are spreadsheets: an XLSX holding an ID got no warning, and erase said "not found"
    while anyone could download it (verification review H2)."""
    from test_attachments import upload

    reply = upload(editor_client, "sick-leave", "list.xlsx", xlsx(("ชื่อ", "เลขประจำตัวประชาชน"),
                                                                  ("นายวิชัย มั่นคง", 1103700012346)))
    page = html.unescape(editor_client.get(reply.headers["Location"]).get_data(as_text=True))
    assert "ไฟล์ list.xlsx อาจมีข้อมูลส่วนบุคคล: เลขประจำตัวประชาชน 1xxxxxxxxxxxx (ในไฟล์ บรรทัด 2)" in page
    refused = runner.invoke(args=["km", "erase", "1103700012346", "--yes"])
    assert refused.exit_code == 1 and "ยังอยู่ในไฟล์ปัจจุบัน: palad/sick-leave.files/list.xlsx" in refused.output
    assert app.extensions["km"].kb.search(SearchRequest(q="มั่นคง")).total == 0  # read for this, not indexed


def test_an_attached_file_holding_personal_data_is_said_at_once(app, editor_client, capsys):
    from test_attachments import thai_pdf, upload

    reply = upload(editor_client, "sick-leave", "คำขอ.pdf", thai_pdf("คำขอ โอนเข้าบัญชี 123-4-56789-0"))
    assert reply.status_code == 302
    page = html.unescape(editor_client.get(reply.headers["Location"]).get_data(as_text=True))
    assert "ไฟล์ คำขอ.pdf อาจมีข้อมูลส่วนบุคคล: เลขบัญชีธนาคาร 123-x-xxxxx-x (ในไฟล์ บรรทัด 1)" in page
    reply = upload(editor_client, "sick-leave", "ประกาศ.pdf", thai_pdf("ประกาศอัตราค่าธรรมเนียม"))
    assert "อาจมีข้อมูลส่วนบุคคล" not in editor_client.get(reply.headers["Location"]).get_data(as_text=True)
    kb = app.extensions["km"].kb
    cli_main(["--knowledge", str(kb.settings.knowledge_dir), "--index", str(kb.settings.index_dir), "check"])
    said = capsys.readouterr().out  # listed afterwards too, not only at the upload (verification review L7)
    assert "คำเตือน: palad/sick-leave.md: attachments: ไฟล์แนบ คำขอ.pdf อาจมีข้อมูลส่วนบุคคล: เลขบัญชีธนาคาร" in said
    assert "ประกาศ.pdf อาจมี" not in said
    status = html.unescape(editor_client.get("/status").get_data(as_text=True))  # and on the team's status page
    assert "ไฟล์แนบ คำขอ.pdf อาจมีข้อมูลส่วนบุคคล: เลขบัญชีธนาคาร 123-x-xxxxx-x" in status
    assert "ประกาศ.pdf อาจมี" not in status


def test_the_directory_refuses_what_its_form_says_it_never_keeps(app, editor_client, knowledge_dir):
    page = editor_client.get("/people/new").get_data(as_text=True)
    form = {**read_form(page, editor=False), "key": "test-person", "name": "นางทดสอบ ใจดี", "position": "นักทรัพยากรบุคคล",
            "contact": "บ้านเลขที่ 99/9 หมู่ 3 บัตรประชาชน 1103700012346", "phone": "0812345678"}
    refused = editor_client.post("/people/new", data=form)
    said = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422 and "ทำเนียบไม่เก็บ" in said
    assert not (knowledge_dir / "_km" / "people" / "test-person.yaml").exists()
    for home in ("บ้านพัก 45/2 หมู่ 7 ต.ริมใต้", "อยู่ 45/2 ม.7 ต.ริมใต้", "ที่อยู่ปัจจุบัน 12 หมู่ 4 ต.ดอนแก้ว"):
        refused = editor_client.post("/people/new", data={**form, "contact": home})
        assert refused.status_code == 422 and "ทำเนียบไม่เก็บที่อยู่บ้าน" in html.unescape(refused.get_data(as_text=True))
    work = "ที่อยู่ 199 หมู่ 3 ต.ริมใต้ อ.แม่ริม (สำนักงานเทศบาล) ห้องกองการเจ้าหน้าที่ ชั้น 2"
    assert editor_client.post("/people/new", data={**form, "contact": work}).status_code == 302


def test_who_attended_an_event_is_for_signed_in_staff(app, client, editor_client, knowledge_dir):
    events = knowledge_dir / "_km" / "events"
    events.mkdir(parents=True, exist_ok=True)
    (events / "2025-01-20-cop.yaml").write_text("date: 2025-01-20\ntype: cop\ntitle: วงเล่าเรื่องการลา\n"
                                                "participants: 2\nparticipant_names: [นางกมล ดีใจ, นายวีระ ใจกล้า]\n",
                                                encoding="utf-8")
    page = client.get("/events/2025-01-20-cop").get_data(as_text=True)
    assert "รายชื่อผู้เข้าร่วมแสดงเมื่อเข้าสู่ระบบ" in page and "นางกมล ดีใจ" not in page
    assert [e["participant_names"] for e in client.get("/api/events?fy=2568").get_json()["events"]] == [[]]
    assert "นางกมล ดีใจ" in editor_client.get("/events/2025-01-20-cop").get_data(as_text=True)
    signed_in = editor_client.get("/api/events?fy=2568").get_json()["events"]
    assert [len(e["participant_names"]) for e in signed_in] == [2]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_body_line_is_the_files_whatever_its_line_ends_or_byte_order_mark(app, newline):
    text = newline.join(["\ufeff---", "title: กรณี", "department: palad", "km_stage: codification", "---", "",
                         "ติดต่อ 081-234-5678", ""])
    asset = parse_asset(text, "palad/case.md", app.extensions["km"].kb.vocab)
    assert asset.body_line == 7  # the blank lines after the closing --- are not the body's
    assert [p.message for p in personal_data_warnings([asset])] == [
        "อาจมีข้อมูลส่วนบุคคล: หมายเลขโทรศัพท์มือถือ 081-xxx-xxxx (ไฟล์ บรรทัด 7) ถ้าไม่ได้รับความยินยอม ให้ลบออก"]


def test_the_status_page_shows_the_first_rows_and_gives_them_all_as_csv(app, editor_client, client, knowledge_dir,
                                                                         monkeypatch):
    """Over 3,000 assets the team's status page listed 3,053 rows, 1.4 MB (outside review PW-05)."""
    import csv
    import io

    import app.status as status

    for n in range(3):
        write_asset(knowledge_dir, f"palad/case-{n}.md", title=f"กรณี {n}", body=CASE)
    app.extensions["km"].kb.update()
    monkeypatch.setattr(status, "SHOWN_ROWS", 2)
    page = html.unescape(editor_client.get("/status").get_data(as_text=True))
    assert page.count("อาจมีข้อมูลส่วนบุคคล") == 2
    assert "แสดง 2 จาก 3 รายการ" in page and 'href="/status/problems.csv"' in page
    reply = editor_client.get("/status/problems.csv")
    rows = list(csv.reader(io.StringIO(reply.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["ระดับ", "ไฟล์", "บรรทัด", "ฟิลด์", "ปัญหา"]
    assert sorted(r[1] for r in rows if "อาจมีข้อมูลส่วนบุคคล" in r[4]) == [f"palad/case-{n}.md" for n in range(3)]
    assert client.get("/status/problems.csv").status_code == 403  # paths and values are the team's
