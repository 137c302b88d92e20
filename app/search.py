"""The search results page."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, current_app, render_template, request, url_for

from indexer import MAX_QUERY_CHARS, InvalidSearch, parse_search_params

from . import analytics
from .auth import sees_drafts

bp = Blueprint("search", __name__)
# The search's own parameters that a result's link carries (with the query as `h`), so the asset
# page can mark the searched words and lead back to the same results (MkDocs Material's ?h=).
CARRIED = ("department", "km_stage", "asset_type", "tag", "fy", "sort", "page", "as_typed")
CARRIED_CHARS = 100


def checked_request(params, per_page: int = 10):
    """The reader's search parameters, or a 400 page (JSON under /api) naming the bad one."""
    try:
        return parse_search_params(params, current_app.extensions["km"].kb.vocab, per_page)
    except InvalidSearch as exc:
        abort(400, description=str(exc))


@bp.get("/search")
def results():
    kb = current_app.extensions["km"].kb
    search_request = checked_request(request.args, current_app.config["KM_PER_PAGE"])
    search_request = replace(search_request, include_drafts=sees_drafts())  # the KM team sees drafts
    response = kb.search(search_request) if (search_request.q.strip() or search_request.filters) else None
    if response is not None:
        analytics.record_search(search_request.q, response.total, search_request.page, response.confident)
    # "???": something typed, but nothing to look for, and no knowledge to ask the KM team for
    wordless = not analytics.holds_a_word(search_request.q)
    return render_template("search/results.html", response=response, req=search_request, wordless=wordless,
                           result_link_args=result_link_args(request.args))


def result_link_args(args) -> dict[str, str]:
    """What a result's link adds to the asset's address: `h` (the query) and the search's filters."""
    query = args.get("q", "")[:MAX_QUERY_CHARS].strip()
    return {"h": query, **_carried(args)} if query else {}


def back_to_results(args) -> str | None:
    """The results page an asset page was reached from (its `h` and carried filters), or None."""
    query = args.get("h", "")[:MAX_QUERY_CHARS].strip()
    return url_for("search.results", q=query, **_carried(args)) if query else None


def _carried(args) -> dict[str, str]:
    return {name: value[:CARRIED_CHARS] for name in CARRIED if (value := args.get(name, "").strip())}
