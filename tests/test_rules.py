"""Each rule lives in one place: every path a user can reach says and does the same thing."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_KNOWLEDGE, make_settings, write_asset
from publish_support import login, make_user, read_form

from app import audit
from app.rendering import render_markdown
from indexer import (
    AssetCatalogue,
    AssetInvalid,
    KnowledgeBase,
    SearchRequest,
    load_vocabulary,
    markdown_to_text,
    parse_asset,
    parse_query,
    render_body,
    split_source,
    thai_date,
    update_front_matter,
)
from indexer.cli import main as cli_main
from indexer.content import defuse as defuse_module
from indexer.content.defuse import defuse
from indexer.content.loader import load_folder
from indexer.dates import parse_date, parse_fiscal_year
from indexer.index.analyser import Analyser
from indexer.settings import DATA_DIR
from indexer.thai.glossary import Glossary
from indexer.thai.segment import Segmenter
from indexer.thai.text import normalize

VOCAB = load_vocabulary(DATA_DIR / "vocabulary.yaml")


# -- slug uniqueness ---------------------------------------------------------------------
def test_a_duplicate_slug_is_reported_alike_by_check_reports_and_the_index(tmp_path):
    folder = tmp_path / "knowledge"
    write_asset(folder, "finance/leave.md", department="finance")
    write_asset(folder, "palad/leave.md")
    expected = ['palad/leave.md: slug: slug "leave" ซ้ำกับไฟล์ finance/leave.md: ชื่อไฟล์ต้องไม่ซ้ำกันทั้งคลัง']
    assert [str(p) for p in load_folder(folder, VOCAB).problems] == expected
    assert [str(p) for p in AssetCatalogue(folder, VOCAB).load().problems] == expected
    kb = KnowledgeBase(make_settings(tmp_path, folder))
    try:
        kb.build()
        assert [str(p) for p in kb.problems()] == expected
        assert [a.path for a in kb.check().assets] == ["finance/leave.md"]
    finally:
        kb.close()


def test_a_published_copy_under_another_name_is_pointed_out_alike_and_still_indexed(tmp_path):
    folder = tmp_path / "knowledge"
    body = "## ขั้นตอน\n\n" + "".join(f"{n}. ยื่นใบลาป่วยต่อผู้บังคับบัญชาภายในวันที่กลับมาทำงาน\n" for n in range(1, 8))
    write_asset(folder, "palad/sick-leave.md", body=body)
    write_asset(folder, "palad/sick-leave-copy.md", body=body)  # copied as it is (cp)
    write_asset(folder, "palad/sick-leave-draft.md", body=body, status="draft")  # a rewrite under way: no count
    write_asset(folder, "palad/short-a.md", body="ดูแบบฟอร์มในไฟล์แนบ\n")
    write_asset(folder, "palad/short-b.md", body="ดูแบบฟอร์มในไฟล์แนบ\n")  # too short to be a copy
    expected = ["palad/sick-leave.md: body: เนื้อหาเหมือนกับไฟล์ palad/sick-leave-copy.md ทุกตัวอักษร "
                "ทั้งสองจึงนับเป็นขุมความรู้สองเรื่อง ถ้าเป็นสำเนา ให้ลบไฟล์หนึ่งหรือเปลี่ยนเป็น archived"]
    assert [str(p) for p in load_folder(folder, VOCAB).problems] == expected
    assert [str(p) for p in AssetCatalogue(folder, VOCAB).load().problems] == expected
    assert len(load_folder(folder, VOCAB).assets) == 5  # a warning: nothing is left out


@pytest.mark.parametrize("existing, slug", [("palad/sick-leave.md", "sick-leave"),     # indexed
                                            ("palad/not-indexed.md", "not-indexed")])  # invalid, on disk only
def test_a_new_asset_cannot_take_a_slug_another_file_has(app, editor_client, knowledge_dir, existing, slug):
    write_asset(knowledge_dir, "palad/not-indexed.md", km_stage="no-such-stage")
    values = read_form(editor_client.get("/publish/new").get_data(as_text=True))
    values.update(title="ซ้ำชื่อ", slug=slug, department="finance", km_stage="codification", body="x")
    response = editor_client.post("/publish/new", data=values)
    assert response.status_code == 422
    assert f'slug "{slug}" ซ้ำกับไฟล์ {existing}: ชื่อไฟล์ต้องไม่ซ้ำกันทั้งคลัง' in html.unescape(response.get_data(as_text=True))
    assert not (knowledge_dir / "finance" / f"{slug}.md").exists()


# -- Thai digits -------------------------------------------------------------------------
def test_thai_digits_read_the_same_in_search_dates_and_fiscal_years():
    assert normalize("คำสั่งที่ ๙๕๑/๒๕๖๗") == "คำสั่งที่ 951/2567"
    assert parse_date("๒๕๖๘-๐๑-๑๕").isoformat() == "2025-01-15"
    assert parse_fiscal_year("๒๕๖๘") == 2568


# -- fiscal-year parameter errors ---------------------------------------------------------
FY_TOO_SHORT = 'fy: ปีงบประมาณต้องเป็นเลขสี่หลัก เช่น 2568 แต่พบ "68"'


@pytest.mark.parametrize("url", ["/api/search?q=ลา&fy=68", "/api/indicators?fy=68"])
def test_bad_fiscal_year_in_the_api(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json()["reason"] == FY_TOO_SHORT


@pytest.mark.parametrize("url", ["/search?q=ลา&fy=68", "/reports/?fy=68", "/reports/channels?fy=68"])
def test_bad_fiscal_year_on_pages(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert FY_TOO_SHORT.removeprefix("fy: ") in html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("command", [["search", "ลา", "--fy", "68"], ["indicators", "--fy", "68"]])
def test_bad_fiscal_year_on_the_command_line(tmp_path, knowledge_dir, capsys, command):
    args = ["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix")]
    assert cli_main(args + command) == 2
    assert capsys.readouterr().err == f"ข้อผิดพลาด: {FY_TOO_SHORT}\n"


@pytest.mark.parametrize("value, message", [
    ("1800", 'fy: ปีงบประมาณต้องอยู่ระหว่าง 2500 ถึง 2700 แต่พบ "1800"'),
    ("²⁰²⁵", 'fy: ปีงบประมาณต้องเป็นเลขสี่หลัก เช่น 2568 แต่พบ "²⁰²⁵"'),   # digits int() cannot read
    ("2" * 40, f'fy: ปีงบประมาณต้องเป็นเลขสี่หลัก เช่น 2568 แต่พบ "{"2" * 20}"'),
])
def test_fiscal_year_errors_say_what_was_found(client, value, message):
    response = client.get("/api/search", query_string={"q": "ลา", "fy": value})
    assert response.status_code == 400
    assert json.loads(response.data)["reason"] == message


# -- CSV downloads -------------------------------------------------------------------------
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_both_csv_downloads_are_excel_ready_and_defuse_formulas(app, knowledge_dir, start):
    typed = f'{start}HYPERLINK("http://x")'
    write_asset(knowledge_dir, "palad/formula.md", title=typed, published="2025-03-01")
    with app.app_context():
        audit.record("edit", "formula", typed, actor="somchai")
    make_user(app, "admin", "admin")
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    for url in ("/reports/export/evidence-goal1.csv?fy=2568", "/admin/audit.csv"):
        response = client.get(url)
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"].startswith('attachment; filename="km-')
        assert response.data.startswith("\ufeff".encode()) and response.data.endswith(b"\r\n")
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        assert [cell for row in rows for cell in row if "HYPERLINK" in cell] == ["'" + typed]


# -- Thai month names ----------------------------------------------------------------------
FY2568_MONTHS = ["ต.ค. 2567", "พ.ย. 2567", "ธ.ค. 2567", "ม.ค. 2568", "ก.พ. 2568", "มี.ค. 2568",
                 "เม.ย. 2568", "พ.ค. 2568", "มิ.ย. 2568", "ก.ค. 2568", "ส.ค. 2568", "ก.ย. 2568"]


def test_month_names_read_the_same_in_the_table_the_chart_the_csv_and_dates(client):
    page = client.get("/reports/access?fy=2568").get_data(as_text=True)
    table = re.findall(r'<tr><td>([^<]+ \d{4})</td><td class="num">', page)
    chart = re.findall(r'<text class="chart-label"[^>]*>([^<]+)</text>', page)
    exported = client.get("/reports/export/access-months.csv?fy=2568").data.decode("utf-8-sig").splitlines()[1:]
    assert table == [line.split(",")[0] for line in exported] == FY2568_MONTHS
    assert chart == [month.split()[0] for month in FY2568_MONTHS]
    assert thai_date(dt.date(2025, 1, 15)) == "15 ม.ค. 2568"
    assert thai_date(dt.date(2024, 10, 1), long=True) == "1 ตุลาคม 2567"


# -- front-matter splitting ----------------------------------------------------------------
FIELDS = "title: ลา\ndepartment: palad\nkm_stage: codification\n"


@pytest.mark.parametrize("text", [
    f"---\n{FIELDS}---\nเนื้อหา\n",
    "\ufeff---\r\n" + FIELDS.replace("\n", "\r\n") + "---\r\n\r\nเนื้อหา\r\n",
    f"-----\n{FIELDS}----- \n\nเนื้อหา\n",
    f"---  \n\n{FIELDS}---\nเนื้อหา",
])
def test_the_loader_and_the_editor_split_front_matter_at_the_same_place(text):
    opening, raw, closing, body = split_source(text)
    assert opening + raw + closing + body == text
    assert body.startswith("เนื้อหา")
    # the loader reads line ends as \n (the page renders them alike); the split is the same place
    assert parse_asset(text, "a.md", VOCAB).body == body.replace("\r\n", "\n").replace("\r", "\n")
    edited = update_front_matter(text, {"title": "ลาพักผ่อน"})
    assert parse_asset(edited, "a.md", VOCAB).title == "ลาพักผ่อน"
    assert edited.endswith(closing + body)


def test_yaml_problems_point_at_the_line_of_the_file():
    text = f"---\n\n{FIELDS.replace('codification', 'oops')}---\nเนื้อหา\n"
    with pytest.raises(AssetInvalid) as caught:
        parse_asset(text, "a.md", VOCAB)
    assert [f"{p.path}:{p.line}: {p.field}" for p in caught.value.problems] == ["a.md:5: km_stage"]


@pytest.mark.parametrize("text", [f"---\n{FIELDS}", f"# หัวข้อ\n---\n{FIELDS}---\n", ""])
def test_a_file_without_closed_front_matter_is_refused_by_both(text):
    with pytest.raises(AssetInvalid) as caught:
        parse_asset(text, "a.md", VOCAB)
    assert [str(p) for p in caught.value.problems] == [
        "a.md:1: ไม่พบส่วนหัว (front matter): ไฟล์ต้องขึ้นต้นด้วยบรรทัด --- ตามด้วยฟิลด์ YAML และปิดด้วย ---"]
    with pytest.raises(ValueError, match="ไม่พบส่วนหัว"):
        split_source(text)


def test_editing_front_matter_writes_no_file():
    """An asset file is written only by publish.service.commit_change (lock, conflict check, revision, audit):
    a helper here that wrote the file itself (write_front_matter, unused) invited a change with no history."""
    from indexer.content import editing

    source = Path(editing.__file__).read_text(encoding="utf-8")
    assert re.findall(r"atomic_write\w*|\.write_\w+\(|\bopen\(", source) == []
    assert [name for name in dir(editing) if name.startswith("write")] == []


# -- worker pool ---------------------------------------------------------------------------
def test_parallel_builds_and_updates_index_what_a_single_process_indexes(tmp_path, knowledge_dir, monkeypatch):
    pools, make_pool = [], Analyser.pool
    monkeypatch.setattr(Analyser, "pool", lambda self, processes: pools.append(processes) or make_pool(self, processes))
    glossary = tmp_path / "glossary.yaml"  # a dictionary word the workers must know too
    glossary.write_text("words: [ทดลองศัพท์ใหม่]\nsynonyms: []\n", encoding="utf-8")
    for i in range(70):
        write_asset(knowledge_dir, f"bulk/item-{i}.md", title=f"เรื่องที่ {i}", body="ลาพักผ่อนประจำปี\n")
    bases = [KnowledgeBase(make_settings(tmp_path / name, knowledge_dir).with_overrides(
        build_workers=workers, glossary_file=glossary)) for name, workers in (("serial", 1), ("parallel", 2))]
    try:
        assert [kb.build().indexed for kb in bases] == [73, 73]
        for i in range(70):
            write_asset(knowledge_dir, f"bulk/item-{i}.md", title=f"เรื่องที่ {i}", body="ทดลองศัพท์ใหม่\n")
        assert [kb.update().indexed for kb in bases] == [70, 70]
        found = [sorted(h.slug for h in kb.search(SearchRequest(q="ทดลองศัพท์ใหม่", per_page=100)).hits) for kb in bases]
        assert found[0] == found[1] == sorted(f"item-{i}" for i in range(70))
        assert [kb.search(SearchRequest(q="ลาพักผ่อนประจำปี")).total for kb in bases] == [0, 0]
        assert pools == [2, 2]  # the parallel build and the parallel update, through the one pool setup
    finally:
        for kb in bases:
            kb.close()


# -- the query length limit ----------------------------------------------------------------
TOO_LONG = "คำค้นยาวเกินไป ระบบใช้เฉพาะ 200 ตัวอักษรแรก"


def test_the_search_boxes_the_cut_and_the_note_share_one_query_limit(client):
    pages = client.get("/").get_data(as_text=True) + client.get("/assets/sick-leave").get_data(as_text=True)
    assert re.findall(r'<input id="(q|q-top)" type="search" name="q"[^>]* maxlength="(\d+)"', pages) == [
        ("q", "200"), ("q-top", "200")]
    exact = client.get("/search", query_string={"q": "ลาป่วย" + "ก" * 194}).get_data(as_text=True)
    assert TOO_LONG not in exact
    longer = client.get("/search", query_string={"q": "ลาป่วย" + "ก" * 195}).get_data(as_text=True)
    assert TOO_LONG in longer
    assert len(parse_query("กข" * 250, Segmenter(), Glossary()).text) == 200


# -- Markdown → text, for the index and the snippets ----------------------------------------
BODY = ("## สูตร & วิธีคิด\n\nคูณ 2 * 3 * 4 ได้ 24 ตามแบบ AT&amp;T\n\n<script>alert('x')</script>\n\n"
        "| ข้อ | รายการ |\n|---|---|\n| 1 | **ตรวจราคากลาง** |\n\n```\nรหัสตัวอย่าง [x]\n```\n")


def test_the_index_gets_the_text_a_reader_sees():
    assert markdown_to_text(BODY) == ("สูตร & วิธีคิด\nคูณ 2 * 3 * 4 ได้ 24 ตามแบบ AT&T\nข้อ\nรายการ\n1\n"
                                      "ตรวจราคากลาง\nรหัสตัวอย่าง [x]")
    assert render_body(BODY).headings == ["สูตร & วิธีคิด"]


def test_snippets_and_the_table_of_contents_show_characters_once_escaped(tmp_path, knowledge_dir):
    write_asset(knowledge_dir, "palad/formula.md", title="สูตรคำนวณ", body=BODY)
    kb = KnowledgeBase(make_settings(tmp_path, knowledge_dir))
    try:
        kb.build()
        snippet = kb.search(SearchRequest(q="คูณ")).hits[0].snippet
        assert "2 * 3 * 4 ได้ 24 ตามแบบ AT&amp;T" in snippet and "&amp;amp;" not in snippet
        assert "alert" not in snippet and kb.search(SearchRequest(q="alert")).total == 0
        assert kb.search(SearchRequest(q="รหัสตัวอย่าง")).hits[0].slug == "formula"  # code is text too
    finally:
        kb.close()
    assert render_markdown(BODY).toc == ((2, "สูตร-วิธีคิด", "สูตร & วิธีคิด"),)  # Jinja escapes it once


# Shapes on which Python-Markdown reads the rest of a paragraph (or the body) again for
# every character, or recurses once per level, so time grows with the square of the size.
PATHOLOGICAL = {
    "open brackets": "[" * 5000,
    "open brackets between words": "[ลา " * 2000,
    "image openers": "![" * 2500,
    "nested brackets": "[" * 2000 + "]" * 2000,
    "brackets and backticks": "[`" * 2500,
    "open tags": "<a " * 5000,
    "nested list": "\n".join("    " * i + "- ลา" for i in range(250)),
}


@pytest.mark.parametrize("shape", PATHOLOGICAL)
def test_a_body_markdown_would_take_seconds_on_is_defused_and_keeps_its_text(shape):
    body = "ข้อความนำ\n\n" + PATHOLOGICAL[shape] + "\n\nท้ายเรื่อง"
    started = time.perf_counter()
    rendered = render_body(body)
    assert time.perf_counter() - started < 1.0
    assert rendered.html.startswith("<p>ข้อความนำ</p>") and rendered.text.endswith("ท้ายเรื่อง")
    assert "<script" not in render_body(body + "<script>x</script>").html


def test_each_table_scrolls_in_its_own_box_and_an_asset_cannot_fake_one():
    body = ("| ก | ข |\n|---|---|\n| 1 | 2 |\n\n"
            '<div class="table-scroll" onclick="x()"><table><tr><td><table><tr><td>ใน</td></tr></table>'
            "</td></tr></table></div>\n")
    html = str(render_markdown(body).html)
    assert html.count("<table>") == html.count("</table></div>") == 3
    assert html.count('<div class="table-scroll" tabindex="0" role="group"') == 3  # the asset's own div lost its class
    assert "onclick" not in html and html.count("<div") == html.count("</div>") == 4
    assert str(render_markdown("ไม่มีตาราง").html) == "<p>ไม่มีตาราง</p>"


def test_real_assets_are_never_changed_by_defusing():
    bodies = [split_source(path.read_text(encoding="utf-8"))[3] for path in SAMPLE_KNOWLEDGE.rglob("*.md")]
    links = "".join(f"- [ข้อ {i}](https://example.go.th/{i}) <b>ตัวหนา</b>\n" for i in range(300))
    assert len(bodies) > 40
    assert [defuse(body).rest for body in [*bodies, links]] == [""] * (len(bodies) + 1)
    assert not any(render_body(body).plain for body in bodies)


def test_nesting_deeper_than_the_stack_falls_back_to_plain_text(monkeypatch):
    monkeypatch.setattr(defuse_module, "MAX_INDENT", 10**9)  # let defusing miss it: the fallback still holds
    body = "\n".join("    " * i + "- ลา" for i in range(120))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(250)
    try:
        rendered = render_body(body)
    finally:
        sys.setrecursionlimit(limit)
    assert rendered.plain
    assert render_body("- ลา\n    - ป่วย").html == "<ul>\n<li>ลา<ul>\n<li>ป่วย</li>\n</ul>\n</li>\n</ul>"
