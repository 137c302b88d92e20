"""Property-based fuzzing (hypothesis) of everything that reads untrusted text.

Targets and the property each must hold for every input:
- indexer.querying.parse_query and KnowledgeBase.search: never raise; bounded output;
- GET /api/search with any parameters: 200 or 400, always JSON, never 500;
- GET /search with any parameters: 200 or 400, always the site's HTML page;
- indexer.loader.parse_asset: returns an Asset or raises AssetInvalid, nothing else.

Derandomised (a fixed sequence of inputs per run) so CI never flakes; the examples
per target are set in EXAMPLES and add up to several thousand inputs.
"""

from __future__ import annotations

import datetime as dt
import string

import pytest
import yaml
from conftest import app_config, make_settings, write_asset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from indexer import KnowledgeBase, SearchRequest
from indexer.content.asset import Asset
from indexer.content.loader import AssetInvalid, parse_asset
from indexer.search.query import MAX_QUERY_CHARS, parse_query
from indexer.content.schema import FIELDS
from indexer.search.requests import MAX_PER_PAGE

EXAMPLES = {"parse_query": 2000, "search": 800, "api": 1500, "page": 600, "front_matter": 2000, "file": 1500}
FUZZ = dict(deadline=None, derandomize=True, database=None, print_blob=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                   HealthCheck.data_too_large])

# Thai consonants, vowels and tone marks (combining), Thai digits, operators of other query
# languages, quotes, NUL and other controls, zero-width characters and a few scripts more.
THAI = [chr(c) for c in range(0x0E01, 0x0E5C) if chr(c).isprintable()]
ODD = list('"\'*?~^:()[]{}+-!&|/\\<>=%#@$') + ["AND", "OR", "NOT", "\x00", "\t", "\n", "\r", "\u200b",
                                               "\u200c", "\ufeff", "\u0301", "é", "Ω", "中", "🙂", " "]
QUERY_TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(THAI + ODD + list(string.ascii_letters + string.digits)), max_size=120).map("".join),
    st.lists(st.sampled_from(["ลาป่วย", "การลา", "ภาษี", "๙๕๑/๒๕๖๗", "951/2567", "km", "ไหม", "อย่างไร", " ", "ๆ",
                              "\u0e31", "\u0e48"]), max_size=40).map("".join),
)
PARAMS = ("q", "department", "km_stage", "asset_type", "tag", "fy", "sort", "page", "per_page", "as_typed")
GOOD_VALUES = ["palad", "finance", "กองคลัง", "codification", "procedure", "relevance", "newest", "2568", "2025",
               "๒๕๖๘", "1", "50", "51", "0", "-1", "1000", "1001", "true", "๑", "99999999999999999999"]
PARAM_DICT = st.dictionaries(
    st.one_of(st.sampled_from(PARAMS), st.text(max_size=8)),
    st.one_of(st.sampled_from(GOOD_VALUES), st.text(max_size=60), QUERY_TEXT), max_size=6)


