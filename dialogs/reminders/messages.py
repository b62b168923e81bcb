"""The reminder as the student sees it: a due question or a nudge, with its buttons."""

from __future__ import annotations

from dialogs.reminders.shared import button_data
from dialogs.reminders.streaks import Streak
from dialogs.replies import Button, Message
from dialogs.text import bold, esc


def _reminder_message(
    due: int, streak: Streak, question: tuple[Message, int] | None, today: str
) -> Message:
    items = "1 item is" if due == 1 else f"{due} items are"
    lines = [f"🔔 {bold('Revision time!')} {items} due for review."]
    if streak.alive:
        lines.append(esc(streak.describe()) + ".")
    head = "\n".join(lines)
    # With a question attached, "Start review" carries on with that very quiz (the quiz
    # feature's own "carry on" button), so nothing is asked twice.
    start = f"q:r:{question[1]}" if question else button_data("go")
    own = (
        Button("▶️ Start review", start),
        Button("⏰ Snooze 1 hour", button_data("snooze", today)),
    )
    if question is None:
        return Message(head, (own,))
    return Message(f"{head}\n\n{question[0].html}", (*question[0].buttons, own))


def _nudge_message(
    first_name: str, streak: Streak, question: tuple[Message, int] | None
) -> Message:
    name = f" {esc(first_name)}" if first_name else ""
    head = (
        f"👋 Hi{name}! It's been a few days, and nothing is due, so here's something new "
        "to try: one question, no pressure."
    )
    own = (Button("📝 Quiz me", "m:quiz"), Button("🔕 Stop reminders", button_data("off")))
    if question is None:
        return Message(head, (own,))
    return Message(f"{head}\n\n{question[0].html}", (*question[0].buttons, own))


def _new_item_message(
    new_left: int, streak: Streak, question: tuple[Message, int] | None
) -> Message:
    """Nothing is due, but today's new items are waiting: the first one, in the reminder."""
    items = "1 new item" if new_left == 1 else f"{new_left} new items"
    lines = [f"🔔 {bold('Revision time!')} Nothing is due, and you have {items} left today."]
    if streak.alive:
        lines.append(esc(streak.describe()) + ".")
    lines.append("Here's the first; change what reminders bring in /settings.")
    head = "\n".join(lines)
    # With a question attached, "Carry on" is the quiz feature's own button.
    start = f"q:r:{question[1]}" if question else "m:quiz"
    own = (Button("▶️ Carry on", start), Button("⚙️ Settings", "m:settings"))
    if question is None:
        return Message(head, (own,))
    return Message(f"{head}\n\n{question[0].html}", (*question[0].buttons, own))
