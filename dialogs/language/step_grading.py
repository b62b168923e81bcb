"""Grading of each kind of scenario step and the rules they share.

A key point counts when the answer says it (its text or a synonym, typos and paraphrases
allowed, via :mod:`dialogs.language.matching`) or names one of the point's segmentation
variables.
Multi-select steps score correct ticks minus wrong ticks over the correct count; the numeric
step scores full marks within the task's tolerance. Persona and recommendation steps also
run the exam-tip checks: a psychographic element, a behavioural element and a number; a
channel, a message and a tactic tied back to the profile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dialogs.language.checks import (
    Check,
    persona_checks,
    recommendation_checks,
)
from dialogs.language.matching import find_phrases, find_points
from dialogs.language.normalise import NEGATIONS, tokens
from dialogs.language.variables import VariableHit, find_variables
from knowledge.base import KnowledgeBase
from knowledge.models import KeyPoint, Scenario, Step
from knowledge.numeric import NumericError, compute, parse_number

METHOD_CREDIT = 0.5
"""The most a wrong final number can earn, for the method shown in the working."""

_NUMBER = re.compile(r"[£$€]?\s?\d[\d,]*(?:\.\d+)?\s?%?")
_CLAUSES = re.compile(r"[.;:!?\n]+|\bbut\b|\bwhereas\b|\bexcept\b", re.IGNORECASE)
_ABSENT = frozenset({"missing", "absent", "without", "lacks", "lack", "unknown", "nor"})


@dataclass(frozen=True)
class Grade:
    """The result of grading one answer to one step.

    ``made`` maps key point (or, on choice steps, variable) ids to the words that earned
    them; ``missed`` lists the rest in step order. ``wrong`` are choices ticked that are not
    in the data. Numeric steps also carry the figure read (``number``), the right one
    (``expected``) and whether it was within tolerance (``correct``).
    """

    score: float
    made: Mapping[str, str] = field(default_factory=dict)
    missed: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    wrong: tuple[str, ...] = ()
    number: float | None = None
    expected: float | None = None
    correct: bool | None = None

    @property
    def points_made(self) -> list[str]:
        """The ids that earned credit, for storage."""
        return list(self.made)


def point_phrases(point: KeyPoint) -> list[str]:
    """Every way the key point may be phrased: its text and its synonyms."""
    return [point.text, *point.synonyms]


def points_made(kb: KnowledgeBase, step: Step, text: str) -> dict[str, str]:
    """Key point id -> the words that made it, by phrase or by a variable it names.

    Each variable named earns at most one point (the first in step order it belongs to).
    """
    made = find_points(text, {p.id: point_phrases(p) for p in step.key_points})
    unused = variables_said(kb, text)
    for point in step.key_points:
        if point.id in made:
            continue
        hit = next((h for h in unused if h.variable_id in point.variables), None)
        if hit is not None:
            made[point.id] = hit.phrase
            # One variable earns one point: "age" alone must not make three segments.
            unused.remove(hit)
    return made


def variables_said(kb: KnowledgeBase, text: str) -> list[VariableHit]:
    """The variables ``text`` names. A negated mention still counts: "no loyalty" is an
    answer about loyalty (a variable is a dimension, not a claim)."""
    return find_variables(kb, text)


def _score(made: int, total: int) -> float:
    return round(made / total, 4) if total else 1.0


def _ordered(step: Step, made: Mapping[str, str]) -> dict[str, str]:
    return {p.id: made[p.id] for p in step.key_points if p.id in made}


def grade_free_text(kb: KnowledgeBase, step: Step, text: str) -> Grade:
    """Grade a written answer to a step on its key points (plus the exam-tip checks)."""
    made = points_made(kb, step, text)
    checks: tuple[Check, ...] = ()
    if step.kind == "persona":
        checks = persona_checks(kb, step, text, made)
    elif step.kind == "recommendation":
        checks = recommendation_checks(kb, step, text, made)
    for check in checks:
        # A check met in other words still earns the key point of the same name.
        point = point_for_check(step, check.name)
        if check.ok and point is not None and point.id not in made:
            made[point.id] = check.found
    ordered = _ordered(step, made)
    missed = tuple(p.id for p in step.key_points if p.id not in ordered)
    return Grade(_score(len(ordered), len(step.key_points)), ordered, missed, checks)


def grade_choices(step: Step, ticked: Sequence[str]) -> Grade:
    """Grade ticks on a multi-select step: (right - wrong) / right answers, floored at 0."""
    chosen = list(dict.fromkeys(t for t in ticked if t in step.choices))
    right = {c: c for c in step.correct_choices if c in chosen}
    wrong = tuple(c for c in chosen if c not in step.correct_choices)
    missed = tuple(c for c in step.correct_choices if c not in right)
    total = len(step.correct_choices)
    score = _score(max(0, len(right) - len(wrong)), total) if total else float(not wrong)
    return Grade(score, right, missed, wrong=wrong)


def typed_choices(kb: KnowledgeBase, step: Step, text: str) -> list[str]:
    """The step's choices a typed answer names ("age, usage rate"), negated clauses left out."""
    options = {}
    for choice in step.choices:
        variable = kb.variables.get(choice)
        names = [choice.replace("_", " ")]
        if variable is not None:
            names += [variable.name, *variable.aliases]
        options[choice] = names
    chosen: list[str] = []
    for clause in _CLAUSES.split(text):
        # "Income and gender are not recorded": a negated clause names what is absent.
        if any(w in NEGATIONS or w in _ABSENT for w in tokens(clause)):
            continue
        for hit in find_phrases(clause, options):
            if hit.key not in chosen:
                chosen.append(hit.key)
    return chosen


