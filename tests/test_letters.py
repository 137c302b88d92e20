"""Abbreviations spelled with Thai letter names (indexer/search/letters.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import kb_with_a_draft
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names, thai_words

from indexer import SearchRequest
from indexer.search.evaluation import load_queries
from indexer.search.typos import slips

RELEVANCE = Path(__file__).parent / "relevance"


def _spelled(kb, q: str, include_drafts: bool = False) -> str | None:
    return kb.engine.spelled_out(q, include_drafts)


@pytest.mark.parametrize("typed, meant", [
    ("เคพีไอ", "KPI"),
    ("ซีเคโอมีหน้าที่อะไร", "CKOมีหน้าที่อะไร"),  # glued to the Thai after it
    ("ทำ เอเออาร์ ยังไง", "ทำ AAR ยังไง"),
    ("อีจีพี", "E-GP"),  # the assets write e-GP: one hyphen
    ("เคพีไอที่ 2", "KPIที่ 2"),  # ที of ที่ is no T: the run ends where the word does
    ("งานเคเอ็มปีนี้", "งานKMปีนี้"),  # the glossary's เคเอ็ม is KM: searched as KM, not as its synonym
])
def test_an_abbreviation_spelled_in_letter_names_is_read_back(sample_kb, typed, meant):
    assert _spelled(sample_kb, typed) == meant


@pytest.mark.parametrize("typed", [
    "ทีวี", "ซีดี", "โอเค",  # Thai words
    "ไอที",  # the dictionary's, and the glossary's synonym of IT (the sample assets do not write IT)
    "ดีเอง",  # ดีเอ ends inside เอง
    "เอบี", "ซีเอ็กซ์วาย",  # no asset writes AB or CXY
    "ลาป่วยได้กี่วัน", "", "ที่", "ไอ", "เอ",
])
def test_what_is_no_abbreviation_the_assets_write_stays_as_typed(sample_kb, typed):
    assert _spelled(sample_kb, typed) is None


def test_no_dictionary_word_name_or_blind_question_is_read_as_letters_but_km(sample_kb):
    words = sorted(thai_words())[::3]
    assert len(words) > 20_000
    assert [w for w in words if _spelled(sample_kb, w) or _spelled(sample_kb, f"ขอ{w}หน่อย")] == []
    names = sorted(set(thai_female_names()) | set(thai_male_names()) | set(thai_family_names()))[::3]
    assert [n for n in names if _spelled(sample_kb, n)] == []
    asked = [j.query for name in sorted(RELEVANCE.glob("blind_*.yaml")) for j in load_queries(name)]
    read = {q: _spelled(sample_kb, q) for q in asked if _spelled(sample_kb, q)}
    assert read and all(r == q.replace("เคเอ็ม", "KM") for q, r in read.items())  # four say KM so
    slipped = [q.replace(word, typed, 1) for q in asked[::4] for word in sample_kb.segmenter.tokens(q)[:3]
               for _, typed in slips(word)]
    assert len(slipped) > 1000
    assert [q for q in slipped if (r := _spelled(sample_kb, q)) and r != q.replace("เคเอ็ม", "KM")] == []


def test_the_search_answers_the_abbreviation_with_nothing_to_correct(sample_kb):
    response = sample_kb.search(SearchRequest(q="เคพีไอ"))
    assert response.request.q == "เคพีไอ" and response.corrected_from is None and response.suggestion is None
    assert [h.slug for h in response.hits] == [h.slug for h in sample_kb.search(SearchRequest(q="KPI")).hits]
    assert response.hits and "kpi" in response.highlight_terms
    as_typed = sample_kb.search(SearchRequest(q="เคพีไอ", autocorrect=False))
    assert "kpi" not in as_typed.highlight_terms
    html = "<p>ตัวชี้วัด KPI ของแผน</p>"
    assert ">KPI</mark>" in sample_kb.highlight(html, "เคพีไอ")
    assert "<mark>" not in sample_kb.highlight(html, "เคพีไอ", as_typed=True)


def test_an_abbreviation_only_a_draft_holds_is_never_read_back(tmp_path):
    with kb_with_a_draft(tmp_path, "QXZ") as kb:
        assert _spelled(kb, "คิวเอ็กซ์แซด") is None
        assert kb.search(SearchRequest(q="คิวเอ็กซ์แซด")).total == 0
        assert _spelled(kb, "คิวเอ็กซ์แซด", include_drafts=True) == "QXZ"  # the KM team sees drafts


def test_the_search_box_suggests_the_abbreviation_for_its_letter_names(sample_kb):
    sample_kb.suggester._parts(sample_kb.engine.searcher(), wait=True)
    assert [s.text for s in sample_kb.suggest("เคพีไอ")] == [s.text for s in sample_kb.suggest("KPI")] != []
    assert sample_kb.suggest("เอบี") == []  # no asset writes AB
