"""Server-rendered SVG bar charts: geometry computed here, drawn by ``networks/_bars.svg``."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float


@dataclass
class BarChart:
    width: int
    height: int
    bars: list
    baseline: float
    labels: bool
    maximum: int


def bars(points, *, width: int, height: int, labels: bool) -> BarChart:
    """Lay out ``points`` (``(label, value)`` pairs) as bars scaled to the largest value.
    With ``labels`` there is room under the bars for the labels and above them for values."""
    bottom = 24 if labels else 2
    top = 20 if labels else 2
    usable = height - bottom - top
    maximum = max((value for _, value in points), default=0)
    slot = width / max(len(points), 1)
    bar_width = slot * 0.6
    laid_out = []
    for index, (label, value) in enumerate(points):
        bar_height = (value / maximum * usable) if maximum else 0
        bar_height = max(bar_height, 1.5)  # a hairline shows "zero" rather than nothing
        x = index * slot + (slot - bar_width) / 2
        laid_out.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(height - bottom - bar_height, 1),
                width=round(bar_width, 1),
                height=round(bar_height, 1),
                label_x=round(x + bar_width / 2, 1),
            )
        )
    return BarChart(width=width, height=height, bars=laid_out, baseline=height - bottom, labels=labels, maximum=maximum)
