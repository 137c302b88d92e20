"""Bar charts drawn on the server as SVG geometry (no JavaScript, no inline styles: CSP-safe)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

H_LABEL_WIDTH = 160   # room for the longest Thai channel label
H_BAR_AREA = 200
H_ROW = 30
V_WIDTH = 640
V_HEIGHT = 240
V_TOP = 24            # room for the value above the tallest bar
V_BOTTOM = 30         # room for the month labels


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value and rectangle, and where its texts go."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    """A chart's size (the SVG viewBox) and its bars."""

    title: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    baseline: float = 0.0

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def horizontal_bars(title: str, items: Sequence[tuple[str, int]]) -> BarChart:
    """Labels on the left, bars growing right: records per channel."""
    top = max((value for _, value in items), default=0) or 1
    bars = []
    for row, (label, value) in enumerate(items):
        y = row * H_ROW + 6
        width = round(H_BAR_AREA * value / top, 1)
        bars.append(Bar(label, value, H_LABEL_WIDTH, y, width, H_ROW - 12, H_LABEL_WIDTH - 8, y + H_ROW / 2 - 2,
                        H_LABEL_WIDTH + width + 6, y + H_ROW / 2 - 2))
    return BarChart(title, H_LABEL_WIDTH + H_BAR_AREA + 50, max(1, len(items)) * H_ROW + 4, tuple(bars))


def vertical_bars(title: str, items: Sequence[tuple[str, int]]) -> BarChart:
    """Bars standing on a baseline, labels below: views per month."""
    top = max((value for _, value in items), default=0) or 1
    slot = V_WIDTH / max(1, len(items))
    area = V_HEIGHT - V_TOP - V_BOTTOM
    baseline = V_HEIGHT - V_BOTTOM
    bars = []
    for i, (label, value) in enumerate(items):
        height = round(area * value / top, 1)
        x = i * slot + slot * 0.15
        bars.append(Bar(label, value, round(x, 1), baseline - height, round(slot * 0.7, 1), height,
                        round(i * slot + slot / 2, 1), V_HEIGHT - 10, round(i * slot + slot / 2, 1),
                        baseline - height - 6))
    return BarChart(title, V_WIDTH, V_HEIGHT, tuple(bars), baseline)
