"""The data table fits a phone: monospace within 40 characters, else a PNG image."""

from __future__ import annotations

from typing import Any

from dialogs.replies import Message, Photo
from dialogs.scenarios.tables import MAX_WIDTH, render_table, text_table
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _scenario(columns: list[tuple[str, str]], rows: list[list[Any]]) -> Scenario:
    step = {
        "id": "s",
        "kind": "motivations",
        "prompt": "Why?",
        "hints": ["Think."],
        "model_answer": "Because.",
        "marking_points": ["mp_linkage"],
    }
    return Scenario.model_validate(
        {
            "id": f"table_{len(columns)}_{len(rows[0][0])}",
            "outcomes": ["LO3"],
            "title": "Table test",
            "market": "B2C",
            "context": "Context.",
            "columns": [{"key": k, "label": label, "kind": "behavioural"} for k, label in columns],
            "rows": [dict(zip([k for k, _ in columns], row, strict=True)) for row in rows],
            "steps": [{**step, "id": f"s{i}"} for i in range(5)],
        }
    )


NARROW = _scenario(
    [("name", "Name"), ("age", "Age"), ("spend", "Spend"), ("says", "Says")],
    [[f"P{i}", 20 + i, 10.0 * i, "likes & <b>"] for i in range(6)],
)


def test_narrow_table_is_aligned_monospace() -> None:
    text = text_table(NARROW)
    assert text is not None
    lines = text.splitlines()
    assert lines[0].split() == ["Name", "Age", "Spend", "Says"]
    assert set(lines[1]) == {"-"}
    assert len(lines) == 2 + 6
    assert all(len(line) <= MAX_WIDTH for line in lines)
    # numbers are right-aligned, whole floats lose their ".0"
    assert lines[-1].startswith("P5    25    50 likes")


def test_render_escapes_and_wraps_in_pre() -> None:
    reply = render_table(NARROW, "<b>Intro</b>")
    assert isinstance(reply, Message)
    assert reply.html.startswith("<b>Intro</b>\n\n<pre>")
    assert "likes &amp; &lt;b&gt;" in reply.html


def test_headings_are_never_cut() -> None:
    """A cut heading ("Secto") no longer matches its legend: a table too wide with whole
    headings is drawn as a picture instead."""
    wide_headers = _scenario(
        [(f"c{i}", f"Column{i}") for i in range(6)],
        [[f"v{i}{r}"[:4] for i in range(6)] for r in range(6)],
    )
    assert text_table(wide_headers) is None
    assert isinstance(render_table(wide_headers), Photo)


def test_every_shipped_table_fits_a_phone_with_whole_headings(kb: KnowledgeBase) -> None:
    for scenario in kb.scenarios.values():
        text = text_table(scenario)
        assert text is not None, scenario.id
        assert text.splitlines()[0].split() == [c.label for c in scenario.columns]


def test_too_wide_becomes_a_png_with_every_value() -> None:
    wide = _scenario(
        [(f"c{i}", f"C{i}") for i in range(5)],
        [[f"value-{i}-{r}" for i in range(5)] for r in range(6)],
    )
    assert text_table(wide) is None
    reply = render_table(wide, "<b>Intro</b>")
    assert isinstance(reply, Photo)
    assert reply.png.startswith(PNG_MAGIC)
    assert reply.caption_html == "<b>Intro</b>"


def test_shipped_tables_fit_or_become_images(kb: KnowledgeBase) -> None:
    for scenario in kb.scenarios.values():
        reply = render_table(scenario)
        if isinstance(reply, Message):
            body = reply.html.removeprefix("<pre>").removesuffix("</pre>")
            assert all(len(line) <= MAX_WIDTH for line in body.splitlines()), scenario.id
        else:
            assert isinstance(reply, Photo) and reply.png.startswith(PNG_MAGIC)
