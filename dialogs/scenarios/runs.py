"""The moves of a scenario run, shared by commands, typed answers and buttons: start or open a
run, give a hint, record a graded attempt, advance, and finish with a summary.

Each takes the caller's open database session, so a move and its consequences commit together.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from dialogs.context import Context
from dialogs.language.grades import Grade
from dialogs.quiz import card_updates
from dialogs.replies import Message, Reply
from dialogs.scenarios.feedback import feedback_view, summary_view
from dialogs.scenarios.scores import WEAK, overall, weak_items
from dialogs.scenarios.views import (
    Position,
    hint_view,
    intro,
    no_more_hints_view,
    step_view,
    switch_view,
)
from dialogs.text import bold
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario, Step
from storage import scenarios as store
from storage.models import ScenarioRun, StepAttempt

MAX_PUSHED = 8


GONE = "That scenario is no longer available, sorry."


UNAVAILABLE = "That scenario isn't available any more."


PRIVATE_ONLY = (
    "Scenarios are one-to-one: open a private chat with me and send /scenario there, "
    "so your answers stay yours."
)


def position_of(kb: KnowledgeBase, run: ScenarioRun) -> Position | None:
    """The run's scenario and waiting step, or None if either is gone (or the run is past it)."""
    scenario = kb.scenarios.get(run.scenario_id)
    if scenario is None or not 0 <= run.step_index < len(scenario.steps):
        return None
    return Position(scenario, scenario.steps[run.step_index])


def here(ctx: Context, run: ScenarioRun) -> Position:
    """The position of a run that has passed the button checks, so it must have one."""
    position = position_of(ctx.kb, run)
    assert position is not None
    return position


def start_run(ctx: Context, session: Session, scenario: Scenario) -> list[Reply]:
    """Open a new run of ``scenario`` at its first step."""
    run = store.start_run(session, user_id=ctx.person.id, scenario_id=scenario.id, now=ctx.now)
    position = Position(scenario, scenario.steps[0])
    return [intro(scenario), step_view(ctx.kb, position, run)]


async def open_scenario(ctx: Context, scenario: Scenario) -> list[Reply]:
    """Start ``scenario``, resume it if it is the one in progress, or ask before switching."""

    def open_run(session: Session) -> list[Reply]:
        run = store.active_run(session, user_id=ctx.person.id)
        position = position_of(ctx.kb, run) if run is not None else None
        if run is None or position is None:
            return start_run(ctx, session, scenario)
        if run.scenario_id == scenario.id:
            store.touch_run(session, run=run, now=ctx.now)
            note = f"You're already on this one: here's where you were in {bold(scenario.title)}."
            return [step_view(ctx.kb, position, run, note=note)]
        return [switch_view(run, position.scenario, scenario)]

    return await ctx.db.run(open_run)


def give_hint(ctx: Context, session: Session, run: ScenarioRun) -> list[Reply]:
    """The next hint for the run's step (counted), or a nudge when none are left."""
    position = here(ctx, run)
    if run.hints_used >= len(position.step.hints):
        return [no_more_hints_view(position, run)]
    store.use_hint(session, run=run, now=ctx.now)
    return [hint_view(position, run)]


def record_attempt(
    ctx: Context,
    session: Session,
    run: ScenarioRun,
    grade: Grade,
    answer: str,
    found: Sequence[str] = (),
) -> Message:
    """Store a graded attempt and build the feedback (a reveal freezes the step's score)."""
    position = here(ctx, run)
    assert run.id is not None
    before = store.attempts(session, run_id=run.id, step_id=position.step.id)
    practice = store.is_revealed(before)
    # A wrong number is answered with the worked method, which gives the answer away.
    revealed = grade.correct is False
    store.add_attempt(
        session,
        run=run,
        step_id=position.step.id,
        answer=answer,
        score=grade.score,
        points_made=grade.points_made,
        revealed=practice or revealed,
        misconceptions=found,
        now=ctx.now,
    )
    after = store.attempts(session, run_id=run.id, step_id=position.step.id)
    best = store.counted_score(after)
    ask = _follow_up(position.step, grade) if not before and not practice else None
    store.set_follow_up(session, run=run, point_id=ask[0] if ask else None, now=ctx.now)
    return feedback_view(
        ctx.kb,
        position,
        run,
        grade,
        best=best,
        tries=len(after),
        revealed=revealed,
        practice=practice,
        ask=ask[1] if ask else None,
    )


def _follow_up(step: Step, grade: Grade) -> tuple[str, str] | None:
    """The missing key point to ask one question about, when an answer is partly right.

    A good tutor pumps before it prompts: one targeted question about what is missing comes
    before hints or the model answer.
    """
    if step.choices or grade.correct is not None or not 0 < grade.score < 1:
        return None
    for point in step.key_points:
        if point.id in grade.missed and point.id not in grade.contradicted and point.ask:
            return point.id, point.ask
    return None


def advance(ctx: Context, session: Session, run: ScenarioRun) -> list[Reply]:
    """Move to the next step and show it, or finish the run after the last one."""
    store.advance(session, run=run, now=ctx.now)
    position = position_of(ctx.kb, run)
    if position is not None:
        return [step_view(ctx.kb, position, run)]
    return [finish_run(ctx, session, run)]


def finish_run(ctx: Context, session: Session, run: ScenarioRun) -> Message:
    """Close the run, push its weak items into the review queue and build the summary card."""
    assert run.id is not None
    scenario = ctx.kb.scenarios[run.scenario_id]
    by_step: dict[str, list[StepAttempt]] = {}
    for attempt in store.attempts(session, run_id=run.id):
        by_step.setdefault(attempt.step_id, []).append(attempt)
    scores = {step_id: store.counted_score(found) for step_id, found in by_step.items()}
    items: list[str] = []
    for step in scenario.steps:
        if scores.get(step.id, 0.0) < WEAK:
            best = store.best_attempt(by_step.get(step.id, []))
            made = best.points_made if best is not None else []
            items += weak_items(ctx.kb, step, made, best.answer if best is not None else "")
    items += [m for found in by_step.values() for a in found for m in a.misconceptions]
    revise = [i for i in dict.fromkeys(items) if ctx.kb.item(i) is not None][:MAX_PUSHED]
    store.end_run(session, run=run, status=store.DONE, now=ctx.now, score=overall(scores, scenario))
    if revise:
        # The same transaction: the run ends and its weak items are queued, or neither.
        card_updates.push_items(session, user_id=ctx.person.id, item_ids=revise, now=ctx.now)
    return summary_view(ctx.kb, scenario, scores, by_step, revise)
