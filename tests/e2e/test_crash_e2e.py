"""No update lost over a crash: ``tutor run`` as a real process against the emulator, killed
with SIGKILL again and again during steady traffic, then stopped with SIGTERM.

Every update is a command only it sends (``/ping<n>``), so the bot's answer ("I don't know
the command /ping...") names it. Each must be answered, and never twice by one run of the
bot: an update Telegram delivers again after a restart, or that the inbox replays, is
recognised. The only repeat a crash can cause is an answer sent in the instant between the
reply and the database recording it as handled (see bot/inbox.py); those are counted.
"""

from __future__ import annotations

import asyncio
import bisect
import os
import random
import re
import signal
import sys
import time
from collections import defaultdict
from pathlib import Path

import aiohttp

from bot.settings import Settings
from bot.webhook import SECRET_HEADER
from storage import Database, inbox
from tests.e2e.test_webhook_e2e import free_port
from tests.emulator import Emulator

KILLS = 6
STUDENTS = 5
# A steady 12.5 updates a second, half the 25 replies a second the bot may send (bot/flood.py),
# so it catches up after each restart. (At 50 a second, above Telegram's own limit, any bot
# falls further behind every second: the SIGTERM drain then took most of its 30 s.)
GAP_S = 0.08
_ANSWERED = re.compile(r"I don't know the command /(ping\d+)")
ROOT = Path(__file__).resolve().parents[2]


async def start_bot(
    emulator: Emulator, settings: Settings, log: Path, **extra: str
) -> asyncio.subprocess.Process:
    """``tutor run`` in its own process, as deployed (long polling unless ``extra`` sets
    WEBHOOK_URL)."""
    env = {
        **os.environ,
        **extra,
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE_URL": emulator.base_url or "",
        "DATABASE_URL": settings.database_url,
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
    }
    with log.open("a") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            env=env,
            cwd=log.parent,
            stdout=sink,
            stderr=sink,
        )


async def pending_in_inbox(url: str) -> set[str]:
    """The pings stored in the inbox and not marked handled."""
    database = Database.from_url(url)
    try:
        rows = await database.run(inbox.pending)
    finally:
        await database.close()
    return {str(payload["message"]["text"]).removeprefix("/") for _, payload in rows}


def answer_times(emulator: Emulator) -> dict[str, list[float]]:
    """When each ping was answered."""
    found: dict[str, list[float]] = defaultdict(list)
    for call in emulator.calls("sendMessage"):
        if call.status == 200 and (match := _ANSWERED.search(str(call.params.get("text")))):
            found[match.group(1)].append(call.at)
    return found


async def answered_more(emulator: Emulator, count: int) -> None:
    """Wait until ``count`` more pings have been answered than now."""
    target = len(answer_times(emulator)) + count
    await emulator.wait_for(
        lambda: len(answer_times(emulator)) >= target,
        timeout=60,
        what="the bot to answer a stream of updates",
    )


