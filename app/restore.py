"""Restoring a backup archive (app/backup.py) into new folders, trusting nothing in it.

Every member is checked before it is written (a regular file with a relative
name under one of the known folders: no absolute path, no "..", no link or
device) and written into staging folders beside the targets while its sha256 is
computed. Only when the archive ended properly, every member matched the
manifest and the database passed SQLite's integrity check are the staging
folders renamed into place. Any refusal removes what was staged: nothing is
left behind.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import tarfile
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from indexer import Settings

from .backup import CONFIG_MEMBERS, DATABASE_MEMBER, FORMAT, FORMAT_VERSION, MANIFEST, MTIME_NS, bilingual
from .migrations import SCHEMA_VERSION

# Where each member goes: (target, file name inside it); knowledge/<path> goes to the knowledge folder.
# instance/config.py is Python the site runs at start: it is restored beside it, for a person to read
# and rename, so restoring an archive never runs code that came in it.
RESTORED_CONFIG = "config.py.from-backup"
INSTANCE_FILES = {DATABASE_MEMBER: "km.sqlite3", CONFIG_MEMBERS["vocabulary"]: "vocabulary.yaml",
                  CONFIG_MEMBERS["glossary"]: "glossary.yaml", CONFIG_MEMBERS["instance_config"]: RESTORED_CONFIG}
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024


class RestoreRefused(Exception):
    """The archive or a target folder was refused; nothing was written. The message says why."""


@dataclass
class RestoreReport:
    """What was restored, and the settings the restored site needs."""

    instance_dir: Path
    knowledge_dir: Path
    manifest: dict
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    settings: list[str] = field(default_factory=list)  # KM_*=... lines for the site's environment
    config_to_review: Path | None = None  # the backup's instance/config.py, restored under another name


def restore_backup(archive: Path, instance_dir: Path, knowledge_dir: Path,
                   in_use: Mapping[str, Path] | None = None) -> RestoreReport:
    """Restore `archive` into two empty or new folders; `in_use` are folders of the running configuration."""
    started = time.perf_counter()
    archive = Path(archive)
    instance_dir, knowledge_dir = Path(instance_dir).absolute(), Path(knowledge_dir).absolute()
    _check_targets(instance_dir, knowledge_dir, in_use or {})
    made: list[Path] = []
    try:
        for target in (instance_dir, knowledge_dir):
            made.extend(_make_parents(target.parent))
        stage_instance = _stage_beside(instance_dir, 0o700, made)  # the database holds password hashes
        stage_knowledge = _stage_beside(knowledge_dir, 0o755, made)
        manifest, written = _extract(archive, stage_instance, stage_knowledge)
        _verify(archive, manifest, written)
        _check_database(archive, stage_instance / "km.sqlite3")
        os.sync()  # every staged file on disk before the folders appear (once: an fsync per file took most of the time)
        _move_into_place(stage_knowledge, knowledge_dir)
        try:
            _move_into_place(stage_instance, instance_dir)
        except BaseException:
            _move_back(knowledge_dir, stage_knowledge)
            raise
    except BaseException:
        for path in reversed(made):
            shutil.rmtree(path, ignore_errors=True)
        raise
    report = RestoreReport(instance_dir, knowledge_dir, manifest, files=len(written),
                           bytes=sum(size for size, _ in written.values()))
    report.settings = _settings_lines(instance_dir, knowledge_dir)
    if (instance_dir / RESTORED_CONFIG).is_file():
        report.config_to_review = instance_dir / RESTORED_CONFIG
    report.seconds = time.perf_counter() - started
    return report


# -- targets -----------------------------------------------------------------------------------------
def _check_targets(instance_dir: Path, knowledge_dir: Path, in_use: Mapping[str, Path]) -> None:
    if _overlap(instance_dir, knowledge_dir):
        raise RestoreRefused(bilingual("--instance และ --knowledge ต้องเป็นคนละโฟลเดอร์ และไม่อยู่ซ้อนกัน",
                                       "--instance and --knowledge must be two folders, neither inside the other"))
    for target in (instance_dir, knowledge_dir):
        for setting, folder in in_use.items():
            if _overlap(target, Path(folder).absolute()):
                raise RestoreRefused(bilingual(
                    f"{target} ซ้อนกับโฟลเดอร์ที่คำสั่งนี้ใช้อยู่ ({setting}={folder}): กู้คืนลงโฟลเดอร์ใหม่ "
                    f"แล้วจึงตั้ง KM_INSTANCE_DIR และ KM_KNOWLEDGE_DIR ให้ชี้ไปที่โฟลเดอร์นั้น",
                    f"{target} overlaps a folder this command itself runs with ({setting}={folder}): restore "
                    f"into new folders, then point KM_INSTANCE_DIR and KM_KNOWLEDGE_DIR at them"))
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise RestoreRefused(bilingual(f"{target} ไม่ใช่โฟลเดอร์ ไม่ได้เขียนอะไรลงไป",
                                           f"{target} is not a folder; nothing was written"))
        if target.is_dir() and any(target.iterdir()):
            raise RestoreRefused(bilingual(
                f"{target} ไม่ว่าง: กู้คืนได้เฉพาะลงโฟลเดอร์ว่างหรือโฟลเดอร์ที่ยังไม่มี ไม่ได้เขียนอะไรลงไป",
                f"{target} is not empty: restore only into an empty or new folder; nothing was written"))


def _overlap(a: Path, b: Path) -> bool:
    a, b = a.resolve(), b.resolve()
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def _make_parents(folder: Path) -> list[Path]:
    """Create missing parent folders; return those created (removed again if the restore is refused)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return missing[::-1]


