"""The search results page."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, current_app, render_template, request

from indexer import InvalidSearch, parse_search_params

from . import analytics
from .auth import sees_drafts

bp = Blueprint("search", __name__)


@bp.get("/search")
def results():
    kb = current_app.extensions["km"].kb
    try:
        search_request = parse_search_params(request.args, kb.vocab, current_app.config["KM_PER_PAGE"])
    except InvalidSearch as exc:
        abort(400, description=str(exc))
    search_request = replace(search_request, include_drafts=sees_drafts())  # the KM team sees drafts
    response = kb.search(search_request) if (search_request.q.strip() or search_request.filters) else None
    if response is not None:
        analytics.record_search(search_request.q, response.total, search_request.page)
    return render_template("search/results.html", response=response, req=search_request)
