"""What readers tell the KM team: "เรื่องนี้มีประโยชน์ไหม?" on asset pages and
"ขอความรู้เรื่องนี้" on the no-results page. Plain forms (CSRF, no JavaScript needed)
that answer with a redirect and a message, or a 400/429 page with the Thai reason."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, request, session, url_for

from indexer import dates

from . import feedback, knowledge_requests
from .assets import load_or_404
from .db import get_db

bp = Blueprint("voice", __name__)

CHOOSE = "กรุณาเลือก “มีประโยชน์” หรือ “ไม่มีประโยชน์”"
THANKS = "ขอบคุณสำหรับคำตอบ ทีม KM จะนำไปปรับปรุงเรื่องนี้"


def _reader() -> str:
    """This browser's random reader token (in the signed session cookie; nothing about the person)."""
    if "reader" not in session:
        session["reader"] = secrets.token_hex(16)
    return session["reader"]


def _refuse(exc: feedback.Refused):
    abort(exc.status, description=str(exc))


@bp.post("/assets/<slug>/feedback")
def vote(slug: str):
    asset = load_or_404(slug)
    if asset.status == "draft":  # the KM team reads drafts, but only published work is voted on
        abort(404, description="ไม่พบขุมความรู้นี้ อาจถูกย้ายหรือเปลี่ยนชื่อไฟล์")
    answer = request.form.get("helpful", "")
    if answer not in ("yes", "no"):
        abort(400, description=CHOOSE)
    try:
        counted = feedback.record_vote(get_db(), asset.slug, answer == "yes", request.form.get("comment", ""),
                                       reader=_reader(), address=request.remote_addr or "-", day=dates.today())
    except feedback.Refused as exc:
        _refuse(exc)
    # shown in place of the form the reader used, not at the top of a long page; the fragment is the
    # thanks itself, which takes the focus: a scroll to the section (#helpful) took the focus back from
    # it, and a screen reader never said it (outside review, accessibility A-02)
    flash(THANKS if counted else feedback.DUPLICATE_VOTE, f"vote:{asset.slug}")
    return redirect(url_for("assets.show", slug=asset.slug) + "#helpful-done", 303)


@bp.post("/requests")
def ask():
    query = request.form.get("q", "")
    try:
        message = knowledge_requests.ask(get_db(), query, request.form.get("detail", ""), reader=_reader(),
                                         address=request.remote_addr or "-", day=dates.today())
    except feedback.Refused as exc:
        _refuse(exc)
    flash(message, "success")
    return redirect(url_for("search.results", q=query.strip()[:200]), 303)


def init_app(app) -> None:
    """The comment boxes' maxlength (the server checks the same limit)."""
    app.jinja_env.globals["max_comment_chars"] = feedback.MAX_COMMENT_CHARS
