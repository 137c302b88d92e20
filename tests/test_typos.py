"""The typo checks (indexer/search/typos.py), the variants of a question (variants.py) and their CLI."""

from __future__ import annotations

import pytest
from conftest import built_kb, write_asset

from indexer.cli import main
from indexer.content.loader import iter_asset_files
from indexer.search.evaluation import Judgement, Ranking, engine_ranker, evaluate, originals
from indexer.search.typos import question_slips, slips, typo_judgements
from indexer.search.variants import VARIANTS, variant_judgements


def test_each_slip_changes_one_thing_a_phone_keyboard_gets_wrong():
    found = dict.fromkeys(slips("ค่ารักษา"))
    assert ("tone-dropped", "คารักษา") in found
    assert ("tone-swapped", "ค้ารักษา") in found
    assert ("vowel-dropped", "ค่ารกษา") in found
    assert ("letter-swapped", "ค่าลักษา") in found
    assert all(typed != "ค่ารักษา" and abs(len(typed) - len("ค่ารักษา")) <= 1 for _, typed in found)
    assert slips("abc") == []


def _assets(tmp_path):
    folder = tmp_path / "knowledge"
    write_asset(folder, "palad/medical.md", title="การเบิกค่ารักษาพยาบาล", tags=["ค่ารักษาพยาบาล", "เบิก"],
                body="ยื่นใบเสร็จค่ารักษาพยาบาลภายในหนึ่งปี\n")
    write_asset(folder, "palad/child.md", title="ค่าเล่าเรียนบุตร", tags=["ค่าเล่าเรียนบุตร", "ค่ารักษาพยาบาล"],
                body="เบิกค่าเล่าเรียนบุตรได้ภาคเรียนละครั้ง\n")
    write_asset(folder, "palad/draft.md", title="ร่างระเบียบใหม่", tags=["ระเบียบฉบับร่าง"], status="draft",
                body="ยังไม่ประกาศใช้\n")
    return folder


def test_typo_queries_come_from_the_tags_of_published_assets_that_find_them(tmp_path):
    folder = _assets(tmp_path)
    with built_kb(tmp_path, folder) as kb:
        judgements = typo_judgements(iter_asset_files(folder), folder, kb.vocab, engine_ranker(kb), per_tag=3)
        tags = {j.id.split(":")[0] for j in judgements}
        assert tags == {"ค่ารักษาพยาบาล", "ค่าเล่าเรียนบุตร"}  # เบิก is too short; the draft is unseen
        assert all(j.kind.startswith("typo:") for j in judgements)
        medical = [j for j in judgements if j.id.startswith("ค่ารักษาพยาบาล:")]
        assert len(medical) == 3 and all(j.relevant == ("child", "medical") for j in medical)
        finds_nothing = typo_judgements(iter_asset_files(folder), folder, kb.vocab, lambda q: Ranking((), 0))
        assert finds_nothing == []  # a tag the engine misses typed correctly says nothing about typos
        assert judgements == typo_judgements(iter_asset_files(folder), folder, kb.vocab, engine_ranker(kb),
                                             per_tag=3)  # seeded: the same check every run
        outcomes = evaluate(kb, judgements)
        assert not any(o.false_correction for o in outcomes)  # a suggestion for a typo is no false correction
        assert any(o.ranking.corrected for o in outcomes)
        assert sum(o.rank is not None for o in outcomes) >= len(outcomes) - 1


def test_the_cli_runs_the_typo_check_or_a_query_file_but_not_both(tmp_path, capsys):
    folder = _assets(tmp_path)  # the CLI builds its index itself
    flags = ["--knowledge", str(folder), "--index", str(tmp_path / "index")]
    assert main([*flags, "eval", "--typos", "--no-baseline"]) == 0
    assert "phone typos of the assets' tags" in capsys.readouterr().out
    assert main([*flags, "eval"]) == 2
    assert "--typos" in capsys.readouterr().err


def test_question_slips_type_each_answered_question_again_with_one_slip_in_one_word():
    asked = [Judgement("q1", "เบิกค่ารักษาพยาบาลต้องใช้อะไร", "plain", "dev", ("medical",)),
             Judgement("q2", "ค่าเล่าเรียนบุตรเบิกได้เท่าไหร่", "paraphrase", "dev", ("child",)),
             Judgement("q3", "ลาป่วยกี่วัน", "plain", "dev", ("sick",)),  # answered 4th: not slipped
             Judgement("q4", "ราคาทองวันนี้", "no-answer", "dev", ()),  # nothing answers it
             Judgement("q5", "ค่ารักษาพยาบาน", "typo", "dev", ("medical",))]  # misspelt already
    answers = {"q3": ("a", "b", "c", "sick")}
    by_query = {j.query: answers.get(j.id, j.relevant) for j in asked}

    def rank(query):
        return Ranking(by_query[query], len(by_query[query]))

    def words(text):
        return {"เบิกค่ารักษาพยาบาลต้องใช้อะไร": ["เบิก", "ค่า", "รักษาพยาบาล", "ต้อง", "ใช้", "อะไร"],
                "ค่าเล่าเรียนบุตรเบิกได้เท่าไหร่": ["ค่า", "เล่าเรียน", "บุตร", "เบิก", "ได้", "เท่าไหร่"]}[text]

    slipped = question_slips(asked, rank, words, per_question=2)
    assert [j.id.split("~")[0] for j in slipped] == ["q1", "q1", "q2", "q2"]
    for judgement, original in zip(slipped, originals(slipped, asked), strict=True):
        assert judgement.relevant == original.relevant and judgement.kind.startswith("typo:")
        assert judgement.query != original.query
        changed = [w for w in words(original.query) if w not in judgement.query]
        assert len(changed) == 1 and len(changed[0]) >= 3  # one word of three letters or more, slipped
    assert slipped == question_slips(asked, rank, words, per_question=2)  # seeded: the same every run


