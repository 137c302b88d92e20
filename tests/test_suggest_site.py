"""GET /api/suggest, the result links that carry ?h=, and the asset page that marks the searched words."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import write_asset
from publish_support import login, make_user
from test_openapi import response_schema, schema_validator

from app.api import api_document
from indexer.search.highlight import MAX_MARKS, mark_html
from indexer.search.snippets import find_matches

MARK = re.compile(r'<mark class="search-hit">([^<]*)</mark>')


@pytest.fixture
def site(app, knowledge_dir):
    """The site over conftest's assets plus a draft and an archived asset with words of their own."""
    write_asset(knowledge_dir, "palad/secret.md", title="ร่างระเบียบลับเฉพาะ", status="draft", tags=["แท็กฉบับร่าง"],
                body="ลาป่วย zorbleflux อยู่ในฉบับร่างเท่านั้น\n")
    write_asset(knowledge_dir, "palad/retired.md", title="ระเบียบเลิกใช้", status="archived", tags=["แท็กเลิกใช้"],
                body="quuxarchive\n")
    app.extensions["km"].kb.update()
    return app


def suggest(client, q):
    response = client.get("/api/suggest", query_string={"q": q})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_suggestions_meet_the_documented_schema_and_link_where_each_kind_leads(site):
    client = site.test_client()
    response = client.get("/api/suggest?q=ลาป")
    validator = schema_validator(api_document(), response_schema(api_document(), "/api/suggest", 200)["schema"])
    assert [e.message for e in validator.iter_errors(response.get_json())] == []
    assert re.fullmatch(r"suggest;dur=\d+\.\d{2}", response.headers["Server-Timing"])
    assert response.headers["Cache-Control"] == "private, max-age=60"  # the same for all: Backspace asks nothing
    found = {(s["kind"], s["text"]): s["url"] for s in response.get_json()["suggestions"]}
    assert response.get_json()["query"] == "ลาป"
    assert found[("asset", "การลาป่วยของพนักงานเทศบาล")] == "/assets/sick-leave"
    tag = urlsplit(found[("tag", "ลาป่วย")])
    assert (tag.path, parse_qs(tag.query)) == ("/search", {"tag": ["ลาป่วย"]})
    word = urlsplit(suggest(client, "ใบรับรองแพ")["suggestions"][-1]["url"])
    assert (word.path, parse_qs(word.query)) == ("/search", {"q": ["ใบรับรองแพทย์"]})


def test_people_of_the_directory_are_suggested_with_their_page(sample_client):
    found = suggest(sample_client, "พิมพ์ชน")["suggestions"]
    assert {"text": "นางสาวพิมพ์ชนก ใจดี", "kind": "person", "url": "/people/pimchanok-jaidee"} in found
    assert sample_client.get("/people/pimchanok-jaidee").status_code == 200


def test_drafts_and_archived_assets_are_never_suggested_even_to_the_km_team(site):
    client = site.test_client()
    make_user(site, "editor1", "editor")
    login(client, "editor1")
    for typed in ("ร่างระเบียบ", "แท็กฉบับ", "zorble", "ระเบียบเลิก", "แท็กเลิก", "quuxarch"):
        assert suggest(client, typed)["suggestions"] == [], typed
    assert [s["text"] for s in suggest(client, "ลาป")["suggestions"] if s["kind"] == "asset"] == \
        ["การลาป่วยของพนักงานเทศบาล"]


def test_bad_and_odd_input(site):
    client = site.test_client()
    response = client.get("/api/suggest", query_string={"q": "ล" * 201})
    assert response.status_code == 400
    assert response.get_json() == {"error": "Bad Request", "status": 400,
                                   "reason": "q: ยาวได้ไม่เกิน 200 ตัวอักษร แต่พบ 201 ตัวอักษร"}
    assert suggest(client, "")["suggestions"] == []
    assert client.get("/api/suggest").get_json() == {"query": "", "suggestions": []}
    assert suggest(client, "ล")["suggestions"] == []
    assert suggest(client, "<script>")["suggestions"] == []
    assert suggest(client, "\x00ลา")["query"] == "\x00ลา"
    assert suggest(client, "  ลา  ป่วย ")["query"] == "ลา ป่วย"


def result_links(client, path):
    html = client.get(path).get_data(as_text=True)
    return [link.replace("&amp;", "&") for link in re.findall(r'<h2 class="hit-title"><a href="([^"]+)"', html)]


