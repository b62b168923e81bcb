"""``tutor mark``: how the tutor reads a piece of student text, as plain data.

A stable contract for content authors and evaluations (one JSON object in, one out), so that
neither depends on internal function names:

- ``{"kind": "misconception", "text": ...}`` -> ``{"misconceptions": [ids], "read": str}``
- ``{"kind": "typed", "question": "classify" | "recall" | "numeric" | "option", "item": id,
  "text": ...}`` -> ``{"verdict": "right" | "partly" | "wrong" | "unreadable", "read": [str]}``;
  ``recall`` may name the ``base`` asked for; ``option`` lists the ``options`` shown (ids, or
  ``["myth", "fact"]`` with ``shown`` = ``belief`` | ``fact`` for a myth-or-fact question).
- ``{"kind": "step", "step": "scenario/step", "text": ...}`` -> ``{"score": 0-1, "pass": bool,
  "points": {id: bool}, "contradicted": [ids], "read": str}`` (and ``"unreadable": why`` when
  the text could not be read as an answer)

Anything else gets ``{"error": ...}``. Fields other than these are ignored, so a labelled
corpus line can be marked as it is. The contract only grows by adding fields.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from typing import Any

from dialogs.language.misconceptions import detect
from dialogs.language.step_grading import grade_typed
from dialogs.quiz.grading import Unreadable, Verdict
from dialogs.quiz.makers import numeric
from dialogs.quiz.questions import (
    FACT,
    MYTH,
    MYTH_FACT_ACCEPT,
    Question,
    option_accept,
    option_phrases,
)
from dialogs.quiz.typed_grading import grade_text
from dialogs.quiz.variable_questions import classify_typed, recall
from dialogs.scenarios.scores import WEAK
from knowledge.base import KnowledgeBase
from knowledge.models import (
    BASES,
    CommandWord,
    Concept,
    Grouping,
    Misconception,
    Scenario,
    Step,
    Variable,
)

MAX_TEXT = 4096


class BadRequest(ValueError):
    """A request that cannot be marked; the message says why."""


def mark_line(kb: KnowledgeBase, line: str) -> dict[str, Any]:
    """Mark one JSON line; a line that is not a valid request gets an error object."""
    try:
        request = json.loads(line)
    except ValueError as error:
        return {"error": f"not JSON: {error}"}
    if not isinstance(request, dict):
        return {"error": "expected a JSON object"}
    try:
        return mark(kb, request)
    except BadRequest as error:
        return {"error": str(error)}


def mark(kb: KnowledgeBase, request: Mapping[str, Any]) -> dict[str, Any]:
    """Mark one request (see the module docstring); raises :class:`BadRequest`."""
    text = request.get("text")
    if not isinstance(text, str):
        raise BadRequest('"text" must be a string')
    text = text[:MAX_TEXT]
    kind = request.get("kind")
    if kind == "misconception":
        found = detect(kb, text)
        return {"misconceptions": [m.id for m in found], "read": "; ".join(m.title for m in found)}
    if kind == "typed":
        return _typed(kb, request, text)
    if kind == "step":
        return _step(kb, request, text)
    raise BadRequest('"kind" must be "misconception", "typed" or "step"')


def _item(kb: KnowledgeBase, request: Mapping[str, Any], *types: type) -> Any:
    item_id = request.get("item")
    item = kb.item(item_id) if isinstance(item_id, str) else None
    if item is None or not isinstance(item, types):
        wanted = " or ".join(t.__name__.lower() for t in types)
        raise BadRequest(f'"item" must be the id of a {wanted} in the knowledge base')
    return item


def _question(kb: KnowledgeBase, request: Mapping[str, Any]) -> Question:
    rng = random.Random(0)
    asked = request.get("question")
    if asked == "classify":
        return classify_typed(kb, _item(kb, request, Variable), rng)
    if asked == "recall":
        variable = _item(kb, request, Variable)
        base = request.get("base", variable.base)
        if base not in BASES:
            raise BadRequest(f'"base" must be one of {", ".join(BASES)}')
        return recall(kb, variable, rng, base=base)
    if asked == "numeric":
        concept = _item(kb, request, Concept)
        if concept.worked is None:
            raise BadRequest(f"{concept.id} has no worked calculation")
        return numeric(kb, concept, rng)
    if asked == "option":
        return _option_question(kb, request)
    raise BadRequest('"question" must be "classify", "recall", "numeric" or "option"')


def _option_question(kb: KnowledgeBase, request: Mapping[str, Any]) -> Question:
    options = request.get("options")
    if not isinstance(options, list) or not options or not all(isinstance(o, str) for o in options):
        raise BadRequest('"options" must list the ids of the options shown')
    item = _item(kb, request, Variable, Concept, Grouping, CommandWord, Misconception)
    if isinstance(item, Misconception):
        shown = request.get("shown", "belief")
        if shown not in ("belief", "fact"):
            raise BadRequest('"shown" must be "belief" or "fact"')
        correct = 0 if shown == "belief" else 1
        return Question(
            item.id,
            "myth_fact",
            "",
            options=(MYTH, FACT),
            correct=(correct,),
            accept=MYTH_FACT_ACCEPT,
        )
    if item.id not in options:
        raise BadRequest('"item" must be one of the "options"')
    shown = [kb.item(option) for option in options]
    if all(isinstance(s, CommandWord) for s in shown):
        words = [s.word for s in shown if isinstance(s, CommandWord)]
        accept = {str(i): option_phrases(w, words) for i, w in enumerate(words)}
        labels = tuple(words)
    elif all(isinstance(s, Variable | Concept | Grouping) for s in shown):
        named = [s for s in shown if isinstance(s, Variable | Concept | Grouping)]
        accept, labels = option_accept(named), tuple(s.name for s in named)
    else:
        raise BadRequest('"options" must all be ids of variables, concepts or command words')
    return Question(
        item.id, "option", "", options=labels, correct=(options.index(item.id),), accept=accept
    )


def _typed(kb: KnowledgeBase, request: Mapping[str, Any], text: str) -> dict[str, Any]:
    result = grade_text(_question(kb, request), text)
    if isinstance(result, Unreadable):
        return {"verdict": "unreadable", "read": []}
    return {"verdict": _verdict(result), "read": [r for r in result.chosen.split(", ") if r]}


def _verdict(result: Verdict) -> str:
    if result.correct:
        return "right"
    return "partly" if result.partial else "wrong"


def _step(kb: KnowledgeBase, request: Mapping[str, Any], text: str) -> dict[str, Any]:
    ref = request.get("step")
    scenario_id, _, step_id = ref.partition("/") if isinstance(ref, str) else ("", "", "")
    scenario = kb.scenarios.get(scenario_id)
    step = next((s for s in scenario.steps if s.id == step_id), None) if scenario else None
    if scenario is None or step is None:
        raise BadRequest('"step" must be "<scenario id>/<step id>" of a scenario step')
    return mark_step(kb, scenario, step, text)


def mark_step(kb: KnowledgeBase, scenario: Scenario, step: Step, text: str) -> dict[str, Any]:
    """A step's marking as plain data: score, each key point, contradictions, what was read."""
    graded = grade_typed(kb, scenario, step, text)
    if isinstance(graded, str):
        return {
            "score": 0.0,
            "pass": False,
            "points": {p.id: False for p in step.key_points},
            "contradicted": [],
            "read": "",
            "unreadable": graded,
        }
    points = {p.id: p.id in graded.made for p in step.key_points}
    read = "; ".join(f"{key}: {words}" for key, words in graded.made.items())
    passed = graded.score >= WEAK
    return {
        "score": graded.score,
        "pass": passed,
        "points": points,
        "contradicted": list(graded.contradicted),
        "read": read,
    }
