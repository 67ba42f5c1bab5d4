"""The what-if chart, drawn on the server as SVG geometry (no JavaScript, no library): per month a bar of what was
paid and a bar of what the tried figures would pay, each with its value written above it, so it reads in print and
without colour (the what-if bars are hatched, and the legend names both)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

WIDTH = 760
HEIGHT = 280
LEFT = 16
RIGHT = 16
TOP = 40
BOTTOM = 44


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: str
    kind: str  # "paid" or "whatif"

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def label_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class Group:
    label: str
    x: float
    bars: tuple[Bar, ...]


def compact(value: Decimal) -> str:
    """A bar's value in a few characters: 477300 → 477k, 4773000 → 4.8M (the locale's decimal mark)."""
    value = Decimal(value)
    size = abs(value)
    if size >= 1_000_000:
        return number_format((value / 1_000_000).quantize(Decimal("0.1")), decimal_pos=1, use_l10n=True) + "M"
    if size >= 10_000:
        return number_format((value / 1_000).quantize(Decimal(1)), decimal_pos=0, use_l10n=True) + "k"
    return number_format(value.quantize(Decimal(1)), decimal_pos=0, use_l10n=True)


def bars(rows: list[tuple[datetime.date, Decimal, Decimal]]) -> dict:
    """Geometry of the chart for ``rows`` of (month, paid, what-if): groups of two bars, the baseline, the size."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    top = max([Decimal(1), *(max(paid, whatif) for _, paid, whatif in rows)])
    slot = plot_width / max(len(rows), 1)
    bar_width = min(slot * 0.36, 48)
    baseline = TOP + plot_height
    groups = []
    for n, (month, paid, whatif) in enumerate(rows):
        centre = LEFT + slot * n + slot / 2
        pair = []
        for offset, value, kind in ((-bar_width - 2, paid, "paid"), (2, whatif, "whatif")):
            height = float(max(value, Decimal(0)) / top) * plot_height
            pair.append(
                Bar(
                    x=round(centre + offset, 1),
                    y=round(baseline - height, 1),
                    width=round(bar_width, 1),
                    height=round(height, 1),
                    value=compact(value),
                    kind=kind,
                )
            )
        groups.append(Group(label=f"{month:%Y-%m}", x=round(centre, 1), bars=tuple(pair)))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": baseline,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "label_y": baseline + 18,
        "groups": groups,
    }
