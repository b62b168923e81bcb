"""The welcome, the main menu, /help and the polite answers to things we cannot read."""

from __future__ import annotations

from collections.abc import Collection

from dialogs.commands import COMMANDS
from dialogs.context import Context
from dialogs.feature import Waiting
from dialogs.replies import Button, Keyboard, Message, Reply, rows
from dialogs.text import bold, esc

MAIN_MENU = rows(
    Button("📝 Quiz me", "m:quiz"),
    Button("🔁 Review due", "m:review"),
    Button("🧩 Scenario", "m:scenario"),
    Button("📈 Progress", "m:progress"),
    Button("❓ Help", "m:help"),
)


def welcome(ctx: Context, waiting: Waiting | None = None) -> list[Reply]:
    """The first thing a student sees: what the tutor does and where to start."""
    name = esc(ctx.person.first_name or "there")
    unit = bold("Understanding customer segmentation and profiling")
    text = (
        f"Hi {name}! 👋 I'm your revision tutor for {unit} (ISM Level 3).\n\n"
        "Here is what we can do together:\n"
        "• 📝 short quizzes on segmentation variables, the 7Ps, KPIs and exam technique\n"
        "• 💡 I'll point out common misconceptions as soon as they show up\n"
        "• 🧩 customer-profiling scenarios, step by step, with hints and marking points\n"
        "• 🔁 spaced repetition, so each idea comes back just before you'd forget it\n\n"
        "Pick something to start, or type /help for every command. "
        "What I keep about you, and how to export or delete it: /privacy"
    )
    return [Message(text, _with_resume(waiting))]


def help_text(ctx: Context, available: Collection[str], *, tutor: bool = False) -> list[Reply]:
    """Every command this person can use, one line each; tutors also see theirs."""

    def lines(tutor_only: bool) -> str:
        return "\n".join(
            f"{esc(c.usage or '/' + c.name)} — {esc(c.summary)}"
            for c in COMMANDS
            if c.name in available and c.tutor_only == tutor_only
        )

    text = bold("What I can do") + "\n\n" + lines(tutor_only=False)
    if tutor:
        text += "\n\n" + bold("For tutors") + "\n" + lines(tutor_only=True)
    text += "\n\nTip: you can also just type a question or a thought about segmentation."
    return [Message(text, MAIN_MENU)]


def unknown_command(ctx: Context, name: str) -> list[Reply]:
    """A friendly answer to a command we do not have."""
    text = f"I don't know the command {esc('/' + name)}. Here's what I can do: /help"
    return [Message(text, MAIN_MENU)]


def not_text(ctx: Context, kind: str, waiting: Waiting | None = None) -> list[Reply]:
    """Stickers, photos, voice notes: we can only read text (and say what is still waiting)."""
    text = f"Thanks for the {esc(kind)}! I can only read text, though. "
    if waiting is not None:
        return [Message(text + waiting.note)]
    return [Message(text + "Type your answer, or pick something from the menu.", MAIN_MENU)]


def chatter(ctx: Context) -> list[Reply]:
    """Free text with nothing waiting for it."""
    text = (
        "I'm not waiting for an answer just now. Want a quick quiz or a scenario? "
        "Pick one below, or type /help."
    )
    return [Message(text, MAIN_MENU)]


def _with_resume(waiting: Waiting | None) -> Keyboard:
    return ((waiting.resume,), *MAIN_MENU) if waiting else MAIN_MENU


def expired_button() -> str:
    """The toast for a button we cannot use any more."""
    return "That button has expired. Send /start for a fresh menu."
