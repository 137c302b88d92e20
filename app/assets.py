"""The asset page and its print view."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from . import analytics
from .auth import sees_drafts
from .rendering import render_markdown

bp = Blueprint("assets", __name__, url_prefix="/assets")


def load_or_404(slug: str):
    """Return the asset for a slug from the URL, or a 404 (the slug is never used as a path)."""
    asset = current_app.extensions["km"].kb.asset(slug)
    if asset is None or (asset.status == "draft" and not sees_drafts()):  # drafts: KM team only
        abort(404, description="ไม่พบขุมความรู้นี้ อาจถูกย้ายหรือเปลี่ยนชื่อไฟล์")
    return asset


@bp.get("/<slug>")
def show(slug: str):
    asset = load_or_404(slug)
    kb = current_app.extensions["km"].kb
    analytics.record_view(asset)
    return render_template("assets/asset.html", asset=asset, rendered=render_markdown(asset.body, asset.slug),
                           related=kb.related(asset))


@bp.get("/<slug>/print")
def print_view(slug: str):
    asset = load_or_404(slug)
    return render_template("assets/print.html", asset=asset, rendered=render_markdown(asset.body, asset.slug))
