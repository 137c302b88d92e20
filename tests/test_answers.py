"""A question that asks how many, how much, how long or when gets an excerpt that shows the answer.

The sick-leave asset says "ปีละไม่เกิน ๖๐ วันทำการ" nine uses of ลาป่วย into its text; an
excerpt placed by the question's words alone showed the first use, and the reader had to open
the page to read one number. The ranking takes the same sign: a candidate whose excerpt
answers the number asked passes one that only repeats the question's words.
"""

from __future__ import annotations

import random

import pytest

from indexer import SearchRequest
from indexer.search import snippets, windows
from indexer.search.answers import CLOCK, DATE, DURATION, Asked, answer_finder, asked, question_word_pieces
from indexer.thai.text import normalize


def asks(kb, question: str) -> Asked:
    return asked(kb.segmenter.words(normalize(question)))


def first_snippet(kb, question: str, slug: str) -> str:
    hits = kb.search(SearchRequest(q=question, semantic=False)).hits
    return next(h.snippet for h in hits if h.slug == slug)


@pytest.mark.parametrize("question, exact, near", [
    ("ลาป่วยได้กี่วัน", ("วัน", "วันทำการ"), tuple(d for d in DURATION if not d.startswith("วัน"))),
    ("ลาได้กี่วันทำการ", ("วันทำการ",), tuple(d for d in DURATION if d != "วันทำการ")),
    ("ทีมมีกี่คน", ("คน",), ()),
    ("ได้กี่เปอร์เซ็นต์", ("เปอร์เซ็นต์", "%"), ()),
    ("ค่าเล่าเรียนเบิกได้เท่าไหร่", ("บาท", "เปอร์เซ็นต์", "%"), ()),
    ("ลาบวชได้นานแค่ไหน", DURATION, ()),  # แค่ + ไหน, cut in two by the segmenter
    ("ต้องส่งวันไหน", (DATE,), DURATION),  # วัน + ไหน
    ("เงินเดือนออกวันที่เท่าไหร่", (DATE,), ()),
    ("หนังสือลงวันที่เท่าไร", (DATE,), ()),
    ("คำสั่งลงวันทีเท่าไหร่", (DATE,), ()),  # the mark of ที่ dropped, as phones drop it
    ("ค่าเทอมเบิกได้เท่าไหร", ("บาท", "เปอร์เซ็นต์", "%"), ()),  # เท่า + ไห + ร: the last mark dropped
    ("เงินเดือนออกเมื่อไหร", (DATE,), DURATION),  # เมื่อ + ไห + ร
    ("รถออกกี่โมง", CLOCK, ()),
    ("ประชุมเริ่มเวลาเท่าไร", CLOCK, ()),
])
def test_what_a_question_asks_for(sample_kb, question, exact, near):
    assert asks(sample_kb, question) == Asked(exact, near)


@pytest.mark.parametrize("question, before", [
    ("แผนนี้ทำมาเป็นปีที่เท่าไหร่แล้ว", ("ปีที่",)),  # ปี + ที่ + เท่าไหร่
    ("ประชุมทีมครั้งที่เท่าไร", ("ครั้งที่",)),
])
def test_which_in_order_is_asked_as_the_words_before_a_number(sample_kb, question, before):
    assert asks(sample_kb, question) == Asked(before=before)


def test_which_in_order_is_answered_by_the_words_and_a_number_after_them():
    finder = answer_finder(Asked(before=("ปีที่",)))
    text = normalize("ผ่านมา ๕ ปีที่ผ่านมา แผนนี้เป็นปีที่ ๕ ต่อเนื่อง ส่วนแผนเดิมเป็นปีที่สาม")
    assert [text[s:e] for s, e, _ in finder.find(text, 10)] == ["ปีที่ 5", "ปีที่สาม"]