@pytest.fixture(scope="module")
def fuzz_knowledge(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    folder = root / "knowledge"
    write_asset(folder, "palad/sick-leave.md", title="การลาป่วยของพนักงานเทศบาล", tags=["การลา", "ลาป่วย"],
                published="2025-01-15", asset_type="procedure",
                body="## ขั้นตอน\n\nยื่นใบลาป่วย ตามคำสั่งที่ ๙๕๑/๒๕๖๗ <b>ตัวหนา</b>\n")
    write_asset(folder, "finance/signboard-tax.md", title="ภาษีป้าย", department="finance", published="2024-10-01",
                body="ยื่นแบบ ภ.ป.1 ภายในเดือนมีนาคม KM 2568\n")
    write_asset(folder, "palad/draft-note.md", title="ร่างบันทึก", status="draft", body="ร่าง\n")
    return root, folder


@pytest.fixture(scope="module")
def fuzz_kb(fuzz_knowledge) -> KnowledgeBase:
    root, folder = fuzz_knowledge
    base = KnowledgeBase(make_settings(root, folder))
    base.build()
    return base


@pytest.fixture(scope="module")
def fuzz_client(fuzz_knowledge, fuzz_kb):
    root, folder = fuzz_knowledge
    application = create_app(app_config(root, folder))
    yield application.test_client()
    application.extensions["km"].stop()


@settings(max_examples=EXAMPLES["parse_query"], **FUZZ)
@given(raw=QUERY_TEXT)
def test_parse_query_accepts_any_text(fuzz_kb, raw):
    parsed = parse_query(raw, fuzz_kb.segmenter, fuzz_kb.glossary)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    if parsed.query is None:
        assert not parsed.concepts and not parsed.highlight_terms
    assert all(isinstance(term, str) for term in parsed.highlight_terms)


@settings(max_examples=EXAMPLES["search"], **FUZZ)
@given(raw=QUERY_TEXT, sort=st.sampled_from(["relevance", "newest"]), per_page=st.integers(1, MAX_PER_PAGE))
def test_search_answers_any_text(fuzz_kb, raw, sort, per_page):
    response = fuzz_kb.search(SearchRequest(q=raw, sort=sort, per_page=per_page))
    assert 0 <= len(response.hits) <= min(per_page, response.total)
    assert response.total <= 2  # the draft never shows up
    assert all(hit.slug in ("sick-leave", "signboard-tax") for hit in response.hits)


@settings(max_examples=EXAMPLES["api"], **FUZZ)
@given(params=PARAM_DICT)
def test_search_api_is_200_or_400_with_json_for_any_parameters(fuzz_client, params):
    response = fuzz_client.get("/api/search", query_string=params)
    assert response.status_code in (200, 400), (params, response.get_data(as_text=True)[:500])
    body = response.get_json()
    if response.status_code == 200:
        assert set(body) >= {"query", "total", "results", "facets"}
        assert len(body["results"]) <= body["per_page"] <= MAX_PER_PAGE
    else:  # the reason names the parameter at fault
        assert body["reason"].split(":")[0] in PARAMS, body


@settings(max_examples=EXAMPLES["page"], **FUZZ)
@given(params=PARAM_DICT)
def test_search_page_is_200_or_400_for_any_parameters(fuzz_client, params):
    response = fuzz_client.get("/search", query_string=params)
    assert response.status_code in (200, 400), (params, response.get_data(as_text=True)[:500])
    page = response.get_data(as_text=True)
    assert page.startswith("<!doctype html>") and '<html lang="th">' in page
    assert "ขออภัย ระบบขัดข้อง" not in page


# -- front matter --------------------------------------------------------------------------------
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(GOOD_VALUES + ["website", "2568-02-30"]))
YAML_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                           max_leaves=12)
FIELD_NAMES = [spec.name for spec in FIELDS]
VALID = {"title": "การลาป่วย", "department": "palad", "km_stage": "codification"}
RANDOM_FIELDS = st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=12)), YAML_VALUES, max_size=10)
# Half start from a valid asset with some fields changed, so the converters of every field are reached.
FRONT_MATTER = st.one_of(RANDOM_FIELDS, RANDOM_FIELDS.map(lambda changed: {**VALID, **changed}))
REL = st.sampled_from(["palad/sick-leave.md", "x/ไทย.md", "a/..md", "a/bad name.md", "a/-x.md"])


def check_parse(text: str, rel: str, vocab) -> None:
    try:
        asset = parse_asset(text, rel, vocab)
    except AssetInvalid as exc:
        assert exc.problems and all(p.path == rel for p in exc.problems)
        assert any(p.severity == "error" for p in exc.problems)
    else:
        assert isinstance(asset, Asset) and asset.title and asset.slug == rel.rsplit("/", 1)[-1][:-3]


@settings(max_examples=EXAMPLES["front_matter"], **FUZZ)
@given(meta=FRONT_MATTER, body=st.text(max_size=60), rel=REL)
def test_any_yaml_front_matter_is_an_asset_or_a_reported_problem(fuzz_kb, meta, body, rel):
    try:
        raw = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return  # not representable as YAML at all: nothing a file could hold
    check_parse("---\n" + raw + "---\n" + body, rel, fuzz_kb.vocab)


@settings(max_examples=EXAMPLES["file"], **FUZZ)
@given(head=st.text(max_size=200), body=st.text(max_size=40),
       opening=st.sampled_from(["---\n", "\ufeff---\n", "---\r\n", "--- \n", ""]),
       closing=st.sampled_from(["\n---\n", "\r\n---\r\n", "\n---", "\n...\n", ""]))
def test_any_file_text_is_an_asset_or_a_reported_problem(fuzz_kb, head, body, opening, closing):
    check_parse(opening + head + closing + body, "palad/sick-leave.md", fuzz_kb.vocab)
