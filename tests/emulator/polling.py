"""Run a PTB Application against the emulator for the duration of an ``async with`` block."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application

_LOGGER = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@asynccontextmanager
async def polling(
    application: AnyApplication,
    *,
    poll_timeout: int = 1,
    allowed_updates: list[str] | None = None,
    drop_pending_updates: bool = False,
    raise_handler_errors: bool = True,
) -> AsyncIterator[AnyApplication]:
    """Initialize, start and poll with ``application``; stop and shut it down afterwards.

    Mirrors ``Application.run_polling`` (including post_init/post_stop/post_shutdown, which
    PTB only calls from run_polling) with ``poll_interval=0`` and a short long-poll
    ``poll_timeout`` in whole seconds. With ``raise_handler_errors``, exceptions raised
    by handlers are collected and re-raised as one AssertionError when the block exits,
    so a crashing handler fails the test instead of surfacing as a timeout.
    """
    errors: list[BaseException] = []

    async def collect(update: object, context: Any) -> None:
        _LOGGER.error("Handler error for update %s", update, exc_info=context.error)
        errors.append(context.error)

    if raise_handler_errors:
        application.add_error_handler(collect)
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        assert application.updater is not None, "build the Application with an Updater"
        await application.updater.start_polling(
            poll_interval=0,
            timeout=poll_timeout,
            allowed_updates=allowed_updates,
            drop_pending_updates=drop_pending_updates,
        )
        await application.start()
        try:
            yield application
        finally:
            if application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
        if raise_handler_errors:
            application.remove_error_handler(collect)
    if errors:
        listing = "\n  ".join(repr(error) for error in errors)
        raise AssertionError(f"{len(errors)} handler error(s):\n  {listing}") from errors[0]
