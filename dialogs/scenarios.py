"""Profiling scenarios, walked through one step at a time like a patient tutor would.

``/scenario`` lists the cases (``/scenario ID`` starts one), ``/resume`` picks up where the
student left off, ``/hint`` climbs the current step's hint ladder, and free text answers the
step that is waiting. Buttons carry ``s:<run>:<step>:<action>[:<arg>]`` and are checked
against the stored run (owner, still active, current step) before anything changes; the list
buttons carry ``s:start:<scenario>``. Everything about a run lives in the database, so it
survives restarts and follows the student between devices.

Actions: ``t:<i>`` tick choice i, ``d`` done ticking, ``h`` hint, ``m`` model answer (and
move on), ``r`` try again, ``n`` next step, ``v`` view the data, ``x`` leave (confirmed),
``k`` keep going, ``w:<id>`` leave and start another scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from dialogs import menu, misconceptions, scheduling
from dialogs.context import Context
from dialogs.feature import Feature, Waiting
from dialogs.replies import Button, ButtonOutcome, Keyboard, Message, Reply, rows
from dialogs.step_grading import (
    WEAK,
    Grade,
    grade_choices,
    grade_free_text,
    grade_number,
    marking_scores,
    needs_more,
    overall,
    point_for_check,
    typed_choices,
    weak_items,
)
from dialogs.tables import render_table
from dialogs.text import bold, esc, italic
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario, Step
from knowledge.numeric import format_number
from storage import scenarios as store
from storage.models import ScenarioRun, StepAttempt
from storage.quizzes import active_session, pending_question

PREFIX = "s"
MAX_PUSHED = 8
HINT_WORDS = frozenset({"hint", "a hint", "hint please", "help", "?", "clue"})

STEP_TITLES: dict[str, str] = {
    "identify_variables": "Spot the variables",
    "group_segments": "Find the segments",
    "motivations": "Motivations",
    "quantitative": "The numbers",
    "persona": "Buyer persona",
    "recommendation": "Recommendation",
    "dynamics": "Change over time",
}

_STALE_STEP = "That button is from an earlier step, so nothing changed."
_ENDED = "That scenario has ended, so this button does nothing now."
_NOT_YOURS = "That button belongs to someone else's scenario."
_PRIVATE_ONLY = (
    "Scenarios are one-to-one: open a private chat with me and send /scenario there, "
    "so your answers stay yours."
)


@dataclass(frozen=True)
class Position:
    """Where a run stands: its scenario and the step waiting for an answer."""

    scenario: Scenario
    step: Step

    @property
    def total(self) -> int:
        """How many steps the scenario has."""
        return len(self.scenario.steps)


# --------------------------------------------------------------------------- small helpers


def pct(score: float) -> str:
    """A 0-1 score as a whole percentage."""
    return f"{round(score * 100)}%"


def short_title(title: str) -> str:
    """The part of a title before a colon: "Pulse Gym: who is..." -> "Pulse Gym"."""
    head = title.split(":")[0].strip()
    return head or title


def _data(run: ScenarioRun, action: str, arg: str = "") -> str:
    return f"{PREFIX}:{run.id}:{run.step_index}:{action}" + (f":{arg}" if arg else "")


def _position(kb: KnowledgeBase, run: ScenarioRun) -> Position | None:
    scenario = kb.scenarios.get(run.scenario_id)
    if scenario is None or not 0 <= run.step_index < len(scenario.steps):
        return None
    return Position(scenario, scenario.steps[run.step_index])


def _fmt(value: float, unit: str) -> str:
    number = format_number(value)
    if value == round(value) and abs(value) >= 1000:
        number = f"{round(value):,}"
    if unit == "£":
        return f"£{number}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}".strip()


def _choice_name(kb: KnowledgeBase, choice: str) -> str:
    variable = kb.variables.get(choice)
    return variable.name if variable is not None else choice.replace("_", " ")


def _point_name(point_id: str) -> str:
    return point_id.replace("_", " ").capitalize()


# --------------------------------------------------------------------------- views


def list_view(kb: KnowledgeBase, best: dict[str, float], active: Scenario | None = None) -> Message:
    """Every scenario as a button (title, market, steps, best score), resume first if any."""
    if not kb.scenarios:
        return Message("There are no scenarios yet. Try a /quiz instead.", menu.MAIN_MENU)
    lines = [bold("🧩 Profiling scenarios"), "Pick a case and we'll profile it step by step:", ""]
    buttons: list[Button] = []
    if active is not None:
        buttons.append(Button(f"▶️ Resume: {short_title(active.title)}", "m:resume"))
    for scenario in kb.scenarios.values():
        score = f" · best {pct(best[scenario.id])}" if scenario.id in best else ""
        steps = f"{len(scenario.steps)} steps"
        lines.append(f"• {bold(scenario.title)} ({scenario.market}, {steps}{esc(score)})")
        label = f"{short_title(scenario.title)} · {scenario.market} · {steps}{score}"
        buttons.append(Button(label, f"{PREFIX}:start:{scenario.id}"))
    return Message("\n".join(lines), rows(*buttons, width=1))


def intro(scenario: Scenario) -> Reply:
    """The business context and the customer data table (monospace, or an image if wide)."""
    head = f"🧩 {bold(scenario.title)}\n{scenario.market} · {len(scenario.steps)} steps"
    return render_table(scenario, f"{head}\n\n{esc(scenario.context)}")


def _step_head(position: Position, run: ScenarioRun) -> str:
    title = STEP_TITLES.get(position.step.kind, "Step")
    return bold(f"Step {run.step_index + 1}/{position.total} · {title}")


def step_keyboard(kb: KnowledgeBase, run: ScenarioRun, step: Step) -> Keyboard:
    """Ticks (on choice steps) with Done, then Hint, Data and Model answer."""
    buttons: list[Button] = []
    for index, choice in enumerate(step.choices):
        mark = "✅" if choice in run.selected else "⬜"
        buttons.append(Button(f"{mark} {_choice_name(kb, choice)}", _data(run, "t", str(index))))
    ticks = rows(*buttons, width=2)
    done = ((Button("✔️ Done", _data(run, "d")),),) if step.choices else ()
    help_row = (
        Button("💡 Hint", _data(run, "h")),
        Button("📊 Data", _data(run, "v")),
        Button("📖 Model answer", _data(run, "m")),
    )
    return (*ticks, *done, help_row)


def step_view(
    kb: KnowledgeBase, position: Position, run: ScenarioRun, *, note: str = ""
) -> Message:
    """The step's prompt with how to answer and its buttons; ``note`` (HTML) goes on top."""
    step = position.step
    if step.choices:
        how = "Tick every one that applies, then tap Done (or type their names)."
    elif step.kind == "quantitative":
        how = "Type your answer as a number; working is welcome."
    else:
        how = "Type your answer in a few sentences."
    text = f"{_step_head(position, run)}\n{esc(step.prompt)}\n\n{italic(how)}"
    if note:
        text = f"{note}\n\n{text}"
    return Message(text, step_keyboard(kb, run, step))


