"""The end-of-scenario summary reports only what the answers earned."""

from __future__ import annotations

from dialogs.scenarios.feedback import summary_view
from knowledge.base import KnowledgeBase
from storage.models import StepAttempt
from tests.conftest import NOON

GYM = "gym_membership"


def _attempt(step_id: str, score: float, *, revealed: bool = False) -> StepAttempt:
    return StepAttempt(
        run_id=1, step_id=step_id, answer="x", score=score, revealed=revealed, at=NOON
    )


def test_unanswered_steps_and_tips_are_not_scored(kb: KnowledgeBase) -> None:
    scenario = kb.scenarios[GYM]
    first = scenario.steps[0]
    by_step = {first.id: [_attempt(first.id, 1.0)]}
    html = summary_view(kb, scenario, {first.id: 1.0}, by_step, []).html
    assert "2. Find the segments: not answered" in html
    for point_id in first.marking_points:
        point = kb.marking_points[point_id]
        if point.kind == "marking_point":
            assert f"{point.label}</b>: 100%" in html
    later = {p for s in scenario.steps[1:] for p in s.marking_points} - set(first.marking_points)
    for point_id in later:  # only steps nobody answered speak for these
        assert kb.marking_points[point_id].label not in html
    tips = [kb.marking_points[p] for p in first.marking_points]
    for tip in (t for t in tips if t.kind != "marking_point"):
        assert f"{tip.label}</b>:" not in html and tip.label in html


def test_the_book_marks_only_an_answer_shown_before_scoring(kb: KnowledgeBase) -> None:
    scenario = kb.scenarios[GYM]
    one, two = scenario.steps[0].id, scenario.steps[1].id
    by_step = {
        one: [_attempt(one, 1.0), _attempt(one, 0.0, revealed=True)],  # done, then looked
        two: [_attempt(two, 0.0, revealed=True), _attempt(two, 1.0)],  # looked, then answered
    }
    html = summary_view(kb, scenario, {one: 1.0, two: 0.0}, by_step, []).html
    lines = {line.split(".")[0]: line for line in html.splitlines() if line[:2] in ("1.", "2.")}
    assert "📖" not in lines["1"]
    assert "📖" in lines["2"]
