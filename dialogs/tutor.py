"""The tutor: routes each turn (a command, free text, a button, a sticker) to a feature.

Both adapters (Telegram and the terminal) call only this class, so they behave the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from dialogs import corrections, in_private, menu, people, settings
from dialogs.classes import groups, roles, tutors
from dialogs.context import Context, Person, Services
from dialogs.feature import Feature, Waiting
from dialogs.quiz import feature as quiz
from dialogs.reminders import remind as reminders
from dialogs.replies import ButtonOutcome, Message, Reply
from dialogs.scenarios import walkthrough as scenarios
from dialogs.text import MAX_INPUT, clean_input
from storage.users import set_blocked

# Ids are 64-bit: a run of 19 or more digits in button data was not made by the bot.
_HUGE_NUMBER = re.compile(r"\d{19,}")

# last_seen_at is written at most this often for someone who keeps talking to the bot:
# a write per turn would cost more than everything else in a quiz answer.


@dataclass(frozen=True)
class Turn:
    """Who wrote, in which chat, and when: all a dialog needs besides the content."""

    person: Person
    chat_id: int
    now: datetime
    chat_kind: str = "private"
    is_group_admin: bool = False
    thread_id: int | None = None


def default_features() -> tuple[Feature, ...]:
    """Every feature, in the order they are offered free text."""
    return (
        reminders.FEATURE,
        scenarios.FEATURE,
        quiz.feature(),
        groups.FEATURE,
        tutors.FEATURE,
        settings.FEATURE,
    )


class Tutor:
    """Entry point for every turn. Features are tried in order; the first that answers wins."""

    def __init__(self, services: Services, features: tuple[Feature, ...] | None = None) -> None:
        self.services = services
        self.features = features if features is not None else default_features()
        self._commands = {n: h for f in self.features for n, h in f.commands.items()}
        self._commands |= {"start": self._start, "help": self._help, "cancel": self._cancel_cmd}
        self._buttons = {p: h for f in self.features for p, h in f.buttons.items()}

    @property
    def command_names(self) -> frozenset[str]:
        """Every command some feature answers."""
        return frozenset(self._commands)

    async def on_command(self, turn: Turn, name: str, args: str = "") -> list[Reply]:
        """A slash command, already stripped of ``/`` and any ``@botname``."""
        ctx = await self._begin(turn)
        name = name.lower()
        handler = self._commands.get(name)
        if handler is None:
            return menu.unknown_command(ctx, name)
        if not ctx.private and in_private.personal(name):
            return in_private.redirect(ctx, name, clean_input(args)[:40])
        return await handler(ctx, clean_input(args)[:200])

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        """Free text: an answer to whatever is waiting, or a message out of the blue."""
        ctx = await self._begin(turn)
        text = clean_input(text)
        if not text:
            return [Message("That message looks empty. Type your answer in words, please.")]
        if len(text) > MAX_INPUT:
            return [Message(_too_long(len(text)))]
        for feature in self.features:
            if feature.text is not None:
                replies = await feature.text(ctx, text)
                if replies is not None:
                    return replies
        fixes = await corrections.fallback_text(ctx, text)
        return fixes if fixes is not None else menu.chatter(ctx)

    async def on_button(self, turn: Turn, data: str) -> ButtonOutcome:
        """An inline button press; the data is untrusted and validated by its feature."""
        ctx = await self._begin(turn)
        prefix, _, rest = data.partition(":")
        if _HUGE_NUMBER.search(data):  # no id is that big: forged, and too big for the database
            return ButtonOutcome(toast=menu.expired_button())
        personal = rest in self._commands and in_private.personal(rest)
        if prefix == "m" and personal and not ctx.private:
            return in_private.redirect_button(ctx, rest)
        if prefix == "m" and rest in self._commands:
            return ButtonOutcome(replies=await self._commands[rest](ctx, ""))
        handler = self._buttons.get(prefix)
        if handler is None:
            return ButtonOutcome(toast=menu.expired_button())
        return await handler(ctx, rest)

    async def on_other(self, turn: Turn, kind: str) -> list[Reply]:
        """Anything that is not text: a sticker, a photo, a voice note..."""
        ctx = await self._begin(turn)
        return menu.not_text(ctx, kind, await self._waiting(ctx))

    async def user_blocked(self, user_id: int, *, blocked: bool = True) -> None:
        """Telegram said this person blocked (or unblocked) the bot: stop (or resume) sending."""
        self.services.sightings.forget(user_id)
        await self.services.db.run(
            lambda session: set_blocked(session, user_id=user_id, blocked=blocked)
        )

    async def _start(self, ctx: Context, args: str) -> list[Reply]:
        if args.startswith(("tutor_", "ch_")):  # deep links from tutor invites and challenges
            return await groups.start_link(ctx, args)
        wanted = in_private.read_payload(args)  # a student's command sent in a group
        if wanted is not None and wanted[0] != "start" and wanted[0] in self._commands:
            return await self._commands[wanted[0]](ctx, wanted[1])
        return menu.welcome(ctx, await self._waiting(ctx))

    async def _help(self, ctx: Context, args: str) -> list[Reply]:
        return menu.help_text(ctx, self.command_names, tutor=await roles.is_tutor(ctx))

    async def _waiting(self, ctx: Context) -> Waiting | None:
        for feature in self.features:
            if feature.waiting is not None and (waiting := await feature.waiting(ctx)):
                return waiting
        return None

    async def _cancel_cmd(self, ctx: Context, args: str) -> list[Reply]:
        return await self._cancel(ctx)

    async def _cancel(self, ctx: Context) -> list[Reply]:
        for feature in self.features:
            if feature.cancel is not None:
                replies = await feature.cancel(ctx)
                if replies is not None:
                    return replies
        return [Message("There's nothing to cancel. What next?", menu.MAIN_MENU)]

    async def _begin(self, turn: Turn) -> Context:
        """Record the person as seen (unblocking them: they wrote), then the turn's Context."""
        person, sightings = turn.person, self.services.sightings
        if sightings.due(person, turn.now):
            wrote = await self.services.db.run(
                lambda session: people.seen(
                    session, person, turn.now, unless_within=sightings.every
                )
            )
            if wrote:
                sightings.written(person, turn.now)
        return Context(
            self.services,
            person,
            turn.chat_id,
            turn.now,
            turn.chat_kind,
            is_group_admin=turn.is_group_admin,
            thread_id=turn.thread_id,
        )


def _too_long(length: int) -> str:
    return (
        f"That's a long one ({length:,} characters)! Please keep it under {MAX_INPUT:,}: "
        "the key points in a few sentences are what earn the marks. Nothing was lost: "
        "send a shorter version when you're ready."
    )
