"""The ``tutor mark`` contract: one JSON request in, one JSON answer out, errors on the line."""

from __future__ import annotations

import json

import pytest

from dialogs.marking import mark_line
from knowledge.base import KnowledgeBase


def _mark(kb: KnowledgeBase, **request: object) -> dict[str, object]:
    return mark_line(kb, json.dumps(request))


def test_misconception(kb: KnowledgeBase) -> None:
    answer = _mark(kb, kind="misconception", text="segmenting and targeting are really one step")
    assert answer["misconceptions"] == ["mc_segmentation_vs_targeting"]
    assert answer["read"]
    assert _mark(kb, kind="misconception", text="is clv one purchase?")["misconceptions"] == []


@pytest.mark.parametrize(
    ("request_", "verdict"),
    [
        ({"question": "classify", "item": "lifestyle", "text": "psycografic"}, "right"),
        ({"question": "classify", "item": "lifestyle", "text": "🤷"}, "unreadable"),
        (
            {"question": "recall", "item": "age", "base": "demographic", "text": "age, salary"},
            "right",
        ),
        ({"question": "recall", "item": "age", "text": "age, lifestyle"}, "partly"),
        (
            {"question": "numeric", "item": "kpi_roi", "text": "(7000-2000)/2000 = 2.5 so 250%"},
            "right",
        ),
        (
            {
                "question": "option",
                "item": "vpc_pains",
                "options": ["vpc_customer_jobs", "vpc_pains", "vpc_gains"],
                "text": "customer pain",
            },
            "right",
        ),
        (
            {
                "question": "option",
                "item": "mc_clv_single_purchase",
                "options": ["myth", "fact"],
                "shown": "belief",
                "text": "false",
            },
            "right",
        ),
    ],
)
def test_typed(kb: KnowledgeBase, request_: dict[str, object], verdict: str) -> None:
    answer = _mark(kb, kind="typed", **request_)
    assert answer["verdict"] == verdict, answer


def test_step(kb: KnowledgeBase) -> None:
    answer = _mark(
        kb,
        kind="step",
        step="gym_membership/motivations",
        text="they go cos its a laugh with their mates and its cheap",
    )
    assert set(answer) >= {"score", "pass", "points", "contradicted", "read"}
    points = answer["points"]
    assert isinstance(points, dict) and points["social_fun"] and points["price_led"]
    assert answer["score"] == 0.5 and answer["pass"] is False


@pytest.mark.parametrize(
    "line",
    [
        "not json",
        "[1, 2]",
        json.dumps({"kind": "step", "step": "nope/nope", "text": "x"}),
        json.dumps({"kind": "typed", "question": "classify", "item": "kpi_roi", "text": "x"}),
        json.dumps(
            {"kind": "typed", "question": "recall", "item": "age", "base": "x", "text": "y"}
        ),
        json.dumps({"kind": "poem", "text": "x"}),
        json.dumps({"kind": "misconception", "text": 42}),
    ],
)
def test_bad_lines_get_an_error_never_a_crash(kb: KnowledgeBase, line: str) -> None:
    assert "error" in mark_line(kb, line)


ODD_TEXT = [
    "",
    "   ",
    "🙂🙂🔥",
    "segmentation is targeting " * 200,  # 5,000 characters
    "Сегментация и таргетинг это одно и то же",
    "细分和定位是一样的",
    "la segmentación es lo mismo que targeting, innit",
    "<b>segmentation</b> <script>alert(1)</script> &amp;",
    "12345 67890",
    "\u202e\u200bzero\u200dwidth",
]


@pytest.mark.parametrize("text", ODD_TEXT)
def test_odd_text_is_marked_calmly(kb: KnowledgeBase, text: str) -> None:
    """Emoji, other scripts, HTML, numbers and very long text: an answer on every kind, and
    never a misconception read into text the tutor cannot read."""
    found = _mark(kb, kind="misconception", text=text)["misconceptions"]
    if text.startswith("segmentation is targeting"):
        assert found == ["mc_segmentation_vs_targeting"]
    else:
        assert found == []
    typed = _mark(kb, kind="typed", question="classify", item="age", text=text)
    assert typed["verdict"] in ("unreadable", "wrong")
    step = _mark(kb, kind="step", step="gym_membership/motivations", text=text)
    assert step["score"] == 0.0 and step["pass"] is False
