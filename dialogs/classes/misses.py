"""What a class missed: the key points and marking points of challenge steps scored weakly, and
the hardest poll.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dialogs.scenarios.scores import WEAK
from dialogs.scenarios.walkthrough import STEP_TITLES
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario, Step
from storage.models import (
    PollRecord,
    PollVote,
    ScenarioRun,
    StepAttempt,
)
from storage.scenarios import counted_score


@dataclass(frozen=True)
class Miss:
    """Something the class missed: how often, out of how many tries."""

    key: str
    label: str
    where: str
    missed: int
    tries: int
    teach: str = ""

    @property
    def rate(self) -> float:
        """Misses over tries."""
        return self.missed / self.tries if self.tries else 0.0


def _step_title(scenario: Scenario, step: Step) -> str:
    number = scenario.steps.index(step) + 1
    return f"step {number} ({STEP_TITLES.get(step.kind, 'Step')})"


def _made(attempts: Sequence[StepAttempt]) -> set[str]:
    made: set[str] = set()
    for attempt in attempts:
        made.update(attempt.points_made)
        if attempt.revealed:
            break
    return made


def _steps_tried(
    kb: KnowledgeBase, runs: Iterable[ScenarioRun], attempts: Mapping[int, list[StepAttempt]]
) -> Iterable[tuple[Scenario, Step, list[StepAttempt]]]:
    for run in runs:
        scenario = kb.scenarios.get(run.scenario_id)
        if scenario is None or run.id is None:
            continue
        by_step: dict[str, list[StepAttempt]] = defaultdict(list)
        for attempt in attempts.get(run.id, []):
            by_step[attempt.step_id].append(attempt)
        for step in scenario.steps:
            if by_step.get(step.id):
                yield scenario, step, by_step[step.id]


def _ranked(misses: Iterable[Miss]) -> list[Miss]:
    found = [m for m in misses if m.missed > 0]
    return sorted(found, key=lambda m: (-m.missed, -m.rate, m.label))


def missed_points(
    kb: KnowledgeBase, runs: Iterable[ScenarioRun], attempts: Mapping[int, list[StepAttempt]]
) -> list[Miss]:
    """The concrete points the class left out of their answers, most missed first.

    Key points on written steps, the right choices on tick-box steps, the figure on numeric
    steps (missed when the step scored below WEAK).
    """
    tries: Counter[tuple[str, str, str]] = Counter()
    missed: Counter[tuple[str, str, str]] = Counter()
    info: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    for scenario, step, tried in _steps_tried(kb, runs, attempts):
        made = _made(tried)
        mark = kb.marking_points.get(step.marking_points[0])
        teach = f"{mark.label}: {mark.text}" if mark is not None else ""
        where = _step_title(scenario, step)
        wanted: list[tuple[str, str]] = []
        if step.choices:  # tick-box steps record the right choices ticked
            wanted = [(c, _name(kb, c)) for c in step.correct_choices]
        elif step.key_points:  # numeric steps too: a right figure makes every point
            wanted = [(p.id, p.text.rstrip(".")) for p in step.key_points]
        elif step.numeric is not None:
            number_missed = counted_score(tried) < WEAK
            key = (scenario.id, step.id, "number")
            tries[key] += 1
            missed[key] += int(number_missed)
            info[key] = (step.numeric.question, where, step.numeric.method)
        for point_id, label in wanted:
            key = (scenario.id, step.id, point_id)
            tries[key] += 1
            missed[key] += int(point_id not in made)
            info[key] = (label, where, teach)
    return _ranked(
        Miss(":".join(k), info[k][0], info[k][1], missed[k], tries[k], info[k][2]) for k in tries
    )


def missed_marking_points(
    kb: KnowledgeBase, runs: Iterable[ScenarioRun], attempts: Mapping[int, list[StepAttempt]]
) -> list[Miss]:
    """The examiners' marking points the class misses most (see the module docstring)."""
    tries: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for _scenario, step, tried in _steps_tried(kb, runs, attempts):
        weak = counted_score(tried) < WEAK
        for point in step.marking_points:
            tries[point] += 1
            missed[point] += int(weak)
    misses = []
    for point, count in tries.items():
        mark = kb.marking_points.get(point)
        label = mark.label if mark is not None else point
        misses.append(Miss(point, label, "", missed[point], count, mark.text if mark else ""))
    return _ranked(misses)


def _name(kb: KnowledgeBase, item_id: str) -> str:
    item = kb.item(item_id)
    name = getattr(item, "name", None) or getattr(item, "title", None)
    return str(name) if name else item_id.replace("_", " ")


def hardest_poll(
    polls: Sequence[PollRecord], votes: Sequence[PollVote]
) -> tuple[PollRecord, int, int] | None:
    """The poll the class got wrong most often (right, answered), when anyone got one wrong."""
    answered: Counter[int] = Counter()
    right: Counter[int] = Counter()
    for vote in votes:
        answered[vote.poll_record_id] += 1
        right[vote.poll_record_id] += int(vote.correct)
    candidates = [
        (right[p.id] / answered[p.id], p.position, p)
        for p in polls
        if p.id is not None and answered[p.id] and right[p.id] < answered[p.id]
    ]
    if not candidates:
        return None
    _rate, _position, poll = min(candidates, key=lambda c: (c[0], c[1]))
    assert poll.id is not None
    return poll, right[poll.id], answered[poll.id]
