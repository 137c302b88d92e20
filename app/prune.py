"""`flask --app app km prune --before-fy 2569 [--yes]`: forget what readers typed in years already
reported, keeping every count.

What readers type is personal data when they type a name or a case into it, and the site kept it for
good: the words of every search, the free text of comments on assets and of knowledge requests
(outside review, privacy). DEPLOY.md §9 gave SQL for an admin to run; this command is that SQL, tested,
with a dry run. Before the first day of the fiscal year given:
- the words of each day's searches become one row a day, PRUNED_QUERIES, holding that day's totals (the
  access report's counts per month and year, and how many searches found nothing, stay);
- comments are emptied, their votes stay;
- closed requests are deleted (open ones stay in the team's queue).
Only years that have ended can be pruned, and the freed pages are overwritten (`secure_delete`), the
write-ahead log emptied. The audit log says that a prune ran, before which day and how much it removed.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass

import click
from flask import Flask
from flask.cli import with_appcontext

from indexer import FiscalYearError, dates, parse_fiscal_year

from . import audit
from .analytics import PRUNED_QUERIES
from .db import get_db
from .reports.cli import km_group


def init_app(app: Flask) -> None:
    km_group(app).add_command(prune_command)


@dataclass(frozen=True)
class Found:
    """What a prune before `before` removes."""

    before: dt.date
    words: int       # (word, day) rows of searches
    days: int        # days those searches were made on
    comments: int    # non-empty comments on assets
    requests: int    # closed knowledge requests

    @property
    def anything(self) -> bool:
        return bool(self.words or self.comments or self.requests)


def _closed_before(day: dt.date) -> str:
    """The first instant of `day` in the site's zone, as requests record their closing (UTC)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dates.current_timezone())
    return start.astimezone(dt.UTC).isoformat(timespec="seconds")


def find(before: dt.date) -> Found:
    db, day = get_db(), before.isoformat()
    words, days = db.execute("SELECT COUNT(*), COUNT(DISTINCT day) FROM search_queries WHERE day < ? AND query != ?",
                             (day, PRUNED_QUERIES)).fetchone()
    comments = db.execute("SELECT COUNT(*) FROM asset_feedback WHERE day < ? AND comment != ''", (day,)).fetchone()[0]
    requests = db.execute("SELECT COUNT(*) FROM knowledge_requests WHERE closed_at IS NOT NULL AND closed_at < ?",
                          (_closed_before(before),)).fetchone()[0]
    return Found(before, words, days, comments, requests)


def prune(found: Found, actor: str) -> bool:
    """Remove what `found` counted, in one transaction; return whether the write-ahead log could not be
    emptied yet (a site process was reading)."""
    db, day = get_db(), found.before.isoformat()
    db.execute("PRAGMA secure_delete = ON")  # the removed text is overwritten in the file, not left in free pages
    with db:
        db.execute("INSERT INTO search_queries (query, day, searches, empty) "
                   "SELECT ?, day, SUM(searches), SUM(empty) FROM search_queries WHERE day < ? AND query != ? "
                   "GROUP BY day ON CONFLICT (query, day) DO UPDATE SET searches = searches + excluded.searches, "
                   "empty = empty + excluded.empty", (PRUNED_QUERIES, day, PRUNED_QUERIES))
        db.execute("DELETE FROM search_queries WHERE day < ? AND query != ?", (day, PRUNED_QUERIES))
        db.execute("UPDATE asset_feedback SET comment = '' WHERE day < ? AND comment != ''", (day,))
        db.execute("DELETE FROM knowledge_requests WHERE closed_at IS NOT NULL AND closed_at < ?",
                   (_closed_before(found.before),))
    busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    audit.record("prune", None, f"ก่อน {dates.thai_date(found.before)}: {_summary(found)}", actor=actor)
    return bool(busy)


def _summary(found: Found) -> str:
    return (f"คำค้น {found.words:,} รายการ ใน {found.days:,} วัน · ความคิดเห็นของผู้อ่าน {found.comments:,} รายการ · "
            f"คำขอความรู้ที่ปิดแล้ว {found.requests:,} รายการ")


def _fiscal_year(value: str) -> int:
    try:
        year = parse_fiscal_year(value)
    except FiscalYearError as exc:
        raise click.BadParameter(str(exc).removeprefix("fy: ")) from exc
    current = dates.fiscal_year_of(dates.today())
    if year > current:
        raise click.BadParameter(f"ปีงบประมาณ {year} ยังไม่เริ่ม ลบได้เฉพาะข้อมูลก่อนปีงบประมาณปัจจุบัน ({current}) "
                                 "หรือก่อนหน้านั้น")
    return year


@click.command("prune", help="ลบข้อความที่ผู้อ่านพิมพ์ (คำค้น ความคิดเห็น คำขอความรู้ที่ปิดแล้ว) ก่อนวันเริ่มปีงบประมาณที่ระบุ "
               "โดยจำนวนการค้นหา คะแนนโหวต และคำขอที่เปิดอยู่ยังเหมือนเดิม ไม่ใส่ --yes: แสดงเฉพาะจำนวนที่จะลบ")
@click.option("--before-fy", "year", required=True, metavar="ปีงบประมาณ",
              help="ลบข้อความก่อนวันที่ 1 ต.ค. ที่ปีงบประมาณนี้เริ่ม เช่น 2569 (ก่อน 1 ต.ค. 2568)")
@click.option("--yes", is_flag=True, help="ลบจริง")
@click.option("--user", default=None, help="ชื่อผู้สั่งในบันทึกการใช้งาน บันทึกเป็น cli:<ชื่อ> (ค่าเริ่มต้น cli:<ผู้ใช้ระบบ>)")
@with_appcontext
def prune_command(year: str, yes: bool, user: str | None) -> None:
    before = dates.fiscal_year_bounds(_fiscal_year(year))[0]
    found = find(before)
    click.echo(f"ก่อน {dates.thai_date(before)} (วันเริ่มปีงบประมาณ {dates.fiscal_year_of(before)}): {_summary(found)}")
    if not found.anything:
        get_db().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # what an earlier prune could not empty
        click.echo("ไม่มีข้อความให้ลบ")
        return
    if not yes:
        click.echo("ยังไม่ได้ลบ: สั่งอีกครั้งพร้อม --yes")
        return
    wal_busy = prune(found, f"cli:{user or getpass.getuser()}")
    click.echo("ลบแล้ว จำนวนการค้นหาต่อวัน คะแนนโหวต และคำขอที่เปิดอยู่ยังเหมือนเดิม")
    if wal_busy:
        click.echo("ไฟล์บันทึกล่วงหน้าของฐานข้อมูล (km.sqlite3-wal) ยังว่างไม่ได้เพราะเว็บไซต์กำลังอ่าน "
                   "สั่งคำสั่งนี้อีกครั้งภายหลัง (จะแสดงว่าไม่มีข้อความให้ลบ และล้างไฟล์นั้น)")
    click.echo("สำเนาสำรองที่ทำไว้ก่อนหน้านี้ยังมีข้อความนี้ จนกว่าจะถูกลบตามรอบเก็บสำเนา (docs/DEPLOY.md)")
