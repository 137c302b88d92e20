"""Search behaviour: questions, digits, acronyms, compounds, synonyms, typos, facets, paging, odd input."""

import gzip
import json
from importlib import resources

import pytest
from conftest import write_asset

from indexer import MAX_QUERY_CHARS, InvalidSearch, SearchRequest, normalize, parse_search_params
from indexer.search.query import parse_query


@pytest.fixture
def richer_kb(kb, knowledge_dir):
    write_asset(knowledge_dir, "palad/km-plan.md", title="แผนการจัดการความรู้ (KM) ประจำปี", km_stage="identification",
                asset_type="manual", tags=["KM", "CKO"], published="2025-03-01",
                body="## บทบาท\n\nนายกเทศมนตรีเป็น CKO และทีม KM มีหัวหน้าและเลขานุการ ชุมชนนักปฏิบัติ (CoP) ประชุมทุกเดือน\n")
    write_asset(knowledge_dir, "palad/law.md", title="พ.ร.บ.ระเบียบบริหารงานบุคคลส่วนท้องถิ่น", km_stage="codification",
                asset_type="regulation", published="2023-11-01",
                body="สรุปสาระสำคัญของ พ.ร.บ. ที่ใช้กับพนักงานเทศบาล\n")
    for i in range(12):
        write_asset(knowledge_dir, f"education/leave-{i:02d}.md", title=f"บันทึกการลาพักผ่อนของครู ฉบับ {i}",
                    department="education", km_stage="learning", published=f"2024-{(i % 12) + 1:02d}-05",
                    body="ครูลาพักผ่อนได้ตามระเบียบ\n")
    kb.update()
    return kb


def top(kb, q, **kw):
    response = kb.search(SearchRequest(q=q, **kw))
    return response.hits[0].slug if response.hits else None


def test_natural_question_is_not_an_and_of_every_word(kb):
    # "ไหม", "ต้อง", "ใช้" appear nowhere together with the rest; OR-with-coordination still ranks it first
    assert top(kb, "ลาป่วยต้องใช้ใบรับรองแพทย์ไหม") == "sick-leave"


def test_thai_digits_and_arabic_digits_find_each_other(kb, knowledge_dir):
    write_asset(knowledge_dir, "palad/order.md", title="คำสั่งแต่งตั้ง", body="อ้างถึงคำสั่งที่ 123/2568\n")
    kb.update()
    assert top(kb, "951/2567") == "complaint"
    assert top(kb, "๑๒๓/๒๕๖๘") == "order"


def test_acronyms_match_in_any_case(richer_kb):
    for query in ("KM", "km", "cko", "CoP", "cop"):
        assert top(richer_kb, query) == "km-plan", query


def test_compound_part_is_found_and_highlighted(kb):
    response = kb.search(SearchRequest(q="ความเป็นธรรม"))
    assert response.hits[0].slug == "complaint"
    assert "ให้<mark>ความเป็นธรรม</mark>" in response.hits[0].snippet


def test_abbreviation_expands_to_its_synonyms(richer_kb):
    assert top(richer_kb, "พรบ") == "law"
    assert top(richer_kb, "พระราชบัญญัติ") == "law"


def test_a_missing_tone_mark_is_suggested_beside_results_that_already_hold_the_correction(kb):
    response = kb.search(SearchRequest(q="ลาปวย"))
    assert response.suggestion == "ลาป่วย"
    assert response.corrected_from is None  # the words as typed found something
    assert response.hits[0].slug == "sick-leave"


def test_a_question_sent_before_its_last_word_is_finished_is_completed_not_respelt(kb, knowledge_dir):
    """พยาบ is on its way to พยาบาล, not a slip of พยาน one letter away; ขั้ may still be ขั้น.
    Typed with its end (a space, a particle), the same letters are a typo as before."""
    write_asset(knowledge_dir, "palad/witness.md", title="การสอบพยาน", body="พยานต้องมาให้ถ้อยคำด้วยตนเอง\n")
    write_asset(knowledge_dir, "palad/medical.md", title="เบิกค่ารักษาพยาบาล",
                body="ยื่นเบิกค่ารักษาพยาบาลภายในหนึ่งปี ผลงานดีได้หนึ่งขั้น\n")
    kb.update()
    response = kb.search(SearchRequest(q="เบิกค่ารักษาพยาบ"))
    assert response.suggestion in (None, "เบิกค่ารักษาพยาบาล") and response.hits[0].slug == "medical"
    assert kb.search(SearchRequest(q="ได้กี่ขั้")).suggestion == "ได้กี่ขั้น"
    assert kb.search(SearchRequest(q="พยาบ ได้ไหม")).suggestion == "พยาน ได้ไหม"


def test_the_correction_replaces_the_results_only_when_the_words_as_typed_find_nothing(kb):
    response = kb.search(SearchRequest(q="พิจารนา"))  # พิจาร + นา: dictionary words, in no asset
    assert response.suggestion == "พิจารณา" and response.corrected_from == "พิจารนา"
    assert [h.slug for h in response.hits] == ["complaint"]


def test_a_whole_word_the_repository_lacks_is_not_turned_into_another_word(kb, knowledge_dir):
    write_asset(knowledge_dir, "palad/tell.md", title="การแจ้งผล", body="บอกผลการพิจารณาให้ผู้ร้องทราบ\n")
    write_asset(knowledge_dir, "palad/pension.md", title="บำเหน็จบำนาญ", body="ผู้เกษียณ ต้องเตรียมเอกสารให้ครบ\n")
    kb.update()
    # ผล + บอล + … finds nothing; บอล is a word (football), not a typo of บอก one letter away
    response = kb.search(SearchRequest(q="ผลบอลเมื่อคืน"))
    assert response.total == 0 and response.suggestion is None and response.corrected_from is None
    # เกษียน is in the dictionary too, but sounds as เกษียณ does: that is a spelling slip
    response = kb.search(SearchRequest(q="เกษียน"))
    assert response.suggestion == "เกษียณ" and [h.slug for h in response.hits] == ["pension"]


def test_an_english_word_the_assets_never_write_is_not_a_typo_of_one_they_do(kb, knowledge_dir):
    write_asset(knowledge_dir, "palad/change.md", title="การบริหารการเปลี่ยนแปลง (change management)",
                body="ช่องทางเผยแพร่ความรู้ของเทศบาลมีเว็บไซต์และบอร์ด\n")
    kb.update()
    # channel is two slips from change; English writes it, so it is absent here, not misspelt
    response = kb.search(SearchRequest(q="ช่องทางเผยแพร่ channel"))
    assert response.suggestion is None and response.hits[0].slug == "change"
    # chance, one slip from change, is English too: alone it finds nothing, and stays as typed
    response = kb.search(SearchRequest(q="chance"))
    assert response.total == 0 and response.suggestion is None and response.corrected_from is None
    # channel is in the glossary's English words: alone it finds the assets' ช่องทางเผยแพร่
    response = kb.search(SearchRequest(q="channel"))
    assert [h.slug for h in response.hits] == ["change"] and response.suggestion is None
    # a slip English does not write is still corrected: a wrong key, or two letters swapped
    assert kb.search(SearchRequest(q="chabge management")).suggestion == "change management"
    assert kb.search(SearchRequest(q="chnage management")).suggestion == "change management"


