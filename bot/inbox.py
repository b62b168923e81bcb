"""No update lost over a crash: each update is stored before Telegram hears it was received,
marked done once handled, and replayed at the next start if it never was.

Both ways updates arrive put them on the Application's ``update_queue`` and wait for that:
polling before it confirms them with the next ``getUpdates``, the webhook server before it
answers 200. :class:`DurableQueue` stores an update in that ``put``; :class:`DurableUpdates`
(the update processor) marks it done after its handlers ran. An update Telegram delivers
again (it was never confirmed) is recognised and not handled twice.

A process killed after a handler sent its reply but before the done mark was written would
send that reply again after the restart; the window is one small database write.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, Update
from telegram.ext import SimpleUpdateProcessor

from storage import Database
from storage import inbox as store
from storage.db import unavailable

log = logging.getLogger(__name__)

KEEP_DONE = timedelta(days=2)
"""How long a handled update's id is kept, to recognise a redelivery (Telegram keeps
unconfirmed updates for 24 hours)."""


class DurableQueue(asyncio.Queue[object]):
    """The update queue, writing each new update to the inbox before it is queued."""

    def __init__(self, database: Database) -> None:
        super().__init__()
        self._db = database
        self._in_hand: set[int] = set()

    async def put(self, item: object) -> None:
        """Queue ``item``; an Update only once stored, and never one already handled."""
        if isinstance(item, Update) and not await self._admit(item):
            return
        await super().put(item)

    async def _admit(self, update: Update) -> bool:
        update_id = update.update_id
        if update_id in self._in_hand:
            return False  # redelivered while this process still has it
        payload = update.to_dict()
        now = datetime.now(UTC)
        try:
            status = await self._db.run(
                lambda s: store.receive(s, update_id=update_id, payload=payload, now=now)
            )
        except Exception as error:
            if not unavailable(error):
                raise
            # Nothing can be saved while the database is away: handle the update anyway, so
            # the student hears "try again in a moment" rather than nothing at all.
            log.warning("database away: update %s handled without the inbox", update_id)
            status = None
        if status == store.DONE:
            log.info("update %s was handled before; not again", update_id)
            return False
        self._in_hand.add(update_id)
        return True

    async def replay(self, bot: Bot) -> int:
        """Queue every stored update that was never handled (call before starting)."""
        waiting = await self._db.run(store.pending)
        for update_id, payload in waiting:
            if update_id in self._in_hand:
                continue
            self._in_hand.add(update_id)
            await super().put(Update.de_json(payload, bot))
        if waiting:
            log.info("replaying %d updates received before the last stop", len(waiting))
        return len(waiting)

    async def done(self, update_id: int) -> None:
        """The update was handled: mark it so, durably (unless the database is away: then it
        stays pending and is replayed at the next start, where answers are idempotent)."""
        now = datetime.now(UTC)
        try:
            await self._db.run(
                lambda session: store.mark_done(session, update_id=update_id, now=now)
            )
        except Exception as error:
            if not unavailable(error):
                raise
            log.warning("database away: update %s not marked done", update_id)
        self._in_hand.discard(update_id)

    async def prune(self, now: datetime) -> int:
        """Forget the ids of updates handled long enough ago."""
        return await self._db.run(lambda session: store.prune(session, before=now - KEEP_DONE))


class DurableUpdates(SimpleUpdateProcessor):
    """Runs updates concurrently, as PTB's default processor does, and marks each one done
    in the inbox once its handlers finished (not when it was cancelled by a shutdown)."""

    def __init__(self, queue: DurableQueue, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self.queue = queue

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle the update, then record that it was handled."""
        await coroutine
        if isinstance(update, Update):
            await self.queue.done(update.update_id)