def test_the_cli_types_a_query_files_questions_again_with_slips(tmp_path, capsys):
    folder = _assets(tmp_path)
    queries = tmp_path / "queries.yaml"
    queries.write_text("- {id: m1, kind: plain, split: dev, query: เบิกค่ารักษาพยาบาล, relevant: [medical]}\n",
                       encoding="utf-8")
    flags = ["--knowledge", str(folder), "--index", str(tmp_path / "index")]
    assert main([*flags, "eval", str(queries), "--slips", "--no-baseline"]) == 0
    out = capsys.readouterr().out
    assert "one phone slip" in out and "2 queries" in out and "as written: MRR@10 1.000" in out
    assert main([*flags, "eval", "--typos", "--slips"]) == 2
    assert "--slips and --variants need a query file" in capsys.readouterr().err


def test_each_variant_rewrites_a_question_as_readers_also_type_it(sample_kb):
    asked = [Judgement("v1", "ทีม KM ส่ง leave form ภายใน 3 วัน/ครั้ง", "english-mixed", "test", ("km-plan",)),
             Judgement("v2", "ราคาทองวันนี้", "no-answer", "test", ()),
             Judgement("v3", "ลาปวย", "typo", "test", ("sick-leave",))]  # misspelt on purpose: no variant
    made = {j.kind: j for j in variant_judgements(asked, sample_kb.segmenter.tokens) if j.id.startswith("v1")}
    assert set(made) == set(VARIANTS) - {"typo:layout-toggled"}  # no word of it is written against Thai
    assert made["particle"].query == "ทีม KM ส่ง leave form ภายใน 3 วัน/ครั้งครับ"
    assert made["chat-particle"].query == "ทีม KM ส่ง leave form ภายใน 3 วัน/ครั้งอ่ะ"
    assert made["framed"].query.startswith("รบกวนสอบถาม") and made["framed"].query.endswith(asked[0].query)
    assert made["unspaced"].query == "ทีมKMส่งleave formภายใน3วัน/ครั้ง"  # English keeps its space
    assert made["word-spaced"].query == "ทีม KM ส่ง leave form ภายใน 3 วัน / ครั้ง"
    assert made["typo:wrong-layout"].query == "mu, KM lj' leave form 4kp.o 3 ;yo/8iyh'"  # Latin and digits stay
    assert made["letter-names"].query == "ทีม เคเอ็ม ส่ง leave form ภายใน 3 วัน/ครั้ง"  # English stays
    assert made["stretched"].query == "ทีมมมม KM ส่ง leave form ภายใน 3 วัน/ครั้ง"
    assert made["typo:ai-vowel"].query == "ทีม KM ส่ง leave form ภายไน 3 วัน/ครั้ง"
    assert all(j.relevant == ("km-plan",) for j in made.values())
    other = {j.kind: j.query for j in variant_judgements(asked, sample_kb.segmenter.tokens) if j.id.startswith("v2")}
    assert list(other) == ["particle", "spaced-particle", "chat-particle", "framed", "word-spaced", "stretched",
                           "typo:wrong-layout", "typo:layout-toggled"]  # no space to take out, no abbreviation, no ai
    assert other["stretched"] == "ราคาทองงงงวันนี้"  # ราคา ends in a vowel: the first word ending in a letter
    assert other["typo:layout-toggled"] == "ราคาทอง;yoouh"  # from the middle word on
    assert not [j for j in variant_judgements(asked, sample_kb.segmenter.tokens) if j.id.startswith("v3")]


@pytest.mark.parametrize(("text", "says"), [
    ("a: [\n", "cannot read the query file"),
    ("x: 1\n", "expected a YAML list of queries, got dict"),
    ("- {q: ลาป่วย, expect: medical}\n", "entry 1: expected {q, expect: [slug, …], kind}"),  # a string, not a list
    ("- {id: m1, query: ลาป่วย}\n", "entry 1: expected"),
    (b"\xff\xfe", "cannot read the query file"),
    (None, "cannot read the query file"),  # no such file
])
def test_a_bad_query_file_is_an_error_naming_the_file_not_a_traceback(tmp_path, capsys, text, says):
    folder = _assets(tmp_path)
    queries = tmp_path / "queries.yaml"
    if isinstance(text, bytes):
        queries.write_bytes(text)
    elif text is not None:
        queries.write_text(text, encoding="utf-8")
    flags = ["--knowledge", str(folder), "--index", str(tmp_path / "index")]
    assert main([*flags, "eval", str(queries), "--no-baseline"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ข้อผิดพลาด: {queries}: ") and says in err
