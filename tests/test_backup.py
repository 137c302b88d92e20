"""`flask km backup` / `flask km restore`: one archive, consistent while saves happen, restored only when intact."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import app_config, write_asset
from publish_support import login, make_user

from app import backup as backup_module
from app.backup import create_backup
from app.db import connect, database_path, get_db
from app.migrations import SCHEMA_VERSION
from app.publish.service import SaveBusy, commit_change, existing_target
from app.restore import RestoreRefused, restore_backup
from indexer import __version__

BOT = {"User-Agent": "curl/8.5"}  # the state readers' own searches are not counted as reader access
QUERIES = ("ลาป่วย", "ใบรับรองแพทย์", "จัดซื้อจัดจ้าง", "ความเป็นธรรม", "บันทึกครั้งที่", "คู่มือ")
SAVERS = 2


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def site(app, knowledge_dir):
    """The test site with two accounts, an attachment, a view and a search: every kind of data a backup holds."""
    from app.attachments import store
    from app.uploads import check_upload

    make_user(app, "somchai", "editor")
    make_user(app, "admin", "admin")
    kb = app.extensions["km"].kb
    with app.app_context():
        store(kb, existing_target(kb, "sick-leave"), check_upload("คู่มือ การลา.png", png_bytes(), 10**6), "somchai")
    client = app.test_client()
    client.get("/assets/sick-leave", headers={"User-Agent": "Mozilla/5.0"})
    client.get("/search?q=ลาป่วย", headers={"User-Agent": "Mozilla/5.0"})
    return app


def site_state(app) -> dict:
    """What a restore must bring back, as the site shows it: data, search results, indicators, files."""
    client = app.test_client()
    with app.app_context():
        db = get_db()
        tables = {
            "accounts": "SELECT username, display_name, password_hash, role, active, created_at FROM users",
            "revisions": "SELECT slug, rev, path, text, sha256, author, action, created_at FROM revisions",
            "audit": "SELECT id, at, actor, action, slug, detail FROM audit_log",
            "views": "SELECT slug, day, views FROM asset_views",
            "searches": "SELECT query, day, searches, empty FROM search_queries",
        }
        state = {name: sorted(tuple(row) for row in db.execute(sql)) for name, sql in tables.items()}
    state["search"] = {q: client.get(f"/api/search?q={quote(q)}&per_page=50", headers=BOT).get_json() for q in QUERIES}
    state["indicators"] = [client.get(f"/api/indicators{fy}", headers=BOT).get_json() for fy in ("", "?fy=2568")]
    root = app.extensions["km"].kb.settings.knowledge_dir
    state["files"] = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                      for p in sorted(root.rglob("*")) if p.is_file()}
    return state


class Savers:
    """Threads saving assets through the real save path (publish lock, revision, audit, atomic write, re-index)."""

    def __init__(self, app, slugs: tuple[str, ...]):
        self.app, self.slugs = app, slugs
        self.saved = 0
        self.errors: list[BaseException] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(SAVERS)]

    def _run(self, number: int) -> None:
        kb = self.app.extensions["km"].kb
        conn = connect(database_path(self.app))
        try:
            i = 0
            while not self.stop.is_set():
                slug = self.slugs[(number + i) % len(self.slugs)]
                line = f"\nบันทึกครั้งที่ {i} ของผู้บันทึก {number}\n"
                try:
                    result = commit_change(kb, existing_target(kb, slug), lambda text, line=line: text + line,
                                           base_sha=None,
                                           user=f"saver{number}", action="edit", db=conn)
                    assert result.outcome == "saved", result
                    self.saved += 1
                except SaveBusy:
                    pass  # the backup held the lock past the save's patience: the editor would retry
                i += 1
        except BaseException as exc:  # reported by the test, never lost
            self.errors.append(exc)
        finally:
            conn.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def wait_for(self, count: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self.saved < count and not self.errors:
            assert time.monotonic() < deadline, f"only {self.saved} saves in {timeout} s"
            time.sleep(0.02)

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        assert not self.errors, self.errors


def test_a_backup_taken_while_saves_happen_restores_an_equal_site(site, tmp_path, monkeypatch):
    kb = site.extensions["km"].kb
    at_snapshot: dict = {}
    real_copy = backup_module._copy_database

    def copy_and_record(database, copy):
        # Runs under the publish lock, between the file snapshot and the database copy: no save can
        # come between. A fresh build makes the original's index what the restored site will build.
        kb.build()
        at_snapshot.update(site_state(site), saves=savers.saved)
        real_copy(database, copy)

    monkeypatch.setattr(backup_module, "_copy_database", copy_and_record)
    archive = tmp_path / "site.tar.gz"
    with Savers(site, ("sick-leave", "procurement-checklist", "complaint")) as savers:
        savers.wait_for(4)
        result = site.test_cli_runner().invoke(args=["km", "backup", str(archive)])
        assert result.exit_code == 0, result.output
        savers.wait_for(at_snapshot["saves"] + 3)  # saves went on after the snapshot too
    assert "สำรองข้อมูลแล้ว / backup written: " + str(archive) in result.output

    restored_root = tmp_path / "restored"
    result = site.test_cli_runner().invoke(args=["km", "restore", str(archive), "--instance",
                                                 str(restored_root / "instance"), "--knowledge",
                                                 str(restored_root / "knowledge")])
    assert result.exit_code == 0, result.output
    assert f"  KM_INSTANCE_DIR={restored_root / 'instance'}\n  KM_KNOWLEDGE_DIR={restored_root / 'knowledge'}\n" \
        in result.output
    from app import create_app

    restored = create_app(app_config(restored_root, restored_root / "knowledge"))
    try:
        state = site_state(restored)
        at_snapshot.pop("saves")
        assert state == at_snapshot
        assert len(state["revisions"]) > 4 and state["search"]["บันทึกครั้งที่"]["total"] == 3
        assert len(site_state(site)["revisions"]) > len(state["revisions"])  # the original moved on
        assert login(restored.test_client(), "somchai").status_code == 302
    finally:
        restored.extensions["km"].stop()


def _stored_documents(kb) -> list[dict]:
    with kb.store.open().searcher() as searcher:
        return sorted(searcher.all_stored_fields(), key=lambda fields: fields["slug"])


def test_restore_then_rebuild_gives_the_same_index(site, tmp_path):
    from indexer import KnowledgeBase, Settings

    kb = site.extensions["km"].kb
    kb.build()
    archive = create_backup(kb.settings, database_path(site), tmp_path / "b.tar.gz").path
    report = restore_backup(archive, tmp_path / "r" / "instance", tmp_path / "r" / "knowledge")
    restored = KnowledgeBase(Settings.from_env({}, knowledge_dir=report.knowledge_dir,
                                               index_dir=tmp_path / "r" / "index", instance_dir=report.instance_dir))
    restored.build()
    try:
        documents = _stored_documents(restored)
        assert documents == _stored_documents(kb)
        assert len(documents) == 3 and any("คู่มือ-การลา.png" in str(d.values()) for d in documents)
        assert restored.store.read_state().files == kb.store.read_state().files  # same signatures: nothing "changed"
    finally:
        restored.close()


def test_the_archive_holds_a_manifest_with_versions_and_checksums(site, tmp_path):
    kb = site.extensions["km"].kb
    report = create_backup(kb.settings, database_path(site), tmp_path)
    assert report.path.parent == tmp_path and report.path.name.startswith("km-backup-")
    assert report.path.stat().st_mode & 0o777 == 0o600  # it holds password hashes
    assert (report.assets, report.attachments) == (3, 1)
    with tarfile.open(report.path) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("manifest.json").read())
        member = archive.extractfile("knowledge/palad/sick-leave.md").read()
    assert names[-1] == "manifest.json"
    assert {"database/km.sqlite3", "config/vocabulary.yaml", "config/glossary.yaml",
            "knowledge/palad/sick-leave.files/คู่มือ-การลา.png"} <= set(names)
    assert (manifest["format"], manifest["product_version"], manifest["schema_version"]) == (
        "km-backup", __version__, SCHEMA_VERSION)
    entry = next(e for e in manifest["files"] if e["name"] == "knowledge/palad/sick-leave.md")
    assert entry == {"name": "knowledge/palad/sick-leave.md", "size": len(member),
                     "sha256": hashlib.sha256(member).hexdigest()}
    assert sorted(e["name"] for e in manifest["files"]) == sorted(n for n in names if n != "manifest.json")


def test_the_days_reader_marks_stay_out_of_the_backup_and_the_restored_site_counts_views(site, tmp_path):
    """With the salt and marks in a backup, which assets an address and browser read could be recomputed
    (privacy review P5)."""
    from app import create_app

    with site.app_context():
        (salt,) = get_db().execute("SELECT salt FROM daily_salts").fetchone()
        assert get_db().execute("SELECT COUNT(*) FROM reader_marks").fetchone()[0] > 0
    archive = create_backup(site.extensions["km"].kb.settings, database_path(site), tmp_path / "b.tar.gz").path
    with tarfile.open(archive) as opened:
        stored = opened.extractfile("database/km.sqlite3").read()
        names = opened.getnames()
    assert salt.encode() not in stored and "database/km.sqlite3-wal" not in names
    with site.app_context():  # the live site keeps its day's marks
        assert get_db().execute("SELECT salt FROM daily_salts").fetchone()[0] == salt
    root = tmp_path / "r"
    restore_backup(archive, root / "instance", root / "knowledge")
    restored = create_app(app_config(root, root / "knowledge"))
    try:
        with restored.app_context():
            counts = [get_db().execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                      for table in ("daily_salts", "reader_marks")]
            views = get_db().execute("SELECT SUM(views) FROM asset_views WHERE slug = 'sick-leave'").fetchone()[0]
        assert counts == [0, 0] and views == 1
        reader = restored.test_client()
        for _ in range(2):  # one reader, counted once
            assert reader.get("/assets/sick-leave", headers={"User-Agent": "Mozilla/5.0"}).status_code == 200
        with restored.app_context():
            assert get_db().execute("SELECT SUM(views) FROM asset_views WHERE slug = 'sick-leave'").fetchone()[0] == 2
            assert get_db().execute("SELECT COUNT(*) FROM daily_salts").fetchone()[0] == 1
    finally:
        restored.extensions["km"].stop()


def test_backup_never_overwrites_nor_writes_into_the_knowledge_folder(site, tmp_path, knowledge_dir):
    runner = site.test_cli_runner()
    existing = tmp_path / "old.tar.gz"
    existing.write_bytes(b"keep me")
    result = runner.invoke(args=["km", "backup", str(existing)])
    assert result.exit_code == 1
    assert result.output == (f"Error: มีไฟล์ {existing} อยู่แล้ว: เลือกชื่ออื่น (ไม่ได้เขียนทับ) / "
                             f"{existing} exists already: choose another name (nothing was overwritten)\n")
    assert existing.read_bytes() == b"keep me"
    result = runner.invoke(args=["km", "backup", str(knowledge_dir / "b.tar.gz")])
    assert result.exit_code == 1
    assert "do not keep backups inside the knowledge folder" in result.output
    assert not (knowledge_dir / "b.tar.gz").exists()


def test_links_in_the_knowledge_folder_are_skipped_and_named(site, tmp_path, knowledge_dir):
    secret = tmp_path / "secret.txt"
    secret.write_text("ไม่ควรถูกสำรอง")
    (knowledge_dir / "palad" / "link.md").symlink_to(secret)
    result = site.test_cli_runner().invoke(args=["km", "backup", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 0, result.output
    assert "ข้าม (ลิงก์หรือไฟล์พิเศษ) / skipped (link or special file): palad/link.md" in result.output
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        assert "knowledge/palad/link.md" not in archive.getnames()


# -- refusals: nothing written ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def refusing_site(tmp_path_factory):
    """One small site shared by the refusal tests (they only read it)."""
    from app import create_app

    root = tmp_path_factory.mktemp("refusals")
    write_asset(root / "knowledge", "palad/sick-leave.md", title="การลาป่วยของพนักงานเทศบาล")
    write_asset(root / "knowledge", "finance/procurement-checklist.md", title="แบบตรวจสอบการจัดซื้อ",
                department="finance")
    application = create_app(app_config(root, root / "knowledge"))
    yield application
    application.extensions["km"].stop()


@pytest.fixture(scope="module")
def good_archive(refusing_site, tmp_path_factory) -> Path:
    kb = refusing_site.extensions["km"].kb
    return create_backup(kb.settings, database_path(refusing_site), tmp_path_factory.mktemp("good") / "g.tar.gz").path


@pytest.fixture
def archive(good_archive) -> Path:
    return good_archive


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def _restore_cli(site, archive: Path, target: Path):
    return site.test_cli_runner().invoke(args=["km", "restore", str(archive), "--instance", str(target / "instance"),
                                               "--knowledge", str(target / "knowledge")])


def test_a_truncated_archive_is_refused_and_nothing_is_written(refusing_site, archive, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    target = tmp_path / "target"
    target.mkdir()
    result = _restore_cli(refusing_site, cut, target)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {cut}: ไฟล์สำรองเสียหายหรือไม่ครบ (ไฟล์จบก่อนกำหนด อาจคัดลอกมาไม่ครบ) จึงไม่ได้กู้คืน "
        f"และไม่ได้เขียนอะไรลงดิสก์ / {cut}: the backup is damaged or incomplete (the file ends too early, it may "
        "be truncated); nothing was restored or written\n")
    assert _listing(target) == []


def test_corrupt_compressed_data_is_refused(archive, tmp_path):
    data = bytearray(archive.read_bytes())
    for offset in range(200, 260):
        data[offset] ^= 0xFF
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(bytes(data))
    with pytest.raises(RestoreRefused, match=r"the backup is damaged or incomplete \(its compressed data cannot be "
                                             r"read\); nothing was restored or written"):
        restore_backup(bad, tmp_path / "t" / "instance", tmp_path / "t" / "knowledge")
    assert not (tmp_path / "t").exists()


def _rewrite(archive: Path, out: Path, change) -> Path:
    """Copy `archive` member by member, letting `change(info, data)` return the (info, data) to write or None."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as target:
        for info in source.getmembers():
            data = source.extractfile(info).read() if info.isreg() else b""
            changed = change(info, data)
            if changed is not None:
                info, data = changed
                info.size = len(data)
                target.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return out


