"""Profiling scenarios, walked through one step at a time like a patient tutor would.

``/scenario`` lists the cases (``/scenario ID`` starts one), ``/resume`` picks up where the
student left off, ``/hint`` climbs the current step's hint ladder, and free text answers the
step that is waiting. Every button (see dialogs.scenario_buttons) is checked against the
stored run (owner, still active, current step) before anything changes. Everything about a
run lives in the database, so it survives restarts and follows the student between devices.
The messages themselves are built in dialogs.scenario_views.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlmodel import Session

from dialogs import corrections, menu
from dialogs.context import Context
from dialogs.feature import Feature, Waiting
from dialogs.language import misconceptions
from dialogs.language.step_grading import (
    Grade,
    grade_choices,
    grade_free_text,
    grade_number,
    needs_more,
    typed_choices,
)
from dialogs.quiz import scheduling
from dialogs.replies import Button, ButtonOutcome, Message, Reply
from dialogs.scenarios.buttons import ACTIONS, PREFIX, parse, parse_start
from dialogs.scenarios.scores import WEAK, overall, weak_items
from dialogs.scenarios.tables import render_table
from dialogs.scenarios.views import (
    STEP_TITLES,
    Position,
    feedback_view,
    hint_view,
    intro,
    leave_view,
    list_view,
    model_view,
    no_more_hints_view,
    nudge_view,
    short_title,
    step_view,
    summary_view,
    switch_view,
    ticked_view,
)
from dialogs.text import bold
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario
from storage import scenarios as store
from storage.models import ScenarioRun, StepAttempt
from storage.quizzes import active_session, pending_question

# Re-exported: other features use these through this module.
__all__ = [
    "FEATURE",
    "PREFIX",
    "STEP_TITLES",
    "hint_command",
    "intro",
    "on_button",
    "on_cancel",
    "on_text",
    "resume_command",
    "scenario_command",
    "short_title",
    "waiting",
]

MAX_PUSHED = 8
HINT_WORDS = frozenset({"hint", "a hint", "hint please", "help", "?", "clue"})

_STALE_STEP = "That button is from an earlier step, so nothing changed."
_ENDED = "That scenario has ended, so this button does nothing now."
_NOT_YOURS = "That button belongs to someone else's scenario."
_GONE = "That scenario is no longer available, sorry."
_UNAVAILABLE = "That scenario isn't available any more."
_PRIVATE_ONLY = (
    "Scenarios are one-to-one: open a private chat with me and send /scenario there, "
    "so your answers stay yours."
)
_THIN = (
    "Can you say a bit more? One word is hard to mark: write a sentence or two that answers "
    "the question. Tap 💡 Hint if you're stuck."
)


def _position(kb: KnowledgeBase, run: ScenarioRun) -> Position | None:
    """The run's scenario and waiting step, or None if either is gone (or the run is past it)."""
    scenario = kb.scenarios.get(run.scenario_id)
    if scenario is None or not 0 <= run.step_index < len(scenario.steps):
        return None
    return Position(scenario, scenario.steps[run.step_index])


def _here(ctx: Context, run: ScenarioRun) -> Position:
    """The position of a run that has passed the button checks, so it must have one."""
    position = _position(ctx.kb, run)
    assert position is not None
    return position


# --------------------------------------------------------------------------- commands and flow


def _start(ctx: Context, session: Session, scenario: Scenario) -> list[Reply]:
    """Open a new run of ``scenario`` at its first step."""
    run = store.start_run(session, user_id=ctx.person.id, scenario_id=scenario.id, now=ctx.now)
    position = Position(scenario, scenario.steps[0])
    return [intro(scenario), step_view(ctx.kb, position, run)]


async def _open(ctx: Context, scenario: Scenario) -> list[Reply]:
    """Start ``scenario``, resume it if it is the one in progress, or ask before switching."""

    def open_run(session: Session) -> list[Reply]:
        run = store.active_run(session, user_id=ctx.person.id)
        position = _position(ctx.kb, run) if run is not None else None
        if run is None or position is None:
            return _start(ctx, session, scenario)
        if run.scenario_id == scenario.id:
            store.touch_run(session, run=run, now=ctx.now)
            note = f"You're already on this one: here's where you were in {bold(scenario.title)}."
            return [step_view(ctx.kb, position, run, note=note)]
        return [switch_view(run, position.scenario, scenario)]

    return await ctx.db.run(open_run)


