"""A student's own commands sent in a group: answered with a link to the private chat.

A quiz, a scenario or someone's progress posted in a class group would fill it with one
person's questions (and show their scores to everyone). So in a group the tutor replies
briefly with a button that opens the private chat through a deep link
(``t.me/<bot>?start=go-<command>[-<args>]``), and /start there starts that very thing.
Group commands (/leaderboard, /help) and tutors' commands keep working in groups.
"""

from __future__ import annotations

import base64
import binascii
import re

from dialogs.classes.posts import deep_link
from dialogs.commands import BY_NAME
from dialogs.context import Context
from dialogs.replies import Button, ButtonOutcome, Message, Reply, rows
from dialogs.text import esc

PREFIX = "go-"
_MAX_PAYLOAD = 64  # Telegram's limit for a /start parameter
_PAYLOAD = re.compile(r"^go-([a-z]{1,32})(?:-([A-Za-z0-9_-]{1,58}))?$")

_WHAT = {
    "quiz": "your quiz",
    "review": "your reviews",
    "scenario": "a scenario",
    "progress": "your progress",
    "start": "revising with me",
    "settings": "your settings",
}


def personal(name: str) -> bool:
    """A command about the student's own study, which belongs in the private chat."""
    command = BY_NAME.get(name)
    return command is None or not (command.tutor_only or command.in_groups)


def payload(name: str, args: str = "") -> str:
    """The /start parameter that starts ``/name args`` (args dropped when they do not fit)."""
    plain = PREFIX + name
    if not args:
        return plain
    packed = base64.urlsafe_b64encode(args.encode()).decode().rstrip("=")
    with_args = f"{plain}-{packed}"
    return with_args if len(with_args) <= _MAX_PAYLOAD else plain


def read_payload(text: str) -> tuple[str, str] | None:
    """``go-quiz-a3Bp`` -> ("quiz", "kpis"); None for anything the bot did not make."""
    found = _PAYLOAD.match(text.strip())
    if found is None or not personal(found.group(1)):
        return None
    packed = found.group(2) or ""
    try:
        args = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return found.group(1), args


def redirect(ctx: Context, name: str, args: str = "") -> list[Reply]:
    """The short group reply: this happens privately, and a button that starts it there."""
    what = _WHAT.get(name, f"/{name}")
    who = f"{esc(ctx.person.first_name)}, " if ctx.person.first_name else ""
    text = (
        f"🔒 {who}{esc(what)} is just for you, so it happens in our private chat, not in the "
        "group. Tap below to carry on there."
    )
    url = deep_link(ctx, payload(name, args))
    return [Message(text, rows(Button("💬 Open the private chat", url=url)))]


def redirect_button(ctx: Context, name: str) -> ButtonOutcome:
    """A menu button for a personal command, pressed in a group."""
    toast = "That one is just for you: open our private chat."
    return ButtonOutcome(toast=toast, replies=redirect(ctx, name))
