"""What readers saw go wrong (issue: search quality II), each held by a test that fails without its fix,
and one test per ranking component that fails when the component is removed."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from conftest import built_kb, kb_with_a_draft, write_asset

from indexer import SearchRequest, normalize
from indexer.search import confidence, hits, known, phrases, rerank, spelling
from indexer.search.clauses import _selective
from indexer.search.lexicon import Lexicon
from indexer.search.query import MAX_CONCEPTS, MAX_QUERY_CHARS, parse_query
from indexer.search.question_numbers import date_phrases, whole_years
from indexer.search.question_words import stray_letters
from indexer.search.slips import edit_distance, typing_distance
from indexer.search.snippets import make_snippet
from indexer.search.spelling import ANYWHERE_LOOKUPS, Speller


def slugs(kb, q, **kw):
    return [h.slug for h in kb.search(SearchRequest(q=q, **kw)).hits]


# -- spelling -------------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["ลาคลอดได้กี่วัน", "ลาป่วยได้กี่วัน", "ขอลาบวชได้กี่วัน", "ลาพักผ่อนได้กี่วัน",
                               "เลื่อนขั้นเงินเดือนปีละกี่ครั้ง", "ภาษีป้ายต้องจ่ายเมื่อไหร่",
                               "ถ้าป่วยหลายวันต้องมีใบรับรองแพทย์หรือเปล่า"])
def test_correctly_spelled_questions_are_never_corrected(sample_kb, q):
    response = sample_kb.search(SearchRequest(q=q))
    assert (response.suggestion, response.corrected_from) == (None, None)
    assert response.hits


@pytest.mark.parametrize("q", [
    "หลังจากที่คุณ",  # LK82 codes หลังจากที่ as it codes หลังจากนี้ (a letter and three digits): two slips apart
    "มีการแก้ไขชนกัน",  # แก้ไข + ชน → แก้ไข would only leave ชน out
    "รบกวนสอบถามหน่อยค่ะ ผลบอลพรีเมียร์ลีกเมื่อคืน",  # หน่อย sounds like หน่วย, but a stop word is typed on purpose
])
def test_words_the_assets_do_not_hold_are_not_respelt_into_other_words_when_nothing_is_found(sample_kb, q):
    response = sample_kb.search(SearchRequest(q=q))
    assert (response.total, response.suggestion, response.corrected_from) == (0, None, None)


def test_an_unknown_word_is_suggested_and_its_correction_joins_the_words_as_typed(sample_kb):
    response = sample_kb.search(SearchRequest(q="ใบรับรองแพทย์ลาปวย"))
    assert response.suggestion == "ใบรับรองแพทย์ลาป่วย" and response.corrected_from is None
    assert response.hits[0].slug == "sick-leave"


# -- typos hidden in pieces the segmenter knows ------------------------------------------------
@pytest.mark.parametrize("q, meant, first", [
    ("ครวจรับพัสดุ", "ตรวจรับพัสดุ", "construction-inspection-checklist"),  # a wrong first letter
    ("การโอนย้ายพนักงาง", "การโอนย้ายพนักงาน", "staff-transfer"),  # the lone ง is known from lists
    ("ใบรับรองแพทย์ลาป๋วย", "ใบรับรองแพทย์ลาป่วย", "sick-leave"),  # ป๋วย passes alone as ป่วย
    ("ขั้นตอนการสอบสวณวินัย", "ขั้นตอนการสอบสวนวินัย", "discipline-procedure"),  # สอบ + สว + ณ: dictionary words
    ("งานสาลบรรณ", "งานสารบรรณ", "official-correspondence"),  # สา + ลบ + รร + ณ
    ("ขอฝึกอบลม", "ขอฝึกอบรม", "training-request-expenses"),  # อบ + ลม: real words, ลม in no asset
    ("สวัสดิกาลพนักงาน", "สวัสดิการพนักงาน", "child-education-allowance"),  # กาล for การ
    ("ซ้อมบำรุงถนน", "ซ่อมบำรุงถนน", "streetlight-repair"),  # ซ้อม (rehearse) for ซ่อม (repair)
    ("ข้นตอนการลาป่วย", "ขั้นตอนการลาป่วย", "sick-leave"),  # ข้น (thick): the vowel sign dropped
])
def test_a_typo_hidden_in_pieces_the_segmenter_knows_is_suggested(sample_kb, q, meant, first):
    response = sample_kb.search(SearchRequest(q=q))
    assert (response.suggestion, response.corrected_from) == (meant, None)
    assert response.hits[0].slug == first


@pytest.mark.parametrize("q, meant, first", [
    ("ทณฑ์", "ทัณฑ์", "discipline-procedure"),  # the vowel sign dropped; the index holds only ทัณฑ์บน
    ("ทันฑ์", "ทัณฑ์", "discipline-procedure"),  # น for ณ
    ("เป็นทรรม", "เป็นธรรม", "grievance-fairness"),  # ท for ธ; the index holds ความเป็นธรรม
    ("สพด", "ศพด", "child-centre-enrolment"),  # ส for ศ: the glossary's abbreviation, which no asset writes
    ("อุทกพัย", "อุทกภัย", "flood-season-lesson"),  # the glossary relates อุทกภัย to the assets' น้ำท่วม
])
def test_a_slip_is_corrected_into_a_dictionary_word_inside_the_assets_compounds_or_the_glossary(
        sample_kb, q, meant, first):
    response = sample_kb.search(SearchRequest(q=q))
    assert response.suggestion == meant
    assert response.hits[0].slug == first


@pytest.mark.parametrize("q, meant, first", [
    ("เงินช่วยเหลือบุด", "เงินช่วยเหลือบุตร", "maternity-leave"),  # จุด is one letter away, another sound
    ("รับสมัก", "รับสมัคร", "child-centre-enrolment"),  # หมัก (compost) was suggested, and ranked
    ("ใบรับรองแพด", "ใบรับรองแพทย์", "sick-leave"),  # แพ้ (allergic) was suggested
    ("ลาไปงานศพญาด", "ลาไปงานศพญาติ", "personal-leave"),  # ขาด was suggested
])
def test_a_final_sound_spelt_as_it_is_heard_is_corrected_into_the_word_it_sounds_like(sample_kb, q, meant, first):
    """Readers on a phone spell a word's last sound as they hear it; the nearest word by one letter
    (บุด → จุด) is another word (outside review, search)."""
    response = sample_kb.search(SearchRequest(q=q))
    assert response.suggestion == meant
    assert response.hits[0].slug == first


def test_a_synonym_that_is_no_dictionary_word_is_not_offered_as_a_slips_correction(sample_kb):
    """แผนการจัดการความรู้ is a synonym of the glossary, one slip from the typed words, but the
    segmenter cuts it in two and the index never holds it whole: as a correction it would find
    nothing. ความลู้ → ความรู้ is what is corrected."""
    engine = sample_kb.engine
    searcher = engine.searcher()
    _, parsed, fixes, _ = engine.understand(searcher, engine.lexicon(searcher), "แผนการจัดการความลู้")
    assert [fix.replacement for fix in fixes] == ["ความรู้"] and parsed.additions == ("ความรู้",)
    assert sample_kb.search(SearchRequest(q="แผนการจัดการความลู้")).hits[0].slug == "km-plan"


def test_only_the_words_a_correction_replaces_stand_for_it_in_the_share_of_the_question_held(sample_kb):
    """กะ and ขาดเงิน are words no sample asset holds, typed right; สื๋อ is a slip of สื่อ. The
    share of the question a document holds must be the same as for the question typed right:
    when every word the index lacks was dropped, the rest looked half held, and the meaning
    was weighed as a second opinion only."""
    engine = sample_kb.engine
    searcher = engine.searcher()
    lexicon = engine.lexicon(searcher)
    typed = "สื๋อที่กะจะแจกให้พนักงานอ่าน แต่ยังไม่ได้ทำเพราะขาดเงิน"
    _, slipped, fixes, _ = engine.understand(searcher, lexicon, typed)
    _, right, _, _ = engine.understand(searcher, lexicon, typed.replace("สื๋อ", "สื่อ"))
    assert [fix.replacement for fix in fixes] == ["สื่อ"]
    stored = hits.StoredFields(searcher)
    shares = [(confidence.coverage(slipped, stored[doc], lexicon), confidence.coverage(right, stored[doc], lexicon))
              for doc in range(searcher.doc_count_all())]
    assert all(a == pytest.approx(b) for a, b in shares) and any(a > 0 for a, _ in shares)


@pytest.mark.parametrize("text", ["หนังสือเวียนว041", "หนังสือเวียนว 041", "ตามแบบข1"])
def test_a_letter_written_against_the_number_it_prefixes_is_no_typos_leftover(sample_kb, text):
    words = tuple(sample_kb.segmenter.words(text))
    assert stray_letters(words, text) == set()
    assert stray_letters(("คุณ", "พา", "พ", "งาน"), "คุณพาพงาน") == {2}  # a letter inside a word still is
    response = sample_kb.search(SearchRequest(q=text))
    assert (response.suggestion, response.corrected_from) == (None, None)


@pytest.mark.parametrize("q, suggestion", [
    ("สมัครสอบท้องถิ่นภาคกเปิดเมื่อไหร่", None),  # ภาค ก without its space: "ภาค" would only drop the ก
    ("สอบภาคกกี่คะแนนผ่าน", None),  # ก before กี่ is no key pressed twice
    ("ลาป่วยย", "ลาป่วย"),  # ย pressed twice
    ("ลาป่วยต้องทำอไรบ้าง", "ลาป่วยต้องทำอะไรบ้าง"),  # not ต้องทำไรบ้าง: the อ was meant, the ะ was missed
])
def test_a_correction_is_not_a_lone_letter_left_out_unless_the_key_was_pressed_twice(sample_kb, q, suggestion):
    assert sample_kb.search(SearchRequest(q=q)).suggestion == suggestion


def test_the_last_word_of_a_query_cut_to_its_longest_is_not_corrected(sample_kb):
    """A question pasted into the search box is cut at MAX_QUERY_CHARS, by the box or by the
    search, often inside its last word (อย่างไ of อย่างไร): that is no typo to correct. A slip
    before it still is."""
    tail = "ต้องยื่นใบลาอย่างไ"
    filler = "ลาป่วยของพนักงานเทศบาล " * 7
    q = filler + " " * (MAX_QUERY_CHARS - len(filler) - len(tail)) + tail
    assert len(q) == MAX_QUERY_CHARS
    response = sample_kb.search(SearchRequest(q=q))
    assert (response.suggestion, response.corrected_from) == (None, None) and response.hits
    slipped = sample_kb.search(SearchRequest(q=q.replace("ลาป่วย", "ลาป้วย", 1)))  # as long: cut too
    assert slipped.suggestion is not None and slipped.suggestion.startswith("ลาป่วย")
    assert slipped.suggestion.endswith("อย่างไ")


def test_a_short_word_people_often_write_is_not_taken_for_a_typos_fragment(sample_kb, monkeypatch):
    """งง (confused) is in the dictionary, not in the sample assets, and ยัง + งง is one letter from
    ยังคง, which they hold: general Thai text writes งง often enough to say the reader meant it."""
    q = "ยังงงอยู่ว่าลาป่วยยังไง"
    assert sample_kb.search(SearchRequest(q=q)).suggestion is None
    engine = sample_kb.engine
    searcher = engine.searcher()
    typed, _, _, seen = engine.understand(searcher, engine.lexicon(searcher), q)
    at = typed.words.index("งง")
    fragment = functools.partial(engine.speller._dictionary_fragment, typed.words, at, engine.lexicon(searcher), seen)
    assert not fragment()
    monkeypatch.setattr(known, "common_short_words", frozenset)  # no word counts as common
    # then it is a typo's piece (ยังคง is a stop word, so it is still not respelt into it)
    assert fragment()


@pytest.mark.parametrize("q", [
    "เงินใส่ที่ซอง",  # ที่ + ซอง is one letter from ที่สอง, but the assets use both words
    "ขอฝึก อบ ลม",  # the reader parted the words
    "อยากรู้ว่าตัวไหนที่ฉุดคะแนนลง",  # ฉุด, in no asset, is one slip from สุด, but ที่สุด is a stop word
])
def test_real_words_are_respelt_only_where_a_slip_explains_them(sample_kb, q):
    assert sample_kb.search(SearchRequest(q=q)).suggestion is None


def test_results_that_only_the_correction_found_are_labelled_as_the_corrections(hybrid_sample_kb):
    """พิจาร + นา (พิจารณา) match no asset's words: what is listed was found by the correction,
    or by meaning. Asked for as typed, meaning alone answers, and the page must not claim a correction."""
    corrected = hybrid_sample_kb.search(SearchRequest(q="พิจารนา"))
    assert (corrected.suggestion, corrected.corrected_from, corrected.total > 0) == ("พิจารณา", "พิจารนา", True)
    as_typed = hybrid_sample_kb.search(SearchRequest(q="พิจารนา", autocorrect=False))
    assert as_typed.total and as_typed.corrected_from is None


def test_a_slip_adds_or_changes_a_tone_mark_or_swaps_a_look_alike_but_never_drops_a_mark(sample_kb):
    engine = sample_kb.engine
    lexicon = engine.lexicon(engine.searcher())
    assert lexicon.slips("สวัสดิกาล") == ["สวัสดิการ"]
    assert lexicon.slips("ลาปวย") == lexicon.slips("ลาป้วย") == ["ลาป่วย"]
    assert lexicon.slips("ข้นตอน") == ["ขั้นตอน"]
    assert lexicon.slips("ลาป่วยย") == lexicon.slips("ค่าเช่าบ้าน") == []
    assert "ค่า" in lexicon and lexicon.slips("ค่่า") == []  # a mark typed twice is not dropped


def test_a_string_of_fragments_is_tried_a_few_times_only(sample_kb, monkeypatch):
    tried, real = [], Speller._best

    def best(self, *args, **kwargs):
        tried.append(kwargs.get("max_slip"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Speller, "_best", best)
    sample_kb.search(SearchRequest(q="ปรชุม" * 30))
    assert tried.count(1.0) == spelling.MAX_FRAGMENTS


@pytest.mark.parametrize("q", ["สมัครสอบท้องถิ่นภาค ก", "ข. รายงานขอซื้อขอจ้าง", "หนังสือเวียน ว 041", "กบท.",
                               "แบบ ภ.ป.1"])
def test_a_letter_set_apart_is_a_name_or_a_marker_not_what_a_typo_left(sample_kb, q):
    assert sample_kb.search(SearchRequest(q=q)).suggestion is None


def test_a_confusable_letter_or_a_tone_mark_is_half_an_edit(sample_kb):
    assert typing_distance("ไช้", "ใช้") == typing_distance("คา", "ค่า") == 0.5
    assert typing_distance("ไปไช้", "ไปได้") == typing_distance("abc", "abd") == 1.0
    assert typing_distance("", "ab") == 2.0

    class Reader:
        def doc_count(self):
            return 10

    words = {"นำ", "ความรู้", "ไป", "ใช้", "ไปได้"}
    lexicon = Lexicon(Reader(), lambda w: 3, sample_kb.segmenter.part_boundaries, words=words)
    speller = Speller(sample_kb.segmenter, sample_kb.glossary)
    fixes = speller.corrections(("นำ", "ความรู้", "ไป", "ไช้"), "นำความรู้ไปไช้", lexicon, lambda w: True)
    # both are one letter away; ใ for ไ is the slip a phone makes
    assert [(f.start, f.end, f.replacement) for f in fixes] == [(3, 4, "ใช้")]


@pytest.mark.parametrize("text, fixed", [
    ("นักทรพยากรบุคคล", (1, 6, "ทรัพยากรบุคคล")),  # ทร + พ + ยา + กร is ทรัพยากร, inside the index's ทรัพยากรบุคคล
    ("นักทรพยากร บุคคล", (1, 5, "ทรัพยากร")),  # the reader parted the words: nothing is taken across the space
])
def test_a_correction_takes_in_a_neighbour_when_together_they_are_an_index_word(sample_kb, text, fixed):
    class Reader:
        def doc_count(self):
            return 10

    words = {"นัก", "ทรัพยากร", "บุคคล", "ทรัพยากรบุคคล"}
    lexicon = Lexicon(Reader(), lambda w: 3, sample_kb.segmenter.part_boundaries, words=words)
    speller = Speller(sample_kb.segmenter, sample_kb.glossary)
    typed = tuple(sample_kb.segmenter.words(text))
    fixes = speller.corrections(typed, text, lexicon, lambda w: w in words)
    assert [(f.start, f.end, f.replacement) for f in fixes] == [fixed]


def test_a_query_of_random_letters_gets_a_bounded_number_of_one_letter_lookups(sample_kb, monkeypatch):
    calls = []
    original = Lexicon._one_edit

    def counting(self, typed):
        calls.append(typed)
        return original(self, typed)

    monkeypatch.setattr(Lexicon, "_one_edit", counting)
    rng = random.Random(5)
    letters = [chr(c) for c in range(0x0E01, 0x0E2F)] + list("ะาิีึืุูเแโใไ่้")
    q = " ".join("".join(rng.choice(letters) for _ in range(5)) for _ in range(33))
    sample_kb.search(SearchRequest(q=q))
    assert 0 < len(calls) <= ANYWHERE_LOOKUPS


def test_a_lexicon_remembers_the_corrections_of_a_piece(sample_kb, monkeypatch):
    engine = sample_kb.engine
    lexicon = engine.lexicon(engine.searcher())
    calls = []
    original = Lexicon._one_edit
    monkeypatch.setattr(Lexicon, "_one_edit", lambda self, typed: calls.append(typed) or original(self, typed))
    lexicon._corrections.clear()  # the session's lexicon: another test may have asked already
    first = lexicon.corrections("ตลวจรับ", 1)
    assert "ตรวจรับ" in first and lexicon.corrections("ตลวจรับ", 1) == first and calls == ["ตลวจรับ"]


def test_the_edit_distance_stops_once_it_exceeds_its_limit():
    assert edit_distance("พยาบาน", "พยาบาล") == edit_distance("พยาบาน", "พยาบาล", 1) == 1
    assert edit_distance("abcdef", "uvwxyz") == 6 and edit_distance("abcdef", "uvwxyz", 1) == 2
    # two Latin letters swapped are one slip; two Thai letters swapped stay two
    assert edit_distance("chnage", "change") == 1 and typing_distance("chnage", "change") == 1.0
    assert edit_distance("ลาปวย", "ลาวปย") == 2


def test_the_corrected_words_decide_the_phrase_bonus_and_the_meaning(hybrid_sample_kb, monkeypatch):
    encoded = []
    semantic = hybrid_sample_kb.engine.semantic
    original = semantic.encode_query
    monkeypatch.setattr(semantic, "encode_query", lambda text: encoded.append(text) or original(text))
    engine = hybrid_sample_kb.engine
    searcher = engine.searcher()
    _, parsed, _, _ = engine.understand(searcher, engine.lexicon(searcher), "ใบรับรองแพทย์ลาป๋วย")
    assert ("ใบรับรองแพทย์", "ลาป่วย") in [bonus.words for bonus in parsed.phrases]
    hybrid_sample_kb.search(SearchRequest(q="ใบรับรองแพทย์ลาป๋วย"))
    assert encoded == ["ใบรับรองแพทย์ลาป่วย"]


@pytest.mark.parametrize("framing", ["รบกวนสอบถามหน่อยค่ะ ", "อยากทราบว่า", "สวัสดีครับ ขอสอบถาม"])
def test_how_a_reader_frames_a_question_is_no_topic(sample_kb, framing):
    """Several sample assets end "สอบถามได้ที่…": the framing of a question to a colleague must
    not choose them over what the question is about."""
    for q in ("ทัณฑ์", "ลาบวชได้กี่วัน"):
        assert slugs(sample_kb, framing + q)[:1] == slugs(sample_kb, q)[:1]
    engine = sample_kb.engine
    parsed = parse_query(framing + "ทัณฑ์", engine.segmenter, engine.glossary, engine.lexicon(engine.searcher()))
    assert parsed.concepts == ("ทัณฑ์",)


@pytest.mark.parametrize("q", ["ลาพักผ่อนได้กีวัน", "ลาคลอดไดกี่วัน", "ต้องยื่นใบลาไมครับ"])
def test_a_question_word_typed_without_its_tone_mark_is_no_topic(sample_kb, q):
    engine = sample_kb.engine
    searcher = engine.searcher()
    parsed = parse_query(q, engine.segmenter, engine.glossary, engine.lexicon(searcher))
    assert not {"กี", "ได", "ไม"} & set(parsed.concepts)
    assert sample_kb.search(SearchRequest(q=q)).confident


@pytest.mark.parametrize("q, first", [("ลาป่วยต้องมีใบรับรองแพทย์ป่ะ", "sick-leave"),
                                      ("ลาป่วยต้องมีใบรับรองแพทย์รึป่าว", "sick-leave"),
                                      ("ลาคลอดได้กี่วันอะ", "maternity-leave"),
                                      ("เบิกค่ารักษายังไงอ่ะ", "medical-expense-claim"),
                                      ("ภาษีป้ายจ่ายที่ไหนเหรอ", "signboard-tax"),
                                      ("ลาป่วยได้กี่วันค๊ะ", "sick-leave"),  # not คณะ
                                      ("ลาป่วยต้องทำยังงัย", "sick-leave"), ("ลาป่วยต้องทำอะรัย", "sick-leave"),
                                      ("ลาคลอดได้กี่วันเนาะ", "maternity-leave"),
                                      ("ลาคลอดได้นานแค่ไหนคะ", "maternity-leave"),  # not ไห + นคะ
                                      ("ภาษีป้ายจ่ายตอนไหนคะ", "signboard-tax")])
def test_a_chat_particle_is_no_topic(sample_kb, q, first):
    """ป่ะ, อะ, เหรอ … end questions typed as in a chat; pythainlp's stop words lack them, so each
    was an unknown word weighing the most, and the right first answer was shown as unsure."""
    engine = sample_kb.engine
    parsed = parse_query(q, engine.segmenter, engine.glossary, engine.lexicon(engine.searcher()))
    assert not {"ป่ะ", "ป่าว", "รึ", "อะ", "อ่ะ", "เหรอ"} & set(parsed.concepts)
    response = sample_kb.search(SearchRequest(q=q))
    assert response.confident and response.suggestion is None and response.hits[0].slug == first


@pytest.mark.parametrize("q, first", [("ลาป่วยยยย", "sick-leave"), ("ขอลาป่วยด่วนนนน", "sick-leave"),
                                      ("ลาคลอดได้กี่วันนนน", "maternity-leave")])
def test_a_word_drawn_out_in_chat_is_the_word(sample_kb, q, first):
    """ด่วนนนน was ด่วน + นนน, and นนน a typo of นาน: the page offered "ด่วนนาน"."""
    response = sample_kb.search(SearchRequest(q=q))
    assert response.suggestion is None and response.confident and response.hits[0].slug == first


def test_a_word_repeated_with_or_without_a_space_before_the_mark_is_the_same_question(sample_kb):
    """"บ่อย ๆ" was a word of its own that no asset held, so the answer was unsure; "บ่อยๆ" a stop word."""
    spaced, glued = (sample_kb.search(SearchRequest(q=q)) for q in ("ลาป่วยบ่อย ๆ", "ลาป่วยบ่อยๆ"))
    assert spaced.confident and glued.confident and spaced.hits[0].slug == "sick-leave"
    assert [h.slug for h in spaced.hits] == [h.slug for h in glued.hits]


def test_a_letter_written_three_times_inside_a_word_or_alone_is_left_as_typed(sample_kb):
    engine = sample_kb.engine
    for text in ("คะแนนนิยม", "ททท.", "บางขุนนนท์"):
        assert parse_query(text, engine.segmenter, engine.glossary).text == text


# -- unknown words ----------------------------------------------------------------------------
@pytest.mark.parametrize("q, expected", [("ภาษีป้าย online", "signboard-tax"), ("ลาป่วย app", "sick-leave"),
                                         ("เบิกค่ารักษาพยาบาล LINE", "medical-expense-claim")])
def test_a_word_no_asset_uses_counts_as_absent(sample_kb, q, expected):
    response = sample_kb.search(SearchRequest(q=q))
    assert response.hits[0].slug == expected
    assert response.confident


# -- tone marks --------------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["เบิกคารักษา", "คารักษาพยาบาล", "เบิกคารักษาพยาบาล"])
def test_a_dropped_tone_mark_still_finds_the_asset(sample_kb, q):
    assert slugs(sample_kb, q)[0] == "medical-expense-claim"


def test_a_word_typed_with_its_tone_marks_is_not_widened_to_other_tones(sample_kb):
    engine = sample_kb.engine
    lexicon = engine.lexicon(engine.searcher())
    assert "ห้า" in lexicon and "หา" in lexicon.same_without_tones("ห้า")
    five = parse_query("คะแนนไม่ถึงห้า", engine.segmenter, engine.glossary, lexicon)
    assert "หา" not in five.expansions["ห้า"]  # five is not "to look for"
    dropped = parse_query("คารักษา", engine.segmenter, engine.glossary, lexicon)
    assert "ค่า" in dropped.expansions["คา"]


@pytest.mark.parametrize("q, suggested", [
    ("แบ่งปันความรู๊", "แบ่งปันความรู้"),  # รู๊ passes as รู้ alone, but the word is ความรู้
    ("ขั๊นตอนการลา", "ขั้นตอนการลา"),
    ("ทำใหมยังไง", None),  # ใหม is ใหม่ read by its tone: ทำให้ changes a letter, no tone slip of it
    ("ยื่นใหมได้มั้ย", None),
])
def test_a_word_read_by_its_tone_marks_is_joined_only_into_a_word_one_tone_slip_away(sample_kb, q, suggested):
    response = sample_kb.search(SearchRequest(q=q))
    assert response.suggestion == suggested and response.corrected_from is None and response.hits


# -- parts of compounds sit on word boundaries ------------------------------------------------
@pytest.fixture
def hall_kb(tmp_path):
    folder = tmp_path / "knowledge"
    write_asset(folder, "palad/hall.md", title="การจองศาลาประชาคม", body="จองศาลาประชาคมและบ่อปลาของหมู่บ้าน\n")
    write_asset(folder, "palad/sick.md", title="การลาป่วย", body="ยื่นใบลาป่วยภายในสามวัน\n")
    write_asset(folder, "palad/fair.md", title="การร้องทุกข์", body="เพื่อให้ความเป็นธรรมแก่พนักงาน\n")
    write_asset(folder, "finance/close.md", title="การปิดบัญชีสิ้นปี", body="ปิดบัญชีต้นเดือนตุลาคม จ่ายค่าเช่ากันยายน\n")
    with built_kb(tmp_path, folder) as kb:
        yield kb


def test_a_short_word_is_found_inside_compounds_only_where_they_split_into_words(hall_kb):
    assert slugs(hall_kb, "ลา") == ["sick"]  # ลาป่วย = ลา + ป่วย; ศาลา, ปลา and ตุลาคม are no ลา
    assert slugs(hall_kb, "ความเป็นธรรม") == ["fair"]  # ให้ + ความเป็นธรรม
    # a month is a name: its one part is its short name (ตุลา), never ลา (leave) or ยา (medicine)
    assert slugs(hall_kb, "ตุลา") == ["close"] and "close" not in slugs(hall_kb, "ยา")


def test_highlights_sit_on_word_boundaries(hall_kb):
    text = "จองศาลาประชาคมและบ่อปลาของหมู่บ้านในเดือนตุลาคม ส่วนใบลาป่วยยื่นที่สำนักปลัด"
    snippet = make_snippet(text, {"ลา"}, word_bounds=hall_kb.segmenter.word_bounds)
    assert snippet.count("<mark>") == 1 and "ใบ<mark>ลา</mark>ป่วย" in snippet


# -- snippets -------------------------------------------------------------------------------
def test_snippets_start_and_end_on_word_boundaries_and_drop_checkboxes(hall_kb):
    text = ("- [ ] ตรวจราคากลาง ☐ ตรวจคุณสมบัติผู้ยื่นข้อเสนอ " + "ประชาสัมพันธ์การจัดซื้อจัดจ้างให้ประชาชนทราบ" * 8
            + "เจ้าหน้าที่พัสดุต้องตรวจรับพัสดุให้ครบถ้วนตามสัญญา" * 6)
    snippet = make_snippet(text, {"ตรวจรับ"}, length=120, word_bounds=hall_kb.segmenter.word_bounds)
    body = snippet.removeprefix("… ").removesuffix(" …").replace("<mark>", "").replace("</mark>", "")
    start = text.index(body[:20])
    bounds = hall_kb.segmenter.word_bounds(text)
    assert start in bounds and start + len(body) in bounds
    head = make_snippet(text, {"ราคากลาง"}, word_bounds=hall_kb.segmenter.word_bounds)
    assert "[ ]" not in head and "☐" not in head and "<mark>ราคากลาง</mark>" in head


# -- confidence ----------------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["สูตรต้มยำกุ้งน้ำข้น", "วิธีทำน้ำพริกกะปิ", "ดูดวงความรักประจำสัปดาห์",
                               "ผลฟุตบอลเมื่อคืนนี้"])
def test_nonsense_is_answered_without_confidence(sample_kb, q):
    assert not sample_kb.search(SearchRequest(q=q)).confident


@pytest.mark.parametrize("q, sure", [("ภาษีป้าย", True), ("ลาป่วย", True), ("สูตรต้มยำกุ้งน้ำข้น", False)])
def test_sure_or_not_is_the_search_s_on_every_page_and_in_every_order(sample_kb, q, sure):
    """Sorted by newest, ภาษีป้าย said ไม่พบเรื่องที่ตรง (its newest asset is building permits), and
    page 2 of a sure search did too; page 1 of the newest order also went to the KM team's list
    of knowledge readers miss."""
    first = sample_kb.search(SearchRequest(q=q, per_page=3))
    assert first.confident is sure and first.total > 3
    for request in (SearchRequest(q=q, per_page=3, page=2), SearchRequest(q=q, per_page=3, sort="newest"),
                    SearchRequest(q=q, per_page=3, sort="newest", page=2)):
        response = sample_kb.search(request)
        assert response.confident is sure and response.total == first.total


def test_a_lone_letter_proves_nothing_about_the_answer(sample_kb):
    """ก of "ภาค ก" is in almost any Thai text: found there it must not make a result confident."""
    response = sample_kb.search(SearchRequest(q="สอบภาค ก ท้องถิ่นรอบใหม่เปิดรับสมัครวันไหน"))
    assert response.hits and not response.confident


def test_a_real_question_is_answered_with_confidence(sample_kb):
    assert sample_kb.search(SearchRequest(q="ลาป่วยต้องใช้ใบรับรองแพทย์ไหม")).confident


def test_the_api_reports_confidence(sample_client):
    assert sample_client.get("/api/search?q=สูตรต้มยำกุ้งน้ำข้น").get_json()["confident"] is False
    assert sample_client.get("/api/search?q=ลาป่วย").get_json()["confident"] is True


# -- ranking components: each test fails when its component is removed ---------------------
@pytest.fixture
def phrase_kb(tmp_path):
    folder = tmp_path / "knowledge"
    # "scattered" holds both words more often, but never next to each other
    write_asset(folder, "a/scattered.md", title="บันทึกงานพัสดุ", body="ตรวจรับ ถนนสายใหม่ของหมู่บ้าน ส่วนพัสดุ\n" * 3)
    write_asset(folder, "a/together.md", title="บันทึกงานช่าง",
                body="คณะกรรมการตรวจรับพัสดุลงนามในใบตรวจรับ แล้วส่งเอกสารให้กองคลังเบิกจ่ายตามระเบียบ "
                     "ภายในสามวันทำการหลังได้รับของครบถ้วน\n")
    with built_kb(tmp_path, folder) as kb:
        yield kb


def test_words_typed_together_earn_a_phrase_bonus(phrase_kb, monkeypatch):
    assert slugs(phrase_kb, "ตรวจรับพัสดุ")[0] == "together"
    monkeypatch.setattr(rerank, "PHRASE_DEPTH", 0)
    assert slugs(phrase_kb, "ตรวจรับพัสดุ")[0] == "scattered"  # what the bonus decides


def test_the_title_outweighs_the_body(tmp_path):
    folder = tmp_path / "knowledge"
    write_asset(folder, "a/body.md", title="บันทึกประจำเดือน", body="เงินสะสม " * 6 + "\n")
    write_asset(folder, "a/title.md", title="เงินสะสม", body="รายละเอียดอยู่ในแบบฟอร์ม\n")
    with built_kb(tmp_path, folder) as kb:
        assert slugs(kb, "เงินสะสม")[0] == "title"


def test_a_word_common_to_most_assets_selects_nothing_beside_rarer_words(tmp_path):
    folder = tmp_path / "knowledge"
    for i in range(6):  # in a heading and the body of nearly every asset: common (COMMON_SHARE)
        write_asset(folder, f"a/common-{i}.md", title=f"งานธุรการ {i}", body="## พนักงาน\n\nพนักงานเทศบาลทุกคน\n")
    write_asset(folder, "a/rare.md", title="การลาอุปสมบท", body="พนักงานลาอุปสมบทได้ ๑๒๐ วัน\n")
    with built_kb(tmp_path, folder) as kb:
        response = kb.search(SearchRequest(q="พนักงานลาอุปสมบท"))
    assert response.total == 1 and response.hits[0].slug == "rare"


def test_a_word_in_most_bodies_but_few_titles_still_counts(tmp_path):
    """ความรู้ in nine bodies of ten is not "common" (COMMON_SHARE): in a KM plan every section says
    it, and the section that says it most answers a question about it. A quarter would drop it."""
    folder = tmp_path / "knowledge"
    write_asset(folder, "a/knowledge.md", title="สรุปผลประจำปี", body="ประเมิน งานของพนักงานทุกคน ความรู้ ความรู้ ความรู้\n")
    write_asset(folder, "a/budget.md", title="สรุปงบประมาณ", body="ประเมิน การใช้จ่ายงบประมาณ\n")
    for i, topic in enumerate(["หนังสือราชการ", "การจัดซื้อ", "ภาษีป้าย", "การลา", "เงินเดือน", "สวัสดิการ", "ขยะ", "น้ำท่วม"]):
        write_asset(folder, f"a/other-{i}.md", title=f"งาน{topic}", body=f"ความรู้ และเรื่อง{topic}\n")
    with built_kb(tmp_path, folder) as kb:
        assert slugs(kb, "ประเมินความรู้")[:2] == ["knowledge", "budget"]


def test_a_common_word_still_counts_in_a_title_that_names_it(tmp_path):
    folder = tmp_path / "knowledge"
    for i in range(4):
        write_asset(folder, f"a/other-{i}.md", title=f"รายงานประจำเดือน {i}",
                    body="## หลักฐาน\n\nแนบหลักฐานการจ่ายเงินทุกครั้ง\n")  # a heading and the body: common
    write_asset(folder, "a/channels.md", title="ช่องทางเผยแพร่ความรู้",
                body="หลักฐานการเผยแพร่ จดหมายข่าว จดหมายข่าวรายเดือน และจดหมายข่าวฉบับพิเศษ\n")
    write_asset(folder, "a/evidence.md", title="เอกสารหลักฐานอ้างอิง", body="สำเนาจดหมายข่าวแนบท้าย\n")
    with built_kb(tmp_path, folder) as kb:  # หลักฐาน is in every asset: it selects nothing,
        assert slugs(kb, "หลักฐานจดหมายข่าว")[0] == "evidence"  # but the asset titled with it is the answer


def test_a_rare_compound_in_a_question_is_also_looked_for_by_the_words_inside_it(tmp_path, monkeypatch):
    """ได้ประโยชน์ is one word to the segmenter, and only the welfare asset writes it; the section
    on what the plan brings says ประโยชน์."""
    from indexer.search import clauses

    folder = tmp_path / "knowledge"
    write_asset(folder, "a/benefits.md", title="วัตถุประสงค์",
                body="ประโยชน์ของแผน คือพนักงานทำงานได้ถูกต้องและรวดเร็วขึ้น\n")
    write_asset(folder, "a/welfare.md", title="เบี้ยยังชีพผู้สูงอายุ",
                body="ผู้สูงอายุได้ประโยชน์จากเบี้ยยังชีพ ยื่นคำขอที่กองสวัสดิการสังคม\n")
    write_asset(folder, "a/vegetables.md", title="อาหารกลางวัน", body="ประโยชน์ของผักสำหรับเด็กเล็ก\n")
    for i, topic in enumerate(["การลา", "ภาษีป้าย", "งานสารบรรณ", "การจัดซื้อ"]):
        write_asset(folder, f"a/other-{i}.md", title=topic, body=f"ขั้นตอน{topic}สำหรับพนักงาน\n")
    q = "ทำแผนแล้วได้ประโยชน์อะไร"
    with built_kb(tmp_path, folder) as kb:
        monkeypatch.setattr(clauses, "INNER_SHARE", 0.2)  # one asset of seven is rare here
        hits = kb.search(SearchRequest(q=q)).hits
        assert hits[0].slug == "benefits" and "<mark>ประโยชน์</mark>" in hits[0].snippet  # what lifted it is shown
        assert "vegetables" not in [hit.slug for hit in hits]  # a part alone finds nothing
        monkeypatch.setattr(clauses, "INNER_SHARE", -1.0)  # no word is rare enough
        assert slugs(kb, q + " ")[0] == "welfare"


def test_the_pieces_of_a_glossary_term_count_once_as_the_term(sample_kb, monkeypatch):
    from indexer.search import clauses

    monkeypatch.setattr(clauses, "COMMON_SHARE", 0.25)  # แจ้ง is in most sample assets
    engine = sample_kb.engine
    lexicon = engine.lexicon(engine.searcher())
    parsed = parse_query("ขอใบแจ้งเกิด", engine.segmenter, engine.glossary, lexicon)
    assert engine.segmenter.words("ใบแจ้งเกิด") == ["ใบ", "แจ้ง", "เกิด"]  # pieces in the index too
    assert "ใบแจ้งเกิด" in parsed.concepts and "แจ้ง" not in _selective(parsed.concepts, lexicon)
    assert "title:แจ้ง^" not in str(parsed.query)  # แจ้ง (common) would add a title clause of its own
    assert 'title:"ใบ แจ้ง เกิด"' in str(parsed.query)


def test_an_indicator_is_one_word_not_a_body_a_finger_and_a_temple(sample_kb):
    """ตัวชี้วัด (indicator), the word of every KM plan, is not in pythainlp's dictionary: newmm
    cut it into ตัว + ชี้ + วัด (temple), so a question about indicators weighed three words and
    วัด found it in the text of a temple. The glossary keeps it whole."""
    engine = sample_kb.engine
    assert engine.segmenter.words("ตัวชี้วัดความสำเร็จของงาน") == ["ตัวชี้วัด", "ความสำเร็จ", "ของ", "งาน"]
    assert engine.segmenter.words("มอบเกียรติบัตรให้ผู้ให้ความรู้")[:2] == ["มอบ", "เกียรติบัตร"]


def test_an_asset_holding_the_document_number_comes_before_those_sharing_its_words(tmp_path):
    folder = tmp_path / "knowledge"
    write_asset(folder, "a/order.md", title="คำสั่งที่ใช้บ่อย", tags=["คำสั่ง"],
                body="คำสั่ง คำสั่งแต่งตั้ง คำสั่งย้าย คำสั่งเลื่อน สำเนาคำสั่ง\n")
    for i in range(4):
        write_asset(folder, f"a/filing-{i}.md", title=f"งานสารบรรณ {i}", body="ลงทะเบียนรับหนังสือ\n")
    write_asset(folder, "a/committee.md", title="คณะกรรมการติดตามผล",
                body="แต่งตั้งตามคำสั่งที่ ๔๘๘/๒๕๖๗ ให้รายงานผลปีละครั้ง\n")
    write_asset(folder, "a/other.md", title="สรุปผลการประชุม", body="อ้างถึงหนังสือที่ 488/2566 และ 1488/2567\n")
    with built_kb(tmp_path, folder) as kb:
        assert slugs(kb, "คำสั่งที่ 488/2567")[:1] == ["committee"]
        # typed against the Thai around it, as phones often do
        assert slugs(kb, "คำสั่งที่488/2567ครับ")[:1] == ["committee"]
        engine = kb.engine
        lexicon = engine.lexicon(engine.searcher())
        assert parse_query("ขอคำสั่งที่488/2567ด้วย", engine.segmenter, engine.glossary, lexicon).references == (
            ("488", "2567"),)
        assert parse_query("รหัส AB488/2567", engine.segmenter, engine.glossary, lexicon).references == ()
    assert not confidence.holds_reference({"text": "หนังสือที่ 488/2566 และ 1488/2567"}, (("488", "2567"),))
    assert confidence.holds_reference({"text": "ที่ 488 / 2567"}, (("488", "2567"),))


def test_the_asset_about_the_document_number_comes_before_those_citing_it(tmp_path):
    """An asset whose title or summary names the order is about it; one whose text cites it
    (a yearly report listing every order) only mentions it, however many of the words it shares."""
    folder = tmp_path / "knowledge"
    write_asset(folder, "a/report.md", title="รายงานผล", tags=["คำสั่ง"],
                body="ขั้นที่ ๑ ออกคำสั่งที่ ๔๘๗/๒๕๖๗ และคำสั่งที่ ๔๘๘/๒๕๖๗ แต่งตั้งคณะกรรมการ\n\nคำสั่ง คำสั่ง\n")
    write_asset(folder, "a/committee.md", title="คณะกรรมการติดตามผล", summary="ตั้งขึ้นตามคำสั่งที่ ๔๘๘/๒๕๖๗",
                body="คณะกรรมการรายงานผลต่อนายกเทศมนตรีปีละครั้ง\n")
    for i in range(4):
        write_asset(folder, f"a/filing-{i}.md", title=f"งานสารบรรณ {i}", body="ลงทะเบียนรับหนังสือ\n")
    with built_kb(tmp_path, folder) as kb:
        assert slugs(kb, "คำสั่งที่ 488/2567")[:2] == ["committee", "report"]
        assert slugs(kb, "คำสั่งที่ 487/2567")[:1] == ["report"]
    assert confidence.holds_reference({"meta": {"summary": "ตามคำสั่งที่ 488/2567"}, "text": ""},
                                          (("488", "2567"),)) == 2
    assert confidence.holds_reference({"text": "ที่ 488/2567"}, (("488", "2567"),)) == 1


def test_the_asset_sent_out_with_a_circular_comes_first_when_its_number_is_asked(tmp_path):
    """A circular's number (ว 88 of ที่ ชม ๕๓๑๐๑/ว ๘๘) is an identifier, as 488/2567 is: the asset
    whose dissemination went out with it comes before one whose text explains how circulars are
    numbered (ชม ๕๓๑๐๑ and ว in every line), and its answer is sure."""
    folder = tmp_path / "knowledge"
    write_asset(folder, "a/numbering.md", title="การออกเลขหนังสือ",
                body="รหัสหนังสือ ชม ๕๓๑๐๑ ตามด้วยเลขส่ง เช่น ที่ ชม ๕๓๑๐๑/๑๒๓\n\n"
                     "หนังสือเวียนเติม ว หน้าเลข เช่น ที่ ชม ๕๓๑๐๑/ว ๑๒ และ ชม ๕๓๑๐๑/ว ๘\n")
    write_asset(folder, "a/allowance.md", title="เงินช่วยเหลือการศึกษาบุตร", body="ยื่นแบบภายในหนึ่งปี\n",
                dissemination=[{"channel": "circular", "date": "2024-05-22", "ref": "ที่ ชม ๕๓๑๐๑/ว ๘๘"}])
    write_asset(folder, "a/leave.md", title="การลาอุปสมบท", body="ยื่นใบลาก่อนหกสิบวัน ตามหนังสือ ว ๘๘๑\n",
                dissemination=[{"channel": "circular", "date": "2024-03-20", "ref": "ที่ ชม ๕๓๑๐๑/ว ๔๑"}])
    for i in range(3):
        write_asset(folder, f"a/filing-{i}.md", title=f"งานสารบรรณ {i}", body="ลงทะเบียนรับหนังสือ\n")
    with built_kb(tmp_path, folder) as kb:
        for q in ("ว 88", "ชม 53101/ว 88", "ที่ ชม ๕๓๑๐๑/ว ๘๘", "หนังสือเวียน ว.88", "ว88"):
            response = kb.search(SearchRequest(q=q))
            assert [h.slug for h in response.hits][:1] == ["allowance"], q
            assert response.confident, q
        assert slugs(kb, "ลาบวช ว 41")[:1] == ["leave"]
        assert slugs(kb, "ว 8")[:1] == ["numbering"]  # ว ๘ of its text, not ว ๘๘ nor ว ๘๘๑
        engine = kb.engine
        lexicon = engine.lexicon(engine.searcher())
        parsed = parse_query("ชม 53101/ว 88", engine.segmenter, engine.glossary, lexicon)
        assert parsed.references == (("ว", "88"),) and parsed.concepts == ("ชม", "53101")
        assert parse_query("ทาว 88", engine.segmenter, engine.glossary, lexicon).references == ()
        # a number typed again is one clause, and a question holds at most MAX_CONCEPTS of them
        assert parse_query("ว88 " * 50, engine.segmenter, engine.glossary, lexicon).references == (("ว", "88"),)
        many = parse_query(" ".join(f"ว{i}" for i in range(60)), engine.segmenter, engine.glossary, lexicon)
        assert len(many.references) == MAX_CONCEPTS
    holds = confidence.holds_reference
    assert holds({"meta": {"refs": ["ที่ ชม 53101/ว 88"]}, "text": ""}, (("ว", "88"),)) == 2
    assert holds({"text": "ตามหนังสือ ว 881 และ ว.88"}, (("ว", "88"),)) == 1
    assert holds({"text": "ตามหนังสือ ว 881 และ ทาว 88"}, (("ว", "88"),)) == 0
    # a document number held only in the evidence of a dissemination is held too
    assert holds({"meta": {"refs": ["คำสั่งที่ 488/2567"]}, "text": ""}, (("488", "2567"),)) == 2


def test_a_date_asked_for_finds_the_asset_that_writes_it_another_way(tmp_path):
    """14 มีนาคม 2568 in a question is the ๑๔ มี.ค. ๒๕๖๘ of the asset: the training held that day
    comes before the yearly plan, which holds ๑๔, มีนาคม and ๒๕๖๘ too (its title the year), apart."""
    folder = tmp_path / "knowledge"
    write_asset(folder, "a/held.md", title="ผลการอบรมภายใน",
                body="จัดอบรมภายในเมื่อวันที่ ๑๔ มี.ค. ๒๕๖๘ มีผู้เข้าร่วม ๔๑ คน\n")
    write_asset(folder, "a/planned.md", title="แผนการอบรมภายใน ๒๕๖๘",
                body="อบรมภายในปี ๒๕๖๘ รับสมัครถึงวันที่ ๑๔ ของทุกเดือน เริ่มเดือนมีนาคม ครั้งละ ๓๐ คน\n")
    write_asset(folder, "a/other-year.md", title="ผลการอบรมภายในปีก่อน",
                body="จัดอบรมภายในเมื่อวันที่ ๑๔ มี.ค. ๒๕๖๗ มีผู้เข้าร่วม ๓๓ คน\n")
    for i in range(3):
        write_asset(folder, f"a/filing-{i}.md", title=f"งานสารบรรณ {i}", body="ลงทะเบียนรับหนังสือ\n")
    with built_kb(tmp_path, folder) as kb:
        for q in ("อบรมภายใน 14 มีนาคม 2568 มีคนเข้ากี่คน", "อบรมภายใน ๑๔ มีค ๖๘", "อบรมภายในวันที่14มี.ค.68"):
            assert slugs(kb, q)[:1] == ["held"], q
        assert slugs(kb, "อบรมภายใน 14 มีนาคม 2567")[:1] == ["other-year"]


def test_a_date_is_each_writing_of_its_month_and_year():
    (march,) = date_phrases("อบรม 14 มี.ค. 68 มีคน")
    assert (march.day, set(march.months), set(march.years)) == ("14", {"มีนาคม", "มี.ค.", "มีค"}, {"2568", "68"})
    (no_year,) = date_phrases("ประชุม 3 ต.ค.")
    assert (no_year.day, set(no_year.months), no_year.years) == ("3", {"ตุลาคม", "ต.ค.", "ตค"}, ())
    assert date_phrases("ราคา 14 บาท ปี 2568") == [] and date_phrases("ข้อ 1.14 มี.ค.") == []
    for text in ("วันที่ 14 มีนาคม 2568", "14 มี.ค. 68", "14มีค.2568", "๑๔ มีนาคม พ.ศ. ๒๕๖๘"):
        assert march.count(normalize(text), 3) == 1, text
    (common_era,) = date_phrases("อบรม 14 มี.ค. 2025")  # the assets write Buddhist-era years
    assert set(common_era.years) == {"2568", "68"} and common_era.count("14 มีนาคม 2568", 3) == 1
    (first,) = date_phrases("ประชุม 01 ต.ค. 67")
    assert first.count("วันที่ 1 ตุลาคม 2567", 3) == 1 and first.count("วันที่ 11 ตุลาคม 2567", 3) == 0
    for text in ("114 มีนาคม 2568", "14 มีนาคม 2567", "4 มีนาคม 2568", "14 มีนาคม 25680", "ที่ 14 ของเดือนมีนาคม 2568"):
        assert march.count(normalize(text), 3) == 0, text
    assert no_year.count("3 ต.ค. 67 และ 3 ตุลาคม", 3) == 2
    # a calendar names a month hundreds of times: the text is read at the first MONTHS_LOOKED only
    calendar = "มีนาคม " * phrases.MONTHS_LOOKED
    assert march.count(calendar[:-7] + "14 มีนาคม 2568", 3) == 1 and march.count(calendar + "14 มีนาคม 2568", 3) == 0


def test_a_date_typed_in_numbers_is_the_same_day():
    """27/4/70 as a phone or a form writes it: the assets write ๒๗ เม.ย. ๒๕๗๐."""
    for typed in ("ประชุม 27/4/70 สรุปอะไร", "ประชุม 27-04-2570", "ประชุม 27.4.2027", "ประชุม 27 / 04 / 70"):
        (april,) = date_phrases(typed)
        assert (april.day, set(april.years)) == ("27", {"2570", "70"}), typed
        assert april.count(normalize("การประชุมวันที่ ๒๗ เม.ย. ๒๕๗๐"), 3) == 1, typed
        assert april.count(normalize("การประชุมวันที่ ๒๗ เม.ย. ๒๕๖๙"), 3) == 0, typed
    # a document number (27/2567), day/month alone, an impossible day or month, or a longer run: no date
    for typed in ("คำสั่ง 27/2567", "27/4", "32/4/70", "27/13/70", "1/2/3/4", "27/4-70"):
        assert date_phrases(typed) == [], typed


def test_cluster_boundaries_in_a_small_window_are_those_of_the_whole_text():
    """Snippets check cluster boundaries in CLUSTER_WINDOW characters around a match (cheap);
    on the shipped assets that must give what the whole text gives."""
    from pathlib import Path

    from indexer.search import snippets
    from indexer.thai.clusters import cluster_boundaries
    from indexer.thai.text import normalize

    bodies = [normalize(path.read_text(encoding="utf-8"))[:4000]
              for path in sorted((Path(__file__).parent.parent / "knowledge").rglob("*.md"))]
    checked = 0
    for body in bodies:
        whole = cluster_boundaries(body)
        for position in range(1, len(body), 5):
            near = max(0, position - snippets.CLUSTER_WINDOW)
            small = cluster_boundaries(body[near:position + snippets.CLUSTER_WINDOW])
            assert ((position - near) in small) == (position in whole), (body[near:position + 8], position)
            checked += 1
    assert checked > 10_000


def test_snippets_check_word_boundaries_in_their_window_only_and_show_what_a_full_check_shows(sample_kb):
    """make_snippet checks clusters at every candidate place but segments only the window it
    shows (snippet_matches); on the shipped assets and the blind sample questions it must
    show what checking every candidate gives (find_matches), and segment a few windows a
    hit, not one per candidate."""
    from indexer.search import snippets, windows

    engine = sample_kb.engine
    segmented, counted = _counting_word_bounds(engine.segmenter)
    same = total = 0
    for terms, _answer, _hit, fields, _concept_of in _blind_hits(sample_kb, every=3):
        text = fields["text"]
        lazy = snippets.make_snippet(text, terms, word_bounds=counted)
        spans = snippets.find_matches(text[:snippets.SCAN_LIMIT], terms, engine.segmenter.word_bounds)
        start = windows.best_window(spans, snippets.SNIPPET_CHARS, {}) if spans else 0
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(snippets, "snippet_matches", lambda *_a, **_k: (start, spans))  # noqa: B023
            full = snippets.make_snippet(text, terms, word_bounds=engine.segmenter.word_bounds)
        same += lazy == full
        total += 1
    assert total > 300
    assert same >= 0.97 * total, f"{total - same} of {total} snippets differ"
    assert len(segmented) <= 5 * total  # the window, its start and end, a second window at times


def test_snippets_take_word_boundaries_from_the_index_and_segment_nothing(sample_kb, monkeypatch):
    """The index stores where the words of each text end (one segmentation at build time); a
    result's snippet reads its boundaries there: it segments nothing, and it shows what
    segmenting its windows shows."""
    from indexer.search import snippets
    from indexer.thai.ends import StoredEnds, unpack_ends

    engine = sample_kb.engine
    given_ends = []
    real = hits.make_excerpt
    monkeypatch.setattr(hits, "make_excerpt",
                        lambda *a, **k: given_ends.append(k.get("ends") is not None) or real(*a, **k))
    segmented, counted = _counting_word_bounds(engine.segmenter)
    same = total = 0
    for terms, answer, hit, fields, concept_of in _blind_hits(sample_kb, every=2):
        summary = fields["meta"].get("summary", "")
        ends = StoredEnds(unpack_ends(fields["word_ends"]), engine.segmenter.part_boundaries)
        stored = snippets.make_snippet(fields["text"], terms, summary, word_bounds=counted, ends=ends, answer=answer,
                                       concept_of=concept_of)
        windows = snippets.make_snippet(fields["text"], terms, summary, word_bounds=engine.segmenter.word_bounds,
                                        answer=answer, concept_of=concept_of, edge_bounds=engine.segmenter.token_bounds)
        assert hit.snippet == stored
        same += stored == windows
        total += 1
    assert total > 400 and all(given_ends) and len(given_ends) >= total
    assert segmented == []
    assert same >= 0.99 * total, f"{total - same} of {total} snippets differ"


def _blind_hits(kb, every: int):
    """(highlight terms, answer finder, hit, stored fields, the word each term stands for) of the
    first page of every `every`-th blind sample question."""
    from pathlib import Path

    import yaml

    from indexer import SearchRequest
    from indexer.search.answers import answer_finder

    engine = kb.engine
    searcher = engine.searcher()
    lexicon = engine.lexicon(searcher)
    blind = yaml.safe_load((Path(__file__).parent / "relevance" / "blind_sample.yaml").read_text(encoding="utf-8"))
    for entry in blind[::every]:
        parsed = engine.understand(searcher, lexicon, entry["query"])[1]
        for hit in kb.search(SearchRequest(q=entry["query"], semantic=False)).hits:
            yield (parsed.highlight_terms, answer_finder(parsed.asks), hit,
                   searcher.stored_fields(searcher.document_number(slug=hit.slug)), parsed.concept_of)


def _counting_word_bounds(segmenter):
    """(the texts segmented, a word_bounds that records each text it segments)."""
    segmented: list[str] = []

    def counted(text):
        segmented.append(text)
        return segmenter.word_bounds(text)

    return segmented, counted


def test_an_abbreviated_month_is_one_word_and_finds_the_month_written_out(tmp_path):
    """pythainlp lacks มี.ค. and พ.ย. and cut them into มี + ค and พ + ย: a date typed with the
    short month found nothing of it, and ค matched letters. The glossary keeps every short month
    whole and a synonym of the month written out (not ก.พ., also the Civil Service Commission)."""
    folder = tmp_path / "knowledge"
    write_asset(folder, "a/march.md", title="สรุปการอบรม", body="จัดอบรมเมื่อวันที่ ๑๔ มีนาคม ๒๕๖๘\n")
    write_asset(folder, "a/may.md", title="สรุปการอบรมภายใน",
                body="อบรมภายใน จัดอบรมเมื่อวันที่ ๑๔ พฤษภาคม ๒๕๖๘ อบรมครบทุกกอง\n")
    for i in range(4):
        write_asset(folder, f"a/other-{i}.md", title=f"งานสารบรรณ {i}", body="ลงทะเบียนรับหนังสือ\n")
    with built_kb(tmp_path, folder) as kb:
        assert kb.engine.segmenter.words("14 มี.ค. 2568 และ 1 พ.ย.") == ["14", "มี.ค.", "2568", "และ", "1", "พ.ย."]
        assert slugs(kb, "อบรม 14 มี.ค.")[:1] == ["march"]
        assert slugs(kb, "อบรม 14 พ.ค.")[:1] == ["may"]


@pytest.mark.parametrize("short, full", [("พนง.", "พนักงาน"), ("พนง", "พนักงาน"), ("จนท.", "เจ้าหน้าที่"),
                                         ("สนง", "สำนักงาน"), ("ขรก.", "ข้าราชการ"), ("หนส", "หนังสือ"),
                                         ("คกก.", "คณะกรรมการ"), ("งปม.", "งบประมาณ"), ("ผอ.", "ผู้อำนวยการ")])
def test_office_shorthand_is_no_typo_and_finds_the_word_written_out(tmp_path, short, full):
    """Readers write พนง. for พนักงาน, as office memos do, and on a phone without the dot. Without
    the glossary's shorthand, พนง was "corrected" into another word and found nothing of พนักงาน."""
    folder = tmp_path / "knowledge"
    write_asset(folder, "a/written.md", title="ระเบียบเวลามา", body=f"{full}ต้องมาทำงานก่อนแปดโมง\n")
    for i in range(4):  # they hold ทำงาน in their titles: only the shorthand's word puts "written" first
        write_asset(folder, f"a/other-{i}.md", title=f"คู่มือการทำงาน {i}", body="ทำงานตามระเบียบ\n")
    with built_kb(tmp_path, folder) as kb:
        response = kb.search(SearchRequest(q=f"{short} ทำงาน"))
        assert response.suggestion is None and response.corrected_from is None
        assert [h.slug for h in response.hits][:1] == ["written"]


