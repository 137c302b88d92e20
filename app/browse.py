"""Home page, the list of all assets and browsing by department, KM stage, asset type and tag.

Every list can be sorted (LIST_SORTS: newest change first, title in Thai dictionary
order, most viewed) and says how it is sorted; a bad sort or page is a 400 naming it.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, current_app, render_template, request

from indexer import LIST_SORTS, SearchRequest

from . import analytics
from .search import checked_request

bp = Blueprint("browse", __name__)

# URL facet → (search filter parameter, vocabulary name or None for free tags, Thai heading)
FACETS = {
    "department": ("department", "departments", "หน่วยงาน"),
    "stage": ("km_stage", "km_stages", "ขั้นตอนการจัดการความรู้"),
    "type": ("asset_type", "asset_types", "ประเภทขุมความรู้"),
    "tag": ("tag", None, "คำสำคัญ"),
}
# sort key → (the control's label, the sentence that says how the list is sorted)
SORT_LABELS = {
    "newest": ("ใหม่ล่าสุด", "เรียงตามวันที่ปรับปรุงหรือเผยแพร่ ใหม่ที่สุดก่อน"),
    "title": ("ชื่อเรื่อง ก–ฮ", "เรียงตามชื่อเรื่องตามลำดับพจนานุกรมไทย ก–ฮ"),
    "views": ("เปิดอ่านมากที่สุด", "เรียงตามจำนวนครั้งที่เปิดอ่านทั้งหมด มากที่สุดก่อน"),
}
BAD_SORT = "sort: เรียงได้เฉพาะ newest (ใหม่ล่าสุด), title (ชื่อเรื่อง ก–ฮ) หรือ views (เปิดอ่านมากที่สุด) แต่พบ \"{}\""


def _kb():
    return current_app.extensions["km"].kb


def init_app(app) -> None:
    """The sort labels for the list templates."""
    app.jinja_env.globals["list_sorts"] = SORT_LABELS


def list_response(filters: dict[str, str]):
    """One page of published assets matching `filters`, sorted as the reader asked (400 if they asked badly)."""
    sort = (request.args.get("sort") or "newest").strip()
    if sort not in LIST_SORTS:
        abort(400, description=BAD_SORT.format(sort[:20]))
    search_request = checked_request({**filters, "page": request.args.get("page", "")},
                                     current_app.config["KM_PER_PAGE"])
    search_request = replace(search_request, sort=sort)
    views = analytics.view_totals() if sort == "views" else None
    response = _kb().search(search_request, views)
    if search_request.page > response.pages:
        abort(400, description=f"page: รายการนี้มี {response.pages:,} หน้า แต่ขอหน้า {search_request.page:,}")
    return response, views


@bp.get("/")
def home():
    overview = _kb().overview()
    return render_template("browse/home.html", overview=overview)


@bp.get("/browse/")
def index():
    overview = _kb().search(SearchRequest(per_page=1, sort="newest"))
    return render_template("browse/index.html", overview=overview, facets=FACETS)


@bp.get("/browse/all")
def all_assets():
    response, views = list_response({})
    return render_template("browse/all.html", response=response, views=views)


@bp.get("/browse/<facet>/<path:key>")
def listing(facet: str, key: str):
    if facet not in FACETS:
        abort(404, description="ไม่มีหมวดการเรียกดูนี้")
    param, vocabulary, heading = FACETS[facet]
    kb = _kb()
    if vocabulary is not None and kb.vocab.list(vocabulary).resolve(key) is None:
        abort(404, description=f"ไม่พบ{heading} \"{key}\"")
    response, views = list_response({param: key})
    label = kb.vocab.list(vocabulary).label(getattr(response.request, param)) if vocabulary else key
    return render_template("browse/list.html", response=response, facet=facet, key=key, views=views,
                           heading=heading, label=label, vocabulary=vocabulary)
