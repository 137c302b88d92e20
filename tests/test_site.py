"""The site: home, browse, search, asset page, print view, status page, headers, hand edits."""

import html
import os
import re
from pathlib import Path

import pytest
from conftest import app_config, write_asset

from indexer import SearchRequest

STATIC = Path(__file__).resolve().parent.parent / "app" / "static"
TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"


def text(response):
    return response.get_data(as_text=True)


def test_home_shows_search_counts_and_newest(client):
    page = text(client.get("/"))
    assert '<html lang="th">' in page
    assert 'name="q"' in page
    assert re.search(r"สำนักปลัดเทศบาล</a> <span class=\"count\">2</span>", page)
    assert re.search(r"การจัดความรู้ให้เป็นระบบ</a> <span class=\"count\">1</span>", page)
    assert page.index("การลาป่วยของพนักงานเทศบาล") < page.index("แบบตรวจสอบการจัดซื้อจัดจ้าง")  # newest first


def test_search_page_has_snippets_facets_and_buddhist_era_dates(client):
    page = text(client.get("/search?q=ลาป่วย"))
    assert "<mark>ลาป่วย</mark>" in page
    assert "เผยแพร่ 15 ม.ค. 2568" in page
    assert "ปีงบประมาณ 2568" in page
    assert "/search?q=%E0%B8%A5%E0%B8%B2%E0%B8%9B%E0%B9%88%E0%B8%A7%E0%B8%A2&amp;department=palad" in page


def test_nothing_found_page_gives_suggestions(client):
    page = text(client.get("/search?q=ดาวเทียม"))
    assert "ไม่พบขุมความรู้ที่ตรงกับคำค้น" in page
    assert "ลองแบบนี้ดู" in page


def test_typo_shows_did_you_mean_beside_the_results_as_typed(client):
    page = text(client.get("/search?q=ลาปวย"))
    assert "หรือคุณหมายถึง <a" in page and "<strong>ลาป่วย</strong>" in page
    assert "แสดงผลของ" not in page


def test_a_typo_that_finds_nothing_shows_the_correction_and_a_way_back(client):
    page = text(client.get("/search?q=พิจารนา"))
    assert "แสดงผลของ <strong>พิจารณา</strong> แทน" in page
    assert "as_typed=1" in page
    assert "แสดงผลของ" not in text(client.get("/search?q=พิจารนา&as_typed=1"))  # as typed means as typed


def test_a_question_typed_on_the_english_layout_shows_what_it_was_read_as(client):
    page = text(client.get("/search?q=]kxj;p"))  # ลาป่วย with the English layout on
    assert "แสดงผลของ <strong>ลาป่วย</strong> แทน (พิมพ์ขณะแป้นพิมพ์เป็นอีกภาษา)" in page
    assert "การลาป่วยของพนักงานเทศบาล" in page and "as_typed=1" in page
    assert "<mark>ลาป่วย</mark>" in page
    payload = client.get("/api/search?q=]kxj;p").get_json()
    assert payload["switched_layout"] is True and payload["suggestion"] == "ลาป่วย"
    assert payload["results"][0]["slug"] == "sick-leave"
    assert client.get("/api/search?q=ลาป่วย").get_json()["switched_layout"] is False


def test_weak_results_say_so(client):
    page = text(client.get("/search?q=สูตรทำแกงเขียวหวานไก่ใส่มะเขือ ทำงานอย่างไร"))
    assert "ไม่พบเรื่องที่ตรง" in page
    assert "เรื่องด้านล่างตรงกับคำค้นเพียงบางส่วน" in page


def test_bad_filter_is_a_400_page_with_the_reason(client):
    response = client.get("/search?q=ลา&department=hr")
    assert response.status_code == 400
    assert 'department: ไม่รู้จักค่า &#34;hr&#34;' in text(response)


