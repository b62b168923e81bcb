"""Callback data for scenario buttons: building it and reading it back (never trusted).

A step button carries ``s:<run>:<step>:<action>[:<arg>]`` so it can be checked against the
stored run before it acts; a list button carries ``s:start:<scenario>``.

Actions: ``t:<i>`` tick choice i, ``d`` done ticking, ``h`` hint, ``m`` model answer (and
move on), ``r`` try again, ``n`` next step, ``v`` view the data, ``x`` leave (confirmed),
``k`` keep going, ``w:<id>`` leave and start another scenario.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import ScenarioRun

PREFIX = "s"
START = "start"
ACTIONS = frozenset({"t", "d", "h", "m", "r", "n", "v", "x", "k", "w", "u"})
# The only actions that carry an argument (and must carry one).
WITH_ARG = frozenset({"t", "w"})


@dataclass(frozen=True)
class Press:
    """A parsed step button: which run and step it was drawn for, and what it asks."""

    run_id: int
    step_index: int
    action: str
    arg: str


def data(run: ScenarioRun, action: str, arg: str = "") -> str:
    """The callback data for ``action`` on the step ``run`` is on now."""
    return f"{PREFIX}:{run.id}:{run.step_index}:{action}" + (f":{arg}" if arg else "")


def start_data(scenario_id: str) -> str:
    """The callback data of a list button that opens ``scenario_id``."""
    return f"{PREFIX}:{START}:{scenario_id}"


def parse_start(rest: str) -> str | None:
    """The scenario id a list button asks for, or None if ``rest`` is not a list button."""
    head, _, scenario_id = rest.partition(":")
    return scenario_id if head == START else None


def parse(rest: str) -> Press | None:
    """A step button's data (after the prefix), or None when it is malformed."""
    parts = rest.split(":")
    if len(parts) not in (3, 4) or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    action = parts[2]
    arg = parts[3] if len(parts) == 4 else ""
    if action not in ACTIONS or (action in WITH_ARG) != bool(arg):
        return None
    return Press(int(parts[0]), int(parts[1]), action, arg)
