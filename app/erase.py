"""`flask --app app km erase TEXT [--yes]`: a request to erase personal data (PDPA s.33), everywhere the
site copied it.

A team that found a colleague's ID number in an asset did the right thing (drafted it, removed the
attachment, rewrote the text) and the number stayed one click away: in the stored revisions any
editor could restore, in the .removed folders, in the cache of text read from attachments, in the
index files, in the search log, comments and requests (outside review, privacy). This command
finds TEXT (a number also written with - . or spaces between its digits) in all of them; with --yes
it blanks it in revisions and records, deletes the set-aside files and cached texts that hold it,
and rebuilds the index. The knowledge folder itself is the source of truth: while a current file or
attachment still holds TEXT, nothing is erased and the command names them (edit them on the site, so
the change has its history). The text itself is never written to the audit log.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from indexer import READ_KINDS, arabic_digits, extract_text

from . import audit
from .attachments import REMOVED_FOLDER
from .db import get_db
from .reports.cli import km_group

ERASED = "[ลบตามคำขอ]"
MIN_CHARS = 4
TEXT_FILES = (".md", ".yaml", ".yml")
# (table, key column, text columns): rows whose text is blanked; search_queries rows are deleted
RECORDS = (("revisions", "id", ("text",)), ("audit_log", "id", ("detail",)), ("asset_feedback", "id", ("comment",)),
           ("knowledge_requests", "id", ("query", "detail")), ("year_records", "id", ("note",)),
           ("plan_report_records", "id", ("note",)))


def init_app(app: Flask) -> None:
    km_group(app).add_command(erase_command)


THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


def _either_script(char: str) -> str:
    """A character as a pattern: a digit in Arabic or Thai script, anything else as itself."""
    return f"[{char}{THAI_DIGITS[int(char)]}]" if char.isascii() and char.isdigit() else re.escape(char)


def pattern_for(text: str) -> re.Pattern:
    """What TEXT matches: a number of 6 digits or more however its digits are grouped (1103700012345
    is 1-1037-00012-34-5, 1 1037 00012 34 5, split over two lines); other text as written, any case,
    spaces as any spacing; digits in either script."""
    text = " ".join(arabic_digits(text).split())
    digits = re.sub(r"[- .]", "", text)
    if digits.isdigit() and len(digits) >= 6:
        gap = r"[\s\-\u2013\u2014/.]{0,2}"  # as the personal-data check reads a number: 1/1037/…, split lines
        return re.compile(r"(?<![\d๐-๙])" + gap.join(map(_either_script, digits)) + r"(?![\d๐-๙])")
    return re.compile(r"\s+".join("".join(map(_either_script, word)) for word in text.split()), re.IGNORECASE)


def _holds(pattern: re.Pattern, text: str) -> bool:
    return bool(pattern.search(text))


@dataclass
class Found:
    """Where TEXT is: what blocks erasing it (current files) and what erasing it changes."""

    current: list[str] = field(default_factory=list)        # knowledge files and attachments in use
    set_aside: list[Path] = field(default_factory=list)     # files in .removed folders
    cached: list[Path] = field(default_factory=list)        # texts read from attachments
    rows: dict[str, list[int]] = field(default_factory=dict)  # table → row ids
    queries: int = 0                                        # search_queries rows

    @property
    def anywhere(self) -> bool:
        return bool(self.current or self.set_aside or self.cached or self.queries or any(self.rows.values()))


def find(pattern: re.Pattern) -> Found:
    """Every place the site keeps `pattern` (reads only)."""
    kb = current_app.extensions["km"].kb
    root = kb.settings.knowledge_dir
    found = Found()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(root).as_posix()
        aside = REMOVED_FOLDER in path.relative_to(root).parts
        suffix = path.suffix.lower()
        if suffix in TEXT_FILES and not aside:
            holds = _holds(pattern, path.read_text(encoding="utf-8", errors="replace"))
        else:
            # through the cache: read once; a cached text that holds it is listed below and erased with it
            holds = _holds(pattern, path.name) or _holds(pattern, extract_text(path, kb.text_cache, READ_KINDS))
        if holds:
            (found.set_aside.append(path) if aside else found.current.append(rel))
    cache = kb.text_cache
    if cache.is_dir():
        found.cached = [p for p in sorted(cache.rglob("*")) if p.is_file()
                        and _holds(pattern, p.read_text(encoding="utf-8", errors="replace"))]
    db = get_db()
    db.create_function("km_holds", 1, lambda value: int(value is not None and _holds(pattern, str(value))),
                       deterministic=True)
    for table, key, columns in RECORDS:
        where = " OR ".join(f"km_holds({c})" for c in columns)
        found.rows[table] = [row[0] for row in db.execute(f"SELECT {key} FROM {table} WHERE {where}")]  # noqa: S608
    found.queries = db.execute("SELECT COUNT(*) FROM search_queries WHERE km_holds(query)").fetchone()[0]
    return found


def erase(pattern: re.Pattern, found: Found, actor: str) -> bool:
    """Blank `pattern` in the rows `found` lists, delete its set-aside files and cached texts; return
    whether the write-ahead log could not be emptied yet (a site process was reading)."""
    from .revisions import text_sha

    db = get_db()

    def blank(value: str | None) -> str | None:
        return None if value is None else pattern.sub(ERASED, value)

    db.execute("PRAGMA secure_delete = ON")  # the old text is overwritten in the file, not left in free pages
    with db:
        for table, key, columns in RECORDS:
            for row_id in found.rows[table]:
                values = db.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {key} = ?",  # noqa: S608
                                    (row_id,)).fetchone()
                new = [blank(v) for v in values]
                sets = ", ".join(f"{c} = ?" for c in columns)
                if table == "revisions":  # its fingerprint follows its text
                    sets += ", sha256 = ?"
                    new.append(text_sha(new[0]))
                db.execute(f"UPDATE {table} SET {sets} WHERE {key} = ?", (*new, row_id))  # noqa: S608
        db.execute("DELETE FROM search_queries WHERE km_holds(query)")
    # the write-ahead log still holds the pages as they were until a checkpoint empties it
    busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    for path in found.set_aside + found.cached:
        path.unlink(missing_ok=True)
    places = sum(len(ids) for ids in found.rows.values()) + len(found.set_aside) + len(found.cached) + found.queries
    audit.record("erase", None, f"ลบข้อมูลตามคำขอ {places} แห่ง (ไม่บันทึกข้อความที่ลบ)", actor=actor)
    return bool(busy)


LABELS = {"revisions": "ฉบับในประวัติการแก้ไข", "audit_log": "บันทึกการใช้งาน", "asset_feedback": "ความคิดเห็นของผู้อ่าน",
          "knowledge_requests": "คำขอความรู้", "year_records": "หมายเหตุการบันทึกตัวเลขปีงบประมาณ",
          "plan_report_records": "หมายเหตุการบันทึกรายงานผลตามแผน"}


@click.command("erase", help="ลบข้อความ (เช่น เลขประจำตัวประชาชน ชื่อ) ตามคำขอลบข้อมูลส่วนบุคคล ออกจากประวัติการแก้ไข "
               "ไฟล์แนบที่นำออกแล้ว ข้อความที่อ่านจากไฟล์แนบ คำค้น ความคิดเห็น คำขอ และบันทึกการใช้งาน แล้วสร้างดัชนีใหม่ "
               "ไม่ใส่ --yes: แสดงเฉพาะที่พบ")
@click.argument("text")
@click.option("--yes", is_flag=True, help="ลบจริง")
@click.option("--user", default=None, help="ชื่อผู้สั่งในบันทึกการใช้งาน บันทึกเป็น cli:<ชื่อ> (ค่าเริ่มต้น cli:<ผู้ใช้ระบบ>)")
@with_appcontext
def erase_command(text: str, yes: bool, user: str | None) -> None:
    if len("".join(text.split())) < MIN_CHARS:
        raise click.UsageError(f"TEXT: ต้องยาวอย่างน้อย {MIN_CHARS} ตัวอักษร (ข้อความสั้นจะลบคำอื่นที่ไม่เกี่ยวข้องไปด้วย)")
    pattern = pattern_for(text)
    found = find(pattern)
    for rel in found.current:
        click.echo(f"ยังอยู่ในไฟล์ปัจจุบัน: {rel}")
    for table, ids in found.rows.items():
        if ids:
            click.echo(f"{LABELS[table]}: {len(ids)} รายการ")
    if found.queries:
        click.echo(f"คำค้นที่บันทึกไว้: {found.queries} รายการ")
    if found.set_aside:
        click.echo(f"ไฟล์ที่นำออกแล้ว (.removed): {len(found.set_aside)} ไฟล์")
    if found.cached:
        click.echo(f"ข้อความที่อ่านจากไฟล์แนบ (แคช): {len(found.cached)} ไฟล์")
    if not found.anywhere:
        get_db().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # what an earlier erase could not empty
        click.echo("ไม่พบข้อความนี้ในระบบ")
        return
    if found.current:
        raise click.ClickException("ยังลบไม่ได้: แก้ไฟล์ข้างต้นในเว็บไซต์ก่อน (ลบข้อความออก หรือนำไฟล์แนบออก) "
                                   "เพื่อให้การแก้มีประวัติ แล้วสั่งคำสั่งนี้อีกครั้ง")
    if not yes:
        click.echo("ยังไม่ได้ลบ: สั่งอีกครั้งพร้อม --yes เพื่อลบทุกแห่งข้างต้น")
        return
    wal_busy = erase(pattern, found, f"cli:{user or getpass.getuser()}")
    kb = current_app.extensions["km"].kb
    report = kb.build()  # the index's segments keep a deleted version's words, and so does the spare build
    still_read = kb.drop_earlier_builds()
    click.echo(f"ลบแล้ว และสร้างดัชนีใหม่ ({report.indexed} เรื่อง)")
    if still_read:
        click.echo(f"ดัชนีรุ่นก่อน {still_read} ชุดยังมีเว็บไซต์อ่านอยู่ จะถูกลบเมื่อมีการบันทึกครั้งถัดไป "
                   "(หรือรีสตาร์ตเว็บไซต์แล้วสั่งคำสั่งนี้อีกครั้ง)")
    if wal_busy:
        click.echo("ไฟล์บันทึกล่วงหน้าของฐานข้อมูล (km.sqlite3-wal) ยังว่างไม่ได้เพราะเว็บไซต์กำลังอ่าน "
                   "สั่งคำสั่งนี้อีกครั้งภายหลัง (จะแสดงว่าไม่พบ และล้างไฟล์นั้น)")
    click.echo("สำเนาสำรองที่ทำไว้ก่อนหน้านี้ยังมีข้อความนี้ จนกว่าจะถูกลบตามรอบเก็บสำเนา (docs/DEPLOY.md)")
