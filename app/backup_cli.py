"""`flask --app app km backup FILE` and `flask --app app km restore FILE --instance DIR --knowledge DIR`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import db
from .backup import BackupError, bilingual, create_backup
from .publish.service import SaveBusy
from .reports.cli import km_group
from .restore import RestoreRefused, restore_backup


def init_app(app: Flask) -> None:
    group = km_group(app)
    group.add_command(backup_command)
    group.add_command(restore_command)


@click.command("backup", help="สำรองทั้งระบบเป็นไฟล์เดียว (ขุมความรู้ ฐานข้อมูล ไฟล์คำศัพท์) ทำได้ขณะเว็บเปิดใช้งาน "
               "FILE คือชื่อไฟล์ใหม่ หรือโฟลเดอร์ที่จะเขียนไฟล์ km-backup-ปีเดือนวัน-เวลา.tar.gz ลงไป")
@click.argument("file", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write one archive of the site (knowledge, database, vocabularies); safe while the site is serving.

    FILE is a new file, or a folder to write km-backup-YYYYMMDD-HHMMSS.tar.gz into.
    """
    settings = current_app.extensions["km"].kb.settings
    try:
        report = create_backup(settings, db.database_path(current_app), file)
    except (BackupError, SaveBusy) as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:  # disk full, no permission: say which file, leave no partial archive (create_backup)
        raise click.ClickException(bilingual(f"เขียนไฟล์สำรองไม่ได้: {exc}", f"could not write the backup: {exc}")) from exc
    click.echo(f"สำรองข้อมูลแล้ว / backup written: {report.path}")
    click.echo(f"  {report.assets} ไฟล์ Markdown, {report.attachments} ไฟล์แนบและอื่น ๆ, "
               f"{report.bytes_in / 1e6:.1f} MB → {report.bytes_out / 1e6:.1f} MB "
               f"ใน {report.seconds:.1f} วินาที (งานบันทึกรอ {report.locked_seconds:.2f} วินาที)")
    for rel in report.skipped:
        click.echo(f"  ข้าม (ลิงก์หรือไฟล์พิเศษ) / skipped (link or special file): {rel}", err=True)


@click.command("restore", help="กู้คืนไฟล์สำรองลงโฟลเดอร์ว่างหรือโฟลเดอร์ใหม่ ตรวจทุกไฟล์กับรายการในไฟล์สำรองก่อน")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--instance", "instance_dir", required=True, type=click.Path(path_type=Path),
              help="โฟลเดอร์ instance ใหม่ (ว่างหรือยังไม่มี) / a new, empty instance folder")
@click.option("--knowledge", "knowledge_dir", required=True, type=click.Path(path_type=Path),
              help="โฟลเดอร์ความรู้ใหม่ (ว่างหรือยังไม่มี) / a new, empty knowledge folder")
@with_appcontext
def restore_command(file: Path, instance_dir: Path, knowledge_dir: Path) -> None:
    """Restore a backup into two empty or new folders, checking every file against the manifest first."""
    settings = current_app.extensions["km"].kb.settings
    in_use = {"KM_INSTANCE_DIR": settings.instance_dir, "KM_KNOWLEDGE_DIR": settings.knowledge_dir,
              "KM_INDEX_DIR": settings.index_dir}
    try:
        report = restore_backup(file, instance_dir, knowledge_dir, in_use)
    except RestoreRefused as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:  # no permission, disk full: what was staged has been removed (restore_backup)
        raise click.ClickException(bilingual(f"กู้คืนไม่สำเร็จ ไม่ได้เขียนอะไรค้างไว้: {exc}",
                                             f"restore failed, nothing was left behind: {exc}")) from exc
    manifest = report.manifest
    click.echo(f"กู้คืนแล้ว / restored: {file} (ขุมความรู้ {manifest.get('product_version')}, "
               f"{manifest.get('created_at')}), {report.files} ไฟล์, {report.bytes / 1e6:.1f} MB "
               f"ใน {report.seconds:.1f} วินาที")
    click.echo("ตั้งค่าเหล่านี้ให้เว็บไซต์ แล้วเริ่มระบบ (ดัชนีค้นหาจะสร้างใหม่เมื่อเริ่ม) / "
               "give the site these settings and start it (the search index is rebuilt at start):")
    for line in report.settings:
        click.echo(f"  {line}")
    if report.config_to_review:
        click.echo(f"ตรวจ {report.config_to_review} แล้วเปลี่ยนชื่อเป็น config.py ถ้าต้องการใช้ / read "
                   f"{report.config_to_review} and rename it to config.py to use it (it is Python the site runs)")