def test_a_latin_name_typed_in_mixed_case_is_not_corrected(kb, knowledge_dir):
    """ThaID (the state's digital ID app) is one letter from thai; typed so on purpose it is a
    name, whether the rest finds something or nothing. In lowercase or all in capitals it may be
    a slip (KPl for KPI: test_search_quality)."""
    write_asset(knowledge_dir, "palad/thai.md", title="การสอนภาษาไทย (Thai)", body="สมัครเรียนภาษาไทยออนไลน์\n")
    kb.update()
    for typed in ("สมัคร ThaID ยืนยันตัวตน", "ThaID", "สมัคร iThai"):
        response = kb.search(SearchRequest(q=typed))
        assert response.suggestion is None and response.corrected_from is None, typed
    assert kb.search(SearchRequest(q="สมัคร thaid")).suggestion == "สมัคร thai"
    assert kb.search(SearchRequest(q="สมัคร THAID")).suggestion == "สมัคร thai"


def test_a_word_typed_apart_from_a_stop_word_is_not_joined_to_it_by_a_correction(kb, knowledge_dir):
    """ที่ มท ๐๘๐๘.๒/ว ๑๒๓๔ is how a letter from the Ministry of Interior is numbered: มท is its
    abbreviation, and ที่ + มท, one slip from ที่มา, was offered as a word the reader split."""
    write_asset(knowledge_dir, "palad/source.md", title="ที่มาของหนังสือราชการ", body="หนังสือทุกฉบับมีที่มาและเลขที่\n")
    kb.update()
    for typed in ("หนังสือที่ มท ๐๘๐๘.๒/ว ๑๒๓๔ เรื่องอะไร", "ที่ มท", "มท ที่"):
        response = kb.search(SearchRequest(q=typed))
        assert response.suggestion is None and response.corrected_from is None, typed
    assert kb.search(SearchRequest(q="หนังสือที่มท")).suggestion == "หนังสือที่มา"  # typed together
    assert kb.search(SearchRequest(q="ลา ปวย")).suggestion == "ลาป่วย"  # apart, but no stop word


def test_a_full_name_after_a_title_is_not_corrected_but_a_km_role_is(sample_kb):
    """อินต๊ะ and คำแปง (northern family names) are in no list; คำแกง and อินโต๊ะ were offered.
    A title with a given and a family name says a name is there; คุณ alone does not (คุณลิขิต)."""
    for typed in ("ผอ.กองสาธารณสุข คุณกฤษฎา คำแปง", "นางสาวชนัญชิดา อินต๊ะ เป็นพี่เลี้ยง", "นาย สมชาย อินต๊ะ"):
        response = sample_kb.search(SearchRequest(q=typed, semantic=False))
        assert response.suggestion is None and response.corrected_from is None, typed
    # without a title, or with one run only, the same letters are slips as before
    assert sample_kb.search(SearchRequest(q="ผอ.กองสาธารณสุข กฤษฎา คำแปง", semantic=False)).suggestion
    assert sample_kb.search(SearchRequest(q="คุณลิขิค", semantic=False)).suggestion == "คุณลิขิต"


def test_letters_with_dots_are_an_abbreviation_never_respelt_but_a_slip_beside_them_is(sample_kb):
    """ก.ถ. (the local personnel board) was offered as ก.ท., ก.บ.ท. as ก.บาท. and ข.ร.ก. as ดร.ก.:
    the segmenter cuts dotted letters it does not know apart, and the speller joined them."""
    for typed in ("ประกาศ ก.ถ. เรื่องการลา", "ก.บ.ท. กองทุนบำเหน็จบำนาญ", "ข.ร.ก. ลา", "ก.บ.ท", "ประกาศ ก.ถ.เรื่องลา"):
        response = sample_kb.search(SearchRequest(q=typed, semantic=False))
        assert response.suggestion is None and response.corrected_from is None, typed
    assert sample_kb.search(SearchRequest(q="ลาป๋วย ก.ถ.", semantic=False)).suggestion == "ลาป่วย ก.ถ."
    assert sample_kb.search(SearchRequest(q="คุณลิขิค", semantic=False)).suggestion == "คุณลิขิต"  # no dots


def test_a_loanword_in_thai_letters_is_one_word_in_questions_and_assets(kb, knowledge_dir):
    """แอป, เดดไลน์ and คิวอาร์โค้ด are in no dictionary pythainlp has; newmm cut them into words
    of their own (แอ + ปลง, เด + ด + ไลน์), and the speller offered แปลงเวลา for แอปลงเวลา."""
    write_asset(knowledge_dir, "palad/clock-app.md", title="ลงเวลาปฏิบัติงานผ่านแอป",
                body="เปิดแอปลงเวลาแล้วสแกนคิวอาร์โค้ดที่หน้าห้อง ส่งใบลาก่อนเดดไลน์ของเดือน\n\n"
                     "แปลงไฟล์ใบลาเป็น PDF ก่อนแนบ\n")
    kb.update()
    assert kb.segmenter.words("เปิดแอปลงเวลาก่อนเดดไลน์") == ["เปิด", "แอป", "ลงเวลา", "ก่อน", "เดดไลน์"]
    response = kb.search(SearchRequest(q="แอปลงเวลาล็อกอินไม่ได้"))
    assert response.suggestion is None and response.corrected_from is None
    assert response.hits[0].slug == "clock-app"
    assert "<mark>เดดไลน์</mark>" in kb.search(SearchRequest(q="เดดไลน์")).hits[0].snippet


def test_the_english_word_list_is_read_before_the_site_forks_not_on_a_readers_search(kb):
    from indexer.search.informal import informal_words, person_names
    from indexer.search.known import english_words, long_dictionary_words

    lists = (english_words, informal_words, person_names, long_dictionary_words)
    for word_list in lists:
        word_list.cache_clear()
    kb.load_language_data()
    assert all(word_list.cache_info().currsize == 1 for word_list in lists)
    assert "deadline" in english_words() and "พรือ" in informal_words() and "ภูริชญา" in person_names()
    assert "ทุพโภชนาการ" in long_dictionary_words() and "ทุกโภชนาการ" not in long_dictionary_words()
    assert "บางลำพู" in long_dictionary_words()  # the file writes ํ + า, questions are normalised


