"""Pathological input of many shapes never costs more than its size: no quadratic path.

Each shape here took seconds to minutes before (10,000 tone marks after one letter:
0.65-7 s to normalise, 100,000: 71 s; 8 KB of `[`: 9 s to render; 8,000 digits: 2.4 s
to segment). The bounds are generous (one second on a loaded machine for work that
takes a few hundredths), so they fail on a quadratic path, not on a slow machine;
where it can, a test also checks what reaches the analyser.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from conftest import write_asset

from app import rendering
from app.limits import MAX_QUERY_STRING_BYTES, URL_TOO_LONG
from indexer.content import render
from indexer.content.defuse import MAX_COST, defuse
from indexer.search import query as query_module
from indexer.search.query import MAX_QUERY_CHARS
from indexer.search.snippets import make_snippet, normal_form
from indexer.thai.segment import Segmenter
from indexer.thai.text import normalize, normalize_slowly, normalize_with_offsets

TONE, TONE2, SARA_I, SARA_AA, NIKHAHIT, ZWSP = "\u0e48", "\u0e49", "\u0e34", "\u0e32", "\u0e4d", "\u200b"

# Text shapes: combining-mark runs of every kind, clusters each with a repeated sign,
# zero-width runs, long lines without spaces, digits, Latin.
TEXT_SHAPES = {
    "tone marks after one letter": "ก" + TONE * 50_000,
    "alternating tone marks": "ก" + (TONE + TONE2) * 25_000,
    "tone marks then a vowel": "ก" + TONE * 50_000 + SARA_I,
    "following vowels": "ก" + SARA_AA * 50_000,
    "nikhahit run": "ก" + NIKHAHIT * 50_000 + SARA_AA,
    "signs between spaces": ("ก " + TONE + " ") * 12_500,
    "clusters with a repeated sign": ("ก" + TONE + TONE) * 16_000,
    "zero-width runs": ("ลา" + ZWSP * 20) * 2_000,
    "long Thai line without spaces": "การลาป่วยของพนักงาน" * 2_500,
    "digits": "๙" * 50_000,
    "Latin": "a" * 50_000,
}


# Bounds of the timed checks: several times the worst time seen on a loaded 2-core machine
# (load average 10), and far below what the quadratic paths took before (6-71 s, 9 s per view).
SLOW = 3.0
CACHED = 0.05


def seconds(work, *args) -> float:
    started = time.perf_counter()
    work(*args)
    return time.perf_counter() - started


@pytest.mark.parametrize("shape", TEXT_SHAPES)
def test_normalisation_is_linear_in_every_shape(shape):
    text = TEXT_SHAPES[shape]
    assert seconds(normalize, text) < SLOW
    assert seconds(normalize_with_offsets, text) < SLOW
    assert normalize(text) == normalize_slowly(text)  # the slow path is cut the same way
    norm, offsets = normalize_with_offsets(text)
    assert len(offsets) == len(norm) + 1 and all(0 <= o <= len(text) for o in offsets)


def test_runs_of_signs_collapse_as_pythainlp_would():
    assert normalize("ก" + TONE * 50_000) == "ก" + TONE
    assert normalize("ดี" + "\u0e35" * 9) == "ดี"
    assert normalize("ป่่่่่่่่่่วย") == "ป่วย"


@pytest.mark.parametrize("shape", ["digits", "Latin", "long Thai line without spaces", "clusters with a repeated sign"])
def test_segmentation_is_linear_in_long_runs(shape):
    segmenter = Segmenter()
    _ = segmenter.trie  # load the dictionary outside the timing
    text = normalize(TEXT_SHAPES[shape][:20_000])
    assert seconds(segmenter.words, text) < SLOW


@pytest.mark.parametrize("segmenter_class", ["Segmenter", "FastSegmenter"])
def test_a_pasted_picture_or_a_long_url_segments_in_linear_time_and_keeps_its_words(segmenter_class):
    """A run with no Thai and no space: newmm took 1.4 s at 100,000 characters and a web save of
    1,000,000 took 110 s while every other save waited (outside review, 2026-12-07)."""
    from indexer.thai import fast, segment

    segmenter = getattr(fast if segmenter_class == "FastSegmenter" else segment, segmenter_class)()
    _ = segmenter.trie
    picture = "ภาพ ![](data:image/png;base64," + ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB" * 10_000) + ") ท้าย"
    assert seconds(segmenter.segments, picture) < SLOW
    assert "".join(segmenter.segments(picture)) == picture
    url = "ดูที่ https://www.dla.go.th/upload/document/type2/2569/" + "/".join(f"folder{n}" for n in range(40)) + "/x.pdf"
    words = segmenter.words(normalize(url))
    assert {"upload", "document", "folder17", "folder39", "pdf"} <= set(words) and words[0] == "ดู"


def test_numbers_are_still_joined_as_pythainlp_joins_them():
    assert Segmenter().words(normalize("เวลา ๑๒:๐๐ น. ราคา 1,234.50 บาท IP 127.0.0.1")) == [
        "เวลา", "12", "00", "น.", "ราคา", "1", "234", "50", "บาท", "ip", "127", "0", "0", "1"]


@pytest.mark.parametrize("shape", TEXT_SHAPES)
def test_a_snippet_of_any_body_is_quick_and_worked_out_once(shape):
    body = TEXT_SHAPES[shape] + " ลาป่วย"
    assert seconds(make_snippet, body, {"ลา", "ก", "a", "9"}) < SLOW
    seen = normal_form.cache_info()
    assert seconds(make_snippet, body, {"ลา", "ป่วย"}) < SLOW / 5
    after = normal_form.cache_info()
    assert after.misses == seen.misses and after.hits > seen.hits  # the document was not normalised again


@pytest.mark.parametrize("shape", TEXT_SHAPES)
def test_a_snippet_from_stored_word_ends_of_any_body_is_quick(shape):
    """The index stores where the words of a body end (one segmentation at build time); a
    snippet reading them is as quick on any shape, and marks the word at the end."""
    from indexer.search.snippets import SCAN_LIMIT
    from indexer.thai.ends import StoredEnds, pack_ends, unpack_ends

    segmenter = Segmenter()
    body = TEXT_SHAPES[shape] + " ลาป่วย"
    norm = normalize(body)
    _, ends = segmenter.words_and_ends(norm, min(len(norm), SCAN_LIMIT))
    stored = StoredEnds(unpack_ends(pack_ends(ends)), segmenter.part_boundaries)
    for terms in ({"ลา", "ก", "a", "9"}, {"ลา", "ป่วย"}):
        assert seconds(make_snippet, body, terms, "", 220, segmenter.word_bounds, stored) < SLOW
    short = "ก" * 40 + " " + body[-100:]  # the word within a snippet's reach: it is marked
    norm = normalize(short)
    _, ends = segmenter.words_and_ends(norm, len(norm))
    stored = StoredEnds(unpack_ends(pack_ends(ends)), segmenter.part_boundaries)
    assert "<mark>ป่วย</mark>" in make_snippet(short, {"ป่วย"}, "", 220, segmenter.word_bounds, stored)


# -- queries and requests ------------------------------------------------------------------------
def test_the_analyser_never_sees_more_than_the_query_limit(kb, monkeypatch):
    seen: list[int] = []
    real = query_module.normalize
    monkeypatch.setattr(query_module, "normalize", lambda text: seen.append(len(text)) or real(text))
    from indexer import SearchRequest

    huge = "ก" + TONE * 225_000  # the 225 KB query that took 14 s under waitress
    assert seconds(kb.search, SearchRequest(q=huge)) < SLOW
    assert seen and max(seen) <= MAX_QUERY_CHARS


def longest_query(unit: str) -> str:
    """The longest repetition of `unit` whose percent-encoded query string is still accepted."""
    count = (MAX_QUERY_STRING_BYTES - len("q=")) // len(quote(unit))
    return unit * count


@pytest.mark.parametrize("unit", ["ก" + TONE, TONE, "[", "9", "a ", ZWSP, "ลาป่วย"])
def test_the_longest_accepted_query_of_any_shape_is_answered_quickly(client, unit):
    q = longest_query(unit)
    for url in ("/search", "/api/search"):
        started = time.perf_counter()
        response = client.get(url, query_string={"q": q})
        assert response.status_code == 200, url
        assert time.perf_counter() - started < SLOW, url


def served(app, path: str, query_string: str) -> tuple[float, str, bytes]:
    """Seconds the site takes to answer (werkzeug's test client alone needs seconds to build a 2 MB URL)."""
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path=path, query_string=query_string).get_environ()
    status: list[str] = []
    started = time.perf_counter()
    body = b"".join(app(environ, lambda code, headers: status.append(code)))
    return time.perf_counter() - started, status[0], body