def test_the_pieces_of_a_question_word_typed_without_its_mark_are_no_words_of_the_question(sample_kb):
    """เท่าไหร and เมื่อไหร, typed on a phone without the last tone mark, are cut into เท่า/เมื่อ +
    ไห + ร: ไห (a jar) was a word the question was about, so the results were not sure."""
    words = sample_kb.segmenter.words(normalize("เงินเดือนออกเมื่อไหร"))
    assert "ไห" in words and {words.index("ไห")} < question_word_pieces(words)
    typed = sample_kb.search(SearchRequest(q="เงินเดือนออกเมื่อไหร", semantic=False))
    marked = sample_kb.search(SearchRequest(q="เงินเดือนออกเมื่อไหร่", semantic=False))
    assert typed.confident and [h.slug for h in typed.hits] == [h.slug for h in marked.hits]
    assert "ไห" not in typed.highlight_terms


@pytest.mark.parametrize("question", ["ลาป่วยต้องทำอย่างไร", "คู่มือดีแค่ไหน", "ใครดูแลเรื่องลา", "ภาษีป้าย"])
def test_a_question_that_asks_for_no_number(sample_kb, question):
    assert not asks(sample_kb, question)
    assert answer_finder(asks(sample_kb, question)) is None


def test_the_excerpt_shows_the_number_of_days_asked(sample_kb):
    without = first_snippet(sample_kb, "ลาป่วย", "sick-leave")
    assert "๖๐" not in without  # the words alone place it at the asset's first lines
    shown = first_snippet(sample_kb, "ลาป่วยได้กี่วัน", "sick-leave")
    assert "ปีละไม่เกิน <mark>๖๐ วันทำการ</mark>" in shown and "<mark>ลาป่วย</mark>" in shown


def test_a_number_in_words_is_an_answer_too(sample_kb):
    shown = first_snippet(sample_kb, "ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพมีอายุกี่ปี",
                          "health-hazard-business-licence")
    assert "<mark>หนึ่งปี</mark>" in shown


def test_a_date_asked_for_beats_a_time_beside_the_same_words(sample_kb, monkeypatch):
    """วันไหน is answered by a date or, failing one, by a time (ภายใน ๓๐ วัน): the retirement
    asset's worked example (a date) is shown, not its timetable in months before retiring."""
    question = "เกิด 2/10/2508 จะเกษียณวันไหน"
    assert "<mark>๓๐ กันยายน</mark>" in first_snippet(sample_kb, question, "retirement-pension")
    # the answer in the unit asked is what tips it: a window with the word and a date, against one
    # with the word twice and a time
    spans = [(0, 6, "เกษียณ"), (7, 17, windows.ANSWER), (300, 306, "เกษียณ"), (307, 315, windows.ANSWER_NEAR),
             (316, 322, "เกษียณ")]
    assert windows.best_window(spans, 160, {}) == 0
    monkeypatch.setattr(windows, "EXACT_ANSWER", 0)
    assert windows.best_window(spans, 160, {}) == 300


def test_days_of_a_schedule_are_not_a_count_of_days():
    finder = answer_finder(Asked(("วัน",)))
    text = normalize("พ่นหมอกควันในวันที่ ๐ วันที่ ๓ และวันที่ ๗ เฝ้าระวังต่อ ๒๘ วัน")
    assert [text[s:e] for s, e, _ in finder.find(text, 10)] == ["28 วัน"]


def test_a_time_of_day_is_answered_in_hours_and_minutes():
    finder = answer_finder(Asked(CLOCK))
    text = normalize("รถออกเวลา ๐๗.๓๐ น. กลับถึงราวหกโมงเย็น ใช้เวลา ๓ ชั่วโมง")
    assert [text[s:e] for s, e, _ in finder.find(text, 10)] == ["07.30 น."]
    assert [text[s:e] for s, e, _ in finder.find_in_words(text, 0, len(text))] == ["หกโมง"]


def test_a_range_with_its_unit_written_once_is_one_answer():
    """For เข้างานกี่โมง the closing time was marked and never the start: "๐๘.๓๐–๑๖.๓๐ น." counted only
    the number beside its unit (outside review, search)."""
    finder = answer_finder(Asked(CLOCK))
    text = normalize("เวลาทำงาน ๐๘.๓๐–๑๖.๓๐ น. พักกลางวัน ๑๒.๐๐ - ๑๓.๐๐ น.")
    assert [text[s:e] for s, e, _ in finder.find(text, 10)] == ["08.30–16.30 น.", "12.00 - 13.00 น."]