def test_the_english_word_list_holds_exactly_the_words_json_reads_from_the_file():
    """english_words scans pyspellchecker's file for its keys rather than json.load it (whose
    dict Python's allocator keeps after it is freed): the scan must find every word, and no more."""
    from indexer.search.known import ENGLISH_WORDS, MIN_LATIN_CHARS, english_words

    with (resources.files("spellchecker.resources").joinpath(ENGLISH_WORDS).open("rb") as packed,
          gzip.open(packed) as text):
        counted = json.load(text)
    expected = {w for w in counted if len(w) >= MIN_LATIN_CHARS and w.isascii() and w.isalpha()}
    assert len(expected) > 100_000
    assert set(english_words().keys()) == expected
    assert "a's" in counted and "a's" not in english_words() and "deadline" in english_words()


def test_a_suggestion_changes_the_misspelt_word_and_keeps_the_rest_as_typed(kb):
    # the space parting two clauses and the case of KM stay; only ลาปวย is respelt
    response = kb.search(SearchRequest(q="ลาปวย 3 วันต้องแนบใบรับรองแพทย์ไหม ส่ง HR ที่ไหน"))
    assert response.suggestion == "ลาป่วย 3 วันต้องแนบใบรับรองแพทย์ไหม ส่ง HR ที่ไหน"


def test_as_typed_search_is_not_corrected(kb):
    request = parse_search_params({"q": "ลาปวย", "as_typed": "1"}, kb.vocab)
    response = kb.search(request)
    assert response.corrected_from is None and response.suggestion == "ลาป่วย"


def test_title_outweighs_body(richer_kb):
    hits = richer_kb.search(SearchRequest(q="ลาพักผ่อน", per_page=50)).hits
    assert all("ลาพักผ่อน" in h.title for h in hits[:12])


def test_facets_count_the_matches(richer_kb):
    response = richer_kb.search(SearchRequest(q="ลา"))
    facets = {k: dict(v) for k, v in response.facets.items()}
    assert facets["department"]["education"] == 12
    assert facets["fy"]["2568"] >= 1


def test_filters_narrow_results(richer_kb):
    response = richer_kb.search(SearchRequest(q="", department="education", fy=2568))
    assert response.total == 3  # Oct, Nov, Dec 2024 fall in FY 2568
    assert {h.department for h in response.hits} == {"education"}
    assert richer_kb.search(SearchRequest(tag="CKO")).hits[0].slug == "km-plan"


def test_newest_sort_and_pagination(richer_kb):
    first = richer_kb.search(SearchRequest(department="education", sort="newest", per_page=5))
    second = richer_kb.search(SearchRequest(department="education", sort="newest", per_page=5, page=2))
    dates = [h.published for h in first.hits + second.hits]
    assert dates == sorted(dates, reverse=True)
    assert first.total == 12 and first.pages == 3
    assert not {h.slug for h in first.hits} & {h.slug for h in second.hits}


BLANK = ["", "   ", "\t\n", "\x00\u200b"]
NO_WORDS = ['"', "*", "?", "~", "(", ")", ":", "---", "???", "🙏", "..."]
SYNTAX_AS_WORDS = ["AND", "OR NOT", 'title:"ลา" AND (x OR y*)~2', "ลา" * 500, "ๆๆๆ", "<script>"]


@pytest.mark.parametrize("query", BLANK + NO_WORDS + SYNTAX_AS_WORDS)
def test_odd_queries_never_raise(kb, query):
    everything = [h.slug for h in kb.search(SearchRequest(q="")).hits]
    response = kb.search(SearchRequest(q=query))
    slugs = [h.slug for h in response.hits]
    assert response.query == normalize(query)[:MAX_QUERY_CHARS].strip()  # searched as typed, never as syntax
    assert response.total == len(slugs) and set(slugs) <= set(everything) and len(everything) == 3
    assert "<script>" not in "".join(h.snippet for h in response.hits)
    if query in BLANK:  # nothing typed: the same list as an empty search box
        assert slugs == everything and response.confident
    if query in NO_WORDS:  # typed, but no word to look for: nothing matches, and nothing is sure
        assert slugs == [] and not response.confident


def test_very_long_query_is_truncated_and_says_so(kb):
    response = kb.search(SearchRequest(q="ลาป่วย " * 100))
    assert response.truncated and len(response.query) <= 200


@pytest.mark.parametrize("params, message", [
    ({"department": "hr"},
     'department: ไม่รู้จักค่า "hr" (ใช้ได้: palad, finance, engineering, public-health, education, social-welfare)'),
    ({"fy": "68"}, 'fy: ปีงบประมาณต้องเป็นเลขสี่หลัก เช่น 2568 แต่พบ "68"'),
    ({"fy": "1800"}, 'fy: ปีงบประมาณต้องอยู่ระหว่าง 2500 ถึง 2700 แต่พบ "1800"'),
    ({"sort": "oldest"}, 'sort: ต้องเป็น relevance หรือ newest แต่พบ "oldest"'),
    ({"page": "0"}, "page: ต้องอยู่ระหว่าง 1 ถึง 1000 แต่พบ 0"),
    ({"page": "๒.๕"}, 'page: ต้องเป็นจำนวนเต็ม 1–1000 แต่พบ "๒.๕"'),
    ({"per_page": "500"}, "per_page: ต้องอยู่ระหว่าง 1 ถึง 50 แต่พบ 500"),
])
def test_bad_parameters_raise_with_a_reason(kb, params, message):
    with pytest.raises(InvalidSearch) as info:
        parse_search_params(params, kb.vocab)
    assert str(info.value) == message


def test_fiscal_year_accepts_ce_and_thai_digits(kb):
    assert parse_search_params({"fy": "2025"}, kb.vocab).fy == 2568
    assert parse_search_params({"fy": "๒๕๖๗"}, kb.vocab).fy == 2567
    assert parse_search_params({"page": "๑๒", "per_page": "๒๐"}, kb.vocab).page == 12
    assert parse_search_params({"department": "กองคลัง"}, kb.vocab).department == "finance"


def test_drafts_and_archived_assets_stay_out_of_search(kb, knowledge_dir):
    write_asset(knowledge_dir, "palad/draft.md", title="ร่างระเบียบลาป่วยใหม่", status="draft")
    write_asset(knowledge_dir, "palad/old.md", title="ระเบียบลาป่วยเดิม", status="archived")
    kb.update()
    assert {"draft", "old"}.isdisjoint(h.slug for h in kb.search(SearchRequest(q="ลาป่วย")).hits)
    assert "draft" in [h.slug for h in kb.search(SearchRequest(q="ลาป่วย", include_drafts=True)).hits]


