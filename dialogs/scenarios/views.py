"""The scenario walk-through's messages and keyboards: pure functions, no database.

Each view takes what it shows (the knowledge base, the stored run, a grade, scores) and
returns a Telegram-HTML Message with content escaped; buttons carry callback data built by
dialogs.scenario_buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dialogs import menu
from dialogs.language.step_grading import Grade, point_for_check
from dialogs.replies import Button, Keyboard, Message, Reply, rows
from dialogs.scenarios.buttons import data, start_data
from dialogs.scenarios.scores import WEAK, marking_scores, overall
from dialogs.scenarios.tables import render_table
from dialogs.text import bold, esc, italic, pct
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario, Step
from knowledge.numeric import format_number
from storage import scenarios as store
from storage.models import ScenarioRun, StepAttempt

STEP_TITLES: dict[str, str] = {
    "identify_variables": "Spot the variables",
    "group_segments": "Find the segments",
    "motivations": "Motivations",
    "quantitative": "The numbers",
    "persona": "Buyer persona",
    "recommendation": "Recommendation",
    "dynamics": "Change over time",
}


@dataclass(frozen=True)
class Position:
    """Where a run stands: its scenario and the step waiting for an answer."""

    scenario: Scenario
    step: Step

    @property
    def total(self) -> int:
        """How many steps the scenario has."""
        return len(self.scenario.steps)


def short_title(title: str) -> str:
    """The part of a title before a colon: "Pulse Gym: who is..." -> "Pulse Gym"."""
    head = title.split(":")[0].strip()
    return head or title


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
        buttons.append(Button(label, start_data(scenario.id)))
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
        buttons.append(Button(f"{mark} {_choice_name(kb, choice)}", data(run, "t", str(index))))
    ticks = rows(*buttons, width=2)
    done = ((Button("✔️ Done", data(run, "d")),),) if step.choices else ()
    help_row = (
        Button("💡 Hint", data(run, "h")),
        Button("📊 Data", data(run, "v")),
        Button("📖 Model answer", data(run, "m")),
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


def ticked_view(kb: KnowledgeBase, position: Position, run: ScenarioRun) -> Message:
    """The choice step once Done is tapped: its prompt and what was ticked, no buttons."""
    ticked = ", ".join(_choice_name(kb, c) for c in run.selected)
    step_text = esc(position.step.prompt)
    return Message(f"{_step_head(position, run)}\n{step_text}\n\nYou ticked: {esc(ticked)}")


def nudge_view(run: ScenarioRun, text: str) -> Message:
    """A reply asking for a better answer (``text`` is HTML), with a Hint button under it."""
    return Message(text, rows(Button("💡 Hint", data(run, "h"))))


def _after_buttons(run: ScenarioRun, grade: Grade, *, revealed: bool) -> Keyboard:
    next_button = Button("▶️ Next step", data(run, "n"))
    if revealed:
        return ((next_button,),)
    if grade.score >= 1:
        return ((next_button, Button("📖 Model answer", data(run, "m"))),)
    return (
        (Button("🔁 Try again", data(run, "r")), Button("💡 Hint", data(run, "h"))),
        (Button("📖 Model answer", data(run, "m")), next_button),
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
    buttons = [Button("📖 Model answer", data(run, "m"))]
    if shown < len(hints):
        buttons.insert(0, Button("💡 Another hint", data(run, "h")))
    return Message(text, rows(*buttons))


def no_more_hints_view(position: Position, run: ScenarioRun) -> Message:
    """Every hint is out: suggest having a go, with the Model answer button."""
    text = (
        f"You've seen all {len(position.step.hints)} hints for this step. "
        "Have a go, or tap Model answer to see a full answer."
    )
    return Message(text, rows(Button("📖 Model answer", data(run, "m"))))


def switch_view(run: ScenarioRun, current: Scenario, other: Scenario) -> Message:
    """Asks before leaving ``current`` (in progress) to start ``other``."""
    text = (
        f"You're in the middle of {bold(current.title)}.\n"
        f"Leave it and start {bold(other.title)}? Your answers so far are kept in your history."
    )
    buttons = rows(
        Button(f"Start {short_title(other.title)}", data(run, "w", other.id)),
        Button(f"Keep going with {short_title(current.title)}", data(run, "k")),
        width=1,
    )
    return Message(text, buttons)


def leave_view(run: ScenarioRun, title: str) -> Message:
    """Asks before ending the run (``/cancel``); ``title`` is the scenario's, not yet escaped."""
    text = f"Leave {bold(title)}? You can start it again later, but this run will end."
    buttons = rows(
        Button("🚪 Yes, leave it", data(run, "x")), Button("▶️ No, keep going", data(run, "k"))
    )
    return Message(text, buttons)


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
