"""Template helpers of the KM-plan area, also used by other areas' pages through `ignore missing` includes:
the owner → person link on asset pages, the events an asset came from, and "ถามผู้รู้" beside search results."""

from __future__ import annotations

from flask import Flask

from indexer import ACTIVITY_STATES, MEASURES_BY_KEY, amount_text, experts_for

from .state import plan_vocab, records

MAX_EXPERTS = 2


def register_helpers(app: Flask) -> None:
    app.add_template_filter(_km_label, "km_label")
    app.add_template_filter(amount_text, "amount")
    app.add_template_filter(lambda state: ACTIVITY_STATES.get(state, state), "state_label")
    app.add_template_filter(lambda key: MEASURES_BY_KEY[key].label if key in MEASURES_BY_KEY else "", "measure_label")
    # Globals, not a context processor: macros imported without context use them too.
    app.jinja_env.globals.update(km_person=km_person, km_asset_events=km_asset_events, km_experts=km_experts,
                                 plan_vocab_terms=lambda name: getattr(plan_vocab(), name), km_problems=km_problems)


def _km_label(key: str | None, name: str) -> str:
    """{{ event.type|km_label('event_types') }} → ชุมชนนักปฏิบัติ (CoP)."""
    return getattr(plan_vocab(), name).label(key)


def km_person(text: str | None):
    """The person an owner, organiser or responsible text names, or None (then it is shown as written)."""
    return records().people.find(text) if text else None


def km_asset_events(slug: str):
    """Events that produced or used an asset, oldest first."""
    return records().events_for_asset(slug)


def km_experts(query: str, hits) -> list:
    """People to ask about a search: owners of the top results and people whose expertise matches."""
    if not query or not query.strip():
        return []
    return experts_for(query, [h.owner for h in hits], records().people, MAX_EXPERTS)


def km_problems():
    """Problems of the KM files (for the status page), with the checks that need every asset."""
    from .state import checked_records

    return checked_records().problems
