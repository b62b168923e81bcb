"""Two real ``tutor run`` processes (webhook mode) behind a round-robin balancer, on one
PostgreSQL database: one is killed with work in flight, and the other carries on."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from typing import Any

import aiohttp
import pytest
from sqlmodel import col, func, select

from bot.app import WEBHOOK_PATH
from storage import Database
from storage.models import QuizQuestion
from tests.e2e.test_postgres_e2e import empty_database, server
from tests.e2e.test_webhook_e2e import free_port
from tests.emulator import ChatMessage, Emulator, User

pytestmark = pytest.mark.postgres_only
__all__ = ["empty_database", "server"]  # fixtures: a throwaway PostgreSQL server


TRY_FOR = 30.0
SLOW = 30.0  # seconds a subprocess instance may take to answer on a busy CI machine
RETRY_PAUSE = 0.05


class Balancer:
    """A small round-robin load balancer in front of webhook instances, as Caddy would be:
    each update goes to the next instance; one that refuses the connection is skipped."""

    def __init__(self, ports: list[int], secret: str) -> None:
        self.urls = [f"http://127.0.0.1:{port}/{WEBHOOK_PATH}" for port in ports]
        self.headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        self.turn = 0
        self.served: list[int] = []

    async def deliver(self, client: aiohttp.ClientSession, update: dict[str, Any]) -> None:
        """Hand one update to the next live instance (Telegram's side of a webhook), trying
        the others for up to ``TRY_FOR`` seconds as Caddy's ``lb_try_duration`` does (an
        instance registers its webhook a moment before its server listens)."""
        deadline = asyncio.get_running_loop().time() + TRY_FOR
        while asyncio.get_running_loop().time() < deadline:
            index = self.turn % len(self.urls)
            self.turn += 1
            try:
                async with client.post(self.urls[index], json=update, headers=self.headers) as r:
                    assert r.status == 200
                    self.served.append(index)
                    return
            except aiohttp.ClientConnectionError:
                # That instance is down or not listening yet: the next one, after a breath
                # once every instance has refused (there is no event to await here).
                if self.turn % len(self.urls) == 0:
                    await asyncio.sleep(RETRY_PAUSE)
        raise AssertionError(f"no instance took the update within {TRY_FOR} s")


async def start_instance(environment: dict[str, str]) -> asyncio.subprocess.Process:
    """One ``tutor run`` process (webhook mode), with its output kept for the failure report."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run",
        env=os.environ | environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_two_tutor_run_processes_behind_a_balancer_count_every_answer_once(
    emulator: Emulator, empty_database: str
) -> None:
    ports = [free_port(), free_port()]
    common = {
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "DATABASE_URL": empty_database,
        "WEBHOOK_URL": f"https://tutor.example.org/{WEBHOOK_PATH}",
        "LOG_LEVEL": "WARNING",
    }
    instances = [await start_instance(common | {"PORT": str(port)}) for port in ports]
    try:
        # Both started on an empty database at once: both migrate (one waits) and register.
        registered = [await emulator.next_call("setWebhook", timeout=60) for _ in instances]
        secrets_used = {call.params["secret_token"] for call in registered}
        assert len(secrets_used) == 1  # derived from the token: the same on both
        balancer = Balancer(ports, secrets_used.pop())
        students = [emulator.user(first_name=name) for name in ("Ada", "Ben", "Cai")]
        answered = 0
        async with aiohttp.ClientSession() as client:
            for number, student in enumerate(students):
                await balancer.deliver(client, emulator.command(student, "start"))
                await emulator.reply_to(student, timeout=SLOW)
                await balancer.deliver(client, emulator.command(student, "quiz"))
                question = await emulator.reply_to(student, timeout=SLOW)
                for _ in range(3):
                    data = [d for d in question.callback_data if ANSWER.match(d)]
                    shown = [b["callback_data"] for b in question.buttons if "Show" in b["text"]]
                    press = emulator.press(student, question, data=(data or shown)[0])
                    await balancer.deliver(client, press)
                    await emulator.answered(press, timeout=SLOW)
                    answered += 1
                    question = await next_question(emulator, student)
                if number == 0:
                    instances[0].kill()  # a crash: the balancer sends everything to the other
                    await instances[0].wait()
        assert 0 in balancer.served and 1 in balancer.served
    finally:
        for process in instances:
            if process.returncode is None:
                process.terminate()
        outputs = [await process.communicate() for process in instances]
    database = Database.from_url(empty_database)
    try:
        counted = await database.run(
            lambda s: s.exec(
                select(func.count()).where(col(QuizQuestion.answered_at).is_not(None))
            ).one()
        )
    finally:
        await database.close()
    assert counted == answered, outputs
    assert instances[1].returncode == 0, outputs[1][1].decode()[-2000:]


ANSWER = re.compile(r"^q:\d+:\d+$")


async def next_question(emulator: Emulator, student: User) -> ChatMessage:
    """The next message to ``student`` that asks a question (feedback may come first)."""
    for _ in range(4):
        message = await emulator.reply_to(student, timeout=SLOW)
        if "Question" in (message.text or "") and message.callback_data:
            return message
    raise AssertionError("no next question")