def _after_buttons(run: ScenarioRun, grade: Grade, *, revealed: bool) -> Keyboard:
    next_button = Button("▶️ Next step", _data(run, "n"))
    if revealed:
        return ((next_button,),)
    if grade.score >= 1:
        return ((next_button, Button("📖 Model answer", _data(run, "m"))),)
    return (
        (Button("🔁 Try again", _data(run, "r")), Button("💡 Hint", _data(run, "h"))),
        (Button("📖 Model answer", _data(run, "m")), next_button),
    )


def _choice_lines(kb: KnowledgeBase, grade: Grade) -> list[str]:
    def names(ids: Sequence[str]) -> str:
        return esc(", ".join(_choice_name(kb, i) for i in ids))

    lines = []
    if grade.made:
        lines.append(f"✅ In the data: {names(list(grade.made))}")
    if grade.missed:
        lines.append(f"❌ Missed: {names(grade.missed)}")
    if grade.wrong:
        lines.append(f"⚠️ Not in the data: {names(grade.wrong)}")
    return lines


def _point_lines(step: Step, grade: Grade) -> list[str]:
    advice: dict[str, str] = {}
    loose: list[str] = []
    for check in grade.checks:
        point = point_for_check(step, check.name)
        if check.ok:
            continue
        if point is not None:
            advice[point.id] = check.advice
        else:
            loose.append(f"❌ {esc(check.name)}: {esc(check.advice)}")
    lines = [f"✅ {esc(_point_name(p))}: “{esc(w)}”" for p, w in grade.made.items()]
    for point_id in grade.missed:
        tip = f": {esc(advice[point_id])}" if point_id in advice else ""
        lines.append(f"❌ {esc(_point_name(point_id))}{tip}")
    if grade.checks:
        title = "Actionable?" if step.kind == "recommendation" else "Exam tip"
        marks = " · ".join(f"{'✅' if c.ok else '❌'} {esc(c.name)}" for c in grade.checks)
        lines += ["", f"{bold(title)} {marks}", *loose]
    return lines


