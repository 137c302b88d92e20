"""One's own account (/account): who you are signed in as, the name shown for you, a new
password, and signing out the other browsers (a phone left signed in at a training, a shared
computer).

Open to every account, readers included. The current password is asked before a new one is set,
so a browser left signed in is not enough to take the account; wrong tries are paused as sign-ins
are (throttle.py), on their own count, so a mistyped old password never locks anyone out of
signing in. A new password ends every other sign-in (sign_ins.py) and keeps this one. Every
change is in the audit log with the account as the actor, as an admin's is with theirs.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from . import account_admin, accounts, audit, sign_ins, throttle
from .auth import CSRF_MESSAGE, keep_signed_in, login_policy
from .db import get_db

bp = Blueprint("my_account", __name__, url_prefix="/account")
WRONG_CURRENT = "รหัสผ่านปัจจุบันไม่ถูกต้อง"
SAME_AS_BEFORE = "รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านเดิม"
WRONG_TRIES = "ใส่รหัสผ่านปัจจุบันผิด"
# the throttle's name for tries at the old password, apart from sign-ins (":" is never in a user name)
THROTTLE_PREFIX = "password:"


class PasswordChangeForm(FlaskForm):
    current = PasswordField("รหัสผ่านปัจจุบัน", render_kw={"autocomplete": "current-password"})
    password = PasswordField("รหัสผ่านใหม่", description=accounts.PASSWORD_LENGTHS,
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("ยืนยันรหัสผ่านใหม่", render_kw={"autocomplete": "new-password"})


class NameForm(FlaskForm):
    display_name = StringField("ชื่อที่แสดง", description="เช่น นางสาวพิมพ์ชนก ใจดี แสดงในเมนูและประวัติการแก้ไข "
                               "(เว้นว่างไว้เพื่อแสดงชื่อผู้ใช้)",
                               render_kw={"maxlength": accounts.MAX_DISPLAY_NAME_CHARS, "autocomplete": "name"})


class ConfirmForm(FlaskForm):
    """Only the CSRF token (signing out the other browsers)."""


def _page(form: PasswordChangeForm | None = None, errors: dict | None = None, general: list | None = None,
          status: int = 200, name_form: NameForm | None = None):
    return render_template("account/index.html", form=form or PasswordChangeForm(formdata=None),
                           name_form=name_form or NameForm(formdata=None, display_name=current_user.display_name),
                           errors=errors or {}, general=general or [],
                           signed_in=[(started, token == current_user.sign_in)
                                      for token, started in sign_ins.live(get_db(), current_user.id)],
                           role=accounts.ROLE_LABELS.get(current_user.role, current_user.role)), status


@bp.get("")
@login_required
def index():
    return _page()


@bp.post("/password")
@login_required
def change_password():
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _page(general=[CSRF_MESSAGE], status=400)
    current, new, confirm = form.current.data or "", form.password.data or "", form.confirm.data or ""
    if not current:  # every box left empty was answered only "at least 8 characters" (wording review)
        errors = {"current": ["กรุณากรอกรหัสผ่านปัจจุบัน"]}
        if not new:
            errors["password"] = ["กรุณากรอกรหัสผ่านใหม่"]
        return _page(form, errors, status=422)
    if new != confirm:
        return _page(form, {"confirm": [accounts.PASSWORDS_DIFFER]}, status=422)
    try:
        accounts.check_password(new)
    except accounts.AccountError as exc:
        return _page(form, {"password": [str(exc)]}, status=422)
    db = get_db()
    key = throttle.throttle_key(THROTTLE_PREFIX + current_user.username, request.remote_addr)
    policy = login_policy()
    attempt = throttle.reserve(db, key, policy)  # before the old password is checked, as at sign-in
    if attempt.wait:
        return _page(form, general=[throttle.wait_message(attempt.wait, WRONG_TRIES)], status=429)
    if accounts.authenticate(db, current_user.username, current) is None:
        paused = throttle.record_failure(db, attempt, key, policy)
        if paused:
            return _page(form, general=[throttle.wait_message(paused, WRONG_TRIES)], status=429)
        return _page(form, {"current": [WRONG_CURRENT]}, status=422)
    throttle.clear(db, key)
    if new == current:
        return _page(form, {"password": [SAME_AS_BEFORE]}, status=422)
    account = account_admin.reset_password(db, current_user.username, new, actor=current_user.username)
    keep_signed_in(account)  # every other browser signs in again; this one stays
    flash("เปลี่ยนรหัสผ่านแล้ว เครื่องอื่นที่เข้าสู่ระบบบัญชีนี้ไว้ต้องเข้าสู่ระบบใหม่", "info")
    return redirect(url_for("my_account.index"))


@bp.post("/name")
@login_required
def change_name():
    form = NameForm()
    if not form.validate_on_submit():
        return _page(general=[CSRF_MESSAGE], status=400)
    try:
        account = account_admin.rename(get_db(), current_user.username, form.display_name.data or "",
                                       actor=current_user.username)
    except accounts.AccountError as exc:
        return _page(errors={"display_name": [str(exc)]}, name_form=form, status=422)
    flash(f"เปลี่ยนชื่อที่แสดงเป็น {account.name} แล้ว", "info")
    return redirect(url_for("my_account.index"))


@bp.post("/sign-out-others")
@login_required
def sign_out_others():
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _page(general=[CSRF_MESSAGE], status=400)
    db = get_db()
    ended = sign_ins.end_others(db, current_user.id, current_user.sign_in)
    audit.record("user_sign_out", None, f"{current_user.username}: {ended}", actor=current_user.username, db=db)
    flash(f"ออกจากระบบเครื่องอื่นแล้ว {ended} เครื่อง" if ended else "ไม่มีเครื่องอื่นที่เข้าสู่ระบบบัญชีนี้อยู่",
          "info")
    return redirect(url_for("my_account.index"))
