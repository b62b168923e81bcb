"""What each scenario button does (prefix ``s``, data in :mod:`dialogs.scenarios.buttons`).

Every press is checked against the stored run (owner, still active, current step) before
anything changes, so stale, forged or someone else's buttons change nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from dialogs import menu
from dialogs.context import Context
from dialogs.language.step_grading import (
    grade_choices,
)
from dialogs.replies import ButtonOutcome, Message
from dialogs.scenarios.buttons import ACTIONS, parse, parse_start
from dialogs.scenarios.runs import (
    GONE,
    PRIVATE_ONLY,
    UNAVAILABLE,
    advance,
    give_hint,
    here,
    open_scenario,
    position_of,
    record_attempt,
    start_run,
)
from dialogs.scenarios.tables import render_table
from dialogs.scenarios.views import model_view, step_view, ticked_view
from dialogs.text import bold
from storage import scenarios as store
from storage.models import ScenarioRun

_STALE_STEP = "That button is from an earlier step, so nothing changed."


_ENDED = "That scenario has ended, so this button does nothing now."


_NOT_YOURS = "That button belongs to someone else's scenario."


def _stale(ctx: Context, run: ScenarioRun | None, index: int, action: str) -> str | None:
    """Why a button may not act on this run (a polite toast), or None if it may."""
    if run is None:
        return menu.expired_button()
    if run.user_id != ctx.person.id:
        return _NOT_YOURS
    if action == "v":
        return None
    if run.status != store.ACTIVE:
        return _ENDED
    if run.step_index != index:
        return f"{_STALE_STEP} You're on step {run.step_index + 1}: send /resume to see it."
    if position_of(ctx.kb, run) is None:
        return GONE
    return None


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """Every ``s:`` button: validated against the stored run before anything changes."""
    scenario_id = parse_start(rest)
    if scenario_id is not None:
        scenario = ctx.kb.scenarios.get(scenario_id)
        if scenario is None:
            return ButtonOutcome(toast=UNAVAILABLE)
        if not ctx.private:
            return ButtonOutcome(toast=PRIVATE_ONLY, alert=True)
        return ButtonOutcome(replies=await open_scenario(ctx, scenario))
    press = parse(rest)
    if press is None:
        return ButtonOutcome(toast=menu.expired_button())

    def act(session: Session) -> ButtonOutcome:
        run = store.get_run(session, run_id=press.run_id)
        toast = _stale(ctx, run, press.step_index, press.action)
        if toast is not None or run is None:
            return ButtonOutcome(toast=toast)
        return _ACTIONS[press.action](ctx, session, run, press.arg)

    return await ctx.db.run(act)


def _tick(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = here(ctx, run)
    choices = position.step.choices
    if not arg.isdigit() or int(arg) >= len(choices):
        return ButtonOutcome(toast=menu.expired_button())
    choice = choices[int(arg)]
    selected = [c for c in run.selected if c != choice]
    if choice not in run.selected:
        selected.append(choice)
    store.set_selected(session, run=run, selected=selected, now=ctx.now)
    return ButtonOutcome(edit=step_view(ctx.kb, position, run))


def _done(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = here(ctx, run)
    if not position.step.choices:
        return ButtonOutcome(toast=menu.expired_button())
    if not run.selected:
        return ButtonOutcome(toast="Tick at least one variable first, then tap Done.")
    grade = grade_choices(position.step, run.selected)
    ticked = ticked_view(ctx.kb, position, run)
    feedback = record_attempt(ctx, session, run, grade, ",".join(run.selected))
    return ButtonOutcome(edit=ticked, replies=[feedback])


def _hint(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    store.set_follow_up(session, run=run, point_id=None, now=ctx.now)
    return ButtonOutcome(replies=give_hint(ctx, session, run))


def _unsure(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    """ "Not sure" to a follow-up question: the tutor prompts with the first hint instead."""
    if run.follow_up is None:
        return ButtonOutcome(toast="That question has moved on.")
    return _hint(ctx, session, run, arg)


def _model(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = here(ctx, run)
    assert run.id is not None
    store.set_follow_up(session, run=run, point_id=None, now=ctx.now)
    step = position.step
    before = store.attempts(session, run_id=run.id, step_id=step.id)
    if not store.is_revealed(before):
        store.add_attempt(
            session,
            run=run,
            step_id=step.id,
            answer="",
            score=store.counted_score(before),
            points_made=[],
            revealed=True,
            now=ctx.now,
        )
    shown = model_view(position, run)
    return ButtonOutcome(replies=[shown, *advance(ctx, session, run)])


def _retry(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = here(ctx, run)
    assert run.id is not None
    store.set_follow_up(session, run=run, point_id=None, now=ctx.now)
    before = store.attempts(session, run_id=run.id, step_id=position.step.id)
    store.set_selected(session, run=run, selected=[], now=ctx.now)
    note = "🔁 Have another go: your best attempt counts."
    if store.is_revealed(before):
        note = "🔁 Practice round: the answer was shown, so this step's score stays as it is."
    return ButtonOutcome(replies=[step_view(ctx.kb, position, run, note=note)])


def _next(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = here(ctx, run)
    assert run.id is not None
    if not store.attempts(session, run_id=run.id, step_id=position.step.id):
        return ButtonOutcome(toast="Answer this step first, or tap Model answer to see one.")
    return ButtonOutcome(replies=advance(ctx, session, run))


def _view(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    # Allowed on ended runs too (see _stale), so the scenario may be gone or the run finished.
    scenario = ctx.kb.scenarios.get(run.scenario_id)
    if scenario is None:
        return ButtonOutcome(toast=GONE)
    if run.status == store.ACTIVE:
        store.touch_run(session, run=run, now=ctx.now)
    return ButtonOutcome(replies=[render_table(scenario, f"📊 {bold(scenario.title)}")])


def _leave(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    store.end_run(session, run=run, status=store.ABANDONED, now=ctx.now)
    text = "You've left the scenario. Start one again any time with /scenario."
    return ButtonOutcome(toast="Scenario left", edit=Message(text), replies=[])


def _keep(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = here(ctx, run)
    store.touch_run(session, run=run, now=ctx.now)
    edit = Message(f"Carrying on with {bold(position.scenario.title)}.")
    return ButtonOutcome(edit=edit, replies=[step_view(ctx.kb, position, run)])


def _switch(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    scenario = ctx.kb.scenarios.get(arg)
    if scenario is None:
        return ButtonOutcome(toast=UNAVAILABLE)
    store.end_run(session, run=run, status=store.ABANDONED, now=ctx.now)
    edit = Message(f"Switched to {bold(scenario.title)}.")
    return ButtonOutcome(edit=edit, replies=start_run(ctx, session, scenario))


_Action = Callable[[Context, Session, ScenarioRun, str], ButtonOutcome]


_ACTIONS: dict[str, _Action] = {
    "t": _tick,
    "u": _unsure,
    "d": _done,
    "h": _hint,
    "m": _model,
    "r": _retry,
    "n": _next,
    "v": _view,
    "x": _leave,
    "k": _keep,
    "w": _switch,
}
# parse() accepts exactly the actions handled here.
assert set(_ACTIONS) == ACTIONS
