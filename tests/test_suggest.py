"""Search as you type (indexer/search/suggest.py): Thai prefixes, kinds, order, drafts never."""

from __future__ import annotations

import random
import threading

import pytest
from conftest import write_asset

from indexer import MAX_QUERY_CHARS, Person, suggest_query
from indexer.search.prefixes import PrefixTable
from indexer.search.suggest import DEFAULT_LIMIT, KINDS, prefixes_of
from indexer.thai.segment import Segmenter
from indexer.thai.starts import compound_starts, word_starts

PEOPLE = (
    Person("pimchanok-jaidee", "_km/people/pimchanok-jaidee.yaml", "นางสาวพิมพ์ชนก ใจดี", aliases=("พี่พิมพ์",)),
    Person("somchai-rakdee", "_km/people/somchai-rakdee.yaml", "นายสมชาย รักดี"),
    Person("lap-mangmee", "_km/people/lap-mangmee.yaml", "นายลาภ มั่งมี"),
)


@pytest.fixture
def suggest_kb(kb, knowledge_dir):
    """The three assets of conftest plus newer and older leave assets, a draft and an archived one."""
    write_asset(knowledge_dir, "palad/leave-types.md", title="ลาป่วยกับลากิจต่างกันอย่างไร", tags=["ลากิจ"],
                published="2025-06-01", body="ลาป่วยและลากิจ ใช้แบบใบลาเดียวกัน ยื่นที่ห้องข้างลานจอดรถ\n")
    write_asset(knowledge_dir, "palad/old-leave.md", title="บันทึกการลาป่วยปี 2566", tags=["ลาป่วย"],
                published="2023-02-01", body="บันทึกเก่า\n")
    write_asset(knowledge_dir, "palad/lunch.md", title="การบริหารอาหารกลางวันในโรงเรียน", department="education",
                tags=["ปั่นจักรยาน"], published="2024-05-01", body="จัดซื้อนมและอาหาร\n")
    write_asset(knowledge_dir, "palad/plan-2568.md", title="แผน KM ปี 2568", tags=["KM"], published="2024-11-01",
                body="ทีม KM\n")
    write_asset(knowledge_dir, "palad/secret.md", title="ร่างระเบียบวินัยลับเฉพาะ", status="draft",
                tags=["แท็กฉบับร่าง"], body="คำว่า zorbleflux และสะดือทะเล อยู่ในฉบับร่างเท่านั้น\n")
    write_asset(knowledge_dir, "palad/retired.md", title="ระเบียบวินัยฉบับยกเลิก", status="archived",
                tags=["แท็กเลิกใช้"], body="คำว่า quuxarchive อยู่ในเรื่องที่เลิกใช้แล้วเท่านั้น\n")
    kb.update()
    return kb


def texts(kb, typed, kind=None, people=()):
    return [s.text for s in kb.suggest(typed, people) if kind is None or s.kind == kind]


def test_a_thai_prefix_finds_titles_by_their_start_and_by_a_word_inside(suggest_kb):
    assert texts(suggest_kb, "ลาป่วยกับ", "asset") == ["ลาป่วยกับลากิจต่างกันอย่างไร"]
    assert "การลาป่วยของพนักงานเทศบาล" in texts(suggest_kb, "ลาป่วย", "asset")  # ลา starts a word after การ
    assert texts(suggest_kb, "ตรวจสอบการจัด", "asset") == ["แบบตรวจสอบการจัดซื้อจัดจ้าง"]


def test_a_prefix_that_ends_inside_a_character_cluster_still_matches(suggest_kb):
    # a consonant typed before its tone mark and vowel: ป of ป่วย
    assert "การลาป่วยของพนักงานเทศบาล" in texts(suggest_kb, "ลาป", "asset")
    assert "ลาป่วย" in texts(suggest_kb, "ลาป", "tag")
    assert "ลาป่วย" in texts(suggest_kb, "ลาป่", "tag")  # the tone mark typed, the vowel not yet
    assert texts(suggest_kb, "ร้องทุ", "asset") == ["การร้องทุกข์"]
    # a tone mark typed before its vowel (ั): ปั่นจักรยาน, and ป่วย inside ลาป่วย as typed
    assert texts(suggest_kb, "ป่", "tag") == ["ปั่นจักรยาน", "ลาป่วย"]


