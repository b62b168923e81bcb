"""Group polls on their way out, so an answer that overtakes its poll's id is not lost.

Telegram can deliver the first answer to a poll before the bot has read the reply to its
``sendPoll`` and stored the poll's id. :class:`PollIds` tells the poll-answer handler whether
a poll is being posted right now, and wakes it when a poll id is stored, so the answer is
counted then instead of being taken for an answer to some other poll.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

WAIT_FOR_POLL_S = 30.0
"""How long an answer waits for a poll being posted (a flood wait can hold the reply)."""


class PollIds:
    """Poll ids as they are stored, and how many polls are being posted now."""

    def __init__(self, limit: int = 1_000) -> None:
        self._limit = limit
        self._stored: OrderedDict[str, None] = OrderedDict()
        self._posting = 0
        self._changed = asyncio.Condition()

    @asynccontextmanager
    async def posting(self) -> AsyncIterator[None]:
        """Around sending a poll and storing its id."""
        self._posting += 1
        try:
            yield
        finally:
            self._posting -= 1
            async with self._changed:
                self._changed.notify_all()

    async def stored(self, poll_id: str) -> None:
        """The poll's id is in the database: wake whoever waits for it."""
        self._stored[poll_id] = None
        while len(self._stored) > self._limit:
            self._stored.popitem(last=False)
        async with self._changed:
            self._changed.notify_all()

    async def wait(self, poll_id: str, timeout: float = WAIT_FOR_POLL_S) -> bool:  # noqa: ASYNC109
        """True once ``poll_id`` is stored; False at once when no poll is being posted (or
        the posts end without it): an answer to a poll that is not ours."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: poll_id in self._stored or not self._posting)
        except TimeoutError:
            return False
        return poll_id in self._stored
