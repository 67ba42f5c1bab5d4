"""Dashboard charts as SVG geometry computed on the server (no JavaScript, no library, no CDN). Every bar carries
its value as text, so a chart reads in print and without colour; the templates add a title and a description for
screen readers, and the table under each chart holds the same figures."""

from dataclasses import dataclass
from decimal import Decimal

from rapport.compensation.chart import compact

WIDTH = 760


@dataclass(frozen=True)
class HBar:
    label: str
    y: float
    capacity_width: float
    value_width: float
    value_text: str
    over: bool


def load_bars(rows: list[tuple[str, int, int]], *, width: int = WIDTH) -> dict:
    """Horizontal bars of (name, clients, capacity): an outline as long as the capacity, filled up to the clients;
    the longest capacity spans the plot."""
    label_width, value_width, row_height = 190, 90, 22
    plot = width - label_width - value_width
    top = max([1, *(max(clients, capacity) for _, clients, capacity in rows)])
    bars = []
    for index, (name, clients, capacity) in enumerate(rows):
        bars.append(
            HBar(
                label=name,
                y=index * row_height + 4,
                capacity_width=round(plot * capacity / top, 1),
                value_width=round(plot * clients / top, 1),
                value_text=f"{clients} / {capacity}",
                over=clients > capacity,
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": len(rows) * row_height + 8,
        "plot_x": label_width,
        "value_x": label_width + plot + 6,
        "bar_height": row_height - 8,
    }


@dataclass(frozen=True)
class Segment:
    y: float
    height: float
    series: int


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    width: float
    segments: tuple[Segment, ...]
    total_text: str
    total_y: float


def stacked_columns(rows: list[tuple[str, list[Decimal | int]]], *, width: int = WIDTH, height: int = 220) -> dict:
    """Columns of stacked non-negative segments: ``rows`` of (label, [value per series]); the total above each."""
    left, right, top_margin, bottom = 12, 12, 24, 28
    plot_width, plot_height = width - left - right, height - top_margin - bottom
    totals = [sum((max(Decimal(v), Decimal(0)) for v in values), Decimal(0)) for _, values in rows]
    top = max([Decimal(1), *totals])
    slot = plot_width / max(len(rows), 1)
    column_width = min(slot * 0.6, 56)
    baseline = top_margin + plot_height
    columns = []
    for index, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        x = left + slot * index + (slot - column_width) / 2
        y, segments = float(baseline), []
        for series, value in enumerate(values):
            size = float(max(Decimal(value), Decimal(0)) / top) * plot_height
            if size > 0:
                y -= size
                segments.append(Segment(y=round(y, 1), height=round(size, 1), series=series))
        columns.append(
            Column(
                label=label,
                x=round(x, 1),
                width=round(column_width, 1),
                segments=tuple(segments),
                total_text=compact(total),
                total_y=round(y - 5, 1),
            )
        )
    return {"columns": columns, "width": width, "height": height, "baseline": baseline, "label_y": baseline + 16}


def sparkline(values: list[Decimal | None], *, width: int = 120, height: int = 28, low=1, high=5) -> dict:
    """A small line of ratings (``low``–``high``) per month; months without a value break the line."""
    step = width / max(len(values) - 1, 1) if len(values) > 1 else 0
    lines, current, dots = [], [], []
    for index, value in enumerate(values):
        if value is None:
            if current:
                lines.append(current)
            current = []
            continue
        x = round(index * step if len(values) > 1 else width / 2, 1)
        y = round(height - 3 - (float(value) - low) / (high - low) * (height - 6), 1)
        current.append(f"{x},{y}")
        dots.append((x, y))
    if current:
        lines.append(current)
    return {"lines": [" ".join(points) for points in lines], "dots": dots, "width": width, "height": height}
