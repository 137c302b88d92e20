"""Findings of the accessibility review (A-NN) that the pages' HTML shows: heading levels, table headers,
the names of repeated buttons."""

from __future__ import annotations

import re

from plans_support import write_km
from publish_support import csrf_token, read_form


def headings(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<h([1-6])\b", html.split('<main id="main"')[1].split("</main>")[0])]


def test_browse_lists_go_from_the_page_heading_to_the_titles_without_a_gap(sample_client):
    """A-11: the lists went h1 → h3 (axe heading-order); their titles are h2 now, as are search results
    (on a phone the filters' h2 are folded away, and the results went h1 → h3 too)."""
    for url in ("/browse/all", "/browse/department/palad", "/browse/tag/KM"):
        html = sample_client.get(url).get_data(as_text=True)
        levels = headings(html)
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)
        assert '<h2 class="hit-title">' in html, url


def test_the_restore_column_of_the_history_tables_has_a_header(editor_client, knowledge_dir):
    """A-11: the history tables' last column (the restore buttons) had an empty <th>."""
    values = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    assert editor_client.post("/publish/sick-leave/edit", data=dict(values, body=values["body"] + "\nอีกบรรทัด\n")
                              ).status_code == 302
    write_km(knowledge_dir)
    page = editor_client.get("/plans/files/needs/2568/edit").get_data(as_text=True)
    sha = re.search(r'name="base_sha" type="hidden" value="(\w+)"', page).group(1)
    text = (knowledge_dir / "_km" / "needs" / "2568.yaml").read_text(encoding="utf-8")
    assert editor_client.post("/plans/files/needs/2568/edit", data={
        "csrf_token": csrf_token(page), "base_sha": sha, "text": text + "\n"}).status_code == 302
    for url in ("/publish/sick-leave/history", "/plans/files/needs/2568/history"):
        html = editor_client.get(url).get_data(as_text=True)
        assert "กู้คืนฉบับนี้" in html, url
        assert "<th></th>" not in html, url
        assert '<th><span class="visually-hidden">กู้คืน</span></th>' in html, url


def button_names(html: str, visible: str) -> list[str]:
    """The text of each button that starts with `visible`, tags dropped and spaces collapsed (what a screen
    reader's list of buttons says)."""
    buttons = re.findall(r"<button\b[^>]*>(.*?)</button>", html, re.S)
    names = [" ".join(re.sub(r"<[^>]+>", "", b).split()) for b in buttons]
    return [n for n in names if n.startswith(visible)]


def test_repeated_buttons_say_what_they_act_on(app, editor_client, knowledge_dir, monkeypatch):
    """A-13: every file's button read "นำออก", every comment's "อ่านแล้ว", every request's "ทำเสร็จแล้ว", every
    version's "กู้คืนฉบับนี้": the object is now in the name, after the visible word (WCAG 2.5.3 kept)."""
    from plans_support import TODAY
    from test_attachments import PNG, thai_pdf
    from test_attachments import upload as attach
    from test_event_files import EVENT
    from test_event_files import upload as keep_evidence
    from test_feedback import ask, vote

    from indexer import dates

    write_km(knowledge_dir)
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    assert attach(editor_client, "sick-leave", "แบบฟอร์ม.png", PNG).status_code in (302, 303)
    assert attach(editor_client, "sick-leave", "ระเบียบ.pdf", thai_pdf("ระเบียบการลา")).status_code in (302, 303)
    assert keep_evidence(editor_client, "ใบลงชื่อ.png", PNG).status_code == 302
    assert keep_evidence(editor_client, "ภาพกิจกรรม.png", PNG).status_code == 302
    for comment in ("ดีมาก", "ขั้นตอนที่ ๓ ไม่ตรงกับระเบียบใหม่"):
        vote(app.test_client(), helpful="yes", comment=comment)
    ask(app.test_client(), "ค่าเช่าบ้าน")
    ask(app.test_client(), "ลาคลอด")
    for n in (1, 2):
        values = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
        assert editor_client.post("/publish/sick-leave/edit",
                                  data=dict(values, body=values["body"] + f"\nบรรทัด {n}\n")).status_code == 302
    expected = {
        "/publish/sick-leave/attachments": ("นำออก", {"นำออก แบบฟอร์ม.png", "นำออก ระเบียบ.pdf"}),
        f"/events/{EVENT}": ("นำออก", {"นำออก ใบลงชื่อ.png", "นำออก ภาพกิจกรรม.png"}),
        "/team/feedback": ("อ่านแล้ว", {"อ่านแล้ว ความเห็น “ดีมาก”",
                                        "อ่านแล้ว ความเห็น “ขั้นตอนที่ ๓ ไม่ตรงกับระเบียบใหม่”"}),
        "/team/requests": ("ทำเสร็จแล้ว", {"ทำเสร็จแล้ว คำขอ “ค่าเช่าบ้าน”", "ทำเสร็จแล้ว คำขอ “ลาคลอด”"}),
        "/publish/sick-leave/history": ("กู้คืนฉบับนี้", {"กู้คืนฉบับนี้ (ฉบับที่ 1)", "กู้คืนฉบับนี้ (ฉบับที่ 2)"}),
    }
    for url, (visible, names) in expected.items():
        found = button_names(editor_client.get(url).get_data(as_text=True), visible)
        assert set(found) == names and len(found) == len(names), (url, found)
    page = editor_client.get("/plans/files/needs/2568/edit").get_data(as_text=True)
    sha = re.search(r'name="base_sha" type="hidden" value="(\w+)"', page).group(1)
    text = (knowledge_dir / "_km" / "needs" / "2568.yaml").read_text(encoding="utf-8")
    assert editor_client.post("/plans/files/needs/2568/edit", data={
        "csrf_token": csrf_token(page), "base_sha": sha, "text": text + "\n"}).status_code == 302
    assert button_names(editor_client.get("/plans/files/needs/2568/history").get_data(as_text=True),
                        "กู้คืนฉบับนี้") == ["กู้คืนฉบับนี้ (ฉบับที่ 1)"]


def test_the_home_page_does_not_take_the_focus_to_the_search_box(client):
    """A-16: with autofocus, screen readers started on the field, past the menu, the heading and the sentence
    that says what the site is; the field is the first thing in the content anyway."""
    home = client.get("/").get_data(as_text=True)
    assert 'id="q"' in home and "autofocus" not in home


def test_every_table_of_the_plan_and_report_pages_sits_in_a_box_the_keyboard_scrolls(sample_client):
    """A table wider than a phone scrolls sideways in its box, which takes the focus (axe
    scrollable-region-focusable); the box opened in a macro imported without context was empty, and
    the plan report's print view was 646 px too wide at 320 px."""
    for url in ("/plans/2568", "/plans/report?fy=2568", "/plans/report/print?fy=2568", "/reports/channels?fy=2568",
                "/events/", "/plans/surveys", "/assets/procurement-checklist"):
        html = sample_client.get(url).get_data(as_text=True)
        boxed = re.findall(r'<div class="table-scroll" tabindex="0" role="group" aria-label="[^"]+">\s*<table', html)
        tables = [t for t in re.findall(r"<table\b[^>]*>", html) if "head-table" not in t]  # a plan's facts fit
        assert tables and len(boxed) == len(tables), url
