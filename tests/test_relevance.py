"""Relevance gates. The blind sets were written by someone who never saw the engine, from the
assets alone; they are frozen, and split into dev (tuned on) and test (asserted here).

- blind_sample.yaml: 210 queries over the shipped sample assets (every kind readers type).
- blind_plan.yaml: 60 queries over 40 KM-plan sections written blind (plan_sections/), with
  the sample assets as distractors.
- blind_plan2.yaml and blind_plan3.yaml: 90 and 64 more queries over the same sections, each
  written blind on 2026-12-03 by another hand, more of them paraphrases, long situations and
  mixed Thai/English. When they came, the FTS5 peer scored higher than this engine on their
  test splits (0.632 against 0.572, 0.631 against 0.575 MRR@10); at the fourth stop of
  2026-12-03 it was 0.632 against 0.626 and 0.631 against 0.652, and with multilingual-e5-small
  for the meaning (sixth session) 0.632 against 0.661 and 0.631 against 0.732. That comparison
  is not asserted.
- blind_plan4.yaml: 48 more, all test, written blind on 2026-12-04 when the engine had been
  tuned for ten sessions on the dev splits of the others: a measure nothing was fitted to.
  Measured once: words only 0.682, hybrid 0.711, FTS5 0.661 MRR@10, and one correctly
  spelled query suggested (channel → change), which the English word list then ended.
- blind_plan5.yaml: 64 more, half dev and half test, written blind on 2026-12-04 (twelfth
  session) after set 4 showed English-mixed questions at 0.49: 14 English-mixed, 14
  paraphrases, 12 long situations, a quarter of them answered by a sample asset. Its test
  split, measured once before anything was tuned on its dev split: words only 0.674, hybrid
  0.745, FTS5 0.615 MRR@10 (recall 0.875 / 0.844 / 0.781).
- blind_plan6.yaml: 72 more over another municipality's plan (plan_sections_thaphothong/, 36
  sections written by one helper in the style of text copied out of a real plan's PDF:
  misspellings, stray spaces, mixed digits, flattened tables, page headers), the queries by a
  second helper who saw only those sections, DOMAIN.md and the sample assets (2026-12-04,
  thirteenth session). On text nobody had tuned for, its test split measured once before any
  change: words only 0.698, hybrid 0.727, FTS5 0.752 MRR@10 (recall 0.912 / 0.882 / 0.882),
  and one correctly spelled long question given a correction.
- blind_plan7.yaml: 72 more over a third municipality's plan (plan_sections_nongbua/, 34 sections
  written by one helper as copied out of a PDF), the queries by a second helper who saw only
  those sections, DOMAIN.md and the sample assets (2026-12-07, thirty-second session): every
  section answers at least one. Its test split, measured once before any change: words only
  0.760, hybrid 0.724, FTS5 0.640 MRR@10 (recall 0.853 / 0.912 / 0.824), no correction, no
  empty answer.
- blind_sample7.yaml: 96 more over the shipped sample assets, half dev and half test, written
  blind on 2026-12-05 (twenty-second session) by a helper who saw only DOMAIN.md and the 46
  assets, after 21 sessions of tuning on the dev split of blind_sample.yaml: every kind, 8
  unanswerable questions a municipal employee might ask (overtime pay, a housing allowance, a
  new house number). Measured once before any change: test split words only 1.000, hybrid
  1.000, FTS5 0.872 MRR@10 (recall 1.000 all three), no correction, no empty answer; but of
  its 4 unanswerable test questions the words turned down 1 and the hybrid none (dev 4 and 3).
- blind_noanswer.yaml: 64 questions no asset answers, written blind on 2026-12-05 by a helper
  who read the 46 sample assets and checked each against their text: 32 near misses (other
  leave, a housing allowance, another vaccine), 12 made of two asset words that name another
  thing (ค่า + ไฟ), 8 naming an app or brand (ทางรัฐ, หมอพร้อม), 12 off topic. Measured once:
  share not answered as sure, words only / hybrid / FTS5, dev 0.750 / 0.531 / 0.062, test
  0.719 / 0.562 / 0.062. The meaning turns about a fifth more of them into sure answers.
- spelled_right.yaml: 240 queries spelled as their writers meant, in 12 styles a speller takes
  for typos (northern, Isan and southern words, slang, loanwords, brands, places, people,
  abbreviations, formal Pali words, chat, mixed digits), written on 2026-12-05 by a helper who
  saw no engine. 31 were given a suggestion; with the regional, slang and loanword lexicon
  (data/informal.yaml, written by another helper who saw none of them) 11, and with pythainlp's
  lists of people's names known too, 7.
- spelled_right2.yaml: 160 more, 20 in each of 8 styles (everyday questions, rare formal words,
  places, people, English mixed in, loanwords in Thai letters, letter numbers and amounts,
  regional words and chat), written blind on 2026-12-06 by another helper. Measured once when it
  came: 8 given a suggestion (two were ที่ มท letter numbers, fixed the same day).
- spelled_right3.yaml: 240 more, 15 in each of 16 styles (LINE chat, public health, building,
  finance, laws and circulars, dates and times, job titles, welfare, youth slang, formal requests,
  Chiang Mai places, agency acronyms, KM terms, app and brand names, amounts and units, rare
  correct words), written blind on 2026-12-06 by another helper. Measured once when it came: 2
  given a suggestion, both in the words only search: the agency ก.บ.ท. (dotted letters, fixed the
  same day) and the slang มูฟออน (move on), whose มูฟ became มูล.
- regression.yaml: the 47 queries written with the engine, kept so nothing that worked breaks.
"""

