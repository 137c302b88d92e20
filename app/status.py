"""Repository status for the KM team: index figures and the files that were skipped, with reasons."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from indexer import SearchRequest

bp = Blueprint("status", __name__)


@bp.get("/status")
def index():
    state = current_app.extensions["km"]
    kb = state.kb
    problems = kb.problems()
    overview = kb.search(SearchRequest(per_page=1))
    return render_template("status/index.html", problems=problems, total=overview.total,
                           errors=[p for p in problems if p.severity == "error"],
                           warnings=[p for p in problems if p.severity != "error"],
                           last_error=state.last_error, settings=kb.settings, semantic=kb.semantic.status())
