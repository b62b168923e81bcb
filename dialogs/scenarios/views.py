"""The scenario walk-through's messages and keyboards: pure functions, no database.

Each view takes what it shows (the knowledge base, the stored run, a grade, scores) and
returns a Telegram-HTML Message with content escaped; buttons carry callback data built by
:mod:`dialogs.scenarios.buttons`.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs import menu
from dialogs.replies import Button, Keyboard, Message, Reply, rows
from dialogs.scenarios.buttons import data, start_data
from dialogs.scenarios.tables import render_table
from dialogs.text import bold, esc, italic, pct
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario, Step
from storage.models import ScenarioRun

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
    head = title.split(":")[0].strip().rstrip("?!. ")
    return head or title


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


def step_head(position: Position, run: ScenarioRun) -> str:
    title = STEP_TITLES.get(position.step.kind, "Step")
    return bold(f"Step {run.step_index + 1}/{position.total} · {title}")


def step_keyboard(kb: KnowledgeBase, run: ScenarioRun, step: Step) -> Keyboard:
    """Ticks (on choice steps) with Done, then Hint, Data and Model answer."""
    buttons: list[Button] = []
    for index, choice in enumerate(step.choices):
        mark = "✅" if choice in run.selected else "⬜"
        buttons.append(Button(f"{mark} {choice_name(kb, choice)}", data(run, "t", str(index))))
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
    text = f"{step_head(position, run)}\n{esc(step.prompt)}\n\n{italic(how)}"
    if note:
        text = f"{note}\n\n{text}"
    return Message(text, step_keyboard(kb, run, step))


def ticked_view(kb: KnowledgeBase, position: Position, run: ScenarioRun) -> Message:
    """The choice step once Done is tapped: its prompt and what was ticked, no buttons."""
    ticked = ", ".join(choice_name(kb, c) for c in run.selected)
    step_text = esc(position.step.prompt)
    return Message(f"{step_head(position, run)}\n{step_text}\n\nYou ticked: {esc(ticked)}")


def nudge_view(run: ScenarioRun, text: str) -> Message:
    """A reply asking for a better answer (``text`` is HTML), with a Hint button under it."""
    return Message(text, rows(Button("💡 Hint", data(run, "h"))))


def model_view(position: Position, run: ScenarioRun) -> Message:
    """The model answer, the key points that earn marks and, for numbers, the method."""
    step = position.step
    text = f"📖 {step_head(position, run)}\n{bold('Model answer')}\n{esc(step.model_answer)}"
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
        f"You're in the middle of {bold(short_title(current.title))}. Leave it and start "
        f"{bold(short_title(other.title))}? Your answers so far are kept in your history."
    )
    buttons = rows(
        Button(f"Start {short_title(other.title)}", data(run, "w", other.id)),
        Button(f"Keep going with {short_title(current.title)}", data(run, "k")),
        width=1,
    )
    return Message(text, buttons)


def leave_view(run: ScenarioRun, title: str) -> Message:
    """Asks before ending the run (``/cancel``); ``title`` is the scenario's, not yet escaped."""
    text = f"Leave {bold(short_title(title))}? You can start it again later, but this run will end."
    buttons = rows(
        Button("🚪 Yes, leave it", data(run, "x")), Button("▶️ No, keep going", data(run, "k"))
    )
    return Message(text, buttons)


def choice_name(kb: KnowledgeBase, choice: str) -> str:
    """A choice on a multi-select step as the student reads it: the variable's name."""
    variable = kb.variables.get(choice)
    return variable.name if variable is not None else choice.replace("_", " ")
