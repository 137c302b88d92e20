"""The JSON form of a fiscal year's indicators (GET /api/indicators)."""

from __future__ import annotations

from indexer import Asset, ChannelEvidence, ChannelRecord, DepartmentEvidence, FiscalYearReport, Vocabulary

from ..analytics import AccessStats


def indicators_payload(report: FiscalYearReport, vocab: Vocabulary, access: AccessStats,
                       thresholds: dict | None = None) -> dict:
    """Goals with their evidence, the channel table and the access counts of the year, and where its
    thresholds come from."""
    return {
        "fiscal_year": report.fiscal_year,
        "period": {"start": report.start.isoformat(), "end": report.end.isoformat()},
        "goals": [{
            "goal": goal.goal, "title": goal.title, "value": goal.value, "level": goal.level,
            "target": goal.target, "reached": goal.reached, "level_bounds": list(goal.bounds),
            "evidence": [_evidence(item) for item in goal.evidence],
        } for goal in report.goals],
        "channels": [{"channel": row.channel, "label": vocab.channels.label(row.channel),
                      "records": row.records, "assets": row.assets} for row in report.channels],
        "access": _access(access),
        "thresholds": thresholds or {"source": None, "error": None},
    }


def _access(access: AccessStats) -> dict:
    figures = {"views": access.views, "searches": access.searches}
    if access.error:
        figures["error"] = access.error
    return figures


def asset_json(asset: Asset) -> dict:
    return {"slug": asset.slug, "title": asset.title, "department": asset.department,
            "asset_type": asset.asset_type, "published": asset.published.isoformat() if asset.published else None}


def record_json(record: ChannelRecord) -> dict:
    return {"slug": record.asset.slug, "title": record.asset.title, "department": record.asset.department,
            "channel": record.channel, "date": record.date.isoformat() if record.date else None,
            "ref": record.ref, "automatic": record.automatic}


def _evidence(item) -> dict:
    if isinstance(item, DepartmentEvidence):
        return {"department": item.department, "assets": [asset_json(a) for a in item.assets]}
    if isinstance(item, ChannelEvidence):
        return {"channel": item.channel, "records": [record_json(r) for r in item.records]}
    return asset_json(item)
