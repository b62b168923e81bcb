"""Read-decide-write races: the racing operations fired at once, the invariant asserted.

On SQLite transactions take turns, so these pass trivially there; they are written for
PostgreSQL (``make test-postgres``), where concurrent ``db.run`` calls run on separate
connections side by side, as two bot instances (or two taps on one) would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel import Session, col, func, select

from dialogs.classes import polls as group_polls
from dialogs.classes import posts as group_posts
from dialogs.replies import Message, Poll
from dialogs.tutor import Turn, Tutor
from storage import Database
from storage import reminders as reminder_store
from storage import scenarios as scenario_store
from storage.models import Challenge, PollRecord, QuizSession, ScenarioRun, StepAttempt, User
from tests.dialogs.classes.test_groups_schedule import group_turn
from tests.dialogs.classes.test_roles import invite_code, private_turn, text_of
from tests.storage.test_reminders import LEASE, T, add_students

ROUNDS = 5


async def _active_run(database: Database, user: int) -> ScenarioRun | None:
    return await database.run(lambda s: scenario_store.active_run(s, user_id=user))


async def test_a_single_use_invite_is_redeemed_by_one_of_many_at_once(
    tutor: Tutor, database: Database
) -> None:
    for round_ in range(ROUNDS):
        code = await invite_code(tutor)
        people = range(100 * (round_ + 1), 100 * (round_ + 1) + 12)
        answers = await asyncio.gather(
            *(tutor.on_command(private_turn(p), "start", f"tutor_{code}") for p in people)
        )
        welcomed = [p for p, a in zip(people, answers, strict=True) if "now a tutor" in text_of(a)]
        refused = [a for a in answers if "already been used" in text_of(a)]
        assert len(welcomed) == 1 and len(refused) == len(people) - 1

        def tutors(session: Session, people: range = people) -> list[int]:
            query = select(User.id).where(col(User.id).in_(list(people)), User.role == "tutor")
            return list(session.exec(query).all())

        assert await database.run(tutors) == welcomed


async def test_model_answer_tapped_twice_at_once_is_stored_once(
    tutor: Tutor, database: Database, turn: Callable[..., Turn]
) -> None:
    for user in range(1, ROUNDS + 1):
        await tutor.on_command(turn(user=user), "scenario", "gym_membership")
        run = await _active_run(database, user)
        assert run is not None
        tap = f"s:{run.id}:0:m"
        outcomes = await asyncio.gather(*(tutor.on_button(turn(user=user), tap) for _ in range(4)))

        def revealed(session: Session, run_id: int | None = run.id) -> int:
            query = select(func.count()).where(
                StepAttempt.run_id == run_id, col(StepAttempt.revealed).is_(True)
            )
            return int(session.exec(query).one())

        assert await database.run(revealed) == 1
        shown = [o for o in outcomes if any(isinstance(r, Message) for r in o.replies)]
        assert len(shown) == 1  # the other taps get the "earlier step" toast
        assert all(o.toast for o in outcomes if o not in shown)


async def test_two_quiz_commands_at_once_leave_one_active_quiz(
    tutor: Tutor, database: Database, turn: Callable[..., Turn]
) -> None:
    for user in range(1, ROUNDS + 1):
        await tutor.on_command(turn(user=user), "start")
        await asyncio.gather(*(tutor.on_command(turn(user=user), "quiz") for _ in range(3)))

        def active(session: Session, user: int = user) -> int:
            query = select(func.count()).where(
                QuizSession.user_id == user, QuizSession.status == "active"
            )
            return int(session.exec(query).one())

        assert await database.run(active) == 1


async def test_dispatchers_claiming_at_the_same_instant_each_get_a_full_chunk(
    db_url: str, database: Database
) -> None:
    await add_students(database, range(1, 121))
    others = [Database.from_url(db_url) for _ in range(3)]

    async def claim(db: Database, token: str) -> list[reminder_store.DueReminder]:
        return await db.run(
            lambda s: reminder_store.claim_due(
                s, now=T, token=token, lease_until=T + LEASE, limit=30
            )
        )

    try:
        chunks = await asyncio.gather(
            *(claim(db, f"d{n}") for n, db in enumerate([database, *others]))
        )
    finally:
        for db in others:
            await db.close()
    claimed = [reminder.user_id for chunk in chunks for reminder in chunk]
    assert [len(chunk) for chunk in chunks] == [30, 30, 30, 30]
    assert sorted(claimed) == list(range(1, 121))  # every due reminder, each once


async def test_a_scheduled_post_found_due_by_two_ticks_at_once_is_posted_once(
    tutor: Tutor, database: Database
) -> None:
    await tutor.on_command(group_turn(), "challenge", "gym_membership 48h")
    await tutor.on_command(group_turn(), "schedule", "daily 18:00 challenge 24h")
    first = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
    ticks = await asyncio.gather(*(group_posts.due_posts(tutor.services, first) for _ in range(4)))
    posted = [post for tick in ticks for post in tick]
    assert len(posted) == 1
    challenges = await database.run(lambda s: s.exec(select(func.count(col(Challenge.id)))).one())
    assert challenges == 2  # the one set by hand, and one scheduled


async def test_a_group_poll_found_due_by_two_ticks_at_once_is_handed_out_once(
    tutor: Tutor, database: Database
) -> None:
    await tutor.on_command(group_turn(), "groupquiz", "3")
    first = await database.run(
        lambda s: s.exec(select(PollRecord).order_by(col(PollRecord.id))).first()
    )
    assert first is not None
    ticks = await asyncio.gather(
        *(group_posts.due_posts(tutor.services, first.due_at) for _ in range(4))
    )
    polls = [post for tick in ticks for post in tick if isinstance(post.reply, Poll)]
    assert len(polls) == 1
    await group_polls.poll_held_back(tutor.services, key=polls[0].key)  # the pacer said wait
    [again] = await group_posts.due_posts(tutor.services, first.due_at)  # due again at once
    assert again.key == polls[0].key