def test_a_longer_query_string_is_refused_unread(app, client):
    client.get("/")  # templates compiled
    for path, query_string in [("/search", "q=" + quote("ก" + TONE * 25_000)),  # the 225 KB query
                               ("/search", "q=" + quote("ก" + TONE * 225_000)),  # 2 MB
                               ("/api/search", "&".join(["page=1"] * 20_000)),
                               ("/", "x" * (MAX_QUERY_STRING_BYTES + 1))]:
        seconds_taken, status, body = served(app, path, query_string)
        assert seconds_taken < SLOW, (path, len(query_string))
        assert status.startswith("414")
        assert URL_TOO_LONG in body.decode("utf-8")


def test_many_parameters_under_the_limit_are_answered_quickly(client):
    many = "&".join(f"p{i}=1" for i in range(8_000))  # about 60 KB
    started = time.perf_counter()
    assert client.get(f"/search?q=ลาป่วย&{many}").status_code == 200
    assert time.perf_counter() - started < SLOW


# -- Markdown ---------------------------------------------------------------------------------------
MARKDOWN_SHAPES = {
    "open brackets": "[" * 16_000,
    "open image brackets": "![" * 8_000,
    "brackets between words": "[a " * 5_000,
    "nested brackets": "[" * 8_000 + "]" * 8_000,
    "unclosed link targets": "[a](" * 4_000,
    "nested links": "[a](" * 3_000 + ")" * 3_000,
    "nested emphasis": "*" * 8_000 + "a" + "*" * 8_000,
    "nested underscores": "_" * 8_000 + "a" + "_" * 8_000,
    "alternating emphasis": "*_" * 8_000 + "a",
    "unclosed angle brackets": "<a " * 5_000,
    "unclosed autolinks": "<http://a" * 2_000,
    "long line without spaces": "ก" * 60_000,
    "many links": "[ลิงก์](https://example.org/) " * 3_000,
    "deep blockquote": ">" * 16_000 + " x",
    "spaced blockquote": "> " * 8_000 + "x",
    "deep list": "".join("  " * depth + "- x\n" for depth in range(300)),
    "deep ordered list": "".join("    " * depth + "1. x\n" for depth in range(300)),
    "wide table": "|a" * 3_000 + "|\n" + "|-" * 3_000 + "|\n" + ("|x" * 3_000 + "|\n") * 3,
    "long table": "|ข้อ|รายการ|\n|---|---|\n" + "|1|ตรวจราคากลาง|\n" * 3_000,
    "headings in one paragraph": "# หัวข้อ\n" * 4_000,
    "setext headings": "ก\n---\n" * 30_000,  # 2-6 s when an underline cost 4 units (outside review, 2026-12-07)
    "rules in one paragraph": "***\n" * 4_000,
    "unclosed fence": "```\n" + "[(<*\n" * 8_000,
    # nl2br rebuilt the paragraph for each break: 25 s for 75,000 lines (outside review, security)
    "one paragraph of single lines": "ก\n" * 75_000,
    "single lines and bare addresses": "ดู https://a.example.go.th/x\n" * 5_000,
}


