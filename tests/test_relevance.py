"""Relevance on the shipped sample content: MRR@10 over real employee queries, by kind."""

from pathlib import Path

from indexer.search.evaluation import evaluate, load_queries, mrr, report

QUERIES = Path(__file__).parent / "relevance" / "regression.yaml"


def test_relevance_queries_cover_every_kind_and_name_real_assets(sample_kb):
    entries = load_queries(QUERIES)
    kinds = {e["kind"] for e in entries}
    assert {"plain", "question", "digits", "acronym", "typo", "compound", "synonym"} <= kinds
    assert len(entries) >= 30
    indexed = {p.stem for p in sample_kb.settings.knowledge_dir.rglob("*.md")}
    missing = {slug for e in entries for slug in e["expect"]} - indexed
    assert not missing, f"expected slugs that are not assets: {sorted(missing)}"


def test_mrr_at_10_is_at_least_0_9(sample_kb):
    outcomes = evaluate(sample_kb, load_queries(QUERIES))
    print("\n" + report(outcomes))
    assert mrr(outcomes) >= 0.9, report(outcomes)


def test_every_kind_reaches_0_8(sample_kb):
    outcomes = evaluate(sample_kb, load_queries(QUERIES))
    for kind in {o.kind for o in outcomes}:
        group = [o for o in outcomes if o.kind == kind]
        assert mrr(group) >= 0.8, f"{kind}: {mrr(group):.3f}\n{report(group)}"
