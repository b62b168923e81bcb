"""Daily reminders through the real Application and the loopback Bot API: the dispatcher job
sends a reminder whose question is answered in place; new items left today bring one too
(unless reviews only, or the day's work is done); blocked students are skipped until they
come back; a restart in the middle of a batch delivers every remaining one once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, delete, select

from bot.jobs.reminders import JOB_NAME, dispatcher_of
from bot.jobs.sender import LEASE_NAME
from dialogs.context import Services, TutorConfig
from dialogs.quiz.card_updates import push_items
from dialogs.reminders import dispatch
from knowledge.base import KnowledgeBase
from storage import Database, leases
from storage import reminders as store
from storage.cards import add_review
from storage.models import Card, ReviewLog
from storage.models import User as StoredUser
from storage.users import get_user, touch_user
from tests.emulator import ChatMessage, Emulator, User, polling
from tests.emulator.polling import AnyApplication

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
async def db(bot_settings) -> AsyncIterator[Database]:
    """A second handle on the bot's database, to set up students and check rows."""
    handle = await Database.open(bot_settings.database_url)
    yield handle
    await handle.close()


@pytest.fixture
def t0() -> datetime:
    """The minute the reminders fall due; the dispatcher's clock is pinned to it."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


async def enrol(db: Database, users: list[User], due: datetime) -> None:
    """Students with a daily reminder due at ``due`` and two items due for review."""

    def add(session: Session) -> None:
        for user in users:
            touch_user(
                session,
                user_id=user.id,
                first_name=user.first_name,
                username=None,
                language="en",
                now=due - timedelta(days=1),
            )
            store.set_reminder(
                session, user_id=user.id, remind_at=f"{due.astimezone(LONDON):%H:%M}", next_at=due
            )
            push_items(session, user_id=user.id, item_ids=["age", "income"], now=due)

    await db.run(add)


def manual(app: AnyApplication) -> AnyApplication:
    """Pause the every-minute schedule: the test runs the dispatcher itself, so a minute
    boundary during the test cannot start a second, competing run."""
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name(JOB_NAME):
        job.enabled = False
    return app


def pin_clock(app: AnyApplication, now: datetime) -> None:
    dispatcher_of(app).clock = lambda: now


def reminders_to(emulator: Emulator, user: User) -> list[ChatMessage]:
    return [m for m in emulator.messages(user) if "due for review" in (m.text or "")]


async def test_the_job_sends_a_reminder_answered_right_inside_it(
    emulator: Emulator,
    make_app: Callable[[], AnyApplication],
    db: Database,
    t0: datetime,
) -> None:
    alice = emulator.user(first_name="Alice")
    await enrol(db, [alice], t0)
    app = make_app()
    [job] = app.job_queue.get_jobs_by_name(JOB_NAME)  # type: ignore[union-attr]
    assert job.job.trigger.interval == timedelta(minutes=1)
    manual(app)
    pin_clock(app, t0)
    async with polling(app):
        await job.run(app)  # one tick of the every-minute job, now
        reminder = await emulator.reply_to(alice)
        assert "2 items are due for review" in (reminder.text or "")
        assert "Question 1 of" in (reminder.text or "")
        assert {"▶️ Start review", "⏰ Snooze 1 hour"} <= set(reminder.button_texts)
        option = next(d for d in reminder.callback_data if d.startswith("q:") and d[2].isdigit())
        answer = await emulator.answered(emulator.press(alice, reminder, data=option))
        assert answer.params["text"] in ("✅ Right!", "❌ Not quite")
        feedback = await emulator.reply_to(alice)
        assert feedback.text
    edited = emulator.find_message(alice.id, reminder.message_id)
    assert edited is not None and "Your answer" in (edited.text or "")

    def graded_and_user(session: Session) -> tuple[Sequence[ReviewLog], StoredUser | None]:
        return session.exec(select(ReviewLog)).all(), get_user(session, user_id=alice.id)

    graded, user = await db.run(graded_and_user)
    assert [log.user_id for log in graded] == [alice.id]
    assert user is not None and user.next_reminder_at == t0 + timedelta(days=1)


async def test_a_blocked_student_is_skipped_until_they_start_again(
    emulator: Emulator,
    make_app: Callable[[], AnyApplication],
    db: Database,
    t0: datetime,
) -> None:
    alice, bob = emulator.user(first_name="Alice"), emulator.user(first_name="Bob")
    await enrol(db, [alice, bob], t0)
    emulator.block(bob)
    app = manual(make_app())
    async with polling(app):
        dispatcher = dispatcher_of(app)
        dispatcher.clock = lambda: t0
        first = await dispatcher.run(app.bot)
        assert (first.sent, first.blocked) == (1, 1)
        flagged = await db.run(lambda s: get_user(s, user_id=bob.id))
        assert flagged is not None and flagged.blocked
        tomorrow = t0 + timedelta(days=1)
        dispatcher.clock = lambda: tomorrow
        second = await dispatcher.run(app.bot)
        assert (second.sent, second.blocked) == (1, 0)  # Alice only: Bob is not tried
        assert len(emulator.calls("sendMessage", chat_id=bob)) == 1
        emulator.unblock(bob)
        emulator.command(bob, "start")
        await emulator.reply_to(bob)  # the welcome: Bob is back
        dispatcher.clock = lambda: tomorrow + timedelta(days=1)
        third = await dispatcher.run(app.bot)
        assert third.sent == 2
    assert len(reminders_to(emulator, bob)) == 1
    assert len(reminders_to(emulator, alice)) == 3


async def test_a_restart_mid_batch_delivers_every_remaining_reminder_exactly_once(
    emulator: Emulator,
    make_app: Callable[[], AnyApplication],
    db: Database,
    kb: KnowledgeBase,
    t0: datetime,
) -> None:
    students = [emulator.user() for _ in range(40)]
    await enrol(db, students, t0)
    emulator.flood_limits(global_per_second=30)

    # A bot instance that crashed after claiming ten reminders: they stay leased to it.
    dead = Services(db, kb, TutorConfig())
    crashed = await dispatch.claim_due(dead, t0, limit=10)
    assert len(crashed.items) == 10

    first_app = manual(make_app())
    async with polling(first_app):
        dispatcher = dispatcher_of(first_app)
        dispatcher.clock = lambda: t0
        dispatcher.chunk, dispatcher.concurrency = 20, 4  # stop inside a claimed chunk

        def still_up() -> bool:  # the instance is stopped after about a dozen sends
            return len(emulator.calls("sendMessage")) < 12

        stopped = await dispatcher.run(first_app.bot, keep_going=still_up)
    assert 12 <= stopped.sent < 20
    assert stopped.released > 0  # claimed but unsent: handed back, not lost

    second_app = manual(make_app())
    async with polling(second_app):
        dispatcher = dispatcher_of(second_app)
        dispatcher.clock = lambda: t0 + timedelta(seconds=30)
        resumed = await dispatcher.run(second_app.bot)
        assert stopped.sent + resumed.sent == 30  # all but the dead instance's ten
        # Once the dead instance's lease runs out, its ten go out too (same local day).
        dispatcher.clock = lambda: t0 + timedelta(minutes=3)
        rescued = await dispatcher.run(second_app.bot)
        assert rescued.sent == 10
        assert (await dispatcher.run(second_app.bot)).claimed == 0

    assert all(len(reminders_to(emulator, s)) == 1 for s in students)
    assert emulator.count_429 == 0


async def test_flood_control_is_waited_out_and_the_reminder_sent_once(
    emulator: Emulator,
    make_app: Callable[[], AnyApplication],
    db: Database,
    t0: datetime,
) -> None:
    cleo = emulator.user(first_name="Cleo")
    await enrol(db, [cleo], t0)
    # More 429s in a row than PTB's rate limiter retries by default: ours waits them all out
    # (bot/flood.py), so the dispatcher sends once and never sees one.
    emulator.fail_next("sendMessage", status=429, retry_after=0.1, times=5)
    app = manual(make_app())
    async with polling(app):
        dispatcher = dispatcher_of(app)
        dispatcher.clock = lambda: t0
        report = await dispatcher.run(app.bot)
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    assert len(reminders_to(emulator, cleo)) == 1
    assert emulator.count_429 == 5


async def test_telegram_unreachable_means_a_retry_a_minute_later_not_a_loop(
    emulator: Emulator,
    make_app: Callable[[], AnyApplication],
    db: Database,
    t0: datetime,
) -> None:
    dora = emulator.user(first_name="Dora")
    await enrol(db, [dora], t0)
    emulator.fail_next("sendMessage", status=502, times=3)  # outlasts the sender's own retries
    app = manual(make_app())
    async with polling(app):
        dispatcher = dispatcher_of(app)
        dispatcher.clock = lambda: t0
        failed = await dispatcher.run(app.bot)
        assert (failed.claimed, failed.sent, failed.failed) == (1, 0, 1)
        user = await db.run(lambda s: get_user(s, user_id=dora.id))
        assert user is not None and user.next_reminder_at == t0 + timedelta(minutes=1)
        dispatcher.clock = lambda: t0 + timedelta(minutes=1)
        retried = await dispatcher.run(app.bot)
    assert retried.sent == 1
    assert len(reminders_to(emulator, dora)) == 1


async def test_new_items_left_bring_a_reminder_unless_reviews_only_or_the_day_is_done(
    emulator: Emulator,
    make_app: Callable[[], AnyApplication],
    db: Database,
    t0: datetime,
) -> None:
    fresh, reviews_only, done = (emulator.user(first_name=n) for n in ("Fay", "Rex", "Dot"))
    await enrol(db, [fresh, reviews_only, done], t0)

    def nothing_due_but(session: Session) -> None:
        for user in (fresh, reviews_only, done):  # nothing due for anyone
            session.exec(delete(Card).where(col(Card.user_id) == user.id))
        store.set_new_items(session, user_id=reviews_only.id, new_items=False)
        stored = session.get(StoredUser, done.id)
        assert stored is not None
        stored.daily_new_cap = 2
        session.add(stored)
        for item_id in ("age", "income"):  # today's two new items, already met
            add_review(
                session,
                user_id=done.id,
                item_id=item_id,
                rating=3,
                source="quiz",
                duration_ms=None,
                now=t0 - timedelta(minutes=5),
            )

    await db.run(nothing_due_but)
    app = manual(make_app())
    async with polling(app):
        dispatcher = dispatcher_of(app)
        dispatcher.clock = lambda: t0
        report = await dispatcher.run(app.bot)
        assert (report.claimed, report.sent) == (3, 1)
        reminder = await emulator.reply_to(fresh)
        assert "Nothing is due, and you have 15 new items left today" in (reminder.text or "")
        assert "Question 1 of 10" in (reminder.text or "")
        option = next(d for d in reminder.callback_data if d.startswith("q:") and d[2].isdigit())
        answer = await emulator.answered(emulator.press(fresh, reminder, data=option))
        assert answer.params["text"] in ("✅ Right!", "❌ Not quite")
    assert not emulator.calls("sendMessage", chat_id=reviews_only)
    assert not emulator.calls("sendMessage", chat_id=done)


async def test_only_the_instance_holding_the_sender_lease_sends_reminders(
    emulator: Emulator,
    make_app: Callable[[], AnyApplication],
    db: Database,
    t0: datetime,
) -> None:
    alice = emulator.user(first_name="Alice")
    await enrol(db, [alice], t0)
    now = datetime.now(UTC)

    def other_instance_holds(session: Session) -> bool:
        until = now + timedelta(minutes=5)
        return leases.hold(session, name=LEASE_NAME, holder="other", now=now, until=until)

    assert await db.run(other_instance_holds)
    app = manual(make_app())
    pin_clock(app, t0)
    [job] = app.job_queue.get_jobs_by_name(JOB_NAME)  # type: ignore[union-attr]
    async with polling(app):
        await job.run(app)  # not the sender: nothing is claimed or sent
        assert reminders_to(emulator, alice) == []
        untouched = await db.run(lambda s: get_user(s, user_id=alice.id))
        assert untouched is not None and untouched.reminder_claim is None
        await db.run(lambda s: leases.let_go(s, name=LEASE_NAME, holder="other"))
        await job.run(app)  # the lease is free: this instance takes it and sends
        assert "due for review" in ((await emulator.reply_to(alice)).text or "")
    assert len(reminders_to(emulator, alice)) == 1