async def test_kill_9_during_steady_traffic_loses_nothing_and_handles_nothing_twice(
    emulator: Emulator, bot_settings: Settings, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    students = [emulator.user() for _ in range(STUDENTS)]
    sent: list[str] = []
    kills: list[float] = []
    stop_sending = asyncio.Event()
    kill_after = random.Random(16)

    async def steady_traffic() -> None:
        while not stop_sending.is_set():
            name = f"ping{len(sent)}"
            emulator.command(students[len(sent) % STUDENTS], name)
            sent.append(name)
            await asyncio.sleep(GAP_S)

    bot = await start_bot(emulator, bot_settings, log)
    traffic = asyncio.create_task(steady_traffic())
    try:
        for _ in range(KILLS):
            # kill once this run of the bot has answered a good stream of updates
            await answered_more(emulator, 40)
            await asyncio.sleep(kill_after.uniform(0, 0.3))  # at a moment not tied to a reply
            bot.kill()
            await bot.wait()
            kills.append(time.monotonic())
            bot = await start_bot(emulator, bot_settings, log)
        # SIGTERM mid-stream: the bot stops fetching and finishes what it has before exiting
        await answered_more(emulator, 40)
        bot.send_signal(signal.SIGTERM)
        exit_code = await asyncio.wait_for(bot.wait(), timeout=30)
        left_pending = await pending_in_inbox(bot_settings.database_url)
        # whatever was left was never started (it is replayed next time): nothing half done
        cut_short = left_pending & set(answer_times(emulator))
        stop_sending.set()
        await traffic
        bot = await start_bot(emulator, bot_settings, log)
        await emulator.wait_for(
            lambda: set(answer_times(emulator)) >= set(sent),
            timeout=60,
            what="every update to be answered",
        )
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), timeout=30)
    finally:
        stop_sending.set()
        if bot.returncode is None:
            await asyncio.sleep(kill_after.uniform(0, 0.3))  # at a moment not tied to a reply
            bot.kill()
            await bot.wait()
    times = answer_times(emulator)
    lost = [name for name in sent if not times[name]]
    lives = {name: [bisect.bisect(kills, at) for at in found] for name, found in times.items()}
    twice_in_one_run = {name: runs for name, runs in lives.items() if len(set(runs)) < len(runs)}
    repeated_over_a_kill = sum(len(runs) - 1 for runs in lives.values())
    report = log.read_text()[-3000:]
    assert len(kills) == KILLS and len(sent) > 300
    assert lost == [], report
    assert twice_in_one_run == {}, report
    assert "replaying" in log.read_text()  # the inbox did bring updates back
    assert exit_code == 0 and cut_short == set(), report
    print(f"{len(sent)} updates, {KILLS} kills: 0 lost, {repeated_over_a_kill} answered again")


async def deliver(url: str, secret: str, update: dict[str, object]) -> None:
    """Telegram's side of a webhook: post the update until the bot answers 200."""
    headers = {"Content-Type": "application/json", SECRET_HEADER: secret}
    async with aiohttp.ClientSession() as client:
        while True:
            try:
                async with client.post(url, json=update, headers=headers) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass  # the bot is down: Telegram tries again a little later
            await asyncio.sleep(0.05)


async def test_kill_9_in_webhook_mode_loses_nothing_and_handles_nothing_twice(
    emulator: Emulator, bot_settings: Settings, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    port = free_port()
    secret = "a-shared-secret-for-this-test"
    webhook = {
        "WEBHOOK_URL": "https://tutor.example.org/telegram",
        "WEBHOOK_SECRET": secret,
        "PORT": str(port),
        "LISTEN": "127.0.0.1",
    }
    url = f"http://127.0.0.1:{port}/telegram"
    students = [emulator.user() for _ in range(STUDENTS)]
    sent: list[str] = []
    kills: list[float] = []
    stop_sending = asyncio.Event()
    kill_after = random.Random(61)

    async def steady_traffic() -> None:
        while not stop_sending.is_set():
            name = f"ping{len(sent)}"
            update = emulator.command(students[len(sent) % STUDENTS], name)
            sent.append(name)
            await deliver(url, secret, update)
            await asyncio.sleep(GAP_S)

    bot = await start_bot(emulator, bot_settings, log, **webhook)
    traffic = asyncio.create_task(steady_traffic())
    try:
        for _ in range(KILLS // 2):
            await answered_more(emulator, 40)
            await asyncio.sleep(kill_after.uniform(0, 0.3))
            bot.kill()
            await bot.wait()
            kills.append(time.monotonic())
            bot = await start_bot(emulator, bot_settings, log, **webhook)
        await answered_more(emulator, 40)
        stop_sending.set()
        await traffic
        await emulator.wait_for(
            lambda: set(answer_times(emulator)) >= set(sent),
            timeout=60,
            what="every update to be answered",
        )
        bot.send_signal(signal.SIGTERM)
        exit_code = await asyncio.wait_for(bot.wait(), timeout=30)
    finally:
        stop_sending.set()
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    times = answer_times(emulator)
    lost = [name for name in sent if not times[name]]
    lives = {name: [bisect.bisect(kills, at) for at in found] for name, found in times.items()}
    twice_in_one_run = {name: runs for name, runs in lives.items() if len(set(runs)) < len(runs)}
    repeated_over_a_kill = sum(len(runs) - 1 for runs in lives.values())
    report = log.read_text()[-3000:]
    assert lost == [] and twice_in_one_run == {}, report
    assert exit_code == 0, report
    print(f"webhook: {len(sent)} updates, {len(kills)} kills, {repeated_over_a_kill} again")