def test_a_glossary_abbreviation_is_never_taken_for_a_typo(richer_kb):
    response = richer_kb.search(SearchRequest(q="พรบ"))
    assert response.suggestion is None and response.corrected_from is None
    assert response.hits[0].slug == "law"


def _leaf_words(parsed):
    return {getattr(leaf, "text", None) for leaf in parsed.query.leaves()}


def test_the_words_a_correction_replaces_are_not_widened_to_their_compounds(kb, knowledge_dir):
    from indexer.search.query import parse_query

    write_asset(knowledge_dir, "engineering/door.md", title="ซ่อมบานพับประตู", body="เปลี่ยนบานพับที่สนิมขึ้น\n")
    kb.update()
    engine = kb.engine
    searcher = engine.searcher()
    lexicon = engine.lexicon(searcher)
    args = ("เบิกพยาบาน", engine.segmenter, engine.glossary, lexicon, ("พยาบาล",))
    assert "บานพับ" in _leaf_words(parse_query(*args))  # as typed, บาน stands for its compounds too
    assert "บานพับ" not in _leaf_words(parse_query(*args, frozenset({"พ", "ยา", "บาน"})))


def test_a_typos_fragments_and_lone_thai_letters_are_not_highlighted(kb):
    from indexer.search.query import parse_query

    engine = kb.engine
    lexicon = engine.lexicon(engine.searcher())
    args = ("เบิกพยาบาน", engine.segmenter, engine.glossary, lexicon)
    as_typed = parse_query(*args).highlight_terms
    assert "เบิก" in as_typed and "ยา" in as_typed and "พ" not in as_typed  # a lone letter marks nothing
    corrected = parse_query(*args, ("พยาบาล",), frozenset({"พ", "ยา", "บาน"})).highlight_terms
    assert "พยาบาล" in corrected and "เบิก" in corrected
    assert not corrected & {"พ", "ยา", "บาน"}  # what the reader meant is marked, not the typo's pieces


def test_a_phrase_of_common_words_is_matched_in_titles_and_headings_only():
    from indexer.search import clauses

    class Counts:
        doc_count = 10_000

        @staticmethod
        def frequency(word):
            return {"ไม่": 9_000, "สบาย": 900, "หมอ": 40}[word]

    assert "body" not in clauses._phrase_fields(["ไม่", "สบาย"], Counts())
    assert set(clauses._phrase_fields(["ไม่", "สบาย"], Counts())) == {"title", "headings"}
    assert "body" in clauses._phrase_fields(["ไม่", "หมอ"], Counts())  # หมอ is rare: cheap everywhere
    assert "body" in clauses._phrase_fields(["ไม่", "สบาย"], None)


def _reference_scores(searcher, query) -> dict[int, float]:
    """What scoring.py must give, the slow way: the leaves outside any Synonyms node added up;
    within each Synonyms node, each form (a word over its fields, a phrase at its best field)
    scored apart, and a document given its best form plus SYNONYM_TIE of the others."""
    from whoosh import query as Q

    from indexer.search import scoring

    plain, expected = [], {}
    for node, boost in scoring._clauses(query, 1.0):
        if not isinstance(node, scoring.Synonyms):
            plain.append((node, boost))
            continue
        forms: dict[object, list] = {}
        for leaf, leaf_boost in scoring._leaves(node, boost):
            key = leaf.text if isinstance(leaf, Q.Term) else tuple(leaf.words)
            forms.setdefault(key, []).append((leaf, leaf_boost))
        per_form = []
        for leaves in forms.values():
            if all(isinstance(leaf, Q.Phrase) for leaf, _ in leaves):  # a phrase: its best field
                fields = [_reference_leaf_scores(searcher, [leaf]) for leaf in leaves]
                per_form.append({doc: max(f.get(doc, 0.0) for f in fields) for doc in set().union(*fields)})
            else:
                per_form.append(_reference_leaf_scores(searcher, leaves))
        for doc in set().union(*per_form):
            values = [form.get(doc, 0.0) for form in per_form]
            best = max(values)
            expected[doc] = expected.get(doc, 0.0) + best + scoring.SYNONYM_TIE * (sum(values) - best)
    for doc, value in _reference_leaf_scores(searcher, plain).items():
        expected[doc] = expected.get(doc, 0.0) + value
    return expected


def _reference_leaf_scores(searcher, leaves) -> dict[int, float]:
    """Leaves (leaf, boost) added up: each word's BM25F over the fields it is asked in, from
    Whoosh's own posting matchers walked one posting at a time (deleted documents skipped by
    Whoosh), and every other leaf (phrases, prefixes) scored by Whoosh itself."""
    import math

    from whoosh import query as Q

    from indexer.search import scoring

    boosts: dict[str, dict[str, float]] = {}
    others = []
    for leaf, boost in leaves:
        if isinstance(leaf, Q.Term):
            fields = boosts.setdefault(leaf.text, {})
            fields[leaf.fieldname] = fields.get(leaf.fieldname, 0.0) + boost * leaf.boost
        else:
            others.append(leaf.with_boost(leaf.boost * boost))
    reader = searcher.reader()
    expected: dict[int, float] = {}
    if others:  # an Or of leaves: none is dropped
        expected.update({hit.docnum: hit.score for hit in searcher.search(Q.Or(others), limit=None, terms=False)})
    for text, fields in boosts.items():
        top = max(fields.values())
        held = max(reader.doc_frequency(field, text) for field in fields)
        if not held:
            continue
        idf = math.log(reader.doc_count_all() / (held + 1)) + 1
        weighted: dict[int, float] = {}
        for field, boost in fields.items():
            if (field, text) not in reader:
                continue
            average = searcher.avg_field_length(field) or 1
            postings = reader.postings(field, text)
            while postings.is_active():
                doc, tf = postings.id(), postings.weight()
                norm = 1 - scoring.B + scoring.B * reader.doc_field_length(doc, field, 0) / average
                weighted[doc] = weighted.get(doc, 0.0) + boost / top * tf / norm
                postings.next()
        for doc, tf in weighted.items():
            expected[doc] = expected.get(doc, 0.0) + top * idf * tf * (scoring.K1 + 1) / (tf + scoring.K1)
    return expected


