"""Sign-in and sign-out, roles, CSRF protection and the optional "sign in to read" mode."""

from __future__ import annotations

from dataclasses import replace
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_login import AnonymousUserMixin, LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from wtforms import PasswordField, StringField

from . import accounts, sign_ins, throttle
from .db import get_db
from .errorpages import error_page

bp = Blueprint("auth", __name__, url_prefix="/auth")
csrf = CSRFProtect()
login_manager = LoginManager()
# Back does not bring a KM team form back (its pages are no-store, and a signed-out one redirects):
# unsaved.js offers what was typed when the form opens again (outside review, accessibility A-01).
CSRF_MESSAGE = ("แบบฟอร์มไม่มีรหัสยืนยันความปลอดภัย หรือรหัสใช้ไม่ได้แล้ว เช่น เมื่อออกจากระบบหรือ"
                "เข้าสู่ระบบใหม่หลังจากเปิดแบบฟอร์ม: เปิดแบบฟอร์มอีกครั้งแล้วส่งใหม่ ข้อความที่พิมพ์ในแบบฟอร์มของทีม KM "
                "จะมีให้ใช้ต่อเมื่อเปิดแบบฟอร์มนั้นในแท็บเดิม ส่วนแบบฟอร์มอื่นให้กดย้อนกลับแล้วคัดลอกข้อความเก็บไว้ก่อน")
LOGIN_FAILED = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
NO_PERMISSION = "บัญชีของคุณไม่มีสิทธิทำรายการนี้ (ต้องเป็นทีม KM หรือผู้ดูแลระบบ)"
ADMINS_ONLY = "บัญชีของคุณไม่มีสิทธิทำรายการนี้ (ต้องเป็นผู้ดูแลระบบ)"  # an editor is the KM team already
# the icon is no content (the sign-in page shows it too); a monitor's health check holds none either
OPEN_ENDPOINTS = {"auth.login", "static", "favicon", "status.health"}


class Visitor(AnonymousUserMixin):
    """A reader who has not signed in: may read, never write."""

    role = "reader"
    can_edit = False
    is_admin = False
    name = ""


class LoginForm(FlaskForm):
    username = StringField("ชื่อผู้ใช้")
    password = PasswordField("รหัสผ่าน")


