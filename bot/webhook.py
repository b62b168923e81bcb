"""The webhook server for ``tutor run`` when ``WEBHOOK_URL`` is set.

A small tornado server (tornado comes with ``python-telegram-bot[webhooks]``) in place of
PTB's own, for three promises PTB's does not make: a malformed body is answered 400 (PTB
answers 500, which makes Telegram retry it for a day); the secret token is compared in
constant time; and an update is answered 200 only once it is stored in the inbox (the
Application's update queue stores it in ``put``, see bot/inbox.py), so Telegram resends
whatever a crash interrupted. It listens on ``LISTEN``:``PORT``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application
from tornado.httpserver import HTTPServer

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000


class UpdateReceiver(tornado.web.RequestHandler):
    """POST <path>: one update from Telegram, checked, stored, then answered 200."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot_app: Application, secret: str) -> None:  # type: ignore[type-arg]
        """Tornado's per-request set-up: the application to hand updates to, the secret."""
        self.bot_app = bot_app
        self.secret = secret

    async def post(self) -> None:
        """Refuse a wrong secret (403) or a malformed update (400); queue the rest."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self._answer(HTTPStatus.FORBIDDEN, "wrong or missing secret token")
            return
        update = self._update()
        if update is None:
            self._answer(HTTPStatus.BAD_REQUEST, "the body is not a Telegram update")
            return
        await self.bot_app.update_queue.put(update)
        self._answer(HTTPStatus.OK, "")

    def _update(self) -> Update | None:
        if len(self.request.body) > MAX_BODY_BYTES:
            return None
        try:
            data = json.loads(self.request.body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                return None
            return Update.de_json(data, self.bot_app.bot)
        except (ValueError, TypeError, KeyError, AttributeError, TelegramError) as error:
            log.warning("webhook: refused a malformed update (%s)", error)
            return None

    def _answer(self, status: HTTPStatus, reason: str) -> None:
        self.set_status(status)
        if reason:
            self.set_header("Content-Type", "application/json")
            self.finish({"ok": False, "description": reason})


async def serve_webhook(
    application: Application,  # type: ignore[type-arg]
    *,
    listen: str,
    port: int,
    url_path: str,
    webhook_url: str | None,
    secret_token: str,
    allowed_updates: Sequence[str] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the bot on a webhook until ``stop`` is set (by default: SIGTERM or SIGINT), then
    finish the updates in hand and shut down, as ``run_polling`` does."""
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
    routes: list[Any] = [
        (rf"/{url_path}/?", UpdateReceiver, {"bot_app": application, "secret": secret_token})
    ]
    server = HTTPServer(tornado.web.Application(routes), max_body_size=MAX_BODY_BYTES)
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        server.listen(port, address=listen)
        await application.bot.set_webhook(
            url=webhook_url or "",
            secret_token=secret_token,
            allowed_updates=allowed_updates,
        )
        await application.start()
        log.info("webhook server listening on %s:%d", listen, port)
        await stop.wait()
        server.stop()  # no new updates; Telegram resends what it could not deliver
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(server.close_all_connections(), timeout=10)
        await application.stop()  # finishes every update in hand
        if application.post_stop:
            await application.post_stop(application)
    finally:
        server.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