@pytest.mark.parametrize("q", ["ลาป่วย", "ลาปวย", "ลาพักผ่อน app", "951/2567", "ความเป็นธรรม", "ไม่สบาย ลาพักผ่อน"])
def test_the_posting_scores_are_bm25f_after_updates_and_deletions(richer_kb, knowledge_dir, q):
    """scoring.py reads posting lists block by block, caches them and scores with numpy: it must
    match the same documents (deleted ones left out) with the scores of the slow reference."""
    import numpy as np
    from whoosh import query as Q

    from indexer.search import postings, scoring

    cache = postings.PostingCache(min_docs=1)  # every list is kept, and read from it below
    before = richer_kb.engine.searcher()
    _, parsed, _, _ = richer_kb.engine.understand(before, richer_kb.engine.lexicon(before), q)
    scoring.score_query(before, parsed.query, scoring.FieldLengths(), cache)
    (knowledge_dir / "education" / "leave-03.md").unlink()  # a deleted document in an old segment
    write_asset(knowledge_dir, "palad/sick-2.md", title="ลาป่วยเกินสามสิบวัน", body="ไม่สบายนานต้องมีใบรับรองแพทย์\n")
    richer_kb.update()
    engine = richer_kb.engine
    searcher = engine.searcher()
    assert not searcher.reader().is_atomic()  # several segments, one with a deletion
    _, parsed, _, _ = engine.understand(searcher, engine.lexicon(searcher), q)
    # plus leaves the parser does not make, which Whoosh's own matchers score
    query = Q.Or([parsed.query, Q.Prefix("title", "ลาพัก"), Q.Phrase("body", ["ไม่", "ป่วย"], slop=3, boost=2),
                  Q.Phrase("body", ["สบาย", "ไม่"])])  # words in the same assets, never in this order
    expected = _reference_scores(searcher, query)
    assert expected  # every one of these finds something
    # read afresh, then through the cache (lists kept before the deletion, and after)
    for posting_cache in (None, cache, cache):
        scores = scoring.score_query(searcher, query, scoring.FieldLengths(), posting_cache)
        got = {int(doc): scores.score[doc] for doc in np.flatnonzero(scores.matched)}
        assert got.keys() == expected.keys() == set(searcher.docs_for_query(query))
        assert all(got[doc] == pytest.approx(expected[doc], rel=1e-9) for doc in got)
    assert cache.size()[0]


def test_an_asset_is_found_by_the_evidence_number_of_its_dissemination(kb, knowledge_dir):
    """The asset page lists where it was spread, with the circular's number: a reader holding
    the circular (or the auditor) finds the asset by that number, in either digits, and by
    no other word of the record."""
    write_asset(knowledge_dir, "finance/school-fees.md", title="การเบิกค่าเล่าเรียนบุตร", department="finance",
                body="ยื่นแบบขอเบิกภายในหนึ่งปีนับจากวันเปิดภาคเรียน\n",
                dissemination=[{"channel": "circular", "date": "2024-05-22", "ref": "ที่ ชม ๕๓๑๐๑/ว ๘๘"},
                               {"channel": "circular", "date": "2024-06-03", "ref": "ที่ ชม ๕๓๑๐๑/๒๔๕"},
                               {"channel": "website", "date": "2024-06-04", "ref": "ประกาศหน้าเว็บไซต์ zyxrefword"}])
    write_asset(knowledge_dir, "finance/other-circular.md", title="การเบิกค่ารักษาพยาบาล", department="finance",
                body="แนบใบเสร็จรับเงินฉบับจริงทุกครั้ง\n",
                dissemination=[{"channel": "circular", "date": "2024-05-23", "ref": "ที่ ชม ๕๓๑๐๑/ว ๙๐"}])
    kb.build()
    for question in ("ชม 53101/ว 88", "๕๓๑๐๑/ว ๘๘", "53101/245"):
        assert top(kb, question) == "school-fees", question
    # the other words of a record say nothing of what the asset is about
    assert top(kb, "zyxrefword") is None


def test_a_why_question_finds_the_text_that_gives_reasons(kb, knowledge_dir, monkeypatch):
    """"ทำไม…" is answered by a text that says เหตุผล or สาเหตุ, which the reader does not type:
    the plan's section on why a topic was chosen outranks one that names the topic in its title."""
    from indexer.search import clauses

    write_asset(knowledge_dir, "palad/topic-reasons.md", title="ที่มาของหัวข้อความรู้ประจำปี",
                body="## เหตุผลในการเลือก\n\nปีนี้เลือกหัวข้อสวัสดิการของพนักงาน เพราะมีคำถามมากที่สุด\n")
    write_asset(knowledge_dir, "palad/welfare-list.md", title="สวัสดิการของพนักงาน",
                body="ปีนี้พนักงานเลือกหัวข้อสวัสดิการได้สามหัวข้อ: สวัสดิการค่ารักษาพยาบาล สวัสดิการค่าเล่าเรียนบุตร\n")
    kb.build()
    question = "ทำไมปีนี้เลือกหัวข้อสวัสดิการ"
    assert clauses.asks_why(tuple(kb.segmenter.words("แล้วเลือกเพราะอะไร")))
    assert not clauses.asks_why(tuple(kb.segmenter.words("เลือกหัวข้ออะไร")))
    assert top(kb, question) == "topic-reasons"
    assert "เหตุผล" in kb.search(SearchRequest(q=question)).hits[0].snippet
    monkeypatch.setattr(clauses, "REASON_WORDS", ())
    assert top(kb, question) == "welfare-list"


def test_field_lengths_read_as_one_block_equal_whooshs_per_document_lengths(richer_kb, knowledge_dir, monkeypatch):
    """The first search reads every field's lengths as one block per segment; they must be the
    lengths Whoosh gives one document at a time, in every segment, for a field no document
    has, and by the per-document path when the column is of another kind."""
    import numpy as np

    from indexer.index.leaves import leaf_readers
    from indexer.search import postings

    write_asset(knowledge_dir, "palad/sick-2.md", title="ลาป่วยเกินสามสิบวัน", body="ไม่สบายนานต้องมีใบรับรองแพทย์\n")
    richer_kb.update()
    leaves = leaf_readers(richer_kb.engine.searcher().reader())
    assert len(leaves) > 1

    def per_document(leaf, field):
        return np.array([leaf.doc_field_length(doc, field, 0) or 0 for doc in range(leaf.doc_count_all())])

    fields = ("title", "tags_text", "owner_text", "headings", "body", "no_such_field")
    for leaf, _ in leaves:
        for field in fields:
            assert np.array_equal(postings._field_lengths(leaf, field), per_document(leaf, field)), field
    assert postings._field_lengths(leaves[0][0], "body").any()
    monkeypatch.setattr(postings, "NumericColumn", type("Other", (), {"Reader": type("Reader", (), {})}))
    for leaf, _ in leaves:
        assert np.array_equal(postings._field_lengths(leaf, "body"), per_document(leaf, "body"))