@pytest.mark.parametrize("url, heading", [
    ("/browse/department/palad", "สำนักปลัดเทศบาล"),
    ("/browse/department/กองคลัง", "กองคลัง"),
    ("/browse/stage/sharing", "การแบ่งปันแลกเปลี่ยนความรู้"),
    ("/browse/type/checklist", "แบบตรวจสอบ"),
    ("/browse/tag/ลาป่วย", "#ลาป่วย"),
])
def test_browse_pages(client, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert heading in text(response)


def test_browse_unknown_key_is_404(client):
    assert client.get("/browse/department/hr").status_code == 404
    assert client.get("/browse/colour/red").status_code == 404


def test_asset_page_renders_tables_toc_metadata_and_dissemination(client):
    page = text(client.get("/assets/procurement-checklist"))
    assert '<div class="table-scroll" tabindex="0" role="group"' in page and "<td>ตรวจราคากลาง</td>" in page
    # the body's one table and the dissemination records': each scrolls sideways on a phone, by keyboard too
    assert page.count('<div class="table-scroll" tabindex="0"') == 2
    assert '<a href="#รายการตรวจ">รายการตรวจ</a>' in page
    assert "1 ตุลาคม 2567" in page and "(ปีงบประมาณ 2568)" in page
    page = text(client.get("/assets/sick-leave"))
    assert "<td>เว็บไซต์</td><td>20 ม.ค. 2568</td>" in page


def test_script_in_an_asset_never_reaches_the_page(app, client, knowledge_dir):
    write_asset(knowledge_dir, "palad/xss.md", title="<script>alert(1)</script>ทดสอบ",
                body="<script>alert(2)</script>\n\n<img src=x onerror=alert(3)>\n\n[คลิก](javascript:alert(4))\n")
    app.extensions["km"].kb.update()
    page = text(client.get("/assets/xss"))
    assert "<script>alert" not in page and "onerror" not in page and "javascript:" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;ทดสอบ" in page


def test_a_result_found_by_its_circulars_number_says_which_circular_it_went_out_with(app, client, knowledge_dir):
    """The auditor holding ว 88 sees why the asset is first: the evidence of its dissemination,
    as the file writes it, escaped like any text from a file."""
    write_asset(knowledge_dir, "palad/allowance.md", title="เงินช่วยเหลือการศึกษาบุตร", body="ยื่นแบบภายในหนึ่งปี\n",
                dissemination=[{"channel": "circular", "date": "2024-05-22", "ref": "ที่ ชม ๕๓๑๐๑/ว ๘๘ <b>ด่วน</b>"},
                               {"channel": "website", "date": "2024-05-23", "ref": "เว็บไซต์เทศบาล"}])
    app.extensions["km"].kb.update()
    page = text(client.get("/search?q=ว 88"))
    assert "เผยแพร่พร้อมหนังสือ: ที่ ชม ๕๓๑๐๑/ว ๘๘ &lt;b&gt;ด่วน&lt;/b&gt;</span>" in page
    assert "เว็บไซต์เทศบาล" not in page and "ไม่พบเรื่องที่ตรง" not in page
    assert "เผยแพร่พร้อมหนังสือ" not in text(client.get("/search?q=การศึกษาบุตร"))
    [result] = [r for r in client.get("/api/search?q=ว 88").get_json()["results"] if r["slug"] == "allowance"]
    assert result["sent_with"] == ["ที่ ชม ๕๓๑๐๑/ว ๘๘ <b>ด่วน</b>"]  # JSON carries the text; escaping is the reader's
    [result] = client.get("/api/search?q=การศึกษาบุตร").get_json()["results"]
    assert result["sent_with"] == []


def test_print_view(client):
    page = text(client.get("/assets/sick-leave/print"))
    assert "print-view" in page and "การลาป่วยของพนักงานเทศบาล" in page
    assert "css/print.css" in page


def test_missing_asset_is_a_thai_404(client):
    response = client.get("/assets/missing")
    assert response.status_code == 404
    assert "ไม่พบขุมความรู้นี้" in text(response)


def test_status_page_lists_skipped_files_with_reasons_to_the_km_team(app, client, editor_client, knowledge_dir):
    (knowledge_dir / "palad" / "bad.md").write_text("---\ntitle: x\ndepartment: hr\nkm_stage: access\n---\n",
                                                    encoding="utf-8")
    app.extensions["km"].kb.update()
    page = text(editor_client.get("/status"))
    assert ('<code>palad/bad.md</code>\n      <br><a href="/publish/bad/source">แก้ทั้งไฟล์</a></td><td>3</td>'
            "<td>department</td>") in page
    assert "ไฟล์ที่ถูกข้าม 1 ไฟล์" in page
    # a visitor sees how many, never which files or what they hold (a draft's path and values are the team's)
    page = text(client.get("/status"))
    assert "ไฟล์ที่ถูกข้าม 1 ไฟล์" in page and "palad/bad.md" not in page and '"hr"' not in page
    assert ('รายชื่อไฟล์ ฟิลด์ และค่าที่มีปัญหา ทีม KM ดูได้เมื่อ<a href="/auth/login?next=/status">เข้าสู่ระบบ</a>'
            in page)


def test_the_status_page_says_when_hand_edits_are_not_watched(client):
    assert "ระบบติดตามไฟล์ที่แก้ไขโดยตรงปิดอยู่ (KM_WATCH_INTERVAL เป็น 0)" in text(client.get("/status"))


def test_the_team_sees_a_copied_asset_on_the_status_page(app, client, editor_client, knowledge_dir):
    body = "".join(f"{n}. แนบใบเสร็จรับเงินฉบับจริงพร้อมแบบ ๗๑๓๑ ภายในหนึ่งปีนับแต่วันที่จ่าย\n" for n in range(1, 6))
    for name in ("claim", "claim-2"):
        write_asset(knowledge_dir, f"finance/{name}.md", title="การเบิกค่ารักษาพยาบาล", body=body)
    app.extensions["km"].kb.update()
    page = text(editor_client.get("/status"))
    # claim-2.md is listed first ("-" before "."): the other file is warned about, naming it
    assert "<code>finance/claim.md</code></td><td>—</td><td>body</td><td>เนื้อหาเหมือนกับไฟล์ finance/claim-2.md" in page
    assert "finance/claim" not in text(client.get("/status"))  # the names are the team's


def test_hand_edits_are_picked_up_by_the_watcher(app, client, knowledge_dir):
    state = app.extensions["km"]
    write_asset(knowledge_dir, "palad/new.md", title="การขอหนังสือรับรองเงินเดือน",
                body="ขอหนังสือรับรองเงินเดือนได้ที่งานการเจ้าหน้าที่\n")
    state.refresh()  # what the watcher thread does every KM_WATCH_INTERVAL seconds
    assert "การขอหนังสือรับรองเงินเดือน" in text(client.get("/search?q=หนังสือรับรองเงินเดือน"))


def test_the_watcher_names_each_file_it_leaves_out_in_the_log_once(app, knowledge_dir, caplog):
    """The log said only "skipped 2 changed files", and a broken plan file nothing at all: the
    administrator reads the log, not the status page (outside review, operations)."""
    state = app.extensions["km"]
    path = knowledge_dir / "palad" / "sick-leave.md"
    path.write_text(path.read_text(encoding="utf-8").replace("km_stage: codification", "km_stage: codify"),
                    encoding="utf-8")
    (knowledge_dir / "_km" / "plans").mkdir(parents=True, exist_ok=True)
    (knowledge_dir / "_km" / "plans" / "2569.yaml").write_text("title: [\n", encoding="utf-8")
    for _ in range(2):
        state.refresh()
    named = [r.getMessage() for r in caplog.records if r.getMessage().startswith("left out until fixed")]
    assert len(named) == 2, named
    assert "palad/sick-leave.md:" in named[1] and "km_stage" in named[1]
    assert "_km/plans/2569.yaml" in named[0]


def test_one_process_looks_for_changed_files_and_another_takes_over_when_it_ends(tmp_path, knowledge_dir):
    """Each gunicorn worker runs the watcher thread, but one looks (a tenth of a core at 10,000 files)."""
    import time

    from app import create_app

    def wait_until(condition, what):
        deadline = time.monotonic() + 10
        while not condition():
            assert time.monotonic() < deadline, what
            time.sleep(0.05)

    # two sites over one index, as two worker processes are (a flock is per open file, so it holds in one process)
    first, second = (create_app(app_config(tmp_path, knowledge_dir, KM_WATCH_INTERVAL=0.2)) for _ in range(2))
    try:
        for site in (first, second):
            site.test_client().get("/")  # the first request starts the watcher thread
        states = [site.extensions["km"] for site in (first, second)]
        wait_until(lambda: any(s.watching for s in states), "nobody took the watch lock")
        time.sleep(0.5)  # two intervals: the other has tried and found it taken
        assert [s.watching for s in states].count(True) == 1
        assert [s.watcher for s in states] == ["running", "running"]
        watching, waiting = sorted(states, key=lambda s: not s.watching)
        watching.stop()
        wait_until(lambda: waiting.watching, "the other process did not take over")
        write_asset(knowledge_dir, "palad/after.md", title="ระเบียบการแต่งกายของพนักงาน", body="แต่งกายสุภาพ\n")
        site = first if waiting is states[0] else second
        wait_until(lambda: "after" in [r["slug"] for r in site.test_client().get("/api/search?q=แต่งกาย")
                                       .get_json()["results"]], "the new watcher did not index the new file")
    finally:
        for site in (first, second):
            site.extensions["km"].stop()


def test_watcher_thread_reindexes_by_itself(tmp_path, knowledge_dir):
    import time

    from app import create_app

    application = create_app(app_config(tmp_path, knowledge_dir, KM_WATCH_INTERVAL=0.2))
    try:
        application.test_client().get("/")  # the first request starts the watcher
        write_asset(knowledge_dir, "palad/auto.md", title="ระเบียบการแต่งกายของพนักงาน", body="แต่งกายสุภาพ\n")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            results = application.test_client().get("/api/search?q=แต่งกาย").get_json()["results"]
            if "auto" in [r["slug"] for r in results]:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the watcher did not pick up the new file within 10 s")
    finally:
        application.extensions["km"].stop()


def test_the_watcher_looks_for_changes_between_searches_and_never_waits_for_ever(app, knowledge_dir, monkeypatch):
    """Looking through the files is cut in steps (scan_asset_files calls `pause`); each step
    waits while this process is searching, up to MAX_YIELD_SECONDS per tick."""
    import threading
    import time

    from app import state as state_module
    from indexer.content import sources

    state = app.extensions["km"]
    monkeypatch.setattr(sources, "PAUSE_EVERY", 1)  # a pause at every file of this small folder
    monkeypatch.setattr(state_module, "MAX_YIELD_SECONDS", 30.0)
    waits = []
    real = state.__class__._after_searches
    monkeypatch.setattr(state.__class__, "_after_searches",
                        lambda self, until: waits.append(time.monotonic()) or real(self, until))

    kb = state.kb
    kb._searches += 1  # a search is running
    write_asset(knowledge_dir, "palad/new.md", title="การขอหนังสือรับรองเงินเดือน", body="ขอหนังสือรับรอง\n")
    done = threading.Event()
    threading.Thread(target=lambda: (state.refresh(searches_first=True), done.set()), daemon=True).start()
    assert not done.wait(0.5)  # the look waits for the search
    assert len(waits) == 1
    kb._searches -= 1  # the search ended
    assert done.wait(10)
    assert len(waits) >= 4  # one per file and a few more while comparing
    assert kb.search(SearchRequest(q="หนังสือรับรอง")).hits[0].slug == "new"

    monkeypatch.setattr(state_module, "MAX_YIELD_SECONDS", 0.3)  # a stream of searches that never ends
    kb._searches += 1
    write_asset(knowledge_dir, "palad/other.md", title="การลากิจส่วนตัว", body="ลากิจ\n")
    started = time.monotonic()
    state.refresh(searches_first=True)
    kb._searches -= 1
    assert 0.3 <= time.monotonic() - started < 5
    assert kb.search(SearchRequest(q="ลากิจส่วนตัว")).hits[0].slug == "other"


def test_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_every_css_js_and_font_is_served_locally(client):
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", source), template
        assert "<script>" not in source and " style=" not in source, template
    for path in ("css/site.css", "css/print.css", "js/site.js"):
        with client.get(f"/static/{path}") as response:
            assert response.status_code == 200
    # every font a style sheet names is served, in the format it is declared as
    magic = {"woff2": b"wOF2", "woff": b"wOFF"}
    declared = [(css.name, url, kind) for css in (STATIC / "css").glob("*.css")
                for url, kind in re.findall(r'url\("\.\./(fonts/[^"]+)"\) format\("(\w+)"\)', css.read_text("utf-8"))]
    assert ("site.css", "fonts/Loma.woff2", "woff2") in declared and len(declared) >= 8
    for css, url, kind in declared:
        with client.get(f"/static/{url}") as response:
            assert response.status_code == 200 and response.data[:4] == magic[kind], (css, url)
    site = (STATIC / "css" / "site.css").read_text(encoding="utf-8")
    assert site.index("Loma.woff2") < site.index("Loma.woff\"")  # WOFF2 first: 57 KB against 64 (review PW-02)


def test_bad_setting_fails_at_start_with_its_name(tmp_path, knowledge_dir, monkeypatch):
    from app import create_app
    from indexer import SettingsError

    monkeypatch.setenv("KM_WATCH_INTERVAL", "soon")
    with pytest.raises(SettingsError, match="KM_WATCH_INTERVAL: expected a number, got 'soon'"):
        create_app(app_config(tmp_path, knowledge_dir))


def test_the_speller_reads_its_word_list_when_the_site_starts_not_on_a_readers_search(tmp_path, knowledge_dir):
    from app import create_app
    from indexer.search.known import common_short_words

    common_short_words.cache_clear()
    application = create_app(app_config(tmp_path, knowledge_dir))
    assert common_short_words.cache_info().currsize == 1
    application.extensions["km"].stop()


def test_secret_key_is_generated_once_and_kept(tmp_path, knowledge_dir):
    from app import create_app

    config = app_config(tmp_path, knowledge_dir)
    del config["KM_SECRET_KEY"]
    first = create_app(config)
    second = create_app(config)
    key_file = tmp_path / "instance" / "secret_key"
    assert first.secret_key == second.secret_key == key_file.read_text().strip()
    assert len(first.secret_key) == 64 and (key_file.stat().st_mode & 0o777) == 0o600


def test_results_per_page_comes_from_the_setting(tmp_path, knowledge_dir):
    from app import create_app

    application = create_app(app_config(tmp_path, knowledge_dir, KM_PER_PAGE=1))
    try:
        page = text(application.test_client().get("/search?q=การ"))
        assert page.count('<article class="hit">') == 1
        assert "หน้า 1 จาก" in page
    finally:
        application.extensions["km"].stop()


def test_the_status_page_warns_the_km_team_of_dates_after_today(app, client, editor_client, knowledge_dir):
    write_asset(knowledge_dir, "palad/typed-year.md", title="คู่มือใหม่", published="2596-01-15",  # for 2569
                body="ขั้นตอน\n")
    app.extensions["km"].kb.update()
    page = text(editor_client.get("/status"))
    assert ("<code>palad/typed-year.md</code></td><td>—</td><td>published</td>"
            "<td>วันที่เผยแพร่ 15 ม.ค. 2596 ยังมาไม่ถึง") in page
    assert "ยังมาไม่ถึง (วันนี้" in page and "จะนับในปีงบประมาณ 2596 เมื่อถึงวันนั้น ถ้าพิมพ์ปีผิด ให้แก้วันที่" in page
    assert "typed-year" not in text(client.get("/status"))


def test_error_pages_speak_thai_in_heading_title_and_reason(app, client, editor_client):
    """werkzeug's own sentences were shown: "405 Method Not Allowed", a 413 in English, "403 Forbidden"."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    cases = [
        (client.get("/auth/logout"), 405, "เปิดหน้านี้ด้วยวิธีนี้ไม่ได้", "หน้านี้รับเฉพาะการกดปุ่ม"),
        (client.get("/no/such/page"), 404, "ไม่พบหน้าที่ต้องการ", "ลิงก์นี้อาจผิดหรือถูกย้ายไปแล้ว"),
        (editor_client.post("/publish/sick-leave/edit", data=b"x" * (limit + 1),
                            content_type="multipart/form-data; boundary=x"),
         413, "ไฟล์หรือข้อมูลใหญ่เกินกำหนด", "รับไฟล์แนบได้ไม่เกิน 20 MB ต่อไฟล์"),
    ]
    for response, status, heading, said in cases:
        page = response.get_data(as_text=True)
        assert response.status_code == status
        assert f"<h1>{heading}</h1>" in page and said in page and f"<title>{heading} · " in page
        assert not re.search(r"Method Not Allowed|Request Entity|Not Found|requested URL", page)
    reply = client.delete("/api/search?q=x")
    assert reply.status_code == 405 and reply.get_json()["reason"].startswith("หน้านี้รับเฉพาะการกดปุ่ม")


def test_filters_say_they_are_removed_and_search_landmarks_have_names(client):
    """A screen reader heard "สำนักปลัดเทศบาล ✕" for the link that removes a filter, and two nameless
    search landmarks on /people/ (outside review, accessibility)."""
    page = client.get("/search?q=ลา&department=palad").get_data(as_text=True)
    chip = re.search(r'<a class="chip chip-remove".*?</a>', page, re.S).group(0)
    assert re.sub(r"<[^>]+>", "", chip.replace('<span aria-hidden="true">✕</span>', "")).split() == [
        "เอาตัวกรอง", "สำนักปลัดเทศบาล", "ออก"]
    active = re.search(r'<a [^>]*aria-current="true">.*?</a>', page, re.S).group(0)
    assert "กดเพื่อเอาตัวกรองออก" in active and '<span aria-hidden="true">✓ </span>' in active
    people = client.get("/people/").get_data(as_text=True)
    names = re.findall(r'role="search" aria-label="([^"]+)"', people)
    assert len(names) == len(set(names)) == people.count('role="search"') == 2


def test_a_hand_typo_that_takes_an_asset_offline_is_named_to_the_team_and_on_the_reports(app, client, editor_client,
                                                                                          knowledge_dir):
    """km_stage: codify made the asset a 404 "may have been moved" for editors too, and the auditor's figures
    dropped with no word on the report pages (outside review, KM team)."""
    path = knowledge_dir / "palad" / "sick-leave.md"
    path.write_text(path.read_text(encoding="utf-8").replace("km_stage: codification", "km_stage: codify"),
                    encoding="utf-8")
    app.extensions["km"].kb.update()
    team = editor_client.get("/assets/sick-leave")
    assert team.status_code == 404
    said = html.unescape(team.get_data(as_text=True))
    assert "ไฟล์ palad/sick-leave.md ของเรื่องนี้มีข้อผิดพลาด จึงยังไม่แสดงและไม่นับ" in said and '"codify"' in said
    assert "จึงยังไม่แสดงและไม่นับ: บรรทัด 4 km_stage: ไม่มี" in said  # it read ": : km_stage" (onboarding)
    reader = html.unescape(client.get("/assets/sick-leave").get_data(as_text=True))
    assert "ไม่พบขุมความรู้นี้" in reader and "codify" not in reader  # the file's contents are the team's
    for url in ("/reports/?fy=2568", "/reports/channels?fy=2568"):
        page = client.get(url).get_data(as_text=True)
        assert 'id="skipped-files"' in page and "ไฟล์ขุมความรู้ 1 ไฟล์มีข้อผิดพลาด" in page


def test_the_health_check_says_200_when_all_works_and_503_naming_the_part_that_does_not(app, client, monkeypatch):
    """A monitor had only /status, 200 through a read-only database and failing searches, and a
    redirect to sign in with KM_REQUIRE_LOGIN (outside review, operations)."""
    import sqlite3

    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True and body["checks"]["index"] == {"ok": True, "assets": 3}
    assert body["checks"]["database"] == {"ok": True} and body["files_left_out"] == 0
    from indexer import __version__
    assert body["version"] == __version__  # after an upgrade, the monitor sees which version runs
    app.config["KM_REQUIRE_LOGIN"] = True
    assert client.get("/healthz").status_code == 200 and client.get("/status").status_code == 302

    def read_only(*_args):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    import app.status as status_module

    class ReadOnly:
        def execute(self, *args):
            read_only()

    monkeypatch.setattr(status_module, "get_db", lambda: ReadOnly())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == {"ok": False}  # the reason is for the KM team and the log


def test_static_files_carry_their_version_so_an_upgrade_is_seen_at_once(app, client, tmp_path, monkeypatch):
    """nginx and browsers keep /static/ files for 7 days: after an upgrade, phones showed the new pages
    with last week's CSS (outside review, operations)."""
    import shutil

    shutil.copytree(app.static_folder, tmp_path / "static")
    monkeypatch.setattr(app, "static_folder", str(tmp_path / "static"))  # the upgrade happens in a copy
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'href="(/static/css/site\.css\?v=([0-9a-f]{10}))"', page)
    assert link, "the stylesheet's address carries no version"
    with client.get(link.group(1)) as response:
        assert response.status_code == 200
    css = Path(app.static_folder) / "css" / "site.css"
    css.write_bytes(css.read_bytes() + b"\n/* changed */\n")
    os.utime(css, (css.stat().st_atime, css.stat().st_mtime + 5))
    changed = re.search(r'href="/static/css/site\.css\?v=([0-9a-f]{10})"', client.get("/").get_data(as_text=True))
    assert changed.group(1) != link.group(2)


