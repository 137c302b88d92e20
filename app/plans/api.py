"""JSON API of the KM-plan cycle. Every route is a GET with query parameters; a bad one is a 400 whose
JSON `reason` names it (the site's error handler answers /api/ paths in JSON)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from .filters import event_filters
from .payload import event_json, person_json, plan_json, report_json
from .state import default_year, plan_for_request, records, requested_as_of, requested_fiscal_year, results

bp = Blueprint("plans_api", __name__, url_prefix="/api")


@bp.get("/plans")
def plans():
    """KM action plans with header and activities (measure, target, actual, state, evidence).

    ?fy=2568 gives the plan covering that fiscal year (an empty list when there is none);
    without fy, every plan for its current (or nearest) year.
    """
    if request.args.get("fy", "").strip():
        year = requested_fiscal_year()
        plan = records().plan_for_year(year)
        found = [plan_json(plan, results(plan, year))] if plan else []
        return jsonify({"fiscal_year": year, "plans": found})
    return jsonify({"fiscal_year": None, "plans": [plan_json(p, results(p, default_year(p)))
                                                   for p in reversed(records().plans)]})


@bp.get("/events")
def events():
    """Sharing and learning events, oldest first; ?fy=2568, ?activity=2568:6 (or 6 with fy), ?type=cop."""
    chosen = event_filters(request.args)
    found = chosen.apply(records().events)
    return jsonify({"total": len(found), "filters": {"fy": chosen.fy, "plan": chosen.plan,
                                                     "activity": chosen.activity, "type": chosen.type},
                    "events": [event_json(e) for e in found]})


@bp.get("/people")
def people():
    """The people directory: name, position, division, expertise, KM roles, CoPs and work contact."""
    return jsonify({"total": len(records().people.people),
                    "people": [person_json(p) for p in records().people.people]})


@bp.get("/people/<key>")
def person(key: str):
    """One person with the assets they hold and the events they organised."""
    found = records().people.by_key.get(key) if len(key) <= 80 else None
    if found is None:
        abort(404, description="ไม่พบบุคคลนี้ในทำเนียบ")
    return jsonify(person_json(found, detail=True))


@bp.get("/report")
def report():
    """The yearly results report of ?fy=2568 (default: the current year): what the printed report shows."""
    plan, year = plan_for_request(page=False)
    return jsonify(report_json(results(plan, year, requested_as_of())))