def test_a_word_counts_once_over_its_fields_not_once_per_field(richer_kb):
    """BM25F: a word in a title and a body scores less than the two fields scored apart and added
    (Whoosh's way), and more than the title alone."""
    import numpy as np
    from whoosh import query as Q

    from indexer.search import scoring

    searcher = richer_kb.engine.searcher()
    lengths = scoring.FieldLengths()

    def score(*fields):
        query = Q.Or([Q.Or([Q.Term(f, "ลาป่วย", boost=b) for f, b in fields])])
        return scoring.score_query(searcher, query, lengths)

    both, title, body = score(("title", 5.0), ("body", 1.0)), score(("title", 5.0)), score(("body", 1.0))
    in_both = np.flatnonzero(title.matched & body.matched)
    assert len(in_both)
    assert (both.score[in_both] < title.score[in_both] + body.score[in_both] - 1e-9).all()
    assert (both.score[in_both] > title.score[in_both]).all()  # the body still adds something


def test_posting_lists_read_by_blocks_equal_those_read_posting_by_posting(richer_kb):
    from indexer.index.leaves import leaf_readers
    from indexer.search import postings

    searcher = richer_kb.engine.searcher()
    for segment, _ in leaf_readers(searcher.reader()):
        for field, text in [("body", "ลา"), ("title", "ลาป่วย"), ("body", "ป่วย")]:
            if (field, text) in segment:
                fast = postings.read_postings(segment, field, text, positions=True)
                slow = postings.read_postings(segment, field, text, blocks=False, positions=True)
                assert fast.docs.tolist() == slow.docs.tolist() and fast.tf.tolist() == slow.tf.tolist()
                assert fast.values == slow.values
                assert len(fast.docs)


def test_a_word_asked_alone_and_in_a_phrase_is_read_once_per_segment(richer_kb, knowledge_dir, monkeypatch):
    from whoosh import query as Q

    from indexer.index.leaves import leaf_readers
    from indexer.search import postings, scoring

    write_asset(knowledge_dir, "palad/sick-2.md", title="ลาป่วยเกินสามสิบวัน", body="ไม่สบายนานต้องมีใบรับรองแพทย์\n")
    richer_kb.update()
    searcher = richer_kb.engine.searcher()
    reads = []
    real = postings.read_postings
    monkeypatch.setattr(postings, "read_postings", lambda segment, field, text, **kw: reads.append(
        (id(segment), field, text, kw.get("positions"))) or real(segment, field, text, **kw))
    query = Q.Or([Q.Term("body", "ไม่"), Q.Term("body", "สบาย"), Q.Phrase("body", ["ไม่", "สบาย"]),
                  Q.Or([Q.Term("body", "ไม่")], boost=0.5)])
    scores = scoring.score_query(searcher, query, scoring.FieldLengths())
    assert scores.matched.any()
    segments = [s for s, _ in leaf_readers(searcher.reader())]
    expected = [(id(s), "body", w, True) for w in ("ไม่", "สบาย") for s in segments if ("body", w) in s]
    assert sorted(reads) == sorted(expected)  # once each, positions and all


def test_a_list_cached_without_positions_is_read_again_for_a_phrase(richer_kb):
    from indexer.index.leaves import leaf_readers
    from indexer.search import postings

    searcher = richer_kb.engine.searcher()
    segment = max((leaf for leaf, _ in leaf_readers(searcher.reader())), key=lambda leaf: leaf.doc_count_all())
    word = max((text.decode("utf-8") for field, text in segment.all_terms() if field == "body"),
               key=lambda w: segment.doc_frequency("body", w))
    cache = postings.PostingCache(min_docs=1)
    plain = cache.get(segment, "body", word, positions=False)
    assert plain.values is None and cache.get(segment, "body", word, positions=False) is plain  # kept as read
    with_positions = cache.get(segment, "body", word, positions=True)
    assert with_positions.values == postings.read_postings(segment, "body", word, positions=True).values
    assert with_positions.docs.tolist() == plain.docs.tolist() and with_positions.values
    assert cache.get(segment, "body", word, positions=False) is with_positions  # one entry serves both now
    assert cache.size() == (1, with_positions.nbytes())


def test_the_posting_cache_keeps_long_lists_only_within_its_bytes_and_read_only(richer_kb):
    from indexer.index.leaves import leaf_readers
    from indexer.search import postings

    searcher = richer_kb.engine.searcher()
    segment = max((leaf for leaf, _ in leaf_readers(searcher.reader())), key=lambda leaf: leaf.doc_count_all())
    words = sorted({text.decode("utf-8") for field, text in segment.all_terms() if field == "body"},
                   key=lambda w: -segment.doc_frequency("body", w))[:40]
    assert segment.doc_frequency("body", words[0]) > segment.doc_frequency("body", words[-1])
    fresh = {w: postings.read_postings(segment, "body", w, positions=True) for w in words}

    short = postings.PostingCache(min_docs=segment.doc_frequency("body", words[0]))
    for w in words:
        assert short.get(segment, "body", w, positions=False).docs.tolist() == fresh[w].docs.tolist()
    assert short.size()[0] == sum(segment.doc_frequency("body", w) >= short.min_docs for w in words) >= 1

    small = max(p.nbytes() for p in fresh.values()) * 5
    bounded = postings.PostingCache(max_bytes=small, min_docs=1)
    for _ in range(2):
        for w in words:
            got = bounded.get(segment, "body", w, positions=True)
            assert got.docs.tolist() == fresh[w].docs.tolist() and got.values == fresh[w].values
            assert bounded.size()[1] <= small
    assert 4 <= bounded.size()[0] < len(words)
    with pytest.raises(ValueError):
        got.tf[0] = 0  # shared by every search


def test_a_filter_is_worked_out_once_per_version_as_a_set_and_a_read_only_mask(richer_kb):
    import numpy as np

    from indexer.search.requests import SearchRequest
    from indexer.search.visibility import filter_key, request_filter

    engine = richer_kb.engine
    searcher = engine.searcher()
    table = engine.facet_table(searcher)
    request = SearchRequest(department="finance")
    docs, mask = table.allowed(searcher, filter_key(request), request_filter(request))
    assert docs and len(docs) < searcher.doc_count()
    assert set(np.flatnonzero(mask).tolist()) == docs and len(mask) == searcher.doc_count_all()
    assert table.allowed(searcher, filter_key(request), request_filter(request))[1] is mask
    with pytest.raises(ValueError):
        mask[0] = not mask[0]  # shared by every search of this version


def test_the_boost_of_an_or_with_one_part_counts(richer_kb):
    """Whoosh's own matcher drops it; a correction's weight (CORRECTION_WEIGHT) relies on it."""
    from whoosh import query as Q

    from indexer.search import scoring

    searcher = richer_kb.engine.searcher()
    lengths = scoring.FieldLengths()
    plain = scoring.score_query(searcher, Q.Or([Q.Or([Q.Term("body", "ลา"), Q.Term("title", "ลาป่วย")])]), lengths)
    halved = scoring.score_query(
        searcher, Q.Or([Q.Or([Q.Or([Q.Term("body", "ลา"), Q.Term("title", "ลาป่วย")])], boost=0.5)]), lengths)
    assert plain.matched.any()
    assert halved.score == pytest.approx(plain.score / 2)


