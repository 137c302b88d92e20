"""ไ typed for ใ and the other way round (indexer/search/ai_vowel.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import kb_with_a_draft
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names, thai_words

from indexer import SearchRequest
from indexer.search.ai_vowel import MAX_SWITCHES, ai_slipped
from indexer.search.evaluation import load_queries, misspelt
from indexer.search.query import MAX_QUERY_CHARS

RELEVANCE = Path(__file__).parent / "relevance"
KNOWLEDGE = Path(__file__).parent.parent / "knowledge"
AI = re.compile(r"(?:[^\s]+ ){0,3}[^\s]*[ไใ][^\s]*(?: [^\s]+){0,3}")  # an ai vowel's word, with up to 3 each side


def _read(kb, q: str, include_drafts: bool = False) -> str | None:
    return kb.engine.ai_vowel_fixed(q, include_drafts)


@pytest.mark.parametrize("typed, meant", [
    ("วิทยากรเป็นไคร มาจากที่ไหน", "วิทยากรเป็นใคร มาจากที่ไหน"),  # ใคร is a stop word: the speller never offered it
    ("ไครเป็นผู้ไห้ความรู้", "ใครเป็นผู้ให้ความรู้"),  # ไห้ is a word of the dictionary, but of no asset
    ("ขอเงินเดือนไหม่", "ขอเงินเดือนใหม่"),  # ไห + ม่
    ("นำความรู้ไปไช้ในงานจริง", "นำความรู้ไปใช้ในงานจริง"),
    ("ยื่นไบลาป่วย", "ยื่นใบลาป่วย"),
    ("ใด้รับเงินเดือนใหม่", "ได้รับเงินเดือนใหม่"),  # ใด is a word: ใด้ is no tone variant of it
    ("ใม่ได้ใปราชการ", "ไม่ได้ไปราชการ"),
    ("ลาป่วยภายไนกี่วัน", "ลาป่วยภายในกี่วัน"),
    ("อยากใด้ใบลา", "อยากได้ใบลา"),  # อยากได้ is no asset's word, but ได้ inside it is
    ("สว่างใสว", "สว่างไสว"),  # ใส + ว: a lone letter counts as unknown, though the index holds ว
    ("ห่มสใบเฉียง", "ห่มสไบเฉียง"),  # ส + ใบ + เฉียง, all known: the lone ส is what is looked at
    ("ลาป่วยได้ใหม", "ลาป่วยได้ไหม"),  # a question's last word: the particle
    ("ลาป่วยได้ใหมคะ", "ลาป่วยได้ไหมคะ"),  # before a polite particle too
    ("ลาป่วยได้ใหม ถ้ายังไม่มีใบรับรองแพทย์", "ลาป่วยได้ไหม ถ้ายังไม่มีใบรับรองแพทย์"),
])
def test_a_slipped_ai_vowel_is_switched(sample_kb, typed, meant):
    assert _read(sample_kb, typed) == meant


@pytest.mark.parametrize("typed", [
    "ใครเป็นผู้ให้ความรู้", "ได้รับเงินเดือนใหม่",
    "น้ำไหลเข้าบ้าน",  # ไหล is a word, and ใหล no better known
    "ไสกบ", "ไจไหม",  # to plane, a skein: words, though ใส and ใจ are the assets' words
    "ร้องไห้", "ไต้ฝุ่น", "ไม้ไผ่",
    "โอนย้านไปอบต",  # ย้านใปอบต would be one unknown word where ย้าน + ต are two, but ใป is no word
    "ผู้ใหความรู้",  # ให้ without its tone mark (the speller's), not ไห (a jar, in no asset)
    "ธีรไนย", "ทองใบ", "ใชนารา",  # names pythainlp lists
    "",
])
def test_an_ai_vowel_written_right_stays(sample_kb, typed):
    assert _read(sample_kb, typed) is None


def test_a_word_cut_at_the_limit_stays(sample_kb):
    """A question as long as the search reads is cut there, so its last word may be a word cut
    short: ใกล้บ้าน cut to ใก is no slip of ไก, which the same letters are anywhere else."""
    head = ("ขอสอบถามเรื่องการลาป่วยของพนักงานเทศบาลหน่อยครับ " * 5)[:MAX_QUERY_CHARS - 5] + " ขอ"
    assert _read(sample_kb, "ลาป่วยขอใก") == "ลาป่วยขอไก"
    assert len(head + "ใก") == MAX_QUERY_CHARS and _read(sample_kb, head + "ใกล้บ้าน") is None


def test_no_word_name_asset_or_blind_question_is_switched(sample_kb):
    words = [w for w in thai_words() if "ไ" in w or "ใ" in w]
    names = [n for n in {*thai_female_names(), *thai_male_names(), *thai_family_names()} if "ไ" in n or "ใ" in n]
    assert len(words) > 5000 and len(names) > 500
    assert [n for n in names if _read(sample_kb, n)] == []
    # a dictionary word alone is switched only when its other spelling is a function word and no
    # asset writes it (ไน alone is ใน)
    assert {w: r for w in words if (r := _read(sample_kb, w))} == {"ไน": "ใน", "ไห้": "ให้", "ไต้": "ใต้"}
    written = [m.group() for path in sorted(KNOWLEDGE.rglob("*.md"))
               for m in AI.finditer(path.read_text(encoding="utf-8"))]
    assert len(written) > 800 and [t for t in written if _read(sample_kb, t)] == []
    asked = [j for name in sorted(RELEVANCE.glob("blind_*.yaml")) for j in load_queries(name)]
    read = {j.query: r for j in asked if (r := _read(sample_kb, j.query))}
    assert read == {"นำความรู้ไปไช้ในงานจริง": "นำความรู้ไปใช้ในงานจริง",  # the three typed so on purpose
                    "ปฐมนิเทศ KM ปีนี้ วิทยากรเป็นไคร มาจากที่ไหน": "ปฐมนิเทศ KM ปีนี้ วิทยากรเป็นใคร มาจากที่ไหน",
                    "เบอร์ภายไน ผอ.กองช่าง": "เบอร์ภายใน ผอ.กองช่าง"}
    assert all(j.kind == "typo" for j in asked if j.query in read)


def test_the_blind_questions_slipped_are_read_back(sample_kb):
    """Each correctly spelled blind question with its first ai vowel slipped (the variant
    typo:ai-vowel) is read as written, all but one in fifty at most: ไครถนัด is cut ไค + รถ +
    นัด, words all three, and stays."""
    asked = [j.query for name in sorted(RELEVANCE.glob("blind_*.yaml")) for j in load_queries(name)
             if not misspelt(j.kind)]
    slipped = {q: ai_slipped(q, []) for q in asked if ai_slipped(q, []) != q}
    assert len(slipped) > 300
    missed = [s for q, s in slipped.items() if _read(sample_kb, s) != q]
    assert len(missed) <= len(slipped) // 50, missed


def test_the_search_answers_the_question_meant_and_says_so(sample_kb):
    typed = "ไครเป็นผู้ไห้ความรู้"
    response = sample_kb.search(SearchRequest(q=typed))
    meant = sample_kb.search(SearchRequest(q="ใครเป็นผู้ให้ความรู้"))
    assert response.request.q == typed and response.corrected_from == typed
    assert response.suggestion == "ใครเป็นผู้ให้ความรู้" and not response.switched_layout
    assert [h.slug for h in response.hits] == [h.slug for h in meant.hits] != []
    as_typed = sample_kb.search(SearchRequest(q=typed, autocorrect=False))
    assert as_typed.corrected_from is None and as_typed.suggestion != "ใครเป็นผู้ให้ความรู้"
    assert ">ใบลา</mark>" in sample_kb.highlight("<p>ยื่นใบลาล่วงหน้า</p>", "ยื่นไบลา")


def test_a_word_only_a_draft_holds_never_decides_a_switch(tmp_path):
    with kb_with_a_draft(tmp_path, "ใฐม") as kb:
        assert _read(kb, "ไฐม") is None  # nothing a reader may see holds ใฐม
        assert _read(kb, "ไฐม", include_drafts=True) == "ใฐม"  # the KM team sees drafts


def test_at_most_max_switches_are_made(sample_kb):
    """Each switch costs two segmentings of its neighbourhood, so hostile input costs a bounded time."""
    typed = " ".join(["ไคร"] * (MAX_SWITCHES + 2))
    assert _read(sample_kb, typed) == " ".join(["ใคร"] * MAX_SWITCHES + ["ไคร"] * 2)
    assert sample_kb.search(SearchRequest(q="ไคร" + "ก" * 300)).truncated


def test_the_search_box_suggests_for_the_slipped_word(sample_kb):
    sample_kb.suggester._parts(sample_kb.engine.searcher(), wait=True)
    assert [s.text for s in sample_kb.suggest("ไบรับรอง")] == [s.text for s in sample_kb.suggest("ใบรับรอง")] != []


def test_the_results_page_says_what_it_searched(sample_client):
    page = sample_client.get("/search", query_string={"q": "ยื่นไบลาป่วย"}).get_data(as_text=True)
    assert re.search(r'class="did-you-mean">แสดงผลของ <strong>ยื่นใบลาป่วย</strong> แทน ·', page)
    assert "sick-leave" in page and 'value="ยื่นไบลาป่วย"' in page


def test_new_written_without_its_tone_mark_is_searched_as_new(sample_kb):
    """น้องใหม่ typed on a phone that dropped the mark was switched to น้องไหม: ไหม is dropped as a
    function word, so "new" was lost, the results were for "น้อง" alone and the page said
    they were for น้องไหม. A word that follows with no space says no particle stands there."""
    assert _read(sample_kb, "น้องใหมต้องทำอะไร") is None and _read(sample_kb, "พนักงานใหมที่กองคลัง") is None
    response = sample_kb.search(SearchRequest(q="น้องใหมต้องทำอะไรบ้าง"))
    assert response.corrected_from is None and response.suggestion == "น้องใหม่ต้องทำอะไรบ้าง"
    assert response.hits[0].slug == "new-staff-mentoring"
