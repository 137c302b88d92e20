"""The KM team's own pages: "งานของฉัน" (my drafts, my recent edits, what readers are waiting
for), readers' feedback per asset, and the queue of knowledge requests."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from indexer import dates

from . import feedback, knowledge_requests
from .auth import editor_required
from .db import get_db

bp = Blueprint("team", __name__, url_prefix="/team")

STATES = {"open": "รอดำเนินการ", "closed": "เสร็จแล้ว"}
RECENT_EDITS = 20
# A published asset not updated for this long is listed for review: HR rules, rates and forms
# change, and a reader cannot tell a current procedure from an old one.
REVIEW_AFTER_MONTHS = 12
REVIEW_SHOWN = 10  # the oldest; the others are one click away


def _assets() -> dict:
    """Every valid asset by slug (drafts included: these pages are for the KM team only)."""
    return {a.slug: a for a in current_app.extensions["km_reports"].catalogue.assets()}


def is_due(asset, today: dt.date) -> bool:
    """Whether a published asset was last updated (or published) REVIEW_AFTER_MONTHS or more ago,
    or says neither: then nothing says when it was last true."""
    return asset.status == "published" and (asset.newest_date is None
                                            or whole_months(asset.newest_date, today) >= REVIEW_AFTER_MONTHS)


def due_for_review(assets, today: dt.date) -> list:
    """The assets due for review (is_due), undated first, then the oldest."""
    return sorted((a for a in assets if is_due(a, today)), key=lambda a: (a.newest_date or dt.date.min, a.title))


def whole_months(since: dt.date, today: dt.date) -> int:
    """Whole months from `since` to `today`: one from 2 Nov to 2 Dec, none to 1 Dec."""
    return max(0, (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day))


def years_and_months(months: int) -> str:
    """A span of whole months in words: 21 → "1 ปี 9 เดือน", 12 → "1 ปี", 0 → "ไม่ถึงเดือน"."""
    years, months = divmod(months, 12)
    return " ".join(part for part in (f"{years} ปี" if years else "", f"{months} เดือน" if months else "")
                    if part) or "ไม่ถึงเดือน"


def age(since: dt.date | None, today: dt.date) -> str:
    """How long ago `since` was, in years and months; an unknown date says so."""
    return "ไม่ระบุวันที่" if since is None else years_and_months(whole_months(since, today))


@bp.app_template_global("review_due")
def review_due(asset) -> str:
    """For the KM team on an asset's page: how long it has gone without an update when it is due for
    review ("1 ปี 9 เดือน"), else ""."""
    today = dates.today()
    return age(asset.newest_date, today) if is_due(asset, today) else ""


def _my_edits(username: str) -> list[tuple[str, dt.datetime, int]]:
    """(slug, time of my last save, number of my saves) of the assets I saved most recently."""
    return [(r[0], dt.datetime.fromisoformat(r[1]), r[2]) for r in get_db().execute(
        "SELECT slug, MAX(created_at) AS last, COUNT(*) FROM revisions WHERE author = ? "
        "GROUP BY slug ORDER BY last DESC LIMIT ?", (username, RECENT_EDITS))]


@bp.get("/")
@editor_required
def my_work():
    assets = _assets()
    edits = _my_edits(current_user.username)
    mine = {slug for slug, *_ in get_db().execute("SELECT DISTINCT slug FROM revisions WHERE author = ?",
                                                  (current_user.username,))}
    drafts = sorted((a for a in assets.values() if a.status == "draft"), key=lambda a: (a.slug not in mine, a.title))
    db = get_db()
    today = dates.today()
    review = due_for_review(assets.values(), today)
    return render_template("team/my_work.html", assets=assets, edits=edits, mine=mine, drafts=drafts,
                           review=[(a, age(a.newest_date, today)) for a in review], review_shown=REVIEW_SHOWN,
                           review_after=years_and_months(REVIEW_AFTER_MONTHS),
                           requests=knowledge_requests.queue(db, "open", limit=10),
                           open_requests=knowledge_requests.open_count(db),
                           comments=feedback.comments(db, waiting_only=True, limit=10))


@bp.get("/feedback")
@editor_required
def feedback_page():
    db = get_db()
    return render_template("team/feedback.html", assets=_assets(), votes=feedback.votes_per_asset(db),
                           comments=feedback.comments(db))


@bp.post("/feedback/<int:comment_id>/read")
@editor_required
def mark_read(comment_id: int):
    if not feedback.mark_read(get_db(), comment_id, current_user.username):
        abort(404, description="ไม่พบความคิดเห็นนี้ หรือมีผู้อ่านแล้ว")
    flash("ทำเครื่องหมายว่าอ่านแล้ว", "success")
    return redirect(url_for("team.feedback_page"), 303)


@bp.get("/requests")
@editor_required
def requests_page():
    state = request.args.get("state") or "open"
    if state not in STATES:
        abort(400, description=f"state: ต้องเป็น open (รอดำเนินการ) หรือ closed (เสร็จแล้ว) แต่พบ \"{state[:20]}\"")
    db = get_db()
    return render_template("team/requests.html", state=state, states=STATES,
                           items=knowledge_requests.queue(db, state), open_count=knowledge_requests.open_count(db))


@bp.post("/requests/<int:request_id>/done")
@editor_required
def close_request(request_id: int):
    if not knowledge_requests.close(get_db(), request_id, current_user.username):
        abort(404, description="ไม่พบคำขอนี้ในรายการที่รอดำเนินการ อาจมีผู้ปิดไปแล้ว")
    flash("ปิดคำขอแล้ว", "success")
    return redirect(url_for("team.requests_page"), 303)