def _number_lines(position: Position, grade: Grade) -> list[str]:
    task = position.step.numeric
    assert task is not None and grade.expected is not None and grade.number is not None
    right = _fmt(grade.expected, task.unit)
    if grade.correct:
        return [f"✅ {esc(_fmt(grade.number, task.unit))} is right.", "", esc(task.method)]
    tolerance = f" (within ±{_fmt(task.tolerance, task.unit)})" if task.tolerance else ""
    lines = [
        f"❌ Not quite: you got {esc(_fmt(grade.number, task.unit))}; "
        f"the answer is {esc(right)}{esc(tolerance)}.",
        "",
        bold("How to work it out"),
        esc(task.method),
    ]
    if grade.made:
        lines += ["", "Credit for your working: " + esc(", ".join(map(_point_name, grade.made)))]
    return lines


def feedback_view(
    kb: KnowledgeBase,
    position: Position,
    run: ScenarioRun,
    grade: Grade,
    *,
    best: float,
    tries: int,
    revealed: bool,
    practice: bool,
) -> Message:
    """What the answer earned: points made and missing (or ticks, or the number), the score."""
    step = position.step
    head = f"{_step_head(position, run)} · {pct(grade.score)}"
    if step.choices:
        body = _choice_lines(kb, grade)
    elif grade.correct is not None:
        body = _number_lines(position, grade)
    else:
        total = len(step.key_points)
        head += f" ({len(grade.made)} of {total} key points)"
        body = _point_lines(step, grade)
    text = head + "\n" + "\n".join(body)
    if practice:
        frozen = f"Practice only: the answer was shown, so this step stays at {pct(best)}."
        text += f"\n\n{italic(frozen)}"
    elif tries > 1:
        text += f"\n\nBest so far: {bold(pct(best))} (your best attempt counts)"
    return Message(text, _after_buttons(run, grade, revealed=revealed or practice))


def model_view(position: Position, run: ScenarioRun) -> Message:
    """The model answer, the key points that earn marks and, for numbers, the method."""
    step = position.step
    text = f"📖 {_step_head(position, run)}\n{bold('Model answer')}\n{esc(step.model_answer)}"
    if step.numeric is not None:
        text += f"\n\n{bold('Method')}\n{esc(step.numeric.method)}"
    elif step.key_points:
        points = "\n".join(f"• {esc(p.text)}" for p in step.key_points)
        text += f"\n\n{bold('What earns the marks')}\n{points}"
    return Message(text)


def hint_view(position: Position, run: ScenarioRun) -> Message:
    """The latest hint revealed (``run.hints_used`` of them so far)."""
    hints = position.step.hints
    shown = min(run.hints_used, len(hints))
    text = f"💡 {bold(f'Hint {shown}/{len(hints)}')}: {esc(hints[shown - 1])}"
    buttons = [Button("📖 Model answer", _data(run, "m"))]
    if shown < len(hints):
        buttons.insert(0, Button("💡 Another hint", _data(run, "h")))
    return Message(text, rows(*buttons))


def _step_line(index: int, step: Step, score: float, attempts: Sequence[StepAttempt]) -> str:
    hints = max((a.hints_used for a in attempts), default=0)
    extras = (" 💡" * min(hints, 3)) + (" 📖" if store.is_revealed(attempts) else "")
    title = STEP_TITLES.get(step.kind, step.id)
    return f"{index}. {esc(title)}: {pct(score)}{extras}"


