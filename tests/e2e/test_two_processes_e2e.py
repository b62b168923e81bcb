"""Two real ``tutor run`` processes (webhook mode) behind a round-robin balancer, on one
PostgreSQL database: one is killed with work in flight, and the other carries on."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import aiohttp
import pytest
from sqlmodel import col, func, select

from bot.app import WEBHOOK_PATH
from bot.jobs.sender import LEASE_NAME
from storage import Database, leases
from storage.models import QuizQuestion
from tests.e2e.test_groups_e2e import OWNER
from tests.e2e.test_postgres_e2e import empty_database, server
from tests.e2e.test_reminders_e2e import LONDON, enrol, reminders_to
from tests.e2e.test_webhook_e2e import free_port
from tests.emulator import Chat, ChatMessage, Emulator, User

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


REMINDERS = 1_000
KILL_AFTER = 300  # reminders sent before the sender is killed
BATCH = 240.0  # seconds the whole batch may take on a busy CI machine (20 a second: 50 s)
MAX_IN_FLIGHT = 16  # a reminder sent but not yet marked as sent when its sender is killed


async def test_two_tutor_run_processes_share_the_work_and_the_survivor_finishes_it(
    emulator: Emulator, empty_database: str
) -> None:
    emulator.flood_limits(global_per_second=30, per_group_per_minute=20)
    database = Database.from_url(empty_database)
    await database.upgrade()
    due = datetime.now(UTC) - timedelta(minutes=1)
    waiting = [emulator.user() for _ in range(REMINDERS)]
    await enrol(database, waiting, due)
    tess = emulator.user(OWNER, "Tess")
    group = emulator.group(title="Class 3B", owner=tess)
    ports = [free_port(), free_port()]
    common = {
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "DATABASE_URL": empty_database,
        "WEBHOOK_URL": f"https://tutor.example.org/{WEBHOOK_PATH}",
        "TUTOR_IDS": str(OWNER),
        "LOG_LEVEL": "WARNING",
    }
    instances = [await start_instance(common | {"PORT": str(port)}) for port in ports]
    try:
        registered = [await emulator.next_call("setWebhook", timeout=60) for _ in instances]
        secrets_used = {call.params["secret_token"] for call in registered}
        assert len(secrets_used) == 1  # derived from the token: the same on both
        balancer = Balancer(ports, secrets_used.pop())
        students = [emulator.user(first_name=name) for name in ("Ada", "Ben", "Cai")]
        answered = 0
        async with aiohttp.ClientSession() as client:
            # The tutor starts a group quiz and a weekly challenge due in a minute or two.
            await balancer.deliver(client, emulator.command(tess, "groupquiz", "2", chat=group))
            at = datetime.now(LONDON) + timedelta(minutes=2)
            weekly = f"{at:%a} {at:%H:%M} challenge gym 48h"
            await balancer.deliver(client, emulator.command(tess, "schedule", weekly, chat=group))
            for number, student in enumerate(students):
                if number == 1:  # mid-batch: kill the sender, as a crash would
                    await emulator.wait_for(
                        lambda: sent_reminders(emulator) >= KILL_AFTER, timeout=BATCH
                    )
                    sender = await sender_pid(database)
                    [victim] = [p for p in instances if p.pid == sender]
                    victim.kill()
                    await victim.wait()
                answered += await take_a_quiz(emulator, balancer, client, student)
        await emulator.wait_for(
            lambda: all(reminders_to(emulator, s) for s in waiting), timeout=BATCH
        )
        for needle in ("Class quiz results", "Class challenge"):
            await emulator.wait_for(partial(posted, emulator, group, needle), timeout=BATCH)
        assert 0 in balancer.served and 1 in balancer.served
        [survivor] = [p for p in instances if p is not victim]
        assert await sender_pid(database) == survivor.pid  # it took over as the sender
    finally:
        for process in instances:
            if process.returncode is None:
                process.terminate()
        outputs = [await process.communicate() for process in instances]
    counted = await database.run(
        lambda s: s.exec(
            select(func.count()).where(col(QuizQuestion.answered_at).is_not(None))
        ).one()
    )
    await database.close()
    assert counted == answered, outputs
    twice = [s for s in waiting if len(reminders_to(emulator, s)) > 1]
    assert len(twice) <= MAX_IN_FLIGHT  # sent, but the sender died before writing it down
    assert len(emulator.calls("sendPoll")) == 2
    assert posted(emulator, group, "Class quiz results") == 1
    assert posted(emulator, group, "Class challenge") == 1
    assert emulator.count_429 == 0
    assert survivor.returncode == 0, outputs[instances.index(survivor)][1].decode()[-2000:]


def posted(emulator: Emulator, group: Chat, needle: str) -> int:
    """How many of the bot's posts in ``group`` contain ``needle``."""
    return sum(needle in (m.text or "") for m in emulator.messages(group) if m.from_bot)


def sent_reminders(emulator: Emulator) -> int:
    """How many reminders Telegram has taken so far."""
    return sum(
        "due for review" in (c.params.get("text") or "") for c in emulator.calls("sendMessage")
    )


async def sender_pid(database: Database) -> int:
    """The process id of the instance holding the sender lease (it is in the holder's name)."""
    lease = await database.run(lambda s: leases.current(s, name=LEASE_NAME))
    assert lease is not None and lease.holder is not None
    return int(lease.holder.split(":")[1])


async def take_a_quiz(
    emulator: Emulator, balancer: Balancer, client: aiohttp.ClientSession, student: User
) -> int:
    """/start, /quiz and three answers through the balancer; how many answers were given."""
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
        question = await next_question(emulator, student)
    return 3


ANSWER = re.compile(r"^q:\d+:\d+$")


async def next_question(emulator: Emulator, student: User) -> ChatMessage:
    """The next message to ``student`` that asks a question (feedback may come first)."""
    for _ in range(4):
        message = await emulator.reply_to(student, timeout=SLOW)
        if "Question" in (message.text or "") and message.callback_data:
            return message
    raise AssertionError("no next question")
