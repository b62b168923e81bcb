"""Webhook mode: the bot's own server on LISTEN:PORT, registered with Telegram, checking the
secret token, answering a malformed body 400, and storing an update before its 200."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from pydantic import SecretStr

from bot.app import WEBHOOK_PATH, build_application, webhook_options
from bot.settings import Settings, load_settings
from bot.webhook import SECRET_HEADER, serve_webhook
from storage import Database
from storage import inbox as inbox_store
from tests.emulator import Emulator


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def webhook_bot(settings: Settings) -> AsyncIterator[dict[str, Any]]:
    """``tutor run`` in webhook mode (in this process) until the block ends."""
    options = webhook_options(settings)
    stop = asyncio.Event()
    server = asyncio.create_task(serve_webhook(build_application(settings), **options, stop=stop))
    try:
        yield options
    finally:
        stop.set()
        await server


async def post(url: str, body: str | bytes, secret: str) -> int:
    headers = {"Content-Type": "application/json", SECRET_HEADER: secret}
    async with aiohttp.ClientSession() as client, client.post(url, data=body, headers=headers) as r:
        return r.status


async def test_webhook_checks_the_secret_and_the_body_and_answers_updates(
    emulator: Emulator, bot_settings: Settings
) -> None:
    port = free_port()
    settings = bot_settings.model_copy(
        update={
            "webhook_url": f"https://tutor.example.org/{WEBHOOK_PATH}",
            "port": port,
            "listen": "127.0.0.1",
        }
    )
    lea = emulator.user(first_name="Lea")
    update = emulator.command(lea, "start")  # delivered below by webhook; nobody polls
    url = f"http://127.0.0.1:{port}/{WEBHOOK_PATH}"
    async with webhook_bot(settings) as options:
        registered = await emulator.next_call("setWebhook")
        secret = options["secret_token"]
        wrong = await post(url, json.dumps(update), "guess")
        malformed = [
            await post(url, body, secret)
            for body in ("{not json", "[1, 2]", '{"update_id": "x"}', b"\xff\xfe", "")
        ]
        right = await post(url, json.dumps(update), secret)
        welcome = await emulator.reply_to(lea)
        again = await post(url, json.dumps(update), secret)  # Telegram retried: not twice
    assert registered.params["url"] == settings.webhook_url
    assert registered.params["secret_token"] == secret
    assert wrong == 403 and malformed == [400] * 5 and right == 200 and again == 200
    assert "Hi Lea!" in (welcome.text or "")
    assert len([m for m in emulator.messages(lea) if "Hi Lea!" in (m.text or "")]) == 1
    database = Database.from_url(settings.database_url)
    pending = await database.run(inbox_store.pending)
    await database.close()
    assert pending == []


def test_listen_is_configurable_and_checked() -> None:
    assert load_settings(_env_file=None).listen == "0.0.0.0"
    assert load_settings(listen="127.0.0.1", _env_file=None).listen == "127.0.0.1"
    assert load_settings(listen="::1", _env_file=None).listen == "::1"
    try:
        load_settings(listen="localhost:80", _env_file=None)
    except Exception as error:
        assert "LISTEN must be an IP address" in str(error)
    else:
        raise AssertionError("a bad LISTEN was accepted")


def test_every_instance_registers_the_same_secret_without_webhook_secret(
    bot_settings: Settings,
) -> None:
    settings = bot_settings.model_copy(update={"webhook_url": "https://t.example.org/telegram"})
    first, second = webhook_options(settings), webhook_options(settings)
    assert first["secret_token"] == second["secret_token"]
    assert settings.bot_token() not in first["secret_token"]
    other_bot = settings.model_copy(update={"telegram_bot_token": SecretStr("999:other-token")})
    assert webhook_options(other_bot)["secret_token"] != first["secret_token"]
    chosen = settings.model_copy(update={"webhook_secret": SecretStr("set-by-the-college")})
    assert webhook_options(chosen)["secret_token"] == "set-by-the-college"
