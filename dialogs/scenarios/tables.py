"""A scenario's customer data table, legible on a phone.

Small tables become a monospace ``<pre>`` block at most :data:`MAX_WIDTH` characters wide,
headings always whole (so they match the legend in the scenario's context). Wider
tables are drawn as a PNG with matplotlib's Agg backend, so no column is ever cut or dropped:
students need every value to do the analysis.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dialogs.replies import Message, Photo, Reply
from dialogs.text import bold, pre
from knowledge.models import Scenario
from knowledge.presentation import TABLE_WIDTH, cell, column_widths

MAX_WIDTH = TABLE_WIDTH

_png_cache: dict[str, bytes] = {}


def _numeric(values: Sequence[object]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def text_table(scenario: Scenario, max_width: int = MAX_WIDTH) -> str | None:
    """The table as aligned monospace text with whole headings, or None if it is wider than
    ``max_width`` (the knowledge-base check keeps shipped tables within a phone's width)."""
    widths = column_widths(scenario)
    if sum(widths) + len(widths) - 1 > max_width:
        return None
    headers = [c.label for c in scenario.columns]
    columns = [[row.get(c.key, "") for row in scenario.rows] for c in scenario.columns]
    body = [[cell(v) for v in values] for values in columns]
    right = [_numeric(values) for values in columns]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ]
        return " ".join(parts).rstrip()

    rows = [line([body[i][r] for i in range(len(headers))]) for r in range(len(scenario.rows))]
    rule = "-" * (sum(widths) + len(widths) - 1)
    return "\n".join([line(headers), rule, *rows])


def table_png(scenario: Scenario) -> bytes:
    """The table drawn as a PNG (header row shaded), cached per scenario."""
    cached = _png_cache.get(scenario.id)
    if cached is not None:
        return cached
    headers = [c.label for c in scenario.columns]
    cells = [[cell(row.get(c.key, "")) for c in scenario.columns] for row in scenario.rows]
    figure = Figure(figsize=(6.4, 0.42 * (len(cells) + 1) + 0.2), dpi=160)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.axis("off")
    table = axes.table(cellText=cells, colLabels=headers, loc="center", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(11)
    table.auto_set_column_width(list(range(len(headers))))
    table.scale(1.0, 1.5)
    for (row, _col), shape in table.get_celld().items():
        if row == 0:
            shape.set_facecolor("#dfe8f3")
            shape.get_text().set_fontweight("bold")
    figure.draw_without_rendering()
    box = table.get_window_extent().transformed(figure.dpi_scale_trans.inverted())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches=box.expanded(1.03, 1.06))
    _png_cache[scenario.id] = buffer.getvalue()
    return _png_cache[scenario.id]


def render_table(scenario: Scenario, intro_html: str = "") -> Reply:
    """The data table as a reply: ``intro_html`` then a ``<pre>`` table, or a captioned PNG."""
    text = text_table(scenario)
    if text is not None:
        return Message(f"{intro_html}\n\n{pre(text)}" if intro_html else pre(text))
    caption = intro_html if intro_html and len(intro_html) <= 1000 else bold(scenario.title)
    return Photo(table_png(scenario), caption_html=caption)