@pytest.mark.parametrize("shape", MARKDOWN_SHAPES)
def test_rendering_any_shape_is_bounded(shape):
    body = MARKDOWN_SHAPES[shape]
    started = time.perf_counter()
    rendered = rendering._render_cached.__wrapped__(body)  # uncached
    assert time.perf_counter() - started < SLOW
    assert str(rendered.html)
    assert seconds(rendering.render_markdown, body) < SLOW
    assert seconds(rendering.render_markdown, body) < CACHED  # a second view is served from the cache


def test_headings_count_against_the_budget_however_they_are_written():
    atx, setext = defuse("## ก\n" * 30_000), defuse("ก\n---\n" * 30_000)
    assert atx.rest and setext.rest  # both cut, after about the same number of headings
    assert 0.5 < setext.text.count("---") / atx.text.count("## ") < 2


def test_what_is_over_the_budget_is_shown_as_plain_text():
    paragraphs = [f"ย่อหน้าที่ {n} มี [ลิงก์](https://example.org/{n}) และ **ตัวหนา**" for n in range(4_000)]
    body = "\n\n".join(paragraphs)
    assert defuse(body).rest  # over MAX_COST
    html = str(rendering.render_markdown(body).html)
    assert render.TOO_LONG_TO_FORMAT in html
    assert '<a href="https://example.org/0" rel="noopener noreferrer">ลิงก์</a>' in html  # the start is formatted
    assert "ย่อหน้าที่ 3999 มี [ลิงก์](https://example.org/3999) และ **ตัวหนา**" in html  # the rest is all there
    assert MAX_COST > 100_000