def test_a_word_is_found_only_where_a_word_starts(suggest_kb):
    assert texts(suggest_kb, "าป่วย") == []  # inside ลาป่วย, not at a word boundary
    # อาหารกลางวัน could split into อา|หา|รก|ลาง|วัน: ลาง must not find it; only the glossary's
    # compounds (ลาป่วย) are split into parts, the dictionary's words stay whole
    assert texts(suggest_kb, "ลาง", "asset") == []
    assert texts(suggest_kb, "อาหาร", "asset") == ["การบริหารอาหารกลางวันในโรงเรียน"]


def test_the_query_is_normalised_as_a_search_is(suggest_kb):
    assert query_key_of("  แผน  KM ปี ๒๕๖ ") == "แผน km ปี 256"
    assert texts(suggest_kb, "  แผน  KM ปี ๒๕๖ ", "asset") == ["แผน KM ปี 2568"]
    assert texts(suggest_kb, "km", "tag") == ["KM"]


def query_key_of(typed):
    return suggest_query(typed)


def test_every_kind_is_found_and_listed_in_order(suggest_kb):
    found = suggest_kb.suggest("ลา", PEOPLE)
    kinds = [s.kind for s in found]
    assert kinds == sorted(kinds, key=KINDS.index)  # assets, people, tags, words
    assert set(kinds) == set(KINDS)
    assert ("นายลาภ มั่งมี", "lap-mangmee") in {(s.text, s.target) for s in found if s.kind == "person"}
    assert "ลานจอดรถ" in [s.text for s in found if s.kind == "word"]
    assert ("ลาป่วย", "ลาป่วย") in {(s.text, s.target) for s in found if s.kind == "tag"}
    people = suggest_kb.suggest("พิมพ์ชน", PEOPLE)
    assert [(s.text, s.kind, s.target) for s in people] == [("นางสาวพิมพ์ชนก ใจดี", "person", "pimchanok-jaidee")]
    assert [s.target for s in suggest_kb.suggest("นางสาวพิม", PEOPLE)] == ["pimchanok-jaidee"]
    assert [s.target for s in suggest_kb.suggest("พี่พิ", PEOPLE)] == ["pimchanok-jaidee"]  # by alias, once
    assert [s.target for s in suggest_kb.suggest("รักดี", PEOPLE)] == ["somchai-rakdee"]  # the surname


def test_words_complete_the_last_word_typed(suggest_kb):
    words = suggest_kb.suggest("ใบรับรองแพ")
    assert ("word", "ใบรับรองแพทย์") in {(s.kind, s.text) for s in words}
    assert "ลาป่วย ใบรับรองแพทย์" in texts(suggest_kb, "ลาป่วย ใบรับรองแพ", "word")
    assert "ลาป่วย" not in texts(suggest_kb, "ลาป่วย", "word")  # what was typed, or a tag shown, is no completion


def test_order_start_of_title_before_a_word_inside_then_newest_first(suggest_kb):
    assert texts(suggest_kb, "ลาป่วย", "asset") == [
        "ลาป่วยกับลากิจต่างกันอย่างไร",     # starts with it
        "การลาป่วยของพนักงานเทศบาล",       # inside, published 2025-01-15
        "บันทึกการลาป่วยปี 2566",           # inside, published 2023-02-01
    ]
    assert texts(suggest_kb, "ลาป่วย", "tag")[0] == "ลาป่วย"  # the tag two assets hold first


def test_drafts_archived_assets_and_words_only_they_hold_are_never_suggested(suggest_kb):
    for typed in ("ร่างระเบียบ", "ระเบียบวินัย", "แท็กฉบับ", "แท็กเลิก", "zorble", "quuxarch", "สะดือทะ", "วินัยลับ"):
        assert suggest_kb.suggest(typed, PEOPLE) == [], typed
    # the same words in a published asset are suggested: the check above could fail
    write_asset(suggest_kb.settings.knowledge_dir, "palad/open.md", title="ระเบียบวินัยข้าราชการ",
                tags=["แท็กฉบับร่าง"], body="zorbleflux สะดือทะเล\n")
    suggest_kb.update()
    assert texts(suggest_kb, "ระเบียบวินัย", "asset") == ["ระเบียบวินัยข้าราชการ"]
    assert texts(suggest_kb, "แท็กฉบับ", "tag") == ["แท็กฉบับร่าง"]
    assert texts(suggest_kb, "zorble", "word") == ["zorbleflux"]
    assert texts(suggest_kb, "สะดือทะ", "word") == ["สะดือทะเล"]


