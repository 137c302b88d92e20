"""The asset page and its print view."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

from flask import Blueprint, abort, current_app, render_template, request
from markupsafe import Markup

from indexer import MAX_QUERY_CHARS, Problem

from . import analytics
from .auth import sees_drafts
from .rendering import render_markdown
from .search import back_to_results

bp = Blueprint("assets", __name__, url_prefix="/assets")


def load_or_404(slug: str):
    """Return the asset for a slug from the URL, or a 404 (the slug is never used as a path)."""
    kb = current_app.extensions["km"].kb
    asset = kb.asset(slug)
    if asset is None and sees_drafts():  # the KM team is told when the file is there but has an error
        broken = broken_file(slug)
        if broken:
            where = (f"บรรทัด {broken.line} " if broken.line else "") + (f"{broken.field}: " if broken.field else "")
            abort(404, description=f"ไฟล์ {broken.path} ของเรื่องนี้มีข้อผิดพลาด จึงยังไม่แสดงและไม่นับ: "
                                   f"{where}{broken.message} · แก้ไฟล์แล้วเรื่องนี้จะกลับมาเอง "
                                   f"แก้ได้ในเว็บที่ /publish/{slug[:200]}/source "
                                   "(รายการทั้งหมดอยู่ที่หน้าสถานะคลังความรู้ /status)")
    if asset is None or (asset.status == "draft" and not sees_drafts()):  # drafts: KM team only
        abort(404, description="ไม่พบขุมความรู้นี้ อาจถูกย้ายหรือเปลี่ยนชื่อไฟล์")
    return asset


def broken_file(slug: str) -> Problem | None:
    """The error for which the file named `slug` was left out of the index, if one was: its path is
    the index's own record of the files it read, never taken from the URL."""
    kb = current_app.extensions["km"].kb
    return next((p for p in kb.problems() if p.severity == "error" and PurePosixPath(p.path).stem == slug[:200]),
                None)


@bp.get("/<slug>")
def show(slug: str):
    asset = load_or_404(slug)
    kb = current_app.extensions["km"].kb
    analytics.record_view(asset)
    rendered = render_markdown(asset.body, asset.slug)
    searched = request.args.get("h", "")[:MAX_QUERY_CHARS].strip()  # reached from a result: mark its words
    if searched:  # the sanitised HTML's text is matched and escaped again; `h` itself is never inserted
        marked = kb.highlight(str(rendered.html), searched, as_typed=request.args.get("as_typed") in ("1", "true"))
        rendered = replace(rendered, html=Markup(marked))
    return render_template("assets/asset.html", asset=asset, rendered=rendered, related=kb.related(asset),
                           searched=searched, back_to_results=back_to_results(request.args))


@bp.get("/<slug>/print")
def print_view(slug: str):
    asset = load_or_404(slug)
    return render_template("assets/print.html", asset=asset, rendered=render_markdown(asset.body, asset.slug))