def test_the_results_page_heading_comes_before_the_filters_headings(client):
    """The filters' h2 headings came before the page's h1 (outside review, accessibility)."""
    page = client.get("/search?q=ลา").get_data(as_text=True)
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", page.split("<main", 1)[1])]
    assert levels[0] == 1 and levels.count(1) == 1 and 2 in levels


def test_a_static_file_at_its_versioned_address_is_kept_a_year(client):
    """Without nginx (scripts/serve) every page re-checked its 8 files (outside review PW-08); the ?v= address
    pages link names one version of the file."""
    page = client.get("/").get_data(as_text=True)
    linked = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', page)[1]
    with client.get(linked) as versioned:
        assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get("/static/css/site.css") as plain:
        assert "immutable" not in plain.headers.get("Cache-Control", "")


def test_a_reader_is_not_sent_the_km_team_s_unsaved_text_script(client, editor_client):
    """unsaved.js (8 KB) went to every reader and did nothing for them (outside review PW-10)."""
    assert "js/unsaved.js" not in client.get("/").get_data(as_text=True)
    assert "js/unsaved.js" in editor_client.get("/").get_data(as_text=True)


def test_a_400_page_names_the_field_and_leads_back_to_the_page_it_came_from(client):
    """A year mistyped in a report's own field gave "คำขอไม่ถูกต้อง / fy: …", with the home page as the
    only way out (copy review T-27, T-34)."""
    reply = client.get("/reports/?fy=68", headers={"Referer": "http://localhost/reports/?fy=2568"})
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400 and "<h1>ลิงก์หรือค่าที่กรอกไม่ถูกต้อง</h1>" in page
    assert "<p>ปีงบประมาณต้องเป็นเลขสี่หลัก" in page and "fy:" not in page  # its field named once
    assert '<a href="/reports/?fy=2568">‹ กลับไปหน้าก่อน</a>' in page
    assert client.get("/api/indicators?fy=68").get_json()["reason"].startswith("fy: ")  # a program reads the name
    for elsewhere in ("https://evil.example/reports/", "http://localhost//evil.example/x", "javascript:alert(1)",
                      "http://localhost/reports/?fy=68"):  # never off the site, nor to the page itself
        shown = client.get("/reports/?fy=68", headers={"Referer": elsewhere})
        assert "กลับไปหน้าก่อน" not in shown.get_data(as_text=True), elsewhere