def summary_view(
    kb: KnowledgeBase,
    scenario: Scenario,
    scores: dict[str, float],
    by_step: dict[str, list[StepAttempt]],
    revise: Sequence[str],
) -> Message:
    """The end-of-scenario card: overall score, marking points, steps, what to revise."""
    lines = [
        f"🏁 {bold(scenario.title)}: done!",
        f"Overall: {bold(pct(overall(scores, scenario)))}",
    ]
    lines += ["", bold("Marking points")]
    for point_id, score in marking_scores(scores, scenario).items():
        point = kb.marking_points.get(point_id)
        if point is None:
            continue
        flag = "" if score >= WEAK else " ⚠️"
        lines.append(f"• {bold(point.label)}: {pct(score)}{flag}")
        if point.kind == "marking_point":
            lines.append(f"  {italic(point.text)}")
    lines += ["", bold("Steps")]
    for index, step in enumerate(scenario.steps, start=1):
        found = by_step.get(step.id, [])
        lines.append(_step_line(index, step, scores.get(step.id, 0.0), found))
    lines.append(italic("💡 hint used · 📖 answer shown"))
    if revise:
        names = ", ".join(_item_name(kb, i) for i in revise)
        lines += [
            "",
            f"📌 {bold('Revise next')}: {esc(names)}",
            "These are in your review queue now and will come back soon: /review",
        ]
    else:
        lines += ["", "🌟 Nothing weak to revise from this one. Well done!"]
    buttons = rows(Button("🧩 Another scenario", "m:scenario"), Button("🔁 Review", "m:review"))
    return Message("\n".join(lines), buttons)


def _item_name(kb: KnowledgeBase, item_id: str) -> str:
    item = kb.item(item_id)
    if item is None:
        return item_id
    name = getattr(item, "name", None) or getattr(item, "title", None)
    return str(name) if name else item_id


# --------------------------------------------------------------------------- flows


async def _start(ctx: Context, session: AsyncSession, scenario: Scenario) -> list[Reply]:
    run = await store.start_run(
        session, user_id=ctx.person.id, scenario_id=scenario.id, now=ctx.now
    )
    position = Position(scenario, scenario.steps[0])
    return [intro(scenario), step_view(ctx.kb, position, run)]


def _switch_question(run: ScenarioRun, current: Scenario, other: Scenario) -> Message:
    text = (
        f"You're in the middle of {bold(current.title)}.\n"
        f"Leave it and start {bold(other.title)}? Your answers so far are kept in your history."
    )
    buttons = rows(
        Button(f"Start {short_title(other.title)}", _data(run, "w", other.id)),
        Button(f"Keep going with {short_title(current.title)}", _data(run, "k")),
        width=1,
    )
    return Message(text, buttons)


async def _open(ctx: Context, scenario: Scenario) -> list[Reply]:
    """Start ``scenario``, resume it if it is the one in progress, or ask before switching."""
    async with ctx.db.session() as session:
        run = await store.active_run(session, user_id=ctx.person.id)
        position = _position(ctx.kb, run) if run is not None else None
        if run is None or position is None:
            return await _start(ctx, session, scenario)
        if run.scenario_id == scenario.id:
            await store.touch_run(session, run=run, now=ctx.now)
            note = f"You're already on this one: here's where you were in {bold(scenario.title)}."
            return [step_view(ctx.kb, position, run, note=note)]
        return [_switch_question(run, position.scenario, scenario)]


def _find_scenario(kb: KnowledgeBase, wanted: str) -> Scenario | None:
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
    async with ctx.db.session() as session:
        best = await store.best_scores(session, user_id=ctx.person.id)
        run = await store.active_run(session, user_id=ctx.person.id)
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
    async with ctx.db.session() as session:
        run = await store.active_run(session, user_id=ctx.person.id)
        position = _position(ctx.kb, run) if run is not None else None
        if run is None or position is None:
            text = "You have no scenario in progress. Pick one to start:"
            best = await store.best_scores(session, user_id=ctx.person.id)
            return [Message(text), list_view(ctx.kb, best)]
        await store.touch_run(session, run=run, now=ctx.now)
        note = f"▶️ Welcome back to {bold(position.scenario.title)}."
        return [step_view(ctx.kb, position, run, note=note)]


