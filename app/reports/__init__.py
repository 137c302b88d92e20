"""Reports for the auditor: KM indicators by fiscal year, channels, access evidence, exports, print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, Flask

from indexer import Asset, AssetCatalogue, ChannelRecord, IndicatorConfig, asset_records, load_indicator_config

from .. import analytics

bp = Blueprint("reports", __name__, url_prefix="/reports")


def init_app(app: Flask) -> None:
    """Validate the indicator settings at start-up, keep an asset catalogue, add `flask km` commands."""
    from .cli import register_commands

    kb = app.extensions["km"].kb
    app.extensions["km_reports"] = ReportsState(
        catalogue=AssetCatalogue(kb.settings.knowledge_dir, kb.vocab),
        config=load_indicator_config(kb.vocab, kb.settings.vocabulary_file),
    )
    analytics.init_app(app)
    register_commands(app)
    config = app.extensions["km_reports"].config
    app.jinja_env.globals["dissemination_of"] = lambda asset: dissemination_of(asset, config)


def dissemination_of(asset: Asset, config: IndicatorConfig) -> list[ChannelRecord]:
    """The records the auditor's evidence counts for this asset, the automatic website one included,
    in date order; drafts and assets archived without a retirement date count for nothing, so they show
    their own records only (a retired asset still counts in the years closed before it was retired)."""
    if asset.status == "published" or (asset.status == "archived" and asset.retired is not None):
        records = asset_records(asset, config)
    else:
        records = [ChannelRecord(asset, r.channel, r.date, r.ref) for r in asset.dissemination]
    return sorted(records, key=lambda r: (r.date is None, r.date or dt.date.min, r.channel))


@dataclass(frozen=True)
class ReportsState:
    """What the reports area keeps per app: the cached asset catalogue and the indicator settings."""

    catalogue: AssetCatalogue
    config: IndicatorConfig


from . import exports, records, views  # noqa: E402,F401  (routes register themselves on `bp`)
