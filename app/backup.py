"""One-file backups of a site: the knowledge folder, the database, the vocabularies, with a manifest.

Archive layout (tar.gz, PAX headers so Thai file names survive):

    knowledge/<path>           every file of the knowledge folder, attachments and .removed ones too
    database/km.sqlite3        the site database, copied with SQLite's online backup API, without the
                               day's reader marks and their salt (marks.py), which must not outlive the day
    config/vocabulary.yaml     the vocabulary and glossary files in use (KM_VOCABULARY_FILE, KM_GLOSSARY_FILE)
    config/glossary.yaml
    config/config.py           instance/config.py, when the site has one (restored as config.py.from-backup)
    manifest.json              product and schema version, and the size and sha256 of every member above

Consistency while the site serves and saves: a save writes its file and its
revision under the publish lock, so the backup takes that lock just long enough
to hard-link the knowledge files into a staging folder (an atomic save replaces a
file, it never rewrites it, so a link keeps the version of that moment) and to
copy the database. Saves wait that long (a fraction of a second for 2,000
assets; docs/BENCHMARKS.md); the archive is then written without the lock. The
search index and the secret key are not backed up: the index is rebuilt from the
files, and a new key only signs everyone out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from indexer import Settings, __version__

from .migrations import SCHEMA_VERSION
from .publish.service import publish_lock

FORMAT = "km-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MTIME_NS = "KM.mtime_ns"  # a vendor PAX keyword: the file's modification time in nanoseconds
DATABASE_MEMBER = "database/km.sqlite3"
CONFIG_MEMBERS = {"vocabulary": "config/vocabulary.yaml", "glossary": "config/glossary.yaml",
                  "instance_config": "config/config.py"}
SNAPSHOT_LOCK_TIMEOUT = 120.0  # seconds to wait for saves in progress before giving up
STALE_STAGING_SECONDS = 24 * 3600
# gzip's default. On the 2,000 generated assets (20 MB of Thai Markdown): level 6 → 4.3 MB in 1.9 CPU-s,
# level 9 → 4.0 MB in 6.5 s, level 3 → 5.4 MB in 0.5 s. Attachments (PDF, JPEG) barely shrink at any level.
COMPRESS_LEVEL = 6
_LEFTOVER_TEMP = re.compile(r"^\..+\.\d+\.[0-9a-f]{8}\.tmp$")  # a crashed atomic write (indexer.files)


class BackupError(Exception):
    """The backup could not be written; the message says why (Thai / English)."""


@dataclass
class BackupReport:
    """What went into an archive."""

    path: Path
    assets: int = 0
    attachments: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    seconds: float = 0.0
    locked_seconds: float = 0.0  # how long saves had to wait
    skipped: list[str] = field(default_factory=list)  # links and special files, never followed


def bilingual(thai: str, english: str) -> str:
    return f"{thai} / {english}"


def archive_path(target: Path, now: dt.datetime | None = None) -> Path:
    """FILE as given, or a dated name inside it when FILE is a folder (for cron)."""
    if target.is_dir():
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        return target / f"km-backup-{stamp}.tar.gz"
    return target


def create_backup(settings: Settings, database: Path, target: Path) -> BackupReport:
    """Write the archive to `target` (a new file, or a folder to put a dated one in)."""
    started = time.perf_counter()
    out = archive_path(Path(target)).absolute()
    _check_target(out, settings.knowledge_dir)
    _remove_stale_staging(settings.instance_dir)
    staging = settings.instance_dir / f".backup-{secrets.token_hex(4)}"
    report = BackupReport(out)
    try:
        staging.mkdir(mode=0o700)
        locked = time.perf_counter()
        with publish_lock(settings.instance_dir, SNAPSHOT_LOCK_TIMEOUT):
            files = _snapshot_knowledge(settings, staging / "knowledge", report)
            _copy_database(database, staging / "database.sqlite3")
        report.locked_seconds = time.perf_counter() - locked
        _drop_reader_marks(staging / "database.sqlite3")
        members = [(f"knowledge/{rel}", path) for rel, path in files]
        members.append((DATABASE_MEMBER, staging / "database.sqlite3"))
        members.extend(_config_members(settings))
        _write_archive(out, members, settings, report)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def _remove_stale_staging(instance_dir: Path) -> None:
    """Staging folders left by a backup that was killed (a running one is never this old)."""
    for folder in instance_dir.glob(".backup-*"):
        if folder.is_dir() and time.time() - folder.stat().st_mtime > STALE_STAGING_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)


def _check_target(out: Path, knowledge_dir: Path) -> None:
    if out.exists():
        raise BackupError(bilingual(f"มีไฟล์ {out} อยู่แล้ว: เลือกชื่ออื่น (ไม่ได้เขียนทับ)",
                                    f"{out} exists already: choose another name (nothing was overwritten)"))
    if not out.parent.is_dir():
        raise BackupError(bilingual(f"ไม่มีโฟลเดอร์ {out.parent}", f"folder {out.parent} does not exist"))
    if out.resolve().is_relative_to(knowledge_dir):
        raise BackupError(bilingual(f"อย่าเก็บไฟล์สำรองไว้ในโฟลเดอร์ความรู้ ({knowledge_dir})",
                                    f"do not keep backups inside the knowledge folder ({knowledge_dir})"))


def _snapshot_knowledge(settings: Settings, staging: Path, report: BackupReport) -> list[tuple[str, Path]]:
    """Hard-link (or copy, across file systems) every regular file into `staging`; return (rel, path)."""
    root = settings.knowledge_dir
    found: list[tuple[str, Path]] = []
    can_link = True
    for folder, dirs, names in os.walk(root):  # never follows linked folders
        here = Path(folder)
        if here.resolve().is_relative_to(settings.index_dir):  # an index kept inside the knowledge folder
            dirs[:] = []
            continue
        report.skipped.extend(_rel(here / d, root) for d in dirs if (here / d).is_symlink())
        dirs.sort()
        for name in sorted(names):
            source = here / name
            rel = _rel(source, root)
            if source.is_symlink() or not source.is_file():
                report.skipped.append(rel)
                continue
            if _LEFTOVER_TEMP.match(name):
                continue
            copy = staging / rel
            copy.parent.mkdir(parents=True, exist_ok=True)
            if can_link:
                try:
                    os.link(source, copy)
                except OSError:
                    can_link = False  # another file system (or no links allowed): copy instead
            if not can_link:
                shutil.copy2(source, copy)
            found.append((rel, copy))
            if name.endswith(".md") and "/." not in f"/{rel}":
                report.assets += 1
            else:
                report.attachments += 1
    return found


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _copy_database(database: Path, copy: Path) -> None:
    """A consistent copy of the live database (SQLite's online backup API; writers are not stopped)."""
    if not database.is_file():
        raise BackupError(bilingual(f"ไม่พบฐานข้อมูล {database}", f"database {database} not found"))
    source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# Reader marks and the salt that made them live one day (marks.py); a backup kept for 30 days must not keep
# them, or which assets an address and browser read could be recomputed from it. A restored site makes a new salt.
DAY_ONLY_TABLES = ("reader_marks", "daily_salts")


def _drop_reader_marks(copy: Path) -> None:
    """Empty the day-only tables of the database copy, overwriting their pages, not just unlinking them."""
    conn = sqlite3.connect(copy)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # no -wal file left beside the copy
        conn.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed: the salt is gone from the file too
        for table in DAY_ONLY_TABLES:
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
        conn.commit()
    finally:
        conn.close()


def _config_members(settings: Settings) -> list[tuple[str, Path]]:
    members = [(CONFIG_MEMBERS["vocabulary"], settings.vocabulary_file),
               (CONFIG_MEMBERS["glossary"], settings.glossary_file)]
    instance_config = settings.instance_dir / "config.py"
    if instance_config.is_file():
        members.append((CONFIG_MEMBERS["instance_config"], instance_config))
    return members


def _write_archive(out: Path, members: list[tuple[str, Path]], settings: Settings, report: BackupReport) -> None:
    """Stream every member into a temp file, hashing exactly the bytes written; add the manifest; rename."""
    partial = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
    entries = []
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # holds password hashes
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=COMPRESS_LEVEL,
                              format=tarfile.PAX_FORMAT) as archive:
                for name, path in members:
                    entries.append(_add_file(archive, name, path))
                    report.bytes_in += entries[-1]["size"]
                manifest = json.dumps(_manifest(entries, settings, report), ensure_ascii=False, indent=1)
                _add_bytes(archive, MANIFEST, manifest.encode("utf-8"), time.time())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    report.bytes_out = out.stat().st_size


def _add_file(archive: tarfile.TarFile, name: str, path: Path) -> dict:
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        hashing = _HashingReader(handle)
        info = _member(name, stat.st_size, stat.st_mtime)
        info.pax_headers = {MTIME_NS: str(stat.st_mtime_ns)}  # exact, so the index signatures survive a restore
        archive.addfile(info, hashing)
    return {"name": name, "size": stat.st_size, "sha256": hashing.digest.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    archive.addfile(_member(name, len(data), mtime), io.BytesIO(data))


def _member(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o644  # no owners, no special bits
    return info


class _HashingReader:
    """File wrapper that hashes what tarfile reads, so the manifest describes the archive, not the disk."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _manifest(entries: list[dict], settings: Settings, report: BackupReport) -> dict:
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "product": "ขุมความรู้", "product_version": __version__, "schema_version": SCHEMA_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source": {"knowledge_dir": str(settings.knowledge_dir), "instance_dir": str(settings.instance_dir),
                   "vocabulary_file": str(settings.vocabulary_file), "glossary_file": str(settings.glossary_file)},
        "assets": report.assets, "attachments": report.attachments,
        "files": entries,
    }