@pytest.mark.parametrize("term", ["สนง", "ทต.", "ทรายอะเบท", "อีลาส", "เนอสเซอรี่"])
def test_a_glossary_term_the_segmenter_cuts_into_pieces_is_no_typo(sample_kb, term):
    """Shorthand without its dot, and the glossary's everyday words (never dictionary words, so
    that they cannot change how the assets are cut) come out of the segmenter in pieces: สนง as
    สน + ง was "corrected" to ส่ง, ทรายอะเบท to ทรายอะเท, เนอสเซอรี่ to เนอสเอรี่."""
    assert len(sample_kb.segmenter.words(term)) > 1
    response = sample_kb.search(SearchRequest(q=term))
    assert response.suggestion is None and response.corrected_from is None


@pytest.mark.parametrize("q, first", [("พาสปอร์ต", "ordination-hajj-leave"), ("สมุดสีชมพู", "newborn-child-support"),
                                      ("ล็อคสเปค", "procurement-checklist"), ("โดนตีกลับ", "performance-appraisal")])
def test_office_talk_finds_the_asset_that_says_it_officially(sample_kb, q, first):
    """No asset writes พาสปอร์ต or สมุดสีชมพู: they write หนังสือเดินทาง and สมุดบันทึกสุขภาพแม่และเด็ก.
    The glossary's office talk (written blind from the assets) leads the reader's word there."""
    folder = Path(__file__).resolve().parent.parent / "knowledge"
    written = " ".join(path.read_text(encoding="utf-8") for path in folder.rglob("*.md"))
    assert q not in written
    response = sample_kb.search(SearchRequest(q=q))
    assert response.hits[0].slug == first and response.suggestion is None


