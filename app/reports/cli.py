"""`flask --app app km disseminate SLUG --channel circular --date 2568-01-20 --ref "ว 709"`."""

from __future__ import annotations

import getpass

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from indexer import DisseminationError, closed_years_note, parse_asset, read_record_date, resolve_channel, thai_date

from ..publish.service import AssetMissing, SaveBusy, existing_target, record_dissemination


def km_group(app: Flask) -> click.Group:
    """The shared `flask km` group: reuse it when another area created it first."""
    group = app.cli.commands.get("km")
    if not isinstance(group, click.Group):
        group = AppGroup("km", help="คำสั่งของทีม KM (คณะทำงานการจัดการความรู้)")
        app.cli.add_command(group)
    return group


def register_commands(app: Flask) -> None:
    km_group(app).add_command(disseminate)


@click.command("disseminate", help="บันทึกการเผยแพร่ขุมความรู้ทางช่องทางหนึ่ง (ส่วนอื่นของไฟล์คงเดิม)")
@click.argument("slug")
@click.option("--channel", required=True, help="ช่องทาง: รหัส (circular) หรือชื่อภาษาไทย (หนังสือแจ้งเวียน)")
@click.option("--date", "date_text", required=True, help="วันที่เผยแพร่ เช่น 20/01/2568 หรือ 2568-01-20 (พ.ศ. หรือ ค.ศ.)")
@click.option("--ref", default="", help="เลขที่หนังสือหรือหลักฐานอ้างอิง เช่น \"ว 709\"")
@click.option("--user", default=None, help="ชื่อผู้บันทึกในประวัติและบันทึกการใช้งาน บันทึกเป็น cli:<ชื่อ> "
                                           "(ค่าเริ่มต้น cli:<ผู้ใช้ระบบ>) แยกจากการบันทึกผ่านเว็บของบัญชีชื่อเดียวกัน")
@with_appcontext
def disseminate(slug: str, channel: str, date_text: str, ref: str, user: str | None) -> None:
    """Add a dissemination record to an asset's front matter (the rest of the file is kept as is).

    The same save as the web form: publish lock, stored revision, audit entry, re-index.
    """
    kb = current_app.extensions["km"].kb
    ref = " ".join((ref or "").split())
    try:
        key = resolve_channel(kb.vocab, channel)
        day = read_record_date(date_text)
        target = existing_target(kb, slug)
        actor = "cli:" + " ".join((user or getpass.getuser()).split())[:60]  # never one of the web accounts
        result = record_dissemination(kb, target, key, day, ref, user=actor,
                                      detail=f"{kb.vocab.channels.label(key)} {date_text} {ref}".strip())
    except AssetMissing as exc:
        raise click.ClickException(f"{exc} (ตรวจชื่อไฟล์ หรือสั่ง python -m indexer update ก่อน)") from exc
    except (DisseminationError, SaveBusy) as exc:
        raise click.ClickException(str(exc)) from exc
    if result.outcome == "invalid":
        raise click.ClickException("ไม่ได้บันทึก เพราะไฟล์จะไม่ผ่านการตรวจสอบ: " + "; ".join(map(str, result.problems)))
    asset = parse_asset(result.text, target.rel, kb.vocab)
    record = asset.dissemination[-1]
    click.echo(f"บันทึกแล้ว: {asset.title} · {kb.vocab.channels.label(record.channel)} · "
               f"{thai_date(record.date)}" + (f" · {record.ref}" if record.ref else ""))
    if result.closed_years:
        click.echo(closed_years_note(result.closed_years) + " (ถ้าบันทึกตัวเลขของปีนั้นไว้แล้ว หน้ารายงานแสดงรายการที่เปลี่ยน)")
    if result.index_message:
        click.echo(result.index_message)
