"""`flask --app app users …`: create, list, change role or display name, disable and enable accounts.

The password is asked for twice on a terminal, or read from the first line of
standard input when it is piped (`printf '%s\\n' "$PW" | flask --app app users create somchai`).
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from . import account_admin, accounts
from .db import get_db

CLI_ACTOR = "cli"
users_cli = AppGroup("users", help="จัดการบัญชีผู้ใช้ (ทีม KM และผู้ดูแลระบบ)")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("รหัสผ่าน", hide_input=True, confirmation_prompt="ยืนยันรหัสผ่าน")


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc)) from exc


@users_cli.command("create", help="สร้างบัญชี (ถามรหัสผ่าน หรืออ่านจาก standard input)")
@click.argument("username")
@click.option("--role", type=click.Choice(accounts.ROLES), default="editor", show_default=True, help="บทบาท")
@click.option("--name", "display_name", default="", help="ชื่อที่แสดง เช่น นางสาวพิมพ์ชนก ใจดี")
@click.option("--password-stdin", is_flag=True, help="อ่านรหัสผ่านจากบรรทัดแรกของ standard input")
def create(username: str, role: str, display_name: str, password_stdin: bool) -> None:
    """Create an account (the password is prompted for, or read from standard input)."""
    password = _read_password(password_stdin)
    try:
        account = account_admin.create_account(get_db(), username, password, role, display_name, actor=CLI_ACTOR)
    except accounts.AccountError as exc:
        _fail(exc)
    click.echo(f"สร้างผู้ใช้ {account.username} บทบาท {account.role} แล้ว")


@users_cli.command("list", help="แสดงบัญชีทั้งหมด พร้อมบทบาทและสถานะใช้งาน")
def list_users() -> None:
    """List accounts with their role and whether they are active."""
    for account in accounts.all_accounts(get_db()):
        state = "ใช้งาน" if account.active else "ระงับ"
        click.echo(f"{account.username:20} {account.role:7} {state:7} {account.display_name}")


@users_cli.command("set-role", help="เปลี่ยนบทบาทของบัญชี: reader (ผู้อ่าน) editor (ทีม KM) หรือ admin (ผู้ดูแลระบบ)")
@click.argument("username")
@click.argument("role")
def set_role(username: str, role: str) -> None:
    """Change the role of an account (reader, editor or admin)."""
    try:
        account = account_admin.change_role(get_db(), username, role, actor=CLI_ACTOR)
    except accounts.AccountError as exc:
        _fail(exc)
    click.echo(f"{account.username} มีบทบาท {account.role} แล้ว")


@users_cli.command("disable", help="ระงับบัญชี: เข้าสู่ระบบไม่ได้อีก และเครื่องที่เข้าอยู่ถูกออกจากระบบ")
@click.argument("username")
def disable(username: str) -> None:
    """Disable an account: it can no longer sign in, and open sessions end."""
    _set_active(username, False)


@users_cli.command("enable", help="เปิดใช้บัญชีที่ระงับไว้อีกครั้ง")
@click.argument("username")
def enable(username: str) -> None:
    """Enable a disabled account again."""
    _set_active(username, True)


def _set_active(username: str, active: bool) -> None:
    try:
        account = account_admin.set_active(get_db(), username, active, actor=CLI_ACTOR)
    except accounts.AccountError as exc:
        _fail(exc)
    click.echo(f"{'เปิดใช้' if active else 'ระงับ'}บัญชี {account.username} แล้ว")


@users_cli.command("delete", help="ลบบัญชีที่ระงับแล้ว (ผู้ที่ลาออก): ลบรหัสผ่าน ชื่อที่แสดง และการเข้าสู่ระบบ "
                   "ชื่อผู้ใช้ยังอยู่ในประวัติการแก้ไขและบันทึกการใช้งาน และจะไม่ถูกใช้ซ้ำ")
@click.argument("username")
def delete(username: str) -> None:
    """Delete a disabled account; its user name stays in the history and is never given again."""
    try:
        account = account_admin.delete(get_db(), username, actor=CLI_ACTOR)
    except accounts.AccountError as exc:
        _fail(exc)
    click.echo(f"ลบบัญชี {account.username} แล้ว (ชื่อนี้ยังอยู่ในประวัติ และจะไม่ถูกใช้ซ้ำ)")


@users_cli.command("set-name", help="เปลี่ยนชื่อที่แสดงของบัญชี (เว้นว่าง = แสดงชื่อผู้ใช้)")
@click.argument("username")
@click.argument("display_name")
def set_name(username: str, display_name: str) -> None:
    """Change the name shown for an account (an empty name shows the user name)."""
    try:
        account = account_admin.rename(get_db(), username, display_name, actor=CLI_ACTOR)
    except accounts.AccountError as exc:
        _fail(exc)
    click.echo(f"{account.username} แสดงชื่อว่า {account.name} แล้ว")


@users_cli.command("set-password", help="ตั้งรหัสผ่านใหม่ให้บัญชี")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="อ่านรหัสผ่านจากบรรทัดแรกของ standard input")
def set_password(username: str, password_stdin: bool) -> None:
    """Set a new password for an account."""
    try:
        account = account_admin.reset_password(get_db(), username, _read_password(password_stdin), actor=CLI_ACTOR)
    except accounts.AccountError as exc:
        _fail(exc)
    click.echo(f"เปลี่ยนรหัสผ่านของ {account.username} แล้ว")
