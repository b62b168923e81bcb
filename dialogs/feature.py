"""The shape of a feature: the commands, buttons and free text it answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from dialogs.context import Context
from dialogs.replies import Button, ButtonOutcome, Reply

CommandHandler = Callable[[Context, str], Awaitable[list[Reply]]]
ButtonHandler = Callable[[Context, str], Awaitable[ButtonOutcome]]
TextHandler = Callable[[Context, str], Awaitable[list[Reply] | None]]
CancelHandler = Callable[[Context], Awaitable[list[Reply] | None]]
WaitingCheck = Callable[[Context], Awaitable["Waiting | None"]]


@dataclass(frozen=True)
class Waiting:
    """Something of the student's left open: a one-line note (HTML) and a button to go back."""

    note: str
    resume: Button


@dataclass(frozen=True)
class Feature:
    """What one feature answers.

    ``buttons`` maps a callback-data prefix (the part before the first ``:``) to its handler,
    which gets the rest of the data and must validate it. ``text`` is offered free text and
    returns None when it is not waiting for any. ``cancel`` stops what the feature has running
    and returns None when nothing was. ``waiting`` says what the feature has left open, so the
    menu can offer to resume it and a sticker can be answered with what is still expected.
    """

    name: str
    commands: dict[str, CommandHandler] = field(default_factory=dict)
    buttons: dict[str, ButtonHandler] = field(default_factory=dict)
    text: TextHandler | None = None
    cancel: CancelHandler | None = None
    waiting: WaitingCheck | None = None
