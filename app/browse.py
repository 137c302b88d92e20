"""Home page and browsing by department, KM stage, asset type and tag."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from indexer import SearchRequest

from .search import checked_request

bp = Blueprint("browse", __name__)

# URL facet → (search filter parameter, vocabulary name or None for free tags, Thai heading)
FACETS = {
    "department": ("department", "departments", "หน่วยงาน"),
    "stage": ("km_stage", "km_stages", "ขั้นตอนการจัดการความรู้"),
    "type": ("asset_type", "asset_types", "ประเภทขุมความรู้"),
    "tag": ("tag", None, "คำสำคัญ"),
}


def _kb():
    return current_app.extensions["km"].kb


@bp.get("/")
def home():
    overview = _kb().overview()
    return render_template("browse/home.html", overview=overview)


@bp.get("/browse/")
def index():
    overview = _kb().search(SearchRequest(per_page=1, sort="newest"))
    return render_template("browse/index.html", overview=overview, facets=FACETS)


@bp.get("/browse/<facet>/<path:key>")
def listing(facet: str, key: str):
    if facet not in FACETS:
        abort(404, description="ไม่มีหมวดการเรียกดูนี้")
    param, vocabulary, heading = FACETS[facet]
    kb = _kb()
    if vocabulary is not None and kb.vocab.list(vocabulary).resolve(key) is None:
        abort(404, description=f"ไม่พบ{heading} \"{key}\"")
    params = {param: key, "sort": request.args.get("sort") or "newest", "page": request.args.get("page", "")}
    search_request = checked_request(params, current_app.config["KM_PER_PAGE"])
    response = kb.search(search_request)
    label = kb.vocab.list(vocabulary).label(getattr(search_request, param)) if vocabulary else key
    return render_template("browse/list.html", response=response, facet=facet, key=key,
                           heading=heading, label=label, vocabulary=vocabulary)
