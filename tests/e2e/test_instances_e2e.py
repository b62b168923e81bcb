"""Several instances of one bot on one database: each reminder and group post sent once, by
the instance holding the sender lease; the survivor takes over when it dies; a second long
poller is refused with a clear reason."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import select

from bot.jobs.presence import presence_of
from bot.jobs.reminders import dispatcher_of
from bot.jobs.sender import TTL, SecondPoller, refuse_second_poller, sender_of
from dialogs.classes.polls import FIRST_POLL_DELAY
from dialogs.context import Person
from dialogs.tutor import Turn
from storage import Database
from storage.models import Challenge
from tests.e2e.test_groups_e2e import OWNER, group_jobs
from tests.e2e.test_reminders_e2e import db, enrol, manual, pin_clock, reminders_to, t0
from tests.emulator import Emulator, polling
from tests.emulator.polling import AnyApplication

__all__ = ["db", "t0"]  # fixtures shared with the reminder tests
CRASHED = "crashed in this test"


async def test_a_second_long_poller_on_the_same_database_is_refused(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    first = make_app()
    refuse_second_poller(first)
    ada = emulator.user(first_name="Ada")
    async with polling(first):
        second = make_app()
        refuse_second_poller(second)
        await second.initialize()
        with pytest.raises(SecondPoller, match="use webhook mode"):
            assert second.post_init is not None
            await second.post_init(second)
        await second.shutdown()
        assert second.post_shutdown is not None
        await second.post_shutdown(second)
        emulator.command(ada, "start")  # the first instance carries on, undisturbed
        assert "Hi Ada" in ((await emulator.reply_to(ada)).text or "")
    after = make_app()  # the first stopped cleanly and let go: a new poller may start
    refuse_second_poller(after)
    async with polling(after):
        emulator.command(ada, "help")
        assert await emulator.reply_to(ada)


@asynccontextmanager
async def running(app: AnyApplication) -> AsyncIterator[AnyApplication]:
    """An instance that runs its jobs but receives no updates (a second webhook instance
    whose share of the traffic the test does not need)."""
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    await app.start()
    try:
        yield app
    finally:
        if not app.bot_data.get(CRASHED):
            await app.stop()
            await app.shutdown()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)


async def crash(app: AnyApplication) -> None:
    """Stop an instance the way a crash would: no goodbye, its sender lease left to expire.
    (Only its database connections are closed, as the operating system would.)"""
    app.bot_data[CRASHED] = True
    await app.stop()
    await app.shutdown()
    await group_jobs(app).tutor.services.db.close()


async def tick(app: AnyApplication) -> None:
    """One run of each of the instance's own-traffic jobs (the reminder batch and the group
    posts), started at the same moment, as its JobQueue would run them."""
    context: Any = SimpleNamespace(application=app, bot=app.bot)
    await asyncio.gather(dispatcher_of(app).job(context), group_jobs(app)._tick(context))


async def test_two_instances_send_each_reminder_and_group_poll_once_and_the_survivor_takes_over(
    emulator: Emulator, make_app: Callable[[], AnyApplication], db: Database, t0: datetime
) -> None:
    emulator.flood_limits(global_per_second=30)
    first_wave = [emulator.user() for _ in range(40)]
    await enrol(db, first_wave, t0)
    tess = emulator.user(OWNER, "Tess")
    group = emulator.group(title="Class 3B", owner=tess)
    instances = [manual(make_app()), manual(make_app())]
    for app in instances:
        pin_clock(app, t0)
    async with running(instances[0]), running(instances[1]):
        asked = datetime.now(UTC) - FIRST_POLL_DELAY  # so that its first poll is due now
        turn = Turn(Person(tess.id, "Tess"), group.id, asked, "supergroup")
        started = await group_jobs(instances[0]).tutor.on_command(turn, "groupquiz", "3")
        assert started  # planned in the database, as any instance would
        await asyncio.gather(*(tick(app) for app in instances))  # both tick at once
        assert all(len(reminders_to(emulator, s)) == 1 for s in first_wave)
        assert len(emulator.calls("sendPoll")) == 1
        senders = [app for app in instances if sender_of(app).held]  # type: ignore[union-attr]
        assert len(senders) == 1
        [sender] = senders
        [survivor] = [app for app in instances if app is not sender]

        await crash(sender)
        second_wave = [emulator.user() for _ in range(20)]
        await enrol(db, second_wave, t0)
        await tick(survivor)  # the dead sender's lease has not run out: nothing yet
        assert all(reminders_to(emulator, s) == [] for s in second_wave)
        lease = sender_of(survivor)
        assert lease is not None
        lease.clock = lambda: datetime.now(UTC) + TTL + timedelta(seconds=1)
        await tick(survivor)  # once it has, the survivor is the sender
        assert lease.held
        assert all(len(reminders_to(emulator, s)) == 1 for s in second_wave)
    assert all(len(reminders_to(emulator, s)) == 1 for s in first_wave)
    assert len(emulator.calls("sendPoll")) == 1
    assert emulator.count_429 == 0


async def test_results_decided_but_not_yet_sent_survive_a_crash_and_go_out_once(
    emulator: Emulator, make_app: Callable[[], AnyApplication], db: Database
) -> None:
    tess = emulator.user(OWNER, "Tess")
    group = emulator.group(title="Class 3B", owner=tess)
    turn = Turn(Person(tess.id, "Tess"), group.id, datetime.now(UTC), "supergroup")
    first = make_app()
    async with running(first):
        jobs = group_jobs(first)
        assert await jobs.tutor.on_command(turn, "challenge", "gym 48h")
        challenge = await db.run(lambda s: s.exec(select(Challenge)).one())
        emulator.fail_next("sendMessage", status=502, times=20)  # Telegram down for a while
        assert await jobs.run_due(first.bot, challenge.deadline) == 0  # closed, not sent
        assert await jobs.waiting() == 1
        await crash(first)
    closed = await db.run(lambda s: s.exec(select(Challenge)).one())
    assert closed.status != "open"  # decided once: only the outbox remembers the post
    emulator.faults.clear()
    second = make_app()
    async with running(second):
        jobs = group_jobs(second)
        assert await jobs.run_due(second.bot, challenge.deadline + timedelta(seconds=5)) == 1
        assert await jobs.run_due(second.bot, challenge.deadline + timedelta(seconds=10)) == 0
        assert await jobs.waiting() == 0
    closed_posts = [m for m in emulator.messages(group) if "Challenge closed" in (m.text or "")]
    assert len(closed_posts) == 1


async def test_instances_replying_at_once_share_the_flood_budget_instead_of_doubling_it(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    emulator.flood_limits(global_per_second=30)
    students = [emulator.user() for _ in range(90)]
    instances = [make_app(), make_app()]
    async with running(instances[0]), running(instances[1]):
        assert [await presence_of(app).beat() for app in instances] == [2, 2]
        halves = [students[:45], students[45:]]
        await asyncio.gather(
            *(
                app.bot.send_message(student.id, "Question 1 of 5")
                for app, half in zip(instances, halves, strict=True)
                for student in half
            )
        )
        assert all(len(emulator.messages(student)) == 1 for student in students)
        assert emulator.count_429 == 0  # 90 at once from two instances, never over 30 a second
        await instances[1].stop()  # a clean stop: the other gets the whole budget back
        await instances[1].shutdown()
        assert instances[1].post_shutdown is not None
        await instances[1].post_shutdown(instances[1])
        instances[1].bot_data[CRASHED] = True  # already stopped
        assert await presence_of(instances[0]).beat() == 1