def test_defusing_changes_no_real_document(sample_kb):
    """Every sample asset renders exactly as Python-Markdown renders it undefused."""
    from indexer import iter_asset_files, split_source

    checked = 0
    for path in iter_asset_files(sample_kb.settings.knowledge_dir):
        body = split_source(path.read_text(encoding="utf-8"))[3]
        assert defuse(body).rest == ""
        assert render.format_markdown(defuse(body).text) == render.format_markdown(body), path.name
        checked += 1
    assert checked >= 40


def test_defusing_keeps_what_each_rewritten_construct_shows():
    cases = {
        "a [ b ] c ] d [": "<p>a [ b ] c ] d [</p>",
        "ดู (ข้อ 3 และ [ลิงก์](https://x.org/(a)) ต่อ": '<p>ดู (ข้อ 3 และ <a href="https://x.org/(a)" '
                                                    'rel="noopener noreferrer">ลิงก์</a> ต่อ</p>',
        "a < b < c > d": "<p>a &lt; b &lt; c &gt; d</p>",
        "ชื่อ ________ นามสกุล ____": "<p>ชื่อ ________ นามสกุล ____</p>",
        "`a[0` and `(b`": "<p><code>a[0</code> and <code>(b</code></p>",
        "ข้อความ\n---\n# หัวข้อ\nย่อหน้า": '<h2 id="ข้อความ">ข้อความ</h2>\n<h1 id="หัวข้อ">หัวข้อ</h1>\n<p>ย่อหน้า</p>',
    }
    for source, html in cases.items():
        assert render.format_markdown(defuse(source).text)[0] == html, source


# -- pages over a pathological asset ------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    ("ก" + TONE + TONE) * 12_000 + "\n\nลาป่วย",
    "ก" + TONE * 100_000 + "\n\nลาป่วย " + ZWSP * 5_000,
    "[" * 8_000 + "\n\nลาป่วย",
    "ลาป่วย" + "การลาป่วยของพนักงาน" * 3_000,
], ids=["clusters", "tone-run", "brackets", "long-line"])
def test_pages_stay_quick_with_a_pathological_asset(tmp_path, knowledge_dir, body):
    from conftest import app_config

    from app import create_app

    write_asset(knowledge_dir, "palad/odd.md", title="ลาป่วยแบบแปลก", published="2025-02-01", body=body)
    application = create_app(app_config(tmp_path, knowledge_dir))
    try:
        client = application.test_client()
        for url in ("/", "/browse/", "/search?q=ลาป่วย", "/api/search?q=ลา", "/search?q=ลาป่วย&sort=newest",
                    "/assets/odd", "/assets/odd/print", "/api/assets/odd", "/assets/sick-leave"):
            started = time.perf_counter()
            assert client.get(url).status_code == 200, url
            assert time.perf_counter() - started < SLOW, url
    finally:
        application.extensions["km"].stop()


@pytest.mark.parametrize("shape", ["mobiles", "ids", "account-table", "digit-run", "blank-blocks"])
def test_the_personal_data_check_costs_no_more_than_its_text(shape):
    """Counting lines and looking back for a table's header at every finding was quadratic on a
    4 MB asset of numbers (reread); each pattern is now one pass, and it stops at MAX_FINDINGS."""
    from indexer.content.personal import MAX_FINDINGS, personal_data

    unit = {"mobiles": "โทร 081-234-5678 ", "ids": "นาย 1103700012345 ", "account-table": "| ก | 5230123456 |\n",
            "digit-run": "9", "blank-blocks": "\n\n1234567890"}[shape]
    small, large = unit * (100_000 // len(unit)), unit * (800_000 // len(unit))
    if shape == "account-table":
        small, large = "| ชื่อ | เลขที่บัญชี |\n" + small, "| ชื่อ | เลขที่บัญชี |\n" + large
    assert len(personal_data(small)) <= MAX_FINDINGS
    assert seconds(personal_data, large) < max(SLOW, 20 * seconds(personal_data, small))  # 8× the text


@pytest.mark.parametrize("unit", ["![", "![]", "![](", "![](x.png)", "![รูปประกอบ](a.png) "])
def test_looking_for_undescribed_pictures_costs_no_more_than_the_text(unit):
    """A line of "![" with no "]" made each start scan to the line's end (accessibility A-07's
    check, reread): a description holds no "[", so each start stops at the next one."""
    from indexer.content.pictures import undescribed_pictures

    small, large = unit * (100_000 // len(unit)), unit * (800_000 // len(unit))
    assert seconds(undescribed_pictures, large) < max(SLOW, 20 * seconds(undescribed_pictures, small))  # 8× the text
