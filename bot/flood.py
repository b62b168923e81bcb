"""Flood control without dropping a reply: every request waits for its turn.

PTB's ``AIORateLimiter`` keeps the bot under Telegram's limits and waits out a 429, but only
``max_retries`` times before giving up, and then the reply is lost. Here a request retries
until Telegram takes it. So that a long flood wait cannot pile up requests without end, at
most :data:`MAX_WAITING` wait at once; more wait for room, and the first to find it full
says so in the log.

The overall limit is kept with a bucket that never lets more than the limit into any one
second (Telegram counts in sliding windows; see :func:`overall_share`). Several instances of
one bot share Telegram's limits (they are per bot, not per process): :meth:`share` tells the
limiter how many instances are alive, and each keeps to its share of them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.constants import FloodLimit
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

MAX_WAITING = 2_000
MAX_GROUP_SHARES = 512
RETRY_FOREVER = 1_000_000
"""AIORateLimiter counts retries; this many 429s in a row would take days of waiting."""


class PatientRateLimiter(AIORateLimiter):
    """AIORateLimiter that never gives a request up to flood control, with a bounded queue."""

    def __init__(self, max_waiting: int = MAX_WAITING) -> None:
        # PTB's overall limit is replaced by overall_share (see there); its per-group limit
        # stays for one instance (the group Pacer keeps posts to 20 a minute on its own).
        super().__init__(overall_max_rate=0, max_retries=RETRY_FOREVER)
        self.max_waiting = max_waiting
        self._room = asyncio.Semaphore(max_waiting)
        self._full = False
        self.instances = 1
        self._overall_share = overall_share(1)
        self._group_shares: dict[int | str, AsyncLimiter] = {}

    def share(self, instances: int) -> None:
        """Keep to 1/``instances`` of Telegram's limits from now on (1: the whole budget)."""
        instances = max(1, instances)
        if instances != self.instances:
            log.info("sending at 1/%d of the bot's flood limits", instances)
            self.instances = instances
            self._overall_share = overall_share(instances)
            self._group_shares.clear()

    async def _wait_for_share(self, data: dict[str, Any]) -> None:
        """Wait for this instance's share of the budget; with other instances alive, of each
        group's too (PTB's limiter, which knows only this process, then applies its own)."""
        chat_id = data.get("chat_id")
        if chat_id is None:
            return
        await self._overall_share.acquire()
        group = _group_id(chat_id)
        if group is not None and self.instances > 1:
            await self._group_share(group).acquire()

    def _group_share(self, group: int | str) -> AsyncLimiter:
        if len(self._group_shares) > MAX_GROUP_SHARES:  # forget groups with nothing pending
            for key, limiter in list(self._group_shares.items()):
                if limiter.has_capacity(limiter.max_rate):
                    del self._group_shares[key]
        if group not in self._group_shares:
            self._group_shares[group] = group_share(self.instances)
        return self._group_shares[group]

    @property
    def waiting(self) -> int:
        """How many requests are queued or in flight now."""
        return self.max_waiting - self._room._value

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for room in the queue, then for Telegram's limits, however long they last."""
        if self._room.locked() and not self._full:
            self._full = True
            log.warning(
                "outgoing queue full: %d requests wait for Telegram's flood control; "
                "%s (and any more) wait for room, nothing is dropped",
                self.max_waiting,
                endpoint,
            )
        async with self._room:
            try:
                await self._wait_for_share(data)
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            finally:
                if self._full and self.waiting < self.max_waiting // 2:
                    self._full = False
                    log.info("outgoing queue has room again")


class TokenBucket:
    """At most ``rate`` acquisitions per second, evenly spaced (no bursts), FIFO.

    ``hold`` stops every acquisition for a while (Telegram's RetryAfter applies to the bot,
    not to one chat).
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self._clock = clock
        self._next = clock()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait for this caller's slot."""
        async with self._lock:
            now = self._clock()
            slot = max(self._next, now)
            self._next = slot + self.interval
            if slot > now:
                await asyncio.sleep(slot - now)  # pacing is the point here

    def hold(self, seconds: float) -> None:
        """Push every later slot back by at least ``seconds`` from now."""
        self._next = max(self._next, self._clock() + seconds)


# Telegram counts in sliding windows, and a leaky bucket lets its capacity through at once and
# then its rate, so in any one window it passes capacity + rate x window. PTB's buckets (30 at
# once, then 30 a second) pass twice the limit in a window: a burst of answers on top of a
# reminder batch drew a 429, and after each wait the backlog went out at once and drew the
# next. The shares below keep capacity + rate x window within 1/N of each limit.


# Telegram times a message when it arrives, not when it was let go: on a busy host some sends
# are held up and then arrive with later ones. A tenth of headroom keeps those within the limit.
HEADROOM = 0.9


def overall_share(instances: int) -> AsyncLimiter:
    """One instance's share of ~30 messages a second (less a tenth of headroom): a sixth of
    it at once (a few replies to one answer), the rest spread over the second."""
    burst = FloodLimit.MESSAGES_PER_SECOND * HEADROOM / instances / 6
    return AsyncLimiter(max_rate=burst, time_period=1 / 5)


def group_share(instances: int) -> AsyncLimiter:
    """With other instances alive, one instance's share of 20 messages a minute in one group:
    half at once (a poll and its results together), half spread over the minute."""
    half = FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP / instances / 2
    return AsyncLimiter(max_rate=half, time_period=60)


def _group_id(chat_id: object) -> int | str | None:
    """The chat, if it is a group or channel (negative ids, or an @name), as PTB reads it."""
    if isinstance(chat_id, str):
        try:
            chat_id = int(chat_id)
        except ValueError:
            return chat_id
    return chat_id if isinstance(chat_id, int) and chat_id < 0 else None