@pytest.mark.parametrize("q, first", [("ผลการดำเนินงานปีงบ 68", "y2568"), ("ผลการดำเนินงาน ปี 67", "y2567"),
                                      ("ผลการดำเนินงาน ต.ค. 68", "y2568")])
def test_a_year_typed_by_two_digits_finds_the_year_written_whole(tmp_path, q, first):
    """Readers type the Buddhist-era year short (ปีงบ 68), assets write it whole (๒๕๖๘): two
    digits after a year or month word also look for 25 + those digits, so the report of the
    year asked for comes before the other year's."""
    folder = tmp_path / "knowledge"
    for year in ("๒๕๖๗", "๒๕๖๘"):
        write_asset(folder, f"a/y{year.translate(str.maketrans('๐๑๒๓๔๕๖๗๘๙', '0123456789'))}.md",
                    title="รายงานผลการดำเนินงาน", body=f"ผลการดำเนินงานประจำปีงบประมาณ {year} ตั้งแต่ ตุลาคม\n")
    for i in range(4):
        write_asset(folder, f"a/other-{i}.md", title=f"งานสารบรรณ {i}", body="ลงทะเบียนรับหนังสือ\n")
    with built_kb(tmp_path, folder) as kb:
        assert slugs(kb, q)[:1] == [first]
    assert whole_years(("ปีงบ", "68", "อายุ", "60")) == {"68": "2568"}


