"""Webhook mode: PTB's own server on PORT, registered with Telegram, checking the secret token."""

from __future__ import annotations

import json
import socket

import aiohttp
from pydantic import SecretStr

from bot.app import WEBHOOK_PATH, build_application, webhook_options
from bot.settings import Settings
from tests.emulator import Emulator


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_accepts_only_requests_with_the_secret(
    emulator: Emulator, bot_settings: Settings
) -> None:
    port = free_port()
    settings = bot_settings.model_copy(
        update={"webhook_url": f"https://tutor.example.org/{WEBHOOK_PATH}", "port": port}
    )
    options = webhook_options(settings, listen="127.0.0.1")
    app = build_application(settings)
    lea = emulator.user(first_name="Lea")
    update = emulator.command(lea, "start")  # delivered below by webhook; nobody polls
    async with app:
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_webhook(**options)
        await app.start()
        registered = await emulator.next_call("setWebhook")
        url = f"http://127.0.0.1:{port}/{WEBHOOK_PATH}"
        async with aiohttp.ClientSession() as client:
            wrong = await client.post(
                url,
                data=json.dumps(update),
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": "guess",
                },
            )
            right = await client.post(
                url,
                data=json.dumps(update),
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": options["secret_token"],
                },
            )
            welcome = await emulator.reply_to(lea)
        await app.updater.stop()
        await app.stop()
    assert app.post_shutdown is not None
    await app.post_shutdown(app)
    assert registered.params["url"] == settings.webhook_url
    assert registered.params["secret_token"] == options["secret_token"]
    assert wrong.status == 403
    assert right.status == 200
    assert "Hi Lea!" in welcome.text


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
