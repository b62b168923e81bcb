"""Marking a calculation step: the final figure within tolerance, or credit for the method.

The figure is read as in quizzes (:mod:`dialogs.language.numbers`): working is welcome and
the result the student ended on counts; a percentage given as a ratio is accepted with a
note. A wrong figure earns method credit for the key points its working shows (their
claims, usually the intermediate numbers), at most :data:`METHOD_CREDIT`; a figure within
:data:`SLIP` of the answer, with working that shows the method, is a slip in the arithmetic
and earns the full method credit, as a mark scheme gives method marks.
"""

from __future__ import annotations

from dialogs.language.claims import find, parse
from dialogs.language.grades import Grade, score_of
from dialogs.language.numbers import read_amount
from dialogs.language.reading import read
from dialogs.language.vocabulary import scenario_vocabulary
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario, Step
from knowledge.numeric import NumericError, compute

METHOD_CREDIT = 0.75
"""The most a wrong final number can earn, for the method shown in the working."""

SLIP = 0.03
"""How far off (a share of the answer) a figure may be and still be a slip, not a wrong method."""


def expected_number(scenario: Scenario, step: Step) -> float:
    """The right answer to a step's numeric task, recomputed from the scenario's data."""
    assert step.numeric is not None
    try:
        return compute(step.numeric, scenario.rows)
    except NumericError:
        return step.numeric.answer


def grade_number(kb: KnowledgeBase, scenario: Scenario, step: Step, text: str) -> Grade | None:
    """Grade a numeric step; None when the answer holds no number at all."""
    task = step.numeric
    assert task is not None
    amount = read_amount(text)
    if amount is None:
        return None
    expected = expected_number(scenario, step)
    value = amount.value
    for candidate in (value, value * 100 if task.unit == "%" and abs(value) <= 1 else value):
        if abs(candidate - expected) <= task.tolerance:
            made = {p.id: p.text for p in step.key_points}
            return Grade(1.0, made, (), number=candidate, expected=expected, correct=True)
    reading = read(text, scenario_vocabulary(kb, scenario))
    made = {}
    for point in step.key_points:
        for claim in point.claims:
            found = find(parse(claim), reading)
            if found is not None:
                made[point.id] = reading.quote(found.mentions)
                break
    missed = tuple(p.id for p in step.key_points if p.id not in made)
    slip = bool(made) and abs(value - expected) <= SLIP * abs(expected)
    share = 1.0 if slip else score_of(len(made), len(step.key_points))
    score = round(METHOD_CREDIT * share, 4)
    return Grade(score, made, missed, number=value, expected=expected, correct=False, slip=slip)