async def _give_hint(ctx: Context, session: AsyncSession, run: ScenarioRun) -> list[Reply]:
    position = _position(ctx.kb, run)
    assert position is not None
    if run.hints_used >= len(position.step.hints):
        text = (
            f"You've seen all {len(position.step.hints)} hints for this step. "
            "Have a go, or tap Model answer to see a full answer."
        )
        return [Message(text, rows(Button("📖 Model answer", _data(run, "m"))))]
    await store.use_hint(session, run=run, now=ctx.now)
    return [hint_view(position, run)]


async def hint_command(ctx: Context, args: str) -> list[Reply]:
    """``/hint``: the next hint on the ladder for the step that is waiting."""
    async with ctx.db.session() as session:
        run = await store.active_run(session, user_id=ctx.person.id)
        if run is None or _position(ctx.kb, run) is None or not ctx.private:
            text = "Hints are for scenario steps, and none is waiting. Start one with /scenario."
            return [Message(text)]
        return await _give_hint(ctx, session, run)


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


_THIN = (
    "Can you say a bit more? One word is hard to mark: write a sentence or two that answers "
    "the question. Tap 💡 Hint if you're stuck."
)


async def on_text(ctx: Context, text: str) -> list[Reply] | None:
    """Free text while a step waits: grade it; None when no scenario is in progress."""
    if not ctx.private:
        return None
    async with ctx.db.session() as session:
        run = await store.active_run(session, user_id=ctx.person.id)
        if run is None:
            return None
        position = _position(ctx.kb, run)
        if position is None:
            await store.end_run(session, run=run, status=store.ABANDONED, now=ctx.now)
            return [Message("That scenario is no longer available, sorry. Pick another: /scenario")]
        if await _quiz_is_newer(session, run):
            return None
        if text.strip().casefold().rstrip("!.") in HINT_WORDS:
            return await _give_hint(ctx, session, run)
    run_id, index = run.id, run.step_index
    assert run_id is not None
    if needs_more(position.step, text):
        return [Message(_THIN, rows(Button("💡 Hint", _data(run, "h"))))]
    graded = _grade(ctx, position, text)
    if isinstance(graded, str):
        return [Message(graded, rows(Button("💡 Hint", _data(run, "h"))))]
    found = [m.id for m in misconceptions.detect(ctx.kb, text)]
    corrections = await misconceptions.correct(ctx, text, where="scenario") if found else []
    answer = ",".join([*graded.made, *graded.wrong]) if position.step.choices else text
    async with ctx.db.session() as session:
        current = await store.get_run(session, run_id=run_id)
        if current is None or current.status != store.ACTIVE or current.step_index != index:
            return [*corrections, Message("That step has moved on, so I didn't mark it: /resume")]
        feedback = await _record(ctx, session, current, graded, answer, found)
    return [*corrections, feedback]


async def _quiz_is_newer(session: AsyncSession, run: ScenarioRun) -> bool:
    """True when a quiz question was asked after the step was last shown: the typed text is
    for the quiz. Whatever the student touched last gets their free text."""
    quiz = await active_session(session, user_id=run.user_id)
    if quiz is None or quiz.id is None or quiz.updated_at <= run.updated_at:
        return False
    return await pending_question(session, quiz_id=quiz.id) is not None


