"""Bar charts drawn on the server as SVG: no JavaScript in the browser, and the same drawing goes
into the board pack's PDF. Each chart on a page is followed by its data as a table. Pure Python.

A withheld value (suppressed small number) is drawn as no bar, with its mark ("<5" or "[c]")
written where the bar would start."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#b58840", "#f499be")
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
FONT = "Helvetica"


@dataclass(frozen=True)
class Value:
    number: float | int | None  # None when withheld or empty
    text: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Value]


@dataclass
class Chart:
    key: str
    title: str
    categories: list[str]
    series: list[Series]
    unit: str
    threshold: float | None = None
    threshold_label: str = ""
    horizontal: bool = False
    width: int = 680
    height: int = field(default=0)

    def __post_init__(self) -> None:
        if not self.height:
            self.height = 60 + 34 * len(self.categories) if self.horizontal else 340

    @property
    def description(self) -> str:
        parts = []
        for s in self.series:
            shown = ", ".join(f"{c}: {v.text or 'none'}" for c, v in zip(self.categories, s.values))
            parts.append(f"{s.name}: {shown}" if len(self.series) > 1 else shown)
        text = "; ".join(parts)
        if self.threshold is not None:
            text += f". {self.threshold_label}"
        return text

    def svg(self) -> str:
        return _horizontal(self) if self.horizontal else _vertical(self)


def _nice_ceiling(value: float) -> tuple[float, float]:
    """A round top for the axis and the step between grid lines."""
    if value <= 0:
        return 4, 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        tick = step * exponent
        if value / tick <= 5:
            break
    tick = max(tick, 1)
    return math.ceil(value / tick) * tick, tick


def _fmt(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.1f}"


def _text(
    x: float, y: float, text: str, size: int = 12, anchor: str = "start", weight: str = "normal", fill: str = TEXT
) -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" text-anchor="{anchor}"'
        f'{bold} fill="{fill}">{escape(text)}</text>'
    )


def _open(chart: Chart) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{chart.width}" height="{chart.height}" '
        f'viewBox="0 0 {chart.width} {chart.height}" role="img" aria-labelledby="{chart.key}-title {chart.key}-desc" '
        f'class="openraa-chart">',
        f'<title id="{chart.key}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart.key}-desc">{escape(chart.description)}</desc>',
        f'<rect x="0" y="0" width="{chart.width}" height="{chart.height}" fill="#ffffff"/>',
    ]


def _legend(chart: Chart, y: float) -> list[str]:
    if len(chart.series) < 2 and chart.threshold is None:
        return []
    out, x = [], 60.0
    for i, s in enumerate(chart.series):
        out.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>')
        out.append(_text(x + 16, y, s.name, 12))
        x += 24 + 7 * len(s.name)
    if chart.threshold is not None:
        out.append(
            f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 20:.1f}" y2="{y - 4:.1f}" stroke="{TEXT}" '
            f'stroke-width="2" stroke-dasharray="6 3"/>'
        )
        out.append(_text(x + 26, y, chart.threshold_label, 12))
    return out


def _vertical(chart: Chart) -> str:
    left, right, top, bottom = 56.0, 12.0, 48.0, 46.0
    width, height = chart.width - left - right, chart.height - top - bottom
    numbers = [v.number for s in chart.series for v in s.values if v.number is not None]
    if chart.threshold is not None:
        numbers.append(chart.threshold)
    ceiling, tick = _nice_ceiling(max(numbers, default=0))
    out = _open(chart)
    out += _legend(chart, 16)

    def y_of(value: float) -> float:
        return top + height - height * value / ceiling

    ticks = round(ceiling / tick)
    for i in range(ticks + 1):
        value = tick * i
        y = y_of(value)
        out.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + width:.1f}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-width="1"/>'
        )
        out.append(_text(left - 6, y + 4, _fmt(value), 11, "end"))
    groups = max(1, len(chart.categories))
    slot = width / groups
    count = max(1, len(chart.series))
    bar = min(36.0, slot * 0.8 / count)
    for c, category in enumerate(chart.categories):
        start = left + slot * c + (slot - bar * count) / 2
        for i, s in enumerate(chart.series):
            v = s.values[c]
            x = start + bar * i
            if v.number is None:
                if v.text:
                    out.append(_text(x + bar / 2, y_of(0) - 4, v.text, 9 if count > 2 else 11, "middle"))
                continue
            y = y_of(v.number)
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 1, 1):.1f}" height="{y_of(0) - y:.1f}" '
                f'fill="{COLOURS[i % len(COLOURS)]}"/>'
            )
            if count == 1:
                out.append(_text(x + bar / 2, y - 4, v.text, 11, "middle"))
        out.append(_text(left + slot * c + slot / 2, top + height + 18, category, 11, "middle"))
    if chart.threshold is not None:
        y = y_of(chart.threshold)
        out.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + width:.1f}" y2="{y:.1f}" stroke="{TEXT}" '
            f'stroke-width="2" stroke-dasharray="6 3"/>'
        )
    out.append(
        f'<line x1="{left:.1f}" y1="{y_of(0):.1f}" x2="{left + width:.1f}" y2="{y_of(0):.1f}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    )
    out.append(_text(8, top - 14, chart.unit, 11, "start"))
    out.append("</svg>")
    return "\n".join(out)


def _horizontal(chart: Chart) -> str:
    left, right, top, bottom = 270.0, 60.0, 14.0, 30.0
    width = chart.width - left - right
    numbers = [v.number for s in chart.series for v in s.values if v.number is not None]
    ceiling, tick = _nice_ceiling(max(numbers, default=0))
    out = _open(chart)
    rows = max(1, len(chart.categories))
    slot = (chart.height - top - bottom) / rows
    bar = slot * 0.7

    def x_of(value: float) -> float:
        return left + width * value / ceiling

    for i in range(round(ceiling / tick) + 1):
        x = x_of(tick * i)
        out.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{chart.height - bottom:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(_text(x, chart.height - bottom + 16, _fmt(tick * i), 11, "middle"))
    s = chart.series[0]
    for r, category in enumerate(chart.categories):
        y = top + slot * r + (slot - bar) / 2
        out.append(_text(left - 8, y + bar / 2 + 4, category, 12, "end"))
        v = s.values[r]
        if v.number is not None:
            out.append(
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{x_of(v.number) - left:.1f}" height="{bar:.1f}" '
                f'fill="{COLOURS[0]}"/>'
            )
            out.append(_text(x_of(v.number) + 6, y + bar / 2 + 4, v.text, 11))
        elif v.text:
            out.append(_text(left + 6, y + bar / 2 + 4, v.text, 11))
    out.append(
        f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{chart.height - bottom:.1f}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return "\n".join(out)
