"""The sender role: exactly one instance sends the bot's own traffic at any moment.

Every instance answers the updates it receives, but reminders, group polls and posts, and
deadline results go out from one instance only: the holder of the ``sender`` lease in the
database (``storage/leases.py``). So Telegram's send budget (about 30 messages a second, 20 a
minute per group) is spent by one pacer rather than one per instance, and a post is never
sent twice by two instances whose ticks overlap. The holder renews every ``RENEW`` seconds;
when it dies, another instance takes over once ``TTL`` has passed (well within a minute).
A clean shutdown gives the lease up at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlmodel import Session
from telegram.ext import Application, ContextTypes

from storage import Database, leases

log = logging.getLogger(__name__)

LEASE_NAME = "sender"
POLLING_LEASE = "long-polling"
TTL = timedelta(seconds=30)
RENEW = 10.0
BOT_DATA_KEY = "sender_lease"
SECOND_POLLER = (
    "another instance is already receiving this bot's updates by long polling (it holds the "
    "'long-polling' lease in the same database). Telegram lets only one process poll a "
    "token: to run several instances, use webhook mode (set WEBHOOK_URL; see README, "
    "Deployment). If that instance has just stopped, try again in 30 seconds."
)


def died_here(holder: str | None) -> bool:
    """Whether ``holder`` (an :func:`instance_name`) was a process on this host that is gone:
    its pid no longer runs, or is ours but started earlier (a restarted container). Its lease
    can then be taken at once instead of after ``TTL``, so a crash restart resumes at once."""
    parts = (holder or "").split(":")
    if len(parts) != 4 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    pid, born = int(parts[1]), parts[2]
    if pid == os.getpid():
        return born != str(_BORN)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists, but is not ours to signal
    return False


class SecondPoller(RuntimeError):
    """Refused to start: another instance on this database is long polling already."""


# When this process started (to the second): a restarted container keeps its host name and
# often its pid (1), so the pid alone cannot tell a crashed predecessor from ourselves.
_BORN = int(time.time())


def instance_name() -> str:
    """A name for this process that no other instance shares: host, pid, start and a tag."""
    return f"{socket.gethostname()}:{os.getpid()}:{_BORN}:{secrets.token_hex(3)}"


class SenderLease:
    """This instance's view of the sender lease: do we hold it right now?"""

    def __init__(
        self,
        database: Database,
        *,
        name: str = LEASE_NAME,
        holder: str | None = None,
        ttl: timedelta = TTL,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.database = database
        self.name = name
        self.holder = holder or instance_name()
        self.ttl = ttl
        self.clock = clock  # None: the database's clock (shared by every instance)
        self._held_until = 0.0  # monotonic: trust the lease only as long as it surely lasts
        self._renewing = asyncio.Lock()  # jobs ask at the same moment: one renewal at a time
        self._on_taken: list[Callable[[str | None], Awaitable[None]]] = []

    def on_taken(self, callback: Callable[[str | None], Awaitable[None]]) -> None:
        """Await ``callback(dead)`` whenever this instance becomes the holder; ``dead`` names
        the predecessor when it is known to have died (else None). Called with the renewal
        in progress: a callback schedules work, it never asks the lease itself."""
        self._on_taken.append(callback)

    @property
    def held(self) -> bool:
        """True while this instance surely holds the lease (renewed, and not yet expired)."""
        return time.monotonic() < self._held_until

    async def _renew(self) -> bool:
        started = time.monotonic()

        dead: list[str] = []

        def died(holder: str | None) -> bool:
            if gone := died_here(holder):
                dead.append(holder or "")
            return gone

        def take(session: Session) -> bool:
            dead.clear()
            now = self.clock() if self.clock else leases.database_now(session)
            return leases.hold_or_inherit(
                session,
                name=self.name,
                holder=self.holder,
                now=now,
                until=now + self.ttl,
                died=died,
            )

        try:
            got = await self.database.run(take)
        except Exception:
            log.exception("could not renew the %s lease; not acting on it meanwhile", self.name)
            got = False
        was = self.held
        # Counted from before the round trip: the database's expiry is at least this late.
        self._held_until = started + self.ttl.total_seconds() * 0.9 if got else 0.0
        if got != was:
            log.info(
                "%s: %s by this instance (%s)",
                self.name,
                "held" if got else "not held",
                self.holder,
            )
        if got and not was:
            for callback in self._on_taken:
                try:
                    await callback(dead[-1] if dead else None)
                except Exception:
                    log.exception("%s: taking over did not finish; the next run will", self.name)
        return got

    async def ensure(self) -> bool:
        """Whether we hold the lease, renewing it first when it is due (or not yet asked)."""
        async with self._renewing:
            if self._held_until - time.monotonic() < self.ttl.total_seconds() - RENEW:
                return await self._renew()
            return True

    async def renew(self) -> bool:
        """Take or renew the lease; whether this instance holds it now."""
        async with self._renewing:
            return await self._renew()

    async def release(self) -> None:
        """Give the lease up (clean shutdown), so another instance takes over at once."""
        if self._held_until:
            self._held_until = 0.0
            await self.database.run(lambda s: leases.let_go(s, name=self.name, holder=self.holder))

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        """Renew every ``RENEW`` seconds on the application's JobQueue."""
        if self.name == LEASE_NAME:
            application.bot_data[BOT_DATA_KEY] = self
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                self._tick, interval=RENEW, first=RENEW, name=f"{self.name}-lease"
            )

    async def _tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.renew()


def sender_of(application: Application) -> SenderLease | None:  # type: ignore[type-arg]
    """The lease ``SenderLease.install`` put on this application, if any."""
    found = application.bot_data.get(BOT_DATA_KEY)
    return found if isinstance(found, SenderLease) else None


def refuse_second_poller(application: Application) -> SenderLease:  # type: ignore[type-arg]
    """Long polling only: hold the ``long-polling`` lease while running, and refuse to start
    (``SecondPoller`` from ``post_init``) when another live instance holds it. Two pollers on
    one token would cut each other's requests off (Telegram answers 409 Conflict)."""
    sender = sender_of(application)
    if sender is None:
        raise LookupError("build the application with build_application first")
    poller = SenderLease(sender.database, name=POLLING_LEASE)
    started, stopped = application.post_init, application.post_shutdown

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        if started is not None:
            await started(app)  # migrations first: the lease table may be new
        if not await poller.renew():
            raise SecondPoller(SECOND_POLLER)
        poller.install(app)

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        await poller.release()
        if stopped is not None:
            await stopped(app)

    application.post_init = post_init
    application.post_shutdown = post_shutdown
    return poller