def test_a_member_that_does_not_match_its_checksum_is_refused(archive, tmp_path):
    def tamper(info, data):
        if info.name == "knowledge/palad/sick-leave.md":
            data = data.replace("ลาป่วย".encode(), "ลากิจ".encode())
        return info, data

    altered = _rewrite(archive, tmp_path / "altered.tar.gz", tamper)
    with pytest.raises(RestoreRefused) as refused:
        restore_backup(altered, tmp_path / "t" / "instance", tmp_path / "t" / "knowledge")
    assert str(refused.value) == (
        f"{altered}: \"knowledge/palad/sick-leave.md\" ไม่ตรงกับขนาดหรือ checksum ใน manifest.json (ไฟล์สำรองเสียหาย"
        "หรือถูกแก้ไข) จึงไม่ได้กู้คืนและไม่ได้เขียนอะไรลงดิสก์ / "
        f"{altered}: \"knowledge/palad/sick-leave.md\" does not match its size or checksum in manifest.json (the "
        "backup is damaged or was altered); nothing was restored or written")
    assert not (tmp_path / "t").exists()


def _extra_member(archive: Path, out: Path, info: tarfile.TarInfo, data: bytes = b"") -> Path:
    """`archive` with one more member, first, so a restore meets it before anything else."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as target:
        target.addfile(info, io.BytesIO(data) if info.isreg() else None)
        for member in source.getmembers():
            target.addfile(member, source.extractfile(member))
    return out


@pytest.mark.parametrize("name, kind", [
    ("../escaped.md", tarfile.REGTYPE),
    ("/tmp/absolute.md", tarfile.REGTYPE),
    ("knowledge/../../escaped.md", tarfile.REGTYPE),
    ("knowledge/palad/link.md", tarfile.SYMTYPE),
    ("knowledge/palad/hard.md", tarfile.LNKTYPE),
    ("knowledge/palad/fifo", tarfile.FIFOTYPE),
    ("knowledge/palad/sick-leave.md", tarfile.REGTYPE),  # the archive has it too: a repeated member
])
def test_unsafe_members_are_refused_before_anything_is_written(archive, tmp_path, name, kind):
    info = tarfile.TarInfo(name)
    info.type = kind
    data = b"x" if kind == tarfile.REGTYPE else b""
    info.size = len(data)
    if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
        info.linkname = "/etc/passwd"
    hostile = _extra_member(archive, tmp_path / "hostile.tar.gz", info, data)
    with pytest.raises(RestoreRefused) as refused:
        restore_backup(hostile, tmp_path / "t" / "instance", tmp_path / "t" / "knowledge")
    assert str(refused.value) == (
        f"{hostile}: พบรายการที่ไม่ปลอดภัยหรือซ้ำในไฟล์สำรอง \"{name}\" (ชื่อเต็มจากราก, \"..\", ลิงก์ หรือไฟล์พิเศษ) "
        f"จึงไม่ได้กู้คืนและไม่ได้เขียนอะไรลงดิสก์ / {hostile}: unsafe or repeated member \"{name}\" (absolute path, "
        "\"..\", link or special file); nothing was restored or written")
    assert not (tmp_path / "t").exists() and not (tmp_path / "escaped.md").exists()


def test_a_non_empty_target_is_refused_and_the_other_is_not_created(refusing_site, archive, tmp_path):
    target = tmp_path / "target"
    write_asset(target / "knowledge", "palad/mine.md")
    result = _restore_cli(refusing_site, archive, target)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {target / 'knowledge'} ไม่ว่าง: กู้คืนได้เฉพาะลงโฟลเดอร์ว่างหรือโฟลเดอร์ที่ยังไม่มี ไม่ได้เขียนอะไรลงไป / "
        f"{target / 'knowledge'} is not empty: restore only into an empty or new folder; nothing was written\n")
    assert _listing(target) == ["knowledge", "knowledge/palad", "knowledge/palad/mine.md"]


def test_the_folders_the_command_runs_with_are_refused(refusing_site, archive, tmp_path):
    instance = refusing_site.extensions["km"].kb.settings.instance_dir
    result = refusing_site.test_cli_runner().invoke(args=["km", "restore", str(archive),
                                                          "--instance", str(instance / "new"),
                                                 "--knowledge", str(tmp_path / "k")])
    assert result.exit_code == 1
    assert (f"{instance / 'new'} overlaps a folder this command itself runs with (KM_INSTANCE_DIR={instance}): "
            "restore into new folders, then point KM_INSTANCE_DIR and KM_KNOWLEDGE_DIR at them") in result.output
    assert not (instance / "new").exists() and not (tmp_path / "k").exists()


def test_a_backup_from_a_newer_schema_is_refused(archive, tmp_path):
    def newer(info, data):
        if info.name == "manifest.json":
            manifest = json.loads(data)
            manifest.update(schema_version=99, product_version="9.0.0")
            data = json.dumps(manifest).encode()
        return info, data

    future = _rewrite(archive, tmp_path / "future.tar.gz", newer)
    with pytest.raises(RestoreRefused) as refused:
        restore_backup(future, tmp_path / "t" / "instance", tmp_path / "t" / "knowledge")
    assert str(refused.value).endswith(
        f"{future}: made by ขุมความรู้ 9.0.0 (schema 99), newer than this {__version__} (schema {SCHEMA_VERSION}): "
        "install that version first; nothing was written")
    assert not (tmp_path / "t").exists()


def test_an_archive_that_is_not_a_backup_is_refused(tmp_path):
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        info = tarfile.TarInfo("knowledge/a.md")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"abc"))
    with pytest.raises(RestoreRefused) as refused:
        restore_backup(other, tmp_path / "t" / "instance", tmp_path / "t" / "knowledge")
    assert str(refused.value).endswith(f"{other}: no manifest.json, so it is not a ขุมความรู้ backup or it is "
                                       "incomplete; nothing was written")
    assert not (tmp_path / "t").exists()


def test_a_restored_vocabulary_that_differs_is_named_in_the_settings(site, tmp_path):
    kb = site.extensions["km"].kb
    custom = tmp_path / "vocabulary.yaml"
    custom.write_bytes(kb.settings.vocabulary_file.read_bytes() + "\n# เทศบาลตำบลตัวอย่าง\n".encode())
    settings = kb.settings.with_overrides(vocabulary_file=custom)
    archive = create_backup(settings, database_path(site), tmp_path / "b.tar.gz").path
    report = restore_backup(archive, tmp_path / "r" / "instance", tmp_path / "r" / "knowledge")
    assert report.settings == [f"KM_INSTANCE_DIR={tmp_path / 'r' / 'instance'}",
                               f"KM_KNOWLEDGE_DIR={tmp_path / 'r' / 'knowledge'}",
                               f"KM_VOCABULARY_FILE={tmp_path / 'r' / 'instance' / 'vocabulary.yaml'}"]
    assert (tmp_path / "r" / "instance" / "vocabulary.yaml").read_bytes() == custom.read_bytes()


def test_a_backup_into_a_missing_folder_is_refused(site, tmp_path):
    result = site.test_cli_runner().invoke(args=["km", "backup", str(tmp_path / "nowhere" / "b.tar.gz")])
    assert result.exit_code == 1
    assert result.output == (f"Error: ไม่มีโฟลเดอร์ {tmp_path / 'nowhere'} / folder {tmp_path / 'nowhere'} "
                             "does not exist\n")


def test_staging_left_by_a_killed_backup_is_cleaned_up_by_the_next(site, tmp_path):
    import os

    kb = site.extensions["km"].kb
    stale, running = kb.settings.instance_dir / ".backup-dead0000", kb.settings.instance_dir / ".backup-live0000"
    for folder in (stale, running):
        (folder / "knowledge").mkdir(parents=True)
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))
    create_backup(kb.settings, database_path(site), tmp_path / "b.tar.gz")
    assert not stale.exists() and running.exists()
    assert sorted(p.name for p in kb.settings.instance_dir.glob(".backup-*")) == [".backup-live0000"]


def test_the_instance_config_is_restored_for_review_never_run(site, tmp_path):
    kb = site.extensions["km"].kb
    (kb.settings.instance_dir / "config.py").write_text("KM_SITE_NAME = 'เทศบาลตำบลตัวอย่าง'\n", encoding="utf-8")
    archive = create_backup(kb.settings, database_path(site), tmp_path / "b.tar.gz").path
    result = site.test_cli_runner().invoke(args=["km", "restore", str(archive), "--instance", str(tmp_path / "r" / "i"),
                                                 "--knowledge", str(tmp_path / "r" / "k")])
    assert result.exit_code == 0, result.output
    review = tmp_path / "r" / "i" / "config.py.from-backup"
    assert not (tmp_path / "r" / "i" / "config.py").exists()
    assert review.read_text(encoding="utf-8") == "KM_SITE_NAME = 'เทศบาลตำบลตัวอย่าง'\n"
    assert f"read {review} and rename it to config.py to use it (it is Python the site runs)" in result.output
