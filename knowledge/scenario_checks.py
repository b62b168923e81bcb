"""Checks inside one scenario (table shape, steps, references) and of numeric tasks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath

from knowledge.models import Aggregate, NumericTask, Scenario, Step
from knowledge.numeric import NumericError, compute, format_number
from knowledge.refs import Known
from knowledge.source import Key, KeyPath, Source

Row = Mapping[str, object]
_VARIABLES = frozenset({"variables"})


def _duplicates(ids: Sequence[str]) -> dict[int, int]:
    """Index of each repeated id -> index of its first occurrence."""
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in first:
            repeats[index] = first[item_id]
        else:
            first[item_id] = index
    return repeats


def _aggregate_problems(
    source: Source, path: KeyPath, spec: Aggregate, rows: Sequence[Row], columns: Sequence[str]
) -> list[str]:
    known = ", ".join(columns)
    problems: list[str] = []
    if spec.column is not None and spec.column not in columns:
        message = f"unknown column {spec.column!r} (columns: {known})"
        problems.append(source.problem((*path, "column"), message))
    elif spec.column is None and spec.agg != "count":
        problems.append(source.problem(path, f"{spec.agg} needs a column"))
    for key in spec.where:
        if key not in columns:
            message = f"unknown column {key!r} (columns: {known})"
            problems.append(source.problem((*path, "where", key), message))
    if problems:
        return problems
    matching = [r for r in rows if all(r.get(k) == v for k, v in spec.where.items())]
    if not matching:
        problems.append(source.problem((*path, "where"), "matches no rows"))
    if spec.agg != "count" and spec.column is not None:
        for index, row in enumerate(rows):
            value = row.get(spec.column)
            if row in matching and (isinstance(value, bool) or not isinstance(value, int | float)):
                message = f"column {spec.column!r} holds a non-number {value!r} in rows.{index}"
                problems.append(source.problem((*path, "column"), message))
                break
    return problems


def numeric_problems(
    source: Source,
    path: KeyPath,
    task: NumericTask,
    rows: Sequence[Row] | None,
    columns: Sequence[str] = (),
) -> list[str]:
    """Problems with a numeric task at ``path``: bad aggregates, a bad expression, or an
    ``answer`` the inputs do not give. ``rows`` is None outside a scenario (no data table)."""
    problems: list[str] = []
    for name, spec in task.inputs.items():
        if not isinstance(spec, Aggregate):
            continue
        if rows is None:
            message = "a worked example has no data table: give a plain number"
            problems.append(source.problem((*path, "inputs", name), message))
        else:
            problems += _aggregate_problems(source, (*path, "inputs", name), spec, rows, columns)
    if problems:
        return problems
    try:
        value = compute(task, rows)
    except NumericError as error:
        at: KeyPath = ("inputs", error.input_name) if error.input_name else ("expression",)
        return [source.problem((*path, *at), str(error))]
    if abs(value - task.answer) > task.tolerance:
        origin = "the data gives" if rows is not None else "the inputs give"
        message = f"stated {format_number(task.answer)} but {origin} {format_number(value)}"
        problems.append(source.problem((*path, "answer"), message))
    return problems


def _table_problems(scenario: Scenario, source: Source) -> list[str]:
    problems: list[str] = []
    keys = [c.key for c in scenario.columns]
    for index, first in _duplicates(keys).items():
        message = f"duplicate column key {keys[index]!r} (also columns.{first})"
        problems.append(source.problem(("columns", index, "key"), message))
    for index, row in enumerate(scenario.rows):
        missing = [k for k in keys if k not in row]
        if missing:
            listed = ", ".join(repr(k) for k in missing)
            problems.append(source.problem(("rows", index), f"missing column(s) {listed}"))
        for key in row:
            if key not in keys:
                message = f"{key!r} is not a column (columns: {', '.join(keys)})"
                problems.append(source.problem(("rows", index, key), message))
    return problems


def _step_problems(step: Step, source: Source, path: KeyPath, known: Known) -> list[str]:
    problems: list[str] = []
    point_ids = [p.id for p in step.key_points]
    for index, first in _duplicates(point_ids).items():
        message = f"duplicate key point id {point_ids[index]!r} (also key_points.{first})"
        problems.append(source.problem((*path, "key_points", index, "id"), message))
    hints = [" ".join(h.casefold().split()) for h in step.hints]
    for index, first in _duplicates(hints).items():
        problems.append(source.problem((*path, "hints", index), f"same hint as hints.{first}"))
    if step.kind == "quantitative" and step.numeric is None:
        message = "a quantitative step needs a numeric task"
        problems.append(source.problem((*path, "numeric"), message))
    for index, choice in enumerate(step.correct_choices):
        if choice not in step.choices:
            message = f"{choice!r} is not among the choices"
            problems.append(source.problem((*path, "correct_choices", index), message))
    refs: list[tuple[tuple[Key, ...], Sequence[str], frozenset[str], str]] = [
        (("marking_points",), step.marking_points, frozenset({"marking_points"}), "marking point"),
        (("watch_for",), step.watch_for, frozenset({"misconceptions"}), "misconception"),
        (("choices",), step.choices, _VARIABLES, "variable"),
        (("correct_choices",), step.correct_choices, _VARIABLES, "variable"),
    ]
    refs += [
        (("key_points", i, "variables"), p.variables, _VARIABLES, "variable")
        for i, p in enumerate(step.key_points)
    ]
    for sub, ids, allowed, what in refs:
        problems += known.check(source, (*path, *sub), ids, allowed, what)
    return problems


def scenario_problems(scenario: Scenario, source: Source, known: Known) -> list[str]:
    """Every problem inside one validated scenario."""
    problems: list[str] = []
    stem = PurePosixPath(source.file).stem
    if stem != scenario.id:
        message = f"id {scenario.id!r} does not match the file name {stem}.yaml: rename one"
        problems.append(source.problem(("id",), message))
    problems += _table_problems(scenario, source)
    step_ids = [s.id for s in scenario.steps]
    for index, first in _duplicates(step_ids).items():
        message = f"duplicate step id {step_ids[index]!r} (also steps.{first})"
        problems.append(source.problem(("steps", index, "id"), message))
    columns = [c.key for c in scenario.columns]
    for index, step in enumerate(scenario.steps):
        problems += _step_problems(step, source, ("steps", index), known)
        if step.numeric is not None:
            path: KeyPath = ("steps", index, "numeric")
            problems += numeric_problems(source, path, step.numeric, scenario.rows, columns)
    return problems