@pytest.mark.parametrize("question, units", [
    ("ขอโอนไปเทศบาลอื่นใช้เวลานานเท่าไร", DURATION),  # ใช้เวลานาน is one word: money was marked
    ("ขอโอนใช้เวลาเท่าไร", DURATION),
    ("เบิกค่าเล่าเรียนบุตรได้ถึงอายุเท่าไหร่", ("ปี", "ขวบ")),  # a share (ร้อยละ ๘๗) was marked
])
def test_how_long_and_how_old_are_answered_in_time_and_years(sample_kb, question, units):
    assert asked(sample_kb.segmenter.words(question)).exact == units


def test_a_year_before_a_word_of_time_is_not_a_count_of_it():
    finder = answer_finder(Asked(("ปี",), DURATION))
    text = normalize("ช่วงกันยายน ๒๕๖๗ สัปดาห์สุดท้าย ผู้รับราชการมา ๑๒ เดือน หรือครบ ๒๕ ปี")
    assert [text[s:e] for s, e, _ in finder.find(text, 10)] == ["12 เดือน", "25 ปี"]
    money = answer_finder(Asked(("บาท",)))
    budget = normalize("งบ ๒๕๐๐ บาท")
    assert [budget[s:e] for s, e, _ in money.find(budget, 10)] == ["2500 บาท"]


def test_answers_in_a_unit_asked_are_told_from_others():
    finder = answer_finder(Asked(("ปี",), ("วัน",)))
    text = normalize("ยื่นภายใน ๓๐ วัน ใบอนุญาตมีอายุ ๑ ปี ร้อยละ ๕")
    assert [(text[s:e], exact) for s, e, exact in finder.find(text, 10)] == [("30 วัน", False), ("1 ปี", True)]
    shares = answer_finder(Asked(("เปอร์เซ็นต์", "%")))
    assert [text[s:e] for s, e, _ in shares.find(text, 10)] == ["ร้อยละ 5"]


def test_an_excerpt_counts_the_words_of_the_question_not_their_synonyms():
    """ลาป่วย beside เจ็บป่วย (its synonym) is one word of "ลาป่วยกี่วันต้องมีใบรับรองแพทย์";
    beside ใบรับรองแพทย์ it is two, and that window answers the question."""
    text = ("การลาป่วยใช้เมื่อเจ็บป่วย ไม่ว่าจะป่วยกะทันหันหรือป่วยเรื้อรัง ลาป่วยได้ปีละ ๖๐ วันทำการ "
            + "ข้อความอื่นที่ไม่เกี่ยวกับคำถามนี้เลย " * 8
            + "ลาป่วยตั้งแต่ ๓๐ วันขึ้นไปต้องแนบใบรับรองแพทย์ แล้วส่งให้งานการเจ้าหน้าที่ภายในสามวัน")
    terms = {"ลาป่วย", "ป่วย", "เจ็บป่วย", "ใบรับรองแพทย์"}
    same = {"ลาป่วย": "ลาป่วย", "ป่วย": "ลาป่วย", "เจ็บป่วย": "ลาป่วย", "ใบรับรองแพทย์": "ใบรับรองแพทย์"}
    finder = answer_finder(Asked(("วัน",)))
    by_word = snippets.make_snippet(text, terms, length=160, answer=finder, concept_of=same)
    assert "<mark>ใบรับรองแพทย์</mark>" in by_word and "<mark>๓๐ วัน</mark>" in by_word
    by_term = snippets.make_snippet(text, terms, length=160, answer=finder)
    assert "<mark>ใบรับรองแพทย์</mark>" not in by_term


def test_a_query_says_which_of_its_words_each_marked_term_stands_for(sample_kb):
    engine = sample_kb.engine
    searcher = engine.searcher()
    parsed = engine.understand(searcher, engine.lexicon(searcher), "ลาป่วยต้องใช้ใบหมอไหม")[1]
    assert parsed.concept_of["เจ็บป่วย"] == "ลาป่วย" and parsed.concept_of["ใบรับรองแพทย์"] == "ใบหมอ"
    assert set(parsed.concept_of) >= parsed.highlight_terms


