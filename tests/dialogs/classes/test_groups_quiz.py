"""Group quizzes: the plan (paced within Telegram's group limit), polls sent one after another,
answers from several students counted once and fed to their spaced repetition, the results.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from sqlmodel import Session, col, select

from bot.jobs.groups import GROUP_LIMIT, Pacer
from dialogs.classes import lifecycle
from dialogs.classes import polls as group_polls
from dialogs.classes import posts as group_posts
from dialogs.context import Person, Services
from dialogs.quiz.topics import topic_items
from dialogs.replies import Message, Poll, Reply
from dialogs.tutor import Turn, Tutor
from knowledge.base import KnowledgeBase
from storage import Database
from storage.models import Card, GroupQuiz, PollRecord, PollVote, ReviewLog
from tests.conftest import NOON

OWNER = 999
GROUP = -100


def group_turn(
    user: int, name: str = "Sam", *, now: datetime = NOON, thread_id: int | None = None
) -> Turn:
    return Turn(Person(user, name), GROUP, now, "supergroup", thread_id=thread_id)


def text_of(replies: Sequence[Reply]) -> str:
    return "\n".join(r.html for r in replies if isinstance(r, Message))


async def records(database: Database) -> list[PollRecord]:
    return await database.run(
        lambda s: list(s.exec(select(PollRecord).order_by(col(PollRecord.position))).all())
    )


async def send_next(services: Services, at: datetime, poll_id: str) -> Poll:
    """What the adapter's job does: take the due poll, 'send' it, confirm it."""
    posts = [p for p in await group_posts.due_posts(services, at) if isinstance(p.reply, Poll)]
    assert len(posts) == 1, posts
    [post] = posts
    assert isinstance(post.reply, Poll)
    assert await group_polls.poll_sent(
        services, key=post.key, poll_id=poll_id, message_id=1, now=at
    )
    return post.reply


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("500", "500 questions is too many"),
        ("0", "Ask for at least 1 question"),
        ("-3", "Ask for at least 1 question"),
        ("3 underwater basket weaving", "I don't know the topic"),
    ],
)
async def test_bad_arguments_get_a_usage_line_and_nothing_is_planned(
    tutor: Tutor, database: Database, args: str, expected: str
) -> None:
    text = text_of(await tutor.on_command(group_turn(OWNER, "Tess"), "groupquiz", args))
    assert expected in text.replace("&#x27;", "'")
    assert "Usage: /groupquiz [n] [topic]" in text
    assert await records(database) == []


async def test_the_plan_is_n_polls_on_the_topic_paced_within_the_group_limit(
    tutor: Tutor, database: Database, kb: KnowledgeBase
) -> None:
    replies = await tutor.on_command(
        group_turn(OWNER, "Tess", thread_id=7), "groupquiz", "10 variables"
    )
    assert "10 questions on All segmentation variables" in text_of(replies)
    planned = await records(database)
    assert len(planned) == 10
    assert {r.item_id for r in planned} <= set(topic_items(kb, "variables"))
    assert len({r.item_id for r in planned}) == 10
    for record in planned:
        assert 1 <= len(record.question) <= 300 and len(record.explanation) <= 200
        assert 2 <= len(record.options) <= 10 and all(1 <= len(o) <= 100 for o in record.options)
        assert 0 <= record.correct_option < len(record.options)
        assert record.open_seconds == group_polls.POLL_OPEN_SECONDS
    times = [r.due_at for r in planned]
    assert times[0] == NOON + group_polls.FIRST_POLL_DELAY
    gaps = {later - earlier for earlier, later in pairwise(times)}
    assert gaps == {group_polls.POLL_GAP}
    # never more than the group limit within any minute, and a poll closes before the next
    for start in times:
        assert sum(start <= t < start + timedelta(minutes=1) for t in times) <= GROUP_LIMIT
    assert timedelta(seconds=group_polls.POLL_OPEN_SECONDS) < group_polls.POLL_GAP
    busy = await tutor.on_command(group_turn(OWNER, "Tess"), "groupquiz", "3 kpis")
    assert "already running" in text_of(busy)
    [first] = await group_posts.due_posts(tutor.services, times[0])
    assert first.thread_id == 7 and isinstance(first.reply, Poll)
    assert first.reply.open_period == group_polls.POLL_OPEN_SECONDS and first.reply.key


