"""Report pages, the indicators API, CSV exports, the printable report and `flask km disseminate`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from urllib.parse import quote

import pytest
from conftest import app_config, write_asset

from indexer import dates


@pytest.fixture
def on_day(monkeypatch):
    """Pretend today is the given date (fixes the default fiscal year)."""
    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(dates, "today", lambda: day)
    return set_day


def levels(html: str) -> list[str]:
    return re.findall(r'class="level" data-level="(\d)"', html)


def test_indicators_page_defaults_to_the_current_fiscal_year(client, on_day):
    on_day(dt.date(2024, 10, 1))
    html = client.get("/reports/").get_data(as_text=True)
    assert '<option value="2568" selected>2568 (ปีปัจจุบัน)</option>' in html
    assert "1 ตุลาคม 2567 – 30 กันยายน 2568" in html
    assert levels(html) == ["2", "2", "1"]
    on_day(dt.date(2024, 9, 30))
    assert '<option value="2567" selected>2567 (ปีปัจจุบัน)</option>' in client.get("/reports/").get_data(as_text=True)


def test_a_year_just_begun_points_to_the_last_one(client, on_day):
    on_day(dt.date(2025, 10, 20))  # fiscal 2569, nothing counted yet; 2568 has the sample's figures
    for url in ("/reports/", "/reports/goals/1", "/reports/channels"):
        html = client.get(url).get_data(as_text=True)
        assert "ปีงบประมาณ 2569 ยังไม่มีขุมความรู้หรือการเผยแพร่ที่นับได้" in html, url
        assert "fy=2568" in html.split('id="young-year"')[1].split("</p>")[0], url
    assert 'id="young-year"' not in client.get("/reports/?fy=2568").get_data(as_text=True)


def test_indicators_page_shows_value_level_target_and_reached(client):
    html = client.get("/reports/?fy=2567").get_data(as_text=True)
    assert levels(html) == ["2", "1", "1"]
    assert html.count("ยังไม่บรรลุค่าเป้าหมาย") == 3
    assert '<span class="target">ค่าเป้าหมาย ระดับ 4</span>' in html
    assert '<span class="level-no">5</span> <span class="nowrap">ทุกหน่วยงาน</span> (6)' in html
    assert 'href="/reports/goals/1?fy=2567">ดูหลักฐาน (1 เรื่อง)</a>' in html


def test_fiscal_year_in_ce_shows_the_same_year(client):
    assert levels(client.get("/reports/?fy=2025").get_data(as_text=True)) == ["2", "2", "1"]


@pytest.mark.parametrize("url", ["/reports/?fy=68", "/reports/channels?fy=abc", "/reports/print?fy=1999x"])
def test_invalid_fiscal_year_is_a_400_with_a_reason(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "ปีงบประมาณต้องเป็นเลขสี่หลัก เช่น 2568" in response.get_data(as_text=True)


def test_api_indicators_shape_and_figures(client):
    data = client.get("/api/indicators?fy=2568").get_json()
    assert data["fiscal_year"] == 2568
    assert data["period"] == {"start": "2024-10-01", "end": "2025-09-30"}
    assert [(g["goal"], g["value"], g["level"], g["target"], g["reached"]) for g in data["goals"]] == \
        [(1, 2, 2, 4, False), (2, 2, 2, 4, False), (3, 1, 1, 5, False)]
    assert [e["slug"] for e in data["goals"][0]["evidence"]] == ["procurement-checklist", "sick-leave"]
    assert [e["department"] for e in data["goals"][1]["evidence"]] == ["palad", "finance"]
    website = data["goals"][2]["evidence"][0]
    assert website["channel"] == "website"
    assert [(r["slug"], r["date"], r["ref"], r["automatic"]) for r in website["records"]] == [
        ("procurement-checklist", "2024-10-01", "เผยแพร่บนเว็บไซต์ขุมความรู้", True),
        ("sick-leave", "2025-01-15", "เผยแพร่บนเว็บไซต์ขุมความรู้", True),
        ("sick-leave", "2025-01-20", "เว็บไซต์", False)]
    assert data["channels"][0] == {"channel": "website", "label": "เว็บไซต์", "records": 3, "assets": 2}
    assert len(data["channels"]) == 12
    assert data["access"] == {"views": 0, "searches": 0}


def test_api_indicators_defaults_to_current_year_and_rejects_bad_year(client, on_day):
    on_day(dt.date(2025, 9, 30))
    assert client.get("/api/indicators").get_json()["fiscal_year"] == 2568
    response = client.get("/api/indicators?fy=25x8")
    assert response.status_code == 400
    assert response.get_json()["reason"] == 'fy: ปีงบประมาณต้องเป็นเลขสี่หลัก เช่น 2568 แต่พบ "25x8"'


def test_evidence_page_lists_assets_and_records_with_date_and_reference(client):
    html = client.get("/reports/goals/3?fy=2568").get_data(as_text=True)
    assert "หลักฐานเป้าประสงค์ที่ 3" in html
    assert '<td class="nowrap">20 ม.ค. 2568</td>' in html
    assert "นับจากวันที่เผยแพร่บนเว็บไซต์นี้" in html
    goal2 = client.get("/reports/goals/2?fy=2568").get_data(as_text=True)
    assert 'id="department-finance"' in goal2 and "แบบตรวจสอบการจัดซื้อจัดจ้าง" in goal2
    assert "ประเภทขั้นตอนการปฏิบัติงาน หรือ แบบตรวจสอบ" in goal2
    assert client.get("/reports/goals/4").status_code == 404


def test_the_km_team_is_shown_the_year_s_assets_with_work_steps_that_goal_2_does_not_count(client, editor_client,
                                                                                           knowledge_dir):
    """A manual written with its work steps left goal 2 at 0, and nothing said why (domain review D-09)."""
    write_asset(knowledge_dir, "finance/tax-manual.md", title="คู่มือการจัดเก็บภาษี", department="finance",
                asset_type="manual", published="2025-02-02",
                body="## วัตถุประสงค์\n\nก\n\n## ขั้นตอนการปฏิบัติงาน\n\n1. รับแบบ\n")
    write_asset(knowledge_dir, "finance/tax-faq.md", title="ถามตอบภาษี", department="finance", asset_type="manual",
                published="2025-02-03", body="## คำถามที่พบบ่อย\n\nขั้นตอนไม่มีในหัวข้อ\n")
    for n, heading in enumerate(("## ๒. ขั้นตอนการประเมิน", "### 3) ขั้นตอน", "## 2.1 ขั้นตอนย่อย")):
        write_asset(knowledge_dir, f"finance/numbered-{n}.md", title=f"คู่มือมีเลขหัวข้อ {n}", department="finance",
                    asset_type="howto", published="2025-02-04", body=f"{heading}\n\n1. ทำ\n")
    page = editor_client.get("/reports/goals/2?fy=2568").get_data(as_text=True)
    listed = page.split('id="steps-not-counted"')[1].split("</section>")[0]
    assert "คู่มือการจัดเก็บภาษี" in listed and "ถามตอบภาษี" not in listed and "การลาป่วย" not in listed
    assert all(f"คู่มือมีเลขหัวข้อ {n}" in listed for n in range(3))  # numbered as manuals number them
    assert 'id="steps-not-counted"' not in client.get("/reports/goals/2?fy=2568").get_data(as_text=True)  # a reader


def test_channels_page_has_table_matrix_and_undated_records(tmp_path, client, knowledge_dir):
    write_asset(knowledge_dir, "palad/undated.md", title="บันทึกไม่มีวันที่", published="2025-02-01",
                dissemination=[{"channel": "pr-board", "ref": "บอร์ดหน้าสำนักงาน"}])
    html = client.get("/reports/channels?fy=2568").get_data(as_text=True)
    table = html.split('id="channel-table"')[1].split("</table>")[0]
    assert re.search(r"เว็บไซต์</a></td><td class=\"num\">4</td><td class=\"num\">3</td>", table)
    matrix = html.split('id="matrix-table"')[1].split("</table>")[0]
    assert '<th scope="row">เว็บไซต์</th><td class="num">3</td><td class="num">1</td>' in matrix
    assert "บันทึกไม่มีวันที่</a> · ป้ายประชาสัมพันธ์ · บอร์ดหน้าสำนักงาน" in html


def test_a_record_dated_ahead_is_shown_to_the_auditor_apart_and_not_counted(client, knowledge_dir, on_day):
    on_day(dt.date(2025, 2, 10))
    write_asset(knowledge_dir, "palad/ahead.md", title="ประกาศล่วงหน้า", published="2025-02-01",
                dissemination=[{"channel": "info-centre", "date": "2025-02-20", "ref": "ป้ายหน้าสำนักงาน"}])
    page = client.get("/reports/?fy=2568").get_data(as_text=True)
    assert "ข้อมูลที่ลงวันที่ล่วงหน้า 1 รายการ (ยังไม่นับ)" in page
    html = client.get("/reports/channels?fy=2568").get_data(as_text=True)
    ahead = html.split('id="ahead"', 1)[1].split("</section>", 1)[0]
    assert "20 ก.พ. 2568 · <a href=\"/assets/ahead\">ประกาศล่วงหน้า</a> · ศูนย์ข้อมูลข่าวสาร" in ahead
    assert '<td>ศูนย์ข้อมูลข่าวสาร</td><td class="num">0</td>' in html.split('id="channel-table"')[1]
    on_day(dt.date(2025, 2, 20))
    html = client.get("/reports/channels?fy=2568").get_data(as_text=True)
    assert 'id="ahead"' not in html
    assert 'ศูนย์ข้อมูลข่าวสาร</a></td><td class="num">1</td>' in html.split('id="channel-table"')[1]


def test_an_asset_published_ahead_counts_in_goals_1_and_2_from_its_day_as_its_records_do(
        client, knowledge_dir, on_day):
    """An asset dated 25 days ahead counted in goals 1 and 2 at once, while its own website record counted
    in goal 3 only from that day: one report, two rules (calendar review T-05)."""
    on_day(dt.date(2025, 2, 10))
    before = client.get("/api/indicators?fy=2568").get_json()
    write_asset(knowledge_dir, "palad/ahead.md", title="คู่มือที่จะเผยแพร่", published="2025-03-05",
                asset_type="procedure")
    now = client.get("/api/indicators?fy=2568").get_json()
    assert [g["value"] for g in now["goals"]] == [g["value"] for g in before["goals"]]
    html = client.get("/reports/channels?fy=2568").get_data(as_text=True)
    ahead = html.split('id="ahead"', 1)[1].split("</section>", 1)[0]
    assert "ขุมความรู้ 1 เรื่องลงวันที่เผยแพร่หลังวันนี้ จะนับในเป้าประสงค์ที่ 1 และ 2 เมื่อถึงวันนั้น" in ahead
    assert '5 มี.ค. 2568 · <a href="/assets/ahead">คู่มือที่จะเผยแพร่</a>' in ahead
    on_day(dt.date(2025, 3, 5))
    later = client.get("/api/indicators?fy=2568").get_json()
    assert later["goals"][0]["value"] == before["goals"][0]["value"] + 1


def current_app_kb(client):
    return client.application.extensions["km"].kb


def read_csv(response) -> list[list[str]]:
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_csv_exports_are_utf8_with_bom(client):
    rows = read_csv(client.get("/reports/export/indicators.csv?fy=2568"))
    assert rows[0][:5] == ["ปีงบประมาณ", "เป้าประสงค์", "ตัวชี้วัด", "ผลการดำเนินงาน", "ระดับที่ได้"]
    assert [r[1:2] + r[3:7] for r in rows[1:]] == [["1", "2", "2", "4", "ไม่"], ["2", "2", "2", "4", "ไม่"],
                                                   ["3", "1", "1", "5", "ไม่"]]
    assert rows[0][-1] == "ข้อมูล ณ" and re.fullmatch(r"\d+ \S+ 25\d\d \d\d:\d\d น\.", rows[1][-1])  # made at
    response = client.get("/reports/export/channels.csv?fy=2568")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="km-channels-2568.csv"; '
        f"filename*=UTF-8''{quote('เทศบาลตำบลบ้านสวนดอก-km-channels-2568.csv', safe='')}")
    assert read_csv(response)[1] == ["2568", "website", "เว็บไซต์", "3", "2"]
    evidence = read_csv(client.get("/reports/export/evidence-goal3.csv?fy=2568"))
    assert evidence[3][:6] == ["website", "เว็บไซต์", "20 ม.ค. 2568", "2025-01-20", "เว็บไซต์", ""]
    assert client.get("/reports/export/secrets.csv").status_code == 404


def test_csv_neutralises_formulas(client, knowledge_dir):
    write_asset(knowledge_dir, "palad/formula.md", title="=HYPERLINK(\"http://x\")", published="2025-03-01")
    rows = read_csv(client.get("/reports/export/evidence-goal1.csv?fy=2568"))
    assert [r[1] for r in rows if "HYPERLINK" in r[1]] == ["'=HYPERLINK(\"http://x\")"]


def test_every_export_has_rows_as_long_as_its_header(client, editor_client, on_day):
    from app.reports.exports import EXPORTS

    on_day(dt.date(2025, 3, 9))  # counted in FY 2568, so the access exports have rows too
    reader = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"}
    client.get("/assets/sick-leave", headers=reader)
    client.get("/search?q=ลาป่วย", headers=reader)
    for name in EXPORTS:
        rows = read_csv(editor_client.get(f"/reports/export/{name}.csv?fy=2568"))
        assert len(rows) > 1, name
        assert {len(row) for row in rows} == {len(rows[0])}, name


def test_goal2_evidence_csv_lists_each_department_with_its_assets(client):
    assert read_csv(client.get("/reports/export/evidence-goal2.csv?fy=2568")) == [
        ["รหัสหน่วยงาน", "slug", "ชื่อเรื่อง", "หน่วยงาน", "ประเภท", "วันที่เผยแพร่ (พ.ศ.)", "วันที่เผยแพร่ (ISO)"],
        ["palad", "sick-leave", "การลาป่วยของพนักงานเทศบาล", "สำนักปลัดเทศบาล", "ขั้นตอนการปฏิบัติงาน", "15 ม.ค. 2568",
         "2025-01-15"],
        ["finance", "procurement-checklist", "แบบตรวจสอบการจัดซื้อจัดจ้าง", "กองคลัง", "แบบตรวจสอบ", "1 ต.ค. 2567",
         "2024-10-01"]]


def test_matrix_csv_ends_with_the_totals_row(client):
    assert read_csv(client.get("/reports/export/matrix.csv?fy=2568")) == [
        ["ช่องทาง", "สำนักปลัดเทศบาล", "กองคลัง", "กองช่าง", "กองสาธารณสุขและสิ่งแวดล้อม", "กองการศึกษา",
         "กองสวัสดิการสังคม", "รวม"],
        ["เว็บไซต์", "2", "1", "0", "0", "0", "0", "3"],
        ["รวม", "2", "1", "0", "0", "0", "0", "3"]]


def test_evidence_goal1_csv_rows(client):
    assert read_csv(client.get("/reports/export/evidence-goal1.csv?fy=2568"))[1:] == [
        ["procurement-checklist", "แบบตรวจสอบการจัดซื้อจัดจ้าง", "กองคลัง", "แบบตรวจสอบ", "1 ต.ค. 2567", "2024-10-01"],
        ["sick-leave", "การลาป่วยของพนักงานเทศบาล", "สำนักปลัดเทศบาล", "ขั้นตอนการปฏิบัติงาน", "15 ม.ค. 2568",
         "2025-01-15"]]


def test_a_csv_row_not_as_long_as_its_header_is_refused(app):
    from app.csvfile import csv_response

    with app.test_request_context(), pytest.raises(ValueError) as refused:
        csv_response("km-x.csv", ["slug", "ชื่อเรื่อง", "หน่วยงาน"], [["a", "ก", "กองคลัง"], ["b", "ข"]])
    assert str(refused.value) == "CSV row 2 has 2 cells under a header of 3 (slug, ชื่อเรื่อง, หน่วยงาน): ['b', 'ข']"


def test_print_page_is_a4_with_be_dates_and_the_municipality(client, monkeypatch):
    monkeypatch.setattr(dates, "utc_now", lambda: dt.datetime(2025, 10, 5, 3, 0, tzinfo=dt.UTC))
    response = client.get("/reports/print?fy=2568")
    html = response.get_data(as_text=True)
    assert "<p class=\"print-org\">เทศบาลตำบลบ้านสวนดอก</p>" in html
    assert "ประจำปีงบประมาณ พ.ศ. 2568" in html
    assert "ระยะเวลา 1 ตุลาคม 2567 ถึง 30 กันยายน 2568 · <span class=\"print-made\">จัดทำเมื่อ 5 ตุลาคม 2568 10:00 น." in html
    assert "/static/css/reports.css" in html
    with client.get("/static/css/reports.css") as css:
        assert "@page { size: A4;" in css.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/reports/", "/reports/goals/3", "/reports/channels", "/reports/access",
                                 "/reports/print"])
def test_report_pages_respect_the_content_security_policy(client, url):
    html = client.get(url + "?fy=2568").get_data(as_text=True)
    assert "style=" not in html
    assert "<script>" not in html and "<style" not in html and "cdn" not in html.lower()


def test_charts_are_inline_svg(client):
    html = client.get("/reports/channels?fy=2568").get_data(as_text=True)
    assert html.count('<rect class="chart-bar') == 12
    assert re.search(r'<rect class="chart-bar" x="160" y="6" width="200.0" height="18"', html)


def test_nav_links_to_the_indicators(client):
    assert '<a href="/reports/">ตัวชี้วัด</a>' in client.get("/").get_data(as_text=True)


def test_indicators_page_renders_fast_at_50_assets(tmp_path):
    from app import create_app

    folder = tmp_path / "many"
    departments = ["palad", "finance", "engineering", "public-health", "education", "social-welfare"]
    for i in range(50):
        write_asset(folder, f"d{i % 6}/a{i}.md", title=f"เรื่องที่ {i}", published=f"2025-0{1 + i % 9}-1{i % 10}",
                    department=departments[i % 6],
                    asset_type="procedure", body="เนื้อหา\n" * 200,
                    dissemination=[{"channel": "meeting", "date": "2025-03-01", "ref": f"ครั้งที่ {i}"}])
    app = create_app(app_config(tmp_path, folder))
    client = app.test_client()
    assert client.get("/reports/?fy=2568").status_code == 200  # first load parses every file
    started = time.perf_counter()
    html = client.get("/reports/?fy=2568").get_data(as_text=True)
    assert time.perf_counter() - started < 0.3
    assert levels(html) == ["5", "5", "2"]


# -- flask km disseminate ------------------------------------------------------------------------

HAND_WRITTEN = """\
title: การลาป่วยของพนักงานเทศบาล   # ชื่อตามคู่มือ
department: palad
km_stage: codification
tags: [การลา, ลาป่วย]
published: 2568-01-15
dissemination:
  - {channel: intranet, date: 2024-11-05, ref: "หมวดงานบุคคล"}