def read_numbers(text: str) -> list[float]:
    """Every number in ``text`` ("£2,304", "25%", "32 x 12"), in order."""
    whole = parse_number(text)
    if whole is not None:
        return [whole]
    found = (parse_number(m.group().strip()) for m in _NUMBER.finditer(text))
    return [n for n in found if n is not None]


def _final_number(text: str, numbers: Sequence[float]) -> float:
    """The figure the student ended on: the first number after the last "=", else the last."""
    _, equals, after = text.rpartition("=")
    tail = read_numbers(after) if equals else []
    return tail[0] if tail else numbers[-1]


def expected_number(scenario: Scenario, step: Step) -> float:
    """The right answer to a step's numeric task, recomputed from the scenario's data."""
    assert step.numeric is not None
    try:
        return compute(step.numeric, scenario.rows)
    except NumericError:
        return step.numeric.answer


def grade_number(scenario: Scenario, step: Step, text: str) -> Grade | None:
    """Grade a numeric step; None when the answer holds no number at all.

    Any figure within tolerance earns full marks (working such as "32 x 12 x 6 = 2304" is
    fine; a percentage given as a fraction counts). A wrong figure earns method credit for
    the key points its working shows, at most :data:`METHOD_CREDIT`.
    """
    task = step.numeric
    assert task is not None
    numbers = read_numbers(text)
    if not numbers:
        return None
    expected = expected_number(scenario, step)
    for value in numbers:
        scaled = value * 100 if task.unit == "%" and abs(value) <= 1 else value
        for candidate in (value, scaled):
            if abs(candidate - expected) <= task.tolerance:
                made = {p.id: p.text for p in step.key_points}
                return Grade(1.0, made, (), number=candidate, expected=expected, correct=True)
    phrases = {p.id: point_phrases(p) for p in step.key_points}
    made = _ordered(step, find_points(text, phrases))
    missed = tuple(p.id for p in step.key_points if p.id not in made)
    score = round(METHOD_CREDIT * _score(len(made), len(step.key_points)), 4)
    final = _final_number(text, numbers)
    return Grade(score, made, missed, number=final, expected=expected, correct=False)


def point_for_check(step: Step, name: str) -> KeyPoint | None:
    """The step's key point a check stands for ("Channel" -> ``channel``), if it has one."""
    key = name.split()[0].casefold()
    return next((p for p in step.key_points if p.id == key or p.id.startswith(key + "_")), None)


def needs_more(step: Step, text: str) -> bool:
    """True when a written answer is too thin to grade (one word, or no words at all).

    A lone number is a full answer to a numeric step, and one name a fair start on a
    multi-select step, so those are never "too thin".
    """
    if step.kind == "quantitative" or step.choices:
        return not text.strip()
    words = [w for w in tokens(text) if any(ch.isalpha() for ch in w)]
    return len(words) < 2


def grade_typed(kb: KnowledgeBase, scenario: Scenario, step: Step, text: str) -> Grade | str:
    """Grade typed text for ``step``, or say (as a reply text) why it cannot be graded."""
    if step.choices:
        ticked = typed_choices(kb, step, text)
        if not ticked:
            return (
                "I couldn't spot any of the listed variables in that. Tick them with the "
                "buttons on the step, or type their names (for example: age, usage rate)."
            )
        return grade_choices(step, ticked)
    if step.numeric is not None:
        graded = grade_number(scenario, step, text)
        if graded is None:
            return (
                "This step needs a number, such as 42, £1,250 or 12.5% (working is welcome). "
                "Tap Hint if you're stuck."
            )
        return graded
    return grade_free_text(kb, step, text)