def _stage_beside(target: Path, mode: int, made: list[Path]) -> Path:
    stage = target.with_name(f".{target.name}.restoring-{secrets.token_hex(4)}")
    stage.mkdir(mode=mode)
    made.append(stage)
    return stage


def _move_into_place(stage: Path, target: Path) -> None:
    if target.exists():
        target.rmdir()  # still empty (checked at the start); fails loudly if something appeared since
    os.rename(stage, target)


def _move_back(target: Path, stage: Path) -> None:
    os.rename(target, stage)


# -- reading the archive ------------------------------------------------------------------------------
def _extract(archive: Path, stage_instance: Path, stage_knowledge: Path) -> tuple[dict, dict[str, tuple[int, str]]]:
    """Write each member into its staging folder; return the manifest and {name: (size, sha256)} written."""
    written: dict[str, tuple[int, str]] = {}
    manifest = None
    try:
        with tarfile.open(archive, mode="r|gz") as stream:
            for member in stream:
                name = _checked_name(archive, member, written)
                handle = stream.extractfile(member)
                if name == MANIFEST:
                    manifest = _read_manifest(archive, handle, member.size)
                    continue
                destination = _destination(archive, name, stage_instance, stage_knowledge)
                written[name] = _copy_member(handle, destination, member)
    except FileNotFoundError:
        raise RestoreRefused(bilingual(f"ไม่พบไฟล์ {archive}", f"{archive} not found")) from None
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:  # not disk errors
        raise _damaged(archive, exc) from exc
    if manifest is None:
        raise RestoreRefused(bilingual(f"{archive}: ไม่พบรายการไฟล์ (manifest.json) จึงไม่ใช่ไฟล์สำรองของขุมความรู้ "
                                       "หรือไฟล์ไม่ครบ ไม่ได้เขียนอะไรลงดิสก์",
                                       f"{archive}: no manifest.json, so it is not a ขุมความรู้ backup or it is "
                                       "incomplete; nothing was written"))
    return manifest, written


def _damaged(archive: Path, exc: Exception) -> RestoreRefused:
    if isinstance(exc, EOFError) or "unexpected end" in str(exc):
        thai, english = "ไฟล์จบก่อนกำหนด อาจคัดลอกมาไม่ครบ", "the file ends too early, it may be truncated"
    else:
        thai, english = "ข้อมูลที่บีบอัดไว้อ่านไม่ได้", "its compressed data cannot be read"
    return RestoreRefused(bilingual(f"{archive}: ไฟล์สำรองเสียหายหรือไม่ครบ ({thai}) จึงไม่ได้กู้คืน "
                                    "และไม่ได้เขียนอะไรลงดิสก์",
                                    f"{archive}: the backup is damaged or incomplete ({english}); nothing was "
                                    "restored or written"))


def _checked_name(archive: Path, member: tarfile.TarInfo, seen: Mapping[str, object]) -> str:
    """The member's name if it is a regular file with a safe relative name seen once; refuse anything else."""
    name = member.name
    parts = name.split("/")
    unsafe = (not member.isreg() or not name or "\\" in name or "\x00" in name or name.startswith("/")
              or any(part in ("", ".", "..") for part in parts) or PurePosixPath(name).is_absolute())
    if unsafe or name in seen:
        raise RestoreRefused(bilingual(
            f"{archive}: พบรายการที่ไม่ปลอดภัยหรือซ้ำในไฟล์สำรอง \"{name[:200]}\" (ชื่อเต็มจากราก, \"..\", "
            "ลิงก์ หรือไฟล์พิเศษ) จึงไม่ได้กู้คืนและไม่ได้เขียนอะไรลงดิสก์",
            f"{archive}: unsafe or repeated member \"{name[:200]}\" (absolute path, \"..\", link or special "
            "file); nothing was restored or written"))
    return name


def _destination(archive: Path, name: str, stage_instance: Path, stage_knowledge: Path) -> Path:
    if name in INSTANCE_FILES:
        return stage_instance / INSTANCE_FILES[name]
    if name.startswith("knowledge/"):
        destination = stage_knowledge.joinpath(*name.split("/")[1:])
        if destination.resolve().is_relative_to(stage_knowledge.resolve()):
            return destination
    raise RestoreRefused(bilingual(f"{archive}: ไม่รู้จักรายการ \"{name[:200]}\" ในไฟล์สำรอง ไม่ได้เขียนอะไรลงดิสก์",
                                   f"{archive}: unexpected member \"{name[:200]}\"; nothing was written"))