def test_an_english_word_among_thai_ones_finds_the_thai_words_of_the_assets(tmp_path):
    """Staff type "upload" where the assets write นำขึ้นเว็บไซต์: the glossary's `english` groups
    look for those words, so the asset that says how to put a manual on the website comes first."""
    folder = tmp_path / "knowledge"
    write_asset(folder, "a/publish.md", title="การเผยแพร่คู่มือ",
                body="เมื่อคู่มือผ่านการกลั่นกรอง ให้นำขึ้นเว็บไซต์ภายใน ๓ วันทำการ\n")
    write_asset(folder, "a/manual.md", title="การจัดทำคู่มือ",
                body="คู่มือ คู่มือการปฏิบัติงาน ต้องมีขั้นตอน ผู้รับผิดชอบ และแบบฟอร์มที่ใช้ ส่งคู่มือภายใน ๗ วัน\n")
    for i in range(4):
        write_asset(folder, f"a/other-{i}.md", title=f"งานสารบรรณ {i}", body="ลงทะเบียนรับหนังสือ\n")
    with built_kb(tmp_path, folder) as kb:
        assert slugs(kb, "upload คู่มือภายในกี่วัน")[:1] == ["publish"]


@pytest.mark.parametrize("typed, meant", [("kip", "kpi"), ("KPl", "kpi"), ("ara", "aar")])
def test_a_short_abbreviation_with_two_letters_swapped_or_a_look_alike_is_corrected_when_nothing_matches(
        sample_kb, typed, meant):
    """KPI typed as KIP (two keys in the wrong order) or KPl (an el for the I) found nothing and
    offered nothing: Latin words under four letters are never corrected, since most are names."""
    response = sample_kb.search(SearchRequest(q=typed))
    assert response.corrected_from == typed.lower() and response.suggestion == meant
    assert [h.slug for h in response.hits] == [h.slug for h in sample_kb.search(SearchRequest(q=meant)).hits] != []


