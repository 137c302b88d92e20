"""`flask --app app km disseminate SLUG --channel circular --date 2568-01-20 --ref "ว 709"`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from indexer import thai_date
from indexer import DisseminationError, add_dissemination


def km_group(app: Flask) -> click.Group:
    """The shared `flask km` group: reuse it when another area created it first."""
    group = app.cli.commands.get("km")
    if not isinstance(group, click.Group):
        group = AppGroup("km", help="คำสั่งของทีมจัดการความรู้ (KM)")
        app.cli.add_command(group)
    return group


def register_commands(app: Flask) -> None:
    km_group(app).add_command(disseminate)


@click.command("disseminate")
@click.argument("slug")
@click.option("--channel", required=True, help="ช่องทาง: รหัส (circular) หรือชื่อภาษาไทย (หนังสือแจ้งเวียน)")
@click.option("--date", "date_text", required=True, help="วันที่เผยแพร่ ปปปป-ดด-วว, พ.ศ. หรือ ค.ศ. (2568-01-20)")
@click.option("--ref", default="", help="เลขที่หนังสือหรือหลักฐานอ้างอิง เช่น \"ว 709\"")
@with_appcontext
def disseminate(slug: str, channel: str, date_text: str, ref: str) -> None:
    """Add a dissemination record to an asset's front matter (the rest of the file is kept as is)."""
    kb = current_app.extensions["km"].kb
    try:
        asset = add_dissemination(kb, slug, channel, date_text, ref)
    except DisseminationError as exc:
        raise click.ClickException(str(exc)) from exc
    record = asset.dissemination[-1]
    click.echo(f"บันทึกแล้ว: {asset.title} · {kb.vocab.channels.label(record.channel)} · "
               f"{thai_date(record.date)}" + (f" · {record.ref}" if record.ref else ""))