def _copy_member(handle, destination: Path, member: tarfile.TarInfo) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    with open(destination, "xb") as out:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    raw_ns = member.pax_headers.get(MTIME_NS, "")
    mtime_ns = int(raw_ns) if raw_ns.isascii() and raw_ns.isdigit() else int(member.mtime * 1e9)
    os.utime(destination, ns=(mtime_ns, mtime_ns))  # the index signatures and hand-edit revisions use file times
    return size, digest.hexdigest()


def _read_manifest(archive: Path, handle, size: int) -> dict:
    if size > MAX_MANIFEST_BYTES:
        raise _bad_manifest(archive, "ใหญ่เกินไป", "too large")
    try:
        manifest = json.loads(handle.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _bad_manifest(archive, "ไม่ใช่ JSON", "not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _bad_manifest(archive, "ไม่ใช่ของขุมความรู้", "not a ขุมความรู้ manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _bad_manifest(archive, f"รูปแบบรุ่น {manifest.get('format_version')!r} ที่รุ่นนี้ไม่รู้จัก",
                            f"format version {manifest.get('format_version')!r} unknown to this version")
    return manifest


def _bad_manifest(archive: Path, thai: str, english: str) -> RestoreRefused:
    return RestoreRefused(bilingual(f"{archive}: manifest.json {thai} ไม่ได้เขียนอะไรลงดิสก์",
                                    f"{archive}: manifest.json is {english}; nothing was written"))


# -- checks after reading ------------------------------------------------------------------------------
def _verify(archive: Path, manifest: dict, written: Mapping[str, tuple[int, str]]) -> None:
    """Every member listed with the same size and sha256, nothing more, nothing less; schema not newer."""
    schema = manifest.get("schema_version")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        from indexer import __version__

        raise RestoreRefused(bilingual(
            f"{archive}: ไฟล์สำรองนี้ทำด้วยขุมความรู้รุ่น {manifest.get('product_version')} (schema {schema}) "
            f"ซึ่งใหม่กว่ารุ่น {__version__} นี้ (schema {SCHEMA_VERSION}) กรุณาติดตั้งรุ่นนั้นก่อน ไม่ได้เขียนอะไรลงดิสก์",
            f"{archive}: made by ขุมความรู้ {manifest.get('product_version')} (schema {schema}), newer than this "
            f"{__version__} (schema {SCHEMA_VERSION}): install that version first; nothing was written"))
    listed = {entry.get("name"): (entry.get("size"), entry.get("sha256"))
              for entry in manifest.get("files", []) if isinstance(entry, dict)}
    for name in sorted(set(listed) | set(written)):
        if listed.get(name) != written.get(name):
            raise RestoreRefused(bilingual(
                f"{archive}: \"{name}\" ไม่ตรงกับขนาดหรือ checksum ใน manifest.json (ไฟล์สำรองเสียหายหรือถูกแก้ไข) "
                "จึงไม่ได้กู้คืนและไม่ได้เขียนอะไรลงดิสก์",
                f"{archive}: \"{name}\" does not match its size or checksum in manifest.json (the backup is "
                "damaged or was altered); nothing was restored or written"))
    if DATABASE_MEMBER not in written:
        raise _bad_manifest(archive, f"ไม่มี {DATABASE_MEMBER}", f"missing {DATABASE_MEMBER}")


def _check_database(archive: Path, database: Path) -> None:
    conn = sqlite3.connect(database)  # our staging copy: read-write, so closing leaves no -wal/-shm behind
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    finally:
        conn.close()
    if result != "ok":
        raise RestoreRefused(bilingual(f"{archive}: ฐานข้อมูลในไฟล์สำรองเสียหาย ({result}) ไม่ได้เขียนอะไรลงดิสก์",
                                       f"{archive}: the database in the backup is damaged ({result}); "
                                       "nothing was written"))


def _settings_lines(instance_dir: Path, knowledge_dir: Path) -> list[str]:
    """The KM_* lines the restored site needs (vocabulary and glossary only when they differ from the shipped)."""
    lines = [f"KM_INSTANCE_DIR={instance_dir}", f"KM_KNOWLEDGE_DIR={knowledge_dir}"]
    shipped = Settings.from_env({})
    for setting, name, default in (("KM_VOCABULARY_FILE", "vocabulary.yaml", shipped.vocabulary_file),
                                   ("KM_GLOSSARY_FILE", "glossary.yaml", shipped.glossary_file)):
        restored = instance_dir / name
        if restored.is_file() and restored.read_bytes() != default.read_bytes():
            lines.append(f"{setting}={restored}")
    return lines
