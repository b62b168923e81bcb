"""What a scenario run adds up to: step scores, marking points, and what to revise."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dialogs.language.answers import read_answer
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario, Step

WEAK = 0.6
"""Steps and marking points scoring below this are what the student should revise."""


def overall(scores: Mapping[str, float], scenario: Scenario) -> float:
    """A run's overall score: the mean over all its steps (a step never answered counts 0)."""
    steps = scenario.steps
    return round(sum(scores.get(s.id, 0.0) for s in steps) / len(steps), 4)


def marking_scores(
    scores: Mapping[str, float], scenario: Scenario, *, answered_only: bool = False
) -> dict[str, float]:
    """Marking point id -> the mean score of the steps that earn it, in first-use order.

    With ``answered_only``, steps without a score in ``scores`` are left out, and so is a
    point none of whose steps was answered.
    """
    earned: dict[str, list[float]] = {}
    for step in scenario.steps:
        if answered_only and step.id not in scores:
            continue
        for point in step.marking_points:
            earned.setdefault(point, []).append(scores.get(step.id, 0.0))
    return {point: round(sum(v) / len(v), 4) for point, v in earned.items()}


def weak_items(kb: KnowledgeBase, step: Step, made: Sequence[str], answer: str = "") -> list[str]:
    """Knowledge-base items a weak answer to ``step`` points at, for spaced repetition.

    Choice steps: the variables missed or wrongly ticked (``answer`` holds the ticks, comma
    separated). Other steps: the variables behind missed key points, and for numeric steps
    the KPI the task is about.
    """
    items: list[str] = []
    if step.choices:
        ticked = [t for t in answer.split(",") if t]
        items += [c for c in step.correct_choices if c not in made]
        items += [t for t in ticked if t in step.choices and t not in step.correct_choices]
    else:
        for point in step.key_points:
            if point.id not in made:
                items += point.variables
        if step.numeric is not None:
            items = _kpis(kb, f"{step.prompt} {step.numeric.question}") + items
    return [i for i in dict.fromkeys(items) if kb.item(i) is not None]


def _kpis(kb: KnowledgeBase, text: str) -> list[str]:
    options = {
        c.id: [c.name, *c.aliases] for c in kb.concepts.values() if c.topic in ("kpi", "rfm")
    }
    return read_answer(text, options).keys
