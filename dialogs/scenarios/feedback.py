"""Feedback on a scenario step and the summary card at the end of a run: pure views, no database."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.language.checks import point_for_check
from dialogs.language.grades import Grade
from dialogs.replies import Button, Keyboard, Message, rows
from dialogs.scenarios.buttons import data
from dialogs.scenarios.scores import WEAK, marking_scores, overall
from dialogs.scenarios.views import (
    STEP_TITLES,
    Position,
    choice_name,
    step_head,
)
from dialogs.text import bold, esc, italic, pct
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario, Step
from knowledge.numeric import format_number
from storage import scenarios as store
from storage.models import ScenarioRun, StepAttempt


def _fmt(value: float, unit: str) -> str:
    number = format_number(value)
    if value == round(value) and abs(value) >= 1000:
        number = f"{round(value):,}"
    if unit == "£":
        return f"£{number}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}".strip()


def _point_name(point_id: str) -> str:
    return point_id.replace("_", " ").capitalize()


def _after_buttons(
    run: ScenarioRun, grade: Grade, *, revealed: bool, asking: bool = False
) -> Keyboard:
    next_button = Button("▶️ Next step", data(run, "n"))
    if revealed:
        return ((next_button,),)
    if asking:  # the student answers the question by typing; no "Try again" needed
        return (
            (Button("🤷 Not sure", data(run, "u")), Button("📖 Model answer", data(run, "m"))),
            (next_button,),
        )
    if grade.score >= 1:
        return ((next_button, Button("📖 Model answer", data(run, "m"))),)
    return (
        (Button("🔁 Try again", data(run, "r")), Button("💡 Hint", data(run, "h"))),
        (Button("📖 Model answer", data(run, "m")), next_button),
    )


def _choice_lines(kb: KnowledgeBase, grade: Grade) -> list[str]:
    def names(ids: Sequence[str]) -> str:
        return esc(", ".join(choice_name(kb, i) for i in ids))

    lines = []
    if grade.made:
        lines.append(f"✅ In the data: {names(list(grade.made))}")
    if grade.missed:
        lines.append(f"❌ Missed: {names(grade.missed)}")
    if grade.wrong:
        lines.append(f"⚠️ Not in the data: {names(grade.wrong)}")
    return lines


_LISTED = (
    "📝 That reads like a list of keywords. Explain it in a sentence or two: who does "
    "what, and why? Examiners give marks for explanations, not lists."
)
_OFF_SUBJECT = (
    "🎯 Your answer is about a different group from the one this step asks about. "
    "Read the question again, then have another go."
)


def _point_lines(step: Step, grade: Grade) -> list[str]:
    if grade.listed:
        return [_LISTED]
    if grade.off_subject:
        return [_OFF_SUBJECT]
    advice: dict[str, str] = {}
    loose: list[str] = []
    for check in grade.checks:
        point_id = point_for_check(step, check.name)
        if check.ok:
            continue
        if point_id is not None:
            advice[point_id] = check.advice
        else:
            loose.append(f"❌ {esc(check.name)}: {esc(check.advice)}")
    lines = [f"✅ {esc(_point_name(p))}: I read “{esc(w)}”" for p, w in grade.made.items()]
    for point_id in grade.missed:
        if point_id in grade.contradicted:
            lines.append(
                f"⚠️ {esc(_point_name(point_id))}: you said the opposite of this, which "
                "costs a mark. Check it against the case."
            )
            continue
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
    got = esc(_fmt(grade.number, task.unit))
    first = (
        f"🟡 Nearly: you got {got}; the answer is {esc(right)}. "
        "Your method is right, so check the arithmetic."
        if grade.slip
        else f"❌ Not quite: you got {got}; the answer is {esc(right)}{esc(tolerance)}."
    )
    lines = [
        first,
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
    ask: str | None = None,
) -> Message:
    """What the answer earned: points made and missing (or ticks, or the number), the score,
    and a follow-up question about one missing point when the answer is partly right."""
    step = position.step
    head = f"{step_head(position, run)} · {pct(grade.score)}"
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
    if ask:
        added = italic("Type your answer: I will add it to what you wrote.")
        text += f"\n\n🤔 {bold(esc(ask))}\n{added}"
    buttons = _after_buttons(run, grade, revealed=revealed or practice, asking=bool(ask))
    return Message(text, buttons)


def _step_line(index: int, step: Step, score: float, attempts: Sequence[StepAttempt]) -> str:
    hints = max((a.hints_used for a in attempts), default=0)
    extras = (" 💡" * min(hints, 3)) + (" 📖" if store.shown_before_scoring(attempts) else "")
    title = STEP_TITLES.get(step.kind, step.id)
    score_text = pct(score) if attempts else "not answered"
    return f"{index}. {esc(title)}: {score_text}{extras}"


def _marking_lines(kb: KnowledgeBase, scenario: Scenario, scores: dict[str, float]) -> list[str]:
    """Mark-scheme points scored from the steps answered; exam tips listed, never scored,
    because no step's marking measures whether a tip (the 7Ps, sales stages) was used."""
    lines: list[str] = []
    tips: list[str] = []
    for point_id, score in marking_scores(scores, scenario, answered_only=True).items():
        point = kb.marking_points.get(point_id)
        if point is None:
            continue
        if point.kind != "marking_point":
            tips.append(point.label)
            continue
        flag = "" if score >= WEAK else " ⚠️"
        lines.append(f"• {bold(point.label)}: {pct(score)}{flag}")
        lines.append(f"  {italic(point.text)}")
    if lines:
        lines.insert(0, bold("Marking points"))
    if tips:
        lines += ["", f"{bold('Exam tips to use next time')}: {esc(', '.join(tips))}"]
    return lines


def summary_view(
    kb: KnowledgeBase,
    scenario: Scenario,
    scores: dict[str, float],
    by_step: dict[str, list[StepAttempt]],
    revise: Sequence[str],
) -> Message:
    """The end-of-scenario card: overall score, what the answers earned, steps, what to revise.

    Only steps the student answered speak for a marking point; a step never answered is
    shown as such, and 📖 marks only a step whose answer was shown before it was scored.
    """
    lines = [
        f"🏁 Done: {bold(scenario.title)}",
        f"Overall: {bold(pct(overall(scores, scenario)))}",
    ]
    points = _marking_lines(kb, scenario, scores)
    if points:
        lines += ["", *points]
    lines += ["", bold("Steps")]
    for index, step in enumerate(scenario.steps, start=1):
        found = by_step.get(step.id, [])
        lines.append(_step_line(index, step, scores.get(step.id, 0.0), found))
    lines.append(italic("💡 hint used · 📖 answer shown before scoring"))
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
