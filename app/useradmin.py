"""Accounts on the web for admins (/admin/users): list, create, change role or display name, disable/enable,
reset password.

Every change goes through `account_admin`, the same functions `flask users` calls,
so the rules and the audit entries are the same from the terminal and from here.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField

from . import account_admin, accounts
from .auth import admin_required, keep_signed_in
from .db import get_db

bp = Blueprint("useradmin", __name__, url_prefix="/admin/users")
ROLE_CHOICES = [SelectChoice(role, accounts.ROLE_LABELS[role]) for role in accounts.ROLES]


class CreateForm(FlaskForm):
    username = StringField("ชื่อผู้ใช้", description="a-z 0-9 . _ - เช่น somchai.k (ใช้เข้าสู่ระบบ)",
                           render_kw={"autocomplete": "off", "maxlength": 40})
    display_name = StringField("ชื่อที่แสดง", description="เช่น นางสาวพิมพ์ชนก ใจดี (แสดงในเมนูและประวัติการแก้ไข)",
                               render_kw={"maxlength": accounts.MAX_DISPLAY_NAME_CHARS})
    role = SelectField("บทบาท", choices=ROLE_CHOICES, default="editor", validate_choice=False)
    password = PasswordField("รหัสผ่าน", description=accounts.PASSWORD_LENGTHS,
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("ยืนยันรหัสผ่าน", render_kw={"autocomplete": "new-password"})


class RoleForm(FlaskForm):
    role = SelectField("บทบาท", choices=ROLE_CHOICES, validate_choice=False)


class NameForm(FlaskForm):
    display_name = StringField("ชื่อที่แสดง", render_kw={"maxlength": accounts.MAX_DISPLAY_NAME_CHARS})


class PasswordForm(FlaskForm):
    password = PasswordField("รหัสผ่านใหม่", render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("ยืนยันรหัสผ่านใหม่", render_kw={"autocomplete": "new-password"})


class ConfirmForm(FlaskForm):
    """Only the CSRF token (disable, enable)."""


def _page(create: CreateForm | None = None, error: str | None = None, failed_user: str | None = None,
          status: int = 200):
    return render_template("admin/users.html", users=accounts.all_accounts(get_db()), create=create or CreateForm(),
                           role_form=RoleForm, name_form=NameForm, password_form=PasswordForm, confirm=ConfirmForm(),
                           error=error, failed_user=failed_user, labels=accounts.ROLE_LABELS), status


@bp.get("")
@admin_required
def index():
    return _page()


@bp.post("")
@admin_required
def create():
    form = CreateForm()
    if not form.validate_on_submit():
        return _page(form, status=400)  # only the CSRF token is validated here; it says itself what failed
    if (form.password.data or "") != (form.confirm.data or ""):
        return _page(form, accounts.PASSWORDS_DIFFER, status=422)
    try:
        account = account_admin.create_account(get_db(), form.username.data or "", form.password.data or "",
                                               form.role.data or "", form.display_name.data or "",
                                               actor=current_user.username)
    except accounts.AccountError as exc:
        return _page(form, str(exc), status=422)
    flash(f"สร้างผู้ใช้ {account.username} ({accounts.ROLE_LABELS[account.role]}) แล้ว", "info")
    return redirect(url_for("useradmin.index"))


@bp.post("/<username>/role")
@admin_required
def change_role(username: str):
    form = RoleForm()
    return _apply(form, username, lambda db, actor: account_admin.change_role(db, username, form.role.data or "",
                                                                              actor=actor),
                  lambda a: f"{a.username} มีบทบาท {accounts.ROLE_LABELS[a.role]} แล้ว")


@bp.post("/<username>/name")
@admin_required
def rename(username: str):
    form = NameForm()
    return _apply(form, username, lambda db, actor: account_admin.rename(db, username, form.display_name.data or "",
                                                                         actor=actor),
                  lambda a: f"{a.username} แสดงชื่อว่า {a.name} แล้ว")


@bp.post("/<username>/disable")
@admin_required
def disable(username: str):
    return _apply(ConfirmForm(), username, lambda db, actor: account_admin.set_active(db, username, False, actor=actor),
                  lambda a: f"ระงับบัญชี {a.username} แล้ว (ผู้ใช้นี้ถูกออกจากระบบทันที)")


@bp.post("/<username>/enable")
@admin_required
def enable(username: str):
    return _apply(ConfirmForm(), username, lambda db, actor: account_admin.set_active(db, username, True, actor=actor),
                  lambda a: f"เปิดใช้บัญชี {a.username} แล้ว")


@bp.post("/<username>/password")
@admin_required
def reset_password(username: str):
    form = PasswordForm()
    if form.validate_on_submit() and (form.password.data or "") != (form.confirm.data or ""):
        return _page(error=accounts.PASSWORDS_DIFFER, failed_user=username, status=422)
    return _apply(form, username,
                  lambda db, actor: account_admin.reset_password(db, username, form.password.data or "", actor=actor),
                  lambda a: f"ตั้งรหัสผ่านใหม่ให้ {a.username} แล้ว (ทุกเครื่องที่เข้าสู่ระบบไว้ต้องลงชื่อใหม่)")


def _apply(form: FlaskForm, username: str, change, done):
    """Run one change on an account; a refused one shows the page again with the reason."""
    if not form.validate_on_submit():
        return _page(status=400)
    try:
        account = change(get_db(), current_user.username)
    except accounts.AccountError as exc:
        return _page(error=str(exc), failed_user=username, status=422)
    if account.id == current_user.id and account.active:
        keep_signed_in(account)  # your own password changed: this session stays, the others end
    flash(done(account), "info")
    return redirect(url_for("useradmin.index"))