def _find_scenario(kb: KnowledgeBase, wanted: str) -> Scenario | None:
    """A scenario by its id (any case, spaces or dashes for underscores) or list number."""
    key = "_".join(wanted.casefold().replace("-", " ").split())
    if key in kb.scenarios:
        return kb.scenarios[key]
    if key.isdigit() and 1 <= int(key) <= len(kb.scenarios):
        return list(kb.scenarios.values())[int(key) - 1]
    return None


async def scenario_command(ctx: Context, args: str) -> list[Reply]:
    """``/scenario``: the list; ``/scenario ID`` (or its number in the list) starts one."""
    if not ctx.private:
        return [Message(_PRIVATE_ONLY)]

    def read(session: Session) -> tuple[dict[str, float], ScenarioRun | None]:
        return (
            store.best_scores(session, user_id=ctx.person.id),
            store.active_run(session, user_id=ctx.person.id),
        )

    best, run = await ctx.db.run(read)
    position = _position(ctx.kb, run) if run is not None else None
    active = position.scenario if position is not None else None
    if not args.strip():
        return [list_view(ctx.kb, best, active)]
    scenario = _find_scenario(ctx.kb, args)
    if scenario is None:
        text = f"I don't have a scenario called {bold(args.strip()[:40])}. Here they are:"
        return [Message(text), list_view(ctx.kb, best, active)]
    return await _open(ctx, scenario)


async def resume_command(ctx: Context, args: str) -> list[Reply]:
    """``/resume``: show the waiting step again, wherever and whenever the student left it."""
    if not ctx.private:
        return [Message(_PRIVATE_ONLY)]

    def resume(session: Session) -> list[Reply]:
        run = store.active_run(session, user_id=ctx.person.id)
        position = _position(ctx.kb, run) if run is not None else None
        if run is None or position is None:
            text = "You have no scenario in progress. Pick one to start:"
            best = store.best_scores(session, user_id=ctx.person.id)
            return [Message(text), list_view(ctx.kb, best)]
        store.touch_run(session, run=run, now=ctx.now)
        note = f"▶️ Welcome back to {bold(position.scenario.title)}."
        return [step_view(ctx.kb, position, run, note=note)]

    return await ctx.db.run(resume)


def _give_hint(ctx: Context, session: Session, run: ScenarioRun) -> list[Reply]:
    """The next hint for the run's step (counted), or a nudge when none are left."""
    position = _here(ctx, run)
    if run.hints_used >= len(position.step.hints):
        return [no_more_hints_view(position, run)]
    store.use_hint(session, run=run, now=ctx.now)
    return [hint_view(position, run)]


async def hint_command(ctx: Context, args: str) -> list[Reply]:
    """``/hint``: the next hint on the ladder for the step that is waiting."""

    def hint(session: Session) -> list[Reply]:
        run = store.active_run(session, user_id=ctx.person.id)
        if run is None or _position(ctx.kb, run) is None or not ctx.private:
            text = "Hints are for scenario steps, and none is waiting. Start one with /scenario."
            return [Message(text)]
        return _give_hint(ctx, session, run)

    return await ctx.db.run(hint)


def _grade(ctx: Context, position: Position, text: str) -> Grade | str:
    """Grade typed text for the step, or say (as a reply text) why it cannot be graded."""
    step = position.step
    if step.choices:
        ticked = typed_choices(ctx.kb, step, text)
        if not ticked:
            return (
                "I couldn't spot any of the listed variables in that. Tick them with the "
                "buttons on the step, or type their names (for example: age, usage rate)."
            )
        return grade_choices(step, ticked)
    if step.numeric is not None:
        graded = grade_number(position.scenario, step, text)
        if graded is None:
            return (
                "This step needs a number, such as 42, £1,250 or 12.5% (working is welcome). "
                "Tap Hint if you're stuck."
            )
        return graded
    return grade_free_text(ctx.kb, step, text)


