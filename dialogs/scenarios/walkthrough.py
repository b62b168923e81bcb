"""Profiling scenarios, walked through one step at a time like a patient tutor would.

``/scenario`` lists the cases (``/scenario ID`` starts one), ``/resume`` picks up where the
student left off, ``/hint`` climbs the current step's hint ladder, and free text answers the
step that is waiting. Buttons are handled in :mod:`dialogs.scenarios.actions`, the moves
of a run in :mod:`dialogs.scenarios.runs`, and the messages built in
:mod:`dialogs.scenarios.views` and :mod:`dialogs.scenarios.feedback`. Everything about a run
lives in the database, so it survives restarts and follows the student between devices.
"""

from __future__ import annotations

from sqlmodel import Session

from dialogs import corrections
from dialogs.context import Context
from dialogs.feature import Feature, Waiting
from dialogs.language import misconceptions
from dialogs.language.step_grading import (
    grade_typed,
    needs_more,
)
from dialogs.replies import Button, Message, Reply
from dialogs.scenarios.actions import (
    on_button,
)
from dialogs.scenarios.buttons import PREFIX
from dialogs.scenarios.runs import (
    GONE,
    PRIVATE_ONLY,
    give_hint,
    here,
    open_scenario,
    position_of,
    record_attempt,
)
from dialogs.scenarios.views import (
    STEP_TITLES,
    intro,
    leave_view,
    list_view,
    nudge_view,
    short_title,
    step_view,
)
from dialogs.text import bold
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario
from storage import scenarios as store
from storage.models import ScenarioRun
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

HINT_WORDS = frozenset({"hint", "a hint", "hint please", "help", "?", "clue"})

_THIN = (
    "Can you say a bit more? One word is hard to mark: write a sentence or two that answers "
    "the question. Tap 💡 Hint if you're stuck."
)


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
        return [Message(PRIVATE_ONLY)]

    def read(session: Session) -> tuple[dict[str, float], ScenarioRun | None]:
        return (
            store.best_scores(session, user_id=ctx.person.id),
            store.active_run(session, user_id=ctx.person.id),
        )

    best, run = await ctx.db.run(read)
    position = position_of(ctx.kb, run) if run is not None else None
    active = position.scenario if position is not None else None
    if not args.strip():
        return [list_view(ctx.kb, best, active)]
    scenario = _find_scenario(ctx.kb, args)
    if scenario is None:
        text = f"I don't have a scenario called {bold(args.strip()[:40])}. Here they are:"
        return [Message(text), list_view(ctx.kb, best, active)]
    return await open_scenario(ctx, scenario)


async def resume_command(ctx: Context, args: str) -> list[Reply]:
    """``/resume``: show the waiting step again, wherever and whenever the student left it."""
    if not ctx.private:
        return [Message(PRIVATE_ONLY)]

    def resume(session: Session) -> list[Reply]:
        run = store.active_run(session, user_id=ctx.person.id)
        position = position_of(ctx.kb, run) if run is not None else None
        if run is None or position is None:
            text = "You have no scenario in progress. Pick one to start:"
            best = store.best_scores(session, user_id=ctx.person.id)
            return [Message(text), list_view(ctx.kb, best)]
        store.touch_run(session, run=run, now=ctx.now)
        note = f"▶️ Welcome back to {bold(position.scenario.title)}."
        return [step_view(ctx.kb, position, run, note=note)]

    return await ctx.db.run(resume)


async def hint_command(ctx: Context, args: str) -> list[Reply]:
    """``/hint``: the next hint on the ladder for the step that is waiting."""

    def hint(session: Session) -> list[Reply]:
        run = store.active_run(session, user_id=ctx.person.id)
        if run is None or position_of(ctx.kb, run) is None or not ctx.private:
            text = "Hints are for scenario steps, and none is waiting. Start one with /scenario."
            return [Message(text)]
        return give_hint(ctx, session, run)

    return await ctx.db.run(hint)


async def on_text(ctx: Context, text: str) -> list[Reply] | None:
    """Free text while a step waits: grade it; None when no scenario is in progress."""
    if not ctx.private:
        return None

    def take(session: Session) -> tuple[ScenarioRun, str] | list[Reply] | None:
        """The run waiting for this text (and the earlier answer a follow-up question
        builds on), the replies that settle it here, or None."""
        run = store.active_run(session, user_id=ctx.person.id)
        if run is None:
            return None
        if position_of(ctx.kb, run) is None:
            store.end_run(session, run=run, status=store.ABANDONED, now=ctx.now)
            return [Message(f"{GONE} Pick another: /scenario")]
        if _quiz_is_newer(session, run):
            return None
        if text.strip().casefold().rstrip("!.") in HINT_WORDS:
            return give_hint(ctx, session, run)
        earlier = ""
        if run.follow_up is not None and run.id is not None:
            step_id = here(ctx, run).step.id
            attempts = store.attempts(session, run_id=run.id, step_id=step_id)
            earlier = attempts[-1].answer if attempts else ""
        return run, earlier

    taken = await ctx.db.run(take)
    if not isinstance(taken, tuple):
        return taken
    run, earlier = taken
    position = here(ctx, run)
    run_id, index = run.id, run.step_index
    assert run_id is not None
    if needs_more(position.step, text) and not earlier:
        return [nudge_view(run, _THIN)]
    # The answer to a follow-up question adds to what the student wrote before.
    combined = f"{earlier}\n{text}" if earlier else text
    graded = grade_typed(ctx.kb, position.scenario, position.step, combined)
    if isinstance(graded, str):
        return [nudge_view(run, graded)]
    found = [m.id for m in misconceptions.detect(ctx.kb, text)]
    fixes = await corrections.correct(ctx, text, where="scenario") if found else []
    answer = ",".join([*graded.made, *graded.wrong]) if position.step.choices else combined

    def mark(session: Session) -> Message | None:
        """The feedback, or None when the step moved on while the text was graded."""
        current = store.get_run(session, run_id=run_id)
        if current is None or current.status != store.ACTIVE or current.step_index != index:
            return None
        return record_attempt(ctx, session, current, graded, answer, found)

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


async def on_cancel(ctx: Context) -> list[Reply] | None:
    """``/cancel`` during a scenario asks first; None when no scenario is in progress."""
    run = await ctx.db.run(lambda session: store.active_run(session, user_id=ctx.person.id))
    if run is None:
        return None
    position = position_of(ctx.kb, run)
    title = position.scenario.title if position is not None else run.scenario_id
    return [leave_view(run, title)]


async def waiting(ctx: Context) -> Waiting | None:
    """A scenario left open: noted under stickers and photos, offered in the menu."""
    if not ctx.private:
        return None
    run = await ctx.db.run(lambda session: store.active_run(session, user_id=ctx.person.id))
    if run is None or position_of(ctx.kb, run) is None:
        return None
    return Waiting(
        "Your scenario step is still waiting: type your answer as text, or send /hint.",
        Button("▶️ Resume your scenario", "m:resume"),
    )


FEATURE = Feature(
    "scenario",
    commands={"scenario": scenario_command, "resume": resume_command, "hint": hint_command},
    buttons={PREFIX: on_button},
    text=on_text,
    cancel=on_cancel,
    waiting=waiting,
)