def test_an_asset_made_draft_or_removed_leaves_the_suggestions_at_once(suggest_kb, knowledge_dir):
    assert texts(suggest_kb, "แผน km", "asset") == ["แผน KM ปี 2568"]
    write_asset(knowledge_dir, "palad/plan-2568.md", title="แผน KM ปี 2568", tags=["KM"], status="draft",
                published="2024-11-01", body="ทีม KM\n")
    suggest_kb.update()
    assert texts(suggest_kb, "แผน km", "asset") == []
    (knowledge_dir / "palad" / "lunch.md").unlink()
    suggest_kb.update()
    assert texts(suggest_kb, "อาหาร") == []
    assert texts(suggest_kb, "ปั่น") == []  # its tag went with it


def test_empty_short_and_over_long_input(suggest_kb):
    assert suggest_kb.suggest("", PEOPLE) == []
    assert suggest_kb.suggest("   ", PEOPLE) == []
    assert suggest_kb.suggest("ล", PEOPLE) == []  # one character: nothing yet
    assert suggest_kb.suggest(None) == []
    long = "ลาป่วย" * 50_000  # cut to MAX_QUERY_CHARS before it is normalised or matched
    assert len(suggest_query(long)) == MAX_QUERY_CHARS
    assert suggest_kb.suggest(long, PEOPLE) == []
    assert suggest_kb.suggest("ลา", PEOPLE, limit=0) == []


def test_at_most_ten_and_every_kind_keeps_its_share(suggest_kb, knowledge_dir):
    for i in range(14):
        write_asset(knowledge_dir, f"palad/leave-{i:02d}.md", title=f"ลาพักผ่อนกรณีที่ {i}", tags=[f"ลาพัก{i}"],
                    published="2024-01-01", body="ลาพักผ่อนประจำปี\n")
    suggest_kb.update()
    found = suggest_kb.suggest("ลา", PEOPLE)
    assert len(found) == DEFAULT_LIMIT
    counts = {kind: sum(1 for s in found if s.kind == kind) for kind in KINDS}
    assert counts["asset"] >= 4 and counts["tag"] >= 2 and counts["word"] >= 2
    assert len(suggest_kb.suggest("ลา", PEOPLE, limit=3)) == 3


def test_prefix_table_gives_the_best_k_of_a_range_like_a_full_sort():
    rng = random.Random(2568)
    for size in (0, 1, 2, 3, 17, 300):
        entries = [("".join(rng.choice("กขค") for _ in range(rng.randint(1, 4))), rng.randint(0, 4), i)
                   for i in range(size)]
        table = PrefixTable(entries)
        for prefix in ("", "ก", "กข", "ขค", "คคค"):
            for k in (1, 3, 1000):
                expected = sorted((e for e in entries if e[0].startswith(prefix)), key=lambda e: (-e[1], e[0], e[2]))
                assert table.best(prefix, k) == [(item, score) for _, score, item in expected][:k]


def test_prefix_table_skips_items_turned_down_and_lists_an_item_once():
    table = PrefixTable([("ลาป่วย", 5, 0), ("ป่วย", 1, 0), ("ลากิจ", 4, 1), ("ลาคลอด", 3, 2)])
    assert table.best("ลา", 10, accept=lambda item: item != 1) == [(0, 5), (2, 3)]
    assert table.best("ป่", 10) == [(0, 1)]


