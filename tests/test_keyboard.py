"""Questions typed with the keyboard on the wrong layout (indexer/search/keyboard.py)."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

import pytest
from conftest import kb_with_a_draft

from indexer import SearchRequest
from indexer.search.evaluation import load_queries
from indexer.search.keyboard import toggled_midway, typed_on_english_layout
from indexer.search.known import ENGLISH_WORDS
from indexer.search.typos import slips
from indexer.thai.digits import arabic_digits

RELEVANCE = Path(__file__).parent / "relevance"


def test_a_question_typed_on_the_english_layout_is_switched_back(sample_kb):
    switch = sample_kb.engine.switched_layout
    assert typed_on_english_layout("ลาป่วยได้กี่วัน") == "]kxj;pwfhduj;yo"
    assert switch("]kxj;pwfhduj;yo") == "ลาป่วยได้กี่วัน"
    assert switch("g[bd8jkiydKkrpk[k]") == "เบิกค่ารักษาพยาบาล"  # shifted keys: ษ is K
    # capitals the assets write and digits were typed on purpose, on the English layout
    assert switch(typed_on_english_layout("ทำไมปลัดเป็นCKO")) == "ทำไมปลัดเป็นCKO"
    assert switch(typed_on_english_layout("ลาป่วยปี68")) == "ลาป่วยปี68"
    assert switch(typed_on_english_layout("CKO68ทำอะไร")) == "CKO68ทำอะไร"  # the digits once, not twice
    # short pieces go with the rest: ,u is มี, "q" is ๆ
    assert switch(typed_on_english_layout("ลาป่วย มี ใบรับรองแพทย์")) == "ลาป่วย มี ใบรับรองแพทย์"
    assert switch(typed_on_english_layout("กิจกรรม KM ปีนี้")) == "กิจกรรม KM ปีนี้"  # KM was English
    # and the other way: KPI typed on the Thai layout
    assert switch("ษญณ") == "KPI"


def test_keys_typed_after_the_layout_key_was_hit_mid_question_are_switched_back(sample_kb):
    switch = sample_kb.engine.switched_layout
    assert switch("ลาป่วยwfhduj;yo") == "ลาป่วยได้กี่วัน"  # glued to the Thai before them
    assert switch("]kxj;pได้กี่วัน") == "ลาป่วยได้กี่วัน"  # and the other way round
    assert switch("ลาป่วยมีvtwi[hk'") == "ลาป่วยมีอะไรบ้าง"  # stop words only: the Thai before says enough
    # short keys go along once something was switched: "xu68" alone would be left
    assert switch("ขอลาบวชได้duj;yo xu68") == "ขอลาบวชได้กี่วัน ปี68"
    assert switch("ใบรับรองแพทย์g]nvf8o") == "ใบรับรองแพทย์เลือดคน"  # 8 is ค here, not a digit
    assert toggled_midway("ลาป่วยได้กี่วัน", sample_kb.segmenter.tokens("ลาป่วยได้กี่วัน")) == "ลาป่วยได้duj;yo"


@pytest.mark.parametrize("typed", [
    "ระบบe-GP", "ใช้Excelทำ", "ทีมKMครั้ง", "ลาป่วยapp", "ลาป่วยปี68", "ลาป่วย???", "ลาป่วย...", "ลาป่วย:)",
    "okKPI", "68ok", "ลาป่วยok", "ส่งformได้ไหม", "ข้อ1.2", "พ.ศ.2568",
    "ok", "ski", "rho", "form", "checklist", "timeline", "online", "LINE", "PDF", "SECI", "leave form",
    "e-GP", "KPI", "km", "2567", "488/2567", "18.30", "www.example.go.th", "saraban@example.go.th",
    "https://example.go.th/km", "ลาป่วย", "ลาปวย", "ลาป่วย app", "ฟหกด", "ผผผผผ", "",
])
def test_what_readers_type_on_purpose_is_never_switched(sample_kb, typed):
    assert sample_kb.engine.switched_layout(typed) is None


def _english_words():
    with (resources.files("spellchecker.resources").joinpath(ENGLISH_WORDS).open("rb") as packed,
          gzip.open(packed) as text):
        return [word for word in json.load(text) if word.isascii() and word.isalpha()]


def test_no_english_word_and_no_blind_question_as_written_or_slipped_is_switched(sample_kb):
    switch = sample_kb.engine.switched_layout
    words = _english_words()
    assert len(words) > 100_000
    assert [w for w in words if switch(w) or switch(w.upper())] == []
    asked = [j.query for name in sorted(RELEVANCE.glob("blind_*.yaml")) for j in load_queries(name)]
    assert len(asked) > 600
    assert [q for q in asked if switch(q)] == []
    slipped = [q.replace(word, typed, 1) for q in asked[::4] for word in sample_kb.segmenter.tokens(q)[:3]
               for _, typed in slips(word)]
    assert len(slipped) > 1000
    assert [q for q in slipped if switch(q)] == []


def test_no_english_word_glued_to_thai_is_switched(sample_kb):
    switch = sample_kb.engine.switched_layout
    words = _english_words()[::4]
    assert [w for w in words if switch("ลาป่วย" + w) or switch(w + "ระบบ") or switch("ใช้" + w.capitalize())] == []


def test_nearly_every_blind_question_toggled_midway_comes_back(sample_kb):
    asked = [arabic_digits(j.query) for name in sorted(RELEVANCE.glob("blind_*.yaml")) for j in load_queries(name)]
    typed = [(q, toggled_midway(q, sample_kb.segmenter.tokens(q))) for q in asked]
    typed = [(q, t) for q, t in typed if t != q]
    assert len(typed) > 400
    back = [q for q, t in typed if sample_kb.engine.switched_layout(t) == q]
    assert len(back) >= 0.85 * len(typed), sorted(set(q for q, _ in typed) - set(back))[:20]


def test_nearly_every_blind_question_typed_on_the_english_layout_comes_back(sample_kb):
    asked = [j.query for name in sorted(RELEVANCE.glob("blind_*.yaml")) for j in load_queries(name)]
    typed = [(arabic_digits(q), typed_on_english_layout(q)) for q in asked]
    typed = [(q, t) for q, t in typed if t != q]
    back = [q for q, t in typed if sample_kb.engine.switched_layout(t) == q]
    assert len(back) >= 0.9 * len(typed), sorted(set(q for q, _ in typed) - set(back))[:20]


def test_the_search_answers_the_switched_question_and_says_so(sample_kb):
    response = sample_kb.search(SearchRequest(q="]kxj;pwfhduj;yo"))
    assert response.switched_layout and response.corrected_from == "]kxj;pwfhduj;yo"
    assert response.suggestion == "ลาป่วยได้กี่วัน"
    assert response.hits[0].slug == "sick-leave"
    assert "ลาป่วย" in response.highlight_terms
    as_typed = sample_kb.search(SearchRequest(q="]kxj;pwfhduj;yo", autocorrect=False))
    assert as_typed.total == 0 and not as_typed.switched_layout and as_typed.suggestion is None
    # the asset page marks what the results were for, unless the reader asked for the text as typed
    html = "<p>การลาป่วยต้องมีใบรับรองแพทย์</p>"
    assert ">ลาป่วย</mark>" in sample_kb.highlight(html, "]kxj;p")
    assert "<mark>" not in sample_kb.highlight(html, "]kxj;p", as_typed=True)


def test_a_word_only_a_draft_holds_never_makes_a_switch(tmp_path):
    with kb_with_a_draft(tmp_path, "กขฃคฅ") as kb:
        typed = typed_on_english_layout("กขฃคฅ")
        assert kb.engine.switched_layout(typed) is None
        assert kb.search(SearchRequest(q=typed)).suggestion is None
        assert kb.engine.switched_layout(typed, include_drafts=True) == "กขฃคฅ"  # the KM team sees drafts


def test_the_search_box_suggests_for_letters_typed_on_the_english_layout(sample_kb):
    sample_kb.suggester._parts(sample_kb.engine.searcher(), wait=True)
    thai = [s.text for s in sample_kb.suggest("ลาป")]
    assert thai and [s.text for s in sample_kb.suggest("]kxj")] == thai
    # the layout key hit after ค่า: the keys typed since, glued to it
    glued = [s.text for s in sample_kb.suggest("ค่ารัก")]
    assert glued and [s.text for s in sample_kb.suggest("ค่าiyd")] == glued
    assert [s.text for s in sample_kb.suggest("kpi")] == ["KPI"]  # found as typed: no switch
    assert sample_kb.suggest("zzzz") == []