async def _record(
    ctx: Context,
    session: AsyncSession,
    run: ScenarioRun,
    grade: Grade,
    answer: str,
    found: Sequence[str] = (),
) -> Message:
    """Store a graded attempt and build the feedback (a reveal freezes the step's score)."""
    position = _position(ctx.kb, run)
    assert position is not None and run.id is not None
    before = await store.attempts(session, run_id=run.id, step_id=position.step.id)
    practice = store.is_revealed(before)
    # A wrong number is answered with the worked method, which gives the answer away.
    revealed = grade.correct is False
    await store.add_attempt(
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
    after = await store.attempts(session, run_id=run.id, step_id=position.step.id)
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


async def _advance(ctx: Context, session: AsyncSession, run: ScenarioRun) -> list[Reply]:
    await store.advance(session, run=run, now=ctx.now)
    position = _position(ctx.kb, run)
    if position is not None:
        return [step_view(ctx.kb, position, run)]
    return [await _finish(ctx, session, run)]


async def _finish(ctx: Context, session: AsyncSession, run: ScenarioRun) -> Message:
    """Close the run, push its weak items into the review queue and build the summary card."""
    assert run.id is not None
    scenario = ctx.kb.scenarios[run.scenario_id]
    by_step: dict[str, list[StepAttempt]] = {}
    for attempt in await store.attempts(session, run_id=run.id):
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
    await store.end_run(
        session, run=run, status=store.DONE, now=ctx.now, score=overall(scores, scenario)
    )
    if revise:
        # Inside this session: a second one would wait on this one's write lock.
        await scheduling.push_items(session, user_id=ctx.person.id, item_ids=revise, now=ctx.now)
    return summary_view(ctx.kb, scenario, scores, by_step, revise)


async def on_cancel(ctx: Context) -> list[Reply] | None:
    """``/cancel`` during a scenario asks first; None when no scenario is in progress."""
    async with ctx.db.session() as session:
        run = await store.active_run(session, user_id=ctx.person.id)
    if run is None:
        return None
    position = _position(ctx.kb, run)
    title = position.scenario.title if position is not None else run.scenario_id
    text = f"Leave {bold(title)}? You can start it again later, but this run will end."
    buttons = rows(
        Button("🚪 Yes, leave it", _data(run, "x")), Button("▶️ No, keep going", _data(run, "k"))
    )
    return [Message(text, buttons)]


async def waiting(ctx: Context) -> Waiting | None:
    """A scenario left open: noted under stickers and photos, offered in the menu."""
    if not ctx.private:
        return None
    async with ctx.db.session() as session:
        run = await store.active_run(session, user_id=ctx.person.id)
    if run is None or _position(ctx.kb, run) is None:
        return None
    return Waiting(
        "Your scenario step is still waiting: type your answer as text, or send /hint.",
        Button("▶️ Resume your scenario", "m:resume"),
    )


# --------------------------------------------------------------------------- buttons


def _parse(rest: str) -> tuple[int, int, str, str] | None:
    parts = rest.split(":")
    if len(parts) not in (3, 4) or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    action = parts[2]
    arg = parts[3] if len(parts) == 4 else ""
    if action not in _ACTIONS or (action in ("t", "w")) != bool(arg):
        return None
    return int(parts[0]), int(parts[1]), action, arg


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
        return "That scenario is no longer available, sorry."
    return None


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """Every ``s:`` button: validated against the stored run before anything changes."""
    start, _, scenario_id = rest.partition(":")
    if start == "start":
        scenario = ctx.kb.scenarios.get(scenario_id)
        if scenario is None:
            return ButtonOutcome(toast="That scenario isn't available any more.")
        if not ctx.private:
            return ButtonOutcome(toast=_PRIVATE_ONLY, alert=True)
        return ButtonOutcome(replies=await _open(ctx, scenario))
    parsed = _parse(rest)
    if parsed is None:
        return ButtonOutcome(toast=menu.expired_button())
    run_id, index, action, arg = parsed
    async with ctx.db.session() as session:
        run = await store.get_run(session, run_id=run_id)
        toast = _stale(ctx, run, index, action)
        if toast is not None or run is None:
            return ButtonOutcome(toast=toast)
        return await _ACTIONS[action](ctx, session, run, arg)


async def _tick(ctx: Context, session: AsyncSession, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = _position(ctx.kb, run)
    assert position is not None
    choices = position.step.choices
    if not arg.isdigit() or int(arg) >= len(choices):
        return ButtonOutcome(toast=menu.expired_button())
    choice = choices[int(arg)]
    selected = [c for c in run.selected if c != choice]
    if choice not in run.selected:
        selected.append(choice)
    await store.set_selected(session, run=run, selected=selected, now=ctx.now)
    return ButtonOutcome(edit=step_view(ctx.kb, position, run))


async def _done(ctx: Context, session: AsyncSession, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = _position(ctx.kb, run)
    assert position is not None
    if not position.step.choices:
        return ButtonOutcome(toast=menu.expired_button())
    if not run.selected:
        return ButtonOutcome(toast="Tick at least one variable first, then tap Done.")
    grade = grade_choices(position.step, run.selected)
    ticked = ", ".join(_choice_name(ctx.kb, c) for c in run.selected)
    text = f"{_step_head(position, run)}\n{esc(position.step.prompt)}\n\nYou ticked: {esc(ticked)}"
    feedback = await _record(ctx, session, run, grade, ",".join(run.selected))
    return ButtonOutcome(edit=Message(text), replies=[feedback])


async def _hint(ctx: Context, session: AsyncSession, run: ScenarioRun, arg: str) -> ButtonOutcome:
    return ButtonOutcome(replies=await _give_hint(ctx, session, run))


async def _model(ctx: Context, session: AsyncSession, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = _position(ctx.kb, run)
    assert position is not None and run.id is not None
    step = position.step
    before = await store.attempts(session, run_id=run.id, step_id=step.id)
    if not store.is_revealed(before):
        await store.add_attempt(
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
    return ButtonOutcome(replies=[shown, *await _advance(ctx, session, run)])


async def _retry(ctx: Context, session: AsyncSession, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = _position(ctx.kb, run)
    assert position is not None and run.id is not None
    before = await store.attempts(session, run_id=run.id, step_id=position.step.id)
    await store.set_selected(session, run=run, selected=[], now=ctx.now)
    note = "🔁 Have another go: your best attempt counts."
    if store.is_revealed(before):
        note = "🔁 Practice round: the answer was shown, so this step's score stays as it is."
    return ButtonOutcome(replies=[step_view(ctx.kb, position, run, note=note)])


async def _next(ctx: Context, session: AsyncSession, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = _position(ctx.kb, run)
    assert position is not None and run.id is not None
    if not await store.attempts(session, run_id=run.id, step_id=position.step.id):
        return ButtonOutcome(toast="Answer this step first, or tap Model answer to see one.")
    return ButtonOutcome(replies=await _advance(ctx, session, run))


async def _view(ctx: Context, session: AsyncSession, run: ScenarioRun, arg: str) -> ButtonOutcome:
    scenario = ctx.kb.scenarios.get(run.scenario_id)
    if scenario is None:
        return ButtonOutcome(toast="That scenario is no longer available, sorry.")
    if run.status == store.ACTIVE:
        await store.touch_run(session, run=run, now=ctx.now)
    return ButtonOutcome(replies=[render_table(scenario, f"📊 {bold(scenario.title)}")])


async def _leave(ctx: Context, session: AsyncSession, run: ScenarioRun, arg: str) -> ButtonOutcome:
    await store.end_run(session, run=run, status=store.ABANDONED, now=ctx.now)
    text = "You've left the scenario. Start one again any time with /scenario."
    return ButtonOutcome(toast="Scenario left", edit=Message(text), replies=[])


async def _keep(ctx: Context, session: AsyncSession, run: ScenarioRun, arg: str) -> ButtonOutcome:
    position = _position(ctx.kb, run)
    assert position is not None
    await store.touch_run(session, run=run, now=ctx.now)
    edit = Message(f"Carrying on with {bold(position.scenario.title)}.")
    return ButtonOutcome(edit=edit, replies=[step_view(ctx.kb, position, run)])


async def _switch(ctx: Context, session: AsyncSession, run: ScenarioRun, arg: str) -> ButtonOutcome:
    scenario = ctx.kb.scenarios.get(arg)
    if scenario is None:
        return ButtonOutcome(toast="That scenario isn't available any more.")
    await store.end_run(session, run=run, status=store.ABANDONED, now=ctx.now)
    edit = Message(f"Switched to {bold(scenario.title)}.")
    return ButtonOutcome(edit=edit, replies=await _start(ctx, session, scenario))


_ACTIONS = {
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

FEATURE = Feature(
    "scenario",
    commands={"scenario": scenario_command, "resume": resume_command, "hint": hint_command},
    buttons={PREFIX: on_button},
    text=on_text,
    cancel=on_cancel,
    waiting=waiting,
)