def test_result_links_carry_the_query_and_filters_and_the_page_leads_back(client):
    links = result_links(client, "/search?q=ลาป่วย&department=palad&sort=newest")
    first = urlsplit(links[0])
    assert first.path == "/assets/sick-leave"
    assert parse_qs(first.query) == {"h": ["ลาป่วย"], "department": ["palad"], "sort": ["newest"]}
    html = client.get(links[0]).get_data(as_text=True)
    back = re.search(r'<a class="back-link" href="([^"]+)">‹ กลับไปผลการค้นหา</a>', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(back).query) == {"q": ["ลาป่วย"], "department": ["palad"], "sort": ["newest"]}
    assert urlsplit(back).path == "/search"
    assert "กลับไปผลการค้นหา" not in client.get("/assets/sick-leave").get_data(as_text=True)  # not from a search


def test_the_asset_page_marks_the_searched_words_in_the_body(client):
    html = client.get("/assets/sick-leave?h=ลาป่วยต้องใช้ใบรับรองแพทย์ไหม").get_data(as_text=True)
    body = html[html.index('<div class="prose">'):]
    marked = MARK.findall(body)
    assert set(marked) == {"ลาป่วย", "ใบรับรองแพทย์"}  # stop words (ต้อง, ใช้, ไหม) are not marked
    assert "<h1>การลาป่วยของพนักงานเทศบาล</h1>" in html  # the title stays as written
    # Thai digits in the text are found by Arabic ones, as the search finds them
    html = client.get("/assets/complaint?h=951/2567").get_data(as_text=True)
    assert MARK.findall(html) == ["๙๕๑", "๒๕๖๗"]
    # a typo is marked as its correction, as the search's snippets do
    assert "ลาป่วย" in MARK.findall(client.get("/assets/sick-leave?h=ลาปวย").get_data(as_text=True))


def test_the_searched_words_are_never_inserted_as_given(client):
    attack = '"><script>alert(1)</script><img src=x onerror=alert(2)>ลาป่วย'
    response = client.get("/assets/sick-leave", query_string={"h": attack})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text in "เน้นคำที่ค้น"
    assert set(MARK.findall(html)) == {"ลาป่วย"}
    long = client.get("/assets/sick-leave", query_string={"h": "ลาป่วย " * 1000})  # 57 KB, under the 64 KB limit
    assert long.status_code == 200 and "ลาป่วย" in MARK.findall(long.get_data(as_text=True))


def test_a_draft_is_still_a_404_with_h_and_marks_for_the_km_team(site):
    client = site.test_client()
    response = client.get("/assets/secret?h=ลาป่วย")
    assert response.status_code == 404
    assert "zorbleflux" not in response.get_data(as_text=True)
    make_user(site, "editor2", "editor")
    login(client, "editor2")
    assert MARK.findall(client.get("/assets/secret?h=zorbleflux").get_data(as_text=True)) == ["zorbleflux"]


def test_mark_html_marks_text_only_and_escapes_it_again():
    html = ('<p title="ลาป่วย &quot;a>b&quot;">ลาป่วย &amp; &lt;ลาป่วย&gt;</p><!-- ลาป่วย -->'
            '<pre><code>ลาป่วย</code></pre><a href="/x?ลาป่วย">ไป</a>')
    out = mark_html(html, {"ลาป่วย"}, lambda text: set(range(len(text) + 1)))
    assert out == ('<p title="ลาป่วย &quot;a>b&quot;"><mark class="search-hit">ลาป่วย</mark> &amp; '
                   '&lt;<mark class="search-hit">ลาป่วย</mark>&gt;</p>'
                   '<pre><code><mark class="search-hit">ลาป่วย</mark></code></pre><a href="/x?ลาป่วย">ไป</a>')
    assert mark_html(html, set(), lambda text: set()) == html
    many = "<p>" + "ลา " * (MAX_MARKS * 3) + "</p>"
    assert mark_html(many, {"ลา"}, lambda text: set(range(len(text) + 1))).count("<mark") == MAX_MARKS


def test_where_two_matches_start_together_the_longer_is_marked():
    every = lambda text: set(range(len(text) + 1))  # noqa: E731
    assert find_matches("การลาป่วย", {"ลา", "ป่วย", "ลาป่วย"}, every) == [(3, 9, "ลาป่วย")]
    assert find_matches("ลา ลาป่วย", {"ลา", "ลาป่วย"}, every) == [(0, 2, "ลา"), (3, 9, "ลาป่วย")]
