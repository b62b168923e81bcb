"""The /progress chart: mastery bars and the week's reviews, drawn with matplotlib (Agg).

Uses ``matplotlib.figure.Figure`` directly (no pyplot), so nothing global is touched and it is
safe to render in a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

_GOOD, _OK, _WEAK = "#2e9e5b", "#f0a202", "#d64545"


def _colour(value: float) -> str:
    return _GOOD if value >= 0.7 else (_OK if value >= 0.4 else _WEAK)


def _bars(axes: Axes, title: str, labels: Sequence[str], values: Sequence[float | None]) -> None:
    """Horizontal mastery bars; None is a group not started yet (no bar, said in words)."""
    positions = list(range(len(labels)))[::-1]
    percents = [round((v or 0.0) * 100) for v in values]
    colours = [_colour(v or 0.0) for v in values]
    axes.barh(positions, percents, color=colours, height=0.6)
    axes.set_yticks(positions, labels=list(labels), fontsize=13)
    axes.set_xlim(0, 100)
    axes.set_title(title, fontsize=15, loc="left", fontweight="bold")
    axes.tick_params(axis="x", labelsize=11)
    axes.set_xlabel("% you would recall today", fontsize=11)
    for y, value, raw in zip(positions, percents, values, strict=True):
        if raw is None:
            axes.text(1, y, "not started", va="center", fontsize=12, color="#777777")
        elif value > 85:  # no room to the right: write it inside the bar
            axes.text(
                value - 2, y, f"{value}%", va="center", ha="right", fontsize=12, color="white"
            )
        else:
            axes.text(value + 2, y, f"{value}%", va="center", fontsize=12)
    axes.spines[["top", "right"]].set_visible(False)


def progress_png(
    bases: Sequence[tuple[str, float | None]],
    outcomes: Sequence[tuple[str, float]],
    week: Sequence[tuple[str, int]],
) -> bytes:
    """A tall PNG that reads well on a phone: mastery by base, by outcome, and reviews due."""
    figure = Figure(figsize=(6.0, 9.0), dpi=150, layout="constrained")
    FigureCanvasAgg(figure)
    top, middle, bottom = figure.subplots(3, 1, height_ratios=[5, 3, 3])
    _bars(top, "Mastery by segmentation base", [b for b, _ in bases], [v for _, v in bases])
    _bars(middle, "Mastery by learning outcome", [o for o, _ in outcomes], [v for _, v in outcomes])
    days = [d for d, _ in week]
    counts = [c for _, c in week]
    bottom.bar(range(len(days)), counts, color="#3b6fb6")
    bottom.set_xticks(range(len(days)), labels=days, fontsize=11)
    bottom.set_title("Reviews due, next 7 days", fontsize=15, loc="left", fontweight="bold")
    bottom.tick_params(axis="y", labelsize=11)
    bottom.yaxis.set_major_locator(MaxNLocator(integer=True))
    bottom.spines[["top", "right"]].set_visible(False)
    for x, count in enumerate(counts):
        bottom.text(x, count, str(count), ha="center", va="bottom", fontsize=12)
    bottom.set_ylim(0, max([*counts, 1]) * 1.25)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
