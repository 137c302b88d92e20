"""Indicator settings (level thresholds, targets) read from the `indicators:` section of the vocabulary.

Thresholds differ between municipalities and years, so they are data. Each goal
lists the lower bound of levels 1–5; a value below the level-1 bound has reached
no level. "all" stands for every configured department (goal 2) or channel (goal 3).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..content.vocabulary import Vocabulary
from ..errors import VocabularyError

LEVELS = 5
ALL = "all"
GOAL_NUMBERS = (1, 2, 3)
GOAL_TITLES = {
    1: "จำนวนองค์ความรู้ที่จัดทำและเผยแพร่",
    2: "จำนวนหน่วยงานที่จัดทำขั้นตอนการปฏิบัติงานหรือแบบตรวจสอบ",
    3: "จำนวนช่องทางการเผยแพร่ความรู้",
}
# The plan's defaults (DOMAIN.md); a vocabulary without `indicators:` gets these.
DEFAULT_SECTION: dict[str, Any] = {
    "website_counts_published": True,
    "website_channel": "website",
    "website_ref": "เผยแพร่บนเว็บไซต์ขุมความรู้",
    "goal1": {"levels": [0, 1, 3, 5, 7], "target": 4},
    "goal2": {"levels": [0, 1, 3, 5, ALL], "target": 4, "asset_types": ["procedure", "checklist"]},
    "goal3": {"levels": [1, 2, 3, 4, 5], "target": 5},
}
_GOAL_KEYS = {1: ("title", "levels", "target", "asset_types"), 2: ("title", "levels", "target", "asset_types"),
              3: ("title", "levels", "target")}


@dataclass(frozen=True)
class GoalConfig:
    """One goal: the lower bound of each level (None = "all") and the target level."""

    goal: int
    title: str
    bounds: tuple[int | None, ...]
    target: int

    def resolved_bounds(self, universe: int) -> tuple[int, ...]:
        """Bounds with "all" replaced by the size of the universe (departments or channels)."""
        return tuple(universe if b is None else b for b in self.bounds)

    def level_for(self, value: int, universe: int) -> int:
        """Highest level whose lower bound `value` reaches; 0 when none is reached."""
        reached = [n for n, bound in enumerate(self.resolved_bounds(universe), start=1) if value >= bound]
        return max(reached, default=0)


@dataclass(frozen=True)
class IndicatorConfig:
    """Everything the indicator computation needs besides the assets."""

    goals: tuple[GoalConfig, ...]
    qualifying_types: tuple[str, ...]
    website_counts_published: bool = True
    website_channel: str = "website"
    website_ref: str = DEFAULT_SECTION["website_ref"]
    source: str = ""  # the plan file whose thresholds these are; "" = the vocabulary's
    goal1_types: tuple[str, ...] = ()  # the asset types goal 1 counts; () = every type
    type_labels: tuple[tuple[str, str], ...] = ()  # (key, Thai label) of every asset type, for titles

    def goal(self, number: int) -> GoalConfig:
        return self.goals[number - 1]

    def overridden(self, source: str, thresholds: dict[int, tuple[tuple[int | None, ...] | None, int | None]],
                   qualifying_types: tuple[str, ...] = (), goal1_types: tuple[str, ...] = ()) -> IndicatorConfig:
        """These settings with a plan's own levels and target per goal, and the types goals 1 and 2
        count, where it gives them (a year is graded by its plan's, never re-graded by a later change)."""
        if not any(b or t for b, t in thresholds.values()) and not qualifying_types and not goal1_types:
            return self
        goals = tuple(replace(g, bounds=thresholds.get(g.goal, (None, None))[0] or g.bounds,
                              target=thresholds.get(g.goal, (None, None))[1] or g.target) for g in self.goals)
        # a goal counting other types than the vocabulary's is titled by them (review R-11)
        titles = {1: goal1_types if goal1_types != self.goal1_types else (),
                  2: qualifying_types if qualifying_types != self.qualifying_types else ()}
        goals = tuple(replace(g, title=types_title(g.goal, titles[g.goal], self.type_labels))
                      if titles.get(g.goal) else g for g in goals)
        return replace(self, goals=goals, qualifying_types=qualifying_types or self.qualifying_types,
                       goal1_types=goal1_types or self.goal1_types, source=source)

    def counts_in_goal1(self, asset_type: str) -> bool:
        return not self.goal1_types or asset_type in self.goal1_types


def types_title(goal: int, types: tuple[str, ...], labels: tuple[tuple[str, str], ...]) -> str:
    """The title of goal 1 or 2 when it counts only `types`: "จำนวนหน่วยงานที่จัดทำแบบตรวจสอบ"."""
    names = "หรือ".join(dict(labels).get(t, t) for t in types)
    return f"จำนวนหน่วยงานที่จัดทำ{names}" if goal == 2 else f"{GOAL_TITLES[1]} (นับเฉพาะ{names})"


def load_indicator_config(vocab: Vocabulary, source: Path | str = "vocabulary") -> IndicatorConfig:
    """Validate `indicators:` of the vocabulary; errors name the file, the key, expectation and value."""
    raw = vocab.extra.get("indicators")
    if raw is None:
        raw = {}
    where = f"{source}: indicators"
    if not isinstance(raw, dict):
        raise VocabularyError(f"{where}: expected a mapping with keys {', '.join(DEFAULT_SECTION)}, got {raw!r}")
    unknown = [str(k) for k in raw if k not in DEFAULT_SECTION]
    if unknown:
        raise VocabularyError(f"{where}.{unknown[0]}: unknown key (expected one of {', '.join(DEFAULT_SECTION)})")
    section = {**DEFAULT_SECTION, **raw}
    labels = tuple((t.key, t.label) for t in vocab.asset_types)
    goal2_types = _asset_types(where, vocab, section["goal2"])
    goal1_types = _asset_types(where, vocab, section["goal1"], 1) if "asset_types" in section["goal1"] else ()
    counted = {1: goal1_types, 2: goal2_types if list(goal2_types) != DEFAULT_SECTION["goal2"]["asset_types"] else ()}
    goals = tuple(_goal(where, n, section[f"goal{n}"], types_title(n, counted[n], labels) if counted.get(n) else "")
                  for n in GOAL_NUMBERS)
    website = _channel(where, vocab, section["website_channel"])
    return IndicatorConfig(
        goals=goals,
        qualifying_types=goal2_types,
        goal1_types=goal1_types,
        type_labels=labels,
        website_counts_published=_bool(f"{where}.website_counts_published", section["website_counts_published"]),
        website_channel=website,
        website_ref=str(section["website_ref"] or ""),
    )


def _goal(where: str, number: int, raw: Any, title: str = "") -> GoalConfig:
    key = f"{where}.goal{number}"
    if not isinstance(raw, dict):
        raise VocabularyError(f"{key}: expected a mapping with levels and target, got {raw!r}")
    for name in raw:
        if name not in _GOAL_KEYS[number]:
            raise VocabularyError(f"{key}.{name}: unknown key (expected one of {', '.join(_GOAL_KEYS[number])})")
    default = DEFAULT_SECTION[f"goal{number}"]
    bounds = _bounds(f"{key}.levels", number, raw.get("levels", default["levels"]))
    target = raw.get("target", default["target"])
    if isinstance(target, bool) or not isinstance(target, int) or not 1 <= target <= LEVELS:
        raise VocabularyError(f"{key}.target: expected a level from 1 to {LEVELS}, got {target!r}")
    return GoalConfig(number, str(raw.get("title") or title or GOAL_TITLES[number]), bounds, target)


def _bounds(key: str, number: int, raw: Any) -> tuple[int | None, ...]:
    if not isinstance(raw, list) or len(raw) != LEVELS:
        raise VocabularyError(f"{key}: expected a list of {LEVELS} lower bounds (levels 1–{LEVELS}), got {raw!r}")
    bounds: list[int | None] = []
    for i, value in enumerate(raw, start=1):
        if value == ALL and number != 1:
            bounds.append(None)
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            allowed = "a whole number ≥ 0" + (' or "all"' if number != 1 else "")
            raise VocabularyError(f"{key}[{i}]: expected {allowed}, got {value!r}")
        if None in bounds:
            raise VocabularyError(f'{key}[{i}]: expected "all" after "all" (a higher level cannot ask less), '
                                  f"got {value!r}")
        numbers = [b for b in bounds if b is not None]
        if numbers and value < numbers[-1]:
            raise VocabularyError(f"{key}[{i}]: expected at least {numbers[-1]} (bounds must not decrease), "
                                  f"got {value!r}")
        bounds.append(value)
    return tuple(bounds)


def _asset_types(where: str, vocab: Vocabulary, goal: Any, number: int = 2) -> tuple[str, ...]:
    key = f"{where}.goal{number}.asset_types"
    raw = goal.get("asset_types", DEFAULT_SECTION["goal2"]["asset_types"]) if isinstance(goal, dict) else None
    if not isinstance(raw, list) or not raw:
        raise VocabularyError(f"{key}: expected a non-empty list of asset types, got {raw!r}")
    types = []
    for i, value in enumerate(raw, start=1):
        resolved = vocab.asset_types.resolve(str(value))
        if resolved is None:
            raise VocabularyError(f"{key}[{i}]: expected one of {', '.join(vocab.asset_types.keys)}, got {value!r}")
        types.append(resolved)
    return tuple(dict.fromkeys(types))


def _channel(where: str, vocab: Vocabulary, raw: Any) -> str:
    resolved = vocab.channels.resolve(str(raw))
    if resolved is None:
        raise VocabularyError(f"{where}.website_channel: expected one of {', '.join(vocab.channels.keys)}, got {raw!r}")
    return resolved


def _bool(key: str, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise VocabularyError(f"{key}: expected true or false, got {raw!r}")
    return raw
