"""The KM-plan cycle on the site: the action plan and its timeline, events, people, needed knowledge,
awareness surveys, the yearly results report, and their JSON API.

Areas and their blueprints (each module exposes `bp`):
  plans     /plans/…   plan pages, timeline, progress, needed knowledge, surveys, results report, KM files
  events    /events/…  sharing and learning events, recorded from the browser in under a minute
  people    /people/…  the "who knows what" card catalogue
  plans_api /api/…     plans, events, people, report
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("plans", __name__, url_prefix="/plans")


def init_app(app: Flask) -> None:
    """Keep a catalogue of knowledge/_km/, register the other KM blueprints, filters and template helpers."""
    from indexer import KmCatalogue, load_plan_vocabulary

    from . import api, events, people
    from .helpers import register_helpers
    from .state import KmState
    from .writes import register_actions

    kb = app.extensions["km"].kb
    plan_vocab = load_plan_vocabulary(kb.vocab, kb.settings.vocabulary_file)  # a bad section stops start-up
    catalogue = KmCatalogue(kb.settings.knowledge_dir, kb.vocab, plan_vocab)
    app.extensions["km_plans"] = KmState(catalogue, plan_vocab)
    app.extensions["km"].problem_sources.append(lambda: catalogue.load().problems)  # named in the log
    for module in (events, people, api):
        app.register_blueprint(module.bp)
    register_helpers(app)
    register_actions()


from . import files, needs, report_records, report_views, views  # noqa: E402,F401  (routes register themselves on `bp`)