async def on_text(ctx: Context, text: str) -> list[Reply] | None:
    """Free text while a step waits: grade it; None when no scenario is in progress."""
    if not ctx.private:
        return None

    def take(session: Session) -> ScenarioRun | list[Reply] | None:
        """The run waiting for this text, the replies that settle it here, or None."""
        run = store.active_run(session, user_id=ctx.person.id)
        if run is None:
            return None
        if _position(ctx.kb, run) is None:
            store.end_run(session, run=run, status=store.ABANDONED, now=ctx.now)
            return [Message(f"{_GONE} Pick another: /scenario")]
        if _quiz_is_newer(session, run):
            return None
        if text.strip().casefold().rstrip("!.") in HINT_WORDS:
            return _give_hint(ctx, session, run)
        return run

    taken = await ctx.db.run(take)
    if not isinstance(taken, ScenarioRun):
        return taken
    run, position = taken, _here(ctx, taken)
    run_id, index = run.id, run.step_index
    assert run_id is not None
    if needs_more(position.step, text):
        return [nudge_view(run, _THIN)]
    graded = _grade(ctx, position, text)
    if isinstance(graded, str):
        return [nudge_view(run, graded)]
    found = [m.id for m in misconceptions.detect(ctx.kb, text)]
    fixes = await corrections.correct(ctx, text, where="scenario") if found else []
    answer = ",".join([*graded.made, *graded.wrong]) if position.step.choices else text

    def mark(session: Session) -> Message | None:
        """The feedback, or None when the step moved on while the text was graded."""
        current = store.get_run(session, run_id=run_id)
        if current is None or current.status != store.ACTIVE or current.step_index != index:
            return None
        return _record(ctx, session, current, graded, answer, found)

    feedback = await ctx.db.run(mark)
    if feedback is None:
        return [*fixes, Message("That step has moved on, so I didn't mark it: /resume")]
    return [*fixes, feedback]


def _quiz_is_newer(session: Session, run: ScenarioRun) -> bool:
    """True when a quiz question was asked after the step was last shown: the typed text is
    for the quiz. Whatever the student touched last gets their free text."""
    quiz = active_session(session, user_id=run.user_id)
    if quiz is None or quiz.id is None or quiz.updated_at <= run.updated_at:
        return False
    return pending_question(session, quiz_id=quiz.id) is not None


def _record(
    ctx: Context,
    session: Session,
    run: ScenarioRun,
    grade: Grade,
    answer: str,
    found: Sequence[str] = (),
) -> Message:
    """Store a graded attempt and build the feedback (a reveal freezes the step's score)."""
    position = _here(ctx, run)
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
    return feedback_view(
        ctx.kb,
        position,
        run,
        grade,
        best=best,
        tries=len(after),
        revealed=revealed,
        practice=practice,
    )


def _advance(ctx: Context, session: Session, run: ScenarioRun) -> list[Reply]:
    """Move to the next step and show it, or finish the run after the last one."""
    store.advance(session, run=run, now=ctx.now)
    position = _position(ctx.kb, run)
    if position is not None:
        return [step_view(ctx.kb, position, run)]
    return [_finish(ctx, session, run)]


def _finish(ctx: Context, session: Session, run: ScenarioRun) -> Message:
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
        scheduling.push_items(session, user_id=ctx.person.id, item_ids=revise, now=ctx.now)
    return summary_view(ctx.kb, scenario, scores, by_step, revise)


async def on_cancel(ctx: Context) -> list[Reply] | None:
    """``/cancel`` during a scenario asks first; None when no scenario is in progress."""
    run = await ctx.db.run(lambda session: store.active_run(session, user_id=ctx.person.id))
    if run is None:
        return None
    position = _position(ctx.kb, run)
    title = position.scenario.title if position is not None else run.scenario_id
    return [leave_view(run, title)]


async def waiting(ctx: Context) -> Waiting | None:
    """A scenario left open: noted under stickers and photos, offered in the menu."""
    if not ctx.private:
        return None
    run = await ctx.db.run(lambda session: store.active_run(session, user_id=ctx.person.id))
    if run is None or _position(ctx.kb, run) is None:
        return None
    return Waiting(
        "Your scenario step is still waiting: type your answer as text, or send /hint.",
        Button("▶️ Resume your scenario", "m:resume"),
    )


