"""Flood control without dropping a reply: every request waits for its turn.

PTB's ``AIORateLimiter`` keeps the bot under Telegram's limits and waits out a 429, but only
``max_retries`` times before giving up, and then the reply is lost. Here a request retries
until Telegram takes it. So that a long flood wait cannot pile up requests without end, at
most :data:`MAX_WAITING` wait at once; more wait for room, and the first to find it full
says so in the log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

MAX_WAITING = 2_000
RETRY_FOREVER = 1_000_000
"""AIORateLimiter counts retries; this many 429s in a row would take days of waiting."""


class PatientRateLimiter(AIORateLimiter):
    """AIORateLimiter that never gives a request up to flood control, with a bounded queue."""

    def __init__(self, max_waiting: int = MAX_WAITING) -> None:
        super().__init__(max_retries=RETRY_FOREVER)
        self.max_waiting = max_waiting
        self._room = asyncio.Semaphore(max_waiting)
        self._full = False

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
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            finally:
                if self._full and self.waiting < self.max_waiting // 2:
                    self._full = False
                    log.info("outgoing queue has room again")