async def test_polls_go_out_one_after_another_and_answers_count_once(
    tutor: Tutor, database: Database, kb: KnowledgeBase
) -> None:
    services = tutor.services
    await lifecycle.bot_added(
        services, chat_id=GROUP, title="Class 3B", by=Person(OWNER, "Tess"), now=NOON
    )
    await tutor.on_command(group_turn(OWNER, "Tess"), "groupquiz", "3 demographic")
    planned = await records(database)
    assert await group_posts.due_posts(services, NOON) == []
    start = NOON + group_polls.FIRST_POLL_DELAY
    gap = group_polls.POLL_GAP
    people = {1: Person(1, "Amir"), 2: Person(2, "Bea"), 3: Person(3, "Cody")}

    async def answer(user: int, poll_id: str, right: bool, at: datetime) -> bool:
        record = next(r for r in await records(database) if r.poll_id == poll_id)
        option = record.correct_option if right else (record.correct_option + 1) % 2
        return await group_polls.poll_answered(
            services, person=people[user], poll_id=poll_id, option_ids=[option], now=at
        )

    first = await send_next(services, start, "P1")
    assert first.question == planned[0].question
    assert await group_posts.due_posts(services, start + gap - timedelta(seconds=1)) == []
    at = start + timedelta(seconds=10)
    assert await answer(1, "P1", True, at)
    assert await answer(2, "P1", True, at)
    assert await answer(3, "P1", False, at)
    assert await answer(3, "P1", True, at)  # a second answer is ignored
    await send_next(services, start + gap, "P2")
    at = start + gap + timedelta(seconds=5)
    assert await answer(1, "P2", True, at)
    assert await answer(2, "P2", False, at)
    assert await answer(3, "P2", False, at)
    await send_next(services, start + 2 * gap, "P3")
    at = start + 2 * gap + timedelta(seconds=5)
    assert await answer(1, "P3", True, at)
    # not a group poll, and a retracted vote: neither counts
    assert not await group_polls.poll_answered(
        services, person=people[1], poll_id="elsewhere", option_ids=[0], now=at
    )
    assert not await group_polls.poll_answered(
        services, person=people[2], poll_id="P3", option_ids=[], now=at
    )

    def stored(s: Session) -> tuple[Sequence[PollVote], Sequence[ReviewLog], Sequence[Card]]:
        return (
            s.exec(select(PollVote)).all(),
            s.exec(select(ReviewLog).order_by(col(ReviewLog.id))).all(),
            s.exec(select(Card)).all(),
        )

    votes, reviews, cards = await database.run(stored)
    assert len(votes) == 7
    assert sum(v.correct for v in votes) == 4
    assert [(r.user_id, r.item_id, r.rating, r.source) for r in reviews][:3] == [
        (1, planned[0].item_id, 3, "group_poll"),
        (2, planned[0].item_id, 3, "group_poll"),
        (3, planned[0].item_id, 1, "group_poll"),
    ]
    assert len(reviews) == 7 and all(r.duration_ms == 10_000 for r in reviews[:3])
    assert {(c.user_id, c.item_id) for c in cards} >= {(3, planned[0].item_id)}

    closes = start + 2 * gap + timedelta(seconds=group_polls.POLL_OPEN_SECONDS)
    early = closes + timedelta(seconds=group_polls.RESULTS_GRACE_SECONDS - 1)
    assert await group_posts.due_posts(services, early) == []
    [post] = await group_posts.due_posts(services, early + timedelta(seconds=1))
    assert isinstance(post.reply, Message)
    results = post.reply.html
    assert "Class quiz results" in results and "3 took part in 3 questions" in results
    assert "🥇 Amir: 3/3" in results and "🥈 Bea: 1/3" in results and "🥉 Cody: 0/3" not in results
    assert "only 1 of 3 got this one right" in results
    assert planned[1].question.replace("&", "&amp;") in results
    quiz = await database.run(lambda s: s.exec(select(GroupQuiz)).one())
    assert quiz.status == "closed"
    board = text_of(await tutor.on_command(group_turn(2, "Bea"), "leaderboard", ""))
    assert board.index("Amir: 3 pts") < board.index("Bea: 1 pts")


async def test_close_ends_a_quiz_early_and_unsent_polls_are_dropped(
    tutor: Tutor, database: Database
) -> None:
    services = tutor.services
    await tutor.on_command(group_turn(OWNER, "Tess"), "groupquiz", "4")
    await send_next(services, NOON + group_polls.FIRST_POLL_DELAY, "P1")
    await group_polls.poll_answered(
        services, person=Person(1, "Amir"), poll_id="P1", option_ids=[0], now=NOON
    )
    closed = text_of(await tutor.on_command(group_turn(OWNER, "Tess"), "close", ""))
    assert "1 took part in 1 question." in closed
    assert {r.status for r in await records(database)} == {"sent", "cancelled"}
    assert await group_posts.due_posts(services, NOON + timedelta(hours=1)) == []


async def test_a_poll_telegram_refuses_is_skipped_for_good(
    tutor: Tutor, database: Database
) -> None:
    services = tutor.services
    await tutor.on_command(group_turn(OWNER, "Tess"), "groupquiz", "2")
    [post] = await group_posts.due_posts(services, NOON + timedelta(seconds=3))
    await group_polls.poll_failed(services, key=post.key)
    [second] = await group_posts.due_posts(services, NOON + timedelta(minutes=1))
    assert second.key != post.key
    assert not await group_polls.poll_sent(
        services, key="not-ours", poll_id="X", message_id=1, now=NOON
    )


def test_the_pacer_allows_twenty_posts_a_minute_per_group() -> None:
    pacer = Pacer()
    sent = 0
    for second in range(0, 120, 2):
        now = NOON + timedelta(seconds=second)
        if pacer.allow(GROUP, now):
            pacer.record(GROUP, now)
            sent += 1
        assert pacer.allow(-200, now)  # another group has its own allowance
    assert sent == 2 * GROUP_LIMIT
    pacer.rename(GROUP, -300)
    assert not pacer.allow(-300, NOON + timedelta(seconds=119))
    assert pacer.allow(GROUP, NOON + timedelta(seconds=119))