@pytest.mark.parametrize("q", ["ลา", "", "ไม่สบาย ลาพักผ่อน"])
def test_newest_first_is_whooshs_sorted_order_across_pages_and_segments(richer_kb, knowledge_dir, q):
    """Lists newest first come from a per-version column table (ordering.py), not from
    Whoosh's sorted search; Whoosh's order is the reference, ties broken by slug."""
    from whoosh import query as Q
    from whoosh import sorting

    for slug in ("zz-sick", "aa-sick"):  # the newest two, on the same day: the slug decides
        write_asset(knowledge_dir, f"palad/{slug}.md", title="ลาป่วยเกินสามสิบวัน", body="ไม่สบายนาน ลาพักผ่อน\n",
                    published="2026-11-30")
        richer_kb.update()
    engine = richer_kb.engine
    searcher = engine.searcher()
    _, parsed, _, _ = engine.understand(searcher, engine.lexicon(searcher), q)
    order = [sorting.FieldFacet("newest", reverse=True), sorting.FieldFacet("slug")]
    allowed = Q.Term("status", "published")
    expected = [hit["slug"] for hit in searcher.search(parsed.query or Q.Every(), limit=None, filter=allowed,
                                                       sortedby=order)]
    shown = []
    for page in (1, 2, 3):
        response = richer_kb.search(SearchRequest(q=q, sort="newest", per_page=2, page=page))
        shown.extend(hit.slug for hit in response.hits)
        assert response.total == len(expected)
    assert len(expected) > 2 and shown == expected[:6]
    assert shown[:2] == ["aa-sick", "zz-sick"]


def test_facet_counts_equal_a_plain_count_blank_values_and_tied_tags_included():
    """FacetTable counts with integer codes and bincount, and keeps only the 30 most
    frequent tags: checked against a Counter on random tables full of ties and blanks."""
    import random
    from collections import Counter
    from itertools import chain

    import numpy as np

    from indexer.search.facets import SINGLE, TAG_LIMIT, FacetTable

    def plain(counter, limit=None):
        pairs = sorted(((str(k), n) for k, n in counter.items() if k not in (None, "")), key=lambda kv: (-kv[1], kv[0]))
        return pairs[:limit] if limit else pairs

    rng = random.Random(3)
    for _ in range(150):
        size = rng.randint(0, 300)
        values = {name: [rng.choice(["", None, "palad", "finance", 2568, "กองช่าง"]) for _ in range(size)]
                  for name in SINGLE}
        tags = [rng.sample([f"แท็ก{i}" for i in range(60)] + [""], rng.randint(0, 5)) for _ in range(size)]
        table = FacetTable(values, tags)
        docs = [doc for doc in range(size) if rng.random() < 0.5]
        mask = np.zeros(size, dtype=bool)
        mask[docs] = True
        for given in (docs, set(docs), mask):
            got = table.count(given)
            for name in SINGLE:
                assert got[name] == plain(Counter(values[name][doc] for doc in docs))
            assert got["tags"] == plain(Counter(chain.from_iterable(tags[doc] for doc in docs)), TAG_LIMIT)


def test_the_facet_table_of_an_update_reads_only_the_new_segment_and_equals_a_fresh_one(richer_kb, knowledge_dir):
    from indexer.search.facets import FACETS, FacetTable

    engine = richer_kb.engine
    before = engine.facet_table(engine.searcher())
    write_asset(knowledge_dir, "finance/tax.md", title="ภาษีป้าย", department="finance", tags=["ภาษี", "KM"])
    (knowledge_dir / "education" / "leave-03.md").unlink()
    richer_kb.update()
    searcher = engine.searcher()
    assert len(searcher.reader().leaf_readers()) > len(before.segments)
    read = []
    real = type(searcher.reader().leaf_readers()[0][0]).column_reader
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(searcher.reader().leaf_readers()[0][0]), "column_reader",
                      lambda leaf, *a, **k: read.append(leaf.segment().segment_id()) or real(leaf, *a, **k))
        extended = engine.facet_table(searcher)
    assert extended is not before and set(read) == {searcher.reader().leaf_readers()[-1][0].segment().segment_id()}
    fresh = FacetTable.from_reader(searcher.reader())
    everything = [d for d in range(fresh.size) if not searcher.reader().is_deleted(d)]
    assert extended.count(everything) == fresh.count(everything)
    assert dict(extended.count(everything)["department"])["finance"] == 2
    assert all(extended.count(everything)[name] for name in FACETS)


def test_a_search_reads_each_documents_stored_fields_once(sample_kb, monkeypatch):
    """The phrase bonus reads its candidates' texts and the page shows most of them again:
    one read each (engine.StoredFields), not two."""
    reads: list[int] = []
    searcher = sample_kb.engine.searcher()  # this thread's: the one the search below uses
    real = searcher.stored_fields
    monkeypatch.setattr(searcher, "stored_fields", lambda doc: reads.append(doc) or real(doc))
    response = sample_kb.search(SearchRequest(q="ลาป่วยต้องใช้ใบรับรองแพทย์ไหม", semantic=False, per_page=5))
    assert len(response.hits) == 5 and response.hits[0].snippet
    assert len(reads) > len(response.hits)  # the phrase bonus read more candidates than the page shows
    assert len(reads) == len(set(reads))


def test_a_known_misspelling_is_searched_spelled_right_and_the_page_says_so(kb, knowledge_dir):
    write_asset(knowledge_dir, "palad/permit.md", title="การขออนุญาตก่อสร้างอาคาร", body="ยื่นคำขอที่กองช่าง\n")
    write_asset(knowledge_dir, "palad/relatives.md", title="การเยี่ยมไข้", body="ญาติของผู้ป่วยเยี่ยมได้ทุกวัน\n")
    kb.update()
    # without the glossary อนุญาติ splits into อนุ + ญาติ, two real words that find the hospital
    # visit; it is kept whole, so even as typed it does not
    as_typed = kb.search(parse_search_params({"q": "อนุญาติ", "as_typed": "1"}, kb.vocab))
    assert as_typed.corrected_from is None and "relatives" not in [h.slug for h in as_typed.hits]
    response = kb.search(SearchRequest(q="อนุญาติ"))
    assert (response.corrected_from, response.suggestion) == ("อนุญาติ", "อนุญาต")
    assert response.hits[0].slug == "permit" and "relatives" not in [h.slug for h in response.hits]
    # spelled right, a word is never respelled
    assert kb.search(SearchRequest(q="ขออนุญาต")).corrected_from is None
    # KM's own ถ่ายทอด misspelt into two real words (ถ่าย + ถอด)
    assert kb.search(SearchRequest(q="การถ่ายถอดความรู้")).suggestion == "การถ่ายทอดความรู้"


