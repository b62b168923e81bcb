"""What a student sees of a scenario must make sense on its own, checked for every scenario.

* Every column heading fits a phone's monospace width whole, and every heading but the
  names column is explained in the context above the table.
* A prompt or follow-up question names only what the student has been shown: people and
  places from the title, context, table and earlier prompts, never one that exists only in
  a hint or a model answer ("members like Rita").
* The bases of a step's "which variables can you see" answers match the columns' kinds.
"""

from __future__ import annotations

import re

from knowledge.base import KnowledgeBase
from knowledge.models import Scenario
from knowledge.source import KeyPath, Source

TABLE_WIDTH = 40
"""The widest monospace table (in characters) a phone shows without wrapping."""

_MID_SENTENCE_NAME = re.compile(r"(?<![.!?:\"“]\s)(?<!^)\b([A-Z][a-z]+)\b")


def cell(value: object) -> str:
    """A table value as shown: whole floats without ``.0``, others as written."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def column_widths(scenario: Scenario) -> list[int]:
    """Each column's width with its heading whole."""
    return [
        max(len(c.label), *(len(cell(row.get(c.key, ""))) for row in scenario.rows))
        for c in scenario.columns
    ]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z']*", text))


def _table_problems(kb: KnowledgeBase, scenario: Scenario, source: Source) -> list[str]:
    problems: list[str] = []
    # A heading that is a variable's own name ("Age") explains itself.
    plain = {n.lower() for v in kb.variables.values() for n in (v.name, *v.aliases)}
    widths = column_widths(scenario)
    width = sum(widths) + len(widths) - 1
    if width > TABLE_WIDTH:
        message = (
            f"the table is {width} characters wide with whole headings; a phone shows "
            f"{TABLE_WIDTH}: shorten a heading or a value"
        )
        problems.append(source.problem(("columns",), message))
    legend = scenario.context.lower()
    for index, column in enumerate(scenario.columns):
        if column.kind == "id" or column.label.lower() in plain:
            continue
        if not re.search(rf"(?<!\w){re.escape(column.label.lower())}(?!\w)", legend):
            message = f"heading {column.label!r} is not explained in the context above the table"
            problems.append(source.problem(("columns", index, "label"), message))
    return problems


def _name_problems(scenario: Scenario, source: Source) -> list[str]:
    problems: list[str] = []
    shown = _words(scenario.title) | _words(scenario.context)
    shown |= {w for c in scenario.columns for w in _words(c.label)}
    shown |= {w for row in scenario.rows for v in row.values() for w in _words(cell(v))}
    for index, step in enumerate(scenario.steps):
        problems += _unseen(shown, step.prompt, source, ("steps", index, "prompt"))
        shown |= _words(step.prompt)  # the step's own follow-up questions may use its names
        for k, point in enumerate(step.key_points):
            if point.ask:
                path: KeyPath = ("steps", index, "key_points", k, "ask")
                problems += _unseen(shown, point.ask, source, path)
    return problems


def _unseen(shown: set[str], text: str, source: Source, path: KeyPath) -> list[str]:
    return [
        source.problem(path, f"names {name!r}, which the student has not been shown")
        for name in dict.fromkeys(_MID_SENTENCE_NAME.findall(text))
        if name not in shown
    ]


def _base_problems(kb: KnowledgeBase, scenario: Scenario, source: Source) -> list[str]:
    problems: list[str] = []
    kinds = {c.kind for c in scenario.columns} - {"id", "value"}
    for index, step in enumerate(scenario.steps):
        if step.kind != "identify_variables":
            continue
        if not all(v in kb.variables for v in step.correct_choices):
            continue  # a broken or unknown variable is reported on its own
        answers = [kb.variables[v] for v in step.correct_choices]
        covered = {b for v in answers for b in v.accepted_bases}
        for kind in sorted(kinds - covered):
            message = f"the table has a {kind} column but no {kind} variable is a right answer"
            problems.append(source.problem(("steps", index, "correct_choices"), message))
        for variable in answers:
            if not set(variable.accepted_bases) & kinds:
                message = (
                    f"{variable.id!r} ({variable.base}) is a right answer but no column of the "
                    "table is of that kind"
                )
                problems.append(source.problem(("steps", index, "correct_choices"), message))
    return problems


def presentation_problems(kb: KnowledgeBase, scenario: Scenario, source: Source) -> list[str]:
    """Every problem with what ``scenario`` shows a student (see the module docstring)."""
    return [
        *_table_problems(kb, scenario, source),
        *_name_problems(scenario, source),
        *_base_problems(kb, scenario, source),
    ]