def test_an_answer_alone_never_makes_an_excerpt():
    """Numbers with no word of the question beside them are no answer: no window is chosen for them."""
    finder = answer_finder(Asked(("วัน",)))
    text = "ขั้นตอนนี้ใช้เวลา ๓ วัน และอีก ๕ วัน"
    assert snippets.snippet_matches(text, {"ลาป่วย"}, answer=finder) == (0, [])


def _best_window_by_brute_force(spans, length, concept_of):
    best_start, best_score, best_inside = spans[0][0], (False, -1, -1), []
    for i, (start, _, _) in enumerate(spans):
        inside = [span for span in spans[i:] if span[1] <= start + length]
        words = [t for (_, _, t) in inside if t not in windows.ANSWERS]
        answered = bool(words) and len(words) < len(inside)
        exact = answered and windows.ANSWER in {t for *_, t in inside}
        score = (answered, len({concept_of.get(t, t) for t in words}),
                 len(set(words)) * windows.TERM + len(words) + (windows.EXACT_ANSWER if exact else 0))
        if score > best_score:
            best_start, best_score, best_inside = start, score, inside
    if not best_score[0]:
        return best_start
    answers = ([s for s in best_inside if s[2] == windows.ANSWER]
               or [s for s in best_inside if s[2] == windows.ANSWER_NEAR])
    words = [s for s in best_inside if s[2] not in windows.ANSWERS]
    kept = sorted(answers + words)

    def shown(start):  # the words of the question an excerpt from `start` shows
        low, high = start - length // 5, start + length - length // 5 - windows.SOFT_START_CHARS
        return len({concept_of.get(t, t) for s, e, t in words if low <= s and e <= high})

    # an answer and a word with nothing kept between them
    pairs = [(a, w) for a in answers for w in words
             if not any(min(a[0], w[0]) < s[0] < max(a[0], w[0]) for s in kept)]
    pair = min(pairs, key=lambda p: (-shown(min(p[0][0], p[1][0])),
                                     max(p[0][0], p[1][0]) - min(p[0][1], p[1][1]), min(p[0][0], p[1][0])))
    return min(pair[0][0], pair[1][0])


def test_the_window_is_found_in_one_sweep_and_is_the_one_every_window_tried_finds():
    """_best_window moves one window along the spans (answers can be many: no quadratic path);
    it must choose what trying every window and every answer–word pair chooses."""
    rng = random.Random(7)
    terms = ["ลา", "ป่วย", "ลาป่วย", windows.ANSWER, windows.ANSWER_NEAR]
    for _ in range(3000):
        spans, at = [], 0
        for _ in range(rng.randint(1, 14)):
            at += rng.randint(0, 70)
            size = rng.randint(1, 9)
            spans.append((at, at + size, rng.choice(terms)))
            at += size
        length = rng.choice([40, 120, 220])
        concept_of = rng.choice([{}, {"ป่วย": "ลาป่วย"}, {"ลา": "ลาป่วย", "ป่วย": "ลาป่วย"}])
        assert (windows.best_window(spans, length, concept_of)
                == _best_window_by_brute_force(spans, length, concept_of)), (spans, length, concept_of)


def test_an_asset_that_answers_the_number_asked_passes_one_that_only_repeats_the_words(
        kb, knowledge_dir, monkeypatch):
    from conftest import write_asset

    from indexer.search import rerank
    write_asset(knowledge_dir, "hr/leave-form.md", title="การยื่นใบลา",
                body="กรอกแบบใบลาป่วยทุกครั้งที่ลาป่วย ยื่นต่อหัวหน้า เรื่องลาป่วยกับเงินเดือนถามงานการเจ้าหน้าที่\n")
    write_asset(knowledge_dir, "hr/sick-pay.md", title="สิทธิของพนักงาน",
                body="พนักงานลาป่วยโดยได้รับเงินเดือนปีละไม่เกิน ๖๐ วันทำการ\n")
    kb.update()
    question = SearchRequest(q="ลาป่วยรับเงินเดือนได้กี่วัน", semantic=False)
    assert [h.slug for h in kb.search(question).hits][:2] == ["sick-pay", "leave-form"]
    monkeypatch.setattr(rerank, "ANSWER_WEIGHT", 0.0)
    assert [h.slug for h in kb.search(question).hits][:2] == ["leave-form", "sick-pay"]
