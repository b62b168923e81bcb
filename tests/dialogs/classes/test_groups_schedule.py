"""Recurring group posts: parsing, group-local times (DST included), listing and cancelling with
buttons, firing (quiz or challenge), catching up after downtime, and removal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from dialogs.classes import lifecycle
from dialogs.classes import posts as group_posts
from dialogs.classes.args import next_run
from dialogs.context import Person
from dialogs.replies import Message, Poll, Reply
from dialogs.tutor import Turn, Tutor
from storage import Database
from storage.models import Challenge, GroupQuiz, GroupSchedule, PollRecord, User
from tests.conftest import NOON

OWNER = 999
GROUP = -100


def group_turn(user: int = OWNER, name: str = "Tess", *, now: datetime = NOON) -> Turn:
    return Turn(Person(user, name), GROUP, now, "supergroup")


def text_of(replies: Sequence[Reply]) -> str:
    return "\n".join(r.html for r in replies if isinstance(r, Message))


async def schedules(database: Database) -> list[GroupSchedule]:
    return await database.run(lambda s: list(s.exec(select(GroupSchedule)).all()))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("funday 09:00 quiz", "I can't read the day 'funday'"),
        ("mon 25:99 quiz", "I can't read the time '25:99'"),
        ("mon 09:00 party", "not 'party'"),
        ("mon 09:00 quiz 500", "500 questions is too many"),
        ("mon 09:00 challenge atlantis", "I don't know the scenario 'atlantis'"),
        ("mon 09:00 challenge gym -2h", "in the past"),
        ("mon 09:00", "Usage: /schedule"),
        ("t 09:00 quiz", "I can't read the day 't'"),
    ],
)
async def test_bad_schedules_get_a_clear_line_and_nothing_is_stored(
    tutor: Tutor, database: Database, args: str, expected: str
) -> None:
    text = text_of(await tutor.on_command(group_turn(), "schedule", args))
    assert expected in text.replace("&#x27;", "'")
    assert await schedules(database) == []


def test_next_run_is_group_local_and_follows_summer_time() -> None:
    monday_noon = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    assert next_run(0, 9, 0, "Europe/London", monday_noon) == datetime(2026, 11, 9, 9, tzinfo=UTC)
    assert next_run(0, 13, 0, "Europe/London", monday_noon) == datetime(2026, 11, 2, 13, tzinfo=UTC)
    assert next_run(None, 9, 30, "Asia/Tokyo", monday_noon) == datetime(
        2026, 11, 3, 0, 30, tzinfo=UTC
    )
    # London moves to BST on 28 March 2027: 09:00 local is then 08:00 UTC
    before = datetime(2027, 3, 22, 10, 0, tzinfo=UTC)
    assert next_run(0, 9, 0, "Europe/London", before) == datetime(2027, 3, 29, 8, tzinfo=UTC)


async def test_a_weekly_quiz_is_listed_fires_at_local_time_and_moves_on(
    tutor: Tutor, database: Database
) -> None:
    await tutor.on_command(Turn(Person(OWNER, "Tess"), OWNER, NOON), "start", "")

    def move_to_paris(s: Session) -> None:
        me = s.get(User, OWNER)
        assert me is not None
        me.timezone = "Europe/Paris"
        s.add(me)

    await database.run(move_to_paris)
    added = await tutor.on_command(group_turn(), "schedule", "monday 09:00 quiz 3 kpis")
    [message] = added
    assert isinstance(message, Message)
    assert "Every Monday 09:00 (Europe/Paris): quiz, 3 questions on KPIs" in message.html
    assert "Mon 9 Nov, 09:00" in message.html
    [stored] = await schedules(database)
    assert stored.next_run == datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
    assert [b.data for row in message.buttons for b in row] == [f"g:sx:{stored.id}"]

    services = tutor.services
    assert await group_posts.due_posts(services, stored.next_run - timedelta(seconds=1)) == []
    [post] = await group_posts.due_posts(services, stored.next_run)
    assert isinstance(post.reply, Message) and "Scheduled class quiz" in post.reply.html

    def planned(s: Session) -> tuple[GroupQuiz, Sequence[PollRecord]]:
        return s.exec(select(GroupQuiz)).one(), s.exec(select(PollRecord)).all()

    quiz, polls = await database.run(planned)
    assert quiz.size == 3 and quiz.topic == "kpi" and len(polls) == 3
    [moved] = await schedules(database)
    assert moved.next_run == datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
    [poll] = await group_posts.due_posts(services, stored.next_run + timedelta(seconds=3))
    assert isinstance(poll.reply, Poll)


async def test_scheduled_challenges_rotate_through_the_scenarios(
    tutor: Tutor, database: Database
) -> None:
    await tutor.on_command(group_turn(), "challenge", "gym_membership 48h")
    await tutor.on_command(group_turn(), "schedule", "daily 18:00 challenge 24h")
    services = tutor.services
    first = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
    [post] = await group_posts.due_posts(services, first)
    assert isinstance(post.reply, Message) and "Class challenge" in post.reply.html
    # a day later: yesterday's challenge reaches its deadline as today's is posted
    results, post2 = await group_posts.due_posts(services, first + timedelta(days=1))
    assert isinstance(results.reply, Message) and "Challenge closed" in results.reply.html
    made = await database.run(lambda s: s.exec(select(Challenge).order_by(col(Challenge.id))).all())
    assert [c.scenario_id for c in made] == ["gym_membership", "b2b_software", "high_street_bank"]
    assert made[1].deadline == first + timedelta(hours=24)
    assert isinstance(post2.reply, Message)
    assert post2.reply.buttons[0][0].url == "https://t.me/RevisionTutorBot?start=ch_3"


async def test_after_downtime_a_stale_post_is_skipped_but_the_schedule_carries_on(
    tutor: Tutor, database: Database
) -> None:
    await tutor.on_command(group_turn(), "schedule", "mon 09:00 quiz 2")
    [stored] = await schedules(database)
    much_later = stored.next_run + timedelta(hours=7)
    assert await group_posts.due_posts(tutor.services, much_later) == []
    [moved] = await schedules(database)
    assert moved.next_run == stored.next_run + timedelta(days=7)
    assert await database.run(lambda s: s.exec(select(GroupQuiz)).all()) == []


async def test_cancelling_with_a_button_edits_the_list_and_stops_the_post(
    tutor: Tutor, database: Database
) -> None:
    await tutor.on_command(group_turn(), "schedule", "mon 09:00 quiz 2")
    await tutor.on_command(group_turn(), "schedule", "fri 15:30 challenge gym 72h")
    listing = await tutor.on_command(group_turn(), "schedule", "")
    text = text_of(listing)
    assert "1. Every Monday 09:00" in text and "2. Every Friday 15:30" in text
    assert "Pulse Gym" in text and "72h to finish" in text
    first, second = await schedules(database)
    outcome = await tutor.on_button(group_turn(), f"g:sx:{first.id}")
    assert outcome.toast == "Cancelled." and outcome.edit is not None
    assert "Every Monday" not in outcome.edit.html and "Every Friday" in outcome.edit.html
    again = await tutor.on_button(group_turn(), f"g:sx:{first.id}")
    assert again.toast == "That one was already cancelled."
    forged = await tutor.on_button(group_turn(), "g:sx:abc")
    assert "expired" in (forged.toast or "")
    elsewhere = Turn(Person(OWNER, "Tess"), -555, NOON, "supergroup")
    other = await tutor.on_button(elsewhere, f"g:sx:{second.id}")
    assert "isn't in this group" in (other.toast or "")
    assert await group_posts.due_posts(tutor.services, first.next_run) == []


async def test_removing_the_bot_cancels_its_schedules(tutor: Tutor, database: Database) -> None:
    await tutor.on_command(group_turn(), "schedule", "daily 09:00 quiz 2")
    assert await lifecycle.bot_removed(tutor.services, chat_id=GROUP, now=NOON)
    assert {s.status for s in await schedules(database)} == {"cancelled"}
    assert await group_posts.due_posts(tutor.services, NOON + timedelta(days=8)) == []