import hashlib
from pathlib import Path

import pytest
import yaml

from indexer import SearchRequest
from indexer.content.loader import iter_asset_files
from indexer.search.baseline import Fts5Baseline
from indexer.search.evaluation import engine_ranker, evaluate, figures, load_queries, mrr, originals, rejected, report
from indexer.search.variants import variant_judgements

HERE = Path(__file__).parent / "relevance"
FROZEN = {  # never edit a judgement to fit a result: write a new file instead
    "blind_sample.yaml": "d322eb05f0db48773c56ea80dc8e6eac173edabc63fafff3854ca6b250ca51b5",
    "blind_plan.yaml": "27f308e77f53c3c1eb22c6c7dc368f2cd4a1e92b985d0af7910c23abc5a44a3c",
    "blind_plan2.yaml": "d49ccf2747581943dcd78c50b409fa23b5c01da599f8207cea30c996878d4b62",
    "blind_plan3.yaml": "7f4d0398b160c276d1a0a45c9efd97beaff134e074c2403aafb7b6a0c1d1fab4",
    "blind_plan4.yaml": "e88b8a311b78077d780874c172e1adbeacc2584be7beac91867b272bcd74fabf",
    "blind_plan5.yaml": "1d888b3b9902539545722262f4012b450f073fe9f19c7c5de59cf6997a249f56",
    "blind_plan6.yaml": "c9050e0420f1816bffcb82eb98b022f84c3a5b8a7e44cce79026fb8e4fc62b66",
    "blind_sample7.yaml": "53d2e73b7c70b8a6010adf853e5d3a154abfef512ee52727519ecb816fdf3460",
    "blind_noanswer.yaml": "8c5c14ef4f9e13a6c42124cc11d2cf8a9cd3b90f99f8ca51aeb9337e766256e6",
    "blind_plan7.yaml": "597f3eaee4242ec0208782aaeaf0174283d0846a43632aa17086fed8217b221f",
}
UNJUDGED = {  # queries with no answer to judge, frozen the same way
    "spelled_right.yaml": "80fb23328a5f107782eb95e8756ac41fe487ebb80f5a3a448a64d307396da994",
    "spelled_right2.yaml": "9620ca0ec03fd217d79d37893207a009d1beed8e7a701f1f0ef5c8608e0dce67",
    "spelled_right3.yaml": "e7ea3db81472ef1f8672e20a118296ab23a9b9260c1530f76ee0a81384a5fcd8",
}


