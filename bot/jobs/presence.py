"""How many instances share the bot's send budget: each says it is alive, and counts.

Telegram's flood limits (about 30 messages a second, 20 a minute per group) apply to the bot,
however many processes send for it. Every instance renews a presence lease in the database
every ``RENEW`` seconds and counts the live ones; the rate limiter and the reminder pacer
then keep to their share (``bot/flood.py``, ``bot/jobs/reminders.py``). An instance that
dies stops renewing and drops out of the count within ``TTL``; a clean shutdown at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlmodel import Session
from telegram.ext import Application, ContextTypes

from bot.jobs.sender import RENEW, TTL, instance_name
from storage import Database, leases

log = logging.getLogger(__name__)

JOB_NAME = "presence"
BOT_DATA_KEY = "presence"


class Presence:
    """This instance's heartbeat, and what it learns each time: how many are alive."""

    def __init__(self, database: Database, *, holder: str | None = None) -> None:
        self.database = database
        self.holder = holder or instance_name()
        self.instances = 1
        self._listeners: list[Callable[[int], None]] = []

    def on_change(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(instances)`` now and whenever the number of live instances changes."""
        self._listeners.append(listener)
        listener(self.instances)

    async def beat(self) -> int:
        """Renew this instance's presence; the number of live instances (1 if unsure)."""

        def renew(session: Session) -> int:
            now = leases.database_now(session)  # the clock every instance shares
            return leases.present(session, holder=self.holder, now=now, until=now + TTL)

        try:
            counted = await self.database.run(renew)
        except Exception:
            log.exception("could not renew this instance's presence; keeping the last count")
            return self.instances
        if counted != self.instances:
            log.info("%d instance(s) share this bot's send budget", counted)
            self.instances = counted
            for listener in self._listeners:
                listener(counted)
        return counted

    async def forget(self, dead: str | None) -> None:
        """A predecessor known to have died no longer shares the budget: drop it now, rather
        than when its presence runs out (``SenderLease.on_taken``)."""
        if dead:
            name = leases.PRESENCE + dead
            await self.database.run(lambda s: leases.let_go(s, name=name, holder=dead))
            await self.beat()

    async def leave(self) -> None:
        """A clean shutdown: the others may use the whole budget at their next beat."""
        name = leases.PRESENCE + self.holder
        try:
            await self.database.run(lambda s: leases.let_go(s, name=name, holder=self.holder))
        except Exception:  # the database is away: the others see it expire within TTL
            log.warning("could not withdraw this instance's presence; it expires on its own")

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        """Beat every ``RENEW`` seconds on the application's JobQueue (the first beat belongs
        in ``post_init``, so the count is known before the first reply)."""
        application.bot_data[BOT_DATA_KEY] = self
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                self._tick, interval=RENEW, first=RENEW, name=JOB_NAME
            )

    async def _tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.beat()


def presence_of(application: Application) -> Presence:  # type: ignore[type-arg]
    """The presence ``Presence.install`` put on this application."""
    found = application.bot_data.get(BOT_DATA_KEY)
    if not isinstance(found, Presence):
        raise LookupError("build the application with build_application first")
    return found