# --------------------------------------------------------------------------- buttons


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
    if _position(ctx.kb, run) is None:
        return _GONE
    return None


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """Every ``s:`` button: validated against the stored run before anything changes."""
    scenario_id = parse_start(rest)
    if scenario_id is not None:
        scenario = ctx.kb.scenarios.get(scenario_id)
        if scenario is None:
            return ButtonOutcome(toast=_UNAVAILABLE)
        if not ctx.private:
            return ButtonOutcome(toast=_PRIVATE_ONLY, alert=True)
        return ButtonOutcome(replies=await _open(ctx, scenario))
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
    position = _here(ctx, run)
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
    position = _here(ctx, run)
    if not position.step.choices:
        return ButtonOutcome(toast=menu.expired_button())
    if not run.selected:
        return ButtonOutcome(toast="Tick at least one variable first, then tap Done.")
    grade = grade_choices(position.step, run.selected)
    ticked = ticked_view(ctx.kb, position, run)
    feedback = _record(ctx, session, run, grade, ",".join(run.selected))
    return ButtonOutcome(edit=ticked, replies=[feedback])


def _hint(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    return ButtonOutcome(replies=_give_hint(ctx, session, run))


def _model(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = _here(ctx, run)
    assert run.id is not None
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
    return ButtonOutcome(replies=[shown, *_advance(ctx, session, run)])


def _retry(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = _here(ctx, run)
    assert run.id is not None
    before = store.attempts(session, run_id=run.id, step_id=position.step.id)
    store.set_selected(session, run=run, selected=[], now=ctx.now)
    note = "🔁 Have another go: your best attempt counts."
    if store.is_revealed(before):
        note = "🔁 Practice round: the answer was shown, so this step's score stays as it is."
    return ButtonOutcome(replies=[step_view(ctx.kb, position, run, note=note)])


def _next(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = _here(ctx, run)
    assert run.id is not None
    if not store.attempts(session, run_id=run.id, step_id=position.step.id):
        return ButtonOutcome(toast="Answer this step first, or tap Model answer to see one.")
    return ButtonOutcome(replies=_advance(ctx, session, run))


def _view(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    # Allowed on ended runs too (see _stale), so the scenario may be gone or the run finished.
    scenario = ctx.kb.scenarios.get(run.scenario_id)
    if scenario is None:
        return ButtonOutcome(toast=_GONE)
    if run.status == store.ACTIVE:
        store.touch_run(session, run=run, now=ctx.now)
    return ButtonOutcome(replies=[render_table(scenario, f"📊 {bold(scenario.title)}")])


def _leave(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    store.end_run(session, run=run, status=store.ABANDONED, now=ctx.now)
    text = "You've left the scenario. Start one again any time with /scenario."
    return ButtonOutcome(toast="Scenario left", edit=Message(text), replies=[])


def _keep(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = _here(ctx, run)
    store.touch_run(session, run=run, now=ctx.now)
    edit = Message(f"Carrying on with {bold(position.scenario.title)}.")
    return ButtonOutcome(edit=edit, replies=[step_view(ctx.kb, position, run)])


def _switch(ctx: Context, session: Session, run: ScenarioRun, arg: str) -> ButtonOutcome:
    scenario = ctx.kb.scenarios.get(arg)
    if scenario is None:
        return ButtonOutcome(toast=_UNAVAILABLE)
    store.end_run(session, run=run, status=store.ABANDONED, now=ctx.now)
    edit = Message(f"Switched to {bold(scenario.title)}.")
    return ButtonOutcome(edit=edit, replies=_start(ctx, session, scenario))


_Action = Callable[[Context, Session, ScenarioRun, str], ButtonOutcome]
_ACTIONS: dict[str, _Action] = {
    "t": _tick,
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

FEATURE = Feature(
    "scenario",
    commands={"scenario": scenario_command, "resume": resume_command, "hint": hint_command},
    buttons={PREFIX: on_button},
    text=on_text,
    cancel=on_cancel,
    waiting=waiting,
)