@pytest.mark.parametrize("name", sorted(FROZEN | UNJUDGED))
def test_the_blind_sets_are_frozen(name):
    assert hashlib.sha256((HERE / name).read_bytes()).hexdigest() == (FROZEN | UNJUDGED)[name]


def test_every_judgement_names_a_real_asset():
    assets = {p.stem for p in Path(__file__).parent.parent.joinpath("knowledge").rglob("*.md")}
    assets |= {p.stem for folder in ("plan_sections", "plan_sections_thaphothong", "plan_sections_nongbua")
               for p in (HERE / folder).glob("*.md")}
    for name in ("regression.yaml", *FROZEN):
        judged = {slug for j in load_queries(HERE / name) for slug in (*j.relevant, *j.partial)}
        assert judged <= assets, f"{name}: {sorted(judged - assets)}"


def test_regression_queries_still_rank_first(sample_kb):
    outcomes = evaluate(sample_kb, load_queries(HERE / "regression.yaml"))
    print("\n" + report(outcomes))
    assert mrr(outcomes) >= 0.95, report(outcomes)
    assert all(row.mrr >= 0.8 for row in figures(outcomes)), report(outcomes)


@pytest.mark.slow
def test_blind_sample_test_split(hybrid_sample_kb):
    outcomes = evaluate(hybrid_sample_kb, load_queries(HERE / "blind_sample.yaml", "test"))
    table = {row.kind: row for row in figures(outcomes)}
    print("\n" + report(outcomes))
    everything = table["all"]
    assert everything.mrr >= 0.90 and everything.recall >= 0.97, report(outcomes)
    assert everything.false_corrections == 0 and everything.empty == 0, report(outcomes)
    assert all(row.mrr >= 0.80 for row in table.values()), report(outcomes)  # no-answer: share rejected


@pytest.mark.slow
@pytest.mark.parametrize("name, least_mrr, least_recall", [("blind_plan.yaml", 0.75, 0.85),
                                                          ("blind_plan2.yaml", 0.60, 0.90),
                                                          ("blind_plan3.yaml", 0.68, 0.90),
                                                          ("blind_plan4.yaml", 0.66, 0.95),
                                                          ("blind_plan5.yaml", 0.70, 0.80)])
def test_blind_plan_test_splits(hybrid_plan_kb, name, least_mrr, least_recall):
    outcomes = evaluate(hybrid_plan_kb, load_queries(HERE / name, "test"))
    everything = figures(outcomes)[-1]
    print("\n" + report(outcomes))
    assert everything.mrr >= least_mrr and everything.recall >= least_recall, report(outcomes)
    assert everything.false_corrections == 0 and everything.empty == 0, report(outcomes)


@pytest.mark.parametrize("name, count, most", [("spelled_right.yaml", 240, 1), ("spelled_right2.yaml", 160, 3),
                                               ("spelled_right3.yaml", 240, 1)])
def test_queries_spelled_as_meant_are_seldom_given_a_suggestion(sample_kb, name, count, most):
    """At most what was measured once a word typed apart from a stop word was no longer joined
    to it, loanwords were kept whole, Volubilis' long words were known and a full name after a
    title was left as typed: 1 of 240 and 3 of 160 (ต้อม + กอง cut ต้อ + มกอง, the river แม่กวง); and
    once dotted letters were kept as typed, 1 of the third set's 240 (มูฟออน)."""
    asked = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    suggested = [e["query"] for e in asked
                 if (r := sample_kb.search(SearchRequest(q=str(e["query"]), semantic=False))).suggestion
                 or r.corrected_from]
    assert len(asked) == count and len(suggested) <= most, suggested