class HttpsAwareSessions(SecureCookieSessionInterface):
    """The session cookie, marked Secure whenever the request came over HTTPS.

    Directly, or through a trusted proxy's X-Forwarded-Proto (KM_TRUSTED_PROXIES, read by
    ProxyFix), so a browser that later opens an http:// bookmark of the site never sends the
    sign-in in clear; over plain HTTP (a test server, a laptop) it is not, or nobody could sign in.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def init_app(app: Flask) -> None:
    """Wire Flask-Login, CSRF on every form, the session cookie and the sign-in requirement."""
    app.session_interface = HttpsAwareSessions()
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "กรุณาเข้าสู่ระบบก่อน"
    login_manager.login_message_category = "info"
    login_manager.anonymous_user = Visitor
    login_manager.user_loader(_load_user)
    app.register_error_handler(CSRFError, _csrf_error)
    app.before_request(_require_login)


def _load_user(session_id: str):
    """The account of a session cookie ("<id>:<token>"), if that sign-in is still live."""
    user_id, _, token = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) < 12 and token):
        return None  # also a cookie from before sign-ins were kept, which held the id alone
    db = get_db()
    account = accounts.get(db, int(user_id))
    idle = sign_ins.IDLE if account is not None and account.role in ("editor", "admin") else None
    if account is None or not account.active or not sign_ins.is_valid(db, account.id, token, idle):
        return None
    return replace(account, sign_in=token)


def keep_signed_in(account) -> None:
    """After a change to one's own account: if it ended this session (a new password ends
    every sign-in), sign in again here, so only the other sessions end."""
    db = get_db()
    if not sign_ins.is_valid(db, account.id, getattr(current_user, "sign_in", "")):
        login_user(replace(account, sign_in=sign_ins.start(db, account.id)))


# The editor's own requests (editor.js): answered in JSON, never with a page to sign in, which the
# live preview showed inside itself when a sign-in had ended (outside review, accessibility A-01).
SCRIPT_ENDPOINTS = ("publish.preview", "publish.upload_image", "publish.paste")
SIGNED_OUT = "ยังไม่ได้เข้าสู่ระบบ หรือการเข้าสู่ระบบหมดอายุแล้ว: เข้าสู่ระบบใหม่แล้วลองอีกครั้ง"


def _asked_by_script() -> bool:
    return request.path.startswith("/api/") or request.endpoint in SCRIPT_ENDPOINTS


def _csrf_error(exc: CSRFError):
    current_app.logger.warning("CSRF check failed on %s %s: %s", request.method, request.path, exc.description)
    if _asked_by_script():
        return jsonify(error="Bad Request", reason=CSRF_MESSAGE, status=400), 400
    exc.description = CSRF_MESSAGE
    return error_page(exc), 400


def _require_login():
    if not current_app.config.get("KM_REQUIRE_LOGIN") or current_user.is_authenticated:
        return None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.path.startswith("/api/"):
        return jsonify(error="Unauthorized", reason="ต้องเข้าสู่ระบบก่อน", status=401), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def editor_required(view):
    """Let the KM team (editors and admins) through; others are sent to sign in or get 403."""
    return _role_required(view, lambda user: user.can_edit, NO_PERMISSION)


def admin_required(view):
    """Let admins through; others are sent to sign in or get 403."""
    return _role_required(view, lambda user: user.is_admin, ADMINS_ONLY)


def _role_required(view, allowed, refusal: str):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            if _asked_by_script():
                return jsonify(error="Unauthorized", reason=SIGNED_OUT, status=401), 401
            return login_manager.unauthorized()
        if not allowed(current_user):
            abort(403, description=refusal)
        return view(*args, **kwargs)
    return wrapper


def is_km_team() -> bool:
    """True for signed-in editors and admins."""
    return bool(getattr(current_user, "can_edit", False))


def sees_drafts() -> bool:
    """True for the KM team, who see drafts on asset pages and in search."""
    return is_km_team()


def safe_next(target: str | None) -> str:
    """Only follow same-site paths after sign-in (never //evil.example or https://…)."""
    if not target:
        return url_for("browse.home")
    parts = urlsplit(target)  # (which drops tabs and line breaks: a Location with one was a 500)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in target)):
        return url_for("browse.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        username, password = form.username.data or "", form.password.data or ""
        missing = [label for label, value in (("ชื่อผู้ใช้", username.strip()), ("รหัสผ่าน", password)) if not value]
        if missing:  # said as what is missing, and no failed attempt counted (wording review)
            error, status = f"กรุณากรอก{'และ'.join(missing)}", 400
        else:
            error, status = _attempt(username, password)
        if error is None:
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error,
                           max_password_chars=accounts.MAX_PASSWORD_CHARS), status


def login_policy() -> throttle.ThrottlePolicy:
    """How many wrong passwords a name and client may try before a pause, and how long it lasts."""
    return throttle.ThrottlePolicy(int(current_app.config["KM_LOGIN_MAX_FAILURES"]),
                                   int(current_app.config["KM_LOGIN_LOCK_SECONDS"]))


def _attempt(username: str, password: str) -> tuple[str | None, int]:
    db = get_db()
    known = accounts.find(db, username) is not None
    # an unknown name may be a password typed one box too early: counted by a hash, logged as unknown
    counted = username if known else throttle.unknown_name(username, current_app.secret_key)
    key = throttle.throttle_key(counted, request.remote_addr)
    policy = login_policy()
    attempt = throttle.reserve(db, key, policy)  # before the password is checked, never after
    if attempt.wait:
        return throttle.wait_message(attempt.wait), 429
    account = accounts.authenticate(db, username, password)
    if account is None or not account.active:
        paused = throttle.record_failure(db, attempt, key, policy)
        current_app.logger.warning("failed sign-in for %s from %s",
                                   repr(username.strip().lower()) if known else "an unknown user name",
                                   request.remote_addr)
        if paused:
            return throttle.wait_message(paused), 429
        return (LOGIN_FAILED if account is None else "บัญชีนี้ถูกระงับการใช้งาน ติดต่อผู้ดูแลระบบ"), 401
    throttle.clear(db, key)
    session.pop("csrf_token", None)  # forms get a new token with the new sign-in
    login_user(replace(account, sign_in=sign_ins.start(db, account.id)))
    flash(f"ยินดีต้อนรับ {account.name}", "info")
    return None, 200


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        sign_ins.end(get_db(), current_user.sign_in)  # a copy of this session's cookie stops working too
    logout_user()
    session.pop("csrf_token", None)  # a form of the session that ended is refused
    session["unsaved_done"] = "*"  # and unsaved.js forgets what it kept of this account's forms
    flash("ออกจากระบบแล้ว", "info")
    return redirect(url_for("browse.home"))
