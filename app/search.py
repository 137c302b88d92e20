"""The search results page."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, current_app, render_template, request

from indexer import InvalidSearch, parse_search_params

from . import analytics
from .auth import sees_drafts

bp = Blueprint("search", __name__)


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
        analytics.record_search(search_request.q, response.total, search_request.page)
    return render_template("search/results.html", response=response, req=search_request)