@pytest.mark.parametrize("typed", ["abc", "pdf", "kpi", "kip ลาป่วย"])
def test_a_short_latin_word_is_left_alone_otherwise(sample_kb, typed):
    """No abbreviation one swap or look-alike away, one the assets hold, or other words that find
    something: the word is the reader's, and nothing is corrected."""
    response = sample_kb.search(SearchRequest(q=typed))
    assert response.corrected_from is None and response.suggestion is None


def test_a_short_abbreviation_only_a_draft_holds_is_never_offered(tmp_path):
    with kb_with_a_draft(tmp_path, "QXZ") as kb:
        response = kb.search(SearchRequest(q="xqz"))
        assert response.total == 0 and response.suggestion is None
        assert kb.search(SearchRequest(q="xqz", include_drafts=True)).suggestion == "qxz"


def test_an_excerpt_gives_the_passage_a_link_opens_the_page_at():
    """The passage is the answer (or first match) and the phrase before it, on its own line of
    the text (a block of the page), cut at spaces: what a text fragment (#:~:text=) can find."""
    from indexer.search.answers import Asked, answer_finder
    from indexer.search.fragments import MAX_PASSAGE
    from indexer.search.snippets import make_excerpt

    text = ("การลาป่วย\nขั้นตอนแรก กรอกแบบใบลา\n" + "ข้อความอื่น " * 30
            + "\nพนักงานมีสิทธิลาป่วยโดยได้รับเงินเดือนปีละไม่เกิน ๖๐ วันทำการ หากยังป่วยต่อเนื่อง")
    html, passage = make_excerpt(text, {"ลาป่วย"}, answer=answer_finder(Asked(("วันทำการ", "วัน"))))
    assert "<mark>๖๐ วันทำการ</mark>" in html
    assert passage == "พนักงานมีสิทธิลาป่วยโดยได้รับเงินเดือนปีละไม่เกิน ๖๐ วันทำการ"
    assert make_excerpt(text, {"แบบ"})[1] == "ขั้นตอนแรก กรอกแบบใบลา"  # the line's start, not the line before
    assert make_excerpt(text, {"ไม่มีคำนี้"})[1] == ""
    long_phrase = "ก" * MAX_PASSAGE + "ลาป่วย"
    assert make_excerpt(long_phrase, {"ลาป่วย"})[1] == ""
    assert make_excerpt("- [ ] ลาป่วย ยื่นใบลา", {"ลาป่วย"})[1] == "ลาป่วย"  # the page shows a box, not "[ ]"
    assert make_excerpt("☐ลาป่วย ยื่นใบลา", {"ลาป่วย"})[1] == ""
    # a browser stops at the first place that holds it (case aside): no passage rather than the wrong place
    later = "ทีม km\n" + "ข้อความอื่น " * 40 + "\nทีม KM ประชุมทุกเดือน"
    assert "<mark>ประชุม</mark>" in make_excerpt(later, {"ประชุม", "km"})[0]
    assert make_excerpt(later, {"ประชุม", "km"})[1] == ""
    assert make_excerpt(later.replace("ทีม km", "คณะทำงาน"), {"ประชุม", "km"})[1] == "ทีม KM"


