"""JSON API: search, asset lookup, indicators and the OpenAPI document describing them (openapi.yaml).

Bad parameters get a 400 with a reason.
"""

from __future__ import annotations

import copy
import functools
import time
from pathlib import Path

import yaml
from flask import Blueprint, abort, current_app, jsonify, request, url_for

from indexer import MAX_QUERY_CHARS, __version__, suggest_query
from indexer.content.schema import FIELDS

from . import analytics
from .assets import load_or_404
from .rendering import render_markdown
from .search import checked_request

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    kb = current_app.extensions["km"].kb
    search_request = checked_request(request.args)
    started = time.perf_counter()
    response = kb.search(search_request)
    search_ms = (time.perf_counter() - started) * 1000
    analytics.record_search(search_request.q, response.total, search_request.page, response.confident)
    payload = jsonify({
        "query": response.query,
        "total": response.total,
        "page": search_request.page,
        "per_page": search_request.per_page,
        "results": [{
            "slug": hit.slug, "title": hit.title, "url": url_for("assets.show", slug=hit.slug),
            "department": hit.department, "km_stage": hit.km_stage, "asset_type": hit.asset_type,
            "tags": list(hit.tags), "snippet": hit.snippet, "score": hit.score,
            "published": hit.published.isoformat() if hit.published else None,
            "in_attachments": _attachment_match(hit), "sent_with": list(hit.sent_with), "passage": hit.passage,
        } for hit in response.hits],
        "facets": {name: [{"key": k, "count": c} for k, c in pairs] for name, pairs in response.facets.items()},
        "suggestion": response.suggestion,
        "corrected_from": response.corrected_from,
        "switched_layout": response.switched_layout,
        "confident": response.confident,
        "semantic": response.semantic,
    })
    # time spent searching (query, facets, snippets) on the server, for monitoring and bench/
    payload.headers["Server-Timing"] = f"search;dur={search_ms:.2f}"
    return payload


def _attachment_match(hit) -> dict | None:
    """The attachments that hold the words a result's own text lacks, as the result card shows them."""
    found = hit.in_attachments
    if found is None:
        return None
    return {"files": [{"name": name, "url": url_for("attachments.download", slug=hit.slug, name=name)}
                      for name in found.names],
            "snippet": found.snippet}


# Where choosing a suggestion leads: a word or a tag runs a search, an asset or a person opens its page.
SUGGESTION_LINKS = {
    "asset": lambda target: url_for("assets.show", slug=target),
    "person": lambda target: url_for("people.show", key=target),
    "tag": lambda target: url_for("search.results", tag=target),
    "word": lambda target: url_for("search.results", q=target),
}


@bp.get("/suggest")
def suggest():
    """Search as you type: published titles, tags, people and index words starting with `q`."""
    from .plans.state import records

    typed = request.args.get("q", "")
    if len(typed) > MAX_QUERY_CHARS:
        abort(400, description=f"q: ยาวได้ไม่เกิน {MAX_QUERY_CHARS} ตัวอักษร แต่พบ {len(typed)} ตัวอักษร")
    started = time.perf_counter()
    suggestions = current_app.extensions["km"].kb.suggest(typed, records().people.people)
    payload = jsonify({
        "query": suggest_query(typed),
        "suggestions": [{"text": s.text, "kind": s.kind, "url": SUGGESTION_LINKS[s.kind](s.target)}
                        for s in suggestions],
    })
    payload.headers["Server-Timing"] = f"suggest;dur={(time.perf_counter() - started) * 1000:.2f}"
    # the same for every reader (no drafts): the browser may keep it a minute (Backspace asks nothing)
    payload.headers["Cache-Control"] = "private, max-age=60"
    return payload


def _iso(day) -> str | None:
    return day.isoformat() if day else None


# A front-matter field's value as JSON, by the schema's kind of field: a new kind must say how it is sent.
FIELD_JSON = {
    "text": str, "vocab": str, "tags": list, "date": _iso, "dates": lambda days: [_iso(d) for d in days],
    "dissemination": lambda records: [{"channel": r.channel, "date": _iso(r.date), "ref": r.ref} for r in records],
}


def front_matter_json(item) -> dict:
    """Every front-matter field the schema declares (indexer/content/schema.py), as JSON: a field added there
    reaches the API without a change here (app/openapi.yaml's Asset must list it too; test_api checks)."""
    return {spec.name: FIELD_JSON[spec.kind](getattr(item, spec.name)) for spec in FIELDS}


@bp.get("/assets/<slug>")
def asset(slug: str):
    item = load_or_404(slug)
    rendered = render_markdown(item.body, item.slug)
    return jsonify({
        "slug": item.slug, "path": item.path, "url": url_for("assets.show", slug=item.slug),
        **front_matter_json(item),
        "fiscal_year": item.fiscal_year,
        "markdown": item.body,
        "html": str(rendered.html),
        "toc": [{"level": level, "id": anchor, "title": title} for level, anchor, title in rendered.toc],
    })


@bp.get("/indicators")
def indicators():
    """KM indicators of a fiscal year (?fy=2568; default: the current one) with their evidence."""
    from .reports.data import access_for, year_view
    from .reports.payload import indicators_payload

    view = year_view()
    return jsonify(indicators_payload(view.report, current_app.extensions["km"].kb.vocab, access_for(view),
                                      view.thresholds))


# Search filters whose allowed values are the site's vocabulary (KM_VOCABULARY_FILE).
VOCABULARY_PARAMETERS = {"department": "departments", "km_stage": "km_stages", "asset_type": "asset_types"}


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of every /api/ route, with this site's vocabulary as filter values."""
    extensions = current_app.extensions
    if "km_api_document" not in extensions:  # once per site; the vocabulary is read at start-up
        from .plans.state import plan_vocab

        extensions["km_api_document"] = with_vocabulary(api_document(), extensions["km"].kb.vocab, plan_vocab())
    return jsonify(extensions["km_api_document"])


def with_vocabulary(document: dict, vocab, plan_vocab) -> dict:
    """A copy of `document` whose vocabulary filters list every key, Thai label and alias they accept."""
    document = copy.deepcopy(document)
    for parameter in document["paths"]["/api/search"]["get"]["parameters"]:
        if parameter["name"] in VOCABULARY_PARAMETERS:
            _list_spellings(parameter, vocab.list(VOCABULARY_PARAMETERS[parameter["name"]]))
    for parameter in document["paths"]["/api/events"]["get"]["parameters"]:
        if parameter["name"] == "type":
            _list_spellings(parameter, plan_vocab.event_types)
    return document


def _list_spellings(parameter: dict, terms) -> None:
    spellings = [s for term in terms for s in (term.key, term.label, *term.aliases)]
    parameter["schema"] = {"type": "string", "enum": list(dict.fromkeys(spellings))}


@functools.cache
def api_document() -> dict:
    """app/openapi.yaml, read once, with the product's version."""
    document = yaml.safe_load(Path(__file__).with_name("openapi.yaml").read_text(encoding="utf-8"))
    document["info"]["version"] = __version__
    return document
