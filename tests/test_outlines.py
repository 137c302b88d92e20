"""A new asset can start from its type's outline (vocabulary.yaml, asset_types[].outline): the
editor offers one per type, fills the body with the headings and the type, and a bad outline in
the vocabulary is an error naming the file, the entry and what was expected."""

from __future__ import annotations

import html
import re

import pytest
import yaml
from publish_support import read_form

from indexer.content.vocabulary import load_vocabulary
from indexer.errors import VocabularyError
from indexer.settings import DATA_DIR

VOCAB = load_vocabulary(DATA_DIR / "vocabulary.yaml")


def test_every_shipped_outline_is_headings_of_its_type():
    with_outline = [t.key for t in VOCAB.asset_types if t.outline]
    assert with_outline == ["manual", "howto", "procedure", "checklist", "regulation", "lesson", "know-how", "form"]
    lesson = VOCAB.asset_types.get("lesson")
    assert lesson.outline[:2] == ("ที่มา", "เราคาดหวังอะไร")
    assert lesson.outline_markdown.startswith("## ที่มา\n\n\n## เราคาดหวังอะไร\n\n\n")
    assert VOCAB.asset_types.get("other").outline_markdown == ""


def test_the_new_asset_page_offers_each_outline_and_starts_blank(editor_client):
    page = editor_client.get("/publish/new").get_data(as_text=True)
    choice = page[page.index('class="tabs outline-choice"'):page.index("</nav>", page.index("outline-choice"))]
    links = re.findall(r'<a href="([^"]+)"( aria-current="true")?>([^<]+)</a>', choice)
    assert [(href, label) for href, _, label in links][:2] == [("/publish/new?type=manual", "คู่มือ"),
                                                               ("/publish/new?type=howto", "วิธีปฏิบัติ")]
    assert links[-1] == ("/publish/new", ' aria-current="true"', "หน้าว่าง")
    assert len(links) == 9
    assert read_form(page)["body"] == ""


def test_starting_from_an_outline_fills_the_type_and_the_body_and_saves(app, editor_client, knowledge_dir):
    page = editor_client.get("/publish/new?type=lesson").get_data(as_text=True)
    values = read_form(page)
    assert values["asset_type"] == "lesson"
    assert values["body"].replace("\r\n", "\n").startswith("## ที่มา\n\n\n## เราคาดหวังอะไร\n")
    assert 'href="/publish/new?type=lesson" aria-current="true"' in page
    assert "เริ่มจากโครงเรื่องของ “บทเรียนหลังการปฏิบัติ (AAR)”" in html.unescape(page)
    assert "<h2" in page[page.index('id="preview"'):]  # the preview shows the headings too
    values.update(title="บทเรียนจากการจัดงานวันเด็ก", slug="children-day-aar", department="palad",
                  km_stage="learning",
                  body=values["body"].replace("\r\n", "\n").replace("## ที่มา\n\n", "## ที่มา\n\nจัดงานวันเด็กที่สนามเทศบาล\n"))
    reply = editor_client.post("/publish/new", data=values)
    assert reply.status_code == 302, reply.get_data(as_text=True)[:500]
    text = (knowledge_dir / "palad" / "children-day-aar.md").read_text(encoding="utf-8")
    assert "asset_type: lesson\n" in text and "## ที่มา\n\nจัดงานวันเด็กที่สนามเทศบาล\n" in text


@pytest.mark.parametrize("asked", ["other", "no-such-type", "../../etc/passwd", "ก" * 5000])
def test_a_type_without_an_outline_is_a_400_naming_those_with_one(editor_client, asked):
    reply = editor_client.get("/publish/new", query_string={"type": asked})
    assert reply.status_code == 400
    reason = html.unescape(reply.get_data(as_text=True))
    assert f'ประเภท: ไม่มีโครงเรื่องของประเภท "{asked[:40]}" ใช้ได้: manual, howto, procedure' in reason


def test_readers_are_not_offered_the_editor(client):
    assert client.get("/publish/new?type=lesson").status_code == 302


@pytest.mark.parametrize(("outline", "message"), [
    ("ที่มา", "asset_types[1].outline: expected a list of headings, got 'ที่มา'"),
    (["ที่มา", ""], "asset_types[1].outline[2]: expected a heading on one line, got ''"),
    (["ที่มา\nต่อ"], "asset_types[1].outline[1]: expected a heading on one line"),
    (["##"], "asset_types[1].outline[1]: expected a heading on one line, got '##'"),
    ([{"a": 1}], "asset_types[1].outline[1]: expected a heading on one line, got {'a': 1}"),
    (["ก" * 121], "asset_types[1].outline[1]: a heading is at most 120 characters, got 121"),
])
def test_a_bad_outline_names_the_file_the_entry_and_what_was_expected(tmp_path, outline, message):
    raw = yaml.safe_load((DATA_DIR / "vocabulary.yaml").read_text(encoding="utf-8"))
    raw["asset_types"][0]["outline"] = outline
    path = tmp_path / "vocabulary.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(VocabularyError) as error:
        load_vocabulary(path)
    assert f"{path.resolve()}: {message}" in str(error.value)


def test_a_bad_outline_stops_the_site_at_start_up(tmp_path, knowledge_dir):
    from conftest import app_config

    from app import create_app

    raw = yaml.safe_load((DATA_DIR / "vocabulary.yaml").read_text(encoding="utf-8"))
    raw["asset_types"][2]["outline"] = {"ขั้นตอน": 1}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"asset_types\[3\]\.outline: expected a list of headings"):
        create_app(app_config(tmp_path, knowledge_dir, KM_VOCABULARY_FILE=str(path)))


def test_headings_written_with_their_hashes_are_kept_once(tmp_path):
    raw = yaml.safe_load((DATA_DIR / "vocabulary.yaml").read_text(encoding="utf-8"))
    raw["asset_types"][0]["outline"] = ["## วัตถุประสงค์", "  ขอบเขต "]
    path = tmp_path / "vocabulary.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert load_vocabulary(path).asset_types.get("manual").outline_markdown == "## วัตถุประสงค์\n\n\n## ขอบเขต\n\n\n"