@pytest.mark.slow
def test_unanswerable_questions_are_not_answered_as_sure(hybrid_sample_kb):
    """The test split of blind_noanswer.yaml: most are shown as weak results, none is corrected.
    The floors sit one question under the figures measured when the set came (0.719 / 0.562)."""
    asked = load_queries(HERE / "blind_noanswer.yaml", "test")
    assert len(asked) == 32 and not any(j.relevant for j in asked)
    words = evaluate(engine_ranker(hybrid_sample_kb, semantic=False), asked)
    both = evaluate(hybrid_sample_kb, asked)
    assert rejected(words) >= 0.68 and rejected(both) >= 0.53, (report(words), report(both))
    assert not any(o.false_correction for o in (*words, *both)), report(both)


@pytest.mark.slow
@pytest.mark.parametrize("name, kb_fixture, least_mrr, least_recall", [
    ("blind_plan6.yaml", "hybrid_thaphothong_kb", 0.70, 0.85),  # another plan, copied out of a PDF
    ("blind_plan7.yaml", "hybrid_nongbua_kb", 0.68, 0.88),  # a third plan: 0.724 / 0.912 when it came
    ("blind_sample7.yaml", "hybrid_sample_kb", 0.95, 0.97),  # written after blind_sample.yaml was tuned on
])
def test_blind_test_splits_written_later(name, kb_fixture, least_mrr, least_recall, request):
    """Sets written on text, or after tuning, that nothing was fitted to."""
    outcomes = evaluate(request.getfixturevalue(kb_fixture), load_queries(HERE / name, "test"))
    everything = figures(outcomes)[-1]
    print("\n" + report(outcomes))
    assert everything.mrr >= least_mrr and everything.recall >= least_recall, report(outcomes)
    assert everything.false_corrections == 0 and everything.empty == 0, report(outcomes)


@pytest.mark.slow
@pytest.mark.parametrize("name, kb_fixture", [("blind_sample.yaml", "hybrid_sample_kb"),
                                              ("blind_plan.yaml", "hybrid_plan_kb")])
def test_the_engine_beats_the_fts5_baseline(name, kb_fixture, request):
    kb = request.getfixturevalue(kb_fixture)
    judgements = load_queries(HERE / name, "test")
    peer = Fts5Baseline(kb, iter_asset_files(kb.settings.knowledge_dir))
    baseline = mrr(evaluate(peer.rank, judgements))
    peer.close()
    assert mrr(evaluate(kb, judgements)) >= baseline + 0.05


@pytest.mark.slow
@pytest.mark.parametrize("name, kb_fixture", [("blind_sample.yaml", "hybrid_sample_kb"),
                                              ("blind_sample7.yaml", "hybrid_sample_kb"),
                                              ("blind_noanswer.yaml", "hybrid_sample_kb"),
                                              *((f"blind_plan{n}.yaml", "hybrid_plan_kb") for n in ("", 2, 3, 4, 5)),
                                              ("blind_plan6.yaml", "hybrid_thaphothong_kb"),
                                              ("blind_plan7.yaml", "hybrid_nongbua_kb")])
def test_the_test_questions_as_readers_also_type_them(name, kb_fixture, request):
    """Each test question with a polite particle, framed as a request, spaced between words and
    unspaced (variants.py), ranked by words only (the speller does not depend on the meaning):
    still correctly typed, so no suggestion; nothing answerable comes back empty; and the
    answers stay about where they were for the questions as written."""
    kb = request.getfixturevalue(kb_fixture)
    asked = load_queries(HERE / name, "test")
    made = variant_judgements(asked, kb.segmenter.tokens)
    rank = engine_ranker(kb, semantic=False)
    outcomes = evaluate(rank, made)
    everything = figures(outcomes)[-1]
    print("\n" + report(outcomes))
    assert everything.false_corrections == 0 and everything.empty == 0, report(outcomes)
    assert everything.mrr >= mrr(evaluate(rank, originals(made, asked))) - 0.03, report(outcomes)
