"""Queries about scenario runs: the one active run per student, its steps and graded attempts.

A run's position (step, hints used, ticked choices) lives in the database so a scenario
survives restarts and carries over between devices. The best attempt at a step counts, but
nothing typed after the model answer (or the worked method) was revealed can raise it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final, Literal

from sqlmodel import Session, col, select

from storage.locks import lock_student
from storage.models import ScenarioRun, StepAttempt

ACTIVE: Final = "active"
DONE: Final = "done"
ABANDONED: Final = "abandoned"


def active_run(session: Session, *, user_id: int) -> ScenarioRun | None:
    """The student's scenario in progress, or None; locked until the transaction ends."""
    query = (
        select(ScenarioRun)
        .where(ScenarioRun.user_id == user_id, ScenarioRun.status == ACTIVE)
        .order_by(col(ScenarioRun.id).desc())
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (session.exec(query)).first()


def get_run(session: Session, *, run_id: int) -> ScenarioRun | None:
    """The run with this id, whatever its owner or status, or None.

    The row stays locked until the transaction ends (``SELECT ... FOR UPDATE``; SQLite has
    one writer anyway): a second press of the same button, on this or another instance,
    waits and then sees what the first changed, so "Model answer" tapped twice counts once.
    """
    return session.get(ScenarioRun, run_id, with_for_update=True, populate_existing=True)


def start_run(session: Session, *, user_id: int, scenario_id: str, now: datetime) -> ScenarioRun:
    """Start a run at step 0; any run still active for the student is abandoned first."""
    lock_student(session, user_id=user_id)
    previous = active_run(session, user_id=user_id)
    while previous is not None:
        end_run(session, run=previous, status=ABANDONED, now=now)
        previous = active_run(session, user_id=user_id)
    run = ScenarioRun(user_id=user_id, scenario_id=scenario_id, started_at=now, updated_at=now)
    session.add(run)
    session.flush()
    return run


def touch_run(session: Session, *, run: ScenarioRun, now: datetime) -> None:
    """Record activity on the run (it was shown or resumed) without changing its position."""
    run.updated_at = now
    session.add(run)
    session.flush()


def set_selected(
    session: Session, *, run: ScenarioRun, selected: Sequence[str], now: datetime
) -> None:
    """Replace the choices ticked so far on the current step."""
    run.selected = list(selected)  # a new list: JSON columns do not track in-place changes
    run.updated_at = now
    session.add(run)
    session.flush()


def set_follow_up(
    session: Session, *, run: ScenarioRun, point_id: str | None, now: datetime
) -> None:
    """Remember (or forget) the key point a follow-up question is waiting on."""
    run.follow_up = point_id
    run.updated_at = now
    session.add(run)
    session.flush()


def use_hint(session: Session, *, run: ScenarioRun, now: datetime) -> int:
    """Count one more hint on the current step; returns how many have now been used."""
    run.hints_used += 1
    run.updated_at = now
    session.add(run)
    session.flush()
    return run.hints_used


def advance(session: Session, *, run: ScenarioRun, now: datetime) -> None:
    """Move to the next step with a clean slate (no hints used, nothing ticked)."""
    run.step_index += 1
    run.hints_used = 0
    run.selected = []
    run.follow_up = None
    run.updated_at = now
    session.add(run)
    session.flush()


def end_run(
    session: Session,
    *,
    run: ScenarioRun,
    status: Literal["done", "abandoned"],
    now: datetime,
    score: float | None = None,
) -> None:
    """Close a run: finished with its overall ``score`` (0-1), or abandoned."""
    run.status = status
    run.score = score
    run.updated_at = now
    session.add(run)
    session.flush()


def add_attempt(
    session: Session,
    *,
    run: ScenarioRun,
    step_id: str,
    answer: str,
    score: float,
    points_made: Sequence[str],
    now: datetime,
    revealed: bool = False,
    misconceptions: Sequence[str] = (),
) -> StepAttempt:
    """Store one graded answer (or, with ``revealed``, the model answer being shown)."""
    assert run.id is not None
    attempt = StepAttempt(
        run_id=run.id,
        step_id=step_id,
        answer=answer,
        score=score,
        points_made=list(points_made),
        hints_used=run.hints_used,
        revealed=revealed,
        misconceptions=list(misconceptions),
        at=now,
    )
    run.updated_at = now
    session.add(run)
    session.add(attempt)
    session.flush()
    return attempt


def attempts(session: Session, *, run_id: int, step_id: str | None = None) -> list[StepAttempt]:
    """The run's attempts in the order they were made, optionally for one step only."""
    query = select(StepAttempt).where(StepAttempt.run_id == run_id)
    if step_id is not None:
        query = query.where(StepAttempt.step_id == step_id)
    return list((session.exec(query.order_by(col(StepAttempt.id)))).all())


def best_attempt(step_attempts: Sequence[StepAttempt]) -> StepAttempt | None:
    """The attempt that counts: the best (earliest on a tie) up to the first reveal, inclusive."""
    best: StepAttempt | None = None
    for attempt in step_attempts:
        if best is None or attempt.score > best.score:
            best = attempt
        if attempt.revealed:
            break
    return best


def counted_score(step_attempts: Sequence[StepAttempt]) -> float:
    """A step's score: that of its best attempt (see :func:`best_attempt`), else 0."""
    best = best_attempt(step_attempts)
    return best.score if best is not None else 0.0


def shown_before_scoring(step_attempts: Sequence[StepAttempt]) -> bool:
    """True when the answer was shown before the attempt that counts (or with no answer at
    all): a step finished at 100% and then opened is not marked as helped."""
    best = best_attempt(step_attempts)
    return best is not None and best.revealed


def is_revealed(step_attempts: Sequence[StepAttempt]) -> bool:
    """True once the step's model answer or worked method has been shown."""
    return any(a.revealed for a in step_attempts)


def step_scores(session: Session, *, run_id: int) -> dict[str, float]:
    """Step id -> counted score, for every step the run has an attempt at."""
    by_step: dict[str, list[StepAttempt]] = {}
    for attempt in attempts(session, run_id=run_id):
        by_step.setdefault(attempt.step_id, []).append(attempt)
    return {step_id: counted_score(found) for step_id, found in by_step.items()}


def best_scores(session: Session, *, user_id: int) -> dict[str, float]:
    """Scenario id -> the student's best overall score (0-1) over finished runs."""
    query = select(ScenarioRun).where(
        ScenarioRun.user_id == user_id,
        ScenarioRun.status == DONE,
        col(ScenarioRun.score).is_not(None),
    )
    best: dict[str, float] = {}
    for run in (session.exec(query)).all():
        assert run.score is not None
        best[run.scenario_id] = max(best.get(run.scenario_id, 0.0), run.score)
    return best