def test_word_starts_split_glossary_compounds_only_into_the_fewest_parts():
    segmenter = Segmenter(["ลาป่วย"])
    text = "การลาป่วยของพนักงาน"
    assert [text[a:b] for a, b in pairwise(sorted(word_starts(text, segmenter)), len(text))] == \
        ["การ", "ลา", "ป่วย", "ของ", "พนักงาน"]
    assert compound_starts("อาหารกลางวัน", segmenter.trie) == frozenset({5})  # อาหาร|กลางวัน
    assert compound_starts("ศาลา", segmenter.trie) == frozenset()  # no ศา + ลา: one-letter-free, whole words
    assert compound_starts("ก" * 400, segmenter.trie) == frozenset()  # too long to be a word: no work


def pairwise(starts, end):
    return zip(starts, [*starts[1:], end], strict=True)


def test_a_tone_mark_typed_before_its_vowel_is_tried_with_each_vowel():
    assert prefixes_of("ลาป") == ["ลาป"]
    assert prefixes_of("ป่")[:3] == ["ป่", "ปั่", "ปิ่"]
    assert prefixes_of("ปั่") == ["ปั่"]  # already in order


def hold_large_tables(monkeypatch, inline_docs: int) -> tuple[threading.Event, threading.Event, list]:
    """Segments over `inline_docs` count as large, and making their tables blocks until `release`
    is set (or 30 s pass, then the segment is in `gave_up`): (release, making, gave_up)."""
    from indexer.search import suggest, suggest_segment

    monkeypatch.setattr(suggest, "INLINE_DOCS", inline_docs)
    release, making, gave_up = threading.Event(), threading.Event(), []
    make = suggest_segment.SegmentSuggestions.__init__

    def slow(self, leaf, *args):
        if leaf.doc_count_all() > inline_docs:
            making.set()
            if not release.wait(timeout=30):  # a suggestion that waited for this comes back 30 s later
                gave_up.append(leaf)
        make(self, leaf, *args)

    monkeypatch.setattr(suggest_segment.SegmentSuggestions, "__init__", slow)
    return release, making, gave_up


def save_new_title(kb, knowledge_dir) -> None:
    """Publish one asset, as a save does: a segment of one document."""
    write_asset(knowledge_dir, "palad/new-title.md", title="ลาป่วยต่อเนื่องเกินสามสิบวัน", tags=["ลาป่วย"],
                published="2025-07-01", body="เอกสารที่ต้องแนบ\n")
    kb.update(only=[knowledge_dir / "palad/new-title.md"])


def test_a_suggestion_never_waits_for_a_large_segment_whose_tables_are_being_made(suggest_kb, monkeypatch):
    """At 10,000 assets a segment's tables take seconds: a suggestion meanwhile answers from what
    is ready (people, smaller segments) instead of holding a worker thread until they are made."""
    release, making, gave_up = hold_large_tables(monkeypatch, 0)  # every segment here counts as large
    earlier = set(threading.enumerate())  # another test's site may still be warming its own tables
    try:
        assert texts(suggest_kb, "ลาป่วยกับ", "asset") == []  # not ready: left out, made in the background
        assert making.wait(timeout=10)
        assert texts(suggest_kb, "นายลา", "person", PEOPLE) == ["นายลาภ มั่งมี"]  # nothing else waits either
        warming = [t for t in threading.enumerate() if t.name == "km-suggest-warm" and t not in earlier]
        assert len(warming) == 1
    finally:
        release.set()
    warming[0].join(timeout=30)
    assert gave_up == []
    assert texts(suggest_kb, "ลาป่วยกับ", "asset") == ["ลาป่วยกับลากิจต่างกันอย่างไร"]


def test_a_small_segment_is_made_by_the_suggestion_that_needs_it(suggest_kb, knowledge_dir):
    """A save adds a small segment: its title is suggested at once, not after a background pass."""
    save_new_title(suggest_kb, knowledge_dir)
    assert texts(suggest_kb, "ลาป่วยต่อ", "asset") == ["ลาป่วยต่อเนื่องเกินสามสิบวัน"]


