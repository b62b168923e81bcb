"""Pytest fixtures for the Telegram Bot API emulator (enable with
``pytest_plugins = ["tests.emulator_plugin"]``).

``emulator`` is a started HTTP emulator on 127.0.0.1 (free port) whose teardown fails the
test if the bot made any request Telegram would reject. ``polling`` runs a PTB Application
against it inside ``async with``.
"""

from __future__ import annotations

import os

# Before telegram is imported: RetryAfter.retry_after etc. become timedeltas, silently.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.emulator import (
    DEFAULT_BOT_USERNAME,
    DEFAULT_TOKEN,
    Emulator,
    EmulatorServer,
    polling,
)

__all__ = ["DEFAULT_BOT_USERNAME", "DEFAULT_TOKEN", "Emulator", "emulator", "polling"]


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """A running emulator (token "123456:TEST-TOKEN", bot @RevisionTutorBot, privacy mode on).

    Use ``emulator.base_url`` with ``ApplicationBuilder().base_url(...)`` or
    ``emulator.in_process_request()`` for socket-free requests. Fails at teardown when
    violations remain (clear expected ones with ``emulator.take_violations()``).
    """
    emu = Emulator()
    server = EmulatorServer(emu)
    await server.start()
    try:
        yield emu
    finally:
        await server.stop()
    emu.assert_no_violations()