"""


def test_km_disseminate_appends_a_record_and_keeps_the_rest_of_the_file(runner, knowledge_dir, client):
    path = write_asset(knowledge_dir, "palad/sick-leave.md", raw_front_matter=HAND_WRITTEN,
                       body="## ขั้นตอน\r\n\r\nยื่นใบลา   ภายใน ๓ วัน\n\n")
    current_app_kb(client).update()  # the watcher is off in tests
    before = path.read_bytes().decode("utf-8")
    result = runner.invoke(args=["km", "disseminate", "sick-leave", "--channel", "หนังสือเวียน",
                                 "--date", "2568-01-20", "--ref", "ว 709"])
    assert result.exit_code == 0, result.output
    assert result.output == ("บันทึกแล้ว: การลาป่วยของพนักงานเทศบาล · หนังสือแจ้งเวียน · 20 ม.ค. 2568 · ว 709\n"
                             # entered late, into a year closed since (today is later than fiscal 2568)
                             "เปลี่ยนตัวเลขตัวชี้วัดของปีงบประมาณ 2568 ซึ่งปิดแล้ว "
                             "(ถ้าบันทึกตัวเลขของปีนั้นไว้แล้ว หน้ารายงานแสดงรายการที่เปลี่ยน)\n")
    after = path.read_bytes().decode("utf-8")
    head, body = before.split("\n---\n", 1)
    assert after == head + '\n  - {channel: circular, date: 2025-01-20, ref: ว 709}\n---\n' + body
    records = client.get("/api/assets/sick-leave").get_json()["dissemination"]
    assert records[-1] == {"channel": "circular", "date": "2025-01-20", "ref": "ว 709"}


@pytest.mark.parametrize("args, message", [
    (["nothing-here", "--channel", "circular", "--date", "2568-01-20"],
     'ไม่พบขุมความรู้ "nothing-here" (ตรวจชื่อไฟล์ หรือสั่ง python -m indexer update ก่อน)'),
    (["sick-leave", "--channel", "วิทยุ", "--date", "2568-01-20"],
     'ไม่มี "วิทยุ" ในรายการ (ผู้ดูแลระบบเพิ่มรายการได้ที่ channels: ในไฟล์คำศัพท์) ใช้ได้: เว็บไซต์ (website), '
     "หนังสือแจ้งเวียน (circular), ป้ายประชาสัมพันธ์ (pr-board), การประชุม/สัมมนา (meeting), ตลาดนัดความรู้ "
     "(knowledge-fair), การนิเทศงาน (supervision), หนังสือ/นิตยสาร (newsletter), นิทรรศการ (exhibition), "
     "ศูนย์ข้อมูลข่าวสาร (info-centre), แผ่นพับ (leaflet), อีเมล (email), อินทราเน็ต (intranet)"),
    (["sick-leave", "--channel", "circular", "--date", "20/1/68"],
     'วันที่เผยแพร่: ต้องเป็นวันที่ เช่น 31/01/2568, 31 ม.ค. 2568 หรือ 2568-01-31 (พ.ศ. หรือ ค.ศ.) แต่พบ "20/1/68"'),
    (["sick-leave", "--channel", "circular", "--date", "2568-02-30"],
     'วันที่เผยแพร่: ไม่มีวันที่นี้ในปฏิทิน (ตรวจเดือน 1–12 และวันที่ของเดือน) แต่พบ "2568-02-30"'),
    (["sick-leave", "--channel", "email", "--date", " "],
     "ไม่ได้บันทึก เพราะไฟล์จะไม่ผ่านการตรวจสอบ: palad/sick-leave.md:14: dissemination[2].date: "
     "ไม่มีวันที่เผยแพร่ จึงไม่นับในตัวชี้วัดของปีงบประมาณใด ใส่วันที่ เช่น 2568-01-20"),
])
def test_km_disseminate_refuses_bad_input_and_leaves_the_file_alone(runner, knowledge_dir, args, message):
    path = knowledge_dir / "palad/sick-leave.md"
    before = path.read_bytes()
    result = runner.invoke(args=["km", "disseminate", *args])
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert path.read_bytes() == before


def test_km_disseminate_never_writes_an_invalid_file(runner, knowledge_dir, monkeypatch):
    import app.publish.service as dissemination  # the one write path, shared with the web form

    path = knowledge_dir / "palad/sick-leave.md"
    before = path.read_bytes()
    monkeypatch.setattr(dissemination, "append_dissemination",
                        lambda text, *a: text.replace("department: palad", "department: nowhere"))
    result = runner.invoke(args=["km", "disseminate", "sick-leave", "--channel", "circular", "--date", "2568-01-20"])
    assert result.exit_code == 1
    assert ("ไม่ได้บันทึก เพราะไฟล์จะไม่ผ่านการตรวจสอบ: palad/sick-leave.md:3: department: "
            'ไม่มี "nowhere" ในรายการ') in result.output
    assert path.read_bytes() == before


def test_km_disseminate_saves_like_the_web_form_with_a_revision_an_audit_entry_and_the_lock(app, runner, knowledge_dir,
                                                                                             client):
    import threading

    from app import revisions
    from app.db import get_db
    from app.publish.service import publish_lock

    path = knowledge_dir / "palad/sick-leave.md"
    before = path.read_text(encoding="utf-8")
    held, release = threading.Event(), threading.Event()

    def hold_the_publish_lock() -> None:
        with publish_lock(app.extensions["km"].kb.settings.instance_dir):
            held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold_the_publish_lock)
    holder.start()
    held.wait(timeout=10)
    outcome: list = []
    cli = threading.Thread(target=lambda: outcome.append(runner.invoke(args=[
        "km", "disseminate", "sick-leave", "--channel", "circular", "--date", "2568-01-20", "--ref", "ว 709",
        "--user", "malee"])))
    cli.start()
    cli.join(timeout=0.5)
    assert cli.is_alive() and path.read_text(encoding="utf-8") == before  # waits for the lock like a web save
    release.set()
    holder.join(timeout=10)
    cli.join(timeout=30)
    assert outcome[0].exit_code == 0, outcome[0].output
    with app.app_context():
        versions = revisions.history(get_db(), "sick-leave")
        # the command's entries are told apart from malee's own on the web (any name could be typed)
        assert [(v.rev, v.author, v.action) for v in versions] == [(2, "cli:malee", "disseminate"),
                                                                  (1, revisions.HAND_EDIT_AUTHOR, "file")]
        assert revisions.get(get_db(), "sick-leave", 1).text == before
        rows = get_db().execute("SELECT actor, action, slug, detail FROM audit_log").fetchall()
        assert [tuple(r) for r in rows] == [("cli:malee", "disseminate", "sick-leave",
                                             "หนังสือแจ้งเวียน 2568-01-20 ว 709 · "
                                             "เปลี่ยนตัวเลขตัวชี้วัดของปีงบประมาณ 2568 ซึ่งปิดแล้ว")]
    records = client.get("/api/assets/sick-leave").get_json()["dissemination"]
    assert records[-1] == {"channel": "circular", "date": "2025-01-20", "ref": "ว 709"}  # re-indexed


def test_km_disseminate_names_the_operating_system_user_when_no_user_is_given(app, runner):
    import getpass

    from app.db import get_db

    result = runner.invoke(args=["km", "disseminate", "sick-leave", "--channel", "website", "--date", "2568-02-01"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        actors = [r["actor"] for r in get_db().execute("SELECT actor FROM audit_log")]
    assert actors == [f"cli:{getpass.getuser()}"]


def test_a_zero_in_the_channel_matrix_is_written_as_0(sample_client):
    """A screen reader read the "·" written for a zero as nothing or "จุด": 0 and a missing value sounded
    alike to an auditor (accessibility review A-09)."""
    html = sample_client.get("/reports/channels?fy=2568").get_data(as_text=True)
    matrix = html.split('id="matrix-table"')[1].split("</table>")[0]
    assert '<td class="num cell-zero">0</td>' in matrix
    assert "·" not in matrix


def test_long_evidence_lists_show_their_first_rows_on_screen_and_every_row_on_paper(sample_client):
    """At 3,000 assets the auditor's pages held every evidence item: a megabyte of HTML each (outside
    review PW-04). The screen shows the first rows with a link to all; print, PDF and CSV keep every one."""
    def items_of(html: str, heading: str) -> int:
        part = html.split(heading, 1)[1].split("<h3", 1)[0]
        return part.count("<li")

    heading = "เป้าประสงค์ที่ 1 "
    screen = sample_client.get("/plans/report?fy=2568").get_data(as_text=True)
    assert items_of(screen.split("8. เอกสารหลักฐาน")[1], heading) == 20
    assert re.search(r"แสดง 20 จาก 24 รายการ · <a href=\"/plans/report\?fy=2568&amp;full=1#evidence-\d+\">", screen)
    full = sample_client.get("/plans/report?fy=2568&full=1").get_data(as_text=True)
    printed = sample_client.get("/plans/report/print?fy=2568").get_data(as_text=True)
    for page in (full, printed):
        assert items_of(page.split("8. เอกสารหลักฐาน")[1], heading) == 24
    goal1 = sample_client.get("/reports/goals/1?fy=2568").get_data(as_text=True)
    assert goal1.count('<td class="num">') == 24  # under the 200 shown at first
    goal3 = sample_client.get("/reports/goals/3?fy=2568").get_data(as_text=True)
    website = goal3.split('id="channel-website"')[1].split("</section>")[0]
    assert website.count("<tr><td class=\"num\">") == 30 and "แสดง 30 จาก" in website
    every = sample_client.get("/reports/goals/3?fy=2568&all=1").get_data(as_text=True)
    assert every.split('id="channel-website"')[1].split("</section>")[0].count("<tr><td class=\"num\">") > 30


def test_the_half_year_report_holds_nothing_of_the_months_after_its_day(sample_client):
    """The report as at 31 March listed, counted and graded events and results of May to September
    (outside review R-01): activities not begun showed in progress, a September result counted."""
    report = sample_client.get("/api/report?fy=2568&as_of=2568-03-31").get_json()
    activities = {a["number"]: a for a in report["plan"]["activities"]}
    assert [activities[n]["state"] for n in (7, 9, 10)] == ["not-due"] * 3  # periods from April on
    assert activities[9]["actual"] is None  # its result was entered with 22 Sep 2568
    events = [e for a in activities.values() for e in a["events"]]
    assert events and all(key <= "2025-03-31" for key in events)  # event keys begin with their CE day
    whole = {a["number"]: a["state"] for a in sample_client.get("/api/report?fy=2568").get_json()["plan"]["activities"]}
    assert whole[9] == "done-on-time" and whole[10] == "done-on-time"
    printed = sample_client.get("/plans/report/print?fy=2568&as_of=2568-03-31").get_data(as_text=True)
    assert "เม.ย. 2568" not in printed.split("8. เอกสารหลักฐาน")[1].split("</section>")[0]
    assert "เส้นประ = วันที่ของรายงาน" in printed
