"""The search results page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from indexer import InvalidSearch, parse_search_params

bp = Blueprint("search", __name__)


@bp.get("/search")
def results():
    kb = current_app.extensions["km"].kb
    try:
        search_request = parse_search_params(request.args, kb.vocab)
    except InvalidSearch as exc:
        abort(400, description=str(exc))
    response = kb.search(search_request) if (search_request.q.strip() or search_request.filters) else None
    return render_template("search/results.html", response=response, req=search_request)
