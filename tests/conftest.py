"""Shared fixtures: a knowledge folder written by a helper, a built index, the app and clients."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from publish_support import login, make_user

from indexer import KnowledgeBase, Settings

REPO = Path(__file__).resolve().parent.parent
SAMPLE_KNOWLEDGE = REPO / "knowledge"


def write_asset(folder: Path, rel: str, *, title: str = "การลาป่วย", department: str = "palad",
                km_stage: str = "codification", body: str = "## ขั้นตอน\n\n1. ยื่นใบลาป่วย\n",
                raw_front_matter: str | None = None, **fields: Any) -> Path:
    """Write one asset file under `folder` and return its path.

    Fields given as keyword arguments are dumped as YAML; pass `raw_front_matter`
    to write the YAML exactly as given (for testing bad input).
    """
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if raw_front_matter is None:
        meta = {"title": title, "department": department, "km_stage": km_stage, **fields}
        meta = {k: v for k, v in meta.items() if v is not None}
        raw_front_matter = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text("---\n" + textwrap.dedent(raw_front_matter).strip("\n") + "\n---\n" + body, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """Tests never see the developer's KM_* settings."""
    for name in list(os.environ):
        if name.startswith("KM_"):
            monkeypatch.delenv(name)


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A small knowledge folder with three valid assets."""
    folder = tmp_path / "knowledge"
    write_asset(folder, "palad/sick-leave.md", title="การลาป่วยของพนักงานเทศบาล", asset_type="procedure",
                tags=["การลา", "ลาป่วย"], published="2025-01-15",
                dissemination=[{"channel": "website", "date": "2025-01-20", "ref": "เว็บไซต์"}],
                body="## ขั้นตอน\n\nยื่นใบลาป่วยภายในวันที่กลับมาทำงาน ลาป่วยตั้งแต่ 30 วันต้องมีใบรับรองแพทย์\n")
    write_asset(folder, "finance/procurement-checklist.md", title="แบบตรวจสอบการจัดซื้อจัดจ้าง", department="finance",
                km_stage="organization", asset_type="checklist", published="2024-10-01",
                body="## รายการตรวจ\n\n| ข้อ | รายการ |\n|---|---|\n| 1 | ตรวจราคากลาง |\n")
    write_asset(folder, "palad/complaint.md", title="การร้องทุกข์", km_stage="sharing", published="2024-09-30",
                body="คณะกรรมการพิจารณาเพื่อให้ความเป็นธรรมแก่พนักงาน ตามคำสั่งที่ ๙๕๑/๒๕๖๗\n")
    return folder


def make_settings(tmp_path: Path, knowledge: Path) -> Settings:
    return Settings.from_env({}, knowledge_dir=knowledge, index_dir=tmp_path / "index",
                             instance_dir=tmp_path / "instance", build_workers=1, semantic=False)


@contextmanager
def built_kb(tmp_path: Path, knowledge: Path) -> Iterator[KnowledgeBase]:
    """A knowledge base over `knowledge` with its index built, closed on leaving the block."""
    base = KnowledgeBase(make_settings(tmp_path, knowledge))
    base.build()
    try:
        yield base
    finally:
        base.close()


@contextmanager
def kb_with_a_draft(tmp_path: Path, word: str) -> Iterator[KnowledgeBase]:
    """A built knowledge base of one published asset (sick leave) and one draft that alone
    holds `word`: whatever a draft holds must never reach a reader."""
    folder = tmp_path / "knowledge"
    write_asset(folder, "palad/sick.md", title="การลาป่วย", tags=["ลาป่วย"], body="ยื่นใบลาป่วยภายในสามวัน\n")
    write_asset(folder, "palad/draft.md", title=f"ระเบียบ {word}", tags=[word], status="draft",
                body=f"{word} ยังไม่ประกาศใช้\n")
    with built_kb(tmp_path, folder) as kb:
        yield kb


@pytest.fixture
def settings(tmp_path: Path, knowledge_dir: Path) -> Settings:
    return make_settings(tmp_path, knowledge_dir)


@pytest.fixture
def kb(settings: Settings) -> KnowledgeBase:
    """A knowledge base over `knowledge_dir` with its index built."""
    base = KnowledgeBase(settings)
    base.build()
    yield base
    base.close()


def app_config(tmp_path: Path, knowledge: Path, **extra: Any) -> dict:
    config = {
        "TESTING": True,
        "KM_KNOWLEDGE_DIR": str(knowledge),
        "KM_INDEX_DIR": str(tmp_path / "index"),
        "KM_INSTANCE_DIR": str(tmp_path / "instance"),
        "KM_WATCH_INTERVAL": 0,
        "KM_SECRET_KEY": "test-secret-key-of-at-least-32-characters",
        # the semantic model takes seconds to load: its own tests (test_semantic.py) turn it on
        "KM_SEMANTIC": False,
    }
    config.update(extra)
    return config


@pytest.fixture
def app(tmp_path: Path, knowledge_dir: Path):
    from app import create_app

    application = create_app(app_config(tmp_path, knowledge_dir))
    yield application
    application.extensions["km"].stop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def sample_kb(tmp_path_factory) -> KnowledgeBase:
    """The shipped knowledge/ folder, indexed once per test session into a temp folder."""
    tmp = tmp_path_factory.mktemp("sample")
    base = KnowledgeBase(make_settings(tmp, SAMPLE_KNOWLEDGE))
    base.build()
    yield base
    base.close()


RELEVANCE = REPO / "tests" / "relevance"


def _hybrid_kb(tmp, folders: list[Path], vectors_from: Path | None = None) -> KnowledgeBase:
    """A knowledge base over copies of `folders` with semantic search on and every passage encoded;
    `vectors_from` seeds its vector cache (vectors are keyed by content, so any copy is valid)."""
    import shutil

    knowledge = tmp / "knowledge"
    for folder in folders:
        shutil.copytree(folder, knowledge / folder.name, dirs_exist_ok=True)
    settings = make_settings(tmp, knowledge).with_overrides(semantic=True)
    if vectors_from is not None and vectors_from.is_file():
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(vectors_from, settings.index_dir / "vectors.sqlite3")
    base = KnowledgeBase(settings)
    base.build()
    base.encode_passages()
    return base


@pytest.fixture(scope="session")
def hybrid_sample_kb(tmp_path_factory) -> KnowledgeBase:
    """The shipped sample content with semantic search on, encoded once per test session."""
    base = _hybrid_kb(tmp_path_factory.mktemp("hybrid-sample"), [SAMPLE_KNOWLEDGE])
    yield base
    base.close()


@pytest.fixture(scope="session")
def hybrid_plan_kb(tmp_path_factory, hybrid_sample_kb) -> KnowledgeBase:
    """The sample content plus the 40 blind KM-plan sections (tests/relevance/plan_sections)."""
    base = _hybrid_kb(tmp_path_factory.mktemp("hybrid-plan"), [SAMPLE_KNOWLEDGE, RELEVANCE / "plan_sections"],
                      hybrid_sample_kb.settings.index_dir / "vectors.sqlite3")
    yield base
    base.close()


@pytest.fixture(scope="session")
def hybrid_thaphothong_kb(tmp_path_factory, hybrid_sample_kb) -> KnowledgeBase:
    """The sample content plus another municipality's KM plan in 36 sections, copied out of a PDF
    as real plans are (tests/relevance/plan_sections_thaphothong): misspellings, stray spaces,
    mixed digits, flattened tables, running page headers."""
    base = _hybrid_kb(tmp_path_factory.mktemp("hybrid-thaphothong"),
                      [SAMPLE_KNOWLEDGE, RELEVANCE / "plan_sections_thaphothong"],
                      hybrid_sample_kb.settings.index_dir / "vectors.sqlite3")
    yield base
    base.close()


@pytest.fixture(scope="session")
def hybrid_nongbua_kb(tmp_path_factory, hybrid_sample_kb) -> KnowledgeBase:
    """The sample content plus a third municipality's KM plan in 34 sections, written on 2026-12-07
    in the style of a plan copied out of a PDF (tests/relevance/plan_sections_nongbua)."""
    base = _hybrid_kb(tmp_path_factory.mktemp("hybrid-nongbua"),
                      [SAMPLE_KNOWLEDGE, RELEVANCE / "plan_sections_nongbua"],
                      hybrid_sample_kb.settings.index_dir / "vectors.sqlite3")
    yield base
    base.close()


@pytest.fixture(scope="session")
def sample_app(sample_kb: KnowledgeBase):
    """The site over the shipped sample content (read-only tests only)."""
    from app import create_app

    settings = sample_kb.settings
    application = create_app(app_config(settings.instance_dir.parent, settings.knowledge_dir))
    yield application
    application.extensions["km"].stop()


@pytest.fixture
def sample_client(sample_app):
    return sample_app.test_client()


@pytest.fixture
def live_server(app):
    """Base URL of the `app` fixture served over loopback (for browser tests)."""
    from browser_support import serve

    with serve(app) as url:
        yield url


@pytest.fixture
def sample_live_server(sample_app):
    """Base URL of the site over the shipped sample content."""
    from browser_support import serve

    with serve(sample_app) as url:
        yield url


@pytest.fixture
def browser():
    """A Selenium driver for Debian's headless Chromium."""
    from browser_support import chromium

    with chromium() as driver:
        yield driver


# -- signed-in clients (accounts made directly in the site database) ---------------------
@pytest.fixture
def editor_client(app):
    make_user(app, "somchai", "editor")
    client = app.test_client()
    assert login(client, "somchai").status_code == 302
    return client


@pytest.fixture
def admin_client(app):
    make_user(app, "admin", "admin")
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    return client


@pytest.fixture
def reader_client(app):
    make_user(app, "reader", "reader")
    client = app.test_client()
    assert login(client, "reader").status_code == 302
    return client
