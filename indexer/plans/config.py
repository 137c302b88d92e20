"""Vocabularies of the KM-plan cycle, read from the `km_plan:` section of the vocabulary file.

Event types, change-management elements, staff categories, roles and progress
states are data, like departments and channels. A vocabulary file without the
section gets the one shipped in indexer/data/vocabulary.yaml, so there is one
table, not a copy in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..content.vocabulary import TermList, Vocabulary, read_terms
from ..errors import VocabularyError
from ..yamlsafe import safe_load

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "vocabulary.yaml"
LISTS = ("event_types", "change_elements", "staff_categories", "roles", "progress")
EVENT_MEASURES = ("staff_trained", "sharing_meetings", "reports_made")
KEYS = (*LISTS, "awareness_target", "scoring", "activity_levels")


@dataclass(frozen=True)
class ScoreWeight:
    """One row of the weighted score table: a goal (1–3) or an activity number, and its weight in %."""

    weight: float
    goal: int | None = None
    activity: int | None = None


@dataclass(frozen=True)
class PlanVocabulary:
    """The KM-plan vocabularies plus the defaults of the results report."""

    event_types: TermList
    change_elements: TermList
    staff_categories: TermList
    roles: TermList
    progress: TermList
    event_counts: dict[str, tuple[str, ...]]  # event type → measures it feeds
    awareness_target: float
    scoring: tuple[ScoreWeight, ...]
    activity_levels: tuple[float, ...]  # % of target reaching levels 1–5

    def types_counting(self, measure: str) -> tuple[str, ...]:
        """Event types that feed `measure` (e.g. staff_trained → training, study-visit, mentoring)."""
        return tuple(key for key, measures in self.event_counts.items() if measure in measures)


def load_plan_vocabulary(vocab: Vocabulary, source: Path | str = "vocabulary") -> PlanVocabulary:
    """Validate `km_plan:`; errors name the file, the key, what was expected and what was found."""
    raw = vocab.extra.get("km_plan")
    if raw is None:
        raw, source = _shipped_section(), SHIPPED
    return _parse(raw, f"{source}: km_plan")


@lru_cache(maxsize=1)
def _shipped_section() -> dict:
    return safe_load(SHIPPED.read_text(encoding="utf-8"))["km_plan"]


def _parse(raw: Any, where: str) -> PlanVocabulary:
    if not isinstance(raw, dict):
        raise VocabularyError(f"{where}: expected a mapping with keys {', '.join(KEYS)}, got {raw!r}")
    unknown = [str(k) for k in raw if k not in KEYS]
    if unknown:
        raise VocabularyError(f"{where}.{unknown[0]}: unknown key (expected one of {', '.join(KEYS)})")
    lists = {name: TermList(name, read_terms(f"{where}.{name}", raw.get(name))) for name in LISTS}
    return PlanVocabulary(
        **lists,
        event_counts=_event_counts(f"{where}.event_types", raw["event_types"]),
        awareness_target=_percent(f"{where}.awareness_target", raw.get("awareness_target", 80)),
        scoring=_scoring(f"{where}.scoring", raw.get("scoring")),
        activity_levels=_levels(f"{where}.activity_levels", raw.get("activity_levels", [20, 40, 60, 80, 100])),
    )


def _event_counts(where: str, entries: list) -> dict[str, tuple[str, ...]]:
    counts = {}
    for number, entry in enumerate(entries, start=1):
        measures = entry.get("counts") or []
        if not isinstance(measures, list) or any(m not in EVENT_MEASURES for m in measures):
            raise VocabularyError(f"{where}[{number}].counts: expected a list of {', '.join(EVENT_MEASURES)}, "
                                  f"got {measures!r}")
        counts[str(entry["key"])] = tuple(measures)
    return counts


def _percent(where: str, raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not 0 < raw <= 100:
        raise VocabularyError(f"{where}: expected a percentage above 0 and at most 100, got {raw!r}")
    return float(raw)


def _scoring(where: str, raw: Any) -> tuple[ScoreWeight, ...]:
    if not isinstance(raw, list) or not raw:
        raise VocabularyError(f"{where}: expected a list of {{goal, weight}}, got {raw!r}")
    rows = []
    for number, entry in enumerate(raw, start=1):
        goal = entry.get("goal") if isinstance(entry, dict) else None
        weight = entry.get("weight") if isinstance(entry, dict) else None
        if goal not in (1, 2, 3) or isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            raise VocabularyError(f"{where}[{number}]: expected {{goal: 1–3, weight: a number above 0}}, got {entry!r}")
        rows.append(ScoreWeight(float(weight), goal=goal))
    total = sum(r.weight for r in rows)
    if abs(total - 100) > 1e-6:
        raise VocabularyError(f"{where}: expected weights adding up to 100, got {total:g}")
    return tuple(rows)


def _levels(where: str, raw: Any) -> tuple[float, ...]:
    ok = isinstance(raw, list) and len(raw) == 5 and all(
        not isinstance(v, bool) and isinstance(v, (int, float)) and v > 0 for v in raw)
    if not ok or list(raw) != sorted(raw):
        raise VocabularyError(f"{where}: expected 5 increasing percentages (levels 1–5), got {raw!r}")
    return tuple(float(v) for v in raw)