def test_of_two_answers_the_passage_takes_the_one_on_the_line_of_the_question():
    """Both numbers of days were marked and the link opened at the first, the 5 working days before
    the trip, for a question about the days allowed to pay a loan back (outside review, onboarding)."""
    from indexer.search.answers import Asked, answer_finder
    from indexer.search.snippets import make_excerpt

    text = ("ขั้นตอน\nทำสัญญาการยืมเงินอย่างน้อย ๕ วันทำการก่อนเดินทาง\nแนบหนังสืออนุมัติ\n"
            "เมื่อกลับมา ส่งใช้เงินยืมพร้อมใบสำคัญภายใน ๑๕ วัน\n")
    finder = answer_finder(Asked(("วันทำการ", "วัน")))
    html, passage = make_excerpt(text, {"ส่งใช้", "เงินยืม", "ยืม", "เงิน"}, answer=finder)
    assert "<mark>๕ วันทำการ</mark>" in html and "<mark>๑๕ วัน</mark>" in html
    assert passage == "ส่งใช้เงินยืมพร้อมใบสำคัญภายใน ๑๕ วัน"
    # one answer, or none: as before
    assert make_excerpt(text.split("\nเมื่อ")[0], {"ยืม", "เงิน"}, answer=finder)[1] == (
        "ทำสัญญาการยืมเงินอย่างน้อย ๕ วันทำการก่อนเดินทาง")