def test_a_saved_title_is_suggested_while_the_background_makes_a_large_segment(suggest_kb, knowledge_dir,
                                                                              monkeypatch):
    """The background thread takes every missing segment; it makes a save's small one before a
    large one, so a suggestion that needs the small one waits for nothing else."""
    from indexer.index.leaves import leaf_readers

    save_new_title(suggest_kb, knowledge_dir)
    sizes = [leaf.doc_count_all() for leaf, _ in leaf_readers(suggest_kb.engine.searcher().reader())]
    assert sizes[-1] == 1 and max(sizes[:-1]) > 1, sizes  # the save's segment comes after larger ones
    release, making, gave_up = hold_large_tables(monkeypatch, 1)
    earlier = set(threading.enumerate())
    try:
        suggest_kb.start_suggestions()
        assert making.wait(timeout=10)
        assert texts(suggest_kb, "ลาป่วยต่อ", "asset") == ["ลาป่วยต่อเนื่องเกินสามสิบวัน"]
        assert gave_up == []  # answered while the large segment was still being made
    finally:
        release.set()
    for thread in set(threading.enumerate()) - earlier:
        thread.join(timeout=30)


def test_the_tables_are_made_in_the_background_once_per_process(suggest_kb, monkeypatch):
    from indexer.search import suggest_segment

    suggest_kb.start_suggestions()
    suggest_kb.start_suggestions()  # once per process
    warming = [t for t in threading.enumerate() if t.name == "km-suggest-warm"]
    assert len(warming) <= 1
    for thread in warming:
        thread.join(timeout=30)
    assert suggest_kb.suggester._segments  # made before anyone typed
    made = []
    monkeypatch.setattr(suggest_segment.SegmentSuggestions, "__init__",
                        lambda self, *args: made.append(args))  # a request must not make them again
    assert texts(suggest_kb, "ลาป่วยกับ", "asset") == ["ลาป่วยกับลากิจต่างกันอย่างไร"]
    assert made == []


def test_opening_the_index_for_the_background_tables_holds_up_no_suggestion(suggest_kb, monkeypatch):
    """The background thread's searcher is opened outside the lock suggestions and the people
    table share: while that opening is slow (a cold disk), both still answer, and a second
    caller neither waits for it nor starts a second thread."""
    store = suggest_kb.engine.store
    opening, release = threading.Event(), threading.Event()
    open_searcher = store.open_searcher

    def slow_open():
        opening.set()
        release.wait(timeout=30)
        return open_searcher()

    monkeypatch.setattr(store, "open_searcher", slow_open)
    suggester = suggest_kb.suggester
    assert not suggester._segments  # nothing made yet: the thread started below makes them
    starter = threading.Thread(target=suggester._warm_in_background)
    starter.start()
    try:
        assert opening.wait(timeout=10)
        answered = []
        others = [threading.Thread(target=lambda: answered.append(suggester.people(PEOPLE))),
                  threading.Thread(target=suggester._warm_in_background)]
        for thread in others:
            thread.start()
        for thread in others:
            thread.join(timeout=5)
        assert not any(thread.is_alive() for thread in others)  # neither waited for the opening
        assert len(answered) == 1
    finally:
        release.set()
    starter.join(timeout=30)
    assert suggester._warming is not None
    suggester._warming.join(timeout=30)
    assert suggester._segments  # the thread it started made the tables


def test_the_tables_of_segments_no_request_reads_any_more_are_dropped(suggest_kb, knowledge_dir, monkeypatch):
    """A full build shares no segment with the one before: its predecessor's tables stayed until 64
    segments had come, and a worker grew by a build's tables at each rebuild (outside review, load)."""
    import time as time_module

    from indexer.search import suggest as suggest_module

    assert texts(suggest_kb, "ลาป่วยกับ", "asset") == ["ลาป่วยกับลากิจต่างกันอย่างไร"]
    suggester = suggest_kb.suggester
    before = set(suggester._segments)
    suggest_kb.build()
    assert texts(suggest_kb, "ลาป่วยกับ", "asset") == ["ลาป่วยกับลากิจต่างกันอย่างไร"]
    assert before <= set(suggester._segments)  # a moment after the swap: kept, a request may still read them
    later = time_module.monotonic() + suggest_module.UNUSED_S + 1
    monkeypatch.setattr(suggest_module.time, "monotonic", lambda: later)
    assert texts(suggest_kb, "ลาป่วยกับ", "asset") == ["ลาป่วยกับลากิจต่างกันอย่างไร"]
    assert not before & set(suggester._segments) and suggester._segments