def test_an_asset_that_misspells_a_word_is_found_by_the_right_spelling(kb, knowledge_dir):
    write_asset(knowledge_dir, "palad/misspelt.md", title="สรุประเบียบการลา",
                body="พนักงานต้องปฎิบัติตามกฏหมายว่าด้วยการลา\n")
    kb.update()
    for query in ("ปฏิบัติตามกฎหมาย", "กฎหมาย"):
        response = kb.search(SearchRequest(q=query))
        assert response.hits[0].slug == "misspelt", query
        assert "<mark>กฏหมาย</mark>" in response.hits[0].snippet, query


def test_a_concept_said_in_several_forms_counts_about_once(kb, knowledge_dir, monkeypatch):
    from indexer.search import scoring
    # the process section names KM three ways (KM, การจัดการความรู้, Knowledge Management) and the
    # calendar only in passing; the calendar is what "ปฏิทิน KM" asks for
    write_asset(knowledge_dir, "palad/km-process.md", title="ขั้นตอน KM",
                body="การจัดการความรู้ (Knowledge Management) มีเจ็ดขั้นตอน ปฏิทินอยู่ท้ายเล่ม\n")
    write_asset(knowledge_dir, "palad/km-calendar.md", title="ปฏิทินกิจกรรม", body="ปฏิทิน KM ทั้งปี\n")
    for i in range(4):
        write_asset(knowledge_dir, f"misc/calendar-{i}.md", title=f"ปฏิทินงาน {i}", body="ปฏิทินงานประจำเดือนของกอง\n")
    kb.update()
    question = SearchRequest(q="ปฏิทิน KM", semantic=False)
    assert [h.slug for h in kb.search(question).hits][:2] == ["km-calendar", "km-process"]
    monkeypatch.setattr(scoring, "SYNONYM_TIE", 1.0)  # every form added up, as a plain Or does
    assert [h.slug for h in kb.search(question).hits][:2] == ["km-process", "km-calendar"]


def test_a_phrase_in_the_title_a_heading_and_the_body_counts_as_its_best_field(kb, knowledge_dir, monkeypatch):
    from indexer.search import scoring
    # ใบอนุญาตก่อสร้าง is a glossary term of two words, asked as a phrase; both assets have it as
    # their title, the permit guide also as a heading and in its text, the handover holds สำเนา
    write_asset(knowledge_dir, "engineering/permit.md", title="ใบอนุญาตก่อสร้าง",
                body="## ใบอนุญาตก่อสร้าง\n\nใบอนุญาตก่อสร้างออกโดยกองช่าง\n")
    write_asset(knowledge_dir, "finance/handover.md", title="ใบอนุญาตก่อสร้าง", body="ส่งสำเนาให้ฝ่ายเก็บภาษีทุกเดือน\n")
    kb.update()
    question = SearchRequest(q="สำเนาใบอนุญาตก่อสร้าง", semantic=False)
    assert [h.slug for h in kb.search(question).hits][:2] == ["handover", "permit"]
    monkeypatch.setattr(scoring._Pieces, "best", scoring._Pieces.summed)  # every field added up
    assert [h.slug for h in kb.search(question).hits][:2] == ["permit", "handover"]


def test_an_asset_holding_more_of_a_question_passes_one_that_matches_a_few_of_its_words_strongly(
        kb, knowledge_dir, monkeypatch):
    from indexer.search import rerank
    write_asset(knowledge_dir, "finance/travel.md", title="ค่าเดินทาง",
                body="เบิกค่าเดินทางไปราชการตามระเบียบ ค่าเดินทางเบิกได้ตามจริง\n")
    write_asset(knowledge_dir, "hr/training.md", title="หลักสูตรภายนอก",
                body="เบิกค่าที่พักตามจริง หลักสูตรที่ต้องไปอบรมให้หัวหน้าอนุมัติก่อน ส่วนค่าเดินทางใช้ใบเสร็จ "
                     "ถ้าไปต่างจังหวัดแนบกำหนดการด้วย\n")
    for i in range(5):  # อบรม, ต่างจังหวัด and ค่าที่พัก are not rare: each weighs less than ค่าเดินทาง
        write_asset(knowledge_dir, f"misc/other-{i}.md", title=f"เรื่องทั่วไป {i}",
                    body="งานอบรมที่ต่างจังหวัด ค่าที่พักและค่าลงทะเบียนของงานต่าง ๆ\n")
    kb.update()
    question = SearchRequest(q="ค่าเดินทาง อบรม ต่างจังหวัด ค่าที่พัก", semantic=False)
    # the travel guide has the rarest word in its title; the training rules hold all four words
    assert [h.slug for h in kb.search(question).hits][:2] == ["training", "travel"]
    monkeypatch.setattr(rerank, "COORDINATION_WEIGHT", 0.0)
    assert [h.slug for h in kb.search(question).hits][:2] == ["travel", "training"]


@pytest.mark.parametrize("q", ["ลาพักผ่อนทำพรือ", "ยื่นลาพักผ่อนตี้ไหนเจ้า", "สล่าซ่อมหลังคาศูนย์เด็กเล็ก",
                               "เฮ็ดจั่งใด เบิกค่ารักษา", "วิดีโอคอลประชุมใช้ลิงก์ไหน",
                               "ครูภูริชญาศูนย์เด็กเล็กลาคลอดถึงวันไหน", "นายอับดุลเลาะ เจ๊ะเลาะ ลาไปประกอบพิธีฮัจย์",
                               "แหลงใต้ได้ไหม จะถามเรื่องลาคลอด"])
def test_regional_slang_and_loanword_spellings_are_not_typos(sample_kb, q):
    """ทำพรือ (southern: how), ตี้ (northern: where), สล่า (a craftsman), จั่งใด, คอล, แหลง (southern:
    to speak) and the names ภูริชญา and เจ๊ะเลาะ: no dictionary word, and the speller offered
    ทำหรือ, นี้ไหน, เล่า, คอก, แหล่ง (แห + ลง as a slip), ภูริช้า and เจาะเลาะ (data/informal.yaml,
    pythainlp's name lists)."""
    response = sample_kb.search(SearchRequest(q=q))
    assert response.suggestion is None and response.corrected_from is None
    engine = sample_kb.engine
    parsed = parse_query(q, engine.segmenter, engine.glossary, engine.lexicon(engine.searcher()))
    assert not {"พรือ", "ทำพรือ", "ตี้", "จั่งใด"} & set(parsed.concepts)  # function words: no topic


def test_a_slip_is_still_corrected_beside_a_regional_word(sample_kb):
    assert sample_kb.search(SearchRequest(q="ลาป่วบทำพรือ")).suggestion == "ลาป่วยทำพรือ"