def test_a_passage_the_page_shows_above_its_text_is_left_out():
    from indexer.search.hits import shown_above as _shown_above

    meta = {"title": "การลาป่วย", "summary": "สิทธิและขั้นตอน", "tags": ["ใบรับรองแพทย์"]}
    assert _shown_above("การลาป่วย", meta) and _shown_above("ขั้นตอน", meta)
    assert not _shown_above("ใบรับรองแพทย์", meta)  # the tags follow the text in the page
    assert not _shown_above("ปีละไม่เกิน ๖๐ วันทำการ", meta) and not _shown_above("", meta)


def test_a_passage_is_a_text_fragment_with_its_separators_encoded():
    from app.filters import text_fragment

    assert text_fragment("") is None and text_fragment(None) is None
    assert text_fragment("ลาป่วย", "ลาป่วยได้กี่วัน") is None  # the asset page repeats the query above its text
    assert text_fragment("ปีละไม่เกิน ๖๐ วันทำการ", "ลาป่วยได้กี่วัน").startswith(":~:text=")
    fragment = text_fragment("ข้อ ๑-๒, ต่อ")
    assert fragment.startswith(":~:text=") and "-" not in fragment[8:] and "," not in fragment
    assert "%2D" in fragment and "%2C" in fragment and "%20" in fragment


