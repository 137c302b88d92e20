"""ขุมความรู้ — the Flask site over the knowledge repository."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Mapping
from typing import Any

from flask import (
    Flask,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
)
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, ServiceUnavailable
from werkzeug.middleware.proxy_fix import ProxyFix

from indexer import IndexUnavailable, KnowledgeBase, use_timezone

from . import config as site_config
from . import db, filters, limits
from .errorpages import error_page, error_text
from .rendering import TABLE_REGION
from .state import SiteState

log = logging.getLogger(__name__)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the site: defaults, then instance/config.py, then KM_* variables, then `test_config`."""
    instance = ((test_config or {}).get("KM_INSTANCE_DIR") or os.environ.get("KM_INSTANCE_DIR")
                or site_config.default_instance_dir())
    # Flask wants it absolute; relative, like KM_KNOWLEDGE_DIR, it is taken from the folder started in
    app = Flask(__name__, instance_relative_config=True, instance_path=os.path.abspath(instance))
    app.config.from_mapping(site_config.FLASK_DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    values, settings = site_config.site_settings(app.config, os.environ, test_config, app.instance_path)
    if test_config:
        app.config.update(test_config)
    app.config.update(values)
    use_timezone(app.config["KM_TIMEZONE"])  # every date and time shown, and "today", in the municipality's zone
    if app.config["KM_TRUSTED_PROXIES"]:  # behind nginx: the reader's address (sign-in throttling) and https
        hops = int(app.config["KM_TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    app.config["SECRET_KEY"] = site_config.secret_key(app.config, settings.instance_dir)

    kb = KnowledgeBase(settings)
    kb.semantic.auto = kb.semantic.enabled
    if app.config["KM_BUILD_ON_START"]:
        kb.ensure_index()
    _warm_up(kb, freeze=not app.config.get("TESTING"))
    state = SiteState(kb, float(app.config["KM_WATCH_INTERVAL"]), bool(app.config["KM_BUILD_ON_START"]))
    app.extensions["km"] = state

    app.json.ensure_ascii = False  # Thai stays readable in API responses
    filters.register(app)
    _register_blueprints(app)
    db.init_app(app)  # after the blueprints: their modules register the tables
    limits.init_app(app)  # before every other check: an oversized request is refused unread
    _register_hooks(app, state)
    _register_error_handlers(app, state)
    app.url_defaults(_static_versions(app))
    # browsers ask for /favicon.ico on every site; the icon is drawn by scripts/make_favicon.py
    app.add_url_rule("/favicon.ico", "favicon", lambda: send_from_directory(
        app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=7 * 86400))
    return app


def _static_versions(app: Flask):
    """url_for("static", filename=…) with ?v= and the first characters of the file's hash: nginx
    (and the browser) keep static files for 7 days, so after an upgrade phones showed the new pages
    with the old CSS and JavaScript for up to a week. A changed file gets a new address at once."""
    hashes: dict[tuple[str, float], str] = {}

    def add_version(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or "filename" not in values:
            return
        path = os.path.join(app.static_folder or "", values["filename"])
        try:
            info = os.stat(path)
        except OSError:
            return  # not there: the link 404s as it would have
        if not stat.S_ISREG(info.st_mode):
            return  # the folder itself (the PDF maker's prefix)
        stamp = info.st_mtime
        key = (path, stamp)
        if key not in hashes:
            with open(path, "rb") as handle:
                hashes[key] = hashlib.sha256(handle.read()).hexdigest()[:10]
        values["v"] = hashes[key]
    return add_version


def _warm_up(kb: KnowledgeBase, freeze: bool) -> None:
    """Load the segmentation dictionary (and the speller's word list) now, not on the first search.

    Under gunicorn --preload this runs once in the master, and the workers share
    the ~300k dictionary objects copy-on-write; freezing them keeps the garbage
    collector from touching (and so copying) those pages. Index files are not
    opened here: forked workers must not share open file offsets.
    """
    import gc

    kb.load_language_data()  # the dictionary and the speller's word list, before the fork
    if freeze and gc.get_freeze_count() == 0:  # once per process; never in tests, where it would keep
        gc.collect()                           # every test's objects alive and hide unclosed files
        gc.freeze()


def _register_blueprints(app: Flask) -> None:
    """One blueprint per area of the site; each module exposes `bp`."""
    from . import (
        api,
        assets,
        attachments,
        audit,
        auth,
        backup_cli,
        browse,
        erase,
        feeds,
        my_account,
        plans,
        prune,
        publish,
        reports,
        search,
        status,
        team,
        useradmin,
        users,
        voice,
    )

    for module in (browse, search, assets, api, status, reports, auth, publish, attachments, audit, useradmin,
                   plans, feeds, voice, team, my_account):
        app.register_blueprint(module.bp)
    # Areas with their own setup (CLI commands, tables) expose `init_app(app)`.
    for module in (browse, search, assets, api, status, reports, auth, publish, attachments, audit, users, plans,
                   backup_cli, erase, prune, voice):
        if hasattr(module, "init_app"):
            module.init_app(app)


def _register_hooks(app: Flask, state: SiteState) -> None:
    @app.before_request
    def _watch() -> None:
        state.start_watching()
        if request.endpoint != "static":
            g.km_build = state.ensure_index_present()  # a deleted index is rebuilt before this request reads it

    @app.teardown_request
    def _background(_error) -> None:
        # In each worker after the fork, once its first request is answered (not while it is,
        # or that answer shares the interpreter with them: at 10,000 assets a first search
        # took 2.0 s instead of 0.7): the model is loaded and the search-as-you-type tables made.
        state.kb.start_semantic()
        state.kb.start_suggestions()

    @app.context_processor
    def _globals() -> dict:
        return {"vocab": state.kb.vocab, "site_name": app.config["KM_SITE_NAME"], "unsaved_done": unsaved_done}

    # every table that may scroll sideways opens with table_scroll, so a keyboard reaches and scrolls it;
    # a global, not a context value, which macros imported without context would see as empty
    app.jinja_env.globals["table_scroll"] = TABLE_SCROLL

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy",
                           "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'none'")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint == "static" and request.args.get("v") and response.status_code in (200, 304):
            # pages link each file with ?v=<its hash> (_static_versions): that address never changes, so a
            # phone keeps it a year without asking again, as behind nginx (deploy/nginx/km.conf)
            headers["Cache-Control"] = "public, max-age=31536000, immutable"
        if request.endpoint != "static" and "Cache-Control" not in headers and current_user.is_authenticated:
            # a signed-in page may hold drafts and the audit log: no shared cache or back button keeps it
            # (outside review, security: nothing said so to a caching proxy in front of the site)
            headers["Cache-Control"] = "private, no-store"
        return response

    @app.after_request
    def _form_accepted(response):
        if request.method == "POST" and response.status_code in (302, 303) and current_user.is_authenticated:
            # a form the site accepted answers with a redirect (a refused one is shown again, 4xx):
            # the copy unsaved.js kept of it in the writer's tab can go. A lapsed sign-in's redirect
            # to the sign-in page comes signed out, and keeps it.
            session["unsaved_done"] = request.path
        return response


BACK_TO_THE_FORM = {"publish.attachments_page"}
NO_INDEX = ("ยังเปิดดัชนีค้นหาไม่ได้ ผู้ดูแลระบบสร้างดัชนีได้ด้วยคำสั่ง python -m indexer build "
            "(สาเหตุอยู่ในบันทึกของระบบ)")


TABLE_SCROLL = Markup(TABLE_REGION)


def unsaved_done() -> str:
    """The path of the form this browser just had accepted ("*" after sign-out), said once on the
    next page so unsaved.js forgets the copy it kept of that form; "" when there is none."""
    return session.pop("unsaved_done", "") if "unsaved_done" in session else ""


def _register_error_handlers(app: Flask, state: SiteState) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code == 413 and request.method == "POST" and request.endpoint in BACK_TO_THE_FORM:
            # a file over the limit, refused before the form is read: back to the page, as any other
            # refused file is, rather than an error page that offers only the home page
            flash(error_text(exc)[1], "error")
            return redirect(request.path, 303)
        if _wants_json():
            response = jsonify(error=exc.name, reason=error_text(exc)[1], status=exc.code)
        else:
            response = make_response(error_page(exc))
        response.status_code = exc.code
        # keep what the exception says beyond its body: Allow on a 405 (RFC 9110), Retry-After on a 503
        response.headers.extend((k, v) for k, v in exc.get_headers() if k.lower() != "content-type")
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if state.recover_index(exc, g.get("km_build")) and request.method in ("GET", "HEAD"):
            return redirect(request.full_path if request.query_string else request.path, 307)  # now served
        if isinstance(exc, IndexUnavailable):  # no index, and the site may not build one (KM_BUILD_ON_START)
            return _http_error(ServiceUnavailable(description=NO_INDEX))
        if _wants_json():
            return jsonify(error="Internal Server Error", reason="เกิดข้อผิดพลาดภายในระบบ", status=500), 500
        return render_template("errors/error.html", error=None), 500


def _wants_json() -> bool:
    return request.path.startswith("/api/")
