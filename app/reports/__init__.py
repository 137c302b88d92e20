"""Reports for the auditor: KM indicators by fiscal year, channels, access evidence, exports, print."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask

from indexer import AssetCatalogue
from indexer import IndicatorConfig, load_indicator_config

from .. import analytics

bp = Blueprint("reports", __name__, url_prefix="/reports")


def init_app(app: Flask) -> None:
    """Validate the indicator settings at start-up, keep an asset catalogue, add `flask km` commands."""
    from .cli import register_commands
    from .exports import thai_month

    kb = app.extensions["km"].kb
    app.extensions["km_reports"] = ReportsState(
        catalogue=AssetCatalogue(kb.settings.knowledge_dir, kb.vocab),
        config=load_indicator_config(kb.vocab, kb.settings.vocabulary_file),
    )
    app.add_template_filter(thai_month, "thai_month")
    analytics.init_app(app)
    register_commands(app)


@dataclass(frozen=True)
class ReportsState:
    """What the reports area keeps per app: the cached asset catalogue and the indicator settings."""

    catalogue: AssetCatalogue
    config: IndicatorConfig


from . import exports, views  # noqa: E402,F401  (routes register themselves on `bp`)
