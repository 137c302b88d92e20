"""Faults the site must survive: a build killed half-way, a deleted or corrupted index, a full disk.

A failed write while editing an asset is already covered by
test_publish.py::test_a_failed_write_leaves_the_old_file_intact_and_keeps_the_typing
(ENOSPC on the rename); here the other write paths and the other ways a disk fails.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, app_config, make_settings
from publish_support import read_form
from test_publish import snapshot

from app import create_app
from app.publish.views import STORE_FAILED
from indexer import KnowledgeBase, SearchRequest

KILL_TIMEOUT = 120.0


def slugs(kb: KnowledgeBase, q: str = "") -> list[str]:
    return [h.slug for h in kb.search(SearchRequest(q=q, per_page=50)).hits]


def builds(index_dir: Path) -> set[str]:
    return {p.name for p in (index_dir / "builds").iterdir()}


def build_command(knowledge: Path, index: Path) -> list[str]:
    """`python -m indexer build` with two segmentation workers (the parallel build path); the
    passages are left to the site (--words-only): these tests are about the word index."""
    return [sys.executable, "-m", "indexer", "--knowledge", str(knowledge), "--index", str(index),
            "build", "--quiet", "--workers", "2", "--words-only"]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("KM_")}


# -- kill -9 during a full rebuild -------------------------------------------------------------
@pytest.mark.slow
def test_kill_9_during_a_full_rebuild_keeps_the_old_index_and_the_next_build_succeeds(kb, knowledge_dir):
    sys.path.insert(0, str(REPO))
    from bench.generate import generate

    index_dir = kb.settings.index_dir
    old_target = os.readlink(index_dir / "current")
    generate(knowledge_dir / "generated", 300, seed=7)

    build = subprocess.Popen(build_command(knowledge_dir, index_dir), cwd=REPO, env=clean_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + KILL_TIMEOUT
        # Kill once the new build folder has Whoosh files in it: the build is really half-way.
        while not any(any(d.iterdir()) for d in (index_dir / "builds").iterdir() if d.name not in old_target):
            assert build.poll() is None, f"the build finished before it could be killed:\n{build.stdout.read()}"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.05)
        os.killpg(build.pid, signal.SIGKILL)  # the build and its segmentation workers, like an OOM kill
        build.wait(timeout=30)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait(timeout=30)
        build.stdout.close()
    assert build.returncode == -signal.SIGKILL
    half_built = {name for name in builds(index_dir) if name not in old_target}
    assert len(half_built) == 1

    # The previous index is still the live one, opens, answers, and its write lock is free.
    assert os.readlink(index_dir / "current") == old_target
    survivor = KnowledgeBase(kb.settings)
    assert survivor.store.is_compatible()
    assert slugs(survivor, "ลาป่วย")[:1] == ["sick-leave"]
    assert survivor.update(only=[knowledge_dir / "palad" / "sick-leave.md"]).indexed == 0  # lock not stuck

    # The next build succeeds and serves the 300 new assets too.
    rebuilt = subprocess.run(build_command(knowledge_dir, index_dir), cwd=REPO, env=clean_env(), capture_output=True,
                             text=True, timeout=KILL_TIMEOUT)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "จัดทำดัชนี 303 เรื่อง" in rebuilt.stdout
    fresh = KnowledgeBase(kb.settings)
    assert os.readlink(index_dir / "current") != old_target
    assert fresh.search(SearchRequest()).total == 303
    assert "sick-leave" in slugs(fresh, "การลาป่วยของพนักงานเทศบาล")
    # Half-built folders do not pile up: old builds are pruned to one spare after every build.
    assert len(builds(index_dir)) <= 2


# -- a deleted or corrupted index --------------------------------------------------------------
@pytest.fixture
def site(tmp_path, knowledge_dir):
    application = create_app(app_config(tmp_path, knowledge_dir))
    yield application
    application.extensions["km"].stop()


def test_index_deleted_while_running_is_rebuilt_on_the_next_request(site, caplog):
    client = site.test_client()
    assert "การลาป่วยของพนักงานเทศบาล" in client.get("/search?q=ลาป่วย").get_data(as_text=True)
    import shutil

    shutil.rmtree(site.extensions["km"].kb.settings.index_dir)
    with caplog.at_level(logging.WARNING):
        response = client.get("/search?q=ลาป่วย")
    assert response.status_code == 200
    assert "การลาป่วยของพนักงานเทศบาล" in response.get_data(as_text=True)
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("search index unusable (index folder ") and "has no usable build): rebuilding it from "
               in m for m in messages), messages
    assert any(m.startswith("search index rebuilt: 3 assets in ") for m in messages), messages
    assert client.get("/assets/sick-leave").status_code == 200
    assert client.get("/api/search?q=ร้องทุกข์").get_json()["results"][0]["slug"] == "complaint"


def test_current_link_to_a_vanished_build_is_rebuilt_on_the_next_request(site, caplog):
    kb = site.extensions["km"].kb
    client = site.test_client()
    assert client.get("/assets/complaint").status_code == 200
    import shutil

    shutil.rmtree(kb.store.current_path())  # `current` now points nowhere
    with caplog.at_level(logging.WARNING):
        assert client.get("/assets/complaint").status_code == 200
    assert any("has no usable build): rebuilding it from" in r.getMessage() for r in caplog.records)
    assert kb.store.is_compatible()


def test_corrupt_index_state_while_running_is_rebuilt_and_the_request_retried(site, caplog):
    kb = site.extensions["km"].kb
    client = site.test_client()
    (kb.store.current_path() / "state.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        response = client.get("/assets/sick-leave?from=ค้นหา")
    assert response.status_code == 307  # served again once the index is rebuilt
    assert response.headers["Location"] == "/assets/sick-leave?from=%E0%B8%84%E0%B9%89%E0%B8%99%E0%B8%AB%E0%B8%B2"
    assert any(r.getMessage().startswith("search index unusable (JSONDecodeError while reading the index): "
                                         "rebuilding it from ") for r in caplog.records)
    assert client.get(response.headers["Location"]).status_code == 200


def test_corrupt_index_state_on_the_api_gets_json_after_the_retry(site):
    kb = site.extensions["km"].kb
    client = site.test_client()
    (kb.store.current_path() / "state.json").write_bytes(b"\x00" * 64)
    response = client.get("/api/assets/sick-leave", follow_redirects=True)
    assert response.status_code == 200
    assert response.get_json()["slug"] == "sick-leave"


def test_corrupt_index_found_at_start_is_rebuilt_with_a_log_line(tmp_path, knowledge_dir, caplog):
    kb = KnowledgeBase(make_settings(tmp_path, knowledge_dir))
    kb.build()
    current = kb.store.current_path()
    for name in os.listdir(current):
        if name.endswith(".seg") or name.startswith("_MAIN"):
            (current / name).write_bytes(b"garbage")
    with caplog.at_level(logging.WARNING):
        application = create_app(app_config(tmp_path, knowledge_dir))
    try:
        messages = [r.getMessage() for r in caplog.records]
        assert f"search index at {tmp_path / 'index'} is missing or out of date: rebuilding from {knowledge_dir}" \
            in messages
        assert application.test_client().get("/api/search?q=จัดซื้อ").get_json()["total"] == 1
    finally:
        application.extensions["km"].stop()


def test_no_rebuild_on_request_when_builds_are_switched_off(tmp_path, knowledge_dir):
    KnowledgeBase(make_settings(tmp_path, knowledge_dir)).build()
    application = create_app(app_config(tmp_path, knowledge_dir, KM_BUILD_ON_START=False))
    try:
        import shutil

        shutil.rmtree(tmp_path / "index")
        client = application.test_client()
        response = client.get("/api/search?q=ลา")
        assert response.status_code == 503 and "python -m indexer build" in response.get_json()["reason"]
        page = client.get("/search?q=ลา")  # said as it is, not as a fault "the team was told of"
        assert page.status_code == 503 and "python -m indexer build" in page.get_data(as_text=True)
        assert not (tmp_path / "index" / "current").exists()
    finally:
        application.extensions["km"].stop()


def test_a_search_engine_recovers_once_the_index_is_back(kb):
    import shutil

    from indexer import IndexUnavailable

    assert slugs(kb, "ลาป่วย")[:1] == ["sick-leave"]
    shutil.rmtree(kb.settings.index_dir)
    with pytest.raises(IndexUnavailable):
        kb.search(SearchRequest(q="ลาป่วย"))
    kb.build()
    assert slugs(kb, "ลาป่วย")[:1] == ["sick-leave"]


# -- disk full / permission denied while saving --------------------------------------------------
def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def eacces(*args, **kwargs):
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))


def test_disk_full_while_writing_a_new_asset_leaves_nothing_behind(editor_client, knowledge_dir, monkeypatch):
    before = snapshot(knowledge_dir)
    values = read_form(editor_client.get("/publish/new").get_data(as_text=True))
    values.update(title="ระเบียบใหม่", slug="new-rule", department="palad", km_stage="codification",
                  body="เนื้อหาที่ยังบันทึกไม่สำเร็จ")
    real_fdopen = os.fdopen

    class FullDisk:
        """A file whose write fails half-way, as on a full disk."""

        def __init__(self, fd, *args, **kwargs):
            self.handle = real_fdopen(fd, *args, **kwargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[:10])
            enospc()

    monkeypatch.setattr("indexer.files.os.fdopen", FullDisk)
    response = editor_client.post("/publish/new", data=values)
    monkeypatch.undo()
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "บันทึกไม่สำเร็จเพราะเขียนไฟล์ไม่ได้ (No space left on device) ไฟล์เดิมยังอยู่ครบ" in page
    assert "เนื้อหาที่ยังบันทึกไม่สำเร็จ" in page  # what was typed is still in the form
    assert snapshot(knowledge_dir) == before  # no new file, no temp file


def test_permission_denied_while_editing_keeps_the_original(editor_client, knowledge_dir, monkeypatch):
    # CI runs as root, for whom a chmod 555 folder does not stop a write, so EACCES is simulated.
    path = knowledge_dir / "palad" / "sick-leave.md"
    before = snapshot(knowledge_dir)
    values = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    values["title"] = "ชื่อใหม่ที่เขียนไม่ได้"
    monkeypatch.setattr("indexer.files.os.open", eacces)
    response = editor_client.post("/publish/sick-leave/edit", data=values)
    monkeypatch.undo()
    assert response.status_code == 500
    assert "บันทึกไม่สำเร็จเพราะเขียนไฟล์ไม่ได้ (Permission denied) ไฟล์เดิมยังอยู่ครบ" in response.get_data(as_text=True)
    assert snapshot(knowledge_dir) == before
    assert "การลาป่วยของพนักงานเทศบาล" in path.read_text(encoding="utf-8")


def test_revision_database_full_while_editing_is_a_clear_error(app, editor_client, knowledge_dir, monkeypatch):
    import sqlite3

    from app import revisions

    before = snapshot(knowledge_dir)
    values = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    values["body"] = "ฉบับที่ฐานข้อมูลเต็ม"

    def database_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(revisions, "add", database_full)
    response = editor_client.post("/publish/sick-leave/edit", data=values)
    monkeypatch.undo()
    assert response.status_code == 500
    assert "บันทึกไม่สำเร็จเพราะเขียนไฟล์ไม่ได้ (database or disk is full) ไฟล์เดิมยังอยู่ครบ" in \
        response.get_data(as_text=True)
    assert snapshot(knowledge_dir) == before


@pytest.mark.parametrize("action", ["retire", "disseminate", "attach"])
@pytest.mark.parametrize("fault", [enospc, eacces], ids=["disk-full", "permission-denied"])
def test_other_publishing_actions_report_a_failed_write_in_thai(editor_client, knowledge_dir, monkeypatch, action,
                                                                fault):
    before = snapshot(knowledge_dir)
    page = editor_client.get(f"/publish/sick-leave/{'attachments' if action == 'attach' else action}")
    token = read_form(page.get_data(as_text=True), editor=False)["csrf_token"]
    monkeypatch.setattr("indexer.files.os.replace", fault)
    if action == "attach":
        import io

        from test_attachments import thai_pdf

        response = editor_client.post("/publish/sick-leave/attachments", content_type="multipart/form-data",
                                      data={"csrf_token": token, "file": (io.BytesIO(thai_pdf("ทดสอบ")), "a.pdf")})
    else:
        response = editor_client.post(f"/publish/sick-leave/{action}",
                                      data={"csrf_token": token, "channel": "website", "date": "2025-02-01"})
    monkeypatch.undo()
    reason = "No space left on device" if fault is enospc else "Permission denied"
    assert response.status_code == 500
    assert STORE_FAILED.format(reason=reason) in response.get_data(as_text=True)
    assert snapshot(knowledge_dir) == before

