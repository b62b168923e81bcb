"""The outgoing queue under flood control: every request waits its turn, and a full queue
says so in the log (requests then wait for room; none is dropped)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.flood import PatientRateLimiter


async def test_a_full_queue_is_logged_and_every_request_still_goes_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limiter = PatientRateLimiter(max_waiting=2)
    await limiter.initialize()
    refusals = {"left": 8}  # Telegram says "wait" eight times before taking anything
    gate = asyncio.Event()

    async def send(number: int) -> dict[str, Any]:
        await gate.wait()
        if refusals["left"]:
            refusals["left"] -= 1
            raise RetryAfter(timedelta(seconds=0.01))
        return {"sent": number}

    caplog.set_level(logging.INFO, logger="bot.flood")
    calls = [
        asyncio.create_task(
            limiter.process_request(send, (n,), {}, "sendMessage", {"chat_id": 1000 + n}, None)
        )
        for n in range(5)
    ]
    await asyncio.sleep(0)  # every request reached the queue: two inside, three waiting
    assert limiter.waiting == 2
    gate.set()
    results = await asyncio.gather(*calls)
    await limiter.shutdown()
    assert sorted(r["sent"] for r in results if isinstance(r, dict)) == [0, 1, 2, 3, 4]
    assert refusals["left"] == 0
    full = [r for r in caplog.records if "outgoing queue full" in r.getMessage()]
    assert len(full) == 1 and full[0].levelno == logging.WARNING
