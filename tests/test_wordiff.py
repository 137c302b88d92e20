"""The history comparison: front matter field by field, the body word by word, bounded on big bodies."""

from __future__ import annotations

import time

from app.publish import wordiff
from app.publish.fielddiff import field_changes
from app.publish.wordiff import Piece, word_diff
from indexer import load_vocabulary, raw_front_matter
from indexer.thai.segment import Segmenter

SEGMENTER = Segmenter()


def _vocab(settings):
    return load_vocabulary(settings.vocabulary_file)


def test_changed_thai_words_are_marked_and_the_rest_kept():
    old = "# การลาป่วย\n\nยื่นใบลาภายในสามวัน\nแนบใบรับรองแพทย์\n"
    new = "# การลาป่วย\n\nยื่นใบลาภายในเจ็ดวัน\nแนบใบรับรองแพทย์\n"
    diff = word_diff(old, new, SEGMENTER.tokens)
    change = next(b for b in diff.blocks if b.kind == "change")
    assert change.pieces == (Piece("same", "ยื่นใบลาภายใน"), Piece("del", "สาม"), Piece("ins", "เจ็ด"),
                             Piece("same", "วัน"))
    assert (change.old_line, change.new_line) == (3, 3)
    assert (diff.words_added, diff.words_removed) == (1, 1)
    assert [b.kind for b in diff.blocks] == ["same", "change", "same"]


def test_added_and_removed_lines_and_far_apart_changes_leave_a_gap():
    old = "\n".join(f"บรรทัดที่ {n}" for n in range(1, 30))
    new = old.replace("บรรทัดที่ 2\n", "").replace("บรรทัดที่ 28", "บรรทัดที่ 28\nบรรทัดใหม่")
    diff = word_diff(old, new, SEGMENTER.tokens)
    kinds = [b.kind for b in diff.blocks]
    assert kinds.count("gap") == 1 and kinds.count("change") == 2
    changes = [b for b in diff.blocks if b.kind == "change"]
    assert changes[0].pieces == (Piece("del", "บรรทัดที่ 2"),) and changes[1].pieces == (Piece("ins", "บรรทัดใหม่"),)
    assert (diff.words_added, diff.words_removed) == (2, 3)  # บรรทัด|ใหม่ and บรรทัด|ที่|2


def test_identical_bodies_have_no_change():
    diff = word_diff("ก\nข\n", "ก\nข\n", SEGMENTER.tokens)
    assert diff.blocks == [] and not diff.changed


def test_a_huge_changed_run_is_shown_by_lines_with_the_reason_and_stays_fast():
    old = "ลาป่วย " * 4000
    new = "ลากิจ " * 4000
    started = time.perf_counter()
    diff = word_diff(old, new, SEGMENTER.tokens)
    assert time.perf_counter() - started < 2  # no word segmentation of 24,000 characters
    assert diff.notes == ["ช่วงที่เปลี่ยนยาวเกิน 6,000 ตัวอักษร จึงแสดงเป็นทั้งบรรทัดแทนทีละคำ"]
    assert [p.kind for p in diff.blocks[0].pieces] == ["del", "ins"]


def test_many_changes_are_compared_word_by_word_up_to_a_budget(monkeypatch):
    monkeypatch.setattr(wordiff, "MAX_WORD_CHARS", 40)
    old = "\n".join(f"ลาป่วยครั้งที่ {n}\nเหมือนเดิม\nเหมือนเดิม\nเหมือนเดิม\nเหมือนเดิม\nเหมือนเดิม" for n in range(4))
    diff = word_diff(old, old.replace("ลาป่วย", "ลากิจ"), SEGMENTER.tokens)
    runs = [b.pieces for b in diff.blocks if b.kind == "change"]
    assert runs[0] == (Piece("del", "ลาป่วย"), Piece("ins", "ลากิจ"), Piece("same", "ครั้งที่ 0"))  # by words
    assert runs[-1] == (Piece("del", "ลาป่วยครั้งที่ 3"), Piece("ins", "ลากิจครั้งที่ 3"))
    assert diff.notes == ["เปลี่ยนหลายจุดเกิน 40 ตัวอักษร ส่วนที่เหลือจึงแสดงเป็นทั้งบรรทัดแทนทีละคำ"]


def test_a_body_beyond_the_line_cap_is_not_compared(monkeypatch):
    monkeypatch.setattr(wordiff, "MAX_BODY_LINES", 10)
    diff = word_diff("ก\n" * 11, "ข\n" * 11, SEGMENTER.tokens)
    assert diff.blocks == [] and diff.changed
    assert diff.notes == ["เนื้อหายาวเกิน 10 บรรทัด จึงไม่แสดงความแตกต่างทีละคำ (ดาวน์โหลดทั้งสองฉบับเพื่อเทียบด้วยโปรแกรมอื่น)"]


def test_front_matter_fields_are_compared_in_thai_with_dates_in_be(settings):
    old, _ = raw_front_matter("---\ntitle: การลาป่วย\ndepartment: palad\nkm_stage: access\npublished: 2025-01-15\n"
                              "tags: [การลา, ลาป่วย]\ndissemination:\n  - {channel: website, date: 2025-01-20}\n"
                              "note: เก่า\n---\nเนื้อหา\n")
    new, body = raw_front_matter("---\ntitle: การลาป่วย\ndepartment: สำนักปลัดเทศบาล\nkm_stage: sharing\n"
                                 "published: 31/01/2568\ntags: [ลาป่วย, ใบรับรองแพทย์]\ndissemination:\n"
                                 "  - {channel: website, date: 2025-01-20}\n  - {channel: circular, date: 2568-02-03, "
                                 "ref: ที่ ๑๒๔}\n---\nเนื้อหา\n")
    assert body == "เนื้อหา\n"
    changes = {c.name: c for c in field_changes(old, new, _vocab(settings))}
    assert set(changes) == {"km_stage", "published", "tags", "dissemination", "note"}  # department means the same
    assert (changes["km_stage"].label, changes["km_stage"].old, changes["km_stage"].new) == (
        "ขั้นตอนการจัดการความรู้", "การเข้าถึงความรู้", "การแบ่งปันแลกเปลี่ยนความรู้")
    assert (changes["published"].old, changes["published"].new) == ("15 ม.ค. 2568", "31 ม.ค. 2568")
    assert (changes["tags"].added, changes["tags"].removed) == (("ใบรับรองแพทย์",), ("การลา",))
    assert changes["dissemination"].added == ("หนังสือแจ้งเวียน · 3 ก.พ. 2568 · ที่ ๑๒๔",)
    assert changes["dissemination"].removed == ()
    assert (changes["note"].label, changes["note"].old, changes["note"].new) == ("note", "เก่า", "")


def test_a_version_without_readable_front_matter_still_compares(settings):
    assert raw_front_matter("ไม่มีส่วนหัว\n") == ({}, "ไม่มีส่วนหัว\n")
    assert raw_front_matter("---\ntitle: [ไม่ปิด\n---\nเนื้อหา\n") == ({}, "เนื้อหา\n")
    changes = field_changes({}, {"title": "ใหม่"}, _vocab(settings))
    assert [(c.label, c.old, c.new) for c in changes] == [("ชื่อเรื่อง", "", "ใหม่")]