@pytest.mark.parametrize("q, unmarked, marked", [
    ("ไปสัมมนาเบิกค่าโรงแรม", "โรง", "โรงแรม"),  # โรง was marked in every โรงพยาบาล of the page
    ("ลาป่วยประกันสังคมบริษัทเอกชนได้กี่วัน", "ประ", "สังคม"),  # ประ in every ประเภท
    ("e-GP จัดซื้อ", "e", "e-gp"),  # the lone e of (e-bidding) and (e-LAAS)
])
def test_a_syllable_or_a_lone_letter_of_the_question_is_never_marked(sample_kb, q, unmarked, marked):
    """Marks inside unrelated words gave wrong reasons for a result (outside review, search)."""
    engine = sample_kb.engine
    searcher = engine.searcher()
    parsed = engine.understand(searcher, engine.lexicon(searcher), q)[1]
    assert unmarked not in parsed.highlight_terms and marked in parsed.highlight_terms


@pytest.mark.parametrize("q", ["เบิกค่าเล่าเรียนบุตรได้ถึงอายุเท่าไหร่", "ลาไปเที่ยว", "หยุดงานไปทำธุระ",
                               "ย้ายไปทำงานที่ อบต. ใกล้บ้าน", "ลาป่วยได้กี่วัน", "บวชพระ ลางาน"])
def test_an_excerpt_starts_and_stops_between_whole_words(sample_kb, q):
    """Excerpts stopped between a compound's parts, "ตามลำ …" for ลำดับ, "ผู้บัง …" (outside review,
    search: 42 of 808 edges)."""
    import html as html_module
    import re

    from indexer import markdown_to_text, normalize

    for hit in sample_kb.search(SearchRequest(q=q)).hits[:5]:
        excerpt = normalize(html_module.unescape(re.sub(r"</?mark>", "", hit.snippet)))
        text = normalize(" ".join(markdown_to_text(sample_kb.asset(hit.slug).body).split()))
        ends, position = {0}, 0  # where the words of the whole text end, as the index cut them
        for token in sample_kb.segmenter.tokens(text):
            position += len(token)
            ends.add(position)
        for side, piece in (("end", excerpt[:-2]), ("start", excerpt[2:])):
            if not excerpt.endswith(" …") if side == "end" else not excerpt.startswith("… "):
                continue
            fragment = piece[-15:] if side == "end" else piece[:15]
            at = text.find(fragment)
            assert at != -1, fragment
            cut = at + len(fragment) if side == "end" else at
            assert cut in ends, (hit.slug, side, text[cut - 10:cut] + "|" + text[cut:cut + 10])


@pytest.mark.parametrize("q, first", [("ลาไปหาหมอ", "sick-leave"), ("ลาไปเที่ยว", "vacation-leave"),
                                      ("ไปเรียนปริญญาโท", "study-leave")])
def test_everyday_words_for_kinds_of_leave_reach_the_official_ones(sample_kb, q, first):
    """หาหมอ did not reach ลาป่วย (fifth), เที่ยว not ลาพักผ่อน (second, after study leave): everyday
    words of the glossary (outside review, search)."""
    assert sample_kb.search(SearchRequest(q=q, semantic=False)).hits[0].slug == first


def test_who_asks_is_not_what_the_question_is_about():
    """"ผมเป็นพนักงานเทศบาล" put the sick-leave asset first for a question about a wife's childbirth: its
    title holds พนักงานเทศบาล (outside review, search)."""
    from indexer.search.question_words import about_the_asker

    words = ("แฟน", "จะ", "คลอด", "ผม", "เป็น", "พนักงาน", "เทศบาล", "ลา", "ไป", "ดูแล", "ได้", "กี่", "วัน")
    assert about_the_asker(words, "แฟนจะคลอด ผมเป็นพนักงานเทศบาล ลาไปดูแลได้กี่วัน") == {5, 6}
    assert about_the_asker(words, "แฟนจะคลอดผมเป็นพนักงานเทศบาลลาไปดูแลได้กี่วัน") == set()  # no space: unknown end
    assert about_the_asker(("ผม", "เป็น", "ลูกจ้างประจำ"), "ผมเป็นลูกจ้างประจำ") == set()  # nothing else asked


def test_a_reader_saying_who_they_are_still_gets_the_topic_first(sample_kb):
    response = sample_kb.search(SearchRequest(q="แฟนจะคลอดเดือนหน้า ผมเป็นพนักงานเทศบาล ลาไปดูแลได้กี่วัน",
                                              semantic=False))
    assert response.hits[0].slug == "maternity-leave"


def test_an_abbreviation_with_its_dot_is_marked_in_the_excerpt(sample_kb):
    """For สปสช the first result showed its summary with nothing marked, though its text says
    "(สปสช.)": the dot is clustered with what follows it (outside review, search)."""
    hit = sample_kb.search(SearchRequest(q="สปสช", semantic=False)).hits[0]
    assert hit.slug == "medical-expense-claim" and "<mark>สปสช.</mark>" in hit.snippet


def test_a_suggestion_puts_right_the_question_words_typed_without_their_mark(sample_kb):
    """"ลาปวยกีวัน" was offered as "ลาป่วยกีวัน": half put right (outside review, search). Alone, the
    question word is read right and no suggestion is made."""
    assert sample_kb.search(SearchRequest(q="ลาปวยกีวัน")).suggestion == "ลาป่วยกี่วัน"
    assert sample_kb.search(SearchRequest(q="ลาป่วยกีวัน")).suggestion is None
