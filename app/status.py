"""Repository status: index figures for everyone; the files skipped or warned about, with their
paths, fields and values, for the KM team only (a draft's path and front matter are the team's)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from indexer import SearchRequest, copied_assets, dated_ahead, dates

from .auth import is_km_team
from .plans.state import assets, checked_records

bp = Blueprint("status", __name__)


@bp.get("/status")
def index():
    state = current_app.extensions["km"]
    kb = state.kb
    problems = kb.problems()
    warnings = [p for p in problems if p.severity != "error"]
    details = is_km_team()
    if details:  # dates after today, as of today (indexer/plans/ahead.py), and copies: across files, so not
        warnings += dated_ahead(assets(), checked_records(), dates.today())  # in the index's per-file problems
        warnings += copied_assets(assets())
    overview = kb.search(SearchRequest(per_page=1))
    return render_template("status/index.html", problems=problems, total=overview.total,
                           errors=[p for p in problems if p.severity == "error"], warnings=warnings,
                           details=details, last_error=state.last_error, watcher=state.watcher,
                           watcher_died=state.watcher_died, settings=kb.settings, semantic=kb.semantic.status())
