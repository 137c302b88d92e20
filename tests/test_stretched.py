"""Letters held down as in a chat (indexer/search/stretched.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import kb_with_a_draft
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names, thai_words

from indexer import SearchRequest
from indexer.search.evaluation import load_queries
from indexer.search.stretched import MAX_RUNS

RELEVANCE = Path(__file__).parent / "relevance"
KNOWLEDGE = Path(__file__).parent.parent / "knowledge"
RUN = re.compile(r"([ก-ฮ])\1{2,}")


def _read(kb, q: str, include_drafts: bool = False) -> str | None:
    return kb.engine.read_as_said(q, include_drafts)


@pytest.mark.parametrize("typed, meant", [
    ("ลาป่วยยยยได้กี่วัน", "ลาป่วยได้กี่วัน"),
    ("ได้กี่วันนนน", "ได้กี่วัน"),
    ("เบิกกกกค่ารักษา", "เบิกค่ารักษา"),  # เบิก กก ก: กก is a word, but one letter is left alone
    ("ขอบคุณมากกกก ลาพักร้อนนนน", "ขอบคุณมาก ลาพักร้อน"),  # มา กก กก: as well known, more words
    ("ระบบบบบัญชี", "ระบบบัญชี"),  # not ระบัญชี: of two equally good cuts, the longer
    ("แบบบบบันทึก", "แบบบันทึก"),
    ("ด่วนนนนน เบิกค่าเทอมมมม", "ด่วน เบิกค่าเทอม"),
    ("บัตรประชาชนนนนหาย", "บัตรประชาชนหาย"),  # ชนนน is a name, but here the end of ประชาชน
])
def test_a_stretched_letter_is_cut_back(sample_kb, typed, meant):
    assert _read(sample_kb, typed) == meant


@pytest.mark.parametrize("typed", [
    "แบบบันทึก", "หรือออก", "ระบบบัญชี", "ยังงงอยู่",  # the run falls between two words
    "คนนนทบุรี", "ยังงงงวย",
    "ธนนนท์", "ถามคุณชนนนหน่อย",  # names written so
    "มากกก",  # มาก กก: three letters are cut only when that leaves fewer unknown words
    "ลาป่วยได้กี่วัน", "",
])
def test_a_run_written_right_stays(sample_kb, typed):
    assert _read(sample_kb, typed) is None


def test_no_word_name_asset_or_blind_question_is_cut(sample_kb):
    words = [w for w in thai_words() if RUN.search(w)]
    names = [n for n in {*thai_female_names(), *thai_male_names(), *thai_family_names()} if RUN.search(n)]
    assert len(words) > 20 and len(names) > 5
    assert [w for w in words + names if _read(sample_kb, w) or _read(sample_kb, f"ขอถามเรื่อง{w}หน่อยครับ")] == []
    written = [m.string[max(0, m.start() - 40):m.end() + 40] for path in sorted(KNOWLEDGE.rglob("*.md"))
               for m in RUN.finditer(path.read_text(encoding="utf-8"))]
    assert len(written) > 5 and [t for t in written if _read(sample_kb, t)] == []
    asked = [j for name in sorted(RELEVANCE.glob("blind_*.yaml")) for j in load_queries(name)]
    read = {j.query: r for j in asked if RUN.search(j.query) and (r := _read(sample_kb, j.query))}
    assert read == {"ภาษีป้ายยย": "ภาษีป้าย"}  # the only one stretched; แบบบอก, ยังงงอยู่ stay


def test_the_search_answers_the_stretched_question_with_nothing_to_correct(sample_kb):
    response = sample_kb.search(SearchRequest(q="เบิกกกกค่ารักษา"))
    assert response.request.q == "เบิกกกกค่ารักษา" and response.corrected_from is None and response.suggestion is None
    plain = sample_kb.search(SearchRequest(q="เบิกค่ารักษา"))
    assert [h.slug for h in response.hits] == [h.slug for h in plain.hits] != []
    assert response.confident == plain.confident
    as_typed = sample_kb.search(SearchRequest(q="เบิกกกกค่ารักษา", autocorrect=False))
    assert as_typed.suggestion  # as typed, the speller took กกก for a typo
    assert ">ลาป่วย</mark>ได้" in sample_kb.highlight("<p>ลาป่วยได้ไม่เกินหกสิบวัน</p>", "ลาป่วยยยย")


def test_a_word_only_a_draft_holds_never_decides_a_cut(tmp_path):
    with kb_with_a_draft(tmp_path, "ปัฐฐ") as kb:
        assert _read(kb, "ปัฐฐฐฐฐ") is None  # nothing a reader may see knows ปัฐฐ
        assert _read(kb, "ปัฐฐฐฐฐ", include_drafts=True) == "ปัฐฐ"  # the KM team sees drafts


def test_the_search_box_suggests_for_the_stretched_word(sample_kb):
    sample_kb.suggester._parts(sample_kb.engine.searcher(), wait=True)
    assert [s.text for s in sample_kb.suggest("ลาป่วยยย")] == [s.text for s in sample_kb.suggest("ลาป่วย")] != []


def test_at_most_max_runs_are_read(sample_kb):
    """Each run costs a few segmentings of its neighbourhood, so a question's first MAX_RUNS
    are read and the rest stay as typed: hostile input costs a bounded time."""
    typed = " ".join(["ป่วยยยย"] * (MAX_RUNS + 2))
    assert _read(sample_kb, typed) == " ".join(["ป่วย"] * MAX_RUNS + ["ป่วยยยย"] * 2)


@pytest.mark.parametrize("q", ["ลาป่วย" + "ย" * 300, "เคพีไอ " + "ก" * 300, "]kxj;pw " + "ก" * 300,
                               "ขออนุญาติก่อสร้าง " + "บ้าน " * 50])
def test_a_question_read_otherwise_still_says_it_was_cut(sample_kb, q):
    """Stretched letters, letter names, the wrong layout, a known misspelling: what is searched
    is shorter than what was typed, and the page must still say that the question was cut."""
    assert sample_kb.search(SearchRequest(q=q)).truncated


def test_the_results_page_shows_the_stretched_question_as_typed_with_its_answer_marked(sample_client):
    page = sample_client.get("/search", query_string={"q": "เบิกกกกค่ารักษา"}).get_data(as_text=True)
    assert "medical-expense-claim" in page and "did-you-mean" not in page  # nothing to correct
    assert 'value="เบิกกกกค่ารักษา"' in page  # the box keeps what was typed
    assert re.search(r"<mark[^>]*>เบิก</mark>", page)  # the snippet marks the word meant
