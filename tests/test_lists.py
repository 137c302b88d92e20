"""Finding your way: the all-assets list, sort controls on every list, recently changed, Atom feeds."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import app_config, write_asset

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def lists_app(tmp_path):
    """Five published assets whose titles test Thai order, one draft and one archived asset."""
    from app import create_app

    folder = tmp_path / "knowledge"
    write_asset(folder, "palad/kai.md", title="ไก่ชน", published="2025-01-15", updated="2025-03-01",
                summary="เรื่อง <b>ตัวหนา</b> & อื่น ๆ")
    write_asset(folder, "palad/kan.md", title="กาลเวลา", published="2025-02-15")
    write_asset(folder, "finance/koet.md", title="เกิดใหม่", department="finance", published="2024-02-15")
    write_asset(folder, "finance/mu.md", title="หมูป่า", department="finance", published="2023-05-01")
    write_asset(folder, "palad/wan.md", title="วันที่ทำการ", published="2024-12-01", owner="นางสาว <ใจดี>")
    write_asset(folder, "palad/secret.md", title="ร่างลับเฉพาะทีม", published="2025-06-01", status="draft")
    write_asset(folder, "finance/old.md", title="เลิกใช้แล้ว", department="finance", published="2025-06-02",
                status="archived")
    application = create_app(app_config(tmp_path, folder, KM_PER_PAGE=2))
    yield application
    application.extensions["km"].stop()


@pytest.fixture
def lists_client(lists_app):
    return lists_app.test_client()


def titles(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'class="hit-title"><a href="[^"]+">([^<]+)</a>', page)]


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_home_links_its_total_to_the_all_assets_list_and_shows_recent_changes_with_their_dates(lists_client):
    page = get(lists_client, "/")
    assert '<a href="/browse/all">ทั้งหมด 5 เรื่อง</a>' in page
    recent = page[page.index('id="recent-h"'):]
    assert "ใหม่ล่าสุด" in page
    assert titles(recent)[:3] == ["ไก่ชน", "กาลเวลา", "วันที่ทำการ"]  # updated 1 Mar beats published 15 Feb
    assert re.findall(r'class="sort-key">([^<]+)<', recent)[:2] == ["ปรับปรุง 1 มี.ค. 2568", "เผยแพร่ 15 ก.พ. 2568"]
    assert "ร่างลับเฉพาะทีม" not in page and "เลิกใช้แล้ว" not in page


def test_all_assets_sorted_by_title_in_thai_dictionary_order_across_pages(lists_client):
    first = get(lists_client, "/browse/all?sort=title")
    second = get(lists_client, "/browse/all?sort=title&page=2")
    third = get(lists_client, "/browse/all?sort=title&page=3")
    # Thai order: leading vowels are skipped, so เกิด (ก) comes before ไก่ (ก + ไ) and both before หมู (ม)
    assert titles(first) + titles(second) + titles(third) == ["กาลเวลา", "เกิดใหม่", "ไก่ชน", "วันที่ทำการ", "หมูป่า"]
    assert "เรียงตามชื่อเรื่องตามลำดับพจนานุกรมไทย ก–ฮ" in first and 'class="sort-key"' not in first
    assert 'rel="next" href="/browse/all?sort=title&amp;page=2"' in first
    assert 'data-sort="title" aria-current="true"' in first


def test_newest_is_the_default_and_says_which_date_it_sorts_by(lists_client):
    page = get(lists_client, "/browse/all")
    assert titles(page) == ["ไก่ชน", "กาลเวลา"]
    assert "เรียงตามวันที่ปรับปรุงหรือเผยแพร่ ใหม่ที่สุดก่อน" in page
    assert re.findall(r'class="sort-key">([^<]+)<', page) == ["ปรับปรุง 1 มี.ค. 2568", "เผยแพร่ 15 ก.พ. 2568"]


def test_most_viewed_counts_views_and_breaks_ties_by_title(lists_client):
    agent = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"}
    for slug, times in (("mu", 3), ("wan", 1)):
        for reader in range(times):  # a view counts once per reader, asset and day: three readers
            assert lists_client.get(f"/assets/{slug}", headers=agent,
                                    environ_base={"REMOTE_ADDR": f"10.0.0.{reader + 1}"}).status_code == 200
    first = get(lists_client, "/browse/all?sort=views")
    rest = get(lists_client, "/browse/all?sort=views&page=2") + get(lists_client, "/browse/all?sort=views&page=3")
    assert titles(first) + titles(rest) == ["หมูป่า", "วันที่ทำการ", "กาลเวลา", "เกิดใหม่", "ไก่ชน"]
    assert re.findall(r'class="sort-key">([^<]+)<', first) == ["เปิดอ่าน 3 ครั้ง", "เปิดอ่าน 1 ครั้ง"]
    assert "เรียงตามจำนวนครั้งที่เปิดอ่านทั้งหมด มากที่สุดก่อน" in first


def test_every_browse_list_has_the_sort_controls(lists_client):
    for url in ("/browse/department/palad", "/browse/stage/codification", "/browse/type/other", "/browse/tag/x"):
        page = get(lists_client, url + "?sort=title")
        assert 'aria-label="เรียงลำดับ"' in page, url
        assert "เรียงตามชื่อเรื่องตามลำดับพจนานุกรมไทย" in page, url
    page = get(lists_client, "/browse/department/palad?sort=title")
    assert titles(page) == ["กาลเวลา", "ไก่ชน"]
    assert 'href="/browse/department/palad?sort=views"' in page  # the controls keep the list, drop the page


@pytest.mark.parametrize("query, reason", [
    ("sort=random", 'การเรียง: เรียงได้เฉพาะ newest (ใหม่ล่าสุด), title (ชื่อเรื่อง ก–ฮ) หรือ views '
                    '(เปิดอ่านมากที่สุด) แต่พบ "random"'),
    ("sort=relevance", 'การเรียง: เรียงได้เฉพาะ newest (ใหม่ล่าสุด), title (ชื่อเรื่อง ก–ฮ) หรือ views '
                       '(เปิดอ่านมากที่สุด) แต่พบ "relevance"'),
    ("page=abc", 'หน้า: ต้องเป็นจำนวนเต็ม 1–1000 แต่พบ "abc"'),
    ("page=0", "หน้า: ต้องอยู่ระหว่าง 1 ถึง 1000 แต่พบ 0"),
    ("page=๒ก", 'หน้า: ต้องเป็นจำนวนเต็ม 1–1000 แต่พบ "๒ก"'),
    ("page=๔", "หน้า: รายการนี้มี 3 หน้า แต่ขอหน้า 4"),  # Thai digits are digits
    ("page=4", "หน้า: รายการนี้มี 3 หน้า แต่ขอหน้า 4"),
    ("department-page=3", "หน้า: รายการนี้มี 2 หน้า แต่ขอหน้า 3"),
    ("sort=title&page=99999999999999999999", "หน้า: ต้องอยู่ระหว่าง 1 ถึง 1000 แต่พบตัวเลขยาว 20 หลัก"),
])
def test_bad_sort_or_page_is_a_400_with_the_thai_reason(lists_client, query, reason):
    bases = ("/browse/all", "/browse/department/palad")
    if query.startswith("department-"):
        bases, query = ("/browse/department/palad",), query.removeprefix("department-")
    elif query in ("page=4", "page=๔"):
        bases = ("/browse/all",)
    for base in bases:
        response = lists_client.get(f"{base}?{query}")
        assert response.status_code == 400, (base, query)
        assert reason in html.unescape(response.get_data(as_text=True))


def test_drafts_and_archived_assets_are_in_no_list_even_for_the_km_team(lists_app, lists_client):
    from publish_support import login, make_user

    make_user(lists_app, "somchai", "editor")
    login(lists_client, "somchai")
    for sort in ("newest", "title", "views"):
        pages = "".join(get(lists_client, f"/browse/all?sort={sort}&page={n}") for n in (1, 2, 3))
        assert "ร่างลับเฉพาะทีม" not in pages and "เลิกใช้แล้ว" not in pages
        assert len(titles(pages)) == 5


def parse_feed(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.get_data())  # well-formed XML or this raises
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
    return root


def test_atom_feed_of_all_published_assets_newest_change_first(lists_client):
    root = parse_feed(lists_client, "/feeds/all.atom")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["ไก่ชน", "กาลเวลา", "วันที่ทำการ", "เกิดใหม่", "หมูป่า"]
    first = entries[0]
    assert first.findtext(f"{ATOM}id") == "http://localhost/assets/kai"
    assert first.findtext(f"{ATOM}updated") == "2025-03-01T00:00:00+07:00"
    assert first.findtext(f"{ATOM}published") == "2025-01-15T00:00:00+07:00"
    assert first.findtext(f"{ATOM}summary") == "เรื่อง <b>ตัวหนา</b> & อื่น ๆ"  # text, escaped by the XML writer
    assert entries[2].find(f"{ATOM}author").findtext(f"{ATOM}name") == "นางสาว <ใจดี>"
    assert root.findtext(f"{ATOM}updated") == "2025-03-01T00:00:00+07:00"
    assert "ร่างลับ" not in ET.tostring(root, encoding="unicode") and "เลิกใช้" not in ET.tostring(root, encoding="unicode")


def test_department_feed_holds_that_department_only_and_accepts_its_thai_name(lists_client):
    root = parse_feed(lists_client, "/feeds/departments/finance.atom")
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["เกิดใหม่", "หมูป่า"]
    assert "(กองคลัง)" in root.findtext(f"{ATOM}title")
    same = parse_feed(lists_client, "/feeds/departments/กองคลัง.atom")
    assert len(same.findall(f"{ATOM}entry")) == 2
    response = lists_client.get("/feeds/departments/hr.atom")
    assert response.status_code == 404
    assert 'ไม่พบหน่วยงาน "hr"' in html.unescape(response.get_data(as_text=True))


def test_a_title_with_characters_xml_cannot_carry_still_gives_a_valid_feed(tmp_path):
    from app import create_app

    folder = tmp_path / "knowledge"
    write_asset(folder, "palad/odd.md", raw_front_matter=(
        'title: "ระเบียบ\\x01การลา <&>"\ndepartment: palad\nkm_stage: codification\npublished: 2025-01-01\n'
        'summary: "สรุป\\x1fย่อ"\n'))
    application = create_app(app_config(tmp_path, folder))
    try:
        root = parse_feed(application.test_client(), "/feeds/all.atom")
        titles_found = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
        assert titles_found == ["ระเบียบการลา <&>"]  # the control character dropped, the rest escaped
        assert root.find(f"{ATOM}entry").findtext(f"{ATOM}summary") == "สรุปย่อ"
    finally:
        application.extensions["km"].stop()


def test_pages_announce_their_feeds(lists_client):
    home = get(lists_client, "/")
    assert '<link rel="alternate" type="application/atom+xml"' in home and 'href="/feeds/all.atom"' in home
    department = get(lists_client, "/browse/department/กองคลัง")
    assert 'href="/feeds/departments/finance.atom"' in department
    assert 'href="/feeds/all.atom"' in get(lists_client, "/browse/all")


def test_an_asset_added_by_an_update_takes_its_place_in_title_order(lists_app, lists_client, tmp_path):
    get(lists_client, "/browse/all?sort=title")  # the order of the first index version is made
    write_asset(tmp_path / "knowledge", "palad/khai.md", title="ขั้นตอนใหม่", published="2025-07-01")
    lists_app.extensions["km"].refresh()  # a copy-on-write update: a new segment beside the old ones
    order = [t for n in (1, 2, 3) for t in titles(get(lists_client, f"/browse/all?sort=title&page={n}"))]
    assert order == ["กาลเวลา", "เกิดใหม่", "ไก่ชน", "ขั้นตอนใหม่", "วันที่ทำการ", "หมูป่า"]
